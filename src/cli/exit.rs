//! The exit status of a command: what its outcome means to a script that ran it.

/// What a command's outcome means for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Done = 0,
    /// Done, but some input could not be used (each one was named on stderr).
    SomeFailed = 1,
    /// Nothing (more) could be done: a config, database or usage error.
    Error = 2,
}
