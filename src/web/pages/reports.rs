//! 报表: make any weekly report, monthly review or ledger for any period, open it in the
//! browser, preview it to the admin, send it (after a page naming the recipients); the
//! archive with each file's verify state and a download link.

use axum::extract::{Form, Path, Query, State as Ext};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::archive::Check;
use crate::history::Trigger;
use crate::jobs::{self, Dispatch, ReportJob};
use crate::period::Period;
use crate::report::{Options, Window};
use crate::web::{State, User, WebError};

#[derive(Debug, Deserialize, Serialize, Default, Clone)]
pub struct Which {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub period: String,
}

/// The report job a form names: weekly `2025-W05`, monthly `2025-01`, ledger `2025-01`
/// (a whole month) or `2025-02-28` (as of that day).
pub fn job_of(which: &Which) -> Result<ReportJob, WebError> {
    let bad = |e: String| WebError::BadRequest(format!("报表期间无效:{e}"));
    let p = which.period.trim();
    Ok(match which.kind.as_str() {
        "weekly" => ReportJob::Weekly(Period::parse_week(p).map_err(|e| bad(e.to_string()))?),
        "monthly" => ReportJob::Monthly(Period::parse_month(p).map_err(|e| bad(e.to_string()))?),
        "ledger" => match chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d") {
            Ok(day) => ReportJob::Ledger(Window::as_of_day(day)),
            Err(_) => ReportJob::Ledger(Window::month(
                Period::parse_month(p).map_err(|e| bad(e.to_string()))?,
            )),
        },
        other => return Err(WebError::BadRequest(format!("未知报表类型“{other}”"))),
    })
}

/// The PDFs under paths.out, newest first.
fn made_files(config: &crate::config::Config) -> Vec<(String, String)> {
    let mut files: Vec<(std::time::SystemTime, String, u64)> = std::fs::read_dir(config.out_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let meta = e.metadata().ok()?;
            (meta.is_file() && name.ends_with(".pdf")).then(|| {
                (
                    meta.modified().ok().unwrap_or(std::time::UNIX_EPOCH),
                    name,
                    meta.len(),
                )
            })
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    files
        .into_iter()
        .map(|(_, n, len)| (n, format!("{:.0} KB", len as f64 / 1024.0)))
        .collect()
}

async fn page(
    state: &State,
    user: &User,
    lines: Vec<String>,
    made: Vec<String>,
) -> Result<Html<String>, WebError> {
    let archive = state.run(jobs::archive_files).await?;
    let archive: Vec<_> = archive
        .into_iter()
        .map(|(entry, file, check)| {
            let state = match check {
                Check::Ok => "完好",
                Check::Missing => "文件缺失",
                Check::Changed { .. } => "内容已被改动",
                Check::Unrecorded => "未登记",
                Check::Interrupted { removed: true } => "写入中断留下的半截文件（已清除）",
                Check::Interrupted { removed: false } => "正在写入",
            };
            minijinja::context! {
                file => file,
                ok => matches!(check, Check::Ok),
                state => state,
                report => entry.as_ref().map(|e| e.report.clone()),
                period => entry.as_ref().map(|e| e.period.clone()),
                made_at => entry.as_ref().map(|e| e.made_at.clone()),
                reason => entry.as_ref().map(|e| e.reason.clone()),
            }
        })
        .collect();
    let today = super::today(&state.config);
    let files = made_files(&state.config);
    state.templates.page(
        "reports.html",
        Some(user),
        "reports",
        minijinja::context! {
            files => files,
            archive => archive,
            lines => lines,
            made => made,
            last_week => Period::last_full_week(today.and_hms_opt(12, 0, 0).expect("noon")).stem(),
            last_month => Period::last_month(today.and_hms_opt(12, 0, 0).expect("noon")).stem(),
            today => today.to_string(),
            admin_mail => state.config.recipients.admin.clone(),
        },
    )
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    page(&state, &user, Vec::new(), Vec::new()).await
}

/// Makes the report's files (nothing sent).
pub async fn make(
    Ext(state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Html<String>, WebError> {
    user.act(&which.csrf)?;
    let job = job_of(&which)?;
    let who = user.name().to_string();
    let outcome = state
        .run(move |c| {
            let out = jobs::run_report(
                c,
                &job,
                Trigger::Manual,
                &Dispatch::none(),
                Options::default(),
            )?;
            jobs::audit(
                c,
                &who,
                "make",
                &job.period(),
                &format!("{} 报表已生成", job.name()),
            )?;
            Ok(out)
        })
        .await?;
    let made = outcome
        .reports
        .iter()
        .map(|w| w.document.file_name.clone())
        .collect();
    page(&state, &user, outcome.lines, made).await
}

/// Makes the report and sends it to the admin only, marked as a preview.
pub async fn preview(
    Ext(state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Html<String>, WebError> {
    user.act(&which.csrf)?;
    let job = job_of(&which)?;
    let who = user.name().to_string();
    let dispatch = Dispatch {
        send: true,
        preview: true,
        ..Dispatch::default()
    };
    let outcome = state
        .run(move |c| {
            let out = jobs::run_report(c, &job, Trigger::Manual, &dispatch, Options::default())?;
            jobs::audit(
                c,
                &who,
                "preview",
                &job.period(),
                &format!("{} 预览发给管理员", job.name()),
            )?;
            Ok(out)
        })
        .await?;
    page(&state, &user, outcome.lines, Vec::new()).await
}

/// The page that names the recipients before a send.
pub async fn confirm(
    Ext(state): Ext<State>,
    user: User,
    Query(which): Query<Which>,
) -> Result<Html<String>, WebError> {
    user.admin()?;
    let job = job_of(&which)?;
    let period = job.period();
    let name = job.name().to_string();
    let to = state
        .run(move |c| jobs::report_recipients(c, &job, &Dispatch::scheduled()))
        .await?;
    state.templates.page(
        "confirm.html",
        Some(&user),
        "reports",
        minijinja::context! { kind => which.kind, period => which.period, label => period, job => name, recipients => to },
    )
}

/// Sends the report to its configured recipients (a month's record is archived).
pub async fn send(
    Ext(state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Html<String>, WebError> {
    user.act(&which.csrf)?;
    let job = job_of(&which)?;
    let who = user.name().to_string();
    let outcome = state
        .run(move |c| {
            let to = jobs::report_recipients(c, &job, &Dispatch::scheduled())?;
            let out = jobs::run_report(
                c,
                &job,
                Trigger::Manual,
                &Dispatch::scheduled(),
                Options::default(),
            )?;
            jobs::audit(
                c,
                &who,
                "send",
                &job.period(),
                &format!("{} 发送给 {}", job.name(), to.join(", ")),
            )?;
            Ok(out)
        })
        .await?;
    page(&state, &user, outcome.lines, Vec::new()).await
}

fn pdf(name: &str, bytes: Vec<u8>, inline: bool) -> Response {
    let disposition = if inline { "inline" } else { "attachment" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    super::case::urlencode(name)
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A made report, opened in the browser. Only a name the folder lists is served: the
/// name is looked up, never joined into a path as given.
pub async fn file(
    Ext(state): Ext<State>,
    _user: User,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let listed = made_files(&state.config)
        .into_iter()
        .any(|(n, _)| n == name);
    if !listed {
        return Err(WebError::NotFound(format!("报表文件 {name}")));
    }
    let path = state.config.out_dir().join(&name);
    let bytes = std::fs::read(&path).map_err(|e| WebError::Internal(e.into()))?;
    Ok(pdf(&name, bytes, true))
}

#[derive(Deserialize)]
pub struct ArchivedQuery {
    f: String,
}

/// An archived file, downloaded; only a file the manifest lists.
pub async fn archived(
    Ext(state): Ext<State>,
    _user: User,
    Query(q): Query<ArchivedQuery>,
) -> Result<Response, WebError> {
    let entries = state.run(jobs::archive_files).await?;
    let Some((_, file, _)) = entries
        .into_iter()
        .find(|(e, f, _)| e.is_some() && *f == q.f)
    else {
        return Err(WebError::NotFound(format!("归档文件 {}", q.f)));
    };
    let bytes = std::fs::read(state.config.archive_dir().join(&file))
        .map_err(|e| WebError::NotFound(format!("归档文件 {file}: {e}")))?;
    let name = file.rsplit('/').next().unwrap_or(&file).to_string();
    Ok(pdf(&name, bytes, false))
}
