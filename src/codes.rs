//! The domain's codes, one enum each: the warning tier, the lead role, a case's status, the
//! handling mode, why a row was rejected, and the jobs of the run history.
//!
//! Each code is stored and printed in machine form (`as_str`, what the database, the CSV
//! and the config hold) and shown to people in Chinese (`label`). Parsing (`FromStr`)
//! rejects an unknown value instead of guessing, so a query that returns something new
//! fails loudly rather than turning it into a green case. Nothing here does I/O.

use std::fmt;
use std::str::FromStr;

/// A code that is not one of its enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{value}\" (known: {known})")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
    pub known: String,
}

/// What every code enum offers, for code that handles any of them.
pub trait Code: Copy + FromStr<Err = UnknownCode> + 'static {
    fn code(self) -> &'static str;
    fn chinese(self) -> &'static str;
}

/// Declares a code enum with its machine form, its Chinese label and a strict `FromStr`.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The machine form: what the database, CSV and config hold.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The Chinese name shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }

        impl Code for $name {
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn chinese(self) -> &'static str {
                self.label()
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    other => Err(UnknownCode {
                        what: $what,
                        value: other.to_string(),
                        known: [$($code),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// 三色预警: the warning tier of a case.
    Tier, "tier" {
        Green = "green", "绿色预警";
        Yellow = "yellow", "黄色预警";
        Red = "red", "红色预警";
    }
}

impl Tier {
    /// Who leads the handling at this tier.
    pub fn lead_role(self) -> LeadRole {
        match self {
            Tier::Green => LeadRole::GroupLeader,
            Tier::Yellow => LeadRole::DeputyCaptain,
            Tier::Red => LeadRole::Captain,
        }
    }
}

codes! {
    /// Who leads the handling of a case (by its tier).
    LeadRole, "lead role" {
        /// 组长
        GroupLeader = "group_leader", "组长";
        /// 副大队长
        DeputyCaptain = "deputy_captain", "副大队长";
        /// 大队长
        Captain = "captain", "大队长";
    }
}

codes! {
    /// Where a case stands at T.
    CaseStatus, "case status" {
        /// 处置中: some order of the episode is not closed.
        InProgress = "in_progress", "处置中";
        /// 跟进中: all closed, but the quiet period since the last complaint has not passed.
        Monitoring = "monitoring", "跟进中";
        /// 已取消: all closed and quiet for more than quiet_days: the warning is cancelled.
        Cleared = "cleared", "已取消";
    }
}

codes! {
    /// 分级分类处置: how a matter is handled (ordered by seriousness).
    HandlingMode, "handling mode" {
        /// 马上办
        Immediate = "immediate", "马上办";
        /// 联合办
        Joint = "joint", "联合办";
        /// 专门办
        Special = "special", "专门办";
    }
}

codes! {
    /// Why a row of an export was set aside (rejected_rows.reason_code).
    RejectReason, "reject reason" {
        /// A required value is empty.
        MissingRequired = "missing_required", "缺少必填项";
        /// A date or time that cannot be read.
        BadDate = "bad_date", "日期时间无法识别";
        /// Bytes that are not valid text in the file's encoding.
        BadEncoding = "bad_encoding", "含无法解码的字节";
        /// A spreadsheet error value (#N/A, #REF!, ...).
        CellError = "cell_error", "单元格错误值";
        /// A formula saved without its result: what the cell would show is not in the file.
        FormulaNoValue = "formula_no_value", "公式无计算结果";
        /// A cell longer than ingest.max_cell_chars.
        CellTooLong = "cell_too_long", "内容过长";
        /// A NUL character inside a cell.
        NulChar = "nul_char", "含控制字符";
        /// An order id a spreadsheet turned into a number in scientific notation
        /// (`1.23457E+11`): its digits are lost, so distinct orders would merge.
        IdNotText = "id_not_text", "编号被改为科学计数法";
        /// A receive time in the future or before the earliest plausible date.
        ImplausibleTime = "implausible_time", "受理时间不合理";
    }
}

impl RejectReason {
    /// What a row set aside for this reason means, and what to do, in Chinese (the guide
    /// lists these).
    pub fn advice(self) -> (&'static str, &'static str) {
        match self {
            RejectReason::MissingRequired => (
                "这一行缺少必填的内容（工单编号、受理时间、诉求类型或事发地址），无法计入任何诉求对象。",
                "在热线平台补全这张工单后重新导出导入；重新导入时，补全的行会正常入库。",
            ),
            RejectReason::BadDate => (
                "受理时间或办结时间写得认不出来（如“2025年13月1日”、“明天上午”），无法判断它属于哪一周、哪一个月。",
                "在平台上改正时间，或把表格里的时间列设成日期格式后重新导出导入。",
            ),
            RejectReason::BadEncoding => (
                "这一行有字节按文件的编码解不出文字，导入会变成乱码，所以整行搁置。",
                "重新导出文件；若是 CSV，用 Excel 或 WPS 另存为“CSV UTF-8”后再导入。",
            ),
            RejectReason::CellError => (
                "单元格里是表格公式的错误值（如 #N/A、#REF!、#VALUE!），不是真实内容。",
                "在表格里修正公式或改成实际的值（复制后“选择性粘贴为数值”），保存后重新导入。",
            ),
            RejectReason::FormulaNoValue => (
                "必填的单元格是公式，但文件里没有保存公式的计算结果（由不计算公式的程序生成的表格常见），读不出它显示的内容。",
                "用 Excel 或 WPS 打开文件，待公式算完后保存（或复制后“选择性粘贴为数值”），再重新导入。",
            ),
            RejectReason::CellTooLong => (
                "某个单元格的字数超过了上限，正常工单不会这么长，可能是几行内容挤进了一个单元格。",
                "检查这一行的原始数据是否错位；确属正常内容时，请管理员调大 [ingest] max_cell_chars。",
            ),
            RejectReason::NulChar => (
                "单元格里有不可见的控制字符（NUL），通常是文件转换出错留下的。",
                "重新导出文件，或用 Excel 或 WPS 打开后另存一份再导入。",
            ),
            RejectReason::IdNotText => (
                "工单编号被 Excel 或 WPS 当成数字，变成了科学计数法（如 1.23457E+12）或丢了末几位，不同的工单会被误认成同一张。",
                "在表格里先把编号列设为“文本”格式再导出（或直接导入平台原始导出文件，不要用 Excel 打开后保存），然后重新导入。",
            ),
            RejectReason::ImplausibleTime => (
                "受理时间不合理：晚于导入的时刻（还没发生），或早于配置的最早受理日期，多半是录入或时区错误。",
                "在平台上改正受理时间后重新导出导入；历史数据确实更早时，请管理员调整 [ingest] earliest_received。",
            ),
        }
    }
}

codes! {
    /// The jobs recorded in the run history.
    JobName, "job" {
        /// Load what waits in the inbox.
        Inbox = "inbox", "导入";
        /// 周报
        Weekly = "weekly", "周报";
        /// 月度复盘 and the month's 台账
        Monthly = "monthly", "月度复盘";
        /// A 台账 on its own
        Ledger = "ledger", "台账";
        /// Retry queued messages and raise alerts.
        Outbox = "outbox", "发件箱";
        /// Tell the leads of warning cases registered or escalated since the last time.
        Notify = "notify", "预警通知";
    }
}

codes! {
    /// What started a run of a job.
    Trigger, "trigger" {
        /// At its scheduled time.
        Schedule = "schedule", "定时";
        /// Missed while the program was down, run at the next start.
        CatchUp = "catch-up", "补跑";
        /// By a person, from the command line or the console.
        Manual = "manual", "手动";
    }
}

codes! {
    /// What a run was for: only a whole run stands for a period's scheduled job being done.
    Scope, "scope" {
        /// The job as scheduled (for a report: sent to its configured recipients).
        Whole = "whole", "按计划";
        /// A report made as a file only.
        File = "file", "仅生成文件";
        /// A report sent to the admin as a preview.
        Preview = "preview", "预览";
        /// A report sent to addresses other than its configured recipients.
        Others = "others", "发给指定收件人";
    }
}

codes! {
    /// How a run of a job ended (or that it has not yet).
    RunOutcome, "run outcome" {
        Running = "running", "运行中";
        Ok = "ok", "成功";
        Failed = "failed", "失败";
    }
}

codes! {
    /// What a message in the outbox carries.
    MessageKind, "message kind" {
        Weekly = "weekly", "周报";
        Monthly = "monthly", "月度复盘";
        Ledger = "ledger", "台账";
        /// A warning to a case's lead (预警通知).
        Notify = "notify", "预警通知";
        /// A warning posted to the group chat's webhook.
        Webhook = "webhook", "群消息";
        /// A failure told to the admin.
        Alert = "alert", "故障提醒";
    }
}

codes! {
    /// Where a message in the outbox stands.
    MessageStatus, "message status" {
        Queued = "queued", "待发送";
        Sent = "sent", "已发送";
    }
}

codes! {
    /// What a person did in the console, as the audit log records it.
    AuditAction, "audit action" {
        Login = "login", "登录";
        Upload = "upload", "导入文件";
        Make = "make", "生成报表";
        Preview = "preview", "预览报表";
        Send = "send", "发送报表";
        Resend = "resend", "重发邮件";
        Note = "note", "处置记录";
        Unmask = "unmask", "显示完整信息";
        Merge = "merge", "合并诉求对象";
        Separate = "separate", "拆分诉求对象";
        Undo = "undo", "撤销决定";
        Password = "password", "修改密码";
    }
}

/// A stored code shown to people: its Chinese label, or the stored text as it is when it
/// is not one of the enum's codes (a record written by another version).
pub fn label_of<C: Code>(stored: &str) -> String {
    stored
        .parse::<C>()
        .map_or_else(|_| stored.to_string(), |c| c.chinese().to_string())
}

impl JobName {
    /// The jobs the daemon runs on schedule.
    pub const SCHEDULED: [JobName; 4] = [
        JobName::Inbox,
        JobName::Weekly,
        JobName::Monthly,
        JobName::Outbox,
    ];
}

/// On the command line a code is written in its machine form, with `-` for `_`
/// (`--status in-progress`); the machine form itself is accepted too.
macro_rules! command_line_values {
    ($($name:ident),+) => {$(
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                $name::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                let code = self.as_str();
                let value = match code.replace('_', "-") {
                    kebab if kebab != code => clap::builder::PossibleValue::new(kebab).alias(code),
                    _ => clap::builder::PossibleValue::new(code),
                };
                Some(value.help(self.label()))
            }
        }
    )+};
}

command_line_values!(Tier, CaseStatus, HandlingMode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_itself() {
        for t in Tier::ALL {
            assert_eq!(t.as_str().parse::<Tier>(), Ok(*t));
        }
        for s in CaseStatus::ALL {
            assert_eq!(s.as_str().parse::<CaseStatus>(), Ok(*s));
        }
        for m in HandlingMode::ALL {
            assert_eq!(m.as_str().parse::<HandlingMode>(), Ok(*m));
        }
        for r in RejectReason::ALL {
            assert_eq!(r.as_str().parse::<RejectReason>(), Ok(*r));
        }
        for j in JobName::ALL {
            assert_eq!(j.as_str().parse::<JobName>(), Ok(*j));
        }
    }

    #[test]
    fn an_unknown_code_is_an_error_not_a_default() {
        let e = "purple".parse::<Tier>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown tier \"purple\" (known: green, yellow, red)"
        );
        assert!("".parse::<CaseStatus>().is_err());
        assert!("Special".parse::<HandlingMode>().is_err());
    }

    #[test]
    fn modes_order_by_seriousness_and_tiers_by_rank() {
        assert!(HandlingMode::Special > HandlingMode::Joint);
        assert!(HandlingMode::Joint > HandlingMode::Immediate);
        assert!(Tier::Red > Tier::Yellow && Tier::Yellow > Tier::Green);
        assert_eq!(Tier::Red.lead_role().label(), "大队长");
    }
}
