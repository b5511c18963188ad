//! The report PDFs, opened and read back: text (Chinese included) and figures that match
//! the data, masked personal data, page footers, the embedded font subset with real glyph
//! outlines, reproducible bytes and the provenance of the input files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lopdf::{Document, Object};

use crate::common::*;

/// The text of every page of a PDF, via lopdf.
pub fn pdf_pages(path: &Path) -> Vec<String> {
    let doc = Document::load(path).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|n| doc.extract_text(&[*n]).expect("text extracts"))
        .collect()
}

fn sample_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    [
        "2025-01-上半月-12345工单导出.xlsx",
        "2025-01-县热线工单.csv",
        "2025-02-工单导出.csv",
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect()
}

/// A workspace with the bundled sample inputs loaded.
fn sample_workspace() -> Workspace {
    let ws = Workspace::new();
    let files = sample_files();
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    assert_exit(&ws.run(&args), 0);
    ws
}

/// Runs `report ...` and returns the path it printed.
fn report(ws: &Workspace, args: &[&str]) -> (PathBuf, String) {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let out = ws.run(&all);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let first = text.lines().next().unwrap().to_string();
    (PathBuf::from(first.split("  (").next().unwrap()), text)
}

/// (tier, status) of every case as of `day`, from `cases --format csv`.
fn case_rows(ws: &Workspace, day: &str) -> Vec<BTreeMap<String, String>> {
    let out = ws.run(&["cases", "--as-of", day, "--format", "csv"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_weekly_report_reads_back_with_the_figures_of_the_data() {
    let ws = sample_workspace();
    let (path, _) = report(&ws, &["weekly", "--week", "2025-W05"]);
    assert!(
        path.ends_with("out/2025-W05-周报.pdf"),
        "{}",
        path.display()
    );
    let text = pdf_pages(&path).concat();
    for heading in [
        "投诉工单预警周报",
        "一、本周概况",
        "二、每日受理量",
        "九、在办预警案件及牵头责任",
        "数据来源与生成信息",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    assert!(text.contains("2025年第5周（1月27日—2月2日）"));
    let received = ws.count(
        "SELECT count(*) FROM work_orders WHERE received_at >= '2025-01-27' AND received_at < '2025-02-03'",
    );
    assert!(
        text.contains(&format!("共受理投诉工单{received}件")),
        "{text}"
    );
    let cases = case_rows(&ws, "2025-02-02");
    let active: Vec<_> = cases.iter().filter(|c| c["status"] != "cleared").collect();
    assert!(
        text.contains(&format!("截至周末在办预警案件{}件", active.len())),
        "{text}"
    );
    // Every active case is listed with its lead.
    for c in &active {
        assert!(text.contains(&c["case_id"]), "{}", c["case_id"]);
    }
    let red = active
        .iter()
        .find(|c| c["tier"] == "red")
        .expect("the sample has a red case");
    assert!(text.contains(&red["case_id"]));
    assert!(text.contains("大队长"));
}

#[test]
fn the_monthly_review_tells_the_month_in_the_squads_words() {
    let ws = sample_workspace();
    let (path, _) = report(&ws, &["monthly", "--month", "2025-01"]);
    assert!(path.ends_with("out/2025-01-月度复盘.pdf"));
    let text = pdf_pages(&path).concat().replace('\n', "");
    let cases = case_rows(&ws, "2025-01-31");
    let registered: Vec<_> = cases
        .iter()
        .filter(|c| c["registered_at"].starts_with("2025-01"))
        .collect();
    let count = |tier: &str| registered.iter().filter(|c| c["tier"] == tier).count();
    let mut tiers = Vec::new();
    for (tier, label) in [
        ("green", "绿色预警案件"),
        ("yellow", "黄色预警案件"),
        ("red", "红色预警案件"),
    ] {
        if count(tier) > 0 {
            tiers.push(format!("{label}{}件", count(tier)));
        }
    }
    let sentence = format!("2025年1月共登记{}", tiers.join("、"));
    assert!(text.contains(&sentence), "{sentence} not in {text}");
    for heading in [
        "一、总体情况",
        "三、近12个月趋势",
        "五、重复投诉较多的诉求对象",
        "六、分级分类处置",
        "七、各牵头人在办案件",
        "八、数据质量",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    let received = ws.count(
        "SELECT count(*) FROM work_orders WHERE received_at >= '2025-01-01' AND received_at < '2025-02-01'",
    );
    assert!(text.contains(&format!("2025年1月共受理投诉工单{received}件")));
}

#[test]
fn no_full_phone_number_appears_unless_asked_for() {
    let ws = sample_workspace();
    let phones = ws.phones();
    assert!(phones.len() > 100);
    let mut texts = String::new();
    for args in [
        vec!["weekly", "--week", "2025-W05"],
        vec!["monthly", "--month", "2025-01"],
        vec!["ledger", "--as-of", "2025-02-28"],
    ] {
        let (path, _) = report(&ws, &args);
        texts.push_str(&pdf_pages(&path).concat());
        let raw = std::fs::read(&path).unwrap();
        for p in &phones {
            assert!(
                !raw.windows(p.len()).any(|w| w == p.as_bytes()),
                "{p} in the raw PDF"
            );
        }
    }
    for p in &phones {
        assert!(!texts.contains(p.as_str()), "{p} appears unmasked");
    }
    // The ledger shows the masked form.
    assert!(
        texts.contains(&format!("{}****{}", &phones[0][..3], &phones[0][7..]))
            || texts.contains("****")
    );
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-02-28", "--unmasked"]);
    let text = pdf_pages(&path).concat();
    assert!(
        phones.iter().any(|p| text.contains(p.as_str())),
        "--unmasked shows numbers"
    );
    assert!(text.contains("未脱敏"));
}

#[test]
fn a_long_ledger_spans_pages_with_right_footers_and_repeated_headers() {
    let ws = Workspace::new();
    let file = ws.path("many.csv");
    let mut rows = vec![HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for s in 0..70 {
        for k in 0..6 {
            rows.push(vec![
                format!("M{s:03}-{k}"),
                format!("2025-01-{:02} 0{k}:00", 10 + s % 15),
                "噪音扰民".into(),
                format!("星沙街道开元东路{s}号某某商场"),
                "12345热线".into(),
                format!("139{s:04}{k:04}"),
                "处理中".into(),
                String::new(),
            ]);
        }
    }
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let pages = pdf_pages(&path);
    assert!(pages.len() >= 5, "{} pages", pages.len());
    let doc = Document::load(&path).unwrap();
    assert_eq!(doc.get_pages().len(), pages.len());
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("第 {} 页 / 共 {} 页", n + 1, pages.len())),
            "page {} footer: {page}",
            n + 1
        );
        assert!(page.contains("生成时间 2025年2月1日 00:00"));
        if n > 0 {
            // Orders tables continue with their header row.
            assert!(
                page.contains("工单编号"),
                "page {} lacks the table header",
                n + 1
            );
        }
    }
    let text = pages.concat();
    assert!(text.matches("M0").count() >= 70 * 6);
    // Times in Chinese form.
    assert!(text.contains("2025年1月10日 00:00"), "{}", &pages[1]);
    assert!(text.contains("共70件"), "{}", &pages[0]);
}

/// The pages (0-based) with a text run that reads `text`.
fn pages_with(pages: &[hotline_ledger::report::page::Page], text: &str) -> Vec<usize> {
    use hotline_ledger::report::page::Prim;
    let has = |page: &hotline_ledger::report::page::Page| {
        page.prims
            .iter()
            .any(|prim| matches!(prim, Prim::Text { text: t, .. } if t == text))
    };
    (0..pages.len()).filter(|&n| has(&pages[n])).collect()
}

#[test]
fn a_case_heading_never_ends_a_page_with_its_table_on_the_next() {
    use hotline_ledger::report::font::MissingGlyphs;
    use hotline_ledger::report::layout::layout;
    use hotline_ledger::report::model::{
        Align, Block, Cell, Frame, Rgb, Style, TableBlock, TableColumn,
    };
    let column = |heading: &str| TableColumn {
        heading: heading.into(),
        width: 1.0,
        align: Align::Left,
    };
    let table = |first: &str| TableBlock {
        columns: vec![column("工单编号"), column("受理时间")],
        rows: (0..3)
            .map(|i| {
                vec![
                    Cell::Text(format!("{first}{i}")),
                    Cell::Text("2025年1月10日 00:00".into()),
                ]
            })
            .collect(),
    };
    let frame = Frame {
        header_left: "大队".into(),
        header_right: "台账".into(),
        footer_right: String::new(),
    };
    let title = "GD-A · 大队长牵头 · 处置中";
    let detail = "噪音扰民 | 星沙街道开元东路18号 | 投诉12件";
    // After text of every length from none to two pages, so that the headings fall at every
    // place on a page: a case as the ledger lays it out (its heading and detail line, then
    // its orders), and a plain heading with a table.
    let mut started_a_page = 0;
    for filler in 1..120 {
        let lines: Vec<String> = (0..filler).map(|n| format!("第{n}行")).collect();
        let blocks = vec![
            Block::Paragraph(lines.join("\n")),
            Block::KeepWithNext(Box::new(Block::BadgeHeading {
                badge: "黄色预警".into(),
                fill: Rgb(0xF9, 0xA8, 0x25),
                ink: Rgb::BLACK,
                text: title.into(),
            })),
            Block::KeepWithNext(Box::new(Block::Paragraph(detail.into()))),
            Block::Table(table("A")),
            Block::Paragraph(lines.join("\n")),
            Block::Heading("数据来源与生成信息".into()),
            Block::Table(table("B")),
        ];
        let mut missing = MissingGlyphs::default();
        let pages = layout(&blocks, &frame, &Style::default(), &mut missing);
        let page = |text: &str| pages_with(&pages, text)[0];
        assert_eq!(
            (page(title), page(detail)),
            (page("A0"), page("A0")),
            "after {filler} lines: the case heading and detail line are on pages {} and {}, \
             its first order on page {}",
            page(title) + 1,
            page(detail) + 1,
            page("A0") + 1
        );
        assert_eq!(
            page("数据来源与生成信息"),
            page("B0"),
            "after {filler} lines"
        );
        let last_line = *pages_with(&pages, &format!("第{}行", filler - 1))
            .first()
            .unwrap();
        if page(title) > last_line {
            started_a_page += 1;
        }
    }
    // Some of those cases went to the next page, away from the text before them.
    assert!(started_a_page > 0);
}

/// The bytes of the embedded font program and the subset tag of its name.
fn embedded_font(doc: &Document) -> (String, Vec<u8>) {
    for (_, object) in doc.objects.iter() {
        if let Ok(dict) = object.as_dict() {
            if let Ok(file) = dict.get(b"FontFile2") {
                let id = file.as_reference().unwrap();
                let stream = doc.get_object(id).unwrap().as_stream().unwrap();
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                let name =
                    String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap())
                        .into_owned();
                return (name, data);
            }
        }
    }
    panic!("no embedded TrueType font");
}

/// The glyph ids shown on every page (two-byte codes of Identity-H text).
fn glyphs_used(doc: &Document) -> BTreeSet<u16> {
    let mut out = BTreeSet::new();
    for (_, page_id) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page_id).unwrap();
        for op in content.operations {
            let mut strings = Vec::new();
            match op.operator.as_str() {
                "Tj" => strings.extend(op.operands.iter().cloned()),
                "TJ" => {
                    if let Some(Object::Array(items)) = op.operands.first() {
                        strings.extend(items.iter().cloned());
                    }
                }
                _ => {}
            }
            for s in strings {
                if let Object::String(bytes, _) = s {
                    for pair in bytes.chunks(2) {
                        if pair.len() == 2 {
                            out.insert(u16::from_be_bytes([pair[0], pair[1]]));
                        }
                    }
                }
            }
        }
    }
    out
}

/// glyph id → text, from the font's ToUnicode map.
fn to_unicode(doc: &Document) -> BTreeMap<u16, String> {
    let mut out = BTreeMap::new();
    for (_, object) in doc.objects.iter() {
        if let Ok(dict) = object.as_dict() {
            if let Ok(map) = dict.get(b"ToUnicode") {
                let stream = doc
                    .get_object(map.as_reference().unwrap())
                    .unwrap()
                    .as_stream()
                    .unwrap();
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                let text = String::from_utf8_lossy(&data).into_owned();
                for line in text.lines() {
                    let hexes: Vec<&str> = line
                        .split(['<', '>'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit()))
                        .collect();
                    if hexes.len() == 2 {
                        let gid = u16::from_str_radix(hexes[0], 16).unwrap();
                        let units: Vec<u16> = (0..hexes[1].len() / 4)
                            .map(|i| u16::from_str_radix(&hexes[1][i * 4..i * 4 + 4], 16).unwrap())
                            .collect();
                        out.insert(gid, String::from_utf16_lossy(&units));
                    }
                }
            }
        }
    }
    out
}

struct Bounds(bool);
impl ttf_parser::OutlineBuilder for Bounds {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {
        self.0 = true;
    }
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
        self.0 = true;
    }
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
        self.0 = true;
    }
    fn close(&mut self) {}
}

#[test]
fn the_font_is_a_subset_whose_used_glyphs_all_have_outlines() {
    let ws = sample_workspace();
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-02-28"]);
    let doc = Document::load(&path).unwrap();
    let (name, font) = embedded_font(&doc);
    assert!(name.starts_with("HLWQYS+"), "{name}");
    assert!(font.len() < 600_000, "{} bytes: not a subset", font.len());
    let face = ttf_parser::Face::parse(&font, 0).expect("the embedded font parses");
    let full =
        ttf_parser::Face::parse(include_bytes!("../assets/fonts/wqy-microhei.ttc"), 0).unwrap();
    assert!(face.number_of_glyphs() < full.number_of_glyphs() / 10);
    let used = glyphs_used(&doc);
    let unicode = to_unicode(&doc);
    assert!(used.len() > 100, "{} glyphs", used.len());
    let mut checked = 0;
    for gid in used {
        let text = unicode.get(&gid).cloned().unwrap_or_default();
        if text.chars().all(char::is_whitespace) && !text.is_empty() {
            continue;
        }
        let mut bounds = Bounds(false);
        let outline = face.outline_glyph(ttf_parser::GlyphId(gid), &mut bounds);
        assert!(
            outline.is_some() && bounds.0,
            "glyph {gid} ({text:?}) has no outline"
        );
        checked += 1;
    }
    assert!(checked > 100);
    // Chinese text reads back through the font's ToUnicode map.
    assert!(pdf_pages(&path).concat().contains("投诉工单处置台账"));
}

#[test]
fn the_same_command_gives_the_same_bytes_and_names_its_inputs() {
    let ws = sample_workspace();
    let (path, _) = report(&ws, &["weekly", "--week", "2025-W05"]);
    let first = std::fs::read(&path).unwrap();
    let (again, _) = report(&ws, &["weekly", "--week", "2025-W05"]);
    assert_eq!(path, again);
    assert_eq!(
        first,
        std::fs::read(&again).unwrap(),
        "a rerun must give identical bytes"
    );
    // In one process too, twice in a row.
    let config = ws.config();
    let store = ws.store();
    let window = hotline_ledger::report::Window::week(
        hotline_ledger::period::Period::parse_week("2025-W05").unwrap(),
    );
    let render = || {
        hotline_ledger::report::render(
            &store,
            &config,
            hotline_ledger::report::ReportKind::Weekly,
            &window,
            Default::default(),
        )
        .unwrap()
        .bytes
    };
    let a = render();
    let b = render();
    assert_eq!(a, b);
    assert_eq!(a, first);
    let text = pdf_pages(&path).concat();
    let db = ws.db();
    let sha: String = db
        .query_row(
            "SELECT sha256 FROM ingested_files WHERE file_name = '2025-01-县热线工单.csv'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        text.contains(&sha),
        "the provenance names the export's hash"
    );
    assert!(text.contains("规则:绿色预警≥5件,黄色预警≥10件,红色预警≥20件;静默期30天"));
    // The provenance is in the document information too.
    let doc = Document::load(&path).unwrap();
    let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_object(info_id).unwrap().as_dict().unwrap();
    let Object::String(bytes, _) = info.get(b"HotlineLedgerProvenance").unwrap() else {
        panic!("provenance is a string");
    };
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    let json: serde_json::Value =
        serde_json::from_str(&String::from_utf16(&units).unwrap()).unwrap();
    assert_eq!(json["as_of"], "2025-02-03 00:00:00");
    assert!(json["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["sha256"] == sha.as_str()));
}

#[test]
fn suspect_data_is_flagged_on_the_first_page() {
    let ws = sample_workspace();
    // The data ends on 2025-02-28: a report for late March has seen no export for weeks.
    let (path, out) = report(&ws, &["weekly", "--week", "2025-W12"]);
    let first = &pdf_pages(&path)[0];
    assert!(first.contains("数据可能不完整"), "{first}");
    assert!(out.contains("note: 数据可能不完整"));
    // More than 5% of a period's rows rejected.
    let ws = Workspace::new();
    let file = ws.path("bad.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "B1",
                "2025-01-06 08:00",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "B2",
                "2025-01-06 09:00",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
            order(
                "",
                "2025-01-06 10:00",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            ),
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let (path, _) = report(&ws, &["weekly", "--week", "2025-W02"]);
    let first = &pdf_pages(&path)[0];
    assert!(first.contains("数据质量提示"), "{first}");
    assert!(first.contains("33.3%"), "{first}");
}

#[test]
fn a_character_the_font_lacks_is_counted_not_a_silent_box() {
    let ws = Workspace::new();
    let file = ws.path("rare.csv");
    let rows: Vec<Vec<&str>> = std::iter::once(HEADER.to_vec())
        .chain((0..5).map(|k| {
            order(
                ["R1", "R2", "R3", "R4", "R5"][k],
                [
                    "2025-01-06 08:00",
                    "2025-01-06 09:00",
                    "2025-01-06 10:00",
                    "2025-01-06 11:00",
                    "2025-01-06 12:00",
                ][k],
                "噪音扰民",
                "星沙街道𠮷祥路1号",
                "处理中",
                "",
            )
        }))
        .collect();
    write_utf8(&file, &rows);
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let out = ws.run(&["report", "ledger", "--as-of", "2025-01-31"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("character(s) not in the report font were printed as '?'"));
    let path = PathBuf::from(
        stdout(&out)
            .lines()
            .next()
            .unwrap()
            .split("  (")
            .next()
            .unwrap(),
    );
    let text = pdf_pages(&path).concat();
    assert!(text.contains("星沙街道?祥路1号"), "{text}");
    assert!(text.contains("字库缺字"), "{text}");
}

#[test]
fn the_shipped_templates_name_real_datasets_whose_fields_match_their_queries() {
    use hotline_ledger::report::{data, template};
    for kind in template::ReportKind::ALL {
        template::Template::parse(kind, kind.builtin(), kind.name()).unwrap();
    }
    let ws = sample_workspace();
    let config = ws.config();
    let store = ws.store();
    let window = hotline_ledger::report::Window::week(
        hotline_ledger::period::Period::parse_week("2025-W05").unwrap(),
    );
    hotline_ledger::report::render(
        &store,
        &config,
        template::ReportKind::Weekly,
        &window,
        Default::default(),
    )
    .unwrap();
    for def in data::DATASETS {
        let stmt = store
            .conn()
            .prepare(def.sql)
            .unwrap_or_else(|e| panic!("{}: {e}", def.name));
        let mut stmt = stmt;
        stmt.execute([]).ok();
        let names: Vec<String> = stmt.column_names();
        assert_eq!(names, def.fields, "dataset {}", def.name);
    }
}

#[test]
fn a_bad_template_is_refused_with_its_line() {
    use hotline_ledger::report::template::{ReportKind, Template};
    let base =
        "title = \"周报\"\nfile_name = \"{period}-周报.pdf\"\n\n[[section]]\ntype = \"table\"\n";
    let err = |t: &str| {
        Template::parse(ReportKind::Weekly, t, "weekly.toml")
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(&format!("{base}dataset = \"by_catgory\"\ncolumns = [{{ field = \"category\", heading = \"类型\" }}]\n")),
        "report template weekly.toml, line 6: unknown dataset \"by_catgory\" (known: by_category, by_channel, by_street, daily, monthly_trend, cases_new, cases_escalated, cases_cleared, cases_active, cases_recurring, top_subjects, handling_modes, rejected, rejected_reasons, ledger_cases, ledger_orders, open_by_lead, handling_latest, handling_all, sheet_case, sheet_orders)"
    );
    assert_eq!(
        err(&format!("{base}dataset = \"by_category\"\ncolumns = [\n  {{ field = \"categry\", heading = \"类型\" }},\n]\n")),
        "report template weekly.toml, line 8: dataset \"by_category\" has no field \"categry\" (it has: category, received, received_prev, change)"
    );
    let jinja = "title = \"周报\"\nfile_name = \"{period}.pdf\"\n[[section]]\ntype = \"paragraph\"\ntext = \"本周{{ recieved }}件\"\n";
    assert!(
        err(jinja).starts_with(
            "report template weekly.toml, line 5: text: not a valid text template: undefined value"
        ),
        "{}",
        err(jinja)
    );
    let typo = "title = \"周报\"\nfile_name = \"{period}.pdf\"\n[[section]]\ntype = \"paragraph\"\ntxt = \"x\"\n";
    assert!(
        err(typo).starts_with("report template weekly.toml, line "),
        "{}",
        err(typo)
    );
    assert!(err(typo).contains("unknown field `txt`"), "{}", err(typo));
}

#[test]
fn rejected_rows_of_a_file_with_no_usable_row_reach_the_reports() {
    let ws = Workspace::new();
    let file = ws.path("all-bad.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order("AB1", "明天", "噪音扰民", "星沙街道1号", "处理中", ""),
        ],
    );
    // Loaded (its row kept as rejected), but nothing usable: not a success.
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 1);
    // The file has no dates: it counts in the month it was loaded, in the configured zone.
    let month = hotline_ledger::clock::now(&ws.config())
        .format("%Y-%m")
        .to_string();
    let (path, _) = report(&ws, &["monthly", "--month", &month]);
    let text = pdf_pages(&path).concat();
    assert!(text.contains("共读取1行,拒收1行"), "{text}");
    assert!(text.contains("日期时间无法识别"), "{text}");
}

/// Writes one handling entry at a given time, as the console does at its own time.
fn handle(ws: &Workspace, case_id: &str, measures: &str, result: &str, at: &str) {
    let entry = hotline_ledger::handling::NewEntry {
        measures: measures.into(),
        responsible: "执法一中队".into(),
        result: result.into(),
        return_visit: String::new(),
    };
    let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap();
    hotline_ledger::handling::add(&ws.store(), case_id, 5, &entry, "办公室", at).unwrap();
}

#[test]
fn reports_name_the_leads_and_show_the_latest_handling_before_their_date() {
    let ws = sample_workspace();
    let cases = case_rows(&ws, "2025-01-31");
    let open: Vec<_> = cases.iter().filter(|c| c["status"] != "cleared").collect();
    let pick = |tier: &str| {
        open.iter()
            .find(|c| c["tier"] == tier)
            .unwrap_or_else(|| panic!("the samples have an open {tier} case on 2025-01-31"))
    };
    let (red, yellow, green) = (pick("red"), pick("yellow"), pick("green"));
    let street = |c: &BTreeMap<String, String>| ws.order_field(&c["case_id"], "street");
    // The deputy covers the yellow case's street; the group leader covers no street of the
    // green case, so it keeps the role alone.
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    std::fs::write(
        &ws.config_path,
        format!(
            "{text}\n[leads]\ncaptain = {{ name = \"张大成\" }}\ndeputies = [{{ name = \"李副远\", streets = [\"{}\"] }}]\ngroup_leaders = [{{ name = \"王组平\", streets = [\"不存在街道{}\"] }}]\n",
            street(yellow),
            street(green)
        ),
    )
    .unwrap();
    let red_id = red["case_id"].as_str();
    handle(&ws, red_id, "第一次上门劝导", "已劝导", "2025-01-20 09:00");
    handle(
        &ws,
        red_id,
        "联合社区约谈经营者,投诉人13812345678已告知",
        "已整改",
        "2025-01-25 15:30",
    );
    handle(&ws, red_id, "二月复查回访", "未复发", "2025-02-10 10:00");

    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let pages = pdf_pages(&path);
    let ledger = pages.concat().replace('\n', "");
    assert!(
        ledger.contains(&format!("{red_id} · 大队长 张大成牵头")),
        "{ledger}"
    );
    // The handling record is a table under its case's heading, on the heading's page,
    // before the case's orders.
    let page = pages
        .iter()
        .map(|p| p.replace('\n', ""))
        .find(|p| p.contains(&format!("{red_id} · 大队长")))
        .expect("the red case's page");
    let heading = page.find(&format!("{red_id} · 大队长")).unwrap();
    let table = page
        .find("处置记录时间")
        .expect("the handling table's heading");
    let measures = page
        .find("联合社区约谈经营者")
        .expect("the entry on the case's page");
    let orders = page[heading..].find("工单编号").map(|at| at + heading);
    assert!(heading < table && table < measures, "{page}");
    assert!(orders.is_none_or(|o| measures < o), "{page}");
    assert!(ledger.contains(&format!("{} · 副大队长 李副远牵头", yellow["case_id"])));
    assert!(ledger.contains(&format!("{} · 组长牵头", green["case_id"])));
    assert!(ledger.contains("联合社区约谈经营者"), "{ledger}");
    assert!(
        ledger.contains("2025年1月25日 15:30办公室联合社区约谈经营者"),
        "{ledger}"
    );
    // Masked like every free text; an older entry and a later one are not shown.
    assert!(!ledger.contains("13812345678"));
    assert!(ledger.contains("138****5678"), "{ledger}");
    assert!(!ledger.contains("第一次上门劝导"));
    assert!(!ledger.contains("二月复查回访"));

    // The template may list the whole record instead, oldest first.
    let templates = ws.path("report-templates");
    std::fs::create_dir_all(&templates).unwrap();
    let builtin = hotline_ledger::report::template::ReportKind::Ledger.builtin();
    let all = builtin.replace(
        "handling = \"handling_latest\"",
        "handling = \"handling_all\"",
    );
    assert_ne!(all, builtin);
    std::fs::write(templates.join("ledger.toml"), all).unwrap();
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let ledger = pdf_pages(&path).concat().replace('\n', "");
    let first = ledger
        .find("第一次上门劝导")
        .expect("the first entry is listed");
    let second = ledger
        .find("联合社区约谈经营者")
        .expect("the second is listed");
    assert!(first < second);
    assert!(!ledger.contains("二月复查回访"));
    // Or each entry as a line of its own words after the case's orders.
    let start = builtin.find("handling_columns = [").unwrap();
    let end = start + builtin[start..].find("\n]").unwrap() + 2;
    let lines = format!(
        "{}handling_text = \"处置记录（{{{{ written_at }}}}，{{{{ author }}}}记）：{{{{ measures }}}}\"{}",
        &builtin[..start],
        &builtin[end..]
    );
    std::fs::write(templates.join("ledger.toml"), &lines).unwrap();
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let ledger = pdf_pages(&path).concat().replace('\n', "");
    assert!(
        ledger.contains("处置记录（2025年1月25日 15:30，办公室记）：联合社区约谈经营者"),
        "{ledger}"
    );
    // A dataset of entries with neither says what is missing.
    let neither = lines.replace(
        "handling_text = \"处置记录（{{ written_at }}，{{ author }}记）：{{ measures }}\"",
        "",
    );
    assert_ne!(neither, lines);
    std::fs::write(templates.join("ledger.toml"), neither).unwrap();
    let out = ws.run(&["report", "ledger", "--as-of", "2025-01-31"]);
    assert!(
        stderr(&out).contains(
            "give handling (the entries' dataset) with handling_columns or handling_text"
        ),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(templates.join("ledger.toml")).unwrap();

    // The monthly review lists the open cases per named lead, captain first.
    let (path, _) = report(&ws, &["monthly", "--month", "2025-01"]);
    let review = pdf_pages(&path).concat();
    let section = &review[review.find("七、各牵头人在办案件").expect("the section")..];
    let section = &section[..section.find("八、数据质量").expect("next section")];
    let flat = section.replace('\n', "");
    let captain = flat.find("大队长 张大成").expect("the captain is named");
    let deputy = flat.find("副大队长 李副远").expect("the deputy is named");
    assert!(captain < deputy, "{section}");
    assert!(section.contains(red_id) && section.contains(&yellow["case_id"]));
    assert!(flat.contains("联合社区约谈"), "{section}");
    // Every open case at the month's end is listed once.
    for c in &open {
        assert_eq!(
            section.matches(c["case_id"].as_str()).count(),
            1,
            "{}",
            c["case_id"]
        );
    }

    // The weekly report's lead column names them too.
    let (path, _) = report(&ws, &["weekly", "--week", "2025-W05"]);
    let weekly = pdf_pages(&path).concat().replace('\n', "");
    assert!(
        weekly.contains("大队长 张大成") && weekly.contains("副大队长 李副远"),
        "{weekly}"
    );
}

#[test]
fn a_handling_record_stays_with_its_case_when_its_id_moves_and_when_it_is_separated() {
    let ws = Workspace::new();
    let file = ws.path("orders.csv");
    let mut text = String::from("工单编号,受理时间,诉求类型,事发地址\n");
    for i in 0..5 {
        text.push_str(&format!("A{i},2025-01-1{i} 10:00:00,噪声扰民,大塘花园\n"));
        text.push_str(&format!("B{i},2025-01-1{i} 11:00:00,噪声扰民,大墉花园\n"));
    }
    std::fs::write(&file, text).unwrap();
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let cases = |ws: &Workspace| -> Vec<(String, String, String)> {
        case_rows(ws, "2025-01-31")
            .into_iter()
            .map(|c| (c["case_id"].clone(), c["tier"].clone(), c["count"].clone()))
            .collect()
    };
    // Two spellings an admin joins: one yellow case of 10, opened by A0.
    assert_exit(&ws.run(&["subjects", "merge", "A0", "B0"]), 0);
    assert_eq!(cases(&ws), [("A0".into(), "yellow".into(), "10".into())]);
    handle(&ws, "A0", "联合社区上门劝导", "已劝导", "2025-01-20 09:00");
    // No entry for an order that opens no case.
    let entry = hotline_ledger::handling::NewEntry {
        measures: "x".into(),
        ..Default::default()
    };
    let at = chrono::NaiveDateTime::parse_from_str("2025-01-20 09:00", "%Y-%m-%d %H:%M").unwrap();
    for not_a_case in ["A1", "无此工单"] {
        let err = hotline_ledger::handling::add(&ws.store(), not_a_case, 5, &entry, "办公室", at)
            .expect_err("not a case");
        assert!(err.to_string().contains("is not a case's id"), "{err}");
    }
    assert_eq!(ws.count("SELECT count(*) FROM case_handling"), 1);

    // An earlier complaint about the place arrives late: the case's id moves to it, and the
    // record moves with the case.
    let late = ws.path("late.csv");
    std::fs::write(
        &late,
        "工单编号,受理时间,诉求类型,事发地址\nL0,2025-01-09 09:00:00,噪声扰民,大塘花园\n",
    )
    .unwrap();
    assert_exit(&ws.run(&["ingest", late.to_str().unwrap()]), 0);
    assert_eq!(cases(&ws), [("L0".into(), "yellow".into(), "11".into())]);
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let ledger = pdf_pages(&path).concat().replace('\n', "");
    assert!(ledger.contains("L0 · "), "{ledger}");
    assert_eq!(ledger.matches("联合社区上门劝导").count(), 1, "{ledger}");
    let entries = hotline_ledger::handling::of_case(&ws.store(), "L0").unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].case_id.as_str(), entries[0].shared),
        ("A0", false)
    );

    // The join undone: two green cases, and the record written before belongs to both, said
    // so.
    assert_exit(&ws.run(&["subjects", "undo", "1"]), 0);
    let mut now = cases(&ws);
    now.sort();
    assert_eq!(
        now,
        [
            ("B0".into(), "green".into(), "5".into()),
            ("L0".into(), "green".into(), "6".into())
        ]
    );
    let (path, _) = report(&ws, &["ledger", "--as-of", "2025-01-31"]);
    let ledger = pdf_pages(&path).concat().replace('\n', "");
    assert_eq!(ledger.matches("联合社区上门劝导").count(), 2, "{ledger}");
    for id in ["B0", "L0"] {
        let entries = hotline_ledger::handling::of_case(&ws.store(), id).unwrap();
        assert_eq!(entries.len(), 1, "{id}");
        assert!(entries[0].shared, "{id}");
    }
}
