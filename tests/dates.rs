//! Every date form of the exports is read to the second, in CSV and in Excel cells.

use crate::common::*;

#[test]
fn every_text_form_in_a_csv() {
    let ws = Workspace::new();
    let file = ws.path("forms.csv");
    let forms = [
        ("F1", "2025-01-03 08:05:00", "2025-01-03 08:05:00"),
        ("F2", "2025/1/3 8:05", "2025-01-03 08:05:00"),
        ("F3", "2025-01-03T08:05", "2025-01-03 08:05:00"),
        ("F4", "2025年1月3日 8时5分", "2025-01-03 08:05:00"),
        ("F5", "2025-01-03", "2025-01-03 00:00:00"),
        ("F6", "2025/1/3", "2025-01-03 00:00:00"),
        ("F7", "2025年1月3日", "2025-01-03 00:00:00"),
        ("F8", "2025-01-03T08:05:09", "2025-01-03 08:05:09"),
        ("F9", "2025年1月3日 8时5分9秒", "2025-01-03 08:05:09"),
        ("F10", "45660.33680555556", "2025-01-03 08:05:00"),
        ("F11", "45660", "2025-01-03 00:00:00"),
        ("F12", " 2025/01/03 08:05:00 ", "2025-01-03 08:05:00"),
    ];
    let mut rows = vec![HEADER.to_vec()];
    for (id, text, _) in &forms {
        rows.push(order(id, text, "噪音扰民", "星沙街道1号", "处理中", ""));
    }
    write_utf8(&file, &rows);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    for (id, text, want) in forms {
        assert_eq!(ws.order_field(id, "received_at"), want, "{text}");
    }
}

#[test]
fn unreadable_receive_times_reject_the_row_with_the_column_named_and_close_times_are_left_empty() {
    let ws = Workspace::new();
    let file = ws.path("bad-dates.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "G1",
                "2025-02-30 08:00",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order("G2", "明天上午", "噪音扰民", "星沙街道1号", "处理中", ""),
            order(
                "G3",
                "2025-01-03 08:00",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "昨天",
            ),
            order("G4", "60", "噪音扰民", "星沙街道1号", "处理中", ""),
            order(
                "G5",
                "2025-01-03 08:00",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let db = ws.db();
    let mut stmt = db
        .prepare("SELECT row_number, reason_code, reason FROM rejected_rows ORDER BY row_number")
        .unwrap();
    let got: Vec<(i64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                "bad_date".into(),
                "受理时间: 无法识别的日期时间: \"2025-02-30 08:00\"".into()
            ),
            (
                3,
                "bad_date".into(),
                "受理时间: 无法识别的日期时间: \"明天上午\"".into()
            ),
            (
                5,
                "bad_date".into(),
                "受理时间: Excel 日期序列号 60 对应不存在的 1900年2月29日: \"60\"".into()
            ),
        ]
    );
    // An unreadable 办结时间 is optional: left empty, and the complaint counts.
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);
    assert_eq!(ws.order_field("G3", "closed_at"), "");
    assert!(
        stdout(&out).contains("1 order loaded with an optional cell left empty because it could not be read (row 4: 办结时间: 无法识别的日期时间: \"昨天\"); the complaints count"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn excel_date_cells_round_to_the_nearest_second() {
    let ws = Workspace::new();
    let file = ws.path("dates.xlsx");
    // 08:04:59.9996 is how Excel's float noise often stores 08:05.
    let hair_under = serial("2025-01-03 08:05:00") - 0.0004 / 86_400.0;
    let half_second = serial("2025-01-03 09:00:00") + 0.5 / 86_400.0;
    write_xlsx(
        &file,
        &[
            vec![
                X::S("工单编号"),
                X::S("受理时间"),
                X::S("诉求类型"),
                X::S("事发地址"),
            ],
            vec![
                X::S("H1"),
                X::D(hair_under),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
            ],
            vec![
                X::S("H2"),
                X::D(half_second),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
            ],
            // A date typed as text in the workbook.
            vec![
                X::S("H3"),
                X::S("2025/1/3 8:05"),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
            ],
            // A plain number without a date format is a serial too.
            vec![
                X::S("H4"),
                X::N(45660.5),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("H1", "received_at"), "2025-01-03 08:05:00");
    assert_eq!(ws.order_field("H2", "received_at"), "2025-01-03 09:00:01");
    assert_eq!(ws.order_field("H3", "received_at"), "2025-01-03 08:05:00");
    assert_eq!(ws.order_field("H4", "received_at"), "2025-01-03 12:00:00");
}

/// Rewrites an .xlsx so its workbook uses the 1904 date system.
fn set_1904(path: &std::path::Path) {
    rewrite_entry(path, "xl/workbook.xml", |content| {
        let text = String::from_utf8(content).unwrap();
        let text = if text.contains("<workbookPr") {
            text.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
        } else {
            text.replacen("<bookViews>", "<workbookPr date1904=\"1\"/><bookViews>", 1)
        };
        text.into_bytes()
    });
}

#[test]
fn the_1904_date_system_is_honoured() {
    let ws = Workspace::new();
    let file = ws.path("mac.xlsx");
    // In the 1904 system the same day has a serial 1462 smaller.
    let serial_1904 = serial("2025-01-03 08:05:00") - 1462.0;
    write_xlsx(
        &file,
        &[
            vec![
                X::S("工单编号"),
                X::S("受理时间"),
                X::S("诉求类型"),
                X::S("事发地址"),
            ],
            vec![
                X::S("M1"),
                X::D(serial_1904),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
            ],
        ],
    );
    set_1904(&file);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("M1", "received_at"), "2025-01-03 08:05:00");
}

#[test]
fn the_last_excel_day_is_9999_12_31_in_both_systems() {
    use hotline_ledger::ingest::dates::from_excel_serial;
    let last = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap();
    let end_of_day = 1.0 - 1.0 / 86_400.0;
    assert_eq!(from_excel_serial(2_958_465.0 + end_of_day, false), Ok(last));
    assert_eq!(from_excel_serial(2_957_003.0 + end_of_day, true), Ok(last));
    // Half a second later rounds to 10000-01-01, which Excel cannot hold.
    assert!(from_excel_serial(2_958_465.999_999_5, false).is_err());
    assert!(from_excel_serial(2_958_466.0, false).is_err());
    assert!(from_excel_serial(2_957_004.0, true).is_err());
}

mod properties {
    //! Every accepted date form round-trips: a time written in any form reads back as
    //! itself (to the minute for forms without seconds).
    use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
    use hotline_ledger::generate::excel_serial;
    use hotline_ledger::ingest::dates::{from_excel_serial, parse_text};
    use proptest::prelude::*;

    fn datetimes() -> impl Strategy<Value = NaiveDateTime> {
        (
            1990i32..2100,
            1u32..=12,
            1u32..=31,
            0u32..24,
            0u32..60,
            0u32..60,
        )
            .prop_filter_map("a real day", |(y, m, d, h, mi, s)| {
                NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(h, mi, s)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn forms_with_seconds_round_trip(t in datetimes()) {
            for text in [
                t.format("%Y-%m-%d %H:%M:%S").to_string(),
                t.format("%Y-%m-%dT%H:%M:%S").to_string(),
                format!("{}/{}/{} {}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()),
                format!("{}年{}月{}日 {}时{}分{}秒", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()),
            ] {
                prop_assert_eq!(parse_text(&text), Ok(t), "{}", text);
            }
        }

        #[test]
        fn forms_without_seconds_round_trip_to_the_minute(t in datetimes()) {
            let minute = t.with_second(0).unwrap();
            for text in [
                t.format("%Y-%m-%d %H:%M").to_string(),
                t.format("%Y-%m-%dT%H:%M").to_string(),
                format!("{}/{}/{} {}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute()),
                format!("{}年{}月{}日 {}时{}分", t.year(), t.month(), t.day(), t.hour(), t.minute()),
            ] {
                prop_assert_eq!(parse_text(&text), Ok(minute), "{}", text);
            }
            let day = t.date().and_hms_opt(0, 0, 0).unwrap();
            for text in [
                t.format("%Y-%m-%d").to_string(),
                format!("{}/{}/{}", t.year(), t.month(), t.day()),
                format!("{}年{}月{}日", t.year(), t.month(), t.day()),
            ] {
                prop_assert_eq!(parse_text(&text), Ok(day), "{}", text);
            }
        }

        #[test]
        fn excel_serials_round_trip_in_both_systems(t in datetimes(), noise in -0.000_49f64..0.000_49) {
            // Float noise under half a second rounds back to the time itself.
            let serial = excel_serial(t) + noise / 86_400.0;
            prop_assert_eq!(from_excel_serial(serial, false), Ok(t));
            prop_assert_eq!(from_excel_serial(serial - 1462.0, true), Ok(t));
            prop_assert_eq!(parse_text(&format!("{serial}")), Ok(t));
        }

        #[test]
        fn no_text_makes_the_parser_panic(text in "\\PC{0,40}") {
            let _ = parse_text(&text);
        }
    }
}
