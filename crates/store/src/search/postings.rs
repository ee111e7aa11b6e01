//! The postings: for each search key, the persons posted under it.
//!
//! One row per key in `search_postings`: the number of persons, then their 16-byte ids
//! concatenated in id order. The layout is a function of the set alone, so a rebuild
//! writes byte for byte what appends wrote, whatever order the persons came in.
//!
//! Why a row per key and not a row per key and person: a registration posts a person
//! under about eight keys, and a row each made the postings the largest part of an
//! append (629,267 rows for the demo's 81,750 persons, over 20,337 keys). A flush now
//! writes each key it touches once. The price is that a change rewrites the key's whole
//! list; the largest key of the demo holds 6,741 persons (105 KiB), which a single
//! registration rewrites in well under a millisecond. The count sits before the ids, so
//! choosing the rarest key reads no list.

use crate::error::StoreError;
use model::ids::PersonId;
use rusqlite::{params, Connection, OptionalExtension};

const ID_LEN: usize = 16;

/// How many persons are posted under `key` (none if the key has no postings).
pub(crate) fn count(conn: &Connection, key: &str) -> Result<Option<usize>, StoreError> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT persons FROM search_postings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(n.map(|n| n.max(0) as usize))
}

/// The first `cap` persons posted under `key`, in id order.
pub(crate) fn persons(
    conn: &Connection,
    key: &str,
    cap: usize,
) -> Result<Vec<PersonId>, StoreError> {
    let ids: Option<Vec<u8>> = conn
        .prepare_cached("SELECT substr(ids, 1, ?2) FROM search_postings WHERE key = ?1")?
        .query_row(params![key, cap.saturating_mul(ID_LEN) as i64], |r| {
            r.get(0)
        })
        .optional()?;
    decode(key, &ids.unwrap_or_default())
}

/// A stored list of ids; a length that is not a whole number of ids means a damaged file.
pub(crate) fn decode(key: &str, ids: &[u8]) -> Result<Vec<PersonId>, StoreError> {
    if ids.len() % ID_LEN != 0 {
        return Err(StoreError::Corrupt(format!(
            "the postings of search key {key:?} are {} bytes, not a whole number of ids; \
             `homeward admin rebuild` writes them again",
            ids.len()
        )));
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

/// Adds `added` to and takes `removed` from `key`'s postings, in one write. Both must be
/// sorted; an id already there is not added twice, and one not there is not missed.
pub(crate) fn change(
    conn: &Connection,
    key: &str,
    added: &[PersonId],
    removed: &[PersonId],
) -> Result<(), StoreError> {
    let stored: Option<Vec<u8>> = conn
        .prepare_cached("SELECT ids FROM search_postings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let ids = merged(&decode(key, &stored.unwrap_or_default())?, added, removed);
    if ids.is_empty() {
        conn.prepare_cached("DELETE FROM search_postings WHERE key = ?1")?
            .execute([key])?;
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(ids.len() * ID_LEN);
    for id in &ids {
        bytes.extend_from_slice(id.as_bytes());
    }
    conn.prepare_cached(
        "INSERT INTO search_postings (key, persons, ids) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET persons = excluded.persons, ids = excluded.ids",
    )?
    .execute(params![key, ids.len() as i64, bytes])?;
    Ok(())
}

/// Schema 9 → 10: the postings, kept until now as a row per key and person with the
/// counts in a table of their own, become a row per key. Nothing is read from the log;
/// the lists are those the rows held.
pub(crate) fn gather_rows(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch(crate::schema::SEARCH_DDL)?;
    let old = tx
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_keys'")?
        .exists([])?;
    if old {
        let mut stmt = tx.prepare("SELECT key, person FROM search_keys ORDER BY key, person")?;
        let mut rows = stmt.query([])?;
        let mut key = String::new();
        let mut persons = Vec::new();
        while let Some(row) = rows.next()? {
            let next: String = row.get(0)?;
            if next != key {
                if !persons.is_empty() {
                    change(tx, &key, &persons, &[])?;
                }
                persons.clear();
                key = next;
            }
            persons.push(PersonId::from_bytes(crate::codec::id16(row.get(1)?)?));
        }
        if !persons.is_empty() {
            change(tx, &key, &persons, &[])?;
        }
    }
    tx.execute_batch("DROP TABLE IF EXISTS search_keys; DROP TABLE IF EXISTS search_key_counts;")?;
    Ok(())
}

/// `stored` ∪ `added` ∖ `removed`, in id order; all three sorted.
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
    fn a_list_of_broken_length_is_reported_as_damage_with_the_key() {
        let err = decode("n:samira", &[0u8; 17]).unwrap_err().to_string();
        assert!(err.contains("n:samira") && err.contains("rebuild"), "{err}");
        assert_eq!(decode("k", &[7u8; 32]).unwrap().len(), 2);
    }
}
