//! A real SMTP server for the tests: mailin-embedded on a loopback port, with STARTTLS on
//! a self-signed certificate the client is told to trust, and AUTH PLAIN.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use mailin_embedded::{response, AuthMechanism, Handler, Response, Server, SslConfig};

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone)]
struct Collect {
    inbox: Arc<Mutex<Vec<Received>>>,
    reject: Arc<Mutex<Vec<String>>>,
    logins: Arc<Mutex<Vec<(String, String)>>>,
    user: String,
    password: String,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collect {
    fn rcpt(&mut self, to: &str) -> Response {
        if self.reject.lock().unwrap().iter().any(|r| r == to) {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        self.inbox.lock().unwrap().push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: std::mem::take(&mut self.data),
        });
        response::OK
    }
    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.logins
            .lock()
            .unwrap()
            .push((user.to_string(), password.to_string()));
        if user == self.user && password == self.password {
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }
}

/// A running server.
pub struct Smtp {
    pub port: u16,
    pub inbox: Arc<Mutex<Vec<Received>>>,
    /// Recipients refused at RCPT TO.
    pub reject: Arc<Mutex<Vec<String>>>,
    pub logins: Arc<Mutex<Vec<(String, String)>>>,
    /// The certificate clients must trust (PEM file).
    pub ca_file: std::path::PathBuf,
}

/// A free loopback port (bound and released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Writes a self-signed certificate for localhost and its key into `dir`.
pub fn certificate(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert_path = dir.join("smtp-cert.pem");
    let key_path = dir.join("smtp-key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    (cert_path, key_path)
}

/// Starts a server on `port` with STARTTLS and AUTH PLAIN for `user`/`password`.
pub fn start(dir: &Path, port: u16, user: &str, password: &str) -> Smtp {
    let (cert_path, key_path) = if dir.join("smtp-cert.pem").exists() {
        (dir.join("smtp-cert.pem"), dir.join("smtp-key.pem"))
    } else {
        certificate(dir)
    };
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let logins = Arc::new(Mutex::new(Vec::new()));
    let reject = Arc::new(Mutex::new(Vec::new()));
    let handler = Collect {
        inbox: Arc::clone(&inbox),
        reject: Arc::clone(&reject),
        logins: Arc::clone(&logins),
        user: user.into(),
        password: password.into(),
        from: String::new(),
        to: Vec::new(),
        data: Vec::new(),
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("the port is free");
    let mut server = Server::new(handler);
    server
        .with_name("localhost")
        .with_ssl(SslConfig::SelfSigned {
            cert_path: cert_path.display().to_string(),
            key_path: key_path.display().to_string(),
        })
        .unwrap()
        .with_auth(AuthMechanism::Plain)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    Smtp {
        port,
        inbox,
        reject,
        logins,
        ca_file: cert_path,
    }
}

impl Smtp {
    /// The messages received so far. A message is stored before the server answers the end
    /// of its data, so once a command that sent it has exited, it is here: a test checks
    /// that nothing more came without waiting.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Waits until `n` messages have arrived (sent by a process still running, such as the
    /// daemon); fails naming what arrived when they do not within `PATIENCE`.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        crate::common::wait_until(&format!("{n} messages at the SMTP server"), || {
            self.messages().len() >= n
        });
        self.messages()
    }
}
