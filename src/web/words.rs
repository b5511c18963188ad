//! The console's Chinese for the library's typed outcomes: what an upload did, why a file
//! was refused, why an order is in its subject, what a report run made or sent. The
//! command line words the same values in its own way; a code's Chinese label lives beside
//! the code (`codes.rs`), and what is worded here is only how those pieces read together.

use crate::callers::percent;
use crate::period::{zh_datetime as moment, zh_stored as stored_moment};

use crate::ingest::batch::FileOutcome;
use crate::ingest::problem::{FileProblem, HeaderMiss};
use crate::ingest::{file_name, FileRead, FileSummary, IngestError, Outcome};
use crate::subjects::Grounds;

/// Row numbers, at most five of them: `第 3、7、9 行` or `第 3、7、9、11、12 行等 8 行`.
fn rows_listed(rows: &[u64]) -> String {
    let first: Vec<String> = rows.iter().take(5).map(u64::to_string).collect();
    if rows.len() > 5 {
        format!("第 {} 行等 {} 行", first.join("、"), rows.len())
    } else {
        format!("第 {} 行", first.join("、"))
    }
}

/// What became of one uploaded or loaded file, in lines: the first says what was done,
/// each further line one thing worth a look.
pub fn file_outcome(outcome: &FileOutcome) -> Vec<String> {
    match outcome {
        FileOutcome::Settling(path) => vec![format!(
            "{}：文件刚被改动过，可能还在复制中，留到下一次再导入。",
            file_name(path)
        )],
        FileOutcome::Ingested {
            path,
            result,
            not_moved,
        } => {
            let mut lines = match result.as_ref() {
                Ok(Outcome::Loaded(summary)) => file_summary(summary),
                Ok(Outcome::AlreadyIngested { at, .. }) => vec![format!(
                    "{}：内容与{}导入过的文件完全相同，这次没有再导入。",
                    file_name(path),
                    stored_moment(at)
                )],
                Err(e) => refusal(path, e),
            };
            if not_moved.is_some() {
                lines.push(
                    "  文件已导入，但没能移出收件箱，请管理员查看收件箱文件夹的权限。".into(),
                );
            }
            lines
        }
    }
}

/// A loaded file: its counts, then each note.
pub fn file_summary(s: &FileSummary) -> Vec<String> {
    let read = &s.read;
    let mut lines = vec![format!(
        "{}：已导入（{}）。读到 {} 行（空行 {} 行已跳过）：新工单 {} 单，更新 {} 单，未变 {} 单；未能使用 {} 行。",
        file_name(&s.path),
        source(read),
        read.rows_read,
        read.rows_blank,
        s.orders_new,
        s.orders_updated,
        s.orders_same,
        read.rows_rejected,
    )];
    if s.duplicates_in_file > 0 {
        lines.push(format!(
            "  {} 行的工单编号在文件里前面已出现过：同一编号只保留最后一行。",
            s.duplicates_in_file
        ));
    }
    if let Some(before) = s.rejected_before {
        lines.push(format!(
            "  再次导入：之前导入时未能使用的 {before} 行一并重新检查，现在仍未能使用 {} 行。",
            read.rows_rejected
        ));
    }
    lines.extend(read_notes(read).into_iter().map(|n| format!("  {n}")));
    if s.orders_reopened > 0 {
        lines.push(format!(
            "  注意：{} 单从已办结变回了未办结，是不是在新的导出之后又导入了旧的导出？",
            s.orders_reopened
        ));
    }
    lines
}

/// `CSV（GBK），表头在第 1 行` or `xlsx，工作表“工单”，表头在第 2 行`.
fn source(read: &FileRead) -> String {
    let mut what = read.format.to_string();
    if let Some(enc) = read.encoding {
        what.push_str(&format!("，{enc} 编码"));
    }
    if let Some(sheet) = &read.sheet {
        what.push_str(&format!("，工作表“{sheet}”"));
    }
    what.push_str(&format!("，表头在第 {} 行", read.header_row));
    what
}

/// What was read as it came, or not read, that the person who exported the file should
/// know: one line each.
pub fn read_notes(read: &FileRead) -> Vec<String> {
    let mut notes: Vec<String> = read
        .duplicate_headings
        .iter()
        .map(|d| {
            format!(
                "第 {} 列“{}”和第 {} 列“{}”都是{}：读了第 {} 列，第 {} 列没有导入。",
                d.used.0.min(d.ignored.0),
                if d.used.0 < d.ignored.0 {
                    &d.used.1
                } else {
                    &d.ignored.1
                },
                d.used.0.max(d.ignored.0),
                if d.used.0 < d.ignored.0 {
                    &d.ignored.1
                } else {
                    &d.used.1
                },
                d.column.label(),
                d.used.0,
                d.ignored.0
            )
        })
        .collect();
    if read.cells_without_heading > 0 {
        notes.push(format!(
            "{} 行在没有列名的单元格里有内容（在表头的列之外，或列名是空的）：这些内容没有导入。",
            read.cells_without_heading
        ));
    }
    if read.rows_hidden > 0 {
        notes.push(format!(
            "工作表里有 {} 行是隐藏的，已和其他行一样导入（隐藏的行也是工单）。",
            read.rows_hidden
        ));
    }
    if !read.headers_repeated.is_empty() {
        notes.push(format!(
            "{}重复了表头：已跳过，不是工单。",
            rows_listed(&read.headers_repeated)
        ));
    }
    if !read.headers_reordered.is_empty() {
        notes.push(format!(
            "{}又是一行表头，但列的顺序不同：它下面的行按这一行表头读。",
            rows_listed(&read.headers_reordered)
        ));
    }
    if read.unread_optional > 0 {
        notes.push(format!(
            "{} 单有一个非必填的单元格读不出来，留空后照常导入（{}），投诉照常计数。",
            read.unread_optional,
            read.unread_example.as_deref().unwrap_or("")
        ));
    }
    if read.closed_before_received > 0 {
        notes.push(format!(
            "{} 单的办结时间早于受理时间：按导出原样保留，请到平台核对。",
            read.closed_before_received
        ));
    }
    notes
}

/// A file that was not loaded: what is wrong (the guide's name for it), where, and what
/// to do. Nothing of the file was kept.
pub fn refusal(path: &std::path::Path, error: &IngestError) -> Vec<String> {
    let name = file_name(path);
    match error {
        IngestError::Unusable { problem, .. } => {
            let advice = problem.advice();
            let mut lines = vec![format!("{name}：{}。{}", advice.title, advice.meaning)];
            if let Some(detail) = problem_detail(problem) {
                lines.push(format!("  {detail}"));
            }
            lines.push(format!("  怎么办：{}", advice.action));
            lines
        }
        IngestError::Database { .. } => vec![format!(
            "{name}：写入数据库时出错，这个文件的内容一行也没有保留。请稍后再导入一次；仍然不行，请管理员查看服务器日志。"
        )],
    }
}

/// The particulars of a refusal that its advice leaves out (which row, which columns).
fn problem_detail(problem: &FileProblem) -> Option<String> {
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("“{n}”"))
            .collect::<Vec<_>>()
            .join("、")
    };
    Some(match problem {
        FileProblem::UnsupportedType(ext) => format!("这个文件的类型是“{ext}”。"),
        FileProblem::Binary { line, .. } => format!("从第 {line} 行起有空字节。"),
        FileProblem::SheetNotFound { sheet, available } => format!(
            "要读的工作表是“{sheet}”，这个工作簿里有：{}。",
            quoted(available)
        ),
        FileProblem::SheetsWithOrders(sheets) => {
            format!("有工单表头的工作表：{}。", quoted(sheets))
        }
        FileProblem::NoHeader(HeaderMiss {
            best: Some((row, found, lacking)),
            ..
        }) => format!(
            "第 {row} 行最像表头（有 {}），但缺少 {}。",
            found.join("、"),
            lacking.join("、")
        ),
        FileProblem::NoHeader(HeaderMiss {
            searched_rows,
            required,
            ..
        }) => format!(
            "前 {searched_rows} 行里没有一行含有认识的列名（必需的列：{}）。",
            required.join("、")
        ),
        FileProblem::LineTooLong { line, .. } => format!("第 {line} 行太长。"),
        FileProblem::XlsTooLarge { size, limit } => format!(
            "文件 {:.1} MB，上限 {} MB。",
            *size as f64 / (1024.0 * 1024.0),
            limit / (1024 * 1024)
        ),
        FileProblem::UnpacksTooLarge { size, limit } => format!(
            "解压后 {} MB，上限 {} MB。",
            size / (1024 * 1024),
            limit / (1024 * 1024)
        ),
        FileProblem::UnclosedQuote {
            line,
            swallowed: Some(next),
        } => format!("第 {line} 行的引号到第 {next} 行之前都没有闭合。"),
        FileProblem::UnclosedQuote {
            line,
            swallowed: None,
        } => format!("第 {line} 行的引号一直没有闭合。"),
        FileProblem::SecondHeader { row, first, second } => format!(
            "第 {row} 行是第二行表头（{}），与第一行表头（{}）不同。",
            second.join("、"),
            first.join("、")
        ),
        FileProblem::Io(_)
        | FileProblem::Empty
        | FileProblem::NotWorkbook(_)
        | FileProblem::WebPage(_)
        | FileProblem::Encrypted
        | FileProblem::Utf16
        | FileProblem::UnknownEncoding(_)
        | FileProblem::Workbook(_)
        | FileProblem::NoSheets
        | FileProblem::NoRows => return None,
    })
}

/// The warnings an ingest sent: to whom, about what, and whether they wait for the end of
/// the quiet hours.
pub fn warnings_sent(done: &crate::jobs::JobOutcome) -> Vec<String> {
    let mut lines = Vec::new();
    if done.warnings_failed {
        lines.push(
            "这次导入的预警没能算出或发出：下一次导入或定时的预警通知会补发，详情见运行记录。"
                .to_string(),
        );
    }
    if done.warnings.is_empty() {
        return lines;
    }
    lines.push(format!(
        "预警通知：{} 条（{}）。",
        done.warnings.len(),
        match done.unsent {
            0 => "全部已发出或按时发出".to_string(),
            n => format!("{n} 条没能发出，留在发件箱里稍后重试"),
        }
    ));
    for w in &done.warnings {
        let to = if w.webhook {
            "工作群".to_string()
        } else {
            w.to.clone()
        };
        let when = match w.held_until {
            Some(until) => format!("免打扰时段，{}发出", moment(until)),
            None => "即时发送".to_string(),
        };
        lines.push(format!(
            "  {to}：{}（案件 {}）——{when}",
            w.subject,
            w.cases.join("、")
        ));
    }
    lines
}

/// What a report run made, archived and sent, one line each.
pub fn report_outcome(out: &crate::jobs::JobOutcome) -> Vec<String> {
    let mut lines = Vec::new();
    for w in &out.reports {
        let d = &w.document;
        lines.push(format!(
            "已生成 {}（{} 页，{:.0} KB）",
            d.file_name,
            d.pages,
            d.bytes.len() as f64 / 1024.0
        ));
        if d.missing_glyphs > 0 {
            lines.push(format!(
                "  注意：有 {} 个字报表字体里没有，印成了“?”。",
                d.missing_glyphs
            ));
        }
    }
    for (file, new) in &out.archived {
        lines.push(if *new {
            format!("已归档 {file}")
        } else {
            format!("归档里已有相同的 {file}，未改动")
        });
    }
    if out.no_recipients {
        lines.push("没有配置这种报表的收件人，没有发送。".into());
    }
    lines.extend(deliveries(&out.deliveries));
    lines
}

/// What became of each message, one line a recipient.
pub fn deliveries(each: &[(String, crate::deliver::report_mail::Delivery)]) -> Vec<String> {
    use crate::deliver::report_mail::Delivery;
    use crate::deliver::Delivered;
    let mut lines = Vec::new();
    for (to, delivery) in each {
        lines.push(match delivery {
            Delivery::Delivered(Delivered::Accepted(_)) => format!("{to}：已发出"),
            Delivery::Delivered(Delivered::Written(path)) => {
                format!("{to}：未配置邮件服务器，已写成邮件文件 {}", file_name(path))
            }
            Delivery::Delivered(Delivered::Posted(_)) => format!("{to}：已发到工作群"),
            Delivery::AlreadySent(when) => {
                format!("{to}：{}已发过，这次没有再发", stored_moment(when))
            }
            Delivery::Waiting => format!("{to}：已在发件箱等待发送"),
            Delivery::NotYet(why) => {
                format!("{to}：暂未发出，留在发件箱稍后重试（{why}）")
            }
        });
    }
    lines
}

/// Why an order is in its subject: where its place was found first, when its address
/// names none; the place as `shown` shows an address (masked unless asked otherwise).
pub fn why(m: &crate::subjects::decide::Member, shown: impl Fn(&str) -> String) -> String {
    use crate::subjects::PlacedBy;
    let grounds = grounds(&m.grounds());
    match &m.placed_by {
        Some(PlacedBy::Text(place)) => {
            format!("诉求内容写明地点“{}”；{grounds}", shown(place))
        }
        Some(PlacedBy::Caller(place)) => {
            format!(
                "同一来电人同类诉求的其他工单都在“{}”；{grounds}",
                shown(place)
            )
        }
        None => grounds,
    }
}

/// Why an order is in its subject.
pub fn grounds(g: &Grounds) -> String {
    match g {
        Grounds::SameAddress => "地址与诉求对象相同".into(),
        Grounds::LinkedOrder(id) => format!("关联工单 {id}"),
        Grounds::LinkedAddress(with) => {
            format!("地址经关联工单（或诉求内容写的工单号）与“{with}”为同一处")
        }
        Grounds::Decision(with) => format!("管理员决定并入“{with}”"),
        Grounds::Matched { with, on, score } => match on {
            Some(crate::subjects::compare::MatchOn::Caller) => {
                format!("至少两位来电人对此处和“{with}”都反映了同类诉求")
            }
            Some(on) => format!("与“{with}”{}一致（相似度 {}）", on.label(), percent(*score)),
            None => format!("与“{with}”相似（相似度 {}）", percent(*score)),
        },
    }
}

/// Where a subject stands on a day, by its latest episode, in a line: `黄色预警，最近一轮
/// 12 单（处置中）`, or `未达预警，最近一轮 3 单`.
pub fn subject_today(t: &crate::jobs::SubjectToday) -> String {
    match (&t.latest, &t.case) {
        (_, Some(case)) => format!(
            "{}，最近一轮 {} 单（{}）",
            case.tier.label(),
            case.count,
            case.status.label()
        ),
        (Some(e), None) => format!("未达预警，最近一轮 {} 单", e.count),
        (None, None) => "到这一天还没有工单".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_listed_up_to_five() {
        assert_eq!(rows_listed(&[3]), "第 3 行");
        assert_eq!(
            rows_listed(&[1, 2, 3, 4, 5, 6, 7]),
            "第 1、2、3、4、5 行等 7 行"
        );
    }

    #[test]
    fn days_are_written_as_in_prose() {
        let t = chrono::NaiveDate::from_ymd_opt(2025, 2, 8)
            .unwrap()
            .and_hms_opt(7, 5, 0)
            .unwrap();
        assert_eq!(moment(t), "2025年2月8日 07:05");
        assert_eq!(stored_moment("2025-02-08 07:05:00"), "2025年2月8日 07:05");
        assert_eq!(stored_moment("later"), "later");
    }

    #[test]
    fn every_ground_is_worded_without_a_code() {
        use crate::subjects::compare::MatchOn;
        let g = Grounds::Matched {
            with: "开元东路18号".into(),
            on: Some(MatchOn::RoadNumber),
            score: 0.93,
        };
        assert_eq!(grounds(&g), "与“开元东路18号”路名门牌一致（相似度 93%）");
        assert_eq!(grounds(&Grounds::SameAddress), "地址与诉求对象相同");
    }
}
