//! Reading the date-times hotline exports carry: Excel serials (1900 or 1904 system) and the
//! text forms `2025-01-03 08:05:00`, `2025/1/3 8:05`, `2025-01-03T08:05`,
//! `2025年1月3日 8时5分`, or a bare date in any of these forms (midnight).
//!
//! Every result is a naive local time, kept to the second. Nothing here knows about time
//! zones: the configured zone is applied where instants are compared.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// Why a value is not a date-time (in Chinese: it is shown in reports' data-quality lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

/// Converts an Excel serial date-time to a local time rounded to the nearest second.
///
/// In the 1900 system serial 1 is 1900-01-01 and serial 60 is Excel's fictitious
/// 1900-02-29, which is refused; in the 1904 system serial 0 is 1904-01-01.
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Result<NaiveDateTime, DateError> {
    if !serial.is_finite() {
        return Err(DateError("不是有效的数值".into()));
    }
    if serial < 0.0 {
        return Err(DateError("Excel 日期序列号不能为负数".into()));
    }
    let seconds = (serial * 86_400.0).round();
    if seconds > 2_958_466.0 * 86_400.0 {
        return Err(DateError("Excel 日期序列号超出 9999年12月31日".into()));
    }
    let seconds = seconds as i64;
    let (epoch, seconds) = if is_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1), seconds)
    } else {
        let day = seconds.div_euclid(86_400);
        if day == 60 {
            return Err(DateError(
                "Excel 日期序列号 60 对应不存在的 1900年2月29日".into(),
            ));
        }
        if day < 1 {
            return Err(DateError("Excel 日期序列号早于 1900年1月1日".into()));
        }
        // Excel counts a 1900-02-29 that never was: serials from 61 on are one day ahead.
        if day > 60 {
            (NaiveDate::from_ymd_opt(1899, 12, 30), seconds)
        } else {
            (NaiveDate::from_ymd_opt(1899, 12, 31), seconds)
        }
    };
    let t = epoch
        .expect("valid epoch")
        .and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::seconds(seconds))
        .ok_or_else(|| DateError("Excel 日期序列号超出范围".into()))?;
    // Excel's last day is 9999-12-31 in both systems (rounding can reach 10000-01-01).
    if t.year() > 9999 {
        return Err(DateError("Excel 日期序列号超出 9999年12月31日".into()));
    }
    Ok(t)
}

/// A tiny cursor over the bytes of a trimmed date string.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    /// Up to `max` ASCII digits; None when there are none.
    fn number(&mut self, max: usize) -> Option<u32> {
        let digits = self
            .rest()
            .bytes()
            .take_while(u8::is_ascii_digit)
            .take(max + 1)
            .count();
        if digits == 0 || digits > max {
            return None;
        }
        let value = self.rest()[..digits].parse().ok()?;
        self.pos += digits;
        Some(value)
    }
    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }
    fn eat_spaces(&mut self) -> usize {
        let n = self
            .rest()
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>();
        self.pos += n;
        n
    }
}

/// Parses a text date-time in one of the accepted forms; a plain number is an Excel serial
/// in the 1900 system.
pub fn parse_text(text: &str) -> Result<NaiveDateTime, DateError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DateError("为空".into()));
    }
    if let Some(serial) = plain_number(text) {
        return from_excel_serial(serial, false);
    }
    parse_calendar(text).ok_or_else(|| DateError("无法识别的日期时间".into()))
}

/// A plain decimal number (digits with an optional fraction), as Excel serials are written.
fn plain_number(text: &str) -> Option<f64> {
    let mut parts = text.splitn(2, '.');
    let int = parts.next()?;
    let frac = parts.next().unwrap_or("0");
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.is_empty()
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    text.parse().ok()
}

fn parse_calendar(text: &str) -> Option<NaiveDateTime> {
    let mut c = Cursor { s: text, pos: 0 };
    let year = c.number(4)?;
    if year < 1000 {
        return None;
    }
    let chinese = if c.eat("年") {
        true
    } else if c.eat("-") || c.eat("/") {
        false
    } else {
        return None;
    };
    let sep = if chinese {
        "月"
    } else {
        // The same separator between year, month and day.
        &text[c.pos - 1..c.pos]
    };
    let month = c.number(2)?;
    if !c.eat(sep) {
        return None;
    }
    let day = c.number(2)?;
    if chinese && !c.eat("日") {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let spaces = c.eat_spaces();
    if c.at_end() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    // Between date and time: white space, or `T` in the ISO form; the Chinese form may
    // run straight on ("2025年1月3日8时5分").
    if spaces == 0 && !c.eat("T") && !chinese {
        return None;
    }
    let (hour, minute, second, fraction) = parse_time(&mut c)?;
    c.eat_spaces();
    if !c.at_end() {
        return None;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let mut value = date.and_time(time);
    if fraction >= 0.5 {
        value += Duration::seconds(1);
    }
    Some(value)
}

/// `8:05`, `08:05:09`, `08:05:09.5`, `8时5分`, `8时5分9秒` (`点` is taken for `时`, as
/// people also write it); hour 0-23.
fn parse_time(c: &mut Cursor<'_>) -> Option<(u32, u32, u32, f64)> {
    let hour = c.number(2)?;
    let (minute, second, fraction) = if c.eat(":") {
        let minute = c.number(2)?;
        let (second, fraction) = if c.eat(":") {
            let second = c.number(2)?;
            let fraction = if c.eat(".") {
                let digits: String = c
                    .rest()
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .map(char::from)
                    .collect();
                if digits.is_empty() {
                    return None;
                }
                c.pos += digits.len();
                format!("0.{digits}").parse::<f64>().ok()?
            } else {
                0.0
            };
            (second, fraction)
        } else {
            (0, 0.0)
        };
        (minute, second, fraction)
    } else if c.eat("时") || c.eat("点") {
        let minute = c.number(2)?;
        if !c.eat("分") {
            return None;
        }
        let second = if c.at_end() || c.rest().starts_with(char::is_whitespace) {
            0
        } else {
            let s = c.number(2)?;
            if !c.eat("秒") {
                return None;
            }
            s
        };
        (minute, second, 0.0)
    } else {
        return None;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((hour, minute, second, fraction))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn every_listed_form() {
        let want = dt("2025-01-03 08:05:00");
        for text in [
            "2025-01-03 08:05:00",
            "2025/1/3 8:05",
            "2025-01-03T08:05",
            "2025年1月3日 8时5分",
            "2025年1月3日8时5分",
            "  2025-1-3 8:05:00  ",
        ] {
            assert_eq!(parse_text(text), Ok(want), "{text}");
        }
        let midnight = dt("2025-01-03 00:00:00");
        for text in ["2025-01-03", "2025/1/3", "2025年1月3日"] {
            assert_eq!(parse_text(text), Ok(midnight), "{text}");
        }
    }

    #[test]
    fn seconds_and_fractions() {
        assert_eq!(
            parse_text("2025年1月3日 8时5分9秒"),
            Ok(dt("2025-01-03 08:05:09"))
        );
        assert_eq!(
            parse_text("2025-01-03 08:05:09.6"),
            Ok(dt("2025-01-03 08:05:10"))
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "2025-13-01",
            "2025-02-30",
            "2025-01-03 24:00",
            "2025-01-03 08:60",
            "2025-01/03",
            "03/01/2025",
            "明天",
            "2025-01-03 08",
            "2025-01-0308:05",
            "-45000",
        ] {
            assert!(parse_text(text).is_err(), "{text}");
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            from_excel_serial(45660.0, false),
            Ok(dt("2025-01-03 00:00:00"))
        );
        assert_eq!(parse_text("45660.5"), Ok(dt("2025-01-03 12:00:00")));
        assert_eq!(from_excel_serial(1.0, false), Ok(dt("1900-01-01 00:00:00")));
        assert_eq!(
            from_excel_serial(59.0, false),
            Ok(dt("1900-02-28 00:00:00"))
        );
        assert!(from_excel_serial(60.0, false).is_err());
        assert_eq!(
            from_excel_serial(61.0, false),
            Ok(dt("1900-03-01 00:00:00"))
        );
        // The 1904 system is 1462 days behind.
        assert_eq!(
            from_excel_serial(44198.0, true),
            Ok(dt("2025-01-03 00:00:00"))
        );
    }

    #[test]
    fn serials_round_to_the_nearest_second() {
        // 08:04:59.9995 is stored a hair under 08:05.
        let serial = 45660.0 + (8.0 * 3600.0 + 5.0 * 60.0 - 0.0005) / 86_400.0;
        assert_eq!(
            from_excel_serial(serial, false),
            Ok(dt("2025-01-03 08:05:00"))
        );
    }
}
