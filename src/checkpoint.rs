//! Named points in long operations where the process can be made to stop itself, so a
//! crash-safety test kills it exactly at a point that matters instead of after a guessed
//! delay.
//!
//! With `HOTLINE_LEDGER_PAUSE_AT=<name>` in the environment, the first time the process
//! reaches the checkpoint `<name>` it prints `paused at <name> (pid N)` on stderr and stops
//! itself with SIGSTOP. Whoever started it then kills it there (SIGKILL), or lets it go on
//! (SIGCONT). Without the variable a checkpoint does nothing: the variable is read once per
//! process.
//!
//! The checkpoints:
//! - `ingest-commit`: everything of the file being loaded is written inside its transaction
//!   (rows, rejected rows, the file's record); only the commit is left.
//! - `partial-file-written`: a report (or message) is written and synced under its hidden
//!   `.partial-` name, not yet renamed to its final name.
//! - `report-layout`: a report's queries are done and the database let go; its pages are
//!   about to be laid out.
//! - `archive-partial-written`: an archived document is written and synced under its
//!   hidden `.partial-` name in the archive, not yet linked to its final name.
//! - `archive-file-written`: an archived document has its final name, and is not yet
//!   listed in the manifest.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The environment variable that names the checkpoint to stop at.
pub const PAUSE_AT: &str = "HOTLINE_LEDGER_PAUSE_AT";

/// Stops the process here if `PAUSE_AT` names this checkpoint (once per process).
pub fn reached(name: &str) {
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    static PAUSED: AtomicBool = AtomicBool::new(false);
    let wanted = WANTED.get_or_init(|| std::env::var(PAUSE_AT).ok());
    if wanted.as_deref() != Some(name) || PAUSED.swap(true, Ordering::SeqCst) {
        return;
    }
    eprintln!("paused at {name} (pid {})", std::process::id());
    // SAFETY: raise only sends a signal to this process; SIGSTOP stops all its threads until
    // SIGCONT (or SIGKILL) arrives.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}
