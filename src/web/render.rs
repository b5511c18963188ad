//! The console's templates (report-templates/web/, built into the binary so the console
//! needs no files beside it), the stylesheet, and the helpers pages share.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Environment;
use serde::Serialize;

use super::{User, WebError};

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        /// Every console template, by name.
        pub const TEMPLATES: &[(&str, &str)] = &[$(
            ($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/report-templates/web/", $name))),
        )*];
    };
}

templates!(
    "base.html",
    "login.html",
    "overview.html",
    "cases.html",
    "case.html",
    "subjects.html",
    "reports.html",
    "confirm.html",
    "import.html",
    "runs.html",
    "help.html",
);

const STYLESHEET: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/report-templates/web/console.css"
));

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new() -> anyhow::Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        for (name, text) in TEMPLATES {
            env.add_template(name, text)
                .map_err(|e| anyhow::anyhow!("web template {name}: {e}"))?;
        }
        Ok(Templates { env })
    }

    /// Renders `name` with `ctx`, plus who is logged in and the CSRF token for forms.
    pub fn page<C: Serialize>(
        &self,
        name: &str,
        user: Option<&User>,
        nav: &str,
        ctx: C,
    ) -> Result<Html<String>, WebError> {
        let t = self
            .env
            .get_template(name)
            .map_err(|e| WebError::Internal(e.into()))?;
        let me = user.map(|u| {
            minijinja::context! {
                name => u.0.user.clone(),
                role => u.0.role.label(),
                admin => u.0.role == crate::config::Role::Admin,
                lead => u.0.lead.clone(),
                mine => u.0.lead.as_deref().map(crate::web::pages::my_cases),
                csrf => u.0.csrf.clone(),
            }
        });
        let flash = user.and_then(|u| u.0.flash.clone());
        let html = t
            .render(minijinja::context! {
                me => me,
                flash => flash,
                nav => nav,
                help => crate::guide::section_of(name),
                ..minijinja::Value::from_serialize(&ctx)
            })
            .map_err(|e| WebError::Internal(anyhow::anyhow!("rendering {name}: {e:#}")))?;
        Ok(Html(html))
    }
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// A page for an error, without the session's menus.
pub fn error_page(status: StatusCode, text: &str) -> Html<String> {
    let text = crate::deliver::alerts::html_escape(text);
    Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{code} · 投诉预警台账</title><link rel=\"stylesheet\" href=\"/static/console.css\"><link rel=\"icon\" href=\"data:,\"></head><body><main class=\"narrow\"><h1>{code}</h1><p class=\"error\" id=\"error\">{text}</p><p><a href=\"/\">返回概览</a></p></main></body></html>",
        code = status.as_u16()
    ))
}

/// `2025-01-03 08:05`.
pub fn minute(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn minute_opt(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(minute).unwrap_or_default()
}
