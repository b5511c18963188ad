//! The report model: what a report says before it is placed on pages. A document is a
//! list of blocks (a title, headings, paragraphs, key figures, tables, charts, notices,
//! small print), with the frame printed around every page and the sizes of the template.
//!
//! Plain data only: nothing here measures text, decides page breaks or knows about PDF.

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0x21, 0x21, 0x21);
    pub const GREY: Rgb = Rgb(0x75, 0x75, 0x75);
    pub const LIGHT: Rgb = Rgb(0xEE, 0xEE, 0xEE);
    pub const RULE: Rgb = Rgb(0xBD, 0xBD, 0xBD);
    pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
    pub const ALERT: Rgb = Rgb(0xC6, 0x28, 0x28);
    pub const ALERT_BG: Rgb = Rgb(0xFF, 0xEB, 0xEE);

    /// `#RRGGBB`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        Some(Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8))
    }
}

/// Sizes in points, from the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub title: f32,
    pub heading: f32,
    pub body: f32,
    pub table: f32,
    pub small: f32,
    /// Page margin in points.
    pub margin: f32,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            title: 20.0,
            heading: 13.0,
            body: 10.5,
            table: 9.0,
            small: 7.5,
            margin: 51.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A table cell: text, or a coloured badge (warning tiers).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Badge { text: String, fill: Rgb, ink: Rgb },
}

/// A column of a table block: its heading, relative width and alignment (the template's
/// `ColumnDef` also says which field it shows).
#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub heading: String,
    /// Relative width.
    pub width: f32,
    pub align: Align,
}

/// A table in a report: its columns and its rows of cells (the terminal's text table is
/// `crate::table::Table`).
#[derive(Debug, Clone, PartialEq)]
pub struct TableBlock {
    pub columns: Vec<TableColumn>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: Rgb,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub height: f32,
}

/// A key figure: a number with its label and a note (e.g. the change).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title {
        title: String,
        subtitle: String,
    },
    Heading(String),
    Paragraph(String),
    /// A warning box: the data may be incomplete.
    Notice(String),
    Figures(Vec<Figure>),
    Table(TableBlock),
    Chart(Chart),
    /// Small print, one entry per line.
    Small(Vec<String>),
    /// A heading led by a coloured badge (a case's tier).
    BadgeHeading {
        badge: String,
        fill: Rgb,
        ink: Rgb,
        text: String,
    },
    /// Keep the next block with this one (e.g. a case's heading with its orders).
    KeepWithNext(Box<Block>),
    Gap(f32),
    PageBreak,
}

/// What goes around every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub header_left: String,
    pub header_right: String,
    pub footer_right: String,
}
