//! Generated exports shaped like the hotline platform's: the bundled sample inputs (a
//! designed scenario that shows every warning tier and status) and large realistic files
//! for benchmarks. Deterministic for a given seed.
//!
//! Three export "dialects" differ the way real platforms do: column names, encodings and
//! date forms. This file writes orders as exports; `bulk` makes realistic random orders
//! and `sample` the designed scenario of sample-inputs/.

mod bulk;
mod sample;

pub use bulk::bulk;
pub use sample::sample;

use std::io::Write;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{Format, Workbook};

/// One generated work order.
#[derive(Debug, Clone, Default)]
pub struct Order {
    pub id: String,
    pub received_at: Option<NaiveDateTime>,
    pub category: String,
    pub address: String,
    pub channel: String,
    pub street: String,
    pub community: String,
    pub content: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub handler_unit: String,
    pub status: String,
    pub closed_at: Option<NaiveDateTime>,
    pub related: String,
    /// Text put in the received-at cell instead of the date (for bad rows).
    pub received_text: Option<String>,
}

/// An export platform's way of writing files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// .xlsx with a title row, a 序号 column and Excel date cells.
    Xlsx,
    /// GBK .csv with the county platform's column names and `2025/1/3 8:05` dates.
    CsvGbk,
    /// UTF-8 .csv with a byte order mark and `2025年1月3日 8时5分` dates.
    CsvUtf8Bom,
    /// UTF-8 .csv without BOM, `2025-01-03 08:05:00` dates.
    CsvUtf8,
}

impl Dialect {
    pub fn headers(self) -> [&'static str; 15] {
        match self {
            Dialect::Xlsx => [
                "序号",
                "工单编号",
                "受理时间",
                "诉求类型",
                "事发地址",
                "来源渠道",
                "所属街道",
                "所属社区",
                "诉求内容",
                "来电人",
                "联系电话",
                "承办单位",
                "办理状态",
                "办结时间",
                "关联工单",
            ],
            Dialect::CsvGbk => [
                "序号",
                "工单号",
                "来电时间",
                "事项类别",
                "诉求地址",
                "来源",
                "街道",
                "社区",
                "工单内容",
                "诉求人",
                "来电号码",
                "执法组",
                "工单状态",
                "办结时间",
                "原工单编号",
            ],
            Dialect::CsvUtf8Bom | Dialect::CsvUtf8 => [
                "序号",
                "编号",
                "登记时间",
                "问题分类",
                "地址",
                "渠道",
                "所属街道",
                "所属社区",
                "来电内容",
                "来电人",
                "联系电话",
                "责任单位",
                "办理状态",
                "办结时间",
                "重复工单号",
            ],
        }
    }

    fn date_text(self, t: NaiveDateTime) -> String {
        match self {
            Dialect::CsvGbk => format!(
                "{}/{}/{} {}:{:02}",
                t.format("%Y"),
                t.format("%-m"),
                t.format("%-d"),
                t.hour(),
                t.minute()
            ),
            Dialect::CsvUtf8Bom => format!(
                "{}年{}月{}日 {}时{}分",
                t.format("%Y"),
                t.format("%-m"),
                t.format("%-d"),
                t.hour(),
                t.minute()
            ),
            Dialect::Xlsx | Dialect::CsvUtf8 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

fn cells(order: &Order, serial: usize, dialect: Dialect) -> [String; 15] {
    let date = |t: Option<NaiveDateTime>| t.map(|t| dialect.date_text(t)).unwrap_or_default();
    [
        serial.to_string(),
        order.id.clone(),
        order
            .received_text
            .clone()
            .unwrap_or_else(|| date(order.received_at)),
        order.category.clone(),
        order.address.clone(),
        order.channel.clone(),
        order.street.clone(),
        order.community.clone(),
        order.content.clone(),
        order.caller_name.clone(),
        order.caller_phone.clone(),
        order.handler_unit.clone(),
        order.status.clone(),
        date(order.closed_at),
        order.related.clone(),
    ]
}

/// The Excel serial of a local time (1900 system).
pub fn excel_serial(t: NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("valid")
        .and_hms_opt(0, 0, 0)
        .expect("valid");
    (t - epoch).num_seconds() as f64 / 86_400.0
}

/// Writes `orders` as an export in `dialect`; `title` goes above the header (xlsx) or as a
/// first line (csv) when given.
pub fn write(
    path: &Path,
    dialect: Dialect,
    title: Option<&str>,
    orders: &[Order],
) -> anyhow::Result<()> {
    match dialect {
        Dialect::Xlsx => write_xlsx(path, title, orders),
        _ => {
            let file = std::fs::File::create(path)?;
            let mut out = std::io::BufWriter::new(file);
            write_csv(&mut out, dialect, title, orders.iter())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Streams orders as CSV in `dialect` (GBK is encoded on the way).
pub fn write_csv<'o>(
    out: &mut dyn Write,
    dialect: Dialect,
    title: Option<&str>,
    orders: impl Iterator<Item = &'o Order>,
) -> anyhow::Result<()> {
    if dialect == Dialect::CsvUtf8Bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut put = |fields: &[String]| -> anyhow::Result<()> {
        let mut record = csv::Writer::from_writer(Vec::with_capacity(256));
        record.write_record(fields)?;
        let bytes = record.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        if dialect == Dialect::CsvGbk {
            let (encoded, _, _) = encoding_rs::GB18030.encode(std::str::from_utf8(&bytes)?);
            out.write_all(&encoded)?;
        } else {
            out.write_all(&bytes)?;
        }
        Ok(())
    };
    if let Some(title) = title {
        put(&[title.to_string()])?;
    }
    put(&dialect.headers().map(String::from))?;
    for (i, order) in orders.enumerate() {
        put(&cells(order, i + 1, dialect))?;
    }
    Ok(())
}

fn write_xlsx(path: &Path, title: Option<&str>, orders: &[Order]) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("工单")?;
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let bold = Format::new().set_bold();
    let headers = Dialect::Xlsx.headers();
    let mut row = 0u32;
    if let Some(title) = title {
        sheet.merge_range(0, 0, 0, (headers.len() - 1) as u16, title, &bold)?;
        row = 1;
    }
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    for (i, order) in orders.iter().enumerate() {
        row += 1;
        let values = cells(order, i + 1, Dialect::Xlsx);
        sheet.write_number(row, 0, (i + 1) as f64)?;
        for (c, value) in values.iter().enumerate().skip(1) {
            let c16 = c as u16;
            match c {
                2 if order.received_text.is_none() => {
                    if let Some(t) = order.received_at {
                        sheet.write_number_with_format(row, c16, excel_serial(t), &date)?;
                    }
                }
                13 => {
                    if let Some(t) = order.closed_at {
                        sheet.write_number_with_format(row, c16, excel_serial(t), &date)?;
                    }
                }
                _ if !value.is_empty() => {
                    sheet.write_string(row, c16, value)?;
                }
                _ => {}
            }
        }
    }
    workbook.save(path)?;
    Ok(())
}
