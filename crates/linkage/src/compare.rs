//! Comparisons prepared for fast scoring: each record's value is transformed, interned
//! (so exact agreement is one integer compare and value frequencies come for free), and
//! parsed once when a level needs a date or a set.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::birth::Birth;
use crate::error::LinkError;
use crate::model::{ComparisonSpec, LevelSpec, Transform};
use crate::similarity::{damerau_levenshtein, jaro_winkler, levenshtein};
use crate::spelling;
use crate::table::{Column, Table};

/// Level index of a pair: 0 is null (a value missing), `1..=levels` the spec's levels in
/// order, `levels + 1` is "else" (none held).
pub type Gamma = u8;

/// Prepared values kept for string measures. Short values are stored inline, one
/// fixed-width slot per record (length byte, then the bytes), so that reading a value
/// touches one cache line instead of an offset table and a separate buffer.
enum Values {
    None,
    Inline { width: usize, data: Vec<u8> },
    Heap(Column),
}

const MAX_INLINE: usize = 48;

impl Values {
    fn new(c: &Column, needed: bool) -> Values {
        if !needed {
            return Values::None;
        }
        let longest = (0..c.len()).map(|r| c.get(r).len()).max().unwrap_or(0);
        if longest >= MAX_INLINE {
            return Values::Heap(c.clone());
        }
        let width = (longest + 1).next_multiple_of(8);
        let mut data = vec![0u8; width * c.len()];
        for r in 0..c.len() {
            let v = c.get(r).as_bytes();
            let slot = &mut data[r * width..(r + 1) * width];
            slot[0] = v.len() as u8;
            slot[1..=v.len()].copy_from_slice(v);
        }
        Values::Inline { width, data }
    }

    fn get(&self, r: usize) -> &str {
        match self {
            Values::None => "",
            Values::Inline { width, data } => {
                let slot = &data[r * width..(r + 1) * width];
                let len = slot[0] as usize;
                // Written from a `&str` above, so always valid UTF-8.
                std::str::from_utf8(&slot[1..=len]).unwrap_or("")
            }
            Values::Heap(c) => c.get(r),
        }
    }
}

fn needs_strings(spec: &ComparisonSpec) -> bool {
    spec.levels.iter().any(|l| {
        matches!(
            l,
            LevelSpec::JaroWinkler { .. }
                | LevelSpec::Levenshtein { .. }
                | LevelSpec::DamerauLevenshtein { .. }
        )
    })
}

/// A comparison ready to compare any two records.
pub struct Prepared {
    /// The spec it came from.
    pub spec: ComparisonSpec,
    values: Values,
    /// Interned prepared value per record; 0 = missing.
    pub ids: Vec<u32>,
    /// How many records have each id (index 0 unused).
    pub counts: Vec<u32>,
    swaps: Vec<Vec<u32>>,
    token_sets: Vec<(Vec<u32>, Vec<u32>)>,
    /// Per `both_present` level, whether each record has a value in its column.
    present: Vec<Vec<bool>>,
    keys: Option<Vec<u32>>,
    names: Option<Vec<spelling::PreparedName>>,
    births: Option<Vec<Option<Birth>>>,
    sets: Option<(Vec<u32>, Vec<u32>)>,
    /// Index (1-based level number) of the exact level, if any.
    pub exact_level: Option<Gamma>,
}

fn transform(t: Transform, v: &str) -> String {
    match t {
        Transform::None => v.to_string(),
        Transform::Lower => v
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
        Transform::NameKey => spelling::name_key(v),
        Transform::Digits => v.chars().filter(char::is_ascii_digit).collect(),
    }
}

struct Interner<'a> {
    map: FxHashMap<&'a str, u32>,
    counts: Vec<u32>,
}

impl<'a> Interner<'a> {
    /// The id of a value already seen, 0 if none (a token no record has as its value
    /// cannot match any).
    fn lookup(&self, v: &str) -> u32 {
        self.map.get(v).copied().unwrap_or(0)
    }

    fn new() -> Self {
        Interner {
            map: FxHashMap::default(),
            counts: vec![0],
        }
    }
    fn id(&mut self, v: &'a str, count: bool) -> u32 {
        if v.is_empty() {
            return 0;
        }
        let next = self.counts.len() as u32;
        let id = *self.map.entry(v).or_insert(next);
        if id == next {
            self.counts.push(0);
        }
        if count {
            self.counts[id as usize] += 1;
        }
        id
    }
}

impl Prepared {
    /// Prepares one comparison over all records.
    pub fn build(table: &Table, spec: &ComparisonSpec) -> Result<Prepared, LinkError> {
        let col = |name: &str| {
            table.column(name).ok_or_else(|| LinkError::MissingColumn {
                column: name.to_string(),
                used_by: format!("comparison {:?}", spec.name),
            })
        };
        let raw_col = col(&spec.column)?;
        let prep = |c: &Column| -> Column {
            let v: Vec<String> = (0..c.len())
                .into_par_iter()
                .map(|r| transform(spec.transform, c.get(r)))
                .collect();
            Column::from_values(v.iter().map(String::as_str))
        };
        let values = prep(raw_col);
        let swap_cols: Vec<Column> = spec
            .levels
            .iter()
            .filter_map(|l| match l {
                LevelSpec::Swapped { with } => Some(col(with).map(prep)),
                _ => None,
            })
            .collect::<Result<_, _>>()?;
        let mut interner = Interner::new();
        let ids: Vec<u32> = (0..values.len())
            .map(|r| interner.id(values.get(r), true))
            .collect();
        let swaps: Vec<Vec<u32>> = swap_cols
            .iter()
            .map(|c| (0..c.len()).map(|r| interner.id(c.get(r), false)).collect())
            .collect();
        // Token levels split their column on whitespace, `among` levels on `|`.
        let token_cols: Vec<(&Column, bool)> = spec
            .levels
            .iter()
            .filter_map(|l| match l {
                LevelSpec::TokenIn { tokens } => Some(col(tokens).map(|c| (c, false))),
                LevelSpec::Among { column } => Some(col(column).map(|c| (c, true))),
                _ => None,
            })
            .collect::<Result<_, _>>()?;
        let token_sets: Vec<(Vec<u32>, Vec<u32>)> = token_cols
            .iter()
            .map(|&(c, among)| {
                let mut flat = Vec::new();
                let mut offs = vec![0u32];
                for r in 0..c.len() {
                    let parts: Vec<&str> = if among {
                        c.get(r).split('|').map(str::trim).collect()
                    } else {
                        c.get(r).split_whitespace().collect()
                    };
                    for tok in parts {
                        let t = transform(spec.transform, tok);
                        let id = interner.lookup(&t);
                        if id != 0 {
                            flat.push(id);
                        }
                    }
                    offs.push(flat.len() as u32);
                }
                (flat, offs)
            })
            .collect();
        let counts = interner.counts;
        let present: Vec<Vec<bool>> = spec
            .levels
            .iter()
            .filter_map(|l| match l {
                LevelSpec::BothPresent { column } => Some(col(column)),
                _ => None,
            })
            .map(|c| c.map(|c| (0..c.len()).map(|r| !c.get(r).is_empty()).collect()))
            .collect::<Result<_, _>>()?;

        let needs_keys = spec.levels.iter().any(|l| matches!(l, LevelSpec::NameKey));
        let keys = if needs_keys {
            let k: Vec<String> = (0..raw_col.len())
                .into_par_iter()
                .map(|r| spelling::name_key(raw_col.get(r)))
                .collect();
            let mut int = Interner::new();
            Some(k.iter().map(|v| int.id(v, false)).collect())
        } else {
            None
        };
        let names = if spec
            .levels
            .iter()
            .any(|l| matches!(l, LevelSpec::NameSimilarity { .. }))
        {
            Some(
                (0..raw_col.len())
                    .into_par_iter()
                    .map(|r| spelling::PreparedName::new(raw_col.get(r)))
                    .collect(),
            )
        } else {
            None
        };
        let births = if spec.levels.iter().any(LevelSpec::is_date) {
            let mut out = Vec::with_capacity(raw_col.len());
            for r in 0..raw_col.len() {
                let v = raw_col.get(r);
                if v.is_empty() {
                    out.push(None);
                    continue;
                }
                match Birth::parse(v) {
                    Some(b) => out.push(Some(b)),
                    None => return Err(LinkError::BadValue {
                        row: r,
                        column: spec.column.clone(),
                        value: v.to_string(),
                        expected:
                            "a date (YYYY-MM-DD, YYYY-MM, YYYY, YYYYMMDD or `age N @ YYYY-MM-DD`)",
                    }),
                }
            }
            Some(out)
        } else {
            None
        };
        let sets = if spec.levels.iter().any(LevelSpec::is_set) {
            let mut codes = Interner::new();
            let mut flat = Vec::new();
            let mut offs = vec![0u32];
            for r in 0..raw_col.len() {
                let mut s: Vec<u32> = raw_col
                    .get(r)
                    .split([';', ','])
                    .map(|c| c.split(':').next().unwrap_or("").trim())
                    .filter(|c| !c.is_empty())
                    .map(|c| codes.id(c, false))
                    .collect();
                s.sort_unstable();
                s.dedup();
                flat.extend(s);
                offs.push(flat.len() as u32);
            }
            Some((flat, offs))
        } else {
            None
        };
        let exact_level = spec
            .levels
            .iter()
            .position(|l| *l == LevelSpec::Exact)
            .map(|i| i as Gamma + 1);
        Ok(Prepared {
            spec: spec.clone(),
            values: Values::new(&values, needs_strings(spec)),
            ids,
            counts,
            swaps,
            token_sets,
            present,
            keys,
            names,
            births,
            sets,
            exact_level,
        })
    }

    /// Number of gamma values: null, each level, else.
    pub fn n_gammas(&self) -> usize {
        self.spec.levels.len() + 2
    }

    fn set(&self, r: usize) -> &[u32] {
        match &self.sets {
            Some((flat, offs)) => &flat[offs[r] as usize..offs[r + 1] as usize],
            None => &[],
        }
    }

    /// The level of pair `(a, b)`.
    pub fn gamma(&self, a: usize, b: usize) -> Gamma {
        let (ia, ib) = (self.ids[a], self.ids[b]);
        if ia == 0 || ib == 0 {
            return 0;
        }
        let mut swap_i = 0;
        let mut token_i = 0;
        let mut present_i = 0;
        // Each measure is computed at most once per pair, however many levels use it.
        let mut jw: Option<f64> = None;
        let mut lev: Option<usize> = None;
        let mut dl: Option<usize> = None;
        let mut ns: Option<f64> = None;
        for (i, level) in self.spec.levels.iter().enumerate() {
            let holds = match level {
                LevelSpec::Exact => ia == ib,
                LevelSpec::JaroWinkler { threshold } => {
                    ia == ib
                        || *jw.get_or_insert_with(|| {
                            jaro_winkler(self.values.get(a), self.values.get(b))
                        }) >= *threshold
                }
                LevelSpec::Levenshtein { max } => {
                    ia == ib
                        || *lev.get_or_insert_with(|| {
                            levenshtein(self.values.get(a), self.values.get(b))
                        }) <= *max
                }
                LevelSpec::DamerauLevenshtein { max } => {
                    ia == ib
                        || *dl.get_or_insert_with(|| {
                            damerau_levenshtein(self.values.get(a), self.values.get(b))
                        }) <= *max
                }
                LevelSpec::NameKey => match &self.keys {
                    Some(k) => k[a] != 0 && k[a] == k[b],
                    None => false,
                },
                LevelSpec::NameSimilarity { threshold } => {
                    ia == ib
                        || *ns.get_or_insert_with(|| match &self.names {
                            Some(n) => spelling::name_similarity(&n[a], &n[b]),
                            None => 0.0,
                        }) >= *threshold
                }
                LevelSpec::Swapped { .. } => {
                    let s = &self.swaps[swap_i];
                    swap_i += 1;
                    s[a] != 0 && s[b] != 0 && ia == s[b] && ib == s[a]
                }
                LevelSpec::TokenIn { .. } | LevelSpec::Among { .. } => {
                    let (flat, offs) = &self.token_sets[token_i];
                    token_i += 1;
                    let of = |r: usize| &flat[offs[r] as usize..offs[r + 1] as usize];
                    of(b).contains(&ia) || of(a).contains(&ib)
                }
                LevelSpec::BothPresent { .. } => {
                    let p = &self.present[present_i];
                    present_i += 1;
                    p[a] && p[b]
                }
                LevelSpec::DateExact
                | LevelSpec::DateWithinDays { .. }
                | LevelSpec::DateSameMonth
                | LevelSpec::DateCompatible
                | LevelSpec::DateWithinYears { .. } => {
                    let births = match &self.births {
                        Some(b) => b,
                        None => return 0,
                    };
                    match (&births[a], &births[b]) {
                        (Some(x), Some(y)) => match level {
                            LevelSpec::DateExact => x.same_day(y),
                            LevelSpec::DateWithinDays { days } => {
                                x.days_apart(y).is_some_and(|d| d <= *days)
                            }
                            LevelSpec::DateSameMonth => x.same_month(y),
                            LevelSpec::DateCompatible => x.compatible(y),
                            LevelSpec::DateWithinYears { years } => x.year_gap(y) <= *years,
                            _ => false,
                        },
                        _ => return 0,
                    }
                }
                LevelSpec::SetEqual => {
                    let (x, y) = (self.set(a), self.set(b));
                    if x.is_empty() || y.is_empty() {
                        return 0;
                    }
                    x == y
                }
                LevelSpec::SetOverlap => {
                    let (x, y) = (self.set(a), self.set(b));
                    if x.is_empty() || y.is_empty() {
                        return 0;
                    }
                    crate::blocking::first_shared(
                        &x.iter().map(|&v| v as u64).collect::<Vec<_>>(),
                        &y.iter().map(|&v| v as u64).collect::<Vec<_>>(),
                    )
                    .is_some()
                }
            };
            if holds {
                return i as Gamma + 1;
            }
        }
        self.spec.levels.len() as Gamma + 1
    }

    /// Share of records with a value that have value `id` (term frequency).
    pub fn frequency(&self, id: u32, non_null: u64) -> f64 {
        self.counts[id as usize] as f64 / non_null.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    #[test]
    fn levels_in_order_with_null_and_else() {
        let m = Model::from_toml(
            r#"
blocking = ["a"]
[[comparison]]
name = "a"
column = "a"
transform = "lower"
levels = [{ kind = "exact" }, { kind = "swapped", with = "b" }, { kind = "jaro_winkler", threshold = 0.9 }]
[[comparison]]
name = "d"
column = "d"
levels = [{ kind = "date_exact" }, { kind = "date_compatible" }, { kind = "date_within_years", years = 2 }]
[[comparison]]
name = "n"
column = "n"
levels = [{ kind = "set_equal" }, { kind = "set_overlap" }]
"#,
        )
        .unwrap();
        let mut t = Table::new(vec!["a".into(), "b".into(), "d".into(), "n".into()]);
        t.push("1", &["Martha", "Smith", "1990-01-02", "BE;FR:disputed"]);
        t.push("2", &["MARTHA", "x", "1990", "FR"]);
        t.push("3", &["Smith", "Martha", "1992-05-05", "BE;FR"]);
        t.push("4", &["Marhta", "", "", ""]);
        let a = Prepared::build(&t, &m.comparisons[0]).unwrap();
        assert_eq!(a.gamma(0, 1), 1);
        assert_eq!(a.gamma(0, 2), 2);
        assert_eq!(a.gamma(0, 3), 3);
        assert_eq!(a.gamma(1, 2), 4);
        let d = Prepared::build(&t, &m.comparisons[1]).unwrap();
        assert_eq!(d.gamma(0, 1), 2);
        assert_eq!(d.gamma(0, 2), 3);
        assert_eq!(d.gamma(0, 3), 0);
        let n = Prepared::build(&t, &m.comparisons[2]).unwrap();
        assert_eq!(n.gamma(0, 2), 1);
        assert_eq!(n.gamma(0, 1), 2);
        assert_eq!(n.gamma(0, 3), 0);
    }

    /// A family-name comparison with an exact level and `level` (which reads column
    /// `other`), over records of (family, other).
    fn family_with(level: &str, rows: &[(&str, &str)]) -> Prepared {
        let m = Model::from_toml(&format!(
            r#"
blocking = ["family"]
[[comparison]]
name = "family"
column = "family"
transform = "name_key"
levels = [{{ kind = "exact" }}, {level}]
"#
        ))
        .unwrap();
        let mut t = Table::new(vec!["family".into(), "other".into()]);
        for (i, (family, other)) in rows.iter().enumerate() {
            t.push(&i.to_string(), &[family, other]);
        }
        Prepared::build(&t, &m.comparisons[0]).unwrap()
    }

    #[test]
    fn among_finds_a_value_in_the_other_records_list() {
        let f = family_with(
            r#"{ kind = "among", column = "other" }"#,
            &[
                // A mother under her maiden name, her children under their father's name.
                ("Zayani", "Al-Harbi | Al-Harbi"),
                // The same mother under her married name, alone on another list.
                ("الحربي", ""),
                ("Tamimi", "Tamimi"),
            ],
        );
        assert_eq!(f.gamma(0, 1), 2, "her married name is her children's name");
        assert_eq!(f.gamma(1, 0), 2, "either way round");
        assert_eq!(f.gamma(1, 2), 3);
        assert_eq!(f.gamma(0, 2), 3);
    }

    #[test]
    fn both_present_holds_only_when_both_records_have_the_flag() {
        let f = family_with(
            r#"{ kind = "both_present", column = "other" }"#,
            &[
                ("Zayani", "1"),
                ("Al-Harbi", "1"),
                ("Al-Harbi", ""),
                ("Tamimi", ""),
            ],
        );
        assert_eq!(f.gamma(1, 2), 1, "exact comes first");
        assert_eq!(
            f.gamma(0, 1),
            2,
            "two women: maiden and married names may differ"
        );
        assert_eq!(f.gamma(0, 2), 3, "only one flagged: else");
        assert_eq!(f.gamma(2, 3), 3);
    }

    #[test]
    fn a_bad_date_names_row_and_column() {
        let m = Model::from_toml(
            r#"
blocking = ["d"]
[[comparison]]
name = "d"
column = "d"
levels = [{ kind = "date_exact" }]
"#,
        )
        .unwrap();
        let mut t = Table::new(vec!["d".into()]);
        t.push("1", &["1990-01-02"]);
        t.push("2", &["last spring"]);
        match Prepared::build(&t, &m.comparisons[0]) {
            Err(LinkError::BadValue { row, column, .. }) => {
                assert_eq!(row, 1);
                assert_eq!(column, "d");
            }
            _ => panic!("expected a bad value error"),
        }
    }
}
