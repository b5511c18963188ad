//! Exit statuses and messages that say what happened: a report template that would write
//! outside paths.out or names an unknown dataset is refused when the program starts, a file
//! whose rows were all rejected is not a success, a killed job is not "running" forever,
//! and logs carry no colour codes off a terminal.

use crate::common::*;

/// A workspace whose config points paths.templates at `templates/`, holding `weekly`.
fn with_weekly_template(weekly: &str) -> Workspace {
    let ws = Workspace::new();
    let text = std::fs::read_to_string(&ws.config_path).unwrap();
    std::fs::write(
        &ws.config_path,
        text.replace(
            "out = \"out\"\n",
            "out = \"out\"\ntemplates = \"templates\"\n",
        ),
    )
    .unwrap();
    std::fs::create_dir_all(ws.path("templates")).unwrap();
    std::fs::write(ws.path("templates/weekly.toml"), weekly).unwrap();
    ws
}

fn builtin_weekly() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/weekly.toml");
    std::fs::read_to_string(path).unwrap()
}

/// `config` and `serve` both refuse to start with `message` (exit 2).
fn refused_at_start(ws: &Workspace, message: &str) {
    for args in [&["config"][..], &["serve"]] {
        let out = ws.run(args);
        assert_exit(&out, 2);
        assert_eq!(stderr(&out), format!("error: {message}\n"), "{args:?}");
    }
}

#[test]
fn a_template_file_name_that_leaves_paths_out_is_refused_at_start() {
    for bad in [
        "../../x-{period}.pdf",
        "sub/{period}.pdf",
        "/tmp/{period}.pdf",
        ".{period}.pdf",
    ] {
        let text = builtin_weekly().replace(
            "file_name = \"{period}-周报.pdf\"",
            &format!("file_name = \"{bad}\""),
        );
        let ws = with_weekly_template(&text);
        let line = text
            .lines()
            .position(|l| l.starts_with("file_name"))
            .unwrap()
            + 1;
        refused_at_start(
            &ws,
            &format!(
                "report template {}, line {line}: file_name \"{bad}\" must be a plain file name, without folders: reports are written in paths.out",
                ws.path("templates/weekly.toml").display()
            ),
        );
    }
}

#[test]
fn a_template_naming_an_unknown_dataset_is_refused_at_start() {
    let text = builtin_weekly().replacen("dataset = \"daily\"", "dataset = \"dialy\"", 1);
    let ws = with_weekly_template(&text);
    let out = ws.run(&["config"]);
    assert_exit(&out, 2);
    let expected = format!(
        "error: report template {}, line ",
        ws.path("templates/weekly.toml").display()
    );
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(": unknown dataset \"dialy\" (known: "),
        "{}",
        stderr(&out)
    );
    assert_exit(&ws.run(&["serve"]), 2);
}

#[test]
fn a_broken_gazetteer_is_named_before_anything_runs() {
    let ws = Workspace::with_config("[subjects]\ngazetteer = \"places.txt\"\n");
    std::fs::write(ws.path("places.txt"), "road 开元东路\nroad\n").unwrap();
    let expected = format!(
        "error: subjects.gazetteer: {}, line 2: \"road\" has a kind but no name (write e.g. \"road 开元东路\")\n",
        ws.path("places.txt").display()
    );
    refused_at_start(&ws, expected.trim_start_matches("error: ").trim_end());
    // Loading would group complaints into subjects with it: refused before a row is read.
    write_one_order(&ws.path("a.csv"), "GD001");
    let out = ws.run(&["ingest", ws.path("a.csv").to_str().unwrap()]);
    assert_exit(&out, 2);
    assert_eq!(stderr(&out), expected);
    assert!(!ws.path("db/hotline.duckdb").exists());
}

#[test]
fn a_broken_message_template_is_refused_at_start() {
    for name in ["mail.html", "notify.md"] {
        let ws = with_weekly_template(&builtin_weekly());
        std::fs::write(ws.path(&format!("templates/{name}")), "{% if %}\n").unwrap();
        for args in [&["config"][..], &["serve"]] {
            let out = ws.run(args);
            assert_exit(&out, 2);
            let expected = format!(
                "error: report template {}, line 1: ",
                ws.path(&format!("templates/{name}")).display()
            );
            assert!(
                stderr(&out).starts_with(&expected),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn a_configured_templates_folder_that_does_not_exist_is_an_error() {
    let ws = with_weekly_template(&builtin_weekly());
    std::fs::remove_dir_all(ws.path("templates")).unwrap();
    let out = ws.run(&["config"]);
    assert_exit(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "error: config file {}: key `paths.templates`: the folder {} does not exist: create it, or remove the key to use the built-in templates\n",
            ws.config_path.display(),
            ws.path("templates").display()
        )
    );
    // The default folder may be absent: the built-in templates serve.
    assert_exit(&Workspace::new().run(&["config"]), 0);
}

#[test]
fn a_file_whose_rows_are_all_rejected_is_not_a_success() {
    let ws = Workspace::new();
    let file = ws.path("all-bad.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order("R1", "不是日期", "噪音扰民", "星沙街道1号", "", ""),
            order("R2", "2025-01-03 08:05", "噪音扰民", "", "", ""),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: every row was rejected (2 rows), so no work order was loaded; the rows are kept: see `hotline-ledger rejected --file \"all-bad.csv\"`\n",
            file.display()
        )
    );
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 0);
    assert_eq!(ws.count("SELECT count(*) FROM rejected_rows"), 2);
    // The same through `run`.
    let again = ws.path("all-bad-2.csv");
    write_utf8(
        &again,
        &[
            HEADER.to_vec(),
            order("R3", "不是日期", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    assert_exit(&ws.run(&["run", again.to_str().unwrap()]), 1);
}

#[test]
fn a_job_whose_process_was_killed_shows_as_interrupted() {
    let ws = Workspace::new();
    let file = ws.path("orders.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order("S1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    let mut child = ws.spawn(
        &["report", "ledger", "--as-of", "2025-01-31"],
        &[(hotline_ledger::checkpoint::PAUSE_AT, "partial-file-written")],
    );
    child.wait_for("paused at partial-file-written");
    child.kill9();
    let out = ws.run(&["status"]);
    assert_exit(&out, 0);
    let line = stdout(&out)
        .lines()
        .find(|l| l.starts_with("ledger "))
        .unwrap_or_else(|| panic!("{}", stdout(&out)))
        .to_string();
    assert!(line.contains("interrupted (its process ended)"), "{line}");
    assert!(!line.contains("running"), "{line}");
}

#[test]
fn logs_off_a_terminal_have_no_colour_codes() {
    let ws = Workspace::new();
    let file = ws.path("orders.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order("L1", "2025-01-03 08:05", "噪音扰民", "星沙街道1号", "", ""),
        ],
    );
    let out = ws.run(&["-vv", "ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(!stderr(&out).is_empty());
    assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
}

#[test]
fn one_of_a_thing_is_counted_in_the_singular() {
    let ws = Workspace::new();
    let file = ws.path("one.csv");
    let rows: Vec<Vec<&str>> = std::iter::once(HEADER.to_vec())
        .chain(["O1", "O2", "O3", "O4", "O5"].iter().map(|id| {
            order(
                id,
                "2025-01-03 08:05",
                "噪音扰民",
                "星沙街道1号",
                "处理中",
                "",
            )
        }))
        .collect();
    write_utf8(&file, &rows);
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let out = ws.run(&["cases", "--as-of", "2025-01-31"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with("预警案件 as of 2025-02-01 00:00:00 (1 case)\n"),
        "{}",
        stdout(&out)
    );
    let single = ws.path("single.csv");
    write_utf8(
        &single,
        &[
            HEADER.to_vec(),
            order("O6", "2025-01-04 08:05", "噪音扰民", "星沙街道9号", "", ""),
        ],
    );
    let out = ws.run(&["ingest", single.to_str().unwrap()]);
    assert!(
        stdout(&out).contains(
            "\n  1 row read (0 blank skipped): 1 new order, 0 updated, 0 unchanged; 0 rejected;"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_read_command_on_a_database_that_does_not_exist_says_so_and_creates_none() {
    let ws = Workspace::new();
    for args in [
        &["cases"][..],
        &["rejected"],
        &["status"],
        &["subjects", "review"],
        &["report", "weekly", "--week", "2025-W02"],
        &["notify"],
        &["outbox", "retry"],
    ] {
        let out = ws.run(args);
        assert_exit(&out, 2);
        assert_eq!(
            stderr(&out),
            format!(
                "error: there is no database at {}: nothing has been loaded yet (ingest an export first, or check [paths] database in the config)\n",
                ws.db_path().display()
            ),
            "{args:?}"
        );
        assert!(!ws.db_path().exists(), "{args:?} created the database");
    }
    // Loading data creates it; then the same commands read it.
    let file = ws.path("one.csv");
    write_one_order(&file, "W1");
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    assert_exit(&ws.run(&["cases"]), 0);
}

#[test]
fn dates_and_periods_outside_the_years_handled_are_refused_as_typing_errors() {
    let ws = Workspace::new();
    let file = ws.path("one.csv");
    write_one_order(&file, "Y1");
    assert_exit(&ws.run(&["ingest", file.to_str().unwrap()]), 0);
    for (args, said) in [
        (
            &["cases", "--as-of", "9999-12-31"][..],
            "\"9999-12-31\" is in the year 9999, outside the years 1900–2999 this program handles",
        ),
        (
            &["report", "weekly", "--week", "0000-W01"],
            "\"0000-W01\" is in the year 0, outside the years 1900–2999 this program handles",
        ),
        (
            &["report", "monthly", "--month", "0999-01"],
            "\"0999-01\" is in the year 999, outside the years 1900–2999 this program handles",
        ),
    ] {
        let out = ws.run(args);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    }
    assert!(!ws.path("out/0-W01-周报.pdf").exists());
}
