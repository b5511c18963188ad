//! One matter however it is named: the configured alias map, a platform's category path
//! (城市管理-噪声扰民, 城管执法>噪声扰民: the last step), and the words call-takers use for a
//! matter (噪音, 夜间噪音 → 噪声扰民; 出店经营 → 占道经营), the longest word found winning.
//! Used by fuzzy matching only; exact matching keeps the alias map alone. Pure.

use std::collections::{BTreeMap, HashMap};

/// Separators of a category path.
const PATH_SEPARATORS: [char; 8] = ['-', '>', '/', '|', '\\', '—', '》', '→'];

#[derive(Debug, Clone, Default)]
pub struct Categories {
    /// Exact spellings (aliases and canonical names) → canonical.
    exact: HashMap<String, String>,
    /// Words, longest first, with their canonical matter.
    words: Vec<(String, String)>,
}

impl Categories {
    pub fn new(
        aliases: &BTreeMap<String, Vec<String>>,
        words: &BTreeMap<String, Vec<String>>,
    ) -> Categories {
        let mut exact = HashMap::new();
        for (canonical, list) in words {
            exact.insert(canonical.clone(), canonical.clone());
            for w in list {
                exact.insert(w.trim().to_string(), canonical.clone());
            }
        }
        // The alias map is the squad's own: it wins over the built-in words.
        for (canonical, list) in aliases {
            exact.insert(canonical.clone(), canonical.clone());
            for a in list {
                exact.insert(a.trim().to_string(), canonical.clone());
            }
        }
        let mut all: Vec<(String, String)> = words
            .iter()
            .flat_map(|(c, list)| list.iter().map(move |w| (w.trim().to_string(), c.clone())))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        all.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        Categories { exact, words: all }
    }

    /// The canonical matter of a category as exported.
    pub fn canonical(&self, raw: &str) -> String {
        let raw = raw.trim();
        if let Some(c) = self.exact.get(raw) {
            return c.clone();
        }
        let last = raw
            .rsplit(|c: char| PATH_SEPARATORS.contains(&c) || c == '－' || c == '＞')
            .map(str::trim)
            .find(|s| !s.is_empty())
            .unwrap_or(raw);
        if let Some(c) = self.exact.get(last) {
            return c.clone();
        }
        if let Some((_, c)) = self.words.iter().find(|(w, _)| last.contains(w.as_str())) {
            return c.clone();
        }
        last.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{default_category_aliases, default_category_words};

    #[test]
    fn a_matter_however_named() {
        let c = Categories::new(&default_category_aliases(), &default_category_words());
        for raw in [
            "噪声扰民",
            "噪音扰民",
            "城市管理-噪声扰民",
            "城管执法>噪声扰民",
            "夜间噪音",
            "噪音",
        ] {
            assert_eq!(c.canonical(raw), "噪声扰民", "{raw}");
        }
        assert_eq!(c.canonical("施工噪音"), "施工噪声");
        assert_eq!(c.canonical("出店经营"), "占道经营");
        assert_eq!(c.canonical("私搭乱建"), "违法建设");
        assert_eq!(c.canonical("市容环境-其他"), "其他");
        assert_ne!(c.canonical("占道经营"), c.canonical("噪声扰民"));
    }
}
