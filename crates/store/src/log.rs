//! The append-only event log: chaining, signing once per batch and appending, in one
//! transaction with the projections.

use crate::error::StoreError;
use crate::search::keys::KnownKeys;
use crate::state::SqlState;
use crate::Registry;
use model::batch::BatchSeal;
use model::event::{Event, EventHeader, Payload, FORMAT_VERSION};
use model::ids::{ActorId, EventId, ReplicaId};
use model::projection::apply;
use model::time::{Hlc, Timestamp};
use rusqlite::{params, Connection, OptionalExtension, Statement};
use std::sync::Mutex;

/// This replica's last event: the next one continues its chain.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct ReplicaHead {
    pub seq: u64,
    pub last: Option<EventId>,
    pub hlc: Hlc,
}

impl ReplicaHead {
    pub(crate) fn load(conn: &Connection, replica: ReplicaId) -> Result<Self, StoreError> {
        let row = conn
            .query_row(
                "SELECT seq, id, hlc_wall, hlc_counter FROM events WHERE replica = ?1 ORDER BY seq DESC LIMIT 1",
                [replica.as_bytes().as_slice()],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)),
            )
            .optional()?;
        let Some((seq, id, wall_ms, counter)) = row else {
            return Ok(Self::default());
        };
        let id: [u8; 32] = id
            .try_into()
            .map_err(|_| StoreError::Corrupt("event id has the wrong length".into()))?;
        Ok(Self {
            seq: u64::try_from(seq)
                .map_err(|_| StoreError::Corrupt("negative sequence number".into()))?,
            last: Some(EventId(id)),
            hlc: Hlc {
                wall_ms,
                counter: u32::try_from(counter).unwrap_or(u32::MAX),
            },
        })
    }
}

/// An event given its place in the chain, with its canonical bytes and id.
struct Chained {
    event: Event,
    bytes: Vec<u8>,
    id: EventId,
}

const INSERT: &str = "INSERT INTO events (id, replica, seq, hlc_wall, hlc_counter, bytes)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Appends `c` with `statement`, that of [`INSERT`], held for the batch.
fn insert(statement: &mut Statement, c: &Chained) -> Result<(), StoreError> {
    let h = &c.event.header;
    statement.execute(params![
        c.id.0.as_slice(),
        h.replica.as_bytes().as_slice(),
        h.seq as i64,
        h.hlc.wall_ms,
        i64::from(h.hlc.counter),
        c.bytes,
    ])?;
    Ok(())
}

/// Chained events are handed to the writer this many at a time (a hand-over wakes a
/// thread), and chaining may run two such runs ahead.
const CHAIN_RUN: usize = 512;

/// Hands `write` each item chained after `start`, with its count so far, and returns the
/// ids and the new head. Chaining (encoding and hashing, which must go in order: each
/// event names the one before) runs on its own thread ahead of the writer, so the
/// connection does not wait for it; a batch of one run or less is chained first, since
/// a thread would cost it more than it saves.
fn chained_in_turn<I>(
    replica: ReplicaId,
    start: ReplicaHead,
    actor: ActorId,
    items: I,
    known: &Mutex<KnownKeys>,
    write: &mut dyn FnMut(&Chained, u64) -> Result<(), StoreError>,
) -> Result<(Vec<EventId>, ReplicaHead), StoreError>
where
    I: IntoIterator<Item = (Timestamp, Payload)>,
    I::IntoIter: Send,
{
    let items = items.into_iter();
    let mut ids = Vec::new();
    let mut write_run = |run: Vec<Chained>| -> Result<(), StoreError> {
        for c in run {
            write(&c, ids.len() as u64 + 1)?;
            ids.push(c.id);
        }
        Ok(())
    };
    if items.size_hint().1.is_some_and(|n| n <= CHAIN_RUN) {
        let mut runs = Vec::new();
        let head = chain(replica, start, actor, items, None, &mut |run| {
            runs.push(run);
            true
        })?;
        runs.into_iter().try_for_each(write_run)?;
        return Ok((ids, head));
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Chained>>(2);
    std::thread::scope(|scope| {
        // A system out of threads is reported, with nothing written.
        let chainer = std::thread::Builder::new()
            .spawn_scoped(scope, move || {
                chain(replica, start, actor, items, Some(known), &mut |run| {
                    sender.send(run).is_ok()
                })
            })
            .map_err(StoreError::thread_not_started)?;
        // Ends when the chainer is done or has failed; an error here drops the receiver,
        // which stops the chainer at its next run.
        receiver.into_iter().try_for_each(&mut write_run)?;
        chainer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
    .map(|head| (ids, head))
}

/// Gives each change its place in `replica`'s chain after `head` (sequence number,
/// previous id, clock) and encodes it once; hands the chained events on in runs of
/// [`CHAIN_RUN`] until `hand_on` says the writer wants no more, keying the names in each
/// run into `known` first if given. Returns the last head.
fn chain(
    replica: ReplicaId,
    mut head: ReplicaHead,
    actor: ActorId,
    items: impl Iterator<Item = (Timestamp, Payload)>,
    known: Option<&Mutex<KnownKeys>>,
    hand_on: &mut dyn FnMut(Vec<Chained>) -> bool,
) -> Result<ReplicaHead, StoreError> {
    let mut hand_on = |run: Vec<Chained>| {
        if let Some(known) = known {
            KnownKeys::learn(known, run.iter().map(|c| &c.event.payload));
        }
        hand_on(run)
    };
    let mut run = Vec::with_capacity(CHAIN_RUN);
    for (now, payload) in items {
        let event = Event {
            header: EventHeader {
                version: FORMAT_VERSION,
                replica,
                seq: head.seq + 1,
                prev: head.last,
                hlc: head.hlc.tick(now.0),
                actor,
            },
            payload,
        };
        let bytes = event.canonical_bytes().map_err(|e| StoreError::Event {
            replica: replica.to_string(),
            seq: (head.seq + 1) as i64,
            source: e,
        })?;
        let id = EventId::of(&bytes);
        head = ReplicaHead {
            seq: event.header.seq,
            last: Some(id),
            hlc: event.header.hlc,
        };
        run.push(Chained { event, bytes, id });
        // A writer that wants no more has stopped on an error, which it reports.
        if run.len() == CHAIN_RUN
            && !hand_on(std::mem::replace(&mut run, Vec::with_capacity(CHAIN_RUN)))
        {
            return Ok(head);
        }
    }
    if !run.is_empty() {
        hand_on(run);
    }
    Ok(head)
}

impl Registry {
    /// Signs, appends and applies a batch of changes as one transaction: one signature
    /// over the Merkle root of the batch's event ids (see `model::batch`). `now` of each
    /// item is the wall clock the event's hybrid logical clock advances from.
    ///
    /// If any event cannot be applied (say, a status change for an unknown place), nothing
    /// of the batch is written.
    pub fn append<I>(
        &mut self,
        actor: ActorId,
        items: I,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Vec<EventId>, StoreError>
    where
        I: IntoIterator<Item = (Timestamp, Payload)>,
        I::IntoIter: Send,
    {
        let (replica, start) = (self.replica, self.head);
        let tx = self.conn.transaction()?;
        let (ids, head) = {
            let mut state = SqlState::new(&tx, self.flush_at)?;
            let mut insert_event = tx.prepare_cached(INSERT)?;
            let known = state.known_keys();
            let (ids, head) =
                chained_in_turn(replica, start, actor, items, &known, &mut |c, n| {
                    insert(&mut insert_event, c)?;
                    apply(&c.event, &mut state).map_err(|e| StoreError::Apply(e.to_string()))?;
                    progress(n);
                    Ok(())
                })?;
            if let Some(seal) = BatchSeal::sign(replica, start.seq + 1, &ids, &self.signing_key) {
                crate::batches::insert(&tx, &seal)?;
            }
            state.flush()?;
            KnownKeys::forget(&known);
            (ids, head)
        };
        tx.commit()?;
        self.head = head;
        Ok(ids)
    }

    /// Appends one change.
    pub fn append_one(
        &mut self,
        actor: ActorId,
        now: Timestamp,
        payload: Payload,
    ) -> Result<EventId, StoreError> {
        let ids = self.append(actor, [(now, payload)], &mut |_| {})?;
        ids.into_iter()
            .next()
            .ok_or_else(|| StoreError::Apply("no event was written".into()))
    }

    pub fn event_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
