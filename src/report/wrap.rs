//! Measuring text: splitting it into unbreakable pieces, wrapping it to a width (Chinese
//! text breaks between any two characters, closing punctuation never starts a line,
//! opening punctuation never ends one) and cutting it short with an ellipsis.
//!
//! Widths come from the report font's metrics; nothing here places text on a page.

use super::font::metrics;

const CLOSING: &str = "，。、；：？！）》」』】〕〉,.;:!?)]}%…—";
const OPENING: &str = "（《「『【〔〈([{";

/// Splits text into the pieces that may not be broken: an ASCII word or number, or a
/// single other character.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '@');
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push(&text[s..i]);
                    start = None;
                }
                out.push(&text[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Wraps `text` to lines no wider than `width` at `size`. Explicit line breaks are kept.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let m = metrics();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Vec<&str> = Vec::new();
        let mut line_w = 0.0;
        for token in tokens(paragraph) {
            let w = m.width(token, size);
            if line_w + w <= width {
                line.push(token);
                line_w += w;
                continue;
            }
            if w > width {
                // A word longer than the line: break it anywhere.
                for (i, c) in token.char_indices() {
                    let cw = m.char_width(c, size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(line.concat());
                        line.clear();
                        line_w = 0.0;
                    }
                    line.push(&token[i..i + c.len_utf8()]);
                    line_w += cw;
                }
                continue;
            }
            // Break before `token`; closing punctuation takes the previous piece along,
            // and opening punctuation does not stay at a line's end.
            let mut carry: Vec<&str> = Vec::new();
            let is_closing = token.chars().next().is_some_and(|c| CLOSING.contains(c));
            if is_closing && line.len() > 1 {
                carry.push(line.pop().expect("non-empty"));
            }
            while line.len() > 1
                && line
                    .last()
                    .and_then(|t| t.chars().next())
                    .is_some_and(|c| OPENING.contains(c))
            {
                carry.insert(0, line.pop().expect("non-empty"));
            }
            lines.push(line.concat());
            line = carry;
            line.push(token);
            line_w = line.iter().map(|t| m.width(t, size)).sum();
        }
        lines.push(line.concat());
    }
    lines
}

/// `text` cut with an ellipsis to fit `width`.
pub fn fit(text: &str, size: f32, width: f32) -> String {
    let m = metrics();
    if m.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = m.width("…", size);
    for c in text.chars() {
        w += m.char_width(c, size);
        if w > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_of(line: &str) -> f32 {
        metrics().width(line, 10.0)
    }

    #[test]
    fn chinese_wraps_between_characters_within_the_width() {
        let text = "长沙县星沙街道开元东路18号某某商场门口夜间施工噪音扰民,居民多次投诉。";
        let lines = wrap(text, 10.0, 80.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat(), text);
        for line in &lines {
            assert!(width_of(line) <= 80.0 + 0.01, "{line}");
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let text = "一二三四五六七八九十,一二三四五六七八九十。一二三四五六七八九十、";
        for width in [40.0, 45.0, 50.0, 55.0, 60.0, 73.0, 100.0] {
            let lines = wrap(text, 10.0, width);
            assert_eq!(lines.concat(), text);
            for line in lines.iter().skip(1) {
                let first = line.chars().next().unwrap();
                assert!(!CLOSING.contains(first), "{width}: {lines:?}");
            }
        }
    }

    #[test]
    fn words_and_numbers_stay_whole_when_they_fit() {
        let lines = wrap("工单GD202501030001已办结", 10.0, 90.0);
        assert!(
            lines.iter().any(|l| l.contains("GD202501030001")),
            "{lines:?}"
        );
    }
}
