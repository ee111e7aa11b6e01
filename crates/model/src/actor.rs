//! Who enters information: a named user working for an organisation, or a replica's
//! operator. An [`Enrolment`] is an event so that every replica can say which
//! organisation recorded a fact — the basis of organisation scopes — without carrying
//! credentials, which stay local to one registry file.

use crate::ids::ActorId;
use crate::time::Hlc;
use serde::{Deserialize, Serialize};

/// Longest organisation or actor name accepted.
pub const MAX_NAME_CHARS: usize = 120;

/// An actor's name and organisation, as enrolled. A later enrolment of the same actor
/// (a move to another organisation) replaces an earlier one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Enrolment {
    pub actor: ActorId,
    /// The account name, for provenance ("entered by").
    pub name: String,
    pub organisation: Option<String>,
}

/// The current enrolment of an actor and the clock of the event that made it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ActorView {
    pub enrolment: Enrolment,
    pub at: Hlc,
}

impl ActorView {
    /// Whether an enrolment made at `at` replaces this one: the later clock wins, and an
    /// exact tie is broken by the content, so every replica keeps the same one whatever
    /// order the events arrived in.
    pub fn is_replaced_by(&self, enrolment: &Enrolment, at: Hlc) -> bool {
        (at, &enrolment.name, &enrolment.organisation)
            > (self.at, &self.enrolment.name, &self.enrolment.organisation)
    }
}

/// Normalises an organisation name for comparing scopes: trimmed, inner spaces folded,
/// case-insensitive. "Family  Tracing service " and "family tracing service" are one.
pub fn organisation_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolment(org: &str) -> Enrolment {
        Enrolment {
            actor: ActorId::from_u128(1),
            name: "tracer".into(),
            organisation: Some(org.into()),
        }
    }

    #[test]
    fn later_enrolment_wins_whatever_the_arrival_order() {
        let early = Hlc {
            wall_ms: 10,
            counter: 0,
        };
        let late = Hlc {
            wall_ms: 20,
            counter: 0,
        };
        let first = ActorView {
            enrolment: enrolment("A"),
            at: early,
        };
        assert!(first.is_replaced_by(&enrolment("B"), late));
        let second = ActorView {
            enrolment: enrolment("B"),
            at: late,
        };
        assert!(!second.is_replaced_by(&enrolment("A"), early));
        // A tie is broken by content, the same way on every replica.
        assert!(first.is_replaced_by(&enrolment("B"), early));
        assert!(!second.is_replaced_by(&enrolment("A"), late));
    }

    #[test]
    fn organisation_names_compare_loosely() {
        assert_eq!(
            organisation_key(" Family  Tracing service "),
            organisation_key("family tracing SERVICE")
        );
        assert_ne!(organisation_key("Tracing A"), organisation_key("Tracing B"));
    }
}
