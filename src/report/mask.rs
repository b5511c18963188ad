//! Masking personal data in everything a report or message shows: phone numbers keep
//! their first three and last four digits (138****5678), names their first character (张*),
//! and any long run of digits inside free text is masked like a phone number.

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `13812345678` → `138****5678`. Digits only are masked; separators stay.
pub fn phone(text: &str) -> String {
    let digits = text.chars().filter(|c| is_digit(*c)).count();
    if digits == 0 {
        return text.to_string();
    }
    // Keep 3 + 4 digits of a long number, 2 of a short one.
    let (keep_head, keep_tail) = if digits >= 8 {
        (3, 4)
    } else {
        (0, 2.min(digits))
    };
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if is_digit(c) {
                seen += 1;
                if seen <= keep_head || seen > digits - keep_tail {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// `张三` → `张*`, `欧阳修文` → `欧***`.
pub fn name(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

/// Free text with every run of seven or more digits (a phone number written into an
/// address or a complaint) masked.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str(&phone(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        // Full-width digits count too: what reports show is not normalized.
        if is_digit(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("0731-84012345"), "073*-****2345");
        assert_eq!(phone("12345"), "***45");
        assert_eq!(phone(""), "");
    }

    #[test]
    fn names() {
        assert_eq!(name("张三"), "张*");
        assert_eq!(name("张"), "张*");
        assert_eq!(name("欧阳修文"), "欧***");
    }

    #[test]
    fn digits_in_free_text() {
        assert_eq!(
            text("星沙街道18号,电话13812345678"),
            "星沙街道18号,电话138****5678"
        );
        assert_eq!(text("开元东路１８号"), "开元东路１８号");
    }
}
