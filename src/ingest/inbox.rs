//! The inbox folder: export files dropped there are ingested in name order, then moved to
//! `processed/` (loaded, or already loaded before) or `failed/` (unusable, with a sibling
//! `.error.txt` saying why), so the inbox only ever holds what has not been looked at.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file found in the inbox, or one left for later.
#[derive(Debug, Clone)]
pub enum Found {
    Ready(PathBuf),
    /// Modified too recently: it may still be being copied in.
    Settling(PathBuf),
}

/// The files waiting in `inbox`, in name order. Hidden files and office lock files
/// (`~$name.xlsx`) are not exports and are left alone. A symbolic link to a file is read
/// as that file (and moved as a link, the file it points to left where it is); anything
/// else that is not loaded (a subfolder, a link that leads nowhere or in a loop) is named
/// in a warning saying why, so a file dropped in the wrong place is not silently ignored.
pub fn scan(inbox: &Path, settle: Duration) -> std::io::Result<Vec<Found>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(inbox)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        // Follows symbolic links; a loop ends in an error here (ELOOP), not in a hang.
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                tracing::warn!(
                    "inbox: {} is skipped: it is a link that cannot be followed ({e})",
                    path.display()
                );
                continue;
            }
        };
        if meta.is_dir() {
            if !matches!(name.as_str(), "processed" | "failed") {
                tracing::warn!(
                    "inbox: {} is skipped: it is a folder, and only files directly in the inbox are loaded (move its files up into the inbox)",
                    path.display()
                );
            }
            continue;
        }
        if !meta.is_file() {
            tracing::warn!(
                "inbox: {} is skipped: it is not a regular file",
                path.display()
            );
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or(Duration::MAX);
        if age < settle {
            found.push(Found::Settling(entry.path()));
        } else {
            found.push(Found::Ready(entry.path()));
        }
    }
    found.sort_by(|a, b| path_of(a).file_name().cmp(&path_of(b).file_name()));
    Ok(found)
}

fn path_of(found: &Found) -> &Path {
    match found {
        Found::Ready(p) | Found::Settling(p) => p,
    }
}

/// A free name for `name` inside `dir`: `name`, else `stem-2.ext`, `stem-3.ext`, ... The
/// name is kept as the file system gave it (a name that is not UTF-8, as an old GBK zip
/// tool writes, keeps its bytes).
fn free_name(dir: &Path, name: &OsStr) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let name = Path::new(name);
    let stem = name.file_stem().unwrap_or(name.as_os_str());
    (2..)
        .map(|n| {
            let mut numbered = stem.to_os_string();
            numbered.push(format!("-{n}"));
            if let Some(ext) = name.extension() {
                numbered.push(".");
                numbered.push(ext);
            }
            dir.join(numbered)
        })
        .find(|p| !p.exists())
        .expect("some numbered name is free")
}

/// The file's own name, as the file system holds it.
fn own_name(file: &Path) -> &OsStr {
    file.file_name().unwrap_or(file.as_os_str())
}

/// Moves a used file to `inbox/processed/`; returns where it went.
pub fn move_processed(inbox: &Path, file: &Path) -> std::io::Result<PathBuf> {
    let dir = inbox.join("processed");
    std::fs::create_dir_all(&dir)?;
    let target = free_name(&dir, own_name(file));
    std::fs::rename(file, &target)?;
    Ok(target)
}

/// Moves an unusable file to `inbox/failed/` with `<name>.error.txt` beside it.
pub fn move_failed(inbox: &Path, file: &Path, error: &str) -> std::io::Result<PathBuf> {
    let dir = inbox.join("failed");
    std::fs::create_dir_all(&dir)?;
    let target = free_name(&dir, own_name(file));
    std::fs::rename(file, &target)?;
    let mut note = target.clone().into_os_string();
    note.push(".error.txt");
    std::fs::write(&note, format!("{error}\n"))?;
    Ok(target)
}
