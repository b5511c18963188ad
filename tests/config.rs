//! The config is validated at start; every error names the key.

use hotline_ledger::config::Config;

use crate::common::*;

fn parse(text: &str) -> String {
    match Config::parse(text, "test.toml", std::path::Path::new("/tmp")) {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn defaults_follow_the_domain() {
    let c = Config::parse("", "test.toml", std::path::Path::new("/base")).unwrap();
    assert_eq!(
        (
            c.rules.green,
            c.rules.yellow,
            c.rules.red,
            c.rules.quiet_days
        ),
        (5, 10, 20, 30)
    );
    assert_eq!(c.rules.timezone, "Asia/Shanghai");
    assert_eq!(
        c.database_path(),
        std::path::Path::new("/base/data/hotline.duckdb")
    );
    assert_eq!(c.rules.closed_statuses, ["已办结", "已回访", "已归档"]);
    assert_eq!(c.category_aliases["噪声扰民"], ["噪音扰民", "社会生活噪声"]);
    assert_eq!(c.columns.order_id, ["工单编号", "工单号", "编号"]);
}

#[test]
fn a_misspelt_key_is_named() {
    let e = parse("[rules]\ngren = 4\n");
    assert!(
        e.starts_with("config file test.toml: TOML parse error at line 2"),
        "{e}"
    );
    assert!(e.contains("unknown field `gren`"), "{e}");
}

#[test]
fn thresholds_must_rise() {
    assert_eq!(
        parse("[rules]\ngreen = 5\nyellow = 5\n"),
        "config file test.toml: key `rules.yellow`: must be greater than rules.green (5), got 5"
    );
    assert_eq!(
        parse("[rules]\nred = 9\n"),
        "config file test.toml: key `rules.red`: must be greater than rules.yellow (10), got 9"
    );
    assert_eq!(
        parse("[rules]\ngreen = 0\n"),
        "config file test.toml: key `rules.green`: must be at least 1"
    );
}

#[test]
fn other_bad_values_are_named() {
    assert_eq!(
        parse("[rules]\ntimezone = \"Mars/Olympus\"\n"),
        "config file test.toml: key `rules.timezone`: unknown time zone \"Mars/Olympus\" (use an IANA name such as \"Asia/Shanghai\")"
    );
    assert_eq!(
        parse("[rules]\nquiet_days = 0\n"),
        "config file test.toml: key `rules.quiet_days`: must be between 1 and 3650 days"
    );
    assert_eq!(
        parse("[columns]\nstreet = [\"来源\"]\n"),
        "config file test.toml: key `columns.street[0]`: \"来源\" is already an alias of columns.channel"
    );
    assert_eq!(
        parse("[columns]\norder_id = []\n"),
        "config file test.toml: key `columns.order_id`: a required column needs at least one alias"
    );
    assert_eq!(
        parse("[category_aliases]\n\"噪声扰民\" = [\"噪音\"]\n\"其他\" = [\"噪音\"]\n"),
        "config file test.toml: key `category_aliases.噪声扰民[0]`: \"噪音\" is already an alias of \"其他\""
    );
    assert_eq!(
        parse("[address]\nprefixes = [\" 、\"]\n"),
        "config file test.toml: key `address.prefixes[0]`: \" 、\" is empty once white space and punctuation are removed"
    );
}

#[test]
fn the_binary_reports_a_bad_config_and_exits_2() {
    let ws = Workspace::with_config("[rules]\nred = 3\n");
    let out = ws.run(&["ingest", "x.csv"]);
    assert_exit(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "error: config file {}: key `rules.red`: must be greater than rules.yellow (10), got 3\n",
            ws.config_path.display()
        )
    );
}

#[test]
fn config_prints_the_effective_settings() {
    let ws = Workspace::with_config("[squad]\nname = \"星沙大队\"\n");
    let out = ws.run(&["config"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("quiet_days = 30"), "{text}");
    assert!(text.contains("name = \"星沙大队\""), "{text}");
    // The printed config is itself a valid config.
    Config::parse(&text, "printed", std::path::Path::new("/tmp")).unwrap();
}

#[test]
fn a_schedule_error_says_what_is_wrong_in_the_users_words() {
    for (cron, message) in [
        (
            "0 8 * * Mon",
            "\"0 8 * * Mon\" has 5 fields, a schedule needs 6: second, minute, hour, day of month, month, day of week (e.g. \"0 0 8 * * Mon\" is 08:00:00 every Monday)",
        ),
        (
            "0 61 8 * * Mon",
            "\"0 61 8 * * Mon\": the minute field \"61\" is not valid (allowed: 0-59; * means every, */5 every fifth, 1-5 a range, 1,3 a list)",
        ),
        (
            "0 0 8 * * Mnday",
            "\"0 0 8 * * Mnday\": the day of week field \"Mnday\" is not valid (allowed: 0-7 or Mon-Sun, 0 and 7 being Sunday; * means every, */5 every fifth, 1-5 a range, 1,3 a list)",
        ),
    ] {
        let ws = Workspace::with_config(&format!("[schedule]\nweekly = \"{cron}\"\n"));
        let out = ws.run(&["config"]);
        assert_exit(&out, 2);
        assert_eq!(
            stderr(&out),
            format!(
                "error: config file {}: key `schedule.weekly`: {message}\n",
                ws.config_path.display()
            )
        );
    }
}
