//! Reads from the projection tables. Nothing here writes.

use crate::camps::load_places;
use crate::codec::decode;
use crate::error::StoreError;
use crate::view_parts::{self, VIEW_COLUMNS, VIEW_TABLES};
use crate::Registry;
use model::claim::GradedClaim;
use model::ids::{PersonId, PlaceId};
use model::projection::{PersonView, PlaceView, ReportView};
use model::report::Report;
use model::whereabouts::WhereaboutsStatus;
use model::CountryCode;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::Serialize;

#[derive(Default, Clone, Debug)]
pub struct PersonFilter {
    pub camp: Option<PlaceId>,
    pub nationality: Option<CountryCode>,
    pub status: Option<WhereaboutsStatus>,
    pub limit: Option<u64>,
}

/// A dimension `homeward stats --by` can break counts down by.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StatsDimension {
    Camp,
    Nationality,
    Sex,
    AgeBand,
    Status,
}

impl StatsDimension {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "camp" => Self::Camp,
            "nationality" => Self::Nationality,
            "sex" => Self::Sex,
            "age_band" => Self::AgeBand,
            "status" => Self::Status,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Camp => "camp",
            Self::Nationality => "nationality",
            Self::Sex => "sex",
            Self::AgeBand => "age_band",
            Self::Status => "status",
        }
    }

    /// The SQL expression giving this dimension's value for a person row `p`.
    pub(crate) fn expr(self) -> &'static str {
        match self {
            Self::Camp => "COALESCE(c.name, '(none)')",
            Self::Nationality => "COALESCE(n.country, '(none)')",
            Self::Sex => "p.sex",
            Self::AgeBand => {
                "CASE WHEN p.birth_year IS NULL THEN 'unknown'
                      WHEN ?1 - p.birth_year < 5 THEN '0-4'
                      WHEN ?1 - p.birth_year < 12 THEN '5-11'
                      WHEN ?1 - p.birth_year < 18 THEN '12-17'
                      WHEN ?1 - p.birth_year < 60 THEN '18-59'
                      ELSE '60+' END"
            }
            Self::Status => "p.status",
        }
    }
}

/// One cell of a breakdown: the values of each dimension, in `--by` order, and a count.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct StatsRow {
    pub values: Vec<String>,
    pub count: u64,
}

/// A claim with the report it came from, for a person's timeline.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub claim: GradedClaim,
    pub report: Option<Report>,
}

/// A 16-byte id read back from a table.
use crate::codec::id16;

impl Registry {
    pub fn person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        view_parts::one(&self.conn, id.as_bytes())?
            .map(|stored| stored.view())
            .transpose()
    }

    /// The encoded view of one row of a projection table with a `view` column
    /// (`reports`, `tasks`, `cases`).
    pub(crate) fn view_by_id<T: serde::de::DeserializeOwned>(
        &self,
        table: &'static str,
        id: &[u8; 16],
    ) -> Result<Option<T>, StoreError> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                &format!("SELECT view FROM {table} WHERE id = ?1"),
                [id.as_slice()],
                |r| r.get(0),
            )
            .optional()?;
        bytes.map(|b| decode(&b)).transpose()
    }

    /// Ids in a projection table starting with a hex prefix of at least 4 characters
    /// (at most 10 of them): what a person types instead of a whole id.
    pub(crate) fn ids_with_prefix(
        &self,
        table: &'static str,
        prefix: &str,
    ) -> Result<Vec<[u8; 16]>, StoreError> {
        let clean: String = prefix
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect::<String>()
            .to_lowercase();
        if clean.len() < 4 {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id FROM {table} WHERE lower(hex(id)) LIKE ?1 || '%' LIMIT 10"
        ))?;
        let rows = stmt.query_map([clean], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| id16(r?)).collect()
    }

    /// Registered persons matching the filter, ordered by display name.
    pub fn persons(&self, filter: &PersonFilter) -> Result<Vec<PersonView>, StoreError> {
        let mut sql = format!("SELECT {VIEW_COLUMNS} FROM {VIEW_TABLES} WHERE p.registered = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(camp) = filter.camp {
            args.push(camp.as_bytes().to_vec().into());
            sql.push_str(&format!(
                " AND (p.camp = ?{0} OR p.place = ?{0})",
                args.len()
            ));
        }
        if let Some(cc) = filter.nationality {
            args.push(cc.as_str().to_string().into());
            sql.push_str(&format!(
                " AND p.id IN (SELECT person FROM person_nationalities WHERE country = ?{})",
                args.len()
            ));
        }
        if let Some(status) = filter.status {
            args.push(status.as_str().to_string().into());
            sql.push_str(&format!(" AND p.status = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY p.display_name, p.id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(view_parts::from_row(row, 0)?);
        }
        Ok(out)
    }

    pub fn places(&self) -> Result<Vec<PlaceView>, StoreError> {
        let mut places: Vec<PlaceView> = load_places(&self.conn)?.into_values().collect();
        places.sort_by(|a, b| a.place.name.cmp(&b.place.name));
        Ok(places)
    }

    pub fn place(&self, id: PlaceId) -> Result<Option<PlaceView>, StoreError> {
        Ok(load_places(&self.conn)?.remove(&id))
    }

    /// Places whose id is `text`, or whose name equals it ignoring case.
    pub fn find_places(&self, text: &str) -> Result<Vec<PlaceView>, StoreError> {
        let wanted = text.trim().to_lowercase();
        let id = text.parse::<PlaceId>().ok();
        Ok(self
            .places()?
            .into_iter()
            .filter(|v| Some(v.place.id) == id || v.place.name.to_lowercase() == wanted)
            .collect())
    }

    /// Reports that carry an attachment with this hash, e.g. a list imported before.
    /// Scans the reports: imports are rare, and this keeps no index to go stale.
    pub fn reports_with_attachment(
        &self,
        hash: &model::report::AttachmentHash,
    ) -> Result<Vec<model::ids::ReportId>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT view FROM reports")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let view: ReportView = decode(&row?)?;
            if view.report.attachments.contains(hash) {
                out.push(view.report.id);
            }
        }
        Ok(out)
    }

    pub fn report(&self, id: model::ids::ReportId) -> Result<Option<ReportView>, StoreError> {
        self.view_by_id("reports", id.as_bytes())
    }

    /// The person's claims with their reports, newest first.
    pub fn timeline(&self, person: &PersonView) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut entries = Vec::with_capacity(person.claims.len());
        for claim in &person.claims {
            let report = self.report(claim.claim.report)?.map(|v| v.report);
            entries.push(TimelineEntry {
                claim: claim.clone(),
                report,
            });
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.claim.claim.observed_at));
        Ok(entries)
    }

    /// Counts of registered persons, total and broken down by `dims` (ages on `ref_year`).
    /// A person with two nationalities counts once in the total and once per nationality.
    pub fn stats(
        &self,
        dims: &[StatsDimension],
        ref_year: i32,
    ) -> Result<(u64, Vec<StatsRow>), StoreError> {
        let total: i64 = self.conn.query_row(
            "SELECT count(*) FROM persons WHERE registered = 1",
            [],
            |r| r.get(0),
        )?;
        if dims.is_empty() {
            return Ok((total as u64, Vec::new()));
        }
        let cols: Vec<&str> = dims.iter().map(|d| d.expr()).collect();
        let mut joins = String::from(" LEFT JOIN places c ON c.id = p.camp");
        if dims.contains(&StatsDimension::Nationality) {
            joins.push_str(
                " LEFT JOIN person_nationalities n ON n.person = p.id AND n.status != 'revoked'",
            );
        }
        let group: Vec<String> = (1..=dims.len()).map(|i| i.to_string()).collect();
        let sql = format!(
            "SELECT {}, count(DISTINCT p.id) FROM persons p{joins} WHERE p.registered = 1 AND ?1 = ?1 GROUP BY {} ORDER BY {}",
            cols.join(", "),
            group.join(", "),
            group.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let n = dims.len();
        let rows = stmt.query_map([ref_year], |r| {
            let values = (0..n)
                .map(|i| r.get::<_, String>(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(StatsRow {
                values,
                count: r.get::<_, i64>(n)? as u64,
            })
        })?;
        Ok((total as u64, rows.collect::<Result<_, _>>()?))
    }

    /// Person ids whose row holds a given id prefix (so users can type the first 8 characters).
    pub fn person_ids_with_prefix(&self, prefix: &str) -> Result<Vec<PersonId>, StoreError> {
        let ids = self.ids_with_prefix("persons", prefix)?;
        Ok(ids.into_iter().map(PersonId::from_bytes).collect())
    }
}
