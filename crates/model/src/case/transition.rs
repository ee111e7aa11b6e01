//! Checking a move of a case into another stage against the rules in [`super::stage`]:
//! allowed next stages, documents received, decisions, handovers, notes.

use super::documents::checklist;
use super::stage::{Decision, Stage};
use super::CaseView;
use crate::time::Timestamp;

/// What a move needs to know about the case besides its stages and documents.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct CaseFacts {
    /// Legal records (claims) about the case's members.
    pub legal_records: usize,
}

/// Why a move was refused. Each message says what is allowed or missing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TransitionError {
    #[error(
        "a case at {from} cannot move to {to}; allowed next: {}",
        list(allowed)
    )]
    NotAllowed {
        from: Stage,
        to: Stage,
        allowed: Vec<Stage>,
    },
    #[error("the case is already at {0}")]
    AlreadyThere(Stage),
    #[error("moving to {to} needs {}", missing.join(", "))]
    Missing { to: Stage, missing: Vec<String> },
    #[error("{to} records a decision: give the deciding authority and the date of the decision")]
    NeedsDecision { to: Stage },
    #[error("a deciding authority goes only with approved or refused, not with {to}")]
    DecisionNotExpected { to: Stage },
    #[error("the case entered {current} on {since}; a move cannot take effect before that")]
    BeforeCurrent { current: Stage, since: Timestamp },
}

fn list(stages: &[Stage]) -> String {
    if stages.is_empty() {
        return "none".into();
    }
    stages
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A move as a person asks for it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Transition {
    pub to: Stage,
    pub at: Timestamp,
    pub decision: Option<Decision>,
    pub note: String,
}

/// Checks a move against the rules in [`super::stage`]'s docs.
pub fn check_transition(
    case: &CaseView,
    t: &Transition,
    facts: CaseFacts,
) -> Result<(), TransitionError> {
    let from = case.stage();
    if t.to == from {
        return Err(TransitionError::AlreadyThere(from));
    }
    let allowed = case.allowed_next();
    if !allowed.contains(&t.to) {
        return Err(TransitionError::NotAllowed {
            from,
            to: t.to,
            allowed,
        });
    }
    if t.at < case.stage_since() {
        return Err(TransitionError::BeforeCurrent {
            current: from,
            since: case.stage_since(),
        });
    }
    match (&t.decision, t.to.is_decision()) {
        (None, true) => return Err(TransitionError::NeedsDecision { to: t.to }),
        (Some(_), false) => return Err(TransitionError::DecisionNotExpected { to: t.to }),
        (Some(d), true) if d.authority.trim().is_empty() => {
            return Err(TransitionError::NeedsDecision { to: t.to })
        }
        _ => {}
    }
    let missing = missing_for(case, t, facts);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(TransitionError::Missing { to: t.to, missing })
    }
}

/// What the move lacks: documents, a handover, a legal record, a note.
fn missing_for(case: &CaseView, t: &Transition, facts: CaseFacts) -> Vec<String> {
    let mut missing: Vec<String> = checklist(case)
        .into_iter()
        .filter(|item| item.required_for == t.to && item.received.is_none())
        .map(|item| item.describe())
        .collect();
    let reopening = matches!(case.stage(), Stage::Refused | Stage::Closed);
    let needs_note = t.to == Stage::Closed || reopening;
    if needs_note && t.note.trim().is_empty() {
        missing.push(if t.to == Stage::Closed {
            "a note saying why the case is closed".to_string()
        } else {
            "a note saying why the case is reopened".to_string()
        });
    }
    if t.to == Stage::TransferArranged && case.travellers().is_empty() {
        missing.push("a member who travels (every member stays behind)".into());
    }
    if t.to == Stage::Arrived && case.handovers.is_empty() {
        missing.push("a custody handover (from whom to whom, where, when)".into());
    }
    if t.to == Stage::LegalProceedings && facts.legal_records == 0 {
        missing.push("a legal record (proceedings, conviction or warrant) about a member".into());
    }
    missing
}
