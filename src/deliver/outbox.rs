//! The outbox: one row per (report, period, recipient). A message is recorded before it is
//! sent; a failed send stays queued and is retried with back-off, for that recipient only;
//! a recipient already served is never sent the same report again unless forced.

use chrono::NaiveDateTime;
use duckdb::params;

use super::Mailer;
use crate::config::Config;
use crate::queries;
use crate::store::Store;

/// The kind of the messages posted to the chat webhook (the others are mail).
pub const WEBHOOK_KIND: &str = "webhook";

/// Holds a queued message until `not_before` (the end of the quiet hours): it is not sent
/// earlier, even by `outbox retry --all`.
pub fn hold(store: &Store, message_id: i64, not_before: NaiveDateTime) -> duckdb::Result<()> {
    store
        .conn()
        .execute(queries::OUTBOX_HOLD, params![message_id, not_before])?;
    Ok(())
}

/// What a message is: the report (or alert), its period, the recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub kind: String,
    pub period: String,
    pub recipient: String,
    pub preview: bool,
}

impl Key {
    /// Names the .eml file of a message written to disk.
    fn stem(&self, forced: i64) -> String {
        let mut stem = format!("{}-{}-{}", self.period, self.kind, self.recipient);
        if self.preview {
            stem.push_str("-preview");
        }
        if forced > 0 {
            stem.push_str(&format!("-resend{forced}"));
        }
        stem
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    /// Recorded, to be sent.
    New(i64),
    /// Already sent to this recipient (at the given time): not again.
    AlreadySent(String),
    /// Already waiting in the outbox.
    AlreadyQueued(i64),
}

/// Records a message unless this recipient already has (or is about to get) it; `force`
/// records a new copy anyway.
/// Where a recipient's message stands, with the time as the database writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Sent(String),
    /// Waiting in the outbox since then.
    Waiting(String),
}

/// Where the message of `key` stands, if it was ever queued.
pub fn standing(store: &Store, key: &Key) -> duckdb::Result<Option<Standing>> {
    let mut stmt = store.conn().prepare(queries::OUTBOX_FIND)?;
    let mut rows = stmt.query(params![key.kind, key.period, key.recipient, key.preview])?;
    Ok(match rows.next()? {
        Some(r) if r.get::<_, String>(1)? == "sent" => Some(Standing::Sent(r.get(3)?)),
        Some(r) => Some(Standing::Waiting(r.get(3)?)),
        None => None,
    })
}

pub fn queue(
    store: &Store,
    key: &Key,
    force: bool,
    subject: &str,
    message: &[u8],
    now: NaiveDateTime,
    run_id: Option<i64>,
) -> duckdb::Result<Queued> {
    let mut stmt = store.conn().prepare(queries::OUTBOX_FIND)?;
    let existing: Vec<(i64, String, i64, String)> = stmt
        .query_map(
            params![key.kind, key.period, key.recipient, key.preview],
            |r| r.try_into(),
        )?
        .collect::<Result<_, _>>()?;
    let forced = match existing.first() {
        None => 0,
        Some((id, status, forced, when)) => {
            if !force {
                return Ok(if status == "sent" {
                    Queued::AlreadySent(when.clone())
                } else {
                    Queued::AlreadyQueued(*id)
                });
            }
            forced + 1
        }
    };
    let id: i64 = store.conn().query_row(
        queries::OUTBOX_INSERT,
        params![
            key.kind,
            key.period,
            key.recipient,
            key.preview,
            forced,
            subject,
            message,
            now,
            run_id
        ],
        |r| r.get(0),
    )?;
    Ok(Queued::New(id))
}

/// A send attempt's result.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// (message_id, recipient, what happened)
    pub delivered: Vec<(i64, String, super::Delivered)>,
    /// (message_id, recipient, error)
    pub failed: Vec<(i64, String, String)>,
    /// Chat messages held back by the platform's rate: (message_id, when they go).
    pub deferred: Vec<(i64, NaiveDateTime)>,
}

impl Sent {
    /// A line for each chat message held back by the platform's rate.
    pub fn deferred_lines(&self) -> Vec<String> {
        self.deferred
            .iter()
            .map(|(id, at)| {
                format!(
                    "chat message {id}: the bot takes {WEBHOOK_PER_MINUTE} messages a minute; it goes at {}",
                    at.format("%H:%M:%S")
                )
            })
            .collect()
    }
}

/// How many messages a chat bot takes a minute (WeCom and DingTalk both refuse more).
pub const WEBHOOK_PER_MINUTE: usize = 20;

/// Sends the queued messages that are due (all of them with `ignore_backoff`), or only
/// those in `only`. Each result is written back at once, so a crash loses at most the
/// record of the message in flight.
pub fn send_due(
    store: &Store,
    config: &Config,
    mailer: &Mailer,
    now: NaiveDateTime,
    ignore_backoff: bool,
    only: Option<&[i64]>,
) -> duckdb::Result<Sent> {
    let mut stmt = store.conn().prepare(queries::OUTBOX_DUE)?;
    type Row = (i64, String, String, String, bool, i64, String, Vec<u8>, i64);
    let due: Vec<Row> = stmt
        .query_map(params![now, ignore_backoff || only.is_some()], |r| {
            r.try_into()
        })?
        .collect::<Result<_, _>>()?;
    let mut result = Sent::default();
    // The chat messages of the last minute, to keep to the bot's rate.
    let minute = chrono::Duration::seconds(60);
    let mut posted: std::collections::VecDeque<NaiveDateTime> = {
        let mut stmt = store.conn().prepare(queries::OUTBOX_WEBHOOK_RECENT)?;
        let since = crate::clock::now(config) - minute;
        let rows = stmt.query_map(params![since], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, kind, period, recipient, preview, forced, _subject, message, attempts) in due {
        if only.is_some_and(|ids| !ids.contains(&id)) {
            continue;
        }
        if kind == WEBHOOK_KIND {
            let now = crate::clock::now(config);
            while posted.front().is_some_and(|t| *t <= now - minute) {
                posted.pop_front();
            }
            if posted.len() >= WEBHOOK_PER_MINUTE {
                // Not a failure: it waits (no attempt counted) for the minute to pass.
                let at = posted[posted.len() - WEBHOOK_PER_MINUTE] + minute;
                hold(store, id, at)?;
                result.deferred.push((id, at));
                continue;
            }
        }
        let key = Key {
            kind,
            period,
            recipient: recipient.clone(),
            preview,
        };
        // A chat message goes to the webhook; every other message is mail.
        let attempt = if key.kind == WEBHOOK_KIND {
            post_whole(store, config, id, &message)
        } else {
            let message = super::compose::dated(&message, crate::clock::now_zoned(config));
            mailer.send(&message, &recipient, &key.stem(forced))
        };
        match attempt {
            Ok(what) => {
                let at = crate::clock::now(config);
                store
                    .conn()
                    .execute(queries::OUTBOX_SENT, params![id, at])?;
                if key.kind == WEBHOOK_KIND {
                    posted.push_back(at);
                }
                tracing::info!(message_id = id, %recipient, "{what}");
                result.delivered.push((id, recipient, what));
            }
            Err(error) => {
                let error = error.to_string();
                let next = now + backoff(config, attempts);
                store
                    .conn()
                    .execute(queries::OUTBOX_FAILED, params![id, error, next])?;
                tracing::warn!(message_id = id, %recipient, "send failed: {error}");
                result.failed.push((id, recipient, error));
            }
        }
    }
    Ok(result)
}

/// Posts a recorded chat message, in parts when it is longer than the platform takes (see
/// `webhook::Split`): when a part fails, the parts not yet posted are what stays queued,
/// so a retry never posts a part twice.
fn post_whole(
    store: &Store,
    config: &Config,
    id: i64,
    message: &[u8],
) -> Result<super::Delivered, super::SendError> {
    let format = config.notify.webhook.as_ref().map(|hook| hook.format);
    let Some(split) = format.and_then(|f| super::webhook::Split::of(f, message)) else {
        return super::webhook::post(config, message).map(super::Delivered::Posted);
    };
    for (i, part) in split.parts.chunks(1).enumerate() {
        if let Err(error) = super::webhook::post(config, &split.body(part)) {
            if i > 0 {
                let rest = split.body(&split.parts[i..]);
                let kept = store
                    .conn()
                    .execute(queries::OUTBOX_REPLACE_MESSAGE, params![id, rest]);
                if let Err(e) = kept {
                    tracing::warn!(message_id = id, "cannot keep the parts not posted: {e}");
                }
            }
            return Err(error);
        }
    }
    Ok(super::Delivered::Posted(format!(
        "posted in {} parts, each within the platform's limit",
        split.parts.len()
    )))
}

/// The wait before the next attempt after `attempts` failed ones: doubling from
/// delivery.retry_initial_secs up to delivery.retry_max_secs.
pub fn backoff(config: &Config, attempts: i64) -> chrono::Duration {
    let d = &config.delivery;
    let factor = 2u64.saturating_pow(attempts.clamp(0, 30) as u32);
    let secs = (u64::from(d.retry_initial_secs))
        .saturating_mul(factor)
        .min(u64::from(d.retry_max_secs));
    chrono::Duration::seconds(secs as i64)
}

/// A row of the outbox for `status`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub message_id: i64,
    pub kind: String,
    pub period: String,
    pub recipient: String,
    pub preview: bool,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub queued_at: String,
    /// When it was sent, or when it is next tried.
    pub when: String,
}

pub fn entries(store: &Store, sent_limit: i64) -> duckdb::Result<Vec<Entry>> {
    let mut stmt = store.conn().prepare(queries::OUTBOX_SUMMARY)?;
    let rows = stmt.query_map(params![sent_limit], |r| {
        Ok(Entry {
            message_id: r.get(0)?,
            kind: r.get(1)?,
            period: r.get(2)?,
            recipient: r.get(3)?,
            preview: r.get(4)?,
            status: r.get(5)?,
            attempts: r.get(6)?,
            last_error: r.get(7)?,
            queued_at: r.get(8)?,
            when: r.get(9)?,
        })
    })?;
    rows.collect()
}

/// (queued, of which failed at least once, sent)
pub fn counts(store: &Store) -> duckdb::Result<(i64, i64, i64)> {
    store
        .conn()
        .query_row(queries::OUTBOX_COUNTS, [], |r| r.try_into())
}
