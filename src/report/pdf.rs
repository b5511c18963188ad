//! The only module that touches printpdf: laid-out pages become PDF bytes with the font
//! embedded as a subset, the document information (title, author, provenance) filled in,
//! and everything that would vary between runs fixed, so the same input gives the same
//! bytes.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDateTime, Timelike};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem, WindingOrder,
};

use super::font::{FACE_INDEX, FONT_BYTES};
use super::model::Rgb;
use super::page::{Page, Prim, PAGE_H};

/// Document information written into the PDF.
#[derive(Debug, Clone)]
pub struct PdfInfo {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// Creation and modification time (local), derived from the period, not the clock.
    pub created: NaiveDateTime,
    /// The zone's offset from UTC at that time, in seconds.
    pub utc_offset_secs: i32,
    /// Extra entries for the document information dictionary (key, text).
    pub extra: Vec<(String, String)>,
}

/// The font's resource name, which printpdf also uses as the subset tag of its PDF name
/// (`HLWQYS+WenQuanYiMicroHei`): six capitals, as PDF readers expect of a subset. Fixed, so
/// the bytes do not vary between runs.
const FONT_TAG: &str = "HLWQYS";

fn parsed_font() -> &'static ParsedFont {
    static FONT: OnceLock<ParsedFont> = OnceLock::new();
    FONT.get_or_init(|| {
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(FONT_BYTES, FACE_INDEX as usize, &mut warnings)
            .expect("the shipped font parses")
    })
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(c.0) / 255.0,
        g: f32::from(c.1) / 255.0,
        b: f32::from(c.2) / 255.0,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y),
    }
}

fn path(points: &[(f32, f32)]) -> Vec<LinePoint> {
    points
        .iter()
        .map(|(x, y)| LinePoint {
            p: point(*x, *y),
            bezier: false,
        })
        .collect()
}

fn page_ops(page: &Page, font: &FontId) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.prims.len() * 4);
    for prim in &page.prims {
        match prim {
            Prim::Text {
                x,
                y,
                size,
                color: c,
                text,
            } => {
                if text.trim().is_empty() {
                    continue;
                }
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font.clone()),
                    size: Pt(*size),
                });
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::SetTextCursor { pos: point(*x, *y) });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                ops.push(Op::EndTextSection);
            }
            Prim::Fill {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                ops.push(Op::SetFillColor { col: color(*c) });
                let rect = Rect::from_xywh(Pt(*x), Pt(PAGE_H - y - h), Pt(*w), Pt(*h));
                ops.push(Op::DrawPolygon {
                    polygon: rect.to_polygon(),
                });
            }
            Prim::Line {
                points,
                color: c,
                width,
            } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: path(points),
                        is_closed: false,
                    },
                });
            }
            Prim::Shape { points, color: c } => {
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: path(points),
                        }],
                        mode: printpdf::PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
        }
    }
    ops
}

fn pdf_datetime(t: NaiveDateTime, offset_secs: i32) -> printpdf::DateTime {
    printpdf::DateTime {
        date: printpdf::Date {
            year: t.year(),
            month: t.month() as u8,
            day: t.day() as u8,
        },
        time: printpdf::Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: (offset_secs / 3600) as i8,
            minutes: ((offset_secs.abs() % 3600) / 60) as i8,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// Draws `pages` into a PDF.
pub fn render(pages: &[Page], info: &PdfInfo) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(&info.title);
    let when = pdf_datetime(info.created, info.utc_offset_secs);
    doc.metadata.info.author = info.author.clone();
    doc.metadata.info.creator = format!("hotline-ledger {}", env!("CARGO_PKG_VERSION"));
    doc.metadata.info.producer = "hotline-ledger (printpdf)".into();
    doc.metadata.info.subject = info.subject.clone();
    doc.metadata.info.keywords = info.keywords.clone();
    doc.metadata.info.creation_date = when;
    doc.metadata.info.modification_date = when;
    doc.metadata.info.metadata_date = when;
    let font_id = FontId(FONT_TAG.into());
    doc.resources
        .fonts
        .map
        .insert(font_id.clone(), PdfFont::new(parsed_font().clone()));
    let pdf_pages: Vec<PdfPage> = pages
        .iter()
        .map(|p| PdfPage::new(Mm(210.0), Mm(297.0), page_ops(p, &font_id)))
        .collect();
    doc.with_pages(pdf_pages);
    let options = PdfSaveOptions {
        subset_fonts: true,
        optimize: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.save(&options, &mut warnings);
    finish(bytes, info)
}

/// Replaces the generated file identifier with one derived from the content, and adds the
/// extra information entries.
fn finish(bytes: Vec<u8>, info: &PdfInfo) -> Result<Vec<u8>, String> {
    use lopdf::{Object, StringFormat};
    use sha2::{Digest, Sha256};
    let mut doc = lopdf::Document::load_mem(&bytes).map_err(|e| format!("PDF re-read: {e}"))?;
    let mut hasher = Sha256::new();
    hasher.update(info.title.as_bytes());
    hasher.update(info.subject.as_bytes());
    for (k, v) in &info.extra {
        hasher.update(k.as_bytes());
        hasher.update(v.as_bytes());
    }
    let id = hex::encode(&hasher.finalize()[..16]);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone().into_bytes(), StringFormat::Literal),
            Object::String(id.into_bytes(), StringFormat::Literal),
        ]),
    );
    if let Ok(info_ref) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(info_ref) {
            for (key, value) in &info.extra {
                dict.set(key.as_bytes(), Object::string_literal(utf16_text(value)));
            }
        }
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out)
        .map_err(|e| format!("PDF write: {e}"))?;
    Ok(out)
}

/// A PDF text string in UTF-16BE with a byte order mark (the form readers take for
/// non-Latin text in the document information).
fn utf16_text(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}
