//! 处置记录: the handling record of a warning case — what was done (处置措施), who is
//! responsible (责任人), the result (处置结果) and the return visit (回访情况), each entry
//! with its author and time. Append-only: a correction is a new entry, nothing is edited.

use chrono::NaiveDateTime;
use duckdb::params;

use crate::queries;
use crate::store::Store;

/// One entry of a case's handling record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HandlingEntry {
    pub id: i64,
    pub case_id: String,
    pub measures: String,
    pub responsible: String,
    pub result: String,
    pub return_visit: String,
    pub author: String,
    pub written_at: NaiveDateTime,
    /// The entry's orders are now in more than one case or episode: the case it was written
    /// for was separated since, and the entry belongs to each part.
    pub shared: bool,
}

/// What a person writes; the author and time are added when it is stored.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub measures: String,
    pub responsible: String,
    pub result: String,
    pub return_visit: String,
}

#[derive(Debug, thiserror::Error)]
pub enum HandlingError {
    #[error("处置措施 must not be empty")]
    NoMeasures,
    #[error("{0} is not a case's id: no warning case opens with that order")]
    NotACase(String),
    #[error("{field} is too long ({chars} characters, at most {max})")]
    TooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
    #[error("database error: {0}")]
    Sql(#[from] duckdb::Error),
}

/// The longest text of one field.
pub const MAX_CHARS: usize = 2000;

impl NewEntry {
    pub fn check(&self) -> Result<(), HandlingError> {
        if self.measures.trim().is_empty() {
            return Err(HandlingError::NoMeasures);
        }
        for (field, text) in [
            ("处置措施", &self.measures),
            ("责任人", &self.responsible),
            ("处置结果", &self.result),
            ("回访情况", &self.return_visit),
        ] {
            let chars = text.chars().count();
            if chars > MAX_CHARS {
                return Err(HandlingError::TooLong {
                    field,
                    chars,
                    max: MAX_CHARS,
                });
            }
        }
        Ok(())
    }
}

/// Appends an entry to the record of the case `case_id` (the first order of an episode of
/// at least `green` orders in the stored facts, which must be current); returns its id. The
/// entry keeps the case's orders, so it stays with the case when its id moves.
pub fn add(
    store: &Store,
    case_id: &str,
    green: u32,
    entry: &NewEntry,
    author: &str,
    at: NaiveDateTime,
) -> Result<i64, HandlingError> {
    entry.check()?;
    let conn = store.conn();
    let size: Option<i64> =
        match conn.query_row(queries::HANDLING_CASE_SIZE, [case_id], |r| r.get(0)) {
            Ok(n) => Some(n),
            Err(duckdb::Error::QueryReturnedNoRows) => None,
            Err(e) => return Err(e.into()),
        };
    if size.is_none_or(|n| n < i64::from(green)) {
        return Err(HandlingError::NotACase(case_id.to_string()));
    }
    conn.execute_batch("BEGIN TRANSACTION")?;
    let written = (|| -> duckdb::Result<i64> {
        let id = conn.query_row(
            queries::HANDLING_INSERT,
            params![
                case_id,
                entry.measures.trim(),
                entry.responsible.trim(),
                entry.result.trim(),
                entry.return_visit.trim(),
                author,
                at
            ],
            |r| r.get(0),
        )?;
        conn.execute(queries::HANDLING_INSERT_ORDERS, params![id, case_id])?;
        Ok(id)
    })();
    match written {
        Ok(id) => {
            conn.execute_batch("COMMIT")?;
            Ok(id)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e.into())
        }
    }
}

fn read(row: &duckdb::Row<'_>) -> duckdb::Result<HandlingEntry> {
    Ok(HandlingEntry {
        id: row.get(0)?,
        case_id: row.get(1)?,
        measures: row.get(2)?,
        responsible: row.get(3)?,
        result: row.get(4)?,
        return_visit: row.get(5)?,
        author: row.get(6)?,
        written_at: row.get(7)?,
        shared: row.get(8)?,
    })
}

/// A case's entries, oldest first: those written for any of the orders now in its episode,
/// whatever the case's id was then. Reads the stored facts, which must be current.
pub fn of_case(store: &Store, case_id: &str) -> Result<Vec<HandlingEntry>, HandlingError> {
    let mut stmt = store.conn().prepare(queries::HANDLING_OF_CASE)?;
    let rows = stmt.query_map(params![case_id], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
