//! Enrolments of actors folded into one current view per actor.

use super::{Applied, ProjectionState};
use crate::actor::{ActorView, Enrolment};
use crate::time::Hlc;

/// Keeps the latest enrolment of the actor (see [`ActorView::is_replaced_by`]).
pub(super) fn enrol<S: ProjectionState>(
    state: &mut S,
    enrolment: &Enrolment,
    at: Hlc,
) -> Applied<S> {
    let replaces = match state.actor(enrolment.actor)? {
        Some(current) => current.is_replaced_by(enrolment, at),
        None => true,
    };
    if replaces {
        state.put_actor(ActorView {
            enrolment: enrolment.clone(),
            at,
        })?;
    }
    Ok(())
}
