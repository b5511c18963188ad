//! The benchmark: generates realistic exports, then measures each step in a child process
//! of its own (wall time and peak resident memory), with the floors we cannot beat beside
//! them: DuckDB's own `read_csv` on the same CSV and calamine's bare parse of the same xlsx
//! and .xls.
//!
//!     cargo run --release --example bench -- [--rows N] [--xlsx-rows N] [--xls-rows N] [--dir DIR] [--repeat N]
//!
//! Each step runs `--repeat` times (default 3) and the fastest run is shown, with the highest
//! peak memory of all runs: on a shared machine the fastest run is the one least disturbed.
//!
//! Prints one table. Generated files are kept in DIR (default target/bench-data) and reused
//! when their size matches, so a second run measures without regenerating.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hotline_ledger::analysis::AsOf;
use hotline_ledger::config::Config;
use hotline_ledger::generate::{self, Dialect};
use hotline_ledger::ingest::{Ingester, Outcome};
use hotline_ledger::store::Store;

struct Options {
    rows: usize,
    xlsx_rows: usize,
    xls_rows: usize,
    weekly_rows: usize,
    dir: PathBuf,
    repeat: usize,
}

/// An .xls (BIFF8) sheet has at most 65,536 rows: the title, the header and 65,534 orders.
const XLS_MAX_ORDERS: usize = 65_534;

fn options() -> Options {
    let mut o = Options {
        rows: 1_000_000,
        xlsx_rows: 200_000,
        xls_rows: XLS_MAX_ORDERS,
        weekly_rows: 20_000,
        dir: PathBuf::from("target/bench-data"),
        repeat: 3,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--rows" => o.rows = value.parse().expect("--rows N"),
            "--xlsx-rows" => o.xlsx_rows = value.parse().expect("--xlsx-rows N"),
            "--xls-rows" => {
                o.xls_rows = value.parse().expect("--xls-rows N");
                assert!(
                    o.xls_rows <= XLS_MAX_ORDERS,
                    "an .xls sheet holds at most {XLS_MAX_ORDERS} orders below its title and header"
                );
            }
            "--weekly-rows" => o.weekly_rows = value.parse().expect("--weekly-rows N"),
            "--dir" => o.dir = PathBuf::from(value),
            "--repeat" => o.repeat = value.parse().expect("--repeat N"),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    o
}

/// A measured step.
struct Figure {
    step: String,
    seconds: f64,
    peak_mb: f64,
    rows: Option<u64>,
    note: String,
    targets: Vec<Target>,
}

/// A limit a figure must stay within: `value` and `limit` in `unit`.
struct Target {
    value: f64,
    limit: f64,
    unit: &'static str,
}

fn within(value: f64, limit: f64, unit: &'static str) -> Target {
    Target { value, limit, unit }
}

/// Runs this program as a child doing one step; returns wall time, peak RSS and stdout.
fn child(args: &[&str]) -> (Duration, f64, String) {
    let exe = std::env::current_exe().expect("own path");
    let started = Instant::now();
    // Reaped below by wait4, which (unlike Child::wait) reports the child's own peak RSS.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(exe)
        .arg("--child")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("child starts");
    // Read the output first, so a child that prints much never blocks on a full pipe.
    let mut output = String::new();
    if let Some(mut out) = child.stdout.take() {
        use std::io::Read;
        let _ = out.read_to_string(&mut output);
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(waited, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "step {args:?} failed: {output}"
    );
    // The child's own VmHWM: ru_maxrss would start from this process's peak.
    let mut peak = usage.ru_maxrss as f64 / 1024.0;
    let mut rest = String::new();
    for line in output.lines() {
        match line.strip_prefix("VmHWM ") {
            Some(kb) => peak = kb.trim().parse::<f64>().unwrap_or(0.0) / 1024.0,
            None => {
                rest.push_str(line);
                rest.push('\n');
            }
        }
    }
    (elapsed, peak, rest)
}

/// Runs a step `repeat` times; returns the fastest run, with the highest peak of all runs.
fn best(
    repeat: usize,
    mut run: impl FnMut() -> (Duration, f64, String),
) -> (Duration, f64, String) {
    let mut fastest: Option<(Duration, f64, String)> = None;
    let mut peak = 0.0f64;
    for _ in 0..repeat.max(1) {
        let r = run();
        peak = peak.max(r.1);
        if fastest.as_ref().is_none_or(|f| r.0 < f.0) {
            fastest = Some(r);
        }
    }
    let (t, _, out) = fastest.expect("at least one run");
    (t, peak, out)
}

/// This process's peak resident memory, in KB.
fn own_peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn config_for(db: &Path) -> Config {
    config_matching(db, "fuzzy")
}

fn config_matching(db: &Path, matching: &str) -> Config {
    let text = format!(
        // The ingest steps measure loading: the warnings an ingest sends are not theirs.
        "[paths]\ndatabase = \"{}\"\n[subjects]\nmatching = \"{matching}\"\n[notify]\nenabled = false\n",
        db.display()
    );
    Config::parse(&text, "bench", Path::new("/")).expect("bench config")
}

/// The steps run in a child.
fn run_child(args: &[String]) {
    let step = args[0].as_str();
    match step {
        "ingest" => {
            let config = config_for(Path::new(&args[1]));
            let store = Store::open(&config).expect("store");
            let ingester = Ingester::new(&store, &config);
            let mut rows = 0;
            for file in &args[2..] {
                match ingester.ingest_file(Path::new(file)).expect("ingest") {
                    Outcome::Loaded(s) => rows += s.read.rows_read,
                    Outcome::AlreadyIngested { .. } => panic!("{file} was already ingested"),
                }
            }
            println!("{rows}");
        }
        // bench --child regroup DB: the whole subjects map made again.
        "regroup" => {
            let config = config_for(Path::new(&args[1]));
            let store = Store::open(&config).expect("store");
            let done = hotline_ledger::subjects::rebuild_all(&store, &config).expect("regroup");
            println!("{} {}", done.addresses, done.subjects);
        }
        // bench --child weekly DB FILE: an export loaded as `ingest` loads it, its new
        // addresses placed in subjects.
        "weekly" => {
            let config = config_for(Path::new(&args[1]));
            let outcomes = hotline_ledger::jobs::ingest_files(
                &config,
                &[PathBuf::from(&args[2])],
                false,
                false,
                &mut |_| {},
            )
            .expect("ingest")
            .ingested;
            let rows = match outcomes.first() {
                Some(hotline_ledger::ingest::batch::FileOutcome::Ingested { result, .. }) => {
                    match result.as_ref() {
                        Ok(Outcome::Loaded(s)) => s.read.rows_read,
                        other => panic!("{} was not loaded: {other:?}", args[2]),
                    }
                }
                other => panic!("{} was not loaded: {other:?}", args[2]),
            };
            let store = Store::open(&config).expect("store");
            let placed = hotline_ledger::subjects::refresh(&store, &config).expect("placed");
            assert!(placed.is_none(), "ingest left orders unplaced");
            println!("{rows}");
        }
        "cases" | "cases-exact" => {
            let matching = if step == "cases" { "fuzzy" } else { "exact" };
            let config = config_matching(Path::new(&args[1]), matching);
            let day: NaiveDate = args[2].parse().expect("day");
            // As `hotline-ledger cases --format csv` works them out: the analysis, the
            // cases and the references it ignored, from the database's opening.
            let started = Instant::now();
            let list = hotline_ledger::jobs::list_cases(
                &config,
                AsOf::end_of_day(day),
                Default::default(),
                false,
            )
            .expect("cases");
            println!(
                "{} {:.3}",
                list.cases.len(),
                started.elapsed().as_secs_f64()
            );
        }
        // bench --child facts DB MATCHING: the stored facts made again, as the first
        // analysis after a load or a change of rules makes them.
        "facts" => {
            let config = config_matching(Path::new(&args[1]), &args[2]);
            let store = Store::open(&config).expect("store");
            store
                .conn()
                .execute(
                    "DELETE FROM store_settings WHERE key = 'analysis_facts'",
                    [],
                )
                .expect("facts forgotten");
            let started = Instant::now();
            hotline_ledger::analysis::ensure_facts(&store, &config).expect("facts");
            println!("{:.3}", started.elapsed().as_secs_f64());
        }
        "read-csv" => {
            let conn = duckdb::Connection::open(&args[2]).expect("db");
            let sql = format!(
                "CREATE TABLE plain AS SELECT * FROM read_csv('{}', skip = 1, header = true, \
                 columns = {{'序号': 'BIGINT', '编号': 'VARCHAR', '登记时间': 'TIMESTAMP', \
                 '问题分类': 'VARCHAR', '地址': 'VARCHAR', '渠道': 'VARCHAR', '所属街道': 'VARCHAR', \
                 '所属社区': 'VARCHAR', '来电内容': 'VARCHAR', '来电人': 'VARCHAR', \
                 '联系电话': 'VARCHAR', '责任单位': 'VARCHAR', '办理状态': 'VARCHAR', \
                 '办结时间': 'TIMESTAMP', '重复工单号': 'VARCHAR'}})",
                args[1].replace('\'', "''")
            );
            conn.execute_batch(&sql).expect("read_csv");
            let n: i64 = conn
                .query_row("SELECT count(*) FROM plain", [], |r| r.get(0))
                .expect("count");
            println!("{n}");
        }
        "calamine-xls" => {
            use calamine::Reader;
            let mut wb: calamine::Xls<_> = calamine::open_workbook(&args[1]).expect("xls");
            let sheet = wb.sheet_names()[0].clone();
            let range = wb.worksheet_range(&sheet).expect("sheet");
            let rows = range
                .rows()
                .filter(|r| r.iter().any(|c| !matches!(c, calamine::Data::Empty)))
                .count();
            println!("{rows}");
        }
        "calamine" => {
            use calamine::Reader;
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&args[1]).expect("xlsx");
            let sheet = wb.sheet_names()[0].clone();
            let mut cells = wb.worksheet_cells_reader(&sheet).expect("sheet");
            let mut last_row = None;
            let mut rows = 0u64;
            while let Some(cell) = cells.next_cell().expect("cell") {
                let r = cell.get_position().0;
                if last_row != Some(r) {
                    rows += 1;
                    last_row = Some(r);
                }
            }
            println!("{rows}");
        }
        // Times each statement of a SQL script against a database, for profiling:
        // bench --child sql DB SCRIPT
        "sql" => {
            let config = config_for(Path::new(&args[1]));
            let store = Store::open(&config).expect("store");
            let script = std::fs::read_to_string(&args[2]).expect("script");
            for statement in script.split(";\n").filter(|s| !s.trim().is_empty()) {
                let started = Instant::now();
                let mut stmt = store.conn().prepare(statement).expect("prepare");
                let mut rows = stmt.query([]).expect("query");
                let mut n = 0;
                let mut first_row = String::new();
                while let Some(row) = rows.next().expect("row") {
                    if n == 0 {
                        for i in 0..row.as_ref().column_count().min(4) {
                            let v: duckdb::types::Value = row.get(i).expect("value");
                            first_row.push_str(&format!("{v:?} "));
                        }
                    }
                    n += 1;
                }
                let first = statement.trim().lines().last().unwrap_or_default();
                eprintln!(
                    "{:>8.3} s  {n:>8} rows  {first}  [{first_row}]",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        // bench --child report DB KIND PERIOD: one report end to end (query + render + write).
        "report" => {
            use hotline_ledger::period::Period;
            use hotline_ledger::report::{self, ReportKind, Window};
            let mut config = config_for(Path::new(&args[1]));
            config.paths.out = Path::new(&args[1]).with_extension("out");
            let mut store = Store::open(&config).expect("store");
            let (kind, window) = match args[2].as_str() {
                "weekly" => (
                    ReportKind::Weekly,
                    Window::week(Period::parse_week(&args[3]).expect("week")),
                ),
                "monthly" => (
                    ReportKind::Monthly,
                    Window::month(Period::parse_month(&args[3]).expect("month")),
                ),
                _ => (
                    ReportKind::Ledger,
                    Window::as_of_day(args[3].parse().expect("day")),
                ),
            };
            let written =
                report::render_to_file(&mut store, &config, kind, &window, Default::default())
                    .expect("report");
            println!(
                "{} {} {}",
                written.document.pages,
                written.document.bytes.len(),
                written
                    .document
                    .context
                    .get("ledger_cases")
                    .map(|v| v.as_i64())
                    .unwrap_or(0)
            );
        }
        // bench --child console DB: the console's pages over HTTP on a loopback port, each
        // the first time (the cases as of the day worked out) and again (kept).
        "console" => {
            let config = config_for(Path::new(&args[1]));
            let timings = console_pages(config);
            let shown: Vec<String> = timings.iter().map(|t| format!("{t:.4}")).collect();
            println!("{}", shown.join(" "));
        }
        "generate" => {
            let rows: usize = args[1].parse().expect("rows");
            let xlsx_rows: usize = args[2].parse().expect("xlsx rows");
            let weekly_rows: usize = args[3].parse().expect("weekly rows");
            generate_data(rows, xlsx_rows, weekly_rows, Path::new(&args[4]));
            let xls_rows: usize = args[5].parse().expect("xls rows");
            if let Err(why) = generate_xls(xls_rows, Path::new(&args[4])) {
                eprintln!("{why}");
            }
        }
        other => panic!("unknown step {other}"),
    }
}

/// One GET over a fresh connection; returns the seconds to the last byte and the body.
fn http_get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> (f64, String) {
    use std::io::{Read, Write};
    let started = Instant::now();
    let mut stream = std::net::TcpStream::connect(addr).expect("console connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("reply");
    let seconds = started.elapsed().as_secs_f64();
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "GET {path}: {}",
        reply.lines().next().unwrap_or_default()
    );
    (seconds, reply)
}

/// Times the console's case list, a case page and the overview, as a logged-in admin
/// would open them: [list first, list again, case first, case again, the same for a red
/// case of median size, overview first, overview again]. The cases are as of the bench data's last day.
fn console_pages(mut config: Config) -> Vec<f64> {
    use hotline_ledger::config::Role;
    use hotline_ledger::web::{self, Console};
    config.web.listen = "127.0.0.1:0".into();
    // The red case of median size (the list's first is the largest), found beforehand.
    let red = hotline_ledger::jobs::list_cases(
        &config,
        AsOf::end_of_day(NaiveDate::from_ymd_opt(2025, 12, 31).expect("day")),
        hotline_ledger::jobs::CaseFilter {
            tier: Some(hotline_ledger::codes::Tier::Red),
            status: None,
        },
        false,
    )
    .expect("red cases");
    let mut red: Vec<(i64, String)> = red
        .cases
        .into_iter()
        .map(|c| (c.count, c.case_id))
        .collect();
    red.sort();
    let typical = red[red.len() / 2].1.clone();
    let console = Console::new(config, Default::default()).expect("console");
    let state = std::sync::Arc::new(console);
    let cookie = format!(
        "{}={}",
        web::auth::SESSION_COOKIE,
        state.sessions.open("bench", Role::Admin, None)
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("port");
    let addr = listener.local_addr().expect("address");
    runtime.spawn(async move { axum::serve(listener, web::router(state)).await });
    let day = "as_of=2025-12-31";
    let (list_first, body) = http_get(addr, &format!("/cases?{day}&tier=red"), &cookie);
    let (list_again, _) = http_get(addr, &format!("/cases?{day}&tier=red"), &cookie);
    let case = body
        .split("href=\"/cases/")
        .nth(1)
        .and_then(|rest| rest.split(['"', '?']).next())
        .expect("a red case on the list")
        .to_string();
    let (case_first, _) = http_get(addr, &format!("/cases/{case}?{day}"), &cookie);
    let (case_again, _) = http_get(addr, &format!("/cases/{case}?{day}"), &cookie);
    let (typical_first, _) = http_get(addr, &format!("/cases/{typical}?{day}"), &cookie);
    let (typical_again, _) = http_get(addr, &format!("/cases/{typical}?{day}"), &cookie);
    let (overview_first, _) = http_get(addr, &format!("/?{day}"), &cookie);
    let (overview_again, _) = http_get(addr, &format!("/?{day}"), &cookie);
    vec![
        list_first,
        list_again,
        case_first,
        case_again,
        typical_first,
        typical_again,
        overview_first,
        overview_again,
    ]
}

/// Writes a generated export unless a file of that name already exists.
fn ensure(path: &Path, dialect: Dialect, orders: &[generate::Order]) {
    if !path.exists() {
        generate::write(path, dialect, Some("长沙县12345热线工单导出"), orders).expect("write");
    }
}

/// Writes the benchmark's exports into `dir`, keeping files that already exist.
fn generate_data(rows: usize, xlsx_rows: usize, weekly_rows: usize, dir: &Path) {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let utf8 = dir.join(format!("{rows}-utf8.csv"));
    let gbk = dir.join(format!("{rows}-gbk.csv"));
    let xlsx = dir.join(format!("{xlsx_rows}.xlsx"));
    let weekly = dir.join(format!("{weekly_rows}-weekly.csv"));
    if !utf8.exists() || !gbk.exists() || !weekly.exists() {
        let orders = generate::bulk(rows, 42, start, 365);
        ensure(&utf8, Dialect::CsvUtf8, &orders);
        ensure(&gbk, Dialect::CsvGbk, &orders);
        // The weekly export: the last weeks' orders again (mostly known, statuses moved on)
        // plus a few new ones.
        if !weekly.exists() {
            let known = weekly_rows * 9 / 10;
            let mut week: Vec<generate::Order> = orders[orders.len() - known..]
                .iter()
                .cloned()
                .map(|mut x| {
                    if x.closed_at.is_none() {
                        x.status = "已办结".into();
                        x.closed_at = x.received_at.map(|t| t + chrono::Duration::days(3));
                    }
                    x
                })
                .collect();
            let fresh = generate::bulk(
                weekly_rows - known,
                7,
                start + chrono::Duration::days(365),
                7,
            );
            week.extend(fresh.into_iter().map(|mut x| {
                x.id = format!("NEW{}", x.id);
                x
            }));
            ensure(&weekly, Dialect::CsvUtf8, &week);
        }
    }
    if !xlsx.exists() {
        let orders = generate::bulk(xlsx_rows, 43, start, 365);
        ensure(&xlsx, Dialect::Xlsx, &orders);
    }
    let ledger = dir.join("2000-cases.csv");
    if !ledger.exists() {
        ensure(&ledger, Dialect::CsvUtf8, &ledger_cases(2000));
    }
}

/// Writes `{rows}.xls` into `dir` (unless it exists) by having LibreOffice Calc save a
/// generated CSV export as .xls, as an office does: no Rust crate writes BIFF8. Says why
/// when it cannot.
fn generate_xls(rows: usize, dir: &Path) -> Result<(), String> {
    let xls = dir.join(format!("{rows}.xls"));
    if xls.exists() {
        return Ok(());
    }
    let csv = dir.join(format!("{rows}.csv"));
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    ensure(
        &csv,
        Dialect::CsvUtf8,
        &generate::bulk(rows, 44, start, 365),
    );
    // UTF-8 (76), zh-CN (2052), numbers and dates detected: ids, phones and times become
    // number and date cells.
    let saved = Command::new("soffice")
        .args([
            "--headless",
            "--infilter=CSV:44,34,76,1,,2052,false,true",
            "--convert-to",
            "xls",
            "--outdir",
        ])
        .arg(dir)
        .arg(&csv)
        .output();
    match saved {
        Ok(out) if out.status.success() && xls.exists() => Ok(()),
        Ok(out) => Err(format!(
            "LibreOffice could not save {} as .xls: {}",
            csv.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!(
            "no .xls to measure: LibreOffice Calc (soffice) writes it from a generated CSV, and it cannot be run here ({e})"
        )),
    }
}

/// `cases` subjects of five or more complaints in January 2025, each with one order open:
/// a ledger as of 2025-02-28 lists every one of them.
fn ledger_cases(cases: usize) -> Vec<generate::Order> {
    let mut out = Vec::new();
    for s in 0..cases {
        let n = 5 + if s % 7 == 0 { 7 } else { 0 } + if s % 31 == 0 { 12 } else { 0 };
        for k in 0..n {
            let at = NaiveDate::from_ymd_opt(2025, 1, 1 + (s % 28) as u32)
                .expect("date")
                .and_hms_opt((k % 24) as u32, ((s * 7) % 60) as u32, 0)
                .expect("time");
            out.push(generate::Order {
                id: format!("L{s:05}-{k:02}"),
                received_at: Some(at),
                category: ["噪音扰民", "占道经营", "餐饮油烟", "违章建筑"][s % 4].into(),
                address: format!("星沙街道开元东路{s}号某某商场"),
                channel: "12345热线".into(),
                caller_phone: format!("139{s:04}{k:04}"),
                status: if k == 0 { "处理中" } else { "已办结" }.into(),
                closed_at: (k > 0).then(|| at + chrono::Duration::days(2)),
                ..Default::default()
            });
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        // RUST_LOG=hotline_ledger=debug shows where a step's time goes.
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
        run_child(&args[1..]);
        println!("VmHWM {}", own_peak_kb());
        return;
    }
    let o = options();
    std::fs::create_dir_all(&o.dir).expect("bench dir");
    let dir = std::fs::canonicalize(&o.dir).expect("bench dir");
    eprintln!("generating data in {} ...", dir.display());
    let utf8 = dir.join(format!("{}-utf8.csv", o.rows));
    let gbk = dir.join(format!("{}-gbk.csv", o.rows));
    let xlsx = dir.join(format!("{}.xlsx", o.xlsx_rows));
    let xls = dir.join(format!("{}.xls", o.xls_rows));
    let weekly = dir.join(format!("{}-weekly.csv", o.weekly_rows));
    // Generated in a child, so that this process stays small: a child's peak memory
    // starts from its parent's at fork.
    child(&[
        "generate",
        &o.rows.to_string(),
        &o.xlsx_rows.to_string(),
        &o.weekly_rows.to_string(),
        &dir.display().to_string(),
        &o.xls_rows.to_string(),
    ]);

    let mut figures: Vec<Figure> = Vec::new();
    let fresh_db = |name: &str| -> String {
        let db = dir.join(name);
        let _ = std::fs::remove_file(&db);
        let _ = std::fs::remove_file(dir.join(format!("{name}.wal")));
        db.display().to_string()
    };
    let mb = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };

    eprintln!("measuring ...");
    let (t, peak, out) = best(o.repeat, || {
        let db = fresh_db("floor-read-csv.duckdb");
        child(&["read-csv", &utf8.display().to_string(), &db])
    });
    let floor_csv = t.as_secs_f64();
    figures.push(Figure {
        step: "floor: DuckDB read_csv, UTF-8 CSV".into(),
        seconds: floor_csv,
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: format!("{:.0} MB file, explicit column types", mb(&utf8)),
        targets: Vec::new(),
    });

    let db = dir.join("utf8.duckdb").display().to_string();
    let (t, peak, out) = best(o.repeat, || {
        let db = fresh_db("utf8.duckdb");
        child(&["ingest", &db, &utf8.display().to_string()])
    });
    figures.push(Figure {
        step: "ingest UTF-8 CSV".into(),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: format!(
            "{:.2}x read_csv (target <= 2x); peak target < 300 MB",
            t.as_secs_f64() / floor_csv
        ),
        targets: vec![
            within(t.as_secs_f64() / floor_csv, 2.0, "x read_csv"),
            within(peak, 300.0, "MB peak"),
        ],
    });

    let (t, peak, out) = best(o.repeat, || {
        let db_gbk = fresh_db("gbk.duckdb");
        child(&["ingest", &db_gbk, &gbk.display().to_string()])
    });
    figures.push(Figure {
        step: "ingest GBK CSV".into(),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: format!("{:.0} MB file", mb(&gbk)),
        targets: Vec::new(),
    });

    let (t, peak, out) = best(o.repeat, || {
        child(&["calamine", &xlsx.display().to_string()])
    });
    let floor_xlsx = t.as_secs_f64();
    figures.push(Figure {
        step: "floor: calamine bare parse, xlsx".into(),
        seconds: floor_xlsx,
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: format!("{:.0} MB file", mb(&xlsx)),
        targets: Vec::new(),
    });
    let (t, peak, out) = best(o.repeat, || {
        let db_x = fresh_db("xlsx.duckdb");
        child(&["ingest", &db_x, &xlsx.display().to_string()])
    });
    figures.push(Figure {
        step: "ingest xlsx".into(),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: format!(
            "{:.2}x calamine (target <= 1.3x)",
            t.as_secs_f64() / floor_xlsx
        ),
        targets: vec![within(t.as_secs_f64() / floor_xlsx, 1.3, "x calamine")],
    });

    if xls.exists() {
        let (t, peak, out) = best(o.repeat, || {
            child(&["calamine-xls", &xls.display().to_string()])
        });
        let floor_xls = t.as_secs_f64();
        figures.push(Figure {
            step: "floor: calamine bare parse, xls".into(),
            seconds: floor_xls,
            peak_mb: peak,
            rows: out.trim().parse().ok(),
            note: format!("{:.0} MB file, saved by LibreOffice Calc", mb(&xls)),
            targets: Vec::new(),
        });
        let (t, peak, out) = best(o.repeat, || {
            let db_x = fresh_db("xls.duckdb");
            child(&["ingest", &db_x, &xls.display().to_string()])
        });
        figures.push(Figure {
            step: "ingest xls".into(),
            seconds: t.as_secs_f64(),
            peak_mb: peak,
            rows: out.trim().parse().ok(),
            note: format!(
                "{:.2}x calamine (target <= 1.5x); {} orders (an .xls sheet holds {XLS_MAX_ORDERS} at most)",
                t.as_secs_f64() / floor_xls,
                o.xls_rows
            ),
            targets: vec![within(t.as_secs_f64() / floor_xls, 1.5, "x calamine")],
        });
    } else {
        eprintln!(
            "the .xls rows are skipped: {} was not made (LibreOffice Calc saves it; see above)",
            xls.display()
        );
    }

    // The subjects of all those orders, made from scratch (each run makes them again).
    let (t, peak, out) = best(o.repeat, || child(&["regroup", &db]));
    let mut parts = out.split_whitespace();
    let addresses: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let subjects = parts.next().unwrap_or("0").to_string();
    figures.push(Figure {
        step: format!("subjects regrouped, {} orders", o.rows),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: Some(addresses),
        note: format!("{addresses} addresses into {subjects} places; target < 20 s, < 600 MB"),
        targets: vec![
            within(t.as_secs_f64(), 20.0, "s"),
            within(peak, 600.0, "MB peak"),
        ],
    });

    for (step, matching) in [("cases", "fuzzy"), ("cases-exact", "exact")] {
        // What is stored for every order at any instant, made once after each load; the
        // cases of any day then read it.
        let (t, peak, _) = best(o.repeat, || child(&["facts", &db, matching]));
        figures.push(Figure {
            step: format!("order facts made, {} orders, {matching}", o.rows),
            seconds: t.as_secs_f64(),
            peak_mb: peak,
            rows: Some(o.rows as u64),
            note: "once per load or change of rules, by the first analysis after it".into(),
            targets: Vec::new(),
        });
        let (t, peak, out) = best(o.repeat, || child(&[step, &db, "2025-12-31"]));
        let mut parts = out.split_whitespace();
        let cases: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let query: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
        figures.push(Figure {
            step: format!("cases over {} orders, {matching}", o.rows),
            seconds: query,
            peak_mb: peak,
            rows: Some(o.rows as u64),
            note: format!(
                "{cases} cases; {:.2} s with process start and open (target <= 1.5 s)",
                t.as_secs_f64()
            ),
            targets: vec![within(t.as_secs_f64(), 1.5, "s with process start")],
        });
    }

    for (label, kind, period, target) in [
        (
            "weekly report (2025-W50)",
            "weekly",
            "2025-W50",
            "target < 3 s",
        ),
        ("monthly review (2025-11)", "monthly", "2025-11", ""),
    ] {
        let (t, peak, out) = best(o.repeat, || child(&["report", &db, kind, period]));
        let mut parts = out.split_whitespace();
        let pages = parts.next().unwrap_or("0").to_string();
        let bytes: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
        figures.push(Figure {
            step: format!("{label}, {} orders", o.rows),
            seconds: t.as_secs_f64(),
            peak_mb: peak,
            rows: None,
            note: format!("{pages} pages, {:.0} KB PDF; {target}", bytes / 1024.0),
            targets: match kind {
                "weekly" => vec![within(t.as_secs_f64(), 3.0, "s")],
                _ => Vec::new(),
            },
        });
    }
    let ledger_db = fresh_db("ledger.duckdb");
    child(&[
        "ingest",
        &ledger_db,
        &dir.join("2000-cases.csv").display().to_string(),
    ]);
    let (t, peak, out) = best(o.repeat, || {
        child(&["report", &ledger_db, "ledger", "2025-02-28"])
    });
    let mut parts = out.split_whitespace();
    let pages = parts.next().unwrap_or("0").to_string();
    let bytes: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let cases = parts.next().unwrap_or("0").to_string();
    figures.push(Figure {
        step: format!("ledger of {cases} cases"),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: None,
        note: format!("{pages} pages, {:.0} KB PDF", bytes / 1024.0),
        targets: Vec::new(),
    });

    // The console's pages: the first opening works the cases out, later ones read them.
    let (_, peak, out) = best(o.repeat, || child(&["console", &db]));
    let t: Vec<f64> = out
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    if let [list_first, list, case_first, case, typical_first, typical, overview_first, overview] =
        t[..]
    {
        for (page, first, again) in [
            ("case list (red, as of 2025-12-31)", list_first, list),
            ("case page, the largest red case", case_first, case),
            (
                "case page, a red case of median size",
                typical_first,
                typical,
            ),
            ("overview", overview_first, overview),
        ] {
            figures.push(Figure {
                step: format!("console {page}"),
                seconds: again,
                peak_mb: peak,
                rows: None,
                note: format!(
                    "{:.0} ms first opening after a data change; target < 300 ms",
                    first * 1000.0
                ),
                targets: vec![within(again * 1000.0, 300.0, "ms")],
            });
        }
    }

    // Each run starts from a copy of the 1,000,000-order database, its subjects made.
    let (t, peak, out) = best(o.repeat, || {
        let copy = fresh_db("incremental.duckdb");
        std::fs::copy(&db, &copy).expect("copy of the database");
        child(&["weekly", &copy, &weekly.display().to_string()])
    });
    figures.push(Figure {
        step: format!("incremental weekly ingest into {}", o.rows),
        seconds: t.as_secs_f64(),
        peak_mb: peak,
        rows: out.trim().parse().ok(),
        note: "90% already known orders, new addresses placed in subjects (target < 2 s)".into(),
        targets: vec![within(t.as_secs_f64(), 2.0, "s")],
    });

    println!(
        "{:<44} {:>9} {:>11} {:>10} {:>9}  note",
        "step", "seconds", "rows/s", "rows", "peak MB"
    );
    for f in &figures {
        let rate = f
            .rows
            .map(|r| format!("{:.0}", r as f64 / f.seconds))
            .unwrap_or_default();
        println!(
            "{:<44} {:>9.2} {:>11} {:>10} {:>9.0}  {}",
            f.step,
            f.seconds,
            rate,
            f.rows.map(|r| r.to_string()).unwrap_or_default(),
            f.peak_mb,
            f.note
        );
    }
    println!();
    for f in &figures {
        for t in &f.targets {
            let met = if t.value <= t.limit {
                "target met   "
            } else {
                "target MISSED"
            };
            println!(
                "{met}  {:<44} {:.2} {} (limit {:.2})",
                f.step, t.value, t.unit, t.limit
            );
        }
    }
}
