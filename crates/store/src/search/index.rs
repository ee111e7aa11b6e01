//! Keeping the search tables current: called for every person row the projection
//! writes, in the same transaction, so the index is a projection like any other.
//!
//! Tables (see `schema.rs`): `search_persons` (one row per person: what ranking and
//! filters read, and the keys the person is posted under), `search_keys` (postings:
//! key → person), `search_key_counts` (how many persons each key has, so a query can
//! start from its rarest key without counting), `search_kin` (child's given-name key →
//! parent, for kunyas). A rewrite of a person whose names did not change touches only
//! their `search_persons` row.

use super::keys::{IndexEntry, NAME_SEPARATOR};
use crate::error::StoreError;
use model::ids::PlaceId;
use model::projection::PersonView;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeSet;

/// Writes (or rewrites) `view`'s index rows. `camp` is the person's camp of record.
pub(crate) fn write(
    conn: &Connection,
    view: &PersonView,
    camp: Option<PlaceId>,
) -> Result<(), StoreError> {
    let id = view.id.as_bytes().as_slice();
    let entry = IndexEntry::of(view);
    let old: BTreeSet<String> = conn
        .prepare_cached("SELECT keys FROM search_persons WHERE person = ?1")?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?
        .map(|s| split_keys(&s))
        .unwrap_or_default();
    for key in old.difference(&entry.keys) {
        conn.prepare_cached("DELETE FROM search_keys WHERE key = ?1 AND person = ?2")?
            .execute(params![key, id])?;
        conn.prepare_cached("UPDATE search_key_counts SET persons = persons - 1 WHERE key = ?1")?
            .execute([key])?;
        conn.prepare_cached("DELETE FROM search_key_counts WHERE key = ?1 AND persons <= 0")?
            .execute([key])?;
    }
    for key in entry.keys.difference(&old) {
        conn.prepare_cached("INSERT INTO search_keys (key, person) VALUES (?1, ?2)")?
            .execute(params![key, id])?;
        conn.prepare_cached(
            "INSERT INTO search_key_counts (key, persons) VALUES (?1, 1)
             ON CONFLICT (key) DO UPDATE SET persons = persons + 1",
        )?
        .execute([key])?;
    }
    let (birth_lo, birth_hi) = match view.birth.map(|b| b.year_range()) {
        Some((lo, hi)) => (Some(lo), Some(hi)),
        None => (None, None),
    };
    let countries: Vec<&str> = view
        .nationalities
        .iter()
        .map(|n| n.country.as_str())
        .collect();
    let names: Vec<&str> = view.names.iter().map(|n| n.text.as_str()).collect();
    let keys: Vec<&str> = entry.keys.iter().map(String::as_str).collect();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO search_persons
         (person, registered, sex, birth_lo, birth_hi, camp, countries, names, keys)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        view.registered,
        view.sex.as_str(),
        birth_lo,
        birth_hi,
        camp.map(|c| c.as_bytes().to_vec()),
        countries.join(","),
        names.join(&NAME_SEPARATOR.to_string()),
        keys.join("\t"),
    ])?;
    conn.prepare_cached("DELETE FROM search_kin WHERE child = ?1")?
        .execute([id])?;
    for (key, parent) in &entry.kin {
        conn.prepare_cached("INSERT INTO search_kin (key, parent, child) VALUES (?1, ?2, ?3)")?
            .execute(params![key, parent.as_bytes().as_slice(), id])?;
    }
    Ok(())
}

/// Removes a person's index rows (a record merged into another is found as that person).
pub(crate) fn remove(conn: &Connection, id: model::ids::PersonId) -> Result<(), StoreError> {
    let key = id.as_bytes().as_slice();
    let old: BTreeSet<String> = conn
        .prepare_cached("SELECT keys FROM search_persons WHERE person = ?1")?
        .query_row([key], |r| r.get::<_, String>(0))
        .optional()?
        .map(|s| split_keys(&s))
        .unwrap_or_default();
    for k in &old {
        conn.prepare_cached("DELETE FROM search_keys WHERE key = ?1 AND person = ?2")?
            .execute(params![k, key])?;
        conn.prepare_cached("UPDATE search_key_counts SET persons = persons - 1 WHERE key = ?1")?
            .execute([k])?;
        conn.prepare_cached("DELETE FROM search_key_counts WHERE key = ?1 AND persons <= 0")?
            .execute([k])?;
    }
    conn.prepare_cached("DELETE FROM search_persons WHERE person = ?1")?
        .execute([key])?;
    conn.prepare_cached("DELETE FROM search_kin WHERE child = ?1")?
        .execute([key])?;
    Ok(())
}

fn split_keys(s: &str) -> BTreeSet<String> {
    s.split('\t')
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}
