//! 运行记录: the run history, the outbox (resend what failed), the alerts, the effective
//! configuration (read-only, secrets hidden) and the audit log.

use axum::extract::{Form, State as Ext};
use axum::response::Html;

use super::login::Token;
use crate::history::Trigger;
use crate::web::render::{minute, minute_opt};
use crate::web::{State, User, WebError};

async fn page(state: &State, user: &User, lines: Vec<String>) -> Result<Html<String>, WebError> {
    let (activity, audit) = state
        .run(|c| {
            Ok((
                crate::jobs::activity(c, 50, 50)?,
                crate::jobs::audit_log(c, 100)?,
            ))
        })
        .await?;
    let runs: Vec<_> = activity
        .runs
        .iter()
        .map(|r| {
            minijinja::context! {
                job => r.job, period => r.period.clone().unwrap_or_default(), trigger => r.trigger,
                scope => r.scope,
                started => minute(r.started_at), finished => minute_opt(r.finished_at),
                outcome => r.outcome, queued => r.queued, sent => r.sent,
                error => r.error.clone().unwrap_or_default(),
            }
        })
        .collect();
    let outbox: Vec<_> = activity
        .outbox
        .iter()
        .map(|e| {
            minijinja::context! {
                id => e.message_id, kind => e.kind, period => e.period, recipient => e.recipient,
                preview => e.preview, status => e.status, attempts => e.attempts,
                error => e.last_error, when => e.when,
            }
        })
        .collect();
    let audit: Vec<_> = audit
        .iter()
        .map(|a| {
            minijinja::context! {
                at => minute(a.at), user => a.user, action => a.action, target => a.target,
                detail => a.detail,
            }
        })
        .collect();
    state.templates.page(
        "runs.html",
        Some(user),
        "runs",
        minijinja::context! {
            runs => runs,
            outbox => outbox,
            alerts => activity.alerts,
            audit => audit,
            config => crate::jobs::shown_config(&state.config),
            lines => lines,
        },
    )
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    page(&state, &user, Vec::new()).await
}

/// Tries every queued message again now.
pub async fn resend(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<Token>,
) -> Result<Html<String>, WebError> {
    user.act(&form.csrf)?;
    let who = user.name().to_string();
    let lines = state
        .run(move |c| {
            let out = crate::jobs::retry_outbox(c, Trigger::Manual, true)?;
            crate::jobs::audit(c, &who, "resend", "outbox", &format!("{} sent", out.sent))?;
            Ok(out.lines)
        })
        .await?;
    page(&state, &user, lines).await
}
