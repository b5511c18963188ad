//! `ingest --inbox`: files are loaded in name order and moved out of the inbox, unusable
//! ones with a note saying why.

use crate::common::*;

#[test]
fn used_files_go_to_processed_and_unusable_ones_to_failed_with_the_reason() {
    let ws = Workspace::new();
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    write_utf8(
        &inbox.join("2025-01-a.csv"),
        &[
            HEADER.to_vec(),
            order(
                "IB1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    write_utf8(
        &inbox.join("2025-01-b.csv"),
        &[
            HEADER.to_vec(),
            order(
                "IB1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "",
            ),
        ],
    );
    std::fs::write(inbox.join("2025-01-c.csv"), b"").unwrap();
    std::fs::write(inbox.join("~$2025-01-d.xlsx"), b"lock").unwrap();
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: the file is empty\n",
            inbox.join("2025-01-c.csv").display()
        )
    );
    assert!(stdout(&out).ends_with(
        "2 files loaded, 0 already loaded before, 1 could not be used: 1 new order, 1 updated, 0 rows rejected\n"
    ), "{}", stdout(&out));
    // b was loaded after a: its status won.
    assert_eq!(ws.order_field("IB1", "status"), "已办结");
    assert!(inbox.join("processed/2025-01-a.csv").is_file());
    assert!(inbox.join("processed/2025-01-b.csv").is_file());
    assert!(inbox.join("failed/2025-01-c.csv").is_file());
    assert_eq!(
        std::fs::read_to_string(inbox.join("failed/2025-01-c.csv.error.txt")).unwrap(),
        format!(
            "{}: the file is empty\n",
            inbox.join("2025-01-c.csv").display()
        )
    );
    // The office lock file is not an export and stays.
    assert!(inbox.join("~$2025-01-d.xlsx").is_file());
    assert!(!inbox.join("2025-01-a.csv").exists());

    // A second drop of the same content is processed as "already ingested", under a free name.
    write_utf8(
        &inbox.join("2025-01-a.csv"),
        &[
            HEADER.to_vec(),
            order(
                "IB1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("2025-01-a.csv: already ingested"),
        "{}",
        stdout(&out)
    );
    assert!(inbox.join("processed/2025-01-a-2.csv").is_file());
}

#[test]
fn a_file_still_being_copied_is_left_for_the_next_scan() {
    let ws = Workspace::with_ingest("inbox_settle_secs", "3600");
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    write_utf8(
        &inbox.join("fresh.csv"),
        &[
            HEADER.to_vec(),
            order(
                "FR1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("fresh.csv: modified moments ago, left for the next scan"));
    assert!(inbox.join("fresh.csv").is_file());
}

#[test]
fn a_linked_export_is_loaded_and_what_is_skipped_is_named() {
    let ws = Workspace::new();
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(inbox.join("2025-02")).unwrap();
    let elsewhere = ws.path("exports/2025-01.csv");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    let rows = [
        HEADER.to_vec(),
        order(
            "SL1",
            "2025-01-03 08:05",
            "噪音扰民",
            "星沙街道1号",
            "处理中",
            "",
        ),
    ];
    write_utf8(&elsewhere, &rows);
    std::os::unix::fs::symlink(&elsewhere, inbox.join("2025-01-linked.csv")).unwrap();
    std::os::unix::fs::symlink(inbox.join("loop-b.csv"), inbox.join("loop-a.csv")).unwrap();
    std::os::unix::fs::symlink(inbox.join("loop-a.csv"), inbox.join("loop-b.csv")).unwrap();
    write_utf8(&inbox.join("2025-02/2025-02.csv"), &rows);
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("SL1", "status"), "处理中");
    // The link moved out of the inbox; the file it points to stays where it is.
    assert!(inbox.join("processed/2025-01-linked.csv").is_symlink());
    assert!(elsewhere.is_file());
    let err = stderr(&out);
    for (name, why) in [
        ("2025-02", "it is a folder, and only files directly in the inbox are loaded (move its files up into the inbox)"),
        ("loop-a.csv", "it is a link that cannot be followed (Too many levels of symbolic links (os error 40))"),
        ("loop-b.csv", "it is a link that cannot be followed (Too many levels of symbolic links (os error 40))"),
    ] {
        let expected = format!("inbox: {} is skipped: {why}\n", inbox.join(name).display());
        assert!(err.contains(&expected), "{expected}\nnot in:\n{err}");
    }
    // The folders the inbox keeps are not named.
    assert!(!err.contains("processed"), "{err}");
}

#[test]
fn a_database_that_fails_leaves_the_inbox_as_it_is_and_exits_2() {
    let ws = Workspace::new();
    let first = ws.path("first.csv");
    write_one_order(&first, "DB1");
    assert_exit(&ws.run(&["ingest", first.to_str().unwrap()]), 0);
    // The database is damaged: the orders' table is gone.
    ws.db().execute_batch("DROP TABLE work_orders").unwrap();
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    write_one_order(&inbox.join("2025-01-a.csv"), "DB2");
    write_one_order(&inbox.join("2025-01-b.csv"), "DB3");
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out)
            .contains("and the files after it stay in the inbox: repair or restore the database"),
        "{}",
        stderr(&out)
    );
    // Good exports are not blamed: both still wait in the inbox, nothing in failed/.
    assert!(inbox.join("2025-01-a.csv").exists());
    assert!(inbox.join("2025-01-b.csv").exists());
    assert!(
        !inbox.join("failed").exists()
            || std::fs::read_dir(inbox.join("failed"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn a_file_name_that_is_not_utf8_keeps_its_bytes_when_moved() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::new();
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // 工单导出.csv as an old zip tool writes names: GBK bytes, not UTF-8.
    let (gbk, _, _) = encoding_rs::GBK.encode("工单导出");
    let mut name = gbk.to_vec();
    name.extend_from_slice(b".csv");
    let name = std::ffi::OsStr::from_bytes(&name);
    let rows = [
        HEADER.to_vec(),
        order(
            "NU1",
            "2025-01-03 08:05",
            "噪音扰民",
            "星沙街道1号",
            "处理中",
            "",
        ),
    ];
    write_utf8(&inbox.join(name), &rows);
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 0);
    assert!(inbox.join("processed").join(name).is_file());
    // The same name again: the numbered name keeps the bytes too.
    write_utf8(&inbox.join(name), &rows);
    let out = ws.run(&["ingest", "--inbox"]);
    assert_exit(&out, 0);
    let mut numbered = gbk.to_vec();
    numbered.extend_from_slice(b"-2.csv");
    assert!(inbox
        .join("processed")
        .join(std::ffi::OsStr::from_bytes(&numbered))
        .is_file());
    let left: Vec<_> = std::fs::read_dir(&inbox)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "processed")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
