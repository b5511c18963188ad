//! The report font (WenQuanYi Micro Hei, shipped in assets/fonts, embedded as a subset):
//! text measurement for layout, and the characters the font lacks, which are replaced,
//! logged and counted rather than printed as silent boxes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The font file, compiled into the program so reports need nothing at run time.
pub static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// The face used inside the collection.
pub const FACE_INDEX: u32 = 0;

/// Shown instead of a character the font lacks.
pub const REPLACEMENT: char = '?';

/// Advance widths by character, read once from the font.
pub struct Metrics {
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    advances: std::collections::HashMap<char, f32>,
    face: ttf_parser::Face<'static>,
}

impl Metrics {
    fn load() -> Metrics {
        let face =
            ttf_parser::Face::parse(FONT_BYTES, FACE_INDEX).expect("the shipped font parses");
        Metrics {
            units_per_em: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            advances: std::collections::HashMap::new(),
            face,
        }
    }

    /// True when the font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// Advance of `c` in em (0 for a character the font lacks).
    fn advance_em(&self, c: char) -> f32 {
        if let Some(a) = self.advances.get(&c) {
            return *a;
        }
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map(|a| f32::from(a) / self.units_per_em)
            .unwrap_or(0.0)
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance_em(c)).sum::<f32>() * size
    }

    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.advance_em(c) * size
    }

    /// Distance from the top of a line box to the baseline, at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        self.ascender / self.units_per_em * size
    }

    /// Height of a line of text from ascender to descender, at `size`.
    pub fn line_height(&self, size: f32) -> f32 {
        (self.ascender - self.descender) / self.units_per_em * size
    }
}

/// The metrics of the shipped font (parsed once per process).
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut m = Metrics::load();
        // Warm the cache with the characters reports use most.
        let common: Vec<char> = (0x20u32..0x7f)
            .chain(0x4e00..0x9fa6)
            .chain(0x3000..0x3040)
            .chain(0xff00..0xff60)
            .filter_map(char::from_u32)
            .collect();
        let advances = common
            .iter()
            .filter_map(|c| {
                m.face
                    .glyph_index(*c)
                    .and_then(|g| m.face.glyph_hor_advance(g))
                    .map(|a| (*c, f32::from(a) / m.units_per_em))
            })
            .collect();
        m.advances = advances;
        m
    })
}

/// Characters the font lacks, met while laying out one report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MissingGlyphs {
    pub by_char: BTreeMap<char, usize>,
}

impl MissingGlyphs {
    pub fn total(&self) -> usize {
        self.by_char.values().sum()
    }

    /// `text` with every character the font lacks replaced (and counted). Control
    /// characters are spaces.
    pub fn printable(&mut self, text: &str) -> String {
        let m = metrics();
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if m.has(c) {
                    c
                } else {
                    *self.by_char.entry(c).or_insert(0) += 1;
                    REPLACEMENT
                }
            })
            .collect()
    }
}
