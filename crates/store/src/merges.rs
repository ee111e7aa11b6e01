//! The merge layer on SQLite: kept records, redirects, merges and match candidates, what a
//! transaction holds of them ([`MergeLayer`]), and the reads built on them. The projection
//! writes them through `merge_records.rs`.
//!
//! Tables (projections like any other: emptied and refilled by a rebuild, covered by the
//! digest): `person_records` (the view of each record while a merge involves it),
//! `person_redirects` (a merged record → the record it was merged into and the root it
//! is shown as), `person_merges` (every merge, with its undo), `match_candidates` (the
//! review queue and its history).
//!
//! Redirects and the ids of kept records are read once per transaction and held in
//! memory, so an event about a person no merge involves costs two hash lookups more.

use crate::codec::{decode, id16};
use crate::error::StoreError;
use crate::Registry;
use model::ids::{MergeId, PersonId};
use model::merge::MergeView;
use model::projection::merge::{group, Redirect};
use model::projection::PersonView;
use rusqlite::{Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// The merge tables (schema 3).
pub(crate) const MERGE_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS person_records (
    id   BLOB PRIMARY KEY,
    view BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS person_redirects (
    merged   BLOB PRIMARY KEY,
    survivor BLOB NOT NULL,
    resolved BLOB NOT NULL,
    merge    BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS person_redirects_survivor ON person_redirects (survivor);
CREATE INDEX IF NOT EXISTS person_redirects_resolved ON person_redirects (resolved);
CREATE TABLE IF NOT EXISTS person_merges (
    id        BLOB PRIMARY KEY,
    survivor  BLOB NOT NULL,
    merged    BLOB NOT NULL,
    in_effect INTEGER NOT NULL,
    view      BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS person_merges_survivor ON person_merges (survivor);
CREATE INDEX IF NOT EXISTS person_merges_merged ON person_merges (merged);
CREATE TABLE IF NOT EXISTS match_candidates (
    id     BLOB PRIMARY KEY,
    a      BLOB NOT NULL,
    b      BLOB NOT NULL,
    status TEXT NOT NULL,
    weight INTEGER NOT NULL,
    view   BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS match_candidates_status ON match_candidates (status, weight);
"#;

/// The merge tables, in the order a rebuild empties them.
pub(crate) const MERGE_TABLES: [&str; 4] = [
    "person_records",
    "person_redirects",
    "person_merges",
    "match_candidates",
];

/// What a transaction keeps in memory of the merge layer.
#[derive(Default)]
pub(crate) struct MergeLayer {
    pub(crate) redirects: HashMap<PersonId, Redirect>,
    pub(crate) kept: HashSet<PersonId>,
}

fn person_id(bytes: Vec<u8>) -> Result<PersonId, StoreError> {
    Ok(PersonId::from_bytes(id16(bytes)?))
}

impl MergeLayer {
    /// Records merged directly into `survivor`, by id.
    pub(crate) fn merged_into(&self, survivor: PersonId) -> Vec<PersonId> {
        let mut out: Vec<PersonId> = self
            .redirects
            .iter()
            .filter(|(_, r)| r.survivor == survivor)
            .map(|(id, _)| *id)
            .collect();
        out.sort();
        out
    }

    pub(crate) fn load(conn: &Connection) -> Result<Self, StoreError> {
        let mut layer = MergeLayer::default();
        let mut stmt =
            conn.prepare("SELECT merged, survivor, resolved, merge FROM person_redirects")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            layer.redirects.insert(
                person_id(row.get(0)?)?,
                Redirect {
                    survivor: person_id(row.get(1)?)?,
                    resolved: person_id(row.get(2)?)?,
                    merge: MergeId::from_bytes(id16(row.get(3)?)?),
                },
            );
        }
        let mut stmt = conn.prepare("SELECT id FROM person_records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            layer.kept.insert(person_id(row.get(0)?)?);
        }
        Ok(layer)
    }
}

/// One stored view by id, with `sql` selecting the view by `?1`.
pub(crate) fn load_view<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    id: &[u8; 16],
) -> Result<Option<T>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached(sql)?
        .query_row([id.as_slice()], |r| r.get(0))
        .optional()?;
    bytes.map(|b| decode(&b)).transpose()
}

/// A record merged into another, as readers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergedInto {
    /// The person the record is now shown as.
    pub person: PersonId,
    /// The merge that redirected the record itself.
    pub merge: MergeView,
}

impl Registry {
    /// Where a merged record went, or None for a record that is its own person (or
    /// unknown).
    pub fn merged_into(&self, id: PersonId) -> Result<Option<MergedInto>, StoreError> {
        let row: Option<(Vec<u8>, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT resolved, merge FROM person_redirects WHERE merged = ?1")?
            .query_row([id.as_bytes().as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((resolved, merge)) = row else {
            return Ok(None);
        };
        let merge = self
            .merge(MergeId::from_bytes(id16(merge)?))?
            .ok_or_else(|| StoreError::Corrupt("a redirect names an unknown merge".into()))?;
        Ok(Some(MergedInto {
            person: person_id(resolved)?,
            merge,
        }))
    }

    /// The person a record is shown as: itself, or the person it was merged into. Asked
    /// for every person a gate admits, so it reads the redirect alone, not the merge.
    pub fn resolve_person(&self, id: PersonId) -> Result<PersonId, StoreError> {
        Ok(self.redirected_to(id)?.unwrap_or(id))
    }

    /// The person a merged record was redirected to, or None if it is not merged.
    fn redirected_to(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        self.conn
            .prepare_cached("SELECT resolved FROM person_redirects WHERE merged = ?1")?
            .query_row([id.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))
            .optional()?
            .map(person_id)
            .transpose()
    }

    /// The records merged into `person`, directly or through others (one indexed read).
    pub(crate) fn records_merged_into(
        &self,
        person: PersonId,
    ) -> Result<Vec<PersonId>, StoreError> {
        self.conn
            .prepare_cached("SELECT merged FROM person_redirects WHERE resolved = ?1")?
            .query_map([person.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))?
            .map(|id| person_id(id?))
            .collect()
    }

    /// One merge, in effect or undone.
    pub fn merge(&self, id: MergeId) -> Result<Option<MergeView>, StoreError> {
        self.view_by_id("person_merges", id.as_bytes())
    }

    /// Whether any record was merged into `person` (one indexed look-up; what
    /// [`Registry::person_records`] answers only after loading the merge layer).
    pub fn has_merged_records(&self, person: PersonId) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM person_redirects WHERE resolved = ?1 LIMIT 1")?
            .query_row([person.as_bytes().as_slice()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The records a person is made of, the person's own record first, each as its own
    /// events made it. A person no merge involves is one record: their view.
    pub fn person_records(&self, person: PersonId) -> Result<Vec<PersonView>, StoreError> {
        let state = ReadLayer::load(self)?;
        let mut out = Vec::new();
        for id in state.group(person)? {
            let view = match state.record(id)? {
                Some(v) => Some(v),
                None => self.person(id)?,
            };
            out.extend(view);
        }
        Ok(out)
    }

    /// The merges in effect that made `person` (the merges of each of its records into
    /// another), oldest first.
    pub fn merges_of(&self, person: PersonId) -> Result<Vec<MergeView>, StoreError> {
        let state = ReadLayer::load(self)?;
        let mut out = Vec::new();
        for id in state.group(person)? {
            if let Some(r) = state.redirect(id)? {
                out.extend(self.merge(r.merge)?);
            }
        }
        out.sort_by_key(|m| (m.at, m.id));
        Ok(out)
    }

    /// Merge ids starting with a hex prefix of at least 4 characters (at most 10).
    pub fn merge_ids_with_prefix(&self, prefix: &str) -> Result<Vec<MergeId>, StoreError> {
        let ids = self.ids_with_prefix("person_merges", prefix)?;
        Ok(ids.into_iter().map(MergeId::from_bytes).collect())
    }

    /// Ids of merged records starting with a hex prefix (for `person show OLD`): every
    /// merged record is kept, so it is among the kept records' ids.
    pub fn merged_ids_with_prefix(&self, prefix: &str) -> Result<Vec<PersonId>, StoreError> {
        let mut out = Vec::new();
        for id in self.ids_with_prefix("person_records", prefix)? {
            let id = PersonId::from_bytes(id);
            if self.redirected_to(id)?.is_some() {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// The merge layer read outside a transaction, for reads that walk a group.
struct ReadLayer<'r> {
    registry: &'r Registry,
    layer: MergeLayer,
}

impl<'r> ReadLayer<'r> {
    fn load(registry: &'r Registry) -> Result<Self, StoreError> {
        Ok(Self {
            registry,
            layer: MergeLayer::load(&registry.conn)?,
        })
    }

    fn record(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        if !self.layer.kept.contains(&id) {
            return Ok(None);
        }
        load_view(
            &self.registry.conn,
            "SELECT view FROM person_records WHERE id = ?1",
            id.as_bytes(),
        )
    }

    fn redirect(&self, id: PersonId) -> Result<Option<Redirect>, StoreError> {
        Ok(self.layer.redirects.get(&id).copied())
    }

    /// `person` and every record merged into it.
    fn group(&self, person: PersonId) -> Result<Vec<PersonId>, StoreError> {
        group(person, |id| Ok(self.layer.merged_into(id)))
    }
}
