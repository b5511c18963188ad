//! Shared fixtures: a temporary workspace with its own config, export writers, and
//! read-back helpers on the database.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use duckdb::Connection;
use hotline_ledger::config::Config;
use hotline_ledger::store::Store;

/// A temporary folder with a config file whose paths all point inside it.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
}

impl Workspace {
    pub fn new() -> Self {
        Self::with_config("")
    }

    /// `extra` is appended to the config (it may add tables; [paths] and [ingest] are set).
    pub fn with_config(extra: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_path = dir.path().join("hotline-ledger.toml");
        let text = format!(
            "[paths]\ndatabase = \"db/hotline.duckdb\"\ninbox = \"inbox\"\narchive = \"archive\"\nout = \"out\"\n\n[ingest]\ninbox_settle_secs = 0\n\n{extra}\n"
        );
        std::fs::write(&config_path, text).expect("write config");
        Workspace { dir, config_path }
    }

    /// A workspace whose config sets `key = value` in [ingest] (value as TOML).
    pub fn with_ingest(key: &str, value: &str) -> Self {
        let ws = Self::new();
        let text = std::fs::read_to_string(&ws.config_path).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replace("[ingest]\n", &format!("[ingest]\n{key} = {value}\n"));
        std::fs::write(&ws.config_path, text).unwrap();
        ws
    }

    /// Every caller phone number stored.
    pub fn phones(&self) -> Vec<String> {
        let db = self.db();
        let mut stmt = db
            .prepare("SELECT DISTINCT caller_phone FROM work_orders WHERE caller_phone IS NOT NULL")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn config(&self) -> Config {
        Config::load(Some(&self.config_path)).expect("valid test config")
    }

    pub fn db_path(&self) -> PathBuf {
        self.path("db/hotline.duckdb")
    }

    /// Runs the binary with this workspace's config, in the workspace folder.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// `run` with `env` added to the binary's environment.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hotline-ledger"));
        command
            .arg("--config")
            .arg(&self.config_path)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HOTLINE_LEDGER_LOG");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("binary runs")
    }

    /// Starts the binary with this workspace's config, in the workspace folder, with `env`
    /// added to its environment; its output is read as it comes.
    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> Spawned {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hotline-ledger"));
        command
            .arg("--config")
            .arg(&self.config_path)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HOTLINE_LEDGER_LOG")
            .env_remove(hotline_ledger::checkpoint::PAUSE_AT);
        for (key, value) in env {
            command.env(key, value);
        }
        Spawned::start(command)
    }

    /// A fresh connection on the database file (the binary must have exited).
    /// The database, opened directly; waits while a console or daemon started by the test
    /// holds it for a moment (the console opens it per request and to work ahead).
    pub fn db(&self) -> Connection {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match Connection::open(self.db_path()) {
                Ok(conn) => return conn,
                Err(e) if e.to_string().contains("lock") && Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) => panic!("database opens: {e}"),
            }
        }
    }

    /// Opens through the library (migrations + rules), as the commands do.
    pub fn store(&self) -> Store {
        Store::open(&self.config()).expect("store opens")
    }

    /// Everything stored, as text, to compare before and after a failed ingest.
    pub fn snapshot(&self) -> String {
        if !self.db_path().exists() {
            return "no database".into();
        }
        let conn = self.db();
        let mut out = String::new();
        for query in [
            "SELECT * FROM work_orders ORDER BY order_id",
            "SELECT * FROM ingested_files ORDER BY file_id",
            "SELECT * FROM rejected_rows ORDER BY file_id, row_number",
        ] {
            let mut stmt = conn.prepare(query).unwrap();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                let n = row.as_ref().column_count();
                for i in 0..n {
                    let v: duckdb::types::Value = row.get(i).unwrap();
                    out.push_str(&format!("{v:?}|"));
                }
                out.push('\n');
            }
            out.push_str("--\n");
        }
        out
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// One column of one order, as text ('' for NULL).
    pub fn order_field(&self, order_id: &str, column: &str) -> String {
        let sql = format!(
            "SELECT coalesce(CAST({column} AS VARCHAR), '') FROM work_orders WHERE order_id = ?"
        );
        self.db()
            .query_row(&sql, [order_id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("order {order_id} not found: {e}"))
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit status, printing the output when it differs.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status\nstdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// CSV text from rows of cells (quoted where needed).
pub fn csv_text<R: AsRef<[S]>, S: AsRef<str>>(rows: &[R]) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row.as_ref().iter().map(|c| c.as_ref().as_bytes()))
            .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub fn write_utf8<R: AsRef<[S]>, S: AsRef<str>>(path: &Path, rows: &[R]) {
    std::fs::write(path, csv_text(rows)).unwrap();
}

pub fn write_utf8_bom<R: AsRef<[S]>, S: AsRef<str>>(path: &Path, rows: &[R]) {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv_text(rows).into_bytes());
    std::fs::write(path, bytes).unwrap();
}

pub fn write_gbk<R: AsRef<[S]>, S: AsRef<str>>(path: &Path, rows: &[R]) {
    let text = csv_text(rows);
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "fixture text must be GBK-encodable");
    std::fs::write(path, bytes).unwrap();
}

/// A cell of a test workbook.
pub enum X<'a> {
    S(&'a str),
    N(f64),
    /// A date cell: serial number with a date format.
    D(f64),
    Formula(&'a str, &'a str),
    Blank,
}

/// Writes an .xlsx whose first sheet holds `rows`.
pub fn write_xlsx(path: &Path, rows: &[Vec<X<'_>>]) {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("工单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                X::S(s) => {
                    sheet.write_string(r, c, *s).unwrap();
                }
                X::N(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                X::D(n) => {
                    sheet.write_number_with_format(r, c, *n, &date).unwrap();
                }
                X::Formula(f, result) => {
                    sheet
                        .write_formula(r, c, Formula::new(*f).set_result(*result))
                        .unwrap();
                }
                X::Blank => {}
            }
        }
    }
    wb.save(path).unwrap();
}

/// The Excel serial (1900 system) of "YYYY-MM-DD HH:MM:SS".
pub fn serial(text: &str) -> f64 {
    let t = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    hotline_ledger::generate::excel_serial(t)
}

/// The standard header with the default first aliases.
pub const HEADER: &[&str] = &[
    "工单编号",
    "受理时间",
    "诉求类型",
    "事发地址",
    "来源渠道",
    "联系电话",
    "办理状态",
    "办结时间",
];

/// Writes an export of one complaint, `id`, received 2025-01-03 08:05 about 噪音扰民 at
/// 星沙街道1号, to `path`.
pub fn write_one_order(path: &Path, id: &str) {
    write_utf8(
        path,
        &[
            HEADER.to_vec(),
            order(
                id,
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
}

/// An order row in the standard header's columns.
pub fn order<'a>(
    id: &'a str,
    received: &'a str,
    category: &'a str,
    address: &'a str,
    status: &'a str,
    closed: &'a str,
) -> Vec<&'a str> {
    vec![
        id,
        received,
        category,
        address,
        "12345热线",
        "13812345678",
        status,
        closed,
    ]
}

/// Rewrites one entry of a zip archive through `change`.
pub fn rewrite_entry(path: &Path, entry_name: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
        if name == entry_name {
            content = change(content);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &content).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// How long a test waits for something that takes a second or two on an idle machine. Only
/// a failing test waits this long: waits end as soon as what they wait for happens.
pub const PATIENCE: Duration = Duration::from_secs(180);

/// Polls `check` until it holds; fails after `PATIENCE`.
pub fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running process of the binary. Its stdout and stderr lines are read as they come, so a
/// test can wait for one; it is killed if the test ends (or fails) while it runs.
pub struct Spawned {
    child: Child,
    lines: mpsc::Receiver<String>,
    readers: Vec<std::thread::JoinHandle<()>>,
    /// Every line read so far, stdout and stderr interleaved as they came.
    seen: Vec<String>,
    ended: bool,
}

impl Spawned {
    fn start(mut command: Command) -> Spawned {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let (tx, lines) = mpsc::channel();
        let stdout: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
        let stderr: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
        let readers = [stdout, stderr]
            .into_iter()
            .map(|pipe| {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    use std::io::BufRead;
                    let mut pipe = std::io::BufReader::new(pipe);
                    let mut line = Vec::new();
                    loop {
                        line.clear();
                        match pipe.read_until(b'\n', &mut line) {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {
                                let text = String::from_utf8_lossy(&line);
                                if tx.send(text.trim_end_matches('\n').to_string()).is_err() {
                                    break;
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        Spawned {
            child,
            lines,
            readers,
            seen: Vec::new(),
            ended: false,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` to the process.
    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill only sends a signal, to our own child (not yet reaped: `ended` is false
        // until it is).
        let done = unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
        assert_eq!(done, 0, "signal {signal} not sent");
    }

    /// Waits until the process prints a line containing `text` (on stdout or stderr) and
    /// returns that line; fails if it ends first, or after `PATIENCE`.
    pub fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                    "timed out waiting for \"{text}\"; the process printed:\n{}",
                    self.seen.join("\n")
                ),
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                    "the process ended without printing \"{text}\"; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Waits for the process to end: its exit status and everything it printed.
    pub fn finish(&mut self) -> (ExitStatus, String) {
        let status = self.child.wait().expect("wait for the process");
        self.ended = true;
        // The pipes close with the process: the readers end and the channel empties.
        self.seen.extend(self.lines.iter());
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        (status, self.seen.join("\n"))
    }

    /// SIGKILL, then what it printed. Fails if the process had ended by itself.
    pub fn kill9(&mut self) -> String {
        self.signal(libc::SIGKILL);
        let (status, output) = self.finish();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "the process ended before it could be killed ({status}):\n{output}"
        );
        output
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if !self.ended {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The true warning cases of orders grouped by their true subject, as DOMAIN.md makes
/// episodes: each subject's orders `(subject, received, id)` split at gaps of more than 30
/// days; an episode of 5 or more is a case, keyed by its first order: its tier and orders.
pub fn true_cases_of<'a>(
    orders: impl IntoIterator<Item = (&'a str, chrono::NaiveDateTime, &'a str)>,
) -> std::collections::BTreeMap<String, (String, Vec<String>)> {
    let mut by_subject: std::collections::BTreeMap<&str, Vec<(chrono::NaiveDateTime, &str)>> =
        Default::default();
    for (subject, at, id) in orders {
        by_subject.entry(subject).or_default().push((at, id));
    }
    let mut out = std::collections::BTreeMap::new();
    for list in by_subject.values_mut() {
        list.sort();
        let mut episodes: Vec<Vec<&str>> = Vec::new();
        let mut last: Option<chrono::NaiveDateTime> = None;
        for (at, id) in list.iter() {
            if last.is_none_or(|l| *at - l > chrono::Duration::days(30)) {
                episodes.push(Vec::new());
            }
            episodes.last_mut().unwrap().push(id);
            last = Some(*at);
        }
        for e in episodes {
            let tier = match e.len() {
                n if n >= 20 => "red",
                n if n >= 10 => "yellow",
                n if n >= 5 => "green",
                _ => continue,
            };
            let ids = e.iter().map(|id| id.to_string()).collect();
            out.insert(e[0].to_string(), (tier.to_string(), ids));
        }
    }
    out
}
