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

/// Five complaints at one place, the ids, categories and addresses as `write` gives them.
fn five(ws: &Workspace, name: &str, write: impl Fn(usize) -> (String, String, String)) {
    let file = ws.path(name);
    let mut text = String::from("工单编号,受理时间,诉求类型,事发地址\n");
    for i in 0..5 {
        let (id, category, address) = write(i);
        text.push_str(&format!(
            "{id},2025-01-0{} 08:00,{category},{address}\n",
            i + 3
        ));
    }
    std::fs::write(&file, text).unwrap();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
}

/// (case id, count) of every case on 2025-01-31.
fn counts(ws: &Workspace) -> Vec<(String, String)> {
    let out = ws.run(&["cases", "--as-of", "2025-01-31", "--format", "csv"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[6].to_string())
        })
        .collect()
}

#[test]
fn invisible_and_full_width_characters_make_no_other_order_place_or_matter() {
    for matching in ["fuzzy", "exact"] {
        let ws = Workspace::with_config(&format!("[subjects]\nmatching = \"{matching}\"\n"));
        five(&ws, "plain.csv", |i| {
            (
                format!("GD00{i}"),
                "噪音扰民".into(),
                "星沙街道开元路1号".into(),
            )
        });
        assert_eq!(counts(&ws), [("GD000".into(), "5".into())], "{matching}");
        // The same orders re-exported with invisible characters and full-width letters in
        // their ids: still five orders.
        five(&ws, "again.csv", |i| {
            let id = [
                "\u{feff}GD000",
                "GD\u{200b}001",
                "ＧＤ００２",
                "GD003\u{200e}",
                "GD\u{2060}004",
            ][i];
            (id.into(), "噪音扰民".into(), "星沙街道开元路1号".into())
        });
        assert_eq!(
            ids(&ws),
            ["GD000", "GD001", "GD002", "GD003", "GD004"],
            "{matching}"
        );
        assert_eq!(counts(&ws), [("GD000".into(), "5".into())], "{matching}");
        // Five more at another place, written with invisible characters inside the address
        // and the category: one case of five, not four and one.
        five(&ws, "hidden.csv", |i| {
            let address = [
                "开元路2号",
                "开元\u{200b}路2号",
                "开元路2号\u{200d}",
                "\u{feff}开元路2号",
                "开\u{200e}元路2号",
            ][i];
            let category = [
                "占道经营",
                "占道\u{200b}经营",
                "占道经营",
                "\u{2060}占道经营",
                "占道经营\u{00ad}",
            ][i];
            (
                format!("K{i}"),
                category.into(),
                format!("星沙街道{address}"),
            )
        });
        let found = counts(&ws);
        assert!(
            found.contains(&("K0".into(), "5".into())),
            "{matching}: {found:?}"
        );
        assert_eq!(
            ws.count("SELECT count(DISTINCT category) FROM work_orders"),
            2,
            "{matching}"
        );
    }
}
