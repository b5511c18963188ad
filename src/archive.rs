//! The monthly archive: each month's review and ledger are kept as the official record
//! under `paths.archive/YYYY/`, never overwritten. A rerun that changes the content writes
//! `-v2`, `-v3`, ...; `manifest.jsonl` records every file's SHA-256 and when and why it
//! was made, and `archive verify` rechecks them all.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "manifest.jsonl";

/// One line of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the archive folder, e.g. `2025/2025-01-月度复盘.pdf`.
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    pub made_at: String,
    pub reason: String,
    pub report: String,
    pub period: String,
    pub version: u32,
}

/// The result of archiving one document.
#[derive(Debug, Clone)]
pub struct Archived {
    pub path: PathBuf,
    pub version: u32,
    /// False when the same content was already archived (nothing new was written).
    pub new: bool,
    /// True when the same content was on disk but not in the manifest (a run was
    /// interrupted between the two) and is now listed.
    pub recovered: bool,
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn version_name(stem: &str, version: u32) -> String {
    if version == 1 {
        format!("{stem}.pdf")
    } else {
        format!("{stem}-v{version}.pdf")
    }
}

/// Reads the manifest (empty when there is none yet).
pub fn manifest(archive: &Path) -> std::io::Result<Vec<Entry>> {
    let path = archive.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} line {}: {e}", path.display(), i + 1),
                )
            })
        })
        .collect()
}

/// What is being archived and why.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub report: &'a str,
    pub period: &'a str,
    pub year: i32,
    pub reason: &'a str,
    pub made_at: NaiveDateTime,
}

/// Keeps `bytes` (a report named `file_name`, e.g. `2025-01-月度复盘.pdf`) in the archive.
pub fn keep(
    archive: &Path,
    file_name: &str,
    bytes: &[u8],
    record: &Record<'_>,
) -> std::io::Result<Archived> {
    let year = record.year;
    let dir = archive.join(year.to_string());
    std::fs::create_dir_all(&dir)?;
    crate::partial::remove_stale(&dir);
    let stem = file_name.strip_suffix(".pdf").unwrap_or(file_name);
    let hash = sha256(bytes);
    let mut version = 1;
    while dir.join(version_name(stem, version)).exists() {
        version += 1;
    }
    if version > 1 {
        let latest_name = version_name(stem, version - 1);
        let latest = dir.join(&latest_name);
        if sha256(&std::fs::read(&latest)?) == hash {
            // Written, but the run was killed before it was listed: these very bytes
            // show it is this report, so list it now, saying so. (A file whose bytes
            // differ stays unlisted, for `archive verify` to flag.)
            let file = format!("{year}/{latest_name}");
            let listed = manifest(archive)?.iter().any(|e| e.file == file);
            if !listed {
                append(
                    archive,
                    &Entry {
                        file,
                        sha256: hash,
                        bytes: bytes.len() as u64,
                        made_at: record.made_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        reason: format!(
                            "{}; recovered: written by an interrupted run but not listed, same content",
                            record.reason
                        ),
                        report: record.report.to_string(),
                        period: record.period.to_string(),
                        version: version - 1,
                    },
                )?;
            }
            return Ok(Archived {
                path: latest,
                version: version - 1,
                new: false,
                recovered: !listed,
            });
        }
    }
    let name = version_name(stem, version);
    let path = dir.join(&name);
    // Write beside, then link into place: the final name never holds a partial file, and
    // an existing version is never replaced.
    crate::partial::write_new(&path, bytes, "archive-partial-written")?;
    crate::checkpoint::reached("archive-file-written");
    let entry = Entry {
        file: format!("{year}/{name}"),
        sha256: hash,
        bytes: bytes.len() as u64,
        made_at: record.made_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        reason: record.reason.to_string(),
        report: record.report.to_string(),
        period: record.period.to_string(),
        version,
    };
    append(archive, &entry)?;
    Ok(Archived {
        path,
        version,
        new: true,
        recovered: false,
    })
}

/// Adds one line to the manifest.
fn append(archive: &Path, entry: &Entry) -> std::io::Result<()> {
    let mut manifest = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(archive.join(MANIFEST))?;
    writeln!(
        manifest,
        "{}",
        serde_json::to_string(entry).expect("entry serializes")
    )?;
    manifest.sync_all()
}

/// The state of one archived file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Ok,
    Missing,
    Changed {
        actual: String,
    },
    /// A PDF in the archive that the manifest does not list.
    Unrecorded,
    /// A file left half-written by an archive write that was interrupted (a kill, a full
    /// disk): removed by the check when nothing has touched it for a minute, else still
    /// being written by another process.
    Interrupted {
        removed: bool,
    },
}

/// Rechecks every file the manifest lists, and looks for files it does not list.
pub fn verify(archive: &Path) -> std::io::Result<Vec<(String, Check)>> {
    let entries = manifest(archive)?;
    let mut out = Vec::new();
    for e in &entries {
        let path = archive.join(&e.file);
        let check = match std::fs::read(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Check::Missing,
            Err(err) => return Err(err),
            Ok(bytes) => {
                let actual = sha256(&bytes);
                if actual == e.sha256 {
                    Check::Ok
                } else {
                    Check::Changed { actual }
                }
            }
        };
        out.push((e.file.clone(), check));
    }
    if let Ok(years) = std::fs::read_dir(archive) {
        for year in years.flatten() {
            if !year.path().is_dir() {
                continue;
            }
            let year_name = year.file_name().to_string_lossy().to_string();
            for name in crate::partial::remove_stale(&year.path()) {
                out.push((
                    format!("{year_name}/{name}"),
                    Check::Interrupted { removed: true },
                ));
            }
            for file in std::fs::read_dir(year.path())?.flatten() {
                let name = file.file_name().to_string_lossy().to_string();
                let rel = format!("{year_name}/{name}");
                if name.starts_with(crate::partial::PREFIX) {
                    out.push((rel, Check::Interrupted { removed: false }));
                    continue;
                }
                if rel.ends_with(".pdf") && !entries.iter().any(|e| e.file == rel) {
                    out.push((rel, Check::Unrecorded));
                }
            }
        }
    }
    Ok(out)
}
