//! The scenario's interviews and consent decisions: every decision follows the rules a
//! user's would (checked against the state folded so far), children's decisions are
//! their mothers', and the story has what the statistics and exports should show:
//! research granted and some revoked, sharing with home governments granted and refused.

use demo::generate;
use model::consent::{check, Decision, GivenBy, Purpose};
use model::event::{Event, EventHeader, Payload, FORMAT_VERSION};
use model::ids::{ActorId, ReplicaId};
use model::projection::{apply, MemoryState};
use model::report::{SealClass, SealedValue, Sealer};
use model::time::Hlc;

struct TestSealer;

impl Sealer for TestSealer {
    fn seal(&self, class: SealClass, plaintext: &[u8]) -> SealedValue {
        let mut out = format!("sealed:{}:", class.as_str()).into_bytes();
        out.extend(plaintext.iter().map(|b| b ^ 0x5a));
        SealedValue(out)
    }
}

#[test]
fn every_decision_follows_the_rules_and_the_story_has_each_kind() {
    let scenario = generate(0.05, 7, &TestSealer);
    let mut state = MemoryState::default();
    let (mut revoked_research, mut refused_sharing, mut by_mothers) = (0, 0, 0);
    for (i, e) in scenario.events.iter().enumerate() {
        if let Payload::ConsentRecorded { consent } = &e.payload {
            let person = state
                .persons
                .get(&consent.person)
                .expect("decided about a registered person");
            let recorded = state.consents.get(&consent.person);
            assert_eq!(
                check(recorded, consent, person.consent_subject()),
                Ok(()),
                "event {i}: {consent:?}"
            );
            match (consent.purpose, consent.decision) {
                (Purpose::Research, Decision::Revoked) => revoked_research += 1,
                (Purpose::Sharing(_), Decision::Refused) => refused_sharing += 1,
                _ => {}
            }
            if matches!(consent.given_by, GivenBy::Guardian(_)) {
                by_mothers += 1;
            }
        }
        if let Payload::InterviewRecorded { interview } = &e.payload {
            assert!(!interview.persons.is_empty());
            assert!(interview
                .transcript
                .as_ref()
                .unwrap()
                .0
                .starts_with(b"sealed:transcript:"));
        }
        let event = Event {
            header: EventHeader {
                version: FORMAT_VERSION,
                replica: ReplicaId::from_u128(1),
                seq: i as u64 + 1,
                prev: None,
                hlc: Hlc::default(),
                actor: ActorId::from_u128(2),
            },
            payload: e.payload.clone(),
        };
        apply(&event, &mut state).unwrap();
    }
    let s = &scenario.summary;
    assert!(s.interviews >= 6, "{s:?}");
    assert_eq!(state.interviews.len(), s.interviews);
    assert!(s.consent_decisions > s.interviews);
    assert!(
        revoked_research > 0,
        "some research consent is revoked later"
    );
    assert!(refused_sharing > 0, "some refuse their government");
    assert!(by_mothers > 0, "mothers decide for their children");
    let granted_research = state
        .consents
        .values()
        .filter(|v| v.grants(&Purpose::Research))
        .count();
    assert!(granted_research > 0);
    // A family in a repatriation case with a government has not said no to it.
    for case in state.cases.values() {
        for m in &case.members {
            let withholds = state
                .consents
                .get(m)
                .is_some_and(|v| v.withholds(&Purpose::Sharing(case.country)));
            assert!(!withholds, "{m:?} in a case with {}", case.country);
        }
    }
}
