//! The SQL of the program, one question per file under `queries/`, embedded at build time.
//! Each file starts with a comment saying what it answers and its parameters.

macro_rules! queries {
    ($($name:ident => $path:literal,)*) => {
        $(pub const $name: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/queries/", $path));)*
        /// Every embedded query with its path under `queries/` (a test checks that this
        /// list and the folder agree).
        pub const ALL: &[(&str, &str)] = &[$(($path, $name),)*];
    };
}

queries! {
    MIGRATION_0001 => "migrations/0001_init.sql",
    MIGRATION_0002 => "migrations/0002_delivery.sql",
    HISTORY_START => "history/start.sql",
    HISTORY_FINISH => "history/finish.sql",
    HISTORY_LAST_OK => "history/last_ok.sql",
    HISTORY_LATEST => "history/latest.sql",
    HISTORY_FAILED_UNALERTED => "history/failed_unalerted.sql",
    HISTORY_MARK_ALERTED => "history/mark_alerted.sql",
    OUTBOX_FIND => "outbox/find.sql",
    OUTBOX_INSERT => "outbox/insert.sql",
    OUTBOX_DUE => "outbox/due.sql",
    OUTBOX_SENT => "outbox/sent.sql",
    OUTBOX_FAILED => "outbox/failed.sql",
    OUTBOX_STUCK => "outbox/stuck.sql",
    OUTBOX_MARK_ALERTED => "outbox/mark_alerted.sql",
    OUTBOX_SUMMARY => "outbox/summary.sql",
    OUTBOX_COUNTS => "outbox/counts.sql",
    STORE_MIGRATIONS_TABLE => "store/migrations_table.sql",
    STORE_APPLIED => "store/applied.sql",
    STORE_RECORD_MIGRATION => "store/record_migration.sql",
    STORE_SETTING_GET => "store/setting_get.sql",
    STORE_SETTING_PUT => "store/setting_put.sql",
    STORE_ADDRESSES => "store/addresses.sql",
    STORE_ORDER_COUNT => "store/order_count.sql",
    STORE_RENORMALIZE_STAGE => "store/renormalize_stage.sql",
    STORE_RENORMALIZE_APPLY => "store/renormalize_apply.sql",
    RULES_CREATE => "rules/create.sql",
    RULES_INSERT_CLOSED_STATUS => "rules/insert_closed_status.sql",
    RULES_INSERT_CATEGORY_ALIAS => "rules/insert_category_alias.sql",
    RULES_INSERT_HAZARD_KEYWORD => "rules/insert_hazard_keyword.sql",
    RULES_INSERT_CATEGORY_MODE => "rules/insert_category_mode.sql",
    INGEST_STAGE_CREATE => "ingest/stage_create.sql",
    INGEST_STAGE_DUPLICATES => "ingest/stage_duplicates.sql",
    INGEST_STAGE_DEDUPE => "ingest/stage_dedupe.sql",
    INGEST_STAGE_DROP => "ingest/stage_drop.sql",
    INGEST_REJECTED_INSERT => "ingest/rejected_insert.sql",
    INGEST_MERGE_COUNTS => "ingest/merge_counts.sql",
    INGEST_MERGE_UPDATE => "ingest/merge_update.sql",
    INGEST_MERGE_INSERT => "ingest/merge_insert.sql",
    INGEST_STAGE_KNOWN => "ingest/stage_known.sql",
    INGEST_KNOWN_IDS => "ingest/known_ids.sql",
    INGEST_FILE_BY_HASH => "ingest/file_by_hash.sql",
    INGEST_FILE_NEXT_ID => "ingest/file_next_id.sql",
    INGEST_FILE_RECORD => "ingest/file_record.sql",
    REJECTED_LIST => "rejected_list.sql",
    ANALYSIS_ORDERS_ASOF => "analysis/orders_asof.sql",
    ANALYSIS_SUBJECT_IDS => "analysis/subject_ids.sql",
    ANALYSIS_EPISODES => "analysis/episodes.sql",
    ANALYSIS_CASES => "analysis/cases.sql",
    ANALYSIS_CASES_LIST => "analysis/cases_list.sql",
    ANALYSIS_SUBJECTS => "analysis/subjects.sql",
    ANALYSIS_UNKNOWN_REFERENCES => "analysis/unknown_references.sql",
    REPORT_PARAMS => "report/params.sql",
    REPORT_HEADLINE => "report/headline.sql",
    REPORT_CASE_SUMMARY => "report/case_summary.sql",
    REPORT_QUALITY => "report/quality.sql",
    REPORT_BY_CATEGORY => "report/by_category.sql",
    REPORT_BY_CHANNEL => "report/by_channel.sql",
    REPORT_BY_STREET => "report/by_street.sql",
    REPORT_DAILY => "report/daily.sql",
    REPORT_MONTHLY_TREND => "report/monthly_trend.sql",
    REPORT_CASES_NEW => "report/cases_new.sql",
    REPORT_CASES_ESCALATED => "report/cases_escalated.sql",
    REPORT_CASES_CLEARED => "report/cases_cleared.sql",
    REPORT_CASES_ACTIVE => "report/cases_active.sql",
    REPORT_CASES_RECURRING => "report/cases_recurring.sql",
    REPORT_TOP_SUBJECTS => "report/top_subjects.sql",
    REPORT_HANDLING_MODES => "report/handling_modes.sql",
    REPORT_REJECTED => "report/rejected.sql",
    REPORT_REJECTED_REASONS => "report/rejected_reasons.sql",
    REPORT_LEDGER_CASES => "report/ledger_cases.sql",
    REPORT_LEDGER_ORDERS => "report/ledger_orders.sql",
    REPORT_FILES => "report/files.sql",
}

/// The schema's history: (version, name, SQL), applied in order, each once.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "0001_init", MIGRATION_0001),
    (2, "0002_delivery", MIGRATION_0002),
];
