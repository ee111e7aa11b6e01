//! The postings: for each search key, the persons posted under it.
//!
//! A key's persons, in id order, are cut into runs, a row each in `search_postings`:
//! `(key, start, persons, ids)`, where `ids` is the run's 16-byte ids end to end and
//! `start` the first of them, or empty for the key's first run. A run begins at each
//! person whose id is a *cut* ([`is_cut`]: a fixed hash of the id alone, true for one id
//! in [`RUN_MEAN`]). So the rows are a function of the set of persons alone: a rebuild
//! writes byte for byte what appends wrote, whatever order the persons came in, and
//! adding or removing a person changes the one run they fall in (two, when they are a
//! cut themselves).
//!
//! Why runs and not a row per key and person: a registration posts a person under about
//! eight keys, and a row each made the postings the largest part of an append (629,267
//! rows for the demo's 81,750 persons, over 20,337 keys); a flush now writes a few
//! rows per key it touches. Why runs and not one row per key: a single registration
//! would rewrite whole lists of common keys (the demo's largest holds 6,741 persons,
//! 105 KiB), about 0.7 ms of page encryption at commit; a run averages 1 KiB.

use crate::error::StoreError;
use model::ids::PersonId;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;

const ID_LEN: usize = 16;

/// One id in this many, on average, begins a run.
pub(crate) const RUN_MEAN: u64 = 64;

/// Whether `id` begins a run of every key it is posted under. Part of the file's layout:
/// changing it needs a schema step that cuts the runs again.
fn is_cut(id: &PersonId) -> bool {
    let bits = u128::from_be_bytes(*id.as_bytes());
    let mixed = ((bits >> 64) as u64 ^ bits as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 32) % RUN_MEAN == 0
}

/// How many persons are posted under `key` (none if the key has no postings), as the
/// runs' counts say: for choosing the rarest key, not for pairing anyone.
pub(crate) fn count(conn: &Connection, key: &str) -> Result<Option<usize>, StoreError> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT CAST(sum(persons) AS INTEGER) FROM search_postings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))?;
    Ok(n.map(|n| n.max(0) as usize))
}

/// The first `cap` persons posted under `key`, in id order.
pub(crate) fn persons(
    conn: &Connection,
    key: &str,
    cap: usize,
) -> Result<Vec<PersonId>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT ids FROM search_postings WHERE key = ?1 ORDER BY start")?;
    let mut rows = stmt.query([key])?;
    let mut out = Vec::new();
    while out.len() < cap {
        let Some(row) = rows.next()? else { break };
        out.extend(decode(key, row.get_ref(0)?)?);
    }
    in_order(key, &out)?;
    out.truncate(cap);
    Ok(out)
}

/// A stored run of ids. Anything but a whole number of ids, stored as bytes, means a
/// damaged file.
pub(crate) fn decode(key: &str, ids: ValueRef<'_>) -> Result<Vec<PersonId>, StoreError> {
    let ValueRef::Blob(ids) = ids else {
        return Err(damaged(key, "are not stored as bytes"));
    };
    if ids.len() % ID_LEN != 0 {
        return Err(damaged(
            key,
            &format!("hold {} bytes, not a whole number of ids", ids.len()),
        ));
    }
    Ok(ids
        .chunks_exact(ID_LEN)
        .map(|c| {
            let mut id = [0u8; ID_LEN];
            id.copy_from_slice(c);
            PersonId::from_bytes(id)
        })
        .collect())
}

/// A key's persons as read, run after run: they must be in id order and each once, or
/// the file is damaged (a pair of a person with themselves, a merge gone wrong).
pub(crate) fn in_order(key: &str, ids: &[PersonId]) -> Result<(), StoreError> {
    if ids.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(damaged(key, "are out of order or name a person twice"))
    }
}

fn damaged(key: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("the postings of search key {key:?} {what}"))
}

/// Adds `added` to and takes `removed` from `key`'s postings, writing only the runs that
/// change. Both must be sorted; an id already there is not added twice, and one not there
/// is not missed.
pub(crate) fn change(
    conn: &Connection,
    key: &str,
    added: &[PersonId],
    removed: &[PersonId],
) -> Result<(), StoreError> {
    // Runs by `start`, which orders them as the table does. (No ORDER BY: with one,
    // SQLite prepares the statement again after each write to the table.)
    let mut stored: BTreeMap<Vec<u8>, Vec<PersonId>> = BTreeMap::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT start, ids FROM search_postings WHERE key = ?1")?;
        let mut rows = stmt.query([key])?;
        while let Some(row) = rows.next()? {
            let ValueRef::Blob(start) = row.get_ref(0)? else {
                return Err(damaged(key, "have a run whose start is not an id"));
            };
            let start = start.to_vec();
            let ids = decode(key, row.get_ref(1)?)?;
            stored.insert(start, ids);
        }
    }
    let all: Vec<PersonId> = stored.values().flatten().copied().collect();
    in_order(key, &all)?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO search_postings (key, start, persons, ids) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key, start) DO UPDATE SET persons = excluded.persons, ids = excluded.ids",
    )?;
    for (start, ids) in runs(&merged(&all, added, removed)) {
        if stored.remove(&start).as_deref() != Some(ids) {
            let bytes: Vec<u8> = ids.iter().flat_map(|id| *id.as_bytes()).collect();
            upsert.execute(params![key, start, ids.len() as i64, bytes])?;
        }
    }
    let mut delete =
        conn.prepare_cached("DELETE FROM search_postings WHERE key = ?1 AND start = ?2")?;
    for start in stored.keys() {
        delete.execute(params![key, start])?;
    }
    Ok(())
}

/// `ids` (sorted) cut into runs, each with its `start` column.
fn runs(ids: &[PersonId]) -> Vec<(Vec<u8>, &[PersonId])> {
    let mut out = Vec::new();
    let mut begun = 0;
    for (i, id) in ids.iter().enumerate() {
        if i > 0 && is_cut(id) {
            out.push((start_of(ids, begun), &ids[begun..i]));
            begun = i;
        }
    }
    if begun < ids.len() {
        out.push((start_of(ids, begun), &ids[begun..]));
    }
    out
}

/// The `start` of the run that begins at `ids[at]`: empty for a key's first run (which
/// need not begin at a cut), the id otherwise.
fn start_of(ids: &[PersonId], at: usize) -> Vec<u8> {
    if at == 0 {
        Vec::new()
    } else {
        ids[at].as_bytes().to_vec()
    }
}

/// Schema 9 → 10: the postings, kept until now as a row per key and person with the
/// counts in a table of their own, become runs in `search_postings`, which the caller
/// has created. Nothing is read from the log; the lists are those the rows held. Gives
/// false, having written part of the runs, if an old row does not read as a key and an
/// id: the caller then indexes every person again.
pub(crate) fn gather_rows(tx: &Connection) -> Result<bool, StoreError> {
    let old = tx
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_keys'")?
        .exists([])?;
    if old {
        let mut stmt = tx.prepare("SELECT key, person FROM search_keys ORDER BY key, person")?;
        let mut rows = stmt.query([])?;
        let mut key = String::new();
        let mut persons = Vec::new();
        while let Some(row) = rows.next()? {
            let (ValueRef::Text(next), ValueRef::Blob(id)) = (row.get_ref(0)?, row.get_ref(1)?)
            else {
                return Ok(false);
            };
            let Ok(id) = <[u8; ID_LEN]>::try_from(id) else {
                return Ok(false);
            };
            if next != key.as_bytes() {
                if !persons.is_empty() {
                    change(tx, &key, &persons, &[])?;
                }
                persons.clear();
                let Ok(next) = std::str::from_utf8(next) else {
                    return Ok(false);
                };
                key = next.to_string();
            }
            persons.push(PersonId::from_bytes(id));
        }
        if !persons.is_empty() {
            change(tx, &key, &persons, &[])?;
        }
    }
    tx.execute_batch("DROP TABLE IF EXISTS search_keys; DROP TABLE IF EXISTS search_key_counts;")?;
    Ok(true)
}

/// `stored` ∪ `added` ∖ `removed`, in id order; all three sorted. An id both added and
/// removed ends up removed; a flush passes each person to the index once, so it never
/// asks for both.
fn merged(stored: &[PersonId], added: &[PersonId], removed: &[PersonId]) -> Vec<PersonId> {
    let mut out = Vec::with_capacity(stored.len() + added.len());
    let (mut s, mut a) = (stored.iter().peekable(), added.iter().peekable());
    loop {
        let next = match (s.peek(), a.peek()) {
            (Some(x), Some(y)) if x < y => s.next(),
            (Some(x), Some(y)) if x == y => {
                a.next();
                s.next()
            }
            (Some(_), Some(_)) | (None, Some(_)) => a.next(),
            (Some(_), None) => s.next(),
            (None, None) => break,
        };
        if let Some(id) = next {
            if removed.binary_search(id).is_err() && out.last() != Some(id) {
                out.push(*id);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(bits: &[u128]) -> Vec<PersonId> {
        bits.iter().map(|b| PersonId::from_u128(*b)).collect()
    }

    #[test]
    fn a_change_keeps_the_list_sorted_and_free_of_repeats() {
        let out = merged(&ids(&[2, 5, 9]), &ids(&[1, 5, 7, 10]), &ids(&[9]));
        assert_eq!(out, ids(&[1, 2, 5, 7, 10]));
        assert_eq!(merged(&[], &ids(&[3]), &ids(&[3])), Vec::<PersonId>::new());
        assert_eq!(merged(&ids(&[1, 1, 2]), &[], &[]), ids(&[1, 2]));
    }

    #[test]
    fn runs_begin_at_cuts_and_cover_the_list_once() {
        let list: Vec<PersonId> = (0..20_000u128)
            .map(pool)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let runs = runs(&list);
        let rejoined: Vec<PersonId> = runs.iter().flat_map(|(_, r)| r.iter().copied()).collect();
        assert_eq!(rejoined, list);
        assert!(runs[0].0.is_empty());
        for (start, run) in &runs[1..] {
            assert_eq!(start.as_slice(), run[0].as_bytes());
            assert!(is_cut(&run[0]));
            assert!(run[1..].iter().all(|id| !is_cut(id)));
        }
        // About one run in RUN_MEAN ids, so a single change rewrites about 1 KiB.
        let mean = list.len() / runs.len();
        assert!((32..=128).contains(&mean), "{mean} ids a run");
    }

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::schema::SEARCH_DDL).unwrap();
        conn
    }

    fn rows(conn: &Connection) -> Vec<(String, Vec<u8>, i64, Vec<u8>)> {
        let mut stmt = conn
            .prepare("SELECT key, start, persons, ids FROM search_postings ORDER BY 1, 2")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Ids spread as registrations' random ids are.
    fn pool(n: u128) -> PersonId {
        PersonId::from_u128(n.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))
    }

    proptest::proptest! {
        /// However persons come and go, flush by flush, the rows are those of writing
        /// the final set at once: what a rebuild writes.
        #[test]
        fn the_rows_depend_on_the_set_alone(
            steps in proptest::collection::vec(
                proptest::collection::vec((proptest::bool::weighted(0.7), 0u128..3_000), 1..400),
                1..6,
            )
        ) {
            let conn = table();
            let mut set = std::collections::BTreeSet::new();
            for step in steps {
                let mut added = std::collections::BTreeSet::new();
                let mut removed = std::collections::BTreeSet::new();
                for (add, n) in step {
                    let id = pool(n);
                    if add && !set.contains(&id) && !removed.contains(&id) {
                        added.insert(id);
                    } else if !add && set.contains(&id) {
                        removed.insert(id);
                    }
                }
                set.extend(added.iter().copied());
                set.retain(|id| !removed.contains(id));
                let (added, removed): (Vec<_>, Vec<_>) =
                    (added.into_iter().collect(), removed.into_iter().collect());
                change(&conn, "n:samira", &added, &removed).unwrap();
            }
            let once = table();
            change(&once, "n:samira", &set.iter().copied().collect::<Vec<_>>(), &[]).unwrap();
            proptest::prop_assert_eq!(rows(&conn), rows(&once));
            proptest::prop_assert_eq!(persons(&conn, "n:samira", usize::MAX).unwrap().len(), set.len());
            proptest::prop_assert_eq!(count(&conn, "n:samira").unwrap().unwrap_or(0), set.len());
        }
    }

    #[test]
    fn a_capped_read_gives_the_first_persons_in_id_order() {
        let conn = table();
        let mut all: Vec<PersonId> = (0..1_000).map(pool).collect();
        all.sort_unstable();
        change(&conn, "k", &all, &[]).unwrap();
        assert_eq!(persons(&conn, "k", 150).unwrap(), all[..150].to_vec());
        assert_eq!(count(&conn, "k").unwrap(), Some(1_000));
        assert_eq!(count(&conn, "other").unwrap(), None);
        change(&conn, "k", &[], &all).unwrap();
        assert!(rows(&conn).is_empty(), "an emptied key leaves no row");
    }

    #[test]
    fn a_run_of_broken_length_is_reported_as_damage_with_the_key() {
        let err = decode("n:samira", ValueRef::Blob(&[0u8; 17]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("n:samira") && err.contains("rebuild"), "{err}");
        let err = decode("n:samira", ValueRef::Text(b"0123456789abcdef"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not stored as bytes"), "{err}");
        assert_eq!(decode("k", ValueRef::Blob(&[7u8; 32])).unwrap().len(), 2);
        let twice = ids(&[5, 5]);
        assert!(in_order("k", &twice).is_err());
        assert!(in_order("k", &ids(&[2, 1])).is_err());
        assert!(in_order("k", &ids(&[1, 2])).is_ok());
    }
}
