//! Finding the header row below title rows, and mapping column names through aliases.

use crate::common::*;

#[test]
fn title_rows_above_the_header_are_skipped_in_csv() {
    let ws = Workspace::new();
    let file = ws.path("titled.csv");
    write_utf8(
        &file,
        &[
            vec!["长沙县12345热线工单导出 2025-01-01至2025-01-31"],
            vec!["导出人: 管理员", "", ""],
            HEADER.to_vec(),
            order(
                "T1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("header at row 3"), "{}", stdout(&out));
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 1);
    assert_eq!(ws.count("SELECT source_row FROM work_orders"), 4);
}

#[test]
fn merged_title_row_in_xlsx_and_serial_column() {
    let ws = Workspace::new();
    let file = ws.path("titled.xlsx");
    write_xlsx(
        &file,
        &[
            vec![X::S("长沙县12345热线工单导出 2025-01-01至2025-01-31")],
            vec![],
            vec![
                X::S("序号"),
                X::S("工单编号"),
                X::S("受理时间"),
                X::S("诉求类型"),
                X::S("事发地址"),
                X::S("联系电话"),
            ],
            vec![
                X::N(1.0),
                X::N(20250103001.0),
                X::D(serial("2025-01-03 08:05:00")),
                X::S("噪音扰民"),
                X::S("星沙街道1号"),
                X::N(13812345678.0),
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("xlsx, sheet \"工单\", header at row 3"),
        "{}",
        stdout(&out)
    );
    // Ids and phones stored as numbers read back without ".0".
    assert_eq!(ws.order_field("20250103001", "caller_phone"), "13812345678");
}

#[test]
fn the_earlier_alias_wins_when_a_file_has_two() {
    let ws = Workspace::new();
    let file = ws.path("two.csv");
    write_utf8(
        &file,
        &[
            vec!["工单编号", "创建时间", "受理时间", "诉求类型", "地址"],
            vec![
                "P1",
                "2025-01-01 00:00",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("P1", "received_at"), "2025-01-03 08:05:00");
}

#[test]
fn headings_with_odd_spacing_and_width_still_match() {
    let ws = Workspace::new();
    let file = ws.path("spaced.csv");
    write_utf8(
        &file,
        &[
            vec![" 工单 编号 ", "受理时间\u{3000}", "诉求类型", "事发地址"],
            vec!["S1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号"],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 1);
}

#[test]
fn configured_aliases_are_used() {
    let ws = Workspace::with_config(
        "[columns]\norder_id = [\"流水号\"]\nreceived_at = [\"受理时间\"]\ncategory = [\"诉求类型\"]\naddress = [\"事发地址\"]\n",
    );
    let file = ws.path("custom.csv");
    write_utf8(
        &file,
        &[
            vec!["流水号", "受理时间", "诉求类型", "事发地址", "来源渠道"],
            vec!["L1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "12345"],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("L1", "category"), "噪音扰民");
    // Columns not configured keep their default aliases.
    assert_eq!(ws.order_field("L1", "channel"), "12345");
}

#[test]
fn no_header_names_the_row_most_like_one_and_what_it_lacks() {
    let ws = Workspace::new();
    let file = ws.path("nohead.csv");
    write_utf8(
        &file,
        &[
            vec!["工单导出"],
            vec!["工单编号", "受理时间", "类别", "位置"],
            vec!["N1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号"],
        ],
    );
    drop(ws.store());
    let before = ws.snapshot();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: no header row found in the first 3 rows: row 2 looks most like one (it has 工单编号, 受理时间) but lacks the required columns category (诉求类型/事项类别/问题分类/业务类型), address (事发地址/诉求地址/地址); add the column or its name to [columns] in the config\n",
            file.display()
        )
    );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn no_known_column_at_all() {
    let ws = Workspace::new();
    let file = ws.path("other.csv");
    write_utf8(&file, &[vec!["a", "b"], vec!["1", "2"]]);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: no header row found in the first 2 rows: no row holds a known column name (required: order_id (工单编号/工单号/编号), received_at (受理时间/来电时间/登记时间/创建时间), category (诉求类型/事项类别/问题分类/业务类型), address (事发地址/诉求地址/地址)); add the file's names to [columns] in the config\n",
            file.display()
        )
    );
}
