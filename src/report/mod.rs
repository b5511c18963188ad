//! Chinese PDF reports: the weekly report (周报), the monthly review (月度复盘) and the
//! warning-case ledger (台账).
//!
//! One function, `run_report`, makes a report end to end (analysis as of the period's end,
//! the template's datasets, layout, PDF, an atomic write under paths.out); the CLI and the
//! scheduler both call it. The same database and the same request give the same bytes:
//! every time printed or stored in the PDF derives from the period, not the clock.

pub mod build;
mod chart;
pub mod data;
pub mod font;
pub mod layout;
pub mod mask;
pub mod model;
pub mod page;
pub mod pdf;
pub mod period;
mod table;
pub mod template;
pub mod wrap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use duckdb::params;

use crate::analysis::{Analysis, AsOf};
use crate::config::Config;
use crate::queries;
use crate::store::Store;
use data::{Dataset, Value};
use font::MissingGlyphs;
use model::{Block, Frame};
use period::{zh_date, zh_datetime, Period};
pub use template::Kind;
use template::Template;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error("database error while making the report: {0}")]
    Database(#[from] duckdb::Error),
    #[error("cannot render the PDF: {0}")]
    Pdf(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a report covers: a period and the as-of instant T (the period's end, or a chosen
/// day for a ledger).
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub start: NaiveDateTime,
    pub as_of: AsOf,
    pub previous_start: NaiveDateTime,
    /// `2025-W05`, `2025-01`, `2025-02-28`: the file name's period.
    pub stem: String,
    pub label: String,
    pub long_label: String,
    pub previous_label: &'static str,
    /// When the report is (or was due to be) made: printed as its generation time and
    /// stored as the PDF's creation date, so reruns give identical files.
    pub made_at: NaiveDateTime,
    pub period: Option<Period>,
}

impl Window {
    /// The weekly report of `period` (made the next Monday at 08:00).
    pub fn week(period: Period) -> Window {
        Window::of(period, "上周", chrono::Duration::hours(8))
    }

    /// The monthly review or ledger of `period` (made on the 1st at 08:30).
    pub fn month(period: Period) -> Window {
        Window::of(period, "上月", chrono::Duration::minutes(8 * 60 + 30))
    }

    /// A whole period, made `made_after` its end.
    fn of(period: Period, previous_label: &'static str, made_after: chrono::Duration) -> Window {
        Window {
            start: period.start(),
            as_of: AsOf(period.end()),
            previous_start: period.previous().start(),
            stem: period.stem(),
            label: period.label(),
            long_label: period.long_label(),
            previous_label,
            made_at: period.end() + made_after,
            period: Some(period),
        }
    }

    /// A ledger as of the end of `day`: the month up to that day.
    pub fn as_of_day(day: NaiveDate) -> Window {
        let as_of = AsOf::end_of_day(day);
        let month = Period::month_of(day);
        let start = month.start();
        let label = format!(
            "{}年{}月{}日—{}月{}日",
            start.year(),
            start.month(),
            start.day(),
            day.month(),
            day.day()
        );
        Window {
            start,
            as_of,
            previous_start: month.previous().start(),
            stem: day.format("%Y-%m-%d").to_string(),
            label: label.clone(),
            long_label: label,
            previous_label: "上月",
            made_at: as_of.0,
            period: None,
        }
    }

    /// The first day of the 12 months ending with this window.
    fn trend_start(&self) -> NaiveDateTime {
        let last = self.as_of.last_day();
        let (mut y, mut m) = (last.year(), last.month() as i32 - 11);
        while m < 1 {
            m += 12;
            y -= 1;
        }
        NaiveDate::from_ymd_opt(y, m as u32, 1)
            .expect("valid month")
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
    }

    /// "2025年2月2日" when T is a midnight (the day it closes), else the date and time.
    fn as_of_label(&self) -> String {
        use chrono::Timelike;
        if self.as_of.0.hour() == 0 && self.as_of.0.minute() == 0 && self.as_of.0.second() == 0 {
            zh_date(self.as_of.last_day())
        } else {
            zh_datetime(self.as_of.0)
        }
    }
}

/// Choices of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Show phone numbers and names in full.
    pub unmasked: bool,
}

/// A rendered report, before it is written.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// The template's title, e.g. 投诉工单预警周报.
    pub title: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub missing_glyphs: usize,
    pub notices: Vec<String>,
    /// Figures a mail summary or a test can use.
    pub context: BTreeMap<String, Value>,
    /// Rows of the active-case dataset, for mail bodies.
    pub active_cases: Dataset,
    pub render_time: Duration,
}

/// A report written to disk.
#[derive(Debug, Clone)]
pub struct Written {
    pub document: Document,
    pub path: PathBuf,
}

fn tier_counts_text(green: i64, yellow: i64, red: i64, long: bool) -> String {
    let mut parts = Vec::new();
    for (n, short, full) in [
        (green, "绿色", "绿色预警案件"),
        (yellow, "黄色", "黄色预警案件"),
        (red, "红色", "红色预警案件"),
    ] {
        if n > 0 {
            parts.push(format!("{}{n}件", if long { full } else { short }));
        }
    }
    if parts.is_empty() {
        "无".into()
    } else {
        parts.join("、")
    }
}

fn change_text(now: i64, before: i64, previous: &str) -> String {
    let diff = now - before;
    if diff == 0 {
        return format!("与{previous}持平");
    }
    let word = if diff > 0 { "增加" } else { "减少" };
    if before > 0 {
        format!(
            "较{previous}{word}{}件({:+.1}%)",
            diff.abs(),
            diff as f64 * 100.0 / before as f64
        )
    } else {
        format!("较{previous}{word}{}件", diff.abs())
    }
}

/// Makes the report document (nothing is written).
pub fn render(
    store: &Store,
    config: &Config,
    kind: Kind,
    window: &Window,
    options: Options,
) -> Result<Document, ReportError> {
    let started = Instant::now();
    let template = Template::load(kind, &config.templates_dir())?;
    let analysis = Analysis::new(store, config, window.as_of)?;
    let r = &config.rules;
    store.conn().execute(
        queries::REPORT_PARAMS,
        params![
            window.start,
            window.as_of.0,
            window.previous_start,
            r.green,
            r.yellow,
            r.red,
            r.quiet_days,
            window.trend_start()
        ],
    )?;
    let mut datasets: BTreeMap<&'static str, Dataset> = BTreeMap::new();
    let mut wanted = template.datasets();
    wanted.extend(["cases_active"]);
    for def in data::DATASETS {
        if def.single_row || wanted.contains(def.name) {
            datasets.insert(def.name, data::run(store, def)?);
        }
    }
    let mut context = data::scalars(&datasets);
    let int = |ctx: &BTreeMap<String, Value>, k: &str| ctx.get(k).map(Value::as_i64).unwrap_or(0);
    let text = |s: &str| Value::Text(s.to_string());
    context.insert("squad".into(), text(&config.squad.name));
    context.insert("title".into(), text(&template.title));
    context.insert("period".into(), text(&window.stem));
    context.insert("period_label".into(), text(&window.label));
    context.insert("period_long".into(), text(&window.long_label));
    context.insert("period_start".into(), text(&zh_date(window.start.date())));
    context.insert("period_end".into(), text(&zh_date(window.as_of.last_day())));
    context.insert("as_of".into(), text(&window.as_of_label()));
    context.insert(
        "year".into(),
        Value::Int(i64::from(window.as_of.last_day().year())),
    );
    context.insert("month".into(), Value::Int(i64::from(window.start.month())));
    context.insert(
        "week".into(),
        Value::Int(match window.period {
            Some(Period::Week { week, .. }) => i64::from(week),
            _ => 0,
        }),
    );
    context.insert("previous_label".into(), text(window.previous_label));
    let change = change_text(
        int(&context, "received"),
        int(&context, "received_prev"),
        window.previous_label,
    );
    context.insert("received_change".into(), Value::Text(change));
    let registered = tier_counts_text(
        int(&context, "registered_green"),
        int(&context, "registered_yellow"),
        int(&context, "registered_red"),
        true,
    );
    context.insert("registered_by_tier".into(), Value::Text(registered));
    let active = tier_counts_text(
        int(&context, "active_green"),
        int(&context, "active_yellow"),
        int(&context, "active_red"),
        false,
    );
    context.insert("active_by_tier".into(), Value::Text(active));
    context.insert("green".into(), Value::Int(i64::from(r.green)));
    context.insert("yellow".into(), Value::Int(i64::from(r.yellow)));
    context.insert("red".into(), Value::Int(i64::from(r.red)));
    context.insert("quiet_days".into(), Value::Int(i64::from(r.quiet_days)));
    context.insert(
        "ledger_cases".into(),
        Value::Int(
            datasets
                .get("ledger_cases")
                .map(|d| d.rows.len() as i64)
                .unwrap_or(0),
        ),
    );

    let notices = notices(config, window, &context);
    let cases = analysis.cases()?;
    let window_start = cases
        .iter()
        .filter(|c| {
            c.status != crate::analysis::CaseStatus::Cleared || c.registered_at >= window.start
        })
        .map(|c| c.first_received_at)
        .min()
        .map_or(window.start, |first| first.min(window.start));
    let files = provenance_files(store, window_start)?;

    let mut blocks = vec![Block::Title {
        title: template.title.clone(),
        subtitle: format!("{} · {}", config.squad.name, window.long_label),
    }];
    for n in &notices {
        blocks.push(Block::Notice(n.clone()));
    }
    blocks.extend(build::blocks(&build::Inputs {
        template: &template,
        datasets: &datasets,
        context: &context,
        masked: !options.unmasked,
    }));
    let provenance = Provenance {
        files,
        window_start,
        as_of: window.as_of,
        config,
        masked: !options.unmasked,
    };
    let frame = Frame {
        header_left: config.squad.name.clone(),
        header_right: format!("{} · {}", template.title, window.label),
        footer_right: format!("生成时间 {}", zh_datetime(window.made_at)),
    };
    let mut missing = MissingGlyphs::default();
    let mut all = blocks.clone();
    all.extend(provenance.blocks(0));
    let mut pages = layout::layout(&all, &frame, &template.style, &mut missing);
    if missing.total() > 0 {
        let count = missing.total();
        let chars: String = missing.by_char.keys().collect();
        tracing::warn!(
            "{count} character(s) missing from the report font, printed as '?': {chars}"
        );
        let mut again = MissingGlyphs::default();
        let mut all = blocks;
        all.extend(provenance.blocks(count));
        pages = layout::layout(&all, &frame, &template.style, &mut again);
    }
    let info = pdf::PdfInfo {
        title: format!("{} {}", template.title, window.long_label),
        author: config.squad.name.clone(),
        subject: provenance.summary(),
        keywords: vec![window.stem.clone(), kind.name().to_string()],
        created: window.made_at,
        utc_offset_secs: offset_secs(config, window.made_at),
        extra: vec![("HotlineLedgerProvenance".into(), provenance.json())],
    };
    let bytes = pdf::render(&pages, &info).map_err(ReportError::Pdf)?;
    let file_name = template.file_name.replace("{period}", &window.stem);
    Ok(Document {
        kind,
        title: template.title.clone(),
        file_name,
        bytes,
        pages: pages.len(),
        missing_glyphs: missing.total(),
        notices,
        context,
        active_cases: datasets.remove("cases_active").unwrap_or_default(),
        render_time: started.elapsed(),
    })
}

fn offset_secs(config: &Config, local: NaiveDateTime) -> i32 {
    use chrono::{Offset, TimeZone};
    config
        .tz()
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.offset().fix().local_minus_utc())
        .unwrap_or(0)
}

/// The warnings a report prints on its first page when its data looks incomplete.
fn notices(config: &Config, window: &Window, context: &BTreeMap<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    let stale = chrono::Duration::days(i64::from(config.reports.stale_after_days));
    match context.get("latest_data_at") {
        Some(Value::Time(latest)) => {
            if window.as_of.0 - *latest > stale {
                out.push(format!(
                    "数据可能不完整:最近一次导出的数据截至{},距本报告数据时点已超过{}天,请核实是否有新的导出文件未导入。",
                    zh_datetime(*latest),
                    config.reports.stale_after_days
                ));
            }
        }
        _ => out.push("尚未导入任何工单数据,本报告的统计均为零。".into()),
    }
    let share = context
        .get("rejected_share")
        .map(Value::as_f64)
        .unwrap_or(0.0);
    if share > config.reports.rejected_share_alert {
        let rejected = context.get("rows_rejected").map(Value::as_i64).unwrap_or(0);
        let read = context.get("rows_read").map(Value::as_i64).unwrap_or(0);
        out.push(format!(
            "数据质量提示:本期相关导出文件中有{:.1}%的数据行未能使用({rejected}/{read}行),统计可能偏低,详见数据质量部分。",
            share * 100.0
        ));
    }
    out
}

/// An export file named in a report's provenance.
#[derive(Debug, Clone)]
struct SourceFile {
    name: String,
    sha256: String,
    loaded: i64,
    rejected: i64,
    data_from: Option<NaiveDateTime>,
    data_to: Option<NaiveDateTime>,
    ingested_at: NaiveDateTime,
}

fn provenance_files(store: &Store, from: NaiveDateTime) -> duckdb::Result<Vec<SourceFile>> {
    let mut stmt = store.conn().prepare(queries::REPORT_FILES)?;
    let rows = stmt.query_map(params![from], |r| {
        Ok(SourceFile {
            name: r.get(0)?,
            sha256: r.get(1)?,
            loaded: r.get(2)?,
            rejected: r.get(3)?,
            data_from: r.get(4)?,
            data_to: r.get(5)?,
            ingested_at: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// 数据来源: what a report was made from, printed at its end and stored in its metadata.
struct Provenance<'a> {
    files: Vec<SourceFile>,
    window_start: NaiveDateTime,
    as_of: AsOf,
    config: &'a Config,
    masked: bool,
}

impl Provenance<'_> {
    fn rules(&self) -> String {
        let r = &self.config.rules;
        format!(
            "规则:绿色预警≥{}件,黄色预警≥{}件,红色预警≥{}件;静默期{}天;办结状态:{};时区 {}",
            r.green,
            r.yellow,
            r.red,
            r.quiet_days,
            r.closed_statuses.join("、"),
            r.timezone
        )
    }

    fn blocks(&self, missing: usize) -> Vec<Block> {
        let fmt = |t: Option<NaiveDateTime>| t.map(zh_datetime).unwrap_or_else(|| "—".into());
        let mut lines = vec![
            format!(
                "数据时点:截至 {}({});数据窗口:{} 至 {}",
                zh_datetime(self.as_of.0),
                self.config.rules.timezone,
                zh_datetime(self.window_start),
                zh_datetime(self.as_of.0)
            ),
            self.rules(),
            format!("导出文件({}个):", self.files.len()),
        ];
        for f in &self.files {
            lines.push(format!(
                "{} SHA-256 {} 载入{}行 拒收{}行 数据{}至{} 导入于{}",
                f.name,
                f.sha256,
                f.loaded,
                f.rejected,
                fmt(f.data_from),
                fmt(f.data_to),
                zh_datetime(f.ingested_at)
            ));
        }
        if missing > 0 {
            lines.push(format!("字库缺字:{missing}个字符无法显示,已以“?”代替。"));
        }
        lines.push(format!(
            "个人信息{};由 hotline-ledger {} 生成。",
            if self.masked {
                "已脱敏"
            } else {
                "未脱敏(按要求完整显示)"
            },
            env!("CARGO_PKG_VERSION")
        ));
        vec![
            Block::Gap(8.0),
            Block::KeepWithNext(Box::new(Block::Heading("数据来源与生成信息".into()))),
            Block::Small(lines),
        ]
    }

    fn summary(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|f| format!("{} ({})", f.name, &f.sha256[..f.sha256.len().min(12)]))
            .collect();
        format!(
            "数据截至 {};{};文件:{}",
            self.as_of.0.format("%Y-%m-%d %H:%M:%S"),
            self.rules(),
            files.join(", ")
        )
    }

    fn json(&self) -> String {
        let r = &self.config.rules;
        let files: Vec<serde_json::Value> = self
            .files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "file": f.name,
                    "sha256": f.sha256,
                    "rows_loaded": f.loaded,
                    "rows_rejected": f.rejected,
                    "data_from": f.data_from.map(|t| t.to_string()),
                    "data_to": f.data_to.map(|t| t.to_string()),
                    "ingested_at": f.ingested_at.to_string(),
                })
            })
            .collect();
        serde_json::json!({
            "as_of": self.as_of.0.to_string(),
            "data_window_start": self.window_start.to_string(),
            "timezone": r.timezone,
            "rules": {
                "green": r.green, "yellow": r.yellow, "red": r.red,
                "quiet_days": r.quiet_days, "closed_statuses": r.closed_statuses,
            },
            "files": files,
            "masked": self.masked,
        })
        .to_string()
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so no reader ever
/// sees a half-written file under the final name.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Makes a report end to end and writes it under paths.out.
pub fn run_report(
    store: &Store,
    config: &Config,
    kind: Kind,
    window: &Window,
    options: Options,
) -> Result<Written, ReportError> {
    let document = render(store, config, kind, window, options)?;
    let path = config.out_dir().join(&document.file_name);
    write_atomically(&path, &document.bytes).map_err(|source| ReportError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(Written { document, path })
}
