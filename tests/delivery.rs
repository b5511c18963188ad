//! Delivery over a real socket to a real SMTP server started by the test: STARTTLS with a
//! self-signed certificate the client trusts, AUTH, Chinese subjects and attachment names,
//! the PDF bytes intact; an outbox that queues while the server is down and delivers once,
//! and only once, when it is back; previews, forced resends, size limits, the archive.

use std::path::{Path, PathBuf};

use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use crate::common::*;
use crate::smtp;

const SECRET: &str = "s3cret-pa55-不要泄露";

/// Warnings off and an [smtp] section pointing at `port` over STARTTLS, logging in as
/// `ledger` with the password as `password` (a `password_env` or `password_file` line).
fn smtp_config(port: u16, password: &str) -> String {
    format!(
        "[notify]\nenabled = false\n\n[smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"starttls\"\nusername = \"ledger\"\n{password}\nfrom = \"投诉预警台账 <ledger@xingsha.example>\"\nca_file = \"smtp-cert.pem\"\ntimeout_secs = 5\n\n"
    )
}

/// A workspace with the sample data and an [smtp] section pointing at `port`. The sample's
/// open cases would be warned of as they load (tests/notify.rs is about that): warnings are
/// off, so the outbox holds only what these tests send.
fn mail_workspace(port: u16, extra: &str) -> Workspace {
    let ws = Workspace::with_config(&format!(
        "{}[recipients]\nweekly = [\"大队长 <captain@xingsha.example>\", \"deputy@xingsha.example\"]\nmonthly = [\"captain@xingsha.example\"]\nadmin = \"admin@xingsha.example\"\n\n{extra}",
        smtp_config(port, "password_env = \"HL_TEST_SMTP_PASSWORD\"")
    ));
    smtp::certificate(ws.dir.path());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    let files: Vec<String> = [
        "2025-01-上半月-12345工单导出.xlsx",
        "2025-01-县热线工单.csv",
        "2025-02-工单导出.csv",
    ]
    .iter()
    .map(|n| dir.join(n).display().to_string())
    .collect();
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    assert_exit(&ws.run(&args), 0);
    ws
}

/// Runs the binary with the SMTP password in its environment.
fn run_mail(ws: &Workspace, args: &[&str]) -> std::process::Output {
    ws.run_env(args, &[("HL_TEST_SMTP_PASSWORD", SECRET)])
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn a_report_arrives_over_starttls_with_auth_and_chinese_names_intact() {
    let port = smtp::free_port();
    let ws = mail_workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let out = run_mail(&ws, &["report", "weekly", "--week", "2025-W05", "--send"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("captain@xingsha.example: accepted by the server (250"),
        "{}",
        stdout(&out)
    );
    let got = server.wait_for(2);
    assert_eq!(got.len(), 2, "one message per recipient");
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["captain@xingsha.example", "deputy@xingsha.example"]);
    assert_eq!(
        server.logins.lock().unwrap()[0],
        ("ledger".to_string(), SECRET.to_string())
    );
    let pdf = std::fs::read(ws.path("out/2025-W05-周报.pdf")).unwrap();
    let mut ids: Vec<String> = Vec::new();
    for m in &got {
        assert_eq!(m.from, "ledger@xingsha.example");
        let message = MessageParser::default()
            .parse(&m.data)
            .expect("the message parses");
        assert_eq!(
            message.subject(),
            Some("【周报】投诉工单预警周报 2025年第5周（1月27日—2月2日）")
        );
        let html = message.body_html(0).expect("an HTML body");
        assert!(html.contains("在办预警案件"), "{html}");
        let text = message.body_text(0).expect("a plain-text alternative");
        assert!(text.contains("本周受理投诉工单"), "{text}");
        let attachments: Vec<_> = message.attachments().collect();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].attachment_name(), Some("2025-W05-周报.pdf"));
        let ct = attachments[0].content_type().unwrap();
        assert_eq!(
            ct.attribute("name"),
            Some("2025-W05-周报.pdf"),
            "the RFC 2047 name= parameter"
        );
        assert_eq!(
            sha(attachments[0].contents()),
            sha(&pdf),
            "the PDF arrives byte for byte"
        );
        // No full phone number in the mail either.
        let raw = String::from_utf8_lossy(&m.data);
        assert!(!raw.contains("13800"), "");
        // A Message-ID of its own, at the sender's domain: copies of one message fold.
        let id = raw
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .unwrap_or_else(|| panic!("no Message-ID: {raw}"));
        assert!(
            id.starts_with('<') && id.ends_with('>') && id.contains('@'),
            "{id}"
        );
        ids.push(id.to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "each message its own id");
    // The run is in the history, and a second --send sends nothing.
    let out = run_mail(&ws, &["report", "weekly", "--week", "2025-W05", "--send"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("already sent on"), "{}", stdout(&out));
    assert_eq!(server.messages().len(), 2);
    let runs = ws.count("SELECT count(*) FROM job_runs WHERE job = 'weekly' AND period = '2025-W05' AND trigger = 'manual' AND outcome = 'ok'");
    assert_eq!(runs, 2);
    // --force sends again.
    let out = run_mail(
        &ws,
        &[
            "report",
            "weekly",
            "--week",
            "2025-W05",
            "--send",
            "--force",
            "--to",
            "captain@xingsha.example",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(server.wait_for(3).len(), 3);
}

#[test]
fn a_server_that_is_down_queues_then_delivers_once_when_back() {
    let port = smtp::free_port();
    let ws = mail_workspace(
        port,
        "[delivery]\nretry_initial_secs = 3600\nretry_max_secs = 7200\n",
    );
    let out = run_mail(&ws, &["report", "monthly", "--month", "2025-01", "--send"]);
    // Queued for a retry is not sent: the send asked for was not done.
    assert_exit(&out, 1);
    assert!(
        stderr(&out).ends_with(
            "\nerror: 1 message was not sent yet: it stays queued in the outbox for a retry (`hotline-ledger status` shows why)\n"
        ),
        "{}",
        stderr(&out)
    );
    let line = stdout(&out)
        .lines()
        .find(|l| l.starts_with("captain@xingsha.example: not sent yet ("))
        .unwrap_or_else(|| panic!("{}", stdout(&out)))
        .to_string();
    assert!(line.ends_with("stays queued and will be retried"), "{line}");
    // The cause once, not twice.
    assert_eq!(line.matches("Connection refused").count(), 1, "{line}");
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE status = 'queued' AND attempts = 1"),
        1
    );
    // Not due yet (back-off): a normal retry does nothing.
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let out = run_mail(&ws, &["outbox", "retry"]);
    assert_exit(&out, 0);
    assert!(server.messages().is_empty());
    // An admin retry sends it, once.
    let out = run_mail(&ws, &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("to captain@xingsha.example: accepted"),
        "{}",
        stdout(&out)
    );
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    let message = MessageParser::default().parse(&got[0].data).unwrap();
    let names: Vec<_> = message
        .attachments()
        .map(|a| a.attachment_name().unwrap().to_string())
        .collect();
    assert_eq!(names, ["2025-01-月度复盘.pdf", "2025-01-台账.pdf"]);
    let archived = std::fs::read(ws.path("archive/2025/2025-01-月度复盘.pdf")).unwrap();
    assert_eq!(
        sha(message.attachments().next().unwrap().contents()),
        sha(&archived)
    );
    let out = run_mail(&ws, &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "nothing to send\n");
    let out = run_mail(&ws, &["report", "monthly", "--month", "2025-01", "--send"]);
    assert!(stdout(&out).contains("already sent on"), "{}", stdout(&out));
    assert_eq!(server.messages().len(), 1, "never twice");
    let out = run_mail(&ws, &["status"]);
    assert!(
        stdout(&out).contains("outbox: 0 queued (0 failed at least once), 1 sent"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn only_the_recipients_that_failed_are_retried() {
    let port = smtp::free_port();
    let ws = mail_workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    server
        .reject
        .lock()
        .unwrap()
        .push("deputy@xingsha.example".into());
    let out = run_mail(&ws, &["report", "weekly", "--week", "2025-W06", "--send"]);
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("deputy@xingsha.example: not sent yet"),
        "{}",
        stdout(&out)
    );
    assert_eq!(server.wait_for(1).len(), 1);
    // Still refused: the captain is not sent to again, and the retry says it failed.
    assert_exit(&run_mail(&ws, &["outbox", "retry", "--all"]), 1);
    assert_eq!(server.messages().len(), 1);
    // Accepted now: the deputy gets it, once; the captain still has one copy.
    server.reject.lock().unwrap().clear();
    let out = run_mail(&ws, &["outbox", "retry", "--all"]);
    assert!(
        stdout(&out).contains("to deputy@xingsha.example: accepted"),
        "{}",
        stdout(&out)
    );
    let got = server.wait_for(2);
    assert_eq!(got.len(), 2);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["captain@xingsha.example", "deputy@xingsha.example"]);
    assert_exit(&run_mail(&ws, &["outbox", "retry", "--all"]), 0);
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn a_wrong_password_is_reported_without_the_password() {
    let port = smtp::free_port();
    let ws = mail_workspace(port, "");
    let _server = smtp::start(ws.dir.path(), port, "ledger", "the-right-one");
    // With debug logging on: the logs must not carry it either.
    let out = run_mail(
        &ws,
        &["-vv", "report", "weekly", "--week", "2025-W05", "--send"],
    );
    assert_exit(&out, 1);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("not sent yet"), "{all}");
    // Refused, and retried: not called permanent and then retried.
    assert!(
        all.contains("not sent yet (the SMTP server: refused (535)"),
        "{all}"
    );
    assert!(
        all.contains("(the login was refused: check smtp.username and the password)); message"),
        "{all}"
    );
    assert!(!all.contains("permanent"), "{all}");
    // No colour codes in what is not a terminal.
    assert!(!all.contains('\u{1b}'), "{all}");
    assert!(!all.contains(SECRET), "the password leaked: {all}");
    let status = run_mail(&ws, &["status"]);
    assert!(!stdout(&status).contains(SECRET));
    let config = run_mail(&ws, &["config"]);
    assert!(!stdout(&config).contains(SECRET));
    let errors: String = ws
        .db()
        .query_row("SELECT string_agg(last_error, ' ') FROM outbox", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        errors.contains("535") || errors.to_lowercase().contains("credentials"),
        "{errors}"
    );
    assert!(!errors.contains(SECRET));
}

#[test]
fn a_preview_goes_to_the_admin_only_and_does_not_count_as_sent() {
    let port = smtp::free_port();
    let ws = mail_workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let out = run_mail(
        &ws,
        &["report", "weekly", "--week", "2025-W05", "--preview"],
    );
    assert_exit(&out, 0);
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["admin@xingsha.example"]);
    let message = MessageParser::default().parse(&got[0].data).unwrap();
    assert!(message.subject().unwrap().starts_with("【预览】【周报】"));
    assert!(message.body_text(0).unwrap().contains("【预览】"));
    let out = run_mail(&ws, &["report", "weekly", "--week", "2025-W05", "--send"]);
    assert_exit(&out, 0);
    assert_eq!(server.wait_for(3).len(), 3);
}

#[test]
fn a_message_over_the_size_limit_goes_as_a_summary_with_a_note() {
    let ws = Workspace::with_config(
        "[recipients]\nweekly = [\"captain@xingsha.example\"]\n\n[delivery]\nmax_message_mb = 0.05\n",
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    let file = dir.join("2025-01-县热线工单.csv");
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let out = ws.run(&["report", "weekly", "--week", "2025-W05", "--send"]);
    assert_exit(&out, 0);
    // No [smtp]: the message is an .eml file in out/outbox.
    let eml: PathBuf = ws.path("out/outbox/2025-W05-weekly-captain@xingsha.example.eml");
    assert!(
        stdout(&out).contains(&format!("written to {}", eml.display())),
        "{}",
        stdout(&out)
    );
    let bytes = std::fs::read(&eml).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(message.attachments().count(), 0);
    assert!(
        message.body_text(0).unwrap().contains("超过邮件大小上限"),
        "{}",
        message.body_text(0).unwrap()
    );
    assert!(bytes.len() < 50_000);
}

#[test]
fn the_monthly_archive_keeps_versions_and_verify_finds_tampering() {
    let ws = Workspace::with_config("[recipients]\nmonthly = [\"captain@xingsha.example\"]\n");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    assert_exit(
        &ws.run(&[
            "ingest",
            dir.join("2025-01-上半月-12345工单导出.xlsx")
                .to_str()
                .unwrap(),
        ]),
        0,
    );
    assert_exit(
        &ws.run(&["report", "monthly", "--month", "2025-01", "--send"]),
        0,
    );
    let v1 = ws.path("archive/2025/2025-01-月度复盘.pdf");
    let v1_bytes = std::fs::read(&v1).unwrap();
    // The same data again: nothing new.
    let out = ws.run(&[
        "report", "monthly", "--month", "2025-01", "--send", "--force",
    ]);
    assert!(
        stdout(&out).contains("already archived, unchanged"),
        "{}",
        stdout(&out)
    );
    // New data changes the month: a second version, the first untouched.
    assert_exit(
        &ws.run(&[
            "ingest",
            dir.join("2025-01-县热线工单.csv").to_str().unwrap(),
        ]),
        0,
    );
    let out = ws.run(&[
        "report", "monthly", "--month", "2025-01", "--send", "--force",
    ]);
    assert!(stdout(&out).contains("archived as"), "{}", stdout(&out));
    assert!(ws.path("archive/2025/2025-01-月度复盘-v2.pdf").is_file());
    assert!(ws.path("archive/2025/2025-01-台账-v2.pdf").is_file());
    assert_eq!(std::fs::read(&v1).unwrap(), v1_bytes);
    let manifest = std::fs::read_to_string(ws.path("archive/manifest.jsonl")).unwrap();
    assert_eq!(manifest.lines().count(), 4);
    assert!(manifest.contains("\"reason\":\"rerun by an admin (monthly --send)\""));
    assert!(manifest.contains(&sha(&v1_bytes)));
    let out = ws.run(&["archive", "verify"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("4 file(s) checked, 0 problem(s)"),
        "{}",
        stdout(&out)
    );
    // Tampering, a missing file and a stray file are all reported.
    let mut bytes = v1_bytes.clone();
    bytes[100] ^= 0xFF;
    std::fs::write(&v1, bytes).unwrap();
    std::fs::remove_file(ws.path("archive/2025/2025-01-台账.pdf")).unwrap();
    std::fs::write(ws.path("archive/2025/extra.pdf"), b"%PDF-1.4").unwrap();
    let out = ws.run(&["archive", "verify"]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("CHANGED   2025/2025-01-月度复盘.pdf"),
        "{text}"
    );
    assert!(text.contains("MISSING   2025/2025-01-台账.pdf"), "{text}");
    assert!(text.contains("UNLISTED  2025/extra.pdf"), "{text}");
    assert!(text.contains("3 problem(s)"), "{text}");
}

/// The inbox job as the daemon runs it, failing on a broken workbook.
fn fail_the_inbox_job(ws: &Workspace) {
    let inbox = ws.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("broken.xlsx"), b"not a workbook").unwrap();
    let outcome = hotline_ledger::jobs::ingest_inbox(
        &ws.config(),
        hotline_ledger::history::Trigger::Schedule,
        false,
        &mut |_| {},
    )
    .unwrap();
    assert!(!outcome.ok);
}

#[test]
fn a_failed_job_alerts_the_admin() {
    let ws = Workspace::with_config("[recipients]\nadmin = \"admin@xingsha.example\"\n");
    fail_the_inbox_job(&ws);
    let alert = std::fs::read_dir(ws.path("out/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains("alert"))
        .expect("an alert message for the admin");
    let message = MessageParser::default()
        .parse(&std::fs::read(&alert).unwrap())
        .unwrap()
        .into_owned();
    assert!(
        message.subject().unwrap().starts_with("【告警】"),
        "{:?}",
        message.subject()
    );
    assert!(
        message.body_text(0).unwrap().contains("任务“导入”于"),
        "{:?}",
        message.body_text(0)
    );
    let out = ws.run(&["status"]);
    assert!(stdout(&out).contains("! 任务“导入”于"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("failed: 1 file(s) in the inbox"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_alert_reaches_an_admin_written_with_a_display_name() {
    // As the shipped config writes the admin: a name, then the address in brackets.
    let port = smtp::free_port();
    let ws = Workspace::with_config(&format!(
        "{}[recipients]\nadmin = \"系统管理员 <admin@xingsha.example>\"\n",
        smtp_config(port, "password_file = \"smtp-password\"")
    ));
    smtp::certificate(ws.dir.path());
    std::fs::write(ws.path("smtp-password"), SECRET).unwrap();
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    fail_the_inbox_job(&ws);
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["admin@xingsha.example"]);
    let message = MessageParser::default().parse(&got[0].data).unwrap();
    assert!(
        message.subject().unwrap().starts_with("【告警】"),
        "{:?}",
        message.subject()
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE status = 'sent'"),
        1,
        "{}",
        ws.snapshot()
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE status <> 'sent'"),
        0
    );
}

#[test]
fn unsent_messages_and_alerts_that_failed_stay_in_status_until_sent() {
    // Nothing listens on the port: every send fails.
    let port = smtp::free_port();
    let ws = mail_workspace(port, "");
    let at = |now: &'static str| {
        [
            ("HL_TEST_SMTP_PASSWORD", SECRET),
            ("HOTLINE_LEDGER_NOW", now),
        ]
    };
    let out = ws.run_env(
        &["report", "weekly", "--week", "2025-W05", "--send"],
        &at("2025-02-03 09:00:00"),
    );
    assert_exit(&out, 1);
    // A day later the retry finds the report stuck and tells the admin, by mail, which
    // fails too.
    let later = at("2025-02-04 10:00:00");
    ws.run_env(&["outbox", "retry"], &later);
    assert!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'alert' AND status = 'queued' AND attempts > 0") >= 1,
        "{}",
        ws.snapshot()
    );
    let shown = |out: &std::process::Output| stdout(out);
    let out = ws.run_env(&["status"], &later);
    let text = shown(&out);
    // The report told of once is still listed, and so is the alert that did not go.
    assert!(
        text.contains("发往 captain@xingsha.example，自2025年2月3日 09:00起仍未发出"),
        "{text}"
    );
    assert!(
        text.contains("给管理员的告警（stuck/")
            && text.contains("发往 admin@xingsha.example 未能发出"),
        "{text}"
    );
    // Told once: a second retry queues no second alert about the same message.
    let alerts = ws.count("SELECT count(*) FROM outbox WHERE kind = 'alert'");
    ws.run_env(&["outbox", "retry"], &at("2025-02-04 12:00:00"));
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'alert'"),
        alerts
    );
    // Once the server is back, everything goes and nothing is listed.
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let out = ws.run_env(&["outbox", "retry", "--all"], &at("2025-02-04 13:00:00"));
    assert_exit(&out, 0);
    assert!(server.messages().len() >= 3, "{}", ws.snapshot());
    let out = ws.run_env(&["status"], &at("2025-02-04 13:00:00"));
    assert!(shown(&out).contains("alerts: none"), "{}", shown(&out));
}
