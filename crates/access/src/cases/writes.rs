//! Changes to repatriation cases, on [`Writer`]: opening a case, adding a member, moving
//! it to another stage (checked against `model::case::stage`'s rules), recording a
//! document, a custody handover, an evidence item and a claim about who authored it, and
//! a member's stated wish or legal record (a report with its claim).
//!
//! Each checks the role ([`super::policy::works_cases`], 403), then that the caller may
//! work on the case and see every person named (404, like a read), then the input (a
//! clear message saying what to fix); then appends and audits. Nothing is written when
//! any check fails.

use super::policy::{works_cases, CaseAccess};
use crate::error::AccessError;
use crate::writes::{ReportInput, Writer};
use model::case::{
    case_id, check_transition, Author, Authorship, CaseChange, CaseDocument, CaseFacts, CaseView,
    Evidence, EvidenceKind, Handover, StageEntry, Transition,
};
use model::claim::ClaimKind;
use model::event::Payload;
use model::ids::{CaseId, EvidenceId, PersonId, ReportId};
use model::person::RelationshipKind;
use model::report::{AttachmentHash, Report};
use model::time::{Timestamp, MS_PER_DAY};
use model::CountryCode;

/// Longest free text in a case field (a note, an authority, a place).
pub const MAX_FIELD_CHARS: usize = 2_000;

#[derive(Clone, PartialEq, Debug)]
pub struct EvidenceInput {
    pub kind: EvidenceKind,
    pub hash: AttachmentHash,
    pub captured_at: Timestamp,
    pub captured_by: String,
    pub description: String,
    pub about: Option<PersonId>,
}

/// The report an authorship claim comes from: one already recorded, or a new one (its
/// claims are ignored).
#[derive(Clone, PartialEq, Debug)]
pub enum ReportRef {
    Existing(ReportId),
    New(ReportInput),
}

#[derive(Clone, PartialEq, Debug)]
pub struct AuthorshipInput {
    pub author: Author,
    pub note: String,
    pub report: ReportRef,
}

pub(super) fn check_text(what: &str, text: &str, required: bool) -> Result<(), AccessError> {
    if required && text.trim().is_empty() {
        return Err(AccessError::Invalid(format!("{what} is empty: say {what}")));
    }
    if text.chars().count() > MAX_FIELD_CHARS {
        return Err(AccessError::Invalid(format!(
            "{what} is longer than {MAX_FIELD_CHARS} characters"
        )));
    }
    Ok(())
}

/// Whether the person is 18 or over on `at` whatever the imprecision of their birth.
pub(super) fn adult_at(person: &model::projection::PersonView, at: Timestamp) -> bool {
    match (person.birth, at.date()) {
        (Some(b), Some(on)) => b.age_on(on).0 >= 18,
        _ => false,
    }
}

pub(super) fn member(case: &CaseView, person: PersonId) -> Result<(), AccessError> {
    if case.members.contains(&person) {
        Ok(())
    } else {
        Err(AccessError::Invalid(format!(
            "person {person} is not a member of case {}: add them first (children and household members of the principal only)",
            case.id
        )))
    }
}

impl Writer<'_> {
    /// Refuses roles that do not work on cases (403).
    pub(super) fn may_work(&self, what: &'static str) -> Result<(), AccessError> {
        if works_cases(self.user.role) {
            Ok(())
        } else {
            self.gate().forbidden(what)
        }
    }

    /// The case, if the caller may work on it (else "not found", audited).
    pub(super) fn workable(&self, id: CaseId, action: &str) -> Result<CaseView, AccessError> {
        self.gate().admit_case(id, CaseAccess::Work, action)
    }

    /// A registered person the caller may see (else "not found", audited).
    pub(crate) fn visible(
        &self,
        person: PersonId,
        action: &str,
    ) -> Result<model::projection::PersonView, AccessError> {
        let gate = self.gate();
        let view = if gate.sees(person) {
            self.registry.person(person)?.filter(|v| v.registered)
        } else {
            None
        };
        match view {
            Some(v) => Ok(v),
            None => {
                self.audit(&format!("{action}.denied"), &format!("person:{person}"), "")?;
                Err(AccessError::NotFound)
            }
        }
    }

    pub(super) fn not_future(&self, what: &str, at: Timestamp) -> Result<(), AccessError> {
        if at.0 > self.now_ms + MS_PER_DAY {
            return Err(AccessError::Invalid(format!(
                "{what} ({at}) is in the future: give when it happened"
            )));
        }
        Ok(())
    }

    /// Appends the changes as one transaction.
    pub(super) fn append_case(&mut self, changes: Vec<Payload>) -> Result<(), AccessError> {
        let actor = self.actor();
        let now = Timestamp(self.now_ms);
        self.registry
            .append(actor, changes.into_iter().map(|p| (now, p)), &mut |_| {})?;
        Ok(())
    }

    pub(super) fn change(case: CaseId, change: CaseChange) -> Payload {
        Payload::CaseChanged { case, change }
    }

    /// Opens the case of `person` (the principal: a mother, or a person alone) with
    /// `country`, holding her registered children (but those with a case of their own
    /// with `country`). Refused for a child whose mother has
    /// a claim for the same country (children stay in their mother's case), for a person
    /// with no nationality claim for the country, and when the case is open already.
    pub fn open_case(
        &mut self,
        person: PersonId,
        country: CountryCode,
        at: Timestamp,
    ) -> Result<CaseId, AccessError> {
        self.open(person, country, at, false)
    }

    /// Opens a case of their own for a child who goes home without their parents (an
    /// unaccompanied child's case; brothers and sisters in the household may be added).
    /// Refused for a person 18 or over on `at`, and for a child who travels in a
    /// parent's case for `country` (mark them as staying behind there, or remove them,
    /// first); otherwise checked like [`Writer::open_case`].
    pub fn open_child_case(
        &mut self,
        person: PersonId,
        country: CountryCode,
        at: Timestamp,
    ) -> Result<CaseId, AccessError> {
        self.open(person, country, at, true)
    }

    fn open(
        &mut self,
        person: PersonId,
        country: CountryCode,
        at: Timestamp,
        child_alone: bool,
    ) -> Result<CaseId, AccessError> {
        self.may_work("open repatriation cases")?;
        if self.user.role == crate::Role::Consular && !self.user.nationalities.contains(&country) {
            self.gate()
                .forbidden("open a case for a country outside its scope")?;
        }
        let principal = self.visible(person, "case.open")?;
        self.not_future("the opening", at)?;
        if !principal.nationalities.iter().any(|n| n.country == country) {
            return Err(AccessError::Invalid(format!(
                "person {person} has no nationality claim for {country}: record the claim (with its evidence) before opening a case"
            )));
        }
        if child_alone {
            self.check_child_alone(&principal, country, at)?;
        } else {
            self.check_not_a_child(&principal, country, at)?;
        }
        let id = case_id(person, country);
        if self.registry.case(id)?.is_some() {
            return Err(AccessError::Invalid(format!(
                "the case of person {person} with {country} is open already: case {id}"
            )));
        }
        let mut members = vec![person];
        for r in principal.relationships.iter().filter(|_| !child_alone) {
            if r.kind == RelationshipKind::ParentOf
                && self
                    .registry
                    .person(r.other)?
                    .is_some_and(|v| v.registered && !adult_at(&v, at))
                && !members.contains(&r.other)
                && self.registry.case(case_id(r.other, country))?.is_none()
            {
                members.push(r.other);
            }
        }
        let change = CaseChange::Opened {
            country,
            principal: person,
            household: principal.household,
            members,
            at,
        };
        self.append_case(vec![Self::change(id, change)])?;
        let detail = if child_alone { " unaccompanied" } else { "" };
        self.audit(
            "case.open",
            &format!("case:{id}"),
            &format!("person:{person}{detail}"),
        )?;
        Ok(id)
    }

    /// Children stay in their mother's case: a person under 18 (or of unknown age) with
    /// a registered parent who has a claim for `country` is not a principal.
    fn check_not_a_child(
        &self,
        person: &model::projection::PersonView,
        country: CountryCode,
        at: Timestamp,
    ) -> Result<(), AccessError> {
        if adult_at(person, at) {
            return Ok(());
        }
        for r in &person.relationships {
            if r.kind != RelationshipKind::ChildOf {
                continue;
            }
            let Some(parent) = self.registry.person(r.other)?.filter(|v| v.registered) else {
                continue;
            };
            if !parent.nationalities.iter().any(|n| n.country == country) {
                continue;
            }
            let whose = if self.gate().sees(parent.id) {
                let open = self.registry.case(case_id(parent.id, country))?.is_some();
                format!(
                    "open (or add the child to) the case of their parent {}{}",
                    parent.id,
                    if open { ", which is open" } else { "" }
                )
            } else {
                "the case is their parent's".to_string()
            };
            return Err(AccessError::Invalid(format!(
                "children stay in their mother's case: {whose}"
            )));
        }
        Ok(())
    }

    /// Adds a child or household member of the principal to the case.
    pub fn add_case_member(&mut self, case: CaseId, person: PersonId) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.member")?;
        let p = self.visible(person, "case.member")?;
        if view.members.contains(&person) {
            return Err(AccessError::Invalid(format!(
                "person {person} is already a member of case {case}"
            )));
        }
        let child = p
            .relationships
            .iter()
            .any(|r| r.kind == RelationshipKind::ChildOf && r.other == view.principal);
        let household = view.household.is_some() && p.household == view.household;
        if !child && !household {
            return Err(AccessError::Invalid(format!(
                "person {person} is neither a child nor in the household of the case's principal: record the relationship first"
            )));
        }
        if let Some(own) = self.registry.case(case_id(person, view.country))? {
            return Err(AccessError::Invalid(format!(
                "person {person} has a case of their own with {}: case {}",
                view.country, own.id
            )));
        }
        self.append_case(vec![Self::change(case, CaseChange::MemberAdded { person })])?;
        self.audit(
            "case.member",
            &format!("case:{case}"),
            &format!("person:{person}"),
        )
    }

    /// Moves the case to another stage, if the rules allow it and what it needs is there.
    pub fn change_case_stage(&mut self, case: CaseId, t: Transition) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.stage")?;
        self.not_future("the move", t.at)?;
        check_text("the note", &t.note, false)?;
        if let Some(d) = &t.decision {
            check_text("the deciding authority", &d.authority, true)?;
            self.not_future("the decision", d.decided_on)?;
        }
        let facts = CaseFacts {
            legal_records: self.legal_records(&view)?,
        };
        check_transition(&view, &t, facts)
            .map_err(|e| AccessError::Invalid(format!("case {case}: {e}")))?;
        let entry = StageEntry {
            stage: t.to,
            at: t.at,
            decision: t.decision,
            note: t.note.trim().to_string(),
        };
        self.append_case(vec![Self::change(case, CaseChange::StageChanged(entry))])?;
        self.audit("case.stage", &format!("case:{case}"), t.to.as_str())
    }

    fn legal_records(&self, view: &CaseView) -> Result<usize, AccessError> {
        let mut n = 0;
        for m in &view.members {
            if let Some(p) = self.registry.person(*m)? {
                n += p
                    .claims
                    .iter()
                    .filter(|g| matches!(g.claim.kind, ClaimKind::Legal(_)))
                    .count();
            }
        }
        Ok(n)
    }

    /// Records a document received for the case (by hash when a copy is attached).
    pub fn record_case_document(
        &mut self,
        case: CaseId,
        mut input: CaseDocument,
    ) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.document")?;
        if input.kind.of_principal() && input.person.is_none() {
            input.person = Some(view.principal);
        }
        if input.kind.per_member() && input.person.is_none() {
            return Err(AccessError::Invalid(format!(
                "a {} is for one person: name the member it belongs to",
                input.kind.as_str()
            )));
        }
        if let Some(p) = input.person {
            self.visible(p, "case.document")?;
            member(&view, p)?;
        }
        self.not_future("the document's receipt", input.received_at)?;
        check_text("the note", &input.note, false)?;
        let doc = CaseDocument {
            kind: input.kind,
            person: input.person,
            hash: input.hash,
            received_at: input.received_at,
            note: input.note.trim().to_string(),
        };
        self.append_case(vec![Self::change(case, CaseChange::DocumentReceived(doc))])?;
        self.audit(
            "case.document",
            &format!("case:{case}"),
            input.kind.as_str(),
        )
    }

    /// Records a custody handover of members (when none is named: every member who
    /// travels).
    pub fn record_handover(&mut self, case: CaseId, input: Handover) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.handover")?;
        check_text("from whom", &input.from, true)?;
        check_text("to whom", &input.to, true)?;
        check_text("where", &input.place, true)?;
        check_text("the note", &input.note, false)?;
        self.not_future("the handover", input.at)?;
        for p in &input.persons {
            self.visible(*p, "case.handover")?;
            member(&view, *p)?;
        }
        let persons = if input.persons.is_empty() {
            view.travellers()
        } else {
            input.persons
        };
        let handover = Handover {
            from: input.from.trim().into(),
            to: input.to.trim().into(),
            place: input.place.trim().into(),
            at: input.at,
            persons,
            note: input.note.trim().into(),
        };
        self.append_case(vec![Self::change(
            case,
            CaseChange::CustodyHandedOver(handover),
        )])?;
        self.audit("case.handover", &format!("case:{case}"), "")
    }

    /// Keeps an evidence item in the case, by hash.
    pub fn capture_evidence(
        &mut self,
        case: CaseId,
        input: EvidenceInput,
    ) -> Result<EvidenceId, AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.evidence")?;
        check_text("who captured it", &input.captured_by, true)?;
        check_text("the description", &input.description, true)?;
        self.not_future("the capture", input.captured_at)?;
        if let Some(p) = input.about {
            self.visible(p, "case.evidence")?;
            member(&view, p)?;
        }
        let id = EvidenceId::from_u128(store::random_u128()?);
        let evidence = Evidence {
            id,
            kind: input.kind,
            hash: input.hash,
            captured_at: input.captured_at,
            captured_by: input.captured_by.trim().into(),
            description: input.description.trim().into(),
            about: input.about,
        };
        self.append_case(vec![Self::change(
            case,
            CaseChange::EvidenceCaptured(evidence),
        )])?;
        self.audit(
            "case.evidence",
            &format!("case:{case}"),
            &format!("evidence:{id}"),
        )?;
        Ok(id)
    }

    /// Records who is said to have authored an evidence item, from an existing report
    /// or a new one (recorded in the same transaction). Claims that name different
    /// authors are all kept: the authorship is then disputed, and both sides show.
    pub fn claim_authorship(
        &mut self,
        case: CaseId,
        evidence: EvidenceId,
        input: AuthorshipInput,
    ) -> Result<ReportId, AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.authorship")?;
        if !view.evidence.iter().any(|e| e.evidence.id == evidence) {
            return Err(AccessError::Invalid(format!(
                "case {case} holds no evidence item {evidence}"
            )));
        }
        match &input.author {
            Author::Person(p) => {
                self.visible(*p, "case.authorship")?;
            }
            Author::Described(text) => check_text("the author", text, true)?,
        }
        check_text("the note", &input.note, false)?;
        let mut payloads = Vec::new();
        let report = match input.report {
            ReportRef::Existing(r) => {
                if self.registry.report(r)?.is_none() {
                    return Err(AccessError::Invalid(format!(
                        "no report {r} in this registry: give the id of a recorded report, or describe a new one"
                    )));
                }
                r
            }
            ReportRef::New(r) => {
                let (id, payload) = self.new_report(r)?;
                payloads.push(payload);
                id
            }
        };
        let change = CaseChange::AuthorshipClaimed {
            evidence,
            authorship: Authorship {
                author: input.author,
                report,
                note: input.note.trim().into(),
            },
        };
        payloads.push(Self::change(case, change));
        self.append_case(payloads)?;
        self.audit(
            "case.authorship",
            &format!("case:{case}"),
            &format!("evidence:{evidence} report:{report}"),
        )?;
        Ok(report)
    }

    /// A report without claims, its source sealed.
    fn new_report(&self, r: ReportInput) -> Result<(ReportId, Payload), AccessError> {
        if !self.user.role.records_reports() {
            self.gate().forbidden("record reports")?;
        }
        if r.content.trim().is_empty() {
            return Err(AccessError::Invalid(
                "the report is empty: write what was received".into(),
            ));
        }
        check_text("the report", &r.content, true)?;
        self.not_future("the report's receipt", r.received_at)?;
        let id = ReportId::from_u128(store::random_u128()?);
        let source = r.source.filter(|s| !s.trim().is_empty()).map(|s| {
            use model::report::Sealer;
            self.registry
                .sealer()
                .seal(model::report::SealClass::Source, s.as_bytes())
        });
        let report = Report {
            id,
            channel: r.channel,
            received_at: r.received_at,
            received_by: self.actor(),
            source,
            content: r.content,
            attachments: Vec::new(),
            grade: r.grade,
        };
        Ok((
            id,
            Payload::ReportReceived {
                report,
                claims: Vec::new(),
            },
        ))
    }

    /// Records a member's stated wish (`WishesTrialAtHome`, `StatesWish`) or a legal
    /// record (`Legal`) as a report with its claim about that member.
    pub fn record_case_claim(
        &mut self,
        case: CaseId,
        person: PersonId,
        kind: ClaimKind,
        mut report: ReportInput,
    ) -> Result<ReportId, AccessError> {
        self.may_work("change repatriation cases")?;
        let legal = matches!(
            kind,
            ClaimKind::Legal(_) | ClaimKind::WishesTrialAtHome { .. }
        );
        let wish = matches!(
            kind,
            ClaimKind::WishesTrialAtHome { .. } | ClaimKind::StatesWish { .. }
        );
        if !legal && !wish {
            return Err(AccessError::Invalid(
                "a case records wishes and legal records; other claims go in a report".into(),
            ));
        }
        if legal && !self.user.role.fields().legal {
            self.gate().forbidden("record legal status")?;
        }
        let view = self.workable(case, "case.claim")?;
        self.visible(person, "case.claim")?;
        member(&view, person)?;
        report.claims = vec![(person, kind)];
        let id = self.record_report(report)?;
        self.audit(
            "case.claim",
            &format!("case:{case}"),
            &format!("report:{id}"),
        )?;
        Ok(id)
    }
}
