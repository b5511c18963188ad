//! Drawing a table: column widths shared out by their relative weights, cells wrapped
//! inside them, a shaded header row repeated at the top of every page the table reaches,
//! striped rows, and tier badges drawn as coloured boxes.
//!
//! Part of the layout engine: it places primitives through `Layout` and decides nothing
//! about what comes before or after the table.

use super::font::metrics;
use super::layout::Layout;
use super::model::{Align, Cell, Rgb, TableBlock};
use super::page::Prim;
use super::wrap::wrap;

/// Space between a cell's border and its text, in points.
const PAD: f32 = 3.0;

/// A table measured for the page: its columns' widths and its header row's wrapped lines
/// and height.
struct Grid {
    widths: Vec<f32>,
    header_lines: Vec<Vec<String>>,
    header_h: f32,
}

impl Layout<'_> {
    fn grid(&self, table: &TableBlock) -> Grid {
        let s = self.style.table;
        let lh = Self::line_h(s);
        let total: f32 = table
            .columns
            .iter()
            .map(|c| c.width)
            .sum::<f32>()
            .max(0.001);
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.width / total * self.width())
            .collect();
        let header_lines: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| wrap(&c.heading, s, w - 2.0 * PAD))
            .collect();
        let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
        Grid {
            widths,
            header_lines,
            header_h,
        }
    }

    /// A row's cells wrapped to their columns, and the row's height.
    fn row_lines(&self, grid: &Grid, row: &[Cell]) -> (Vec<Vec<String>>, f32) {
        let s = self.style.table;
        let lh = Self::line_h(s);
        let cells: Vec<Vec<String>> = row
            .iter()
            .zip(&grid.widths)
            .map(|(cell, w)| match cell {
                Cell::Text(t) => wrap(t, s, w - 2.0 * PAD),
                Cell::Badge { text, .. } => vec![text.clone()],
            })
            .collect();
        let h = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD;
        (cells, h)
    }

    /// The height the start of a table needs: its header row and its first row.
    pub(super) fn table_lead(&self, table: &TableBlock) -> f32 {
        let grid = self.grid(table);
        let first = match table.rows.first() {
            Some(row) => self.row_lines(&grid, row).1,
            None => Self::line_h(self.style.table) + 2.0 * PAD,
        };
        grid.header_h + first
    }

    pub(super) fn table(&mut self, table: &TableBlock) {
        let s = self.style.table;
        let lh = Self::line_h(s);
        let grid = self.grid(table);
        let header_h = grid.header_h;
        let draw_header = |layout: &mut Layout<'_>| {
            let top = layout.y;
            let (x0, w) = (layout.left(), layout.width());
            layout.page().prims.push(Prim::Fill {
                x: x0,
                y: top,
                w,
                h: header_h,
                color: Rgb(0xE3, 0xEA, 0xF2),
            });
            let mut x = x0;
            for ((col, lines), cw) in table
                .columns
                .iter()
                .zip(&grid.header_lines)
                .zip(&grid.widths)
            {
                let mut ty = top + PAD;
                for line in lines {
                    let tx = aligned(x, *cw, PAD, metrics().width(line, s), col.align);
                    layout.text(tx, ty, s, Rgb::BLACK, line);
                    ty += lh;
                }
                x += cw;
            }
            layout.y += header_h;
        };
        self.ensure(header_h + lh + 2.0 * PAD);
        draw_header(self);
        for (r, row) in table.rows.iter().enumerate() {
            let (cells, h) = self.row_lines(&grid, row);
            if self.y + h > self.bottom() {
                self.new_page();
                draw_header(self);
            }
            let top = self.y;
            if r % 2 == 1 {
                let (x0, w) = (self.left(), self.width());
                self.page().prims.push(Prim::Fill {
                    x: x0,
                    y: top,
                    w,
                    h,
                    color: Rgb(0xFA, 0xFA, 0xFA),
                });
            }
            let mut x = self.left();
            for (((cell, lines), cw), col) in
                row.iter().zip(&cells).zip(&grid.widths).zip(&table.columns)
            {
                match cell {
                    Cell::Text(_) => {
                        let mut ty = top + PAD;
                        for line in lines {
                            let tx = aligned(x, *cw, PAD, metrics().width(line, s), col.align);
                            self.text(tx, ty, s, Rgb::BLACK, line);
                            ty += lh;
                        }
                    }
                    Cell::Badge { text, fill, ink } => {
                        let tw = metrics().width(text, s);
                        let bw = (tw + 8.0).min(cw - 2.0 * PAD);
                        let bx = aligned(x, *cw, PAD, bw, col.align);
                        self.page().prims.push(Prim::Fill {
                            x: bx,
                            y: top + PAD - 1.0,
                            w: bw,
                            h: lh + 2.0,
                            color: *fill,
                        });
                        self.text(bx + 4.0, top + PAD, s, *ink, text);
                    }
                }
                x += cw;
            }
            self.y += h;
            let (x0, w, y) = (self.left(), self.width(), self.y);
            self.page().prims.push(Prim::Line {
                points: vec![(x0, y), (x0 + w, y)],
                color: Rgb::LIGHT,
                width: 0.5,
            });
        }
        self.y += 10.0;
    }
}

/// The x where text of width `w` starts inside a cell at `x` of width `cw`.
fn aligned(x: f32, cw: f32, pad: f32, w: f32, align: Align) -> f32 {
    match align {
        Align::Left => x + pad,
        Align::Right => x + cw - pad - w,
        Align::Center => x + (cw - w) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::font::MissingGlyphs;
    use crate::report::layout::layout;
    use crate::report::model::{Block, Frame, Style, TableColumn};

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let table = TableBlock {
            columns: vec![
                TableColumn {
                    heading: "工单编号".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                TableColumn {
                    heading: "地址".into(),
                    width: 3.0,
                    align: Align::Left,
                },
            ],
            rows: (0..200)
                .map(|i| {
                    vec![
                        Cell::Text(format!("GD{i:04}")),
                        Cell::Text("星沙街道".repeat(12)),
                    ]
                })
                .collect(),
        };
        let mut missing = MissingGlyphs::default();
        let frame = Frame {
            header_left: "大队".into(),
            header_right: "台账".into(),
            footer_right: "".into(),
        };
        let pages = layout(
            &[Block::Table(table)],
            &frame,
            &Style::default(),
            &mut missing,
        );
        assert!(pages.len() > 3);
        for (n, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page
                .prims
                .iter()
                .filter_map(|p| match p {
                    Prim::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            assert!(texts.contains(&"工单编号"), "page {n} lacks the header");
            assert!(texts.contains(&format!("第 {} 页 / 共 {} 页", n + 1, pages.len()).as_str()));
        }
    }
}
