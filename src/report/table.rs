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

impl Layout<'_> {
    pub(super) fn table(&mut self, table: &TableBlock) {
        let s = self.style.table;
        let lh = Self::line_h(s);
        let pad = 3.0;
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
            .map(|(c, w)| wrap(&c.heading, s, w - 2.0 * pad))
            .collect();
        let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
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
            for ((col, lines), cw) in table.columns.iter().zip(&header_lines).zip(&widths) {
                let mut ty = top + pad;
                for line in lines {
                    let tx = aligned(x, *cw, pad, metrics().width(line, s), col.align);
                    layout.text(tx, ty, s, Rgb::BLACK, line);
                    ty += lh;
                }
                x += cw;
            }
            layout.y += header_h;
        };
        self.ensure(header_h + lh + 2.0 * pad);
        draw_header(self);
        for (r, row) in table.rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| match cell {
                    Cell::Text(t) => wrap(t, s, w - 2.0 * pad),
                    Cell::Badge { text, .. } => vec![text.clone()],
                })
                .collect();
            let h = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * pad;
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
                row.iter().zip(&cells).zip(&widths).zip(&table.columns)
            {
                match cell {
                    Cell::Text(_) => {
                        let mut ty = top + pad;
                        for line in lines {
                            let tx = aligned(x, *cw, pad, metrics().width(line, s), col.align);
                            self.text(tx, ty, s, Rgb::BLACK, line);
                            ty += lh;
                        }
                    }
                    Cell::Badge { text, fill, ink } => {
                        let tw = metrics().width(text, s);
                        let bw = (tw + 8.0).min(cw - 2.0 * pad);
                        let bx = aligned(x, *cw, pad, bw, col.align);
                        self.page().prims.push(Prim::Fill {
                            x: bx,
                            y: top + pad - 1.0,
                            w: bw,
                            h: lh + 2.0,
                            color: *fill,
                        });
                        self.text(bx + 4.0, top + pad, s, *ink, text);
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
