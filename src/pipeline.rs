//! The jobs, each run end to end by one function and recorded in the run history: the CLI
//! and the scheduler call the same functions, so a report that works by hand works on
//! schedule. Each job holds the database only while it runs.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Datelike;
use minijinja::value::Value as JValue;

use crate::archive;
use crate::clock;
use crate::config::Config;
use crate::deliver::compose::{base64_size, compose, AttachmentFile, Content};
use crate::deliver::outbox::{self, Key, Queued};
use crate::deliver::{alerts, Mailer};
use crate::history::{self, Ending, Trigger};
use crate::report::build::{display, tier_colors};
use crate::report::data::Value;
use crate::report::period::Period;
use crate::report::{self, Kind, Window, Written};
use crate::store::Store;

/// Whether and to whom a report job sends its messages.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    pub send: bool,
    /// Instead of the configured recipients.
    pub to: Option<Vec<String>>,
    /// To the admin only, marked as a preview.
    pub preview: bool,
    /// Send again to recipients who already have it.
    pub force: bool,
}

impl Delivery {
    /// What a scheduled run does: send to the configured recipients.
    pub fn scheduled() -> Delivery {
        Delivery {
            send: true,
            ..Delivery::default()
        }
    }
}

/// A report job.
#[derive(Debug, Clone)]
pub enum ReportJob {
    /// 周报 for a week.
    Weekly(Period),
    /// 月度复盘 and the month's 台账, archived.
    Monthly(Period),
    /// A 台账 on its own (archived when it is a whole month's and is sent).
    Ledger(Window),
}

impl ReportJob {
    pub fn name(&self) -> &'static str {
        match self {
            ReportJob::Weekly(_) => "weekly",
            ReportJob::Monthly(_) => "monthly",
            ReportJob::Ledger(_) => "ledger",
        }
    }

    pub fn period(&self) -> String {
        match self {
            ReportJob::Weekly(p) | ReportJob::Monthly(p) => p.stem(),
            ReportJob::Ledger(w) => w.stem.clone(),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            ReportJob::Weekly(_) => "周报",
            ReportJob::Monthly(_) => "月度复盘",
            ReportJob::Ledger(_) => "台账",
        }
    }
}

/// What a job did, for the person or the log.
#[derive(Debug, Clone, Default)]
pub struct JobOutcome {
    pub run_id: i64,
    pub ok: bool,
    pub lines: Vec<String>,
    pub files: Vec<PathBuf>,
    pub queued: usize,
    pub sent: usize,
}

/// Runs `work` as a recorded job: the run history gets its start, end, outcome, files and
/// messages; a failure is recorded (and the admin alerted) before it is returned.
fn recorded<F>(
    config: &Config,
    job: &str,
    period: Option<&str>,
    trigger: Trigger,
    work: F,
) -> anyhow::Result<JobOutcome>
where
    F: FnOnce(&Store, i64, &mut JobOutcome) -> anyhow::Result<()>,
{
    let store = Store::open(config)?;
    let run_id = history::start(&store, job, period, trigger, clock::now(config))?;
    let mut outcome = JobOutcome {
        run_id,
        ..JobOutcome::default()
    };
    let result = work(&store, run_id, &mut outcome);
    let error = match &result {
        Ok(()) if outcome.ok => None,
        Ok(()) => Some(outcome.lines.last().cloned().unwrap_or_default()),
        Err(e) => Some(format!("{e:#}")),
    };
    let ending = Ending {
        ok: error.is_none(),
        files: outcome
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        queued: outcome.queued,
        sent: outcome.sent,
        error: error.clone(),
    };
    history::finish(&store, run_id, clock::now(config), &ending)?;
    if error.is_some() {
        if let Ok(mailer) = Mailer::from_config(config) {
            if let Err(e) = alerts::raise(&store, config, &mailer, clock::now(config)) {
                tracing::warn!("cannot alert the admin: {e:#}");
            }
        }
    }
    result.map(|_| outcome)
}

/// Makes a report job's PDFs, archives the month's record, and sends the messages.
pub fn report_job(
    config: &Config,
    job: &ReportJob,
    trigger: Trigger,
    delivery: &Delivery,
    options: report::Options,
) -> anyhow::Result<JobOutcome> {
    let period = job.period();
    recorded(
        config,
        job.name(),
        Some(&period),
        trigger,
        |store, run_id, out| {
            let mut docs: Vec<Written> = Vec::new();
            match job {
                ReportJob::Weekly(p) => {
                    docs.push(report::run_report(
                        store,
                        config,
                        Kind::Weekly,
                        &Window::week(*p),
                        options,
                    )?);
                }
                ReportJob::Monthly(p) => {
                    for kind in [Kind::Monthly, Kind::Ledger] {
                        docs.push(report::run_report(
                            store,
                            config,
                            kind,
                            &Window::month(*p),
                            options,
                        )?);
                    }
                }
                ReportJob::Ledger(w) => {
                    docs.push(report::run_report(store, config, Kind::Ledger, w, options)?);
                }
            }
            for d in &docs {
                out.files.push(d.path.clone());
                out.lines.push(crate::command::report::describe(d));
            }
            let month = match job {
                ReportJob::Monthly(p) => Some(*p),
                ReportJob::Ledger(w) => w.period,
                ReportJob::Weekly(_) => None,
            };
            if let (Some(month), true) = (month, delivery.send && !delivery.preview) {
                let reason = match trigger {
                    Trigger::Schedule => "scheduled monthly run".to_string(),
                    Trigger::CatchUp => "caught up at daemon start".to_string(),
                    Trigger::Manual => format!("rerun by an admin ({} --send)", job.name()),
                };
                for d in &docs {
                    let kept = archive::keep(
                        &config.archive_dir(),
                        &d.document.file_name,
                        &d.document.bytes,
                        &archive::Record {
                            report: d.document.kind.name(),
                            period: &month.stem(),
                            year: month.first_day().year(),
                            reason: &reason,
                            made_at: clock::now(config),
                        },
                    )?;
                    out.lines.push(if kept.new {
                        format!("archived as {}", kept.path.display())
                    } else {
                        format!("already archived, unchanged: {}", kept.path.display())
                    });
                    if kept.new {
                        out.files.push(kept.path);
                    }
                }
            }
            if delivery.send {
                send_report(store, config, job, &docs, delivery, run_id, out)?;
            }
            out.ok = true;
            Ok(())
        },
    )
}

fn recipients(
    config: &Config,
    job: &ReportJob,
    delivery: &Delivery,
) -> anyhow::Result<Vec<String>> {
    if delivery.preview {
        return config
            .recipients
            .admin
            .clone()
            .map(|a| vec![a])
            .ok_or_else(|| {
                anyhow::anyhow!("--preview sends to the admin: set recipients.admin in the config")
            });
    }
    if let Some(to) = &delivery.to {
        for a in to {
            a.parse::<lettre::message::Mailbox>()
                .map_err(|e| anyhow::anyhow!("--to {a}: not an e-mail address ({e})"))?;
        }
        return Ok(to.clone());
    }
    let r = &config.recipients;
    Ok(match job {
        ReportJob::Weekly(_) => r.weekly.clone(),
        ReportJob::Monthly(_) => r.monthly.clone(),
        ReportJob::Ledger(_) if r.ledger.is_empty() => r.monthly.clone(),
        ReportJob::Ledger(_) => r.ledger.clone(),
    })
}

fn send_report(
    store: &Store,
    config: &Config,
    job: &ReportJob,
    docs: &[Written],
    delivery: &Delivery,
    run_id: i64,
    out: &mut JobOutcome,
) -> anyhow::Result<()> {
    let to = recipients(config, job, delivery)?;
    if to.is_empty() {
        out.lines.push(format!(
            "no recipients for {} reports (recipients.{}): nothing sent",
            job.name(),
            job.name()
        ));
        return Ok(());
    }
    let mailer = Mailer::from_config(config)?;
    let content = message_content(config, job, docs, delivery.preview)?;
    let now = clock::now(config);
    let mut new_ids = Vec::new();
    for recipient in &to {
        let mailbox: lettre::message::Mailbox = recipient.parse()?;
        let bytes = compose(&mailer.from, &mailbox, &content).map_err(anyhow::Error::msg)?;
        let key = Key {
            kind: job.name().into(),
            period: job.period(),
            recipient: mailbox.email.to_string(),
            preview: delivery.preview,
        };
        match outbox::queue(
            store,
            &key,
            delivery.force,
            &content.subject,
            &bytes,
            now,
            Some(run_id),
        )? {
            Queued::New(id) => new_ids.push(id),
            Queued::AlreadySent(when) => out.lines.push(format!(
                "{recipient}: already sent on {when}, not sent again (--force to resend)"
            )),
            Queued::AlreadyQueued(id) => out.lines.push(format!(
                "{recipient}: already waiting in the outbox (message {id})"
            )),
        }
    }
    out.queued += new_ids.len();
    if new_ids.is_empty() {
        return Ok(());
    }
    let sent = outbox::send_due(store, config, &mailer, now, true, Some(&new_ids))?;
    out.sent += sent.delivered.len();
    for (_, recipient, what) in &sent.delivered {
        out.lines.push(format!("{recipient}: {what}"));
    }
    for (id, recipient, error) in &sent.failed {
        out.lines.push(format!(
            "{recipient}: not sent yet ({error}); message {id} stays queued and will be retried"
        ));
    }
    Ok(())
}

/// The template text of the mail bodies: report-templates/mail.* or the built-in copies.
fn mail_template(config: &Config, name: &str, builtin: &'static str) -> anyhow::Result<String> {
    let path = config.templates_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(builtin.to_string()),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

fn message_content(
    config: &Config,
    job: &ReportJob,
    docs: &[Written],
    preview: bool,
) -> anyhow::Result<Content> {
    let main = &docs[0].document;
    let title = main.title.clone();
    let period_long = main
        .context
        .get("period_long")
        .map(|v| v.as_text().to_string())
        .unwrap_or_default();
    let mut subject = format!("【{}】{} {}", job.label(), title, period_long);
    if preview {
        subject = format!("【预览】{subject}");
    }
    let values: BTreeMap<String, JValue> = main
        .context
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Value::Int(i) => JValue::from(*i),
                other => JValue::from(display(k, other, true)),
            };
            (k.clone(), shown)
        })
        .collect();
    let set = &main.active_cases;
    let cases: Vec<BTreeMap<&str, JValue>> = set
        .rows
        .iter()
        .map(|row| {
            let text = |f: &str| JValue::from(display(f, set.get(row, f), true));
            let tier = set.get(row, "tier").as_text().to_string();
            let color = match tier.as_str() {
                "red" => tier_colors(crate::analysis::Tier::Red).0,
                "yellow" => tier_colors(crate::analysis::Tier::Yellow).0,
                _ => tier_colors(crate::analysis::Tier::Green).0,
            };
            BTreeMap::from([
                ("case_id", text("case_id")),
                ("tier_label", text("tier")),
                (
                    "tier_color",
                    JValue::from(format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)),
                ),
                ("lead_label", text("lead_role")),
                ("category", text("category")),
                ("address", text("address")),
                ("count", text("count")),
                ("status_label", text("status")),
            ])
        })
        .collect();
    let attachments: Vec<AttachmentFile> = docs
        .iter()
        .map(|d| AttachmentFile {
            name: d.document.file_name.clone(),
            bytes: d.document.bytes.clone(),
        })
        .collect();
    let attachment_info: Vec<BTreeMap<&str, JValue>> = attachments
        .iter()
        .map(|a| {
            BTreeMap::from([
                ("name", JValue::from(a.name.clone())),
                ("kb", JValue::from(a.bytes.len().div_ceil(1024))),
            ])
        })
        .collect();
    let limit = (config.delivery.max_message_mb * 1024.0 * 1024.0) as usize;
    let encoded: usize = attachments.iter().map(|a| base64_size(a.bytes.len())).sum();
    let omitted = if encoded + 64 * 1024 > limit {
        let paths: Vec<String> = docs.iter().map(|d| d.path.display().to_string()).collect();
        Some(format!(
            "报告PDF编码后共{:.1} MB,超过邮件大小上限{} MB,本邮件未附PDF;报告已保存在服务器:{}。",
            encoded as f64 / 1024.0 / 1024.0,
            config.delivery.max_message_mb,
            paths.join("、")
        ))
    } else {
        None
    };
    let notices: Vec<String> = docs
        .iter()
        .flat_map(|d| d.document.notices.clone())
        .collect();
    let ctx = minijinja::context! {
        kind => job.name(),
        title => title,
        period_long => period_long,
        squad => config.squad.name.clone(),
        preview => preview,
        v => values,
        cases => cases,
        notices => notices,
        attachments => attachment_info,
        omitted => omitted.clone().unwrap_or_default(),
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    let html_src = mail_template(
        config,
        "mail.html",
        include_str!("../report-templates/mail.html"),
    )?;
    let text_src = mail_template(
        config,
        "mail.txt",
        include_str!("../report-templates/mail.txt"),
    )?;
    env.add_template_owned("mail.html", html_src)?;
    env.add_template_owned("mail.txt", text_src)?;
    let html = env.get_template("mail.html")?.render(&ctx)?;
    let text = env.get_template("mail.txt")?.render(&ctx)?;
    Ok(Content {
        subject,
        html,
        text,
        attachments: if omitted.is_some() {
            Vec::new()
        } else {
            attachments
        },
    })
}

/// Loads the inbox; a file that could not be used fails the job (so the admin hears of it).
pub fn inbox_job(config: &Config, trigger: Trigger) -> anyhow::Result<JobOutcome> {
    recorded(config, "inbox", None, trigger, |store, _, out| {
        let totals = crate::command::ingest::load_inbox(store, config)?;
        out.lines.push(format!(
            "{} loaded, {} already loaded, {} could not be used",
            totals.loaded, totals.already, totals.failed
        ));
        out.ok = totals.failed == 0;
        if !out.ok {
            out.lines.push(format!(
                "{} file(s) in the inbox could not be used: see {}",
                totals.failed,
                config.inbox_dir().join("failed").display()
            ));
        }
        Ok(())
    })
}

/// Retries the queued messages that are due (all with `all`) and raises admin alerts.
pub fn outbox_job(config: &Config, trigger: Trigger, all: bool) -> anyhow::Result<JobOutcome> {
    recorded(config, "outbox", None, trigger, |store, _, out| {
        let mailer = Mailer::from_config(config)?;
        let now = clock::now(config);
        let sent = outbox::send_due(store, config, &mailer, now, all, None)?;
        out.sent += sent.delivered.len();
        for (id, recipient, what) in &sent.delivered {
            out.lines
                .push(format!("message {id} to {recipient}: {what}"));
        }
        for (id, recipient, error) in &sent.failed {
            out.lines.push(format!(
                "message {id} to {recipient}: still failing: {error}"
            ));
        }
        let raised = alerts::raise(store, config, &mailer, now)?;
        if raised > 0 {
            out.lines
                .push(format!("{raised} alert(s) sent to the admin"));
        }
        out.ok = true;
        Ok(())
    })
}
