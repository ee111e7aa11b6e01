//! The audited gate: every read of a person, every search and every count a signed-in
//! user makes goes through here, is checked against the policy, redacted for the role,
//! and written to the audit chain before the answer is returned.
//!
//! A person the caller may not see and a person who does not exist give the same
//! [`AccessError::NotFound`], so existence does not leak. Refused attempts are audited
//! too (`person.read.denied`), so guessing ids shows up in the chain.

use crate::directory::Directory;
use crate::error::AccessError;
use crate::identity::User;
use crate::policy::may_see;
use crate::redact::{Lens, PersonOut, TimelineEntryOut};
use crate::suppression::{suppress, SuppressedTable};
use model::ids::PersonId;
use model::report::SealClass;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use store::{AuditInput, Registry, StatsDimension};

/// One search hit, in the shape of `homeward search --json`.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct SearchHit {
    pub person_id: String,
    pub score: f64,
    pub names: Vec<String>,
    /// Which name, key and fields matched.
    pub why: store::Why,
}

impl SearchHit {
    /// The hit as an interface shows it; `kin` (a child's name) only if the caller sees
    /// that child.
    pub fn from_store(hit: store::SearchHit, sees: impl Fn(PersonId) -> bool) -> Self {
        let mut why = hit.why;
        if let Some(child) = why.kin_person {
            if !sees(child) {
                why.kin = Some("parent of a child whose given name matches".into());
            }
        }
        Self {
            person_id: hit.person.to_string(),
            score: hit.score,
            names: hit.names,
            why,
        }
    }
}

/// A user's view of the registry through one interface.
pub struct Gate<'a> {
    pub registry: &'a Registry,
    pub directory: &'a Directory,
    pub user: &'a User,
    /// `cli`, `api`, ...
    pub interface: &'a str,
    /// Milliseconds since the epoch, for audit entries.
    pub now_ms: i64,
}

impl Gate<'_> {
    pub(crate) fn entry<'b>(
        &'b self,
        action: &'b str,
        subject: &'b str,
        detail: &'b str,
    ) -> AuditInput<'b> {
        AuditInput {
            at: self.now_ms,
            actor: &self.user.name,
            interface: self.interface,
            action,
            subject,
            detail,
        }
    }

    pub(crate) fn forbidden(&self, what: &'static str) -> Result<(), AccessError> {
        self.registry
            .audit(&self.entry("refused", what, self.user.role.as_str()))?;
        Err(AccessError::Forbidden {
            role: self.user.role.as_str(),
            what,
        })
    }

    /// Whether the caller may see this person.
    pub fn sees(&self, id: PersonId) -> bool {
        self.user.role.reads_persons()
            && self
                .directory
                .facts(id)
                .is_some_and(|f| may_see(self.user, &f))
    }

    pub(crate) fn with_lens<T>(&self, f: impl FnOnce(&Lens) -> T) -> T {
        let sees = |id: PersonId| self.sees(id);
        let fields = self.user.role.fields();
        // The role check is repeated here, next to the key, so that no lens can open a
        // class its role does not hold.
        let unseal = |class: SealClass, v: &model::report::SealedValue| {
            fields
                .opens(class)
                .then(|| self.registry.sealer().open(class, v).ok())
                .flatten()
                .and_then(|b| String::from_utf8(b).ok())
        };
        let lens = Lens {
            fields: self.user.role.fields(),
            sees: &sees,
            unseal: &unseal,
            pseudonym_key: self.registry.pseudonym_key(),
        };
        f(&lens)
    }

    /// Checks the caller may see `id`, auditing the attempt under `action`.
    pub(crate) fn admit(
        &self,
        id: PersonId,
        action: &str,
    ) -> Result<model::projection::PersonView, AccessError> {
        if !self.user.role.reads_persons() {
            self.forbidden("read persons")?;
        }
        let subject = format!("person:{id}");
        // A record merged into another resolves to the person it joined.
        let person = self.registry.resolve_person(id)?;
        let view = if self.sees(person) {
            self.registry.person(person)?.filter(|v| v.registered)
        } else {
            None
        };
        let Some(view) = view else {
            self.registry
                .audit(&self.entry(&format!("{action}.denied"), &subject, ""))?;
            return Err(AccessError::NotFound);
        };
        let detail = if person == id {
            String::new()
        } else {
            format!("asked for merged record person:{id}")
        };
        self.registry
            .audit(&self.entry(action, &format!("person:{person}"), &detail))?;
        Ok(view)
    }

    /// One person, redacted for the caller.
    pub fn person(&self, id: PersonId) -> Result<PersonOut, AccessError> {
        let view = self.admit(id, "person.read")?;
        let mut out = self.with_lens(|l| l.person(&view));
        self.provenance(id, &view, &mut out)?;
        Ok(out)
    }

    /// A person's claims and the reports behind them, newest first, redacted.
    pub fn timeline(&self, id: PersonId) -> Result<Vec<TimelineEntryOut>, AccessError> {
        let view = self.admit(id, "person.timeline")?;
        let entries = self.registry.timeline(&view)?;
        Ok(self.with_lens(|l| {
            entries
                .iter()
                .filter(|e| l.shows_claim(&e.claim.claim.kind))
                .map(|e| TimelineEntryOut {
                    claim: l.claim(&e.claim),
                    report: e.report.as_ref().map(|r| l.report(r)),
                })
                .collect()
        }))
    }

    /// Persons the caller may see whose names match `query` in any script or spelling
    /// (see `store::Registry::search`), best first, at most `limit`. Persons the caller
    /// may not see are skipped before ranking. Every person returned is audited as
    /// `person.listed`.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, AccessError> {
        self.search_with(query, &store::SearchFilters::default(), limit)
    }

    /// [`Gate::search`] with explicit filters (nationality, camp, sex, birth years).
    pub fn search_with(
        &self,
        query: &str,
        filters: &store::SearchFilters,
        limit: usize,
    ) -> Result<Vec<SearchHit>, AccessError> {
        if !self.user.role.reads_persons() || !self.user.role.fields().names {
            self.forbidden("search persons by name")?;
        }
        let sees = |id: PersonId| self.sees(id);
        let found = self.registry.search(query, filters, limit, &sees)?;
        let hits: Vec<SearchHit> = found
            .into_iter()
            .map(|h| SearchHit::from_store(h, sees))
            .collect();
        let subjects: Vec<String> = hits
            .iter()
            .map(|h| format!("person:{}", h.person_id))
            .collect();
        let detail = format!("query={query:?}");
        let mut entries = vec![self.entry("person.search", "search", &detail)];
        entries.extend(
            subjects
                .iter()
                .map(|s| self.entry("person.listed", s, &detail)),
        );
        self.registry.audit_batch(&entries)?;
        Ok(hits)
    }

    /// Counts over exactly the persons the caller may count, broken down by `dims`, with
    /// small cells suppressed (see [`crate::suppression`]).
    pub fn stats(
        &self,
        dims: &[StatsDimension],
        ref_year: i32,
        threshold: u64,
    ) -> Result<SuppressedTable, AccessError> {
        let table = self.count_table(dims, ref_year, threshold)?;
        let by: Vec<&str> = dims.iter().map(|d| d.key()).collect();
        self.registry
            .audit(&self.entry("stats", "stats", &format!("by={}", by.join(","))))?;
        Ok(table)
    }

    /// [`Gate::stats`] without its audit entry, for reads that audit themselves (exports).
    pub(crate) fn count_table(
        &self,
        dims: &[StatsDimension],
        ref_year: i32,
        threshold: u64,
    ) -> Result<SuppressedTable, AccessError> {
        let rows = self.registry.stats_cells(dims, ref_year)?;
        let mut counted: BTreeMap<PersonId, bool> = BTreeMap::new();
        let mut persons = BTreeSet::new();
        let mut cells: BTreeMap<Vec<String>, BTreeSet<PersonId>> = BTreeMap::new();
        for row in rows {
            let ok = *counted
                .entry(row.person)
                .or_insert_with(|| self.counts(row.person));
            if ok {
                persons.insert(row.person);
                cells.entry(row.values).or_default().insert(row.person);
            }
        }
        let cells: Vec<(Vec<String>, u64)> = cells
            .into_iter()
            .map(|(k, v)| (k, v.len() as u64))
            .collect();
        Ok(suppress(
            persons.len() as u64,
            &cells,
            self.threshold(threshold)?,
        ))
    }

    /// Who read or touched a person: the audit entries about them. Admins only; the
    /// lookup is itself audited.
    pub fn audit_of_person(&self, id: PersonId) -> Result<Vec<store::AuditEntry>, AccessError> {
        if !self.user.role.administers() {
            self.forbidden("read the audit chain")?;
        }
        let subject = format!("person:{id}");
        let entries = self.registry.audit_for(&subject)?;
        self.registry
            .audit(&self.entry("audit.read", &subject, ""))?;
        Ok(entries)
    }
}
