//! Batches: one signature for all the events a replica appends together.
//!
//! A replica appends events in batches (a command, an import, a demo build). Instead of
//! signing each event, it builds a Merkle tree over the batch's event ids, in sequence
//! order, and signs one statement: (replica, first seq, last seq, root) — a
//! [`BatchSeal`]. Any single event, or any subset of the batch, stays verifiable on its
//! own: with the seal and the event's inclusion proof (the sibling hashes from its leaf up
//! to the root), a recipient recomputes the root from the event's id and checks the one
//! signature. Sync relies on this: it sends each recipient only the events it may see.
//!
//! The tree is RFC 6962's Merkle Tree Hash (certificate transparency; RFC 9162 §2.1)
//! with BLAKE3 as the hash and its domain separation: a leaf is `BLAKE3(0x00 ‖ event id)`,
//! an inner node `BLAKE3(0x01 ‖ left ‖ right)`, so a leaf can never pass for a node. A
//! tree of `n` leaves splits at the largest power of two below `n`, so no leaf is
//! duplicated to fill a level (the ambiguity that lets two different lists share a root
//! in some other trees). The signed statement starts with its own tag, so a batch
//! signature can never be read as the signature of a single event id (the per-event form
//! registries before schema 5 hold).

use crate::ids::{EventId, ReplicaId};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// A node of the tree (a leaf hash, an inner node or the root).
pub type Node = [u8; 32];

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;
/// What a batch signature signs starts with this.
const STATEMENT_TAG: &[u8] = b"homeward event batch v1\0";

/// The leaf of an event: its id, hashed with the leaf prefix.
pub fn leaf(id: &EventId) -> Node {
    let mut h = blake3::Hasher::new();
    h.update(&[LEAF_PREFIX]);
    h.update(&id.0);
    *h.finalize().as_bytes()
}

fn node(left: &Node, right: &Node) -> Node {
    let mut h = blake3::Hasher::new();
    h.update(&[NODE_PREFIX]);
    h.update(left);
    h.update(right);
    *h.finalize().as_bytes()
}

/// A batch's tree, level by level: `levels[0]` are the leaves, each next level pairs the
/// one below, and a level's odd last node moves up unpaired. This builds exactly RFC
/// 6962's tree (which splits at the largest power of two) bottom-up, in O(n), and gives
/// any leaf's proof in O(log n).
pub struct Tree {
    levels: Vec<Vec<Node>>,
    root: Node,
}

impl Tree {
    /// The tree over `leaves`; `None` if there are none.
    pub fn new(leaves: Vec<Node>) -> Option<Self> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = vec![leaves];
        while let Some(below) = levels.last().filter(|l| l.len() > 1) {
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => node(left, right),
                    [alone] => *alone,
                    _ => unreachable!("chunks(2) gives one or two nodes"),
                })
                .collect();
            levels.push(above);
        }
        let root = *levels.last()?.first()?;
        Some(Self { levels, root })
    }

    /// The tree over the leaves of `ids`, in order.
    pub fn of_ids(ids: &[EventId]) -> Option<Self> {
        Self::new(ids.iter().map(leaf).collect())
    }

    pub fn root(&self) -> Node {
        self.root
    }

    /// The inclusion proof of the leaf at `index`: sibling hashes from the leaf up to the
    /// root. `None` if `index` is outside the tree.
    pub fn proof(&self, index: usize) -> Option<Vec<Node>> {
        if index >= self.levels[0].len() {
            return None;
        }
        let mut at = index;
        let mut path = Vec::with_capacity(self.levels.len());
        for level in &self.levels[..self.levels.len() - 1] {
            if let Some(sibling) = level.get(at ^ 1) {
                path.push(*sibling);
            }
            at >>= 1;
        }
        Some(path)
    }
}

/// Recomputes the root of a tree of `size` leaves from the leaf at `index` and its proof
/// (RFC 9162 §2.1.3.2). `None` if the proof cannot belong to such a tree (wrong length,
/// index outside the tree).
pub fn root_from_proof(leaf: Node, index: u64, size: u64, proof: &[Node]) -> Option<Node> {
    if index >= size {
        return None;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = leaf;
    for p in proof {
        if s == 0 {
            return None;
        }
        if f & 1 == 1 || f == s {
            r = node(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    (s == 0).then_some(r)
}

/// Why a batch or an event in it does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchError {
    #[error("the batch is empty or its sequence numbers run backwards ({first}..{last})")]
    BadRange { first: u64, last: u64 },
    #[error("event {seq} of replica {replica} is not in the batch it claims ({first}..{last} of replica {batch_replica})")]
    NotInBatch {
        replica: ReplicaId,
        seq: u64,
        batch_replica: ReplicaId,
        first: u64,
        last: u64,
    },
    #[error("the inclusion proof does not lead to the batch's signed root: the event, its proof or the batch was altered")]
    ProofMismatch,
    #[error("the batch's events do not hash to its signed root: an event was altered, added, removed or moved between batches")]
    RootMismatch,
    #[error("the batch signature does not verify against replica {replica}'s key: forged, or signed by another key")]
    BadSignature { replica: ReplicaId },
}

/// One replica's signature over a batch of its events `first_seq..=last_seq`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BatchSeal {
    pub replica: ReplicaId,
    pub first_seq: u64,
    pub last_seq: u64,
    pub root: Node,
    pub signature: [u8; 64],
}

impl BatchSeal {
    /// Signs the batch of `ids` (in sequence order, the first with `first_seq`). `None`
    /// for an empty batch.
    pub fn sign(
        replica: ReplicaId,
        first_seq: u64,
        ids: &[EventId],
        key: &SigningKey,
    ) -> Option<Self> {
        let mut seal = Self {
            replica,
            first_seq,
            last_seq: first_seq + ids.len().checked_sub(1)? as u64,
            root: Tree::of_ids(ids)?.root(),
            signature: [0; 64],
        };
        seal.signature = key.sign(&seal.statement()).to_bytes();
        Some(seal)
    }

    /// Number of events the batch covers.
    pub fn event_count(&self) -> u64 {
        self.last_seq.saturating_sub(self.first_seq) + 1
    }

    /// What is signed: a tag, the replica, the range and the root.
    pub fn statement(&self) -> Vec<u8> {
        let mut s = Vec::with_capacity(STATEMENT_TAG.len() + 16 + 8 + 8 + 32);
        s.extend_from_slice(STATEMENT_TAG);
        s.extend_from_slice(self.replica.as_bytes());
        s.extend_from_slice(&self.first_seq.to_le_bytes());
        s.extend_from_slice(&self.last_seq.to_le_bytes());
        s.extend_from_slice(&self.root);
        s
    }

    /// Checks the range and the signature (not the events: see [`BatchSeal::check_events`]
    /// and [`BatchSeal::check_member`]).
    pub fn verify_signature(&self, key: &VerifyingKey) -> Result<(), BatchError> {
        if self.last_seq < self.first_seq || self.first_seq == 0 {
            return Err(BatchError::BadRange {
                first: self.first_seq,
                last: self.last_seq,
            });
        }
        key.verify(&self.statement(), &Signature::from_bytes(&self.signature))
            .map_err(|_| BatchError::BadSignature {
                replica: self.replica,
            })
    }

    /// Checks that `ids`, in sequence order, are exactly the batch's events.
    pub fn check_events(&self, ids: &[EventId]) -> Result<(), BatchError> {
        let root = Tree::of_ids(ids).map(|t| t.root());
        if ids.len() as u64 != self.event_count() || root != Some(self.root) {
            return Err(BatchError::RootMismatch);
        }
        Ok(())
    }

    /// Checks that the event `id`, number `seq` of `replica`, is in this batch by `proof`.
    pub fn check_member(
        &self,
        replica: ReplicaId,
        seq: u64,
        id: &EventId,
        proof: &[Node],
    ) -> Result<(), BatchError> {
        if replica != self.replica || seq < self.first_seq || seq > self.last_seq {
            return Err(BatchError::NotInBatch {
                replica,
                seq,
                batch_replica: self.replica,
                first: self.first_seq,
                last: self.last_seq,
            });
        }
        let index = seq - self.first_seq;
        match root_from_proof(leaf(id), index, self.event_count(), proof) {
            Some(r) if r == self.root => Ok(()),
            _ => Err(BatchError::ProofMismatch),
        }
    }
}

#[cfg(test)]
mod tests;
