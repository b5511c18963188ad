//! `status`: the last run of each job, the next scheduled times, the outbox and the alerts.

use hotline_ledger::codes::JobName;
use hotline_ledger::config::Config;
use hotline_ledger::history;
use hotline_ledger::jobs;
use hotline_ledger::schedule;

use super::exit::Exit;
use super::table::Table;

/// Entry point of `status`.
pub fn run(config: &Config) -> anyhow::Result<Exit> {
    let activity = jobs::activity(config, 0, 10)?;
    match schedule::running_daemon(config) {
        Some(pid) => outln!("daemon: running (pid {pid})"),
        None => outln!("daemon: not running"),
    }
    outln!();
    let last = &activity.last;
    let mut jobs = Table::new([
        "job", "last run", "period", "trigger", "outcome", "sent", "next run", "schedule",
    ])
    .max_width(48);
    for (name, expr, next) in schedule::next_runs(config) {
        let run = last.iter().find(|r| r.job == name);
        jobs.push(vec![
            name.to_string(),
            run.map(|r| r.started_at.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| "never".into()),
            run.and_then(|r| r.period.clone()).unwrap_or_default(),
            run.map(|r| r.trigger.clone()).unwrap_or_default(),
            run.map(outcome).unwrap_or_default(),
            run.map(|r| format!("{}/{}", r.sent, r.queued))
                .unwrap_or_default(),
            next.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            expr,
        ]);
    }
    for r in last.iter().filter(|r| {
        !JobName::SCHEDULED
            .iter()
            .any(|j| j.as_str() == r.job.as_str())
    }) {
        jobs.push(vec![
            r.job.clone(),
            r.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            r.period.clone().unwrap_or_default(),
            r.trigger.clone(),
            outcome(r),
            format!("{}/{}", r.sent, r.queued),
            String::new(),
            "by hand".into(),
        ]);
    }
    out!("{}", jobs.render());
    outln!();
    let (queued, failing, sent) = activity.counts;
    outln!("outbox: {queued} queued ({failing} failed at least once), {sent} sent");
    let entries = activity.outbox;
    if !entries.is_empty() {
        let mut table = Table::new([
            "id",
            "report",
            "period",
            "recipient",
            "status",
            "attempts",
            "when",
            "last error",
        ])
        .max_width(50);
        for e in entries {
            table.push(vec![
                e.message_id.to_string(),
                if e.preview {
                    format!("{} (preview)", e.kind)
                } else {
                    e.kind
                },
                e.period,
                e.recipient,
                e.status.clone(),
                e.attempts.to_string(),
                if e.status == "sent" {
                    format!("sent {}", e.when)
                } else {
                    format!("next try {}", e.when)
                },
                e.last_error,
            ]);
        }
        out!("{}", table.render());
    }
    outln!();
    let current = activity.alerts;
    if current.is_empty() {
        outln!("alerts: none");
    } else {
        outln!("alerts:");
        for a in current {
            outln!("  ! {}", a.text);
            if let Some(detail) = a.detail {
                outln!("    {detail}");
            }
        }
    }
    Ok(Exit::Done)
}

/// A run's outcome as `status` shows it.
///
/// A run still marked running whose process has ended (killed, or the machine went down)
/// would show as running forever. A job holds the database while it runs, and this
/// command could open it: so no job is running in another process, and such a run was
/// interrupted.
fn outcome(run: &history::Run) -> String {
    match (run.outcome.as_str(), &run.error) {
        ("failed", Some(e)) => format!("failed: {e}"),
        ("running", _) => "interrupted (its process ended)".into(),
        _ => run.outcome.clone(),
    }
}
