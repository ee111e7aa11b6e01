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

/// A change to an existing task made by a person (not derived): carried by
/// `Payload::TaskUpdated`. Variants are append-only, like the payloads.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum TaskChange {
    /// Assigned to a named person or team (free text: partners' staff are not users), or
    /// unassigned.
    AssignedTo(Option<String>),
    /// Due by this time, or no longer due.
    Due(Option<Timestamp>),
    /// A note on the work done ("called the sister in Şanlıurfa, no answer").
    Note(String),
}

/// A note on a task, with when and by whom.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct TaskNote {
    pub at: Timestamp,
    pub by: ActorId,
    pub text: String,
}

/// Why a crisis opened a tracing task: the status change that dispersed the person's
/// place, and where and when they were last seen before it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CrisisOrigin {
    pub change: crate::place::PlaceStatusChange,
    /// The place of the last sighting (a camp or one of its sections).
    pub last_place: Option<crate::ids::PlaceId>,
    /// When the last sighting was made: the earlier, the longer the person has been missing.
    pub last_seen: Timestamp,
    /// The claim of the last sighting.
    pub last_claim: ClaimId,
}

/// A task as the projection keeps it: the task, and what was derived or recorded later.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct TaskView {
    pub task: Task,
    /// Set for tracing tasks a crisis opened (see `projection::tracing`).
    pub crisis: Option<CrisisOrigin>,
    /// The named assignee (`TaskChange::AssignedTo`).
    pub assigned_to: Option<String>,
    pub due: Option<Timestamp>,
    pub notes: Vec<TaskNote>,
}

impl TaskView {
    pub fn new(task: Task) -> Self {
        Self {
            task,
            crisis: None,
            assigned_to: None,
            due: None,
            notes: Vec::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self.task.state, TaskState::Open)
    }

    /// When the person was last seen, for ranking: the crisis task's last sighting, else
    /// when the task was opened.
    pub fn last_seen(&self) -> Timestamp {
        self.crisis
            .as_ref()
            .map_or(self.task.opened_at, |c| c.last_seen)
    }

    /// The ranking key: highest priority first, then the longest missing (earliest last
    /// seen), then by id so that the order is total and the same on every replica.
    pub fn rank_key(&self) -> (std::cmp::Reverse<u8>, Timestamp, TaskId) {
        (
            std::cmp::Reverse(self.task.priority),
            self.last_seen(),
            self.task.id,
        )
    }
}
