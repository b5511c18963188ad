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

/// Fields that hold what people wrote, where a phone number or a name may hide.
pub const FREE_TEXT: &[&str] = &[
    "address",
    "content",
    "reason",
    "values",
    "category",
    "subject_key",
    "measures",
    "responsible",
    "result",
    "return_visit",
    "handling_measures",
    "handling_responsible",
    "handling_result",
    "handling_return_visit",
];

/// The one masking rule for every output (reports, mail, chat, the console's pages and
/// downloads): a field's text as it may be shown to anyone. `caller` is the name in the
/// row's caller-name column, masked wherever the text repeats it.
pub fn field(field: &str, text: &str, caller: &str) -> String {
    match field {
        "caller_phone" => phone(text),
        "caller_name" => name(text),
        _ if FREE_TEXT.contains(&field) => self::text_naming(text, caller),
        _ => text.to_string(),
    }
}

/// Free text with its personal data masked (`text`), and `caller` (a name of two
/// characters or more) masked wherever it appears.
pub fn text_naming(text: &str, caller: &str) -> String {
    let masked = self::text(text);
    let caller = caller.trim();
    if caller.chars().count() < 2 || !masked.contains(caller) {
        return masked;
    }
    masked.replace(caller, &name(caller))
}

/// Free text with its personal data masked: every phone number, however it is spaced
/// (13812345678, 138-1234-5678, 139 8765 4321: seven or more digits joined by single
/// spaces or dashes), and the name after the words that introduce one (我叫王小明,
/// 联系人李女士: 王**, 李**).
pub fn text(text: &str) -> String {
    homes(&names(&phones(text)))
}

/// Words after which the caller says where they live (（来电人住27幢201室）, 本人住楼上201).
const HOME_CUES: &[&str] = &[
    "来电人家住",
    "来电人住",
    "本人家住",
    "本人住",
    "我家住",
    "我住",
    "家住",
];

/// The numbers of the caller's home masked (来电人住**幢***室): the building, unit and
/// room that say where the caller lives, up to the end of the remark or the clause.
fn homes(text: &str) -> String {
    const ENDS: &[char] = &[
        ')', '）', ']', '】', '，', ',', '。', '；', ';', '、', '！', '!', '？', '?', '\n',
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let Some(cue) = HOME_CUES.iter().find(|cue| rest.starts_with(*cue)) else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        out.push_str(cue);
        rest = &rest[cue.len()..];
        let end = rest.find(ENDS).unwrap_or(rest.len());
        out.extend(rest[..end].chars().map(|c| {
            if is_digit(c) || "零〇一二三四五六七八九十幺两百".contains(c) {
                '*'
            } else {
                c
            }
        }));
        rest = &rest[end..];
    }
    out
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '－' | '—' | ' ' | '\u{3000}' | '.')
}

fn phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run of digits, through single joiners between digits.
        let mut j = i;
        while j < chars.len()
            && (is_digit(chars[j])
                || (is_joiner(chars[j])
                    && j > i
                    && is_digit(chars[j - 1])
                    && chars.get(j + 1).is_some_and(|c| is_digit(*c))))
        {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        // A phone's groups are of three digits or more (138-1234-5678, 0731-84012345); a
        // date's are not (2025-01-02), and its runs of digits are read alone.
        // A country code before the number (+86 138 1234 5678, 0086-138…) is a group of its
        // own.
        let groups: Vec<&str> = run.split(is_joiner).collect();
        let has_code = groups.len() > 1 && matches!(groups[0], "86" | "086" | "0086" | "８６");
        let (prefix, number) = if has_code {
            let joiner = run[groups[0].len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            run.split_at(groups[0].len() + joiner)
        } else {
            ("", run.as_str())
        };
        let phone_like = number.split(is_joiner).all(|g| g.chars().count() >= 3);
        let digits = number.chars().filter(|c| is_digit(*c)).count();
        if phone_like && digits >= 7 {
            out.push_str(prefix);
            out.push_str(&phone(number));
        } else {
            out.push_str(&digit_runs(&run));
        }
        i = j;
    }
    out
}

/// Every run of seven or more digits masked like a phone number.
fn digit_runs(text: &str) -> String {
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

/// Words after which a person's name follows.
const NAME_CUES: &[&str] = &[
    "我叫",
    "本人叫",
    "本人是",
    "我是",
    "联系人",
    "来电人",
    "投诉人",
    "反映人",
    "姓名",
];

/// Words that end a name (张三反映, 李四称).
const AFTER_NAME: &[&str] = &[
    "反映", "称", "投诉", "来电", "说", "表示", "住", "电话", "的", "在", "要求", "家",
];

/// Titles after a name (王小红女士).
const TITLES: &[&str] = &["女士", "先生", "小姐"];

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn names(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        // A full name before a title, the name starting the text or after a character
        // that is not Chinese (，王小红女士反映): its first character stays.
        if is_han(chars[i]) && (i == 0 || !is_han(chars[i - 1])) {
            for len in [3, 2] {
                let end = i + len;
                let titled = chars
                    .get(i..end)
                    .is_some_and(|n| n.iter().all(|c| is_han(*c)))
                    && TITLES.iter().any(|t| {
                        let t: Vec<char> = t.chars().collect();
                        chars.get(end..).is_some_and(|rest| rest.starts_with(&t))
                    });
                if titled {
                    out.push(chars[i]);
                    out.extend(std::iter::repeat_n('*', len - 1));
                    i = end;
                    continue 'outer;
                }
            }
        }
        for cue in NAME_CUES {
            let cue: Vec<char> = cue.chars().collect();
            if chars[i..].starts_with(&cue) {
                out.extend(&cue);
                i += cue.len();
                while i < chars.len() && matches!(chars[i], ':' | '：' | ' ') {
                    out.push(chars[i]);
                    i += 1;
                }
                // The name: up to four characters of Chinese (a title such as 女士 with it).
                let start = i;
                while i < chars.len()
                    && i - start < 4
                    && ('\u{4e00}'..='\u{9fff}').contains(&chars[i])
                    && !AFTER_NAME.iter().any(|w| {
                        let w: Vec<char> = w.chars().collect();
                        chars[i..].starts_with(&w)
                    })
                {
                    i += 1;
                }
                if i > start {
                    out.push(chars[start]);
                    out.extend(std::iter::repeat_n('*', i - start - 1).chain(
                        // One character alone is a surname: masked as a name is.
                        (i - start == 1).then_some('*'),
                    ));
                }
                continue 'outer;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
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
        assert_eq!(text("电话138-1234-5678"), "电话138-****-5678");
        assert_eq!(text("电话139 8765 4321。"), "电话139 **** 4321。");
        assert_eq!(text("开元东路18-2号"), "开元东路18-2号");
        assert_eq!(text("2025-01-02 10:00"), "2025-01-02 10:00");
    }

    #[test]
    fn where_the_caller_lives_in_free_text() {
        assert_eq!(
            text("锦华苑一期1２幢楼下（来电人住27幢402室）"),
            "锦华苑一期1２幢楼下（来电人住**幢***室）"
        );
        assert_eq!(
            text("老宋川菜馆（本人住楼上201），油烟大"),
            "老宋川菜馆（本人住楼上***），油烟大"
        );
        assert_eq!(
            text("虎丘山门(来电人家住15-1-201)"),
            "虎丘山门(来电人家住**-*-***)"
        );
        assert_eq!(text("兴华南街关东二人转门口"), "兴华南街关东二人转门口");
    }

    #[test]
    fn names_in_free_text() {
        assert_eq!(text("我叫王小明，住3栋"), "我叫王**，住3栋");
        assert_eq!(text("联系人李女士"), "联系人李**");
        assert_eq!(text("来电人：张三反映"), "来电人：张*反映");
        assert_eq!(text("开元东路18号噪音"), "开元东路18号噪音");
        assert_eq!(text("，王小红女士反映"), "，王**女士反映");
        assert_eq!(text("李明先生称"), "李*先生称");
        // A surname alone with its title names nobody.
        assert_eq!(text("，王先生反映"), "，王先生反映");
    }

    #[test]
    fn every_written_form_of_a_phone_and_the_callers_own_name() {
        for (written, shown) in [
            ("+86 138 1234 5678", "+86 138 **** 5678"),
            ("0086-13812345678", "0086-138****5678"),
            ("１３８１２３４５６７８", "１３８****５６７８"),
            ("138－1234－5678", "138－****－5678"),
        ] {
            assert_eq!(text(&format!("电话{written}。")), format!("电话{shown}。"));
        }
        assert_eq!(
            field("content", "王小明说噪音太大，王小明要求处理", "王小明"),
            "王**说噪音太大，王**要求处理"
        );
        assert_eq!(
            field("address", "开元路1号（13812345678）", ""),
            "开元路1号（138****5678）"
        );
        assert_eq!(field("caller_phone", "13812345678", ""), "138****5678");
        assert_eq!(
            field("order_id", "GD20250101000001", ""),
            "GD20250101000001"
        );
    }
}
