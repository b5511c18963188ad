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

/// Removes the partial files in `dir` untouched for `STALE`; returns how many. A file
/// that cannot be removed is left for the next time (it is hidden and harms nothing).
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() >= STALE);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            tracing::info!(file = %entry.path().display(), "removed a partial file left by an interrupted run");
            removed += 1;
        }
    }
    removed
}
