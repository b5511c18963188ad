//! The TOML configuration: every key, its default (from the domain rules), and the checks
//! run at start. A typo in a key is an error, and every error names the key.
//!
//! This module only describes and validates settings; it never touches files other than
//! the config file itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::codes::JobName;
use crate::normalize;

mod console;
mod endpoint;
mod quiet_hours;
pub use console::{Lead, Leads, Role, Web, WebUser};
pub use endpoint::Endpoint;
pub use quiet_hours::QuietHours;

/// The name looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "hotline-ledger.toml";

/// A setting that cannot be used, with the key it belongs to.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("config file {path}: key `{key}`: {message}")]
    Invalid {
        path: String,
        key: String,
        message: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub paths: Paths,
    pub rules: Rules,
    pub squad: Squad,
    pub ingest: Ingest,
    pub reports: Reports,
    /// Outgoing mail; without it messages are written as .eml files under paths.out/outbox.
    pub smtp: Option<Smtp>,
    pub recipients: Recipients,
    pub delivery: Delivery,
    pub schedule: Schedule,
    pub columns: Columns,
    /// Canonical category → the raw categories that mean it.
    pub category_aliases: BTreeMap<String, Vec<String>>,
    pub address: Address,
    /// How work orders are grouped into subjects (诉求对象).
    pub subjects: Subjects,
    /// The web console (管理后台).
    pub web: Web,
    /// Who leads the handling of warning cases (牵头人), by name.
    pub leads: Leads,
    /// Warnings the moment they happen (预警通知): quiet hours, the chat webhook.
    pub notify: Notify,
    /// How many different people complained (来电人), shown beside the complaint counts.
    pub callers: Callers,
    /// The directory relative paths are resolved against (the config file's directory).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// Where the config came from, for messages.
    #[serde(skip)]
    pub source: String,
}

impl Default for Config {
    /// The defaults; a table given in the file replaces its default as a whole.
    fn default() -> Self {
        Config {
            paths: Paths::default(),
            rules: Rules::default(),
            squad: Squad::default(),
            ingest: Ingest::default(),
            reports: Reports::default(),
            smtp: None,
            recipients: Recipients::default(),
            delivery: Delivery::default(),
            schedule: Schedule::default(),
            columns: Columns::default(),
            category_aliases: default_category_aliases(),
            address: Address::default(),
            subjects: Subjects::default(),
            web: Web::default(),
            leads: Leads::default(),
            notify: Notify::default(),
            callers: Callers::default(),
            base_dir: PathBuf::from("."),
            source: "built-in defaults".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    pub database: PathBuf,
    pub inbox: PathBuf,
    pub archive: PathBuf,
    pub out: PathBuf,
    /// Report templates; a report whose template is not there uses the built-in one.
    pub templates: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            database: "data/hotline.duckdb".into(),
            inbox: "inbox".into(),
            archive: "archive".into(),
            out: "out".into(),
            templates: "report-templates".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    pub timezone: String,
    pub quiet_days: u32,
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    pub closed_statuses: Vec<String>,
    pub hazard_keywords: Vec<String>,
    pub joint_categories: Vec<String>,
    pub special_categories: Vec<String>,
}

impl Rules {
    /// Each tier with the counts it covers: from its threshold up to (not including) the
    /// next one's; the analysis reads the same ranges (rule_tier).
    pub fn tiers(&self) -> [(crate::codes::Tier, i64, i64); 3] {
        use crate::codes::Tier;
        let (g, y, r) = (
            i64::from(self.green),
            i64::from(self.yellow),
            i64::from(self.red),
        );
        [
            (Tier::Green, g, y),
            (Tier::Yellow, y, r),
            (Tier::Red, r, i64::MAX),
        ]
    }

    /// The tier a number of complaints in one episode reaches (None below green), each
    /// threshold's lower bound inclusive.
    pub fn tier_of(&self, count: i64) -> Option<crate::codes::Tier> {
        self.tiers()
            .into_iter()
            .find(|(_, from, below)| (*from..*below).contains(&count))
            .map(|(tier, _, _)| tier)
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            timezone: "Asia/Shanghai".into(),
            quiet_days: 30,
            green: 5,
            yellow: 10,
            red: 20,
            closed_statuses: strings(&["已办结", "已回访", "已归档"]),
            hazard_keywords: strings(&["安全隐患", "燃气", "坍塌", "火灾", "消防通道", "高空坠物"]),
            joint_categories: strings(&["违法建设", "油烟污染", "楼道堆物"]),
            special_categories: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Squad {
    /// Printed in report headers and mail.
    pub name: String,
}

impl Default for Squad {
    fn default() -> Self {
        Squad {
            name: "综合行政执法大队".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ingest {
    /// The worksheet to read from a workbook; empty means the first sheet.
    pub sheet: String,
    /// How many rows from the top are searched for the header row.
    pub header_search_rows: u32,
    /// Longest cell accepted, in characters (Excel's own limit by default); a row with a
    /// longer cell is rejected.
    pub max_cell_chars: u32,
    /// Seconds to wait for the database when another process holds it.
    pub busy_timeout_secs: u32,
    /// An inbox file modified less than this many seconds ago is left for the next scan
    /// (it may still be being copied in).
    pub inbox_settle_secs: u32,
    /// Rows staged in memory before they are merged into the work orders: bounds an
    /// ingest's memory whatever the file's size.
    pub merge_chunk_rows: u32,
    /// DuckDB's memory limit (MB) while a file is loaded or the subjects are grouped again;
    /// past it DuckDB spills to a temporary folder beside the database. 0 leaves DuckDB's
    /// default (80% of RAM), under which memory grows with the data.
    pub memory_limit_mb: u32,
    /// A CSV line longer than this (MB) refuses the file.
    pub max_line_mb: u32,
    /// A zip workbook (.xlsx, .xlsb, .ods) that would unpack to more than this (MB) is
    /// refused (zip bombs).
    pub max_unpacked_mb: u32,
    /// An .xls larger than this (MB) is refused: it is read into memory whole.
    pub max_xls_mb: u32,
    /// A receive time before this date (YYYY-MM-DD) rejects its row: it is a typo or an
    /// empty date read as Excel's day 0 (1899-12-31), not a complaint.
    pub earliest_received: String,
    /// A receive time more than this many hours after the ingest rejects its row: it has
    /// not happened yet, and would hide that the data is stale.
    pub future_tolerance_hours: u32,
}

impl Default for Ingest {
    fn default() -> Self {
        Ingest {
            sheet: String::new(),
            header_search_rows: 50,
            max_cell_chars: 32_767,
            busy_timeout_secs: 10,
            inbox_settle_secs: 10,
            merge_chunk_rows: 250_000,
            memory_limit_mb: 192,
            max_line_mb: 16,
            max_unpacked_mb: 2048,
            max_xls_mb: 256,
            earliest_received: "2000-01-01".into(),
            future_tolerance_hours: 24,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reports {
    /// A report says its data may be incomplete when the newest stored data is older than
    /// this many days at the report's as-of instant.
    pub stale_after_days: u32,
    /// ... or when more than this share of the period's rows were rejected.
    pub rejected_share_alert: f64,
}

impl Default for Reports {
    fn default() -> Self {
        Reports {
            stale_after_days: 8,
            rejected_share_alert: 0.05,
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (required).
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption (only for a relay on the same machine or network).
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    pub host: String,
    /// Default: 587 for starttls, 465 for tls, 25 for none.
    pub port: Option<u16>,
    #[serde(default = "default_security")]
    pub security: Security,
    pub username: Option<String>,
    /// The environment variable that holds the password.
    pub password_env: Option<String>,
    /// A file whose content (trimmed) is the password.
    pub password_file: Option<PathBuf>,
    /// The sender, e.g. `投诉预警台账 <ledger@example.gov.cn>`.
    pub from: String,
    /// Extra CA certificate(s) to trust (PEM), e.g. an internal mail server's.
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_smtp_timeout")]
    pub timeout_secs: u32,
    /// Never accepted: the password does not belong in the config.
    #[serde(default, skip_serializing)]
    pub password: Option<toml::Value>,
}

fn default_security() -> Security {
    Security::Starttls
}
fn default_smtp_timeout() -> u32 {
    30
}

impl Smtp {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }
}

/// Who receives what.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recipients {
    pub weekly: Vec<String>,
    pub monthly: Vec<String>,
    /// A ledger sent on its own; empty means the monthly recipients.
    pub ledger: Vec<String>,
    /// Receives alerts and previews.
    pub admin: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Delivery {
    /// Largest message, attachments included after base64; a larger report is sent as a
    /// summary with a note instead.
    pub max_message_mb: f64,
    /// First retry after a failed send; doubled each time up to retry_max_secs.
    pub retry_initial_secs: u32,
    pub retry_max_secs: u32,
    /// A message still unsent after this many hours is reported to the admin.
    pub stuck_after_hours: u32,
    /// How long after its scheduled time a missing weekly or monthly report is reported.
    pub missing_after_hours: u32,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            max_message_mb: 20.0,
            retry_initial_secs: 60,
            retry_max_secs: 3600,
            stuck_after_hours: 24,
            missing_after_hours: 2,
        }
    }
}

/// 预警通知: the leads are told of a case registered, escalated, turned special or
/// recurring right after the ingest that shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Notify {
    /// false: no warning is sent or recorded; the reports still show every case.
    pub enabled: bool,
    /// `"22:00-07:00"`: warnings found in these hours wait for their end, except special
    /// (safety hazard) ones, which go at once.
    pub quiet_hours: Option<String>,
    /// More cases calling for a warning after one ingest than this (a history loaded) are
    /// not sent to the leads: the admin is asked to look (`notify --dry-run`).
    pub max_cases: u32,
    /// A chat group bot that gets the same warnings as a markdown message.
    pub webhook: Option<Webhook>,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            enabled: true,
            quiet_hours: None,
            max_cases: 20,
            webhook: None,
        }
    }
}

/// 来电人: each case's number of different callers (by phone) and its most frequent
/// caller's share of its complaints, beside the complaint count in `cases`, the reports and
/// the console. Context for the reader only: tiers count complaints, as the rule says.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Callers {
    /// false: the figures appear nowhere (and `cases --wide` is refused).
    pub enabled: bool,
}

impl Default for Callers {
    fn default() -> Self {
        Callers { enabled: true }
    }
}

/// The message shape a chat webhook expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// 企业微信 group bot: `{"msgtype":"markdown","markdown":{"content":...}}`.
    Wecom,
    /// 钉钉 group bot: `{"msgtype":"markdown","markdown":{"title":...,"text":...}}`.
    Dingtalk,
    /// Any other receiver: the events as JSON with the markdown text.
    Json,
}

impl WebhookFormat {
    /// The most bytes of markdown one message may carry: WeCom refuses more than 4,096,
    /// DingTalk more than 20,000; a JSON receiver sets none.
    pub fn max_markdown_bytes(self) -> Option<usize> {
        match self {
            WebhookFormat::Wecom => Some(4096),
            WebhookFormat::Dingtalk => Some(20_000),
            WebhookFormat::Json => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Wecom => "wecom",
            WebhookFormat::Dingtalk => "dingtalk",
            WebhookFormat::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// `http://` or `https://` address of the bot.
    pub url: String,
    pub format: WebhookFormat,
    /// The environment variable that holds the secret: WeCom's `key`, DingTalk's signing
    /// secret (加签), or a bearer token for `json`.
    pub secret_env: Option<String>,
    /// A file whose content (trimmed) is the secret.
    pub secret_file: Option<PathBuf>,
    #[serde(default = "default_smtp_timeout")]
    pub timeout_secs: u32,
    /// Never accepted: the secret does not belong in the config.
    #[serde(default, skip_serializing)]
    pub secret: Option<toml::Value>,
}

/// The daemon's jobs: cron expressions with seconds, in rules.timezone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Schedule {
    pub inbox: String,
    pub weekly: String,
    pub monthly: String,
    pub outbox: String,
    /// Run a weekly or monthly job missed while the daemon was down when it starts.
    pub catch_up: bool,
}

impl Schedule {
    /// The cron expression of a scheduled job (a ledger on its own is never scheduled: it
    /// comes with the monthly job).
    pub fn cron_of(&self, job: JobName) -> &String {
        match job {
            JobName::Inbox => &self.inbox,
            JobName::Weekly => &self.weekly,
            JobName::Monthly | JobName::Ledger => &self.monthly,
            JobName::Outbox | JobName::Notify => &self.outbox,
        }
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            inbox: "0 */15 * * * *".into(),
            weekly: "0 0 8 * * Mon".into(),
            monthly: "0 30 8 1 * *".into(),
            outbox: "0 */5 * * * *".into(),
            catch_up: true,
        }
    }
}

/// Parses a cron expression the way the scheduler does (six fields, seconds first).
///
/// An error says, in the words of the person editing the config, what is wrong: how many
/// fields there are and which they must be, or which field holds what it cannot.
pub fn parse_cron(expr: &str) -> Result<croner::Cron, String> {
    let parse = |text: &str| {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Required)
            .dom_and_dow(true)
            .build()
            .parse(text)
    };
    const FIELDS: [(&str, &str); 6] = [
        ("second", "0-59"),
        ("minute", "0-59"),
        ("hour", "0-23"),
        ("day of month", "1-31"),
        ("month", "1-12 or Jan-Dec"),
        ("day of week", "0-7 or Mon-Sun, 0 and 7 being Sunday"),
    ];
    const EXAMPLE: &str = "e.g. \"0 0 8 * * Mon\" is 08:00:00 every Monday";
    parse(expr).map_err(|_| {
        let fields: Vec<&str> = expr.split_whitespace().collect();
        // The scheduler also takes a seventh field, a year: not worth a mention.
        if !(6..=7).contains(&fields.len()) {
            return format!(
                "\"{expr}\" has {} field{}, a schedule needs 6: second, minute, hour, day of month, month, day of week ({EXAMPLE})",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" }
            );
        }
        // The first field that is wrong on its own, the others left at "every".
        for (i, (name, range)) in FIELDS.iter().enumerate() {
            let alone: Vec<&str> = (0..fields.len())
                .map(|j| if j == i { fields[i] } else { "*" })
                .collect();
            if parse(&alone.join(" ")).is_err() {
                return format!(
                    "\"{expr}\": the {name} field \"{}\" is not valid (allowed: {range}; * means every, */5 every fifth, 1-5 a range, 1,3 a list)",
                    fields[i]
                );
            }
        }
        format!("\"{expr}\" is not a schedule that can ever run ({EXAMPLE})")
    })
}

/// Column aliases: for each canonical column, the header names that mean it, in order of
/// preference (when a file has two of them, the earlier alias wins).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Columns {
    pub order_id: Vec<String>,
    pub received_at: Vec<String>,
    pub category: Vec<String>,
    pub address: Vec<String>,
    pub channel: Vec<String>,
    pub street: Vec<String>,
    pub community: Vec<String>,
    pub content: Vec<String>,
    pub caller_name: Vec<String>,
    pub caller_phone: Vec<String>,
    pub handler_unit: Vec<String>,
    pub status: Vec<String>,
    pub closed_at: Vec<String>,
    pub related_order_id: Vec<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            order_id: strings(&["工单编号", "工单号", "编号"]),
            received_at: strings(&["受理时间", "来电时间", "登记时间", "创建时间"]),
            category: strings(&["诉求类型", "事项类别", "问题分类", "业务类型"]),
            address: strings(&["事发地址", "诉求地址", "地址"]),
            channel: strings(&["来源渠道", "来源", "渠道"]),
            street: strings(&["所属街道", "街道"]),
            community: strings(&["所属社区", "社区"]),
            content: strings(&["诉求内容", "工单内容", "来电内容"]),
            caller_name: strings(&["来电人", "诉求人"]),
            caller_phone: strings(&["联系电话", "来电号码"]),
            handler_unit: strings(&["承办单位", "执法组", "责任单位"]),
            status: strings(&["办理状态", "工单状态"]),
            closed_at: strings(&["办结时间"]),
            related_order_id: strings(&["关联工单", "原工单编号", "重复工单号"]),
        }
    }
}

impl Columns {
    /// The aliases of every canonical column, in the canonical order.
    pub fn by_column(&self) -> [(crate::column::Column, &[String]); crate::column::COUNT] {
        use crate::column::Column::*;
        [
            (OrderId, &self.order_id),
            (ReceivedAt, &self.received_at),
            (Category, &self.category),
            (Address, &self.address),
            (Channel, &self.channel),
            (Street, &self.street),
            (Community, &self.community),
            (Content, &self.content),
            (CallerName, &self.caller_name),
            (CallerPhone, &self.caller_phone),
            (HandlerUnit, &self.handler_unit),
            (Status, &self.status),
            (ClosedAt, &self.closed_at),
            (RelatedOrderId, &self.related_order_id),
        ]
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    /// Administrative prefixes stripped from the start of an address, repeatedly.
    pub prefixes: Vec<String>,
    /// Vague place words stripped from the end of an address, repeatedly.
    pub vague_suffixes: Vec<String>,
}

impl Default for Address {
    fn default() -> Self {
        Address {
            prefixes: strings(&["湖南省", "长沙市", "长沙县"]),
            vague_suffixes: strings(&["附近", "旁边", "门口", "对面", "周边", "一带", "楼下"]),
        }
    }
}

/// How a subject's addresses are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Matching {
    /// One place however it is written (the default).
    Fuzzy,
    /// `canonical category | normalized address`, exactly.
    Exact,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Subjects {
    /// "fuzzy" groups one place however call-takers write it; "exact" keys subjects by
    /// the normalized address as it is.
    pub matching: Matching,
    /// A gazetteer file (town, road, community and place names with aliases); default: the
    /// built-in one of 长沙县, set aside for data that names other counties and not 长沙县.
    pub gazetteer: Option<PathBuf>,
    /// Two addresses scoring at least this are one place.
    pub merge_at: f64,
    /// Two addresses scoring at least this (but below merge_at) are shown to an admin.
    pub suggest_at: f64,
    /// In fuzzy matching, more ways of writing a matter: canonical category → the words
    /// that name it (a category holding one of them is that matter; the longest word wins).
    pub category_words: BTreeMap<String, Vec<String>>,
}

impl Default for Subjects {
    fn default() -> Self {
        Subjects {
            matching: Matching::Fuzzy,
            gazetteer: None,
            merge_at: 0.85,
            suggest_at: 0.6,
            category_words: default_category_words(),
        }
    }
}

/// How platforms and call-takers name the matters a squad's complaints are about: each
/// matter with the words that say it, from how hotline platforms and squads name them
/// (path levels, free spellings, the trade words of a kind of complaint). A category naming
/// two matters is the one whose word is longest (烧烤油烟 is 露天烧烤; 工地噪音 is
/// 施工噪声); at one length, the matter listed first in `category::PRECEDENCE`.
pub fn default_category_words() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([
        (
            "噪声扰民".to_string(),
            strings(&[
                "噪音扰民",
                "社会生活噪声",
                "生活噪声",
                "噪声扰民",
                "噪音",
                "噪声",
                "夜间噪音",
                "广场舞",
                "音响",
                "喇叭",
                "叫卖",
                "商业噪音",
                "娱乐噪音",
                "娱乐场所噪",
                "商业经营噪声",
                "麻将",
                "吵闹",
                "喧哗",
                "装修扰民",
                "装修噪声",
                "装修声",
                // Noise from a factory or workshop is that place's noise, however the
                // call-taker or the platform classed it (a squad that keeps 工业噪声 a
                // matter of its own says so in category_aliases, which win).
                "工业噪声",
                "工厂噪音",
                "工厂噪声",
                "作坊噪",
                "加工噪音",
                "加工噪声",
            ]),
        ),
        (
            "施工噪声".to_string(),
            strings(&[
                "施工噪音",
                "施工噪声",
                "建筑施工",
                "夜间施工",
                "施工扰民",
                "工地噪音",
                "工地噪声",
                "打桩",
                "施工",
            ]),
        ),
        (
            "占道经营".to_string(),
            strings(&[
                "占道经营",
                "占道摆摊",
                "流动摊贩",
                "流动商贩",
                "出店经营",
                "店外经营",
                "马路市场",
                "摆摊设点",
                "超门线",
                "游商",
                "占道",
                "摆摊",
                "摊贩",
                "摊点",
                "摆卖",
                "乱摆摊",
                "乱摆卖",
                "乱摆",
                "地摊",
                "出店",
                "店外",
            ]),
        ),
        (
            "露天烧烤".to_string(),
            strings(&[
                "露天烧烤",
                "占道烧烤",
                "路边烧烤",
                "户外烧烤",
                "烧烤油烟",
                "烧烤",
            ]),
        ),
        (
            "渣土撒漏".to_string(),
            strings(&[
                "渣土撒漏",
                "渣土抛洒",
                "渣土车",
                "渣土",
                "撒漏",
                "抛洒",
                "遗撒",
                "泥头车",
                "余泥",
                "漏土",
                "漏泥",
                "带泥上路",
            ]),
        ),
        (
            "油烟污染".to_string(),
            strings(&["油烟污染", "餐饮油烟", "油烟扰民", "油烟"]),
        ),
        (
            "废气异味".to_string(),
            strings(&["废气", "异味", "臭味", "油漆味", "喷漆"]),
        ),
        (
            "露天焚烧".to_string(),
            strings(&["露天焚烧", "焚烧", "烧垃圾", "秸秆"]),
        ),
        (
            "违法建设".to_string(),
            strings(&[
                "违法建设",
                "违章建筑",
                "违法建筑",
                "违建",
                "私搭乱建",
                "私搭乱盖",
                "乱搭乱建",
                "乱搭乱盖",
                "违章搭建",
                "乱搭建",
                "违规建房",
                "违章",
                "搭建",
                "加建",
                "加盖",
                "私建",
            ]),
        ),
        (
            "楼道堆物".to_string(),
            strings(&[
                "楼道堆物",
                "楼道堆放",
                "楼道杂物",
                "堆放杂物",
                "楼道",
                "楼梯间",
                "走廊堆",
                "堆物",
                "乱堆乱放",
                "乱堆放",
                "乱堆",
                "堆放",
                "杂物",
            ]),
        ),
        (
            "乱张贴".to_string(),
            strings(&[
                "乱张贴",
                "小广告",
                "牛皮癣",
                "野广告",
                "乱涂写",
                "乱贴",
                "张贴",
                "涂画",
                "涂写",
                "乱涂乱画",
                "乱涂",
                "乱画",
                "涂鸦",
                "传单",
            ]),
        ),
        (
            "饲养家禽".to_string(),
            strings(&[
                "饲养家禽",
                "家禽",
                "养鸡",
                "养鸭",
                "养猪",
                "畜禽",
                "饲养",
                "养殖",
                "养殖场",
                "鸡场",
                "猪场",
                "牛场",
                "鸡舍",
                "猪圈",
                "牛棚",
                "鸡棚",
            ]),
        ),
        (
            "乱倒垃圾".to_string(),
            strings(&["乱倒垃圾", "乱扔垃圾", "垃圾"]),
        ),
        (
            "燃放烟花爆竹".to_string(),
            strings(&[
                "燃放烟花爆竹",
                "烟花爆竹",
                "燃放鞭炮",
                "燃放烟花",
                "放鞭炮",
                "放烟花",
                "鞭炮",
                "爆竹",
                "烟花",
                "礼炮",
                "放炮",
            ]),
        ),
        (
            "扬尘污染".to_string(),
            strings(&[
                "扬尘污染",
                "工地扬尘",
                "道路扬尘",
                "扬尘",
                "粉尘",
                "灰尘",
                "尘土",
            ]),
        ),
        (
            "户外广告".to_string(),
            strings(&[
                "户外广告",
                "广告牌",
                "广告招牌",
                "店招",
                "招牌",
                "横幅",
                "灯箱",
            ]),
        ),
        (
            "车辆乱停放".to_string(),
            strings(&[
                "车辆乱停放",
                "乱停乱放",
                "停车秩序",
                "违章停车",
                "违规停车",
                "占道停车",
                "乱停放",
                "乱停车",
                "违停",
                "乱停",
                "共享单车",
                "僵尸车",
                "旅游大巴",
                "大巴车",
                "大巴",
            ]),
        ),
        (
            "毁绿占绿".to_string(),
            strings(&[
                "毁绿占绿",
                "毁坏绿化",
                "破坏绿化",
                "毁绿",
                "占绿",
                "绿化带",
                "砍树",
            ]),
        ),
        (
            "违规养犬".to_string(),
            strings(&[
                "违规养犬",
                "养犬",
                "犬只",
                "养狗",
                "遛狗",
                "狗叫",
                "流浪狗",
                "恶犬",
            ]),
        ),
        (
            // Winter in the north: smoke of coal burnt in stoves, boilers and bakeries.
            "燃煤污染".to_string(),
            strings(&["燃煤污染", "燃煤烟尘", "燃煤", "烧煤", "散煤", "锅炉冒烟"]),
        ),
        (
            // Snow and ice left on the pavement before a shop or a unit.
            "积雪清扫".to_string(),
            strings(&[
                "积雪清扫",
                "积雪未清",
                "积雪",
                "除雪",
                "扫雪",
                "清雪",
                "冰雪",
            ]),
        ),
        (
            "沿街晾晒".to_string(),
            strings(&["沿街晾晒", "乱晾晒", "晾晒"]),
        ),
        (
            // Carrying passengers without a licence: by motorbike, tricycle or e-bike.
            "非法营运".to_string(),
            strings(&[
                "非法营运",
                "非法载客",
                "黑车",
                "摩的",
                "载客",
                "三轮车拉客",
                "电动车拉客",
            ]),
        ),
        (
            // Touting: dragging passers-by into a shop, a tour or a boat.
            "非法揽客".to_string(),
            strings(&["非法揽客", "揽客", "拉客", "强拉", "黑导游"]),
        ),
        (
            "欺客宰客".to_string(),
            strings(&[
                "欺客宰客",
                "宰客",
                "被宰",
                "强制消费",
                "强买强卖",
                "价格欺诈",
            ]),
        ),
    ])
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn default_category_aliases() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([
        (
            "噪声扰民".to_string(),
            strings(&["噪音扰民", "社会生活噪声"]),
        ),
        ("占道经营".to_string(), strings(&["占道摆摊", "流动摊贩"])),
        ("油烟污染".to_string(), strings(&["餐饮油烟", "油烟扰民"])),
        ("违法建设".to_string(), strings(&["违章建筑", "违建"])),
    ])
}

impl Config {
    /// The built-in defaults, relative paths resolved against `base_dir`.
    pub fn defaults(base_dir: &Path) -> Config {
        Config {
            base_dir: base_dir.to_path_buf(),
            ..Config::default()
        }
    }

    /// Parses and validates config text; `source` names it in messages.
    pub fn parse(text: &str, source: &str, base_dir: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: source.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.base_dir = base_dir.to_path_buf();
        config.source = source.to_string();
        config.validate()?;
        Ok(config)
    }

    /// Reads `path`, or `./hotline-ledger.toml` when no path is given and it exists, or
    /// falls back to the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => {
                let candidate = cwd.join(DEFAULT_CONFIG_FILE);
                if !candidate.is_file() {
                    let config = Config::defaults(&cwd);
                    config.validate()?;
                    return Ok(config);
                }
                PathBuf::from(DEFAULT_CONFIG_FILE)
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        let absolute = if path.is_absolute() {
            path.clone()
        } else {
            cwd.join(&path)
        };
        let base = absolute
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone());
        Config::parse(&text, &path.display().to_string(), &base)
    }

    /// Writes `hash` as the password hash of the console user `name` into the config file
    /// at `path`, keeping the rest of the file as written (a copy renamed over it, so a
    /// crash never leaves half a config).
    pub fn write_password_hash(path: &Path, name: &str, hash: &str) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let users = doc
            .get_mut("web")
            .and_then(|w| w.get_mut("users"))
            .and_then(|u| u.as_array_of_tables_mut())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: write the users as [[web.users]] tables",
                    path.display()
                )
            })?;
        let user = users
            .iter_mut()
            .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(name))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: no [[web.users]] with name = \"{name}\"",
                    path.display()
                )
            })?;
        user["password_hash"] = toml_edit::value(hash);
        crate::partial::write_atomically(path, doc.to_string().as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
    }

    fn invalid(&self, key: &str, message: impl fmt::Display) -> ConfigError {
        ConfigError::Invalid {
            path: self.source.clone(),
            key: key.to_string(),
            message: message.to_string(),
        }
    }

    /// `ingest.earliest_received` as a date (None when it is not one).
    pub fn earliest_received(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(self.ingest.earliest_received.trim(), "%Y-%m-%d").ok()
    }

    /// Checks every rule the rest of the program relies on.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, value) in [
            ("paths.database", &self.paths.database),
            ("paths.inbox", &self.paths.inbox),
            ("paths.archive", &self.paths.archive),
            ("paths.out", &self.paths.out),
            ("paths.templates", &self.paths.templates),
        ] {
            if value.as_os_str().is_empty() {
                return Err(self.invalid(key, "must not be empty"));
            }
        }
        if self.rules.timezone.parse::<Tz>().is_err() {
            return Err(self.invalid(
                "rules.timezone",
                format!(
                    "unknown time zone \"{}\" (use an IANA name such as \"Asia/Shanghai\")",
                    self.rules.timezone
                ),
            ));
        }
        // The default folder may be absent (the built-in templates serve); a folder named
        // in the config that is not there is a mistake that would otherwise go unseen.
        let default_templates = Paths::default().templates;
        if self.paths.templates != default_templates && !self.templates_dir().is_dir() {
            return Err(self.invalid(
                "paths.templates",
                format!(
                    "the folder {} does not exist: create it, or remove the key to use the built-in templates",
                    self.templates_dir().display()
                ),
            ));
        }
        match self.earliest_received() {
            None => {
                return Err(self.invalid(
                    "ingest.earliest_received",
                    format!(
                        "\"{}\" is not a date: write it as YYYY-MM-DD, e.g. \"2000-01-01\"",
                        self.ingest.earliest_received
                    ),
                ))
            }
            // Every complaint would be "received before the earliest date" and set aside.
            Some(day) if day > chrono::Utc::now().with_timezone(&self.tz()).date_naive() => {
                return Err(self.invalid(
                    "ingest.earliest_received",
                    format!(
                        "{day} is in the future: every complaint would be set aside as received too early; give a date in the past, e.g. \"2000-01-01\""
                    ),
                ))
            }
            Some(_) => {}
        }
        if !(1..=3650).contains(&self.rules.quiet_days) {
            return Err(self.invalid("rules.quiet_days", "must be between 1 and 3650 days"));
        }
        if self.rules.green < 1 {
            return Err(self.invalid("rules.green", "must be at least 1"));
        }
        if self.rules.yellow <= self.rules.green {
            return Err(self.invalid(
                "rules.yellow",
                format!(
                    "must be greater than rules.green ({}), got {}",
                    self.rules.green, self.rules.yellow
                ),
            ));
        }
        if self.rules.red <= self.rules.yellow {
            return Err(self.invalid(
                "rules.red",
                format!(
                    "must be greater than rules.yellow ({}), got {}",
                    self.rules.yellow, self.rules.red
                ),
            ));
        }
        for (key, list) in [
            ("rules.closed_statuses", &self.rules.closed_statuses),
            ("rules.hazard_keywords", &self.rules.hazard_keywords),
            ("rules.joint_categories", &self.rules.joint_categories),
            ("rules.special_categories", &self.rules.special_categories),
        ] {
            if let Some(i) = list.iter().position(|s| s.trim().is_empty()) {
                return Err(self.invalid(&format!("{key}[{i}]"), "must not be empty"));
            }
        }
        if !(0.0..=1.0).contains(&self.reports.rejected_share_alert) {
            return Err(self.invalid(
                "reports.rejected_share_alert",
                "must be a share between 0 and 1 (0.05 is 5%)",
            ));
        }
        if self.ingest.header_search_rows < 1 {
            return Err(self.invalid("ingest.header_search_rows", "must be at least 1"));
        }
        if self.ingest.max_line_mb < 1 {
            return Err(self.invalid("ingest.max_line_mb", "must be at least 1"));
        }
        if self.ingest.max_unpacked_mb < 1 {
            return Err(self.invalid("ingest.max_unpacked_mb", "must be at least 1"));
        }
        if self.ingest.max_xls_mb < 1 {
            return Err(self.invalid("ingest.max_xls_mb", "must be at least 1"));
        }
        if self.ingest.memory_limit_mb != 0 && self.ingest.memory_limit_mb < 64 {
            return Err(self.invalid(
                "ingest.memory_limit_mb",
                "must be 0 (DuckDB's default) or at least 64",
            ));
        }
        if self.ingest.merge_chunk_rows < 1000 {
            return Err(self.invalid("ingest.merge_chunk_rows", "must be at least 1000"));
        }
        if self.ingest.max_cell_chars < 16 {
            return Err(self.invalid("ingest.max_cell_chars", "must be at least 16"));
        }
        self.validate_delivery()?;
        self.validate_columns()?;
        self.validate_categories()?;
        let unknown_lead = self.web.users.iter().enumerate().find_map(|(i, u)| {
            let lead = u.lead.as_deref()?.trim();
            (!self.leads.names().iter().any(|n| n == lead)).then(|| {
                (
                    format!("web.users[{i}].lead"),
                    format!("\"{lead}\" is not a lead named in [leads]"),
                )
            })
        });
        if let Some((key, message)) = self
            .web
            .check()
            .or_else(|| self.leads.check())
            .or(unknown_lead)
        {
            return Err(self.invalid(&key, message));
        }
        self.validate_subjects()?;
        self.validate_notify()?;
        for (key, list) in [
            ("address.prefixes", &self.address.prefixes),
            ("address.vague_suffixes", &self.address.vague_suffixes),
        ] {
            for (i, word) in list.iter().enumerate() {
                if normalize::address_chars(word).is_empty() {
                    return Err(self.invalid(
                        &format!("{key}[{i}]"),
                        format!("\"{word}\" is empty once white space and punctuation are removed"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_delivery(&self) -> Result<(), ConfigError> {
        let address = |key: String, value: &str| -> Result<(), ConfigError> {
            value
                .parse::<lettre::message::Mailbox>()
                .map(|_| ())
                .map_err(|e| {
                    self.invalid(&key, format!("\"{value}\" is not an e-mail address ({e})"))
                })
        };
        if let Some(smtp) = &self.smtp {
            if smtp.password.is_some() {
                return Err(self.invalid(
                    "smtp.password",
                    "the password does not belong in the config: name an environment variable with smtp.password_env or a file with smtp.password_file",
                ));
            }
            if smtp.host.trim().is_empty() {
                return Err(self.invalid("smtp.host", "must not be empty"));
            }
            address("smtp.from".into(), &smtp.from)?;
            if smtp.username.is_some()
                && smtp.password_env.is_none()
                && smtp.password_file.is_none()
            {
                return Err(self.invalid(
                    "smtp.username",
                    "needs smtp.password_env or smtp.password_file for the password",
                ));
            }
            if smtp.password_env.is_some() && smtp.password_file.is_some() {
                return Err(self.invalid(
                    "smtp.password_file",
                    "give either smtp.password_env or smtp.password_file, not both",
                ));
            }
        }
        for (key, list) in [
            ("recipients.weekly", &self.recipients.weekly),
            ("recipients.monthly", &self.recipients.monthly),
            ("recipients.ledger", &self.recipients.ledger),
        ] {
            for (i, a) in list.iter().enumerate() {
                address(format!("{key}[{i}]"), a)?;
            }
        }
        if let Some(admin) = &self.recipients.admin {
            address("recipients.admin".into(), admin)?;
        }
        for (key, expr) in [
            ("schedule.inbox", &self.schedule.inbox),
            ("schedule.weekly", &self.schedule.weekly),
            ("schedule.monthly", &self.schedule.monthly),
            ("schedule.outbox", &self.schedule.outbox),
        ] {
            parse_cron(expr).map_err(|m| self.invalid(key, m))?;
        }
        if self.delivery.max_message_mb.is_nan() || self.delivery.max_message_mb <= 0.0 {
            return Err(self.invalid("delivery.max_message_mb", "must be positive"));
        }
        if self.delivery.retry_initial_secs == 0
            || self.delivery.retry_max_secs < self.delivery.retry_initial_secs
        {
            return Err(self.invalid(
                "delivery.retry_max_secs",
                "must be at least delivery.retry_initial_secs, which must be positive",
            ));
        }
        Ok(())
    }

    fn validate_columns(&self) -> Result<(), ConfigError> {
        let mut seen: BTreeMap<String, &'static str> = BTreeMap::new();
        for (column, aliases) in self.columns.by_column() {
            let key = format!("columns.{}", column.name());
            if column.is_required() && aliases.is_empty() {
                return Err(self.invalid(&key, "a required column needs at least one alias"));
            }
            for (i, alias) in aliases.iter().enumerate() {
                let folded = normalize::header(alias);
                if folded.is_empty() {
                    return Err(self.invalid(&format!("{key}[{i}]"), "must not be empty"));
                }
                if let Some(other) = seen.insert(folded, column.name()) {
                    if other != column.name() {
                        return Err(self.invalid(
                            &format!("{key}[{i}]"),
                            format!("\"{alias}\" is already an alias of columns.{other}"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn validate_subjects(&self) -> Result<(), ConfigError> {
        let s = &self.subjects;
        if !(0.0..=1.0).contains(&s.merge_at) {
            return Err(self.invalid("subjects.merge_at", "must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&s.suggest_at) || s.suggest_at > s.merge_at {
            return Err(self.invalid(
                "subjects.suggest_at",
                "must be between 0 and subjects.merge_at",
            ));
        }
        for (canonical, words) in &s.category_words {
            for (i, word) in words.iter().enumerate() {
                if word.trim().is_empty() {
                    return Err(self.invalid(
                        &format!("subjects.category_words.{canonical}[{i}]"),
                        "must not be empty",
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_notify(&self) -> Result<(), ConfigError> {
        if self.notify.max_cases == 0 {
            return Err(self.invalid("notify.max_cases", "must be at least 1"));
        }
        if let Some(hours) = &self.notify.quiet_hours {
            QuietHours::parse(hours).map_err(|m| self.invalid("notify.quiet_hours", m))?;
        }
        if let Some(hook) = &self.notify.webhook {
            if hook.secret.is_some() {
                return Err(self.invalid(
                    "notify.webhook.secret",
                    "the secret does not belong in the config: name an environment variable with notify.webhook.secret_env or a file with notify.webhook.secret_file",
                ));
            }
            if let Err(m) = Endpoint::parse(&hook.url) {
                return Err(self.invalid("notify.webhook.url", m));
            }
            if hook.secret_env.is_some() && hook.secret_file.is_some() {
                return Err(self.invalid(
                    "notify.webhook.secret_file",
                    "give either notify.webhook.secret_env or notify.webhook.secret_file, not both",
                ));
            }
            if hook.format == WebhookFormat::Dingtalk
                && hook.secret_env.is_none()
                && hook.secret_file.is_none()
                && !hook.url.contains("access_token=")
            {
                return Err(self.invalid(
                    "notify.webhook.url",
                    "a DingTalk bot's address holds its access_token (…/robot/send?access_token=…)",
                ));
            }
            if hook.timeout_secs == 0 {
                return Err(self.invalid("notify.webhook.timeout_secs", "must be at least 1"));
            }
        }
        Ok(())
    }

    /// The configured gazetteer file, resolved against the config's folder.
    /// The quiet hours, when configured (checked when the config was loaded).
    pub fn quiet_hours(&self) -> Option<QuietHours> {
        self.notify
            .quiet_hours
            .as_deref()
            .and_then(|q| QuietHours::parse(q).ok())
    }

    pub fn gazetteer_path(&self) -> Option<PathBuf> {
        self.subjects.gazetteer.as_ref().map(|p| self.resolve(p))
    }

    fn validate_categories(&self) -> Result<(), ConfigError> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (canonical, aliases) in &self.category_aliases {
            if canonical.trim().is_empty() {
                return Err(self.invalid("category_aliases", "a canonical category is empty"));
            }
            for (i, alias) in aliases.iter().enumerate() {
                let key = format!("category_aliases.{canonical}[{i}]");
                if alias.trim().is_empty() {
                    return Err(self.invalid(&key, "must not be empty"));
                }
                if let Some(other) = seen.insert(alias.trim(), canonical) {
                    return Err(self.invalid(
                        &key,
                        format!("\"{alias}\" is already an alias of \"{other}\""),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The configured time zone (validated at load).
    pub fn tz(&self) -> Tz {
        self.rules
            .timezone
            .parse()
            .expect("rules.timezone is validated at load")
    }

    /// A configured path, resolved against the config file's directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.resolve(&self.paths.database)
    }
    pub fn inbox_dir(&self) -> PathBuf {
        self.resolve(&self.paths.inbox)
    }
    pub fn archive_dir(&self) -> PathBuf {
        self.resolve(&self.paths.archive)
    }
    pub fn out_dir(&self) -> PathBuf {
        self.resolve(&self.paths.out)
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.resolve(&self.paths.templates)
    }

    /// The effective configuration as TOML, for `config show`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("config serializes")
    }
}
