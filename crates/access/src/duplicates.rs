//! The duplicate review queue through the access layer: reading it, deciding on a pair,
//! and undoing a merge.
//!
//! Rules (see `docs/access.md`):
//! - Roles that review ([`crate::Role::reviews_duplicates`]): admin, caseworker, tracing,
//!   child protection, consular. Coordinators and researchers are refused (403) whatever
//!   the registry holds, so the refusal says nothing about it.
//! - A caller sees a candidate only if it may see **both** persons of the pair (as they
//!   are now, after any merge). Candidates it may not see are left out before anything
//!   is counted: the queue's size is the size of the caller's queue. Asking for one by id
//!   is "not found", exactly like a person.
//! - Deciding, merging and undoing need the same: both persons visible, else "not found",
//!   and nothing is written.
//! - Every read and change is audited: the queue (`duplicates.list`, and each person
//!   shown as `person.listed`), one candidate (`duplicates.read`, and both persons as
//!   `person.read`), a decision (`duplicates.decide`), a merge (`person.merge`) and its
//!   undo (`person.merge.undo`); refused attempts as `….denied`.

use crate::error::AccessError;
use crate::gate::Gate;
use crate::redact::time;
use crate::redact::{Lens, PersonOut};
pub use crate::redact::{MergeOut, MergedFromOut, RecordOut};
use crate::views::PersonSummary;
use crate::writes::Writer;
use model::event::Payload;
use model::ids::{CandidateId, MergeId, PersonId};
use model::merge::{
    CandidateStatus, CandidateView, MatchDecision, MatchEvidence, MergeView, ReviewStep,
};
use model::projection::PersonView;
use model::time::Timestamp;
use serde::Serialize;

/// Longest note a reviewer may leave.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// The queue as one caller may see it.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct QueueOut {
    /// Candidates in the caller's queue (pairs it may both see), before `limit`.
    pub total: usize,
    pub items: Vec<QueueItemOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct NamePairOut {
    pub a: String,
    pub b: String,
    pub similarity: f64,
}

/// One line of the queue.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct QueueItemOut {
    pub candidate_id: String,
    /// `pending` or `unsure`.
    pub status: &'static str,
    pub probability: f64,
    /// Match weight (log2 odds).
    pub weight: f64,
    pub a: PersonSummary,
    pub b: PersonSummary,
    /// The names of the two that met best.
    pub names: Vec<NamePairOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ComparisonOut {
    pub comparison: String,
    pub level: String,
    pub weight: f64,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct HouseholdOut {
    /// Weight the household evidence added.
    pub weight: f64,
    /// Linked pairs of other members it rests on (those the caller may see).
    pub through: Vec<(String, String)>,
}

/// Why the pair was proposed.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct EvidenceOut {
    pub comparisons: Vec<ComparisonOut>,
    pub names: Vec<NamePairOut>,
    /// Search-index keys both are posted under (how the pair was found).
    pub keys: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdOut>,
    pub kunya: bool,
}

/// One step of a candidate's history.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ReviewEntryOut {
    /// `match`, `not_a_match`, `unsure`, `merged` or `merge_undone`.
    pub step: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_id: Option<String>,
    pub by: String,
    pub at: Option<String>,
    pub note: String,
}

/// A candidate with both persons side by side.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct CandidateOut {
    pub candidate_id: String,
    pub status: &'static str,
    pub probability: f64,
    pub weight: f64,
    /// The two records as proposed (a record merged since shows as its person below).
    pub records: (String, String),
    pub a: PersonOut,
    pub b: PersonOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceOut>,
    pub history: Vec<ReviewEntryOut>,
    /// The merge that decided it, while in effect (undo it to separate the two again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_id: Option<String>,
}

/// What a decision did.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct DecisionOut {
    pub candidate_id: String,
    pub decision: &'static str,
    /// For a match: the merge, and the person both records now are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
}

fn merge_out(m: &MergeView) -> MergeOut {
    MergeOut {
        merge_id: m.id.to_string(),
        survivor: m.survivor.to_string(),
        merged: m.merged.to_string(),
        by: m.by.clone(),
        at: time(m.at),
        note: m.note.clone(),
        in_effect: m.in_effect(),
    }
}

fn names_out(e: &MatchEvidence) -> Vec<NamePairOut> {
    e.names
        .iter()
        .map(|n| NamePairOut {
            a: n.a.clone(),
            b: n.b.clone(),
            similarity: f64::from(n.similarity) / 1000.0,
        })
        .collect()
}

fn history_out(c: &CandidateView) -> Vec<ReviewEntryOut> {
    c.history
        .iter()
        .map(|e| {
            let (step, merge) = match e.step {
                ReviewStep::Decided(d) => (d.as_str(), None),
                ReviewStep::Merged(m) => ("merged", Some(m)),
                ReviewStep::MergeUndone(m) => ("merge_undone", Some(m)),
            };
            ReviewEntryOut {
                step,
                merge_id: merge.map(|m| m.to_string()),
                by: e.by.clone(),
                at: time(e.at),
                note: e.note.clone(),
            }
        })
        .collect()
}

impl Gate<'_> {
    fn may_review(&self) -> Result<(), AccessError> {
        if !self.user.role.reviews_duplicates() {
            self.forbidden("review duplicate records")?;
        }
        Ok(())
    }

    /// The persons a candidate's records are now, if the caller may see both.
    fn visible_pair(&self, c: &CandidateView) -> Result<Option<(PersonId, PersonId)>, AccessError> {
        let a = self.registry.resolve_person(c.pair.0)?;
        let b = self.registry.resolve_person(c.pair.1)?;
        Ok((self.sees(a) && self.sees(b)).then_some((a, b)))
    }

    /// A candidate the caller may see, or "not found" (audited as refused).
    fn admit_candidate(
        &self,
        id: CandidateId,
        action: &str,
    ) -> Result<(CandidateView, (PersonId, PersonId)), AccessError> {
        self.may_review()?;
        let subject = format!("candidate:{id}");
        if let Some(c) = self.registry.match_candidate(id)? {
            if let Some(pair) = self.visible_pair(&c)? {
                return Ok((c, pair));
            }
        }
        self.registry
            .audit(&self.entry(&format!("{action}.denied"), &subject, ""))?;
        Err(AccessError::NotFound)
    }

    /// The review queue: pending and unsure candidates whose two persons the caller may
    /// both see, strongest first, at most `limit`. See the module doc for the audit.
    pub fn duplicate_queue(&self, limit: usize) -> Result<QueueOut, AccessError> {
        self.may_review()?;
        let mut visible = Vec::new();
        for item in self.registry.duplicate_queue()? {
            let (a, b) = item.persons;
            if self.sees(a) && self.sees(b) {
                visible.push(item);
            }
        }
        let total = visible.len();
        visible.truncate(limit);
        let mut shown: Vec<PersonId> = visible
            .iter()
            .flat_map(|i| [i.persons.0, i.persons.1])
            .collect();
        shown.sort();
        shown.dedup();
        let mut views = std::collections::HashMap::new();
        for id in &shown {
            if let Some(v) = self.registry.person(*id)? {
                views.insert(*id, v);
            }
        }
        self.audit_queue(&shown, total)?;
        let items = self.with_lens(|l| {
            visible
                .iter()
                .filter_map(|i| {
                    let a = views.get(&i.persons.0)?;
                    let b = views.get(&i.persons.1)?;
                    Some(QueueItemOut {
                        candidate_id: i.candidate.id.to_string(),
                        status: i.candidate.status.as_str(),
                        probability: i.candidate.weight().probability(),
                        weight: i.candidate.weight().bits(),
                        a: l.summary(a, self.directory.camp_of(a.id)),
                        b: l.summary(b, self.directory.camp_of(b.id)),
                        names: i
                            .candidate
                            .evidence
                            .as_ref()
                            .map(names_out)
                            .unwrap_or_default(),
                    })
                })
                .collect()
        });
        Ok(QueueOut { total, items })
    }

    fn audit_queue(&self, shown: &[PersonId], total: usize) -> Result<(), AccessError> {
        let detail = format!("candidates={total}");
        let subjects: Vec<String> = shown.iter().map(|p| format!("person:{p}")).collect();
        let mut entries = vec![self.entry("duplicates.list", "duplicates", &detail)];
        entries.extend(
            subjects
                .iter()
                .map(|s| self.entry("person.listed", s, "duplicates queue")),
        );
        self.registry.audit_batch(&entries)?;
        Ok(())
    }

    /// One candidate with both persons side by side, redacted for the caller, and the
    /// evidence. "Not found" unless the caller may see both persons.
    pub fn duplicate(&self, id: CandidateId) -> Result<CandidateOut, AccessError> {
        let (c, (a, b)) = self.admit_candidate(id, "duplicates.read")?;
        let view = |p: PersonId| -> Result<PersonView, AccessError> {
            self.registry.person(p)?.ok_or(AccessError::NotFound)
        };
        let (va, vb) = (view(a)?, view(b)?);
        let subject = format!("candidate:{id}");
        let (sa, sb) = (format!("person:{a}"), format!("person:{b}"));
        self.registry.audit_batch(&[
            self.entry("duplicates.read", &subject, ""),
            self.entry("person.read", &sa, &subject),
            self.entry("person.read", &sb, &subject),
        ])?;
        Ok(self.with_lens(|l| CandidateOut {
            candidate_id: c.id.to_string(),
            status: c.status.as_str(),
            probability: c.weight().probability(),
            weight: c.weight().bits(),
            records: (l.person_id(c.pair.0), l.person_id(c.pair.1)),
            a: l.person(&va),
            b: l.person(&vb),
            evidence: c.evidence.as_ref().map(|e| self.evidence_out(l, e)),
            history: history_out(&c),
            merge_id: c.merge.map(|m| m.to_string()),
        }))
    }

    fn evidence_out(&self, l: &Lens, e: &MatchEvidence) -> EvidenceOut {
        EvidenceOut {
            comparisons: e
                .comparisons
                .iter()
                .map(|c| ComparisonOut {
                    comparison: c.comparison.clone(),
                    level: c.level.clone(),
                    weight: c.weight.bits(),
                })
                .collect(),
            names: names_out(e),
            keys: e.keys.clone(),
            household: e.household.as_ref().map(|h| HouseholdOut {
                weight: h.weight.bits(),
                through: h
                    .through
                    .iter()
                    .filter(|(x, y)| {
                        let (x, y) = (self.resolved(*x), self.resolved(*y));
                        self.sees(x) && self.sees(y)
                    })
                    .map(|(x, y)| (l.person_id(*x), l.person_id(*y)))
                    .collect(),
            }),
            kunya: e.kunya,
        }
    }

    fn resolved(&self, id: PersonId) -> PersonId {
        self.registry.resolve_person(id).unwrap_or(id)
    }

    /// The records a person is made of and the merges that joined them, when more than
    /// one; for `person` answers. `requested` is the id asked for.
    pub(crate) fn provenance(
        &self,
        requested: PersonId,
        view: &PersonView,
        out: &mut PersonOut,
    ) -> Result<(), AccessError> {
        if requested != view.id {
            if let Some(m) = self.registry.merged_into(requested)? {
                out.merged_from = Some(MergedFromOut {
                    person_id: self.with_lens(|l| l.person_id(requested)),
                    merge: merge_out(&m.merge),
                });
            }
        }
        // Most persons are one record: answered without loading the merge layer.
        if !self.registry.has_merged_records(view.id)? {
            return Ok(());
        }
        let records = self.registry.person_records(view.id)?;
        if records.len() < 2 {
            return Ok(());
        }
        let merges = self.registry.merges_of(view.id)?;
        out.records = self.with_lens(|l| {
            records
                .iter()
                .map(|r| RecordOut {
                    merge: merges.iter().find(|m| m.merged == r.id).map(merge_out),
                    person: l.person(r),
                })
                .collect()
        });
        Ok(())
    }
}

impl Writer<'_> {
    fn note(note: &str) -> Result<String, AccessError> {
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(AccessError::Invalid(format!(
                "the note is longer than {MAX_NOTE_CHARS} characters; shorten it"
            )));
        }
        Ok(note.trim().to_string())
    }

    /// Decides on candidate `id`. "Match" merges the two persons (keeping `keep`, else
    /// the one with more claims, then more names, then the lower id); "not a match" is
    /// remembered; "unsure" keeps the pair in the queue, marked. Both persons must be
    /// visible to the caller, else "not found" and nothing is written.
    pub fn decide_duplicate(
        &mut self,
        id: CandidateId,
        decision: MatchDecision,
        note: &str,
        keep: Option<PersonId>,
    ) -> Result<DecisionOut, AccessError> {
        let note = Self::note(note)?;
        let (c, (a, b)) = self.gate().admit_candidate(id, "duplicates.decide")?;
        if c.status == CandidateStatus::Merged {
            return Err(AccessError::Invalid(
                "this pair is merged already; undo the merge to decide again".into(),
            ));
        }
        if decision == MatchDecision::Match && a == b {
            return Err(AccessError::Invalid(
                "these two records are one person already".into(),
            ));
        }
        let at = Timestamp(self.now_ms);
        let by = self.user.name.clone();
        let mut events = vec![Payload::MatchDecided {
            pair: c.pair,
            decision,
            by: by.clone(),
            at,
            note: note.clone(),
        }];
        let mut merged = None;
        if decision == MatchDecision::Match {
            let (survivor, gone) = self.survivor(a, b, keep)?;
            let merge = MergeId::from_u128(store::random_u128()?);
            events.push(Payload::PersonsMerged {
                merge,
                survivor,
                merged: gone,
                candidate: Some(c.id),
                by,
                at,
                note,
            });
            merged = Some((merge, survivor, gone));
        }
        let actor = self.actor();
        self.registry
            .append(actor, events.into_iter().map(|p| (at, p)), &mut |_| {})?;
        let subject = format!("candidate:{id}");
        self.audit("duplicates.decide", &subject, decision.as_str())?;
        if let Some((merge, survivor, gone)) = merged {
            self.audit(
                "person.merge",
                &format!("person:{gone}"),
                &format!("into person:{survivor}, merge:{merge}"),
            )?;
        }
        Ok(DecisionOut {
            candidate_id: id.to_string(),
            decision: decision.as_str(),
            merge_id: merged.map(|m| m.0.to_string()),
            person_id: merged.map(|m| m.1.to_string()),
        })
    }

    /// Which of two persons stays (see [`Writer::decide_duplicate`]).
    fn survivor(
        &self,
        a: PersonId,
        b: PersonId,
        keep: Option<PersonId>,
    ) -> Result<(PersonId, PersonId), AccessError> {
        if let Some(k) = keep {
            let k = self.registry.resolve_person(k)?;
            return match k {
                k if k == a => Ok((a, b)),
                k if k == b => Ok((b, a)),
                _ => Err(AccessError::Invalid(
                    "keep: give one of the two persons of this pair".into(),
                )),
            };
        }
        let weight = |p: PersonId| -> Result<(usize, usize), AccessError> {
            let v = self.registry.person(p)?.ok_or(AccessError::NotFound)?;
            Ok((v.claims.len(), v.names.len()))
        };
        let (wa, wb) = (weight(a)?, weight(b)?);
        Ok(if wb > wa || (wb == wa && b < a) {
            (b, a)
        } else {
            (a, b)
        })
    }

    /// Undoes merge `id`: the two records are separate persons again, exactly as if the
    /// merge had never happened. The caller must see the person the merge made.
    pub fn undo_merge(&mut self, id: MergeId, note: &str) -> Result<MergeOut, AccessError> {
        let note = Self::note(note)?;
        let gate = self.gate();
        gate.may_review()?;
        let subject = format!("merge:{id}");
        let merge = match self.registry.merge(id)? {
            Some(m) if gate.sees(self.registry.resolve_person(m.survivor)?) => m,
            _ => {
                self.audit("person.merge.undo.denied", &subject, "")?;
                return Err(AccessError::NotFound);
            }
        };
        if !merge.in_effect() {
            return Err(AccessError::Invalid(
                "this merge is not in effect (undone already, or it joined nothing)".into(),
            ));
        }
        let at = Timestamp(self.now_ms);
        let actor = self.actor();
        self.registry.append_one(
            actor,
            at,
            Payload::MergeUndone {
                merge: id,
                by: self.user.name.clone(),
                at,
                note,
            },
        )?;
        self.audit(
            "person.merge.undo",
            &subject,
            &format!("person:{} from person:{}", merge.merged, merge.survivor),
        )?;
        let undone = self.registry.merge(id)?.unwrap_or(merge);
        Ok(merge_out(&undone))
    }
}
