//! Events: the immutable unit of change.
//!
//! An event's canonical bytes are its postcard encoding: the header, then the payload.
//! The id is BLAKE3 of those bytes. Each replica numbers its events 1, 2, 3… and each
//! names the previous one's id, so a gap or a truncated log is visible.
//!
//! **Signatures** are made once per appended batch, not per event: the replica signs the
//! Merkle root of the batch's event ids with its Ed25519 key ([`crate::batch`]). An event
//! travels as a [`SignedEvent`]: its bytes, its id, the batch's seal and the event's
//! inclusion proof, so it verifies alone, without the rest of its batch. Registries of
//! schemas 1 to 4 signed every id on its own; those events keep that form ([`Seal::Single`]) and
//! still verify.
//!
//! **Compatibility:** postcard encodes enum variants by position. New payload variants and
//! new enum members are only ever appended; existing ones are never reordered or removed.
//! A header `version` above [`FORMAT_VERSION`] is refused rather than misread.

use crate::actor::Enrolment;
use crate::batch::{BatchError, BatchSeal, Node};
use crate::case::CaseChange;
use crate::claim::Claim;
use crate::consent::ConsentChange;
use crate::ids::{
    ActorId, CaseId, ClaimId, EventId, HouseholdId, PersonId, PlaceId, ReplicaId, TaskId,
};
use crate::interview::Interview;
use crate::person::{Birth, Name, NationalityClaim, Registration, Relationship, Vulnerability};
use crate::place::{Place, PlaceStatusChange};
use crate::report::Report;
use crate::task::{Task, TaskChange};
use crate::time::{Hlc, Timestamp};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The newest event format this build reads and writes.
pub const FORMAT_VERSION: u16 = 1;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct EventHeader {
    pub version: u16,
    pub replica: ReplicaId,
    /// 1 for a replica's first event, then +1 each.
    pub seq: u64,
    /// The id of this replica's previous event (`None` only for seq 1).
    pub prev: Option<EventId>,
    pub hlc: Hlc,
    pub actor: ActorId,
}

/// What changed. Variants are append-only (see the module docs).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum Payload {
    PersonRegistered {
        person: PersonId,
        registration: Registration,
    },
    NameAdded {
        person: PersonId,
        name: Name,
    },
    NationalityClaimed {
        person: PersonId,
        claim: NationalityClaim,
    },
    BirthRecorded {
        person: PersonId,
        birth: Birth,
    },
    VulnerabilityRecorded {
        person: PersonId,
        vulnerability: Vulnerability,
    },
    RelationshipRecorded {
        person: PersonId,
        relationship: Relationship,
    },
    HouseholdJoined {
        person: PersonId,
        household: HouseholdId,
    },
    PlaceAdded {
        place: Place,
    },
    PlaceStatusChanged {
        place: PlaceId,
        change: PlaceStatusChange,
    },
    /// A report and the claims taken from it, as one change.
    ReportReceived {
        report: Report,
        claims: Vec<Claim>,
    },
    /// A claim taken later from an already received report.
    ClaimRecorded {
        claim: Claim,
    },
    TaskOpened {
        task: Task,
    },
    TaskAssigned {
        task: TaskId,
        assignee: Option<ActorId>,
    },
    TaskClosed {
        task: TaskId,
        at: Timestamp,
        by_claim: Option<ClaimId>,
        note: String,
    },
    /// Work on a task by a person: assignment, due date, a note.
    TaskUpdated {
        task: TaskId,
        at: Timestamp,
        change: TaskChange,
    },
    /// An actor's name and organisation (see [`crate::actor`]).
    ActorEnrolled {
        enrolment: Enrolment,
    },
    /// A change to a repatriation case (see `case`).
    CaseChanged {
        case: CaseId,
        change: CaseChange,
    },
    /// An interview: who, when, where, the sealed transcript, files by hash.
    InterviewRecorded {
        interview: Interview,
    },
    /// A consent decision (granted, refused, revoked) for one purpose.
    ConsentRecorded {
        consent: ConsentChange,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Event {
    pub header: EventHeader,
    pub payload: Payload,
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("event could not be encoded: {0}")]
    Encode(postcard::Error),
    #[error("event bytes are not a valid event: {0}")]
    Decode(postcard::Error),
    #[error("event has format version {found}, newer than this program reads ({FORMAT_VERSION}); upgrade homeward")]
    NewerVersion { found: u16 },
    #[error("event id does not match its bytes: the event was altered")]
    IdMismatch,
    #[error("event signature does not verify against replica {replica}'s key: forged or altered")]
    BadSignature { replica: ReplicaId },
    #[error("event is not proven by its signed batch: {0}")]
    Batch(#[from] BatchError),
}

impl Event {
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, EventError> {
        postcard::to_stdvec(self).map_err(EventError::Encode)
    }

    /// Decodes canonical bytes, refusing a newer format before reading the payload.
    pub fn decode(bytes: &[u8]) -> Result<Self, EventError> {
        let (header, rest): (EventHeader, &[u8]) =
            postcard::take_from_bytes(bytes).map_err(EventError::Decode)?;
        if header.version > FORMAT_VERSION {
            return Err(EventError::NewerVersion {
                found: header.version,
            });
        }
        let (payload, tail): (Payload, &[u8]) =
            postcard::take_from_bytes(rest).map_err(EventError::Decode)?;
        if !tail.is_empty() {
            return Err(EventError::Decode(postcard::Error::DeserializeBadEncoding));
        }
        Ok(Self { header, payload })
    }
}

/// How an event's authorship is proven.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Seal {
    /// The event's id signed on its own: what registries of schemas 1 to 4 wrote for every
    /// event. Read and verified, no longer written.
    Single { signature: [u8; 64] },
    /// The event belongs to a signed batch; `proof` leads from its id to the batch's root.
    Batch { seal: BatchSeal, proof: Vec<Node> },
}

/// An event as it is sent: canonical bytes, their id, and what proves who wrote it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignedEvent {
    pub id: EventId,
    pub bytes: Vec<u8>,
    pub seal: Seal,
}

impl SignedEvent {
    /// Signs one event on its own, in the form of schemas 1 to 4 (for tests of that form).
    pub fn sign_single(event: &Event, key: &SigningKey) -> Result<Self, EventError> {
        let bytes = event.canonical_bytes()?;
        let id = EventId::of(&bytes);
        let signature = key.sign(&id.0).to_bytes();
        Ok(Self {
            id,
            bytes,
            seal: Seal::Single { signature },
        })
    }

    /// Checks the id, decodes, then checks the seal: for a batch, that the event's
    /// replica and sequence number lie in the batch, that its proof leads from its id to
    /// the batch's root, and the one signature over the batch. Everything that arrives
    /// from elsewhere (sync, a bundle, a restored backup) goes through here.
    pub fn verify(&self, key: &VerifyingKey) -> Result<Event, EventError> {
        if EventId::of(&self.bytes) != self.id {
            return Err(EventError::IdMismatch);
        }
        let event = Event::decode(&self.bytes)?;
        let h = &event.header;
        match &self.seal {
            Seal::Single { signature } => verify_single(key, h.replica, &self.id, signature)?,
            Seal::Batch { seal, proof } => {
                seal.check_member(h.replica, h.seq, &self.id, proof)?;
                seal.verify_signature(key)?;
            }
        }
        Ok(event)
    }
}

/// Checks a schema-2 signature: the id signed on its own.
pub fn verify_single(
    key: &VerifyingKey,
    replica: ReplicaId,
    id: &EventId,
    signature: &[u8; 64],
) -> Result<(), EventError> {
    key.verify(&id.0, &Signature::from_bytes(signature))
        .map_err(|_| EventError::BadSignature { replica })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::{PlaceKind, PlaceStatus};

    fn sample(seq: u64) -> Event {
        Event {
            header: EventHeader {
                version: FORMAT_VERSION,
                replica: ReplicaId::from_u128(1),
                seq,
                prev: None,
                hlc: Hlc {
                    wall_ms: 1_570_000_000_000,
                    counter: 0,
                },
                actor: ActorId::from_u128(2),
            },
            payload: Payload::PlaceAdded {
                place: Place {
                    id: PlaceId::from_u128(3),
                    name: "Roj".into(),
                    kind: PlaceKind::Camp,
                    parent: None,
                },
            },
        }
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn encoding_is_canonical_and_round_trips() {
        let e = sample(1);
        assert_eq!(
            e.canonical_bytes().unwrap(),
            e.clone().canonical_bytes().unwrap()
        );
        assert_eq!(Event::decode(&e.canonical_bytes().unwrap()).unwrap(), e);
    }

    #[test]
    fn a_schema_two_signature_verifies_and_detects_forgery() {
        let k = key(9);
        let signed = SignedEvent::sign_single(&sample(1), &k).unwrap();
        assert_eq!(signed.verify(&k.verifying_key()).unwrap(), sample(1));

        let other = key(10);
        assert!(matches!(
            signed.verify(&other.verifying_key()),
            Err(EventError::BadSignature { .. })
        ));

        let mut altered = signed.clone();
        let last = altered.bytes.len() - 1;
        altered.bytes[last] ^= 1;
        assert!(matches!(
            altered.verify(&k.verifying_key()),
            Err(EventError::IdMismatch)
        ));

        // Re-hashing the altered bytes does not help without the key.
        altered.id = EventId::of(&altered.bytes);
        assert!(altered.verify(&k.verifying_key()).is_err());
    }

    #[test]
    fn newer_format_is_refused_not_misread() {
        let mut e = sample(1);
        e.header.version = FORMAT_VERSION + 1;
        e.payload = Payload::PlaceStatusChanged {
            place: PlaceId::from_u128(3),
            change: PlaceStatusChange {
                status: PlaceStatus::Unguarded,
                at: Timestamp(0),
                report: None,
            },
        };
        let bytes = e.canonical_bytes().unwrap();
        assert!(
            matches!(Event::decode(&bytes), Err(EventError::NewerVersion { found }) if found == FORMAT_VERSION + 1)
        );
    }

    #[test]
    fn garbage_is_a_decode_error() {
        assert!(matches!(
            Event::decode(&[0xff; 7]),
            Err(EventError::Decode(_))
        ));
        let mut bytes = sample(1).canonical_bytes().unwrap();
        bytes.push(0);
        assert!(Event::decode(&bytes).is_err());
    }
}
