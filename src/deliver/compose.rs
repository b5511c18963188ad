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
