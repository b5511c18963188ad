//! The warning cases of places of other kinds, end to end: each labelled set of
//! tests/fixtures/subject-sets/ (written by someone who had not read the matcher, see its
//! README) ingested with the default config, its cases listed at every month end and
//! matched against the true cases the way `score.py` matches them. A true case counts when a
//! case shown is one of its orders at its tier; a case shown counts when it is one true case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;

fn sets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/subject-sets")
}

/// A case: its id, tier, count; for a true case, its orders too.
#[derive(Debug)]
struct Case {
    id: String,
    tier: String,
    count: i64,
    orders: Vec<String>,
}

fn read_cases(text: &str, orders_column: Option<&str>) -> Vec<Case> {
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, tier, count) = (at("case_id"), at("tier"), at("count"));
    let orders = orders_column.map(at);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Case {
                id: r[id].to_string(),
                tier: r[tier].to_string(),
                count: r[count].parse().unwrap(),
                orders: orders
                    .map(|o| r[o].split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn rank(tier: &str) -> u8 {
    match tier {
        "green" => 1,
        "yellow" => 2,
        "red" => 3,
        _ => 0,
    }
}

/// Summed over a set's month ends.
#[derive(Debug, Default)]
struct Score {
    true_cases: usize,
    shown: usize,
    matched: usize,
    at_tier: usize,
    /// True yellow and red cases shown at a lower tier, or not at all.
    yellow_red_lower: usize,
    red_not_shown: usize,
    misses: Vec<String>,
}

fn score(set: &Path) -> Score {
    let ws = Workspace::new();
    let mut exports: Vec<PathBuf> = std::fs::read_dir(set.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    exports.sort();
    let mut args = vec!["ingest"];
    args.extend(exports.iter().map(|p| p.to_str().unwrap()));
    assert_exit(&ws.run(&args), 0);
    let mut truth_files: Vec<PathBuf> = std::fs::read_dir(set.join("truth"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("cases-")
        })
        .collect();
    truth_files.sort();
    assert!(truth_files.len() >= 2, "{}", set.display());
    let mut s = Score::default();
    for file in truth_files {
        let name = file.file_stem().unwrap().to_str().unwrap();
        let as_of = name.trim_start_matches("cases-");
        let truth = read_cases(&std::fs::read_to_string(&file).unwrap(), Some("order_ids"));
        let out = ws.run(&["cases", "--as-of", as_of, "--format", "csv"]);
        assert_exit(&out, 0);
        let shown = read_cases(&stdout(&out), None);
        let owner: BTreeMap<&str, usize> = truth
            .iter()
            .enumerate()
            .flat_map(|(i, t)| t.orders.iter().map(move |o| (o.as_str(), i)))
            .collect();
        // Of the cases shown inside one true case, the one at its tier, then the nearest
        // count, matches it; the others are pieces of it.
        let mut best: BTreeMap<usize, &Case> = BTreeMap::new();
        for c in &shown {
            let Some(&i) = owner.get(c.id.as_str()) else {
                continue;
            };
            let t = &truth[i];
            let key = |c: &Case| (c.tier != t.tier, (c.count - t.count).abs());
            if best.get(&i).is_none_or(|b| key(c) < key(b)) {
                best.insert(i, c);
            }
        }
        s.true_cases += truth.len();
        s.shown += shown.len();
        s.matched += best.len();
        for (i, t) in truth.iter().enumerate() {
            let found = best.get(&i);
            if found.is_some_and(|c| c.tier == t.tier) {
                s.at_tier += 1;
                continue;
            }
            if rank(&t.tier) >= 2 {
                s.yellow_red_lower += 1;
            }
            if t.tier == "red" && found.is_none() {
                s.red_not_shown += 1;
            }
            s.misses.push(format!(
                "{as_of} {} {} {}: shown {}",
                t.id,
                t.tier,
                t.count,
                found.map_or("nowhere".to_string(), |c| format!("{} {}", c.tier, c.count))
            ));
        }
    }
    s
}

/// Floors a little under what the matcher reaches, so a change that loses places' cases
/// fails here (reached when set: 0.82, 0.90 and 0.79 of the true cases at their tier, every
/// case shown a true one 0.98-1.00).
fn assert_set_holds(name: &str, at_tier: f64) {
    let s = score(&sets().join(name));
    let recall = s.at_tier as f64 / s.true_cases as f64;
    let precision = s.matched as f64 / s.shown as f64;
    let report = format!(
        "{name}: {} true cases, {} at their tier ({recall:.3}), {} shown, {} of them true \
         ({precision:.3}); true yellow/red lower {}, red not shown {}\n{}",
        s.true_cases,
        s.at_tier,
        s.shown,
        s.matched,
        s.yellow_red_lower,
        s.red_not_shown,
        s.misses.join("\n")
    );
    assert!(s.true_cases >= 20, "{report}");
    assert!(recall >= at_tier, "{report}");
    assert!(precision >= 0.95, "{report}");
    assert_eq!(s.red_not_shown, 0, "{report}");
}

#[test]
fn an_urban_districts_cases_are_found_at_their_tier() {
    assert_set_holds("chengdu-wuhou", 0.75);
}

#[test]
fn a_rural_countys_cases_are_found_at_their_tier() {
    assert_set_holds("yudu-county", 0.85);
}

#[test]
fn a_district_of_towns_grown_into_a_city_has_its_cases_found_at_their_tier() {
    assert_set_holds("foshan-shunde", 0.72);
}
