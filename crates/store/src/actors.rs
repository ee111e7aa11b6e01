//! The `actors` projection: who each actor is and which organisation they work for, from
//! `ActorEnrolled` events. Read by the access layer to tell which organisations recorded
//! information about a person (organisation scopes) and to say who entered a report.

use crate::codec::{decode, encode, id16};
use crate::error::StoreError;
use crate::Registry;
use model::actor::ActorView;
use model::ids::{ActorId, ReportId};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// Created on every open with `IF NOT EXISTS`: a registry made before enrolments existed
/// has none in its log, so an empty table is its correct projection.
pub(crate) const ACTORS_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS actors (
    id           BLOB PRIMARY KEY,
    organisation TEXT,
    view         BLOB NOT NULL
);
"#;

pub(crate) fn load(conn: &Connection, id: ActorId) -> Result<Option<ActorView>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT view FROM actors WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| r.get(0))
        .optional()?;
    bytes.map(|b| decode(&b)).transpose()
}

pub(crate) fn write(conn: &Connection, view: &ActorView) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO actors (id, organisation, view) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        view.enrolment.actor.as_bytes().as_slice(),
        view.enrolment.organisation,
        encode(view)?,
    ])?;
    Ok(())
}

impl Registry {
    /// Every enrolled actor's current enrolment.
    pub fn actors(&self) -> Result<HashMap<ActorId, ActorView>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT view FROM actors")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut out = HashMap::new();
        for row in rows {
            let view: ActorView = decode(&row?)?;
            out.insert(view.enrolment.actor, view);
        }
        Ok(out)
    }

    /// Who received each report (the actor who entered it).
    pub fn report_receivers(&self) -> Result<HashMap<ReportId, ActorId>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, view FROM reports")?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(row) = rows.next()? {
            let id = ReportId::from_bytes(id16(row.get(0)?)?);
            let view: model::projection::ReportView =
                decode(row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?)?;
            out.insert(id, view.report.received_by);
        }
        Ok(out)
    }
}
