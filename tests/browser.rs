//! The console in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`), through log in → a red case → a handling entry → a
//! subject suggestion confirmed → the weekly report made and opened → an export uploaded →
//! the guide (帮助) → log out. The DOM is checked at each step, screenshots are saved at
//! 1280 px and at a phone's 390 px, and any error on the browser's console fails the test.
//!
//! Opt-in (it needs the browser): `cargo test --release -- --ignored
//! a_day_in_the_console_in_a_real_browser`. Screenshots go to the test's temporary folder,
//! or to $HOTLINE_LEDGER_SCREENSHOTS when set; with $HOTLINE_LEDGER_GUIDE_IMAGES set, the
//! ones the guide (docs/使用手册.md) shows are also written to docs/images/.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::common::PATIENCE;
use crate::web::{Console, ADMIN_PASSWORD};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver and one browser session on it.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
    shots: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", Value::Null);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http(addr: &str, method: &str, path: &str, body: &Value) -> Value {
    use std::io::{Read, Write};
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut s = std::net::TcpStream::connect(addr).expect("chromedriver listens");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let (head_len, length) = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "chromedriver closed the connection");
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..i]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>().unwrap());
            break (i + 4, length);
        }
    };
    match length {
        Some(len) => {
            while raw.len() < head_len + len {
                let n = s.read(&mut buf).unwrap();
                assert!(n > 0, "chromedriver closed the connection");
                raw.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut raw).unwrap();
        }
    }
    let json_text = String::from_utf8_lossy(&raw[head_len..]).into_owned();
    serde_json::from_str(&json_text).unwrap_or_else(|e| panic!("{e}: {json_text}"))
}

impl Browser {
    fn start(shots: PathBuf) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium chromium-driver)");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"]
            }
        }}});
        let reply = http(&addr, "POST", "/session", &caps);
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_string();
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            driver,
            addr,
            session,
            shots,
        }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let reply = http(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            &body,
        );
        if let Some(err) = reply["value"].get("error") {
            panic!("{method} {path}: {err}: {}", reply["value"]["message"]);
        }
        reply["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    /// The browser's Back button; the page it shows must be a page of the console, never
    /// the browser's "confirm form resubmission" error.
    fn back(&self, title: &str) {
        self.call("POST", "/back", json!({}));
        crate::common::wait_until("the page before", || {
            self.script("return document.title;")
                .as_str()
                .is_some_and(|t| t.contains(title))
        });
    }

    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let reply = http(
                &self.addr,
                "POST",
                &format!("/session/{}/element", self.session),
                &json!({"using": "css selector", "value": css}),
            );
            if let Some(id) = reply["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "no element {css}: {reply}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/clear"), json!({}));
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    /// The element's text. After a click that submits a form the element found may belong
    /// to the page being replaced: then it is found again on the new one.
    fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let id = self.find(css);
            let reply = http(
                &self.addr,
                "GET",
                &format!("/session/{}/element/{id}/text", self.session),
                &Value::Null,
            );
            match reply["value"].get("error").and_then(Value::as_str) {
                None => return reply["value"].as_str().unwrap_or_default().to_string(),
                Some("stale element reference") if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Some(err) => panic!("text of {css}: {err}: {}", reply["value"]["message"]),
            }
        }
    }

    /// The element's text once it holds `expected` (the page a click submits comes back
    /// with it); fails with the last text seen.
    fn text_holding(&self, css: &str, expected: &str) -> String {
        let mut last = String::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            last = self.text(css);
            if last.contains(expected) {
                return last;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{css} never held \"{expected}\": {last}");
    }

    fn source(&self) -> String {
        self.call("GET", "/source", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": []}))
    }

    fn url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Fails on any error the page logged (a CSP violation, a failed request, a script
    /// error).
    fn no_console_errors(&self, step: &str) {
        let logs = self.call("POST", "/se/log", json!({"type": "browser"}));
        let errors: Vec<&Value> = logs
            .as_array()
            .map(|a| a.iter().filter(|l| l["level"] == "SEVERE").collect())
            .unwrap_or_default();
        assert!(errors.is_empty(), "{step}: console errors: {errors:?}");
    }

    /// Screenshots of the page at 1280 px and at 390 px (a phone); the page must not
    /// scroll sideways at either.
    fn shoot(&self, step: &str) {
        for (width, height) in [(1280, 900), (390, 844)] {
            self.call(
                "POST",
                "/window/rect",
                json!({"width": width, "height": height}),
            );
            // The page is laid out at the new width once its viewport has it.
            let deadline = Instant::now() + PATIENCE;
            while self.script("return window.innerWidth;").as_i64() != Some(width) {
                assert!(
                    Instant::now() < deadline,
                    "{step}: the page stays at its old width"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            let png = self.call("GET", "/screenshot", Value::Null);
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(png.as_str().unwrap())
                .unwrap();
            std::fs::write(self.shots.join(format!("{step}-{width}.png")), bytes).unwrap();
            let overflow = self.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            );
            assert!(
                overflow.as_i64().unwrap_or(0) <= 1,
                "{step} scrolls sideways at {width} px by {overflow}"
            );
        }
        self.call(
            "POST",
            "/window/rect",
            json!({"width": 1280, "height": 900}),
        );
        self.no_console_errors(step);
    }
}

fn shots_dir(tmp: &Path) -> PathBuf {
    std::env::var_os("HOTLINE_LEDGER_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.join("screenshots"))
}

/// The guide's screenshots are the ones this test takes: all of them must have been taken.
/// With $HOTLINE_LEDGER_GUIDE_IMAGES set, every page this test shot, at both widths,
/// replaces its picture under docs/images/.
fn save_guide_images(shots: &Path) {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/images");
    for (name, _) in hotline_ledger::guide::IMAGES {
        let shot = shots.join(format!("{name}.png"));
        assert!(
            shot.exists(),
            "the guide shows {name}.png, which this test did not take"
        );
    }
    if std::env::var_os("HOTLINE_LEDGER_GUIDE_IMAGES").is_some() {
        for shot in std::fs::read_dir(shots).unwrap().flatten() {
            let name = shot.file_name();
            if name.to_string_lossy().ends_with(".png") {
                std::fs::copy(shot.path(), docs.join(name)).unwrap();
            }
        }
    }
}

#[test]
#[ignore = "needs chromium and chromedriver (apt-get install chromium chromium-driver); run with --ignored"]
fn a_day_in_the_console_in_a_real_browser() {
    let console = Console::start();
    let base = format!("http://{}", console.addr);
    let b = Browser::start(shots_dir(console.ws.dir.path()));

    // Log in.
    b.go(&format!("{base}/"));
    assert!(b.url().ends_with("/login"), "sent to the login page");
    b.shoot("01-login");
    b.type_into("#name", "admin");
    b.type_into("#password", ADMIN_PASSWORD);
    b.click("#login");
    assert_eq!(b.text("#user"), "admin（管理员）");
    assert!(b.source().contains("<svg class=\"trend\""));
    b.shoot("02-overview");

    // Open a red case.
    b.go(&format!("{base}/cases?as_of=2025-02-28&tier=red"));
    assert!(b.text("#total").starts_with("共 "));
    b.shoot("03-cases");
    b.click("#cases a.case-link");
    assert_eq!(b.text("#tier"), "红色预警");
    assert!(b.text("#lead").starts_with("大队长 张某某"));
    let phones =
        b.script("return Array.from(document.querySelectorAll('.phone')).map(e => e.textContent);");
    let phones: Vec<&str> = phones
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(!phones.is_empty());
    assert!(phones.iter().all(|p| p.contains("****")), "{phones:?}");
    b.shoot("04-case");

    // Add a handling entry.
    b.type_into("#measures", "联合社区上门劝导,责令商场夜间停止外放音响");
    b.type_into("#responsible", "王某");
    b.type_into("#result", "已整改");
    b.type_into("#return_visit", "次日回访,投诉人表示满意");
    b.click("#add-entry");
    let handling = b.text_holding("#handling", "联合社区上门劝导");
    assert!(handling.contains("admin"));
    assert!(!b.source().contains("id=\"no-entries\""));
    b.shoot("05-handling");

    // Confirm a subject suggestion.
    b.go(&format!("{base}/subjects"));
    b.shoot("06-subjects");
    b.click("a.merge");
    let outcome = b.text_holding("#pair-outcome", "合并后");
    assert!(outcome.contains("最近一轮"), "{outcome}");
    b.shoot("06-subjects-pair");
    b.click("#confirm-merge");
    b.text_holding("#decisions", "合并");
    b.shoot("07-merged");

    // Make the weekly report and open it.
    b.go(&format!("{base}/reports"));
    b.click("#week option[value='2025-W05']");
    b.click("#make-weekly");
    assert!(b.text("#result").contains("2025年第5周（1月27日—2月2日）"));
    b.shoot("08-reports");
    let link = b.find("a.made");
    let href = b.call(
        "GET",
        &format!("/element/{link}/property/href"),
        Value::Null,
    );
    let href = href.as_str().unwrap().to_string();
    b.go(&href);
    let kind = b.script("return document.contentType;");
    assert_eq!(kind, "application/pdf");
    b.no_console_errors("09-report");
    // Back from the report and back past the action: pages, never a resubmission.
    b.back("报表");
    b.back("报表");

    b.go(&format!("{base}/runs"));
    assert!(b.text("#audit").contains("处置记录"));
    b.shoot("10-runs");

    // Upload an export with one unusable row: loaded, the row set aside with its reason.
    let export = console.ws.path("2025-03-补充导出.csv");
    std::fs::write(
        &export,
        "工单编号,受理时间,诉求类型,事发地址,办理状态\n\
         GD202503200001,2025-03-20 09:12:00,噪声扰民,星沙街道开元东路18号,已办结\n\
         GD202503200002,2025年13月1日,占道经营,泉塘街道东八路,处置中\n",
    )
    .unwrap();
    b.go(&format!("{base}/import"));
    b.type_into("#file", &export.display().to_string());
    b.click("#upload");
    // The form posts and the page comes back with the result: wait for it.
    let result = || {
        b.script("const r = document.getElementById('result'); return r ? r.textContent : '';")
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    crate::common::wait_until("the upload's result", || !result().is_empty());
    assert!(result().contains("导入完成"), "{}", result());
    let rejected = b.text("#rejected");
    assert!(
        rejected.contains("2025-03-补充导出.csv") && rejected.contains("2025年13月1日"),
        "{rejected}"
    );
    b.shoot("12-import");
    b.back("导入");

    // The guide, with its screenshots.
    b.click("#help-link");
    crate::common::wait_until("the guide", || b.url().contains("/help"));
    assert!(b.url().ends_with("/help#import-errors"), "{}", b.url());
    assert!(b.text("#guide").contains("导入失败怎么办"));
    let images =
        b.script("return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0);");
    let images = images.as_array().unwrap();
    assert!(!images.is_empty());
    assert!(images.iter().all(|loaded| loaded == true), "{images:?}");
    b.shoot("13-help");

    // Log out.
    b.click("#logout");
    // The form posts and the browser follows the redirect: wait for it to land.
    crate::common::wait_until("the login page after logging out", || {
        b.url().ends_with("/login")
    });
    b.go(&format!("{base}/cases"));
    assert!(b.url().ends_with("/login"), "the session ended");
    b.no_console_errors("11-logout");

    // A lead's day: he logs in to his cases, records what was done on one, and sees it.
    b.type_into("#name", "lisi");
    b.type_into("#password", crate::web::LEAD_PASSWORD);
    b.click("#login");
    crate::common::wait_until("his cases", || b.url().contains("/cases?lead="));
    assert!(b.text("#user").starts_with("李某某"));
    b.go(&format!("{}&as_of=2025-02-28", b.url()));
    assert!(b.text("#total").starts_with("共 "));
    b.shoot("14-my-cases");
    b.click("#cases a.case-link");
    assert!(b.text("#lead").ends_with("李某某"));
    b.type_into("#measures", "联合社区上门约谈，限期整改");
    b.click("#add-entry");
    b.text_holding("#handling", "联合社区上门约谈，限期整改");
    assert!(b.text("#handling").contains("李某某"));
    b.shoot("15-lead-handling");
    b.back("案件");
    b.no_console_errors("15-lead-handling");
    save_guide_images(&b.shots);
}
