//! Interviews and consent through the access layer: a person's interviews and consent
//! decisions as a role may see them ([`Gate::interviews_of`], [`Gate::consent_of`]), and
//! recording them ([`Writer::record_interview`], [`Writer::record_consent`]) with the
//! role check, the policy check on every person named (404 when hidden, as for a read),
//! the rules of [`model::consent::check`], the event and the audit entry.
//!
//! What each role sees of consent: a consul only the decisions about sharing with their
//! own governments (and the purposes that are not about sharing), so that a record never
//! says which other government a person dealt with; a researcher only research consent.
//! Interview transcripts are opened only for roles holding the transcript class.

use crate::error::AccessError;
use crate::gate::Gate;
use crate::policy::may_trace;
use crate::redact::time;
use crate::redact::{Lens, SealedOut};
use crate::role::Role;
use crate::writes::Writer;
use model::consent::{
    check, ConsentChange, ConsentState, ConsentView, Decision, Evidence, GivenBy, Purpose,
};
use model::event::Payload;
use model::ids::{ConsentId, InterviewId, PersonId, PlaceId};
use model::interview::{Attachment, Interview, Language};
use model::report::{SealClass, Sealer};
use model::time::Timestamp;
use serde::Serialize;

/// How far ahead of the clock a recorded time may be (laptop clocks drift).
const CLOCK_SLACK_MS: i64 = 10 * 60 * 1000;

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct AttachmentOut {
    /// BLAKE3 of the file, hex.
    pub blake3: String,
    pub size: u64,
    pub media_type: String,
}

/// An interview as one caller may see it.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct InterviewOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview_id: Option<String>,
    pub at: Option<String>,
    pub place: Option<String>,
    pub language: String,
    /// Who conducted it (roles that see ids).
    pub interviewers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<String>,
    /// The persons interviewed whom the caller may see, as the caller sees their ids.
    pub persons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<SealedOut>,
    pub attachments: Vec<AttachmentOut>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct EvidenceOut {
    /// `interview`, `signed_form` or `report`.
    pub kind: &'static str,
    /// The interview or report id (roles that see ids), or the form's BLAKE3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One consent decision as a caller may see it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ConsentDecisionOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    pub purpose: String,
    pub decision: &'static str,
    pub at: Option<String>,
    /// `person` or `guardian`.
    pub given_by: &'static str,
    /// The guardian, if the caller may see them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardian: Option<String>,
    pub evidence: EvidenceOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

/// Where one purpose stands now.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ConsentStateOut {
    pub purpose: String,
    /// `granted`, `refused`, `revoked` or `not_recorded`.
    pub state: &'static str,
    pub since: Option<String>,
}

/// A person's consent: each purpose now, and every decision, oldest first.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ConsentOut {
    pub person_id: String,
    pub current: Vec<ConsentStateOut>,
    pub history: Vec<ConsentDecisionOut>,
}

/// The purposes every role that sees consent is shown, recorded or not.
const ALWAYS_SHOWN: [Purpose; 5] = [
    Purpose::Tracing,
    Purpose::Research,
    Purpose::UseOfName,
    Purpose::UseOfImage,
    Purpose::Publication,
];

impl Gate<'_> {
    /// Whether the caller may learn of decisions about `purpose` at all.
    fn shows_purpose(&self, purpose: &Purpose) -> bool {
        match (self.user.role, purpose) {
            (Role::Researcher, p) => *p == Purpose::Research,
            (Role::Consular, Purpose::Sharing(cc)) => self.user.nationalities.contains(cc),
            _ => true,
        }
    }

    /// Whether the person may be on the tracing list (not if they asked not to be traced).
    pub(crate) fn traceable(&self, id: PersonId) -> bool {
        self.directory.facts(id).is_some_and(|f| may_trace(&f))
    }

    fn decision_out(&self, lens: &Lens, c: &ConsentChange) -> ConsentDecisionOut {
        let ids = lens.fields.real_ids;
        let (given_by, guardian) = match c.given_by {
            GivenBy::Person => ("person", None),
            GivenBy::Guardian(g) => ("guardian", self.sees(g).then(|| lens.person_id(g))),
        };
        let reference = match c.evidence {
            Evidence::Interview(i) => ids.then(|| i.to_string()),
            Evidence::Report(r) => ids.then(|| r.to_string()),
            Evidence::SignedForm(h) => Some(h.to_hex()),
        };
        ConsentDecisionOut {
            consent_id: ids.then(|| c.id.to_string()),
            purpose: c.purpose.key(),
            decision: c.decision.as_str(),
            at: time(c.at),
            given_by,
            guardian,
            evidence: EvidenceOut {
                kind: c.evidence.kind(),
                reference,
            },
            recorded_by: ids.then(|| c.recorded_by.clone()),
        }
    }

    fn current_out(&self, view: Option<&ConsentView>) -> Vec<ConsentStateOut> {
        let mut purposes: Vec<Purpose> = ALWAYS_SHOWN.to_vec();
        if let Some(v) = view {
            purposes.extend(v.changes.iter().map(|c| c.purpose));
        }
        purposes.sort();
        purposes.dedup();
        purposes
            .into_iter()
            .filter(|p| self.shows_purpose(p))
            .map(|p| {
                let current = view.and_then(|v| v.current(&p));
                let state = view.map_or(ConsentState::NotRecorded, |v| v.state(&p));
                ConsentStateOut {
                    purpose: p.key(),
                    state: state.as_str(),
                    since: current.and_then(|c| time(c.at)),
                }
            })
            .collect()
    }

    /// A person's consent, as the caller may see it. Audited as `person.consent`.
    /// A person made of merged records shows the decisions of all of them, as enforced;
    /// a merged record's id shows the person it joined.
    pub fn consent_of(&self, id: PersonId) -> Result<ConsentOut, AccessError> {
        let person = self.admit(id, "person.consent")?.id;
        let view = self.registry.consents_of_person(person)?;
        Ok(self.with_lens(|l| ConsentOut {
            person_id: l.person_id(person),
            current: self.current_out(view.as_ref()),
            history: view
                .iter()
                .flat_map(|v| v.changes.iter())
                .filter(|c| self.shows_purpose(&c.purpose))
                .map(|c| self.decision_out(l, c))
                .collect(),
        }))
    }

    fn interview_out(&self, lens: &Lens, i: &Interview) -> InterviewOut {
        let ids = lens.fields.real_ids;
        let transcript = i.transcript.as_ref().map(|v| SealedOut {
            sealed: true,
            value: if lens.fields.opens(SealClass::Transcript) {
                (lens.unseal)(SealClass::Transcript, v)
            } else {
                None
            },
        });
        InterviewOut {
            interview_id: ids.then(|| i.id.to_string()),
            at: time(i.at),
            place: i.place.map(|p| p.to_string()),
            language: i.language.to_string(),
            interviewers: if ids {
                i.interviewers.clone()
            } else {
                Vec::new()
            },
            interpreter: i.interpreter.clone().filter(|_| ids),
            persons: i
                .persons
                .iter()
                .filter(|p| self.sees(**p))
                .map(|p| lens.person_id(*p))
                .collect(),
            transcript,
            attachments: i
                .attachments
                .iter()
                .map(|a| AttachmentOut {
                    blake3: a.hash.to_hex(),
                    size: a.size,
                    media_type: a.media_type.to_string(),
                })
                .collect(),
        }
    }

    /// The interviews a person took part in, oldest first, as the caller may see them:
    /// with any of the records merged into the person too. Audited as `person.interviews`.
    pub fn interviews_of(&self, id: PersonId) -> Result<Vec<InterviewOut>, AccessError> {
        let person = self.admit(id, "person.interviews")?.id;
        let interviews = self.registry.interviews_of(person)?;
        Ok(self.with_lens(|l| {
            interviews
                .iter()
                .map(|i| self.interview_out(l, i))
                .collect()
        }))
    }
}

/// An interview as a user enters it. The transcript is sealed before it is stored.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InterviewInput {
    pub at: Timestamp,
    pub place: Option<PlaceId>,
    pub interviewers: Vec<String>,
    /// A BCP 47 tag, checked here.
    pub language: String,
    pub interpreter: Option<String>,
    pub persons: Vec<PersonId>,
    /// In plain text; stored only sealed.
    pub transcript: Option<String>,
    /// Files by hash (the interface hashed them; the files stay where they are).
    pub attachments: Vec<Attachment>,
}

/// A consent decision as a user enters it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConsentInput {
    pub person: PersonId,
    pub purpose: Purpose,
    pub decision: Decision,
    pub at: Timestamp,
    /// For a child: the parent or guardian who decided.
    pub guardian: Option<PersonId>,
    pub evidence: Evidence,
}

impl Writer<'_> {
    fn not_in_future(&self, at: Timestamp) -> Result<(), AccessError> {
        if at.0 > self.now_ms + CLOCK_SLACK_MS {
            return Err(AccessError::Invalid(format!(
                "the time {at} is in the future: give when it happened"
            )));
        }
        Ok(())
    }

    /// Records an interview. Only roles that record interviews may; every person named
    /// must be one the caller sees.
    pub fn record_interview(&mut self, input: InterviewInput) -> Result<InterviewId, AccessError> {
        if !self.user.role.records_interviews() {
            self.gate().forbidden("record interviews")?;
        }
        for p in &input.persons {
            self.visible(*p, "interview.record")?;
        }
        let invalid = |e: model::interview::InterviewError| AccessError::Invalid(e.to_string());
        let language = Language::parse(&input.language).map_err(invalid)?;
        let transcript = input.transcript.filter(|t| !t.trim().is_empty());
        let interviewers: Vec<String> = input
            .interviewers
            .iter()
            .map(|n| n.trim().to_string())
            .collect();
        let interpreter = input
            .interpreter
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        model::interview::check(
            &input.persons,
            &interviewers,
            interpreter.as_deref(),
            transcript.as_deref(),
            &input.attachments,
        )
        .map_err(invalid)?;
        if let Some(place) = input.place {
            self.check_place(place)?;
        }
        self.not_in_future(input.at)?;
        let id = InterviewId::from_u128(store::random_u128()?);
        let interview = Interview {
            id,
            at: input.at,
            place: input.place,
            interviewers,
            language,
            interpreter,
            persons: input.persons.clone(),
            transcript: transcript.map(|t| {
                self.registry
                    .sealer()
                    .seal(SealClass::Transcript, t.as_bytes())
            }),
            attachments: input.attachments,
        };
        let actor = self.actor();
        self.registry.append_one(
            actor,
            Timestamp(self.now_ms),
            Payload::InterviewRecorded { interview },
        )?;
        let subject = format!("interview:{id}");
        self.audit(
            "interview.record",
            &subject,
            &format!("persons={}", input.persons.len()),
        )?;
        for p in input.persons {
            self.audit("person.interview.add", &format!("person:{p}"), &subject)?;
        }
        Ok(id)
    }

    fn check_evidence(&self, input: &ConsentInput) -> Result<(), AccessError> {
        match input.evidence {
            Evidence::Interview(id) => {
                // Records merged since the interview count as the persons they joined.
                let with = self
                    .registry
                    .interview(id)?
                    .map(|i| i.persons)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| self.registry.resolve_person(p))
                    .collect::<Result<Vec<_>, _>>()?;
                let about = [Some(input.person), input.guardian];
                if !about.iter().flatten().any(|p| with.contains(p)) {
                    return Err(AccessError::Invalid(format!(
                        "interview {id} is not one with this person (or the guardian named): give the interview in which the decision was made"
                    )));
                }
            }
            Evidence::Report(id) => {
                if self.registry.report(id)?.is_none() {
                    return Err(AccessError::Invalid(format!(
                        "no report {id} in this registry: record the report first"
                    )));
                }
            }
            Evidence::SignedForm(_) => {}
        }
        Ok(())
    }

    /// Records a consent decision. Only roles that record consent may; the person (and a
    /// guardian named) must be visible to the caller; the decision must follow the rules
    /// of [`model::consent::check`] (a revocation needs a grant in force, a child's
    /// consent is given by a parent or guardian, decisions come in order).
    ///
    /// A decision about a merged record is recorded on the person it joined, and checked
    /// against the decisions of all the person's records (those in force).
    pub fn record_consent(&mut self, mut input: ConsentInput) -> Result<ConsentId, AccessError> {
        if !self.user.role.records_consent() {
            self.gate().forbidden("record consent")?;
        }
        input.person = self.registry.resolve_person(input.person)?;
        input.guardian = input
            .guardian
            .map(|g| self.registry.resolve_person(g))
            .transpose()?;
        let person = self.visible(input.person, "consent.record")?;
        if let Some(g) = input.guardian {
            self.visible(g, "consent.record")?;
        }
        self.check_evidence(&input)?;
        self.not_in_future(input.at)?;
        let change = ConsentChange {
            id: ConsentId::from_u128(store::random_u128()?),
            person: input.person,
            purpose: input.purpose,
            decision: input.decision,
            at: input.at,
            recorded_by: self.user.name.clone(),
            given_by: input.guardian.map_or(GivenBy::Person, GivenBy::Guardian),
            evidence: input.evidence,
        };
        let recorded = self.registry.consents_of_person(input.person)?;
        check(recorded.as_ref(), &change, person.consent_subject())
            .map_err(|e| AccessError::Invalid(e.to_string()))?;
        let id = change.id;
        let detail = format!(
            "purpose={} decision={}",
            change.purpose.key(),
            change.decision.as_str()
        );
        let actor = self.actor();
        self.registry.append_one(
            actor,
            Timestamp(self.now_ms),
            Payload::ConsentRecorded { consent: change },
        )?;
        self.audit(
            "consent.record",
            &format!("person:{}", input.person),
            &detail,
        )?;
        Ok(id)
    }
}
