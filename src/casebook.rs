//! What the console and the command line read of the stored orders beside the analysis:
//! a case's page (its orders, spellings, callers, handling), where each case's orders are
//! in the stored facts, the rows set aside, how fresh the data is, and the token that
//! changes when the cases can. Read models only: nothing here writes but the temporary
//! tables its own queries join.

use crate::analysis::AsOf;
use crate::column::Column;
use crate::config::Config;
use crate::ingest::header::Aliases;
use crate::queries;
use crate::store::Store;

/// Where a case's orders are in the stored facts: its subject's number and its episode's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Episode {
    pub sid: i64,
    pub episode_no: i64,
}

impl Episode {
    /// The episode in a query's columns `at` (sid) and `at + 1` (episode_no).
    fn read(row: &duckdb::Row<'_>, at: usize) -> duckdb::Result<Episode> {
        Ok(Episode {
            sid: row.get(at)?,
            episode_no: row.get(at + 1)?,
        })
    }
}

/// Each case's episode, by case id.
pub type CaseEpisodes = std::collections::HashMap<String, Episode>;

/// Each warning case's episode, by case id, as the analysis just made them.
pub fn case_episodes(store: &Store) -> duckdb::Result<CaseEpisodes> {
    let mut stmt = store.conn().prepare(queries::CONSOLE_CASE_EPISODES)?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, Episode::read(row, 1)?)))?;
    rows.collect()
}

/// The episodes with an order the search `words` finds (its id, or words of its address or
/// complaint text), among the orders received before `before`.
pub fn search_episodes(
    store: &Store,
    words: &str,
    before: chrono::NaiveDateTime,
) -> duckdb::Result<std::collections::HashSet<Episode>> {
    let mut stmt = store.conn().prepare(queries::CONSOLE_SEARCH_EPISODES)?;
    let rows = stmt.query_map(duckdb::params![words, before], |row| Episode::read(row, 0))?;
    rows.collect()
}

/// A row set aside, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRejection {
    pub file: String,
    pub sheet: String,
    pub row: i64,
    pub reason: String,
    pub code: String,
    pub ingested_at: String,
    /// The row's cells as a JSON object, heading → text.
    pub values: String,
}

impl StoredRejection {
    /// The row's cells in the file's order, heading and text, as anyone may see them: the
    /// caller's phone and name masked, free text (address, content, a cell under a heading
    /// the config does not know) with the personal data in it masked, and the rest, the
    /// order's id first of all, in full so that the order can be found on the platform.
    /// `aliases` tells which column a heading is, as ingest read it.
    pub fn shown_cells(&self, aliases: &Aliases) -> Vec<(String, String)> {
        let cells: Vec<(String, String, Option<Column>)> = ordered_cells(&self.values)
            .into_iter()
            .map(|(heading, text)| {
                let column = aliases.column_of(&heading);
                (heading, text, column)
            })
            .collect();
        let caller = cells
            .iter()
            .find(|(_, _, column)| *column == Some(Column::CallerName))
            .map_or("", |(_, text, _)| text.as_str());
        cells
            .iter()
            .map(|(heading, text, column)| {
                let shown = match column {
                    Some(column) => crate::mask::field(column.name(), text, caller),
                    None => crate::mask::text_naming(text, caller),
                };
                (heading.clone(), shown)
            })
            .collect()
    }
}

/// A JSON object of text values as (name, text) pairs in the order written (a value that
/// is not text is shown as its JSON); an unreadable one is one cell of its own text.
fn ordered_cells(json: &str) -> Vec<(String, String)> {
    struct Cells(Vec<(String, String)>);
    impl<'de> serde::Deserialize<'de> for Cells {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cells, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = Cells;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object of cells")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Cells, A::Error> {
                    let mut cells = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                        let text = match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        cells.push((k, text));
                    }
                    Ok(Cells(cells))
                }
            }
            d.deserialize_map(Visit)
        }
    }
    match serde_json::from_str::<Cells>(json) {
        Ok(Cells(cells)) => cells,
        Err(_) => vec![(String::new(), json.to_string())],
    }
}

/// The rows set aside, oldest file first, in file order; only `file`'s (its name or path
/// as ingested) when given.
pub fn rejected(store: &Store, file: Option<&str>) -> duckdb::Result<Vec<StoredRejection>> {
    let mut stmt = store.conn().prepare(queries::REJECTED_LIST)?;
    let rows = stmt.query_map(duckdb::params![file], |row| {
        Ok(StoredRejection {
            file: row.get(0)?,
            sheet: row.get(1)?,
            row: row.get(2)?,
            reason: row.get(3)?,
            code: row.get(4)?,
            ingested_at: row.get(5)?,
            values: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// How fresh the stored data is.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Freshness {
    pub newest_order: Option<chrono::NaiveDateTime>,
    pub last_load: Option<chrono::NaiveDateTime>,
    pub last_file: Option<String>,
    pub orders: i64,
    pub files: i64,
    pub oldest_order: Option<chrono::NaiveDateTime>,
}

/// How fresh the stored data is.
pub fn freshness(store: &Store) -> duckdb::Result<Freshness> {
    store.conn().query_row(queries::CONSOLE_FRESHNESS, [], |r| {
        Ok(Freshness {
            newest_order: r.get(0)?,
            last_load: r.get(1)?,
            last_file: r.get(2)?,
            orders: r.get(3)?,
            files: r.get(4)?,
            oldest_order: r.get(5)?,
        })
    })
}

/// A token that changes whenever the cases can change (files loaded, subject decisions),
/// so a front end may keep cases it worked out for the same token.
pub fn data_version(store: &Store) -> anyhow::Result<String> {
    store
        .conn()
        .query_row(queries::CONSOLE_DATA_VERSION, [], |r| r.get(0))
        .map_err(|e| anyhow::anyhow!("cannot read the data version: {e}"))
}

/// One stored work order, as a case's page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredOrder {
    pub order_id: String,
    pub received_at: chrono::NaiveDateTime,
    pub channel: String,
    pub street: String,
    pub community: String,
    pub handler_unit: String,
    pub status: String,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub caller_name: String,
    pub caller_phone: String,
    pub content: String,
    pub address: String,
}

/// Fills the temporary id table the console's queries join.
fn load_ids(store: &Store, ids: &[String]) -> duckdb::Result<()> {
    store.conn().execute_batch(queries::CONSOLE_ORDER_IDS)?;
    let mut app = store
        .conn()
        .appender_to_catalog_and_db("console_order_ids", "temp", "main")?;
    for id in ids {
        app.append_row(duckdb::params![id])?;
    }
    app.flush()
}

/// Stored orders by time, as `sql` (case_orders.sql, case_orders_by_row.sql) reads them,
/// each with the id the query expected where it found it (its own where it read by id).
fn read_orders(
    store: &Store,
    sql: &str,
    parameters: impl duckdb::Params,
) -> duckdb::Result<Vec<(StoredOrder, String)>> {
    let mut stmt = store.conn().prepare(sql)?;
    let rows = stmt.query_map(parameters, |r| {
        let order = StoredOrder {
            order_id: r.get(0)?,
            received_at: r.get(1)?,
            channel: r.get(2)?,
            street: r.get(3)?,
            community: r.get(4)?,
            handler_unit: r.get(5)?,
            status: r.get(6)?,
            closed_at: r.get(7)?,
            caller_name: r.get(8)?,
            caller_phone: r.get(9)?,
            content: r.get(10)?,
            address: r.get(11)?,
        };
        Ok((order, r.get(12)?))
    })?;
    rows.collect()
}

/// The stored orders of `members` (a subject's, read from the subjects map), by time, each
/// with its member.
pub fn orders_of_members(
    store: &Store,
    members: Vec<crate::subjects::decide::Member>,
) -> duckdb::Result<Vec<(StoredOrder, crate::subjects::decide::Member)>> {
    let (Some(from), Some(to)) = (
        members.iter().map(|m| m.received_at).min(),
        members.iter().map(|m| m.received_at).max(),
    ) else {
        return Ok(Vec::new());
    };
    let ids: Vec<String> = members.iter().map(|m| m.order_id.clone()).collect();
    load_ids(store, &ids)?;
    let found = read_orders(
        store,
        queries::CONSOLE_CASE_ORDERS,
        duckdb::params![from, to],
    )?;
    Ok(paired(found, members))
}

/// Each order found with its member, by the order's id; an order without one is left out.
fn paired(
    found: Vec<(StoredOrder, String)>,
    members: Vec<crate::subjects::decide::Member>,
) -> Vec<(StoredOrder, crate::subjects::decide::Member)> {
    let mut members: std::collections::HashMap<String, crate::subjects::decide::Member> = members
        .into_iter()
        .map(|m| (m.order_id.clone(), m))
        .collect();
    found
        .into_iter()
        .map(|(o, _)| o)
        .filter_map(|o| members.remove(&o.order_id).map(|m| (o, m)))
        .collect()
}

/// The street and handling unit (承办单位) of each order id given (a case's first order),
/// for filters and named leads.
pub fn order_places(
    store: &Store,
    ids: &[String],
) -> anyhow::Result<std::collections::HashMap<String, (String, String)>> {
    let read = || -> duckdb::Result<std::collections::HashMap<String, (String, String)>> {
        load_ids(store, ids)?;
        let mut stmt = store.conn().prepare(queries::CONSOLE_CASE_PLACES)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        rows.collect()
    };
    read().map_err(|e| anyhow::anyhow!("cannot read the cases' streets: {e}"))
}

/// How many of a case's callers its page lists (the most frequent).
pub const CALLERS_SHOWN: usize = 50;

/// What a case's page shows from the database, read over one connection.
pub struct CaseDetail {
    /// The orders shown, by time, each with why it is in the case.
    pub orders: Vec<(StoredOrder, crate::subjects::decide::Member)>,
    /// Each normalized address among all the case's orders, why it is in the case (as for
    /// its earliest order) and how many orders wrote it.
    pub variants: Vec<(crate::subjects::decide::Member, usize)>,
    /// The handling record, oldest first.
    pub handling: Vec<crate::handling::HandlingEntry>,
    /// Who made the complaints (all the case's orders): the `CALLERS_SHOWN` with most
    /// complaints and the figures of all; None when `[callers]` is off.
    pub callers: Option<crate::callers::CaseCallerList>,
}

/// A case's page: its orders as of `as_of` (the episode `episode` of its first order
/// `case_id`, of the subject `subject_key`), `shown` of them: (skip, take) the latest
/// `take` after the latest `skip` (all when None),
/// with why each is in the case, how its place was written across all of them, who called,
/// and its handling record. The orders come from the analysis's stored facts, so nothing
/// is worked out for every order, and why an order is in the case is read from its place in
/// the subjects map.
pub fn case_detail(
    store: &Store,
    config: &Config,
    case_id: &str,
    subject_key: &str,
    episode: Episode,
    as_of: AsOf,
    shown: Option<(usize, usize)>,
) -> anyhow::Result<CaseDetail> {
    use crate::subjects::decide::Member;
    crate::analysis::ensure_facts(store, config)?;
    let fuzzy = config.subjects.matching == crate::config::Matching::Fuzzy;
    type Read = (
        Vec<(StoredOrder, Member)>,
        Vec<(Member, usize)>,
        Option<crate::callers::CaseCallerList>,
    );
    let t0 = std::time::Instant::now();
    let read = || -> duckdb::Result<Read> {
        let variants_of = |episode: Episode| -> duckdb::Result<Vec<(Member, usize)>> {
            store.conn().execute(
                queries::CONSOLE_CASE_ORDERS_OF,
                duckdb::params![episode.sid, episode.episode_no, as_of.0],
            )?;
            tracing::debug!(elapsed = ?t0.elapsed(), "case page: orders");
            let mut stmt = store.conn().prepare(queries::CONSOLE_CASE_VARIANTS)?;
            let variants = stmt
                .query_map(duckdb::params![subject_key, fuzzy], |r| {
                    Ok((Member::read(r)?, r.get::<_, i64>(11)? as usize))
                })?
                .collect::<duckdb::Result<Vec<_>>>()?;
            tracing::debug!(elapsed = ?t0.elapsed(), "case page: variants");
            Ok(variants)
        };
        // The earliest order of all (the first of some spelling) must be the case's own: if
        // the facts were made again since the episode was found, find it again by the id.
        let opens = |variants: &[(Member, usize)]| {
            variants
                .iter()
                .map(|(m, _)| (m.received_at, m.order_id.as_str()))
                .min()
                .is_some_and(|(_, id)| id == case_id)
        };
        let mut variants = variants_of(episode)?;
        if !opens(&variants) {
            let found = store
                .conn()
                .query_row(queries::CONSOLE_CASE_EPISODE, [case_id], |r| {
                    Episode::read(r, 0)
                });
            match found {
                Ok(episode) => variants = variants_of(episode)?,
                Err(duckdb::Error::QueryReturnedNoRows) => {}
                Err(e) => return Err(e),
            }
        }
        let callers = if config.callers.enabled {
            Some(crate::callers::of_case_orders(store, CALLERS_SHOWN)?)
        } else {
            None
        };
        let (skip, limit) = shown.map_or((0, i64::MAX), |(skip, n)| (skip as i64, n as i64));
        let members: Vec<Member> = store
            .conn()
            .prepare(queries::CONSOLE_CASE_MEMBERS)?
            .query_map(
                duckdb::params![subject_key, fuzzy, limit, skip],
                Member::read_placed,
            )?
            .collect::<duckdb::Result<_>>()?;
        if members.is_empty() {
            return Ok((Vec::new(), variants, callers));
        }
        tracing::debug!(elapsed = ?t0.elapsed(), "case page: members");
        store
            .conn()
            .execute(queries::CONSOLE_CASE_SHOWN_ROWS, [limit, skip])?;
        let found = read_orders(store, queries::CONSOLE_CASE_ORDERS_BY_ROW, [])?;
        if found.len() != members.len() || found.iter().any(|(o, expected)| o.order_id != *expected)
        {
            // Not where the facts said: read them by id.
            return Ok((orders_of_members(store, members)?, variants, callers));
        }
        Ok((paired(found, members), variants, callers))
    };
    let (orders, variants, callers) =
        read().map_err(|e| anyhow::anyhow!("cannot read the case's orders: {e}"))?;
    tracing::debug!(elapsed = ?t0.elapsed(), "case page read");
    Ok(CaseDetail {
        orders,
        variants,
        callers,
        handling: crate::handling::of_case(store, case_id)?,
    })
}
