//! The model file: what to compare, how, and how to block.
//!
//! A model file is TOML. It names the comparisons with their ordered levels (the first
//! level that holds for a pair is that pair's level; a pair with a value missing on
//! either side is "null" and carries no evidence; a pair that meets no level is "else"),
//! the blocking rules whose union makes the candidate pairs, and the settings for
//! training and clustering. See `docs` in the repository for a full example.

use serde::Deserialize;

use crate::error::ModelError;

/// A parsed, validated model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The id column of the input files.
    #[serde(default = "default_id")]
    pub unique_id: String,
    /// Blocking rules; each is a comma-separated list of keys that must all be equal,
    /// e.g. `"given_name, surname"`, `"substr(surname, 0, 3), year(date_of_birth)"`.
    pub blocking: Vec<String>,
    /// Comparisons, in order.
    #[serde(rename = "comparison")]
    pub comparisons: Vec<ComparisonSpec>,
    /// Training settings.
    #[serde(default)]
    pub training: Training,
    /// Decision and clustering settings.
    #[serde(default)]
    pub decision: Decision,
}

fn default_id() -> String {
    "id".to_string()
}

/// How m, u and the prior are estimated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Maximum EM iterations.
    #[serde(default = "default_iterations")]
    pub em_iterations: usize,
    /// EM stops when no parameter moves more than this.
    #[serde(default = "default_tolerance")]
    pub em_tolerance: f64,
    /// Random pairs drawn to estimate u for levels that are not exact agreement.
    #[serde(default = "default_sample")]
    pub u_sample_pairs: usize,
    /// Seed for the sampling, so a run can be repeated exactly.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_iterations() -> usize {
    50
}
fn default_tolerance() -> f64 {
    1e-5
}
fn default_sample() -> usize {
    1_000_000
}
fn default_seed() -> u64 {
    42
}

impl Default for Training {
    fn default() -> Self {
        Training {
            em_iterations: default_iterations(),
            em_tolerance: default_tolerance(),
            u_sample_pairs: default_sample(),
            seed: default_seed(),
        }
    }
}

/// Turning scores into decisions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Match probability at or above which a pair is a link.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Clustering method for deduplication.
    #[serde(default)]
    pub clustering: Clustering,
    /// For constrained clustering: the share of cross pairs between two clusters that must
    /// be links for them to merge.
    #[serde(default = "default_fraction")]
    pub min_link_fraction: f64,
    /// When linking two files, keep at most one link per record on each side (the best).
    #[serde(default)]
    pub one_to_one: bool,
    /// Blocks larger than this are not compared (and are reported, never hidden).
    #[serde(default = "default_max_block")]
    pub max_block_size: usize,
    /// For constrained clustering: a column (the source list, say) whose records are each
    /// a different entity unless linked to each other directly, so that one cluster never
    /// chains two records of one list together through records of others.
    #[serde(default)]
    pub one_record_per: Option<String>,
}

fn default_threshold() -> f64 {
    0.5
}
fn default_fraction() -> f64 {
    0.5
}
fn default_max_block() -> usize {
    5000
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            threshold: default_threshold(),
            clustering: Clustering::default(),
            min_link_fraction: default_fraction(),
            one_to_one: false,
            max_block_size: default_max_block(),
            one_record_per: None,
        }
    }
}

/// How links become clusters.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Clustering {
    /// Every chain of links is one cluster (simple; one bad link joins two people).
    ConnectedComponents,
    /// Clusters merge, strongest link first, only when enough of the pairs between them
    /// are links: one bad link cannot chain two people together.
    #[default]
    Constrained,
}

/// How a column's values are prepared before comparing.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// Trimmed, as is.
    #[default]
    None,
    /// Lower case, inner whitespace collapsed.
    Lower,
    /// The script-independent name key (Arabic and Latin spellings meet).
    NameKey,
    /// Digits only.
    Digits,
}

/// One comparison: a column, its preparation and ordered levels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    /// Name shown in the model summary.
    pub name: String,
    /// The input column compared.
    pub column: String,
    /// Preparation of the values.
    #[serde(default)]
    pub transform: Transform,
    /// Adjust the exact-agreement weight by how common the value is (agreeing on a rare
    /// surname says more than agreeing on a common one).
    #[serde(default)]
    pub term_frequency: bool,
    /// Ordered levels, strongest first.
    pub levels: Vec<LevelSpec>,
    /// Fixed m probabilities (one per level, then one for "else"), when prior knowledge
    /// is firmer than what EM could learn from the data; EM then leaves them as they are.
    #[serde(default)]
    pub m: Option<Vec<f64>>,
}

/// One level of a comparison.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LevelSpec {
    /// Prepared values equal.
    Exact,
    /// Jaro-Winkler similarity of prepared values at least `threshold`.
    JaroWinkler { threshold: f64 },
    /// Levenshtein distance at most `max`.
    Levenshtein { max: usize },
    /// Damerau-Levenshtein (adjacent transpositions count once) at most `max`.
    DamerauLevenshtein { max: usize },
    /// The script-independent name keys are equal (any order of tokens).
    NameKey,
    /// Name similarity across scripts, token order and particles at least `threshold`.
    NameSimilarity { threshold: f64 },
    /// The values are found swapped with column `with` (given and family names swapped).
    Swapped { with: String },
    /// Either record's value is one of the whitespace-separated tokens of the other
    /// record's column `tokens` (a given name found anywhere in a full name).
    TokenIn { tokens: String },
    /// Either record's value is one of the other record's `column` values (`|`-separated,
    /// prepared as the compared column is): a mother's married name among the family
    /// names of the children in the other list's household.
    Among { column: String },
    /// Both records have a value in column `column`, whatever the values compared: a
    /// level for a disagreement that is expected of some records (the family names of
    /// two women's records, maiden and married).
    BothPresent { column: String },
    /// Both full dates, equal.
    DateExact,
    /// Both full dates, at most `days` apart.
    DateWithinDays { days: i32 },
    /// Both know year and month, and agree on them.
    DateSameMonth,
    /// Same year at the precision both know, and no contradiction below it.
    DateCompatible,
    /// Birth years at most `years` apart.
    DateWithinYears { years: i32 },
    /// Sets (`;`-separated codes, `:suffix` ignored) equal.
    SetEqual,
    /// Sets share at least one code.
    SetOverlap,
}

impl LevelSpec {
    /// A short label for summaries and explanations.
    pub fn label(&self) -> String {
        match self {
            LevelSpec::Exact => "exact".into(),
            LevelSpec::JaroWinkler { threshold } => format!("jaro-winkler >= {threshold}"),
            LevelSpec::Levenshtein { max } => format!("levenshtein <= {max}"),
            LevelSpec::DamerauLevenshtein { max } => format!("damerau-levenshtein <= {max}"),
            LevelSpec::NameKey => "same name key (any script)".into(),
            LevelSpec::NameSimilarity { threshold } => format!("name similarity >= {threshold}"),
            LevelSpec::Swapped { with } => format!("swapped with {with}"),
            LevelSpec::TokenIn { tokens } => format!("found among {tokens}"),
            LevelSpec::BothPresent { column } => format!("both have {column}"),
            LevelSpec::Among { column } => format!("among the other's {column}"),
            LevelSpec::DateExact => "same date".into(),
            LevelSpec::DateWithinDays { days } => format!("within {days} days"),
            LevelSpec::DateSameMonth => "same month".into(),
            LevelSpec::DateCompatible => "same year, compatible".into(),
            LevelSpec::DateWithinYears { years } => format!("within {years} years"),
            LevelSpec::SetEqual => "same set".into(),
            LevelSpec::SetOverlap => "sets overlap".into(),
        }
    }

    pub(crate) fn is_date(&self) -> bool {
        matches!(
            self,
            LevelSpec::DateExact
                | LevelSpec::DateWithinDays { .. }
                | LevelSpec::DateSameMonth
                | LevelSpec::DateCompatible
                | LevelSpec::DateWithinYears { .. }
        )
    }

    pub(crate) fn is_set(&self) -> bool {
        matches!(self, LevelSpec::SetEqual | LevelSpec::SetOverlap)
    }
}

impl Model {
    /// Parses and validates a model from TOML text.
    pub fn from_toml(text: &str) -> Result<Model, ModelError> {
        let model: Model = toml::from_str(text).map_err(|e| ModelError::Toml(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    /// Checks what serde cannot: non-empty lists, thresholds in range, parsable rules.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.comparisons.is_empty() {
            return Err(ModelError::Invalid(
                "the model has no [[comparison]] tables".into(),
            ));
        }
        if self.blocking.is_empty() {
            return Err(ModelError::Invalid(
                "the model has no blocking rules (blocking = [\"column\", ...])".into(),
            ));
        }
        for rule in &self.blocking {
            crate::blocking::parse_rule(rule)?;
        }
        if !(0.0..=1.0).contains(&self.decision.threshold) {
            return Err(ModelError::Invalid(format!(
                "decision.threshold is {}, it must be a probability between 0 and 1",
                self.decision.threshold
            )));
        }
        if !(0.0..=1.0).contains(&self.decision.min_link_fraction) {
            return Err(ModelError::Invalid(
                "decision.min_link_fraction must be between 0 and 1".into(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.comparisons {
            if !seen.insert(c.name.as_str()) {
                return Err(ModelError::Invalid(format!(
                    "two comparisons are named {:?}",
                    c.name
                )));
            }
            if c.levels.is_empty() {
                return Err(ModelError::Invalid(format!(
                    "comparison {:?} has no levels",
                    c.name
                )));
            }
            if c.levels.len() > 12 {
                return Err(ModelError::Invalid(format!(
                    "comparison {:?} has {} levels; at most 12",
                    c.name,
                    c.levels.len()
                )));
            }
            for l in &c.levels {
                let bad = match l {
                    LevelSpec::JaroWinkler { threshold }
                    | LevelSpec::NameSimilarity { threshold } => !(0.0..=1.0).contains(threshold),
                    LevelSpec::DateWithinDays { days } => *days < 0,
                    LevelSpec::DateWithinYears { years } => *years < 0,
                    _ => false,
                };
                if bad {
                    return Err(ModelError::Invalid(format!(
                        "comparison {:?}: level {:?} has a threshold out of range",
                        c.name,
                        l.label()
                    )));
                }
            }
            if let Some(m) = &c.m {
                if m.len() != c.levels.len() + 1 || m.iter().any(|x| !(0.0..=1.0).contains(x)) {
                    return Err(ModelError::Invalid(format!(
                        "comparison {:?}: m must have {} probabilities (one per level, then \
                         one for else)",
                        c.name,
                        c.levels.len() + 1
                    )));
                }
            }
            if c.term_frequency && !c.levels.contains(&LevelSpec::Exact) {
                return Err(ModelError::Invalid(format!(
                    "comparison {:?} asks for term_frequency but has no exact level",
                    c.name
                )));
            }
        }
        Ok(())
    }

    /// Every input column the model reads (comparisons, swaps and blocking keys).
    pub fn columns_used(&self) -> Vec<String> {
        let mut cols: Vec<String> = Vec::new();
        let mut add = |c: &str| {
            if !cols.iter().any(|x| x == c) {
                cols.push(c.to_string());
            }
        };
        for c in &self.comparisons {
            add(&c.column);
            for l in &c.levels {
                match l {
                    LevelSpec::Swapped { with } => add(with),
                    LevelSpec::TokenIn { tokens } => add(tokens),
                    LevelSpec::BothPresent { column } | LevelSpec::Among { column } => add(column),
                    _ => {}
                }
            }
        }
        for rule in &self.blocking {
            if let Ok(keys) = crate::blocking::parse_rule(rule) {
                for k in keys {
                    add(&k.column);
                }
            }
        }
        if let Some(c) = &self.decision.one_record_per {
            add(c);
        }
        cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
unique_id = "rec_id"
blocking = ["surname", "substr(given_name, 0, 2), year(dob)"]
[[comparison]]
name = "surname"
column = "surname"
term_frequency = true
levels = [{ kind = "exact" }, { kind = "jaro_winkler", threshold = 0.9 }]
[[comparison]]
name = "dob"
column = "dob"
levels = [{ kind = "date_exact" }, { kind = "date_compatible" }]
"#;

    #[test]
    fn parses_a_model() {
        let m = Model::from_toml(GOOD).unwrap();
        assert_eq!(m.unique_id, "rec_id");
        assert_eq!(m.comparisons.len(), 2);
        assert_eq!(m.decision.clustering, Clustering::Constrained);
        assert_eq!(m.columns_used(), vec!["surname", "dob", "given_name"]);
    }

    #[test]
    fn rejects_unknown_level_kind_with_its_place() {
        let bad = GOOD.replace("date_compatible", "date_roughly");
        let err = Model::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("date_roughly"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn rejects_bad_rule_and_threshold() {
        let bad = GOOD.replace("substr(given_name, 0, 2)", "substr(given_name");
        assert!(Model::from_toml(&bad).is_err());
        let bad = GOOD.replace("0.9", "9");
        assert!(Model::from_toml(&bad)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }
}
