//! Interviews and consent decisions as projection tables (schema 6), and their reads.
//!
//! - `interviews`: each interview as recorded (its transcript still sealed);
//! - `person_interviews`: which persons each interview was with, to list a person's;
//! - `consents`: every consent decision about a person, one row a person
//!   ([`model::consent::ConsentView`]).
//!
//! Written through [`crate::state::SqlState`] when an event is applied (straight to the
//! table: these rows are few and independent of the person cache), emptied and refilled
//! by a rebuild, covered by the projection digest.

use crate::codec::{decode, encode};
use crate::error::StoreError;
use crate::Registry;
use model::consent::ConsentView;
use model::ids::{InterviewId, PersonId};
use model::interview::Interview;
use rusqlite::{params, Connection, OptionalExtension};

/// The tables, created by a new registry and by the upgrade from schema 4.
pub(crate) const CONSENT_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS interviews (
    id   BLOB PRIMARY KEY,
    at   INTEGER NOT NULL,
    view BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS person_interviews (
    person    BLOB NOT NULL,
    interview BLOB NOT NULL,
    PRIMARY KEY (person, interview)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_interviews_interview ON person_interviews (interview);
CREATE TABLE IF NOT EXISTS consents (
    person BLOB PRIMARY KEY,
    view   BLOB NOT NULL
);
"#;

pub(crate) fn put_interview(conn: &Connection, interview: &Interview) -> Result<(), StoreError> {
    let id = interview.id.as_bytes().as_slice();
    conn.prepare_cached("INSERT OR REPLACE INTO interviews (id, at, view) VALUES (?1, ?2, ?3)")?
        .execute(params![id, interview.at.0, encode(interview)?])?;
    conn.prepare_cached("DELETE FROM person_interviews WHERE interview = ?1")?
        .execute([id])?;
    for p in &interview.persons {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO person_interviews (person, interview) VALUES (?1, ?2)",
        )?
        .execute(params![p.as_bytes().as_slice(), id])?;
    }
    Ok(())
}

pub(crate) fn consents(
    conn: &Connection,
    person: PersonId,
) -> Result<Option<ConsentView>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT view FROM consents WHERE person = ?1")?
        .query_row([person.as_bytes().as_slice()], |r| r.get(0))
        .optional()?;
    bytes.map(|b| decode(&b)).transpose()
}

pub(crate) fn put_consents(conn: &Connection, view: &ConsentView) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR REPLACE INTO consents (person, view) VALUES (?1, ?2)")?
        .execute(params![view.person.as_bytes().as_slice(), encode(view)?])?;
    Ok(())
}

impl Registry {
    /// One interview, its transcript still sealed.
    pub fn interview(&self, id: InterviewId) -> Result<Option<Interview>, StoreError> {
        self.view_by_id("interviews", id.as_bytes())
    }

    /// The interviews a person took part in, oldest first: those with the person's own
    /// record and with every record merged into them, each once.
    pub fn interviews_of(&self, person: PersonId) -> Result<Vec<Interview>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT view FROM interviews WHERE id IN (
                 SELECT interview FROM person_interviews WHERE person = ?1 OR person IN
                     (SELECT merged FROM person_redirects WHERE resolved = ?1))
             ORDER BY at, id",
        )?;
        let rows = stmt.query_map([person.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| decode(&r?)).collect()
    }

    /// Every consent decision recorded on one record (None: none recorded). A person made
    /// of merged records is bound by [`Registry::consents_of_person`].
    pub fn consents(&self, person: PersonId) -> Result<Option<ConsentView>, StoreError> {
        consents(&self.conn, person)
    }

    /// Every consent decision about a person: those recorded on the person's own record
    /// and on every record merged into them, in one view, the latest per purpose in
    /// force — what the access layer enforces (None: none recorded).
    pub fn consents_of_person(&self, person: PersonId) -> Result<Option<ConsentView>, StoreError> {
        let mut folded: Option<ConsentView> = None;
        for record in std::iter::once(person).chain(self.records_merged_into(person)?) {
            if let Some(view) = consents(&self.conn, record)? {
                folded
                    .get_or_insert_with(|| ConsentView::new(person))
                    .absorb(view);
            }
        }
        Ok(folded)
    }

    /// The consent decisions of every person who has any, for the access directory.
    pub fn consent_views(&self) -> Result<Vec<ConsentView>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT view FROM consents ORDER BY person")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| decode(&r?)).collect()
    }

    /// Interview ids starting with a hex prefix of at least 4 characters (at most 10).
    pub fn interview_ids_with_prefix(&self, prefix: &str) -> Result<Vec<InterviewId>, StoreError> {
        let ids = self.ids_with_prefix("interviews", prefix)?;
        Ok(ids.into_iter().map(InterviewId::from_bytes).collect())
    }

    /// How many interviews and persons with consent decisions the registry holds.
    pub fn consent_counts(&self) -> Result<(u64, u64), StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok((count("interviews")?, count("consents")?))
    }
}
