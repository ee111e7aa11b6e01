//! One registry shared by the threads of a server: the connection behind a lock, held
//! only for the queries themselves, and the audit entries of concurrent reads
//! group-committed ([`crate::audit_queue`]).
//!
//! Every read a user makes writes an audit entry. Written in a transaction of its own
//! under the lock, each read holds the lock for a commit, and a busy server queues on
//! those commits. [`SharedRegistry::read`] instead holds the read's entries back and
//! queues them; if another request is waiting for the registry, it leaves them to that
//! one and lets go. Whoever holds the registry commits everything queued in one
//! transaction once the oldest entries have waited [`MAX_AUDIT_WAIT`], or at once when
//! nobody else is waiting — so entries are committed within one more hold of the lock,
//! and no request takes the lock only to commit. A read returns only once its entries
//! are committed, and fails (its answer dropped) if they could not be written.
//!
//! Why one connection and not a pool of read-only ones: in WAL mode SQLite discards a
//! connection's whole page cache when it starts a read after another connection has
//! committed, and every read here commits (its audit entry). Read-only connections
//! therefore start nearly every read cold, and with SQLCipher each page read again is
//! decrypted and its HMAC checked again: measured on the full demo, a person read cost
//! twice the CPU time on four read-only connections as on one shared connection, and a
//! search twice as much too (`docs/access.md`, "Load").

use crate::audit_queue::AuditQueue;
use crate::error::StoreError;
use crate::Registry;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How long queued audit entries may wait for a later holder of the registry to commit
/// them with its own: long enough to gather the entries of several person reads (tens
/// of microseconds each), short beside a request's latency.
pub const MAX_AUDIT_WAIT: Duration = Duration::from_micros(200);

/// See the module doc.
pub struct SharedRegistry {
    registry: Mutex<Registry>,
    /// Requests waiting for the lock: the one after this holder commits what it queues.
    waiting: AtomicUsize,
    audit: AuditQueue,
}

impl SharedRegistry {
    pub fn new(registry: Registry) -> Self {
        Self {
            registry: Mutex::new(registry),
            waiting: AtomicUsize::new(0),
            audit: AuditQueue::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        // Every change is a transaction: a panic while holding the lock leaves the file
        // as SQLite keeps it, so carry on rather than fail every later request.
        let guard = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        guard
    }

    /// Commits the queued audit entries if they are due (or `now`), on `reg`, which the
    /// caller holds.
    fn commit_due(&self, reg: &Registry, now: bool) {
        if let Some(batch) = self.audit.take_due(now, MAX_AUDIT_WAIT) {
            self.audit.commit(batch, |entries| reg.audit_batch(entries));
        }
    }

    /// Runs a read `f` under the lock and returns its result once the audit entries it
    /// wrote are committed (see the module doc); if they cannot be written, returns
    /// [`StoreError::AuditNotWritten`] and drops the result. Blocks; call from a blocking
    /// thread, and never from inside another `read` or `write`.
    pub fn read<T>(&self, f: impl FnOnce(&Registry) -> T) -> Result<T, StoreError> {
        let reg = self.lock();
        let (out, held) = reg.holding_audit(f);
        let ticket = (!held.is_empty()).then(|| self.audit.enqueue(held));
        let handed_on = self.waiting.load(Ordering::SeqCst) > 0;
        self.commit_due(&reg, !handed_on);
        drop(reg);
        if let Some(ticket) = ticket {
            self.audit.wait(ticket)?;
        }
        Ok(out)
    }

    /// Runs a change `f` under the lock; its audit entries are written at once, in order
    /// with its events, and the reads' entries queued before it are committed after it.
    pub fn write<T>(&self, f: impl FnOnce(&mut Registry) -> T) -> T {
        let mut reg = self.lock();
        let out = f(&mut reg);
        self.commit_due(&reg, true);
        out
    }
}
