//! 来电人: how many different people made a case's complaints, beside how many complaints
//! there were. Twenty complaints from one neighbour who calls every night and twenty from
//! fifteen households are different problems for the leader who takes the case on.
//!
//! Callers are told apart by the phone each order left (联系电话, as stored: the latest
//! export's value), normalized in SQL by the `caller_key` macro
//! (`queries/analysis/caller_key.sql`: full-width digits, spaces, dashes, +86 / 0086); an
//! order without a phone (未留电话) is counted apart, never as a caller. The figures are
//! context for the reader: tiers stay counted in complaints, as the squad's rule says, and
//! nothing here changes a case. `[callers] enabled = false` leaves them out everywhere.

use std::collections::HashMap;

use duckdb::params;

use crate::queries;
use crate::store::Store;

/// The caller fields, in the order of `cases --format csv --wide`'s last columns and of the
/// report datasets that have them (a report drops its columns of these when callers are
/// not counted).
pub const CALLER_FIELDS: [&str; 4] = [
    "callers",
    "no_phone",
    "top_caller_complaints",
    "top_caller_share",
];

/// Who made one case's complaints (its episode's orders as of T).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseCallers {
    /// Different callers, by normalized phone.
    pub callers: i64,
    /// Complaints that left no phone (未留电话): not a caller, counted apart.
    pub no_phone: i64,
    /// Complaints of the most frequent caller; None when no complaint left a phone.
    pub top_caller_complaints: Option<i64>,
    /// Those complaints' share of all the case's complaints (0..=1).
    pub top_caller_share: Option<f64>,
}

impl CaseCallers {
    /// The figures from how many callers left a phone, the complaints without one, the
    /// most complaints of one caller (None: no phone at all) and all the complaints.
    pub fn new(callers: i64, no_phone: i64, top: Option<i64>, complaints: i64) -> Self {
        CaseCallers {
            callers,
            no_phone,
            top_caller_complaints: top,
            top_caller_share: top
                .filter(|_| complaints > 0)
                .map(|t| t as f64 / complaints as f64),
        }
    }

    /// The figures from each caller's complaints (`None`: no phone), for `count`
    /// complaints in all.
    pub fn from_counts<'a>(counts: impl IntoIterator<Item = (Option<&'a str>, i64)>) -> Self {
        let (mut callers, mut no_phone, mut top, mut total) = (0, 0, None::<i64>, 0);
        for (caller, n) in counts {
            total += n;
            match caller {
                Some(_) => {
                    callers += 1;
                    top = Some(top.map_or(n, |t| t.max(n)));
                }
                None => no_phone += n,
            }
        }
        CaseCallers::new(callers, no_phone, top, total)
    }

    /// The figures as text, in `CALLER_FIELDS` order (absent ones empty; the share to four
    /// decimals).
    pub fn field_texts(&self) -> Vec<String> {
        vec![
            self.callers.to_string(),
            self.no_phone.to_string(),
            self.top_caller_complaints
                .map(|n| n.to_string())
                .unwrap_or_default(),
            self.top_caller_share
                .map(|s| format!("{s:.4}"))
                .unwrap_or_default(),
        ]
    }

    /// `15人` with the complaints that left no phone and the most frequent caller's share:
    /// `15人（另3件未留电话），最多一人4件（20%）`; `均未留电话（5件）` when no one left a phone.
    pub fn label(&self) -> String {
        if self.callers == 0 {
            return format!("均未留电话（{}件）", self.no_phone);
        }
        let mut out = format!("{}人", self.callers);
        if self.no_phone > 0 {
            out.push_str(&format!("（另{}件未留电话）", self.no_phone));
        }
        if let (Some(n), Some(s)) = (self.top_caller_complaints, self.top_caller_share) {
            out.push_str(&format!("，最多一人{n}件（{}）", percent(s)));
        }
        out
    }
}

/// A share as a whole percentage: `0.6` → `60%`.
pub fn percent(share: f64) -> String {
    // A share that rounds to nothing is still a share: <1%, not 0%.
    if share > 0.0 && share < 0.005 {
        return "<1%".into();
    }
    format!("{:.0}%", share * 100.0)
}

/// Makes the `caller_key` macro on the store's connection (for the stored facts, which
/// give every order its caller).
pub fn define_key(store: &Store) -> duckdb::Result<()> {
    store.conn().execute_batch(queries::ANALYSIS_CALLER_KEY)
}

/// Counts the callers of every warning case into the temp tables `asof_case_callers` and
/// `asof_case_caller_figures` (left empty when `enabled` is false, so that what reads them
/// finds no figures). The analysis (`Analysis::new`) must be made on `store` first.
pub fn count(store: &Store, enabled: bool) -> duckdb::Result<()> {
    store
        .conn()
        .execute(queries::ANALYSIS_CASE_CALLERS, params![enabled])?;
    store
        .conn()
        .execute_batch(queries::ANALYSIS_CASE_CALLER_FIGURES)
}

/// Every case's caller figures by case id, once `count` has run (empty when it ran
/// disabled).
pub fn of_cases(store: &Store) -> duckdb::Result<HashMap<String, CaseCallers>> {
    let mut stmt = store.conn().prepare(queries::ANALYSIS_CASE_CALLERS_LIST)?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            CaseCallers {
                callers: row.get(1)?,
                no_phone: row.get(2)?,
                top_caller_complaints: row.get(3)?,
                top_caller_share: row.get(4)?,
            },
        ))
    })?;
    rows.collect()
}

/// One caller of a case and the complaints they made (the console lists them masked).
#[derive(Debug, Clone, PartialEq)]
pub struct CallerCount {
    /// The normalized phone; None for the complaints that left none.
    pub phone: Option<String>,
    pub complaints: i64,
}

/// The callers of one case as its page lists them: the most frequent, and the figures of
/// all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCallerList {
    /// The first callers by complaints, most first (未留电话 as a caller without a phone).
    pub top: Vec<CallerCount>,
    pub figures: CaseCallers,
    /// All the case's complaints.
    pub complaints: i64,
    /// How many rows the whole list has (callers, and one for 未留电话 if any).
    pub rows: i64,
}

/// The callers of one case's orders (the console's `console_case_orders`): the `shown`
/// with most complaints, and the figures of all.
pub fn of_case_orders(store: &Store, shown: usize) -> duckdb::Result<CaseCallerList> {
    let mut stmt = store.conn().prepare(queries::CONSOLE_CASE_CALLERS)?;
    let top = stmt
        .query_map([shown as i64], |row| {
            Ok(CallerCount {
                phone: row.get(0)?,
                complaints: row.get(1)?,
            })
        })?
        .collect::<duckdb::Result<_>>()?;
    store
        .conn()
        .query_row(queries::CONSOLE_CASE_CALLER_TOTALS, [], |row| {
            let complaints = row.get(3)?;
            Ok(CaseCallerList {
                top,
                figures: CaseCallers::new(row.get(0)?, row.get(1)?, row.get(2)?, complaints),
                complaints,
                rows: row.get(4)?,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_from_counts() {
        let c = CaseCallers::from_counts([(Some("13800000001"), 12), (Some("1"), 3), (None, 5)]);
        assert_eq!(c.callers, 2);
        assert_eq!(c.no_phone, 5);
        assert_eq!(c.top_caller_complaints, Some(12));
        assert_eq!(c.top_caller_share, Some(0.6));
        assert_eq!(c.label(), "2人（另5件未留电话），最多一人12件（60%）");
        assert_eq!(c.field_texts(), ["2", "5", "12", "0.6000"]);
    }

    #[test]
    fn no_phone_at_all() {
        let c = CaseCallers::from_counts([(None, 6)]);
        assert_eq!(c.callers, 0);
        assert_eq!(c.top_caller_share, None);
        assert_eq!(c.label(), "均未留电话（6件）");
        assert_eq!(percent(1.0 / 3509.0), "<1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(c.field_texts(), ["0", "6", "", ""]);
    }
}
