//! The scenario's event log as it is written: events with their scenario time, and the
//! helpers that turn "a report with these claims" into payloads with fresh ids.

use crate::dice::Dice;
use crate::ScenarioEvent;
use model::actor::Enrolment;
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ActorId, ClaimId, PersonId, PlaceId, ReportId, TaskId};
use model::person::Registration;
use model::place::{Place, PlaceStatus, PlaceStatusChange};
use model::report::{Channel, Grade, Report, Sealer};
use model::task::{Task, TaskKind, TaskState};
use model::time::Timestamp;

/// Who receives and enters information in the scenario.
#[derive(Clone, Copy, Debug)]
pub struct Actors {
    pub registration: ActorId,
    pub tracing: ActorId,
    pub consular: ActorId,
    pub child_protection: ActorId,
    pub researcher: ActorId,
}

impl Actors {
    pub fn new(dice: &mut Dice) -> Self {
        Self {
            registration: ActorId::from_u128(dice.id_bits()),
            tracing: ActorId::from_u128(dice.id_bits()),
            consular: ActorId::from_u128(dice.id_bits()),
            child_protection: ActorId::from_u128(dice.id_bits()),
            researcher: ActorId::from_u128(dice.id_bits()),
        }
    }

    /// Who each actor is and the (invented) organisation they enter information for, so
    /// organisation scopes have something to work on: a user scoped to the tracing
    /// network sees the persons its reports are about.
    pub fn enrolments(&self) -> [Enrolment; 5] {
        let enrol = |actor, name: &str, organisation: &str| Enrolment {
            actor,
            name: name.into(),
            organisation: Some(organisation.into()),
        };
        [
            enrol(
                self.registration,
                "camp.registrar",
                "Camp Administration Registry",
            ),
            enrol(self.tracing, "tracing.desk", "Family Tracing Network"),
            enrol(self.consular, "consular.liaison", "Consular Liaison Office"),
            enrol(
                self.child_protection,
                "child.protection",
                "Child Protection Working Group",
            ),
            enrol(
                self.researcher,
                "field.researcher",
                "Camps Research Project",
            ),
        ]
    }
}

/// One incoming report before it is written: what, when, from whom, how graded.
pub struct Incoming<'a> {
    pub at: Timestamp,
    pub channel: Channel,
    pub grade: Grade,
    pub by: ActorId,
    /// Who sent it; sealed before it is written.
    pub source: &'a str,
    pub content: String,
}

/// A claim about to be written: who, when it was true, what.
pub type Said = (PersonId, Timestamp, ClaimKind);

pub struct Chronicle<'s> {
    pub events: Vec<ScenarioEvent>,
    sealer: &'s dyn Sealer,
    pub reports: usize,
    pub claims: usize,
    pub tasks: usize,
}

impl<'s> Chronicle<'s> {
    pub fn new(sealer: &'s dyn Sealer, capacity: usize) -> Self {
        Self {
            events: Vec::with_capacity(capacity),
            sealer,
            reports: 0,
            claims: 0,
            tasks: 0,
        }
    }

    pub fn seal(
        &self,
        class: model::report::SealClass,
        plaintext: &str,
    ) -> model::report::SealedValue {
        self.sealer.seal(class, plaintext.as_bytes())
    }

    pub(crate) fn push(&mut self, at: Timestamp, payload: Payload) {
        self.events.push(ScenarioEvent { at, payload });
    }

    pub fn enrol(&mut self, at: Timestamp, enrolment: Enrolment) {
        self.push(at, Payload::ActorEnrolled { enrolment });
    }

    pub fn place(&mut self, at: Timestamp, place: Place) {
        self.push(at, Payload::PlaceAdded { place });
    }

    pub fn place_status(
        &mut self,
        at: Timestamp,
        place: PlaceId,
        status: PlaceStatus,
        report: Option<ReportId>,
    ) {
        self.push(
            at,
            Payload::PlaceStatusChanged {
                place,
                change: PlaceStatusChange { status, at, report },
            },
        );
    }

    pub fn register(&mut self, at: Timestamp, person: PersonId, registration: Registration) {
        self.push(
            at,
            Payload::PersonRegistered {
                person,
                registration,
            },
        );
    }

    /// A fresh report id, for registrations that name their list before it is written.
    pub fn report_id(dice: &mut Dice) -> ReportId {
        ReportId::from_u128(dice.id_bits())
    }

    /// Writes a report and its claims as one event; returns the claim ids in order.
    pub fn report(
        &mut self,
        dice: &mut Dice,
        id: ReportId,
        incoming: Incoming<'_>,
        said: impl IntoIterator<Item = Said>,
    ) -> Vec<ClaimId> {
        let source = Some(self.seal(model::report::SealClass::Source, incoming.source));
        let claims: Vec<Claim> = said
            .into_iter()
            .map(|(person, observed_at, kind)| Claim {
                id: ClaimId::from_u128(dice.id_bits()),
                report: id,
                person,
                observed_at,
                kind,
            })
            .collect();
        let ids = claims.iter().map(|c| c.id).collect();
        self.reports += 1;
        self.claims += claims.len();
        self.push(
            incoming.at,
            Payload::ReportReceived {
                report: Report {
                    id,
                    channel: incoming.channel,
                    received_at: incoming.at,
                    received_by: incoming.by,
                    source,
                    content: incoming.content,
                    attachments: Vec::new(),
                    grade: incoming.grade,
                },
                claims,
            },
        );
        ids
    }

    /// A claim taken later from a report already written.
    pub fn claim_recorded(
        &mut self,
        dice: &mut Dice,
        report: ReportId,
        at: Timestamp,
        (person, observed_at, kind): Said,
    ) -> ClaimId {
        let id = ClaimId::from_u128(dice.id_bits());
        self.claims += 1;
        self.push(
            at,
            Payload::ClaimRecorded {
                claim: Claim {
                    id,
                    report,
                    person,
                    observed_at,
                    kind,
                },
            },
        );
        id
    }

    /// Opens a task; returns its id so it can be closed later.
    pub fn open_task(
        &mut self,
        dice: &mut Dice,
        at: Timestamp,
        kind: TaskKind,
        person: PersonId,
        priority: u8,
        reason: String,
    ) -> TaskId {
        let id = TaskId::from_u128(dice.id_bits());
        self.tasks += 1;
        self.push(
            at,
            Payload::TaskOpened {
                task: Task {
                    id,
                    kind,
                    person,
                    priority: priority.min(100),
                    reason,
                    opened_at: at,
                    assignee: None,
                    state: TaskState::Open,
                },
            },
        );
        id
    }

    pub fn close_task(
        &mut self,
        at: Timestamp,
        task: TaskId,
        by_claim: Option<ClaimId>,
        note: &str,
    ) {
        self.push(
            at,
            Payload::TaskClosed {
                task,
                at,
                by_claim,
                note: note.to_string(),
            },
        );
    }
}
