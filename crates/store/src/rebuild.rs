//! Rebuilding projections from the log, and checking the log itself.

use crate::batches::{fixed, BatchCheck};
use crate::error::StoreError;
use crate::schema::PROJECTION_TABLES;
use crate::state::SqlState;
use crate::Registry;
use ed25519_dalek::VerifyingKey;
use model::event::{Event, EventError};
use model::ids::{EventId, ReplicaId};
use model::projection::apply;
use rayon::prelude::*;
use rusqlite::types::ValueRef;
use std::collections::HashMap;

/// What a rebuild found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildSummary {
    pub events: u64,
    pub replicas: u64,
    /// Signed batches checked (one signature each).
    pub batches: u64,
    pub digest_before: String,
    pub digest_after: String,
}

/// Where each replica's chain has got to.
#[derive(Default)]
struct ChainCheck {
    seq: u64,
    last: Option<EventId>,
}

/// Events decoded together: id checks and decoding run on all cores, application stays
/// in order.
const DECODE_CHUNK: usize = 4096;

/// An event row as stored, before verification.
struct StoredEvent {
    replica: ReplicaId,
    seq: i64,
    id: EventId,
    bytes: Vec<u8>,
}

impl StoredEvent {
    fn read(row: &rusqlite::Row) -> Result<Self, StoreError> {
        Ok(Self {
            replica: ReplicaId::from_bytes(fixed(row.get(0)?)?),
            seq: row.get(1)?,
            id: EventId(fixed(row.get(2)?)?),
            bytes: row.get(3)?,
        })
    }

    /// The event, if its bytes hash to its id and decode.
    fn decode(&self) -> Result<Event, StoreError> {
        let checked = if EventId::of(&self.bytes) == self.id {
            Event::decode(&self.bytes)
        } else {
            Err(EventError::IdMismatch)
        };
        checked.map_err(|source| StoreError::Event {
            replica: self.replica.to_string(),
            seq: self.seq,
            source,
        })
    }
}

/// Each replica's events must come 1, 2, 3… each naming the previous one's id.
fn check_chain(
    chains: &mut HashMap<ReplicaId, ChainCheck>,
    stored: &StoredEvent,
    event: &Event,
) -> Result<(), StoreError> {
    let replica = stored.replica;
    let chain = chains.entry(replica).or_default();
    let h = &event.header;
    if h.seq != chain.seq + 1
        || h.prev != chain.last
        || h.replica != replica
        || h.seq as i64 != stored.seq
    {
        return Err(StoreError::Corrupt(format!(
            "replica {replica}'s chain breaks at event {}: a gap, a reordering or a rewritten event",
            stored.seq
        )));
    }
    chain.seq = h.seq;
    chain.last = Some(stored.id);
    Ok(())
}

impl Registry {
    /// Throws the projections away and replays the whole log, checking every event's id,
    /// its place in its replica's chain, and the signed batch that covers it (the root of
    /// the batch's ids and the one signature over it). One transaction: on any error the
    /// old projections stay.
    pub fn rebuild(
        &mut self,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RebuildSummary, StoreError> {
        let digest_before = self.projection_digest()?;
        let total = self.event_count()?;
        let keys = self.replica_keys()?;
        let replicas = keys.len() as u64;
        let mut batches = BatchCheck::load(&self.conn, keys)?;
        let batch_count = batches.count();
        let mut chains = HashMap::new();
        let tx = self.conn.transaction()?;
        for table in PROJECTION_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let mut count = 0u64;
        {
            let mut state = SqlState::new(&tx, self.flush_at)?;
            let mut stmt =
                tx.prepare("SELECT replica, seq, id, bytes FROM events ORDER BY position")?;
            let mut rows = stmt.query([])?;
            let mut chunk = Vec::with_capacity(DECODE_CHUNK);
            loop {
                let row = rows.next()?;
                if let Some(row) = row {
                    chunk.push(StoredEvent::read(row)?);
                    if chunk.len() < DECODE_CHUNK {
                        continue;
                    }
                }
                if chunk.is_empty() {
                    break;
                }
                let events: Vec<Event> = chunk
                    .par_iter()
                    .map(StoredEvent::decode)
                    .collect::<Result<_, _>>()?;
                for (stored, event) in chunk.iter().zip(&events) {
                    check_chain(&mut chains, stored, event)?;
                    batches.admit(stored.replica, event.header.seq, stored.id)?;
                }
                batches.verify()?;
                for event in &events {
                    apply(event, &mut state).map_err(|e| StoreError::Apply(e.to_string()))?;
                    count += 1;
                    progress(count, total);
                }
                chunk.clear();
            }
            batches.finish()?;
            state.flush()?;
        }
        tx.commit()?;
        Ok(RebuildSummary {
            events: count,
            replicas,
            batches: batch_count,
            digest_before,
            digest_after: self.projection_digest()?,
        })
    }

    fn replica_keys(&self) -> Result<HashMap<ReplicaId, VerifyingKey>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, verifying_key FROM replicas")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, key) = row?;
            let key = VerifyingKey::from_bytes(&fixed(key)?)
                .map_err(|e| StoreError::Corrupt(format!("replica key: {e}")))?;
            out.insert(ReplicaId::from_bytes(fixed(id)?), key);
        }
        Ok(out)
    }

    /// BLAKE3 over every projection row in a fixed order: equal digests, equal projections.
    pub fn projection_digest(&self) -> Result<String, StoreError> {
        self.digest_of(&PROJECTION_TABLES)
    }

    /// The digest of the projections without the review history (merges and match
    /// candidates): equal after a merge and its undo to what it was without them.
    pub fn person_layer_digest(&self) -> Result<String, StoreError> {
        let tables: Vec<&str> = PROJECTION_TABLES
            .into_iter()
            .filter(|t| !["person_merges", "match_candidates"].contains(t))
            .collect();
        self.digest_of(&tables)
    }

    /// BLAKE3 over every row of `tables`, in a fixed order.
    pub(crate) fn digest_of(&self, tables: &[&str]) -> Result<String, StoreError> {
        let mut hasher = blake3::Hasher::new();
        for table in tables {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
            let columns = stmt.column_count();
            let mut rows = stmt.query([])?;
            hasher.update(table.as_bytes());
            while let Some(row) = rows.next()? {
                for i in 0..columns {
                    match row.get_ref(i)? {
                        ValueRef::Null => hasher.update(b"n"),
                        ValueRef::Integer(n) => hasher.update(&n.to_le_bytes()),
                        ValueRef::Real(f) => hasher.update(&f.to_le_bytes()),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            hasher.update(&(t.len() as u64).to_le_bytes()).update(t)
                        }
                    };
                    hasher.update(&[0x1f]);
                }
                hasher.update(&[0x1e]);
            }
        }
        Ok(hasher.finalize().to_hex().to_string())
    }
}
