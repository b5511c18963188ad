//! Prints the subject matcher's pairwise precision, recall and F1 on the labelled pairs
//! (tests/fixtures/subjects/pairs.tsv, or a file given), overall and by kind of variant,
//! and the pairs it judged wrong.
//!
//! cargo run --release --example match_quality [PAIRS.tsv]

use hotline_ledger::config::Config;
use hotline_ledger::normalize::AddressNormalizer;
use hotline_ledger::subjects::evaluate::{read_pairs, score_pairs};
use hotline_ledger::subjects::Matcher;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/subjects/pairs.tsv"
        )
        .to_string()
    });
    let config = Config::default();
    let matcher = Matcher::from_config(&config).expect("the built-in gazetteer");
    let normalizer =
        AddressNormalizer::new(&config.address.prefixes, &config.address.vague_suffixes);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pairs = read_pairs(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (all, by_kind, wrong) = score_pairs(&matcher, &normalizer, &pairs);
    println!(
        "{:<30} {:>5} {:>9} {:>7} {:>6}",
        "kind", "pairs", "precision", "recall", "F1"
    );
    for (kind, c) in &by_kind {
        let n = c.true_pos + c.false_pos + c.false_neg + c.true_neg;
        println!(
            "{kind:<30} {n:>5} {:>9.3} {:>7.3} {:>6.3}",
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    println!(
        "{:<30} {:>5} {:>9.3} {:>7.3} {:>6.3}",
        "all",
        pairs.len(),
        all.precision(),
        all.recall(),
        all.f1()
    );
    for (p, verdict) in &wrong {
        println!(
            "wrong: {} {} | {} {} ~ {} {} | {verdict}",
            p.kind,
            if p.same { "same" } else { "different" },
            p.a.0,
            p.a.1,
            p.b.0,
            p.b.1
        );
        for address in [&p.a.1, &p.b.1] {
            println!(
                "       {address} → {:?}",
                matcher.parse(&normalizer.normalize(address))
            );
        }
    }
}
