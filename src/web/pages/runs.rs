//! 运行记录: the run history, the outbox (resend what failed), the alerts, the effective
//! configuration (read-only, secrets hidden) and the audit log.

use crate::codes::AuditAction;
use axum::extract::{Form, State as Ext};
use axum::response::{Html, Response};

use crate::web::auth::Flash;

use super::login::Token;
use crate::codes::{label_of, JobName, MessageKind, MessageStatus, RunOutcome, Scope, Trigger};
use crate::web::render::{minute, minute_opt};
use crate::web::{State, User, WebError};

async fn page(state: &State, user: &User) -> Result<Html<String>, WebError> {
    // The audit log and the configuration (its recipients, its settings) are the admins'.
    let admin = user.0.role == crate::config::Role::Admin;
    let (activity, audit) = state
        .run(move |c| {
            Ok((
                crate::jobs::activity(c, 50, 50)?,
                if admin {
                    crate::jobs::audit_log(c, 100)?
                } else {
                    Vec::new()
                },
            ))
        })
        .await?;
    let runs: Vec<_> = activity
        .runs
        .iter()
        .map(|r| {
            minijinja::context! {
                job => label_of::<JobName>(&r.job),
                period => r.period.clone().unwrap_or_default(),
                trigger => label_of::<Trigger>(&r.trigger),
                scope => label_of::<Scope>(&r.scope),
                started => minute(r.started_at), finished => minute_opt(r.finished_at),
                outcome => r.outcome, outcome_label => label_of::<RunOutcome>(&r.outcome), queued => r.queued, sent => r.sent,
                error => r.error.clone().unwrap_or_default(),
            }
        })
        .collect();
    let outbox: Vec<_> = activity
        .outbox
        .iter()
        .map(|e| {
            minijinja::context! {
                id => e.message_id, kind => label_of::<MessageKind>(&e.kind), period => e.period,
                recipient => e.recipient, preview => e.preview,
                status => label_of::<MessageStatus>(&e.status), attempts => e.attempts,
                error => e.last_error, when => e.when,
            }
        })
        .collect();
    let audit: Vec<_> = audit
        .iter()
        .map(|a| {
            minijinja::context! {
                at => minute(a.at), user => a.user, action => label_of::<AuditAction>(&a.action), target => a.target,
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
            config => admin.then(|| crate::jobs::shown_config(&state.config)),
        },
    )
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    page(&state, &user).await
}

/// Tries every queued message again now.
pub async fn resend(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<Token>,
) -> Result<Response, WebError> {
    user.act(&form.csrf)?;
    let who = user.name().to_string();
    let out = state
        .run(move |c| {
            let out = crate::jobs::retry_outbox(c, Trigger::Manual, true)?;
            crate::jobs::audit(
                c,
                &who,
                AuditAction::Resend,
                "发件箱",
                &format!("发出 {} 封", out.sent),
            )?;
            Ok(out)
        })
        .await?;
    let mut lines = crate::web::words::deliveries(&out.deliveries);
    if lines.is_empty() {
        lines.push("发件箱里没有等待发送的邮件。".into());
    }
    let flash = Flash {
        ok: out.unsent == 0,
        title: format!(
            "已重试发件箱：发出 {} 封，仍未发出 {} 封",
            out.sent, out.unsent
        ),
        lines,
        ..Flash::default()
    };
    Ok(user.done(&state, flash, "/runs"))
}
