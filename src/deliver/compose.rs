//! Composing a message: a Chinese subject, an HTML body with a plain-text alternative
//! (both from templates in report-templates/), and the PDFs attached under their Chinese
//! names, written both as RFC 2231 `filename*` (lettre's) and as an RFC 2047 `name` on
//! the Content-Type, which widely used Chinese mail clients read.

use base64::Engine;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};

/// A file to attach.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a message says, before it is addressed.
#[derive(Debug, Clone)]
pub struct Content {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attachments: Vec<AttachmentFile>,
}

/// `text` as RFC 2047 encoded words (UTF-8, base64), each short enough for a header line.
pub fn encoded_words(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The size a message body takes once base64-encoded in 76-character lines.
pub fn base64_size(bytes: usize) -> usize {
    let encoded = bytes.div_ceil(3) * 4;
    encoded + encoded.div_ceil(76) * 2
}

/// Why a message could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("cannot build the message \"{subject}\": {reason}")]
    Message { subject: String, reason: String },
    #[error("cannot attach {name}: {reason}")]
    Attachment { name: String, reason: String },
}

/// Builds the message for one recipient; returns its bytes.
pub fn compose(from: &Mailbox, to: &Mailbox, content: &Content) -> Result<Vec<u8>, ComposeError> {
    let alternative = MultiPart::alternative_plain_html(content.text.clone(), content.html.clone());
    // A Message-ID of its own, so that a server which drops the connection after taking
    // a message (and is sent it again) leaves copies a mail client can fold into one.
    let builder = Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(content.subject.clone())
        .message_id(Some(message_id(from)));
    let message = if content.attachments.is_empty() {
        builder.multipart(alternative)
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in &content.attachments {
            mixed = mixed.singlepart(attachment(a)?);
        }
        builder.multipart(mixed)
    }
    .map_err(|e| ComposeError::Message {
        subject: content.subject.clone(),
        reason: e.to_string(),
    })?;
    Ok(message.formatted())
}

/// A composed message with its Date header saying `at`: the moment it is handed to the
/// server. A message held for the quiet hours or retried after an outage went out then,
/// not when it was written, and mail clients sort by this header. The message is returned
/// as it is when its head holds no Date line.
pub fn dated(message: &[u8], at: chrono::DateTime<chrono::FixedOffset>) -> Vec<u8> {
    let head_end = memchr::memmem::find(message, b"\r\n\r\n").unwrap_or(message.len());
    let head = &message[..head_end];
    // The Date line's start (at the head's start or after a line end) and its end, folded
    // continuation lines (starting with white space) included.
    let start = if head.len() >= 5 && head[..5].eq_ignore_ascii_case(b"Date:") {
        Some(0)
    } else {
        memchr::memmem::find_iter(head, b"\r\n")
            .map(|i| i + 2)
            .find(|&i| head.len() >= i + 5 && head[i..i + 5].eq_ignore_ascii_case(b"Date:"))
    };
    let Some(start) = start else {
        return message.to_vec();
    };
    let mut end = start;
    loop {
        match memchr::memmem::find(&head[end..], b"\r\n") {
            Some(i) if matches!(head.get(end + i + 2), Some(b' ' | b'\t')) => end += i + 2,
            Some(i) => {
                end += i;
                break;
            }
            None => {
                end = head.len();
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(message.len() + 8);
    out.extend_from_slice(&message[..start]);
    out.extend_from_slice(format!("Date: {}", at.to_rfc2822()).as_bytes());
    out.extend_from_slice(&message[end..]);
    out
}

/// `<random@the sender's domain>`.
fn message_id(from: &Mailbox) -> String {
    let token: u128 = rand::random();
    format!("<{token:032x}@{}>", from.email.domain())
}

fn attachment(file: &AttachmentFile) -> Result<SinglePart, ComposeError> {
    let mime = if file.name.to_lowercase().ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    let content_type =
        ContentType::parse(&format!("{mime}; name=\"{}\"", encoded_words(&file.name))).map_err(
            |e| ComposeError::Attachment {
                name: file.name.clone(),
                reason: e.to_string(),
            },
        )?;
    Ok(Attachment::new(file.name.clone()).body(file.bytes.clone(), content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_decode_back() {
        let w = encoded_words("2025-W05-周报.pdf");
        assert!(w.starts_with("=?UTF-8?B?"), "{w}");
        let inner = w.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(inner)
            .unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "2025-W05-周报.pdf");
        assert_eq!(encoded_words("plain.pdf"), "plain.pdf");
        // Long names are split into several words, each a header-safe length.
        let long = encoded_words(&"投诉工单预警月度复盘".repeat(4));
        assert!(long.split(' ').all(|w| w.len() <= 75), "{long}");
    }

    #[test]
    fn base64_overhead() {
        assert_eq!(base64_size(3), 6);
        assert_eq!(base64_size(57), 78);
        assert!(base64_size(20_000_000) > 26_000_000);
    }
}

#[cfg(test)]
mod dated_tests {
    use super::dated;

    #[test]
    fn the_date_line_is_replaced_and_nothing_else() {
        let at = chrono::DateTime::parse_from_rfc3339("2025-03-02T07:00:05+08:00").unwrap();
        let message = b"From: a@b.cn\r\nDate: Sat, 01 Mar 2025\r\n 23:30:00 +0800\r\nSubject: x\r\n\r\nDate: in the body\r\n";
        assert_eq!(
            String::from_utf8(dated(message, at)).unwrap(),
            "From: a@b.cn\r\nDate: Sun, 2 Mar 2025 07:00:05 +0800\r\nSubject: x\r\n\r\nDate: in the body\r\n"
        );
        let first = b"Date: Sat, 01 Mar 2025 23:30:00 +0800\r\nSubject: x\r\n\r\nbody";
        assert_eq!(
            String::from_utf8(dated(first, at)).unwrap(),
            "Date: Sun, 2 Mar 2025 07:00:05 +0800\r\nSubject: x\r\n\r\nbody"
        );
        let none = b"Subject: x\r\n\r\nDate: body";
        assert_eq!(dated(none, at), none.to_vec());
    }
}
