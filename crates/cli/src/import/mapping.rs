//! The mapping file of `homeward import`: which list this is, how far to trust it, and
//! which of its columns hold which facts. TOML, written once per kind of list.

use anyhow::{bail, Context as _};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A whole mapping file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub list: ListInfo,
    pub columns: Columns,
    /// Cell values to read as others, per field: `[values.sex] "F" = "female"`.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// What the list is; it becomes the report every imported fact cites.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ListInfo {
    /// What the list is, in words (the report's content).
    pub title: String,
    /// Admiralty grade of the list, e.g. "B2".
    pub grade: String,
    /// Default `official_list`.
    #[serde(default = "official_list")]
    pub channel: String,
    /// Who gave the list; sealed like every report source.
    pub source: Option<String>,
    /// When the list reached us (YYYY-MM-DD); default now.
    pub received: Option<String>,
    /// When the list was true (YYYY-MM-DD); default `received`.
    pub observed: Option<String>,
    /// The place every row is at, unless a `place` column says otherwise.
    pub place: Option<String>,
}

fn official_list() -> String {
    "official_list".into()
}

/// Column headers, by the fact they hold. Every one is optional but `names`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The list's own row number or id, quoted back in problems.
    pub row_id: Option<String>,
    /// Columns each holding a full name, in any script.
    pub names: Vec<String>,
    pub kunya: Option<String>,
    pub sex: Option<String>,
    /// YYYY-MM-DD, YYYY-MM or YYYY.
    pub birth: Option<String>,
    /// An age in years, stated on the day the list was true.
    pub age: Option<String>,
    /// Country codes or nationality words, separated by `;` or `,`.
    pub nationalities: Option<String>,
    pub place: Option<String>,
    /// A family's number within this list.
    pub household: Option<String>,
    /// Relation to the head of the family: head, wife, mother, son, daughter, child...
    pub relation: Option<String>,
    /// A medical condition, e.g. "chronic bronchitis".
    pub condition: Option<String>,
}

impl Columns {
    /// Every header the mapping names, with the field it is for.
    pub fn named(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, &str)> =
            self.names.iter().map(|n| ("names", n.as_str())).collect();
        for (field, header) in [
            ("row_id", &self.row_id),
            ("kunya", &self.kunya),
            ("sex", &self.sex),
            ("birth", &self.birth),
            ("age", &self.age),
            ("nationalities", &self.nationalities),
            ("place", &self.place),
            ("household", &self.household),
            ("relation", &self.relation),
            ("condition", &self.condition),
        ] {
            if let Some(h) = header {
                out.push((field, h.as_str()));
            }
        }
        out
    }
}

impl Mapping {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the mapping file {}", path.display()))?;
        let mapping: Mapping = toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "the mapping file {} is not valid: {}",
                path.display(),
                e.to_string().trim()
            )
        })?;
        if mapping.columns.names.is_empty() {
            bail!(
                "the mapping file {} names no name column: add `names = [\"<header>\"]` under [columns]",
                path.display()
            );
        }
        if mapping.list.title.trim().is_empty() {
            bail!(
                "the mapping file {} has an empty [list] title: say what the list is",
                path.display()
            );
        }
        Ok(mapping)
    }

    /// The value a cell stands for under `[values.FIELD]`, else the cell itself.
    pub fn value<'a>(&'a self, field: &str, cell: &'a str) -> &'a str {
        self.values
            .get(field)
            .and_then(|m| m.get(cell))
            .map_or(cell, String::as_str)
    }
}
