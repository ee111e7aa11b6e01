//! A case as one caller may see it: members they may see (children flagged when their
//! nationality is not their mother's), stages and the time spent in each, the documents
//! checklist, custody handovers, the members' stated wishes and legal records with their
//! reports, and evidence items with every authorship claim and its source's grade.

use super::policy::CaseAccess;
use super::{stage_times, StageTime};
use crate::error::AccessError;
use crate::gate::Gate;
use crate::redact::time;
use crate::redact::{ClaimOut, Lens, ReportOut};
use crate::views::PersonSummary;
use model::case::documents::{checklist, hash_hex};
use model::case::{child_flags, Author, CaseView, EvidenceView, Stage};
use model::claim::ClaimKind;
use model::ids::{CaseId, PersonId};
use model::person::RelationshipKind;
use model::projection::PersonView;
use model::time::Timestamp;
use serde::Serialize;

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct FlagOut {
    pub flag: &'static str,
    pub detail: String,
}

/// A member staying behind: since when, and why.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct StayOut {
    pub since: Option<String>,
    pub reason: String,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct MemberOut {
    /// `principal`, `child` or `household`.
    pub relation: &'static str,
    pub person: PersonSummary,
    /// For children: why their nationality needs attention (empty: none).
    pub flags: Vec<FlagOut>,
    /// False for a member who stays behind (then `stays_behind` says why).
    pub travels: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stays_behind: Option<StayOut>,
}

/// A member taken out of the case.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RemovalOut {
    pub person_id: String,
    pub at: Option<String>,
    pub reason: String,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct StageOut {
    pub stage: &'static str,
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<String>,
    pub note: String,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct DocumentOut {
    pub kind: &'static str,
    pub person_id: Option<String>,
    /// The stage that needs it (none: received beyond the checklist).
    pub required_for: Option<&'static str>,
    /// `received` or `missing`.
    pub status: &'static str,
    pub hash: Option<String>,
    pub received_at: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct HandoverOut {
    pub from: String,
    pub to: String,
    pub place: String,
    pub at: Option<String>,
    /// The members handed over whom the caller may see.
    pub persons: Vec<String>,
    pub note: String,
}

/// A wish or a legal record: the claim with its report (grade, channel, sealed source).
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RecordOut {
    pub person_id: String,
    pub claim: ClaimOut,
    pub report: Option<ReportOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct AuthorshipOut {
    /// Who is said to have made it, as the caller may know it.
    pub author: String,
    pub author_person_id: Option<String>,
    pub note: String,
    /// The report the claim came from: its grade, channel and sealed source.
    pub report: Option<ReportOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct EvidenceOut {
    pub evidence_id: String,
    pub kind: &'static str,
    pub hash: String,
    pub captured_at: Option<String>,
    pub captured_by: String,
    pub description: String,
    pub about: Option<String>,
    /// True when the claims name more than one author: both sides are listed.
    pub authorship_disputed: bool,
    pub authorship: Vec<AuthorshipOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct DecisionOut {
    pub outcome: &'static str,
    pub authority: String,
    pub decided_on: Option<String>,
}

/// A case as one caller may see it.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct CaseOut {
    pub case_id: String,
    pub country: String,
    pub stage: &'static str,
    pub stage_since: Option<String>,
    pub opened_at: Option<String>,
    /// Whether the caller may change the case.
    pub may_work: bool,
    /// Everyone who travels is a child (a child's own case, or the adults stay behind).
    pub unaccompanied: bool,
    pub allowed_next: Vec<&'static str>,
    pub decision: Option<DecisionOut>,
    pub members: Vec<MemberOut>,
    /// Members taken out of the case whom the caller may see.
    pub removed: Vec<RemovalOut>,
    /// For a caller who may work on the case: the principal's children and household
    /// members whom the caller may see and who are not in the case.
    pub may_join: Vec<PersonSummary>,
    pub stages: Vec<StageOut>,
    /// As of the time of the request.
    pub time_in_stages: Vec<StageTime>,
    pub documents: Vec<DocumentOut>,
    pub handovers: Vec<HandoverOut>,
    /// Absent for roles that may not see them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wishes: Option<Vec<RecordOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal: Option<Vec<RecordOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<EvidenceOut>>,
}

/// A case as a line of a list or a board.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct CaseSummary {
    pub case_id: String,
    pub country: String,
    pub stage: &'static str,
    pub stage_since: Option<String>,
    pub opened_at: Option<String>,
    /// The principal, if the caller may see her.
    pub principal: Option<PersonSummary>,
    /// Members the caller may see.
    pub members: usize,
    /// Children flagged for their nationality.
    pub flagged_children: usize,
    /// Everyone who travels is a child.
    pub unaccompanied: bool,
    /// Members the caller may see who stay behind.
    pub staying_behind: usize,
    pub days_in_stage: f64,
    pub time_in_stages: Vec<StageTime>,
}

fn relation(member: &PersonView, principal: PersonId) -> &'static str {
    if member.id == principal {
        "principal"
    } else if member
        .relationships
        .iter()
        .any(|r| r.kind == RelationshipKind::ChildOf && r.other == principal)
    {
        "child"
    } else {
        "household"
    }
}

/// Members the caller may see, principal first, with their views.
pub(crate) struct Members {
    pub views: Vec<PersonView>,
    pub principal: Option<PersonView>,
}

impl Gate<'_> {
    pub(crate) fn members(&self, case: &CaseView) -> Result<Members, AccessError> {
        let mut views = Vec::new();
        for id in &case.members {
            if self.sees(*id) {
                if let Some(v) = self.registry.person(*id)?.filter(|v| v.registered) {
                    views.push(v);
                }
            }
        }
        // The principal is nearly always a member the caller sees: read once.
        let principal = match views.iter().find(|v| v.id == case.principal) {
            Some(v) => Some(v.clone()),
            None => self.registry.person(case.principal)?,
        };
        Ok(Members { views, principal })
    }

    /// The flags of one member (children only).
    fn flags(
        &self,
        case: &CaseView,
        m: &PersonView,
        principal: &Option<PersonView>,
    ) -> Vec<FlagOut> {
        let Some(mother) = principal.as_ref() else {
            return Vec::new();
        };
        if relation(m, case.principal) != "child" {
            return Vec::new();
        }
        child_flags(&mother.nationalities, &m.nationalities, case.country)
            .into_iter()
            .map(|f| FlagOut {
                flag: f.label(),
                detail: f.explain(),
            })
            .collect()
    }

    /// Whether everyone who travels is known to be a child when the case arrived (or on
    /// `as_of`, before it arrives). Every traveller counts, seen or not: the flag is the
    /// case's. `m` spares reading again the views already read.
    fn unaccompanied(
        &self,
        case: &CaseView,
        m: &Members,
        as_of: Timestamp,
    ) -> Result<bool, AccessError> {
        let on = case
            .stages
            .iter()
            .find(|e| e.stage == Stage::Arrived && e.at <= as_of)
            .map_or(as_of, |e| e.at);
        let mut children = Vec::new();
        for p in case.travellers() {
            let child = match m.views.iter().find(|v| v.id == p) {
                Some(v) => super::travel::known_child(v, on),
                None => self
                    .registry
                    .person(p)?
                    .is_some_and(|v| super::travel::known_child(&v, on)),
            };
            if child {
                children.push(p);
            }
        }
        Ok(case.unaccompanied(|p| children.contains(&p)))
    }

    /// The principal's children and household members whom the caller may see and who
    /// are not in the case: who may be added to it.
    fn joinable(&self, case: &CaseView) -> Result<Vec<PersonView>, AccessError> {
        let mut ids: Vec<PersonId> = self
            .registry
            .person(case.principal)?
            .map(|p| {
                p.relationships
                    .iter()
                    .filter(|r| r.kind == RelationshipKind::ParentOf)
                    .map(|r| r.other)
                    .collect()
            })
            .unwrap_or_default();
        ids.extend(self.directory.household_members(case.principal));
        let mut out: Vec<PersonView> = Vec::new();
        for id in ids {
            if case.members.contains(&id) || out.iter().any(|v| v.id == id) || !self.sees(id) {
                continue;
            }
            if let Some(v) = self.registry.person(id)?.filter(|v| v.registered) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// A case as a line, as of `as_of`.
    pub(crate) fn summary(
        &self,
        case: &CaseView,
        as_of: Timestamp,
    ) -> Result<CaseSummary, AccessError> {
        let m = self.members(case)?;
        let flagged = m
            .views
            .iter()
            .filter(|v| !self.flags(case, v, &m.principal).is_empty())
            .count();
        let (stage, since) = case
            .stage_as_of(as_of)
            .map_or((case.stage(), case.stage_since()), |e| (e.stage, e.at));
        let principal = m
            .views
            .iter()
            .find(|v| v.id == case.principal)
            .map(|v| self.with_lens(|l| l.summary(v, self.directory.camp_of(v.id))));
        Ok(CaseSummary {
            case_id: case.id.to_string(),
            country: case.country.to_string(),
            stage: stage.as_str(),
            stage_since: time(since),
            opened_at: time(case.opened_at()),
            principal,
            members: m.views.len(),
            flagged_children: flagged,
            unaccompanied: self.unaccompanied(case, &m, as_of)?,
            staying_behind: m.views.iter().filter(|v| case.stays_behind(v.id)).count(),
            days_in_stage: super::days((as_of.0 - since.0).max(0)),
            time_in_stages: stage_times(case, as_of),
        })
    }

    /// One case, as the caller may see it; audited as `case.read`, and each member shown
    /// as `person.listed`.
    pub fn case(&self, id: CaseId) -> Result<CaseOut, AccessError> {
        let case = self.admit_case(id, CaseAccess::Read, "case.read")?;
        let m = self.members(&case)?;
        let joinable = if self.case_access(&case) == CaseAccess::Work {
            self.joinable(&case)?
        } else {
            Vec::new()
        };
        let out = self.case_out(&case, &m, &joinable)?;
        let subject = format!("case:{id}");
        let listed: Vec<String> = m
            .views
            .iter()
            .chain(&joinable)
            .map(|v| format!("person:{}", v.id))
            .collect();
        let mut entries = vec![self.entry("case.read", &subject, "")];
        entries.extend(
            listed
                .iter()
                .map(|s| self.entry("person.listed", s, &subject)),
        );
        self.registry.audit_batch(&entries)?;
        Ok(out)
    }

    fn case_out(
        &self,
        case: &CaseView,
        m: &Members,
        joinable: &[PersonView],
    ) -> Result<CaseOut, AccessError> {
        let fields = self.user.role.fields();
        let records = |keep: fn(&ClaimKind) -> bool| self.records(m, keep);
        let line = |v: &PersonView| self.with_lens(|l| l.summary(v, self.directory.camp_of(v.id)));
        let now = Timestamp(self.now_ms);
        Ok(CaseOut {
            case_id: case.id.to_string(),
            country: case.country.to_string(),
            stage: case.stage().as_str(),
            stage_since: time(case.stage_since()),
            opened_at: time(case.opened_at()),
            may_work: self.case_access(case) == CaseAccess::Work,
            unaccompanied: self.unaccompanied(case, m, now)?,
            allowed_next: case.allowed_next().iter().map(|s| s.as_str()).collect(),
            decision: case.decision().map(|(s, d)| DecisionOut {
                outcome: s.as_str(),
                authority: d.authority.clone(),
                decided_on: time(d.decided_on),
            }),
            members: m
                .views
                .iter()
                .map(|v| MemberOut {
                    relation: relation(v, case.principal),
                    person: line(v),
                    flags: self.flags(case, v, &m.principal),
                    travels: !case.stays_behind(v.id),
                    stays_behind: case
                        .travel_of(v.id)
                        .filter(|t| !t.travels)
                        .map(|t| StayOut {
                            since: time(t.at),
                            reason: t.reason.clone(),
                        }),
                })
                .collect(),
            removed: case
                .removed
                .iter()
                .filter(|r| self.sees(r.person))
                .map(|r| RemovalOut {
                    person_id: r.person.to_string(),
                    at: time(r.at),
                    reason: r.reason.clone(),
                })
                .collect(),
            may_join: joinable.iter().map(line).collect(),
            stages: case
                .stages
                .iter()
                .map(|e| StageOut {
                    stage: e.stage.as_str(),
                    at: time(e.at),
                    authority: e.decision.as_ref().map(|d| d.authority.clone()),
                    decided_on: e.decision.as_ref().and_then(|d| time(d.decided_on)),
                    note: e.note.clone(),
                })
                .collect(),
            time_in_stages: stage_times(case, now),
            documents: self.documents(case),
            handovers: case
                .handovers
                .iter()
                .map(|h| HandoverOut {
                    from: h.from.clone(),
                    to: h.to.clone(),
                    place: h.place.clone(),
                    at: time(h.at),
                    persons: h
                        .persons
                        .iter()
                        .filter(|p| self.sees(**p))
                        .map(|p| p.to_string())
                        .collect(),
                    note: h.note.clone(),
                })
                .collect(),
            wishes: fields.names.then(|| {
                records(|k| {
                    matches!(
                        k,
                        ClaimKind::WishesTrialAtHome { .. } | ClaimKind::StatesWish { .. }
                    )
                })
            }),
            legal: fields
                .legal
                .then(|| records(|k| matches!(k, ClaimKind::Legal(_)))),
            evidence: if fields.legal {
                Some(
                    case.evidence
                        .iter()
                        .map(|e| self.evidence(e))
                        .collect::<Result<_, _>>()?,
                )
            } else {
                None
            },
        })
    }

    fn documents(&self, case: &CaseView) -> Vec<DocumentOut> {
        let shown = |p: Option<PersonId>| p.filter(|p| self.sees(*p)).map(|p| p.to_string());
        let list = checklist(case);
        let mut out: Vec<DocumentOut> = list
            .iter()
            .filter(|i| i.person.is_none_or(|p| self.sees(p)))
            .map(|i| DocumentOut {
                kind: i.kind.as_str(),
                person_id: shown(i.person),
                required_for: Some(i.required_for.as_str()),
                status: if i.received.is_some() {
                    "received"
                } else {
                    "missing"
                },
                hash: i.received.and_then(|d| d.hash.as_ref()).map(hash_hex),
                received_at: i.received.and_then(|d| time(d.received_at)),
                note: i.received.map(|d| d.note.clone()),
            })
            .collect();
        let in_list = |d: &model::case::CaseDocument| {
            list.iter()
                .any(|i| i.received.is_some_and(|r| std::ptr::eq(r, d)))
        };
        out.extend(
            case.documents
                .iter()
                .filter(|d| !in_list(d))
                .filter(|d| d.person.is_none_or(|p| self.sees(p)))
                .map(|d| DocumentOut {
                    kind: d.kind.as_str(),
                    person_id: shown(d.person),
                    required_for: None,
                    status: "received",
                    hash: d.hash.as_ref().map(hash_hex),
                    received_at: time(d.received_at),
                    note: Some(d.note.clone()),
                }),
        );
        out
    }

    /// The members' claims of some kinds, newest first, with their reports.
    fn records(&self, m: &Members, keep: fn(&ClaimKind) -> bool) -> Vec<RecordOut> {
        let mut out: Vec<(Timestamp, RecordOut)> = Vec::new();
        for v in &m.views {
            for g in v.claims.iter().filter(|g| keep(&g.claim.kind)) {
                let report = self.registry.report(g.claim.report).ok().flatten();
                let record = self.with_lens(|l: &Lens| {
                    l.shows_claim(&g.claim.kind).then(|| RecordOut {
                        person_id: l.person_id(v.id),
                        claim: l.claim(g),
                        report: report.as_ref().map(|r| l.report(&r.report)),
                    })
                });
                if let Some(r) = record {
                    out.push((g.claim.observed_at, r));
                }
            }
        }
        out.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        out.into_iter().map(|(_, r)| r).collect()
    }

    fn evidence(&self, e: &EvidenceView) -> Result<EvidenceOut, AccessError> {
        let mut authorship = Vec::with_capacity(e.authorship.len());
        for a in &e.authorship {
            let report = self.registry.report(a.report)?;
            let (author, author_person_id) = match &a.author {
                Author::Described(text) => (text.clone(), None),
                Author::Person(p) if self.sees(*p) => {
                    let name = self
                        .registry
                        .person(*p)?
                        .map_or_else(|| p.to_string(), |v| v.display_name());
                    let name = if self.user.role.fields().names {
                        name
                    } else {
                        String::from("a person in the registry")
                    };
                    (name, Some(p.to_string()))
                }
                Author::Person(_) => ("a person you may not see".to_string(), None),
            };
            authorship.push(AuthorshipOut {
                author,
                author_person_id,
                note: a.note.clone(),
                report: report.map(|r| self.with_lens(|l| l.report(&r.report))),
            });
        }
        let ev = &e.evidence;
        Ok(EvidenceOut {
            evidence_id: ev.id.to_string(),
            kind: ev.kind.as_str(),
            hash: hash_hex(&ev.hash),
            captured_at: time(ev.captured_at),
            captured_by: ev.captured_by.clone(),
            description: ev.description.clone(),
            about: ev.about.filter(|p| self.sees(*p)).map(|p| p.to_string()),
            authorship_disputed: e.authorship_disputed(),
            authorship,
        })
    }

    /// The cases `person` is in that the caller may read (for the person page). The
    /// caller must see the person (else "not found").
    pub fn cases_of_person(&self, person: PersonId) -> Result<Vec<CaseSummary>, AccessError> {
        self.admit(person, "person.cases")?;
        if !super::policy::reads_cases(self.user.role) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for id in self.registry.cases_of_person(person)? {
            if let Some(c) = self.registry.case(id)? {
                if self.case_access(&c) >= CaseAccess::Read {
                    out.push(self.summary(&c, Timestamp(self.now_ms))?);
                }
            }
        }
        Ok(out)
    }
}
