//! What a file holds that is not loaded as it reads (cells without a heading, a column
//! named twice, rows Excel hides) is said in the ingest summary.

use crate::common::*;

#[test]
fn cells_beyond_the_header_or_under_a_blank_heading_are_reported() {
    let ws = Workspace::new();
    let file = ws.path("extra.csv");
    write_utf8(
        &file,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "", "事发地址"],
            vec![
                "E1",
                "2025-01-03 08:05",
                "噪音扰民",
                "",
                "星沙街道1号",
                "多出的备注",
            ],
            vec![
                "E2",
                "2025-01-03 08:05",
                "噪音扰民",
                "无标题列",
                "星沙街道1号",
            ],
            vec!["E3", "2025-01-03 08:05", "噪音扰民", "", "星沙街道1号", ""],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "\n  2 rows have values in cells without a heading (beyond the header's columns, or under a blank heading): those values were not loaded\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
}

#[test]
fn a_column_named_twice_says_which_was_read() {
    let ws = Workspace::new();
    let file = ws.path("twice.csv");
    write_utf8(
        &file,
        &[
            vec![
                "工单编号",
                "受理时间",
                "诉求类型",
                "事发地址",
                "事发地址",
                "来电时间",
            ],
            vec![
                "D1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "开元东路2号",
                "2025-02-03 08:05",
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "\n  columns 4 \"事发地址\" and 5 \"事发地址\" both name address: column 4 was read, column 5 was not loaded\n  columns 2 \"受理时间\" and 6 \"来电时间\" both name received_at: column 2 was read, column 6 was not loaded\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.order_field("D1", "address"), "星沙街道1号");
    assert_eq!(ws.order_field("D1", "received_at"), "2025-01-03 08:05:00");
}

#[test]
fn hidden_rows_of_a_worksheet_are_loaded_and_counted() {
    use rust_xlsxwriter::Workbook;
    let ws = Workspace::new();
    let file = ws.path("hidden.xlsx");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in ["工单编号", "受理时间", "诉求类型", "事发地址"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=4u32 {
        let id = format!("H{r}");
        for (c, v) in [id.as_str(), "2025-01-03 08:05", "噪音扰民", "星沙街道1号"]
            .iter()
            .enumerate()
        {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    sheet.set_row_hidden(2).unwrap();
    sheet.set_row_hidden(3).unwrap();
    wb.save(&file).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "\n  2 rows hidden in the worksheet were read like the others (hidden rows are orders too)\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 4);
}

/// A workbook with a sheet of orders for each of `sheets` (name, ids; no ids: a sheet with
/// a note and no header).
fn write_sheets(path: &std::path::Path, sheets: &[(&str, &[&str])]) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    for (name, ids) in sheets {
        let sheet = wb.add_worksheet();
        sheet.set_name(*name).unwrap();
        if ids.is_empty() {
            sheet
                .write_string(0, 0, "说明：本表为导出说明，工单见后表")
                .unwrap();
            continue;
        }
        for (c, h) in ["工单编号", "受理时间", "诉求类型", "事发地址"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, c as u16, *h).unwrap();
        }
        sheet.write_string(0, 0, "12345工单导出").unwrap();
        for (r, id) in ids.iter().enumerate() {
            for (c, v) in [*id, "2025-01-03 08:05", "噪音扰民", "星沙街道1号"]
                .iter()
                .enumerate()
            {
                sheet.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn orders_on_a_later_sheet_are_read_and_orders_on_two_sheets_refuse_the_file() {
    let ws = Workspace::new();
    // A cover sheet first, the orders on the second: the second is read and named.
    let later = ws.path("later.xlsx");
    write_sheets(&later, &[("说明", &[]), ("工单明细", &["S1", "S2", "S3"])]);
    let out = ws.run(&["ingest", later.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("sheet \"工单明细\", header at row 2"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    // Orders on two sheets: reading one would leave the other's out, so neither is read,
    // and the message names both.
    let two = ws.path("two.xlsx");
    write_sheets(&two, &[("9月", &["T1", "T2"]), ("10月", &["T3"])]);
    let out = ws.run(&["ingest", two.to_str().unwrap()]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("two.xlsx")
            && err.contains(
                "more than one worksheet holds a header row of work orders (\"9月\", \"10月\")"
            ),
        "{err}"
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    // Naming the sheet in the config reads that one.
    let ws = Workspace::with_ingest("sheet", "\"10月\"");
    let out = ws.run(&["ingest", two.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(
        ws.count("SELECT count(*) FROM work_orders WHERE order_id = 'T3'"),
        1
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM work_orders WHERE order_id = 'T1'"),
        0
    );
}

#[test]
fn gbk_text_after_a_utf8_byte_order_mark_is_read_as_gbk() {
    let ws = Workspace::new();
    let file = ws.path("bom-gbk.csv");
    let text = csv_text(&[
        vec!["工单编号", "受理时间", "诉求类型", "事发地址"],
        vec!["B1", "2025-01-03 08:05", "噪音扰民", "星沙街道开元东路18号"],
        vec!["B2", "2025-01-04 08:05", "噪音扰民", "星沙街道开元东路18号"],
    ]);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&encoding_rs::GBK.encode(&text).0);
    std::fs::write(&file, bytes).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("csv GBK (after a UTF-8 BOM)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.order_field("B2", "address"), "星沙街道开元东路18号");
    assert_eq!(ws.count("SELECT count(*) FROM rejected_rows"), 0);
}
