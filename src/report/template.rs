//! Report templates (`report-templates/*.toml`): what a report contains and how it looks,
//! editable without recompiling. A template is checked when it is loaded: every dataset
//! and field it names must exist, every text must be a valid minijinja template over the
//! values it may use, and an error names the template's line. The file's schema, as serde
//! reads it, is in `template/spec.rs`; this file holds the checked `Template` and the checks.

use std::collections::BTreeSet;
use std::path::Path;

mod spec;

use super::data;
use super::model::{Align, ChartKind, Rgb, Style};
use spec::{ColumnSpec, File, SectionSpec};

/// The report kinds and their template files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Weekly,
    Monthly,
    Ledger,
    /// 案件单: one case on one page, attached to its warning (预警通知).
    CaseSheet,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Weekly,
        ReportKind::Monthly,
        ReportKind::Ledger,
        ReportKind::CaseSheet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Ledger => "ledger",
            ReportKind::CaseSheet => "case",
        }
    }

    pub fn file_name(self) -> String {
        format!("{}.toml", self.name())
    }

    /// The template shipped with the program, used when the templates folder has none.
    pub fn builtin(self) -> &'static str {
        match self {
            ReportKind::Weekly => include_str!("../../report-templates/weekly.toml"),
            ReportKind::Monthly => include_str!("../../report-templates/monthly.toml"),
            ReportKind::Ledger => include_str!("../../report-templates/ledger.toml"),
            ReportKind::CaseSheet => include_str!("../../report-templates/case.toml"),
        }
    }
}

pub use super::error::TemplateError;

/// A checked template.
#[derive(Debug, Clone)]
pub struct Template {
    pub kind: ReportKind,
    pub source: String,
    pub title: String,
    pub file_name: String,
    pub style: Style,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub field: String,
    pub heading: String,
    pub width: f32,
    pub align: Align,
}

#[derive(Debug, Clone)]
pub struct SeriesDef {
    pub field: String,
    pub label: String,
    pub color: Rgb,
}

#[derive(Debug, Clone)]
pub struct FigureDef {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Section {
    Figures {
        heading: Option<String>,
        figures: Vec<FigureDef>,
    },
    Paragraph {
        heading: Option<String>,
        text: String,
    },
    Table {
        heading: Option<String>,
        dataset: &'static str,
        columns: Vec<ColumnDef>,
        limit: Option<usize>,
        empty: Option<String>,
        note: Option<String>,
    },
    Chart {
        heading: Option<String>,
        dataset: &'static str,
        kind: ChartKind,
        x: String,
        series: Vec<SeriesDef>,
        height: f32,
    },
    Cases {
        heading: Option<String>,
        dataset: &'static str,
        orders: &'static str,
        title: String,
        detail: String,
        columns: Vec<ColumnDef>,
        empty: Option<String>,
        /// Handling entries listed under each case.
        handling: Option<HandlingDef>,
    },
    PageBreak,
}

/// How a case's handling entries are listed: from `dataset`, as a table of `columns`
/// under the case's heading, or (no columns) each as a line of `text` after its orders.
#[derive(Debug, Clone)]
pub struct HandlingDef {
    pub dataset: &'static str,
    pub columns: Vec<ColumnDef>,
    pub text: Option<String>,
}

/// Extra names a case title or detail may use besides the case's fields and the report's
/// values.
pub const CASE_NAMES: &[&str] = &[
    "tier_label",
    "lead_label",
    "status_label",
    "mode_label",
    "address_variants",
];

/// The line (1-based) of the `n`th `[[section]]` header, or of `needle` below it.
fn line_of(text: &str, section: usize, needle: Option<&str>) -> usize {
    let mut seen = 0;
    let mut start = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("[[section]]") {
            if seen == section {
                start = Some(i);
            } else if start.is_some() {
                break;
            }
            seen += 1;
        }
        if let (Some(s), Some(needle)) = (start, needle) {
            if i > s && line.contains(needle) {
                return i + 1;
            }
        }
    }
    start.map(|s| s + 1).unwrap_or(1)
}

fn parse_align(text: Option<&str>) -> Result<Align, String> {
    match text {
        None | Some("left") => Ok(Align::Left),
        Some("right") => Ok(Align::Right),
        Some("center") => Ok(Align::Center),
        Some(other) => Err(format!(
            "align = \"{other}\": use \"left\", \"right\" or \"center\""
        )),
    }
}

/// Renders `text` with every allowed name bound, in strict mode: an unknown name or a
/// syntax error is an error.
fn check_text(text: &str, names: &[String]) -> Result<(), String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template("t", text).map_err(|e| e.to_string())?;
    let ctx: std::collections::BTreeMap<&str, i64> =
        names.iter().map(|n| (n.as_str(), 1)).collect();
    env.get_template("t")
        .and_then(|t| t.render(ctx))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Whether `name` names a file directly inside a folder: no separator, not `.`/`..`, not
/// hidden (the `.partial-` files are), no control character.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && matches!(
            Path::new(name).components().collect::<Vec<_>>().as_slice(),
            [std::path::Component::Normal(_)]
        )
}

/// Loads every report's template and compiles every message template, so a mistake shows
/// when the program starts (`config`, `serve`, `web`) rather than on the morning a report
/// is due or when the first warning goes out.
pub fn check_all(dir: &Path) -> Result<(), TemplateError> {
    for kind in ReportKind::ALL {
        Template::load(kind, dir)?;
    }
    let names: Vec<&str> = MESSAGE_TEMPLATES.iter().map(|(name, _)| *name).collect();
    message_env(dir, &names)?;
    Ok(())
}

/// The templates of the messages (a report's mail, a warning's mail and chat message): the
/// file name in the templates folder and the built-in copy.
pub const MESSAGE_TEMPLATES: [(&str, &str); 5] = [
    (
        "mail.html",
        include_str!("../../report-templates/mail.html"),
    ),
    ("mail.txt", include_str!("../../report-templates/mail.txt")),
    (
        "notify.html",
        include_str!("../../report-templates/notify.html"),
    ),
    (
        "notify.txt",
        include_str!("../../report-templates/notify.txt"),
    ),
    (
        "notify.md",
        include_str!("../../report-templates/notify.md"),
    ),
];

/// A template's text and the name its errors cite: the file `name` in `dir` when it holds
/// one, else `builtin` ("(built-in) name"). The one loader of every template.
pub fn text_of(dir: &Path, name: &str, builtin: &str) -> Result<(String, String), TemplateError> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok((text, path.display().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::debug!("{} not found: using the built-in template", path.display());
            Ok((builtin.to_string(), format!("(built-in) {name}")))
        }
        Err(e) => Err(TemplateError {
            source_name: path.display().to_string(),
            line: 0,
            message: format!("cannot read it: {e}"),
        }),
    }
}

/// The message templates `names` (of `MESSAGE_TEMPLATES`) compiled, each from `dir` or
/// built in, HTML escaped in the .html ones.
pub fn message_env(
    dir: &Path,
    names: &[&str],
) -> Result<minijinja::Environment<'static>, TemplateError> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    for name in names {
        let builtin = MESSAGE_TEMPLATES
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| *text)
            .ok_or_else(|| TemplateError {
                source_name: (*name).to_string(),
                line: 0,
                message: "no such message template".into(),
            })?;
        let (text, source) = text_of(dir, name, builtin)?;
        env.add_template_owned((*name).to_string(), text)
            .map_err(|e| TemplateError {
                source_name: source,
                line: e.line().unwrap_or(0),
                message: e.to_string(),
            })?;
    }
    Ok(env)
}

impl Template {
    /// Loads the template of `kind` from `dir` when it holds one, else the built-in one.
    pub fn load(kind: ReportKind, dir: &Path) -> Result<Template, TemplateError> {
        let (text, source) = text_of(dir, &kind.file_name(), kind.builtin())?;
        Template::parse(kind, &text, &source)
    }

    /// Parses and checks template text; `source` names it in errors.
    pub fn parse(kind: ReportKind, text: &str, source: &str) -> Result<Template, TemplateError> {
        let error = |line: usize, message: String| TemplateError {
            source_name: source.to_string(),
            line,
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(1);
            error(line, e.message().to_string())
        })?;
        let mut scalar_names: Vec<String> = super::context::ReportContext::names();
        for def in data::DATASETS.iter().filter(|d| d.single_row) {
            scalar_names.extend(def.all_fields().iter().map(|s| s.to_string()));
        }
        let dataset = |i: usize, name: &str| -> Result<&'static data::DatasetDef, TemplateError> {
            data::find(name).filter(|d| !d.single_row).ok_or_else(|| {
                let known: Vec<&str> = data::DATASETS
                    .iter()
                    .filter(|d| !d.single_row)
                    .map(|d| d.name)
                    .collect();
                error(
                    line_of(text, i, Some(&format!("\"{name}\""))),
                    format!("unknown dataset \"{name}\" (known: {})", known.join(", ")),
                )
            })
        };
        let field = |i: usize, def: &data::DatasetDef, name: &str| -> Result<(), TemplateError> {
            if def.all_fields().contains(&name) {
                Ok(())
            } else {
                Err(error(
                    line_of(text, i, Some(&format!("\"{name}\""))),
                    format!(
                        "dataset \"{}\" has no field \"{name}\" (it has: {})",
                        def.name,
                        def.all_fields().join(", ")
                    ),
                ))
            }
        };
        let columns = |i: usize,
                       def: &data::DatasetDef,
                       specs: &[ColumnSpec]|
         -> Result<Vec<ColumnDef>, TemplateError> {
            if specs.is_empty() {
                return Err(error(
                    line_of(text, i, None),
                    "a table needs columns".into(),
                ));
            }
            specs
                .iter()
                .map(|c| {
                    field(i, def, &c.field)?;
                    let align = parse_align(c.align.as_deref()).map_err(|m| {
                        error(line_of(text, i, Some(&format!("\"{}\"", c.field))), m)
                    })?;
                    let width = c.width.unwrap_or(1.0);
                    if width <= 0.0 {
                        return Err(error(
                            line_of(text, i, Some(&format!("\"{}\"", c.field))),
                            format!("column \"{}\": width must be positive", c.field),
                        ));
                    }
                    Ok(ColumnDef {
                        field: c.field.clone(),
                        heading: c.heading.clone(),
                        width,
                        align,
                    })
                })
                .collect()
        };
        let text_ok = |i: usize, key: &str, t: &str, names: &[String]| {
            check_text(t, names).map_err(|m| {
                error(
                    line_of(text, i, Some(key)),
                    format!("{key}: not a valid text template: {m}"),
                )
            })
        };
        let mut sections = Vec::new();
        for (i, spec) in file.sections.into_iter().enumerate() {
            sections.push(match spec {
                SectionSpec::Figures { heading, figures } => {
                    let mut out = Vec::new();
                    for f in figures {
                        if !scalar_names.contains(&f.value) {
                            return Err(error(
                                line_of(text, i, Some(&format!("\"{}\"", f.value))),
                                format!(
                                    "unknown value \"{}\" (known: {})",
                                    f.value,
                                    scalar_names.join(", ")
                                ),
                            ));
                        }
                        if let Some(note) = &f.note {
                            text_ok(i, "note", note, &scalar_names)?;
                        }
                        out.push(FigureDef {
                            label: f.label,
                            value: f.value,
                            note: f.note,
                        });
                    }
                    Section::Figures {
                        heading,
                        figures: out,
                    }
                }
                SectionSpec::Paragraph { heading, text: t } => {
                    text_ok(i, "text", &t, &scalar_names)?;
                    Section::Paragraph { heading, text: t }
                }
                SectionSpec::Table {
                    heading,
                    dataset: name,
                    columns: specs,
                    limit,
                    empty,
                    note,
                } => {
                    let def = dataset(i, &name)?;
                    if let Some(n) = &note {
                        text_ok(i, "note", n, &scalar_names)?;
                    }
                    Section::Table {
                        heading,
                        dataset: def.name,
                        columns: columns(i, def, &specs)?,
                        limit,
                        empty,
                        note,
                    }
                }
                SectionSpec::Chart {
                    heading,
                    dataset: name,
                    chart,
                    x,
                    series,
                    height_mm,
                } => {
                    let def = dataset(i, &name)?;
                    let kind = match chart.as_str() {
                        "bar" => ChartKind::Bar,
                        "line" => ChartKind::Line,
                        other => {
                            return Err(error(
                                line_of(text, i, Some("chart")),
                                format!("chart = \"{other}\": use \"bar\" or \"line\""),
                            ))
                        }
                    };
                    field(i, def, &x)?;
                    let mut out = Vec::new();
                    for s in series {
                        field(i, def, &s.field)?;
                        let color = Rgb::parse(&s.color).ok_or_else(|| {
                            error(
                                line_of(text, i, Some(&s.color)),
                                format!("color \"{}\": write it as #RRGGBB", s.color),
                            )
                        })?;
                        out.push(SeriesDef {
                            field: s.field,
                            label: s.label,
                            color,
                        });
                    }
                    Section::Chart {
                        heading,
                        dataset: def.name,
                        kind,
                        x,
                        series: out,
                        height: height_mm.unwrap_or(55.0) * 72.0 / 25.4,
                    }
                }
                SectionSpec::Cases {
                    heading,
                    dataset: name,
                    orders,
                    title,
                    detail,
                    columns: specs,
                    empty,
                    handling,
                    handling_text,
                    handling_columns,
                } => {
                    let def = dataset(i, &name)?;
                    let orders_def = dataset(i, &orders)?;
                    // Orders are matched to their case by case_id.
                    field(i, def, "case_id")?;
                    field(i, orders_def, "case_id")?;
                    // A case's texts see the report's values too (the case's own
                    // fields win where a name is both).
                    let mut case_names: Vec<String> =
                        def.all_fields().iter().map(|s| s.to_string()).collect();
                    case_names.extend(CASE_NAMES.iter().map(|s| s.to_string()));
                    case_names.extend(scalar_names.iter().cloned());
                    text_ok(i, "title", &title, &case_names)?;
                    text_ok(i, "detail", &detail, &case_names)?;
                    let handling = match (handling, handling_text, handling_columns) {
                        (None, None, c) if c.is_empty() => None,
                        (Some(h), t, c) if t.is_some() || !c.is_empty() => {
                            let def = dataset(i, &h)?;
                            field(i, def, "case_id")?;
                            let names: Vec<String> =
                                def.all_fields().iter().map(|s| s.to_string()).collect();
                            if let Some(t) = &t {
                                text_ok(i, "handling_text", t, &names)?;
                            }
                            let columns = if c.is_empty() {
                                Vec::new()
                            } else {
                                columns(i, def, &c)?
                            };
                            Some(HandlingDef {
                                dataset: def.name,
                                columns,
                                text: t,
                            })
                        }
                        _ => {
                            return Err(error(
                                line_of(text, i, Some("handling")),
                                "give handling (the entries' dataset) with handling_columns or handling_text, or none of them".into(),
                            ))
                        }
                    };
                    Section::Cases {
                        heading,
                        dataset: def.name,
                        orders: orders_def.name,
                        title,
                        detail,
                        columns: columns(i, orders_def, &specs)?,
                        empty,
                        handling,
                    }
                }
                SectionSpec::PageBreak {} => Section::PageBreak,
            });
        }
        let file_name_line = text
            .lines()
            .position(|l| l.trim_start().starts_with("file_name"))
            .map(|p| p + 1)
            .unwrap_or(1);
        if !file.file_name.contains("{period}") {
            return Err(error(
                file_name_line,
                "file_name must contain {period}".into(),
            ));
        }
        if !is_plain_file_name(&file.file_name.replace("{period}", "2025-01")) {
            return Err(error(
                file_name_line,
                format!(
                    "file_name \"{}\" must be a plain file name, without folders: reports are written in paths.out",
                    file.file_name
                ),
            ));
        }
        let s = file.style;
        let mm = 72.0 / 25.4;
        for (name, v) in [
            ("title_size", s.title_size),
            ("heading_size", s.heading_size),
            ("body_size", s.body_size),
            ("table_size", s.table_size),
            ("small_size", s.small_size),
        ] {
            if !(4.0..=48.0).contains(&v) {
                return Err(error(
                    text.lines()
                        .position(|l| l.trim_start().starts_with(name))
                        .map(|p| p + 1)
                        .unwrap_or(1),
                    format!("{name} = {v}: font sizes go from 4 to 48 points"),
                ));
            }
        }
        if !(5.0..=40.0).contains(&s.margin_mm) {
            return Err(error(
                text.lines()
                    .position(|l| l.trim_start().starts_with("margin_mm"))
                    .map(|p| p + 1)
                    .unwrap_or(1),
                format!("margin_mm = {}: margins go from 5 to 40 mm", s.margin_mm),
            ));
        }
        Ok(Template {
            kind,
            source: source.to_string(),
            title: file.title,
            file_name: file.file_name,
            style: Style {
                title: s.title_size,
                heading: s.heading_size,
                body: s.body_size,
                table: s.table_size,
                small: s.small_size,
                margin: s.margin_mm * mm,
            },
            sections,
        })
    }

    /// Every dataset the template reads.
    /// Removes every table or order column showing one of `fields` (figures a setting
    /// turned off, such as the callers).
    pub fn drop_columns(&mut self, fields: &[&str]) {
        for s in &mut self.sections {
            if let Section::Table { columns, .. } | Section::Cases { columns, .. } = s {
                columns.retain(|c| !fields.contains(&c.field.as_str()));
            }
        }
    }

    pub fn datasets(&self) -> BTreeSet<&'static str> {
        let mut out = BTreeSet::new();
        for s in &self.sections {
            match s {
                Section::Table { dataset, .. } | Section::Chart { dataset, .. } => {
                    out.insert(*dataset);
                }
                Section::Cases {
                    dataset,
                    orders,
                    handling,
                    ..
                } => {
                    out.insert(*dataset);
                    out.insert(*orders);
                    if let Some(h) = handling {
                        out.insert(h.dataset);
                    }
                }
                _ => {}
            }
        }
        out
    }
}
