//! What commands print on stdout goes through `outln!` and `out!` (`println!` and `print!`
//! otherwise). When stdout is a closed pipe (`hotline-ledger cases | head -1`), the process
//! ends quietly, killed by SIGPIPE as command-line tools are, where `println!` would panic.
//!
//! SIGPIPE itself stays ignored, as Rust sets it: the SMTP client's TLS writes on a socket
//! the server closed must fail with an error (and the message stay queued), not kill the
//! process. The daemon's log lines (`serve`) keep `println!`.

use std::io::Write;

/// Prints `args` on stdout; a closed stdout ends the process quietly.
pub fn print(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            end_on_closed_stdout();
        }
        panic!("failed printing to stdout: {e}");
    }
}

/// Ends the process as the default action of SIGPIPE does.
fn end_on_closed_stdout() -> ! {
    // SAFETY: signal only restores SIGPIPE's default action (termination) for this process,
    // and raise sends SIGPIPE to it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    // Not reached: the signal ends the process. 128 + SIGPIPE, as a shell would report it.
    std::process::exit(128 + libc::SIGPIPE)
}

/// `println!` for command output: see the module's documentation.
macro_rules! outln {
    () => {
        $crate::cli::output::print(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for command output: see the module's documentation.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::print(format_args!($($arg)*))
    };
}
