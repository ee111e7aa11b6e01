//! Crisis tracing tasks, derived: opened when a place-status change leaves a person
//! unaccounted for, closed when a claim places them again.
//!
//! Derived rather than written as events, so that a status change or a report that
//! arrives from another replica, an import or a rebuild opens and closes exactly the same
//! tasks everywhere, and a crisis in a camp of 68,000 is one event, not 68,000 (see
//! ARCHITECTURE.md). Work people do on a task (assignment, notes, due dates, closing by
//! hand) is recorded as events against the derived task id.
//!
//! The task is keyed by the person and their last sighting ([`task_id`]): further
//! status changes do not open another, and a task closed by hand is never reopened.

use super::{Applied, ProjectionState};
use crate::claim::ClaimKind;
use crate::ids::{ClaimId, PersonId, TaskId};
use crate::person::Vulnerability;
use crate::projection::PersonView;
use crate::task::{CrisisOrigin, Task, TaskKind, TaskState, TaskView};
use crate::time::Timestamp;
use crate::whereabouts::Whereabouts;

/// The last sighting a dispersal left the person unaccounted since, if any.
fn dispersed_sighting(w: &Whereabouts) -> Option<crate::ids::ClaimId> {
    w.dispersed_by.as_ref()?;
    w.basis.first().copied()
}

/// Opens and closes the person's crisis task after their whereabouts were re-derived
/// from `before` to `view.whereabouts`.
pub(super) fn reconcile<S: ProjectionState>(
    state: &mut S,
    before: &Whereabouts,
    view: &PersonView,
) -> Applied<S> {
    let was = dispersed_sighting(before);
    let now = dispersed_sighting(&view.whereabouts);
    if was == now {
        // Same sighting: a backdated status change or a health claim may still move the
        // task's origin or priority.
        return refresh(state, view);
    }
    if let Some(old) = was {
        close(state, view, task_id(view.id, old))?;
    }
    if now.is_some() {
        open(state, view)?;
    }
    Ok(())
}

/// Recomputes the priority and origin of the person's open crisis task (after their
/// registration, a vulnerability or a backdated status change arrived).
pub(super) fn refresh<S: ProjectionState>(state: &mut S, view: &PersonView) -> Applied<S> {
    let Some(last) = dispersed_sighting(&view.whereabouts) else {
        return Ok(());
    };
    let Some(mut task) = state.task(task_id(view.id, last))? else {
        return Ok(());
    };
    if !task.is_open() {
        return Ok(());
    }
    let fresh = derived(view, task.task.opened_at);
    if let Some(fresh) = fresh {
        if (task.task.priority, &task.task.reason, &task.crisis)
            != (fresh.task.priority, &fresh.task.reason, &fresh.crisis)
        {
            task.task.priority = fresh.task.priority;
            task.task.reason = fresh.task.reason;
            task.crisis = fresh.crisis;
            state.put_task(task)?;
        }
    }
    Ok(())
}

fn open<S: ProjectionState>(state: &mut S, view: &PersonView) -> Applied<S> {
    let Some(change_at) = view.whereabouts.dispersed_by.as_ref().map(|c| c.at) else {
        return Ok(());
    };
    let Some(task) = derived(view, change_at) else {
        return Ok(());
    };
    if state.task(task.task.id)?.is_none() {
        state.put_task(task)?;
    }
    Ok(())
}

/// Closes an open crisis task with the claim that now decides the person's whereabouts.
fn close<S: ProjectionState>(
    state: &mut S,
    view: &PersonView,
    id: crate::ids::TaskId,
) -> Applied<S> {
    let Some(mut task) = state.task(id)? else {
        return Ok(());
    };
    if !task.is_open() {
        return Ok(());
    }
    let w = &view.whereabouts;
    let by_claim = w.basis.first().copied();
    let at = by_claim
        .and_then(|c| view.claims.iter().find(|g| g.claim.id == c))
        .map_or(Timestamp(0), |g| g.claim.observed_at);
    task.task.state = TaskState::Closed {
        at,
        by_claim,
        note: format!("placed by a report: {}", w.status.as_str()),
    };
    state.put_task(task)?;
    Ok(())
}

/// The task a crisis opens for a person unaccounted for, as of `opened_at`.
fn derived(view: &PersonView, opened_at: Timestamp) -> Option<TaskView> {
    let w = &view.whereabouts;
    let change = w.dispersed_by.clone()?;
    let last_claim = *w.basis.first()?;
    let last_seen = view
        .claims
        .iter()
        .find(|g| g.claim.id == last_claim)
        .map_or(change.at, |g| g.claim.observed_at);
    let (priority, why) = priority(view, change.at);
    let mut reason = format!(
        "unaccounted for since the place became {}",
        change.status.as_str()
    );
    if !why.is_empty() {
        reason = format!("{reason}; {}", why.join(", "));
    }
    let mut task = TaskView::new(Task {
        id: task_id(view.id, last_claim),
        kind: TaskKind::Tracing,
        person: view.id,
        priority,
        reason,
        opened_at,
        assignee: None,
        state: TaskState::Open,
    });
    task.crisis = Some(CrisisOrigin {
        change,
        last_place: w.place,
        last_seen,
        last_claim,
    });
    Some(task)
}

/// The priority every tracing task starts from; factors add to it, up to 100.
pub const TRACING_BASE: u32 = 30;

/// The id of the crisis tracing task for `person` last seen by `last_claim`: derived, so
/// every replica and every rebuild opens the same task for the same sighting.
pub fn task_id(person: PersonId, last_claim: ClaimId) -> TaskId {
    let mut h = blake3::Hasher::new_derive_key("homeward crisis tracing task v1");
    h.update(person.as_bytes());
    h.update(last_claim.as_bytes());
    let bytes = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes.as_bytes()[..16]);
    TaskId::from_bytes(id)
}

/// A tracing priority from 0 to 100 and the reasons for it, from what is recorded about
/// the person and their age on `on` (an imprecise birth counts at its youngest).
///
/// | factor | points |
/// |---|---|
/// | unaccompanied or separated child | 30 |
/// | under five (under two: 10 more) | 20 |
/// | pregnancy | 20 |
/// | medical condition (recorded, or a health claim such as chronic bronchitis) | 15 |
/// | disability | 15 |
/// | other child under 18 | 10 |
pub fn priority(view: &PersonView, on: Timestamp) -> (u8, Vec<String>) {
    let mut score = TRACING_BASE;
    let mut why = Vec::new();
    let mut add = |points: u32, reason: String| {
        score += points;
        why.push(reason);
    };
    let has = |f: fn(&Vulnerability) -> bool| view.vulnerabilities.iter().any(f);
    if has(|v| matches!(v, Vulnerability::UnaccompaniedMinor)) {
        add(30, "unaccompanied minor".into());
    } else if has(|v| matches!(v, Vulnerability::SeparatedChild)) {
        add(30, "separated child".into());
    }
    let age = view.birth.zip(on.date()).map(|(b, d)| b.age_on(d).0);
    match age {
        Some(a) if a < 2 => add(30, "under two".into()),
        Some(a) if a < 5 => add(20, "under five".into()),
        Some(a) if a < 18 => add(10, "child".into()),
        _ => {}
    }
    if has(|v| matches!(v, Vulnerability::Pregnancy)) {
        add(20, "pregnant".into());
    }
    let mut conditions: Vec<&str> = view
        .vulnerabilities
        .iter()
        .filter_map(|v| match v {
            Vulnerability::MedicalCondition(c) => Some(c.as_str()),
            _ => None,
        })
        .chain(view.claims.iter().filter_map(|g| match &g.claim.kind {
            ClaimKind::HealthCondition { condition, .. } => Some(condition.as_str()),
            _ => None,
        }))
        .collect();
    conditions.sort_unstable();
    conditions.dedup();
    if !conditions.is_empty() {
        add(15, conditions.join(", "));
    }
    if has(|v| matches!(v, Vulnerability::Disability)) {
        add(15, "disability".into());
    }
    (score.min(100) as u8, why)
}
