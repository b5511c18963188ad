//! The jobs, one function each, and the only thing front ends call: the CLI, the daemon's
//! schedule and the console run a report, load exports, retry the outbox, list the cases
//! or read a case's page through these functions, so what works by hand works on schedule
//! and from a button. Jobs call the stages; the SQL is theirs.
//!
//! Report, inbox and outbox runs are recorded in the run history (start, end, outcome,
//! files, messages; a failure also alerts the admin). Each job opens the database and holds
//! it only while it runs. Nothing here prints: outcomes come back as values.

use std::path::PathBuf;

use chrono::Datelike;

use crate::analysis::{Analysis, AsOf, SubjectEpisode, UnknownReference, WarningCase};
use crate::archive;
use crate::casebook;
pub use crate::casebook::{
    case_detail, data_version, order_places, CaseDetail, CaseEpisodes, Episode, Freshness,
    StoredOrder, StoredRejection, CALLERS_SHOWN,
};
use crate::clock;
use crate::codes::{CaseStatus, JobName, Tier};
use crate::config::Config;
use crate::deliver::report_mail::{self, ReportMail};
use crate::deliver::{alerts, outbox, Mailer};
use crate::history::{self, Ending, Run, Scope, Trigger};
use crate::ingest::batch::{self, FileOutcome};
use crate::period::Period;
use crate::report::{self, Options, ReportKind, Window, Written};
use crate::store::Store;
use crate::subjects::decide::{self, Member, SubjectRef, Suggestion};
use crate::subjects::{self, Decision};

/// What a long-running front end (the daemon, the console) and `config` check before they
/// start, so that a broken file the settings point at is named at once rather than on the
/// first scheduled run: every report and message template that overrides a built-in, and
/// the configured gazetteer.
pub fn check_setup(config: &Config) -> anyhow::Result<()> {
    report::template::check_all(&config.templates_dir())?;
    check_files(config)
}

/// What every command checks after loading the config: the files the settings point at
/// that grouping needs (the configured gazetteer), so that no command loads orders it
/// then cannot place in subjects.
pub fn check_files(config: &Config) -> anyhow::Result<()> {
    if let Some(path) = config.gazetteer_path() {
        crate::subjects::gazetteer::Gazetteer::load(&path)
            .map_err(|e| anyhow::anyhow!("subjects.gazetteer: {e}"))?;
    }
    Ok(())
}

/// Whether and to whom a report job sends its messages.
#[derive(Debug, Clone, Default)]
pub struct Dispatch {
    pub send: bool,
    /// Instead of the configured recipients.
    pub to: Option<Vec<String>>,
    /// To the admin only, marked as a preview.
    pub preview: bool,
    /// Send again to recipients who already have it.
    pub force: bool,
}

impl Dispatch {
    /// Make the files only.
    pub fn none() -> Dispatch {
        Dispatch::default()
    }

    /// What a scheduled run does: send to the configured recipients.
    pub fn scheduled() -> Dispatch {
        Dispatch {
            send: true,
            ..Dispatch::default()
        }
    }

    /// What the run history records this run as.
    fn scope(&self) -> Scope {
        match (self.send, self.preview, &self.to) {
            (false, _, _) => Scope::File,
            (true, true, _) => Scope::Preview,
            (true, false, Some(_)) => Scope::Others,
            (true, false, None) => Scope::Whole,
        }
    }
}

/// A report job.
#[derive(Debug, Clone)]
pub enum ReportJob {
    /// 周报 for a week.
    Weekly(Period),
    /// 月度复盘 and the month's 台账, archived.
    Monthly(Period),
    /// A 台账 on its own (archived when it is a whole month's and is sent).
    Ledger(Window),
}

impl ReportJob {
    /// The report job `job` runs when it runs at `instant` (None for jobs that make no
    /// report).
    pub fn due_at(job: JobName, instant: chrono::NaiveDateTime) -> Option<ReportJob> {
        let period = Period::due_for(job, instant)?;
        Some(match job {
            JobName::Weekly => ReportJob::Weekly(period),
            _ => ReportJob::Monthly(period),
        })
    }

    /// The job that makes `kind` for `window`.
    pub fn of(kind: ReportKind, window: Window) -> ReportJob {
        match (kind, window.period) {
            (ReportKind::Weekly, Some(p)) => ReportJob::Weekly(p),
            (ReportKind::Monthly, Some(p)) => ReportJob::Monthly(p),
            _ => ReportJob::Ledger(window),
        }
    }

    pub fn name(&self) -> JobName {
        match self {
            ReportJob::Weekly(_) => JobName::Weekly,
            ReportJob::Monthly(_) => JobName::Monthly,
            ReportJob::Ledger(_) => JobName::Ledger,
        }
    }

    pub fn period(&self) -> String {
        match self {
            ReportJob::Weekly(p) | ReportJob::Monthly(p) => p.stem(),
            ReportJob::Ledger(w) => w.stem.clone(),
        }
    }

    /// The documents the job makes, in order: the report, then what goes with it.
    fn documents(&self) -> Vec<(ReportKind, Window)> {
        match self {
            ReportJob::Weekly(p) => vec![(ReportKind::Weekly, Window::week(*p))],
            ReportJob::Monthly(p) => vec![
                (ReportKind::Monthly, Window::month(*p)),
                (ReportKind::Ledger, Window::month(*p)),
            ],
            ReportJob::Ledger(w) => vec![(ReportKind::Ledger, w.clone())],
        }
    }

    /// The month whose record the job's documents are, if any.
    fn month(&self) -> Option<Period> {
        match self {
            ReportJob::Monthly(p) => Some(*p),
            ReportJob::Ledger(w) => w.period,
            ReportJob::Weekly(_) => None,
        }
    }
}

/// What a job did, for the person or the log.
#[derive(Debug, Default)]
pub struct JobOutcome {
    pub run_id: i64,
    pub ok: bool,
    pub lines: Vec<String>,
    pub files: Vec<PathBuf>,
    pub queued: usize,
    pub sent: usize,
    /// Messages that could not be sent this time (they stay queued for a retry): the job
    /// did not do all it was asked.
    pub unsent: usize,
    /// The reports written, in order.
    pub reports: Vec<Written>,
    /// The files loaded, in order.
    pub ingested: Vec<FileOutcome>,
    /// What the leads were told of the warnings the files showed (预警通知).
    pub told: Vec<String>,
    /// What became of a report for each recipient.
    pub deliveries: Vec<(String, crate::deliver::report_mail::Delivery)>,
    /// A month's documents archived: (file, newly kept rather than already there).
    pub archived: Vec<(String, bool)>,
    /// A report was to be sent but has no recipients configured.
    pub no_recipients: bool,
    /// The warning messages made, to whom and when they go.
    pub warnings: Vec<crate::notify::Planned>,
    /// The warnings of an ingest could not be worked out or sent (the next notify tries
    /// again).
    pub warnings_failed: bool,
}

impl JobOutcome {
    /// Counts in what a notification run told.
    fn add_told(&mut self, told: crate::notify::Outcome) {
        self.lines.extend(told.lines);
        self.warnings.extend(told.planned);
        self.queued += told.queued;
        self.sent += told.sent;
        self.unsent += told.unsent;
    }
}

/// Runs `work` as a recorded job: the run history gets its start, end, outcome, files and
/// messages; a failure is recorded (and the admin alerted) before it is returned.
fn recorded<F>(
    config: &Config,
    job: JobName,
    period: Option<&str>,
    trigger: Trigger,
    scope: Scope,
    work: F,
) -> anyhow::Result<JobOutcome>
where
    F: FnOnce(&mut Store, i64, &mut JobOutcome) -> anyhow::Result<()>,
{
    let mut store = Store::open(config)?;
    let run_id = history::start(&store, job, period, trigger, scope, clock::now(config))
        .map_err(|e| anyhow::anyhow!("cannot record the start of the {job} job: {e}"))?;
    let mut outcome = JobOutcome {
        run_id,
        ..JobOutcome::default()
    };
    let result = work(&mut store, run_id, &mut outcome);
    let error = match &result {
        Ok(()) if outcome.ok => None,
        Ok(()) => Some(outcome.lines.last().cloned().unwrap_or_default()),
        Err(e) => Some(format!("{e:#}")),
    };
    let ending = Ending {
        ok: error.is_none(),
        files: outcome
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        queued: outcome.queued,
        sent: outcome.sent,
        error: error.clone(),
    };
    history::finish(&store, run_id, clock::now(config), &ending)
        .map_err(|e| anyhow::anyhow!("cannot record the end of the {job} job: {e}"))?;
    if error.is_some() && trigger == Trigger::Manual {
        // The person who ran it by hand was told at the terminal: no mail about it.
        history::mark_alerted(&store, run_id, clock::now(config))
            .map_err(|e| anyhow::anyhow!("cannot record the {job} job's failure: {e}"))?;
    } else if error.is_some() {
        if let Ok(mailer) = Mailer::from_config(config) {
            if let Err(e) = alerts::raise(&store, config, &mailer, clock::now(config)) {
                tracing::warn!("cannot alert the admin: {e:#}");
            }
        }
    }
    result.map(|_| outcome)
}

/// Runs a report job end to end: makes its PDFs under paths.out, archives the month's
/// record when it is sent to its recipients, and sends the messages. The one function
/// behind `report`, `run`, the daemon's weekly and monthly jobs, and the console.
pub fn run_report(
    config: &Config,
    job: &ReportJob,
    trigger: Trigger,
    dispatch: &Dispatch,
    options: Options,
) -> anyhow::Result<JobOutcome> {
    if options.unmasked && dispatch.send {
        anyhow::bail!("--unmasked reports are not sent by e-mail: make the file without --send");
    }
    let period = job.period();
    recorded(
        config,
        job.name(),
        Some(&period),
        trigger,
        dispatch.scope(),
        |store, run_id, out| {
            for (kind, window) in job.documents() {
                let written = report::render_to_file(store, config, kind, &window, options)
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "cannot make the {} report {}: {e}",
                            kind.name(),
                            window.stem
                        )
                    })?;
                out.files.push(written.path.clone());
                out.lines.push(written.describe());
                out.reports.push(written);
            }
            // A month's record sent out is archived: what was sent is kept.
            if let (Some(month), true) = (job.month(), dispatch.send && !dispatch.preview) {
                archive_month(config, job, trigger, month, out)?;
            }
            if dispatch.send {
                let to = recipients(config, job, dispatch)?;
                if to.is_empty() {
                    out.no_recipients = true;
                    out.lines.push(format!(
                        "no recipients for {name} reports (recipients.{name}): nothing sent",
                        name = job.name()
                    ));
                } else {
                    let sending = report_mail::send(
                        store,
                        config,
                        &ReportMail {
                            job: job.name(),
                            period: &period,
                            docs: &out.reports,
                            recipients: &to,
                            preview: dispatch.preview,
                            force: dispatch.force,
                            run_id,
                        },
                    )?;
                    out.lines.extend(sending.lines);
                    out.deliveries.extend(sending.each);
                    out.queued += sending.queued;
                    out.sent += sending.sent;
                    out.unsent += sending.unsent;
                }
            }
            out.ok = true;
            Ok(())
        },
    )
}

/// Keeps the month's documents in the archive (a changed rerun is a new version).
fn archive_month(
    config: &Config,
    job: &ReportJob,
    trigger: Trigger,
    month: Period,
    out: &mut JobOutcome,
) -> anyhow::Result<()> {
    let reason = match trigger {
        Trigger::Schedule => "scheduled monthly run".to_string(),
        Trigger::CatchUp => "caught up at daemon start".to_string(),
        Trigger::Manual => format!("rerun by an admin ({} --send)", job.name()),
    };
    for d in &out.reports {
        let kept = archive::keep(
            &config.archive_dir(),
            &d.document.file_name,
            &d.document.bytes,
            &archive::Record {
                report: d.document.kind.name(),
                period: &month.stem(),
                year: month.first_day().year(),
                reason: &reason,
                made_at: clock::now(config),
            },
        )
        .map_err(|e| anyhow::anyhow!("cannot archive {}: {e}", d.document.file_name))?;
        out.lines.push(if kept.new {
            format!("archived as {}", kept.path.display())
        } else if kept.recovered {
            format!(
                "archived as {} (an interrupted run had written it without listing it in the manifest: now listed)",
                kept.path.display()
            )
        } else {
            format!("already archived, unchanged: {}", kept.path.display())
        });
        out.archived
            .push((d.document.file_name.clone(), kept.new || kept.recovered));
        if kept.new {
            out.files.push(kept.path);
        }
    }
    Ok(())
}

/// Who a report goes to: the admin for a preview, `--to`, or the configured recipients.
fn recipients(
    config: &Config,
    job: &ReportJob,
    dispatch: &Dispatch,
) -> anyhow::Result<Vec<String>> {
    if dispatch.preview {
        return config
            .recipients
            .admin
            .clone()
            .map(|a| vec![a])
            .ok_or_else(|| {
                anyhow::anyhow!("--preview sends to the admin: set recipients.admin in the config")
            });
    }
    if let Some(to) = &dispatch.to {
        for a in to {
            a.parse::<lettre::message::Mailbox>()
                .map_err(|e| anyhow::anyhow!("--to {a}: not an e-mail address ({e})"))?;
        }
        return Ok(to.clone());
    }
    let r = &config.recipients;
    Ok(match job {
        ReportJob::Weekly(_) => r.weekly.clone(),
        ReportJob::Monthly(_) => r.monthly.clone(),
        ReportJob::Ledger(_) if r.ledger.is_empty() => r.monthly.clone(),
        ReportJob::Ledger(_) => r.ledger.clone(),
    })
}

/// Loads what waits in the inbox and moves each file out of it; a file that could not be
/// used fails the job (so the admin hears of it). `on_file` sees each file as it is done.
pub fn ingest_inbox(
    config: &Config,
    trigger: Trigger,
    show_progress: bool,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> anyhow::Result<JobOutcome> {
    let mut outcome = recorded(
        config,
        JobName::Inbox,
        None,
        trigger,
        Scope::Whole,
        |store, _, out| {
            out.ingested = batch::load_inbox(store, config, show_progress, on_file)?;
            let totals = batch::Totals::of(&out.ingested);
            if totals.loaded > 0 {
                place_subjects(store, config);
            }
            out.lines.push(format!(
                "{} loaded, {} already loaded, {} could not be used",
                totals.loaded, totals.already, totals.failed
            ));
            out.ok = totals.failed == 0;
            if !out.ok {
                out.lines.push(format!(
                    "{} file(s) in the inbox could not be used: see {}",
                    totals.failed,
                    config.inbox_dir().join("failed").display()
                ));
            }
            Ok(())
        },
    )?;
    if batch::Totals::of(&outcome.ingested).loaded > 0 {
        notify_after_ingest(config, trigger, &mut outcome);
    }
    Ok(outcome)
}

/// Loads export files in the order given (`batch::expand_inputs` turns folders into the
/// exports in them), then tells the leads of the warnings they show. `on_file` sees each
/// file as it is done; the outcome holds the files in `ingested` and what was told in
/// `lines`.
pub fn ingest_files(
    config: &Config,
    files: &[PathBuf],
    show_progress: bool,
    again: bool,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> anyhow::Result<JobOutcome> {
    let loaded = {
        let store = Store::open(config)?;
        let outcomes = batch::load_files(&store, config, files, show_progress, again, on_file);
        if batch::Totals::of(&outcomes).loaded > 0 {
            place_subjects(&store, config);
        }
        outcomes
    };
    let mut outcome = JobOutcome {
        ok: true,
        ..JobOutcome::default()
    };
    if batch::Totals::of(&loaded).loaded > 0 {
        notify_after_ingest(config, Trigger::Manual, &mut outcome);
    }
    outcome.ingested = loaded;
    Ok(outcome)
}

/// Tells the leads of what the files just loaded changed (a notify job of its own in the
/// run history). The files are in whatever happens here: a failure is said, and the next
/// ingest or `hotline-ledger notify` tells what was missed.
fn notify_after_ingest(config: &Config, trigger: Trigger, outcome: &mut JobOutcome) {
    if !config.notify.enabled {
        return;
    }
    match notify(config, trigger, true) {
        Ok(told) => {
            outcome.told.extend(told.lines);
            outcome.warnings.extend(told.warnings);
            outcome.queued += told.queued;
            outcome.sent += told.sent;
            outcome.unsent += told.unsent;
        }
        Err(e) => {
            let line = format!(
                "the warnings of this ingest could not be worked out or sent: {e:#} (`hotline-ledger notify` tries again)"
            );
            tracing::warn!("{line}");
            outcome.told.push(line);
            outcome.warnings_failed = true;
        }
    }
}

/// Works out the cases as of now and tells the leads of every event not told before
/// (registered, escalated, special, recurring), through the outbox; a recorded job. With
/// `limited`, more than `notify.max_cases` cases at once are not sent but put to the admin.
pub fn notify(config: &Config, trigger: Trigger, limited: bool) -> anyhow::Result<JobOutcome> {
    recorded(
        config,
        JobName::Notify,
        None,
        trigger,
        Scope::Whole,
        |store, run_id, out| {
            let limit = limited.then_some(config.notify.max_cases as usize);
            let now = clock::now(config);
            // By hand, what waits from earlier runs goes first, whatever its back-off.
            if trigger == Trigger::Manual {
                out.add_told(crate::notify::send_waiting(store, config, now)?);
            }
            let told = crate::notify::run(store, config, now, run_id, limit)?;
            out.add_told(told);
            // A run whose sends failed is not "ok": the history says so.
            out.ok = out.unsent == 0;
            if !out.ok {
                out.lines.push(format!(
                    "{} warning message(s) could not be sent and stay queued: `hotline-ledger notify` sends them once the cause is fixed",
                    out.unsent
                ));
            }
            Ok(())
        },
    )
}

/// What `notify` would send now: the cases with their events, and the messages. Nothing
/// is recorded or sent.
pub fn notify_dry_run(
    config: &Config,
) -> anyhow::Result<(Vec<crate::notify::Notice>, Vec<crate::notify::Planned>)> {
    let store = Store::open(config)?;
    let now = clock::now(config);
    let notices = crate::notify::notices(&store, config, now, false)?;
    let plan = crate::notify::plan(config, &notices, now);
    Ok((notices, plan))
}

/// `notify --mark-told`: records the events pending now as told, sending nothing.
pub fn notify_mark_told(config: &Config) -> anyhow::Result<JobOutcome> {
    recorded(
        config,
        JobName::Notify,
        Some("marked told"),
        Trigger::Manual,
        Scope::Others,
        |store, _, out| {
            let n = crate::notify::mark_told(store, config, clock::now(config))?;
            out.lines.push(format!(
                "{n} event(s) recorded as told, nothing sent: later ingests tell only what is new"
            ));
            out.ok = true;
            Ok(())
        },
    )
}

/// `notify --resend CASE`: tells a case's recipients again, as it stands now.
pub fn notify_resend(config: &Config, case: &str) -> anyhow::Result<JobOutcome> {
    recorded(
        config,
        JobName::Notify,
        Some(case),
        Trigger::Manual,
        Scope::Others,
        |store, run_id, out| {
            let told = crate::notify::resend(store, config, clock::now(config), case, run_id)?;
            out.add_told(told);
            out.ok = true;
            Ok(())
        },
    )
}

/// Places the new orders in their subjects as soon as they are loaded. The files are in
/// either way: when this fails it is said, and the next `cases`, report or `subjects`
/// tries again (and fails there with the same message if it still cannot).
fn place_subjects(store: &Store, config: &Config) {
    if let Err(e) = subjects::refresh(store, config) {
        tracing::warn!("the new orders are loaded but not yet placed in subjects: {e}");
    }
}

/// Retries the queued messages that are due (all with `all`) and raises admin alerts.
pub fn retry_outbox(config: &Config, trigger: Trigger, all: bool) -> anyhow::Result<JobOutcome> {
    use crate::deliver::report_mail::Delivery;
    recorded(
        config,
        JobName::Outbox,
        None,
        trigger,
        Scope::Whole,
        |store, _, out| {
            let mailer = Mailer::from_config(config)?;
            let now = clock::now(config);
            let sent = outbox::send_due(store, config, &mailer, now, all, None)?;
            out.sent += sent.delivered.len();
            out.unsent += sent.failed.len();
            for (id, recipient, what) in &sent.delivered {
                out.lines
                    .push(format!("message {id} to {recipient}: {what}"));
                out.deliveries
                    .push((recipient.clone(), Delivery::Delivered(what.clone())));
            }
            for (id, recipient, error) in &sent.failed {
                out.lines.push(format!(
                    "message {id} to {recipient}: still failing: {error}"
                ));
                out.deliveries
                    .push((recipient.clone(), Delivery::NotYet(error.clone())));
            }
            out.lines.extend(sent.deferred_lines());
            let raised = alerts::raise(store, config, &mailer, now)?;
            if raised > 0 {
                out.lines
                    .push(format!("{raised} alert(s) sent to the admin"));
            }
            out.ok = true;
            Ok(())
        },
    )
}

/// A scheduled report job (weekly, monthly) run at `instant`, by the daemon or its catch-up:
/// the period due then, sent to its recipients, unless a whole run of that period already
/// succeeded.
pub fn run_due_report(
    config: &Config,
    job: JobName,
    instant: chrono::NaiveDateTime,
    trigger: Trigger,
) -> anyhow::Result<Vec<String>> {
    let Some(report) = ReportJob::due_at(job, instant) else {
        anyhow::bail!("{job} makes no report");
    };
    let period = report.period();
    {
        let store = Store::open(config)?;
        if let Some(when) = history::last_ok(&store, report.name(), &period)? {
            return Ok(vec![format!(
                "{} {period} already done on {when}",
                report.name()
            )]);
        }
    }
    run_report(
        config,
        &report,
        trigger,
        &Dispatch::scheduled(),
        Options::default(),
    )
    .map(|o| o.lines)
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseFilter {
    pub tier: Option<Tier>,
    pub status: Option<CaseStatus>,
}

/// The warning cases at T as a list shows them.
#[derive(Debug, Clone)]
pub struct CaseList {
    pub cases: Vec<WarningCase>,
    /// The related-order references that were ignored.
    pub unknown: Vec<UnknownReference>,
    /// Each case's callers (来电人) by case id; None when `[callers]` is off.
    pub callers: Option<std::collections::HashMap<String, crate::callers::CaseCallers>>,
}

/// The warning cases at T, filtered, with the related-order references that were ignored
/// and, when `with_callers` and unless `[callers]` is off, who made each case's complaints.
pub fn list_cases(
    config: &Config,
    as_of: AsOf,
    filter: CaseFilter,
    with_callers: bool,
) -> anyhow::Result<CaseList> {
    let store = Store::open(config)?;
    let analysis = Analysis::new(&store, config, as_of)
        .map_err(|e| anyhow::anyhow!("cannot work out the cases as of {as_of}: {e}"))?;
    let cases = analysis
        .cases()
        .map_err(|e| anyhow::anyhow!("cannot read the cases as of {as_of}: {e}"))?
        .into_iter()
        .filter(|c| filter.tier.is_none_or(|t| c.tier == t))
        .filter(|c| filter.status.is_none_or(|s| c.status == s))
        .collect();
    let unknown = analysis
        .unknown_references()
        .map_err(|e| anyhow::anyhow!("cannot read the unknown references: {e}"))?;
    let callers = if with_callers && config.callers.enabled {
        let read = || {
            crate::callers::count(&store, true)?;
            crate::callers::of_cases(&store)
        };
        Some(read().map_err(|e| anyhow::anyhow!("cannot count the cases' callers: {e}"))?)
    } else {
        None
    };
    Ok(CaseList {
        cases,
        unknown,
        callers,
    })
}

/// The warning cases at T with where each case's orders (its episode's) are, by case id.
pub fn list_cases_with_episodes(
    store: &Store,
    config: &Config,
    as_of: AsOf,
) -> anyhow::Result<(Vec<WarningCase>, CaseEpisodes)> {
    let analysis = Analysis::new(store, config, as_of)
        .map_err(|e| anyhow::anyhow!("cannot work out the cases as of {as_of}: {e}"))?;
    cases_with_episodes(store, &analysis, as_of)
}

/// The console's overview of `day` in one pass over the data: the cases as of the end of
/// the day with their orders, the single-row figures of the week so far (compared with the
/// week before) and the report datasets `names` of the day's window.
pub fn overview(
    store: &Store,
    config: &Config,
    day: chrono::NaiveDate,
    names: &[&str],
) -> anyhow::Result<(
    Vec<WarningCase>,
    CaseEpisodes,
    std::collections::BTreeMap<&'static str, report::data::Dataset>,
)> {
    let as_of = AsOf::end_of_day(day);
    let analysis = Analysis::new(store, config, as_of)
        .map_err(|e| anyhow::anyhow!("cannot work out the cases as of {as_of}: {e}"))?;
    let (cases, episodes) = cases_with_episodes(store, &analysis, as_of)?;
    let window = Window::as_of_day(day);
    let mut sets = report::datasets_in_analysis(store, config, &window, names)
        .map_err(|e| anyhow::anyhow!("cannot read the figures for {}: {e}", window.stem))?;
    let mut week = Window::week(crate::period::Period::week_of(day));
    week.as_of = as_of;
    let headline = report::datasets_in_analysis(store, config, &week, &[])
        .map_err(|e| anyhow::anyhow!("cannot read the figures for {}: {e}", week.stem))?;
    if let Some(h) = headline.get("headline") {
        sets.insert("headline", h.clone());
    }
    Ok((cases, episodes, sets))
}

/// The cases of an analysis made on `store`, with each case's episode.
fn cases_with_episodes(
    store: &Store,
    analysis: &Analysis<'_>,
    as_of: AsOf,
) -> anyhow::Result<(Vec<WarningCase>, CaseEpisodes)> {
    let cases = analysis
        .cases()
        .map_err(|e| anyhow::anyhow!("cannot read the cases as of {as_of}: {e}"))?;
    let episodes = casebook::case_episodes(store)
        .map_err(|e| anyhow::anyhow!("cannot read the cases' episodes: {e}"))?;
    Ok((cases, episodes))
}

/// The rows set aside, oldest file first, in file order; only `file`'s (its name or path
/// as ingested) when given.
pub fn list_rejected(config: &Config, file: Option<&str>) -> anyhow::Result<Vec<StoredRejection>> {
    let store = Store::open(config)?;
    casebook::rejected(&store, file)
        .map_err(|e| anyhow::anyhow!("cannot read the rejected rows: {e}"))
}

/// Every subject's episodes at T, warning or not.
pub fn list_subjects(config: &Config, as_of: AsOf) -> anyhow::Result<Vec<SubjectEpisode>> {
    let store = Store::open(config)?;
    let analysis = Analysis::new(&store, config, as_of)
        .map_err(|e| anyhow::anyhow!("cannot work out the subjects as of {as_of}: {e}"))?;
    analysis
        .subjects()
        .map_err(|e| anyhow::anyhow!("cannot read the subjects as of {as_of}: {e}"))
}

/// A subject's orders with why each is in it.
pub struct ShownSubject {
    pub subject: SubjectRef,
    pub members: Vec<Member>,
    /// How many normalized spellings of the place its orders use.
    pub variants: usize,
}

/// Opens the store with the subjects' map brought up to date.
fn grouped_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::open(config)?;
    subjects::refresh(&store, config)?;
    Ok(store)
}

/// Opens the store with every order in its subject, as the analysis counts it (its
/// place's, or through 关联工单), for naming subjects by key or order id.
fn placed_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::open(config)?;
    crate::analysis::orders_as_of(&store, config, AsOf::all_time())?;
    Ok(store)
}

/// The orders of one subject (a subject key or one of its orders' ids).
pub fn show_subject(config: &Config, subject: &str) -> anyhow::Result<ShownSubject> {
    let store = placed_store(config)?;
    let subject = decide::resolve(&store, subject)?;
    let members = decide::members(&store, &subject)?;
    let mut spellings: Vec<&str> = members
        .iter()
        .filter(|m| !m.linked)
        .map(|m| m.address_norm.as_str())
        .collect();
    spellings.sort_unstable();
    spellings.dedup();
    let variants = spellings.len();
    Ok(ShownSubject {
        subject,
        members,
        variants,
    })
}

/// What kind of failure ended a job, for a front end to answer with: the console's status
/// page (404, 400, 503, 500), the command line's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// What the request names is not in the data (a case, a subject, a decision).
    NotFound,
    /// The request cannot be done as asked (a bad period, an empty handling record, a
    /// decision exact matching does not take).
    Invalid,
    /// Another process holds the database: the same request later will do.
    Busy,
    /// The program or the machine failed.
    Failed,
}

/// A job's error with what kind of failure it is. Jobs return `anyhow::Result`; a front end
/// turns the error into this to decide how to answer, so the kinds are told apart here, once.
#[derive(Debug, thiserror::Error)]
#[error("{error:#}")]
pub struct JobError {
    pub kind: FailureKind,
    pub error: anyhow::Error,
}

impl From<anyhow::Error> for JobError {
    fn from(error: anyhow::Error) -> JobError {
        JobError {
            kind: kind_of(&error),
            error,
        }
    }
}

/// The kind of the first error in the chain that says what it is.
fn kind_of(error: &anyhow::Error) -> FailureKind {
    use crate::handling::HandlingError;
    use crate::store::StoreError;
    use crate::subjects::SubjectsError;
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            match e {
                StoreError::Busy { .. } => return FailureKind::Busy,
                StoreError::Sql(_) => {}
                _ => return FailureKind::Failed,
            }
        }
        if let Some(e) = cause.downcast_ref::<SubjectsError>() {
            match e {
                SubjectsError::NotFound(_) => return FailureKind::NotFound,
                SubjectsError::Decision(_) => return FailureKind::Invalid,
                // A store's error comes next in the chain.
                _ => {}
            }
        }
        if let Some(e) = cause.downcast_ref::<HandlingError>() {
            return match e {
                HandlingError::NotACase(_) => FailureKind::NotFound,
                HandlingError::Sql(_) => FailureKind::Failed,
                _ => FailureKind::Invalid,
            };
        }
        if cause.downcast_ref::<Refusal>().is_some()
            || cause.downcast_ref::<crate::period::PeriodError>().is_some()
        {
            return FailureKind::Invalid;
        }
    }
    FailureKind::Failed
}

/// A refusal a front end shows as it is (not a failure of the program).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// With `subjects.matching = "exact"` a subject is its address as written: there is
    /// nothing to review or decide, and a decision would change nothing.
    #[error("subjects.matching is \"exact\": subjects are keyed by the address as written, so there is nothing to review or decide (set subjects.matching = \"fuzzy\")")]
    ExactMatching,
}

/// Refuses subject review and decisions under exact matching: the one check behind the
/// command line and the console.
pub fn require_fuzzy(config: &Config) -> Result<(), Refusal> {
    if config.subjects.matching == crate::config::Matching::Exact {
        Err(Refusal::ExactMatching)
    } else {
        Ok(())
    }
}

/// The pairs of places an admin is asked about.
pub fn subject_suggestions(config: &Config) -> anyhow::Result<Vec<Suggestion>> {
    let store = grouped_store(config)?;
    Ok(decide::suggestions(&store)?)
}

/// Joins (`merge`) or keeps apart two subjects; returns the decision's id and the two.
pub fn decide_subjects(
    config: &Config,
    merge: bool,
    a: &str,
    b: &str,
) -> anyhow::Result<(i64, SubjectRef, SubjectRef)> {
    require_fuzzy(config)?;
    let store = placed_store(config)?;
    let (sa, sb) = (decide::resolve(&store, a)?, decide::resolve(&store, b)?);
    let action = if merge { "merge" } else { "separate" };
    let id = decide::decide(&store, action, &sa, &sb, clock::now(config))?;
    subjects::refresh(&store, config)?;
    Ok((id, sa, sb))
}

/// Where a subject stands on a day: its latest episode as of the day's end (None when none
/// of its orders counts by then) and, when that episode is a warning case, the case.
#[derive(Debug, Clone)]
pub struct SubjectToday {
    pub key: String,
    pub latest: Option<SubjectEpisode>,
    pub case: Option<WarningCase>,
}

/// What joining two subjects would make, worked out by making it: the decision recorded,
/// the subjects and the analysis made again, all in a transaction that is then rolled
/// back. With each side's orders and where each stands now.
#[derive(Debug, Clone)]
pub struct MergePreview {
    pub a: SubjectRef,
    pub b: SubjectRef,
    /// How many orders each side has over all time.
    pub count_a: usize,
    pub count_b: usize,
    /// Each side's latest `PAIR_ORDERS_SHOWN` orders, newest first.
    pub orders_a: Vec<(StoredOrder, Member)>,
    pub orders_b: Vec<(StoredOrder, Member)>,
    pub now_a: SubjectToday,
    pub now_b: SubjectToday,
    /// The subject the two make once joined.
    pub joined: SubjectToday,
    /// How many orders the joined subject has over all time.
    pub joined_orders: usize,
}

/// How many of each side's orders the review of a pair shows (the latest).
pub const PAIR_ORDERS_SHOWN: usize = 30;

/// What joining subjects `a` and `b` (keys or order ids) would make as of the end of `day`.
pub fn merge_preview(
    config: &Config,
    a: &str,
    b: &str,
    day: chrono::NaiveDate,
) -> anyhow::Result<MergePreview> {
    require_fuzzy(config)?;
    let store = placed_store(config)?;
    let (sa, sb) = (decide::resolve(&store, a)?, decide::resolve(&store, b)?);
    let orders_a = decide::members(&store, &sa)?;
    let orders_b = decide::members(&store, &sb)?;
    let as_of = AsOf::end_of_day(day);
    // Where a subject stands in the analysis made last on the store.
    let standing = |analysis: &Analysis, key: String| -> anyhow::Result<SubjectToday> {
        let latest = analysis
            .subjects()?
            .into_iter()
            .filter(|e| e.subject_key == key)
            .max_by_key(|e| e.episode_no);
        let case = match &latest {
            Some(e) => analysis
                .cases()?
                .into_iter()
                .find(|c| c.case_id == e.first_order_id),
            None => None,
        };
        Ok(SubjectToday { key, latest, case })
    };
    let analysis = Analysis::new(&store, config, as_of)?;
    let now_a = standing(&analysis, sa.key())?;
    let now_b = standing(&analysis, sb.key())?;
    let first = orders_a
        .iter()
        .chain(&orders_b)
        .min_by_key(|m| (m.received_at, m.order_id.clone()))
        .map(|m| m.order_id.clone());
    let (joined, joined_orders) = store.trial(
        |e| anyhow::anyhow!("cannot try the join: {e}"),
        || -> anyhow::Result<(SubjectToday, usize)> {
            decide::decide(&store, "merge", &sa, &sb, clock::now(config))?;
            subjects::refresh(&store, config)?;
            crate::analysis::orders_as_of(&store, config, AsOf::all_time())?;
            // The joined subject is the one the earliest order of either side is now in.
            let joined = match &first {
                Some(id) => decide::resolve(&store, id)?,
                None => sa.clone(),
            };
            let count = decide::members(&store, &joined)?.len();
            let analysis = Analysis::new(&store, config, as_of)?;
            Ok((standing(&analysis, joined.key())?, count))
        },
    )?;
    let latest = |members: Vec<Member>| -> anyhow::Result<Vec<(StoredOrder, Member)>> {
        let skip = members.len().saturating_sub(PAIR_ORDERS_SHOWN);
        let mut shown =
            casebook::orders_of_members(&store, members.into_iter().skip(skip).collect())
                .map_err(|e| anyhow::anyhow!("cannot read the orders of the pair: {e}"))?;
        shown.reverse();
        Ok(shown)
    };
    Ok(MergePreview {
        a: sa,
        b: sb,
        count_a: orders_a.len(),
        count_b: orders_b.len(),
        orders_a: latest(orders_a)?,
        orders_b: latest(orders_b)?,
        now_a,
        now_b,
        joined,
        joined_orders,
    })
}

pub fn subject_decisions(config: &Config) -> anyhow::Result<Vec<Decision>> {
    let store = Store::open(config)?;
    Ok(subjects::decisions(&store)?)
}

pub fn undo_subject_decision(config: &Config, id: i64) -> anyhow::Result<Decision> {
    require_fuzzy(config)?;
    let store = Store::open(config)?;
    let d = decide::undo(&store, id, clock::now(config))?;
    subjects::refresh(&store, config)?;
    Ok(d)
}

pub fn export_decisions(config: &Config) -> anyhow::Result<String> {
    let store = Store::open(config)?;
    Ok(decide::export(&store)?)
}

/// Takes decisions back from an exported file; returns how many were new.
pub fn import_decisions(config: &Config, text: &str) -> anyhow::Result<usize> {
    require_fuzzy(config)?;
    let store = grouped_store(config)?;
    let added = decide::import(&store, text, clock::now(config))?;
    subjects::refresh(&store, config)?;
    Ok(added)
}

// ---- What the console shows and records ----------------------------------------------

/// Appends an action to the audit log.
pub fn audit(
    config: &Config,
    user: &str,
    action: crate::codes::AuditAction,
    target: &str,
    detail: &str,
) -> anyhow::Result<()> {
    let store = Store::open(config)?;
    crate::audit::record(
        &store,
        clock::now(config),
        user,
        action.as_str(),
        target,
        detail,
    )
    .map_err(|e| anyhow::anyhow!("cannot write the audit log: {e}"))
}

/// The latest `limit` audit entries, newest first.
pub fn audit_log(config: &Config, limit: i64) -> anyhow::Result<Vec<crate::audit::AuditEntry>> {
    let store = Store::open(config)?;
    crate::audit::recent(&store, limit)
        .map_err(|e| anyhow::anyhow!("cannot read the audit log: {e}"))
}

/// Appends an entry to a case's handling record (处置记录); returns its id.
pub fn add_handling(
    config: &Config,
    case_id: &str,
    entry: &crate::handling::NewEntry,
    author: &str,
) -> anyhow::Result<i64> {
    let store = Store::open(config)?;
    crate::analysis::ensure_facts(&store, config)?;
    Ok(crate::handling::add(
        &store,
        case_id,
        config.rules.green,
        entry,
        author,
        clock::now(config),
    )?)
}

/// The report datasets of `window` the console draws (the same the PDFs are made from).
pub fn report_datasets(
    config: &Config,
    window: &Window,
    names: &[&str],
) -> anyhow::Result<std::collections::BTreeMap<&'static str, report::data::Dataset>> {
    let store = Store::open(config)?;
    report::datasets(&store, config, window, names)
        .map_err(|e| anyhow::anyhow!("cannot read the figures for {}: {e}", window.stem))
}

/// What is going on: the latest runs, each job's last run, the outbox, the current alerts.
/// `status` and the console's pages read this one answer.
pub struct Activity {
    /// The latest runs, newest first (as many as asked for).
    pub runs: Vec<Run>,
    /// The last run of every job that has run, by job name.
    pub last: Vec<Run>,
    /// The latest messages of the outbox (as many as asked for).
    pub outbox: Vec<outbox::Entry>,
    /// Messages queued, of them failed at least once, and sent.
    pub counts: (i64, i64, i64),
    pub alerts: Vec<AlertShown>,
}

/// What is wrong now, as a person reads it: in Chinese, with the technical detail (an
/// error as the library or the mail server wrote it) apart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AlertShown {
    pub text: String,
    pub detail: Option<String>,
}

pub fn activity(config: &Config, runs: i64, messages: i64) -> anyhow::Result<Activity> {
    let store = Store::open(config)?;
    let read = || -> duckdb::Result<Activity> {
        Ok(Activity {
            runs: history::recent(&store, runs)?,
            last: history::latest(&store)?,
            outbox: outbox::entries(&store, messages)?,
            counts: outbox::counts(&store)?,
            alerts: alerts_now(&store, config)?,
        })
    };
    read().map_err(|e| anyhow::anyhow!("cannot read the run history: {e}"))
}

/// What is wrong now (the alerts `status` lists), for a page that shows only those.
pub fn current_alerts(config: &Config) -> anyhow::Result<Vec<AlertShown>> {
    let store = Store::open(config)?;
    alerts_now(&store, config).map_err(|e| anyhow::anyhow!("cannot read the alerts: {e}"))
}

fn alerts_now(store: &Store, config: &Config) -> duckdb::Result<Vec<AlertShown>> {
    let (alerts, _) = alerts::collect(store, config, clock::now(config))?;
    Ok(alerts
        .into_iter()
        .map(|a| AlertShown {
            text: a.text,
            detail: a.detail,
        })
        .collect())
}

/// How fresh the stored data is: the newest order, the last load.
pub fn freshness(config: &Config) -> anyhow::Result<Freshness> {
    let store = Store::open(config)?;
    casebook::freshness(&store)
        .map_err(|e| anyhow::anyhow!("cannot read how fresh the data is: {e}"))
}

/// The archive's manifest: every archived file with when and why it was made.
pub fn archived(config: &Config) -> anyhow::Result<Vec<archive::Entry>> {
    archive::manifest(&config.archive_dir())
        .map_err(|e| anyhow::anyhow!("cannot read the archive's manifest: {e}"))
}

/// Every archived file checked against the manifest (a half-written one is removed).
pub fn verify_archive(config: &Config) -> anyhow::Result<Vec<(String, archive::Check)>> {
    archive::verify(&config.archive_dir())
        .map_err(|e| anyhow::anyhow!("cannot verify the archive: {e}"))
}

/// The archive's files with their verify state (ok, missing, changed, unrecorded).
pub fn archive_files(
    config: &Config,
) -> anyhow::Result<Vec<(Option<archive::Entry>, String, archive::Check)>> {
    let entries = archived(config)?;
    Ok(verify_archive(config)?
        .into_iter()
        .map(|(file, check)| {
            let entry = entries.iter().find(|e| e.file == file).cloned();
            (entry, file, check)
        })
        .collect())
}

/// The effective configuration as TOML with every secret (password hashes) hidden.
pub fn shown_config(config: &Config) -> String {
    let mut shown = config.clone();
    for user in &mut shown.web.users {
        if user.password_hash.is_some() {
            user.password_hash = Some("(已设置)".into());
        }
    }
    // A bot's address may hold its key or token in the query.
    if let Some(hook) = &mut shown.notify.webhook {
        if let Some((base, _)) = hook.url.split_once('?') {
            hook.url = format!("{base}?(已隐藏)");
        }
    }
    shown.to_toml()
}

/// Who a report job would go to with `dispatch` (for a confirmation before sending).
pub fn report_recipients(
    config: &Config,
    job: &ReportJob,
    dispatch: &Dispatch,
) -> anyhow::Result<Vec<String>> {
    recipients(config, job, dispatch)
}

/// A report's configured recipients, each with whether it has the report already (sent,
/// or waiting in the outbox).
pub fn report_recipients_standing(
    config: &Config,
    job: &ReportJob,
) -> anyhow::Result<Vec<(String, Option<crate::deliver::outbox::Standing>)>> {
    let to = recipients(config, job, &Dispatch::scheduled())?;
    let store = Store::open(config)?;
    to.into_iter()
        .map(|recipient| {
            let email = recipient
                .parse::<lettre::message::Mailbox>()
                .map(|m| m.email.to_string())
                .unwrap_or_else(|_| recipient.clone());
            let key = crate::deliver::outbox::Key {
                kind: job.name().as_str().into(),
                period: job.period(),
                recipient: email,
                preview: false,
            };
            let standing = crate::deliver::outbox::standing(&store, &key)?;
            Ok((recipient, standing))
        })
        .collect()
}
