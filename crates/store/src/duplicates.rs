//! Duplicate detection's side of the store: which pairs of persons to compare, found by
//! blocking on the search index's postings (not by comparing every person with every
//! other), and the review queue as readers see it.
//!
//! **Blocking rule** (one rule, so that a full scan finds exactly the pairs that checking
//! each person on its own would): two persons are a pair to compare when they share
//! - a *pair key* (two tokens of one name, e.g. given and family name, any script) whose
//!   posting holds at most [`SMALL_POSTING`] persons; or one with more, if their possible
//!   birth years meet within [`BIRTH_SLACK`] years (a common full name, split by birth);
//! - or a *single-token key* held by at most [`RARE_TOKEN`] persons (a rare name).
//!
//! Postings above [`HUGE_POSTING`] persons pair nobody: a key that common singles nobody
//! out, and the pair keys of the same persons' other names still meet.

use crate::codec::{decode, id16};
use crate::error::StoreError;
use crate::search::index::{stored_keys, Registered};
use crate::search::postings;
use crate::Registry;
use model::ids::{CandidateId, PersonId};
use model::merge::{CandidateStatus, CandidateView};
use rusqlite::OptionalExtension;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Pair-key postings up to this size pair all their persons.
pub const SMALL_POSTING: usize = 40;
/// Larger pair-key postings pair persons whose births meet within this many years.
pub const BIRTH_SLACK: i32 = 1;
/// Single-token postings up to this size pair all their persons.
pub const RARE_TOKEN: usize = 8;
/// Postings above this size are not read.
pub const HUGE_POSTING: usize = 20_000;
/// Two persons to compare (lower id first).
pub type BlockedPair = (PersonId, PersonId);

/// A member of a posting, with the birth years the index knows.
#[derive(Clone, Copy, Debug)]
struct Member {
    person: PersonId,
    birth: Option<(i32, i32)>,
}

fn is_pair_key(key: &str) -> bool {
    key.contains(' ')
}

/// The pairs one posting gives under the blocking rule, each as `(lower, higher)`.
fn posting_pairs(key: &str, members: &mut [Member], out: &mut dyn FnMut(PersonId, PersonId)) {
    let n = members.len();
    if !(2..=HUGE_POSTING).contains(&n) {
        return;
    }
    let pair_all = if is_pair_key(key) {
        n <= SMALL_POSTING
    } else {
        n <= RARE_TOKEN
    };
    if pair_all {
        for i in 0..n {
            for j in i + 1..n {
                out(members[i].person, members[j].person);
            }
        }
        return;
    }
    if !is_pair_key(key) {
        return;
    }
    // A common full name: only persons whose births meet. Sorted by earliest year, each
    // meets the later ones until their earliest year passes its latest (plus slack).
    members.sort_by_key(|m| (m.birth.map_or(i32::MAX, |b| b.0), m.person));
    for i in 0..n {
        let Some((_, hi)) = members[i].birth else {
            break;
        };
        for m in &members[i + 1..] {
            match m.birth {
                Some((lo, _)) if lo <= hi + BIRTH_SLACK => out(members[i].person, m.person),
                _ => break,
            }
        }
    }
}

fn ordered(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    model::merge::ordered(a, b)
}

/// Collects pairs; the same pair found under several keys is kept once.
#[derive(Default)]
struct Pairs {
    found: Vec<BlockedPair>,
}

impl Pairs {
    fn add(&mut self, a: PersonId, b: PersonId) {
        self.found.push(ordered(a, b));
    }

    fn into_vec(mut self) -> Vec<BlockedPair> {
        self.found.sort_unstable();
        self.found.dedup();
        self.found
    }
}

/// The members of one posting, with the birth years `birth` knows.
fn members(persons: Vec<PersonId>, birth: impl Fn(&PersonId) -> Option<(i32, i32)>) -> Vec<Member> {
    persons
        .into_iter()
        .map(|person| Member {
            birth: birth(&person),
            person,
        })
        .collect()
}

impl Registry {
    /// Every pair of persons the blocking rule (see the module doc) gives, over the
    /// whole registry. `progress(done, total)` counts keys.
    pub fn blocked_pairs(
        &self,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<BlockedPair>, StoreError> {
        let births = self.index_births()?;
        let total: i64 = self.conn.query_row(
            "SELECT count(*) FROM
             (SELECT key FROM search_postings GROUP BY key HAVING sum(persons) > 1)",
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT key, ids FROM search_postings ORDER BY key, start")?;
        let mut rows = stmt.query([])?;
        let mut pairs = Pairs::default();
        let mut done = 0u64;
        let mut key = String::new();
        let mut persons = Vec::new();
        let mut pair_key = |key: &str, persons: &mut Vec<PersonId>| -> Result<(), StoreError> {
            postings::in_order(key, persons)?;
            if persons.len() > 1 {
                if persons.len() <= HUGE_POSTING {
                    let mut members = members(std::mem::take(persons), |p| births.get(p).copied());
                    posting_pairs(key, &mut members, &mut |a, b| pairs.add(a, b));
                }
                done += 1;
                if done % 1024 == 0 {
                    progress(done, total as u64);
                }
            }
            persons.clear();
            Ok(())
        };
        while let Some(row) = rows.next()? {
            let next = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if next != key {
                pair_key(&key, &mut persons)?;
                key = next.to_string();
            }
            persons.extend(postings::decode(&key, row.get_ref(1)?)?);
        }
        pair_key(&key, &mut persons)?;
        progress(total as u64, total as u64);
        Ok(pairs.into_vec())
    }

    /// The pairs the blocking rule gives that involve one of `probes` (new or imported
    /// persons): the same pairs [`Registry::blocked_pairs`] would list for them.
    pub fn blocked_pairs_of(&self, probes: &[PersonId]) -> Result<Vec<BlockedPair>, StoreError> {
        let wanted: BTreeSet<PersonId> = probes.iter().copied().collect();
        let mut keys = BTreeSet::new();
        for p in probes {
            keys.extend(self.index_keys_of(*p)?);
        }
        let mut pairs = Pairs::default();
        for key in keys {
            let mut members = self.posting_members(&key)?;
            posting_pairs(&key, &mut members, &mut |a, b| {
                if wanted.contains(&a) || wanted.contains(&b) {
                    pairs.add(a, b);
                }
            });
        }
        Ok(pairs.into_vec())
    }

    /// The index keys two persons are both posted under (the blocking that found them).
    pub fn shared_keys(&self, a: PersonId, b: PersonId) -> Result<Vec<String>, StoreError> {
        let theirs = self.index_keys_of(b)?;
        Ok(self
            .index_keys_of(a)?
            .into_iter()
            .filter(|k| theirs.contains(k))
            .collect())
    }

    fn index_keys_of(&self, person: PersonId) -> Result<BTreeSet<String>, StoreError> {
        stored_keys(&self.conn, person, Registered::Only)
    }

    fn posting_members(&self, key: &str) -> Result<Vec<Member>, StoreError> {
        // The persons themselves, not the stored counts, decide: as in a full scan.
        let persons = postings::persons(&self.conn, key, HUGE_POSTING + 1)?;
        if !(2..=HUGE_POSTING).contains(&persons.len()) {
            return Ok(Vec::new());
        }
        let mut birth = self
            .conn
            .prepare_cached("SELECT birth_lo, birth_hi FROM search_persons WHERE person = ?1")?;
        let mut births = HashMap::new();
        for person in &persons {
            let row: Option<(Option<i32>, Option<i32>)> = birth
                .query_row([person.as_bytes().as_slice()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((Some(lo), Some(hi))) = row {
                births.insert(*person, (lo, hi));
            }
        }
        Ok(members(persons, |p| births.get(p).copied()))
    }

    /// Every indexed person's possible birth years.
    fn index_births(&self) -> Result<HashMap<PersonId, (i32, i32)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT person, birth_lo, birth_hi FROM search_persons
             WHERE birth_lo IS NOT NULL AND birth_hi IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(row) = rows.next()? {
            out.insert(
                PersonId::from_bytes(id16(row.get(0)?)?),
                (row.get(1)?, row.get(2)?),
            );
        }
        Ok(out)
    }
}

/// Where the parameters duplicate detection learnt are kept (local, not replicated: any
/// replica learns its own from its own records).
const PARAMETERS_KEY: &str = "duplicates.parameters";

impl Registry {
    /// What the last training of duplicate detection wrote (see [`PARAMETERS_KEY`]).
    pub fn duplicate_parameters(&self) -> Result<Option<String>, StoreError> {
        let value: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [PARAMETERS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        value
            .map(|v| {
                String::from_utf8(v)
                    .map_err(|_| StoreError::Corrupt("duplicate parameters are not text".into()))
            })
            .transpose()
    }

    /// Keeps what duplicate detection learnt, replacing what it learnt before.
    pub fn set_duplicate_parameters(&self, text: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            rusqlite::params![PARAMETERS_KEY, text.as_bytes()],
        )?;
        Ok(())
    }
}

/// One entry of the review queue: a candidate, and the two persons its records are now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub candidate: CandidateView,
    /// The persons the pair's records resolve to (a record merged since is shown as the
    /// person it joined), in the pair's order.
    pub persons: (PersonId, PersonId),
}

/// How many candidates are in each state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CandidateCounts {
    pub by_status: BTreeMap<&'static str, u64>,
}

impl Registry {
    /// One candidate.
    pub fn match_candidate(&self, id: CandidateId) -> Result<Option<CandidateView>, StoreError> {
        self.view_by_id("match_candidates", id.as_bytes())
    }

    /// Candidate ids starting with a hex prefix of at least 4 characters (at most 10).
    pub fn candidate_ids_with_prefix(&self, prefix: &str) -> Result<Vec<CandidateId>, StoreError> {
        let ids = self.ids_with_prefix("match_candidates", prefix)?;
        Ok(ids.into_iter().map(CandidateId::from_bytes).collect())
    }

    /// Every candidate in one of `statuses`.
    pub fn candidates_with(
        &self,
        statuses: &[CandidateStatus],
    ) -> Result<Vec<CandidateView>, StoreError> {
        let mut out = Vec::new();
        for status in statuses {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT view FROM match_candidates WHERE status = ?1")?;
            let rows = stmt.query_map([status.as_str()], |r| r.get::<_, Vec<u8>>(0))?;
            for row in rows {
                out.push(decode(&row?)?);
            }
        }
        Ok(out)
    }

    /// The review queue: pending and unsure candidates, strongest first, as pairs of
    /// persons. A pair whose records have since become one person is left out; so is a
    /// pair of persons already decided "not a match" through other records of theirs;
    /// two candidates for the same two persons show once (the stronger).
    pub fn duplicate_queue(&self) -> Result<Vec<QueueItem>, StoreError> {
        let resolve = self.redirects()?;
        let r = |id: PersonId| resolve.get(&id).copied().unwrap_or(id);
        let not_a_match: BTreeSet<(PersonId, PersonId)> = self
            .candidates_with(&[CandidateStatus::NotAMatch])?
            .into_iter()
            .map(|c| ordered(r(c.pair.0), r(c.pair.1)))
            .collect();
        let mut best: BTreeMap<(PersonId, PersonId), QueueItem> = BTreeMap::new();
        for c in self.candidates_with(&[CandidateStatus::Pending, CandidateStatus::Unsure])? {
            let persons = (r(c.pair.0), r(c.pair.1));
            let key = ordered(persons.0, persons.1);
            if persons.0 == persons.1 || not_a_match.contains(&key) {
                continue;
            }
            let better = best.get(&key).is_none_or(|b| {
                (c.weight(), std::cmp::Reverse(c.id))
                    > (b.candidate.weight(), std::cmp::Reverse(b.candidate.id))
            });
            if better {
                best.insert(
                    key,
                    QueueItem {
                        candidate: c,
                        persons,
                    },
                );
            }
        }
        let mut out: Vec<QueueItem> = best.into_values().collect();
        out.sort_by_key(|i| (std::cmp::Reverse(i.candidate.weight()), i.candidate.id));
        Ok(out)
    }

    /// Counts of candidates by status (all candidates: callers that must not reveal
    /// persons outside a scope count the queue they were given instead).
    pub fn candidate_counts(&self) -> Result<CandidateCounts, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, count(*) FROM match_candidates GROUP BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = CandidateCounts::default();
        for row in rows {
            let (status, n) = row?;
            let name = [
                CandidateStatus::Pending,
                CandidateStatus::Unsure,
                CandidateStatus::NotAMatch,
                CandidateStatus::Merged,
                CandidateStatus::Withdrawn,
            ]
            .into_iter()
            .find(|s| s.as_str() == status)
            .map_or("unknown", |s| s.as_str());
            out.by_status.insert(name, n as u64);
        }
        Ok(out)
    }

    /// Every merged record → the person it is shown as.
    fn redirects(&self) -> Result<HashMap<PersonId, PersonId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT merged, resolved FROM person_redirects")?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(row) = rows.next()? {
            out.insert(
                PersonId::from_bytes(id16(row.get(0)?)?),
                PersonId::from_bytes(id16(row.get(1)?)?),
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(n: u128, birth: Option<(i32, i32)>) -> Member {
        Member {
            person: PersonId::from_u128(n),
            birth,
        }
    }

    fn pairs(key: &str, members: &mut [Member]) -> Vec<(u128, u128)> {
        let mut out = Vec::new();
        posting_pairs(key, members, &mut |a, b| {
            let (a, b) = ordered(a, b);
            out.push((a.0.as_u128(), b.0.as_u128()));
        });
        out.sort();
        out
    }

    #[test]
    fn small_pair_postings_pair_everyone_rare_tokens_too_common_tokens_nobody() {
        let mut three = [m(1, None), m(2, None), m(3, None)];
        assert_eq!(pairs("smr bzw", &mut three), [(1, 2), (1, 3), (2, 3)]);
        assert_eq!(pairs("bzw", &mut three), [(1, 2), (1, 3), (2, 3)]);
        let mut many: Vec<Member> = (0..RARE_TOKEN as u128 + 1).map(|i| m(i, None)).collect();
        assert!(pairs("fatima", &mut many).is_empty());
    }

    #[test]
    fn a_common_full_name_pairs_only_births_that_meet() {
        let mut many: Vec<Member> = (0..SMALL_POSTING as u128 + 5)
            .map(|i| m(i, Some((1950 + 3 * i as i32, 1950 + 3 * i as i32))))
            .collect();
        many.push(m(500, Some((1951, 1952))));
        many.push(m(501, None));
        let found = pairs("ftm hsn", &mut many);
        // 500 (1951-52) meets 0 (1950, within a year) and 1 (1953); nobody else meets.
        assert_eq!(found, [(0, 500), (1, 500)]);
    }
}
