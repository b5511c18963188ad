//! Order ids a spreadsheet mangled: scientific notation cannot be trusted (its digits are
//! gone, distinct orders would merge), an integer written as a float is that integer.

use crate::common::*;

/// The rejected rows as (row, code, reason).
fn rejected(ws: &Workspace) -> Vec<(i64, String, String)> {
    let db = ws.db();
    let mut stmt = db
        .prepare("SELECT row_number, reason_code, reason FROM rejected_rows ORDER BY row_number")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn ids(ws: &Workspace) -> Vec<String> {
    let db = ws.db();
    let mut stmt = db
        .prepare("SELECT order_id FROM work_orders ORDER BY order_id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn an_id_in_scientific_notation_rejects_its_row_in_a_csv() {
    let ws = Workspace::new();
    let file = ws.path("excel-saved.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "1.23457E+11",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "",
                "",
            ),
            order(
                "1.23457E+11",
                "2025-01-03 09:05",
                "噪音扰民",
                "星沙街道2号",
                "",
                "",
            ),
            order(
                "2.5e11",
                "2025-01-03 09:05",
                "噪音扰民",
                "星沙街道2号",
                "",
                "",
            ),
            order(
                "123456789012",
                "2025-01-03 10:05",
                "噪音扰民",
                "星沙街道3号",
                "",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ids(&ws), ["123456789012"]);
    let reason = |v: &str| {
        format!("工单编号: \"{v}\" 是科学计数法,编号的数字已丢失;请在 Excel/WPS 中把编号列设为文本后重新导出")
    };
    assert_eq!(
        rejected(&ws),
        [
            (2, "id_not_text".to_string(), reason("1.23457E+11")),
            (3, "id_not_text".to_string(), reason("1.23457E+11")),
            (4, "id_not_text".to_string(), reason("2.5e11")),
        ]
    );
}

#[test]
fn an_integer_written_as_a_float_is_that_integer_in_csv_and_xlsx() {
    let ws = Workspace::new();
    let csv = ws.path("week1.csv");
    write_utf8(
        &csv,
        &[
            HEADER.to_vec(),
            order(
                "123456789012",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "223456789012.0",
                "2025-01-03 09:05",
                "噪音扰民",
                "星沙街道2号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", csv.to_str().unwrap()]), 0);
    let xlsx = ws.path("week2.xlsx");
    let row = |id: X<'static>, status: &'static str| {
        vec![
            id,
            X::S("2025-01-03 08:05"),
            X::S("噪音扰民"),
            X::S("星沙街道1号"),
            X::S("12345热线"),
            X::S("13812345678"),
            X::S(status),
        ]
    };
    write_xlsx(
        &xlsx,
        &[
            HEADER[..7].iter().map(|h| X::S(h)).collect(),
            row(X::S("123456789012.0"), "已办结"),
            row(X::N(223456789012.0), "已办结"),
        ],
    );
    let out = ws.run(&["ingest", xlsx.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ids(&ws), ["123456789012", "223456789012"]);
    assert_eq!(ws.order_field("123456789012", "status"), "已办结");
    assert_eq!(ws.order_field("223456789012", "status"), "已办结");
}

#[test]
fn an_id_stored_as_a_long_number_or_a_fraction_in_xlsx_rejects_its_row() {
    let ws = Workspace::new();
    let xlsx = ws.path("numbers.xlsx");
    let row = |id: X<'static>| {
        vec![
            id,
            X::S("2025-01-03 08:05"),
            X::S("噪音扰民"),
            X::S("星沙街道1号"),
        ]
    };
    write_xlsx(
        &xlsx,
        &[
            HEADER[..4].iter().map(|h| X::S(h)).collect(),
            row(X::N(2025010300000123.0)),
            row(X::N(12.5)),
            row(X::N(2025010301.0)),
        ],
    );
    assert_exit(&ws.run(&["ingest", xlsx.to_str().unwrap()]), 0);
    assert_eq!(ids(&ws), ["2025010301"]);
    assert_eq!(
        rejected(&ws),
        [
            (
                2,
                "id_not_text".to_string(),
                "工单编号: \"2025010300000123\" 是数字而非文本,编号的末几位可能已丢失;请把编号列设为文本后重新导出".to_string()
            ),
            (
                3,
                "id_not_text".to_string(),
                "工单编号: \"12.5\" 是数字而非文本,编号的末几位可能已丢失;请把编号列设为文本后重新导出".to_string()
            ),
        ]
    );
}

#[test]
fn a_related_id_in_scientific_notation_is_left_empty_and_the_complaint_counts() {
    let ws = Workspace::new();
    let file = ws.path("related.csv");
    write_utf8(
        &file,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "事发地址", "关联工单"],
            vec![
                "A1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "1.23457E+11",
            ],
            vec![
                "A2",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "123456789012.0",
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    // The link is lost (its digits are), the complaint is not.
    assert_eq!(ids(&ws), ["A1", "A2"]);
    assert_eq!(ws.order_field("A1", "related_order_id"), "");
    assert_eq!(ws.order_field("A2", "related_order_id"), "123456789012");
    assert!(rejected(&ws).is_empty());
    assert!(
        stdout(&out).contains("(row 2: 关联工单: \"1.23457E+11\" 是科学计数法,编号的数字已丢失;请在 Excel/WPS 中把编号列设为文本后重新导出); the complaints count"),
        "{}",
        stdout(&out)
    );
}
