//! The repeat-complaint analysis: subjects (诉求对象), episodes, warning cases (预警案件)
//! with their tier (三色预警), lead role, status and handling mode, all as of an instant T.
//!
//! The rules live in SQL (`queries/analysis/`); this module binds the parameters, runs the
//! queries in order and returns typed values. It never writes anything but temporary tables.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use duckdb::params;

use crate::config::Config;
use crate::queries;
use crate::store::Store;

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

    /// Now, in the configured zone, to the second.
    pub fn now(tz: Tz) -> AsOf {
        let now = chrono::Utc::now().with_timezone(&tz).naive_local();
        AsOf(now.with_nanosecond_zero())
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

trait NanosZero {
    fn with_nanosecond_zero(self) -> Self;
}

impl NanosZero for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).expect("0 ns is valid")
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M:%S"))
    }
}

/// 三色预警: the warning tier of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Green,
    Yellow,
    Red,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Green => "green",
            Tier::Yellow => "yellow",
            Tier::Red => "red",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Tier::Green => "绿色预警",
            Tier::Yellow => "黄色预警",
            Tier::Red => "红色预警",
        }
    }
    /// Who leads the handling at this tier.
    pub fn lead_role(self) -> LeadRole {
        match self {
            Tier::Green => LeadRole::GroupLeader,
            Tier::Yellow => LeadRole::DeputyCaptain,
            Tier::Red => LeadRole::Captain,
        }
    }
    fn parse(s: &str) -> Tier {
        match s {
            "red" => Tier::Red,
            "yellow" => Tier::Yellow,
            _ => Tier::Green,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadRole {
    GroupLeader,
    DeputyCaptain,
    Captain,
}

impl LeadRole {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadRole::GroupLeader => "group_leader",
            LeadRole::DeputyCaptain => "deputy_captain",
            LeadRole::Captain => "captain",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            LeadRole::GroupLeader => "组长",
            LeadRole::DeputyCaptain => "副大队长",
            LeadRole::Captain => "大队长",
        }
    }
}

/// Where a case stands at T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// 处置中: some order of the episode is not closed.
    InProgress,
    /// 跟进中: all closed, but the quiet period since the last complaint has not passed.
    Monitoring,
    /// 已取消: all closed and quiet for more than quiet_days: the warning is cancelled.
    Cleared,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Monitoring => "monitoring",
            CaseStatus::Cleared => "cleared",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::InProgress => "处置中",
            CaseStatus::Monitoring => "跟进中",
            CaseStatus::Cleared => "已取消",
        }
    }
    fn parse(s: &str) -> CaseStatus {
        match s {
            "in_progress" => CaseStatus::InProgress,
            "monitoring" => CaseStatus::Monitoring,
            _ => CaseStatus::Cleared,
        }
    }
}

/// 分级分类处置: how a matter is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HandlingMode {
    /// 马上办
    Immediate,
    /// 联合办
    Joint,
    /// 专门办
    Special,
}

impl HandlingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            HandlingMode::Immediate => "immediate",
            HandlingMode::Joint => "joint",
            HandlingMode::Special => "special",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            HandlingMode::Immediate => "马上办",
            HandlingMode::Joint => "联合办",
            HandlingMode::Special => "专门办",
        }
    }
    fn parse(s: &str) -> HandlingMode {
        match s {
            "special" => HandlingMode::Special,
            "joint" => HandlingMode::Joint,
            _ => HandlingMode::Immediate,
        }
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

impl WarningCase {
    pub fn lead_role(&self) -> LeadRole {
        self.tier.lead_role()
    }
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

/// The analysis of one instant: the temporary tables are built once, then queried.
pub struct Analysis<'s> {
    store: &'s Store,
    config: &'s Config,
    pub as_of: AsOf,
}

impl<'s> Analysis<'s> {
    /// Builds the as-of tables for T, the warning cases included.
    pub fn new(store: &'s Store, config: &'s Config, as_of: AsOf) -> duckdb::Result<Self> {
        let conn = store.conn();
        let t0 = std::time::Instant::now();
        conn.execute(queries::ANALYSIS_ORDERS_ASOF, params![as_of.0])?;
        tracing::debug!(elapsed = ?t0.elapsed(), "orders as of {as_of}");
        conn.execute_batch(queries::ANALYSIS_SUBJECT_IDS)?;
        let t0 = std::time::Instant::now();
        conn.execute(queries::ANALYSIS_EPISODES, params![config.rules.quiet_days])?;
        tracing::debug!(elapsed = ?t0.elapsed(), "episodes");
        let r = &config.rules;
        conn.execute(
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
            let tier: String = row.get(4)?;
            let status: String = row.get(12)?;
            let mode: String = row.get(14)?;
            Ok(WarningCase {
                case_id: row.get(0)?,
                subject_key: row.get(1)?,
                category: row.get(2)?,
                address: row.get(3)?,
                tier: Tier::parse(&tier),
                count: row.get(6)?,
                first_received_at: row.get(7)?,
                last_received_at: row.get(8)?,
                registered_at: row.get(9)?,
                yellow_at: row.get(10)?,
                red_at: row.get(11)?,
                status: CaseStatus::parse(&status),
                cleared_at: row.get(13)?,
                handling_mode: HandlingMode::parse(&mode),
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
