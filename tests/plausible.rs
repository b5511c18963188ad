//! Times that cannot be true: a receive time in the future or before the earliest date
//! rejects its row; a close time before the receive time is kept, counted and reported.

use crate::common::*;

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

/// The clock these tests run at.
const NOW: (&str, &str) = (hotline_ledger::clock::NOW_VAR, "2025-03-01 12:00:00");

#[test]
fn a_receive_time_in_the_future_or_before_the_earliest_date_rejects_its_row() {
    let ws = Workspace::new();
    let file = ws.path("times.csv");
    // The clock fixed at NOW: three days after it is in the future whatever the day.
    let tomorrow_plus = "2025-03-04 12:00:00";
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order("T1", "2099-01-01 00:00", "噪音扰民", "星沙街道1号", "", ""),
            order("T2", "1899-12-31", "噪音扰民", "星沙街道1号", "", ""),
            order(
                "T3",
                "1999-12-31 23:59:59",
                "噪音扰民",
                "星沙街道1号",
                "",
                "",
            ),
            order("T4", tomorrow_plus, "噪音扰民", "星沙街道1号", "", ""),
            order("T5", "2000-01-01 00:00", "噪音扰民", "星沙街道1号", "", ""),
            order("T6", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    let out = ws.run_env(&["ingest", file.to_str().unwrap()], &[NOW]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);
    let early =
        |t: &str| format!("受理时间: {t} 早于最早受理日期 2000-01-01(ingest.earliest_received)");
    assert_eq!(
        rejected(&ws),
        [
            (
                2,
                "implausible_time".into(),
                "受理时间: 2099-01-01 00:00:00 晚于导入时间,不可能已受理".to_string()
            ),
            (3, "implausible_time".into(), early("1899-12-31 00:00:00")),
            (4, "implausible_time".into(), early("1999-12-31 23:59:59")),
            (
                5,
                "implausible_time".into(),
                format!("受理时间: {tomorrow_plus} 晚于导入时间,不可能已受理")
            ),
        ]
    );
}

#[test]
fn the_earliest_date_and_the_tolerance_are_configurable() {
    let ws = Workspace::with_ingest("earliest_received", "\"1990-01-01\"");
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    std::fs::write(
        &ws.config_path,
        text.replace("[ingest]\n", "[ingest]\nfuture_tolerance_hours = 120\n"),
    )
    .unwrap();
    let file = ws.path("times.csv");
    let soon = "2025-03-04 12:00:00";
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "T1",
                "1999-12-31 23:59:59",
                "噪音扰民",
                "星沙街道1号",
                "",
                "",
            ),
            order("T2", soon, "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    assert_exit(&ws.run_env(&["ingest", file.to_str().unwrap()], &[NOW]), 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);

    let bad = Workspace::with_ingest("earliest_received", "\"2000/01/01\"");
    let out = bad.run(&["config"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains(
            "key `ingest.earliest_received`: \"2000/01/01\" is not a date: write it as YYYY-MM-DD, e.g. \"2000-01-01\""
        ),
        "{}",
        stderr(&out)
    );
    // A date in the future would set every complaint aside.
    let future = Workspace::with_ingest("earliest_received", "\"2999-01-01\"");
    let out = future.run(&["config"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains(
            "key `ingest.earliest_received`: 2999-01-01 is in the future: every complaint would be set aside as received too early"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_close_time_before_the_receive_time_is_kept_and_reported() {
    let ws = Workspace::new();
    let file = ws.path("closed-early.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "C1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-02 08:00",
            ),
            order(
                "C2",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-03 08:05",
            ),
            order(
                "C3",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-03 08:04:59",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    assert_eq!(ws.order_field("C1", "closed_at"), "2025-01-02 08:00:00");
    assert!(
        stdout(&out).contains(
            "\n  2 orders have a close time before their receive time: kept as exported, check them at the source\n"
        ),
        "{}",
        stdout(&out)
    );
    let out = ws.run(&["ingest", "--dry-run", file.to_str().unwrap()]);
    assert!(
        stdout(&out).contains(
            "\n  2 orders have a close time before their receive time: kept as exported, check them at the source\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn rows_set_aside_while_the_clock_was_wrong_load_when_the_file_is_ingested_again() {
    let ws = Workspace::new();
    let file = ws.path("march.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "CK1",
                "2025-03-01 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "CK2",
                "2025-03-02 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "CK3",
                "2025-02-27 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let at = |now: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hotline-ledger"))
            .arg("--config")
            .arg(&ws.config_path)
            .args(args)
            .current_dir(ws.dir.path())
            .env(hotline_ledger::clock::NOW_VAR, now)
            .output()
            .unwrap()
    };
    // The machine's clock says February: two receive times are "in the future".
    let path = file.to_str().unwrap();
    assert_exit(&at("2025-02-27 12:00:00", &["ingest", path]), 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 1);
    assert_eq!(ws.count("SELECT count(*) FROM rejected_rows"), 2);
    // The clock fixed, the same file is "already ingested"…
    let out = at("2025-03-05 09:00:00", &["ingest", path]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("already ingested"),
        "{}",
        stdout(&out)
    );
    // …until it is loaded again: its rows merge as usual, the rows set aside are read again.
    let out = at("2025-03-05 09:00:00", &["ingest", "--again", path]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("2 new orders, 0 updated, 1 unchanged; 0 rejected"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("loaded again: 2 rows its earlier loads set aside were read again with it (0 rejected now)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    assert_eq!(ws.count("SELECT count(*) FROM rejected_rows"), 0);
}
