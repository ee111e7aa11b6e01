//! Typed identifiers. Each kind of thing has its own id type so that a person id can never
//! be passed where a place id is expected. Ids are random 128-bit values chosen by the
//! replica that creates the thing, so replicas never need to coordinate to mint one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Error for a string that is not an id.
#[derive(Debug, thiserror::Error)]
#[error("'{text}' is not a valid {kind} id (expected a UUID such as 0190a4c2-5f1e-7c3a-9b2d-4e5f6a7b8c9d)")]
pub struct IdParseError {
    pub kind: &'static str,
    pub text: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Builds an id from 128 random bits (callers supply the randomness, so the
            /// model stays free of I/O and the demo stays deterministic).
            pub fn from_u128(bits: u128) -> Self {
                Self(Uuid::from_u128(bits))
            }

            pub fn from_bytes(bytes: [u8; 16]) -> Self {
                Self(Uuid::from_bytes(bytes))
            }

            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0.hyphenated())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $kind, self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| IdParseError { kind: $kind, text: s.to_string() })
            }
        }
    };
}

id_type!(/** A person known to the registry. */ PersonId, "person");
id_type!(/** A place: camp, section, facility, town, crossing, consulate. */ PlaceId, "place");
id_type!(/** One piece of incoming information. */ ReportId, "report");
id_type!(/** A structured statement taken from a report. */ ClaimId, "claim");
id_type!(/** A tracing, medical or verification task. */ TaskId, "task");
id_type!(/** The people kept together. */ HouseholdId, "household");
id_type!(/** A laptop or server holding a copy of the registry. */ ReplicaId, "replica");
id_type!(/** A user or process that authored an event. */ ActorId, "actor");
id_type!(/** A repatriation case: one household, one country. */ CaseId, "case");
id_type!(/** An evidence item kept in a case (a post, a document), by hash. */ EvidenceId, "evidence");
id_type!(/** An interview with one or more persons. */ InterviewId, "interview");
id_type!(/** One recorded consent decision (a grant, refusal or revocation). */ ConsentId, "consent");

/// The id of an event: BLAKE3 of its canonical bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId(pub [u8; 32]);

impl EventId {
    pub fn of(canonical_bytes: &[u8]) -> Self {
        Self(*blake3::hash(canonical_bytes).as_bytes())
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_round_trips_through_text() {
        let id = PersonId::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        let back: PersonId = id.to_string().parse().unwrap();
        assert_eq!(id, back);
    }

    #[test]
    fn bad_id_says_what_was_expected() {
        let err = "not-an-id".parse::<PlaceId>().unwrap_err();
        assert!(err.to_string().contains("not a valid place id"));
    }
}
