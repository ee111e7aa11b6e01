//! Repatriation cases as projection tables: `cases` (one row per case, with the columns
//! boards filter and count by) and `case_members` (which cases a person is in). Written
//! through as the projection folds each change — a case changes a few times a week, not
//! thousands of times a batch — so reads within one append see earlier changes. Like
//! every projection, emptied and refilled by `homeward admin rebuild` and covered by the
//! projection digest.

use crate::codec::{decode, encode, id16};
use crate::error::StoreError;
use crate::Registry;
use model::case::{CaseView, Stage};
use model::ids::{CaseId, PersonId};
use model::CountryCode;
use rusqlite::{params, Connection, OptionalExtension};

/// The case tables (schema 3; views with travel and removals from schema 8).
pub(crate) const CASES_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS cases (
    id          BLOB PRIMARY KEY,
    country     TEXT NOT NULL,
    stage       TEXT NOT NULL,
    principal   BLOB NOT NULL,
    stage_since INTEGER NOT NULL,
    view        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_country ON cases (country, stage);
CREATE TABLE IF NOT EXISTS case_members (
    person  BLOB NOT NULL,
    case_id BLOB NOT NULL,
    PRIMARY KEY (person, case_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_members_case ON case_members (case_id);
"#;

/// One case, from the tables.
pub(crate) fn load(conn: &Connection, id: CaseId) -> Result<Option<CaseView>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT view FROM cases WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| r.get(0))
        .optional()?;
    bytes.map(|b| decode(&b)).transpose()
}

/// Writes a case and its member rows.
pub(crate) fn write(conn: &Connection, view: &CaseView) -> Result<(), StoreError> {
    let id = view.id.as_bytes().as_slice();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO cases (id, country, stage, principal, stage_since, view)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        view.country.as_str(),
        view.stage().as_str(),
        view.principal.as_bytes().as_slice(),
        view.stage_since().0,
        encode(view)?,
    ])?;
    conn.prepare_cached("DELETE FROM case_members WHERE case_id = ?1")?
        .execute([id])?;
    for m in &view.members {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO case_members (person, case_id) VALUES (?1, ?2)",
        )?
        .execute(params![m.as_bytes().as_slice(), id])?;
    }
    Ok(())
}

/// Which cases to list. Empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub country: Option<CountryCode>,
    pub stage: Option<Stage>,
}

/// Cases per country and stage, for counts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CaseCount {
    pub country: CountryCode,
    pub stage: Stage,
    pub count: u64,
}

fn country(text: &str) -> Result<CountryCode, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("case country '{text}'")))
}

fn stage(text: &str) -> Result<Stage, StoreError> {
    Stage::parse(text).map_err(|_| StoreError::Corrupt(format!("case stage '{text}'")))
}

impl Registry {
    pub fn case(&self, id: CaseId) -> Result<Option<CaseView>, StoreError> {
        load(&self.conn, id)
    }

    /// Cases matching the filter, by country, then by when they entered their stage.
    pub fn cases(&self, filter: &CaseFilter) -> Result<Vec<CaseView>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT view FROM cases WHERE (?1 IS NULL OR country = ?1) AND (?2 IS NULL OR stage = ?2)
             ORDER BY country, stage_since, id",
        )?;
        let rows = stmt.query_map(
            params![
                filter.country.map(|c| c.as_str().to_string()),
                filter.stage.map(|s| s.as_str())
            ],
            |r| r.get::<_, Vec<u8>>(0),
        )?;
        rows.map(|r| decode(&r?)).collect()
    }

    /// The cases a person is a member of.
    pub fn cases_of_person(&self, person: PersonId) -> Result<Vec<CaseId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT case_id FROM case_members WHERE person = ?1 ORDER BY case_id")?;
        let rows = stmt.query_map([person.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| Ok(CaseId::from_bytes(id16(r?)?))).collect()
    }

    /// Case ids starting with a hex prefix of at least 4 characters (at most 10).
    pub fn case_ids_with_prefix(&self, prefix: &str) -> Result<Vec<CaseId>, StoreError> {
        let ids = self.ids_with_prefix("cases", prefix)?;
        Ok(ids.into_iter().map(CaseId::from_bytes).collect())
    }

    /// The number of cases per country and stage (current stage), without reading views.
    pub fn case_counts(&self) -> Result<Vec<CaseCount>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT country, stage, count(*) FROM cases GROUP BY country, stage ORDER BY country, stage",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (c, s, n) = row?;
            out.push(CaseCount {
                country: country(&c)?,
                stage: stage(&s)?,
                count: n as u64,
            });
        }
        Ok(out)
    }
}
