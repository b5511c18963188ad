//! A closed stdout ends a command quietly: `hotline-ledger cases | head -1` prints its first
//! line and ends, without a panic on stderr.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use crate::common::*;

/// A pipe (read end, write end) holding at most one page, so that a few KB of output fill it.
fn small_pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two descriptors, owned from here on; F_SETPIPE_SZ only sizes
    // the pipe's buffer.
    unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        let (read, write) = (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]));
        assert!(libc::fcntl(fds[1], libc::F_SETPIPE_SZ, 4096) > 0);
        (read, write)
    }
}

/// Runs the binary with stdout a pipe whose reader takes the first `lines` lines, then
/// closes it. Returns what was read, the exit status and stderr.
fn run_closed_after(ws: &Workspace, args: &[&str], lines: usize) -> (String, ExitStatus, String) {
    let (read, write) = small_pipe();
    let mut reader = std::fs::File::from(read);
    let child = {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hotline-ledger"));
        command
            .arg("--config")
            .arg(&ws.config_path)
            .args(args)
            .current_dir(ws.dir.path())
            .env_remove("HOTLINE_LEDGER_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::from(write))
            .stderr(Stdio::piped());
        command.spawn().expect("binary starts")
        // The command, and with it this process's copy of the write end, is dropped here.
    };
    // Byte by byte, so nothing past the lines asked for is taken out of the pipe.
    let mut taken = Vec::new();
    let mut byte = [0u8; 1];
    while taken.iter().filter(|b| **b == b'\n').count() < lines {
        match reader.read(&mut byte).unwrap() {
            0 => break,
            _ => taken.push(byte[0]),
        }
    }
    drop(reader);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&taken).into_owned(),
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The sample exports, loaded.
fn sample_workspace() -> Workspace {
    let ws = Workspace::new();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    let mut files: Vec<String> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    assert_exit(&ws.run(&args), 0);
    ws
}

fn assert_quiet_end(args: &[&str], status: ExitStatus, stderr: &str) {
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{args:?}: {stderr}"
    );
    assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
    // Ended by SIGPIPE, as command-line tools are when their reader goes away: the output
    // did reach the closed pipe.
    assert_eq!(
        status.signal(),
        Some(libc::SIGPIPE),
        "{args:?}: {status} {stderr}"
    );
    assert_eq!(stderr, "", "{args:?}");
}

#[test]
fn listing_commands_end_quietly_when_their_reader_has_gone() {
    let ws = sample_workspace();
    for args in [
        &["cases", "--as-of", "2025-02-28"][..],
        &["cases", "--as-of", "2025-02-28", "--format", "json"],
        &["subjects", "--as-of", "2025-02-28"],
        &["status"],
        &["rejected"],
        &["rejected", "--format", "csv"],
        &["config"],
    ] {
        // Closed before the command printed anything.
        let (_, status, stderr) = run_closed_after(&ws, args, 0);
        assert_quiet_end(args, status, &stderr);
    }
}

/// Generated exports of `rows` orders, loaded: many warning cases.
fn generated_workspace(rows: usize) -> Workspace {
    let ws = Workspace::new();
    let file = ws.path("generated.csv");
    let orders = hotline_ledger::generate::bulk(
        rows,
        7,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        90,
    );
    hotline_ledger::generate::write(
        &file,
        hotline_ledger::generate::Dialect::CsvUtf8,
        None,
        &orders,
    )
    .unwrap();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    ws
}

#[test]
fn a_long_listing_ends_quietly_after_its_first_line_was_read() {
    let samples = sample_workspace();
    let generated = generated_workspace(5_000);
    for (ws, args) in [
        (&samples, &["subjects", "--as-of", "2025-02-28"][..]),
        (&generated, &["cases", "--as-of", "2025-03-31"]),
        (
            &generated,
            &["cases", "--as-of", "2025-03-31", "--format", "csv"],
        ),
    ] {
        // Much more than the pipe holds, so the command is still printing when the reader
        // closes it.
        let full = ws.run(args);
        assert_exit(&full, 0);
        let full = stdout(&full);
        assert!(
            full.len() > 16 * 1024,
            "{args:?}: only {} bytes",
            full.len()
        );
        let (first, status, stderr) = run_closed_after(ws, args, 1);
        assert_eq!(first, format!("{}\n", full.lines().next().unwrap()));
        assert_quiet_end(args, status, &stderr);
    }
}
