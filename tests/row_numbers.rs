//! The row number a person is told is where they find the row: for CSV the line it starts
//! on in the file, whatever the line ends (LF, CR LF, lone CR), encoding, BOM or title row;
//! for xlsx the row number Excel shows.

use crate::common::*;

const ENDINGS: [(&str, &str); 3] = [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")];

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Gbk,
}

impl Encoding {
    const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Gbk];

    /// As `ingest` names it.
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Gbk => "GBK",
        }
    }

    fn bytes(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            Encoding::Gbk => {
                let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
                assert!(!unmappable, "fixture text must be GBK-encodable");
                bytes.into_owned()
            }
        }
    }
}

/// Ingests `lines` (joined and ended by `ending`) in a fresh workspace; returns what
/// `ingest` printed and the rows `rejected --format csv` lists.
fn ingest(name: &str, lines: &[&str], ending: &str, encoding: Encoding) -> (String, Vec<u64>) {
    let ws = Workspace::new();
    let file = ws.path(name);
    let text: String = lines
        .iter()
        .map(|line| line.replace('\n', ending) + ending)
        .collect();
    std::fs::write(&file, encoding.bytes(&text)).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let printed = stdout(&out);
    let out = ws.run(&["rejected", "--format", "csv"]);
    assert_exit(&out, 0);
    let rows = csv::Reader::from_reader(stdout(&out).as_bytes())
        .records()
        .map(|r| r.unwrap()[2].parse().unwrap())
        .collect();
    (printed, rows)
}

#[test]
fn the_header_and_a_bad_row_are_numbered_by_their_line_in_every_dialect() {
    const TITLE: &str = "长沙县12345热线工单导出";
    let body = [
        "工单编号,受理时间,诉求类型,事发地址",
        "R1,2025-01-03 08:05,噪音扰民,星沙街道1号",
        "R2,bad-date,噪音扰民,星沙街道2号",
        "R3,2025-01-03 09:10,占道经营,星沙街道3号",
    ];
    for titled in [true, false] {
        let lines: Vec<&str> = titled.then_some(TITLE).into_iter().chain(body).collect();
        let header = if titled { 2 } else { 1 };
        for encoding in Encoding::ALL {
            for (dialect, ending) in ENDINGS {
                let case = format!("{dialect}, {encoding:?}, title row: {titled}");
                let (printed, rejected) = ingest("orders.csv", &lines, ending, encoding);
                let wanted = format!(
                    "orders.csv: loaded (csv {}, header at row {header})",
                    encoding.label()
                );
                assert!(printed.contains(&wanted), "{case}: {printed}");
                assert!(
                    printed.contains(
                        "3 rows read (0 blank skipped): 2 new orders, 0 updated, 0 unchanged; 1 rejected"
                    ),
                    "{case}: {printed}"
                );
                assert_eq!(rejected, [header + 2], "{case}");
            }
        }
    }
}

#[test]
fn a_record_spanning_lines_is_numbered_by_its_first_line() {
    let lines = [
        "长沙县12345热线工单导出",
        "",
        "工单编号,受理时间,诉求类型,事发地址,诉求内容",
        "M1,2025-01-03 08:05,噪音扰民,星沙街道1号,\"夜间施工\n噪音大\"",
        "M2,bad-date,噪音扰民,星沙街道2号,\"第一行\n第二行\n\n第四行\"",
        "M3,2025-01-03 09:00,噪音扰民,星沙街道3号,正常",
        "",
        "M4,also-bad,噪音扰民,星沙街道4号,\"\n以空行开头\"",
    ];
    for encoding in [Encoding::Utf8, Encoding::Gbk] {
        for (dialect, ending) in ENDINGS {
            let case = format!("{dialect}, {encoding:?}");
            let (printed, rejected) = ingest("multi.csv", &lines, ending, encoding);
            assert!(printed.contains("header at row 3)"), "{case}: {printed}");
            assert_eq!(rejected, [6, 12], "{case}");
        }
    }
}

#[test]
fn xlsx_rows_are_numbered_as_excel_shows_them() {
    let ws = Workspace::new();
    let file = ws.path("orders.xlsx");
    let order = |id, received| {
        vec![
            X::S(id),
            X::S(received),
            X::S("噪音扰民"),
            X::S("星沙街道1号"),
        ]
    };
    write_xlsx(
        &file,
        &[
            vec![X::S("长沙县12345热线工单导出")],
            vec![
                X::S("工单编号"),
                X::S("受理时间"),
                X::S("诉求类型"),
                X::S("事发地址"),
            ],
            order("X1", "2025-01-03 08:05"),
            order("X2", "bad-date"),
            vec![],
            order("X3", "also-bad"),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("xlsx, sheet \"工单\", header at row 2"),
        "{}",
        stdout(&out)
    );
    let rows: Vec<i64> = {
        let db = ws.db();
        let mut stmt = db
            .prepare("SELECT row_number FROM rejected_rows ORDER BY row_number")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(rows, [4, 6]);
}
