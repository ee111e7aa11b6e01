use super::*;
use crate::event::{Event, EventError, EventHeader, Payload, Seal, SignedEvent, FORMAT_VERSION};
use crate::ids::{ActorId, PlaceId};
use crate::place::{Place, PlaceKind};
use crate::time::Hlc;
use ct_merkle::mem_backed_tree::MemoryBackedTree;

fn id(n: u8) -> EventId {
    EventId([n; 32])
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

const REPLICA: u128 = 7;

/// A replica's chain of `n` events from `first`, each naming the previous one.
fn chain(first: u64, n: u64) -> Vec<Event> {
    let mut prev = None;
    (first..first + n)
        .map(|seq| {
            let e = Event {
                header: EventHeader {
                    version: FORMAT_VERSION,
                    replica: ReplicaId::from_u128(REPLICA),
                    seq,
                    prev,
                    hlc: Hlc {
                        wall_ms: 1_570_000_000_000 + seq as i64,
                        counter: 0,
                    },
                    actor: ActorId::from_u128(2),
                },
                payload: Payload::PlaceAdded {
                    place: Place {
                        id: PlaceId::from_u128(u128::from(seq)),
                        name: format!("Place {seq}"),
                        kind: PlaceKind::Camp,
                        parent: None,
                    },
                },
            };
            prev = Some(EventId::of(&e.canonical_bytes().unwrap()));
            e
        })
        .collect()
}

/// Signs `events` as one batch and gives each its proof, as a sender would.
fn sealed(events: &[Event], key: &SigningKey) -> Vec<SignedEvent> {
    let bytes: Vec<Vec<u8>> = events
        .iter()
        .map(|e| e.canonical_bytes().unwrap())
        .collect();
    let ids: Vec<EventId> = bytes.iter().map(|b| EventId::of(b)).collect();
    let first = events[0].header.seq;
    let seal = BatchSeal::sign(ReplicaId::from_u128(REPLICA), first, &ids, key).unwrap();
    let tree = Tree::of_ids(&ids).unwrap();
    bytes
        .into_iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (bytes, id))| SignedEvent {
            id,
            bytes,
            seal: Seal::Batch {
                seal: seal.clone(),
                proof: tree.proof(i).unwrap(),
            },
        })
        .collect()
}

fn parts(e: &SignedEvent) -> (BatchSeal, Vec<Node>) {
    match &e.seal {
        Seal::Batch { seal, proof } => (seal.clone(), proof.clone()),
        Seal::Single { .. } => panic!("expected a batch seal"),
    }
}

#[test]
fn root_and_proofs_are_rfc_6962_with_blake3() {
    // The reference implementation of RFC 6962 over the same hash must agree on every
    // size, including the uneven ones, and on every proof.
    for n in 1..=70u8 {
        let ids: Vec<EventId> = (0..n).map(id).collect();
        let mut reference = MemoryBackedTree::<blake3::Hasher, [u8; 32]>::new();
        for i in &ids {
            reference.push(i.0);
        }
        let tree = Tree::of_ids(&ids).unwrap();
        assert_eq!(tree.root(), reference.root().as_bytes().as_slice(), "n={n}");
        for (i, leaf_id) in ids.iter().enumerate() {
            let proof = tree.proof(i).unwrap();
            assert_eq!(
                proof.concat(),
                reference.prove_inclusion(i).as_bytes(),
                "n={n} i={i}"
            );
            assert_eq!(
                root_from_proof(leaf(leaf_id), i as u64, u64::from(n), &proof),
                Some(tree.root())
            );
        }
        assert!(tree.proof(usize::from(n)).is_none());
    }
    assert!(Tree::new(Vec::new()).is_none());
}

#[test]
fn leaves_and_nodes_are_kept_apart() {
    // A leaf is never equal to the node over two others, nor to the raw id.
    let (a, b) = (leaf(&id(1)), leaf(&id(2)));
    let two = Tree::new(vec![a, b]).unwrap().root();
    let mut joined = [0u8; 64];
    joined[..32].copy_from_slice(&a);
    joined[32..].copy_from_slice(&b);
    assert_ne!(two, *blake3::hash(&joined).as_bytes());
    assert_ne!(leaf(&id(1)), id(1).0);
    // A proof of one tree size does not pass for another.
    let ids: Vec<EventId> = (0..5).map(id).collect();
    let tree = Tree::of_ids(&ids).unwrap();
    let proof = tree.proof(4).unwrap();
    assert_eq!(
        root_from_proof(leaf(&ids[4]), 4, 5, &proof),
        Some(tree.root())
    );
    assert_ne!(
        root_from_proof(leaf(&ids[4]), 4, 6, &proof),
        Some(tree.root())
    );
    assert_eq!(root_from_proof(leaf(&ids[4]), 5, 5, &proof), None);
}

#[test]
fn every_event_of_a_batch_verifies_alone() {
    let k = key(9);
    let events = chain(1, 13);
    for (signed, event) in sealed(&events, &k).iter().zip(&events) {
        assert_eq!(&signed.verify(&k.verifying_key()).unwrap(), event);
    }
    // A batch of one.
    let one = sealed(&chain(14, 1), &k);
    assert!(one[0].verify(&k.verifying_key()).is_ok());
}

#[test]
fn a_forged_proof_is_refused() {
    let k = key(9);
    let mut e = sealed(&chain(1, 9), &k).remove(3);
    let (seal, mut proof) = parts(&e);
    proof[1][0] ^= 1;
    e.seal = Seal::Batch {
        seal: seal.clone(),
        proof: proof.clone(),
    };
    let err = e.verify(&k.verifying_key()).unwrap_err();
    assert!(
        matches!(err, EventError::Batch(BatchError::ProofMismatch)),
        "{err}"
    );
    assert!(err.to_string().contains("proof"), "{err}");
    // Nor does a proof cut short or padded.
    proof.pop();
    e.seal = Seal::Batch {
        seal: seal.clone(),
        proof,
    };
    assert!(e.verify(&k.verifying_key()).is_err());
}

#[test]
fn an_event_moved_to_another_batch_is_refused() {
    let k = key(9);
    let first = sealed(&chain(1, 8), &k);
    let second = sealed(&chain(9, 8), &k);
    // Event 3 presented with the second batch's seal and one of its proofs.
    let mut moved = first[2].clone();
    let (seal, proof) = parts(&second[2]);
    moved.seal = Seal::Batch { seal, proof };
    let err = moved.verify(&k.verifying_key()).unwrap_err();
    assert!(
        matches!(
            err,
            EventError::Batch(BatchError::NotInBatch { seq: 3, .. })
        ),
        "{err}"
    );
    // A batch whose range holds the event's number, but whose root holds other events.
    let ids: Vec<EventId> = (0..8).map(id).collect();
    let seal = BatchSeal::sign(ReplicaId::from_u128(REPLICA), 1, &ids, &k).unwrap();
    let mut moved = first[2].clone();
    moved.seal = Seal::Batch {
        seal,
        proof: Tree::of_ids(&ids).unwrap().proof(2).unwrap(),
    };
    let err = moved.verify(&k.verifying_key()).unwrap_err();
    assert!(
        matches!(err, EventError::Batch(BatchError::ProofMismatch)),
        "{err}"
    );
}

#[test]
fn an_altered_event_is_refused() {
    let k = key(9);
    let mut e = sealed(&chain(1, 6), &k).remove(4);
    let last = e.bytes.len() - 1;
    e.bytes[last] ^= 1;
    assert!(matches!(
        e.verify(&k.verifying_key()),
        Err(EventError::IdMismatch)
    ));
    // Re-hashing the altered bytes does not help: the new id is not in the tree.
    e.id = EventId::of(&e.bytes);
    let err = e.verify(&k.verifying_key()).unwrap_err();
    assert!(
        matches!(
            err,
            EventError::Batch(BatchError::ProofMismatch) | EventError::Decode(_)
        ),
        "{err}"
    );
}

#[test]
fn a_batch_signed_by_another_key_is_refused() {
    let k = key(9);
    let intruder = key(10);
    let mine = sealed(&chain(1, 5), &k);
    // The intruder's batch over the same events verifies under the intruder's key only.
    let theirs = sealed(&chain(1, 5), &intruder);
    let err = theirs[1].verify(&k.verifying_key()).unwrap_err();
    assert!(
        matches!(err, EventError::Batch(BatchError::BadSignature { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("another key"), "{err}");
    // Transplanting the intruder's signature onto the real seal fails the same way.
    let mut e = mine[1].clone();
    let (mut seal, proof) = parts(&e);
    seal.signature = parts(&theirs[1]).0.signature;
    e.seal = Seal::Batch { seal, proof };
    assert!(matches!(
        e.verify(&k.verifying_key()),
        Err(EventError::Batch(BatchError::BadSignature { .. }))
    ));
}

#[test]
fn a_truncated_batch_is_refused() {
    let k = key(9);
    let events = chain(1, 10);
    let all = sealed(&events, &k);
    let (seal, _) = parts(&all[0]);
    // The first seven events, presented as the whole batch: the root does not match.
    let ids: Vec<EventId> = all.iter().map(|e| e.id).collect();
    assert_eq!(seal.check_events(&ids), Ok(()));
    assert_eq!(seal.check_events(&ids[..7]), Err(BatchError::RootMismatch));
    // A seal narrowed to the events present no longer carries a valid signature.
    let mut narrowed = seal.clone();
    narrowed.last_seq = 7;
    narrowed.root = Tree::of_ids(&ids[..7]).unwrap().root();
    assert!(matches!(
        narrowed.verify_signature(&k.verifying_key()),
        Err(BatchError::BadSignature { .. })
    ));
    let mut e = all[2].clone();
    e.seal = Seal::Batch {
        seal: narrowed,
        proof: Tree::of_ids(&ids[..7]).unwrap().proof(2).unwrap(),
    };
    assert!(e.verify(&k.verifying_key()).is_err());
    // A seal whose range runs backwards says so.
    let mut backwards = seal;
    backwards.last_seq = 0;
    assert!(matches!(
        backwards.verify_signature(&k.verifying_key()),
        Err(BatchError::BadRange { .. })
    ));
}
