//! Delivery: composing report messages, the outbox that records every message before it
//! is sent, the transports (SMTP with lettre, or .eml files when no server is configured)
//! and the admin alerts.
//!
//! The SMTP password is read from the environment or a file when the transport is built
//! and never appears in a message, a log line or an error.

pub mod alerts;
pub mod compose;
pub mod outbox;
pub mod report_mail;
pub mod webhook;

use std::path::PathBuf;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport as _};

use crate::config::{Config, Security};

#[derive(Debug, thiserror::Error)]
pub enum DeliverError {
    #[error("smtp.password_env names {0}, which is not set in the environment")]
    PasswordEnvMissing(String),
    #[error("cannot read the SMTP password file {path}: {message}")]
    PasswordFile { path: PathBuf, message: String },
    #[error("cannot read smtp.ca_file {path}: {message}")]
    CaFile { path: PathBuf, message: String },
    #[error("cannot set up TLS for {host}: {message}")]
    Tls { host: String, message: String },
    #[error("\"{0}\" is not an e-mail address")]
    Address(String),
}

/// Why one message could not be sent (never containing the password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("bad recipient {to}: {reason}")]
    Recipient { to: String, reason: String },
    #[error("the SMTP server: {0}")]
    Smtp(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("the webhook: {0}")]
    Webhook(String),
}

/// Where messages go.
enum Transport {
    Smtp(Box<SmtpTransport>),
    /// No [smtp] section: each message becomes an .eml file in this folder.
    Files(PathBuf),
}

/// Sends recorded messages.
pub struct Mailer {
    transport: Transport,
    pub from: Mailbox,
}

/// The sender used when no [smtp] section names one.
const DEFAULT_FROM: &str = "hotline-ledger <hotline-ledger@localhost>";

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, DeliverError> {
        let Some(smtp) = &config.smtp else {
            return Ok(Mailer {
                transport: Transport::Files(config.out_dir().join("outbox")),
                from: DEFAULT_FROM.parse().expect("a valid default sender"),
            });
        };
        let from: Mailbox = smtp
            .from
            .parse()
            .map_err(|_| DeliverError::Address(smtp.from.clone()))?;
        let tls_error = |e: lettre::transport::smtp::Error| DeliverError::Tls {
            host: smtp.host.clone(),
            message: e.to_string(),
        };
        let mut tls = TlsParameters::builder(smtp.host.clone());
        if let Some(ca) = &smtp.ca_file {
            let ca = config.resolve(ca);
            let pem = std::fs::read(&ca).map_err(|e| DeliverError::CaFile {
                path: ca.clone(),
                message: e.to_string(),
            })?;
            let cert = Certificate::from_pem(&pem).map_err(|e| DeliverError::CaFile {
                path: ca.clone(),
                message: e.to_string(),
            })?;
            tls = tls.add_root_certificate(cert);
        }
        let tls = match smtp.security {
            Security::Starttls => Tls::Required(tls.build_rustls().map_err(tls_error)?),
            Security::Tls => Tls::Wrapper(tls.build_rustls().map_err(tls_error)?),
            Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(smtp.host.clone())
            .port(smtp.port())
            .tls(tls)
            .timeout(Some(Duration::from_secs(u64::from(smtp.timeout_secs))));
        if let Some(user) = &smtp.username {
            builder = builder.credentials(Credentials::new(user.clone(), password(config)?));
        }
        Ok(Mailer {
            transport: Transport::Smtp(Box::new(builder.build())),
            from,
        })
    }

    /// Where messages end up, for messages to the user.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".into(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Sends one message to `to`; `stem` names the .eml file when writing files. Returns
    /// what was done, or the reason it failed (never containing the password).
    pub fn send(&self, message: &[u8], to: &str, stem: &str) -> Result<Delivered, SendError> {
        match &self.transport {
            Transport::Smtp(smtp) => {
                let recipient = |reason: String| SendError::Recipient {
                    to: to.to_string(),
                    reason,
                };
                let address: lettre::Address = to.parse().map_err(|e| recipient(format!("{e}")))?;
                let envelope = Envelope::new(Some(self.from.email.clone()), vec![address])
                    .map_err(|e| recipient(e.to_string()))?;
                smtp.send_raw(&envelope, message)
                    .map(|response| Delivered::Accepted(response.code().to_string()))
                    .map_err(|e| SendError::Smtp(smtp_error(&e)))
            }
            Transport::Files(dir) => {
                let path = dir.join(format!("{}.eml", safe_file_name(stem)));
                match crate::partial::write_atomically(&path, message) {
                    Ok(()) => Ok(Delivered::Written(path)),
                    Err(e) => Err(SendError::Write {
                        path,
                        reason: e.to_string(),
                    }),
                }
            }
        }
    }
}

/// What became of a message that went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// The mail server took it (with this reply code).
    Accepted(String),
    /// No mail server is configured: written as an .eml file here.
    Written(PathBuf),
    /// Posted to the group chat's webhook (what the platform answered).
    Posted(String),
}

impl std::fmt::Display for Delivered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Delivered::Accepted(code) => write!(f, "accepted by the server ({code})"),
            Delivered::Written(path) => write!(f, "written to {}", path.display()),
            Delivered::Posted(what) => f.write_str(what),
        }
    }
}

/// The SMTP error in the words of the person reading `status`: the cause once (lettre's
/// text may already hold it), and no "permanent": every failed message stays queued and is
/// retried, so a password or address fixed in the meantime goes through.
fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        let source = source.to_string();
        if !text.contains(&source) {
            text.push_str(&format!(": {source}"));
        }
    }
    if let Some(rest) = text.strip_prefix("permanent error ") {
        text = format!("refused {rest}");
    } else if let Some(rest) = text.strip_prefix("transient error ") {
        text = format!("refused for now {rest}");
    }
    if text.starts_with("refused (535)") {
        text.push_str(" (the login was refused: check smtp.username and the password)");
    }
    text
}

fn password(config: &Config) -> Result<String, DeliverError> {
    let smtp = config.smtp.as_ref().expect("called with an [smtp] section");
    if let Some(var) = &smtp.password_env {
        return std::env::var(var).map_err(|_| DeliverError::PasswordEnvMissing(var.clone()));
    }
    if let Some(file) = &smtp.password_file {
        let path = config.resolve(file);
        return std::fs::read_to_string(&path)
            .map(|s| s.trim().to_string())
            .map_err(|e| DeliverError::PasswordFile {
                path,
                message: e.to_string(),
            });
    }
    Ok(String::new())
}

/// A file name without characters file systems refuse.
fn safe_file_name(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}
