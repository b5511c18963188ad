//! Admin alerts: a job that failed, a message unsent for more than
//! delivery.stuck_after_hours, a weekly or monthly report that should exist by now and does
//! not. Each is e-mailed once to recipients.admin (through the outbox, keyed so it is never
//! repeated) and listed by `status` while it holds.

use chrono::{NaiveDateTime, TimeZone};
use duckdb::params;

use super::compose::{compose, Content};
use super::outbox::{self, Key, Queued};
use super::Mailer;
use crate::codes::JobName;
use crate::config::{parse_cron, Config};
use crate::history;
use crate::period::Period;
use crate::queries;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Unique: the outbox period of its message.
    pub key: String,
    /// What is wrong, in Chinese.
    pub text: String,
    /// The technical detail (an error as the library or the mail server wrote it), if any.
    pub detail: Option<String>,
    /// What to mark once the admin has been told.
    mark: Mark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Run(i64),
    Message(i64),
    Nothing,
}

/// The period a scheduled report job is due for at `now`: the one of its latest scheduled
/// instant, with that instant.
pub fn due_period(
    config: &Config,
    job: JobName,
    now: NaiveDateTime,
) -> Option<(Period, NaiveDateTime)> {
    // Only the jobs that make a report are due for a period.
    Period::due_for(job, now)?;
    let cron = parse_cron(config.schedule.cron_of(job)).ok()?;
    let tz = config.tz();
    let now = tz.from_local_datetime(&now).earliest()?;
    let instant = cron
        .find_previous_occurrence(&now, true)
        .ok()?
        .naive_local();
    Some((Period::due_for(job, instant)?, instant))
}

/// A failed run in words: `任务“周报”（2025-W05）于2025年2月3日 09:00运行失败。` (no
/// brackets for a job without a period).
fn job_failed(job: &str, period: &str, started: &str) -> String {
    let period = if period.is_empty() {
        String::new()
    } else {
        format!("（{period}）")
    };
    format!(
        "任务“{}”{period}于{started}运行失败。",
        crate::codes::label_of::<JobName>(job)
    )
}

/// What is wrong now (for `status`), and what the admin has not been told yet (`fresh`).
pub fn collect(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
) -> duckdb::Result<(Vec<Alert>, Vec<Alert>)> {
    let mut all = Vec::new();
    let mut fresh = Vec::new();
    // Jobs whose latest run failed; the unalerted failures are fresh.
    for run in history::latest(store)? {
        if run.outcome == "failed" {
            all.push(Alert {
                key: format!("job-failed/{}", run.job),
                text: job_failed(
                    &run.job,
                    run.period.as_deref().unwrap_or_default(),
                    &crate::period::zh_datetime(run.started_at),
                ),
                detail: run.error.clone().filter(|e| !e.is_empty()),
                mark: Mark::Nothing,
            });
        }
    }
    for run in history::failed_unalerted(store)? {
        fresh.push(Alert {
            key: format!("job-failed/{}", run.run_id),
            text: job_failed(
                &run.job,
                &run.period,
                &crate::period::zh_stored(&run.started),
            ),
            detail: (!run.error.is_empty()).then(|| run.error.clone()),
            mark: Mark::Run(run.run_id),
        });
    }
    // Messages stuck in the outbox: listed while they stay unsent, told once; and alerts
    // that could not be sent, listed (mail cannot tell of them).
    let stuck_before = now - chrono::Duration::hours(i64::from(config.delivery.stuck_after_hours));
    let mut stmt = store.conn().prepare(queries::OUTBOX_UNSENT_LISTED)?;
    type Unsent = (i64, String, String, String, i64, String, String, bool);
    let unsent: Vec<Unsent> = stmt
        .query_map(params![stuck_before], |r| r.try_into())?
        .collect::<Result<_, _>>()?;
    for (id, kind, period, recipient, attempts, error, queued, to_tell) in unsent {
        let text = if kind == "alert" {
            format!("给管理员的告警（{period}）发往 {recipient} 未能发出，已尝试 {attempts} 次。")
        } else {
            format!(
                "{}（{period}）发往 {recipient}，自{}起仍未发出，已尝试 {attempts} 次。",
                crate::codes::label_of::<crate::codes::MessageKind>(&kind),
                crate::period::zh_stored(&queued)
            )
        };
        let alert = Alert {
            key: format!("stuck/{id}"),
            text,
            detail: (!error.is_empty()).then_some(error),
            mark: Mark::Message(id),
        };
        if to_tell {
            fresh.push(alert.clone());
        }
        all.push(alert);
    }
    // Scheduled reports that should exist by now.
    let in_service = history::latest(store)?.iter().map(|r| r.started_at).min();
    if let Some(first_run) = in_service {
        let grace = chrono::Duration::hours(i64::from(config.delivery.missing_after_hours));
        for job in [JobName::Weekly, JobName::Monthly] {
            let Some((period, instant)) = due_period(config, job, now - grace) else {
                continue;
            };
            if instant < first_run || history::last_ok(store, job, &period.stem())?.is_some() {
                continue;
            }
            let alert = Alert {
                key: format!("missing/{job}/{}", period.stem()),
                text: format!(
                    "{}{}应于{}生成并发送，至今没有成功的运行记录。",
                    job.label(),
                    period.label(),
                    crate::period::zh_datetime(instant)
                ),
                detail: None,
                mark: Mark::Nothing,
            };
            all.push(alert.clone());
            fresh.push(alert);
        }
    }
    Ok((all, fresh))
}

/// E-mails the admin about every fresh alert (once each) and sends them; returns how many
/// were queued.
pub fn raise(
    store: &Store,
    config: &Config,
    mailer: &Mailer,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let (_, fresh) = collect(store, config, now)?;
    let Some(admin) = &config.recipients.admin else {
        for alert in &fresh {
            tracing::warn!(
                "alert (no recipients.admin to tell): {} {}",
                alert.text,
                alert.detail.as_deref().unwrap_or_default()
            );
        }
        return Ok(0);
    };
    let to: lettre::message::Mailbox = admin.parse()?;
    let mut ids = Vec::new();
    for alert in fresh {
        let content = Content {
            subject: format!("【告警】{} {}", config.squad.name, alert_title(&alert.key)),
            html: format!(
                "<p>{}</p>{}<p>请登录服务器运行 <code>hotline-ledger status</code> 查看详情。</p>",
                html_escape(&alert.text),
                alert
                    .detail
                    .as_deref()
                    .map(|d| format!("<p>技术细节：<code>{}</code></p>", html_escape(d)))
                    .unwrap_or_default()
            ),
            text: format!(
                "{}\n{}\n请登录服务器运行 hotline-ledger status 查看详情。\n",
                alert.text,
                alert
                    .detail
                    .as_deref()
                    .map(|d| format!("技术细节：{d}\n"))
                    .unwrap_or_default()
            ),
            attachments: Vec::new(),
        };
        let bytes = compose(&mailer.from, &to, &content)?;
        let key = Key {
            kind: "alert".into(),
            period: alert.key.clone(),
            recipient: to.email.to_string(),
            preview: false,
        };
        if let Queued::New(id) =
            outbox::queue(store, &key, false, &content.subject, &bytes, now, None)?
        {
            ids.push(id);
        }
        match alert.mark {
            Mark::Run(run_id) => history::mark_alerted(store, run_id, now)?,
            Mark::Message(id) => {
                store
                    .conn()
                    .execute(queries::OUTBOX_MARK_ALERTED, params![id, now])?;
            }
            Mark::Nothing => {}
        }
    }
    if !ids.is_empty() {
        outbox::send_due(store, config, mailer, now, true, Some(&ids))?;
    }
    Ok(ids.len())
}

fn alert_title(key: &str) -> &'static str {
    if key.starts_with("job-failed") {
        "任务运行失败"
    } else if key.starts_with("stuck") {
        "邮件长时间未能发出"
    } else {
        "报告未按时生成"
    }
}

pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
