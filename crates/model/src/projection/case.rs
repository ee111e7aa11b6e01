//! Repatriation cases, folded from `Payload::CaseChanged`: the first change must open
//! the case (events of one replica arrive in order, and a change is only ever made to a
//! case its replica holds); opening an open case adds its members (see `case`).

use super::{Applied, ApplyError, ProjectionState};
use crate::case::{CaseChange, CaseView};
use crate::ids::CaseId;

pub(super) fn apply<S: ProjectionState>(
    state: &mut S,
    id: CaseId,
    change: &CaseChange,
) -> Applied<S> {
    let view = match (state.case(id)?, change) {
        (Some(mut view), change) => {
            view.apply(change).map_err(|e| ApplyError::Case(id, e))?;
            view
        }
        (
            None,
            CaseChange::Opened {
                country,
                principal,
                household,
                members,
                at,
            },
        ) => CaseView::opened(id, *country, *principal, *household, members, *at),
        (None, _) => return Err(ApplyError::UnknownCase(id)),
    };
    state.put_case(view)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{case_id, Stage, StageEntry};
    use crate::event::{Event, EventHeader, Payload, FORMAT_VERSION};
    use crate::ids::{ActorId, PersonId, ReplicaId};
    use crate::projection::{apply as fold, MemoryState};
    use crate::time::{Hlc, Timestamp};

    fn event(payload: Payload) -> Event {
        Event {
            header: EventHeader {
                version: FORMAT_VERSION,
                replica: ReplicaId::from_u128(1),
                seq: 1,
                prev: None,
                hlc: Hlc::default(),
                actor: ActorId::from_u128(2),
            },
            payload,
        }
    }

    #[test]
    fn a_case_is_opened_then_moved_and_a_change_to_no_case_is_refused() {
        let mother = PersonId::from_u128(5);
        let be = "BE".parse().unwrap();
        let id = case_id(mother, be);
        let mut state = MemoryState::default();
        let stage = CaseChange::StageChanged(StageEntry {
            stage: Stage::NationalityVerified,
            at: Timestamp(10),
            decision: None,
            note: String::new(),
        });
        let err = fold(
            &event(Payload::CaseChanged {
                case: id,
                change: stage.clone(),
            }),
            &mut state,
        )
        .unwrap_err();
        assert!(err.to_string().contains("not in the registry"), "{err}");
        for change in [
            CaseChange::Opened {
                country: be,
                principal: mother,
                household: None,
                members: vec![mother],
                at: Timestamp(1),
            },
            stage,
        ] {
            fold(
                &event(Payload::CaseChanged { case: id, change }),
                &mut state,
            )
            .unwrap();
        }
        assert_eq!(state.cases[&id].stage(), Stage::NationalityVerified);
        assert_eq!(state.cases[&id].opened_at(), Timestamp(1));
    }
}
