//! Text normalization shared by ingest and the rules: the normalized address that, with the
//! canonical category, names a subject (诉求对象), and the folding of header cells before
//! alias matching.
//!
//! Pure functions only: no I/O, no configuration loading.

use unicode_general_category::{get_general_category, GeneralCategory as G};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Applies NFKC only when the text is not already in NFKC (Chinese text almost always is,
/// and the check is far cheaper than the transform).
fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(is_plain) {
        return std::borrow::Cow::Borrowed(text);
    }
    match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfkc().collect()),
    }
}

/// ASCII and the CJK Unified Ideographs (U+4E00..U+9FFF): characters NFKC leaves as they
/// are, checked without a table lookup.
fn is_plain(c: char) -> bool {
    c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Characters that show nothing: invisible format characters (Cf: zero-width space and
/// joiner, word joiner, BOM, direction marks, soft hyphen) and the blank fillers that are
/// letters or symbols by category (Hangul fillers, the blank braille pattern).
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() || ('\u{3165}'..='\u{fdff}').contains(&c) {
        return false;
    }
    matches!(
        c,
        '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{2800}'
    ) || get_general_category(c) == G::Format
}

/// `text` without the characters that show nothing (`is_invisible`): what reads the same
/// is stored the same. Text without a byte that can start one is returned as it is,
/// without looking at each character (Chinese text almost always).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    // The first two bytes of every invisible character's UTF-8 form: U+00AD; U+0600..U+08FF;
    // U+1000..U+1FFF; U+2000..U+207F and U+2800; U+3140..U+317F; U+FEC0..U+FFFF; the planes
    // above.
    let may_hold = text.as_bytes().windows(2).any(|w| {
        matches!(
            (w[0], w[1]),
            (0xD8..=0xDF | 0xE0 | 0xE1 | 0xF0..=0xF4, _)
                | (0xC2, 0xAD)
                | (0xE2, 0x80 | 0x81 | 0xA0)
                | (0xE3, 0x85)
                | (0xEF, 0xBB..=0xBF)
        )
    });
    if !may_hold || !text.chars().any(is_invisible) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().filter(|c| !is_invisible(*c)).collect())
}

/// An order id as it is compared and stored: what shows (no invisible character), in NFKC
/// (full-width digits and letters as ASCII), trimmed. `00123` and `123` stay two ids.
pub fn order_id(text: &str) -> std::borrow::Cow<'_, str> {
    match visible(text) {
        std::borrow::Cow::Borrowed(shown) => match nfkc(shown) {
            std::borrow::Cow::Borrowed(id) => std::borrow::Cow::Borrowed(id.trim()),
            std::borrow::Cow::Owned(id) => std::borrow::Cow::Owned(id.trim().to_string()),
        },
        std::borrow::Cow::Owned(shown) => std::borrow::Cow::Owned(nfkc(&shown).trim().to_string()),
    }
}

#[cfg(test)]
mod visible_tests {
    use super::*;

    #[test]
    fn what_shows_nothing_goes_and_nothing_else() {
        for (text, shown) in [
            ("开元\u{200b}路1号", "开元路1号"),
            ("\u{feff}噪音扰民\u{2060}", "噪音扰民"),
            (
                "a\u{200d}b\u{200e}c\u{200f}d\u{00ad}e\u{3164}f\u{202e}g",
                "abcdefg",
            ),
            ("他说“明天再来”……", "他说“明天再来”……"),
            ("①号楼 ＧＤ１２３", "①号楼 ＧＤ１２３"),
        ] {
            assert_eq!(visible(text), shown, "{text:?}");
        }
        assert!(matches!(
            visible("星沙街道1号"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(order_id(" ＧＤ\u{200b}００１２３\u{feff} "), "GD00123");
        assert_eq!(order_id("00123"), "00123");
    }
}

/// Separators (Z*), control characters (Cc), invisible format characters (Cf: zero-width
/// space and joiner, BOM, direction marks) and punctuation (P*) are dropped from addresses.
fn is_dropped(c: char) -> bool {
    if c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return false;
    }
    matches!(
        get_general_category(c),
        G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::Control
            | G::Format
            | G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation
    )
}

/// The first steps of address normalization: NFKC, ASCII lower-case, and removal of every
/// separator, control character, invisible format character and punctuation mark.
pub fn address_chars(text: &str) -> String {
    let text = nfkc(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !is_dropped(c) {
            out.push(c.to_ascii_lowercase());
        }
    }
    // Dropping a character can bring a combining mark next to a letter it composes with
    // (NFKC turns U+00B4 into a space and U+0301; without the space "i" and U+0301 become
    // "í"): compose again, so that normalizing twice changes nothing.
    match nfkc(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(composed) => composed,
    }
}

/// Normalizes addresses with the configured prefixes and vague suffixes.
#[derive(Debug, Clone)]
pub struct AddressNormalizer {
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl AddressNormalizer {
    /// The word lists go through the same character steps as addresses, so a configured
    /// "长沙县 " or a full-width variant still matches.
    pub fn new(prefixes: &[String], suffixes: &[String]) -> Self {
        let prep = |words: &[String]| -> Vec<String> {
            words
                .iter()
                .map(|w| address_chars(w))
                .filter(|w| !w.is_empty())
                .collect()
        };
        AddressNormalizer {
            prefixes: prep(prefixes),
            suffixes: prep(suffixes),
        }
    }

    /// The normalized address: character steps, then leading administrative prefixes and
    /// trailing vague words stripped, each repeatedly.
    ///
    /// "长沙县 星沙街道开元东路１８号（某某商场）门口" → "星沙街道开元东路18号某某商场"
    pub fn normalize(&self, address: &str) -> String {
        let chars = address_chars(address);
        let mut s = chars.as_str();
        'prefix: loop {
            for p in &self.prefixes {
                if let Some(rest) = s.strip_prefix(p.as_str()) {
                    s = rest;
                    continue 'prefix;
                }
            }
            break;
        }
        'suffix: loop {
            for w in &self.suffixes {
                if let Some(rest) = s.strip_suffix(w.as_str()) {
                    s = rest;
                    continue 'suffix;
                }
            }
            break;
        }
        s.to_string()
    }

    /// A fingerprint of the word lists, stored with the data so that a change of rules
    /// can be noticed and the stored addresses normalized again.
    pub fn fingerprint(&self) -> String {
        format!(
            "v3|{}|{}",
            self.prefixes.join("\u{1f}"),
            self.suffixes.join("\u{1f}")
        )
    }
}

/// Folds a header cell for alias matching: NFKC, ASCII lower-case, no white space or
/// control characters. Punctuation is kept ("工单编号" and "工单编号(新)" stay distinct).
pub fn header(text: &str) -> String {
    nfkc(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalizer() -> AddressNormalizer {
        let cfg = crate::config::Address::default();
        AddressNormalizer::new(&cfg.prefixes, &cfg.vague_suffixes)
    }

    #[test]
    fn a_mark_freed_by_a_dropped_space_composes() {
        // U+00B4 is a space and U+0301 under NFKC; the space goes, the mark joins the "i".
        let once = normalizer().normalize("i\u{b4}路1号");
        assert_eq!(once, "\u{ed}路1号");
        assert_eq!(normalizer().normalize(&once), once);
    }

    #[test]
    fn domain_example() {
        assert_eq!(
            normalizer().normalize("长沙县 星沙街道开元东路１８号（某某商场）门口"),
            "星沙街道开元东路18号某某商场"
        );
    }

    #[test]
    fn prefixes_and_suffixes_strip_repeatedly() {
        assert_eq!(
            normalizer().normalize("湖南省长沙市长沙县星沙街道XX小区3栋楼下附近"),
            "星沙街道xx小区3栋"
        );
    }

    #[test]
    fn white_space_of_every_kind_goes() {
        assert_eq!(
            normalizer().normalize("星沙\t街道\r\n开元\u{3000}东路\u{a0}1号"),
            "星沙街道开元东路1号"
        );
    }

    #[test]
    fn words_inside_are_kept() {
        // Only leading prefixes and trailing vague words are stripped.
        assert_eq!(
            normalizer().normalize("星沙街道长沙县一中门口对面超市"),
            "星沙街道长沙县一中门口对面超市"
        );
    }

    #[test]
    fn header_folding() {
        assert_eq!(header(" 工单 编号 "), "工单编号");
        assert_eq!(header("ＯＲＤＥＲ_ID"), "order_id");
    }
}
