//! 来电人: how many different people made a case's complaints, beside how many complaints.
//! The export `tests/fixtures/callers/2025-03-工单导出.csv` holds three cases: twelve noise
//! complaints of which eight come from one neighbour whose number is typed eight ways
//! (+86, 0086, 86, spaces, dashes, brackets, full-width digits), two from a landline typed
//! two ways and two without a phone; five street-vending complaints from five households;
//! five cooking-fume complaints without any phone. Figures are read back from `cases`, the
//! PDFs and the console, and turned off by `[callers] enabled = false`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use crate::reports::pdf_pages;
use crate::web::{console_config, Console, ADMIN_PASSWORD};

fn export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/callers/2025-03-工单导出.csv")
}

fn loaded(extra: &str) -> Workspace {
    let ws = Workspace::with_config(extra);
    assert_exit(&ws.run(&["ingest", export().to_str().unwrap()]), 0);
    ws
}

const OFF: &str = "[callers]\nenabled = false\n";

/// `cases --as-of 2025-03-31 --format csv` (with `extra` args), by case id.
fn csv_cases(
    ws: &Workspace,
    extra: &[&str],
) -> (Vec<String>, BTreeMap<String, BTreeMap<String, String>>) {
    let mut args = vec!["cases", "--as-of", "2025-03-31", "--format", "csv"];
    args.extend_from_slice(extra);
    let out = ws.run(&args);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let row: BTreeMap<String, String> = headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect();
            (row["case_id"].clone(), row)
        })
        .collect();
    (headers, rows)
}

/// The report's PDF text, all pages.
fn report_text(ws: &Workspace, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let out = ws.run(&all);
    assert_exit(&out, 0);
    let path = stdout(&out)
        .lines()
        .next()
        .unwrap()
        .split("  (")
        .next()
        .unwrap()
        .to_string();
    pdf_pages(Path::new(&path)).join("\n")
}

#[test]
fn phone_numbers_written_many_ways_are_one_caller() {
    let ws = Workspace::new();
    let store = ws.store();
    hotline_ledger::callers::define_key(&store).unwrap();
    let key = |phone: Option<&str>| -> Option<String> {
        store
            .conn()
            .query_row("SELECT caller_key(?)", [phone], |r| r.get(0))
            .unwrap()
    };
    for written in [
        "13800001111",
        "+86 138 0000 1111",
        "+8613800001111",
        "0086 13800001111",
        "8613800001111",
        "138 0000 1111",
        "138-0000-1111",
        "(+86)138-0000-1111",
        "１３８００００１１１１",
        "＋８６ １３８ ００００ １１１１",
        "13800001111/13900002222",
        "13800001111、13900002222",
    ] {
        assert_eq!(
            key(Some(written)).as_deref(),
            Some("13800001111"),
            "{written}"
        );
    }
    for written in [
        "0731-84012345",
        "(0731)84012345",
        "+86 731 8401 2345",
        "0086-731-84012345",
    ] {
        assert_eq!(
            key(Some(written)).as_deref(),
            Some("073184012345"),
            "{written}"
        );
    }
    // A local number that starts with 86 is not a country code.
    assert_eq!(key(Some("86123456")).as_deref(), Some("86123456"));
    for none in [
        None,
        Some(""),
        Some("无"),
        Some("-"),
        Some("未提供"),
        Some("+86"),
    ] {
        assert_eq!(key(none), None, "{none:?}");
    }
}

#[test]
fn cases_count_different_callers_beside_complaints() {
    let ws = loaded("");
    let (headers, cases) = csv_cases(&ws, &["--wide"]);
    assert_eq!(
        &headers[16..],
        [
            "callers",
            "no_phone",
            "top_caller_complaints",
            "top_caller_share"
        ]
    );
    let figures = |id: &str| {
        let c = &cases[id];
        [
            c["count"].as_str(),
            c["callers"].as_str(),
            c["no_phone"].as_str(),
            c["top_caller_complaints"].as_str(),
            c["top_caller_share"].as_str(),
        ]
        .map(String::from)
    };
    // One neighbour (eight ways of writing one number), one landline (two ways), two
    // without a phone.
    assert_eq!(figures("CA202503001"), ["12", "2", "2", "8", "0.6667"]);
    assert_eq!(figures("CB202503001"), ["5", "5", "0", "1", "0.2000"]);
    assert_eq!(figures("CC202503001"), ["5", "0", "5", "", ""]);
}

#[test]
fn tiers_still_count_complaints_not_callers() {
    let ws = loaded("");
    let (_, cases) = csv_cases(&ws, &["--wide"]);
    // Twelve complaints from two callers is yellow; five from nobody known is green.
    assert_eq!(cases["CA202503001"]["tier"], "yellow");
    assert_eq!(cases["CA202503001"]["callers"], "2");
    assert_eq!(cases["CC202503001"]["tier"], "green");
    assert_eq!(cases.len(), 3);
}

#[test]
fn the_cases_csv_keeps_its_columns_without_wide() {
    let ws = loaded("");
    let (headers, _) = csv_cases(&ws, &[]);
    assert_eq!(
        headers.join(","),
        "case_id,subject_key,category,address,tier,lead_role,count,first_received_at,\
         last_received_at,registered_at,yellow_at,red_at,status,cleared_at,handling_mode,recurring"
    );
}

#[test]
fn the_cases_table_and_json_show_the_callers() {
    let ws = loaded("");
    let out = ws.run(&["cases", "--as-of", "2025-03-31", "--format", "json"]);
    assert_exit(&out, 0);
    let items: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let a = items
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_id"] == "CA202503001")
        .unwrap();
    assert_eq!(a["count"], 12);
    assert_eq!(a["callers"], 2);
    assert_eq!(a["no_phone"], 2);
    assert_eq!(a["top_caller_complaints"], 8);
    assert!((a["top_caller_share"].as_f64().unwrap() - 8.0 / 12.0).abs() < 1e-9);
    let c = items
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_id"] == "CC202503001")
        .unwrap();
    assert_eq!(c["callers"], 0);
    assert_eq!(c["top_caller_share"], serde_json::Value::Null);

    let out = ws.run(&["cases", "--as-of", "2025-03-31"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("来电人"), "{text}");
    let line = text.lines().find(|l| l.starts_with("CA202503001")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&cells[3..7], ["12", "2", "2", "8件"], "{line}");
    assert_eq!(cells[7], "67%", "{line}");
}

#[test]
fn wide_goes_with_csv_only() {
    let ws = loaded("");
    let out = ws.run(&["cases", "--as-of", "2025-03-31", "--wide"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--wide goes with --format csv"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reports_show_the_callers_beside_the_complaints() {
    let ws = loaded("");
    let weekly = report_text(&ws, &["weekly", "--week", "2025-W11"]);
    assert!(weekly.contains("最多一人"), "{weekly}");
    assert!(weekly.contains("66.7%"), "{weekly}");
    assert!(weekly.contains("20.0%"), "{weekly}");
    assert!(weekly.contains("预警等级仍按投诉件数"), "{weekly}");

    let monthly = report_text(&ws, &["monthly", "--month", "2025-03"]);
    assert!(monthly.contains("来电人"), "{monthly}");
    assert!(monthly.contains("66.7%"), "{monthly}");

    // A case's detail line wraps where the page ends it.
    let ledger = report_text(&ws, &["ledger", "--month", "2025-03"]).replace('\n', "");
    assert!(
        ledger.contains("来电人2人(另2件未留电话),最多一人8件(占67%)"),
        "{ledger}"
    );
    assert!(ledger.contains("来电人5人,最多一人1件(占20%)"), "{ledger}");
    assert!(ledger.contains("来电人均未留电话"), "{ledger}");
    // The numbers themselves stay masked.
    for text in [&weekly, &monthly, &ledger] {
        assert!(!text.contains("13800001111"));
        assert!(!text.contains("84012345"));
    }
}

#[test]
fn callers_turned_off_appear_nowhere() {
    let ws = loaded(OFF);
    let (headers, _) = csv_cases(&ws, &[]);
    assert_eq!(headers.len(), 16);
    let out = ws.run(&[
        "cases",
        "--as-of",
        "2025-03-31",
        "--format",
        "csv",
        "--wide",
    ]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("callers.enabled = false"),
        "{}",
        stderr(&out)
    );
    let out = ws.run(&["cases", "--as-of", "2025-03-31", "--format", "json"]);
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("callers"), "{}", stdout(&out));
    let out = ws.run(&["cases", "--as-of", "2025-03-31"]);
    assert_exit(&out, 0);
    assert!(!stdout(&out).contains("来电人"), "{}", stdout(&out));

    let weekly = report_text(&ws, &["weekly", "--week", "2025-W11"]);
    let monthly = report_text(&ws, &["monthly", "--month", "2025-03"]);
    let ledger = report_text(&ws, &["ledger", "--month", "2025-03"]);
    for text in [&weekly, &monthly, &ledger] {
        assert!(!text.contains("来电人"), "{text}");
        assert!(!text.contains("最多一人"), "{text}");
        assert!(!text.contains("66.7%"), "{text}");
    }
    // The cases are there all the same.
    assert!(ledger.contains("CA202503001"));
    assert!(weekly.contains("CA202503001"));
}

fn console_on(extra: &str) -> Console {
    let ws = Workspace::with_config(&format!("{}\n{extra}", console_config()));
    assert_exit(&ws.run(&["ingest", export().to_str().unwrap()]), 0);
    Console::serve(ws)
}

#[test]
fn the_console_case_page_lists_masked_callers_with_their_complaints() {
    let console = console_on("");
    let (session, _) = console.login("admin", ADMIN_PASSWORD);
    let page = console.get("/cases/CA202503001?as_of=2025-03-31", &session);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(
        html.contains("2人（另2件未留电话），最多一人8件（67%）"),
        "{html}"
    );
    assert!(html.contains("来电人（2 人）"), "{html}");
    let rows: Vec<(String, String)> = html
        .split("<td data-label=\"电话\" class=\"caller-phone\">")
        .skip(1)
        .map(|part| {
            let phone = part.split("</td>").next().unwrap().to_string();
            let complaints = part
                .split("caller-complaints\">")
                .nth(1)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap()
                .to_string();
            (phone, complaints)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("138****1111".to_string(), "8".to_string()),
            ("073*****2345".to_string(), "2".to_string()),
            ("未留电话".to_string(), "2".to_string()),
        ]
    );
    assert!(!html.contains("13800001111"));
    assert!(!html.contains("84012345"));

    let page = console.get("/cases/CC202503001?as_of=2025-03-31", &session);
    assert!(page.text().contains("均未留电话（5件）"), "{}", page.text());
}

#[test]
fn the_console_case_page_has_no_callers_when_they_are_off() {
    let console = console_on(OFF);
    let (session, _) = console.login("admin", ADMIN_PASSWORD);
    let page = console.get("/cases/CA202503001?as_of=2025-03-31", &session);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(!html.contains("id=\"callers\""), "{html}");
    assert!(!html.contains("未留电话"), "{html}");
}

#[test]
fn a_case_with_many_callers_lists_the_most_frequent_and_counts_them_all() {
    // 60 complaints at one place: 55 different phones (one of them twice) and 4 without.
    let ws = Workspace::with_config(&console_config());
    let mut rows = vec![vec![
        "工单编号".to_string(),
        "受理时间".into(),
        "诉求类型".into(),
        "事发地址".into(),
        "联系电话".into(),
        "办理状态".into(),
    ]];
    for i in 0..60 {
        let phone = match i {
            0..=54 => format!("139{:08}", i),
            55 => "13900000007".into(),
            _ => String::new(),
        };
        rows.push(vec![
            format!("MC2025030{i:02}"),
            format!("2025-03-{:02} 09:{:02}", 1 + i / 6, i % 60),
            "噪声扰民".into(),
            "星沙街道开元东路18号".into(),
            phone,
            "处理中".into(),
        ]);
    }
    let file = ws.path("2025-03-导出.csv");
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let (_, wide) = csv_cases(&ws, &["--wide"]);
    let case = &wide["MC202503000"];
    assert_eq!(
        [
            &case["callers"],
            &case["no_phone"],
            &case["top_caller_complaints"]
        ],
        ["55", "4", "2"]
    );

    let console = Console::serve(ws);
    let (session, _) = console.login("admin", ADMIN_PASSWORD);
    let page = console.get("/cases/MC202503000?as_of=2025-03-31", &session);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    // The same figures as `cases --wide`, over all the callers, not only those listed.
    assert!(
        html.contains("55人（另4件未留电话），最多一人2件（3%）"),
        "{html}"
    );
    assert!(html.contains("来电人（55 人）"), "{html}");
    assert!(
        html.contains("此处列出来电最多的 50 行，共 56 行"),
        "{html}"
    );
    let listed: Vec<&str> = html
        .split("class=\"num caller-complaints\">")
        .skip(1)
        .map(|part| part.split("</td>").next().unwrap())
        .collect();
    assert_eq!(listed.len(), 50);
    // Most complaints first: 未留电话 (4), the phone that called twice, then the rest.
    assert_eq!(&listed[..3], ["4", "2", "1"]);
    assert!(html.contains("139****0007"), "{html}");
}
