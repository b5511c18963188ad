//! The spreadsheet forms offices have besides .xlsx and CSV: .xls and .ods saved by
//! LibreOffice Calc from one CSV export, and .xlsb assembled from it record by record
//! (`tests/fixtures/forms/`, see its README), give the same cases as the CSV; the form is told from the content, so CSV text or a web page under
//! an .xls name and an encrypted workbook are read or refused as what they are.

use std::path::{Path, PathBuf};

use crate::common::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/forms")
        .join(name)
}

/// The `cases` CSV as of 2025-02-28 after ingesting `file` into a fresh workspace.
fn cases_of(file: &Path) -> (Workspace, String) {
    let ws = Workspace::new();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let out = ws.run(&["cases", "--as-of", "2025-02-28", "--format", "csv"]);
    assert_exit(&out, 0);
    (ws, stdout(&out))
}

/// Every stored order's columns, as text, in id order.
fn orders(ws: &Workspace) -> String {
    let conn = ws.db();
    let mut stmt = conn
        .prepare(
            "SELECT order_id, CAST(received_at AS VARCHAR), category, address, caller_phone, \
             status, coalesce(CAST(closed_at AS VARCHAR), ''), coalesce(related_order_id, '') \
             FROM work_orders ORDER BY order_id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            (0..8)
                .map(|i| r.get::<_, String>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    rows.map(|r| r.unwrap().join("|") + "\n").collect()
}

#[test]
fn each_form_of_one_export_gives_the_cases_of_the_csv() {
    let (csv_ws, expected) = cases_of(&fixture("export.csv"));
    assert_eq!(expected.lines().count(), 4, "{expected}");
    let expected_orders = orders(&csv_ws);
    // Numeric ids and phone numbers come back as their digits.
    assert!(expected_orders.contains(
        "2025010300000|2025-01-03 08:05:00|噪音扰民|星沙街道开元东路18号某某商场|13812345678|"
    ));
    for form in [
        "export.xls",
        "export.ods",
        "export.xlsx",
        "export.xlsb",
        "export-1904.xlsb",
    ] {
        let (ws, cases) = cases_of(&fixture(form));
        assert_eq!(cases, expected, "cases from {form}");
        assert_eq!(orders(&ws), expected_orders, "orders from {form}");
        assert_eq!(
            ws.count("SELECT count(*) FROM rejected_rows WHERE row_number = 22"),
            1,
            "the row without an address is rejected from {form}"
        );
    }
}

#[test]
fn csv_text_saved_under_an_xls_name_is_read_as_the_csv_it_is() {
    let ws = Workspace::new();
    let file = ws.path("平台导出.xls");
    std::fs::copy(fixture("export.csv"), &file).unwrap();
    let out = ws.run(&["ingest", "--dry-run", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("would load (csv UTF-8, header at row 2)"),
        "{}",
        stdout(&out)
    );
    let (_, expected) = cases_of(&fixture("export.csv"));
    assert_eq!(cases_of(&file).1, expected);
}

#[test]
fn a_workbook_named_csv_is_read_as_the_workbook_it_is() {
    let ws = Workspace::new();
    let file = ws.path("export.csv");
    std::fs::copy(fixture("export.ods"), &file).unwrap();
    let out = ws.run(&["ingest", "--dry-run", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("would load (ods, sheet \"export\", header at row 2)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn dry_run_reads_each_form_as_ingest_would() {
    let ws = Workspace::new();
    for (form, what) in [
        ("export.xls", "xls, sheet \"export\", header at row 2"),
        ("export.ods", "ods, sheet \"export\", header at row 2"),
        ("export.xlsb", "xlsb, sheet \"export\", header at row 2"),
    ] {
        let out = ws.run(&["ingest", "--dry-run", fixture(form).to_str().unwrap()]);
        assert_exit(&out, 0);
        let text = stdout(&out);
        assert!(
            text.starts_with(&format!("{form}: would load ({what})\n  26 rows read (0 blank): 25 would be loaded, 1 rejected\n")),
            "{text}"
        );
        assert!(text.contains("row 22: 缺少必填项: 事发地址"), "{text}");
    }
    assert!(!ws.db_path().exists(), "a dry run stores nothing");
}

#[test]
fn an_xls_in_the_1904_date_system() {
    // export.xls with its DateMode record set to 1904: the same serials are 1,462 days later.
    let ws = Workspace::with_ingest("future_tolerance_hours", "200000");
    assert_exit(
        &ws.run(&["ingest", fixture("export-1904.xls").to_str().unwrap()]),
        0,
    );
    assert_eq!(
        ws.order_field("2025010300000", "received_at"),
        "2029-01-04 08:05:00"
    );
    assert_eq!(
        ws.order_field("2025010300000", "closed_at"),
        "2029-01-05 08:05:00"
    );
}

/// Ingests `file`: refused with `message`, nothing stored.
fn refused(ws: &Workspace, file: &Path, message: &str) {
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!("error: {}: {message}\n", file.display())
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 0);
}

const ENCRYPTED: &str = "the workbook is encrypted (it needs a password to open), so it cannot be read: open it in Excel or WPS with its password, save a copy without one (Excel: File > Info > Protect Workbook > Encrypt with Password, then clear the password; WPS: 文件 > 文档加密), and ingest that copy";

#[test]
fn an_encrypted_workbook_is_refused_saying_so_whatever_its_name() {
    let ws = Workspace::new();
    for name in ["encrypted.xlsx", "encrypted.xls", "encrypted.csv"] {
        let file = ws.path(name);
        std::fs::copy(fixture("encrypted.xlsx"), &file).unwrap();
        refused(&ws, &file, ENCRYPTED);
        let out = ws.run(&["ingest", "--dry-run", file.to_str().unwrap()]);
        assert_exit(&out, 1);
        assert!(stderr(&out).contains(ENCRYPTED), "{}", stderr(&out));
    }
}

#[test]
fn a_web_page_under_an_xls_name_is_refused_saying_what_it_is() {
    let ws = Workspace::new();
    let file = ws.path("工单导出.xls");
    std::fs::write(
        &file,
        "\u{feff}<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\n<head><meta charset=\"utf-8\"></head>\n<body><table><tr><td>工单编号</td><td>受理时间</td></tr></table></body></html>\n",
    )
    .unwrap();
    refused(
        &ws,
        &file,
        "this .xls file is really a web page (an HTML table, as some platforms export under a spreadsheet's name), not a workbook: open it in Excel or WPS and save it as .xlsx, or export the orders as CSV, and ingest that file",
    );
}

#[test]
fn an_xls_over_the_size_limit_is_refused_before_it_is_opened() {
    let ws = Workspace::with_ingest("max_xls_mb", "1");
    let file = ws.path("large.xls");
    let mut bytes = std::fs::read(fixture("export.xls")).unwrap();
    bytes.resize(1_200_000, 0);
    std::fs::write(&file, bytes).unwrap();
    refused(
        &ws,
        &file,
        "the .xls workbook is 1.1 MB, more than ingest.max_xls_mb (1 MB): an .xls is read into memory whole, so save it as .xlsx (read as it streams) or raise the limit",
    );
}

#[test]
fn the_inbox_loads_xls_and_ods() {
    let ws = Workspace::new();
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(fixture("export.xls"), inbox.join("a.xls")).unwrap();
    std::fs::copy(fixture("export.ods"), inbox.join("b.ods")).unwrap();
    assert_exit(&ws.run(&["ingest", "--inbox"]), 0);
    assert!(ws.path("inbox/processed/a.xls").exists());
    assert!(ws.path("inbox/processed/b.ods").exists());
    assert_eq!(ws.count("SELECT count(*) FROM ingested_files"), 2);
    // The same orders: the second file changes none.
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 25);
}

#[test]
fn a_folder_of_exports_includes_every_form() {
    let ws = Workspace::new();
    let dir = ws.path("exports");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["export.xls", "export.ods", "export.xlsx"] {
        std::fs::copy(fixture(name), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not an export").unwrap();
    let found = hotline_ledger::ingest::batch::exports_in(&dir).unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["export.ods", "export.xls", "export.xlsx"]);
}

#[test]
fn a_zip_bomb_dressed_as_ods_or_xlsb_is_refused_before_unpacking() {
    let ws = Workspace::with_ingest("max_unpacked_mb", "4");
    for (name, parts) in [
        ("bomb.ods", ["mimetype", "content.xml"]),
        ("bomb.xlsb", ["xl/workbook.bin", "xl/worksheets/sheet1.bin"]),
    ] {
        let file = ws.path(name);
        {
            use std::io::Write;
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(parts[0], options).unwrap();
            zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
                .unwrap();
            zip.start_file(parts[1], options).unwrap();
            let zeros = vec![b'0'; 1 << 20];
            for _ in 0..16 {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        assert!(std::fs::metadata(&file).unwrap().len() < 100_000);
        refused(
            &ws,
            &file,
            "the workbook would unpack to 16 MB, more than ingest.max_unpacked_mb (4 MB): refused as a possible zip bomb",
        );
    }
}
