//! The stages of a repatriation case and the rules for moving between them.
//!
//! A case moves along one main path, from the day a household is identified to the day
//! its file is closed:
//!
//! ```text
//! identified → nationality verified → consular contact → decision pending
//!   → approved → transfer arranged → arrived → legal proceedings ⇄ reintegration follow-up
//!   → refused  (may be reopened: back to decision pending)
//! ```
//!
//! | from | allowed next |
//! |---|---|
//! | identified | nationality_verified, closed |
//! | nationality_verified | consular_contact, closed |
//! | consular_contact | decision_pending, closed |
//! | decision_pending | approved, refused, closed |
//! | approved | transfer_arranged, closed |
//! | refused | decision_pending (reopened), closed |
//! | transfer_arranged | arrived, approved (transfer cancelled), closed |
//! | arrived | legal_proceedings, reintegration_follow_up, closed |
//! | legal_proceedings | reintegration_follow_up, closed |
//! | reintegration_follow_up | legal_proceedings, closed |
//! | closed | the stage it was closed from (reopened) |
//!
//! What each move needs, besides being allowed:
//!
//! | entering | needs |
//! |---|---|
//! | nationality_verified | a `nationality_proof` document for the principal |
//! | decision_pending | a `consular_request` document (the file sent to the deciding authority); from refused or closed, also a note saying why it is reopened |
//! | approved, refused | the deciding authority and the date of the decision |
//! | transfer_arranged | an `exit_authorisation`, a `travel_document` for every member who travels (not for one who stays behind, see [`super::travel`]), and someone who travels |
//! | arrived | a custody handover recorded |
//! | legal_proceedings | a legal record (proceedings, conviction, warrant) about a member |
//! | closed | a note saying why |
//! | any stage reopened from closed | a note saying why |
//!
//! Every move names when the case entered the new stage; it may not be before the current
//! stage began. A deciding authority goes only with approved or refused.
//!
//! These rules are checked when a person makes a change
//! ([`check_transition`](super::transition::check_transition)); the
//! projection records what was decided, so two replicas' changes that cross while offline
//! both stay in the case's history, ordered by when they took effect.

use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A stage of a case. Members are append-only (postcard encodes them by position).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum Stage {
    Identified,
    NationalityVerified,
    ConsularContact,
    DecisionPending,
    Approved,
    Refused,
    TransferArranged,
    Arrived,
    LegalProceedings,
    ReintegrationFollowUp,
    Closed,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a case stage: use identified, nationality_verified, consular_contact, decision_pending, approved, refused, transfer_arranged, arrived, legal_proceedings, reintegration_follow_up or closed")]
pub struct StageError(pub String);

impl Stage {
    /// Every stage, in the order of the main path (refused beside approved, closed last).
    pub const ALL: [Stage; 11] = [
        Stage::Identified,
        Stage::NationalityVerified,
        Stage::ConsularContact,
        Stage::DecisionPending,
        Stage::Approved,
        Stage::Refused,
        Stage::TransferArranged,
        Stage::Arrived,
        Stage::LegalProceedings,
        Stage::ReintegrationFollowUp,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identified => "identified",
            Self::NationalityVerified => "nationality_verified",
            Self::ConsularContact => "consular_contact",
            Self::DecisionPending => "decision_pending",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::TransferArranged => "transfer_arranged",
            Self::Arrived => "arrived",
            Self::LegalProceedings => "legal_proceedings",
            Self::ReintegrationFollowUp => "reintegration_follow_up",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, StageError> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == t)
            .ok_or_else(|| StageError(s.to_string()))
    }

    /// Whether entering the stage records a decision (authority and date).
    pub fn is_decision(self) -> bool {
        matches!(self, Self::Approved | Self::Refused)
    }

    /// The stages a case may move to from this one, `closed_from` being the stage a
    /// closed case was closed from.
    pub fn next(self, closed_from: Option<Stage>) -> Vec<Stage> {
        use Stage::*;
        match self {
            Identified => vec![NationalityVerified, Closed],
            NationalityVerified => vec![ConsularContact, Closed],
            ConsularContact => vec![DecisionPending, Closed],
            DecisionPending => vec![Approved, Refused, Closed],
            Approved => vec![TransferArranged, Closed],
            Refused => vec![DecisionPending, Closed],
            TransferArranged => vec![Arrived, Approved, Closed],
            Arrived => vec![LegalProceedings, ReintegrationFollowUp, Closed],
            LegalProceedings => vec![ReintegrationFollowUp, Closed],
            ReintegrationFollowUp => vec![LegalProceedings, Closed],
            Closed => closed_from.into_iter().filter(|s| *s != Closed).collect(),
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who decided, and when: recorded with approved and refused.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Decision {
    /// "Federal Public Service Foreign Affairs, Brussels", "Conseil d'État".
    pub authority: String,
    pub decided_on: Timestamp,
}

/// One move of a case into a stage, as recorded.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct StageEntry {
    pub stage: Stage,
    /// When the case entered the stage (not when it was typed in).
    pub at: Timestamp,
    pub decision: Option<Decision>,
    pub note: String,
}

/// Persons named by a requirement, for messages.
pub(crate) fn short(p: PersonId) -> String {
    p.to_string().chars().take(8).collect()
}
