//! `web`: the admin console alone (`serve` runs it too), and `web passwd NAME`, which sets
//! a console user's password hash in the config file.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use clap::Subcommand;
use hotline_ledger::config::Config;

use super::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Set a console user's password (read from the terminal, or from standard input when
    /// that is not a terminal); the user must be listed in [[web.users]].
    Passwd {
        /// The user's name as listed in [[web.users]].
        name: String,
    },
}

/// Entry point of `web`.
pub fn run(config: &Config, config_path: Option<&Path>, args: &Args) -> anyhow::Result<Exit> {
    match &args.action {
        None => {
            hotline_ledger::jobs::check_setup(config)?;
            hotline_ledger::web::run_alone(config)?;
            Ok(Exit::Done)
        }
        Some(Action::Passwd { name }) => passwd(config, config_path, name),
    }
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = prompt_hidden("新密码: ")?;
        let second = prompt_hidden("再输入一次: ")?;
        if first != second {
            anyhow::bail!("the two passwords differ: nothing changed");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Reads a line from the terminal with echo off.
fn prompt_hidden(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let fd = libc::STDIN_FILENO;
    // SAFETY: termios calls on stdin, a terminal (checked by the caller); the old settings
    // are put back before returning.
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    let have = unsafe { libc::tcgetattr(fd, &mut old) } == 0;
    if have {
        let mut quiet = old;
        quiet.c_lflag &= !libc::ECHO;
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) };
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if have {
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &old) };
    }
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn passwd(config: &Config, config_path: Option<&Path>, name: &str) -> anyhow::Result<Exit> {
    let path = match config_path {
        Some(p) => p.to_path_buf(),
        None if Path::new(hotline_ledger::config::DEFAULT_CONFIG_FILE).is_file() => {
            hotline_ledger::config::DEFAULT_CONFIG_FILE.into()
        }
        None => {
            anyhow::bail!("no config file: give --config FILE (with [[web.users]] listing {name})")
        }
    };
    if !config.web.users.iter().any(|u| u.name == name) {
        anyhow::bail!(
            "{}: no [[web.users]] entry has name = \"{name}\": add one (with role = \"admin\" or \"viewer\") first",
            path.display()
        );
    }
    let password = read_password()?;
    if password.chars().count() < 8 {
        anyhow::bail!("the password is shorter than 8 characters: nothing changed");
    }
    let hash = hotline_ledger::web::auth::hash_password(&password)?;
    Config::write_password_hash(&path, name, &hash)?;
    outln!("password of {name} set in {}", path.display());
    Ok(Exit::Done)
}
