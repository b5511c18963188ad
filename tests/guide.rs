//! The guide for the office (docs/使用手册.md) against the program it describes: every
//! command and config key it names exists, its generated blocks are current, its
//! screenshots are built in, and every console page's 帮助 link leads to a section.
//!
//! When the messages or the defaults change, `HOTLINE_LEDGER_UPDATE_GUIDE=1 cargo test
//! --release guide` writes the generated blocks again.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use hotline_ledger::config::Config;
use hotline_ledger::guide;

fn guide_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/使用手册.md")
}

/// The text of every code span and every line of every fenced block.
fn code_texts(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut in_block = false;
    for event in Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES,
    ) {
        match event {
            Event::Code(code) => out.push(code.to_string()),
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(t) if in_block => {
                out.extend(t.lines().map(|l| l.trim().to_string()));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_guides_generated_blocks_are_current() {
    let text = std::fs::read_to_string(guide_path()).unwrap();
    assert_eq!(text, guide::TEXT, "the guide built in is the file");
    let filled = guide::fill(&text, &Config::default()).unwrap();
    if filled != text && std::env::var_os("HOTLINE_LEDGER_UPDATE_GUIDE").is_some() {
        std::fs::write(guide_path(), &filled).unwrap();
        return;
    }
    assert!(
        filled == text,
        "docs/使用手册.md's generated blocks are out of date: run HOTLINE_LEDGER_UPDATE_GUIDE=1 cargo test --release guide"
    );
    // Every refusal and every reason for setting a row aside is in it, with advice.
    for problem in hotline_ledger::ingest::FileProblem::examples() {
        assert!(text.contains(&problem.to_string()), "{problem}");
        assert!(text.contains(problem.advice().action));
    }
    for reason in hotline_ledger::codes::RejectReason::ALL {
        assert!(text.contains(reason.label()), "{reason}");
        assert!(text.contains(reason.advice().1));
    }
}

#[test]
fn every_refusal_has_its_own_advice() {
    let examples = hotline_ledger::ingest::FileProblem::examples();
    let titles: BTreeSet<&str> = examples.iter().map(|p| p.advice().title).collect();
    assert_eq!(
        titles.len(),
        examples.len(),
        "one example per kind of refusal"
    );
    let messages: BTreeSet<String> = examples.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), examples.len());
}

#[test]
fn the_settings_block_shows_the_configured_numbers() {
    let config = Config::parse(
        "[rules]\ngreen = 3\nyellow = 8\nred = 15\nquiet_days = 21\n[schedule]\nweekly = \"0 0 9 * * Fri\"\nmonthly = \"0 0 7 2 * *\"\n",
        "test",
        Path::new("."),
    )
    .unwrap();
    let block = guide::settings(&config);
    for expected in [
        "（前后两次间隔不超过 21 天）3 件及以上",
        "| 8 件及以上",
        "| 15 件及以上",
        "超过 21 天没有新投诉，预警取消",
        "每周五 09:00",
        "每月 2 日 07:00",
    ] {
        assert!(block.contains(expected), "{expected} in {block}");
    }
    let odd = Config::parse(
        "[schedule]\nweekly = \"0 0 8 * * Mon-Fri\"\n",
        "test",
        Path::new("."),
    )
    .unwrap();
    assert!(guide::settings(&odd).contains("按计划表达式 0 0 8 * * Mon-Fri"));
}

/// The subcommands and long options of `hotline-ledger <path> --help`.
fn help_of(path: &[&str]) -> (BTreeSet<String>, BTreeSet<String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_hotline-ledger"))
        .args(path)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hotline-ledger {} --help",
        path.join(" ")
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut commands = BTreeSet::new();
    let mut options = BTreeSet::new();
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') {
            section = line.trim_end_matches(':');
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if section == "Commands" {
            commands.insert(first.to_string());
        }
        for word in line.split_whitespace().take(3) {
            if let Some(long) = word.strip_prefix("--") {
                options.insert(
                    long.trim_end_matches(',')
                        .split(['=', ' ', '<'])
                        .next()
                        .unwrap()
                        .to_string(),
                );
            }
        }
    }
    (commands, options)
}

#[test]
fn every_command_the_guide_names_exists() {
    let commands: Vec<String> = code_texts(guide::TEXT)
        .into_iter()
        .filter(|c| c.starts_with("hotline-ledger ") || c == "hotline-ledger")
        .collect();
    assert!(
        commands.len() >= 5,
        "the guide names the commands an admin runs: {commands:?}"
    );
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().skip(1).collect();
        let mut path: Vec<&str> = Vec::new();
        let (mut subcommands, mut options) = help_of(&path);
        let global = options.clone();
        for word in &words {
            if let Some(long) = word.strip_prefix("--") {
                let long = long.split('=').next().unwrap();
                assert!(
                    options.contains(long) || global.contains(long),
                    "`{command}`: no option --{long} in `hotline-ledger {} --help`",
                    path.join(" ")
                );
            } else if subcommands.contains(*word) {
                path.push(word);
                (subcommands, options) = help_of(&path);
            } else if path.is_empty() {
                panic!("`{command}`: no command \"{word}\" in `hotline-ledger --help`");
            }
        }
        assert!(
            !path.is_empty() || words.iter().all(|w| w.starts_with('-')),
            "`{command}` names a command"
        );
    }
}

#[test]
fn every_config_key_the_guide_names_exists() {
    let key = |c: &str| -> Option<(String, String, bool)> {
        let array = c.starts_with("[[");
        let rest = c.strip_prefix(if array { "[[" } else { "[" })?;
        let (section, rest) = rest.split_once(if array { "]]" } else { "]" })?;
        let name = rest.trim().split([' ', '=']).next()?.to_string();
        Some((section.to_string(), name, array))
    };
    let named: Vec<String> = code_texts(guide::TEXT)
        .into_iter()
        .filter(|c| c.starts_with('['))
        .collect();
    assert!(named.len() >= 10, "the guide names config keys: {named:?}");
    for text in &named {
        let (section, name, array) =
            key(text).unwrap_or_else(|| panic!("`{text}` is not written as `[section] key`"));
        let snippet = if name.is_empty() {
            format!("[{section}]\n")
        } else if array {
            format!("[[{section}]]\n{name} = 0\n")
        } else {
            format!("[{section}]\n{name} = 0\n")
        };
        match Config::parse(&snippet, "guide", Path::new(".")) {
            Ok(_) => {}
            Err(e) => {
                let e = e.to_string();
                assert!(
                    !e.contains("unknown field") && !e.contains("unknown variant"),
                    "`{text}` is no config key: {e}"
                );
            }
        }
    }
}

#[test]
fn every_screenshot_the_guide_shows_is_built_in() {
    let mut shown = BTreeSet::new();
    let mut rest = guide::TEXT;
    while let Some(i) = rest.find("](images/") {
        let after = &rest[i + "](images/".len()..];
        let end = after.find(')').unwrap();
        shown.insert(after[..end].to_string());
        rest = &after[end..];
    }
    assert!(!shown.is_empty(), "the guide shows the console");
    for file in &shown {
        assert!(
            guide::image(file).is_some(),
            "images/{file} is not built in"
        );
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/images")
                .join(file)
                .exists(),
            "docs/images/{file}"
        );
    }
    for (name, bytes) in guide::IMAGES {
        assert!(
            shown.contains(&format!("{name}.png")),
            "{name}.png is built in but the guide does not show it"
        );
        assert!(bytes.starts_with(b"\x89PNG"), "{name} is a PNG");
    }
}

#[test]
fn every_pages_help_link_leads_to_a_section_of_the_guide() {
    for (template, anchor) in guide::SECTIONS {
        assert!(
            guide::TEXT.contains(&format!("{{#{anchor}}}")),
            "{template} links to #{anchor}, which the guide lacks"
        );
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("report-templates/web")
                .join(template)
                .exists(),
            "{template}"
        );
    }
    // The page's HTML has the anchors as ids.
    let html = guide::html(&Config::default());
    for (_, anchor) in guide::SECTIONS {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
}
