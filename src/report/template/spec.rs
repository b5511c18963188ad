//! The template file's schema: the TOML of `report-templates/*.toml` exactly as written,
//! read with serde (unknown keys are refused, missing ones take their defaults).
//!
//! Nothing here checks what the names mean; `template.rs` turns a `File` into a checked
//! `Template` and is the only reader of these types.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub(super) title: String,
    pub(super) file_name: String,
    #[serde(default)]
    pub(super) style: StyleSpec,
    #[serde(rename = "section", default)]
    pub(super) sections: Vec<SectionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StyleSpec {
    #[serde(default = "d_title")]
    pub(super) title_size: f32,
    #[serde(default = "d_heading")]
    pub(super) heading_size: f32,
    #[serde(default = "d_body")]
    pub(super) body_size: f32,
    #[serde(default = "d_table")]
    pub(super) table_size: f32,
    #[serde(default = "d_small")]
    pub(super) small_size: f32,
    #[serde(default = "d_margin")]
    pub(super) margin_mm: f32,
}

fn d_title() -> f32 {
    20.0
}
fn d_heading() -> f32 {
    13.0
}
fn d_body() -> f32 {
    10.5
}
fn d_table() -> f32 {
    9.0
}
fn d_small() -> f32 {
    7.5
}
fn d_margin() -> f32 {
    18.0
}

impl Default for StyleSpec {
    fn default() -> Self {
        StyleSpec {
            title_size: d_title(),
            heading_size: d_heading(),
            body_size: d_body(),
            table_size: d_table(),
            small_size: d_small(),
            margin_mm: d_margin(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum SectionSpec {
    Figures {
        heading: Option<String>,
        figures: Vec<FigureSpec>,
    },
    Paragraph {
        heading: Option<String>,
        text: String,
    },
    Table {
        heading: Option<String>,
        dataset: String,
        columns: Vec<ColumnSpec>,
        limit: Option<usize>,
        empty: Option<String>,
        note: Option<String>,
    },
    Chart {
        heading: Option<String>,
        dataset: String,
        chart: String,
        x: String,
        series: Vec<SeriesSpec>,
        height_mm: Option<f32>,
    },
    Cases {
        heading: Option<String>,
        dataset: String,
        orders: String,
        title: String,
        detail: String,
        columns: Vec<ColumnSpec>,
        empty: Option<String>,
        /// A dataset of handling entries (`handling_latest` or `handling_all`) listed
        /// under each case: as a table of `handling_columns` right under the case's
        /// heading, kept on its page, or each entry as a line of `handling_text` after
        /// the case's orders.
        handling: Option<String>,
        handling_text: Option<String>,
        #[serde(default)]
        handling_columns: Vec<ColumnSpec>,
    },
    PageBreak {},
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureSpec {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnSpec {
    pub(super) field: String,
    pub(super) heading: String,
    pub(super) width: Option<f32>,
    pub(super) align: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeriesSpec {
    pub(super) field: String,
    pub(super) label: String,
    pub(super) color: String,
}
