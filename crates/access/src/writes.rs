//! Changes a signed-in user makes: recording a report with its claims, and a place-status
//! change. [`Writer`] is the write side of [`Gate`]: it holds the registry mutably (an
//! append needs it), checks the role and the policy, appends the event and writes the
//! audit entry. A claim about a person the caller may not see is refused with
//! [`AccessError::NotFound`], exactly like a read, so writing does not reveal existence.

use crate::directory::Directory;
use crate::error::AccessError;
use crate::gate::Gate;
use crate::identity::User;
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ActorId, ClaimId, PersonId, PlaceId, ReportId};
use model::place::{PlaceStatus, PlaceStatusChange};
use model::report::{Channel, Grade, Report, Sealer};
use model::time::Timestamp;
use store::{AuditInput, Registry};

/// A report as a user enters it. The source is sealed before it is stored.
#[derive(Clone, PartialEq, Debug)]
pub struct ReportInput {
    pub channel: Channel,
    pub received_at: Timestamp,
    /// When the claims were true.
    pub observed_at: Timestamp,
    pub grade: Grade,
    pub content: String,
    /// Who sent it, in plain text; stored only sealed.
    pub source: Option<String>,
    pub claims: Vec<(PersonId, ClaimKind)>,
}

/// Longest free text accepted in a report.
pub const MAX_REPORT_CHARS: usize = 8_000;
/// Most claims in one report entered by hand.
pub const MAX_CLAIMS: usize = 20;

/// See the module doc.
pub struct Writer<'a> {
    pub registry: &'a mut Registry,
    pub directory: &'a Directory,
    pub user: &'a User,
    pub interface: &'a str,
    pub now_ms: i64,
}

impl Writer<'_> {
    pub(crate) fn gate(&self) -> Gate<'_> {
        Gate {
            registry: self.registry,
            directory: self.directory,
            user: self.user,
            interface: self.interface,
            now_ms: self.now_ms,
        }
    }

    /// The actor the user's changes carry: their own enrolled actor, so every replica can
    /// tell who (and which organisation) entered a fact.
    pub fn actor(&self) -> ActorId {
        self.user
            .actor
            .unwrap_or_else(|| self.registry.local_actor())
    }

    pub(crate) fn audit(
        &self,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), AccessError> {
        self.registry.audit(&AuditInput {
            at: self.now_ms,
            actor: &self.user.name,
            interface: self.interface,
            action,
            subject,
            detail,
        })?;
        Ok(())
    }

    pub(crate) fn check_place(&self, place: PlaceId) -> Result<(), AccessError> {
        match self.registry.place(place)? {
            Some(_) => Ok(()),
            None => Err(AccessError::Invalid(format!(
                "no place {place} in this registry: choose one from the list"
            ))),
        }
    }

    fn validate(&self, input: &ReportInput) -> Result<(), AccessError> {
        if input.content.trim().is_empty() {
            return Err(AccessError::Invalid(
                "the report is empty: write what was received".into(),
            ));
        }
        if input.content.chars().count() > MAX_REPORT_CHARS {
            return Err(AccessError::Invalid(format!(
                "the report is longer than {MAX_REPORT_CHARS} characters: attach long texts instead"
            )));
        }
        if input.claims.len() > MAX_CLAIMS {
            return Err(AccessError::Invalid(format!(
                "at most {MAX_CLAIMS} claims per report"
            )));
        }
        for (_, kind) in &input.claims {
            if let Some(place) = kind.place() {
                self.check_place(place)?;
            }
        }
        Ok(())
    }

    /// Records a report and its claims as one event. Only roles that record reports may;
    /// every person a claim is about must be visible to the caller.
    pub fn record_report(&mut self, input: ReportInput) -> Result<ReportId, AccessError> {
        let gate = self.gate();
        if !self.user.role.records_reports() {
            gate.forbidden("record reports")?;
        }
        for (person, _) in &input.claims {
            if !gate.sees(*person) || self.registry.person(*person)?.is_none() {
                self.audit("report.record.denied", &format!("person:{person}"), "")?;
                return Err(AccessError::NotFound);
            }
        }
        self.validate(&input)?;
        let id = ReportId::from_u128(store::random_u128()?);
        let mut claims = Vec::with_capacity(input.claims.len());
        for (person, kind) in input.claims {
            claims.push(Claim {
                id: ClaimId::from_u128(store::random_u128()?),
                report: id,
                person,
                observed_at: input.observed_at,
                kind,
            });
        }
        let report = Report {
            id,
            channel: input.channel,
            received_at: input.received_at,
            received_by: self.actor(),
            source: input.source.filter(|s| !s.trim().is_empty()).map(|s| {
                self.registry
                    .sealer()
                    .seal(model::report::SealClass::Source, s.as_bytes())
            }),
            content: input.content,
            attachments: Vec::new(),
            grade: input.grade,
        };
        let persons: Vec<PersonId> = claims.iter().map(|c| c.person).collect();
        let actor = self.actor();
        self.registry.append_one(
            actor,
            Timestamp(self.now_ms),
            Payload::ReportReceived { report, claims },
        )?;
        let detail = format!("claims={}", persons.len());
        self.audit("report.record", &format!("report:{id}"), &detail)?;
        for p in persons {
            self.audit(
                "person.claim.add",
                &format!("person:{p}"),
                &format!("report:{id}"),
            )?;
        }
        Ok(id)
    }

    /// Records a place-status change (a camp losing its guards, say), effective `at`.
    pub fn change_place_status(
        &mut self,
        place: PlaceId,
        status: PlaceStatus,
        at: Timestamp,
    ) -> Result<(), AccessError> {
        if !self.user.role.changes_place_status() {
            self.gate().forbidden("change a place's status")?;
        }
        self.check_place(place)?;
        let actor = self.actor();
        self.registry.append_one(
            actor,
            Timestamp(self.now_ms),
            Payload::PlaceStatusChanged {
                place,
                change: PlaceStatusChange {
                    status,
                    at,
                    report: None,
                },
            },
        )?;
        self.audit("place.status", &format!("place:{place}"), status.as_str())
    }
}
