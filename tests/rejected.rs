//! Rows that cannot be used are kept with the reason; blank rows are skipped.

use crate::common::*;

#[test]
fn each_reason_is_kept_with_the_raw_values() {
    let ws = Workspace::new();
    let file = ws.path("mixed.csv");
    write_utf8(
        &file,
        &[
            vec![
                "序号",
                "工单编号",
                "受理时间",
                "诉求类型",
                "事发地址",
                "联系电话",
            ],
            vec![
                "1",
                "K1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "13812345678",
            ],
            vec![
                "2",
                "",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "13812345678",
            ],
            vec!["3", "K3", "2025-01-03 08:05", "噪音扰民", "   ", ""],
            vec!["4", "", "", "", "", ""],
            vec!["", "", "", "", "", ""],
            vec!["6", "K6", "", "", "星沙街道1号", ""],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "6 rows read (2 blank skipped): 1 new order, 0 updated, 0 unchanged; 3 rejected"
        ),
        "{}",
        stdout(&out)
    );
    let out = ws.run(&["rejected", "--format", "csv"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file,sheet,row,reason,code,ingested_at,values")
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 3);
    let fields = |i: usize| -> Vec<&str> {
        vec![
            &rows[i][0],
            &rows[i][1],
            &rows[i][2],
            &rows[i][3],
            &rows[i][4],
        ]
    };
    assert_eq!(
        fields(0),
        [
            "mixed.csv",
            "",
            "3",
            "缺少必填项: 工单编号",
            "missing_required"
        ]
    );
    assert_eq!(
        fields(1),
        [
            "mixed.csv",
            "",
            "4",
            "缺少必填项: 事发地址",
            "missing_required"
        ]
    );
    assert_eq!(
        fields(2),
        [
            "mixed.csv",
            "",
            "7",
            "缺少必填项: 受理时间;缺少必填项: 诉求类型",
            "missing_required"
        ]
    );
    assert_eq!(
        &rows[0][6],
        r#"{"序号":"2","工单编号":"","受理时间":"2025-01-03 08:05","诉求类型":"噪音扰民","事发地址":"星沙街道1号","联系电话":"13812345678"}"#
    );
}

#[test]
fn the_table_view_and_the_file_filter() {
    let ws = Workspace::new();
    let a = ws.path("a.csv");
    let b = ws.path("b.csv");
    write_utf8(
        &a,
        &[
            HEADER.to_vec(),
            order("", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    write_utf8(
        &b,
        &[
            HEADER.to_vec(),
            order("B1", "坏日期", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    assert_exit(
        &ws.run(&["ingest", a.to_str().unwrap(), b.to_str().unwrap()]),
        // Neither file had a usable row.
        1,
    );
    let out = ws.run(&["rejected", "--file", "b.csv"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("file   sheet  row  reason"), "{text}");
    assert!(
        text.contains("受理时间: 无法识别的日期时间: \"坏日期\""),
        "{text}"
    );
    assert!(!text.contains("缺少必填项"), "{text}");
}

#[test]
fn a_cell_longer_than_the_limit_rejects_its_row() {
    let ws = Workspace::new();
    let file = ws.path("huge.csv");
    let huge = "长".repeat(40_000);
    write_utf8(
        &file,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "事发地址", "诉求内容"],
            vec![
                "J1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                huge.as_str(),
            ],
            vec!["J2", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "正常"],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let (code, reason, raw): (String, String, String) = ws
        .db()
        .query_row(
            "SELECT reason_code, reason, raw_values FROM rejected_rows",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(code, "cell_too_long");
    assert_eq!(reason, "诉求内容: 内容过长(40000 字,上限 32767 字)");
    // The raw value is kept, shortened.
    assert!(raw.contains("…(共40000字)"), "{}", &raw[raw.len() - 40..]);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 1);
}

#[test]
fn a_row_with_empty_required_cells_is_blank_even_with_a_broken_optional_cell() {
    let ws = Workspace::new();
    let file = ws.path("blank-ish.csv");
    let mut rows = vec![vec![
        "序号".to_string(),
        "工单编号".into(),
        "受理时间".into(),
        "诉求类型".into(),
        "事发地址".into(),
        "诉求内容".into(),
    ]];
    for i in 0..40 {
        rows.push(vec![
            i.to_string(),
            format!("BK{i}"),
            "2025-01-03 08:05".into(),
            "噪音扰民".into(),
            "星沙街道1号".into(),
            "夜间施工噪音大".into(),
        ]);
    }
    let mut bytes = csv_text(&rows).into_bytes();
    // The last row: a serial number and bad bytes in the optional content cell, nothing else.
    bytes.extend_from_slice(b"2,,,,,\xff\xfe\n");
    std::fs::write(&file, bytes).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "41 rows read (1 blank skipped): 40 new orders, 0 updated, 0 unchanged; 0 rejected"
        ),
        "{}",
        stdout(&out)
    );
}
