//! Every SQL file is embedded and loaded; the schema can be created twice harmlessly.

use hotline_ledger::queries;

use crate::common::*;

fn sql_files(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sql_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(
                path.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn every_query_file_is_embedded_and_every_embedded_query_is_a_file() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut files = Vec::new();
    sql_files(&base, &base, &mut files);
    files.sort();
    let mut embedded: Vec<String> = queries::ALL.iter().map(|(p, _)| p.to_string()).collect();
    embedded.sort();
    assert_eq!(files, embedded);
    for (path, sql) in queries::ALL {
        assert!(
            sql.trim_start().starts_with("--"),
            "{path} starts with a comment saying what it answers"
        );
    }
}

#[test]
fn opening_the_store_twice_is_harmless() {
    let ws = Workspace::new();
    drop(ws.store());
    let store = ws.store();
    let versions: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, queries::MIGRATIONS.len() as i64);
}

#[test]
fn every_query_prepares_against_the_schema() {
    let ws = Workspace::new();
    let store = ws.store();
    let conn = store.conn();
    conn.execute_batch(queries::INGEST_STAGE_CREATE).unwrap();
    conn.execute_batch(queries::STORE_RENORMALIZE_STAGE)
        .unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    conn.execute_batch(queries::ANALYSIS_CALLER_KEY).unwrap();
    conn.execute_batch(queries::SUBJECTS_ORDER_LINKS).unwrap();
    conn.execute(queries::ANALYSIS_FACTS, [true]).unwrap();
    conn.execute_batch(queries::ANALYSIS_FACTS_SUBJECTS)
        .unwrap();
    conn.execute(queries::ANALYSIS_FACTS_EPISODES, [30])
        .unwrap();
    conn.execute_batch(
        &queries::ANALYSIS_ASOF_VIEWS.replace(":T", "TIMESTAMP '2025-01-01 00:00:00'"),
    )
    .unwrap();
    conn.execute(
        queries::ANALYSIS_CASES,
        duckdb::params![as_of, 5, 10, 20, 30],
    )
    .unwrap();
    conn.execute(
        queries::REPORT_PARAMS,
        duckdb::params![as_of, as_of, as_of, 5, 10, 20, 30, as_of],
    )
    .unwrap();
    conn.execute(queries::ANALYSIS_CASE_CALLERS, [true])
        .unwrap();
    conn.execute_batch(queries::ANALYSIS_CASE_CALLER_FIGURES)
        .unwrap();
    conn.execute_batch(queries::REPORT_REPORT_CASES).unwrap();
    conn.execute(queries::REPORT_SHEET_PARAMS, [None::<String>])
        .unwrap();
    conn.execute_batch(queries::SUBJECTS_PLACING_TABLES)
        .unwrap();
    conn.execute_batch(queries::SUBJECTS_PLACING_MATCHES)
        .unwrap();
    conn.execute_batch(queries::SUBJECTS_HINTS_TABLES).unwrap();
    // The console's id list (jobs::load_ids fills it) and a case's orders.
    conn.execute_batch("CREATE TEMP TABLE console_order_ids (order_id VARCHAR NOT NULL)")
        .unwrap();
    conn.execute(
        queries::CONSOLE_CASE_ORDERS_OF,
        duckdb::params![1, 1, as_of],
    )
    .unwrap();
    conn.execute(queries::CONSOLE_CASE_SHOWN_ROWS, [200, 0])
        .unwrap();
    for (path, sql) in queries::ALL {
        // Multi-statement scripts (migrations, table creation) are run elsewhere; single
        // statements must prepare.
        let statements = sql.split(';').filter(|s| {
            s.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        });
        if statements.count() != 1 || path.starts_with("migrations/") {
            continue;
        }
        conn.prepare(sql).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn changed_address_rules_renormalize_stored_orders() {
    let ws = Workspace::new();
    let file = ws.path("a.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "AN1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道开元东路1号某商场北门",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    assert_eq!(
        ws.order_field("AN1", "address_norm"),
        "星沙街道开元东路1号某商场北门"
    );
    let text = std::fs::read_to_string(&ws.config_path).unwrap()
        + "\n[address]\nprefixes = [\"星沙街道\"]\nvague_suffixes = [\"北门\"]\n";
    std::fs::write(&ws.config_path, text).unwrap();
    drop(ws.store());
    assert_eq!(ws.order_field("AN1", "address_norm"), "开元东路1号某商场");
}
