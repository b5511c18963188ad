//! hotline-ledger: parse the command line, run the command, turn the outcome into an exit
//! status (0 done, 1 done but some input could not be used, 2 error).
//!
//! The command line is a front end: it lives in this binary, not in the library, and
//! calls the library's jobs.

mod cli;

fn main() {
    // Everything this program creates (database, reports, archive, outgoing mail) holds
    // citizens' personal data: owner-only, whatever the login's umask says.
    // SAFETY: umask only sets the process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    let code = cli::main();
    // For benchmarks and tests: this process's own peak memory (a child's ru_maxrss starts
    // from its parent's, so the parent cannot measure it).
    if std::env::var_os("HOTLINE_LEDGER_PEAK_MEMORY").is_some() {
        if let Some(kb) = peak_memory_kb() {
            eprintln!("peak memory: {} KB", kb);
        }
    }
    std::process::exit(code);
}

/// VmHWM from /proc/self/status, in KB.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
