//! Per-person rows for the access layer: who each registered person is for scoping
//! (camp of record and view), and each person's values of the stats dimensions, so that
//! counts can be made over only the persons a caller may see and then suppressed.

use crate::codec::id16;
use crate::error::StoreError;
use crate::query::StatsDimension;
use crate::view_parts::{self, VIEW_COLUMNS, VIEW_TABLES};
use crate::Registry;
use model::ids::{PersonId, PlaceId};
use model::projection::PersonView;

/// A registered person with the camp they count under.
#[derive(Clone, Debug)]
pub struct ScopedPerson {
    pub camp: Option<PlaceId>,
    pub view: PersonView,
}

/// One person's values of the requested dimensions. A person with two nationalities
/// gives one row per nationality when nationality is a dimension.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PersonCell {
    pub person: PersonId,
    pub values: Vec<String>,
}

impl Registry {
    /// Every registered person with their camp of record.
    pub fn scoped_persons(&self) -> Result<Vec<ScopedPerson>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.camp, {VIEW_COLUMNS} FROM {VIEW_TABLES} WHERE p.registered = 1"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let camp: Option<Vec<u8>> = row.get(0)?;
            out.push(ScopedPerson {
                camp: camp.map(id16).transpose()?.map(PlaceId::from_bytes),
                view: view_parts::from_row(row, 1)?,
            });
        }
        Ok(out)
    }

    /// The camp of record of one person (None if unplaced or unknown).
    pub fn camp_of_person(&self, id: PersonId) -> Result<Option<PlaceId>, StoreError> {
        use rusqlite::OptionalExtension;
        let camp: Option<Option<Vec<u8>>> = self
            .conn
            .query_row(
                "SELECT camp FROM persons WHERE id = ?1",
                [id.as_bytes().as_slice()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(camp
            .flatten()
            .map(id16)
            .transpose()?
            .map(PlaceId::from_bytes))
    }

    /// Each registered person's values of `dims` (ages on `ref_year`), same values as
    /// [`Registry::stats`] groups by.
    pub fn stats_cells(
        &self,
        dims: &[StatsDimension],
        ref_year: i32,
    ) -> Result<Vec<PersonCell>, StoreError> {
        let mut cols: Vec<&str> = vec!["p.id"];
        cols.extend(dims.iter().map(|d| d.expr()));
        let mut joins = String::from(" LEFT JOIN places c ON c.id = p.camp");
        if dims.contains(&StatsDimension::Nationality) {
            joins.push_str(
                " LEFT JOIN person_nationalities n ON n.person = p.id AND n.status != 'revoked'",
            );
        }
        let sql = format!(
            "SELECT DISTINCT {} FROM persons p{joins} WHERE p.registered = 1 AND ?1 = ?1",
            cols.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let n = dims.len();
        let rows = stmt.query_map([ref_year], |r| {
            let id: Vec<u8> = r.get(0)?;
            let values = (1..=n)
                .map(|i| r.get::<_, String>(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((id, values))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, values) = row?;
            out.push(PersonCell {
                person: PersonId::from_bytes(id16(id)?),
                values,
            });
        }
        Ok(out)
    }
}

impl Registry {
    /// A secret key for research pseudonyms, derived from this registry's signing key: the
    /// same person gets the same pseudonym in every extract from this registry, and
    /// nobody without the registry can link a pseudonym back to an id.
    pub fn pseudonym_key(&self) -> [u8; 32] {
        blake3::derive_key(
            "homeward research pseudonym v1",
            &self.signing_key.to_bytes(),
        )
    }
}

impl Registry {
    /// The position of the last event in the local log: changes on every append, cheap to
    /// read, so caches of derived data (the access directory) know when to refresh.
    pub fn log_position(&self) -> Result<u64, StoreError> {
        let n: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |r| {
                    r.get(0)
                })?;
        Ok(n as u64)
    }
}
