//! One registry shared by the threads of a server: the connection behind a lock, held
//! only for the queries themselves, and the audit entries of concurrent reads
//! group-committed ([`crate::audit_queue`]).
//!
//! Every read a user makes writes an audit entry. Written in a transaction of its own
//! under the lock, each read holds the lock for a commit, and a busy server queues on
//! those commits. [`SharedRegistry::read`] instead holds the read's entries back, lets go
//! of the lock, and then hands them to the queue, which appends the entries of every read
//! waiting at that moment in one transaction; the read returns only once its entries are
//! committed, and fails (its answer dropped) if they could not be written.
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
use std::sync::{Arc, Mutex, MutexGuard};

/// See the module doc.
pub struct SharedRegistry {
    registry: Arc<Mutex<Registry>>,
    audit: AuditQueue,
}

fn lock(m: &Mutex<Registry>) -> MutexGuard<'_, Registry> {
    // Every change is a transaction: a panic while holding the lock leaves the file as
    // SQLite keeps it, so carry on rather than fail every later request.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SharedRegistry {
    pub fn new(registry: Registry) -> Self {
        let registry = Arc::new(Mutex::new(registry));
        let r = Arc::clone(&registry);
        Self {
            registry,
            audit: AuditQueue::new(move |batch| lock(&r).audit_batch(batch)),
        }
    }

    /// Runs a read `f` under the lock, then commits the audit entries it wrote (with
    /// those of concurrent reads) and only then returns its result; if they cannot be
    /// written, returns [`StoreError::AuditNotWritten`] and drops the result. Blocks;
    /// call from a blocking thread, and never from inside another `read` or `write`.
    pub fn read<T>(&self, f: impl FnOnce(&Registry) -> T) -> Result<T, StoreError> {
        let (out, held) = lock(&self.registry).holding_audit(f);
        if !held.is_empty() {
            self.audit.append(held)?;
        }
        Ok(out)
    }

    /// Runs a change `f` under the lock; its audit entries are written at once, in order
    /// with its events.
    pub fn write<T>(&self, f: impl FnOnce(&mut Registry) -> T) -> T {
        f(&mut lock(&self.registry))
    }
}
