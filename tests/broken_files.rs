//! A corpus of broken files: each is refused with a clear message naming the file, the exit
//! status says so, and the database is exactly as it was. Nothing panics.

use std::io::Write;
use std::path::Path;

use crate::common::*;

/// A workspace that already holds one good file, so "unchanged" means something.
fn loaded_workspace() -> Workspace {
    let ws = Workspace::new();
    let good = ws.path("good.csv");
    write_utf8(
        &good,
        &[
            HEADER.to_vec(),
            order(
                "W1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", good.to_str().unwrap()]), 0);
    ws
}

/// Ingests `file`, expects refusal with `message`, and an unchanged database.
fn refused(ws: &Workspace, file: &Path, message: &str) {
    let before = ws.snapshot();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!("error: {}: {message}\n", file.display()),
        "for {}",
        file.display()
    );
    assert!(!stderr(&out).contains("panicked"));
    assert_eq!(
        ws.snapshot(),
        before,
        "database changed by {}",
        file.display()
    );
}

/// Like `refused`, for messages that end with a library's own wording.
fn refused_starting(ws: &Workspace, file: &Path, start: &str) {
    let before = ws.snapshot();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    let expected = format!("error: {}: {start}", file.display());
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    assert_eq!(
        ws.snapshot(),
        before,
        "database changed by {}",
        file.display()
    );
}

fn good_xlsx(path: &Path, rows: usize) {
    let mut data = vec![vec![
        X::S("工单编号"),
        X::S("受理时间"),
        X::S("诉求类型"),
        X::S("事发地址"),
    ]];
    let ids: Vec<String> = (0..rows).map(|i| format!("X{i}")).collect();
    for id in &ids {
        data.push(vec![
            X::S(id),
            X::D(serial("2025-01-03 08:05:00")),
            X::S("噪音扰民"),
            X::S("星沙街道开元东路18号某某商场门口"),
        ]);
    }
    write_xlsx(path, &data);
}

#[test]
fn random_bytes_named_xlsx() {
    let ws = loaded_workspace();
    let file = ws.path("random.xlsx");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        "not a valid .xlsx workbook (an .xlsx file is a zip archive, this one is not)",
    );
}

#[test]
fn truncated_xlsx() {
    let ws = loaded_workspace();
    let file = ws.path("truncated.xlsx");
    good_xlsx(&file, 50);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    refused_starting(&ws, &file, "cannot read the workbook: ");
}

#[test]
fn empty_files() {
    let ws = loaded_workspace();
    for name in ["empty.csv", "empty.xlsx"] {
        let file = ws.path(name);
        std::fs::write(&file, b"").unwrap();
        refused(&ws, &file, "the file is empty");
    }
}

#[test]
fn header_only() {
    let ws = loaded_workspace();
    let file = ws.path("header-only.csv");
    write_utf8(&file, &[HEADER.to_vec()]);
    refused(
        &ws,
        &file,
        "the file has a header row but no work orders below it",
    );
    let file = ws.path("header-and-blanks.xlsx");
    write_xlsx(
        &file,
        &[
            vec![
                X::S("工单编号"),
                X::S("受理时间"),
                X::S("诉求类型"),
                X::S("事发地址"),
            ],
            vec![X::S(" "), X::Blank, X::S(""), X::Blank],
        ],
    );
    refused(
        &ws,
        &file,
        "the file has a header row but no work orders below it",
    );
}

#[test]
fn missing_required_column() {
    let ws = loaded_workspace();
    let file = ws.path("no-address.csv");
    write_utf8(
        &file,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "来源渠道"],
            vec!["Q1", "2025-01-03 08:05", "噪音扰民", "12345"],
        ],
    );
    refused(
        &ws,
        &file,
        "no header row found in the first 2 rows: row 1 looks most like one (it has 工单编号, 受理时间, 诉求类型, 来源渠道) but lacks the required column address (事发地址/诉求地址/地址); add the column or its name to [columns] in the config",
    );
}

#[test]
fn utf16_with_and_without_bom() {
    let ws = loaded_workspace();
    let text = csv_text(&[
        HEADER.to_vec(),
        order("Q2", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
    ]);
    let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let with_bom = ws.path("utf16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(&utf16);
    std::fs::write(&with_bom, bytes).unwrap();
    refused(
        &ws,
        &with_bom,
        "the CSV is UTF-16 encoded: save it as CSV in UTF-8 or GBK",
    );
    let without = ws.path("utf16-nobom.csv");
    std::fs::write(&without, &utf16).unwrap();
    refused(
        &ws,
        &without,
        // The first NUL: the high byte of the comma after 工单编号 (four characters).
        "the CSV holds NUL bytes from line 1 on (the first at byte 9), so it is not a text file (UTF-16 without a byte order mark, or binary data): save it as CSV in UTF-8 or GBK",
    );
}

#[test]
fn many_nul_bytes_refuse_a_csv_naming_where_they_start() {
    let ws = loaded_workspace();
    let file = ws.path("nul.csv");
    let mut bytes = csv_text(&[HEADER.to_vec()]).into_bytes();
    let header_len = bytes.len();
    bytes.extend_from_slice(b"Q3,2025-01-03 08:05,\r\n");
    bytes.extend_from_slice(&[0u8; 64]);
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        &format!(
            "the CSV holds NUL bytes from line 3 on (the first at byte {}), so it is not a text file (UTF-16 without a byte order mark, or binary data): save it as CSV in UTF-8 or GBK",
            header_len + 22
        ),
    );
}

#[test]
fn a_lone_nul_byte_in_text_rejects_only_its_row() {
    for gbk in [false, true] {
        let ws = Workspace::new();
        let file = ws.path("stray-nul.csv");
        let text = csv_text(&[
            HEADER.to_vec(),
            order("N1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
            order(
                "N2",
                "2025-01-03 08:05",
                "噪音\u{0}扰民",
                "星沙街道2号",
                "",
                "",
            ),
            order("N3", "2025-01-03 08:05", "噪音扰民", "星沙街道3号", "", ""),
        ]);
        let bytes = if gbk {
            encoding_rs::GBK.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        };
        std::fs::write(&file, bytes).unwrap();
        let out = ws.run(&["ingest", file.to_str().unwrap()]);
        assert_exit(&out, 0);
        assert_eq!(
            ws.count("SELECT count(*) FROM work_orders"),
            2,
            "gbk: {gbk}"
        );
        let (row, code, reason): (i64, String, String) = ws
            .db()
            .query_row(
                "SELECT row_number, reason_code, reason FROM rejected_rows",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (row, code.as_str(), reason.as_str()),
            (3, "nul_char", "诉求类型: 含有 NUL 控制字符"),
            "gbk: {gbk}"
        );
    }
}

#[test]
fn binary_noise_is_not_gbk() {
    let ws = loaded_workspace();
    let file = ws.path("noise.csv");
    // Every byte value but NUL, in no particular order.
    let bytes: Vec<u8> = (1..8192u32)
        .map(|i| ((i.wrapping_mul(2654435761) >> 11) as u8).max(1))
        .collect();
    std::fs::write(&file, bytes).unwrap();
    refused_starting(
        &ws,
        &file,
        "the CSV is neither UTF-8 nor GBK/GB18030 (it looks like ",
    );
}

#[test]
fn a_zip_that_is_not_a_workbook() {
    let ws = loaded_workspace();
    let file = ws.path("notes.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all("这不是工作簿".as_bytes()).unwrap();
    zip.finish().unwrap();
    refused_starting(&ws, &file, "cannot read the workbook: ");
}

#[test]
fn a_broken_compound_file_under_a_workbook_name() {
    // The OLE signature and nothing else: an .xls (or an encrypted workbook) that is cut.
    let ws = loaded_workspace();
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(2048, 0);
    for name in ["old.xls", "old-renamed.xlsx", "old.csv"] {
        let file = ws.path(name);
        std::fs::write(&file, &bytes).unwrap();
        refused_starting(&ws, &file, "cannot read the workbook: ");
    }
}

#[test]
fn random_bytes_named_xls() {
    let ws = loaded_workspace();
    let file = ws.path("random.xls");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        "not a valid .xls workbook: it is neither an Excel 97-2003 workbook nor a web page or CSV text saved under that name",
    );
}

#[test]
fn other_file_types_folders_and_missing_files() {
    let ws = loaded_workspace();
    let txt = ws.path("orders.txt");
    std::fs::write(&txt, "工单编号\n").unwrap();
    refused(
        &ws,
        &txt,
        "unsupported file type \".txt\": only spreadsheet exports (.xlsx, .xls, .xlsb, .ods) and .csv can be read",
    );
    let dir = ws.path("a-folder.csv");
    std::fs::create_dir(&dir).unwrap();
    refused(
        &ws,
        &dir,
        "cannot read the file: it is a folder, not a file",
    );
    let missing = ws.path("missing.csv");
    refused(
        &ws,
        &missing,
        "cannot read the file: No such file or directory (os error 2)",
    );
}

#[test]
fn formulas_give_their_cached_values() {
    let ws = loaded_workspace();
    let file = ws.path("formulas.xlsx");
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
                X::Formula("=\"GD\"&\"001\"", "GD001"),
                X::D(serial("2025-01-03 08:05:00")),
                X::S("噪音扰民"),
                X::Formula("=\"星沙街道\"&\"1号\"", "星沙街道1号"),
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("GD001", "address"), "星沙街道1号");
}

/// Removes the stored result of every formula of the first sheet, as a program that writes
/// formulas without calculating them leaves it.
fn drop_formula_results(path: &Path) {
    rewrite_entry(path, "xl/worksheets/sheet1.xml", |xml| {
        let mut text = String::from_utf8(xml).unwrap();
        while let Some(at) = text.find("</f><v>") {
            let end = at + text[at..].find("</v>").unwrap() + "</v>".len();
            text.replace_range(at + "</f>".len()..end, "");
        }
        text.into_bytes()
    });
}

#[test]
fn formulas_without_a_stored_result_are_rejected_rows_and_unreadable_optional_cells_left_empty() {
    let ws = loaded_workspace();
    let file = ws.path("no-results.xlsx");
    let header = vec![
        X::S("工单编号"),
        X::S("受理时间"),
        X::S("诉求类型"),
        X::S("事发地址"),
        X::S("办结时间"),
    ];
    let row = |id: &'static str, address: X<'static>, closed: X<'static>| {
        vec![
            X::S(id),
            X::D(serial("2025-01-03 08:05:00")),
            X::S("噪音扰民"),
            address,
            closed,
        ]
    };
    write_xlsx(
        &file,
        &[
            header,
            // Every required cell a formula: not a blank row.
            vec![
                X::Formula("=\"GD\"&\"001\"", "GD001"),
                X::Formula("=DATE(2025,1,3)", "45660"),
                X::Formula("=\"噪音\"&\"扰民\"", "噪音扰民"),
                X::Formula("=\"星沙街道\"&\"1号\"", "星沙街道1号"),
                X::Blank,
            ],
            row("GD002", X::Formula("=\"星沙街道\"&\"2号\"", "x"), X::Blank),
            // An optional cell that cannot be read: left empty, the complaint counts.
            row("GD003", X::S("星沙街道3号"), X::Formula("=NOW()", "1")),
            row("GD004", X::S("星沙街道4号"), X::S("—")),
            row("GD005", X::S("星沙街道5号"), X::S("2025-01-04 09:00")),
        ],
    );
    drop_formula_results(&file);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let said = stdout(&out);
    assert!(
        said.contains("5 rows read (0 blank skipped): 3 new orders"),
        "{said}"
    );
    assert!(said.contains("2 rejected"), "{said}");
    assert!(
        said.contains("2 orders loaded with an optional cell left empty because it could not be read (row 4: 办结时间: 是公式,文件里没有保存它的计算结果); the complaints count"),
        "{said}"
    );
    for id in ["GD003", "GD004", "GD005"] {
        assert_eq!(ws.order_field(id, "order_id"), id);
    }
    assert_eq!(ws.order_field("GD003", "closed_at"), "");
    assert_eq!(ws.order_field("GD004", "closed_at"), "");
    assert_eq!(
        ws.count("SELECT count(*) FROM rejected_rows WHERE reason_code = 'formula_no_value'"),
        2
    );
    let out = ws.run(&["rejected", "--format", "csv"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("事发地址: 是公式,文件里没有保存它的计算结果"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_header_again_mid_file_re_maps_the_rows_below_it_or_refuses_the_file() {
    let ws = loaded_workspace();
    let file = ws.path("two-headers.csv");
    let text = "工单编号,受理时间,诉求类型,事发地址\n\
                H1,2025-01-03 08:05,噪音扰民,星沙街道1号\n\
                工单编号,受理时间,诉求类型,事发地址\n\
                H2,2025-01-03 09:05,噪音扰民,星沙街道2号\n\
                工单编号,受理时间,事发地址,诉求类型\n\
                H3,2025-01-03 10:05,星沙街道3号,噪音扰民\n\
                H4,2025-01-03 11:05,星沙街道4号,占道经营\n";
    std::fs::write(&file, text).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let said = stdout(&out);
    assert!(
        said.contains("4 rows read (0 blank skipped): 4 new orders"),
        "{said}"
    );
    assert!(said.contains("0 rejected"), "{said}");
    assert!(
        said.contains("1 row repeats the header (row 3): skipped, not orders"),
        "{said}"
    );
    assert!(
        said.contains("the header appears again in another column order (row 5): the rows below it were read by that header"),
        "{said}"
    );
    assert_eq!(ws.order_field("H3", "address"), "星沙街道3号");
    assert_eq!(ws.order_field("H4", "category"), "占道经营");
    // The workspace's own file set one row aside; this one none.
    assert_eq!(ws.count("SELECT count(*) FROM rejected_rows"), 1);

    // A header that names other columns: two exports in one file.
    let file = ws.path("two-exports.csv");
    let text = "工单编号,受理时间,诉求类型,事发地址\n\
                J1,2025-01-03 08:05,噪音扰民,星沙街道1号\n\
                工单编号,受理时间,诉求类型,事发地址,办结时间\n\
                J2,2025-01-03 09:05,噪音扰民,星沙街道2号,2025-01-04 09:00\n";
    std::fs::write(&file, text).unwrap();
    refused(
        &ws,
        &file,
        "row 3 is a second header with other columns (工单编号, 受理时间, 诉求类型, 事发地址, 办结时间) than the first (工单编号, 受理时间, 诉求类型, 事发地址): the file joins two exports, so nothing from it was kept; split it at row 3 and ingest each part",
    );
}

#[test]
fn a_sheet_broken_midway_loads_nothing() {
    let ws = loaded_workspace();
    let file = ws.path("broken-midway.xlsx");
    // Enough rows that several batches reach the staging table before the break.
    good_xlsx(&file, 80_000);
    rewrite_entry(&file, "xl/worksheets/sheet1.xml", |xml| {
        let mut cut = xml[..xml.len() * 9 / 10].to_vec();
        cut.extend_from_slice(b"<row r=\"x\"><c r=\"A1\"><v>oops");
        cut
    });
    refused_starting(&ws, &file, "cannot read the workbook: ");
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 1);
}

/// A header and rows with realistic ids, the last cell 诉求内容, written by hand so that a
/// quote can be left open.
fn export_with(rows: &[&str], ending: &str) -> String {
    let mut text = format!("工单编号,受理时间,诉求类型,事发地址,诉求内容{ending}");
    for row in rows {
        text.push_str(row);
        text.push_str(ending);
    }
    text
}

#[test]
fn a_quote_left_open_refuses_the_file_naming_the_line_it_opened_on() {
    let ws = loaded_workspace();
    for ending in ["\n", "\r\n", "\r"] {
        let file = ws.path("stray-quote.csv");
        let text = export_with(
            &[
                "2025010300001,2025-01-03 08:05,噪音扰民,星沙街道1号,门前施工",
                "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音",
                "2025010300003,2025-01-03 10:05,噪音扰民,星沙街道3号,广场舞",
                "2025010300004,2025-01-03 11:05,噪音扰民,星沙街道4号,\"装修\"",
                "2025010300005,2025-01-03 12:05,噪音扰民,星沙街道5号,喇叭",
            ],
            ending,
        );
        std::fs::write(&file, text).unwrap();
        refused(
            &ws,
            &file,
            "line 3: a cell opens a quote (\") that does not close before line 4, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again",
        );
    }
}

#[test]
fn a_quote_left_open_is_found_when_the_rows_do_not_have_the_headers_number_of_fields() {
    let rows = [
        "2025010300001,2025-01-03 08:05,噪音扰民,星沙街道1号,门前施工",
        "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音",
        "2025010300003,2025-01-03 10:05,噪音扰民,星沙街道3号,广场舞",
        "2025010300004,2025-01-03 11:05,噪音扰民,星沙街道4号,\"装修\"",
        "2025010300005,2025-01-03 12:05,噪音扰民,星沙街道5号,喇叭",
    ];
    let ws = loaded_workspace();
    let file = ws.path("stray-quote-shape.csv");
    // A trailing comma on every row: one field more than the header.
    let trailing: Vec<String> = rows.iter().map(|r| format!("{r},")).collect();
    let trailing: Vec<&str> = trailing.iter().map(String::as_str).collect();
    // A trailing empty column (备注) the rows leave out: one field fewer.
    let left_out = format!(
        "工单编号,受理时间,诉求类型,事发地址,诉求内容,备注\n{}\n",
        rows.join("\n")
    );
    for text in [export_with(&trailing, "\n"), left_out] {
        std::fs::write(&file, text).unwrap();
        refused(
            &ws,
            &file,
            "line 3: a cell opens a quote (\") that does not close before line 4, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again",
        );
    }
    // The same stray quote as the first row, before any row has shown the file's shape.
    let first_row = export_with(&trailing[1..], "\r\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&first_row);
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        "line 2: a cell opens a quote (\") that does not close before line 3, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again",
    );
}

#[test]
fn a_quote_left_open_in_a_gbk_export_is_found_too() {
    let ws = loaded_workspace();
    let file = ws.path("stray-quote-gbk.csv");
    let text = export_with(
        &[
            "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音",
            "2025010300003,2025-01-03 10:05,噪音扰民,星沙街道3号,广场舞",
        ],
        "\r\n",
    );
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        "line 2: a cell opens a quote (\") that does not close before line 3, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again",
    );
}

#[test]
fn a_quote_left_open_to_the_end_of_the_file_refuses_it() {
    let ws = loaded_workspace();
    for last in [
        // The last row, its line end taken into the cell.
        "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音\n",
        // Without a line end.
        "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音",
        // Lines that do not read as rows, then the end.
        "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"夜间噪音\n持续到凌晨\n",
    ] {
        let file = ws.path("open-to-the-end.csv");
        let mut text = export_with(
            &["2025010300001,2025-01-03 08:05,噪音扰民,星沙街道1号,门前施工"],
            "\n",
        );
        text.push_str(last);
        std::fs::write(&file, text).unwrap();
        refused(
            &ws,
            &file,
            "line 3: a cell opens a quote (\") that never closes, so the cell would run to the end of the file; nothing from this file was kept: remove the stray quote or close it, and ingest the file again",
        );
    }
}

#[test]
fn quoted_cells_over_several_lines_still_load() {
    let ws = Workspace::new();
    let file = ws.path("multi-line.csv");
    // A 诉求内容 in paragraphs, one with a line that has commas, one with doubled quotes.
    let text = export_with(
        &[
            "2025010300001,2025-01-03 08:05,噪音扰民,星沙街道1号,\"夜间噪音\n持续到凌晨,多次反映\n请处理\"",
            "2025010300002,2025-01-03 09:05,噪音扰民,星沙街道2号,\"他说\"\"明天再来\"\"\r\n第二段\"",
            "2025010300003,2025-01-03 10:05,噪音扰民,星沙街道3号,广场舞",
        ],
        "\n",
    );
    std::fs::write(&file, text).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    assert_eq!(
        ws.order_field("2025010300001", "content"),
        "夜间噪音\n持续到凌晨,多次反映\n请处理"
    );
    assert_eq!(
        ws.order_field("2025010300002", "content"),
        "他说\"明天再来\"\r\n第二段"
    );
}
