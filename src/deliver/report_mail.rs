//! A report's messages: the subject, the HTML and plain-text bodies (from
//! report-templates/mail.*) and the PDFs attached, queued in the outbox for each recipient
//! and sent at once. What the report says comes in as written documents; nothing here
//! queries the database for figures or lays out a page.

use std::collections::BTreeMap;

use minijinja::value::Value as JValue;

use super::compose::{base64_size, compose, AttachmentFile, Content};
use super::outbox::{self, Key, Queued};
use super::Mailer;
use crate::clock;
use crate::codes::{JobName, Tier};
use crate::config::Config;
use crate::report::build::{display, tier_colors};
use crate::report::data::{Value, LEAD_FIELD};
use crate::report::model::Rgb;
use crate::report::Written;
use crate::store::Store;

/// One report's messages to send.
pub struct ReportMail<'a> {
    pub job: JobName,
    /// `2025-W05`, `2025-01`, `2025-02-28`.
    pub period: &'a str,
    /// The report first, then what goes with it (the month's ledger).
    pub docs: &'a [Written],
    pub recipients: &'a [String],
    /// To the admin only, marked as a preview.
    pub preview: bool,
    /// Send again to recipients who already have it.
    pub force: bool,
    /// The run that sends it, recorded with each message.
    pub run_id: i64,
}

/// What became of a report's messages.
#[derive(Debug, Default)]
pub struct Sending {
    pub lines: Vec<String>,
    /// What became of the report for each recipient.
    pub each: Vec<(String, Delivery)>,
    pub queued: usize,
    pub sent: usize,
    /// Messages that could not be sent now (they stay queued for a retry).
    pub unsent: usize,
}

/// What became of a report for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Sent now (or written as a mail file).
    Delivered(super::Delivered),
    /// The recipient had it already, sent then: not sent again.
    AlreadySent(String),
    /// Already waiting in the outbox from an earlier run.
    Waiting,
    /// Could not be sent now (why): it stays queued and is retried.
    NotYet(String),
}

/// Queues one message per recipient (never a second for a recipient who has it, unless
/// forced) and sends the new ones now; a failed send stays queued for a retry.
pub fn send(store: &Store, config: &Config, mail: &ReportMail<'_>) -> anyhow::Result<Sending> {
    let mut out = Sending::default();
    let mailer = Mailer::from_config(config)?;
    let content = content(config, mail.job, mail.docs, mail.preview)?;
    let now = clock::now(config);
    let mut new_ids = Vec::new();
    for recipient in mail.recipients {
        let mailbox: lettre::message::Mailbox = recipient
            .parse()
            .map_err(|e| anyhow::anyhow!("{recipient}: not an e-mail address ({e})"))?;
        let bytes = compose(&mailer.from, &mailbox, &content)
            .map_err(|e| anyhow::anyhow!("cannot compose the message to {recipient}: {e}"))?;
        let key = Key {
            kind: mail.job.as_str().into(),
            period: mail.period.to_string(),
            recipient: mailbox.email.to_string(),
            preview: mail.preview,
        };
        match outbox::queue(
            store,
            &key,
            mail.force,
            &content.subject,
            &bytes,
            now,
            Some(mail.run_id),
        )? {
            Queued::New(id) => new_ids.push(id),
            Queued::AlreadySent(when) => {
                out.lines.push(format!(
                    "{recipient}: already sent on {when}, not sent again (--force to resend)"
                ));
                out.each
                    .push((recipient.clone(), Delivery::AlreadySent(when.to_string())));
            }
            Queued::AlreadyQueued(id) => {
                out.lines.push(format!(
                    "{recipient}: already waiting in the outbox (message {id})"
                ));
                out.each.push((recipient.clone(), Delivery::Waiting));
            }
        }
    }
    out.queued += new_ids.len();
    if new_ids.is_empty() {
        return Ok(out);
    }
    let sent = outbox::send_due(store, config, &mailer, now, true, Some(&new_ids))?;
    out.sent += sent.delivered.len();
    for (_, recipient, what) in &sent.delivered {
        out.lines.push(format!("{recipient}: {what}"));
        out.each
            .push((recipient.clone(), Delivery::Delivered(what.clone())));
    }
    out.unsent += sent.failed.len();
    for (id, recipient, error) in &sent.failed {
        out.lines.push(format!(
            "{recipient}: not sent yet ({error}); message {id} stays queued and will be retried"
        ));
        out.each
            .push((recipient.clone(), Delivery::NotYet(error.clone())));
    }
    Ok(out)
}

/// The message a report's recipients get: subject, bodies and attachments.
pub fn content(
    config: &Config,
    job: JobName,
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
            // An unknown tier is shown in grey rather than passed off as green.
            let color = match set.get(row, "tier").as_text().parse::<Tier>() {
                Ok(tier) => tier_colors(tier).0,
                Err(_) => Rgb(0x75, 0x75, 0x75),
            };
            BTreeMap::from([
                ("case_id", text("case_id")),
                ("tier_label", text("tier")),
                (
                    "tier_color",
                    JValue::from(format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)),
                ),
                (
                    "lead_label",
                    match set.get(row, LEAD_FIELD).as_text() {
                        "" => text("lead_role"),
                        named => JValue::from(named),
                    },
                ),
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
        kind => job.as_str(),
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
    let env =
        crate::report::template::message_env(&config.templates_dir(), &["mail.html", "mail.txt"])?;
    let html = env
        .get_template("mail.html")?
        .render(&ctx)
        .map_err(|e| anyhow::anyhow!("the mail template mail.html: {e}"))?;
    let text = env
        .get_template("mail.txt")?
        .render(&ctx)
        .map_err(|e| anyhow::anyhow!("the mail template mail.txt: {e}"))?;
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
