//! The run history: every job run (scheduled, caught up or by hand) with its period,
//! times, outcome, files written and messages queued and sent. Catch-up and `status` read
//! it; the scheduler's own memory is not trusted across restarts.

use chrono::NaiveDateTime;
use duckdb::params;

use crate::codes::{JobName, RunOutcome};
pub use crate::codes::{Scope, Trigger};
use crate::queries;
use crate::store::Store;

/// How a run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ending {
    pub ok: bool,
    pub files: Vec<String>,
    pub queued: usize,
    pub sent: usize,
    pub error: Option<String>,
}

/// Records the start of a run; returns its id.
pub fn start(
    store: &Store,
    job: JobName,
    period: Option<&str>,
    trigger: Trigger,
    scope: Scope,
    now: NaiveDateTime,
) -> duckdb::Result<i64> {
    store.conn().query_row(
        queries::HISTORY_START,
        params![job.as_str(), period, trigger.as_str(), now, scope.as_str()],
        |r| r.get(0),
    )
}

/// Records how a run ended.
pub fn finish(
    store: &Store,
    run_id: i64,
    now: NaiveDateTime,
    ending: &Ending,
) -> duckdb::Result<()> {
    store.conn().execute(
        queries::HISTORY_FINISH,
        params![
            run_id,
            now,
            if ending.ok {
                RunOutcome::Ok
            } else {
                RunOutcome::Failed
            }
            .as_str(),
            ending.files.join("\n"),
            ending.queued as i64,
            ending.sent as i64,
            ending.error.as_deref()
        ],
    )?;
    Ok(())
}

/// When a job last succeeded for a period, if it has.
pub fn last_ok(store: &Store, job: JobName, period: &str) -> duckdb::Result<Option<String>> {
    let mut stmt = store.conn().prepare(queries::HISTORY_LAST_OK)?;
    let mut rows = stmt.query(params![job.as_str(), period])?;
    Ok(match rows.next()? {
        Some(r) => Some(r.get(1)?),
        None => None,
    })
}

/// One run of a job, as recorded: what `status`, the alerts and the console's run history
/// all read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    pub run_id: i64,
    pub job: String,
    pub period: Option<String>,
    pub trigger: String,
    pub scope: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub outcome: String,
    /// The files written, one per line.
    pub files: Option<String>,
    pub queued: i64,
    pub sent: i64,
    pub error: Option<String>,
}

impl Run {
    fn read(r: &duckdb::Row<'_>) -> duckdb::Result<Run> {
        Ok(Run {
            run_id: r.get(0)?,
            job: r.get(1)?,
            period: r.get(2)?,
            trigger: r.get(3)?,
            scope: r.get(4)?,
            started_at: r.get(5)?,
            finished_at: r.get(6)?,
            outcome: r.get(7)?,
            files: r.get(8)?,
            queued: r.get(9)?,
            sent: r.get(10)?,
            error: r.get(11)?,
        })
    }
}

/// The latest run of every job, by job name.
pub fn latest(store: &Store) -> duckdb::Result<Vec<Run>> {
    let mut stmt = store.conn().prepare(queries::HISTORY_LATEST)?;
    let rows = stmt.query_map([], Run::read)?;
    rows.collect()
}

/// The latest `limit` runs, newest first.
pub fn recent(store: &Store, limit: i64) -> duckdb::Result<Vec<Run>> {
    let mut stmt = store.conn().prepare(queries::HISTORY_RECENT)?;
    let rows = stmt.query_map(params![limit], Run::read)?;
    rows.collect()
}

/// A failed run the admin has not been told about.
#[derive(Debug, Clone)]
pub struct FailedRun {
    pub run_id: i64,
    pub job: String,
    pub period: String,
    pub started: String,
    pub error: String,
}

pub fn failed_unalerted(store: &Store) -> duckdb::Result<Vec<FailedRun>> {
    let mut stmt = store.conn().prepare(queries::HISTORY_FAILED_UNALERTED)?;
    let rows = stmt.query_map([], |r| {
        Ok(FailedRun {
            run_id: r.get(0)?,
            job: r.get(1)?,
            period: r.get(2)?,
            started: r.get(3)?,
            error: r.get(4)?,
        })
    })?;
    rows.collect()
}

pub fn mark_alerted(store: &Store, run_id: i64, now: NaiveDateTime) -> duckdb::Result<()> {
    store
        .conn()
        .execute(queries::HISTORY_MARK_ALERTED, params![run_id, now])?;
    Ok(())
}
