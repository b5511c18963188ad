//! Nothing a caller typed becomes a live formula in a CSV the program writes: a cell that
//! a spreadsheet would read as a formula gets a leading `'` (OWASP's advice).

use crate::common::*;

const LINK: &str = "=HYPERLINK(\"http://example.com/x\",\"点击查看\")";

fn records(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn cases_subjects_and_rejected_rows_written_as_csv_hold_no_formula() {
    let ws = Workspace::new();
    let file = ws.path("=cmd.csv");
    let times = [
        "2025-01-03 08:05",
        "2025-01-04 08:05",
        "2025-01-05 08:05",
        "2025-01-06 08:05",
        "2025-01-07 08:05",
    ];
    let ids = ["F1", "F2", "F3", "F4", "F5"];
    let mut rows = vec![HEADER.to_vec()];
    for (id, t) in ids.iter().zip(times) {
        rows.push(order(id, t, "@SUM(A1)", LINK, "处理中", ""));
    }
    rows.push(order("", "2025-01-08 08:05", "+1", "-2", "处理中", ""));
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);

    let out = ws.run(&["cases", "--as-of", "2025-01-31", "--format", "csv"]);
    assert_exit(&out, 0);
    let cases = records(&stdout(&out));
    assert_eq!(cases.len(), 1);
    assert_eq!(&cases[0][2], "'@SUM(A1)");
    assert_eq!(&cases[0][3], format!("'{LINK}"));

    let out = ws.run(&["rejected", "--format", "csv"]);
    assert_exit(&out, 0);
    let rejected = records(&stdout(&out));
    assert_eq!(rejected.len(), 1);
    assert_eq!(&rejected[0][0], "'=cmd.csv");
    for record in cases.iter().chain(&rejected) {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {record:?}"
            );
        }
    }

    let out = ws.run(&["subjects", "--as-of", "2025-01-31", "--format", "csv"]);
    assert_exit(&out, 0);
    for record in records(&stdout(&out)) {
        for cell in &record {
            assert!(
                !cell.trim_start().starts_with(['=', '+', '-', '@']),
                "{cell:?} in {record:?}"
            );
        }
    }
}
