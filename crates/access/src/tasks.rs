//! Work on tasks by signed-in users, on [`Writer`]: assigning a task (a tracing task from
//! the Unaccounted-for list, say) to a named person or team. Roles that record reports
//! may; the task's person must be one the caller may see, else the task is "not found"
//! exactly like a person, so assigning does not reveal it exists.

use crate::error::AccessError;
use crate::writes::Writer;
use model::event::Payload;
use model::ids::TaskId;
use model::task::TaskChange;
use model::time::Timestamp;

/// Longest assignee name accepted.
pub const MAX_ASSIGNEE_CHARS: usize = 100;

/// The assignee as stored: trimmed, `None` for an empty name (unassigned).
pub fn clean_assignee(text: &str) -> Result<Option<String>, AccessError> {
    let t = text.trim();
    if t.chars().count() > MAX_ASSIGNEE_CHARS {
        return Err(AccessError::Invalid(format!(
            "the assignee's name is longer than {MAX_ASSIGNEE_CHARS} characters: name a person or a team"
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(AccessError::Invalid(
            "the assignee's name holds control characters: type a plain name".into(),
        ));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

impl Writer<'_> {
    /// Assigns `task` to a named person or team (`None`: unassigns it). Audited as
    /// `task.assign` with the assignee.
    pub fn assign_task(
        &mut self,
        task: TaskId,
        assignee: Option<String>,
    ) -> Result<(), AccessError> {
        let gate = self.gate();
        if !self.user.role.records_reports() {
            gate.forbidden("assign tasks")?;
        }
        let assignee = match assignee {
            Some(a) => clean_assignee(&a)?,
            None => None,
        };
        let subject = format!("task:{task}");
        let person = self
            .registry
            .task(task)?
            .map(|t| t.task.person)
            .filter(|p| gate.sees(*p));
        let Some(person) = person else {
            self.audit("task.assign.denied", &subject, "")?;
            return Err(AccessError::NotFound);
        };
        let actor = self.actor();
        let now = Timestamp(self.now_ms);
        self.registry.append_one(
            actor,
            now,
            Payload::TaskUpdated {
                task,
                at: now,
                change: TaskChange::AssignedTo(assignee.clone()),
            },
        )?;
        let detail = format!(
            "person:{person} assignee={}",
            assignee.as_deref().unwrap_or("(none)")
        );
        self.audit("task.assign", &subject, &detail)
    }
}
