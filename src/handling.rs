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

/// Appends an entry to `case_id`'s record; returns its id.
pub fn add(
    store: &Store,
    case_id: &str,
    entry: &NewEntry,
    author: &str,
    at: NaiveDateTime,
) -> Result<i64, HandlingError> {
    entry.check()?;
    let id = store.conn().query_row(
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
    Ok(id)
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
    })
}

/// A case's entries, oldest first.
pub fn of_case(store: &Store, case_id: &str) -> Result<Vec<HandlingEntry>, HandlingError> {
    let mut stmt = store.conn().prepare(queries::HANDLING_OF_CASE)?;
    let rows = stmt.query_map(params![case_id], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
