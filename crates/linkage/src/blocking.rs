//! Blocking: which pairs are compared at all.
//!
//! Each rule is a list of keys; two records are a candidate pair under a rule when all
//! keys are equal. A key may give several values for one record (one per name token,
//! say): then sharing any one is enough. The candidate pairs are the union of all rules,
//! and each pair is scored once: a pair is taken by the first rule that produces it, and
//! within a rule by its smallest shared key, which is checked from the two records' keys
//! alone, so nothing needs to remember which pairs were seen.

use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

use crate::birth::Birth;
use crate::error::{LinkError, ModelError};
use crate::spelling;
use crate::table::Table;

/// How one key is computed from a column.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyFn {
    /// Lower-cased value.
    Lower,
    /// Characters `start..start+len` of the lower-cased value.
    Substr(usize, usize),
    /// The script-independent name key, all tokens.
    NameKey,
    /// Each token of the name key (several keys per record).
    NameTokens,
    /// A phonetic key per name token (several keys per record).
    Phonetic,
    /// The birth year (both years for an age stated at a date).
    Year,
    /// Each birth year `y` and `y + 1`, so that births a year apart (a year-only birth
    /// misremembered, an age rounded) share a key.
    NearYear,
    /// Digits only.
    Digits,
}

/// One key of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Input column.
    pub column: String,
    /// Function applied.
    pub func: KeyFn,
}

/// Parses `"given_name, substr(surname, 0, 3), year(dob)"`.
pub fn parse_rule(rule: &str) -> Result<Vec<Key>, ModelError> {
    let bad = |why: &str| ModelError::Invalid(format!("blocking rule {rule:?}: {why}"));
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in rule.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch)
            }
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(bad("unbalanced parentheses"));
                }
                cur.push(ch)
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    if depth != 0 {
        return Err(bad("unbalanced parentheses"));
    }
    parts.push(cur);
    let mut keys = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            return Err(bad("an empty key"));
        }
        let ident = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        };
        if let Some(open) = part.find('(') {
            let func = part[..open].trim();
            let inner = part[open + 1..]
                .strip_suffix(')')
                .ok_or_else(|| bad("text after the closing parenthesis"))?;
            let args: Vec<&str> = inner.split(',').map(str::trim).collect();
            let column = args[0];
            if !ident(column) {
                return Err(bad(&format!("{column:?} is not a column name")));
            }
            let num = |i: usize| -> Result<usize, ModelError> {
                args.get(i).and_then(|a| a.parse().ok()).ok_or_else(|| {
                    bad(&format!(
                        "{func} needs a whole number as argument {}",
                        i + 1
                    ))
                })
            };
            let f = match (func, args.len()) {
                ("lower", 1) => KeyFn::Lower,
                ("substr", 3) => KeyFn::Substr(num(1)?, num(2)?),
                ("name_key", 1) => KeyFn::NameKey,
                ("name_tokens", 1) => KeyFn::NameTokens,
                ("phonetic", 1) => KeyFn::Phonetic,
                ("year", 1) => KeyFn::Year,
                ("near_year", 1) => KeyFn::NearYear,
                ("digits", 1) => KeyFn::Digits,
                _ => {
                    return Err(bad(&format!(
                        "unknown key function {func} with {} argument(s); known: lower(c), \
                         substr(c, start, len), name_key(c), name_tokens(c), phonetic(c), \
                         year(c), near_year(c), digits(c)",
                        args.len()
                    )))
                }
            };
            keys.push(Key {
                column: column.to_string(),
                func: f,
            });
        } else if ident(part) {
            keys.push(Key {
                column: part.to_string(),
                func: KeyFn::Lower,
            });
        } else {
            return Err(bad(&format!(
                "{part:?} is not a column name or key function"
            )));
        }
    }
    Ok(keys)
}

fn key_values(func: &KeyFn, value: &str) -> Vec<String> {
    if value.is_empty() {
        return Vec::new();
    }
    let one = |s: String| if s.is_empty() { vec![] } else { vec![s] };
    match func {
        KeyFn::Lower => one(value.to_lowercase()),
        KeyFn::Substr(start, len) => one(value
            .to_lowercase()
            .chars()
            .skip(*start)
            .take(*len)
            .collect()),
        KeyFn::NameKey => one(spelling::name_key(value)),
        KeyFn::NameTokens => spelling::key_tokens(value),
        KeyFn::Phonetic => spelling::phonetic_keys(value),
        KeyFn::Year => match Birth::parse(value) {
            Some(b) => (b.year_lo..=b.year_hi).map(|y| y.to_string()).collect(),
            None => Vec::new(),
        },
        KeyFn::NearYear => match Birth::parse(value) {
            Some(b) => (b.year_lo..=b.year_hi + 1).map(|y| y.to_string()).collect(),
            None => Vec::new(),
        },
        KeyFn::Digits => one(value.chars().filter(char::is_ascii_digit).collect()),
    }
}

/// The block keys of every record under one rule: sorted, deduplicated per record.
pub struct RuleKeys {
    /// Keys of record `r` are `keys[offsets[r]..offsets[r+1]]`, sorted ascending.
    keys: Vec<u64>,
    offsets: Vec<u32>,
    /// `(key, record)` sorted, for walking blocks.
    entries: Vec<(u64, u32)>,
}

impl RuleKeys {
    /// Computes the keys of every record. A record missing any key part has no key.
    pub fn build(table: &Table, rule: &[Key]) -> Result<RuleKeys, LinkError> {
        let cols = rule
            .iter()
            .map(|k| {
                table
                    .column(&k.column)
                    .ok_or_else(|| LinkError::MissingColumn {
                        column: k.column.clone(),
                        used_by: "a blocking rule".into(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let per_record: Vec<Vec<u64>> = (0..table.len())
            .into_par_iter()
            .map(|row| {
                let parts: Vec<Vec<String>> = rule
                    .iter()
                    .zip(&cols)
                    .map(|(k, c)| key_values(&k.func, c.get(row)))
                    .collect();
                if parts.iter().any(Vec::is_empty) {
                    return Vec::new();
                }
                // Cartesian product of the parts' values, hashed.
                let mut hashes: Vec<FxHasher> = vec![FxHasher::default()];
                for values in &parts {
                    let mut next = Vec::with_capacity(hashes.len() * values.len());
                    for h in &hashes {
                        for v in values {
                            let mut h2 = h.clone();
                            v.hash(&mut h2);
                            next.push(h2);
                        }
                    }
                    hashes = next;
                    if hashes.len() > 64 {
                        hashes.truncate(64);
                    }
                }
                let mut out: Vec<u64> = hashes.into_iter().map(|h| h.finish()).collect();
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        let mut keys = Vec::new();
        let mut offsets = Vec::with_capacity(table.len() + 1);
        offsets.push(0u32);
        let mut entries = Vec::new();
        for (row, ks) in per_record.into_iter().enumerate() {
            for k in ks {
                keys.push(k);
                entries.push((k, row as u32));
            }
            offsets.push(keys.len() as u32);
        }
        entries.par_sort_unstable();
        Ok(RuleKeys {
            keys,
            offsets,
            entries,
        })
    }

    /// The sorted keys of one record.
    pub fn of(&self, row: u32) -> &[u64] {
        let r = row as usize;
        &self.keys[self.offsets[r] as usize..self.offsets[r + 1] as usize]
    }

    /// Blocks as ranges into the sorted entries, with at least two records.
    pub fn blocks(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.entries.len() {
            if i == self.entries.len() || self.entries[i].0 != self.entries[start].0 {
                if i - start >= 2 {
                    out.push(start..i);
                }
                start = i;
            }
        }
        out
    }

    /// The records of a block, with its key.
    pub fn block(&self, range: std::ops::Range<usize>) -> (u64, impl Iterator<Item = u32> + '_) {
        let key = self.entries[range.start].0;
        (key, self.entries[range].iter().map(|e| e.1))
    }
}

/// The smallest key two sorted key lists share.
pub fn first_shared(a: &[u64], b: &[u64]) -> Option<u64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let keys = parse_rule("given_name, substr(surname, 0, 3), year(dob)").unwrap();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[1].func, KeyFn::Substr(0, 3));
        assert!(parse_rule("soundex(surname)").is_err());
        assert!(parse_rule("a,,b").is_err());
        assert!(parse_rule("substr(a, x, 2)").is_err());
    }

    #[test]
    fn multi_valued_keys_share_and_blocks_form() {
        let mut t = Table::new(vec!["dob".into()]);
        t.push("a", &["age 30 @ 2019-10-01"]); // 1988 or 1989
        t.push("b", &["1989-02-03"]);
        t.push("c", &["1988"]);
        t.push("d", &[""]);
        let rk = RuleKeys::build(&t, &parse_rule("year(dob)").unwrap()).unwrap();
        assert_eq!(rk.of(0).len(), 2);
        assert!(rk.of(3).is_empty());
        assert!(first_shared(rk.of(0), rk.of(1)).is_some());
        assert!(first_shared(rk.of(1), rk.of(2)).is_none());
        assert_eq!(rk.blocks().len(), 2);
    }

    #[test]
    fn near_years_meet_a_year_apart_and_no_further() {
        let mut t = Table::new(vec!["dob".into()]);
        t.push("a", &["1989"]);
        t.push("b", &["1990-02-03"]);
        t.push("c", &["1988-12"]);
        t.push("d", &["1991"]);
        let rk = RuleKeys::build(&t, &parse_rule("near_year(dob)").unwrap()).unwrap();
        let meet = |x: u32, y: u32| first_shared(rk.of(x), rk.of(y)).is_some();
        assert!(meet(0, 1) && meet(0, 2) && meet(1, 3));
        assert!(!meet(0, 3), "two years apart");
        assert!(!meet(2, 1), "1988 and 1990");
    }
}
