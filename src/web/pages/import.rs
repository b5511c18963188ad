//! 导入: upload an export (a spreadsheet or .csv) into the same ingest as the inbox; the result and
//! the rejected rows of each file. The uploaded name never becomes a path: it is reduced
//! to letters, digits and a few marks, and the file is written into a fresh private folder.

use crate::codes::AuditAction;
use crate::web::auth::Flash;
use axum::extract::{Multipart, Query, State as Ext};
use axum::response::{Html, Response};
use serde::{Deserialize, Serialize};

use crate::ingest::batch::FileOutcome;
use crate::web::{State, User, WebError};

#[derive(Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    file: String,
}

/// The rows set aside of one file, under the file's own headings.
#[derive(Serialize)]
struct RejectedFile {
    file: String,
    headings: Vec<String>,
    rows: Vec<Rejected>,
}

#[derive(Serialize)]
struct Rejected {
    row: i64,
    /// The kind of reason, as the guide names it (缺少必填项, 日期时间无法识别, ...).
    kind: &'static str,
    reason: String,
    /// The row's cells under `RejectedFile::headings`, as anyone may see them.
    cells: Vec<String>,
}

/// The latest rows set aside (at most `limit`), by file, each file's table under the
/// headings its rows have, in the file's order.
fn by_file(
    rows: &[crate::jobs::StoredRejection],
    config: &crate::config::Config,
    limit: usize,
) -> Vec<RejectedFile> {
    let aliases = crate::ingest::header::Aliases::new(&config.columns);
    type Shown<'r> = (&'r crate::jobs::StoredRejection, Vec<(String, String)>);
    let mut groups: Vec<(&str, Vec<Shown>)> = Vec::new();
    for r in &rows[rows.len().saturating_sub(limit)..] {
        let shown = (r, r.shown_cells(&aliases));
        match groups.iter_mut().find(|(file, _)| *file == r.file) {
            Some((_, members)) => members.push(shown),
            None => groups.push((&r.file, vec![shown])),
        }
    }
    groups
        .into_iter()
        .map(|(file, members)| {
            let mut headings: Vec<String> = Vec::new();
            for (heading, _) in members.iter().flat_map(|(_, cells)| cells) {
                if !headings.contains(heading) {
                    headings.push(heading.clone());
                }
            }
            let rows = members
                .into_iter()
                .map(|(r, cells)| Rejected {
                    row: r.row,
                    kind: r
                        .code
                        .parse::<crate::codes::RejectReason>()
                        .map(|c| c.label())
                        .unwrap_or(""),
                    reason: r.reason.clone(),
                    cells: headings
                        .iter()
                        .map(|h| {
                            cells
                                .iter()
                                .find(|(name, _)| name == h)
                                .map(|(_, text)| text.clone())
                                .unwrap_or_default()
                        })
                        .collect(),
                })
                .collect();
            RejectedFile {
                file: file.to_string(),
                headings,
                rows,
            }
        })
        .collect()
}

async fn page(state: &State, user: &User, file: &str) -> Result<Html<String>, WebError> {
    let wanted = (!file.is_empty()).then(|| file.to_string());
    let rows = state
        .run(move |c| crate::jobs::list_rejected(c, wanted.as_deref()))
        .await?;
    let mut files: Vec<String> = rows.iter().map(|r| r.file.clone()).collect();
    files.dedup();
    let rejected = by_file(&rows, &state.config, 200);
    state.templates.page(
        "import.html",
        Some(user),
        "import",
        minijinja::context! {
            rejected => rejected,
            files => files,
            file => file,
            limit_mb => state.config.web.upload_limit_mb,
        },
    )
}

/// The rows set aside (of the file asked for, or of all) as an .xlsx workbook, a sheet a
/// file under its own headings, masked as on the page.
pub async fn download(
    Ext(state): Ext<State>,
    _user: User,
    Query(q): Query<FileQuery>,
) -> Result<Response, WebError> {
    let wanted = (!q.file.is_empty()).then(|| q.file.clone());
    let rows = state
        .run(move |c| crate::jobs::list_rejected(c, wanted.as_deref()))
        .await?;
    let files = by_file(&rows, &state.config, usize::MAX);
    let bytes = tokio::task::spawn_blocking(move || workbook(&files))
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(|e| WebError::Internal(anyhow::anyhow!("cannot make the workbook: {e}")))?;
    Ok(super::cases::attachment(
        "rejected-rows.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

/// A sheet a file: its name, then 行, 原因类别, 原因 and the file's headings, every cell as
/// text (an id never turns into a number, a cell starting with = never into a formula).
fn workbook(files: &[RejectedFile]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (i, f) in files.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(i, &f.file))?;
        sheet.write_string(0, 0, "文件")?;
        sheet.write_string(0, 1, &f.file)?;
        let headings = ["行", "原因类别", "原因"]
            .into_iter()
            .chain(f.headings.iter().map(String::as_str));
        for (c, h) in headings.enumerate() {
            sheet.write_string(2, c as u16, h)?;
        }
        for (r, row) in f.rows.iter().enumerate() {
            let at = 3 + r as u32;
            sheet.write_string(at, 0, row.row.to_string())?;
            sheet.write_string(at, 1, row.kind)?;
            sheet.write_string(at, 2, &row.reason)?;
            for (c, cell) in row.cells.iter().enumerate() {
                sheet.write_string(at, 3 + c as u16, cell)?;
            }
        }
    }
    if files.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("未能使用的行")?;
        sheet.write_string(0, 0, "没有未能使用的行。")?;
    }
    book.save_to_buffer()
}

/// A sheet's name for the `i`-th file: its number and as much of the file's name as a
/// sheet name may hold (31 characters, none of []:*?/\).
fn sheet_name(i: usize, file: &str) -> String {
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let clean: String = stem
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    format!("{} {clean}", i + 1).chars().take(31).collect()
}

pub async fn get(
    Ext(state): Ext<State>,
    user: User,
    Query(q): Query<FileQuery>,
) -> Result<Html<String>, WebError> {
    page(&state, &user, &q.file).await
}

/// The uploaded name as a plain file name: the last component, only letters, digits,
/// CJK and - _ ( ), at most 80 characters, with its (checked) extension.
pub fn safe_name(name: &str) -> Result<String, WebError> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = last.rsplit_once('.').unwrap_or((last, ""));
    let ext = ext.to_ascii_lowercase();
    if !crate::ingest::detect::EXTENSIONS.contains(&ext.as_str()) {
        return Err(WebError::BadRequest(format!(
            "只能导入表格文件(.xlsx、.xls、.xlsb、.ods)或 .csv 文件,“{}”不是",
            last.chars().take(80).collect::<String>()
        )));
    }
    let stem: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '(' | ')' | '（' | '）'))
        .take(80)
        .collect();
    let stem = if stem.is_empty() {
        "上传".to_string()
    } else {
        stem
    };
    Ok(format!("{stem}.{ext}"))
}

/// Where an upload waits while it is loaded: beside the database, not in the system's
/// temporary folder, so that an export with names and phones left by a killed console
/// stays with the data it belongs to and is removed at the next start
/// (`remove_stale_uploads`).
fn upload_folder(config: &crate::config::Config) -> std::io::Result<tempfile::TempDir> {
    let dir = uploads_dir(config);
    std::fs::create_dir_all(&dir)?;
    tempfile::Builder::new().prefix("upload-").tempdir_in(&dir)
}

fn uploads_dir(config: &crate::config::Config) -> std::path::PathBuf {
    let db = config.database_path();
    db.parent().map_or_else(
        || std::path::PathBuf::from("uploads"),
        |p| p.join("uploads"),
    )
}

/// How long an upload folder must have been untouched to count as left by a console that
/// was killed while it loaded (a big export takes minutes, never an hour).
const UPLOAD_STALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the upload folders a killed console left behind; returns how many.
pub fn remove_stale_uploads(config: &crate::config::Config) -> usize {
    crate::partial::remove_older(&uploads_dir(config), "upload-", UPLOAD_STALE).len()
}

pub async fn post(
    Ext(state): Ext<State>,
    user: User,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let limit = u64::from(state.config.web.upload_limit_mb) * 1024 * 1024;
    let mut csrf = String::new();
    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next_field().await.map_err(|e| {
        WebError::BadRequest(format!(
            "上传未完成或超过大小限制({} MB):{e}",
            state.config.web.upload_limit_mb
        ))
    })? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|e| {
                    WebError::BadRequest(format!(
                        "上传未完成或超过大小限制({} MB):{e}",
                        state.config.web.upload_limit_mb
                    ))
                })?;
                upload = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    user.act(&csrf)?;
    let (name, bytes) = upload.ok_or_else(|| WebError::BadRequest("没有选择文件".into()))?;
    if bytes.len() as u64 > limit {
        return Err(WebError::BadRequest(format!(
            "文件超过大小限制({} MB)",
            state.config.web.upload_limit_mb
        )));
    }
    let file_name = safe_name(&name)?;
    let who = user.name().to_string();
    let shown_name = file_name.clone();
    let (ok, lines) = state
        .run(move |c| {
            let folder = upload_folder(c)?;
            let path = folder.path().join(&file_name);
            std::fs::write(&path, &bytes)?;
            let done = crate::jobs::ingest_files(c, &[path], false, false, &mut |_| {})?;
            let ok = !done.ingested.iter().any(FileOutcome::failed);
            let mut lines: Vec<String> = done
                .ingested
                .iter()
                .flat_map(crate::web::words::file_outcome)
                .collect();
            lines.extend(crate::web::words::warnings_sent(&done));
            crate::jobs::audit(
                c,
                &who,
                AuditAction::Upload,
                &file_name,
                &format!("{} 字节。{}", bytes.len(), lines.join("\n")),
            )?;
            Ok((ok, lines))
        })
        .await?;
    let flash = Flash {
        ok,
        title: if ok {
            "导入完成".into()
        } else {
            "文件未能导入，数据库未改动".into()
        },
        lines,
        ..Flash::default()
    };
    let to = if ok {
        format!("/import?file={}", super::case::urlencode(&shown_name))
    } else {
        "/import".to_string()
    };
    state.data_changed();
    Ok(user.done(&state, flash, &to))
}
