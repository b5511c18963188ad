//! Page layout, a pure function: a document of blocks (see `model.rs`) becomes A4 pages
//! of positioned primitives (see `page.rs`). Blocks flow down the page; a block that does
//! not fit starts a new one, a heading (or a block marked keep-with-next) goes along with
//! the start of what follows it, and finally every page gets its header and footer.
//! Tables and charts are drawn by `table.rs` and `chart.rs`, text is measured by `wrap.rs`.
//!
//! Nothing here knows about PDF or about where the blocks come from. Coordinates are
//! points from the top-left corner of the page.

use super::font::{metrics, MissingGlyphs};
use super::model::{Block, Figure, Frame, Rgb, Style};
use super::page::{Page, Prim, PAGE_H, PAGE_W};
use super::wrap::{fit, wrap};

/// The height of a key figure's box, and the space between boxes and below a row of them.
const FIGURE_H: f32 = 52.0;
const FIGURE_GAP: f32 = 8.0;

/// Whether a block goes to the page where the block after it starts: headings always do,
/// other blocks when marked so.
fn keeps_with_next(block: &Block) -> bool {
    matches!(
        block,
        Block::Heading(_) | Block::BadgeHeading { .. } | Block::KeepWithNext(_)
    )
}

/// Lays out blocks onto pages inside the frame, then draws header and footer.
pub struct Layout<'a> {
    pub(super) style: &'a Style,
    pages: Vec<Page>,
    pub(super) y: f32,
    missing: &'a mut MissingGlyphs,
}

impl<'a> Layout<'a> {
    fn top(&self) -> f32 {
        self.style.margin + 22.0
    }
    pub(super) fn bottom(&self) -> f32 {
        PAGE_H - self.style.margin - 16.0
    }
    pub(super) fn left(&self) -> f32 {
        self.style.margin
    }
    pub(super) fn width(&self) -> f32 {
        PAGE_W - 2.0 * self.style.margin
    }

    pub(super) fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top();
    }

    /// Starts a new page unless `height` still fits below the current position.
    pub(super) fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.top() + 0.5 {
            self.new_page();
        }
    }

    pub(super) fn text(&mut self, x: f32, top: f32, size: f32, color: Rgb, text: &str) {
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

    pub(super) fn line_h(size: f32) -> f32 {
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

    /// The height a block needs below the current position before any of it is placed:
    /// its first line, its first row of figures, a table's header row with its first row,
    /// or the whole of a block that never breaks (a notice, a chart).
    fn lead_height(&self, block: &Block) -> f32 {
        match block {
            Block::Title { .. } => Self::line_h(self.style.title),
            Block::Heading(_) | Block::BadgeHeading { .. } => {
                Self::line_h(self.style.heading) + 8.0
            }
            Block::Paragraph(_) => Self::line_h(self.style.body),
            Block::Notice(text) => self.notice_lines(text).1,
            Block::Figures(_) => FIGURE_H + FIGURE_GAP,
            Block::Table(table) => self.table_lead(table),
            Block::Chart(chart) => self.chart_lead(chart),
            Block::Small(_) => Self::line_h(self.style.small),
            Block::KeepWithNext(inner) => self.lead_height(inner),
            Block::Gap(h) => *h,
            Block::PageBreak => 0.0,
        }
    }

    /// Starts a new page before `run`, blocks that each keep with the next, unless the run
    /// and the start of `next` (see `lead_height`) fit below the current position. A run
    /// that would not fit on an empty page either stays where it is.
    fn keep_with_next(&mut self, run: &[Block], next: Option<&Block>) {
        let top = self.top();
        if self.y > top + 0.5 && !self.fits(run, next, self.y) && self.fits(run, next, top) {
            self.new_page();
        }
    }

    /// Whether `run` and the start of `next`, placed from `y`, end on the page they begin.
    /// A trial layout on a scratch page: nothing is drawn here.
    fn fits(&self, run: &[Block], next: Option<&Block>, y: f32) -> bool {
        let mut missing = MissingGlyphs::default();
        let mut trial = Layout {
            style: self.style,
            pages: vec![Page::default()],
            y,
            missing: &mut missing,
        };
        for block in run {
            trial.block(block);
        }
        let lead = next.map_or(0.0, |n| trial.lead_height(n));
        trial.pages.len() == 1 && trial.y + lead <= trial.bottom()
    }

    /// A notice's wrapped lines and the height of its box.
    fn notice_lines(&self, text: &str) -> (Vec<String>, f32) {
        let s = self.style.body;
        let lines = wrap(text, s, self.width() - 20.0);
        let h = lines.len() as f32 * Self::line_h(s) + 12.0;
        (lines, h)
    }

    fn block(&mut self, block: &Block) {
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
                self.ensure(Self::line_h(s) + 8.0);
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
                let (lines, h) = self.notice_lines(text);
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
            Block::KeepWithNext(inner) => self.block(inner),
            Block::BadgeHeading {
                badge,
                fill,
                ink,
                text,
            } => {
                let s = self.style.heading;
                self.ensure(Self::line_h(s) + 8.0);
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
        let gap = FIGURE_GAP;
        let w = (self.width() - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let h = FIGURE_H;
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
        let starts_run = keeps_with_next(block) && (i == 0 || !keeps_with_next(&blocks[i - 1]));
        if starts_run {
            let end = blocks[i..]
                .iter()
                .position(|b| !keeps_with_next(b))
                .map_or(blocks.len(), |n| i + n);
            l.keep_with_next(&blocks[i..end], blocks.get(end));
        }
        l.block(block);
    }
    l.frame(frame);
    l.pages
}
