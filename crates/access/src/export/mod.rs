//! Exports: what leaves the registry as a file, decided here and nowhere else.
//!
//! | scope | who may | what is in it |
//! |---|---|---|
//! | `persons` (default for roles that see persons) | every role but coordinator | every person the caller sees, redacted exactly as [`Gate::person`] redacts for the role. A **consul's** person export is a copy for their government: only persons who **granted** sharing with it. A researcher's is the pseudonymised extract of the persons who granted research consent. |
//! | `government:CC` | admin, caseworker, tracing, child protection; a consul for their own country | persons the caller sees who granted sharing with the government of CC and have not withdrawn it |
//! | `publication` | admin, caseworker, tracing, child protection | persons who consented to publication: a reference (never the id), sex, birth year, nationality, camp, whereabouts; the name only with consent to its use, images (by hash) only with consent to theirs |
//! | `counts` (default, and the only one, for coordinators) | every role | counts over the persons the caller may count, by the dimensions asked (camp, sex and age band by default), suppressed like every count; optionally one table per day or week |
//!
//! Every export is audited before a byte is written: one `export` entry (who, through
//! which interface, format, scope, how many persons) and one `person.exported` entry per
//! person included, so "who looked at this person" shows who took a copy.

mod counts;
mod records;
pub mod sheet;

use crate::error::AccessError;
use crate::gate::Gate;
use crate::policy::{may_share_with, PersonFacts};
use crate::role::Role;
use chrono::Datelike;
use counts::CountsTable;
use model::ids::PersonId;
use model::person::NationalityStatus;
use model::time::Timestamp;
use model::CountryCode;
pub use records::PublicationRecord;
use serde::Serialize;
use sheet::{RecordSink, WriteError};
use std::collections::HashMap;
use std::io::Write;
use store::StatsDimension;

/// The file format of an export.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExportFormat {
    /// One JSON object a line.
    Jsonl,
    Csv,
    /// CSV with the HXL hashtag row under the header.
    Hxl,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Result<Self, AccessError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" => Ok(Self::Jsonl),
            "csv" => Ok(Self::Csv),
            "hxl" => Ok(Self::Hxl),
            _ => Err(AccessError::Invalid(format!(
                "'{text}' is not an export format: use jsonl, csv or hxl"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::Hxl => "hxl",
        }
    }

    /// The media type to serve it as.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jsonl => "application/x-ndjson",
            Self::Csv | Self::Hxl => "text/csv; charset=utf-8",
        }
    }

    /// None for JSON Lines, else whether the sheet has the HXL row.
    pub fn sheet(self) -> Option<bool> {
        match self {
            Self::Jsonl => None,
            f => Some(f == Self::Hxl),
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::Hxl => "hxl.csv",
        }
    }
}

/// What to export (see the module docs).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ExportScope {
    Persons,
    Government(CountryCode),
    Publication,
    /// Counts by these dimensions; at the end of each of `days`, or now when empty.
    Counts {
        by: Vec<StatsDimension>,
        days: Vec<Timestamp>,
    },
}

/// The dimensions of a counts export when none are asked for.
pub const DEFAULT_COUNT_DIMENSIONS: [StatsDimension; 3] = [
    StatsDimension::Camp,
    StatsDimension::Sex,
    StatsDimension::AgeBand,
];

impl ExportScope {
    /// Reads `persons`, `government:CC`, `publication` or `counts` (with the default
    /// dimensions, now).
    pub fn parse(text: &str) -> Result<Self, AccessError> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(cc) = t.strip_prefix("government:") {
            return cc.parse().map(Self::Government).map_err(|_| {
                AccessError::Invalid(format!(
                    "'{text}': write government:CC with a two-letter country code, e.g. government:BE"
                ))
            });
        }
        match t.as_str() {
            "persons" => Ok(Self::Persons),
            "publication" => Ok(Self::Publication),
            "counts" => Ok(Self::Counts {
                by: DEFAULT_COUNT_DIMENSIONS.to_vec(),
                days: Vec::new(),
            }),
            _ => Err(AccessError::Invalid(format!(
                "'{text}' is not an export scope: use persons, government:CC, publication or counts"
            ))),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Persons => "persons".into(),
            Self::Government(cc) => format!("government:{cc}"),
            Self::Publication => "publication".into(),
            Self::Counts { .. } => "counts".into(),
        }
    }
}

/// An export as asked for. Without a scope, the role's default: counts for a
/// coordinator, person records for everyone else.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub scope: Option<ExportScope>,
}

/// What an export held, as the interfaces report it (and the audit entry records it).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ExportSummary {
    pub format: &'static str,
    pub scope: String,
    /// Persons whose records are in the file (0 for counts).
    pub persons: usize,
    /// Data rows (lines) written.
    pub rows: usize,
    /// For counts: the small-cell threshold applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u64>,
}

fn output(e: WriteError) -> AccessError {
    AccessError::Output(e.to_string())
}

impl Gate<'_> {
    fn facts_of(&self, id: PersonId) -> Option<PersonFacts> {
        self.directory.facts(id)
    }

    /// Persons the caller sees for whom `keep` holds, by id.
    fn included(&self, keep: impl Fn(&PersonFacts) -> bool) -> Vec<PersonId> {
        let mut ids: Vec<PersonId> = self
            .directory
            .ids()
            .filter(|id| self.sees(*id) && self.facts_of(*id).is_some_and(|f| keep(&f)))
            .collect();
        ids.sort();
        ids
    }

    /// Decides which persons a person-level scope holds for this caller, refusing (403,
    /// audited) a scope the role may not export.
    fn persons_in(&self, scope: &ExportScope) -> Result<Vec<PersonId>, AccessError> {
        let role = self.user.role;
        if !role.reads_persons() {
            self.forbidden("export person records")?;
        }
        match scope {
            ExportScope::Persons if role == Role::Consular => {
                let mine = self.user.nationalities.clone();
                Ok(self.included(|f| mine.iter().any(|c| may_share_with(f, *c))))
            }
            ExportScope::Persons => Ok(self.included(|_| true)),
            ExportScope::Government(cc) => {
                let allowed = match role {
                    Role::Consular => self.user.nationalities.contains(cc),
                    Role::Researcher => false,
                    _ => true,
                };
                if !allowed {
                    self.forbidden("export records for that government")?;
                }
                Ok(self.included(|f| may_share_with(f, *cc)))
            }
            ExportScope::Publication => {
                if !role.publishes() {
                    self.forbidden("make a publication extract")?;
                }
                Ok(self.included(|f| f.consent.publication))
            }
            ExportScope::Counts { .. } => Ok(Vec::new()),
        }
    }

    fn audit_export(&self, detail: &str, persons: &[PersonId]) -> Result<(), AccessError> {
        let subjects: Vec<String> = persons.iter().map(|p| format!("person:{p}")).collect();
        let mut entries = vec![self.entry("export", "export", detail)];
        entries.extend(
            subjects
                .iter()
                .map(|s| self.entry("person.exported", s, detail)),
        );
        self.registry.audit_batch(&entries)?;
        Ok(())
    }

    /// Writes an export of what the caller may see to `out` (see the module docs),
    /// auditing it first. `threshold` is the interface's small-cell threshold for counts.
    pub fn export(
        &self,
        request: &ExportRequest,
        threshold: u64,
        out: &mut dyn Write,
    ) -> Result<ExportSummary, AccessError> {
        let scope = request.scope.clone().unwrap_or_else(|| {
            if self.user.role.reads_persons() {
                ExportScope::Persons
            } else {
                ExportScope::Counts {
                    by: DEFAULT_COUNT_DIMENSIONS.to_vec(),
                    days: Vec::new(),
                }
            }
        });
        if let ExportScope::Counts { by, days } = &scope {
            return self.export_counts(request.format, by, days, threshold, out);
        }
        let ids = self.persons_in(&scope)?;
        let label = scope.label();
        let format = request.format;
        let detail = format!(
            "format={} scope={label} persons={}",
            format.as_str(),
            ids.len()
        );
        self.audit_export(&detail, &ids)?;
        let names: HashMap<String, String> = self
            .registry
            .places()?
            .into_iter()
            .map(|p| (p.place.id.to_string(), p.place.name))
            .collect();
        let rows = if scope == ExportScope::Publication {
            self.write_publication(&ids, format, &names, out)?
        } else {
            self.write_persons(&ids, format, &names, out)?
        };
        Ok(ExportSummary {
            format: format.as_str(),
            scope: label,
            persons: ids.len(),
            rows,
            threshold: None,
        })
    }

    fn camp_name<'n>(&self, id: PersonId, names: &'n HashMap<String, String>) -> Option<&'n str> {
        let camp = self.directory.camp_of(id)?;
        names.get(&camp.to_string()).map(String::as_str)
    }

    /// Writes one record per person through `one` (which may skip a person by
    /// returning false); the number written.
    fn write_each(
        &self,
        ids: &[PersonId],
        format: ExportFormat,
        columns: &[sheet::Column],
        out: &mut dyn Write,
        mut one: impl FnMut(&mut RecordSink, PersonId) -> Result<bool, AccessError>,
    ) -> Result<usize, AccessError> {
        let mut sink = RecordSink::start(out, format.sheet(), columns).map_err(output)?;
        let mut rows = 0;
        for id in ids {
            if one(&mut sink, *id)? {
                rows += 1;
            }
        }
        sink.finish().map_err(output)?;
        Ok(rows)
    }

    fn write_persons(
        &self,
        ids: &[PersonId],
        format: ExportFormat,
        names: &HashMap<String, String>,
        out: &mut dyn Write,
    ) -> Result<usize, AccessError> {
        let fields = self.user.role.fields();
        let columns = records::person_columns(&fields);
        self.write_each(ids, format, &columns, out, |sink, id| {
            let Some(view) = self.registry.person(id)?.filter(|v| v.registered) else {
                return Ok(false);
            };
            let person = self.with_lens(|l| l.person(&view));
            let camp = self.camp_name(id, names);
            let line = records::PersonLine {
                person: &person,
                camp,
            };
            sink.record(
                || records::person_cells(&fields, &person, camp, names),
                &line,
            )
            .map_err(output)?;
            Ok(true)
        })
    }

    /// A reference for a published person: stable in this registry, not the id, and not
    /// the researchers' pseudonym (so a publication cannot be joined to an extract).
    fn publication_reference(&self, id: PersonId) -> String {
        let key = blake3::derive_key(
            "homeward publication reference v1",
            &self.registry.pseudonym_key(),
        );
        let h = blake3::keyed_hash(&key, id.as_bytes());
        let hex: String = h.as_bytes()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("pub-{hex}")
    }

    fn publication_record(
        &self,
        id: PersonId,
        names: &HashMap<String, String>,
    ) -> Result<Option<PublicationRecord>, AccessError> {
        let (Some(view), Some(facts)) = (
            self.registry.person(id)?.filter(|v| v.registered),
            self.facts_of(id),
        ) else {
            return Ok(None);
        };
        let images = if facts.consent.use_of_image {
            self.registry
                .interviews_of(id)?
                .iter()
                .flat_map(|i| i.attachments.iter())
                .filter(|a| a.media_type.is_image())
                .map(|a| a.hash.to_hex())
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(PublicationRecord {
            reference: self.publication_reference(id),
            names: if facts.consent.use_of_name {
                view.names
                    .iter()
                    .filter(|n| n.kind == model::person::NameKind::Full)
                    .map(|n| n.text.clone())
                    .collect()
            } else {
                Vec::new()
            },
            sex: view.sex.as_str(),
            birth_year: view.birth.map(|b| b.year_range().1),
            nationalities: view
                .nationalities
                .iter()
                .filter(|n| n.status != NationalityStatus::Revoked)
                .map(|n| n.country.to_string())
                .collect(),
            camp: self.camp_name(id, names).map(str::to_string),
            whereabouts: view.whereabouts.status.as_str(),
            images,
        }))
    }

    fn write_publication(
        &self,
        ids: &[PersonId],
        format: ExportFormat,
        names: &HashMap<String, String>,
        out: &mut dyn Write,
    ) -> Result<usize, AccessError> {
        let columns = records::publication_columns();
        self.write_each(ids, format, &columns, out, |sink, id| {
            let Some(record) = self.publication_record(id, names)? else {
                return Ok(false);
            };
            sink.record(|| records::publication_cells(&record), &record)
                .map_err(output)?;
            Ok(true)
        })
    }

    fn export_counts(
        &self,
        format: ExportFormat,
        by: &[StatsDimension],
        days: &[Timestamp],
        threshold: u64,
        out: &mut dyn Write,
    ) -> Result<ExportSummary, AccessError> {
        let k = self.threshold(threshold)?;
        let by_text: Vec<&str> = by.iter().map(|d| d.key()).collect();
        let tables: Vec<(Option<Timestamp>, crate::suppression::SuppressedTable)> =
            if days.is_empty() {
                let year = Timestamp(self.now_ms).date().map_or(0, |d| d.year());
                vec![(None, self.count_table(by, year, k)?)]
            } else {
                self.periods(by, days, k)?
                    .into_iter()
                    .map(|p| (Some(p.as_of), p.table))
                    .collect()
            };
        let detail = format!(
            "format={} scope=counts by={} periods={} persons=0",
            format.as_str(),
            by_text.join(","),
            tables.len()
        );
        self.audit_export(&detail, &[])?;
        let views: Vec<CountsTable> = tables
            .iter()
            .map(|(as_of, table)| CountsTable {
                as_of: *as_of,
                table,
            })
            .collect();
        let rows = match format.sheet() {
            None => counts::write_lines(out, by, &views),
            Some(hxl) => counts::write_sheet(out, by, &views, hxl),
        }
        .map_err(output)?;
        Ok(ExportSummary {
            format: format.as_str(),
            scope: "counts".into(),
            persons: 0,
            rows,
            threshold: Some(k),
        })
    }
}
