//! Tasks: tracing, medical follow-up, verification.

use crate::ids::{ActorId, ClaimId, PersonId, TaskId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum TaskKind {
    Tracing,
    MedicalFollowUp,
    Verification,
}

impl TaskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tracing => "tracing",
            Self::MedicalFollowUp => "medical_follow_up",
            Self::Verification => "verification",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum TaskState {
    Open,
    Closed {
        at: Timestamp,
        by_claim: Option<ClaimId>,
        note: String,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Task {
    pub id: TaskId,
    pub kind: TaskKind,
    pub person: PersonId,
    /// 0 (lowest) to 100 (highest).
    pub priority: u8,
    pub reason: String,
    pub opened_at: Timestamp,
    pub assignee: Option<ActorId>,
    pub state: TaskState,
}
