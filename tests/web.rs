//! The web console over HTTP: the real binary's `web` on a free port, a small HTTP client,
//! every page and action — login required, viewers refused on actions, a POST without
//! the CSRF token refused, personal data masked, actions in the audit log, a broken upload
//! refused with the ingest's message and nothing changed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use crate::common::*;

pub const ADMIN_PASSWORD: &str = "admin-pass-1";
pub const VIEWER_PASSWORD: &str = "viewer-pass-1";
pub const LEAD_PASSWORD: &str = "lead-pass-1";

/// A response: status, headers (lower-case names), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The console running on a workspace with the sample exports and the subjects scenario
/// loaded, an admin and a viewer.
pub struct Console {
    pub ws: Workspace,
    pub process: Spawned,
    pub addr: String,
}

pub fn console_config() -> String {
    let admin = hotline_ledger::web::auth::hash_password(ADMIN_PASSWORD).unwrap();
    let viewer = hotline_ledger::web::auth::hash_password(VIEWER_PASSWORD).unwrap();
    let lead = hotline_ledger::web::auth::hash_password(LEAD_PASSWORD).unwrap();
    format!(
        r#"[recipients]
weekly = ["leader@example.gov.cn", "office@example.gov.cn"]
monthly = ["leader@example.gov.cn"]
admin = "admin@example.gov.cn"

[subjects]
merge_at = 0.99
suggest_at = 0.6

[web]
listen = "127.0.0.1:0"

[[web.users]]
name = "admin"
role = "admin"
password_hash = "{admin}"

[[web.users]]
name = "viewer"
role = "viewer"
password_hash = "{viewer}"

[[web.users]]
name = "lisi"
role = "lead"
lead = "李某某"
password_hash = "{lead}"

[leads]
captain = {{ name = "张某某", email = "captain@example.gov.cn" }}

[[leads.deputies]]
name = "李某某"
streets = ["湘龙街道", "泉塘街道"]
"#
    )
}

/// Waits for the console's "web console: SCHEME://ADDR/" line; returns ADDR.
pub fn listening(process: &mut Spawned, scheme: &str) -> String {
    let prefix = format!("web console: {scheme}://");
    let line = process.wait_for(&prefix);
    line.trim_start_matches(prefix.as_str())
        .trim_end_matches('/')
        .to_string()
}

impl Console {
    pub fn start() -> Console {
        let ws = Workspace::with_config(&console_config());
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut args: Vec<String> = vec!["ingest".into()];
        for f in [
            "sample-inputs/2025-01-上半月-12345工单导出.xlsx",
            "sample-inputs/2025-01-县热线工单.csv",
            "sample-inputs/2025-02-工单导出.csv",
            "tests/fixtures/subjects/scenario/2025-01-工单导出.csv",
            "tests/fixtures/subjects/scenario/2025-02-工单导出.csv",
            "tests/fixtures/subjects/scenario/2025-03-工单导出.csv",
        ] {
            args.push(root.join(f).display().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = ws.run(&args);
        assert_exit(&out, 0);
        Console::serve(ws)
    }

    /// The console (`web`) of a workspace, once it listens.
    pub fn serve(ws: Workspace) -> Console {
        let mut process = ws.spawn(&["web"], &[]);
        let addr = listening(&mut process, "http");
        Console { ws, process, addr }
    }

    #[allow(dead_code)]
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// One request; `cookie` is sent as the Cookie header.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        cookie: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Reply {
        let mut s = TcpStream::connect(&self.addr).expect("console listens");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if !cookie.is_empty() {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(t) = content_type {
            head.push_str(&format!("Content-Type: {t}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        parse_reply(&raw)
    }

    pub fn get(&self, path: &str, cookie: &str) -> Reply {
        self.request("GET", path, cookie, None, b"")
    }

    pub fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            cookie,
            Some("application/x-www-form-urlencoded"),
            body.as_bytes(),
        )
    }

    /// An action's answer: a redirect (post/redirect/get); returns the page it leads to.
    pub fn follow(&self, r: &Reply, session: &str) -> Reply {
        assert_eq!(r.status, 303, "an action redirects: {}", r.text());
        let to = r
            .header("location")
            .expect("a redirect names its page")
            .to_string();
        self.get(&to, session)
    }

    /// Logs in; returns the session cookie ("hl_session=...") and the CSRF token.
    pub fn login(&self, name: &str, password: &str) -> (String, String) {
        let page = self.get("/login", "");
        let login_cookie = cookie_of(&page, "hl_login").expect("login cookie");
        let token = csrf_of(&page.text());
        let r = self.post(
            "/login",
            &login_cookie,
            &[("name", name), ("password", password), ("csrf", &token)],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let session = cookie_of(&r, "hl_session").expect("session cookie");
        let home = self.get("/", &session);
        assert_eq!(home.status, 200, "{}", home.text());
        (session, csrf_of(&home.text()))
    }

    /// The audit log as (user, action, target) rows, from the database (the console must
    /// have been stopped) — or, while it runs, from the 运行记录 page.
    pub fn audit_page(&self, session: &str) -> String {
        self.get("/runs", session).text()
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// "name=value" of a Set-Cookie in the reply.
pub fn cookie_of(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.split(';').next().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")) && c.len() > name.len() + 1)
}

/// The first CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 19..];
    rest[..rest.find('"').unwrap()].to_string()
}

const RED_CASE: &str = "GD202501040001";
const AS_OF: &str = "2025-02-28";

#[test]
fn every_page_needs_a_login() {
    let c = Console::start();
    for path in [
        "/",
        "/cases",
        "/cases.csv",
        "/cases.xlsx",
        "/cases/GD202501040001",
        "/subjects",
        "/reports",
        "/import",
        "/runs",
        "/reports/file/x.pdf",
        "/help",
        "/help/images/01-login-1280.png",
    ] {
        let r = c.get(path, "");
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.header("location"), Some("/login"), "{path}");
    }
    let r = c.post("/cases/GD202501040001/handling", "", &[("measures", "x")]);
    assert_eq!(r.status, 303);
    let r = c.get("/", "hl_session=made-up");
    assert_eq!(r.status, 303);
}

#[test]
fn a_wrong_password_is_refused_and_logins_are_rate_limited() {
    let c = Console::start();
    let page = c.get("/login", "");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let login_cookie = cookie_of(&page, "hl_login").unwrap();
    assert!(page.headers.iter().any(|(k, v)| k == "set-cookie"
        && v.contains("HttpOnly")
        && v.contains("SameSite=Strict")));
    let token = csrf_of(&page.text());
    // No token: refused before the password is even looked at.
    let r = c.post(
        "/login",
        &login_cookie,
        &[("name", "admin"), ("password", ADMIN_PASSWORD)],
    );
    assert_eq!(r.status, 403);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let r = c.post(
            "/login",
            &login_cookie,
            &[("name", "admin"), ("password", "wrong"), ("csrf", &token)],
        );
        assert!(r.text().contains("用户名或密码错误") || r.text().contains("登录失败次数过多"));
        statuses.push(r.status);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    // Even the right password waits now.
    let r = c.post(
        "/login",
        &login_cookie,
        &[
            ("name", "admin"),
            ("password", ADMIN_PASSWORD),
            ("csrf", &token),
        ],
    );
    assert_eq!(r.status, 429);
    // Another user from the same address is not held up yet.
    let (session, _) = c.login("viewer", VIEWER_PASSWORD);
    assert!(session.starts_with("hl_session="));
}

#[test]
fn wrong_passwords_sent_at_once_get_no_more_checks_than_the_limit() {
    let c = Console::start();
    let page = c.get("/login", "");
    let login_cookie = cookie_of(&page, "hl_login").unwrap();
    let token = csrf_of(&page.text());
    let addr = c.addr.as_str();
    let start = std::sync::Barrier::new(40);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let tries: Vec<_> = (0..40)
            .map(|_| {
                scope.spawn(|| {
                    let body = format!("name=admin&password=wrong&csrf={}", enc(&token));
                    let request = format!(
                        "POST /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {login_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    start.wait();
                    let mut s = TcpStream::connect(addr).expect("console listens");
                    s.write_all(request.as_bytes()).unwrap();
                    let mut raw = Vec::new();
                    s.read_to_end(&mut raw).unwrap();
                    parse_reply(&raw).status
                })
            })
            .collect();
        tries.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 35), "{statuses:?}");
}

#[test]
fn every_page_renders_for_a_viewer_without_action_buttons() {
    let c = Console::start();
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    for path in [
        "/",
        "/cases",
        &format!("/cases?as_of={AS_OF}&tier=red"),
        &format!("/cases/{RED_CASE}?as_of={AS_OF}"),
        "/subjects",
        "/reports",
        "/import",
        "/runs",
        "/help",
    ] {
        let r = c.get(path, &s);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        let html = r.text();
        assert!(html.contains("viewer（只读）"), "{path}");
        assert!(!html.contains("id=\"add-entry\""), "{path}");
        assert!(!html.contains("id=\"upload\""), "{path}");
        assert!(!html.contains("class=\"merge\""), "{path}");
    }
    assert_eq!(c.get("/no/such/page", &s).status, 404);
    assert_eq!(c.get("/cases/NOPE?as_of=2025-02-28", &s).status, 404);
    assert_eq!(c.get("/cases?tier=purple", &s).status, 400);
}

#[test]
fn viewers_are_refused_every_action() {
    let c = Console::start();
    let (s, token) = c.login("viewer", VIEWER_PASSWORD);
    for (path, form) in [
        (
            format!("/cases/{RED_CASE}/handling"),
            vec![("measures", "上门劝导")],
        ),
        (format!("/cases/{RED_CASE}/unmask"), vec![]),
        (
            "/subjects/decide".into(),
            vec![("a", "x"), ("b", "y"), ("action", "merge")],
        ),
        ("/subjects/undo".into(), vec![("id", "1")]),
        (
            "/reports/make".into(),
            vec![("kind", "weekly"), ("period", "2025-W05")],
        ),
        (
            "/reports/preview".into(),
            vec![("kind", "weekly"), ("period", "2025-W05")],
        ),
        (
            "/reports/send".into(),
            vec![("kind", "weekly"), ("period", "2025-W05")],
        ),
        (
            "/reports/ask".into(),
            vec![("kind", "weekly"), ("period", "2025-W05")],
        ),
        ("/runs/resend".into(), vec![]),
    ] {
        let mut form = form.clone();
        form.push(("csrf", &token));
        let r = c.post(&path, &s, &form);
        assert_eq!(r.status, 403, "{path}");
        assert!(r.text().contains("需要管理员权限"), "{path}");
    }
    assert_eq!(
        c.get("/reports/send?kind=weekly&period=2025-W05", &s)
            .status,
        403
    );
    let runs = c.get("/runs", &s).text();
    assert!(!runs.contains("上门劝导"));
}

#[test]
fn a_post_without_the_csrf_token_is_refused() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    for (path, form) in [
        (
            format!("/cases/{RED_CASE}/handling"),
            vec![("measures", "上门劝导")],
        ),
        (format!("/cases/{RED_CASE}/unmask"), vec![]),
        (
            "/reports/make".into(),
            vec![("kind", "weekly"), ("period", "2025-W05")],
        ),
        ("/runs/resend".into(), vec![]),
        ("/logout".into(), vec![]),
    ] {
        let r = c.post(&path, &s, &form);
        assert_eq!(r.status, 403, "{path}");
        let mut wrong = form.clone();
        wrong.push(("csrf", "0000"));
        assert_eq!(c.post(&path, &s, &wrong).status, 403, "{path}");
    }
    // Nothing was written.
    let page = c
        .get(&format!("/cases/{RED_CASE}?as_of={AS_OF}"), &s)
        .text();
    assert!(page.contains("尚无处置记录"));
    // The session still works, and logging out ends it.
    let r = c.post("/logout", &s, &[("csrf", &token)]);
    assert_eq!(r.status, 303);
    assert_eq!(c.get("/", &s).status, 303);
}

#[test]
fn the_case_list_filters_sorts_and_downloads_with_cells_as_text() {
    let c = Console::start();
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    let all = c.get(&format!("/cases?as_of={AS_OF}"), &s).text();
    assert!(all.contains(RED_CASE));
    assert!(all.contains("大队长 张某某"), "the red case names its lead");
    let red = c.get(&format!("/cases?as_of={AS_OF}&tier=red"), &s).text();
    assert!(red.contains(RED_CASE));
    assert!(!red.contains("badge green"));
    let cleared = c
        .get(&format!("/cases?as_of={AS_OF}&status=cleared"), &s)
        .text();
    assert!(!cleared.contains(RED_CASE));
    let street = c
        .get(
            &format!("/cases?as_of={AS_OF}&street=%E6%B9%98%E9%BE%99%E8%A1%97%E9%81%93"),
            &s,
        )
        .text();
    assert!(street.contains("湘龙街道"));
    assert!(street.contains("副大队长 李某某"));
    assert!(!street.contains(RED_CASE));
    let by_count = c
        .get(&format!("/cases?as_of={AS_OF}&sort=-count"), &s)
        .text();
    let first = by_count.find("class=\"case-link\"").unwrap();
    assert!(by_count[first..].starts_with(&format!("class=\"case-link\" href=\"/cases/{RED_CASE}")));
    let csv = c.get(&format!("/cases.csv?as_of={AS_OF}&tier=red"), &s);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    assert!(text.starts_with("\u{feff}案件编号,预警等级,牵头"));
    assert!(text.contains(RED_CASE));
    let xlsx = c.get(&format!("/cases.xlsx?as_of={AS_OF}"), &s);
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
    let path = c.ws.path("cases.xlsx");
    std::fs::write(&path, &xlsx.body).unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = book.worksheet_range("预警案件").unwrap();
    let count_cell = range.get((1, 8)).unwrap();
    assert!(
        matches!(count_cell, calamine::Data::String(_)),
        "{count_cell:?}"
    );
}

#[test]
fn csv_cells_that_look_like_formulas_are_defused() {
    use hotline_ledger::web::csv_safe;
    assert_eq!(csv_safe("=1+1"), "'=1+1");
    assert_eq!(csv_safe("+86"), "'+86");
    assert_eq!(csv_safe("-2"), "'-2");
    assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_safe("开元东路18号"), "开元东路18号");
}

#[test]
fn a_case_page_masks_personal_data_until_an_admin_unmasks_it_which_is_audited() {
    let c = Console::start();
    let phones = c.ws.phones();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let page = c.get(&format!("/cases/{RED_CASE}?as_of={AS_OF}"), &s);
    assert_eq!(page.status, 200);
    let html = page.text();
    // Every order of the case is on its timeline, those joined by a link too.
    let count = html.split("<dt>工单数</dt><dd>").nth(1).unwrap();
    let count = &count[..count.find('（').unwrap()];
    assert!(
        html.contains(&format!("工单时间线（{count} 单）")),
        "{html}"
    );
    assert!(html.contains("红色预警"));
    assert!(html.contains("大队长 张某某"));
    assert!(html.contains("地址写法"));
    for p in &phones {
        assert!(!html.contains(p.as_str()), "phone {p} shown in full");
    }
    assert!(html.contains("****"));
    let r = c.post(
        &format!("/cases/{RED_CASE}/unmask"),
        &s,
        &[("csrf", &token), ("as_of", AS_OF)],
    );
    let full = c.follow(&r, &s).text();
    assert!(full.contains("id=\"unmasked\""));
    assert!(phones.iter().any(|p| full.contains(p.as_str())));
    // Shown in full once: reloading the page (or coming Back to it) masks again.
    let again = c
        .get(&format!("/cases/{RED_CASE}?as_of={AS_OF}"), &s)
        .text();
    assert!(!again.contains("id=\"unmasked\""));
    assert!(!phones.iter().any(|p| again.contains(p.as_str())));
    let runs = c.audit_page(&s);
    assert!(runs.contains("<td data-label=\"操作\">显示完整信息</td>"));
    assert!(runs.contains(RED_CASE));
}

#[test]
fn handling_entries_are_appended_with_author_and_time_and_audited() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let path = format!("/cases/{RED_CASE}/handling");
    let r = c.post(
        &path,
        &s,
        &[
            ("csrf", &token),
            ("as_of", AS_OF),
            ("measures", "联合社区上门劝导,责令整改"),
            ("responsible", "王某"),
            ("result", "已整改"),
            ("return_visit", "3月2日回访,投诉人满意"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let empty = c.post(&path, &s, &[("csrf", &token), ("measures", "  ")]);
    assert_eq!(empty.status, 400);
    // Only a case takes an entry: an id that opens no case is not found.
    let nowhere = c.post(
        "/cases/NO-SUCH-CASE/handling",
        &s,
        &[("csrf", &token), ("measures", "上门劝导")],
    );
    assert_eq!(nowhere.status, 404, "{}", nowhere.text());
    assert!(empty.text().contains("处置措施 must not be empty"));
    let r = c.post(
        &path,
        &s,
        &[("csrf", &token), ("measures", "更正:整改期限延至3月5日")],
    );
    assert_eq!(r.status, 303);
    let html = c
        .get(&format!("/cases/{RED_CASE}?as_of={AS_OF}"), &s)
        .text();
    let first = html.find("联合社区上门劝导").unwrap();
    let second = html.find("更正:整改期限延至3月5日").unwrap();
    assert!(first < second, "oldest first");
    assert!(html.contains("· admin"));
    assert!(html.contains("3月2日回访"));
    let runs = c.audit_page(&s);
    assert!(runs.contains("<td data-label=\"操作\">处置记录</td>"));
    // Kept in the database, append-only.
    drop(c.process);
    let db = c.ws.db();
    let n: i64 = db
        .query_row(
            "SELECT count(*) FROM case_handling WHERE case_id = ?",
            [RED_CASE],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
    let actions: Vec<String> = db
        .prepare("SELECT action FROM audit_log ORDER BY audit_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(actions, ["login", "note", "note"]);
}

#[test]
fn subject_suggestions_are_merged_or_separated_and_undone() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let page = c.get("/subjects", &s).text();
    assert!(page.contains("天华一村"), "{page}");
    let keys: Vec<String> = page
        .match_indices("name=\"a\" value=\"")
        .map(|(i, _)| {
            let rest = &page[i + 16..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    let bs: Vec<String> = page
        .match_indices("name=\"b\" value=\"")
        .map(|(i, _)| {
            let rest = &page[i + 16..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    let (a, b) = (keys[0].replace("&#x2f;", "/"), bs[0].replace("&#x2f;", "/"));
    // Both sides' orders and what joining makes, one click from the queue.
    let link = page
        .find("class=\"pair-link\"")
        .map(|i| &page[..i])
        .and_then(|before| before.rfind("href=\""))
        .map(|i| {
            let rest = &page[i + 6..];
            rest[..rest.find('"').unwrap()]
                .replace("&amp;", "&")
                .replace("&#x2f;", "/")
        })
        .expect("a link to the pair");
    let pair = c.get(&link, &s).text();
    assert!(pair.contains("合并前确认"), "{pair}");
    assert_eq!(
        pair.matches("class=\"card pair-side\"").count(),
        2,
        "{pair}"
    );
    let standing = between(&pair, "id=\"joined-standing\">", "</b>");
    assert_eq!(standing, "绿色预警，最近一轮 5 单（已取消）", "{pair}");
    assert!(pair.contains("id=\"pair-raises\""), "{pair}");
    let one_of_a = between(&pair, "<div class=\"what\"><b>", "</b>").to_string();
    // Working it out decided nothing.
    assert!(c.get("/subjects", &s).text().contains("尚无决定。"));
    let r = c.post(
        "/subjects/decide",
        &s,
        &[("csrf", &token), ("a", &a), ("b", &b), ("action", "merge")],
    );
    let page = c.follow(&r, &s).text();
    assert!(page.contains("<td data-label=\"决定\">合并</td>"), "{page}");
    // The outcome once, with its undo.
    assert!(page.contains("已合并（决定 #1）"), "{page}");
    assert!(page.contains("id=\"undo-last\""), "{page}");
    assert!(!c.get("/subjects", &s).text().contains("已合并（决定 #1）"));
    // What the merge made is what the confirmation said.
    let found = c.get(&format!("/cases?q={one_of_a}"), &s).text();
    assert!(found.contains("共 1 件"), "{found}");
    assert!(
        found.contains("<span class=\"badge green\">绿色预警</span>")
            && found.contains("<td data-label=\"状态\">已取消</td>")
            && found.contains("<td data-label=\"工单数\" class=\"num\">5</td>"),
        "{found}"
    );
    let r = c.post("/subjects/undo", &s, &[("csrf", &token), ("id", "1")]);
    let page = c.follow(&r, &s).text();
    assert!(page.contains("已撤销决定 #1"), "{page}");
    let bad = c.post(
        "/subjects/decide",
        &s,
        &[
            ("csrf", &token),
            ("a", &a),
            ("b", &b),
            ("action", "explode"),
        ],
    );
    assert_eq!(bad.status, 400);
    let runs = c.audit_page(&s);
    assert!(runs.contains("<td data-label=\"操作\">合并诉求对象</td>"));
    assert!(runs.contains("<td data-label=\"操作\">撤销决定</td>"));
}

#[test]
fn reports_are_made_opened_previewed_and_sent_after_naming_the_recipients() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    // The form offers the weeks as the reports write them, the months in Chinese.
    let form = c.get("/reports", &s).text();
    assert!(
        form.contains("<option value=\"2025-W05\">2025年第5周（1月27日—2月2日）</option>"),
        "{form}"
    );
    assert!(
        form.contains("<option value=\"2025-01\">2025年1月</option>"),
        "{form}"
    );
    let r = c.post(
        "/reports/make",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    let html = c.follow(&r, &s).text();
    assert!(
        html.contains("已生成周报 2025年第5周（1月27日—2月2日）"),
        "{html}"
    );
    assert!(
        !html.contains(&c.ws.path("").display().to_string()),
        "no server path: {html}"
    );
    let at = html
        .find("class=\"made\" href=\"")
        .expect("a link to the report");
    let rest = &html[at + 19..];
    let link = rest[..rest.find('"').unwrap()].replace("&#x2f;", "/");
    let pdf = c.get(&link, &s);
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    // A name the folder does not list is not served, whatever it says.
    assert_eq!(
        c.get("/reports/file/..%2Fhotline-ledger.toml", &s).status,
        404
    );
    assert_eq!(
        c.get("/archive/file?f=../hotline-ledger.toml", &s).status,
        404
    );
    let bad = c.post(
        "/reports/make",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-13")],
    );
    assert_eq!(bad.status, 400);
    // 发送… is a POST that leads to the page naming the recipients, the token never in
    // the address.
    let ask = c.post(
        "/reports/ask",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    assert_eq!(ask.status, 303);
    let to = ask.header("location").unwrap().to_string();
    assert!(!to.contains("csrf") && !to.contains(&token), "{to}");
    let confirm = c.get(&to, &s);
    assert_eq!(confirm.status, 200);
    let text = confirm.text();
    assert!(text.contains("leader@example.gov.cn") && text.contains("office@example.gov.cn"));
    assert!(
        !text.contains("id=\"send-again\""),
        "nobody has it yet: {text}"
    );
    let sent = c.post(
        "/reports/send",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    let html = c.follow(&sent, &s).text();
    assert!(
        html.contains("leader@example.gov.cn：未配置邮件服务器，已写成邮件文件"),
        "{html}"
    );
    // Asked again: the page says who has it, and 确认发送 sends nobody a second copy...
    let text = c.get(&to, &s).text();
    assert!(text.contains("其中 2 位已经有这份报表"), "{text}");
    assert!(text.contains("已发送）"), "{text}");
    assert!(text.contains("id=\"send-again\""), "{text}");
    let html = c
        .follow(
            &c.post(
                "/reports/send",
                &s,
                &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
            ),
            &s,
        )
        .text();
    assert!(html.contains("已发过，这次没有再发"), "{html}");
    // ...and 再次发送 sends them one on purpose.
    let html = c
        .follow(
            &c.post(
                "/reports/send",
                &s,
                &[
                    ("csrf", &token),
                    ("kind", "weekly"),
                    ("period", "2025-W05"),
                    ("again", "1"),
                ],
            ),
            &s,
        )
        .text();
    assert!(html.contains("已再次发送"), "{html}");
    assert!(
        html.contains("office@example.gov.cn：未配置邮件服务器，已写成邮件文件"),
        "{html}"
    );
    let preview = c.post(
        "/reports/preview",
        &s,
        &[("csrf", &token), ("kind", "monthly"), ("period", "2025-01")],
    );
    c.follow(&preview, &s);
    let monthly = c.post(
        "/reports/send",
        &s,
        &[("csrf", &token), ("kind", "monthly"), ("period", "2025-01")],
    );
    let html = c.follow(&monthly, &s).text();
    assert!(html.contains("已归档"), "{html}");
    let reports = c.get("/reports", &s).text();
    assert!(reports.contains("完好"), "the archived month verifies");
    let at = reports.find("/archive/file?f=").unwrap();
    let rest = &reports[at..];
    let link = rest[..rest.find('"').unwrap()]
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    let archived = c.get(&link, &s);
    assert_eq!(archived.status, 200);
    assert!(archived.body.starts_with(b"%PDF"));
    let runs = c.get("/runs", &s).text();
    for action in ["生成报表", "发送报表", "预览报表"] {
        assert!(
            runs.contains(&format!("<td data-label=\"操作\">{action}</td>")),
            "{action}"
        );
    }
    assert!(runs.contains("leader@example.gov.cn"));
    let r = c.post("/runs/resend", &s, &[("csrf", &token)]);
    let html = c.follow(&r, &s).text();
    assert!(html.contains("已重试发件箱"), "{html}");
    assert!(html.contains("<td data-label=\"操作\">重发邮件</td>"));
}

/// An export of two orders, the second unusable (its time is no date), with a phone
/// written into its address.
fn one_row_unusable() -> String {
    csv_text(&[
        vec!["工单编号", "受理时间", "诉求类型", "事发地址", "联系电话"],
        vec![
            "WEB0001",
            "2025-03-01 08:00:00",
            "噪声扰民",
            "开元东路18号",
            "13812345678",
        ],
        vec![
            "GD20250301139998",
            "不是日期",
            "噪声扰民",
            "开元东路18号(来电人电话13912345670)",
            "13812345679",
        ],
    ])
}

fn multipart(token: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----hotlineledgerboundary";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n")
            .as_bytes(),
    );
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn an_upload_goes_through_the_ingest_and_a_broken_one_changes_nothing() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    // A broken file: no header row.
    let (ct, body) = multipart(
        &token,
        "../../etc/坏文件.csv",
        "这不是工单导出\n1,2,3\n".as_bytes(),
    );
    let r = c.request("POST", "/import", &s, Some(&ct), &body);
    let html = c.follow(&r, &s).text();
    assert!(html.contains("文件未能导入，数据库未改动"), "{html}");
    assert!(html.contains("坏文件.csv：找不到表头。"), "{html}");
    assert!(html.contains("怎么办："), "{html}");
    assert!(!html.contains("/tmp/"), "no server path shown: {html}");
    assert!(
        !html.contains("etc"),
        "the name never becomes a path: {html}"
    );
    // Not a spreadsheet at all.
    let (ct, body) = multipart(&token, "notes.txt", b"hello");
    let r = c.request("POST", "/import", &s, Some(&ct), &body);
    assert_eq!(r.status, 400);
    assert!(r
        .text()
        .contains("只能导入表格文件(.xlsx、.xls、.xlsb、.ods)或 .csv 文件"));
    // Without the token.
    let (ct, body) = multipart("", "x.csv", b"a");
    assert_eq!(
        c.request("POST", "/import", &s, Some(&ct), &body).status,
        403
    );
    // A good file: a row set aside is listed.
    let (ct, body) = multipart(&token, "三月导出.csv", one_row_unusable().as_bytes());
    let r = c.request("POST", "/import", &s, Some(&ct), &body);
    let html = c.follow(&r, &s).text();
    assert!(html.contains("导入完成"));
    // What ingest says of a loaded file: the counts, then each thing worth a look.
    assert!(html.contains("三月导出.csv：已导入（csv"), "{html}");
    assert!(html.contains("新工单 1 单，更新 0 单"), "{html}");
    assert!(html.contains("未能使用 1 行。"), "{html}");
    // Shown once: Back or reload shows the page without it.
    assert!(!c.get("/import", &s).text().contains("导入完成"));
    // The reason's kind, as the guide lists it, before the detail.
    assert!(html.contains("<b>日期时间无法识别</b>:"), "{html}");
    assert!(
        html.contains("<td data-label=\"行\" class=\"num\">3</td>"),
        "{html}"
    );
    assert!(!html.contains("13812345679"), "rejected values are masked");
    // A table under the export's own headings: the order's id in full, so the clerk can
    // find it on the platform; the phone cell and a phone inside the address masked.
    for heading in ["工单编号", "受理时间", "事发地址", "联系电话"] {
        assert!(
            html.contains(&format!("<th>{heading}</th>")),
            "{heading}: {html}"
        );
    }
    assert!(
        html.contains("<td data-label=\"工单编号\">GD20250301139998</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td data-label=\"联系电话\">138****5679</td>"),
        "{html}"
    );
    assert!(!html.contains("13912345670"), "{html}");
    // The same rows as a workbook, masked the same way.
    let xlsx = c.get("/import/rejected.xlsx", &s);
    assert_eq!(xlsx.status, 200);
    let path = c.ws.path("rejected.xlsx");
    std::fs::write(&path, &xlsx.body).unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.ends_with(" 三月导出.csv"))
        .unwrap_or_else(|| panic!("a sheet of the file: {names:?}"));
    let range = book.worksheet_range(sheet).unwrap();
    assert_eq!(
        range.get((0, 1)).map(|d| d.to_string()).unwrap_or_default(),
        "三月导出.csv"
    );
    let row: Vec<String> = (0..8)
        .map(|c| range.get((3, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(row[0], "3");
    assert_eq!(row[1], "日期时间无法识别");
    assert_eq!(row[3], "GD20250301139998");
    assert_eq!(row[7], "138****5679");
    assert!(!row.iter().any(|c| c.contains("13912345670")), "{row:?}");
    let runs = c.audit_page(&s);
    assert!(runs.contains("<td data-label=\"操作\">导入文件</td>"));
    drop(c.process);
    let db = c.ws.db();
    let files: Vec<String> = db
        .prepare("SELECT file_name FROM ingested_files ORDER BY file_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(files.last().map(String::as_str), Some("三月导出.csv"));
    assert!(!files.iter().any(|f| f.contains("坏文件")));
}

#[test]
fn an_upload_over_the_size_limit_is_refused() {
    let ws_config = console_config().replace(
        "listen = \"127.0.0.1:0\"",
        "listen = \"127.0.0.1:0\"\nupload_limit_mb = 1",
    );
    let c = Console::serve(Workspace::with_config(&ws_config));
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let (ct, body) = multipart(&token, "big.csv", &vec![b'a'; 2 * 1024 * 1024]);
    let r = c.request("POST", "/import", &s, Some(&ct), &body);
    assert!(r.status == 400 || r.status == 413, "{}", r.status);
}

#[test]
fn the_overview_and_run_history_show_figures_and_hide_secrets() {
    let c = Console::start();
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    let home = c.get("/", &s).text();
    assert!(home.contains("<svg class=\"trend\""));
    assert!(home.contains("红色预警"));
    assert!(home.contains("数据新鲜度"));
    assert!(home.contains("单工单，来自"));
    // The audit log and the configuration (with its recipients) are the admins'.
    let runs = c.get("/runs", &s).text();
    assert!(runs.contains("任务运行"));
    assert!(
        !runs.contains("当前配置") && !runs.contains("审计日志"),
        "{runs}"
    );
    assert!(!runs.contains("leader@example.gov.cn"), "{runs}");
    let (s, _) = c.login("admin", ADMIN_PASSWORD);
    let runs = c.get("/runs", &s).text();
    assert!(runs.contains("当前配置"));
    assert!(runs.contains("(已设置)"));
    assert!(!runs.contains("$argon2"), "password hashes are hidden");
    assert!(runs.contains("<td data-label=\"操作\">登录</td>"));
}

#[test]
fn a_lead_logs_in_to_his_cases_and_writes_their_handling_signed_with_his_name() {
    let c = Console::start();
    // Logging in opens 我的案件: the cases he leads now, open ones first.
    let page = c.get("/login", "");
    let login_cookie = cookie_of(&page, "hl_login").unwrap();
    let token = csrf_of(&page.text());
    let r = c.post(
        "/login",
        &login_cookie,
        &[
            ("name", "lisi"),
            ("password", LEAD_PASSWORD),
            ("csrf", &token),
        ],
    );
    assert_eq!(r.status, 303);
    let to = r.header("location").unwrap().to_string();
    assert!(
        to.starts_with("/cases?lead=") && to.contains("status=active"),
        "{to}"
    );
    let s = cookie_of(&r, "hl_session").unwrap();
    let mine = c.get(&format!("{to}&as_of={AS_OF}"), &s).text();
    let token = csrf_of(&mine);
    assert!(mine.contains("id=\"my-cases\""), "{mine}");
    let leads: Vec<&str> = mine
        .split("<td data-label=\"牵头\">")
        .skip(1)
        .map(|t| &t[..t.find('<').unwrap()])
        .collect();
    assert!(!leads.is_empty(), "{mine}");
    assert!(leads.iter().all(|l| l.ends_with("李某某")), "{leads:?}");
    let link = "class=\"case-link\" href=\"/cases/";
    let at = mine.find(link).unwrap();
    let rest = &mine[at + link.len()..];
    let his = rest[..rest.find('?').unwrap()].to_string();
    // He writes the handling record of his case, signed with his name...
    let page = c.get(&format!("/cases/{his}?as_of={AS_OF}"), &s).text();
    assert!(page.contains("id=\"entry-form\""), "{page}");
    let r = c.post(
        &format!("/cases/{his}/handling"),
        &s,
        &[
            ("csrf", &token),
            ("measures", "联合社区约谈业主"),
            ("as_of", AS_OF),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = c.get(&format!("/cases/{his}?as_of={AS_OF}"), &s).text();
    assert!(
        page.contains("联合社区约谈业主") && page.contains("· 李某某"),
        "{page}"
    );
    // ...but not another lead's case, and he does none of the admin's actions.
    let other = c
        .get(&format!("/cases/{RED_CASE}?as_of={AS_OF}"), &s)
        .text();
    assert!(!other.contains("id=\"entry-form\""));
    let r = c.post(
        &format!("/cases/{RED_CASE}/handling"),
        &s,
        &[("csrf", &token), ("measures", "不该写入"), ("as_of", AS_OF)],
    );
    assert_eq!(r.status, 403);
    let r = c.post(
        &format!("/cases/{RED_CASE}/unmask"),
        &s,
        &[("csrf", &token), ("as_of", AS_OF)],
    );
    assert_eq!(r.status, 403);
    // The list is searched by an order's id or words of its address.
    let found = c
        .get(&format!("/cases?as_of={AS_OF}&q={RED_CASE}"), &s)
        .text();
    assert!(found.contains(&format!(">{RED_CASE}</a>")), "{found}");
    assert!(found.contains("共 1 件"), "{found}");
}

#[test]
fn web_config_refuses_an_open_address_without_tls_and_plain_passwords() {
    let ws = Workspace::with_config("[web]\nlisten = \"0.0.0.0:8350\"\n");
    let out = ws.run(&["config"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("key `web.listen`: 0.0.0.0:8350 is reachable from other machines"),
        "{}",
        stderr(&out)
    );
    let ws = Workspace::with_config("[web]\nlisten = \"0.0.0.0:8350\"\nallow_plain_http = true\n");
    assert_exit(&ws.run(&["config"]), 0);
    let ws = Workspace::with_config(
        "[web]\n[[web.users]]\nname = \"a\"\nrole = \"admin\"\npassword_hash = \"hunter2\"\n",
    );
    let out = ws.run(&["config"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("web.users[0].password_hash"));
}

#[test]
fn web_passwd_sets_a_hash_from_standard_input_keeping_the_file() {
    let ws = Workspace::with_config(
        "# the console\n[web]\n\n[[web.users]]\nname = \"admin\" # office\nrole = \"admin\"\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotline-ledger"))
        .arg("--config")
        .arg(&ws.config_path)
        .args(["web", "passwd", "admin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(b"correct horse\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_exit(&out, 0);
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    assert!(text.contains("# office"), "comments kept: {text}");
    assert!(!text.contains("correct horse"));
    let config = ws.config();
    let hash = config.web.users[0].password_hash.clone().unwrap();
    assert!(hotline_ledger::web::auth::verify_password(
        "correct horse",
        &hash
    ));
    let out = ws.run(&["web", "passwd", "nobody"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("no [[web.users]] entry has name = \"nobody\""));
}

/// The console as the daemon serves it: `serve` runs the schedule and the console side by
/// side; an admin logs in and reads the cases while the daemon holds the database.
#[test]
fn the_daemon_serves_the_console_beside_its_schedule() {
    let ws = Workspace::with_config(&console_config());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("sample-inputs/2025-02-工单导出.csv");
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let mut process = ws.spawn(&["serve"], &[("HOTLINE_LEDGER_NOW", "2025-02-28 12:00:00")]);
    // The schedule is laid out first, then the console listens.
    process.wait_for("job weekly");
    let addr = listening(&mut process, "http");
    let console = Console { ws, process, addr };
    let (session, _) = console.login("admin", ADMIN_PASSWORD);
    let cases = console.get("/cases?as_of=2025-02-28", &session);
    assert_eq!(cases.status, 200, "{}", cases.text());
    assert!(
        cases.text().contains("href=\"/cases/"),
        "the loaded export's cases are listed: {}",
        cases.text()
    );
    assert_eq!(
        console.get("/cases", "").status,
        303,
        "login still required"
    );
    // The data is two days old: no notice.
    assert!(
        !cases.text().contains("id=\"stale-banner\""),
        "{}",
        cases.text()
    );
}

/// A send that fails is said in Chinese on 运行记录 and on the overview; the mail server's
/// own words are kept behind 技术细节.
#[test]
fn a_failed_send_reads_in_chinese_with_its_detail_apart() {
    // A mail server nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"台账 <ledger@example.gov.cn>\"\ntimeout_secs = 2\n\n[delivery]\nstuck_after_hours = 0\n\n{}",
        console_config()
    );
    let ws = Workspace::with_config(&config);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("sample-inputs/2025-02-工单导出.csv");
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let c = Console::serve(ws);
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let r = c.post(
        "/reports/send",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W08")],
    );
    c.follow(&r, &s);
    // Stuck from the second after it was queued.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let runs = c.get("/runs", &s).text();
    assert!(runs.contains("发送出错，查看技术细节"), "{runs}");
    assert!(runs.contains("仍未发出，已尝试"), "{runs}");
    assert!(
        english_words(&runs).is_empty(),
        "{:?}",
        english_words(&runs)
    );
    let home = c.get("/", &s).text();
    assert!(home.contains("<summary>技术细节</summary>"), "{home}");
    assert!(
        english_words(&home).is_empty(),
        "{:?}",
        english_words(&home)
    );
}

/// A case of hundreds of orders: its timeline is paged, newest first, and a caller with one
/// complaint in hundreds is under 1%.
#[test]
fn a_big_cases_timeline_is_paged_newest_first() {
    let ws = Workspace::with_config(&console_config());
    let mut rows = vec![vec![
        "工单编号".to_string(),
        "受理时间".into(),
        "诉求类型".into(),
        "事发地址".into(),
        "联系电话".into(),
    ]];
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    for i in 0..450 {
        let at = start + chrono::Duration::minutes(150 * i);
        rows.push(vec![
            format!("BIG{i:04}"),
            at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "噪声扰民".into(),
            "开元东路18号".into(),
            format!("139{:08}", 10_000 + i),
        ]);
    }
    let (c, s) = console_over(ws, &rows);
    let day = "2025-03-01";
    let first = c.get(&format!("/cases/BIG0000?as_of={day}"), &s).text();
    assert!(
        first.contains("分 3 页列出，最新的在前；这是第 1 页（第 1—200 单）"),
        "{first}"
    );
    let newest = first
        .find("<b>BIG0449</b>")
        .expect("the newest order first");
    let older = first.find("<b>BIG0448</b>").expect("then the one before");
    assert!(newest < older);
    assert!(!first.contains("<b>BIG0249</b>"), "page 1 holds 200");
    assert!(
        first.contains("<td data-label=\"占比\" class=\"num\">&lt;1%</td>"),
        "{first}"
    );
    let last = c
        .get(&format!("/cases/BIG0000?as_of={day}&page=3"), &s)
        .text();
    assert!(last.contains("这是第 3 页（第 401—450 单）"), "{last}");
    assert!(last.contains("<b>BIG0000</b>") && last.contains("<b>BIG0049</b>"));
    assert!(!last.contains("<b>BIG0050</b>"));
    assert!(last.contains("rel=\"prev\""));
    assert_eq!(
        c.get(&format!("/cases/BIG0000?as_of={day}&page=4"), &s)
            .status,
        404
    );
}

/// The console over a workspace that has loaded `rows` (a header, then orders) as one
/// export, and a viewer's session.
fn console_over(ws: Workspace, rows: &[Vec<String>]) -> (Console, String) {
    let file = ws.path("orders.csv");
    write_utf8(&file, rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let c = Console::serve(ws);
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    (c, s)
}

/// A long case list is paged with every page's number at hand.
#[test]
fn a_long_case_list_names_its_pages() {
    let ws = Workspace::with_config(&console_config());
    let mut rows = vec![vec![
        "工单编号".to_string(),
        "受理时间".into(),
        "诉求类型".into(),
        "事发地址".into(),
    ]];
    for place in 1..=420 {
        for k in 0..5 {
            rows.push(vec![
                format!("P{place:03}-{k}"),
                format!("2025-02-{:02} 0{k}:00:00", 1 + place % 20),
                "噪声扰民".into(),
                format!("开元东路{}号", place * 2),
            ]);
        }
    }
    let (c, s) = console_over(ws, &rows);
    let list = c.get("/cases?as_of=2025-02-28", &s).text();
    let pager = between(&list, "id=\"cases-pager\">", "</nav>");
    // Pages 1 to 4, a gap, and the last (420 cases, 50 a page: 9 pages).
    for n in [
        "<b>1</b>",
        ">2</a>",
        ">3</a>",
        ">4</a>",
        "<span>…</span>",
        ">9</a>",
    ] {
        assert!(pager.contains(n), "{n}: {pager}");
    }
    assert!(!pager.contains(">5</a>"), "{pager}");
    let last = c.get("/cases?as_of=2025-02-28&page=9", &s).text();
    assert_eq!(last.matches("class=\"case-link\"").count(), 20);
}

/// Old data is said at the top of every page, not only on the overview.
#[test]
fn every_page_says_when_the_data_is_old() {
    let c = Console::start();
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    for page in ["/", "/cases", "/subjects", "/reports", "/help", "/account"] {
        let html = c.get(page, &s).text();
        let banner = between(&html, "id=\"stale-banner\" role=\"status\">", "</p>");
        assert!(
            banner.starts_with("数据可能不是最新的：最新一单受理于2025年")
                && banner.contains("已超过 8 天没有新工单"),
            "{page}: {banner}"
        );
    }
}

/// Under TLS the console speaks only HTTPS, and its session cookie is Secure.
#[test]
fn the_console_serves_https_with_the_configured_certificate() {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("web.pem"), dir.path().join("web-key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let config = console_config().replace(
        "[web]\nlisten = \"127.0.0.1:0\"\n",
        &format!(
            "[web]\nlisten = \"127.0.0.1:0\"\ntls_cert = \"{}\"\ntls_key = \"{}\"\n",
            cert_path.display(),
            key_path.display()
        ),
    );
    assert!(config.contains("tls_cert"));
    let ws = Workspace::with_config(&config);
    let mut process = ws.spawn(&["web"], &[]);
    let addr = listening(&mut process, "https");

    // A client that trusts the configured certificate, and nothing else.
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.cert.der().clone()).unwrap();
    let client = Arc::new(
        rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth(),
    );
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let conn = rustls::ClientConnection::new(client, name).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, TcpStream::connect(&addr).unwrap());
    write!(
        tls,
        "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    // The server may close without a TLS close_notify; what came before counts.
    let _ = tls.read_to_end(&mut raw);
    let reply = parse_reply(&raw);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().contains("登录"), "{}", reply.text());
    let set_cookie = reply.header("set-cookie").unwrap_or_default().to_string();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");

    // Plain HTTP on the same port gets no page.
    let mut plain = TcpStream::connect(&addr).unwrap();
    plain
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        plain,
        "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(
        !String::from_utf8_lossy(&answer).contains("登录"),
        "no page over plain HTTP"
    );
}

/// A case page reads the orders it shows where the stored facts say they are kept, and by
/// id when a row there holds another order: the page is the same either way.
#[test]
fn a_case_page_finds_its_orders_when_their_stored_rows_or_subject_numbers_are_wrong() {
    let c = Console::start();
    let (s, _) = c.login("admin", ADMIN_PASSWORD);
    let path = format!("/cases/{RED_CASE}?as_of={AS_OF}");
    let before = c.get(&path, &s);
    assert_eq!(before.status, 200, "{}", before.text());
    let listed = before
        .text()
        .matches("<div class=\"what\"><b>GD2025")
        .count();
    assert!(listed >= 20, "a red case lists its orders: {listed}");
    assert!(before.text().contains("来电人"));

    for wrong in [
        // Every order's stored row moved one on: the page reads its orders by id.
        "UPDATE order_facts SET order_row = (order_row + 1) % (SELECT count(*) FROM work_orders)",
        // The subjects numbered anew since the console found the case's episode: the
        // page finds it again by the case's first order.
        "UPDATE order_facts SET sid = sid + 100000",
    ] {
        let db = c.ws.db();
        assert!(db.execute(wrong, []).unwrap() > 0, "{wrong}");
        drop(db);
        let after = c.get(&path, &s);
        assert_eq!(after.status, 200, "{}", after.text());
        assert_eq!(after.text(), before.text(), "{wrong}");
    }
}

#[test]
fn the_help_page_shows_the_guide_with_this_squads_numbers_and_each_page_links_to_its_part() {
    let ws = Workspace::with_config(&format!(
        "{}\n[rules]\ngreen = 4\nred = 25\nquiet_days = 21\n",
        console_config()
    ));
    let c = Console::serve(ws);
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    let r = c.get("/help", &s);
    assert_eq!(r.status, 200);
    let html = r.text();
    // The configured numbers, not the defaults the file was written with.
    assert!(
        html.contains("（前后两次间隔不超过 21 天）4 件及以上"),
        "{html}"
    );
    assert!(html.contains("| 25 件及以上") || html.contains("<td>25 件及以上</td>"));
    assert!(html.contains("超过 21 天没有新投诉，预警取消"));
    assert!(!html.contains("不超过 30 天）5 件及以上"));
    // Every refusal message, made by the program.
    for problem in hotline_ledger::ingest::FileProblem::examples() {
        let shown = problem
            .to_string()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(html.contains(&shown), "{shown}");
    }
    // Its sections and screenshots.
    for (_, anchor) in hotline_ledger::guide::SECTIONS {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
    let img = c.get("/help/images/02-overview-1280.png", &s);
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type"), Some("image/png"));
    assert!(img.body.starts_with(b"\x89PNG"));
    assert!(html.contains("src=\"/help/images/02-overview-1280.png\""));
    assert_eq!(c.get("/help/images/../../etc/passwd", &s).status, 404);
    assert_eq!(c.get("/help/images/nope.png", &s).status, 404);
    // Each page's 帮助 link leads to its part of the guide.
    for (path, anchor) in [
        ("/", "quick-start"),
        ("/cases", "tiers"),
        ("/subjects", "subjects"),
        ("/reports", "weekly-monthly"),
        ("/import", "import-errors"),
        ("/runs", "admin"),
    ] {
        let page = c.get(path, &s).text();
        assert!(
            page.contains(&format!("href=\"/help#{anchor}\"")),
            "{path} links to #{anchor}"
        );
    }
}

#[test]
fn a_phone_or_name_written_anywhere_is_masked_on_every_page_and_download() {
    let ws = Workspace::with_config(&console_config());
    let file = ws.path("phones.csv");
    let mut rows = vec![vec![
        "工单编号".to_string(),
        "受理时间".into(),
        "诉求类型".into(),
        "事发地址".into(),
        "来电人".into(),
        "诉求内容".into(),
    ]];
    for i in 0..5 {
        rows.push(vec![
            format!("PH{i}"),
            format!("2025-01-0{} 08:00", i + 3),
            "噪音扰民".into(),
            "星沙街道开元路1号（来电人电话13812345678）".into(),
            "赵大海".into(),
            "赵大海反映夜间施工，电话139 8765 4321".into(),
        ]);
    }
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let c = Console::serve(ws);
    let (s, _) = c.login("viewer", VIEWER_PASSWORD);
    for path in [
        "/cases?as_of=2025-01-31".to_string(),
        "/cases.csv?as_of=2025-01-31".into(),
        "/cases/PH0?as_of=2025-01-31".into(),
        "/cases/PH0/orders.csv?as_of=2025-01-31".into(),
    ] {
        let r = c.get(&path, &s);
        assert_eq!(r.status, 200, "{path}");
        let text = r.text();
        assert!(text.contains("138****5678"), "{path}: {text}");
        for personal in ["13812345678", "8765 4321", "大海"] {
            assert!(!text.contains(personal), "{personal} on {path}: {text}");
        }
    }
}

#[test]
fn the_console_and_the_command_line_both_refuse_subject_decisions_under_exact_matching() {
    let config = console_config().replace("[subjects]\n", "[subjects]\nmatching = \"exact\"\n");
    let ws = Workspace::with_config(&config);
    let file = ws.path("orders.csv");
    std::fs::write(
        &file,
        "工单编号,受理时间,诉求类型,事发地址\nA0,2025-01-01 10:00:00,噪声扰民,大塘花园\nB0,2025-01-01 11:00:00,噪声扰民,大墉花园\n",
    )
    .unwrap();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let out = ws.run(&["subjects", "merge", "A0", "B0"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("subjects.matching is \"exact\""),
        "{}",
        stderr(&out)
    );
    let c = Console::serve(ws);
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    for action in ["merge", "separate"] {
        let r = c.post(
            "/subjects/decide",
            &s,
            &[
                ("csrf", &token),
                ("a", "A0"),
                ("b", "B0"),
                ("action", action),
            ],
        );
        assert_eq!(r.status, 400, "{action}: {}", r.text());
        assert!(
            r.text().contains("subjects.matching = &quot;exact&quot;")
                || r.text().contains("subjects.matching = \"exact\""),
            "{}",
            r.text()
        );
    }
    drop(c.process);
    assert_eq!(c.ws.count("SELECT count(*) FROM subject_decisions"), 0);
}

#[test]
fn a_decision_naming_nothing_is_not_found_and_one_that_cannot_be_made_is_refused() {
    let ws = Workspace::with_config(&console_config());
    let file = ws.path("orders.csv");
    std::fs::write(
        &file,
        "工单编号,受理时间,诉求类型,事发地址\nA0,2025-01-01 10:00:00,噪声扰民,大塘花园\nB0,2025-01-01 11:00:00,占道经营,大塘花园\n",
    )
    .unwrap();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let c = Console::serve(ws);
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let decide = |a: &str, b: &str| {
        c.post(
            "/subjects/decide",
            &s,
            &[("csrf", &token), ("a", a), ("b", b), ("action", "merge")],
        )
    };
    // Not a 500 of the program: the page says what was not found, or why not.
    let r = decide("NOPE", "A0");
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(r.text().contains("NOPE"), "{}", r.text());
    let r = decide("A0", "B0");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("different matters"), "{}", r.text());
    let r = c.post("/subjects/undo", &s, &[("csrf", &token), ("id", "99")]);
    assert_eq!(r.status, 404, "{}", r.text());
    drop(c.process);
    assert_eq!(c.ws.count("SELECT count(*) FROM subject_decisions"), 0);
}

#[test]
fn an_upload_left_by_a_killed_console_is_removed_at_the_next_start() {
    let ws = Workspace::with_config(&console_config());
    // An export with a phone in it, left an hour and more ago by a console that was killed
    // while loading it; and one being loaded by another console right now.
    let left = ws.path("db/uploads/upload-left1");
    let fresh = ws.path("db/uploads/upload-fresh");
    for dir in [&left, &fresh] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(
            dir.join("export.csv"),
            "工单编号,受理时间,诉求类型,事发地址,联系电话\nU1,2025-01-03 08:05,噪音扰民,星沙街道1号,13812345678\n",
        )
        .unwrap();
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::open(&left)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let c = Console::serve(ws);
    assert!(!left.exists(), "the left upload is removed");
    assert!(fresh.exists(), "an upload in progress is left alone");
    drop(c);
}

/// The words a person reads on a page: the text between tags and the labels of buttons and
/// fields, without the stylesheet, code blocks (configuration keys), file names, ids,
/// addresses of mail and the names of formats.
fn english_words(html: &str) -> Vec<String> {
    let mut html = html.to_string();
    // The configuration is shown as written: its keys are code.
    for (block, opening) in [
        ("style", "<style"),
        ("script", "<script"),
        ("code", "<code"),
        ("pre", "<pre class=\"config\""),
    ] {
        while let Some(open) = html.find(opening) {
            let close = format!("</{block}>");
            let end = html[open..]
                .find(&close)
                .map_or(html.len(), |e| open + e + close.len());
            html.replace_range(open..end, " ");
        }
    }
    let mut text = String::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let close = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..close];
        let mut attrs = vec!["placeholder=\"", "title=\"", "aria-label=\""];
        if tag.starts_with("<input") && tag.contains("type=\"submit\"") {
            attrs.push("value=\"");
        }
        for attr in attrs {
            if let Some(at) = tag.find(attr) {
                let v = &tag[at + attr.len()..];
                text.push_str(&v[..v.find('"').unwrap_or(v.len())]);
                text.push(' ');
            }
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    let allowed = [
        "PDF", "Excel", "CSV", "csv", "xlsx", "xls", "xlsb", "ods", "eml", "pdf", "CSRF", "GBK",
        "UTF", "BOM", "ID", "SMTP", "IP", "TLS", "KB", "MB", "KTV",
        // The login names of the test's users.
        "admin", "viewer", "lisi",
    ];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "._-@/:".contains(c)))
        .filter(|w| !w.is_empty())
        .filter(|w| !w.contains('@') && !w.contains('.') && !w.contains('/'))
        .flat_map(|w| {
            w.split(|c: char| "_-:".contains(c))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2)
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !allowed.contains(&w.as_str()))
        .filter(|w| !w.starts_with("amp") && !w.starts_with("nbsp") && !w.starts_with("quot"))
        .collect()
}

#[test]
fn an_admins_day_shows_no_english_word() {
    let c = Console::start();
    let (s, token) = c.login("admin", ADMIN_PASSWORD);
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    let mut look = |what: &str, r: &Reply| {
        let words = english_words(&r.text());
        if !words.is_empty() {
            seen.push((what.to_string(), words));
        }
    };
    // An upload with one unusable row.
    let (ct, body) = multipart(&token, "三月导出.csv", one_row_unusable().as_bytes());
    let r = c.request("POST", "/import", &s, Some(&ct), &body);
    look("upload", &c.follow(&r, &s));
    let r = c.post(
        "/reports/make",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    look("report made", &c.follow(&r, &s));
    let r = c.post(
        "/reports/ask",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    look("report confirm", &c.follow(&r, &s));
    let r = c.post(
        "/reports/send",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-W05")],
    );
    look("report sent", &c.follow(&r, &s));
    let r = c.post(
        "/reports/make",
        &s,
        &[("csrf", &token), ("kind", "weekly"), ("period", "2025-13")],
    );
    look("report refused", &r);
    for path in [
        "/".to_string(),
        "/cases".to_string(),
        format!("/cases/{RED_CASE}?as_of={AS_OF}"),
        "/subjects".to_string(),
        "/reports".to_string(),
        "/import".to_string(),
        "/runs".to_string(),
        "/account".to_string(),
        "/no-such-page".to_string(),
    ] {
        let r = c.get(&path, &s);
        look(&path, &r);
    }
    let report: Vec<String> = seen
        .iter()
        .map(|(page, words)| format!("{page}: {}", words.join(" ")))
        .collect();
    assert!(
        report.is_empty(),
        "English on the pages:\n{}",
        report.join("\n")
    );
}

#[test]
fn a_user_changes_his_password_in_the_console_and_an_admin_resets_another() {
    let c = Console::start();
    let (s, token) = c.login("viewer", VIEWER_PASSWORD);
    assert!(c.get("/account", &s).text().contains("修改我的密码"));
    // The current password is asked; the new one twice, 8 characters at least.
    for (current, new, again) in [
        ("wrong-pass", "new-viewer-1", "new-viewer-1"),
        (VIEWER_PASSWORD, "new-viewer-1", "new-viewer-2"),
        (VIEWER_PASSWORD, "short", "short"),
    ] {
        let r = c.post(
            "/account/password",
            &s,
            &[
                ("csrf", &token),
                ("current", current),
                ("new", new),
                ("again", again),
            ],
        );
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.text().contains("密码没有修改"), "{}", r.text());
    }
    let r = c.post(
        "/account/password",
        &s,
        &[
            ("csrf", &token),
            ("current", VIEWER_PASSWORD),
            ("new", "new-viewer-1"),
            ("again", "new-viewer-1"),
        ],
    );
    assert!(c.follow(&r, &s).text().contains("密码已修改"));
    // In force at once: the old one no longer logs in, the new one does.
    let page = c.get("/login", "");
    let login_cookie = cookie_of(&page, "hl_login").unwrap();
    let r = c.post(
        "/login",
        &login_cookie,
        &[
            ("name", "viewer"),
            ("password", VIEWER_PASSWORD),
            ("csrf", &csrf_of(&page.text())),
        ],
    );
    assert_eq!(r.status, 401);
    c.login("viewer", "new-viewer-1");
    // A viewer resets no one's; an admin resets the viewer's.
    let r = c.post(
        "/account/reset",
        &s,
        &[("csrf", &token), ("user", "admin"), ("new", "taken-over-1")],
    );
    assert_eq!(r.status, 403);
    let (a, admin_token) = c.login("admin", ADMIN_PASSWORD);
    let r = c.post(
        "/account/reset",
        &a,
        &[
            ("csrf", &admin_token),
            ("user", "viewer"),
            ("new", "reset-viewer-1"),
        ],
    );
    assert!(c.follow(&r, &a).text().contains("已重设viewer的密码"));
    c.login("viewer", "reset-viewer-1");
    let runs = c.audit_page(&a);
    assert!(
        runs.contains("<td data-label=\"操作\">修改密码</td>"),
        "{runs}"
    );
    assert!(!runs.contains("reset-viewer-1") && !runs.contains("new-viewer-1"));
    // Written to the config file for the next start.
    let config = std::fs::read_to_string(c.ws.path("hotline-ledger.toml")).unwrap();
    let viewer_hash = config
        .split("name = \"viewer\"")
        .nth(1)
        .and_then(|t| t.split("password_hash = \"").nth(1))
        .map(|t| &t[..t.find('"').unwrap()])
        .unwrap();
    assert!(hotline_ledger::web::auth::verify_password(
        "reset-viewer-1",
        viewer_hash
    ));
}

/// The text between the first `start` and the `end` after it.
fn between<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"))
        + start.len();
    let to = text[from..].find(end).expect("the end") + from;
    &text[from..to]
}
