//! The daemon: jobs fire once per scheduled instant (also in Asia/Shanghai), never overlap
//! themselves, finish when the daemon is stopped, catch up a missed run from the history at
//! start (once), and leave the database to CLI commands between runs.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    let seen: Arc<Mutex<Vec<NaiveDateTime>>> = Arc::default();
    let log = Arc::clone(&seen);
    let spec = JobSpec {
        name: "tick",
        cron: "*/2 * * * * *".into(),
        work: Arc::new(move |_, instant| {
            log.lock().unwrap().push(instant);
            Ok(Vec::new())
        }),
    };
    runtime().block_on(async {
        let runner = Runner::new(chrono_tz::Asia::Shanghai);
        let mut scheduler = schedule::schedule(std::slice::from_ref(&spec), &runner)
            .await
            .unwrap();
        scheduler.start().await.unwrap();
        tokio::time::sleep(Duration::from_millis(7_300)).await;
        runner.stop();
        scheduler.shutdown().await.unwrap();
        runner.idle().await;
        // A second firing for an instant already run is ignored.
        let last = *seen.lock().unwrap().last().unwrap();
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
    let seen = seen.lock().unwrap().clone();
    let instants: Vec<_> = seen[..seen.len() - 1].to_vec();
    assert!(instants.len() >= 3, "{instants:?}");
    for pair in instants.windows(2) {
        assert_eq!((pair[1] - pair[0]).num_seconds(), 2, "{instants:?}");
    }
    for t in &instants {
        assert_eq!(
            chrono::Timelike::second(t) % 2,
            0,
            "instants fall on the schedule: {t}"
        );
    }
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

#[test]
fn a_job_never_overlaps_itself() {
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let runs = Arc::new(AtomicUsize::new(0));
    let (r, m, n) = (Arc::clone(&running), Arc::clone(&most), Arc::clone(&runs));
    let spec = JobSpec {
        name: "slow",
        cron: "* * * * * *".into(),
        work: Arc::new(move |_, _| {
            let now = r.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2_500));
            r.fetch_sub(1, Ordering::SeqCst);
            n.fetch_add(1, Ordering::SeqCst);
            Ok(Vec::new())
        }),
    };
    runtime().block_on(async {
        let runner = Runner::new(chrono_tz::Asia::Shanghai);
        let mut scheduler = schedule::schedule(&[spec], &runner).await.unwrap();
        scheduler.start().await.unwrap();
        tokio::time::sleep(Duration::from_millis(6_500)).await;
        runner.stop();
        scheduler.shutdown().await.unwrap();
        runner.idle().await;
    });
    assert_eq!(most.load(Ordering::SeqCst), 1, "two runs overlapped");
    let n = runs.load(Ordering::SeqCst);
    assert!(
        (2..=3).contains(&n),
        "{n} runs in 6.5 s of a 2.5 s job ticking every second"
    );
}

#[test]
fn stopping_lets_the_job_in_flight_finish() {
    let started = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let (s, f) = (Arc::clone(&started), Arc::clone(&finished));
    let spec = JobSpec {
        name: "long",
        cron: "* * * * * *".into(),
        work: Arc::new(move |_, _| {
            s.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(1_500));
            f.fetch_add(1, Ordering::SeqCst);
            Ok(Vec::new())
        }),
    };
    runtime().block_on(async {
        let runner = Runner::new(chrono_tz::Asia::Shanghai);
        let mut scheduler = schedule::schedule(&[spec], &runner).await.unwrap();
        scheduler.start().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while started.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        runner.stop();
        scheduler.shutdown().await.unwrap();
        runner.idle().await;
    });
    assert_eq!(started.load(Ordering::SeqCst), 1);
    assert_eq!(finished.load(Ordering::SeqCst), 1, "the job was cut short");
}

/// The daemon as a child process.
fn serve(ws: &Workspace) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hotline-ledger"))
        .arg("--config")
        .arg(&ws.config_path)
        .arg("serve")
        .current_dir(ws.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// SIGTERM, then the exit status and output.
fn stop(child: Child) -> (Option<i32>, String) {
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn wait_until(what: &str, secs: u64, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
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
    let daemon = serve(&ws);
    wait_until("the caught-up reports", 60, || {
        expected.iter().all(|e| eml_files(&ws).contains(e))
    });
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
    let daemon = serve(&ws);
    std::thread::sleep(Duration::from_secs(3));
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
    wait_until("the daemon to load the inbox", 30, || {
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
