//! Prints how the subject matcher groups the orders of labelled subject sets
//! (tests/fixtures/subject-sets/<set>/: exports and truth/orders.csv): pairwise precision
//! and recall over the orders of each true subject, and with `--misses` the true subjects
//! it splits (each piece with its spellings) and the places it joins that are not one.
//! A tool for finding what the matcher misses; the sets' case-level scores come from
//! `score.py`.
//!
//! cargo run --release --example subject_sets -- [--misses] SET_DIR...
//! cargo run --release --example subject_sets -- --explain COUNTY,... ADDRESS ADDRESS...
//! (the parts of each address and the verdict on the first and each other, with the
//! given county codes as the squad's own)
//! cargo run --release --example subject_sets -- --content COUNTY,... TEXT...
//! (the places a complaint's text names, as read and parsed)

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hotline_ledger::config::Config;
use hotline_ledger::jobs;
use hotline_ledger::store::Store;

fn truth(dir: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(dir.join("truth/orders.csv")).expect("truth/orders.csv");
    let mut out = HashMap::new();
    for line in text.lines().skip(1) {
        let mut cells = line.split(',');
        if let (Some(id), Some(subject)) = (cells.next(), cells.next()) {
            out.insert(id.to_string(), subject.to_string());
        }
    }
    out
}

fn exports(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("data"))
        .expect("data/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Every order of a set, as grouped.
fn grouped(dir: &Path) -> Vec<Grouped> {
    let work = tempfile::tempdir().expect("a temporary folder");
    let mut config = Config::default();
    config.paths.database = work.path().join("db.duckdb");
    config.paths.inbox = work.path().join("inbox");
    config.paths.archive = work.path().join("archive");
    config.paths.out = work.path().join("out");
    config.notify.enabled = false;
    let extra = dir.join("config.toml");
    if extra.exists() {
        eprintln!("note: {} is not applied here", extra.display());
    }
    jobs::ingest_files(&config, &exports(dir), false, false, &mut |_| {}).expect("ingest");
    let store = Store::open(&config).expect("the database");
    hotline_ledger::analysis::ensure_facts(&store, &config).expect("facts");
    if let Ok(Some(local)) = store.setting("subjects_local_counties") {
        eprintln!("local counties: {local}");
    }
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT f.order_id, s.subject_key, w.category, w.address
             FROM order_facts f JOIN fact_subjects s USING (sid)
             JOIN work_orders w USING (order_id) ORDER BY f.order_id",
        )
        .expect("query");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn pairs(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

/// Prints the parts of each address and the verdict on the first and each other.
fn explain(counties: &str, addresses: &[String]) {
    use hotline_ledger::subjects::compare::{compare, Corpus};
    use hotline_ledger::subjects::Matcher;
    let codes: Vec<u32> = counties.split(',').filter_map(|c| c.parse().ok()).collect();
    let matcher = Matcher::from_config(&Config::default())
        .expect("the built-in gazetteer")
        .with_local(&codes);
    let parsed: Vec<_> = addresses.iter().map(|a| matcher.parse(a)).collect();
    // Addresses of a whole set (one a line, EXPLAIN_CORPUS) count in the corpus too.
    let more: Vec<_> = std::env::var("EXPLAIN_CORPUS")
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| text.lines().map(|a| matcher.parse(a)).collect())
        .unwrap_or_default();
    let corpus = Corpus::of(parsed.iter().chain(&more));
    for (a, p) in addresses.iter().zip(&parsed) {
        println!("{a}\n    {p:?}\n    {:?}", p.place_name());
    }
    for (a, p) in addresses.iter().zip(&parsed).skip(1) {
        println!(
            "{} ~ {a}: {}",
            addresses[0],
            compare(&parsed[0], p, &matcher.gazetteer, &corpus)
        );
    }
}

/// An order as grouped: (order id, subject key, category as exported, address as written).
type Grouped = (String, String, String, String);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--explain") && args.len() >= 3 {
        return explain(&args[1], &args[2..]);
    }
    if args.first().map(String::as_str) == Some("--content") && args.len() >= 3 {
        let codes: Vec<u32> = args[1].split(',').filter_map(|c| c.parse().ok()).collect();
        let matcher = hotline_ledger::subjects::Matcher::from_config(&Config::default())
            .expect("the built-in gazetteer")
            .with_local(&codes);
        for text in &args[2..] {
            println!("{text}");
            for place in hotline_ledger::subjects::content::places_in(text) {
                println!("    {place}\n        {:?}", matcher.parse(&place));
            }
        }
        return;
    }
    let mut misses = false;
    let mut dump = false;
    let mut dirs = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--misses" {
            misses = true;
        } else if arg == "--dump" {
            dump = true;
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    for dir in dirs {
        let truth = truth(&dir);
        let orders = grouped(&dir);
        if dump {
            // Each order as grouped, for comparing two builds' groupings.
            for o in &orders {
                let t = truth.get(&o.0).map(String::as_str).unwrap_or("?");
                println!("{}\t{t}\t{}\t{}\t{}", o.0, o.1, o.2, o.3);
            }
            continue;
        }
        // (true subject, program subject) → orders
        let mut cells: BTreeMap<(&str, &str), Vec<&Grouped>> = BTreeMap::new();
        for o in &orders {
            let t = truth.get(&o.0).map(String::as_str).unwrap_or("?");
            cells.entry((t, o.1.as_str())).or_default().push(o);
        }
        let mut by_true: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_prog: BTreeMap<&str, usize> = BTreeMap::new();
        let mut together = 0;
        for ((t, p), os) in &cells {
            *by_true.entry(t).or_default() += os.len();
            *by_prog.entry(p).or_default() += os.len();
            together += pairs(os.len());
        }
        let true_pairs: u64 = by_true.values().map(|&n| pairs(n)).sum();
        let prog_pairs: u64 = by_prog.values().map(|&n| pairs(n)).sum();
        let precision = together as f64 / prog_pairs.max(1) as f64;
        let recall = together as f64 / true_pairs.max(1) as f64;
        println!(
            "{}: {} orders, {} true subjects, {} found; pairs P {:.3} R {:.3}",
            dir.display(),
            orders.len(),
            by_true.len(),
            by_prog.len(),
            precision,
            recall
        );
        if !misses {
            continue;
        }
        // True subjects split: each piece with its spellings, biggest subjects first.
        let mut split: Vec<(&str, usize)> = by_true
            .iter()
            .filter(|(t, _)| cells.keys().filter(|(x, _)| x == *t).count() > 1)
            .map(|(t, n)| (*t, *n))
            .collect();
        split.sort_by_key(|(t, n)| (std::cmp::Reverse(*n), *t));
        for (t, n) in split.iter().filter(|(_, n)| *n >= 4) {
            println!("  SPLIT {t} ({n} orders)");
            let mut pieces: Vec<(&&str, &Vec<_>)> = cells
                .iter()
                .filter(|((x, _), _)| x == t)
                .map(|((_, p), os)| (p, os))
                .collect();
            pieces.sort_by_key(|(_, os)| std::cmp::Reverse(os.len()));
            for (p, os) in pieces {
                println!("    [{}] {p}", os.len());
                let mut seen: Vec<String> =
                    os.iter().map(|o| format!("{} | {}", o.2, o.3)).collect();
                seen.sort();
                seen.dedup();
                for s in seen.iter().take(6) {
                    println!("        {s}");
                }
            }
        }
        // Program subjects holding orders of several true subjects.
        for (p, n) in &by_prog {
            let parts: Vec<(&str, usize)> = cells
                .iter()
                .filter(|((_, x), _)| x == p)
                .map(|((t, _), os)| (*t, os.len()))
                .collect();
            if parts.len() > 1 {
                println!("  JOINED {p} ({n} orders): {parts:?}");
            }
        }
    }
}
