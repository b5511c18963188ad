//! The values every report template may use besides its datasets' fields: one struct, so
//! the names a template is checked against are the names a report fills in.

use std::collections::BTreeMap;

use super::data::Value;

/// A report's own values (its single-row datasets' fields come beside them).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReportContext {
    pub squad: String,
    pub title: String,
    /// The period's stem (2025-W08, 2025-02).
    pub period: String,
    pub period_label: String,
    pub period_long: String,
    pub period_start: String,
    pub period_end: String,
    pub as_of: String,
    pub year: i64,
    pub month: i64,
    /// The ISO week's number, 0 when the period is no week.
    pub week: i64,
    pub previous_label: String,
    pub received_change: String,
    pub registered_by_tier: String,
    pub active_by_tier: String,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub quiet_days: i64,
    pub ledger_cases: i64,
    /// The lead a case sheet is for (empty in the other reports).
    pub sheet_lead: String,
    pub callers_counted: bool,
}

impl ReportContext {
    /// The names of its values, as templates write them.
    pub fn names() -> Vec<String> {
        match serde_json::to_value(ReportContext::default()) {
            Ok(serde_json::Value::Object(fields)) => fields.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// Its values added to `values`, each under its name.
    pub fn add_to(&self, values: &mut BTreeMap<String, Value>) {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(self) else {
            return;
        };
        for (name, field) in fields {
            let value = match field {
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Int(n.as_i64().unwrap_or(0)),
                serde_json::Value::String(s) => Value::Text(s),
                _ => Value::Null,
            };
            values.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_named_and_added_under_its_name() {
        let names = ReportContext::names();
        assert!(names.contains(&"period_long".to_string()));
        assert!(names.contains(&"callers_counted".to_string()));
        let mut values = BTreeMap::new();
        ReportContext {
            week: 8,
            squad: "某大队".into(),
            ..ReportContext::default()
        }
        .add_to(&mut values);
        let mut added: Vec<String> = values.keys().cloned().collect();
        added.sort();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(added, sorted);
        assert_eq!(values["week"], Value::Int(8));
        assert_eq!(values["squad"], Value::Text("某大队".into()));
    }
}
