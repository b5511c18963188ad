//! The guide for the office that runs hotline-ledger (`docs/使用手册.md`), and the parts of
//! it the program writes itself.
//!
//! Two blocks of the guide come from the program, between `<!-- BEGIN name -->` and
//! `<!-- END name -->`:
//! - `settings`: the numbers the warnings are counted with, from the configuration;
//! - `refusals`: every message that refuses a file, and every reason a row is set aside,
//!   with what it means and what to do, from the messages themselves.
//!
//! The file in the repository holds them as made from the default configuration (a test
//! checks they are current); the console's 帮助 page makes them again from the running
//! configuration, so it shows this squad's own numbers. Its screenshots are taken by the
//! browser test and built into the program.

use std::fmt::Write as _;

use crate::codes::RejectReason;
use crate::config::{Config, Matching};
use crate::ingest::FileProblem;

/// The guide as written, with its generated blocks as of the default configuration.
pub const TEXT: &str = include_str!("../docs/使用手册.md");

/// A screenshot built into the program, by its name under `docs/images/`.
macro_rules! shot {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../docs/images/", $name, ".png")),
        )
    };
}

/// The screenshots the guide shows (`images/NAME.png`), taken by the browser test.
pub const IMAGES: &[(&str, &[u8])] = &[
    shot!("01-login-1280"),
    shot!("02-overview-1280"),
    shot!("02-overview-390"),
    shot!("03-cases-1280"),
    shot!("04-case-1280"),
    shot!("05-handling-1280"),
    shot!("06-subjects-1280"),
    shot!("06-subjects-pair-1280"),
    shot!("07-merged-1280"),
    shot!("08-reports-1280"),
    shot!("10-runs-1280"),
    shot!("12-import-1280"),
];

/// The guide's section for each console page (by its template): the page's 帮助 link.
pub const SECTIONS: &[(&str, &str)] = &[
    ("overview.html", "quick-start"),
    ("cases.html", "tiers"),
    ("case.html", "handling"),
    ("subjects.html", "subjects"),
    ("subject-pair.html", "subjects"),
    ("reports.html", "weekly-monthly"),
    ("confirm.html", "weekly-monthly"),
    ("import.html", "import-errors"),
    ("runs.html", "admin"),
];

/// The guide's section about the page made from `template`, if it has one.
pub fn section_of(template: &str) -> Option<&'static str> {
    SECTIONS
        .iter()
        .find(|(t, _)| *t == template)
        .map(|(_, anchor)| *anchor)
}

/// What makes a generated block's text for a config.
type MakeBlock = fn(&Config) -> String;

/// The generated blocks: each one's name and what makes it.
const BLOCKS: &[(&str, MakeBlock)] = &[("settings", settings), ("refusals", |_| refusals())];

/// `text` with its generated blocks made again for `config`.
pub fn fill(text: &str, config: &Config) -> Result<String, String> {
    // Where each block's content is: (start, end, what makes it).
    let mut spans = Vec::new();
    for (name, make) in BLOCKS {
        let begin = format!("<!-- BEGIN {name} -->\n");
        let end = format!("<!-- END {name} -->");
        let start = text
            .find(&begin)
            .ok_or_else(|| format!("the guide has no line \"<!-- BEGIN {name} -->\""))?
            + begin.len();
        let stop = text[start..]
            .find(&end)
            .ok_or_else(|| format!("the guide's block \"{name}\" has no END line"))?
            + start;
        spans.push((start, stop, make));
    }
    spans.sort_by_key(|s| s.0);
    let mut out = String::with_capacity(text.len() + 4096);
    let mut at = 0;
    for (start, stop, make) in spans {
        out.push_str(&text[at..start]);
        out.push_str(&make(config));
        at = stop;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The guide as HTML for the console: blocks made for `config`, screenshots linked under
/// `/help/images/`.
pub fn html(config: &Config) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let text = fill(TEXT, config).unwrap_or_else(|_| TEXT.to_string());
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(&text, options).map(|event| match event {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with("images/") => Event::Start(Tag::Image {
            link_type,
            dest_url: format!("/help/{dest_url}").into(),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A screenshot's bytes by its file name (`NAME.png`).
pub fn image(file: &str) -> Option<&'static [u8]> {
    let name = file.strip_suffix(".png")?;
    IMAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "（无）".to_string()
    } else {
        items.join("、")
    }
}

/// The numbers warnings are counted with, and when reports go out.
pub fn settings(config: &Config) -> String {
    let r = &config.rules;
    let s = &config.schedule;
    let mut out = String::new();
    out.push_str("| 项目 | 本系统的设置 | 配置项 |\n|---|---|---|\n");
    let mut row = |what: &str, value: String, key: &str| {
        let _ = writeln!(out, "| {what} | {value} | `{key}` |");
    };
    row(
        "绿色预警（组长牵头）",
        format!(
            "同一诉求对象在同一段投诉里（前后两次间隔不超过 {} 天）{} 件及以上",
            r.quiet_days, r.green
        ),
        "[rules] green",
    );
    row(
        "黄色预警（副大队长牵头）",
        format!("{} 件及以上", r.yellow),
        "[rules] yellow",
    );
    row(
        "红色预警（大队长牵头）",
        format!("{} 件及以上", r.red),
        "[rules] red",
    );
    row(
        "间隔天数",
        format!(
            "前后两次投诉间隔超过 {0} 天就另起一段、重新计数；工单全部办结且超过 {0} 天没有新投诉，预警取消",
            r.quiet_days
        ),
        "[rules] quiet_days",
    );
    row(
        "算作办结的工单状态",
        list(&r.closed_statuses),
        "[rules] closed_statuses",
    );
    row(
        "安全隐患关键词（专门办）",
        list(&r.hazard_keywords),
        "[rules] hazard_keywords",
    );
    row(
        "联合办的诉求类型",
        list(&r.joint_categories),
        "[rules] joint_categories",
    );
    row(
        "专门办的诉求类型",
        list(&r.special_categories),
        "[rules] special_categories",
    );
    row(
        "同一地点的不同写法",
        match config.subjects.matching {
            Matching::Fuzzy => "合并计数（模糊匹配），拿不准的交管理员审核".to_string(),
            Matching::Exact => "只有写法完全相同才算同一地点（精确匹配）".to_string(),
        },
        "[subjects] matching",
    );
    row("周报", when(&s.weekly, "上一个完整周"), "[schedule] weekly");
    row(
        "月度复盘和台账（并归档）",
        when(&s.monthly, "上一个月"),
        "[schedule] monthly",
    );
    row(
        "检查收件箱、导入新文件（每次导入后立即发预警通知）",
        when(&s.inbox, ""),
        "[schedule] inbox",
    );
    out
}

/// A schedule in words where it is one of the usual forms (`0 0 8 * * Mon`: 每周一 08:00),
/// else the expression itself.
fn when(cron: &str, period: &str) -> String {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let hm = |h: &str, m: &str| -> Option<String> {
        Some(format!(
            "{:02}:{:02}",
            h.parse::<u8>().ok()?,
            m.parse::<u8>().ok()?
        ))
    };
    let words = match fields.as_slice() {
        ["0", m, "*", "*", "*", "*"] => m
            .strip_prefix("*/")
            .and_then(|n| n.parse::<u8>().ok())
            .map(|n| format!("每 {n} 分钟")),
        ["0", m, h, "*", "*", dow] => {
            let day = match dow.to_ascii_lowercase().as_str() {
                "mon" | "1" => Some("一"),
                "tue" | "2" => Some("二"),
                "wed" | "3" => Some("三"),
                "thu" | "4" => Some("四"),
                "fri" | "5" => Some("五"),
                "sat" | "6" => Some("六"),
                "sun" | "0" | "7" => Some("日"),
                "*" => Some(""),
                _ => None,
            };
            match (day, hm(h, m)) {
                (Some(""), Some(t)) => Some(format!("每天 {t}")),
                (Some(d), Some(t)) => Some(format!("每周{d} {t}")),
                _ => None,
            }
        }
        ["0", m, h, dom, "*", "*"] => match (dom.parse::<u8>(), hm(h, m)) {
            (Ok(d), Some(t)) => Some(format!("每月 {d} 日 {t}")),
            _ => None,
        },
        _ => None,
    };
    match (words, period) {
        (Some(w), "") => w,
        (Some(w), p) => format!("{w}，内容为{p}"),
        (None, _) => format!("按计划表达式 {cron}"),
    }
}

/// Every message that refuses a file and every reason a row is set aside, with what it
/// means and what to do.
pub fn refusals() -> String {
    let mut out = String::new();
    out.push_str(
        "### 整个文件被拒绝时的消息\n\n\
         消息的开头是文件名（下面写作“文件名”），后面是原因。例子里的行号、大小、列名等按实际文件显示。\n\n",
    );
    for (i, problem) in FileProblem::examples().iter().enumerate() {
        let advice = problem.advice();
        let _ = write!(
            out,
            "#### {}. {}\n\n消息：`文件名: {}`\n\n- 意思：{}\n- 怎么办：{}\n\n",
            i + 1,
            advice.title,
            problem,
            advice.meaning,
            advice.action
        );
    }
    let n = FileProblem::examples().len() + 1;
    let _ = write!(
        out,
        "#### {n}. 数据库出错\n\n消息：`文件名: database error while loading; nothing from this file was kept: …`\n\n\
         - 意思：文件本身没有问题，是写入数据库时出错（磁盘满了、数据库文件被占用或损坏）。这个文件的内容一条也没有保存。\n\
         - 怎么办：把消息原文发给管理员，处理好后重新导入同一个文件即可。\n\n"
    );
    out.push_str(
        "### 未能使用的行\n\n\
         文件导入了，但个别行不能用时，这些行被搁置（不计入任何案件），连同原因列在“导入”页面的“未能使用的行”里：“原因”一栏先是加粗的原因名称（下表第一列），后面写明是哪一列、什么值。\
         改正后重新导出导入，改好的行会正常入库。\n\n\
         | 原因 | 意思 | 怎么办 |\n|---|---|---|\n",
    );
    for reason in RejectReason::ALL {
        let (meaning, action) = reason.advice();
        let _ = writeln!(out, "| {} | {meaning} | {action} |", reason.label());
    }
    out.push('\n');
    out
}
