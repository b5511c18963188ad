//! The repeat-complaint analysis: subjects (诉求对象), episodes, warning cases (预警案件)
//! with their tier (三色预警), lead role, status and handling mode, all as of an instant T.
//!
//! The rules live in SQL (`queries/analysis/`); this module binds the parameters, runs the
//! queries in order and returns typed values. Besides temporary tables and views it writes
//! only `order_facts` and `fact_subjects`, what it needs of every order at any T, made
//! again when the data or the rules change.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use duckdb::params;

use crate::codes::{CaseStatus, HandlingMode, LeadRole, Tier};
use crate::config::Config;
use crate::queries;
use crate::store::Store;

/// Why the analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("{0}")]
    Database(#[from] duckdb::Error),
    #[error("cannot group the subjects: {0}")]
    Subjects(#[from] crate::subjects::SubjectsError),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// The instant everything is evaluated at: orders received before it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AsOf(pub NaiveDateTime);

impl AsOf {
    /// `--as-of D`: through the end of day D, i.e. the next day's local midnight.
    pub fn end_of_day(date: NaiveDate) -> AsOf {
        AsOf(
            date.succ_opt()
                .expect("a date before 9999-12-31")
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists"),
        )
    }

    /// `--as-of D` when a day is given, else now.
    pub fn day_or_now(day: Option<NaiveDate>, tz: Tz) -> AsOf {
        match day {
            Some(d) => AsOf::end_of_day(d),
            None => AsOf::now(tz),
        }
    }

    /// After every order: all of them count.
    pub fn all_time() -> AsOf {
        AsOf::end_of_day(NaiveDate::from_ymd_opt(9999, 12, 30).expect("a valid date"))
    }

    /// Now, in the configured zone, to the second.
    pub fn now(tz: Tz) -> AsOf {
        AsOf(crate::clock::now_in(tz))
    }

    /// The last day fully included (the day before T when T is a midnight).
    pub fn last_day(self) -> NaiveDate {
        (self.0 - chrono::Duration::seconds(1)).date()
    }

    /// T as an instant in the configured zone (for display with the offset).
    pub fn instant(self, tz: Tz) -> chrono::DateTime<Tz> {
        tz.from_local_datetime(&self.0)
            .earliest()
            .unwrap_or_else(|| tz.from_utc_datetime(&self.0))
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M:%S"))
    }
}

/// A warning case (预警案件): an episode whose count reached the green threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningCase {
    /// The order_id of the episode's first order.
    pub case_id: String,
    pub subject_key: String,
    pub category: String,
    pub address: String,
    pub tier: Tier,
    pub count: i64,
    pub first_received_at: NaiveDateTime,
    pub last_received_at: NaiveDateTime,
    pub registered_at: NaiveDateTime,
    pub yellow_at: Option<NaiveDateTime>,
    pub red_at: Option<NaiveDateTime>,
    pub status: CaseStatus,
    pub cleared_at: Option<NaiveDateTime>,
    pub handling_mode: HandlingMode,
    pub recurring: bool,
}

/// A case's fields by name, in the order of every listing (the `cases` CSV header, its
/// JSON keys, and the columns of queries/analysis/cases_list.sql).
pub const CASE_FIELDS: [&str; 16] = [
    "case_id",
    "subject_key",
    "category",
    "address",
    "tier",
    "lead_role",
    "count",
    "first_received_at",
    "last_received_at",
    "registered_at",
    "yellow_at",
    "red_at",
    "status",
    "cleared_at",
    "handling_mode",
    "recurring",
];

impl WarningCase {
    pub fn lead_role(&self) -> LeadRole {
        self.tier.lead_role()
    }

    /// The case's fields as text, in `CASE_FIELDS` order (times as `2025-01-03 08:05:00`,
    /// an absent time empty).
    pub fn field_texts(&self) -> Vec<String> {
        let time = |t: Option<NaiveDateTime>| {
            t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        };
        vec![
            self.case_id.clone(),
            self.subject_key.clone(),
            self.category.clone(),
            self.address.clone(),
            self.tier.as_str().into(),
            self.lead_role().as_str().into(),
            self.count.to_string(),
            time(Some(self.first_received_at)),
            time(Some(self.last_received_at)),
            time(Some(self.registered_at)),
            time(self.yellow_at),
            time(self.red_at),
            self.status.as_str().into(),
            time(self.cleared_at),
            self.handling_mode.as_str().into(),
            self.recurring.to_string(),
        ]
    }
}

/// A code column read strictly: an unknown value is an error, never a default.
fn code<T>(row: &duckdb::Row<'_>, index: usize) -> duckdb::Result<T>
where
    T: std::str::FromStr<Err = crate::codes::UnknownCode>,
{
    let text: String = row.get(index)?;
    text.parse().map_err(|e: crate::codes::UnknownCode| {
        duckdb::Error::FromSqlConversionFailure(index, duckdb::types::Type::Text, Box::new(e))
    })
}

/// One episode of a subject, warning or not.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectEpisode {
    pub subject_key: String,
    pub episode_no: i64,
    pub count: i64,
    pub first_order_id: String,
    pub first_received_at: NaiveDateTime,
    pub last_received_at: NaiveDateTime,
    pub open_orders: i64,
    /// Complaints still needed to reach green; 0 when it is a warning case.
    pub to_green: i64,
}

/// An order whose related_order_id names no order that counts at T.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownReference {
    pub order_id: String,
    pub related_order_id: String,
}

/// The setting that records what `order_facts` was made from (see `facts_state`).
const FACTS_KEY: &str = "analysis_facts";

/// What `order_facts` is made from: the data's state, the rule lists, the settings the
/// stored addresses and subjects follow, the matching, the quiet days and the query
/// itself. When any of them changes the facts are made again.
fn facts_state(store: &Store, config: &Config) -> Result<String, AnalysisError> {
    use sha2::{Digest, Sha256};
    let mut data = String::new();
    let mut stmt = store.conn().prepare(queries::ANALYSIS_FACTS_STATE)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (what, value): (String, String) = (row.get(0)?, row.get(1)?);
        data.push_str(&format!("{what}={value}\u{1f}"));
    }
    let mut hash = Sha256::new();
    for part in [
        queries::ANALYSIS_CALLER_KEY,
        queries::ANALYSIS_FACTS,
        queries::ANALYSIS_FACTS_EPISODES,
        queries::ANALYSIS_FACTS_SUBJECTS,
        &data,
        &store
            .setting(crate::store::ADDRESS_RULES_KEY)?
            .unwrap_or_default(),
        &store
            .setting(crate::subjects::STATE_KEY)?
            .unwrap_or_default(),
        &format!("{:?}", config.subjects.matching),
        &config.rules.quiet_days.to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    Ok(hex::encode(hash.finalize()))
}

/// Brings the stored `order_facts` and `fact_subjects` (what the analysis needs of every
/// order that does not depend on T) up to date with the data and the config: made again,
/// in one transaction, only when what they were made from has changed since.
pub fn ensure_facts(store: &Store, config: &Config) -> Result<(), AnalysisError> {
    let t0 = std::time::Instant::now();
    crate::subjects::refresh(store, config)?;
    let t1 = t0.elapsed();
    let state = facts_state(store, config)?;
    if store.setting(FACTS_KEY)?.as_deref() == Some(state.as_str()) {
        tracing::debug!(subjects = ?t1, elapsed = ?t0.elapsed(), "order facts current");
        return Ok(());
    }
    let t0 = std::time::Instant::now();
    let conn = store.conn();
    let fuzzy = config.subjects.matching == crate::config::Matching::Fuzzy;
    store.in_transaction(AnalysisError::from, || -> Result<(), AnalysisError> {
        crate::callers::define_key(store)?;
        conn.execute(queries::ANALYSIS_FACTS, params![fuzzy])?;
        tracing::debug!(elapsed = ?t0.elapsed(), "orders keyed");
        conn.execute_batch(queries::ANALYSIS_FACTS_SUBJECTS)?;
        conn.execute(
            queries::ANALYSIS_FACTS_EPISODES,
            params![config.rules.quiet_days],
        )?;
        tracing::debug!(elapsed = ?t0.elapsed(), "episodes numbered");
        conn.execute_batch("DROP TABLE facts_keyed")?;
        store.set_setting(FACTS_KEY, &state)?;
        Ok(())
    })?;
    tracing::debug!(elapsed = ?t0.elapsed(), "order facts made");
    Ok(())
}

/// Makes the temporary views `asof_orders`, `asof_subjects` and `asof_episode_orders`:
/// the orders that count at T, each with its subject (its place's, or through 关联工单 the
/// subject of the order it names), its episode and whether it is closed at T.
pub fn orders_as_of(store: &Store, config: &Config, as_of: AsOf) -> Result<(), AnalysisError> {
    ensure_facts(store, config)?;
    let t = format!("TIMESTAMP '{}'", as_of.0.format("%Y-%m-%d %H:%M:%S%.6f"));
    store
        .conn()
        .execute_batch(&queries::ANALYSIS_ASOF_VIEWS.replace(":T", &t))?;
    Ok(())
}

/// The analysis of one instant: the temporary tables are built once, then queried.
pub struct Analysis<'s> {
    store: &'s Store,
    config: &'s Config,
    pub as_of: AsOf,
}

impl<'s> Analysis<'s> {
    /// Builds the as-of views for T and the table of its warning cases.
    pub fn new(store: &'s Store, config: &'s Config, as_of: AsOf) -> Result<Self, AnalysisError> {
        orders_as_of(store, config, as_of)?;
        let t0 = std::time::Instant::now();
        let r = &config.rules;
        store.conn().execute(
            queries::ANALYSIS_CASES,
            params![as_of.0, r.green, r.yellow, r.red, r.quiet_days],
        )?;
        tracing::debug!(elapsed = ?t0.elapsed(), "cases");
        Ok(Analysis {
            store,
            config,
            as_of,
        })
    }

    /// Every warning case at T, by case_id.
    pub fn cases(&self) -> duckdb::Result<Vec<WarningCase>> {
        let mut stmt = self.store.conn().prepare(queries::ANALYSIS_CASES_LIST)?;
        let rows = stmt.query_map([], |row| {
            Ok(WarningCase {
                case_id: row.get(0)?,
                subject_key: row.get(1)?,
                category: row.get(2)?,
                address: row.get(3)?,
                tier: code(row, 4)?,
                count: row.get(6)?,
                first_received_at: row.get(7)?,
                last_received_at: row.get(8)?,
                registered_at: row.get(9)?,
                yellow_at: row.get(10)?,
                red_at: row.get(11)?,
                status: code(row, 12)?,
                cleared_at: row.get(13)?,
                handling_mode: code(row, 14)?,
                recurring: row.get(15)?,
            })
        })?;
        rows.collect()
    }

    /// Every subject's episodes at T, warning or not.
    pub fn subjects(&self) -> duckdb::Result<Vec<SubjectEpisode>> {
        let mut stmt = self.store.conn().prepare(queries::ANALYSIS_SUBJECTS)?;
        let rows = stmt.query_map(params![self.config.rules.green], |row| {
            Ok(SubjectEpisode {
                subject_key: row.get(0)?,
                episode_no: row.get(1)?,
                count: row.get(2)?,
                first_order_id: row.get(3)?,
                first_received_at: row.get(4)?,
                last_received_at: row.get(5)?,
                open_orders: row.get(6)?,
                to_green: row.get(7)?,
            })
        })?;
        rows.collect()
    }

    /// Orders whose related_order_id was ignored because it names no order counted at T.
    pub fn unknown_references(&self) -> duckdb::Result<Vec<UnknownReference>> {
        let mut stmt = self
            .store
            .conn()
            .prepare(queries::ANALYSIS_UNKNOWN_REFERENCES)?;
        let rows = stmt.query_map([], |row| {
            Ok(UnknownReference {
                order_id: row.get(0)?,
                related_order_id: row.get(1)?,
            })
        })?;
        rows.collect()
    }
}
