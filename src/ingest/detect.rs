//! Deciding what a file is before reading it, from its content: a workbook (.xlsx, .xlsb,
//! .xls, .ods) or a CSV, and a CSV's text encoding (UTF-8, UTF-8 with a byte order mark, or
//! GBK/GB18030). Anything else is refused saying what it is.

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
    /// GBK text after a UTF-8 byte order mark (a tool that adds the mark to whatever it
    /// writes): the mark is skipped, the text read as GBK.
    GbkAfterBom,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Gbk => "GBK",
            TextEncoding::GbkAfterBom => "GBK (after a UTF-8 BOM)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (Excel 2007 on, WPS, LibreOffice): a zip of XML parts.
    Xlsx,
    /// Excel binary workbook: a zip of binary parts.
    Xlsb,
    /// The old binary Excel workbook (BIFF8, Excel 97-2003) in an OLE compound file.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, WPS): a zip of XML parts.
    Ods,
    Csv(TextEncoding),
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv(_) => "csv",
        }
    }
    pub fn encoding(self) -> Option<TextEncoding> {
        match self {
            Format::Csv(e) => Some(e),
            _ => None,
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The file name extensions of exports that are read; the content decides the form.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "et", "ods", "csv"];

/// True when `path` has one of the [`EXTENSIONS`] (in any case).
pub fn has_export_extension(path: &Path) -> bool {
    let ext = extension(path);
    EXTENSIONS.contains(&ext.as_str())
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Anything a workbook can be read from.
pub trait ReadSeek: std::io::Read + std::io::Seek {}
impl<T: std::io::Read + std::io::Seek> ReadSeek for T {}

/// Decides the form from the content (its first bytes, and for a zip its list of parts in
/// `whole`), not from the name alone: a workbook named .csv is read as the workbook it is,
/// and an .xls that a platform wrote as CSV text as that text. The name only has to be
/// one of an export's ([`EXTENSIONS`]).
pub fn detect(path: &Path, prefix: &[u8], whole: &mut dyn ReadSeek) -> Result<Format, FileProblem> {
    let ext = extension(path);
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(if ext.is_empty() {
            FileProblem::UnsupportedType("(no extension)".into())
        } else {
            FileProblem::UnsupportedType(format!(".{ext}"))
        });
    }
    if prefix.is_empty() {
        return Err(FileProblem::Empty);
    }
    if prefix.starts_with(ZIP_MAGIC) {
        return Ok(zip_form(whole).unwrap_or(match ext.as_str() {
            "xlsb" => Format::Xlsb,
            "ods" => Format::Ods,
            // Not a workbook's zip: calamine says what it lacks, in its words.
            _ => Format::Xlsx,
        }));
    }
    if prefix.starts_with(OLE_MAGIC) {
        // An .xls workbook, or an encrypted workbook of any form (told apart when opened).
        return Ok(Format::Xls);
    }
    if looks_like_html(prefix) {
        return Err(FileProblem::WebPage(ext));
    }
    match ext.as_str() {
        "csv" => detect_text(prefix).map(Format::Csv),
        // Some platforms write CSV text under an .xls name.
        "xls" | "et" => match detect_text(prefix) {
            Ok(encoding) => Ok(Format::Csv(encoding)),
            Err(_) => Err(FileProblem::NotWorkbook(ext)),
        },
        _ => Err(FileProblem::NotWorkbook(ext)),
    }
}

/// The workbook form a zip holds, judged from its parts; None when it holds none.
fn zip_form(whole: &mut dyn ReadSeek) -> Option<Format> {
    whole.seek(std::io::SeekFrom::Start(0)).ok()?;
    let archive = zip::ZipArchive::new(whole).ok()?;
    let mut form = None;
    for name in archive.file_names() {
        let Ok(name) = name else { continue };
        match name.as_ref() {
            "xl/workbook.bin" => return Some(Format::Xlsb),
            "xl/workbook.xml" => form = Some(Format::Xlsx),
            "mimetype" if form.is_none() => form = Some(Format::Ods),
            _ => {}
        }
    }
    form
}

/// An HTML page (a table saved as a web page): its first non-blank text is a tag such as
/// `<html`, `<!DOCTYPE html`, `<table` or `<meta`.
fn looks_like_html(prefix: &[u8]) -> bool {
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let head: Vec<u8> = text[start..]
        .iter()
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if !head.starts_with(b"<") {
        return false;
    }
    [
        &b"<html"[..],
        b"<!doctype html",
        b"<table",
        b"<meta",
        b"<head",
        b"<body",
        b"<style",
    ]
    .iter()
    .any(|tag| memchr::memmem::find(&head, tag).is_some())
}

/// Decides the encoding of CSV text from its first bytes.
pub fn detect_text(prefix: &[u8]) -> Result<TextEncoding, FileProblem> {
    if let Some(text) = prefix.strip_prefix(b"\xEF\xBB\xBF") {
        // The mark says UTF-8; text that is not, and reads as GBK, is GBK all the same.
        return Ok(match detect_text(text) {
            Ok(TextEncoding::Gbk) => TextEncoding::GbkAfterBom,
            _ => TextEncoding::Utf8Bom,
        });
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

    /// A zip holding `parts`, as bytes.
    fn zip_of(parts: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for part in parts {
            zip.start_file(*part, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"x").unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn form(name: &str, bytes: &[u8]) -> Result<Format, FileProblem> {
        let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
        detect(Path::new(name), prefix, &mut std::io::Cursor::new(bytes))
    }

    #[test]
    fn the_content_decides_the_form() {
        let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);
        let xlsb = zip_of(&["[Content_Types].xml", "xl/workbook.bin"]);
        let ods = zip_of(&["mimetype", "content.xml"]);
        for name in ["a.xlsx", "a.xls", "a.ods", "a.csv", "a.XLSB"] {
            assert_eq!(form(name, &xlsx), Ok(Format::Xlsx), "{name}");
            assert_eq!(form(name, &xlsb), Ok(Format::Xlsb), "{name}");
            assert_eq!(form(name, &ods), Ok(Format::Ods), "{name}");
        }
        // A zip with no workbook in it: its name says which reader reports what it lacks.
        let other = zip_of(&["readme.txt"]);
        assert_eq!(form("a.xlsb", &other), Ok(Format::Xlsb));
        assert_eq!(form("a.ods", &other), Ok(Format::Ods));
        assert_eq!(form("a.xlsx", &other), Ok(Format::Xlsx));
        let ole = [OLE_MAGIC, &[0u8; 504]].concat();
        assert_eq!(form("a.xlsx", &ole), Ok(Format::Xls));
        assert_eq!(
            form("a.xls", "工单编号,受理时间\n".as_bytes()),
            Ok(Format::Csv(TextEncoding::Utf8))
        );
        assert_eq!(
            form("a.xlsx", "工单编号,受理时间\n".as_bytes()),
            Err(FileProblem::NotWorkbook("xlsx".into()))
        );
        assert_eq!(
            form("a.xls", b"  <!DOCTYPE html><html>"),
            Err(FileProblem::WebPage("xls".into()))
        );
        assert_eq!(
            form("a.txt", b"a,b\n"),
            Err(FileProblem::UnsupportedType(".txt".into()))
        );
        assert_eq!(form("a.ods", b""), Err(FileProblem::Empty));
    }

    #[test]
    fn a_cut_utf8_character_at_the_end_is_fine() {
        let text = "工单编号".as_bytes();
        assert_eq!(detect_text(&text[..text.len() - 1]), Ok(TextEncoding::Utf8));
    }
}
