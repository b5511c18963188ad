//! Files written under a hidden `.partial-` name and renamed into place once whole: what a
//! process killed between the two leaves behind, and its removal.
//!
//! A writer holds its partial file for the moments it takes to write, sync and rename it;
//! one untouched for longer than `STALE` belongs to a process that died. Removing only
//! those leaves a file another process is writing at the same moment alone.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// The prefix of a file being written.
pub const PREFIX: &str = ".partial-";

/// How long a partial file must have been untouched to count as left behind.
pub const STALE: Duration = Duration::from_secs(60);

/// Removes the partial files in `dir` untouched for `STALE`; returns their names. A file
/// that cannot be removed is left for the next time (it is hidden and harms nothing).
pub fn remove_stale(dir: &Path) -> Vec<String> {
    remove_older(dir, PREFIX, STALE)
}

/// Removes the entries of `dir` named `prefix…` (files, or folders with all they hold)
/// untouched for `age`: what a process that died while writing them left. Returns the
/// names removed; one that cannot be removed is left for the next time.
pub fn remove_older(dir: &Path, prefix: &str, age: Duration) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with(prefix) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let stale = meta
            .modified()
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() >= age);
        if !stale {
            continue;
        }
        let gone = if meta.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        if gone.is_ok() {
            tracing::info!(path = %entry.path().display(), "removed what an interrupted run left");
            removed.push(name);
        }
    }
    removed
}

/// Writes `bytes` to `path` whole or not at all: under a partial name beside it, synced,
/// then renamed over it (the folder is made when missing; partial files an interrupted
/// writer left there are removed first).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    remove_stale(dir);
    let mut tmp = tempfile::Builder::new().prefix(PREFIX).tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    crate::checkpoint::reached("partial-file-written");
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path`, which must not exist yet: under a partial name beside it,
/// synced, then linked into place, so the final name never holds a partial file and an
/// existing file is never replaced. `written` names the moment the partial file is whole
/// (a crash point for the tests).
pub fn write_new(path: &Path, bytes: &[u8], written: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(PREFIX).tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    crate::checkpoint::reached(written);
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}
