//! Warnings the moment they happen (预警通知), over a real SMTP server and a real local
//! HTTP server as the chat webhook: one message per step as a place crosses 5, 10 and 20
//! complaints, to the lead of its street; nothing on an overlapping export; a special case
//! sent at once in the quiet hours while a green one waits for their end (sent by the
//! daemon); late data that merges two cases told only as the higher tier; the daemon's
//! inbox scan telling a lead within one cycle; the case sheet PDF read back.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};

use crate::common::*;
use crate::smtp;

const SECRET: &str = "s3cret-pa55";
const HOOK_SECRET: &str = "wecom-key-不外传";

const CAPTAIN: &str = "captain@xingsha.example";
const DEPUTY_XINGSHA: &str = "deputy.xs@xingsha.example";
const DEPUTY_XIANGLONG: &str = "deputy.xl@xingsha.example";
const LEADER_XINGSHA: &str = "leader.xs@xingsha.example";
const LEADER_XIANGLONG: &str = "leader.xl@xingsha.example";
const SPECIAL: &str = "committee@xingsha.example";
const ADMIN: &str = "admin@xingsha.example";

/// The squad's leads: one deputy and one group leader per street, the captain, the street
/// committee's contact for special cases, and the admin.
fn leads() -> String {
    format!(
        "[recipients]\nadmin = \"{ADMIN}\"\n\n[leads]\ncaptain = {{ name = \"张某某\", email = \"{CAPTAIN}\" }}\nspecial = {{ name = \"街道工委\", email = \"{SPECIAL}\" }}\n\n[[leads.deputies]]\nname = \"李某某\"\nemail = \"{DEPUTY_XINGSHA}\"\nstreets = [\"星沙街道\"]\n\n[[leads.deputies]]\nname = \"赵某某\"\nemail = \"{DEPUTY_XIANGLONG}\"\nstreets = [\"湘龙街道\"]\n\n[[leads.group_leaders]]\nname = \"王某某\"\nemail = \"{LEADER_XINGSHA}\"\nstreets = [\"星沙街道\"]\n\n[[leads.group_leaders]]\nname = \"刘某某\"\nemail = \"{LEADER_XIANGLONG}\"\nstreets = [\"湘龙街道\"]\n"
    )
}

/// A workspace mailing through the test server on `port`, with the leads and `extra`.
fn workspace(port: u16, extra: &str) -> Workspace {
    let ws = Workspace::with_config(&format!(
        "[smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"starttls\"\nusername = \"ledger\"\npassword_env = \"HL_TEST_SMTP_PASSWORD\"\nfrom = \"投诉预警台账 <ledger@xingsha.example>\"\nca_file = \"smtp-cert.pem\"\ntimeout_secs = 5\n\n{}\n{extra}",
        leads()
    ));
    smtp::certificate(ws.dir.path());
    ws
}

/// Runs the binary with the SMTP password and the webhook secret in its environment and
/// the clock fixed at `now`.
fn run_at(ws: &Workspace, now: &str, args: &[&str]) -> std::process::Output {
    ws.run_env(
        args,
        &[
            ("HL_TEST_SMTP_PASSWORD", SECRET),
            ("HL_TEST_HOOK_SECRET", HOOK_SECRET),
            (hotline_ledger::clock::NOW_VAR, now),
        ],
    )
}

const COLUMNS: &[&str] = &[
    "工单编号",
    "受理时间",
    "诉求类型",
    "事发地址",
    "来源渠道",
    "联系电话",
    "所属街道",
    "诉求内容",
    "办理状态",
    "来电人",
];

/// `n` complaints about one matter at one place, ids `{prefix}01`…, one a day from `first`
/// (YYYY-MM-DD) at 20:00, each with its own phone number.
fn complaints(
    prefix: &str,
    n: usize,
    first: &str,
    category: &str,
    address: &str,
    street: &str,
    content: &str,
) -> Vec<Vec<String>> {
    let day = chrono::NaiveDate::parse_from_str(first, "%Y-%m-%d").unwrap();
    (0..n)
        .map(|i| {
            vec![
                format!("{prefix}{:02}", i + 1),
                format!(
                    "{} 20:{:02}:00",
                    day + chrono::Duration::days(i as i64),
                    i % 60
                ),
                category.to_string(),
                address.to_string(),
                "12345热线".to_string(),
                format!("1390731{:04}", 1000 + i),
                street.to_string(),
                content.to_string(),
                "处理中".to_string(),
                "王小明".to_string(),
            ]
        })
        .collect()
}

fn export(path: &Path, rows: &[Vec<String>]) {
    let mut all = vec![COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    all.extend(rows.iter().cloned());
    write_utf8(path, &all);
}

/// A message as received: envelope recipients, subject, plain text, attachments.
struct Mail {
    to: Vec<String>,
    /// The Date header, as RFC 3339.
    date: String,
    subject: String,
    text: String,
    attachments: Vec<(String, Vec<u8>)>,
}

fn parse(m: &smtp::Received) -> Mail {
    let message = MessageParser::default()
        .parse(&m.data)
        .expect("the message parses");
    Mail {
        to: m.to.clone(),
        date: message.date().map(|d| d.to_rfc3339()).unwrap_or_default(),
        subject: message.subject().unwrap_or_default().to_string(),
        text: message
            .body_text(0)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        attachments: message
            .attachments()
            .map(|a| {
                (
                    a.attachment_name().unwrap_or_default().to_string(),
                    a.contents().to_vec(),
                )
            })
            .collect(),
    }
}

/// The messages received after the first `from`, by recipient, sorted.
fn new_mail(server: &smtp::Smtp, from: usize, expected: usize) -> Vec<Mail> {
    let got = server.wait_for(from + expected);
    let mut mails: Vec<Mail> = got[from..].iter().map(parse).collect();
    mails.sort_by(|a, b| a.to.cmp(&b.to));
    mails
}

fn recipients(mails: &[Mail]) -> Vec<String> {
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn a_place_crossing_5_10_and_20_complaints_tells_each_step_once_to_the_lead_of_its_street() {
    let port = smtp::free_port();
    let ws = workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let place = "星沙街道开元东路18号";
    let noise = "夜间广场舞音响声音太大,影响周边居民休息,请执法部门尽快到现场处理";
    let mut all = complaints(
        "XS2502",
        20,
        "2025-02-01",
        "噪音扰民",
        place,
        "星沙街道",
        noise,
    );
    // Call-takers write the place in other ways too: one place all the same.
    for r in all.iter_mut().skip(2).step_by(3) {
        r[3] = "长沙县星沙街道开元东路十八号门口".into();
    }
    // Callers say who they are in the text, and their phone however written; the caller's
    // own name (来电人) recurs without a word before it.
    let personal = [
        "我叫王小明，电话138-1234-5678，",
        "请回电+86 139 8765 4321，联系人李女士，",
        "１３７１１１１２２２２。王小明说",
    ];
    for (r, said) in all.iter_mut().zip(personal) {
        r[7] = format!("{said}{noise}");
    }
    let shown_nowhere = |text: &str, what: &str| {
        for personal in [
            "王小明",
            "小明",
            "1234-5678",
            "8765 4321",
            "１１１１２２２２",
            "李女士",
        ] {
            assert!(!text.contains(personal), "{personal} in {what}: {text}");
        }
    };
    // Another place, in another street, that stays below green throughout.
    let quiet = complaints(
        "XL2502",
        3,
        "2025-02-01",
        "占道经营",
        "湘龙街道万家丽路88号",
        "湘龙街道",
        "流动摊贩占道",
    );
    let now = "2025-02-21 10:00:00";

    // Step 1: 5 complaints, green: the group leader of 星沙街道 and the admin.
    let step1 = ws.path("1.csv");
    let mut rows = all[..5].to_vec();
    rows.extend(quiet.clone());
    export(&step1, &rows);
    let out = run_at(&ws, now, &["ingest", step1.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("登记绿色预警"), "{}", stdout(&out));
    let mails = new_mail(&server, 0, 2);
    assert_eq!(
        recipients(&mails),
        sorted(&[ADMIN, LEADER_XINGSHA]),
        "one message per recipient"
    );
    for m in &mails {
        assert_eq!(
            m.subject,
            "【绿色预警】噪声扰民 · 星沙街道开元东路18号 · 5件 · 组长王某某牵头"
        );
        assert!(m.text.contains("登记为绿色预警"), "{}", m.text);
        // Chinese punctuation in Chinese text.
        assert!(m.text.contains("案件编号：XS250201"), "{}", m.text);
        assert!(m.text.contains("投诉5件（首次"), "{}", m.text);
        assert!(
            m.text
                .contains("地址写法：星沙街道开元东路18号、长沙县星沙街道开元东路十八号门口"),
            "{}",
            m.text
        );
        assert!(m.text.contains("139****1004"), "masked phones: {}", m.text);
        assert!(!m.text.contains("13907311004"), "no full phone: {}", m.text);
        assert!(m.text.contains("我叫王**，电话138-****-5678"), "{}", m.text);
        assert!(
            m.text.contains("请回电+86 139 **** 4321，联系人李**，"),
            "{}",
            m.text
        );
        assert!(m.text.contains("１３７****２２２２。王**说"), "{}", m.text);
        shown_nowhere(&m.text, "the mail");
    }

    // Nothing on re-ingest: the same file, and an overlapping export repeating the same
    // orders (loaded, orders updated, no new event).
    let out = run_at(&ws, now, &["ingest", step1.to_str().unwrap()]);
    assert_exit(&out, 0);
    let again = ws.path("1-again.csv");
    let mut rows = all[..5].to_vec();
    for r in &mut rows {
        r[8] = "已办结".into();
    }
    export(&again, &rows);
    let out = run_at(&ws, now, &["ingest", again.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("warning: case"), "{}", stdout(&out));
    let out = run_at(&ws, now, &["notify", "--dry-run"]);
    assert!(stdout(&out).contains("nothing to send"), "{}", stdout(&out));
    assert_eq!(server.messages().len(), 2, "nothing more after a re-ingest");

    // Step 2: 10 complaints, yellow: the deputy of 星沙街道.
    let step2 = ws.path("2.csv");
    export(&step2, &all[5..10]);
    assert_exit(&run_at(&ws, now, &["ingest", step2.to_str().unwrap()]), 0);
    let mails = new_mail(&server, 2, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, DEPUTY_XINGSHA]));
    for m in &mails {
        assert_eq!(
            m.subject,
            "【黄色预警】噪声扰民 · 星沙街道开元东路18号 · 10件 · 副大队长李某某牵头"
        );
        assert!(m.text.contains("升级为黄色预警"), "{}", m.text);
    }

    // Step 3: 20 complaints, red: the captain.
    let step3 = ws.path("3.csv");
    export(&step3, &all[10..]);
    assert_exit(&run_at(&ws, now, &["ingest", step3.to_str().unwrap()]), 0);
    let mails = new_mail(&server, 4, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, CAPTAIN]));
    for m in &mails {
        assert_eq!(
            m.subject,
            "【红色预警】噪声扰民 · 星沙街道开元东路18号 · 20件 · 大队长张某某牵头"
        );
    }
    assert_eq!(
        server.messages().len(),
        6,
        "exactly one message per step and recipient"
    );
    assert!(
        !recipients(&parse_all(&server))
            .iter()
            .any(|r| r == LEADER_XIANGLONG || r == DEPUTY_XIANGLONG),
        "the other street's leads are not told"
    );

    // The case sheet (案件单), opened and read back.
    let captain = &mails.iter().find(|m| m.to == [CAPTAIN]).unwrap();
    assert_eq!(captain.attachments.len(), 1);
    let (name, bytes) = &captain.attachments[0];
    assert_eq!(name, "XS250201-案件单.pdf");
    let pdf = ws.path("sheet.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let pages = crate::reports::pdf_pages(&pdf);
    assert_eq!(pages.len(), 1, "one page: {pages:?}");
    let text = pages.concat();
    for want in [
        "预警案件单",
        "红色预警",
        "噪声扰民",
        "投诉20件",
        "大队长 张某某",
        "夜间广场舞音响声音太大",
        "139****1019",
        "2025年2月20日 20:19",
    ] {
        assert!(text.contains(want), "{want} not in the case sheet:\n{text}");
    }
    assert!(
        !text.contains("13907311019"),
        "no full phone number in the sheet"
    );
    assert!(text.contains("我叫王**"), "{text}");
    shown_nowhere(&text, "the case sheet");

    // In the run history and the outbox.
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE job = 'notify' AND outcome = 'ok' AND messages_sent > 0"),
        3
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'notify' AND status = 'sent'"),
        6
    );
    let out = run_at(&ws, now, &["status"]);
    assert!(stdout(&out).contains("notify"), "{}", stdout(&out));

    // An admin resends the case: to its lead (the captain) and the admin, marked.
    let out = run_at(&ws, now, &["notify", "--resend", "XS250207"]);
    assert_exit(&out, 0);
    let mails = new_mail(&server, 6, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, CAPTAIN]));
    assert!(
        mails[0].subject.starts_with("【重发】【红色预警】"),
        "{}",
        mails[0].subject
    );
    // It says where the case stands, not that it was registered (it went green, yellow,
    // then red).
    for m in &mails {
        assert!(
            m.text.contains("现为红色预警（此前已通知，再次发送）"),
            "{}",
            m.text
        );
        assert!(!m.text.contains("登记为"), "{}", m.text);
    }
}

fn parse_all(server: &smtp::Smtp) -> Vec<Mail> {
    server.messages().iter().map(parse).collect()
}

#[test]
fn a_special_case_goes_at_once_in_the_quiet_hours_and_a_green_one_when_they_end() {
    let port = smtp::free_port();
    let ws = workspace(
        port,
        "[notify]\nquiet_hours = \"22:00-07:00\"\n\n[schedule]\ninbox = \"0 0 3 1 1 *\"\noutbox = \"* * * * * *\"\ncatch_up = false\n",
    );
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let mut rows = complaints(
        "GAS",
        5,
        "2025-02-20",
        "安全隐患",
        "湘龙街道东方红路100号",
        "湘龙街道",
        "楼下餐馆燃气罐露天堆放,有安全隐患",
    );
    rows.extend(complaints(
        "NOI",
        5,
        "2025-02-20",
        "噪音扰民",
        "星沙街道开元东路18号",
        "星沙街道",
        "夜间噪音",
    ));
    let file = ws.path("night.csv");
    export(&file, &rows);
    let out = run_at(
        &ws,
        "2025-03-01 23:30:00",
        &["ingest", file.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    // The special case at once: its group leader, the street committee, the admin.
    let mails = new_mail(&server, 0, 3);
    assert_eq!(
        recipients(&mails),
        sorted(&[ADMIN, LEADER_XIANGLONG, SPECIAL])
    );
    for m in &mails {
        assert!(
            m.subject.starts_with("【专门办·绿色预警】"),
            "{}",
            m.subject
        );
        assert!(m.text.contains("转为专门办"), "{}", m.text);
    }
    // The green one waits in the outbox, held until 07:00.
    assert!(
        stdout(&out).contains(&format!(
            "{LEADER_XINGSHA}: held for the quiet hours until 2025-03-02 07:00"
        )),
        "{}",
        stdout(&out)
    );
    let out = run_at(&ws, "2025-03-02 03:00:00", &["status"]);
    assert!(
        stdout(&out).contains("2025-03-02 07:00:00"),
        "{}",
        stdout(&out)
    );
    // Not even `outbox retry --all` sends it before the end.
    let out = run_at(&ws, "2025-03-02 03:00:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert_eq!(server.messages().len(), 3);

    // The daemon sends it once the quiet hours are over.
    let mut daemon = ws.spawn(
        &["-v", "serve"],
        &[
            ("HL_TEST_SMTP_PASSWORD", SECRET),
            (hotline_ledger::clock::NOW_VAR, "2025-03-02 07:00:05"),
        ],
    );
    daemon.wait_for(" serving ");
    let mails = new_mail(&server, 3, 2);
    daemon.signal(libc::SIGTERM);
    let (status, output) = daemon.finish();
    assert!(status.success(), "{output}");
    assert_eq!(recipients(&mails), sorted(&[ADMIN, LEADER_XINGSHA]));
    for m in &mails {
        assert_eq!(
            m.subject,
            "【绿色预警】噪声扰民 · 星沙街道开元东路18号 · 5件 · 组长王某某牵头"
        );
        assert!(m.text.contains("于2025年3月2日 07:00发出"), "{}", m.text);
        // Dated when it went out, not when it was written in the night.
        assert_eq!(m.date, "2025-03-02T07:00:05+08:00");
    }
    assert_eq!(server.messages().len(), 5, "each held message once");
}

#[test]
fn late_data_merging_two_cases_tells_only_the_higher_tier() {
    let port = smtp::free_port();
    let ws = workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let place = "星沙街道开元东路18号";
    let now = "2025-03-05 10:00:00";
    // Early January: 5 complaints (green). Late February: 10 more after a gap of more than
    // 30 days (a second case, yellow, recurring).
    let first = ws.path("jan.csv");
    export(
        &first,
        &complaints(
            "JAN",
            5,
            "2025-01-01",
            "噪音扰民",
            place,
            "星沙街道",
            "噪音",
        ),
    );
    assert_exit(&run_at(&ws, now, &["ingest", first.to_str().unwrap()]), 0);
    assert_eq!(new_mail(&server, 0, 2).len(), 2);
    let second = ws.path("feb.csv");
    export(
        &second,
        &complaints(
            "FEB",
            10,
            "2025-02-20",
            "噪音扰民",
            place,
            "星沙街道",
            "噪音",
        ),
    );
    assert_exit(&run_at(&ws, now, &["ingest", second.to_str().unwrap()]), 0);
    let mails = new_mail(&server, 2, 2);
    assert!(
        mails[0].subject.starts_with("【复发·黄色预警】"),
        "{}",
        mails[0].subject
    );

    // A late export with one complaint in the gap joins the two: 16 complaints, yellow,
    // which was told already: nothing.
    let bridge = ws.path("late-1.csv");
    export(
        &bridge,
        &complaints(
            "GAP",
            1,
            "2025-01-25",
            "噪音扰民",
            place,
            "星沙街道",
            "噪音",
        ),
    );
    let out = run_at(&ws, now, &["ingest", bridge.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("warning: case"), "{}", stdout(&out));
    let cases = stdout(&run_at(&ws, now, &["cases", "--format", "csv"]));
    assert!(
        cases.contains("JAN01,") && cases.contains(",16,"),
        "one case of 16: {cases}"
    );
    assert_eq!(server.messages().len(), 4);

    // Four more in the gap: 20, red: told once, to the captain and the admin.
    let more = ws.path("late-2.csv");
    export(
        &more,
        &complaints(
            "GBP",
            4,
            "2025-01-26",
            "噪音扰民",
            place,
            "星沙街道",
            "噪音",
        ),
    );
    let out = run_at(&ws, now, &["ingest", more.to_str().unwrap()]);
    assert_exit(&out, 0);
    let mails = new_mail(&server, 4, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, CAPTAIN]));
    assert_eq!(
        mails[0].subject,
        "【红色预警】噪声扰民 · 星沙街道开元东路18号 · 20件 · 大队长张某某牵头"
    );
    assert_eq!(server.messages().len(), 6);
    assert_eq!(
        ws.count("SELECT count(*) FROM notified"),
        3,
        "JAN01 green, FEB01 yellow, JAN01 red"
    );
}

/// A webhook receiver: answers each POST with the next status of `statuses` (then 200),
/// keeping the request line and the body.
struct Hook {
    url: String,
    got: Arc<Mutex<Vec<(String, String)>>>,
    /// Each request's head (request line and headers).
    heads: Arc<Mutex<Vec<String>>>,
}

fn hook_server(statuses: Vec<u16>) -> Hook {
    hook_server_with(statuses, false)
}

/// `hook_server`, answering with a Content-Length and, with `keep_open`, keeping each
/// connection open after its answer, as a bot behind a keep-alive proxy does.
fn hook_server_with(statuses: Vec<u16>, keep_open: bool) -> Hook {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&got);
    let heads = Arc::new(Mutex::new(Vec::new()));
    let kept_heads = Arc::clone(&heads);
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head, then as many body bytes as Content-Length says.
            loop {
                let n = stream.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
                if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&data[..end]).to_string();
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if data.len() >= end + 4 + length {
                        let line = head.lines().next().unwrap_or("").to_string();
                        let body =
                            String::from_utf8_lossy(&data[end + 4..end + 4 + length]).to_string();
                        kept.lock().unwrap().push((line, body));
                        kept_heads.lock().unwrap().push(head.clone());
                        break;
                    }
                }
            }
            let status = statuses.next().unwrap_or(200);
            // As WeCom (4,096 bytes of markdown.content) and DingTalk (20,000 of
            // markdown.text) answer a message over their limit.
            let length = |field: &str| {
                kept.lock().unwrap().last().and_then(|(_, body)| {
                    serde_json::from_str::<serde_json::Value>(body)
                        .ok()
                        .and_then(|v| v["markdown"][field].as_str().map(str::len))
                })
            };
            let body = if length("content").is_some_and(|n| n > 4096) {
                "{\"errcode\":40058,\"errmsg\":\"markdown.content exceed max length 4096\"}"
            } else if length("text").is_some_and(|n| n > 20_000) {
                "{\"errcode\":460101,\"errmsg\":\"message too long, exceed 20000 bytes\"}"
            } else if status == 200 {
                "{\"errcode\":0,\"errmsg\":\"ok\"}"
            } else {
                "busy"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n{body}",
                body.len(),
                if keep_open { "keep-alive" } else { "close" }
            );
            if keep_open {
                let _ = stream.flush();
                held.push(stream);
            }
        }
    });
    Hook {
        url: format!("http://127.0.0.1:{port}/cgi-bin/webhook/send"),
        got,
        heads,
    }
}

#[test]
fn a_bot_that_keeps_the_connection_open_is_posted_once_and_a_hung_one_times_out_after_the_mail() {
    let port = smtp::free_port();
    let hook = hook_server_with(Vec::new(), true);
    let ws = workspace(
        port,
        &format!(
            "[notify.webhook]\nurl = \"{}\"\nformat = \"wecom\"\ntimeout_secs = 3\n",
            hook.url
        ),
    );
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let file = ws.path("a.csv");
    let place = |prefix: &str, address: &str| {
        complaints(
            prefix,
            5,
            "2025-02-20",
            "噪音扰民",
            address,
            "星沙街道",
            "噪音",
        )
    };
    export(&file, &place("KA", "星沙街道开元东路18号"));
    let started = std::time::Instant::now();
    let out = run_at(
        &ws,
        "2025-03-01 10:00:00",
        &["ingest", file.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("accepted by http://127.0.0.1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(hook.got.lock().unwrap().len(), 1, "posted once");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "not held until the timeout"
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status = 'sent'"),
        1
    );
    assert_eq!(new_mail(&server, 0, 2).len(), 2);

    // A bot that takes the post and never answers: the mail of the next case goes first,
    // and the chat message fails saying it timed out (it stays queued).
    let hung = TcpListener::bind("127.0.0.1:0").unwrap();
    let hung_url = format!("http://{}/cgi-bin/webhook/send", hung.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in hung.incoming().flatten() {
            held.push(stream);
        }
    });
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    std::fs::write(&ws.config_path, text.replace(&hook.url, &hung_url)).unwrap();
    let file = ws.path("b.csv");
    export(&file, &place("KB", "星沙街道开元东路99号"));
    let out = run_at(
        &ws,
        "2025-03-01 11:00:00",
        &["ingest", file.to_str().unwrap()],
    );
    // The file loaded; the chat message waits in the outbox, as a refused one does.
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("timed out waiting for the answer"),
        "{}",
        stdout(&out)
    );
    assert_eq!(new_mail(&server, 2, 2).len(), 2);
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status = 'queued' AND last_error LIKE '%timed out%'"),
        1
    );
}

#[test]
fn a_run_of_many_cases_reaches_a_wecom_group_in_messages_within_its_limit() {
    let (hook, ws) = chat_run("", "format = \"wecom\"\n", "M", 15);
    let got = hook.got.lock().unwrap().clone();
    assert!(
        got.len() > 1,
        "one message could not hold 15 cases: {}",
        got.len()
    );
    let mut told = Vec::new();
    for (i, (_, body)) in got.iter().enumerate() {
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let content = json["markdown"]["content"].as_str().unwrap();
        assert!(
            content.len() <= 4096,
            "message {i}: {} bytes",
            content.len()
        );
        assert!(
            content.contains("预警通知"),
            "each message is whole: {content}"
        );
        for place in 0..15 {
            if content.contains(&format!("案件编号：M{place:02}-01")) {
                told.push(place);
            }
        }
    }
    told.sort();
    assert_eq!(told, (0..15).collect::<Vec<_>>(), "every case once");
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status = 'sent'"),
        got.len() as i64
    );
    // A message over the limit that an earlier version queued (one message a run) goes in
    // parts within the limit instead of being refused on every retry.
    let before = got.len();
    queued_chat(&ws, "old run", &long_run(), 3);
    let out = run_at(&ws, "2025-03-01 10:05:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    let posted = hook.got.lock().unwrap()[before..].to_vec();
    assert_posted_once(&posted);
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status <> 'sent'"),
        0
    );
}

/// A run's chat message as an earlier version queued it: a heading and 200 lines, over
/// WeCom's 4,096 bytes.
fn long_run() -> String {
    let lines: Vec<String> = (0..200)
        .map(|i| format!("- 噪声扰民 · 星沙街道开元东路{i}号 · 5件"))
        .collect();
    format!("## 预警通知\n{}", lines.join("\n"))
}

/// The posts of `long_run`: each within the limit, every line once and in order.
fn assert_posted_once(posted: &[(String, String)]) {
    assert!(posted.len() >= 2, "{}", posted.len());
    let mut lines: Vec<String> = Vec::new();
    for (_, body) in posted {
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let content = json["markdown"]["content"].as_str().unwrap();
        assert!(content.len() <= 4096, "{} bytes", content.len());
        lines.extend(content.lines().map(str::to_string));
    }
    assert_eq!(lines.join("\n"), long_run());
}

#[test]
fn a_long_message_whose_second_part_fails_keeps_only_what_was_not_posted() {
    // The first post is taken, the second refused, then all are taken.
    let hook = hook_server(vec![200, 503]);
    let ws = wecom_workspace(&hook);
    queued_chat(&ws, "old run", &long_run(), 3);
    let out = run_at(&ws, "2025-03-01 10:00:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 1);
    let out = run_at(&ws, "2025-03-01 10:01:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    // The refused post was tried again; what was taken was not posted twice.
    let got = hook.got.lock().unwrap().clone();
    let taken: Vec<(String, String)> = got
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, post)| post.clone())
        .collect();
    assert_posted_once(&taken);
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status = 'sent'"),
        1
    );
}

#[test]
fn a_case_whose_lead_is_not_configured_reaches_the_admin_saying_nobody_else_was_told() {
    let port = smtp::free_port();
    let ws = workspace(port, "");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let file = ws.path("quantang.csv");
    // 泉塘街道 has no group leader in the config.
    export(
        &file,
        &complaints(
            "QT",
            5,
            "2025-02-01",
            "噪音扰民",
            "泉塘街道万家丽路1号",
            "泉塘街道",
            "噪音",
        ),
    );
    let out = run_at(
        &ws,
        "2025-02-21 10:00:00",
        &["ingest", file.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    let mails = new_mail(&server, 0, 1);
    assert_eq!(recipients(&mails), sorted(&[ADMIN]));
    assert!(
        mails[0]
            .text
            .contains("没有其他人收到本通知：本案的牵头人未配置或未留邮箱，请转告牵头人"),
        "{}",
        mails[0].text
    );
}

#[test]
fn the_chat_webhook_gets_the_warning_and_a_failed_post_is_retried() {
    let port = smtp::free_port();
    let hook = hook_server(vec![503, 503]);
    let ws = workspace(
        port,
        &format!(
            "[notify.webhook]\nurl = \"{}\"\nformat = \"wecom\"\nsecret_env = \"HL_TEST_HOOK_SECRET\"\n\n[delivery]\nretry_initial_secs = 1\nretry_max_secs = 1\n\n[web]\npublic_url = \"https://ledger.xingsha.example/\"\n",
            hook.url
        ),
    );
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let file = ws.path("a.csv");
    export(
        &file,
        &complaints(
            "WH",
            5,
            "2025-02-20",
            "噪音扰民",
            "星沙街道开元东路18号",
            "星沙街道",
            "噪音",
        ),
    );
    let out = run_at(
        &ws,
        "2025-03-01 10:00:00",
        &["ingest", file.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    let mails = new_mail(&server, 0, 2);
    assert_eq!(mails.len(), 2, "the mail goes whatever the webhook does");
    // With the console's public address configured, each warning links to its case page.
    for m in &mails {
        assert!(
            m.text
                .contains("管理后台：https://ledger.xingsha.example/cases/WH01"),
            "{}",
            m.text
        );
    }
    assert!(
        stdout(&out).contains("http://127.0.0.1") && stdout(&out).contains("HTTP 503"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE kind = 'webhook' AND status = 'queued' AND last_error LIKE '%503%'"),
        1
    );
    // `notify` by hand sends what waits, whatever its back-off, and exits 1 while it
    // still fails; the run is recorded as failed.
    let out = run_at(&ws, "2025-03-01 10:00:05", &["notify"]);
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("still not sent") && stdout(&out).contains("HTTP 503"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("nothing to send"),
        "{}",
        stdout(&out)
    );
    // The ingest's notify run and this one: both failed to send, neither is "ok".
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE job = 'notify' AND outcome <> 'ok'"),
        2
    );
    // Again, once the bot takes it: delivered once.
    let out = run_at(&ws, "2025-03-01 10:00:30", &["notify"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("waiting since an earlier run: accepted by http://127.0.0.1"),
        "{}",
        stdout(&out)
    );
    let got = hook.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3, "two failed posts, one delivered");
    let (line, body) = &got[2];
    let key: String = url::form_urlencoded::byte_serialize(HOOK_SECRET.as_bytes()).collect();
    assert_eq!(
        line,
        &format!("POST /cgi-bin/webhook/send?key={key} HTTP/1.1")
    );
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["msgtype"], "markdown");
    let content = json["markdown"]["content"].as_str().unwrap();
    assert!(
        content.contains("【绿色预警】噪声扰民 · 星沙街道开元东路18号 · 5件"),
        "{content}"
    );
    assert!(
        content.contains("[查看案件](https://ledger.xingsha.example/cases/WH01)"),
        "{content}"
    );
    // The secret is in no stored message or log line.
    assert_eq!(
        ws.count(&format!("SELECT count(*) FROM outbox WHERE contains(CAST(message AS VARCHAR), '{key}') OR contains(coalesce(last_error, ''), '{key}')")),
        0
    );
    let out = run_at(&ws, "2025-03-01 10:01:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert_eq!(hook.got.lock().unwrap().len(), 3, "never twice");
}

#[test]
fn the_daemon_tells_the_lead_within_one_inbox_cycle() {
    let port = smtp::free_port();
    // The inbox is scanned every 2 seconds; the outbox job never runs during the test, so
    // the message can only come from the scan itself.
    let ws = workspace(
        port,
        "[schedule]\ninbox = \"*/2 * * * * *\"\noutbox = \"0 0 3 1 1 *\"\ncatch_up = false\n",
    );
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let mut daemon = ws.spawn(&["-v", "serve"], &[("HL_TEST_SMTP_PASSWORD", SECRET)]);
    daemon.wait_for(" serving ");
    // Five complaints of the last hours, written beside the inbox and moved in at once.
    let now = hotline_ledger::clock::now_in(chrono_tz::Asia::Shanghai) - chrono::Duration::hours(6);
    let day = now.format("%Y-%m-%d").to_string();
    let mut rows = complaints(
        "LIVE",
        5,
        &day,
        "噪音扰民",
        "星沙街道开元东路18号",
        "星沙街道",
        "噪音",
    );
    for (i, r) in rows.iter_mut().enumerate() {
        r[1] = (now + chrono::Duration::minutes(i as i64))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
    }
    let staged = ws.path("staged.csv");
    export(&staged, &rows);
    std::fs::create_dir_all(ws.path("inbox")).unwrap();
    let landed = Instant::now();
    std::fs::rename(&staged, ws.path("inbox/live.csv")).unwrap();
    let deadline = landed + PATIENCE;
    while server.messages().len() < 2 {
        assert!(Instant::now() < deadline, "no warning from the daemon");
        std::thread::sleep(Duration::from_millis(10));
    }
    let latency = landed.elapsed();
    daemon.signal(libc::SIGTERM);
    let (status, output) = daemon.finish();
    assert!(status.success(), "{output}");
    println!(
        "inbox to the lead's message: {:.2} s (inbox cycle 2 s)",
        latency.as_secs_f64()
    );
    let mails = new_mail(&server, 0, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, LEADER_XINGSHA]));
    // Sent by the notify run of the scan that loaded the file, not by an outbox retry.
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE job = 'outbox'"),
        0
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM job_runs WHERE job = 'notify' AND trigger = 'schedule' AND messages_sent = 2"),
        1
    );
}

#[test]
fn a_bad_notify_setting_is_refused_naming_its_key() {
    use hotline_ledger::config::Config;
    let parse = |text: &str| {
        Config::parse(text, "t.toml", Path::new("/tmp"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        parse("[web]\npublic_url = \"ledger.xingsha.example\"\n"),
        "config file t.toml: key `web.public_url`: \"ledger.xingsha.example\" is not a web address such as \"https://ledger.example.cn\""
    );
    assert_eq!(
        parse("[notify]\nquiet_hours = \"22-7\"\n"),
        "config file t.toml: key `notify.quiet_hours`: \"22-7\" is not a time range: write it as \"HH:MM-HH:MM\", e.g. \"22:00-07:00\""
    );
    assert_eq!(
        parse("[notify.webhook]\nurl = \"ftp://bot.example/x\"\nformat = \"wecom\"\n"),
        "config file t.toml: key `notify.webhook.url`: \"ftp://bot.example/x\": the address must start with https:// or http://, not ftp://"
    );
    assert_eq!(
        parse("[notify.webhook]\nurl = \"https://bot.example/x\"\nformat = \"wecom\"\nsecret = \"k\"\n"),
        "config file t.toml: key `notify.webhook.secret`: the secret does not belong in the config: name an environment variable with notify.webhook.secret_env or a file with notify.webhook.secret_file"
    );
    assert!(
        parse("[notify.webhook]\nurl = \"https://bot.example/x\"\nformat = \"slack\"\n")
            .contains("unknown variant `slack`")
    );
    assert!(
        parse("[notify]\nquiet_hour = \"22:00-07:00\"\n").contains("unknown field `quiet_hour`")
    );
    assert_eq!(parse("[notify]\nquiet_hours = \"22:00-07:00\"\n"), "");
}

#[test]
fn a_lead_listing_no_street_leads_the_streets_no_one_else_covers() {
    use hotline_ledger::codes::Tier;
    use hotline_ledger::config::Config;
    let config = Config::parse(
        "[[leads.group_leaders]]\nname = \"王某某\"\nstreets = [\"星沙街道\"]\n\n[[leads.group_leaders]]\nname = \"值班组长\"\n",
        "t.toml",
        Path::new("/tmp"),
    )
    .unwrap();
    assert_eq!(
        config.leads.label(Tier::Green, "星沙街道", ""),
        "组长 王某某"
    );
    assert_eq!(
        config.leads.label(Tier::Green, "湘龙街道", ""),
        "组长 值班组长"
    );
    assert_eq!(config.leads.label(Tier::Green, "", ""), "组长 值班组长");
    assert_eq!(config.leads.label(Tier::Red, "星沙街道", ""), "大队长");
}

#[test]
fn without_a_mail_server_warnings_are_eml_files_and_cases_marked_told_are_not_sent() {
    // Warnings switched off while the history is loaded, as on an existing installation.
    let ws = Workspace::with_config(&format!("{}\n[notify]\nenabled = false\n", leads()));
    let now = "2025-02-21 10:00:00";
    let all = complaints(
        "OLD",
        10,
        "2025-02-01",
        "噪音扰民",
        "星沙街道开元东路18号",
        "星沙街道",
        "噪音",
    );
    let first = ws.path("old.csv");
    export(&first, &all[..6]);
    assert_exit(&run_at(&ws, now, &["ingest", first.to_str().unwrap()]), 0);
    assert_eq!(ws.count("SELECT count(*) FROM notified"), 0);
    let out = run_at(&ws, now, &["notify", "--dry-run"]);
    assert!(
        stdout(&out).contains(&format!(
            "would send now to 王某某 <{LEADER_XINGSHA}>: 【绿色预警】"
        )),
        "{}",
        stdout(&out)
    );
    let out = run_at(&ws, now, &["notify", "--mark-told"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("1 event(s) recorded as told"),
        "{}",
        stdout(&out)
    );
    assert!(!ws.path("out/outbox").exists(), "nothing sent");

    // Warnings on: only what is new is told, as .eml files.
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    std::fs::write(
        &ws.config_path,
        text.replace("enabled = false", "enabled = true"),
    )
    .unwrap();
    let second = ws.path("new.csv");
    export(&second, &all[6..]);
    let out = run_at(&ws, now, &["ingest", second.to_str().unwrap()]);
    assert_exit(&out, 0);
    let mut files: Vec<_> = std::fs::read_dir(ws.path("out/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut to = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            name.contains("-notify-") && name.ends_with(".eml"),
            "{name}"
        );
        let message = MessageParser::default()
            .parse(&std::fs::read(f).unwrap())
            .unwrap()
            .into_owned();
        assert_eq!(
            message.subject(),
            Some("【黄色预警】噪声扰民 · 星沙街道开元东路18号 · 10件 · 副大队长李某某牵头")
        );
        to.push(
            message
                .to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_string(),
        );
    }
    to.sort();
    assert_eq!(to, sorted(&[ADMIN, DEPUTY_XINGSHA]));
}

#[test]
fn more_cases_at_once_than_max_cases_go_to_the_admin_not_the_leads() {
    let ws = Workspace::with_config(&format!("{}\n[notify]\nmax_cases = 1\n", leads()));
    let now = "2025-02-21 10:00:00";
    let mut rows = complaints(
        "HA",
        5,
        "2025-02-01",
        "噪音扰民",
        "星沙街道开元东路18号",
        "星沙街道",
        "噪音",
    );
    rows.extend(complaints(
        "HB",
        5,
        "2025-02-01",
        "占道经营",
        "湘龙街道万家丽路88号",
        "湘龙街道",
        "占道",
    ));
    let file = ws.path("history.csv");
    export(&file, &rows);
    let out = run_at(&ws, now, &["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "2 cases call for a warning at once, more than notify.max_cases (1): none was sent"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(ws.count("SELECT count(*) FROM notified"), 0);
    let names: Vec<String> = std::fs::read_dir(ws.path("out/outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].contains(ADMIN), "{names:?}");
    // In Chinese, naming each case, for an admin without a terminal at hand.
    let eml = std::fs::read(ws.path("out/outbox").join(&names[0])).unwrap();
    let message = MessageParser::default().parse(&eml).unwrap();
    let text = message.body_text(0).unwrap().to_string();
    assert!(text.contains("本次共有2起案件需要发出预警"), "{text}");
    assert!(
        text.contains("- HA01 · 噪声扰民 · 星沙街道开元东路18号 · 绿色预警 · 5件"),
        "{text}"
    );
    assert!(text.contains("- HB01 · 占道经营"), "{text}");
    // By hand, `notify` sends them all: one message for each lead, one for the admin.
    let out = run_at(&ws, now, &["notify"]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM notified"), 2);
    assert_eq!(std::fs::read_dir(ws.path("out/outbox")).unwrap().count(), 4);
}

/// A workspace whose warnings go to `hook` as WeCom messages (and mail to a port nobody
/// listens on), its database made by one complaint that warns of nothing.
fn wecom_workspace(hook: &Hook) -> Workspace {
    let ws = workspace(
        smtp::free_port(),
        &format!(
            "[notify.webhook]\nurl = \"{}\"\nformat = \"wecom\"\n",
            hook.url
        ),
    );
    let file = ws.path("one.csv");
    export(
        &file,
        &complaints(
            "ONE",
            1,
            "2025-02-20",
            "噪音扰民",
            "星沙街道开元东路18号",
            "星沙街道",
            "噪音",
        ),
    );
    assert_exit(
        &run_at(
            &ws,
            "2025-03-01 09:00:00",
            &["ingest", file.to_str().unwrap()],
        ),
        0,
    );
    ws
}

/// A WeCom chat message left queued by an earlier run (at 09:00, after `attempts` tries).
fn queued_chat(ws: &Workspace, period: &str, markdown: &str, attempts: i64) {
    let body = serde_json::to_vec(&serde_json::json!({
        "msgtype": "markdown",
        "markdown": { "content": markdown },
    }))
    .unwrap();
    ws.db()
        .execute(
            "INSERT INTO outbox (message_id, kind, period, recipient, preview, forced, subject, message, size_bytes, status, attempts, queued_at, next_attempt_at) SELECT coalesce(max(message_id), 0) + 1, 'webhook', ?, 'webhook', false, false, 'x', ?, 1, 'queued', ?, TIMESTAMP '2025-03-01 09:00:00', TIMESTAMP '2025-03-01 09:00:00' FROM outbox",
            duckdb::params![period, body, attempts],
        )
        .unwrap();
}

#[test]
fn a_chat_bot_is_sent_at_most_20_messages_a_minute_and_the_rest_wait_their_turn() {
    let hook = hook_server(Vec::new());
    let ws = wecom_workspace(&hook);
    // 25 chat messages waiting (a long run split, or several runs in one minute).
    for i in 0..25 {
        queued_chat(&ws, &format!("run {i}"), &format!("## 预警通知 {i}"), 0);
    }
    let out = run_at(&ws, "2025-03-01 10:00:00", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert_eq!(hook.got.lock().unwrap().len(), 20, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the bot takes 20 messages a minute; it goes at 10:01:00"),
        "{}",
        stdout(&out)
    );
    // Not even --all sends them within the minute; nothing counts as a failed attempt.
    let out = run_at(&ws, "2025-03-01 10:00:40", &["outbox", "retry", "--all"]);
    assert_exit(&out, 0);
    assert_eq!(hook.got.lock().unwrap().len(), 20);
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE attempts > 0 AND status = 'queued'"),
        0
    );
    // A minute on, the rest go, each once and in order.
    let out = run_at(&ws, "2025-03-01 10:01:00", &["outbox", "retry"]);
    assert_exit(&out, 0);
    let got = hook.got.lock().unwrap().clone();
    assert_eq!(got.len(), 25);
    for (i, (_, body)) in got.iter().enumerate() {
        assert!(body.contains(&format!("预警通知 {i}\"")), "{i}: {body}");
    }
    assert_eq!(
        ws.count("SELECT count(*) FROM outbox WHERE status = 'sent'"),
        25
    );
}

#[test]
fn a_complaint_naming_a_hazard_is_told_at_once_below_green_once_per_place_and_episode() {
    let port = smtp::free_port();
    let ws = workspace(port, "[notify]\nquiet_hours = \"22:00-07:00\"\n");
    let server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let place = "星沙街道开元东路200号";
    let hazard = "楼道里堆满纸箱，把消防通道堵死了，很危险";
    // One complaint, in the quiet hours: the special contact and the admin, at once.
    let first = ws.path("1.csv");
    export(
        &first,
        &complaints("HZ", 1, "2025-03-01", "乱堆放", place, "星沙街道", hazard),
    );
    let out = run_at(
        &ws,
        "2025-03-01 23:30:00",
        &["ingest", first.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    let mails = new_mail(&server, 0, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, SPECIAL]));
    for m in &mails {
        assert!(
            m.subject
                .starts_with("【专门办·安全隐患】楼道堆物 · 星沙街道开元东路200号 · 1件"),
            "{}",
            m.subject
        );
        assert!(
            m.text
                .contains("投诉涉及安全隐患，未达预警（1件）即报专门办"),
            "{}",
            m.text
        );
        assert!(m.attachments.is_empty(), "no case sheet below green");
    }
    // A second complaint naming it, the same episode: nobody is told again.
    let rows = complaints("HZ", 5, "2025-03-01", "乱堆放", place, "星沙街道", hazard);
    let second = ws.path("2.csv");
    export(&second, &rows[..2]);
    let out = run_at(
        &ws,
        "2025-03-02 09:00:00",
        &["ingest", second.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    // (The server records a message before it answers: what the run sent is there.)
    assert_eq!(server.messages().len(), 2);
    // Reaching green: registered to the street's group leader, the hazard not told again.
    let third = ws.path("3.csv");
    export(&third, &rows);
    let out = run_at(
        &ws,
        "2025-03-06 09:00:00",
        &["ingest", third.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    let mails = new_mail(&server, 2, 2);
    assert_eq!(recipients(&mails), sorted(&[ADMIN, LEADER_XINGSHA]));
    for m in &mails {
        assert!(m.subject.starts_with("【绿色预警】"), "{}", m.subject);
        assert!(m.text.contains("登记为绿色预警"), "{}", m.text);
        assert!(!m.text.contains("专门办（安全隐患）"), "{}", m.text);
    }
    assert_eq!(server.messages().len(), 4);
}

/// `n` places of 5 complaints each loaded at once, their warnings going to a local bot
/// (`webhook`: the [notify.webhook] lines after its url; `notify`: [notify] lines) and to a
/// mail server that takes them: the bot and the workspace, every warning sent.
fn chat_run(notify: &str, webhook: &str, prefix: &str, n: usize) -> (Hook, Workspace) {
    let port = smtp::free_port();
    let hook = hook_server(Vec::new());
    let ws = workspace(
        port,
        &format!(
            "[notify]\n{notify}\n[notify.webhook]\nurl = \"{}\"\n{webhook}",
            hook.url
        ),
    );
    let _server = smtp::start(ws.dir.path(), port, "ledger", SECRET);
    let file = places(&ws, prefix, n);
    let out = run_at(
        &ws,
        "2025-03-01 10:00:00",
        &["ingest", file.to_str().unwrap()],
    );
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("not sent yet"), "{}", stdout(&out));
    (hook, ws)
}

/// An export of `n` places of 5 complaints each (cases `{prefix}00-01`, …), for a run
/// longer than one chat message.
fn places(ws: &Workspace, prefix: &str, n: usize) -> std::path::PathBuf {
    let file = ws.path(&format!("{prefix}-places.csv"));
    let mut rows = Vec::new();
    for place in 0..n {
        rows.extend(complaints(
            &format!("{prefix}{place:02}-"),
            5,
            "2025-02-20",
            "噪音扰民",
            &format!("星沙街道开元东路{}号", 100 + place),
            "星沙街道",
            "夜间广场舞音响声音太大,影响周边居民休息,请执法部门尽快到现场处理,多次反映未果",
        ));
    }
    export(&file, &rows);
    file
}

#[test]
fn a_dingtalk_bot_gets_signed_messages_within_its_limit() {
    use hmac::{Hmac, Mac};
    let (hook, _ws) = chat_run(
        "max_cases = 100\n",
        "format = \"dingtalk\"\nsecret_env = \"HL_TEST_HOOK_SECRET\"\n",
        "S",
        60,
    );
    let got = hook.got.lock().unwrap().clone();
    assert!(got.len() > 1, "60 cases do not fit one message");
    let mut told = 0;
    for (i, (line, body)) in got.iter().enumerate() {
        // Signed as DingTalk checks it: HMAC-SHA256 of "timestamp\nsecret" with the secret.
        let target = line.split(' ').nth(1).unwrap();
        let query: std::collections::HashMap<String, String> =
            url::Url::parse(&format!("http://x{target}"))
                .unwrap()
                .query_pairs()
                .into_owned()
                .collect();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
        mac.update(format!("{}\n{HOOK_SECRET}", query["timestamp"]).as_bytes());
        use base64::Engine;
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(query["sign"], expected, "post {i}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["msgtype"], "markdown");
        let text = json["markdown"]["text"].as_str().unwrap();
        assert!(text.len() <= 20_000, "post {i}: {} bytes", text.len());
        assert!(json["markdown"]["title"].as_str().unwrap().contains("预警"));
        told += text.matches("案件编号：S").count();
    }
    assert_eq!(told, 60, "every case once");
}

#[test]
fn a_json_receiver_gets_the_events_with_its_bearer_token() {
    let (hook, _ws) = chat_run(
        "",
        "format = \"json\"\nsecret_env = \"HL_TEST_HOOK_SECRET\"\n",
        "JS",
        1,
    );
    let got = hook.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let head = hook.heads.lock().unwrap()[0].clone();
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case(&format!("authorization: Bearer {HOOK_SECRET}"))),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    assert!(json["title"].as_str().unwrap().starts_with("【绿色预警】"));
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["case_id"], "JS00-01");
    assert_eq!(events[0]["tier"], "green");
    assert_eq!(events[0]["events"][0]["kind"], "registered");
}
