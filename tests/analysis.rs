//! The warning rules at their boundaries, on hand-built exports whose cases were worked out
//! by hand: counts, gaps, as-of instants, closedness, clearance, recurrence, chains,
//! addresses, categories and handling modes.

use chrono::{Duration, NaiveDateTime};

use crate::common::*;

const FULL: &[&str] = &[
    "工单编号",
    "受理时间",
    "诉求类型",
    "事发地址",
    "诉求内容",
    "办理状态",
    "办结时间",
    "关联工单",
];

/// A work order of a fixture.
#[derive(Clone)]
struct O {
    id: String,
    at: String,
    category: String,
    address: String,
    content: String,
    status: String,
    closed: String,
    related: String,
}

fn o(id: &str, at: &str, category: &str, address: &str) -> O {
    O {
        id: id.into(),
        at: at.into(),
        category: category.into(),
        address: address.into(),
        content: "投诉".into(),
        status: "已办结".into(),
        closed: String::new(),
        related: String::new(),
    }
}

impl O {
    fn status(mut self, s: &str) -> O {
        self.status = s.into();
        self
    }
    fn closed(mut self, at: &str) -> O {
        self.closed = at.into();
        self
    }
    fn content(mut self, c: &str) -> O {
        self.content = c.into();
        self
    }
    fn related(mut self, r: &str) -> O {
        self.related = r.into();
        self
    }
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `n` closed orders `prefix-01`.. at one place, one hour apart from `start`.
fn series(prefix: &str, n: usize, start: &str, category: &str, address: &str) -> Vec<O> {
    (0..n)
        .map(|k| {
            o(
                &format!("{prefix}-{:02}", k + 1),
                &fmt(t(start) + Duration::hours(k as i64)),
                category,
                address,
            )
        })
        .collect()
}

fn load(ws: &Workspace, name: &str, orders: &[O]) {
    let file = ws.path(name);
    let mut rows: Vec<Vec<String>> = vec![FULL.iter().map(|s| s.to_string()).collect()];
    for x in orders {
        rows.push(vec![
            x.id.clone(),
            x.at.clone(),
            x.category.clone(),
            x.address.clone(),
            x.content.clone(),
            x.status.clone(),
            x.closed.clone(),
            x.related.clone(),
        ]);
    }
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
}

/// The `cases --format csv` rows (without the header) as of `day`.
fn cases(ws: &Workspace, day: &str) -> Vec<String> {
    let out = ws.run(&["cases", "--as-of", day, "--format", "csv"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("case_id,subject_key,category,address,tier,lead_role,count,first_received_at,last_received_at,registered_at,yellow_at,red_at,status,cleared_at,handling_mode,recurring")
    );
    lines.map(str::to_string).collect()
}

/// (case_id, tier, count, status) of every case.
fn summary(ws: &Workspace, day: &str) -> Vec<(String, String, String, String)> {
    cases(ws, day)
        .iter()
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[0].into(), f[4].into(), f[6].into(), f[12].into())
        })
        .collect()
}

fn case_line(ws: &Workspace, day: &str, case_id: &str) -> String {
    cases(ws, day)
        .into_iter()
        .find(|l| l.starts_with(&format!("{case_id},")))
        .unwrap_or_else(|| panic!("no case {case_id}"))
}

fn row(id: &str, tier: &str, count: &str, status: &str) -> (String, String, String, String) {
    (id.into(), tier.into(), count.into(), status.into())
}

#[test]
fn tier_boundaries_4_5_9_10_19_20() {
    let ws = Workspace::new();
    let mut orders = Vec::new();
    for (prefix, n) in [
        ("C04", 4),
        ("C05", 5),
        ("C09", 9),
        ("C10", 10),
        ("C19", 19),
        ("C20", 20),
    ] {
        orders.extend(series(
            prefix,
            n,
            "2025-01-01 08:00:00",
            "噪声扰民",
            &format!("星沙街道{prefix}号"),
        ));
    }
    load(&ws, "tiers.csv", &orders);
    assert_eq!(
        summary(&ws, "2025-01-10"),
        vec![
            row("C05-01", "green", "5", "monitoring"),
            row("C09-01", "green", "9", "monitoring"),
            row("C10-01", "yellow", "10", "monitoring"),
            row("C19-01", "yellow", "19", "monitoring"),
            row("C20-01", "red", "20", "monitoring"),
        ]
    );
    assert_eq!(
        case_line(&ws, "2025-01-10", "C05-01"),
        "C05-01,噪声扰民|星沙街道c05号,噪声扰民,星沙街道C05号,green,group_leader,5,2025-01-01 08:00:00,2025-01-01 12:00:00,2025-01-01 12:00:00,,,monitoring,,immediate,false"
    );
    assert_eq!(
        case_line(&ws, "2025-01-10", "C10-01"),
        "C10-01,噪声扰民|星沙街道c10号,噪声扰民,星沙街道C10号,yellow,deputy_captain,10,2025-01-01 08:00:00,2025-01-01 17:00:00,2025-01-01 12:00:00,2025-01-01 17:00:00,,monitoring,,immediate,false"
    );
    assert_eq!(
        case_line(&ws, "2025-01-10", "C20-01"),
        "C20-01,噪声扰民|星沙街道c20号,噪声扰民,星沙街道C20号,red,captain,20,2025-01-01 08:00:00,2025-01-02 03:00:00,2025-01-01 12:00:00,2025-01-01 17:00:00,2025-01-02 03:00:00,monitoring,,immediate,false"
    );
}

#[test]
fn a_gap_of_exactly_quiet_days_keeps_one_episode_one_second_more_splits() {
    let ws = Workspace::new();
    let mut orders = series(
        "G30",
        4,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道甲路1号",
    );
    // The fourth order is at 2025-01-01 11:00:00; exactly 30 days later:
    orders.push(o(
        "G30-05",
        "2025-01-31 11:00:00",
        "噪声扰民",
        "星沙街道甲路1号",
    ));
    orders.extend(series(
        "G31",
        4,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道甲路2号",
    ));
    orders.push(o(
        "G31-05",
        "2025-01-31 11:00:01",
        "噪声扰民",
        "星沙街道甲路2号",
    ));
    load(&ws, "gaps.csv", &orders);
    assert_eq!(
        summary(&ws, "2025-02-01"),
        vec![row("G30-01", "green", "5", "monitoring")]
    );
    let out = ws.run(&[
        "subjects",
        "--as-of",
        "2025-02-01",
        "--format",
        "csv",
        "--contains",
        "甲路2号",
    ]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "subject_key,episode,count,first_order_id,first_received_at,last_received_at,open_orders,to_green\n\
         噪声扰民|星沙街道甲路2号,1,4,G31-01,2025-01-01 08:00:00,2025-01-01 11:00:00,0,1\n\
         噪声扰民|星沙街道甲路2号,2,1,G31-05,2025-01-31 11:00:01,2025-01-31 11:00:01,0,4\n"
    );
}

#[test]
fn as_of_is_the_end_of_the_day_and_an_order_at_t_does_not_count() {
    let ws = Workspace::new();
    let mut orders = series(
        "E1",
        4,
        "2025-01-20 08:00:00",
        "噪声扰民",
        "星沙街道丙路1号",
    );
    orders.push(o(
        "E1-05",
        "2025-01-31 23:59:59",
        "噪声扰民",
        "星沙街道丙路1号",
    ));
    orders.extend(series(
        "E2",
        4,
        "2025-01-20 08:00:00",
        "噪声扰民",
        "星沙街道丙路2号",
    ));
    orders.push(o(
        "E2-05",
        "2025-02-01 00:00:00",
        "噪声扰民",
        "星沙街道丙路2号",
    ));
    load(&ws, "asof.csv", &orders);
    assert_eq!(summary(&ws, "2025-01-30"), vec![]);
    assert_eq!(
        summary(&ws, "2025-01-31"),
        vec![row("E1-01", "green", "5", "monitoring")]
    );
    assert_eq!(
        summary(&ws, "2025-02-01"),
        vec![
            row("E1-01", "green", "5", "monitoring"),
            row("E2-01", "green", "5", "monitoring")
        ]
    );
}

#[test]
fn closedness_by_status_by_closing_time_and_a_closing_after_t() {
    let ws = Workspace::new();
    let mut orders = Vec::new();
    // All closed by status alone.
    orders.extend(series(
        "K1",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道丁路1号",
    ));
    // One still open.
    let mut open = series(
        "K2",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道丁路2号",
    );
    open[4] = open[4].clone().status("处理中");
    orders.extend(open);
    // All closed by closing time, whatever the status says.
    orders.extend(
        series(
            "K3",
            5,
            "2025-01-01 08:00:00",
            "噪声扰民",
            "星沙街道丁路3号",
        )
        .into_iter()
        .map(|x| x.status("处理中").closed("2025-01-02 09:00:00")),
    );
    // One closed after T: still open at T.
    let mut late = series(
        "K4",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道丁路4号",
    );
    late[2] = late[2].clone().closed("2025-01-06 00:00:00");
    orders.extend(late);
    load(&ws, "closed.csv", &orders);
    assert_eq!(
        summary(&ws, "2025-01-05"),
        vec![
            row("K1-01", "green", "5", "monitoring"),
            row("K2-01", "green", "5", "in_progress"),
            row("K3-01", "green", "5", "monitoring"),
            row("K4-01", "green", "5", "in_progress"),
        ]
    );
    // From the next day on, K4's closing is before T.
    assert_eq!(
        summary(&ws, "2025-01-06")[3],
        row("K4-01", "green", "5", "monitoring")
    );
}

#[test]
fn clearance_and_its_time() {
    let ws = Workspace::new();
    let mut orders: Vec<O> = series(
        "Q1",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道戊路1号",
    )
    .into_iter()
    .map(|x| x.closed("2025-01-02 09:00:00"))
    .collect();
    let mut late: Vec<O> = series(
        "Q2",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道戊路2号",
    )
    .into_iter()
    .map(|x| x.closed("2025-01-02 09:00:00"))
    .collect();
    late[3] = late[3].clone().closed("2025-02-10 09:00:00");
    orders.extend(late);
    load(&ws, "cleared.csv", &orders);
    // Last complaint 2025-01-01 12:00: still monitoring through 2025-01-31 12:00.
    assert_eq!(
        summary(&ws, "2025-01-30")[0],
        row("Q1-01", "green", "5", "monitoring")
    );
    let q1 = case_line(&ws, "2025-03-01", "Q1-01");
    assert!(
        q1.ends_with(",cleared,2025-01-31 12:00:00,immediate,false"),
        "{q1}"
    );
    // Q2's last closing comes after the quiet period: it is the clearance time.
    let q2 = case_line(&ws, "2025-03-01", "Q2-01");
    assert!(
        q2.ends_with(",cleared,2025-02-10 09:00:00,immediate,false"),
        "{q2}"
    );
    // Before that closing, Q2 is still being handled.
    assert_eq!(
        summary(&ws, "2025-02-05")[1],
        row("Q2-01", "green", "5", "in_progress")
    );
    assert_eq!(
        summary(&ws, "2025-02-05")[0],
        row("Q1-01", "green", "5", "cleared")
    );
}

#[test]
fn recurrence_after_a_cleared_case() {
    let ws = Workspace::new();
    let mut orders = series(
        "R1",
        5,
        "2024-11-01 08:00:00",
        "噪声扰民",
        "星沙街道己路1号",
    );
    orders.extend(series(
        "R2",
        5,
        "2025-02-01 08:00:00",
        "噪声扰民",
        "星沙街道己路1号",
    ));
    // An earlier episode that was not a warning does not make the later one recurring.
    orders.extend(series(
        "R3",
        3,
        "2024-11-01 08:00:00",
        "噪声扰民",
        "星沙街道己路2号",
    ));
    orders.extend(series(
        "R4",
        5,
        "2025-02-01 08:00:00",
        "噪声扰民",
        "星沙街道己路2号",
    ));
    load(&ws, "recur.csv", &orders);
    let lines = cases(&ws, "2025-02-10");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("R1-01,")
            && lines[0].ends_with(",cleared,2024-12-01 12:00:00,immediate,false"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("R2-01,") && lines[1].ends_with(",monitoring,,immediate,true"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("R4-01,") && lines[2].ends_with(",monitoring,,immediate,false"),
        "{}",
        lines[2]
    );
}

#[test]
fn related_order_chains_join_their_root_subject() {
    let ws = Workspace::new();
    let a = "星沙街道庚路1号";
    let orders = vec![
        o("CH1", "2025-01-01 08:00:00", "噪音扰民", a),
        // A chain of three: CH3 → CH2 → CH1, with other addresses and a category of its own.
        o("CH2", "2025-01-01 09:00:00", "噪音扰民", "庚路路口工地").related("CH1"),
        o("CH3", "2025-01-01 10:00:00", "占道经营", "别处").related("CH2"),
        o("CH4", "2025-01-01 11:00:00", "噪音扰民", a),
        o("CH5", "2025-01-01 12:00:00", "社会生活噪声", a),
        // An unknown reference is ignored: CH6 keys its own subject.
        o("CH6", "2025-01-01 13:00:00", "噪音扰民", "星沙街道庚路9号").related("NOPE"),
    ];
    load(&ws, "chains.csv", &orders);
    let out = ws.run(&["cases", "--as-of", "2025-01-05", "--format", "csv"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out).lines().nth(1).unwrap(),
        "CH1,噪声扰民|星沙街道庚路1号,噪声扰民,星沙街道庚路1号,green,group_leader,5,2025-01-01 08:00:00,2025-01-01 12:00:00,2025-01-01 12:00:00,,,monitoring,,immediate,false"
    );
    assert_eq!(stdout(&out).lines().count(), 2);
    assert_eq!(
        stderr(&out),
        "note: 1 order names a related order that is not known (ignored): CH6 → NOPE\n"
    );
}

#[test]
fn a_reference_to_an_order_received_after_t_still_names_its_subject() {
    let ws = Workspace::new();
    let mut orders = vec![o(
        "LATE",
        "2025-01-20 08:00:00",
        "噪声扰民",
        "星沙街道庚路7号",
    )];
    for k in 1..=5 {
        orders.push(
            o(
                &format!("EARLY{k}"),
                &format!("2025-01-0{k} 08:00:00"),
                "噪声扰民",
                &format!("别处{k}号"),
            )
            .related("LATE"),
        );
    }
    load(&ws, "late-root.csv", &orders);
    let lines = cases(&ws, "2025-01-10");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .starts_with("EARLY1,噪声扰民|星沙街道庚路7号,噪声扰民,别处1号,green,group_leader,5,"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_chain_that_loops_takes_the_smallest_id_of_the_loop_as_root() {
    let ws = Workspace::new();
    let orders = vec![
        o("LP2", "2025-01-01 08:00:00", "噪声扰民", "星沙街道辛路2号").related("LP3"),
        o("LP3", "2025-01-01 09:00:00", "噪声扰民", "星沙街道辛路3号").related("LP2"),
        o("LP4", "2025-01-01 10:00:00", "噪声扰民", "星沙街道辛路4号").related("LP3"),
        o("LP5", "2025-01-01 11:00:00", "噪声扰民", "星沙街道辛路5号").related("LP4"),
        o("LP6", "2025-01-01 12:00:00", "噪声扰民", "星沙街道辛路6号").related("LP2"),
    ];
    load(&ws, "loop.csv", &orders);
    let lines = cases(&ws, "2025-01-05");
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("LP2,噪声扰民|星沙街道辛路2号,噪声扰民,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(",green,group_leader,5,"), "{}", lines[0]);
}

#[test]
fn address_variants_merge_and_near_misses_do_not() {
    let ws = Workspace::new();
    let variants = [
        "长沙县 星沙街道开元东路１８号（某某商场）门口",
        "星沙街道 开元东路18号 某某商场",
        "湖南省长沙市长沙县星沙街道开元东路18号某某商场附近",
        "星沙街道开元东路18号某某商场。",
        "星沙街道开元东路18号,某某商场旁边楼下",
    ];
    let mut orders: Vec<O> = variants
        .iter()
        .enumerate()
        .map(|(i, a)| {
            o(
                &format!("AV{i}"),
                &format!("2025-01-0{} 08:00:00", i + 1),
                "噪声扰民",
                a,
            )
        })
        .collect();
    let near_misses = [
        "星沙街道开元东路19号某某商场",
        "星沙街道开元西路18号某某商场",
        "星沙街道开元东路18号某某商场B座",
        "开元东路18号某某商场",
    ];
    let base = "星沙街道开元东路28号某某商场";
    for i in 0..4 {
        orders.push(o(
            &format!("NB{i}"),
            &format!("2025-01-0{} 09:00:00", i + 1),
            "噪声扰民",
            base,
        ));
    }
    for (i, a) in near_misses.iter().enumerate() {
        orders.push(o(
            &format!("NM{i}"),
            &format!("2025-01-0{} 10:00:00", i + 1),
            "噪声扰民",
            a,
        ));
    }
    load(&ws, "addresses.csv", &orders);
    let lines = cases(&ws, "2025-01-10");
    assert_eq!(lines.len(), 1, "{lines:?}");
    // The most frequent original address names the case; all five differ, so the earliest.
    assert!(
        lines[0].starts_with("AV0,噪声扰民|星沙街道开元东路18号某某商场,噪声扰民,长沙县 星沙街道开元东路１８号（某某商场）门口,green,"),
        "{}",
        lines[0]
    );
}

#[test]
fn category_aliases_merge_and_other_categories_pass_through() {
    let ws = Workspace::new();
    let a = "星沙街道壬路1号";
    let orders = vec![
        o("CA1", "2025-01-01 08:00:00", "噪音扰民", a),
        o("CA2", "2025-01-01 09:00:00", " 社会生活噪声 ", a),
        o("CA3", "2025-01-01 10:00:00", "噪声扰民", a),
        o("CA4", "2025-01-01 11:00:00", "噪音扰民", a),
        o("CA5", "2025-01-01 12:00:00", "社会生活噪声", a),
        o("CB1", "2025-01-01 08:00:00", "渣土撒漏", a),
    ];
    load(&ws, "categories.csv", &orders);
    let lines = cases(&ws, "2025-01-05");
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("CA1,噪声扰民|星沙街道壬路1号,噪声扰民,"),
        "{}",
        lines[0]
    );
    let out = ws.run(&[
        "subjects",
        "--as-of",
        "2025-01-05",
        "--format",
        "csv",
        "--contains",
        "渣土",
    ]);
    assert!(
        stdout(&out).contains("\n渣土撒漏|星沙街道壬路1号,1,1,CB1,"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn handling_modes() {
    let ws = Workspace::new();
    let mut orders = series(
        "HM1",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道癸路1号",
    );
    orders[3] = orders[3].clone().content("楼道里堆放燃气罐,存在安全隐患");
    orders.extend(series(
        "HM2",
        5,
        "2025-01-01 08:00:00",
        "餐饮油烟",
        "星沙街道癸路2号",
    ));
    let mut both = series("HM3", 5, "2025-01-01 08:00:00", "违建", "星沙街道癸路3号");
    both[0] = both[0].clone().content("违建有坍塌风险");
    orders.extend(both);
    orders.extend(series(
        "HM4",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道癸路4号",
    ));
    load(&ws, "modes.csv", &orders);
    let modes: Vec<String> = cases(&ws, "2025-01-05")
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{} {} {}", f[0], f[2], f[14])
        })
        .collect();
    assert_eq!(
        modes,
        [
            "HM1-01 噪声扰民 special",
            "HM2-01 油烟污染 joint",
            "HM3-01 违法建设 special",
            "HM4-01 噪声扰民 immediate"
        ]
    );
}

#[test]
fn an_upserted_status_changes_the_case() {
    let ws = Workspace::new();
    let mut orders = series(
        "UP",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道子路1号",
    );
    orders[4] = orders[4].clone().status("处理中");
    load(&ws, "week1.csv", &orders);
    assert_eq!(
        summary(&ws, "2025-01-05"),
        vec![row("UP-01", "green", "5", "in_progress")]
    );
    orders[4] = orders[4].clone().status("已办结");
    load(&ws, "week2.csv", &orders[4..]);
    assert_eq!(
        summary(&ws, "2025-01-05"),
        vec![row("UP-01", "green", "5", "monitoring")]
    );
}

#[test]
fn excel_times_are_rounded_before_gaps_are_measured() {
    let ws = Workspace::new();
    let file = ws.path("rounding.xlsx");
    let mut rows = vec![vec![
        X::S("工单编号"),
        X::S("受理时间"),
        X::S("诉求类型"),
        X::S("事发地址"),
    ]];
    let ids = ["XR1", "XR2", "XR3", "XR4", "XR5"];
    let times = [
        serial("2025-01-01 08:00:00"),
        serial("2025-01-01 09:00:00"),
        serial("2025-01-01 10:00:00"),
        serial("2025-01-01 11:00:00"),
        // A hair under 2025-01-31 11:00:01: rounds to it, one second past the quiet period.
        serial("2025-01-31 11:00:01") - 0.0004 / 86_400.0,
    ];
    for (id, at) in ids.iter().zip(times) {
        rows.push(vec![
            X::S(id),
            X::D(at),
            X::S("噪声扰民"),
            X::S("星沙街道丑路1号"),
        ]);
    }
    write_xlsx(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    assert_eq!(summary(&ws, "2025-02-01"), vec![]);
}

#[test]
fn filters_and_other_formats() {
    let ws = Workspace::new();
    let mut orders = series(
        "F5",
        5,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道寅路1号",
    );
    orders.extend(series(
        "F10",
        10,
        "2025-01-01 08:00:00",
        "噪声扰民",
        "星沙街道寅路2号",
    ));
    orders[0] = orders[0].clone().status("处理中");
    load(&ws, "filters.csv", &orders);
    let out = ws.run(&[
        "cases",
        "--as-of",
        "2025-01-05",
        "--format",
        "csv",
        "--tier",
        "yellow",
    ]);
    assert_eq!(stdout(&out).lines().count(), 2);
    assert!(stdout(&out).contains("\nF10-01,"));
    let out = ws.run(&[
        "cases",
        "--as-of",
        "2025-01-05",
        "--format",
        "csv",
        "--status",
        "in-progress",
    ]);
    assert_eq!(stdout(&out).lines().count(), 2);
    assert!(stdout(&out).contains("\nF5-01,"));
    let out = ws.run(&["cases", "--as-of", "2025-01-05", "--format", "json"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json[1]["case_id"], "F5-01");
    assert_eq!(json[1]["count"], 5);
    assert_eq!(json[1]["yellow_at"], serde_json::Value::Null);
    assert_eq!(json[0]["tier"], "yellow");
    assert_eq!(json[0]["recurring"], false);
    let out = ws.run(&["cases", "--as-of", "2025-01-05"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("黄色预警"), "{}", stdout(&out));
    assert!(stdout(&out).contains("副大队长"), "{}", stdout(&out));
}

#[test]
fn an_order_without_status_or_closing_time_is_open() {
    // An export with only the required columns: nothing says any order is closed.
    let ws = Workspace::new();
    let file = ws.path("bare.csv");
    let mut rows = vec![vec!["工单编号", "受理时间", "诉求类型", "事发地址"]];
    let ids = ["NS1", "NS2", "NS3", "NS4", "NS5"];
    let times = [
        "2025-01-01 08:00",
        "2025-01-02 08:00",
        "2025-01-03 08:00",
        "2025-01-04 08:00",
        "2025-01-05 08:00",
    ];
    for (id, t) in ids.iter().zip(times) {
        rows.push(vec![id, t, "噪声扰民", "星沙街道卯路1号"]);
    }
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    assert_eq!(
        summary(&ws, "2025-01-10"),
        vec![row("NS1", "green", "5", "in_progress")]
    );
    assert_eq!(
        summary(&ws, "2025-03-31"),
        vec![row("NS1", "green", "5", "in_progress")]
    );
}

/// The stored per-order facts follow every change of what they are made from: each step
/// below changes the cases of one database, and after each the database answers as one
/// made from scratch with the same files, decisions and config does.
#[test]
fn stored_facts_follow_files_rules_decisions_and_matching() {
    let open = |o: O| o.status("处理中");
    let mut first: Vec<O> = series("P", 5, "2025-03-01 08:00:00", "噪声扰民", "星沙街道甲路1号")
        .into_iter()
        .map(open)
        .collect();
    first.extend(series(
        "Q",
        3,
        "2025-03-02 08:00:00",
        "噪声扰民",
        "星沙街道乙路9号",
    ));
    first.extend(series(
        "R",
        2,
        "2025-03-03 08:00:00",
        "某某扰民",
        "星沙街道甲路1号",
    ));
    first.extend(series(
        "V",
        2,
        "2025-03-04 08:00:00",
        "噪声扰民",
        "星沙街道甲路一号",
    ));
    let second = series(
        "Q2",
        2,
        "2025-03-05 08:00:00",
        "噪声扰民",
        "星沙街道乙路9号",
    );
    let day = "2025-03-10";

    let ws = Workspace::new();
    load(&ws, "first.csv", &first);
    let mut files = vec![("first.csv", first)];
    let mut decisions: Vec<Vec<&str>> = Vec::new();
    let mut extra = String::new();
    let mut before = cases(&ws, day);
    assert!(!before.is_empty(), "the fixture starts with a case");

    // Each step: what it changes (config text appended, a file, a command).
    enum Step<'a> {
        Config(&'a str),
        File(&'a str, Vec<O>),
        Command(Vec<&'a str>),
    }
    let steps = vec![
        Step::Config("[rules]\nclosed_statuses = [\"已办结\", \"处理中\"]\n"),
        Step::Config("hazard_keywords = [\"投诉\"]\n"),
        Step::Config("[category_aliases]\n\"噪声扰民\" = [\"某某扰民\"]\n"),
        Step::File("second.csv", second),
        Step::Command(vec!["subjects", "merge", "P-01", "Q-01"]),
        Step::Command(vec!["subjects", "undo", "1"]),
        Step::Config("[subjects]\nmatching = \"exact\"\n"),
    ];
    for (k, step) in steps.into_iter().enumerate() {
        // Loading a file tells the leads of its warnings, which makes the facts then.
        let made_by_cases = !matches!(step, Step::File(..));
        match step {
            Step::Config(text) => {
                extra.push_str(text);
                let fresh = Workspace::with_config(&extra);
                std::fs::copy(&fresh.config_path, &ws.config_path).unwrap();
            }
            Step::File(name, orders) => {
                load(&ws, name, &orders);
                files.push((name, orders));
            }
            Step::Command(args) => {
                assert_exit(&ws.run(&args), 0);
                if args[1] == "undo" {
                    // A decision and its undo leave the cases as without them (and exact
                    // matching, next, takes no decisions).
                    decisions.clear();
                } else {
                    decisions.push(args);
                }
            }
        }
        let now = ws.run(&["-vv", "cases", "--as-of", day, "--format", "csv"]);
        assert_exit(&now, 0);
        assert_eq!(
            stderr(&now).contains("order facts made"),
            made_by_cases,
            "step {k}: the facts are made again once"
        );
        let now = cases(&ws, day);
        assert_ne!(now, before, "step {k} changes the cases");

        let fresh = Workspace::with_config(&extra);
        for (name, orders) in &files {
            load(&fresh, name, orders);
        }
        for args in &decisions {
            assert_exit(&fresh.run(args), 0);
        }
        assert_eq!(now, cases(&fresh, day), "step {k}: as if made from scratch");

        // Asked again with nothing changed, the stored facts serve.
        let again = ws.run(&["-vv", "cases", "--as-of", day, "--format", "csv"]);
        assert!(
            !stderr(&again).contains("order facts made"),
            "step {k}: nothing changed, nothing made again"
        );
        before = now;
    }
}
