//! The daemon: jobs fire once per scheduled instant (also in Asia/Shanghai), never overlap
//! themselves, finish when the daemon is stopped, catch up a missed run from the history at
//! start (once), and leave the database to CLI commands between runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDateTime;
use hotline_ledger::history::Trigger;
use hotline_ledger::schedule::{self, Fired, JobSpec, Runner};

use crate::common::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_job_in_asia_shanghai_fires_once_per_scheduled_instant() {
    let (tx, fired) = mpsc::channel();
    let spec = JobSpec {
        name: "tick",
        cron: "*/2 * * * * *".into(),
        work: Arc::new(move |_, instant| {
            let _ = tx.send(instant);
            Ok(Vec::new())
        }),
    };
    let rt = runtime();
    let runner = Runner::new(chrono_tz::Asia::Shanghai);
    let mut scheduler = rt.block_on(async {
        let scheduler = schedule::schedule(std::slice::from_ref(&spec), &runner)
            .await
            .unwrap();
        scheduler.start().await.unwrap();
        scheduler
    });
    // Firings until four come at consecutive instants. Every firing is on the schedule and
    // for a later instant than the one before (no instant runs twice). A machine stalled
    // past a tick may miss it (the scheduler does not catch up), so a gap only restarts
    // the count; but the instants are counted, not the seconds waited.
    let mut instants: Vec<NaiveDateTime> = Vec::new();
    let mut consecutive = 1;
    while consecutive < 4 {
        let instant = fired
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no firing in {PATIENCE:?}; fired: {instants:?}"));
        assert_eq!(
            chrono::Timelike::second(&instant) % 2,
            0,
            "instants fall on the schedule: {instant}"
        );
        if let Some(last) = instants.last() {
            let gap = (instant - *last).num_seconds();
            assert!(
                gap >= 2 && gap % 2 == 0,
                "{instant} after {last}: {instants:?}"
            );
            consecutive = if gap == 2 { consecutive + 1 } else { 1 };
        }
        instants.push(instant);
    }
    rt.block_on(async {
        runner.stop();
        scheduler.shutdown().await.unwrap();
        runner.idle().await;
        // A second firing for an instant already run is ignored.
        let last = *instants.last().unwrap();
        let runner2 = Runner::new(chrono_tz::Asia::Shanghai);
        assert_eq!(
            runner2.fire(&spec, last, Trigger::Schedule).await,
            Fired::Ran
        );
        assert_eq!(
            runner2.fire(&spec, last, Trigger::Schedule).await,
            Fired::SkippedDuplicate
        );
    });
}

#[test]
fn a_late_firing_belongs_to_the_scheduled_second() {
    let spec = JobSpec {
        name: "tick",
        cron: "*/2 * * * * *".into(),
        work: Arc::new(|_, _| Ok(Vec::new())),
    };
    let runner = Runner::new(chrono_tz::Asia::Shanghai);
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let tick = NaiveDateTime::parse_from_str("2026-11-30 01:45:56", "%Y-%m-%d %H:%M:%S").unwrap();
    // Shanghai is UTC+8; firings late by a fraction of a second, or by a second.
    for late in [
        "2026-11-29T17:45:56.000Z",
        "2026-11-29T17:45:56.488Z",
        "2026-11-29T17:45:57.999Z",
    ] {
        assert_eq!(runner.instant_of(&spec, at(late)), tick, "{late}");
    }
}

/// The local time now in Asia/Shanghai, to the second (as the runner names instants).
fn shanghai_now() -> NaiveDateTime {
    let now = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .naive_local();
    chrono::Timelike::with_nanosecond(&now, 0).unwrap()
}

#[test]
fn a_job_never_overlaps_itself() {
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let runs = Arc::new(AtomicUsize::new(0));
    let (r, m, n) = (Arc::clone(&running), Arc::clone(&most), Arc::clone(&runs));
    // Each run says when it starts, then holds until the test lets it finish.
    let (started_tx, started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let spec = JobSpec {
        name: "slow",
        cron: "* * * * * *".into(),
        work: Arc::new(move |_, instant| {
            let now = r.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(now, Ordering::SeqCst);
            let _ = started_tx.send(instant);
            let _ = released.lock().unwrap().recv();
            r.fetch_sub(1, Ordering::SeqCst);
            n.fetch_add(1, Ordering::SeqCst);
            Ok(Vec::new())
        }),
    };
    // A witness on the same scheduler and schedule: each of its firings is a tick at which
    // the slow job was fired too.
    let (tick_tx, ticks) = mpsc::channel();
    let witness = tokio_cron_scheduler::Job::new_async_tz(
        "* * * * * *",
        chrono_tz::Asia::Shanghai,
        move |_, _| {
            let _ = tick_tx.send(shanghai_now());
            Box::pin(async {})
        },
    )
    .unwrap();
    let rt = runtime();
    let runner = Runner::new(chrono_tz::Asia::Shanghai);
    let mut scheduler = rt.block_on(async {
        let scheduler = schedule::schedule(&[spec], &runner).await.unwrap();
        scheduler.add(witness).await.unwrap();
        scheduler
    });
    rt.block_on(scheduler.start()).unwrap();
    let first = started.recv_timeout(PATIENCE).expect("a first run");
    // Ticks while the first run holds (the first may be the one that started it); each
    // fired the slow job again.
    while ticks.try_recv().is_ok() {}
    let held: Vec<NaiveDateTime> = (0..4)
        .map(|_| ticks.recv_timeout(PATIENCE).expect("a tick"))
        .collect();
    release.send(()).unwrap();
    let second = started.recv_timeout(PATIENCE).expect("a second run");
    // The ticks during the first run were skipped, not run once it finished.
    assert!(first < second, "{first} then {second}");
    assert!(
        second > held[1],
        "the run after {first} was for {second}, a tick while it ran ({held:?})"
    );
    rt.block_on(async {
        runner.stop();
        release.send(()).unwrap();
        scheduler.shutdown().await.unwrap();
        runner.idle().await;
    });
    assert_eq!(most.load(Ordering::SeqCst), 1, "two runs overlapped");
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[test]
fn stopping_lets_the_job_in_flight_finish() {
    let started = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let (s, f) = (Arc::clone(&started), Arc::clone(&finished));
    let (started_tx, started_rx) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let spec = JobSpec {
        name: "long",
        cron: "* * * * * *".into(),
        work: Arc::new(move |_, _| {
            s.fetch_add(1, Ordering::SeqCst);
            let _ = started_tx.send(());
            let _ = released.lock().unwrap().recv();
            f.fetch_add(1, Ordering::SeqCst);
            Ok(Vec::new())
        }),
    };
    let rt = runtime();
    let runner = Runner::new(chrono_tz::Asia::Shanghai);
    let mut scheduler = rt.block_on(async {
        let scheduler = schedule::schedule(&[spec], &runner).await.unwrap();
        scheduler.start().await.unwrap();
        scheduler
    });
    started_rx.recv_timeout(PATIENCE).expect("a run starts");
    rt.block_on(async {
        runner.stop();
        scheduler.shutdown().await.unwrap();
        // The run is held: waiting for the runner to be idle cannot end yet, however slow
        // the machine.
        assert!(
            tokio::time::timeout(Duration::from_millis(300), runner.idle())
                .await
                .is_err(),
            "idle while a job was in flight"
        );
        release.send(()).unwrap();
        tokio::time::timeout(PATIENCE, runner.idle())
            .await
            .expect("idle once the job finished");
    });
    assert_eq!(started.load(Ordering::SeqCst), 1);
    assert_eq!(finished.load(Ordering::SeqCst), 1, "the job was cut short");
}

/// The daemon as a child process, once it is serving (and listening for SIGTERM). At -v,
/// it says when its catch-up is done.
fn serve(ws: &Workspace) -> Spawned {
    let mut daemon = ws.spawn(&["-v", "serve"], &[]);
    daemon.wait_for(" serving ");
    daemon
}

/// SIGTERM, then the exit status and output.
fn stop(mut daemon: Spawned) -> (Option<i32>, String) {
    daemon.signal(libc::SIGTERM);
    let (status, output) = daemon.finish();
    (status.code(), output)
}

fn eml_files(ws: &Workspace) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.path("out/outbox"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_missed_weekly_and_monthly_run_is_caught_up_once_at_start() {
    let ws = Workspace::with_config(
        "[recipients]\nweekly = [\"captain@xingsha.example\"]\nmonthly = [\"captain@xingsha.example\"]\n\n[schedule]\ninbox = \"0 0 3 * * *\"\noutbox = \"0 0 3 * * *\"\n",
    );
    let config = ws.config();
    let now = hotline_ledger::clock::now(&config);
    let (week, _) = hotline_ledger::deliver::alerts::due_period(
        &config,
        hotline_ledger::codes::JobName::Weekly,
        now,
    )
    .unwrap();
    let (month, _) = hotline_ledger::deliver::alerts::due_period(
        &config,
        hotline_ledger::codes::JobName::Monthly,
        now,
    )
    .unwrap();
    let expected = [
        format!("{}-monthly-captain@xingsha.example.eml", month.stem()),
        format!("{}-weekly-captain@xingsha.example.eml", week.stem()),
    ];
    let mut daemon = serve(&ws);
    daemon.wait_for("catch-up done: 2 run(s)");
    assert!(
        expected.iter().all(|e| eml_files(&ws).contains(e)),
        "{:?}",
        eml_files(&ws)
    );
    let (code, out) = stop(daemon);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("catching up weekly {}", week.stem())),
        "{out}"
    );
    assert!(out.contains("stopped"), "{out}");
    assert!(ws
        .path(format!("out/{}-周报.pdf", week.stem()).as_str())
        .is_file());
    assert!(ws
        .path(
            format!(
                "archive/{}/{}-月度复盘.pdf",
                &month.stem()[..4],
                month.stem()
            )
            .as_str()
        )
        .is_file());
    assert_eq!(
        ws.count(&format!(
            "SELECT count(*) FROM job_runs WHERE job = 'weekly' AND period = '{}' AND trigger = 'catch-up' AND outcome = 'ok'",
            week.stem()
        )),
        1
    );
    // A restart finds the runs in the history: nothing is sent twice.
    let mut daemon = serve(&ws);
    daemon.wait_for("catch-up done: 0 run(s)");
    let (code, out) = stop(daemon);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("catching up"), "{out}");
    assert_eq!(eml_files(&ws).len(), 2);
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE job IN ('weekly', 'monthly')"),
        2
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE outcome = 'running'"),
        0
    );
}

#[test]
fn cli_commands_work_while_the_daemon_runs() {
    let ws = Workspace::with_config(
        "[schedule]\ninbox = \"*/2 * * * * *\"\noutbox = \"* * * * * *\"\ncatch_up = false\n",
    );
    let daemon = serve(&ws);
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    write_utf8(
        &inbox.join("drop.csv"),
        &[
            HEADER.to_vec(),
            order(
                "SV1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    wait_until("the daemon to load the inbox", || {
        inbox.join("processed/drop.csv").is_file()
    });
    for args in [
        vec!["status"],
        vec!["cases", "--as-of", "2025-01-31", "--format", "csv"],
        vec!["rejected"],
    ] {
        let out = ws.run(&args);
        assert_exit(&out, 0);
    }
    let out = ws.run(&["status"]);
    assert!(
        stdout(&out).contains("daemon: running (pid"),
        "{}",
        stdout(&out)
    );
    let file = ws.path("by-hand.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "SV2",
                "2025-01-04 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let (code, out) = stop(daemon);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);
    assert!(ws.count("SELECT count(*) FROM job_runs WHERE job = 'inbox' AND outcome = 'ok'") >= 1);
    let out = ws.run(&["status"]);
    assert!(stdout(&out).contains("daemon: not running"));
}
