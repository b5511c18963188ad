//! 报表: make any weekly report, monthly review or ledger for any period, open it in the
//! browser, preview it to the admin, send it (after a page naming the recipients); the
//! archive with each file's verify state and a download link.

use crate::codes::{label_of, AuditAction, JobName};
use crate::web::auth::Flash;
use axum::extract::{Form, Path, Query, State as Ext};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::archive::Check;
use crate::deliver::outbox::Standing;
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
    let p = which.period.trim();
    let bad = |what: &str| {
        WebError::BadRequest(format!(
            "报表期间无效：“{p}”不是{what}，请在报表页的列表里选择。"
        ))
    };
    Ok(match which.kind.as_str() {
        "weekly" => ReportJob::Weekly(Period::parse_week(p).map_err(|_| bad("一周"))?),
        "monthly" => ReportJob::Monthly(Period::parse_month(p).map_err(|_| bad("一个月"))?),
        "ledger" => match crate::period::parse_day(p) {
            Ok(day) => ReportJob::Ledger(Window::as_of_day(day)),
            Err(_) => ReportJob::Ledger(Window::month(
                Period::parse_month(p).map_err(|_| bad("一个月或一天"))?,
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

/// The periods a form offers, newest first: from the oldest order's (or a year back when
/// there is none) to the last full one, at most `most`.
fn periods(
    first: chrono::NaiveDate,
    last: Period,
    of: fn(chrono::NaiveDate) -> Period,
    most: usize,
) -> Vec<(String, String)> {
    let first = of(first);
    let mut out = Vec::new();
    let mut p = last;
    while out.len() < most && p.first_day() >= first.first_day() {
        out.push((p.stem(), p.long_label()));
        p = p.previous();
    }
    if out.is_empty() {
        out.push((last.stem(), last.long_label()));
    }
    out
}

async fn page(state: &State, user: &User) -> Result<Html<String>, WebError> {
    let (archive, fresh) = state
        .run(|c| Ok((jobs::archive_files(c)?, jobs::freshness(c)?)))
        .await?;
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
                report => entry.as_ref().map(|e| label_of::<JobName>(&e.report)),
                period => entry.as_ref().map(|e| period_label(&e.period)),
                made_at => entry.as_ref().map(|e| e.made_at.clone()),
            }
        })
        .collect();
    let today = super::today(&state.config);
    let noon = today.and_hms_opt(12, 0, 0).expect("noon");
    let first = fresh
        .oldest_order
        .map(|t| t.date())
        .unwrap_or(today - chrono::Duration::days(365));
    let files = made_files(&state.config);
    state.templates.page(
        "reports.html",
        Some(user),
        "reports",
        minijinja::context! {
            files => files,
            archive => archive,
            weeks => periods(first, Period::last_full_week(noon), Period::week_of, 104),
            months => periods(first, Period::last_month(noon), Period::month_of, 60),
            today => today.to_string(),
            admin_mail => state.config.recipients.admin.clone(),
        },
    )
}

/// A period as stored (`2025-W05`, `2025-01`, `2025-02-28`), as people write it.
fn period_label(stem: &str) -> String {
    if let Ok(p) = Period::parse_week(stem) {
        return p.long_label();
    }
    if let Ok(p) = Period::parse_month(stem) {
        return p.label();
    }
    match crate::period::parse_day(stem) {
        Ok(day) => format!("截至{}", crate::period::zh_date(day)),
        Err(_) => stem.to_string(),
    }
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    page(&state, &user).await
}

/// What a report run did, as the page it redirects to shows it.
fn outcome_flash(title: String, outcome: &jobs::JobOutcome) -> Flash {
    Flash {
        ok: outcome.unsent == 0,
        title,
        lines: crate::web::words::report_outcome(outcome),
        links: outcome
            .reports
            .iter()
            .map(|w| {
                let name = &w.document.file_name;
                (
                    format!("/reports/file/{}", super::case::urlencode(name)),
                    format!("打开 {name}"),
                )
            })
            .collect(),
        undo: None,
    }
}

/// The report's name and period as people write them: `周报 2025年第5周（1月27日—2月2日）`.
fn job_label(job: &ReportJob) -> String {
    format!("{} {}", job.name().label(), period_label(&job.period()))
}

/// Makes the report's files (nothing sent).
pub async fn make(
    Ext(state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Response, WebError> {
    user.act(&which.csrf)?;
    let job = job_of(&which)?;
    let who = user.name().to_string();
    let title = format!("已生成{}", job_label(&job));
    let outcome = state
        .run(move |c| {
            let out = jobs::run_report(
                c,
                &job,
                Trigger::Manual,
                &Dispatch::none(),
                Options::default(),
            )?;
            jobs::audit(c, &who, AuditAction::Make, &job.period(), &job_label(&job))?;
            Ok(out)
        })
        .await?;
    Ok(user.done(&state, outcome_flash(title, &outcome), "/reports"))
}

/// Makes the report and sends it to the admin only, marked as a preview.
pub async fn preview(
    Ext(state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Response, WebError> {
    user.act(&which.csrf)?;
    let job = job_of(&which)?;
    let who = user.name().to_string();
    let title = format!("{}：预览已发给管理员", job_label(&job));
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
                AuditAction::Preview,
                &job.period(),
                &format!("{} 预览发给管理员", job_label(&job)),
            )?;
            Ok(out)
        })
        .await?;
    Ok(user.done(&state, outcome_flash(title, &outcome), "/reports"))
}

/// 发送…: to the page that names the recipients (a form's POST, answered by a redirect so
/// that nothing of the form, the token least of all, lands in the address).
pub async fn ask(
    Ext(_state): Ext<State>,
    user: User,
    Form(which): Form<Which>,
) -> Result<Response, WebError> {
    user.act(&which.csrf)?;
    job_of(&which)?;
    Ok(Redirect::to(&format!(
        "/reports/send?kind={}&period={}",
        super::case::urlencode(&which.kind),
        super::case::urlencode(which.period.trim())
    ))
    .into_response())
}

/// The page that names the recipients before a send, and says who has the report already.
pub async fn confirm(
    Ext(state): Ext<State>,
    user: User,
    Query(which): Query<Which>,
) -> Result<Html<String>, WebError> {
    user.admin()?;
    let job = job_of(&which)?;
    let label = job_label(&job);
    let to = state
        .run(move |c| jobs::report_recipients_standing(c, &job))
        .await?;
    let had = to.iter().filter(|(_, s)| s.is_some()).count();
    let recipients: Vec<_> = to
        .into_iter()
        .map(|(address, standing)| {
            let state = match standing {
                Some(Standing::Sent(when)) => {
                    format!("{}已发送", crate::period::zh_stored(&when))
                }
                Some(Standing::Waiting(when)) => {
                    format!("{}起在发件箱等待发送", crate::period::zh_stored(&when))
                }
                None => String::new(),
            };
            minijinja::context! { address => address, state => state }
        })
        .collect();
    state.templates.page(
        "confirm.html",
        Some(&user),
        "reports",
        minijinja::context! {
            kind => which.kind, period => which.period, label => label,
            recipients => recipients, had => had,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct SendForm {
    #[serde(flatten)]
    which: Which,
    /// Send again to those who have it already (再次发送).
    #[serde(default)]
    again: String,
}

/// Sends the report to its configured recipients (a month's record is archived); with
/// `again`, those who have it already get it once more.
pub async fn send(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<SendForm>,
) -> Result<Response, WebError> {
    user.act(&form.which.csrf)?;
    let job = job_of(&form.which)?;
    let who = user.name().to_string();
    let again = !form.again.is_empty();
    let title = format!(
        "{}：{}",
        job_label(&job),
        if again {
            "已再次发送"
        } else {
            "已发送"
        }
    );
    let dispatch = Dispatch {
        force: again,
        ..Dispatch::scheduled()
    };
    let outcome = state
        .run(move |c| {
            let to = jobs::report_recipients(c, &job, &dispatch)?;
            let out = jobs::run_report(c, &job, Trigger::Manual, &dispatch, Options::default())?;
            jobs::audit(
                c,
                &who,
                AuditAction::Send,
                &job.period(),
                &format!(
                    "{}{}发送给 {}",
                    job_label(&job),
                    if again { "再次" } else { "" },
                    to.join("、")
                ),
            )?;
            Ok(out)
        })
        .await?;
    Ok(user.done(&state, outcome_flash(title, &outcome), "/reports"))
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
