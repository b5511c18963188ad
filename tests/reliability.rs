//! Crash safety, concurrency, limits on hostile input, and personal data: a killed ingest
//! leaves the database as it was, two writers wait for each other with a clear message, a
//! zip bomb, a 100 MB line and a million empty rows are handled in bounded memory, and no
//! report or message carries a full phone number.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

/// Writes a generated UTF-8 export of `rows` orders.
fn big_csv(path: &Path, rows: usize) {
    let orders = hotline_ledger::generate::bulk(
        rows,
        7,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        90,
    );
    hotline_ledger::generate::write(
        path,
        hotline_ledger::generate::Dialect::CsvUtf8,
        None,
        &orders,
    )
    .unwrap();
}

/// Runs the binary to the end and returns its exit code, its own peak memory in MB (as it
/// reports it) and its stderr without that line.
fn run_measured(ws: &Workspace, args: &[&str]) -> (Option<i32>, f64, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hotline-ledger"))
        .arg("--config")
        .arg(&ws.config_path)
        .args(args)
        .current_dir(ws.dir.path())
        .env("HOTLINE_LEDGER_PEAK_MEMORY", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut peak = f64::NAN;
    let mut rest = String::new();
    for line in err.lines() {
        match line
            .strip_prefix("peak memory: ")
            .and_then(|l| l.strip_suffix(" KB"))
        {
            Some(kb) => peak = kb.parse::<f64>().unwrap() / 1024.0,
            None => {
                rest.push_str(line);
                rest.push('\n');
            }
        }
    }
    assert!(peak.is_finite(), "no peak memory reported: {err}");
    (out.status.code(), peak, rest)
}

/// With this in its environment, the process stops itself at the checkpoint `at` (see
/// `hotline_ledger::checkpoint`), so a test can kill it exactly there.
fn pause_at(at: &str) -> [(&str, &str); 1] {
    [(hotline_ledger::checkpoint::PAUSE_AT, at)]
}

#[test]
fn an_ingest_killed_midway_leaves_the_database_as_it_was() {
    let ws = Workspace::new();
    let small = ws.path("small.csv");
    write_utf8(
        &small,
        &[
            HEADER.to_vec(),
            order(
                "KEEP1",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", small.to_str().unwrap()]), 0);
    let before = ws.snapshot();
    let big = ws.path("big.csv");
    big_csv(&big, 400_000);
    // Killed when every row of the file is written inside its transaction, only the commit
    // left: the most an interrupted ingest can leave behind.
    let mut child = ws.spawn(
        &["ingest", big.to_str().unwrap()],
        &pause_at("ingest-commit"),
    );
    child.wait_for("paused at ingest-commit");
    child.kill9();
    // The database opens and holds exactly what it held before.
    assert_eq!(ws.snapshot(), before);
    // The same file loads in full afterwards.
    let out = ws.run(&["ingest", big.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("400000 rows read"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM ingested_files"), 2);
}

#[test]
fn a_report_killed_midway_leaves_no_partial_file_under_its_name() {
    let ws = Workspace::new();
    let big = ws.path("big.csv");
    big_csv(&big, 5_000);
    assert_exit(&ws.run(&["ingest", big.to_str().unwrap()]), 0);
    let target = ws.path("out/2025-03-31-台账.pdf");
    let args = ["report", "ledger", "--as-of", "2025-03-31"];
    // Each kill comes when the whole report is written under a hidden name, just before it
    // takes its final name.
    let killed_before_renaming = || {
        let mut child = ws.spawn(&args, &pause_at("partial-file-written"));
        child.wait_for("paused at partial-file-written");
        child.kill9();
    };
    // Partial files are hidden and named as such.
    let partial_files = || {
        let mut partial = 0;
        for entry in std::fs::read_dir(ws.path("out")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with(".partial-") {
                partial += 1;
            } else {
                assert!(name.ends_with(".pdf"), "{name}");
            }
        }
        partial
    };
    // Killed on its first run: nothing is under the final name.
    killed_before_renaming();
    assert!(
        !target.exists(),
        "a killed report left {}",
        target.display()
    );
    assert_eq!(partial_files(), 1);
    // A normal run then succeeds.
    assert_exit(&ws.run(&args), 0);
    let whole = std::fs::read(&target).unwrap();
    lopdf::Document::load_mem(&whole).expect("a complete PDF");
    // Killed while remaking it: the final name still holds the whole earlier file.
    killed_before_renaming();
    assert_eq!(
        std::fs::read(&target).unwrap(),
        whole,
        "a killed report changed {}",
        target.display()
    );
    assert_eq!(partial_files(), 2);
    assert_exit(&ws.run(&args), 0);
    lopdf::Document::load(&target).unwrap();
}

#[test]
fn a_second_writer_waits_then_says_the_database_is_busy() {
    let ws = Workspace::with_ingest("busy_timeout_secs", "1");
    let big = ws.path("big.csv");
    big_csv(&big, 2_000);
    let small = ws.path("small.csv");
    write_utf8(
        &small,
        &[
            HEADER.to_vec(),
            order(
                "W2",
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", small.to_str().unwrap()]), 0);
    // The first writer is held, database open, in the middle of its ingest while the second
    // one tries.
    let mut first = ws.spawn(
        &["ingest", big.to_str().unwrap()],
        &pause_at("ingest-commit"),
    );
    first.wait_for("paused at ingest-commit");
    let started = Instant::now();
    let second = ws.run(&["cases", "--as-of", "2025-03-31"]);
    let waited = started.elapsed();
    first.signal(libc::SIGCONT);
    let (status, first_out) = first.finish();
    assert_eq!(status.code(), Some(0), "{first_out}");
    assert_exit(&second, 2);
    let message = stderr(&second);
    assert!(
        message.starts_with(&format!(
            "error: the database {} is busy: another hotline-ledger process",
            ws.db_path().display()
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("(PID {})", first.pid())),
        "{message}"
    );
    assert!(
        message.ends_with("is using it; try again when it has finished\n"),
        "{message}"
    );
    assert!(
        waited >= Duration::from_millis(900),
        "it waited before giving up: {waited:?}"
    );
    // Nothing was harmed: both files' orders are there.
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2_001);
    assert_exit(
        &ws.run(&["cases", "--as-of", "2025-03-31", "--format", "csv"]),
        0,
    );
}

#[test]
fn a_zip_bomb_named_xlsx_is_refused_before_unpacking() {
    let ws = Workspace::with_ingest("max_unpacked_mb", "4");
    let file = ws.path("bomb.xlsx");
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b'0'; 1 << 20];
        for _ in 0..16 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(std::fs::metadata(&file).unwrap().len() < 100_000);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: the workbook would unpack to 16 MB, more than ingest.max_unpacked_mb (4 MB): refused as a possible zip bomb\n",
            file.display()
        )
    );
}

#[test]
fn a_100_mb_line_is_refused_in_bounded_memory() {
    let ws = Workspace::new();
    let file = ws.path("long.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        f.write_all(csv_text(&[HEADER.to_vec()]).as_bytes())
            .unwrap();
        f.write_all(b"L1,2025-01-03 08:05,x,").unwrap();
        let chunk = vec![b'A'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\n").unwrap();
    }
    let (code, peak_mb, err) = run_measured(&ws, &["ingest", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        err,
        format!(
            "error: {}: line 2 is longer than 16 MB (ingest.max_line_mb): this is not a hotline export\n",
            file.display()
        )
    );
    assert!(peak_mb < 150.0, "peak {peak_mb:.0} MB");
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 0);
}

#[test]
fn a_sheet_with_a_million_empty_rows_loads_in_bounded_memory() {
    let ws = Workspace::new();
    let file = ws.path("sparse.xlsx");
    {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet_with_constant_memory().unwrap();
        let grey = Format::new().set_background_color("#EEEEEE");
        for (c, h) in ["工单编号", "受理时间", "诉求类型", "事发地址"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "E1").unwrap();
        sheet.write_string(1, 1, "2025-01-03 08:05").unwrap();
        sheet.write_string(1, 2, "噪音扰民").unwrap();
        sheet.write_string(1, 3, "星沙街道1号").unwrap();
        for r in 2..1_000_002u32 {
            sheet.write_blank(r, 0, &grey).unwrap();
        }
        sheet.write_string(1_000_002, 0, "E2").unwrap();
        sheet
            .write_string(1_000_002, 1, "2025-01-04 08:05")
            .unwrap();
        sheet.write_string(1_000_002, 2, "噪音扰民").unwrap();
        sheet.write_string(1_000_002, 3, "星沙街道2号").unwrap();
        wb.save(&file).unwrap();
    }
    let (code, peak_mb, err) = run_measured(&ws, &["ingest", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(peak_mb < 300.0, "peak {peak_mb:.0} MB");
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2);
    assert_eq!(ws.count("SELECT rows_blank FROM ingested_files"), 1_000_000);
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

#[test]
fn no_pdf_or_message_of_the_main_job_holds_a_full_phone_number_and_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::with_config(
        "[recipients]\nweekly = [\"captain@xingsha.example\"]\nmonthly = [\"captain@xingsha.example\"]\n",
    );
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    let out = ws.run(&["run", samples.to_str().unwrap(), "--as-of", "2025-02-28"]);
    assert_exit(&out, 0);
    let phones = ws.phones();
    assert!(phones.len() > 100);
    let mut files = Vec::new();
    files_under(&ws.path("out"), &mut files);
    files_under(&ws.path("archive"), &mut files);
    let pdfs: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    let emls: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(pdfs.len(), 6, "{files:?}");
    assert_eq!(emls.len(), 2, "{files:?}");
    let mut texts = Vec::new();
    for pdf in &pdfs {
        let doc = lopdf::Document::load(pdf).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        texts.push(doc.extract_text(&pages).unwrap());
    }
    for eml in &emls {
        let bytes = std::fs::read(eml).unwrap();
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        texts.push(message.body_text(0).unwrap().into_owned());
        texts.push(message.body_html(0).unwrap().into_owned());
    }
    for text in &texts {
        for p in &phones {
            assert!(!text.contains(p.as_str()), "{p} unmasked");
        }
    }
    // Owner-only: the database, its folder, the reports, the archive.
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&ws.db_path()), 0o600);
    assert_eq!(mode(&ws.path("db")), 0o700);
    assert_eq!(mode(&ws.path("archive")), 0o700);
    for f in files {
        assert_eq!(mode(&f) & 0o077, 0, "{} is readable by others", f.display());
    }
}

/// A workspace with January's sample data, whose monthly run archives (mail goes to files).
fn archive_workspace() -> Workspace {
    let ws = Workspace::with_config("[recipients]\nmonthly = [\"captain@xingsha.example\"]\n");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-inputs")
        .join("2025-01-上半月-12345工单导出.xlsx");
    assert_exit(&ws.run(&["ingest", sample.to_str().unwrap()]), 0);
    ws
}

const MONTHLY: [&str; 5] = ["report", "monthly", "--month", "2025-01", "--send"];

#[test]
fn an_archived_file_not_yet_listed_is_listed_on_the_next_run() {
    let ws = archive_workspace();
    let mut child = ws.spawn(&MONTHLY, &pause_at("archive-file-written"));
    child.wait_for("paused at archive-file-written");
    child.kill9();
    let review = ws.path("archive/2025/2025-01-月度复盘.pdf");
    assert!(review.is_file());
    assert!(!ws.path("archive/manifest.jsonl").exists());
    let out = ws.run(&["archive", "verify"]);
    assert_exit(&out, 1);

    let out = ws.run(&[
        "report", "monthly", "--month", "2025-01", "--send", "--force",
    ]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!(
            "archived as {} (an interrupted run had written it without listing it in the manifest: now listed)",
            review.display()
        )),
        "{}",
        stdout(&out)
    );
    assert!(!ws.path("archive/2025/2025-01-月度复盘-v2.pdf").exists());
    let manifest = std::fs::read_to_string(ws.path("archive/manifest.jsonl")).unwrap();
    assert!(
        manifest.contains(
            "rerun by an admin (monthly --send); recovered: written by an interrupted run but not listed, same content"
        ),
        "{manifest}"
    );
    let out = ws.run(&["archive", "verify"]);
    assert_exit(&out, 0);
}

#[test]
fn partial_files_left_by_a_killed_archive_run_are_removed() {
    let ws = archive_workspace();
    let mut child = ws.spawn(&MONTHLY, &pause_at("archive-partial-written"));
    child.wait_for("paused at archive-partial-written");
    child.kill9();
    let year = ws.path("archive/2025");
    let partials = || -> Vec<PathBuf> {
        std::fs::read_dir(&year)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".partial-")
            })
            .collect()
    };
    let left = partials();
    assert_eq!(left.len(), 1);
    let name = left[0].file_name().unwrap().to_string_lossy().to_string();
    // `archive verify` names it: a moment old, it may still be being written.
    let out = ws.run(&["archive", "verify"]);
    assert!(
        stdout(&out).contains(&format!(
            "WRITING   2025/{name} (being written now; check again later)"
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(partials(), left);
    // A partial file a moment old may be another run's, still being written: kept. One
    // untouched for longer was left by a run that died: removed.
    assert_exit(
        &ws.run(&[
            "report", "monthly", "--month", "2025-01", "--send", "--force",
        ]),
        0,
    );
    assert_eq!(partials(), left);
    let old = std::time::SystemTime::now() - hotline_ledger::partial::STALE;
    std::fs::File::options()
        .write(true)
        .open(&left[0])
        .unwrap()
        .set_modified(old)
        .unwrap();
    // Untouched for a minute, it was left by a run that died: `archive verify` removes it
    // and says so (as the next archive write would).
    let out = ws.run(&["archive", "verify"]);
    assert!(
        stdout(&out).contains(&format!(
            "REMOVED   2025/{name} (left half-written by an interrupted archive write)"
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(partials(), Vec::<PathBuf>::new());
    assert_exit(
        &ws.run(&[
            "report", "monthly", "--month", "2025-01", "--send", "--force",
        ]),
        0,
    );
    assert_eq!(partials(), Vec::<PathBuf>::new());
    assert_exit(&ws.run(&["archive", "verify"]), 0);
}

#[test]
fn the_database_is_free_while_a_report_is_laid_out() {
    // No wait for a held database: a command beside a holder is turned away at once.
    let ws = Workspace::with_ingest("busy_timeout_secs", "0");
    let big = ws.path("big.csv");
    big_csv(&big, 2_000);
    assert_exit(&ws.run(&["ingest", big.to_str().unwrap()]), 0);
    let mut child = ws.spawn(
        &["report", "ledger", "--as-of", "2025-03-31"],
        &pause_at("report-layout"),
    );
    child.wait_for("paused at report-layout");
    // The report's queries are done and its pages not laid out yet: another command
    // gets the database (with no wait allowed, a held one would be refused as busy).
    let out = ws.run(&["cases", "--as-of", "2025-03-31", "--format", "csv"]);
    assert_exit(&out, 0);
    assert!(!stderr(&out).contains("busy"), "{}", stderr(&out));
    child.signal(libc::SIGCONT);
    let (status, _) = child.finish();
    assert!(status.success(), "{status}");
    lopdf::Document::load(ws.path("out/2025-03-31-台账.pdf")).expect("a complete PDF");
    // The run was recorded to its end with the database taken back.
    let out = ws.run(&["status"]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("ledger ") && l.contains(" ok ")),
        "{}",
        stdout(&out)
    );
}
