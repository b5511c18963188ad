//! Measuring the matcher on labelled pairs of addresses: pairwise precision, recall and F1,
//! overall and by kind of variant. Shared by the test that guards the quality and the
//! example that prints it. Pure.

use std::collections::BTreeMap;

use super::compare::Verdict;
use super::Matcher;
use crate::normalize::AddressNormalizer;

/// One labelled pair: whether the two (category, address) name one subject.
#[derive(Debug, Clone)]
pub struct LabelledPair {
    pub kind: String,
    pub same: bool,
    pub a: (String, String),
    pub b: (String, String),
    pub note: String,
}

/// Reads `kind label category_a address_a category_b address_b note` lines (tab-separated,
/// a header first); `label` is `same` or `different`.
pub fn read_pairs(tsv: &str) -> Result<Vec<LabelledPair>, String> {
    let mut out = Vec::new();
    for (n, line) in tsv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            return Err(format!("line {}: {} fields, want 7", n + 1, f.len()));
        }
        let same = match f[1] {
            "same" => true,
            "different" => false,
            other => return Err(format!("line {}: label \"{other}\"", n + 1)),
        };
        out.push(LabelledPair {
            kind: f[0].to_string(),
            same,
            a: (f[2].to_string(), f[3].to_string()),
            b: (f[4].to_string(), f[5].to_string()),
            note: f.get(6).unwrap_or(&"").to_string(),
        });
    }
    Ok(out)
}

/// A confusion count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_pos: u32,
    pub false_pos: u32,
    pub false_neg: u32,
    pub true_neg: u32,
}

impl Counts {
    pub fn add(&mut self, truth: bool, predicted: bool) {
        match (truth, predicted) {
            (true, true) => self.true_pos += 1,
            (false, true) => self.false_pos += 1,
            (true, false) => self.false_neg += 1,
            (false, false) => self.true_neg += 1,
        }
    }
    pub fn precision(&self) -> f64 {
        let p = self.true_pos + self.false_pos;
        if p == 0 {
            1.0
        } else {
            f64::from(self.true_pos) / f64::from(p)
        }
    }
    pub fn recall(&self) -> f64 {
        let t = self.true_pos + self.false_neg;
        if t == 0 {
            1.0
        } else {
            f64::from(self.true_pos) / f64::from(t)
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Share of pairs judged right.
    pub fn accuracy(&self) -> f64 {
        let all = self.true_pos + self.false_pos + self.false_neg + self.true_neg;
        f64::from(self.true_pos + self.true_neg) / f64::from(all.max(1))
    }
}

/// Whether the matcher puts two (category, address) into one subject, and on what.
pub fn judge(
    matcher: &Matcher,
    normalizer: &AddressNormalizer,
    a: (&str, &str),
    b: (&str, &str),
) -> (bool, Verdict) {
    if matcher.categories.canonical(a.0) != matcher.categories.canonical(b.0) {
        return (false, Verdict::Different("different matters"));
    }
    let (na, nb) = (normalizer.normalize(a.1), normalizer.normalize(b.1));
    if na == nb {
        return (
            true,
            Verdict::Score {
                score: 1.0,
                on: super::compare::MatchOn::Place,
            },
        );
    }
    // A pair alone says nothing of how rare its names are: every name counts as rare.
    let verdict = super::compare::compare(
        &matcher.parse(a.1),
        &matcher.parse(b.1),
        &matcher.gazetteer,
        &super::compare::Corpus::default(),
    );
    let same = matches!(verdict, Verdict::Score { score, .. } if score >= matcher.merge_at);
    (same, verdict)
}

/// Counts over all pairs and by kind; and the pairs judged wrong, for a look.
pub fn score_pairs<'p>(
    matcher: &Matcher,
    normalizer: &AddressNormalizer,
    pairs: &'p [LabelledPair],
) -> (
    Counts,
    BTreeMap<String, Counts>,
    Vec<(&'p LabelledPair, Verdict)>,
) {
    let mut all = Counts::default();
    let mut by_kind: BTreeMap<String, Counts> = BTreeMap::new();
    let mut wrong = Vec::new();
    for p in pairs {
        let (same, verdict) = judge(matcher, normalizer, (&p.a.0, &p.a.1), (&p.b.0, &p.b.1));
        all.add(p.same, same);
        by_kind.entry(p.kind.clone()).or_default().add(p.same, same);
        if same != p.same {
            wrong.push((p, verdict));
        }
    }
    (all, by_kind, wrong)
}
