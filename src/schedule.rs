//! The daemon (`serve`): jobs on tokio-cron-scheduler, cron expressions in the configured
//! time zone. Around the scheduler:
//! - a job never overlaps itself (a tick that finds it running is skipped), and a tick
//!   for an instant already run is ignored (a scheduler firing twice sends nothing twice);
//! - one job at a time holds the database, and only while it runs, so CLI commands work
//!   while the daemon is up;
//! - a weekly or monthly run missed while the daemon was down is caught up at start, from
//!   our own run history (the scheduler forgets everything at restart);
//! - Ctrl-C or SIGTERM stops new runs and waits for the one in flight.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::codes::JobName;
use crate::config::{parse_cron, Config};
use crate::deliver::alerts::due_period;
use crate::history::{self, Trigger};
use crate::jobs;
use crate::store::Store;

/// The work of a job: given what triggered it and its scheduled instant (local time).
pub type Work = Arc<dyn Fn(Trigger, NaiveDateTime) -> anyhow::Result<Vec<String>> + Send + Sync>;

/// A scheduled job.
#[derive(Clone)]
pub struct JobSpec {
    pub name: &'static str,
    pub cron: String,
    pub work: Work,
}

#[derive(Default)]
struct Guard {
    running: AtomicBool,
    last_instant: Mutex<Option<NaiveDateTime>>,
}

/// Runs jobs without overlap, once per instant, one at a time on the database.
#[derive(Clone)]
pub struct Runner {
    tz: Tz,
    database: Arc<Mutex<()>>,
    in_flight: Arc<AtomicUsize>,
    stopping: Arc<AtomicBool>,
    guards: Arc<Mutex<HashMap<&'static str, Arc<Guard>>>>,
}

/// What happened to one firing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fired {
    Ran,
    Failed(String),
    /// The same job was still running.
    SkippedBusy,
    /// This instant was already run (a duplicate firing).
    SkippedDuplicate,
    SkippedStopping,
}

impl Runner {
    pub fn new(tz: Tz) -> Runner {
        Runner {
            tz,
            database: Arc::new(Mutex::new(())),
            in_flight: Arc::new(AtomicUsize::new(0)),
            stopping: Arc::new(AtomicBool::new(false)),
            guards: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn guard(&self, name: &'static str) -> Arc<Guard> {
        let mut guards = self.guards.lock().expect("guard map");
        Arc::clone(guards.entry(name).or_default())
    }

    /// The scheduled instant a firing at `now` belongs to.
    pub fn instant_of(&self, spec: &JobSpec, now: DateTime<Utc>) -> NaiveDateTime {
        // Whole seconds: the occurrence search is inclusive, and a firing late by a fraction
        // of a second would otherwise be its own instant (and escape the duplicate check).
        let now = now.with_nanosecond(0).unwrap_or(now);
        let local = now.with_timezone(&self.tz);
        parse_cron(&spec.cron)
            .ok()
            .and_then(|c| c.find_previous_occurrence(&local, true).ok())
            .map(|t| t.naive_local())
            .unwrap_or_else(|| local.naive_local())
    }

    /// Runs `spec` for `instant` unless it is running or that instant was already run.
    pub async fn fire(&self, spec: &JobSpec, instant: NaiveDateTime, trigger: Trigger) -> Fired {
        if self.stopping.load(Ordering::SeqCst) {
            return Fired::SkippedStopping;
        }
        let guard = self.guard(spec.name);
        {
            let mut last = guard.last_instant.lock().expect("instant lock");
            if trigger == Trigger::Schedule && *last == Some(instant) {
                tracing::debug!(job = spec.name, %instant, "duplicate firing ignored");
                return Fired::SkippedDuplicate;
            }
            if guard.running.swap(true, Ordering::SeqCst) {
                tracing::warn!(job = spec.name, %instant, "still running: this run is skipped");
                return Fired::SkippedBusy;
            }
            if trigger == Trigger::Schedule {
                *last = Some(instant);
            }
        }
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let database = Arc::clone(&self.database);
        let work = Arc::clone(&spec.work);
        let name = spec.name;
        let result = tokio::task::spawn_blocking(move || {
            let _database = database.lock().unwrap_or_else(|p| p.into_inner());
            work(trigger, instant)
        })
        .await;
        guard.running.store(false, Ordering::SeqCst);
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let stamp = chrono::Utc::now()
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M:%S");
        match result {
            Ok(Ok(lines)) => {
                for line in lines {
                    println!("{stamp} [{name}] {line}");
                }
                Fired::Ran
            }
            Ok(Err(e)) => {
                eprintln!("{stamp} [{name}] failed: {e:#}");
                Fired::Failed(format!("{e:#}"))
            }
            Err(e) => {
                eprintln!("{stamp} [{name}] crashed: {e}");
                Fired::Failed(e.to_string())
            }
        }
    }

    /// Stops new runs.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Waits until no job is running.
    pub async fn idle(&self) {
        while self.in_flight.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Adds `specs` to a new scheduler driven through `runner`.
pub async fn schedule(specs: &[JobSpec], runner: &Runner) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new().await?;
    for spec in specs {
        let (cron, name) = (spec.cron.clone(), spec.name);
        let spec = spec.clone();
        let runner = runner.clone();
        let tz = runner.tz;
        let job = Job::new_async_tz(cron.as_str(), tz, move |_id, _lock| {
            let spec = spec.clone();
            let runner = runner.clone();
            Box::pin(async move {
                let instant = runner.instant_of(&spec, Utc::now());
                runner.fire(&spec, instant, Trigger::Schedule).await;
            })
        })
        .map_err(|e| anyhow::anyhow!("schedule for {name}: {e}"))?;
        scheduler.add(job).await?;
    }
    Ok(scheduler)
}

/// The daemon's jobs, from the config.
pub fn jobs(config: &Config) -> Vec<JobSpec> {
    let c = Arc::new(config.clone());
    let inbox = Arc::clone(&c);
    let weekly = Arc::clone(&c);
    let monthly = Arc::clone(&c);
    let outbox = Arc::clone(&c);
    vec![
        JobSpec {
            name: JobName::Inbox.as_str(),
            cron: config.schedule.inbox.clone(),
            work: Arc::new(move |trigger, _| {
                let outcome = jobs::ingest_inbox(&inbox, trigger, false, &mut |_| {})?;
                Ok(outcome
                    .ingested
                    .iter()
                    .map(|f| f.summary())
                    .chain(outcome.lines)
                    .chain(outcome.told)
                    .collect())
            }),
        },
        JobSpec {
            name: JobName::Weekly.as_str(),
            cron: config.schedule.weekly.clone(),
            work: Arc::new(move |trigger, instant| {
                jobs::run_due_report(&weekly, JobName::Weekly, instant, trigger)
            }),
        },
        JobSpec {
            name: JobName::Monthly.as_str(),
            cron: config.schedule.monthly.clone(),
            work: Arc::new(move |trigger, instant| {
                jobs::run_due_report(&monthly, JobName::Monthly, instant, trigger)
            }),
        },
        JobSpec {
            name: JobName::Outbox.as_str(),
            cron: config.schedule.outbox.clone(),
            work: Arc::new(move |trigger, _| {
                jobs::retry_outbox(&outbox, trigger, false).map(|o| o.lines)
            }),
        },
    ]
}

/// Runs the weekly and monthly jobs whose latest scheduled run is missing from the history.
pub async fn catch_up(
    config: &Config,
    specs: &[JobSpec],
    runner: &Runner,
) -> anyhow::Result<Vec<String>> {
    let now = crate::clock::now(config);
    let mut due = Vec::new();
    {
        let store = Store::open(config)?;
        for job in [JobName::Weekly, JobName::Monthly] {
            if let Some((period, instant)) = due_period(config, job, now) {
                if history::last_ok(&store, job, &period.stem())?.is_none() {
                    due.push((job.as_str(), instant, period));
                }
            }
        }
    }
    let mut lines = Vec::new();
    for (name, instant, period) in due {
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            continue;
        };
        lines.push(format!("catching up {name} {period} (due {instant})"));
        runner.fire(spec, instant, Trigger::CatchUp).await;
    }
    Ok(lines)
}

/// The next scheduled times of the daemon's jobs, from now.
pub fn next_runs(config: &Config) -> Vec<(&'static str, String, Option<NaiveDateTime>)> {
    let tz = config.tz();
    let now = Utc::now().with_timezone(&tz);
    JobName::SCHEDULED
        .into_iter()
        .map(|job| (job.as_str(), config.schedule.cron_of(job)))
        .map(|(name, expr)| {
            let next = parse_cron(expr)
                .ok()
                .and_then(|c| c.find_next_occurrence(&now, false).ok())
                .map(|t| t.naive_local());
            (name, expr.clone(), next)
        })
        .collect()
}

/// The file that says a daemon is running, beside the database.
pub fn pid_file(config: &Config) -> PathBuf {
    let mut p = config.database_path().into_os_string();
    p.push(".serve.pid");
    PathBuf::from(p)
}

/// The pid of a running daemon, if one is.
pub fn running_daemon(config: &Config) -> Option<u32> {
    let text = std::fs::read_to_string(pid_file(config)).ok()?;
    let pid: u32 = text.trim().parse().ok()?;
    PathBuf::from(format!("/proc/{pid}"))
        .exists()
        .then_some(pid)
}

/// Runs the daemon until Ctrl-C or SIGTERM.
pub fn serve(config: &Config) -> anyhow::Result<()> {
    if let Some(pid) = running_daemon(config) {
        anyhow::bail!(
            "a daemon is already running for {} (pid {pid})",
            config.database_path().display()
        );
    }
    let pid_path = pid_file(config);
    if let Some(dir) = pid_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&pid_path, std::process::id().to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(config));
    let _ = std::fs::remove_file(&pid_path);
    result
}

async fn run(config: &Config) -> anyhow::Result<()> {
    // Listening first: a SIGTERM that arrives while the daemon starts stops it in order too.
    let stop_signal = crate::shutdown::StopSignal::listen();
    let tz = config.tz();
    let runner = Runner::new(tz);
    let specs = jobs(config);
    let mut scheduler = schedule(&specs, &runner).await?;
    scheduler.start().await?;
    let stamp = || Utc::now().with_timezone(&tz).format("%Y-%m-%d %H:%M:%S");
    println!(
        "{} serving {} ({})",
        stamp(),
        config.database_path().display(),
        tz
    );
    for (name, expr, next) in next_runs(config) {
        let next = next
            .map(|t| t.to_string())
            .unwrap_or_else(|| "never".into());
        println!("{} job {name}: \"{expr}\", next at {next}", stamp());
    }
    {
        // The console shares the daemon's hold on the database; a console that cannot
        // listen is reported and the schedule goes on without it.
        let (cfg, database) = (config.clone(), runner.database.clone());
        let scheme = if config.web.tls() { "https" } else { "http" };
        tokio::spawn(async move {
            let served = crate::web::serve(cfg, database, crate::shutdown::stop_signal(), |addr| {
                println!("web console: {scheme}://{addr}/")
            });
            if let Err(e) = served.await {
                eprintln!("{e:#}; the daemon goes on without the console");
            }
        });
    }
    if config.schedule.catch_up {
        let (cfg, specs, runner) = (config.clone(), specs.clone(), runner.clone());
        tokio::spawn(async move {
            match catch_up(&cfg, &specs, &runner).await {
                Ok(lines) => {
                    lines.iter().for_each(|l| println!("{l}"));
                    tracing::info!("catch-up done: {} run(s)", lines.len());
                }
                Err(e) => eprintln!("catch-up failed: {e:#}"),
            }
        });
    }
    stop_signal.wait().await;
    println!(
        "{} stopping: waiting for the job in flight to finish",
        stamp()
    );
    runner.stop();
    scheduler.shutdown().await?;
    runner.idle().await;
    println!("{} stopped", stamp());
    Ok(())
}

/// A local time in the configured zone as an instant (for tests and status).
pub fn local_instant(tz: Tz, t: NaiveDateTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&t).earliest()
}
