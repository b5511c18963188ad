//! Chinese PDF reports: the weekly report (周报), the monthly review (月度复盘) and the
//! warning-case ledger (台账).
//!
//! `render` makes a report's document (analysis as of the period's end, the template's
//! datasets, layout, PDF bytes) and `render_to_file` writes it atomically under paths.out;
//! front ends do not call them but `jobs::run_report`, which records, archives and sends.
//! The same database and the same request give the same bytes: every time printed or
//! stored in the PDF derives from the period, not the clock.

pub mod build;
mod chart;
pub mod context;
pub mod data;
mod error;
pub mod font;
pub mod layout;
pub mod model;
pub mod page;
pub mod pdf;
mod provenance;
mod table;
pub mod template;
mod window;
pub mod wrap;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDateTime};

use crate::analysis::Analysis;
use crate::config::Config;
use crate::period::{zh_date, zh_datetime, Period};
use crate::store::Store;
pub use data::{datasets, datasets_in_analysis};
use data::{load_datasets, Dataset, Value};
use error::failed;
pub use error::ReportError;
use font::MissingGlyphs;
use model::{Block, Frame};
use provenance::{provenance_files, Provenance};
pub use template::ReportKind;
use template::Template;
pub use window::{Sheet, Window};

/// Choices of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Show phone numbers and names in full.
    pub unmasked: bool,
}

/// A rendered report, before it is written.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: ReportKind,
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

impl Written {
    /// What was written, in a line (and a line for each warning or note).
    pub fn describe(&self) -> String {
        let d = &self.document;
        let mut line = format!(
            "{}  ({} page{}, {:.0} KB, {:.2} s)",
            self.path.display(),
            d.pages,
            if d.pages == 1 { "" } else { "s" },
            d.bytes.len() as f64 / 1024.0,
            d.render_time.as_secs_f64()
        );
        if d.missing_glyphs > 0 {
            line.push_str(&format!(
                "\n  warning: {} character(s) not in the report font were printed as '?'",
                d.missing_glyphs
            ));
        }
        for notice in &d.notices {
            line.push_str(&format!("\n  note: {notice}"));
        }
        line
    }
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
    kind: ReportKind,
    window: &Window,
    options: Options,
) -> Result<Document, ReportError> {
    let started = Instant::now();
    let gathered = gather(store, config, kind, window)?;
    lay_out(gathered, config, kind, window, options, started)
}

/// The case sheets (案件单) of several cases as of one instant (the windows' as_of): the
/// analysis is made once for all of them.
pub fn render_case_sheets(
    store: &Store,
    config: &Config,
    windows: &[Window],
) -> Result<Vec<Document>, ReportError> {
    let Some(first) = windows.first() else {
        return Ok(Vec::new());
    };
    let analysis =
        Analysis::new(store, config, first.as_of).map_err(|source| ReportError::Analysis {
            as_of: first.as_of.to_string(),
            source,
        })?;
    let cases = analysis
        .cases()
        .map_err(failed("reading the cases".to_string()))?;
    windows
        .iter()
        .map(|window| {
            let started = Instant::now();
            let gathered = gather_analysed(store, config, ReportKind::CaseSheet, window, &cases)?;
            lay_out(
                gathered,
                config,
                ReportKind::CaseSheet,
                window,
                Options::default(),
                started,
            )
        })
        .collect()
}

/// What a report reads from the database; laying it out needs nothing more from there.
struct Gathered {
    template: Template,
    datasets: BTreeMap<&'static str, Dataset>,
    context: BTreeMap<String, Value>,
    notices: Vec<String>,
    window_start: NaiveDateTime,
    files: Vec<provenance::SourceFile>,
}

/// Runs the report's queries.
fn gather(
    store: &Store,
    config: &Config,
    kind: ReportKind,
    window: &Window,
) -> Result<Gathered, ReportError> {
    let analysis =
        Analysis::new(store, config, window.as_of).map_err(|source| ReportError::Analysis {
            as_of: window.as_of.to_string(),
            source,
        })?;
    let cases = analysis
        .cases()
        .map_err(failed("reading the cases".to_string()))?;
    gather_analysed(store, config, kind, window, &cases)
}

/// Runs the report's queries once the analysis as of the window's end is made.
fn gather_analysed(
    store: &Store,
    config: &Config,
    kind: ReportKind,
    window: &Window,
    cases: &[crate::analysis::WarningCase],
) -> Result<Gathered, ReportError> {
    let mut template = Template::load(kind, &config.templates_dir())?;
    if !config.callers.enabled {
        template.drop_columns(&crate::callers::CALLER_FIELDS);
    }
    let mut wanted = template.datasets();
    wanted.extend(["cases_active"]);
    let datasets = load_datasets(store, config, window, |name| wanted.contains(name))?;
    let r = &config.rules;
    let mut context = data::scalars(&datasets);
    let int = |k: &str| context.get(k).map(Value::as_i64).unwrap_or(0);
    let own = context::ReportContext {
        squad: config.squad.name.clone(),
        title: template.title.clone(),
        period: window.stem.clone(),
        period_label: window.label.clone(),
        period_long: window.long_label.clone(),
        period_start: zh_date(window.start.date()),
        period_end: zh_date(window.as_of.last_day()),
        as_of: window.as_of_label(),
        year: i64::from(window.as_of.last_day().year()),
        month: i64::from(window.start.month()),
        week: match window.period {
            Some(Period::Week { week, .. }) => i64::from(week),
            _ => 0,
        },
        previous_label: window.previous_label.to_string(),
        received_change: change_text(int("received"), int("received_prev"), window.previous_label),
        registered_by_tier: tier_counts_text(
            int("registered_green"),
            int("registered_yellow"),
            int("registered_red"),
            true,
        ),
        active_by_tier: tier_counts_text(
            int("active_green"),
            int("active_yellow"),
            int("active_red"),
            false,
        ),
        green: i64::from(r.green),
        yellow: i64::from(r.yellow),
        red: i64::from(r.red),
        quiet_days: i64::from(r.quiet_days),
        ledger_cases: datasets
            .get("ledger_cases")
            .map(|d| d.rows.len() as i64)
            .unwrap_or(0),
        sheet_lead: window
            .sheet
            .as_ref()
            .map_or(String::new(), |s| s.lead.clone()),
        callers_counted: config.callers.enabled,
    };
    own.add_to(&mut context);

    let notices = notices(config, window, &context);
    // A case sheet's data is its case's: the files since its first complaint.
    let window_start = match &window.sheet {
        Some(sheet) => cases
            .iter()
            .find(|c| c.case_id == sheet.case_id)
            .map_or(window.start, |c| c.first_received_at),
        None => cases
            .iter()
            .filter(|c| {
                c.status != crate::codes::CaseStatus::Cleared || c.registered_at >= window.start
            })
            .map(|c| c.first_received_at)
            .min()
            .map_or(window.start, |first| first.min(window.start)),
    };
    let files = provenance_files(store, window_start).map_err(failed(
        "listing the export files for the provenance".to_string(),
    ))?;
    Ok(Gathered {
        template,
        datasets,
        context,
        notices,
        window_start,
        files,
    })
}

/// Lays out and draws the PDF from what was gathered: no database needed.
fn lay_out(
    gathered: Gathered,
    config: &Config,
    kind: ReportKind,
    window: &Window,
    options: Options,
    started: Instant,
) -> Result<Document, ReportError> {
    let Gathered {
        template,
        mut datasets,
        context,
        notices,
        window_start,
        files,
    } = gathered;
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

/// Makes a report and writes it under paths.out (a step of `jobs::run_report`), letting
/// the database go while the pages are laid out and drawn: that takes seconds for a long
/// ledger, and a command run beside the daemon meanwhile is not turned away as busy.
pub fn render_to_file(
    store: &mut Store,
    config: &Config,
    kind: ReportKind,
    window: &Window,
    options: Options,
) -> Result<Written, ReportError> {
    let started = Instant::now();
    let gathered = gather(store, config, kind, window)?;
    let document = store.released(config, || {
        crate::checkpoint::reached("report-layout");
        lay_out(gathered, config, kind, window, options, started)
    })??;
    write_document(config, document)
}

fn write_document(config: &Config, document: Document) -> Result<Written, ReportError> {
    let path = config.out_dir().join(&document.file_name);
    crate::partial::write_atomically(&path, &document.bytes).map_err(|source| {
        ReportError::Write {
            path: path.clone(),
            source,
        }
    })?;
    Ok(Written { document, path })
}
