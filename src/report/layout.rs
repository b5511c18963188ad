//! Page layout, a pure function: a document of blocks (headings, paragraphs, key figures,
//! tables, charts, notices) becomes A4 pages of positioned primitives (text runs, filled
//! rectangles, lines). Tables break across pages and repeat their header row; Chinese text
//! wraps between any two characters, keeping closing punctuation off the start of a line.
//!
//! Nothing here knows about PDF; `pdf.rs` draws the primitives. Coordinates are points
//! from the top-left corner of the page.

use super::font::{metrics, MissingGlyphs};

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

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub heading: String,
    /// Relative width.
    pub width: f32,
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
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
    Table(Table),
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

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;

const CLOSING: &str = "，。、；：？！）》」』】〕〉,.;:!?)]}%…—";
const OPENING: &str = "（《「『【〔〈([{";

/// Splits text into the pieces that may not be broken: an ASCII word or number, or a
/// single other character.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '@');
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push(&text[s..i]);
                    start = None;
                }
                out.push(&text[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Wraps `text` to lines no wider than `width` at `size`. Explicit line breaks are kept.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let m = metrics();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Vec<&str> = Vec::new();
        let mut line_w = 0.0;
        for token in tokens(paragraph) {
            let w = m.width(token, size);
            if line_w + w <= width {
                line.push(token);
                line_w += w;
                continue;
            }
            if w > width {
                // A word longer than the line: break it anywhere.
                for (i, c) in token.char_indices() {
                    let cw = m.char_width(c, size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(line.concat());
                        line.clear();
                        line_w = 0.0;
                    }
                    line.push(&token[i..i + c.len_utf8()]);
                    line_w += cw;
                }
                continue;
            }
            // Break before `token`; closing punctuation takes the previous piece along,
            // and opening punctuation does not stay at a line's end.
            let mut carry: Vec<&str> = Vec::new();
            let is_closing = token.chars().next().is_some_and(|c| CLOSING.contains(c));
            if is_closing && line.len() > 1 {
                carry.push(line.pop().expect("non-empty"));
            }
            while line.len() > 1
                && line
                    .last()
                    .and_then(|t| t.chars().next())
                    .is_some_and(|c| OPENING.contains(c))
            {
                carry.insert(0, line.pop().expect("non-empty"));
            }
            lines.push(line.concat());
            line = carry;
            line.push(token);
            line_w = line.iter().map(|t| m.width(t, size)).sum();
        }
        lines.push(line.concat());
    }
    lines
}

/// Lays out blocks onto pages inside the frame, then draws header and footer.
pub struct Layout<'a> {
    style: &'a Style,
    pages: Vec<Page>,
    y: f32,
    missing: &'a mut MissingGlyphs,
}

impl<'a> Layout<'a> {
    fn top(&self) -> f32 {
        self.style.margin + 22.0
    }
    fn bottom(&self) -> f32 {
        PAGE_H - self.style.margin - 16.0
    }
    fn left(&self) -> f32 {
        self.style.margin
    }
    fn width(&self) -> f32 {
        PAGE_W - 2.0 * self.style.margin
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top();
    }

    /// Starts a new page unless `height` still fits below the current position.
    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.top() + 0.5 {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, top: f32, size: f32, color: Rgb, text: &str) {
        let text = self.missing.printable(text);
        let baseline = top + metrics().ascent(size);
        self.page().prims.push(Prim::Text {
            x,
            y: baseline,
            size,
            color,
            text,
        });
    }

    fn line_h(size: f32) -> f32 {
        metrics().line_height(size) * 1.15
    }

    fn paragraph(&mut self, text: &str, size: f32, color: Rgb, indent: f32) {
        let lh = Self::line_h(size);
        for line in wrap(text, size, self.width() - indent) {
            self.ensure(lh);
            let (x, y) = (self.left() + indent, self.y);
            self.text(x, y, size, color, &line);
            self.y += lh;
        }
    }

    /// The height a block needs at its start (what must fit before it is placed).
    fn lead_height(&self, block: &Block) -> f32 {
        match block {
            Block::Heading(_) | Block::BadgeHeading { .. } => {
                Self::line_h(self.style.heading) * 2.0
            }
            Block::Table(t) => {
                let header = Self::line_h(self.style.table) + 6.0;
                header + if t.rows.is_empty() { 0.0 } else { header * 2.0 }
            }
            Block::Chart(c) => c.height + 30.0,
            Block::Figures(f) => (f.len().div_ceil(4)) as f32 * 58.0,
            Block::KeepWithNext(b) => self.lead_height(b),
            _ => Self::line_h(self.style.body) * 2.0,
        }
    }

    fn block(&mut self, block: &Block, next: Option<&Block>) {
        match block {
            Block::Title { title, subtitle } => {
                let s = self.style.title;
                let w = metrics().width(title, s);
                let x = self.left() + (self.width() - w) / 2.0;
                let y = self.y;
                self.text(x, y, s, Rgb::BLACK, title);
                self.y += Self::line_h(s) + 4.0;
                let s2 = self.style.body + 1.0;
                let w2 = metrics().width(subtitle, s2);
                let x2 = self.left() + (self.width() - w2) / 2.0;
                let y2 = self.y;
                self.text(x2, y2, s2, Rgb::GREY, subtitle);
                self.y += Self::line_h(s2) + 14.0;
            }
            Block::Heading(text) => {
                let s = self.style.heading;
                let keep = next.map(|n| self.lead_height(n)).unwrap_or(0.0);
                self.ensure(Self::line_h(s) + 8.0 + keep);
                self.y += 6.0;
                let (x, y) = (self.left(), self.y);
                self.text(x, y, s, Rgb::BLACK, text);
                self.y += Self::line_h(s) + 4.0;
            }
            Block::Paragraph(text) => {
                let s = self.style.body;
                self.paragraph(text, s, Rgb::BLACK, 0.0);
                self.y += 6.0;
            }
            Block::Notice(text) => {
                let s = self.style.body;
                let lines = wrap(text, s, self.width() - 20.0);
                let h = lines.len() as f32 * Self::line_h(s) + 12.0;
                self.ensure(h);
                let (x, y, w) = (self.left(), self.y, self.width());
                self.page().prims.push(Prim::Fill {
                    x,
                    y,
                    w,
                    h,
                    color: Rgb::ALERT_BG,
                });
                self.page().prims.push(Prim::Fill {
                    x,
                    y,
                    w: 4.0,
                    h,
                    color: Rgb::ALERT,
                });
                let mut ty = y + 6.0;
                for line in lines {
                    self.text(x + 12.0, ty, s, Rgb::ALERT, &line);
                    ty += Self::line_h(s);
                }
                self.y += h + 10.0;
            }
            Block::Figures(figures) => self.figures(figures),
            Block::Table(table) => self.table(table),
            Block::Chart(chart) => self.chart(chart),
            Block::Small(lines) => {
                let s = self.style.small;
                for line in lines {
                    self.paragraph(line, s, Rgb::GREY, 0.0);
                }
                self.y += 4.0;
            }
            Block::KeepWithNext(inner) => {
                let keep = next.map(|n| self.lead_height(n)).unwrap_or(0.0);
                self.ensure(self.lead_height(inner) + keep);
                self.block(inner, None);
            }
            Block::BadgeHeading {
                badge,
                fill,
                ink,
                text,
            } => {
                let s = self.style.heading;
                let keep = next.map(|n| self.lead_height(n)).unwrap_or(0.0);
                self.ensure(Self::line_h(s) + 8.0 + keep);
                self.y += 6.0;
                let small = self.style.table;
                let bw = metrics().width(badge, small) + 8.0;
                let (x, y) = (self.left(), self.y);
                let lh = Self::line_h(s);
                self.page().prims.push(Prim::Fill {
                    x,
                    y: y + (lh - Self::line_h(small)) / 2.0 - 1.0,
                    w: bw,
                    h: Self::line_h(small) + 2.0,
                    color: *fill,
                });
                self.text(
                    x + 4.0,
                    y + (lh - Self::line_h(small)) / 2.0,
                    small,
                    *ink,
                    badge,
                );
                let lines = wrap(text, s, self.width() - bw - 6.0);
                for line in lines {
                    let y = self.y;
                    self.text(x + bw + 6.0, y, s, Rgb::BLACK, &line);
                    self.y += lh;
                }
                self.y += 2.0;
            }
            Block::Gap(h) => self.y += h,
            Block::PageBreak => {
                if self.y > self.top() + 0.5 {
                    self.new_page();
                }
            }
        }
    }

    fn figures(&mut self, figures: &[Figure]) {
        let per_row = 4usize;
        let gap = 8.0;
        let w = (self.width() - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let h = 52.0;
        for row in figures.chunks(per_row) {
            self.ensure(h + gap);
            let top = self.y;
            for (i, f) in row.iter().enumerate() {
                let x = self.left() + i as f32 * (w + gap);
                self.page().prims.push(Prim::Fill {
                    x,
                    y: top,
                    w,
                    h,
                    color: Rgb(0xF5, 0xF5, 0xF5),
                });
                self.page().prims.push(Prim::Fill {
                    x,
                    y: top,
                    w,
                    h: 2.0,
                    color: Rgb(0x15, 0x65, 0xC0),
                });
                let small = self.style.small + 0.5;
                self.text(x + 7.0, top + 7.0, small, Rgb::GREY, &f.label);
                let big = self.style.heading + 5.0;
                self.text(x + 7.0, top + 18.0, big, Rgb::BLACK, &f.value);
                let note = fit(&f.note, small, w - 12.0);
                self.text(x + 7.0, top + 39.0, small, Rgb::GREY, &note);
            }
            self.y += h + gap;
        }
        self.y += 4.0;
    }

    fn table(&mut self, table: &Table) {
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

    fn chart(&mut self, chart: &Chart) {
        let s = self.style.small;
        let legend_h = Self::line_h(s) + 6.0;
        let axis_h = Self::line_h(s) * 2.0 + 4.0;
        self.ensure(chart.height + legend_h + axis_h);
        let top = self.y;
        let label_w = 28.0;
        let x0 = self.left() + label_w;
        let plot_w = self.width() - label_w;
        let plot_top = top + legend_h;
        let plot_h = chart.height;
        let max = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0f64, f64::max);
        let (step, top_value) = nice_scale(max);
        // Legend.
        let mut lx = x0;
        for series in &chart.series {
            self.page().prims.push(Prim::Fill {
                x: lx,
                y: top + 2.0,
                w: 10.0,
                h: 7.0,
                color: series.color,
            });
            self.text(lx + 13.0, top, s, Rgb::BLACK, &series.label);
            lx += 13.0 + metrics().width(&series.label, s) + 14.0;
        }
        // Grid and value axis.
        let y_of = |v: f64| plot_top + plot_h - (v / top_value) as f32 * plot_h;
        let mut v = 0.0;
        while v <= top_value + 1e-9 {
            let y = y_of(v);
            self.page().prims.push(Prim::Line {
                points: vec![(x0, y), (x0 + plot_w, y)],
                color: if v == 0.0 { Rgb::GREY } else { Rgb::LIGHT },
                width: 0.5,
            });
            let label = format_number(v);
            let lw = metrics().width(&label, s);
            self.text(
                x0 - 4.0 - lw,
                y - metrics().ascent(s) / 2.0 - 1.0,
                s,
                Rgb::GREY,
                &label,
            );
            v += step;
        }
        // Category axis labels (thinned when crowded).
        let n = chart.labels.len().max(1);
        let slot = plot_w / n as f32;
        let every = ((metrics().width("00-00", s) + 4.0) / slot).ceil().max(1.0) as usize;
        for (i, label) in chart.labels.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            let lines = wrap(label, s, (slot * every as f32).max(20.0));
            let mut ly = plot_top + plot_h + 3.0;
            for line in lines.iter().take(2) {
                let lw = metrics().width(line, s);
                let lx = x0 + slot * (i as f32 + 0.5) - lw / 2.0;
                self.text(lx, ly, s, Rgb::GREY, line);
                ly += Self::line_h(s);
            }
        }
        match chart.kind {
            ChartKind::Bar => {
                let k = chart.series.len().max(1) as f32;
                let bar_w = slot * 0.7 / k;
                for (j, series) in chart.series.iter().enumerate() {
                    for (i, v) in series.values.iter().enumerate() {
                        if *v <= 0.0 {
                            continue;
                        }
                        let x = x0 + slot * i as f32 + slot * 0.15 + bar_w * j as f32;
                        let y = y_of(*v);
                        self.page().prims.push(Prim::Fill {
                            x,
                            y,
                            w: bar_w,
                            h: plot_top + plot_h - y,
                            color: series.color,
                        });
                    }
                }
            }
            ChartKind::Line => {
                for series in &chart.series {
                    let points: Vec<(f32, f32)> = series
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (x0 + slot * (i as f32 + 0.5), y_of(*v)))
                        .collect();
                    self.page().prims.push(Prim::Line {
                        points: points.clone(),
                        color: series.color,
                        width: 1.6,
                    });
                    for (x, y) in points {
                        self.page().prims.push(Prim::Shape {
                            points: vec![(x - 2.2, y), (x, y - 2.2), (x + 2.2, y), (x, y + 2.2)],
                            color: series.color,
                        });
                    }
                }
            }
        }
        self.y = plot_top + plot_h + axis_h + 6.0;
    }

    fn frame(&mut self, frame: &Frame) {
        let total = self.pages.len();
        let s = self.style.small + 0.5;
        let (left, width) = (self.left(), self.width());
        let header_y = self.style.margin - 4.0;
        let footer_y = PAGE_H - self.style.margin + 4.0;
        for n in 0..total {
            let mut frame_layout = std::mem::take(&mut self.pages[n]);
            let mut texts = Vec::new();
            texts.push((left, header_y, frame.header_left.clone()));
            let hr = frame.header_right.clone();
            texts.push((left + width - metrics().width(&hr, s), header_y, hr));
            let pager = format!("第 {} 页 / 共 {} 页", n + 1, total);
            texts.push((
                left + (width - metrics().width(&pager, s)) / 2.0,
                footer_y,
                pager,
            ));
            let fr = frame.footer_right.clone();
            texts.push((left + width - metrics().width(&fr, s), footer_y, fr));
            for (x, y, text) in texts {
                let text = self.missing.printable(&text);
                frame_layout.prims.push(Prim::Text {
                    x,
                    y: y + metrics().ascent(s),
                    size: s,
                    color: Rgb::GREY,
                    text,
                });
            }
            let rule_y = header_y + metrics().line_height(s) + 3.0;
            frame_layout.prims.push(Prim::Line {
                points: vec![(left, rule_y), (left + width, rule_y)],
                color: Rgb::RULE,
                width: 0.6,
            });
            self.pages[n] = frame_layout;
        }
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

/// `text` cut with an ellipsis to fit `width`.
fn fit(text: &str, size: f32, width: f32) -> String {
    let m = metrics();
    if m.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = m.width("…", size);
    for c in text.chars() {
        w += m.char_width(c, size);
        if w > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn format_number(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A tick step and a top value for an axis up to `max` (1, 2 or 5 times a power of ten).
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 4.0);
    }
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
        .max(1.0);
    (step, (max / step).ceil() * step)
}

/// Lays out `blocks` into pages framed by `frame`.
pub fn layout(
    blocks: &[Block],
    frame: &Frame,
    style: &Style,
    missing: &mut MissingGlyphs,
) -> Vec<Page> {
    let mut l = Layout {
        style,
        pages: Vec::new(),
        y: 0.0,
        missing,
    };
    l.new_page();
    for (i, block) in blocks.iter().enumerate() {
        l.block(block, blocks.get(i + 1));
    }
    l.frame(frame);
    l.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_of(line: &str) -> f32 {
        metrics().width(line, 10.0)
    }

    #[test]
    fn chinese_wraps_between_characters_within_the_width() {
        let text = "长沙县星沙街道开元东路18号某某商场门口夜间施工噪音扰民,居民多次投诉。";
        let lines = wrap(text, 10.0, 80.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat(), text);
        for line in &lines {
            assert!(width_of(line) <= 80.0 + 0.01, "{line}");
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let text = "一二三四五六七八九十,一二三四五六七八九十。一二三四五六七八九十、";
        for width in [40.0, 45.0, 50.0, 55.0, 60.0, 73.0, 100.0] {
            let lines = wrap(text, 10.0, width);
            assert_eq!(lines.concat(), text);
            for line in lines.iter().skip(1) {
                let first = line.chars().next().unwrap();
                assert!(!CLOSING.contains(first), "{width}: {lines:?}");
            }
        }
    }

    #[test]
    fn words_and_numbers_stay_whole_when_they_fit() {
        let lines = wrap("工单GD202501030001已办结", 10.0, 90.0);
        assert!(
            lines.iter().any(|l| l.contains("GD202501030001")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let table = Table {
            columns: vec![
                Column {
                    heading: "工单编号".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                Column {
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

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(0.0), (1.0, 4.0));
        assert_eq!(nice_scale(7.0), (2.0, 8.0));
        assert_eq!(nice_scale(23.0), (10.0, 30.0));
        assert_eq!(nice_scale(1234.0), (500.0, 1500.0));
    }
}
