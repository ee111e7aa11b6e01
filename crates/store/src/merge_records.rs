//! The merge layer as the projection writes it: `model::projection::RecordStore` for
//! [`SqlState`], over the tables and the in-memory [`MergeLayer`] of `merges.rs`.

use crate::codec::encode;
use crate::error::StoreError;
use crate::merges::load_view;
use crate::state::SqlState;
use model::ids::{CandidateId, MergeId, PersonId};
use model::merge::{CandidateView, MergeView};
use model::projection::merge::Redirect;
use model::projection::{PersonView, RecordStore};
use rusqlite::params;

impl RecordStore for SqlState<'_> {
    fn record(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        if !self.merges.kept.contains(&id) {
            return Ok(None);
        }
        load_view(
            self.conn(),
            "SELECT view FROM person_records WHERE id = ?1",
            id.as_bytes(),
        )
    }

    fn put_record(&mut self, view: PersonView) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("INSERT OR REPLACE INTO person_records (id, view) VALUES (?1, ?2)")?
            .execute(params![view.id.as_bytes().as_slice(), encode(&view)?])?;
        self.merges.kept.insert(view.id);
        Ok(())
    }

    fn remove_record(&mut self, id: PersonId) -> Result<(), StoreError> {
        if self.merges.kept.remove(&id) {
            self.conn()
                .prepare_cached("DELETE FROM person_records WHERE id = ?1")?
                .execute([id.as_bytes().as_slice()])?;
        }
        Ok(())
    }

    fn remove_person(&mut self, id: PersonId) -> Result<(), StoreError> {
        self.drop_person(id)
    }

    fn redirect(&self, id: PersonId) -> Result<Option<Redirect>, StoreError> {
        Ok(self.merges.redirects.get(&id).copied())
    }

    fn put_redirect(&mut self, merged: PersonId, r: Redirect) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO person_redirects (merged, survivor, resolved, merge) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                merged.as_bytes().as_slice(),
                r.survivor.as_bytes().as_slice(),
                r.resolved.as_bytes().as_slice(),
                r.merge.as_bytes().as_slice(),
            ])?;
        self.merges.redirects.insert(merged, r);
        Ok(())
    }

    fn remove_redirect(&mut self, merged: PersonId) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("DELETE FROM person_redirects WHERE merged = ?1")?
            .execute([merged.as_bytes().as_slice()])?;
        self.merges.redirects.remove(&merged);
        Ok(())
    }

    fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, StoreError> {
        Ok(self.merges.merged_into(survivor))
    }

    fn merge(&self, id: MergeId) -> Result<Option<MergeView>, StoreError> {
        load_view(
            self.conn(),
            "SELECT view FROM person_merges WHERE id = ?1",
            id.as_bytes(),
        )
    }

    fn put_merge(&mut self, view: MergeView) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO person_merges (id, survivor, merged, in_effect, view) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                view.id.as_bytes().as_slice(),
                view.survivor.as_bytes().as_slice(),
                view.merged.as_bytes().as_slice(),
                view.in_effect(),
                encode(&view)?,
            ])?;
        Ok(())
    }

    fn candidate(&self, id: CandidateId) -> Result<Option<CandidateView>, StoreError> {
        load_view(
            self.conn(),
            "SELECT view FROM match_candidates WHERE id = ?1",
            id.as_bytes(),
        )
    }

    fn put_candidate(&mut self, view: CandidateView) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO match_candidates (id, a, b, status, weight, view) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                view.id.as_bytes().as_slice(),
                view.pair.0.as_bytes().as_slice(),
                view.pair.1.as_bytes().as_slice(),
                view.status.as_str(),
                view.weight().0,
                encode(&view)?,
            ])?;
        Ok(())
    }
}
