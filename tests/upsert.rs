//! Overlapping exports: the same order id is one work order; the latest file's row wins,
//! column by column for the columns that file has; nothing is counted twice.

use crate::common::*;

#[test]
fn a_later_export_updates_status_and_keeps_columns_it_lacks() {
    let ws = Workspace::new();
    let first = ws.path("week1.csv");
    write_utf8(
        &first,
        &[
            HEADER.to_vec(),
            order(
                "U1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "U2",
                "2025-01-03 09:05",
                "噪音扰民",
                "星沙街道2号",
                "处理中",
                "",
            ),
        ],
    );
    // The second export has no phone or channel column, and restates U1 closed.
    let second = ws.path("week2.csv");
    write_utf8(
        &second,
        &[
            vec![
                "工单编号",
                "受理时间",
                "诉求类型",
                "事发地址",
                "办理状态",
                "办结时间",
            ],
            vec![
                "U1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-06 10:00",
            ],
            vec![
                "U2",
                "2025-01-03 09:05",
                "噪音扰民",
                "星沙街道2号",
                "处理中",
                "",
            ],
            vec![
                "U3",
                "2025-01-07 09:05",
                "噪音扰民",
                "星沙街道3号",
                "处理中",
                "",
            ],
        ],
    );
    let out = ws.run(&["ingest", first.to_str().unwrap()]);
    assert_exit(&out, 0);
    let out = ws.run(&["ingest", second.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "3 rows read (0 blank skipped): 1 new order, 1 updated, 1 unchanged; 0 rejected"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 3);
    assert_eq!(ws.order_field("U1", "status"), "已办结");
    assert_eq!(ws.order_field("U1", "closed_at"), "2025-01-06 10:00:00");
    // Columns the second file lacks keep their stored values.
    assert_eq!(ws.order_field("U1", "caller_phone"), "13812345678");
    assert_eq!(ws.order_field("U1", "channel"), "12345热线");
    assert_eq!(ws.order_field("U3", "caller_phone"), "");
    // Provenance: the file and row each order last came from, and where it was first seen.
    assert_eq!(ws.order_field("U1", "file_id"), "2");
    assert_eq!(ws.order_field("U1", "source_row"), "2");
    assert_eq!(ws.order_field("U1", "first_file_id"), "1");
}

#[test]
fn inside_one_file_the_last_row_for_an_id_wins() {
    let ws = Workspace::new();
    let file = ws.path("dup.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "D1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "D1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-04 08:00",
            ),
            order(
                "D2",
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
    assert!(stdout(&out).contains("2 new orders"), "{}", stdout(&out));
    assert!(stdout(&out).contains(
        "1 row repeats an order id given earlier in the file: the last row for each id was kept"
    ));
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);
    assert_eq!(ws.order_field("D1", "status"), "已办结");
    assert_eq!(ws.order_field("D1", "source_row"), "3");
}

#[test]
fn files_given_together_load_in_the_order_given() {
    let ws = Workspace::new();
    let a = ws.path("a.csv");
    let b = ws.path("b.csv");
    write_utf8(
        &a,
        &[
            HEADER.to_vec(),
            order(
                "O1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "",
            ),
        ],
    );
    write_utf8(
        &b,
        &[
            HEADER.to_vec(),
            order(
                "O1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", b.to_str().unwrap(), a.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("O1", "status"), "已办结");
}

#[test]
fn the_same_content_again_is_a_no_op_that_says_so() {
    let ws = Workspace::new();
    let file = ws.path("once.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "I1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let before = ws.snapshot();
    let copy = ws.path("copy-of-once.csv");
    std::fs::copy(&file, &copy).unwrap();
    let out = ws.run(&["ingest", copy.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "copy-of-once.csv: already ingested (same content as {}, loaded {}); nothing to do\n",
            file.display(),
            ws.db()
                .query_row(
                    "SELECT strftime(ingested_at, '%Y-%m-%d %H:%M:%S') FROM ingested_files",
                    [],
                    |r| r.get::<_, String>(0)
                )
                .unwrap()
        )
    );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn moving_orders_back_to_open_is_reported() {
    let ws = Workspace::new();
    let newer = ws.path("newer.csv");
    let older = ws.path("older.csv");
    write_utf8(
        &newer,
        &[
            HEADER.to_vec(),
            order(
                "R1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025-01-05 08:00",
            ),
            order(
                "R2",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已回访",
                "",
            ),
        ],
    );
    write_utf8(
        &older,
        &[
            HEADER.to_vec(),
            order(
                "R1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "R2",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", newer.to_str().unwrap()]), 0);
    let out = ws.run(&["ingest", older.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "warning: 2 orders moved from closed back to open (was an older export loaded after a newer one?)"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.order_field("R1", "status"), "处理中");
}

#[test]
fn the_summary_is_recorded_with_the_file() {
    let ws = Workspace::new();
    let file = ws.path("rec.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "V1",
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
            order(
                "V2",
                "2025-01-09 18:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            vec!["", "", "", "", "", "", "", ""],
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let db = ws.db();
    let got: (String, String, i64, i64, i64, i64, i64, String, String, String) = db
        .query_row(
            "SELECT file_name, format, rows_read, rows_blank, rows_loaded, rows_rejected, orders_new,
                    strftime(data_from, '%Y-%m-%d %H:%M'), strftime(data_to, '%Y-%m-%d %H:%M'), columns
             FROM ingested_files",
            [],
            |r| {
                Ok((
                    r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?,
                    r.get(7)?, r.get(8)?, r.get(9)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        got,
        (
            "rec.csv".into(),
            "csv".into(),
            4,
            1,
            2,
            1,
            2,
            "2025-01-03 08:05".into(),
            "2025-01-09 18:05".into(),
            "order_id,received_at,category,address,channel,caller_phone,status,closed_at".into()
        )
    );
    let sha: String = db
        .query_row("SELECT sha256 FROM ingested_files", [], |r| r.get(0))
        .unwrap();
    use sha2::Digest;
    assert_eq!(
        sha,
        hex::encode(sha2::Sha256::digest(std::fs::read(&file).unwrap()))
    );
}

/// A row of HEADER for a noise complaint at one address, with the given id and status.
fn noise_row(id: &str, status: &str) -> Vec<String> {
    order(
        id,
        "2025-01-03 08:05",
        "噪音扰民",
        "星沙街道1号",
        status,
        "",
    )
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn header_row() -> Vec<String> {
    HEADER.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_file_merged_in_chunks_counts_as_one() {
    // Chunks of 1000 rows: ids repeated across chunk boundaries, some already stored.
    let ws = Workspace::with_ingest("merge_chunk_rows", "1000");
    let before = ws.path("before.csv");
    let mut rows = vec![header_row()];
    rows.extend((0..100).map(|i| noise_row(&format!("C{i:05}"), "处理中")));
    write_utf8(&before, &rows);
    assert_exit(&ws.run(&["ingest", before.to_str().unwrap()]), 0);
    let file = ws.path("chunks.csv");
    let mut rows = vec![header_row()];
    // C00000..C00099 stored before and restated closed; the last 500 rows repeat ids
    // of the first chunk.
    rows.extend((0..2000).map(|i| noise_row(&format!("C{i:05}"), "已办结")));
    rows.extend((0..500).map(|i| noise_row(&format!("C{i:05}"), "已回访")));
    write_utf8(&file, &rows);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("2500 rows read (0 blank skipped): 1900 new orders, 100 updated, 0 unchanged; 0 rejected"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(
        "500 rows repeat an order id given earlier in the file: the last row for each id was kept"
    ));
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2000);
    // The last row for each id won, across chunks.
    assert_eq!(ws.order_field("C00010", "status"), "已回访");
    assert_eq!(ws.order_field("C00010", "source_row"), "2012");
    assert_eq!(ws.order_field("C01500", "status"), "已办结");
    assert_eq!(ws.order_field("C00010", "first_file_id"), "1");
}

#[test]
fn new_orders_and_restatements_interleave_over_many_batches() {
    // New orders are appended directly and possible restatements are staged: a row that
    // restates a new order read thousands of rows earlier must still win, once.
    let ws = Workspace::with_ingest("merge_chunk_rows", "3000");
    let before = ws.path("before.csv");
    let mut rows = vec![header_row()];
    rows.extend((0..100).map(|i| noise_row(&format!("C{i:05}"), "处理中")));
    write_utf8(&before, &rows);
    assert_exit(&ws.run(&["ingest", before.to_str().unwrap()]), 0);

    let file = ws.path("many.csv");
    let mut rows = vec![header_row()];
    // C00000..C19999 (the first 100 stored before), then every even id again, newest
    // first, so the first restatements name orders still waiting in the reader's batch.
    rows.extend((0..20_000).map(|i| noise_row(&format!("C{i:05}"), "已办结")));
    rows.extend((0..10_000).map(|i| noise_row(&format!("C{:05}", (9_999 - i) * 2), "已回访")));
    write_utf8(&file, &rows);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "30000 rows read (0 blank skipped): 19900 new orders, 100 updated, 0 unchanged; 0 rejected"
        ),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("10000 rows repeat an order id given earlier in the file"));
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 20_000);
    assert_eq!(
        ws.count("SELECT count(DISTINCT order_id) FROM work_orders"),
        20_000
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM work_orders WHERE status = '已回访'"),
        10_000
    );
    // C18000 is row 18002 of the file; its restatement is row 20000 + 999 + 2.
    assert_eq!(ws.order_field("C18000", "status"), "已回访");
    assert_eq!(ws.order_field("C18000", "source_row"), "21001");
    assert_eq!(ws.order_field("C18000", "first_file_id"), "2");
    assert_eq!(ws.order_field("C18001", "status"), "已办结");
    assert_eq!(ws.order_field("C00002", "first_file_id"), "1");
    assert_eq!(
        ws.count(
            "SELECT count(*) FROM ingested_files WHERE orders_new = 19900 AND orders_updated = 100"
        ),
        1
    );
}

#[test]
fn emptying_the_closing_time_or_the_status_counts_as_reopening() {
    let ws = Workspace::new();
    let first = ws.path("first.csv");
    write_utf8(
        &first,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "事发地址", "办结时间"],
            vec![
                "RO1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "2025-01-04 08:00",
            ],
        ],
    );
    let second = ws.path("second.csv");
    write_utf8(
        &second,
        &[
            vec!["工单编号", "受理时间", "诉求类型", "事发地址", "办结时间"],
            vec!["RO1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", ""],
        ],
    );
    assert_exit(&ws.run(&["ingest", first.to_str().unwrap()]), 0);
    let out = ws.run(&["ingest", second.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("warning: 1 order moved from closed back to open"),
        "{}",
        stdout(&out)
    );
}
