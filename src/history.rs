//! The run history: every job run (scheduled, caught up or by hand) with its period,
//! times, outcome, files written and messages queued and sent. Catch-up and `status` read
//! it; the scheduler's own memory is not trusted across restarts.

use chrono::NaiveDateTime;
use duckdb::params;

use crate::codes::JobName;
use crate::queries;
use crate::store::Store;

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    CatchUp,
    Manual,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::CatchUp => "catch-up",
            Trigger::Manual => "manual",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ending {
    pub ok: bool,
    pub files: Vec<String>,
    pub queued: usize,
    pub sent: usize,
    pub error: Option<String>,
}

/// What a run was for: only a whole run stands for a period's scheduled job being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The job as scheduled (for a report: sent to its configured recipients).
    Whole,
    /// A report made as a file only.
    File,
    /// A report sent to the admin as a preview.
    Preview,
    /// A report sent to addresses other than its configured recipients.
    Others,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Whole => "whole",
            Scope::File => "file",
            Scope::Preview => "preview",
            Scope::Others => "others",
        }
    }
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
            if ending.ok { "ok" } else { "failed" },
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

/// The latest run of a job.
#[derive(Debug, Clone)]
pub struct LastRun {
    pub job: String,
    pub period: Option<String>,
    pub trigger: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub outcome: String,
    pub files: String,
    pub queued: i64,
    pub sent: i64,
    pub error: Option<String>,
}

pub fn latest(store: &Store) -> duckdb::Result<Vec<LastRun>> {
    let mut stmt = store.conn().prepare(queries::HISTORY_LATEST)?;
    let rows = stmt.query_map([], |r| {
        Ok(LastRun {
            job: r.get(0)?,
            period: r.get(1)?,
            trigger: r.get(2)?,
            started_at: r.get(3)?,
            finished_at: r.get(4)?,
            outcome: r.get(5)?,
            files: r.get(6)?,
            queued: r.get(7)?,
            sent: r.get(8)?,
            error: r.get(9)?,
        })
    })?;
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

/// One run of a job, for the run history page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunRecord {
    pub run_id: i64,
    pub job: String,
    pub period: String,
    pub trigger: String,
    pub scope: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub outcome: String,
    pub queued: i64,
    pub sent: i64,
    pub error: String,
}

/// The latest `limit` runs, newest first, for the run history page.
pub fn recent_runs(store: &Store, limit: i64) -> duckdb::Result<Vec<RunRecord>> {
    let mut stmt = store.conn().prepare(queries::CONSOLE_RUNS)?;
    let rows = stmt.query_map(params![limit], |r| {
        Ok(RunRecord {
            run_id: r.get(0)?,
            job: r.get(1)?,
            period: r.get(2)?,
            trigger: r.get(3)?,
            scope: r.get(4)?,
            started_at: r.get(5)?,
            finished_at: r.get(6)?,
            outcome: r.get(7)?,
            queued: r.get(8)?,
            sent: r.get(9)?,
            error: r.get(10)?,
        })
    })?;
    rows.collect()
}
