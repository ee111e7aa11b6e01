//! Signed batches on disk, and their verification during a rebuild.
//!
//! Every append writes one row to `batches`: the replica, the range of sequence numbers
//! it covers, and the signature over the Merkle root of those events' ids (form 2, see
//! `model::batch`). Registries before schema 5 signed each event on its own; on upgrade
//! each of those signatures became a batch of one (form 1: the root column holds the
//! event's id, the signature is over it), so old events keep exactly the proof they had.
//!
//! Inclusion proofs are not stored: the registry holds every event of its batches, so a
//! proof is recomputed from the batch's ids when an event is sent on its own
//! ([`Registry::signed_event`]), and a rebuild checks a whole batch at once by
//! recomputing its root (2n hashes, cheaper than n proofs of log n). A proof for a large
//! batch (17 hashes, 544 bytes, for the demo's 87,000 events) would outweigh most events.

use crate::error::StoreError;
use crate::Registry;
use ed25519_dalek::VerifyingKey;
use model::batch::{BatchSeal, Tree};
use model::event::{verify_single, Seal, SignedEvent};
use model::ids::{EventId, ReplicaId};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, VecDeque};

/// How a batch is signed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// One event's id signed alone (schemas 1 to 4); `root` holds the id.
    Single = 1,
    /// The Merkle root of the batch's event ids, signed once.
    Merkle = 2,
}

impl Form {
    fn from_stored(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Single),
            2 => Some(Self::Merkle),
            _ => None,
        }
    }
}

/// A batch row as stored.
#[derive(Clone, Debug)]
pub(crate) struct StoredBatch {
    pub form: Form,
    pub seal: BatchSeal,
}

pub(crate) fn insert(conn: &Connection, seal: &BatchSeal) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO batches (replica, first_seq, last_seq, form, root, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        seal.replica.as_bytes().as_slice(),
        seal.first_seq as i64,
        seal.last_seq as i64,
        Form::Merkle as i64,
        seal.root.as_slice(),
        seal.signature.as_slice(),
    ])?;
    Ok(())
}

fn read_row(row: &rusqlite::Row) -> Result<StoredBatch, StoreError> {
    let replica = ReplicaId::from_bytes(fixed(row.get(0)?)?);
    let form: i64 = row.get(3)?;
    let form = Form::from_stored(form).ok_or_else(|| {
        tampered(
            replica,
            format!("a batch has an unknown signing form ({form})"),
        )
    })?;
    Ok(StoredBatch {
        form,
        seal: BatchSeal {
            replica,
            first_seq: seq(row.get(1)?)?,
            last_seq: seq(row.get(2)?)?,
            root: fixed(row.get(4)?)?,
            signature: fixed(row.get(5)?)?,
        },
    })
}

const SELECT: &str = "SELECT replica, first_seq, last_seq, form, root, signature FROM batches";

/// Every batch of every replica, each replica's in order, checked to tile its sequence
/// numbers from 1 with neither gap nor overlap.
fn load_all(conn: &Connection) -> Result<HashMap<ReplicaId, VecDeque<StoredBatch>>, StoreError> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY replica, first_seq"))?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<ReplicaId, VecDeque<StoredBatch>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let batch = read_row(row)?;
        let s = &batch.seal;
        let list = out.entry(s.replica).or_default();
        let expected = list.back().map_or(1, |b| b.seal.last_seq + 1);
        if s.first_seq != expected || s.last_seq < s.first_seq {
            return Err(tampered(
                s.replica,
                format!(
                    "its signed batches leave a gap or overlap at event {expected} (a batch covers {}..{})",
                    s.first_seq, s.last_seq
                ),
            ));
        }
        list.push_back(batch);
    }
    Ok(out)
}

/// The ids of one replica's events `first..=last`, in order.
fn ids_in(
    conn: &Connection,
    replica: ReplicaId,
    first: u64,
    last: u64,
) -> Result<Vec<EventId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM events WHERE replica = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
    )?;
    let rows = stmt.query_map(
        params![replica.as_bytes().as_slice(), first as i64, last as i64],
        |r| r.get::<_, Vec<u8>>(0),
    )?;
    rows.map(|r| Ok(EventId(fixed(r?)?))).collect()
}

impl Registry {
    /// An event as it is sent on its own: its bytes, and its batch's seal with the proof
    /// that leads from its id to the signed root (or its own signature, for events of
    /// schemas 1 to 4). `None` if no event has this id.
    pub fn signed_event(&self, id: EventId) -> Result<Option<SignedEvent>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT replica, seq, bytes FROM events WHERE id = ?1",
                [id.0.as_slice()],
                |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((replica, seq_number, bytes)) = row else {
            return Ok(None);
        };
        let replica = ReplicaId::from_bytes(fixed(replica)?);
        let seq_number = seq(seq_number)?;
        let batch = self
            .conn
            .query_row(
                &format!("{SELECT} WHERE replica = ?1 AND first_seq <= ?2 ORDER BY first_seq DESC LIMIT 1"),
                params![replica.as_bytes().as_slice(), seq_number as i64],
                |r| Ok(read_row(r)),
            )
            .optional()?
            .transpose()?
            .filter(|b| b.seal.last_seq >= seq_number)
            .ok_or_else(|| tampered(replica, format!("event {seq_number} is in no signed batch")))?;
        let seal = match batch.form {
            Form::Single => Seal::Single {
                signature: batch.seal.signature,
            },
            Form::Merkle => {
                let s = &batch.seal;
                let ids = ids_in(&self.conn, replica, s.first_seq, s.last_seq)?;
                let index = (seq_number - s.first_seq) as usize;
                let proof = Tree::of_ids(&ids)
                    .and_then(|t| t.proof(index))
                    .ok_or_else(|| {
                        tampered(
                            replica,
                            format!("batch {}..{} lacks events", s.first_seq, s.last_seq),
                        )
                    })?;
                Seal::Batch {
                    seal: batch.seal,
                    proof,
                }
            }
        };
        Ok(Some(SignedEvent { id, bytes, seal }))
    }
}

/// Follows the log in order during a rebuild and checks every event against its
/// replica's signed batches: each event falls in the next batch of its replica; when a
/// batch's last event arrives, the root of its ids must equal the signed root; the
/// signatures of completed batches are checked on all cores ([`BatchCheck::verify`]).
pub(crate) struct BatchCheck {
    keys: HashMap<ReplicaId, VerifyingKey>,
    pending: HashMap<ReplicaId, VecDeque<StoredBatch>>,
    /// Ids gathered so far for each replica's current batch.
    gathered: HashMap<ReplicaId, Vec<EventId>>,
    /// Completed batches whose signature is still to check.
    to_verify: Vec<StoredBatch>,
}

impl BatchCheck {
    pub(crate) fn load(
        conn: &Connection,
        keys: HashMap<ReplicaId, VerifyingKey>,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            keys,
            pending: load_all(conn)?,
            gathered: HashMap::new(),
            to_verify: Vec::new(),
        })
    }

    /// Batches still to be checked.
    pub(crate) fn count(&self) -> u64 {
        self.pending.values().map(|q| q.len() as u64).sum()
    }

    /// Takes the next event of `replica` (its chain is checked separately, so `seq`
    /// follows the previous one).
    pub(crate) fn admit(
        &mut self,
        replica: ReplicaId,
        seq: u64,
        id: EventId,
    ) -> Result<(), StoreError> {
        let batch = self
            .pending
            .get(&replica)
            .and_then(|q| q.front())
            .filter(|b| b.seal.first_seq <= seq && seq <= b.seal.last_seq)
            .ok_or_else(|| tampered(replica, format!("event {seq} is in no signed batch")))?;
        let ids = self.gathered.entry(replica).or_default();
        ids.push(id);
        if seq < batch.seal.last_seq {
            return Ok(());
        }
        let ok = match batch.form {
            Form::Single => ids.len() == 1 && batch.seal.root == id.0,
            Form::Merkle => batch.seal.check_events(ids).is_ok(),
        };
        if !ok {
            return Err(tampered(
                replica,
                format!(
                    "the events {}..{} do not hash to their batch's signed root: an event was altered, added, removed or moved between batches",
                    batch.seal.first_seq, batch.seal.last_seq
                ),
            ));
        }
        ids.clear();
        if let Some(done) = self.pending.get_mut(&replica).and_then(|q| q.pop_front()) {
            self.to_verify.push(done);
        }
        Ok(())
    }

    /// Checks the signatures of the batches completed since the last call, in parallel.
    pub(crate) fn verify(&mut self) -> Result<(), StoreError> {
        let keys = &self.keys;
        std::mem::take(&mut self.to_verify)
            .par_iter()
            .try_for_each(|b| {
                let s = &b.seal;
                let key = keys.get(&s.replica).ok_or_else(|| {
                    StoreError::Corrupt(format!("batches from unknown replica {}", s.replica))
                })?;
                let signed = match b.form {
                    Form::Single => verify_single(key, s.replica, &EventId(s.root), &s.signature)
                        .map_err(|e| e.to_string()),
                    Form::Merkle => s.verify_signature(key).map_err(|e| e.to_string()),
                };
                signed.map_err(|detail| {
                    tampered(
                        s.replica,
                        format!(
                            "the batch of events {}..{}: {detail}",
                            s.first_seq, s.last_seq
                        ),
                    )
                })
            })
    }

    /// After the last event: every batch must have been completed.
    pub(crate) fn finish(mut self) -> Result<(), StoreError> {
        self.verify()?;
        for (replica, queue) in &self.pending {
            if let Some(b) = queue.front() {
                let got = self.gathered.get(replica).map_or(0, Vec::len) as u64;
                return Err(tampered(
                    *replica,
                    format!(
                        "the signed batch of events {}..{} is truncated: the log holds {got} of its {} events",
                        b.seal.first_seq,
                        b.seal.last_seq,
                        b.seal.event_count()
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn tampered(replica: ReplicaId, detail: String) -> StoreError {
    StoreError::LogTampered {
        replica: replica.to_string(),
        detail,
    }
}

fn seq(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt("negative sequence number".into()))
}

pub(crate) fn fixed<const N: usize>(bytes: Vec<u8>) -> Result<[u8; N], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a stored value is not {N} bytes long")))
}
