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
    "subject-pair.html",
    "reports.html",
    "confirm.html",
    "import.html",
    "runs.html",
    "help.html",
    "account.html",
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
                mine => u.0.lead.as_deref().map(my_cases),
                csrf => u.0.csrf.clone(),
                stale => u.0.stale.clone(),
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

/// A page for an error, with the console's menu (each page asks for a login if the
/// session is gone), so that it is no dead end.
pub fn error_page(status: StatusCode, text: &str, detail: Option<&str>) -> Html<String> {
    let text = crate::deliver::alerts::html_escape(text);
    // What went wrong as the library wrote it: kept apart, opened on request.
    let detail = detail
        .map(|d| {
            format!(
                "<details class=\"detail\"><summary>技术细节</summary><code>{}</code></details>",
                crate::deliver::alerts::html_escape(d)
            )
        })
        .unwrap_or_default();
    let menu = [
        ("/", "概览"),
        ("/cases", "预警案件"),
        ("/subjects", "诉求对象审核"),
        ("/reports", "报表"),
        ("/import", "导入"),
        ("/runs", "运行记录"),
        ("/help", "帮助"),
    ]
    .iter()
    .map(|(href, label)| format!("<a href=\"{href}\">{label}</a>"))
    .collect::<Vec<_>>()
    .join("");
    let what = match status.as_u16() {
        404 => "找不到这个页面或对象",
        403 => "没有权限",
        400 | 422 => "请求无法完成",
        503 => "请稍后再试",
        _ => "出错了",
    };
    Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{what} · 投诉预警台账</title><link rel=\"stylesheet\" href=\"/static/console.css\"><link rel=\"icon\" href=\"data:,\"></head><body><header class=\"top\"><a class=\"brand\" href=\"/\">投诉预警台账</a><nav>{menu}</nav></header><main class=\"narrow\"><h1>{what}</h1><p class=\"error\" id=\"error\">{text}</p>{detail}<p>可以用浏览器的“后退”回到刚才的页面，或从上面的菜单继续。</p></main></body></html>"
    ))
}

/// 我的案件: the cases a lead leads now (not cancelled), open ones first.
pub fn my_cases(lead: &str) -> String {
    let lead: String = url::form_urlencoded::byte_serialize(lead.as_bytes()).collect();
    format!("/cases?lead={lead}&status=active&sort=status")
}

/// `2025-01-03 08:05`.
pub fn minute(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn minute_opt(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(minute).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_page_says_what_went_wrong_in_chinese_and_keeps_the_detail_apart() {
        let Html(page) = error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "这一步没能完成。",
            Some("cannot open the database <db>: busy"),
        );
        assert!(page.contains("<h1>出错了</h1>"), "{page}");
        assert!(page.contains("<p class=\"error\" id=\"error\">这一步没能完成。</p>"));
        assert!(page.contains(
            "<details class=\"detail\"><summary>技术细节</summary><code>cannot open the database &lt;db&gt;: busy</code></details>"
        ));
        // The menu, to go on from.
        assert!(page.contains("<a href=\"/cases\">预警案件</a>"));
        let Html(page) = error_page(StatusCode::NOT_FOUND, "未找到：案件 X", None);
        assert!(!page.contains("<details"));
    }
}
