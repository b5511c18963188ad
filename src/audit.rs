//! The audit log of the console: every action (upload, handling note, merge or separate,
//! report made, previewed or sent, resend, unmask, login) with the user and the time.
//! Append-only: nothing here updates or deletes an entry.

use chrono::NaiveDateTime;
use duckdb::params;

use crate::queries;
use crate::store::Store;

/// One action taken in the console.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Appends an entry.
pub fn record(
    store: &Store,
    at: NaiveDateTime,
    user: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> duckdb::Result<()> {
    store.conn().execute(
        queries::AUDIT_INSERT,
        params![at, user, action, target, detail],
    )?;
    Ok(())
}

/// The latest `limit` entries, newest first.
pub fn recent(store: &Store, limit: i64) -> duckdb::Result<Vec<AuditEntry>> {
    let mut stmt = store.conn().prepare(queries::AUDIT_RECENT)?;
    let rows = stmt.query_map(params![limit], |row| {
        Ok(AuditEntry {
            id: row.get(0)?,
            at: row.get(1)?,
            user: row.get(2)?,
            action: row.get(3)?,
            target: row.get(4)?,
            detail: row.get(5)?,
        })
    })?;
    rows.collect()
}
