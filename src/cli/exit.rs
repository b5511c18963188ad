//! The exit status of a command: what its outcome means to a script that ran it.

/// What a command's outcome means for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Done = 0,
    /// Done as far as it went, but part of what was asked was not done: a file could not
    /// be used or had no usable row, a message could not be sent yet (it stays queued),
    /// an archived file failed its check. Each is named on stderr.
    SomeFailed = 1,
    /// Nothing (more) could be done: a config, database or usage error.
    Error = 2,
}
