//! The chat webhook (企业微信 / 钉钉 group bots, or any receiver of JSON): one HTTP POST per
//! recorded message, over plain HTTP or TLS. The secret (WeCom's key, DingTalk's signing
//! secret, a bearer token) is read from the environment or a file when the message is
//! sent, and is never stored in the outbox, a log line or an error.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use sha2::Sha256;

use super::SendError;
use crate::config::{Config, Endpoint, Webhook, WebhookFormat};

/// The outbox's recipient for webhook messages: the bot's address without its query.
pub fn recipient(hook: &Webhook) -> String {
    Endpoint::parse(&hook.url)
        .map(|e| e.shown())
        .unwrap_or_else(|_| "webhook".into())
}

/// The body of a webhook message, in the receiver's format.
pub fn body(
    format: WebhookFormat,
    title: &str,
    markdown: &str,
    events: serde_json::Value,
) -> Vec<u8> {
    let value = match format {
        WebhookFormat::Wecom => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "content": markdown },
        }),
        WebhookFormat::Dingtalk => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "title": title, "text": markdown },
        }),
        WebhookFormat::Json => serde_json::json!({
            "title": title,
            "markdown": markdown,
            "events": events,
        }),
    };
    serde_json::to_vec(&value).expect("JSON serializes")
}

/// `markdown` cut to at most `max` bytes at a line end (a character's end when no line
/// ends early enough), with a last line … to say something was left out.
pub fn cut(markdown: &str, max: usize) -> String {
    const MORE: &str = "\n…";
    let room = max.saturating_sub(MORE.len());
    let mut end = room.min(markdown.len());
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let end = markdown[..end]
        .rfind('\n')
        .filter(|at| *at > room / 2)
        .unwrap_or(end);
    format!("{}{MORE}", &markdown[..end])
}

/// A recorded message longer than its platform takes (queued by an earlier version, which
/// did not split long runs): its markdown split at line ends into parts within the limit
/// (a single line longer than the limit cut, with … to say so), each posted as the message
/// with its other fields.
pub struct Split {
    message: serde_json::Value,
    field: &'static str,
    pub parts: Vec<String>,
}

impl Split {
    /// The split of a recorded message; None when it is within the limit or has no
    /// markdown of a platform with a limit: it goes as recorded.
    pub fn of(format: WebhookFormat, body: &[u8]) -> Option<Split> {
        let max = format.max_markdown_bytes()?;
        let field = match format {
            WebhookFormat::Wecom => "content",
            WebhookFormat::Dingtalk => "text",
            WebhookFormat::Json => return None,
        };
        let message = serde_json::from_slice::<serde_json::Value>(body).ok()?;
        let text = message.get("markdown")?.get(field)?.as_str()?;
        if text.len() <= max {
            return None;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in text.split_inclusive('\n') {
            if !current.is_empty() && current.len() + line.len() > max {
                parts.push(std::mem::take(&mut current));
            }
            if line.len() > max {
                parts.push(cut(line, max));
            } else {
                current.push_str(line);
            }
        }
        if !current.is_empty() {
            parts.push(current);
        }
        let parts = parts.iter().map(|p| p.trim_end().to_string()).collect();
        Some(Split {
            message,
            field,
            parts,
        })
    }

    /// The message with `parts` of its markdown, one after the other.
    pub fn body(&self, parts: &[String]) -> Vec<u8> {
        let mut message = self.message.clone();
        message["markdown"][self.field] = serde_json::Value::from(parts.join("\n"));
        serde_json::to_vec(&message).expect("JSON serializes")
    }
}

/// Posts one recorded message to the configured webhook; returns what happened or why it
/// failed (never with the secret).
pub fn post(config: &Config, body: &[u8]) -> Result<String, SendError> {
    let Some(hook) = &config.notify.webhook else {
        return Err(SendError::Webhook(
            "no [notify.webhook] is configured any more: the message stays queued".into(),
        ));
    };
    let fail = |m: String| SendError::Webhook(m);
    let mut endpoint = Endpoint::parse(&hook.url).map_err(fail)?;
    let secret = secret(config, hook).map_err(fail)?;
    let mut bearer = None;
    if let Some(secret) = secret.filter(|s| !s.is_empty()) {
        match hook.format {
            WebhookFormat::Wecom => endpoint = endpoint.with_query("key", &secret),
            WebhookFormat::Dingtalk => {
                let millis = chrono::Utc::now().timestamp_millis().to_string();
                let sign = dingtalk_sign(&millis, &secret);
                endpoint = endpoint
                    .with_query("timestamp", &millis)
                    .with_query("sign", &sign);
            }
            WebhookFormat::Json => bearer = Some(secret),
        }
    }
    let timeout = Duration::from_secs(u64::from(hook.timeout_secs));
    let (status, response) = request(&endpoint, body, bearer.as_deref(), timeout)
        .map_err(|e| fail(format!("{}: {e}", endpoint.shown())))?;
    if !(200..300).contains(&status) {
        return Err(fail(format!(
            "{} answered HTTP {status}: {}",
            endpoint.shown(),
            excerpt(&response)
        )));
    }
    // WeCom and DingTalk answer 200 with an error code in the body.
    if hook.format != WebhookFormat::Json {
        if let Ok(answer) = serde_json::from_slice::<serde_json::Value>(&response) {
            let code = answer.get("errcode").and_then(|c| c.as_i64()).unwrap_or(0);
            if code != 0 {
                let msg = answer.get("errmsg").and_then(|m| m.as_str()).unwrap_or("");
                return Err(fail(format!(
                    "{} refused the message: errcode {code} {msg}",
                    endpoint.shown()
                )));
            }
        }
    }
    Ok(format!("accepted by {} (HTTP {status})", endpoint.shown()))
}

/// The first line or so of an answer, for an error message.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text: String = text.chars().take(200).collect();
    text.trim().replace(['\r', '\n'], " ")
}

fn secret(config: &Config, hook: &Webhook) -> Result<Option<String>, String> {
    if let Some(var) = &hook.secret_env {
        return std::env::var(var).map(Some).map_err(|_| {
            format!("notify.webhook.secret_env names {var}, which is not set in the environment")
        });
    }
    if let Some(file) = &hook.secret_file {
        let path = config.resolve(file);
        return std::fs::read_to_string(&path)
            .map(|s| Some(s.trim().to_string()))
            .map_err(|e| {
                format!(
                    "cannot read the webhook secret file {}: {e}",
                    path.display()
                )
            });
    }
    Ok(None)
}

/// DingTalk's 加签: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
fn dingtalk_sign(timestamp: &str, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// One HTTP/1.1 POST of a JSON body; returns the status code and the response body.
fn request(
    endpoint: &Endpoint,
    body: &[u8],
    bearer: Option<&str>,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), String> {
    let addr = (endpoint.host.as_str(), endpoint.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", endpoint.host))?
        .next()
        .ok_or_else(|| format!("cannot resolve {}", endpoint.host))?;
    // One deadline for the whole exchange: a bot that answers byte by byte cannot hold the
    // warnings after it longer than the timeout.
    let deadline = std::time::Instant::now() + timeout;
    let tcp = TcpStream::connect_timeout(&addr, timeout).map_err(|e| {
        if e.kind() == std::io::ErrorKind::TimedOut {
            format!("timed out connecting after {} s", timeout.as_secs())
        } else {
            format!("connecting: {e}")
        }
    })?;
    // Reads wait a little at a time, so that the deadline is looked at often.
    tcp.set_read_timeout(Some(timeout.min(Duration::from_millis(250))))
        .map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let host_header =
        if (endpoint.tls && endpoint.port == 443) || (!endpoint.tls && endpoint.port == 80) {
            endpoint.host.clone()
        } else {
            format!("{}:{}", endpoint.host, endpoint.port)
        };
    let mut head = format!(
        "POST {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: hotline-ledger/{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        endpoint.target,
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    if let Some(token) = bearer {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    let mut response = Vec::new();
    if endpoint.tls {
        let tls = tls_config()?;
        let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone())
            .map_err(|e| format!("{}: {e}", endpoint.host))?;
        let conn = rustls::ClientConnection::new(tls, name).map_err(|e| e.to_string())?;
        let mut stream = rustls::StreamOwned::new(conn, tcp);
        exchange(&mut stream, head.as_bytes(), body, &mut response, deadline)?;
    } else {
        let mut stream = tcp;
        exchange(&mut stream, head.as_bytes(), body, &mut response, deadline)?;
    }
    parse_response(&response)
}

fn exchange<S: Read + Write>(
    stream: &mut S,
    head: &[u8],
    body: &[u8],
    response: &mut Vec<u8>,
    deadline: std::time::Instant,
) -> Result<(), String> {
    let timed_out = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) || std::time::Instant::now() >= deadline
    };
    stream
        .write_all(head)
        .and_then(|_| stream.write_all(body))
        .and_then(|_| stream.flush())
        .map_err(|e| {
            if timed_out(&e) {
                "timed out sending the message".to_string()
            } else {
                format!("sending: {e}")
            }
        })?;
    // The answer is read as far as it goes, by its length: a bot that keeps the connection
    // open after answering must not hold the sender until it closes (nor make it think
    // the message failed and post it again).
    let mut buf = [0u8; 8192];
    loop {
        if answer_complete(response) {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            return Err("timed out waiting for the answer".into());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => response.extend_from_slice(&buf[..n]),
            // A TLS peer that closes without close_notify after a full answer is common.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !response.is_empty() => {
                return Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A short wait ran out: the deadline decides.
            Err(e) if timed_out(&e) => {}
            Err(e) => return Err(format!("reading the answer: {e}")),
        }
    }
}

/// Whether `bytes` hold a whole HTTP answer: its head, and a body as long as its
/// Content-Length says, or a chunked body up to its last chunk. An answer with neither
/// runs to the closing of the connection.
fn answer_complete(bytes: &[u8]) -> bool {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let body = &bytes[end + 4..];
    for line in head.lines() {
        let line = line.replace(' ', "");
        if let Some(length) = line.strip_prefix("content-length:") {
            return length.parse::<usize>().is_ok_and(|n| body.len() >= n);
        }
        if line == "transfer-encoding:chunked" {
            return body.ends_with(b"0\r\n\r\n");
        }
    }
    false
}

/// The status code and body of an HTTP/1.1 response (plain or chunked).
fn parse_response(bytes: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the answer is not HTTP")?;
    let head = String::from_utf8_lossy(&bytes[..end]);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("the answer has no HTTP status")?;
    let mut body = bytes[end + 4..].to_vec();
    if head
        .lines()
        .any(|l| l.to_ascii_lowercase().replace(' ', "") == "transfer-encoding:chunked")
    {
        body = dechunk(&body);
    }
    Ok((status, body))
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = bytes.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        bytes = &bytes[line_end + 2..];
        if size == 0 || size > bytes.len() {
            break;
        }
        out.extend_from_slice(&bytes[..size]);
        bytes = &bytes[(size + 2).min(bytes.len())..];
    }
    out
}

/// TLS with the system's trusted certificates.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        return Err("no trusted certificates found on this machine for https".into());
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_answers_are_read() {
        let (status, body) = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!((status, body.as_slice()), (200, &b"hello"[..]));
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn a_recorded_message_over_the_limit_is_split_at_line_ends_and_one_within_it_kept() {
        let line = "- 噪声扰民 · 星沙街道开元东路18号 · 5件\n";
        let long = line.repeat(200);
        assert!(long.len() > 4096);
        let recorded = body(WebhookFormat::Wecom, "t", &long, serde_json::json!([]));
        let split = Split::of(WebhookFormat::Wecom, &recorded).expect("split");
        assert!(split.parts.len() >= 2);
        let mut lines = 0;
        for part in split.parts.chunks(1) {
            let value: serde_json::Value = serde_json::from_slice(&split.body(part)).unwrap();
            let content = value["markdown"]["content"].as_str().unwrap();
            assert!(content.len() <= 4096, "{}", content.len());
            assert_eq!(value["msgtype"], "markdown");
            lines += content.lines().count();
        }
        assert_eq!(lines, 200, "every line once");
        let short = body(WebhookFormat::Dingtalk, "t", line, serde_json::json!([]));
        assert!(Split::of(WebhookFormat::Dingtalk, &short).is_none());
        let json = body(WebhookFormat::Json, "t", &long, serde_json::json!([]));
        assert!(Split::of(WebhookFormat::Json, &json).is_none());
    }
}
