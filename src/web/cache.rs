//! The console keeps what it worked out for the same data: the cases as of a day and the
//! overview's figures. The key is `jobs::data_version` (files loaded, subject decisions), so
//! a load or a decision is seen by the next page; on a million orders working the cases
//! out takes seconds, reading a kept list takes microseconds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::analysis::{AsOf, WarningCase};
use crate::config::Config;
use crate::jobs;
use crate::report::data::Dataset;
use crate::store::Store;

/// A case with where it is and who leads it.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub case: WarningCase,
    pub street: String,
    pub unit: String,
    /// "大队长 张某某", or the role alone.
    pub lead: String,
    /// The named lead's name, when one is named.
    pub lead_name: Option<String>,
    /// Where the case's orders (its episode's) are in the stored facts.
    pub episode: jobs::Episode,
}

type Key = (String, NaiveDate);
type Figures = Arc<BTreeMap<&'static str, Dataset>>;

#[derive(Default)]
pub struct Cache {
    cases: Mutex<Option<(Key, Arc<Vec<CaseRow>>)>>,
    figures: Mutex<Option<(Key, Figures)>>,
}

impl Cache {
    /// The cases as of the end of `day`, with their places and leads, read or worked out
    /// over the open `store` (one opening serves a page).
    pub fn cases(
        &self,
        store: &Store,
        config: &Config,
        day: NaiveDate,
    ) -> anyhow::Result<Arc<Vec<CaseRow>>> {
        let key = (jobs::data_version(store)?, day);
        if let Some(rows) = kept(&self.cases, &key) {
            return Ok(rows);
        }
        let (cases, episodes) =
            jobs::list_cases_with_episodes(store, config, AsOf::end_of_day(day))?;
        let rows = Arc::new(rows_of(store, config, cases, episodes)?);
        *self.cases.lock().expect("cache") = Some((key, rows.clone()));
        Ok(rows)
    }

    /// The cases and the overview's figures (the week's headline and the 12-month trend,
    /// from the datasets the reports use) as of `day`, worked out together (one analysis)
    /// when either is not kept for the current data.
    pub fn overview(
        &self,
        config: &Config,
        day: NaiveDate,
    ) -> anyhow::Result<(Arc<Vec<CaseRow>>, Figures)> {
        let store = Store::open(config)?;
        let key = (jobs::data_version(&store)?, day);
        if let (Some(rows), Some(sets)) = (kept(&self.cases, &key), kept(&self.figures, &key)) {
            return Ok((rows, sets));
        }
        let (cases, episodes, sets) = jobs::overview(&store, config, day, &["monthly_trend"])?;
        let rows = Arc::new(rows_of(&store, config, cases, episodes)?);
        let sets = Arc::new(sets);
        *self.cases.lock().expect("cache") = Some((key.clone(), rows.clone()));
        *self.figures.lock().expect("cache") = Some((key, sets.clone()));
        Ok((rows, sets))
    }
}

/// What `slot` keeps for `key`, if it is kept for that key.
fn kept<T: Clone>(slot: &Mutex<Option<(Key, T)>>, key: &Key) -> Option<T> {
    match slot.lock().expect("cache").as_ref() {
        Some((k, value)) if k == key => Some(value.clone()),
        _ => None,
    }
}

/// The cases with their streets, units, named leads and episodes.
fn rows_of(
    store: &Store,
    config: &Config,
    cases: Vec<WarningCase>,
    mut episodes: jobs::CaseEpisodes,
) -> anyhow::Result<Vec<CaseRow>> {
    let ids: Vec<String> = cases.iter().map(|c| c.case_id.clone()).collect();
    let places: HashMap<String, (String, String)> = jobs::order_places(store, &ids)?;
    Ok(cases
        .into_iter()
        .map(|case| {
            let (street, unit) = places.get(&case.case_id).cloned().unwrap_or_default();
            let lead = config.leads.label(case.tier, &street, &unit);
            let lead_name = config
                .leads
                .lead_of(case.tier, &street, &unit)
                .map(|l| l.name.trim().to_string());
            CaseRow {
                lead_name,
                episode: episodes.remove(&case.case_id).unwrap_or_default(),
                case,
                street,
                unit,
                lead,
            }
        })
        .collect())
}
