//! Deciding what a file is before reading it: an .xlsx workbook or a CSV, and a CSV's text
//! encoding (UTF-8, UTF-8 with a byte order mark, or GBK/GB18030). Anything else is refused.

use std::path::Path;

use encoding_rs::{Encoding, GB18030};

use super::problem::FileProblem;

/// How much of a file is looked at to decide.
pub const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Gbk,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Gbk => "GBK",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv(TextEncoding),
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv(_) => "csv",
        }
    }
    pub fn encoding(self) -> Option<TextEncoding> {
        match self {
            Format::Xlsx => None,
            Format::Csv(e) => Some(e),
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the file name and its first bytes.
pub fn detect(path: &Path, prefix: &[u8]) -> Result<Format, FileProblem> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" => {
            if prefix.is_empty() {
                Err(FileProblem::Empty)
            } else if prefix.starts_with(ZIP_MAGIC) {
                Ok(Format::Xlsx)
            } else if prefix.starts_with(OLE_MAGIC) {
                Err(FileProblem::LegacyXls)
            } else {
                Err(FileProblem::NotZip)
            }
        }
        "xls" | "et" => Err(FileProblem::LegacyXls),
        "csv" => {
            if prefix.is_empty() {
                return Err(FileProblem::Empty);
            }
            if prefix.starts_with(ZIP_MAGIC) {
                return Err(FileProblem::ZipNamedCsv);
            }
            if prefix.starts_with(OLE_MAGIC) {
                return Err(FileProblem::LegacyXls);
            }
            detect_text(prefix).map(Format::Csv)
        }
        "" => Err(FileProblem::UnsupportedType("(no extension)".into())),
        other => Err(FileProblem::UnsupportedType(format!(".{other}"))),
    }
}

/// Decides the encoding of CSV text from its first bytes.
pub fn detect_text(prefix: &[u8]) -> Result<TextEncoding, FileProblem> {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Ok(TextEncoding::Utf8Bom);
    }
    if let Some((enc, _)) = Encoding::for_bom(prefix) {
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            return Err(FileProblem::Utf16);
        }
    }
    let nuls = memchr::memchr_iter(0, prefix).count();
    if nuls > 0 {
        // UTF-16 text without a byte order mark has a NUL in every other byte, binary data
        // many: a file is text with a stray NUL only when NULs are rare (the row holding
        // one is rejected when it is read).
        if nuls > 16 || nuls * 50 > prefix.len() {
            let offset = memchr::memchr(0, prefix).expect("counted above");
            let line = 1 + prefix[..offset]
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || prefix[i - 1] != b'\r')))
                .count() as u64;
            return Err(FileProblem::Binary {
                line,
                offset: offset as u64,
            });
        }
        let text: Vec<u8> = prefix.iter().copied().filter(|&b| b != 0).collect();
        return detect_text(&text);
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => return Ok(TextEncoding::Utf8),
        // A multi-byte character cut at the end of the sample is not an error.
        Err(e) if e.error_len().is_none() => return Ok(TextEncoding::Utf8),
        Err(_) => {}
    }
    // UTF-8 with a stray damaged byte is still UTF-8 (the damaged row is rejected later);
    // GBK text read as UTF-8 is nearly all invalid.
    if mostly_valid(&String::from_utf8_lossy(prefix)) {
        return Ok(TextEncoding::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, false);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let other_cjk = ["Big5", "Shift_JIS", "EUC-JP", "EUC-KR", "ISO-2022-JP"];
    if looks_like_gb18030(prefix) && !other_cjk.contains(&guess.name()) {
        Ok(TextEncoding::Gbk)
    } else {
        Err(FileProblem::UnknownEncoding(guess.name().to_string()))
    }
}

/// True when `bytes` read as GB18030 with at most a stray bad sequence (at most one in
/// twenty non-ASCII characters): a real GBK export with one damaged cell is still GBK (the
/// damaged row is rejected later), while binary data or another encoding is not.
fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    // `last = false`: a sequence cut at the end of the sample is not counted as bad.
    let _ = decoder.decode_to_string(bytes, &mut text, false);
    mostly_valid(&text)
}

/// Decoded text with at most one bad character (a replacement or a control character) in
/// twenty non-ASCII ones.
fn mostly_valid(text: &str) -> bool {
    let (mut bad, mut wide) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\u{fffd}' {
            bad += 1;
        } else if !c.is_ascii() {
            wide += 1;
        } else if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') {
            bad += 1;
        }
    }
    wide > 0 && bad * 20 <= wide
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let (gbk, _, _) = GB18030.encode("工单编号,受理时间\n");
        assert_eq!(detect_text(&gbk), Ok(TextEncoding::Gbk));
        assert_eq!(
            detect_text("工单编号,受理时间\n".as_bytes()),
            Ok(TextEncoding::Utf8)
        );
        assert_eq!(detect_text(b"\xEF\xBB\xBFa,b\n"), Ok(TextEncoding::Utf8Bom));
        assert_eq!(detect_text(b"\xFF\xFEa\x00"), Err(FileProblem::Utf16));
        assert_eq!(
            detect_text(b"a\x00b"),
            Err(FileProblem::Binary { line: 1, offset: 1 })
        );
        assert_eq!(
            detect_text(
                &b"a,b\r\nc,d\n"
                    .repeat(20)
                    .into_iter()
                    .chain(*b"e\x00f")
                    .collect::<Vec<u8>>()
            ),
            Ok(TextEncoding::Utf8)
        );
    }

    #[test]
    fn a_cut_utf8_character_at_the_end_is_fine() {
        let text = "工单编号".as_bytes();
        assert_eq!(detect_text(&text[..text.len() - 1]), Ok(TextEncoding::Utf8));
    }
}
