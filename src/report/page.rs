//! Pages as the layout leaves them: positioned drawing primitives (text runs, filled
//! rectangles, lines, shapes) on A4. Coordinates are points from the top-left corner of
//! the page; `pdf.rs` turns them into PDF.
//!
//! Plain data only: nothing here decides where things go or how PDF encodes them.

use super::model::Rgb;

/// A drawing primitive on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Prim {
    /// Text with its baseline starting at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        text: String,
    },
    /// A filled rectangle with its top-left corner at (x, y).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A stroked polyline.
    Line {
        points: Vec<(f32, f32)>,
        color: Rgb,
        width: f32,
    },
    /// A filled polygon.
    Shape { points: Vec<(f32, f32)>, color: Rgb },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub prims: Vec<Prim>,
}

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
