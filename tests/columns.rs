//! One source for the columns: the SQL that names work-order columns or case fields names
//! the ones `column.rs` and `analysis::CASE_FIELDS` list, in the same order.

use hotline_ledger::analysis::{Analysis, AsOf, CASE_FIELDS};
use hotline_ledger::column::Column;
use hotline_ledger::queries;
use hotline_ledger::store::Store;

use crate::common::*;

/// The columns of a table, in order.
fn table_columns(store: &Store, table: &str) -> Vec<String> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        )
        .unwrap();
    stmt.query_map([table], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// SQL with comments dropped and white space collapsed to single spaces.
fn flat(sql: &str) -> String {
    sql.lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The column list of `INSERT INTO table (...)` in a query.
fn insert_columns(sql: &str, table: &str) -> Vec<String> {
    let sql = flat(sql);
    let start = sql
        .find(&format!("INSERT INTO {table} ("))
        .unwrap_or_else(|| panic!("INSERT INTO {table} names its columns"))
        + format!("INSERT INTO {table} (").len();
    let end = start + sql[start..].find(')').unwrap();
    sql[start..end]
        .split(',')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn the_stored_and_staged_tables_have_the_columns_column_rs_lists() {
    let ws = Workspace::new();
    let store = Store::open(&ws.config()).unwrap();
    assert_eq!(
        table_columns(&store, "work_orders"),
        Column::work_order_names()
    );
    store
        .conn()
        .execute_batch(queries::INGEST_STAGE_CREATE)
        .unwrap();
    assert_eq!(
        table_columns(&store, "stage_orders"),
        Column::staging_names()
    );
}

#[test]
fn the_merge_queries_name_the_columns_in_column_rs_order() {
    assert_eq!(
        insert_columns(queries::INGEST_MERGE_INSERT, "work_orders"),
        Column::work_order_names()
    );
    // Flag $n is the nth optional column, in the update and in the counts.
    let update = flat(queries::INGEST_MERGE_UPDATE);
    let counts = flat(queries::INGEST_MERGE_COUNTS);
    for (i, column) in Column::OPTIONAL.iter().enumerate() {
        let (n, name) = (i + 1, column.name());
        assert!(
            update.contains(&format!("CASE WHEN ${n} THEN s.{name} ELSE w.{name} END")),
            "merge_update.sql: flag ${n} is {name}"
        );
        assert!(
            counts.contains(&format!("(${n} AND s.{name} IS DISTINCT FROM w.{name})"))
                || counts.contains(&format!("CASE WHEN ${n} THEN s.{name} ELSE w.{name} END")),
            "merge_counts.sql: flag ${n} is {name}"
        );
    }
}

#[test]
fn the_cases_query_returns_the_case_fields_in_order() {
    let ws = Workspace::new();
    let config = ws.config();
    let store = Store::open(&config).unwrap();
    let _analysis = Analysis::new(&store, &config, AsOf::end_of_day(day("2025-01-31"))).unwrap();
    let mut stmt = store.conn().prepare(queries::ANALYSIS_CASES_LIST).unwrap();
    let arrow = stmt.query_arrow([]).unwrap();
    let names: Vec<String> = arrow
        .get_schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, CASE_FIELDS);
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}
