//! One spreadsheet row, as both readers deliver it, and its conversion into a work order or
//! a rejection with the reason.

use chrono::NaiveDateTime;

use super::cell::{format_number, CellRef, RowView};
use super::dates::{self, DateError};
use super::header::ColumnMap;
use crate::codes::RejectReason;
use crate::column::Column;
use crate::normalize::AddressNormalizer;

/// Text cleaned the way exports need: trimmed, and the `="0123"` wrapper some platforms put
/// around numbers to keep leading zeros removed.
fn clean_text(s: &str) -> &str {
    let s = trim(s);
    match s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner.trim(),
        _ => s,
    }
}

/// A text cell as stored: `clean_text`, without the characters that show nothing (a
/// zero-width space inside an address or a category would otherwise make it another).
fn clean_cell(s: &str) -> std::borrow::Cow<'_, str> {
    match crate::normalize::visible(clean_text(s)) {
        std::borrow::Cow::Borrowed(shown) => std::borrow::Cow::Borrowed(shown),
        std::borrow::Cow::Owned(shown) => std::borrow::Cow::Owned(clean_text(&shown).to_string()),
    }
}

/// `str::trim`, with a quick answer for the usual cell that neither starts nor ends with
/// white space (most cells of an export; trimming them was a noticeable share of reading).
fn trim(s: &str) -> &str {
    let mut chars = s.chars();
    match (chars.next(), chars.next_back()) {
        (Some(first), Some(last)) if !first.is_whitespace() && !last.is_whitespace() => s,
        (Some(only), None) if !only.is_whitespace() => s,
        _ => s.trim(),
    }
}

/// The text a date cell stands for in a row's values: a date cell's value is read from its
/// serial number and its text is neither stored nor shown (a rejected row's values are
/// taken from the cells), so it is not formatted on the way.
const DATE_CELL: &str = "(date cell)";

/// A work order read from a row, ready for loading. Text borrows from the row where it can.
#[derive(Debug)]
pub struct OrderRow<'a> {
    pub row_number: u64,
    pub received_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub address_norm: String,
    /// Every canonical column's text value (empty when absent or blank), by column index.
    pub text: [std::borrow::Cow<'a, str>; crate::column::COUNT],
    /// Optional cells that could not be read (an error value, a formula without its
    /// result, a date that is no date, an id that lost its digits): each left empty, with
    /// why. The order counts all the same.
    pub unread: Vec<RowProblem>,
}

impl OrderRow<'_> {
    pub fn get(&self, column: Column) -> &str {
        &self.text[column.index()]
    }
}

/// A problem that makes a row unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub code: RejectReason,
    pub message: String,
}

pub enum Converted<'a> {
    Order(Box<OrderRow<'a>>),
    Blank,
    Rejected(Vec<RowProblem>),
}

/// The columns that hold order ids.
fn is_id(column: Column) -> bool {
    matches!(column, Column::OrderId | Column::RelatedOrderId)
}

/// What a conversion needs besides the row.
pub struct RowContext<'c> {
    pub map: &'c ColumnMap,
    pub addresses: &'c AddressNormalizer,
    pub is_1904: bool,
    pub max_cell_chars: usize,
    pub received: ReceivedWindow,
}

/// The receive times a row may have: from the earliest plausible date up to the ingest
/// (plus a tolerance for clocks and zones).
#[derive(Debug, Clone, Copy)]
pub struct ReceivedWindow {
    pub earliest: NaiveDateTime,
    pub latest: NaiveDateTime,
}

impl ReceivedWindow {
    /// Any time at all (for callers with no clock, such as fuzzing).
    pub fn any() -> Self {
        ReceivedWindow {
            earliest: NaiveDateTime::MIN,
            latest: NaiveDateTime::MAX,
        }
    }
}

/// The id an id cell stands for when it differs from the text (Some), or Err when the
/// cell cannot be trusted as an id.
fn read_id(value: &str) -> Result<Option<String>, ()> {
    // `1.23457E+11`: Excel showed a long number in scientific notation and the CSV kept
    // what it showed; the digits past the sixth are gone.
    let (mantissa, exponent) = match value.split_once(['E', 'e']) {
        Some(parts) => parts,
        None => (value, ""),
    };
    let is_number = |s: &str| {
        let s = s.strip_prefix(['+', '-']).unwrap_or(s);
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
    };
    let mantissa_is_number = {
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    if !exponent.is_empty() && mantissa_is_number && is_number(exponent) {
        return Err(());
    }
    // `123456789012.0`: an integer written as a float is that integer.
    if let Some((whole, fraction)) = value.split_once('.') {
        if !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b == b'0')
        {
            return Ok(Some(whole.to_string()));
        }
    }
    Ok(None)
}

impl RowContext<'_> {
    /// Converts a data row (below the header) into a work order, a blank, or a rejection
    /// listing every problem found.
    pub fn convert<'r>(&self, row: &'r dyn RowView) -> Converted<'r> {
        // A row whose required cells are all empty is blank, whatever else it holds (a
        // serial number, or even a broken optional cell).
        let cell_at = |column: Column| match self.map.index_of(column) {
            Some(i) if i < row.len() => row.cell(i),
            _ => CellRef::Empty,
        };
        let all_required_empty = Column::REQUIRED.iter().all(|c| match cell_at(*c) {
            CellRef::Empty => true,
            CellRef::Text(s) => clean_cell(s).is_empty(),
            _ => false,
        });
        if all_required_empty {
            return Converted::Blank;
        }
        let mut text: [std::borrow::Cow<'r, str>; crate::column::COUNT] = Default::default();
        let mut problems = Vec::new();
        // Columns already reported, so a bad cell is not also reported as missing.
        let mut flagged = [false; crate::column::COUNT];
        // The problems found in cells, with their column.
        let mut cell_problems: Vec<(Column, RowProblem)> = Vec::new();
        for column in Column::ALL {
            let Some(index) = self.map.index_of(column) else {
                continue;
            };
            let heading = self.map.heading(column);
            let cell = if index < row.len() {
                row.cell(index)
            } else {
                CellRef::Empty
            };
            let value: std::borrow::Cow<'r, str> = match cell {
                CellRef::Empty => "".into(),
                CellRef::Text(s) => clean_cell(s),
                // Excel keeps 15 significant digits: a longer id stored as a number has
                // lost its last digits.
                CellRef::Number(n) if is_id(column) && (n.abs() >= 1e15 || n.fract() != 0.0) => {
                    flagged[column.index()] = true;
                    cell_problems.push((column, RowProblem {
                        code: RejectReason::IdNotText,
                        message: format!(
                            "{heading}: \"{}\" 是数字而非文本,编号的末几位可能已丢失;请把编号列设为文本后重新导出",
                            format_number(n)
                        ),
                    }));
                    continue;
                }
                CellRef::Number(n) => format_number(n).into(),
                CellRef::Serial(_) if matches!(column, Column::ReceivedAt | Column::ClosedAt) => {
                    DATE_CELL.into()
                }
                CellRef::Serial(_) => cell.to_text(self.is_1904).into(),
                CellRef::Error(e) => {
                    flagged[column.index()] = true;
                    cell_problems.push((
                        column,
                        RowProblem {
                            code: RejectReason::CellError,
                            message: format!("{heading}: 单元格错误值 {e}"),
                        },
                    ));
                    continue;
                }
                CellRef::NoValue => {
                    flagged[column.index()] = true;
                    cell_problems.push((
                        column,
                        RowProblem {
                            code: RejectReason::FormulaNoValue,
                            message: format!("{heading}: 是公式,文件里没有保存它的计算结果"),
                        },
                    ));
                    continue;
                }
                CellRef::BadBytes => {
                    flagged[column.index()] = true;
                    cell_problems.push((
                        column,
                        RowProblem {
                            code: RejectReason::BadEncoding,
                            message: format!("{heading}: 含有无法解码的字节(文件编码有误)"),
                        },
                    ));
                    continue;
                }
            };
            // A byte search: CJK text is full of U+FFFD's last byte, which slows `contains`.
            if memchr::memmem::find(value.as_bytes(), "\u{fffd}".as_bytes()).is_some() {
                flagged[column.index()] = true;
                cell_problems.push((
                    column,
                    RowProblem {
                        code: RejectReason::BadEncoding,
                        message: format!("{heading}: 含有无法解码的字节(文件编码有误)"),
                    },
                ));
                continue;
            }
            if value.contains('\0') {
                flagged[column.index()] = true;
                cell_problems.push((
                    column,
                    RowProblem {
                        code: RejectReason::NulChar,
                        message: format!("{heading}: 含有 NUL 控制字符"),
                    },
                ));
                continue;
            }
            let value = if is_id(column) {
                // Full-width digits and letters are the ASCII ones: re-exported with them,
                // an order stays one order.
                let id = crate::normalize::order_id(&value);
                let value: std::borrow::Cow<'r, str> = if id == value {
                    value
                } else {
                    id.into_owned().into()
                };
                match read_id(&value) {
                    Ok(Some(id)) => id.into(),
                    Ok(None) => value,
                    Err(()) => {
                        flagged[column.index()] = true;
                        cell_problems.push((column, RowProblem {
                            code: RejectReason::IdNotText,
                            message: format!(
                                "{heading}: \"{value}\" 是科学计数法,编号的数字已丢失;请在 Excel/WPS 中把编号列设为文本后重新导出"
                            ),
                        }));
                        continue;
                    }
                }
            } else {
                value
            };
            // A cell no longer in bytes than the limit cannot be longer in characters.
            let chars = if value.len() <= self.max_cell_chars {
                value.len()
            } else {
                value.chars().count()
            };
            if chars > self.max_cell_chars {
                flagged[column.index()] = true;
                cell_problems.push((
                    column,
                    RowProblem {
                        code: RejectReason::CellTooLong,
                        message: format!(
                            "{heading}: 内容过长({chars} 字,上限 {} 字)",
                            self.max_cell_chars
                        ),
                    },
                ));
                continue;
            }
            text[column.index()] = value;
        }
        // An optional cell that cannot be read is left empty: the complaint still counts. A
        // cell that says the row itself is broken (undecodable bytes, a NUL, a cell that
        // swallowed several rows) rejects it whatever its column.
        let mut unread = Vec::new();
        for (column, problem) in cell_problems {
            let leave_empty = !column.is_required()
                && matches!(
                    problem.code,
                    RejectReason::CellError
                        | RejectReason::FormulaNoValue
                        | RejectReason::IdNotText
                );
            if leave_empty {
                text[column.index()] = "".into();
                unread.push(problem);
            } else {
                problems.push(problem);
            }
        }
        for column in Column::REQUIRED {
            if text[column.index()].is_empty() && !flagged[column.index()] {
                problems.push(RowProblem {
                    code: RejectReason::MissingRequired,
                    message: format!("缺少必填项: {}", self.map.heading(column)),
                });
            }
        }
        let received_at = self.date(row, Column::ReceivedAt, &text, &mut problems);
        let closed_at = self.date(row, Column::ClosedAt, &text, &mut unread);
        if closed_at.is_none() {
            text[Column::ClosedAt.index()] = "".into();
        }
        if let Some(t) = received_at {
            let heading = self.map.heading(Column::ReceivedAt);
            let shown = t.format("%Y-%m-%d %H:%M:%S");
            if t > self.received.latest {
                problems.push(RowProblem {
                    code: RejectReason::ImplausibleTime,
                    message: format!("{heading}: {shown} 晚于导入时间,不可能已受理"),
                });
            } else if t < self.received.earliest {
                problems.push(RowProblem {
                    code: RejectReason::ImplausibleTime,
                    message: format!(
                        "{heading}: {shown} 早于最早受理日期 {}(ingest.earliest_received)",
                        self.received.earliest.format("%Y-%m-%d")
                    ),
                });
            }
        }
        if !problems.is_empty() {
            return Converted::Rejected(problems);
        }
        let (Some(received_at), closed_at) = (received_at, closed_at) else {
            unreachable!("a row without problems has a received_at");
        };
        let address_norm = self.addresses.normalize(&text[Column::Address.index()]);
        Converted::Order(Box::new(OrderRow {
            row_number: row.row_number(),
            received_at,
            closed_at,
            address_norm,
            text,
            unread,
        }))
    }

    /// Reads a date column; None when empty or unreadable (the latter noted as a problem).
    fn date(
        &self,
        row: &dyn RowView,
        column: Column,
        text: &[std::borrow::Cow<'_, str>],
        problems: &mut Vec<RowProblem>,
    ) -> Option<NaiveDateTime> {
        let index = self.map.index_of(column)?;
        if text[column.index()].is_empty() {
            return None;
        }
        let cell = if index < row.len() {
            row.cell(index)
        } else {
            CellRef::Empty
        };
        let parsed: Result<NaiveDateTime, DateError> = match cell {
            CellRef::Serial(n) | CellRef::Number(n) => dates::from_excel_serial(n, self.is_1904),
            _ => dates::parse_text(&text[column.index()]),
        };
        match parsed {
            Ok(t) => Some(t),
            Err(DateError(why)) => {
                problems.push(RowProblem {
                    code: RejectReason::BadDate,
                    message: format!(
                        "{}: {why}: \"{}\"",
                        self.map.heading(column),
                        text[column.index()]
                    ),
                });
                None
            }
        }
    }
}
