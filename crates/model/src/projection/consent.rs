//! Consent decisions folded into each person's [`ConsentView`]. Interviews need no
//! folding: the projection keeps each one as recorded (`put_interview`).
//!
//! A decision about a person not (yet) registered is kept like any other: the view waits
//! for the registration. Decisions are ordered by their time, not by arrival, so the
//! current consent is the same on every replica (see [`crate::consent`]).

use super::{Applied, ProjectionState};
use crate::consent::{ConsentChange, ConsentView};

pub(super) fn record<S: ProjectionState>(state: &mut S, change: &ConsentChange) -> Applied<S> {
    let mut view = state
        .consents(change.person)?
        .unwrap_or_else(|| ConsentView::new(change.person));
    view.record(change.clone());
    state.put_consents(view)?;
    Ok(())
}
