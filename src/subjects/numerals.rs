//! Chinese numerals as call-takers write them in addresses: 十八 (18), 一八八 (188, read
//! digit by digit), 一百八十八 (188), 两 (2), 〇/零 (0). Pure functions.

/// The value of one numeral character, or None.
fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | 'o' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Whether `c` is a Chinese digit (一, 八, 零, …), not a unit (十, 百).
pub fn is_digit(c: char) -> bool {
    digit(c).is_some() && c != 'o'
}

/// Whether `c` is a number's character: an Arabic digit or a Chinese numeral's.
pub fn is_numeral_or_digit(c: char) -> bool {
    c.is_ascii_digit() || is_numeral(c)
}

/// Whether `c` can be part of a Chinese numeral (廿 and 卅 for twenty and thirty too).
pub fn is_numeral(c: char) -> bool {
    is_digit(c) || unit(c).is_some() || c == '廿' || c == '卅'
}

/// The value of a Chinese numeral (十八, 一八八, 一百零八, 二十); None when it is not one.
pub fn value(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(is_numeral) {
        return None;
    }
    // 廿六 is 二十六, 卅 三十.
    if text.contains(['廿', '卅']) {
        return value(&text.replace('廿', "二十").replace('卅', "三十"));
    }
    if !text.chars().any(|c| unit(c).is_some()) {
        // 一八八: digit by digit.
        return text
            .chars()
            .try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(digit(c)?));
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    for c in text.chars() {
        if let Some(d) = digit(c) {
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            // 十八: 十 without a digit before it counts once; 百 or 千 without one is a
            // word (百味, 千禧), not a number.
            if pending.is_none() && u > 10 {
                return None;
            }
            total = total.checked_add(pending.unwrap_or(1).checked_mul(u)?)?;
            pending = None;
        }
    }
    total.checked_add(pending.unwrap_or(0))
}

/// The text with every run of Chinese numerals that reads as a number replaced by its
/// Arabic digits (天华一村 → 天华1村, 十八号 → 18号).
/// One character of the formal (financial) forms alone is a name's character (陆斡镇,
/// 拾光, 伍家湾), unless a number's unit follows it (叁组, 陆号).
pub fn to_arabic(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, next: Option<char>| {
        if !run.is_empty() {
            let mut chars = run.chars();
            let formal_alone = matches!((chars.next(), chars.next()), (Some(c), None) if is_formal(c))
                && !next.is_some_and(|n| NUMBERED.contains(n) || n.is_ascii_digit());
            match value(run) {
                Some(v) if !formal_alone => out.push_str(&v.to_string()),
                _ => out.push_str(run),
            }
            run.clear();
        }
    };
    for c in text.chars() {
        if is_numeral(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out, Some(c));
            out.push(c);
        }
    }
    flush(&mut run, &mut out, None);
    out
}

/// The formal forms of the numerals (壹 … 玖, 拾, 佰, 仟).
fn is_formal(c: char) -> bool {
    "壹贰叁肆伍陆柒捌玖拾佰仟".contains(c)
}

/// What follows a number in an address: its unit (号, 组, 期, 栋 …).
const NUMBERED: &str = "号组期栋幢楼层单元室座队社排巷弄区村门";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_read_as_call_takers_mean_them() {
        assert_eq!(value("十八"), Some(18));
        assert_eq!(value("百"), None, "百味 is a name");
        assert_eq!(to_arabic("百味排档"), "百味排档");
        assert_eq!(to_arabic("陆斡镇拾光咖啡"), "陆斡镇拾光咖啡");
        assert_eq!(to_arabic("叁组陆号"), "3组6号");
        assert_eq!(to_arabic("陈家宅廿六号"), "陈家宅26号");
        assert_eq!(value("一百零八"), Some(108));
        assert_eq!(value("十"), Some(10));
        assert_eq!(value("二十"), Some(20));
        assert_eq!(value("一八八"), Some(188));
        assert_eq!(value("一百八十八"), Some(188));
        assert_eq!(value("一百零八"), Some(108));
        assert_eq!(value("两"), Some(2));
        assert_eq!(value("八"), Some(8));
        assert_eq!(value("路"), None);
        assert_eq!(to_arabic("天华一村"), "天华1村");
        assert_eq!(to_arabic("开元东路十八号"), "开元东路18号");
    }
}
