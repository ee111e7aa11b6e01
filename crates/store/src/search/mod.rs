//! Name search over an index the store keeps current with every event.
//!
//! The index ([`index`]) posts each person under the phonetic key of every token of every
//! name (any script: Arabic, Latin and Cyrillic spellings of one name share keys) and
//! under pair keys (every two of its first six tokens, order-free), and posts parents
//! under their children's given-name keys for kunyas. A query ([`query`]) is read into a
//! name, a kunya and hints; candidates come from the pair postings (small: two names
//! rarely share both keys), then, only if those are few, from single-token postings taken
//! rarest first up to a fixed budget, and from the kin postings. At most `POOL_MAX` rows
//! are read and ordered by keys hit and agreement with the query's hints; the best
//! [`RANK_MAX`] are ranked with `names`' similarity ([`rank`]). The cost of a query
//! is bounded by these constants, not by the registry's size or a name's frequency.

pub(crate) mod index;
pub(crate) mod keys;
pub(crate) mod postings;
pub mod query;
mod rank;

use crate::camps::load_places;
use crate::error::StoreError;
use crate::Registry;
use keys::{given_key, pair_key, NAME_SEPARATOR};
use model::ids::{PersonId, PlaceId};
use model::person::Sex;
use model::place::PlaceKind;
use model::CountryCode;
use query::{CampName, ParsedQuery, SearchFilters};
use rank::{Candidate, Ranker};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most persons read from one posting list.
const POSTING_CAP: usize = 4_000;
/// Pair postings giving at least this many candidates are enough: single tokens are
/// not consulted.
const ENOUGH: usize = 40;
/// Most candidates taken from single-token postings.
const SINGLE_BUDGET: usize = 2_500;
/// Most candidates whose rows are read (those hit by most keys first).
const POOL_MAX: usize = 600;
/// Most candidates ranked by name similarity (the pool's best by keys and hints).
pub const RANK_MAX: usize = 200;

/// Why a person matched.
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct Why {
    /// The person's name that matched best, as recorded.
    pub name: Option<String>,
    /// Its similarity to the query's name, in [0, 1].
    pub name_score: f64,
    /// The index keys the person was found under.
    pub keys: Vec<String>,
    /// For a kunya: the child who matched, e.g. "mother of Adam Ahmed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kin: Option<String>,
    /// The child `kin` names: an access layer drops `kin` if its caller may not see them.
    #[serde(skip)]
    pub kin_person: Option<PersonId>,
    /// Hints of the query that agree: "nationality BE", "camp Roj", "born 1990".
    pub fields: Vec<String>,
}

/// One search result.
#[derive(Clone, PartialEq, Debug)]
pub struct SearchHit {
    pub person: PersonId,
    pub score: f64,
    pub names: Vec<String>,
    pub why: Why,
}

#[derive(Default)]
struct Found {
    hits: u32,
    keys: BTreeSet<String>,
    children: Vec<PersonId>,
}

impl Registry {
    /// Persons matching `text` (see the module doc), best first, at most `limit`, each
    /// passing `filters` and `keep` (the caller's visibility rule: persons it rejects are
    /// skipped before ranking, so they neither appear nor take a place).
    pub fn search(
        &self,
        text: &str,
        filters: &SearchFilters,
        limit: usize,
        keep: &dyn Fn(PersonId) -> bool,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let query = ParsedQuery::parse(text, &self.camp_names()?);
        if query.name.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let ranker = Ranker::new(&query);
        // Stage 1: read the pooled candidates' rows, apply visibility and filters, and
        // order them by keys hit and hint agreement (cheap).
        let mut pool = Vec::new();
        for (id, f) in self.candidates(&query)? {
            if !keep(id) {
                continue;
            }
            let Some(c) = self.candidate(id)? else {
                continue;
            };
            if c.passes(filters) {
                let pre = f64::from(f.hits) + ranker.hint_agreement(&c);
                pool.push((pre, id, f, c));
            }
        }
        pool.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        pool.truncate(RANK_MAX);
        // Stage 2: name similarity (and the kunya's children) for the best of them.
        let mut hits = Vec::with_capacity(pool.len());
        for (_, id, f, c) in pool {
            let mut children = Vec::new();
            for child in &f.children {
                if let Some(cc) = self.candidate(*child)? {
                    children.extend(cc.names.into_iter().map(|n| (*child, n)));
                }
            }
            let (score, mut why) = ranker.score(&c, &children);
            why.keys = f.keys.into_iter().collect();
            hits.push(SearchHit {
                person: id,
                score,
                names: c.names,
                why,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.person.cmp(&b.person)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Parses a query without running it: what `search` understood.
    pub fn parse_search(&self, text: &str) -> Result<ParsedQuery, StoreError> {
        Ok(ParsedQuery::parse(text, &self.camp_names()?))
    }

    fn camp_names(&self) -> Result<Vec<CampName>, StoreError> {
        Ok(load_places(&self.conn)?
            .into_values()
            .filter(|v| v.place.kind == PlaceKind::Camp)
            .map(|v| CampName {
                id: v.place.id,
                key: names::comparison_key(&v.place.name),
                name: v.place.name,
            })
            .collect())
    }

    /// Candidate persons with how many keys found them, bounded by the constants above.
    fn candidates(&self, q: &ParsedQuery) -> Result<Vec<(PersonId, Found)>, StoreError> {
        let mut tokens: Vec<String> = names::phonetic_keys(&q.name);
        tokens.sort();
        tokens.dedup();
        let mut found: HashMap<PersonId, Found> = HashMap::new();
        for (i, a) in tokens.iter().enumerate() {
            for b in &tokens[i + 1..] {
                let key = pair_key(a, b);
                for id in postings::persons(&self.conn, &key, POSTING_CAP)? {
                    let f = found.entry(id).or_default();
                    f.hits += 2;
                    f.keys.insert(key.clone());
                }
            }
        }
        if found.len() < ENOUGH {
            self.add_singles(&tokens, &mut found)?;
        }
        if let Some(key) = q.kunya.as_ref().and_then(|k| given_key(&k.child_name)) {
            for (parent, child) in self.kin_posting(&key)? {
                let f = found.entry(parent).or_default();
                f.hits += 2;
                f.keys.insert(format!("child {key}"));
                f.children.push(child);
            }
        }
        let mut all: Vec<(PersonId, Found)> = found.into_iter().collect();
        all.sort_by(|a, b| b.1.hits.cmp(&a.1.hits).then(a.0.cmp(&b.0)));
        all.truncate(POOL_MAX);
        Ok(all)
    }

    /// Single-token postings, rarest first, until the budget is spent.
    fn add_singles(
        &self,
        tokens: &[String],
        found: &mut HashMap<PersonId, Found>,
    ) -> Result<(), StoreError> {
        let mut by_size: BTreeMap<(usize, &String), ()> = BTreeMap::new();
        for t in tokens {
            if let Some(n) = postings::count(&self.conn, t)? {
                by_size.insert((n, t), ());
            }
        }
        let mut budget = SINGLE_BUDGET;
        for (_, key) in by_size.keys() {
            if budget == 0 {
                break;
            }
            let ids = postings::persons(&self.conn, key, budget.min(POSTING_CAP))?;
            for id in ids {
                let f = found.entry(id).or_default();
                if f.hits == 0 {
                    budget = budget.saturating_sub(1);
                }
                f.hits += 1;
                f.keys.insert((*key).clone());
            }
        }
        Ok(())
    }

    fn kin_posting(&self, key: &str) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT parent, child FROM search_kin WHERE key = ?1 LIMIT ?2")?;
        let rows = stmt.query_map(rusqlite::params![key, POSTING_CAP as i64], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        rows.map(|r| {
            let (p, c) = r?;
            Ok((
                PersonId::from_bytes(id16(p)?),
                PersonId::from_bytes(id16(c)?),
            ))
        })
        .collect()
    }

    /// A registered person's search row.
    fn candidate(&self, id: PersonId) -> Result<Option<Candidate>, StoreError> {
        type Row = (
            String,
            Option<i32>,
            Option<i32>,
            Option<Vec<u8>>,
            String,
            String,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT sex, birth_lo, birth_hi, camp, countries, names FROM search_persons
                 WHERE person = ?1 AND registered = 1",
            )?
            .query_row([id.as_bytes().as_slice()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .optional()?;
        let Some((sex, lo, hi, camp, countries, names)) = row else {
            return Ok(None);
        };
        Ok(Some(Candidate {
            sex: match sex.as_str() {
                "female" => Sex::Female,
                "male" => Sex::Male,
                _ => Sex::Unknown,
            },
            birth: lo.zip(hi),
            camp: camp.map(|c| id16(c).map(PlaceId::from_bytes)).transpose()?,
            countries: countries
                .split(',')
                .filter_map(|c| c.parse::<CountryCode>().ok())
                .collect(),
            names: names.split(NAME_SEPARATOR).map(str::to_string).collect(),
        }))
    }
}

fn id16(bytes: Vec<u8>) -> Result<[u8; 16], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("search index: id has the wrong length".into()))
}
