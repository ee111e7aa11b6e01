//! The registry on disk: one SQLite file encrypted with SQLCipher, holding the append-only
//! event log and the projection tables derived from it.
//!
//! Every write is one transaction: events are signed, appended and folded into the
//! projections together, or not at all. Projections can always be thrown away and rebuilt
//! from the log ([`Registry::rebuild`]); the log is the truth.

mod access_tables;
mod actors;
mod api_tokens;
mod audit;
mod audit_queue;
mod batches;
mod camps;
mod cases;
mod cells;
mod checkpoint;
mod codec;
mod consent;
mod crisis;
mod duplicates;
mod error;
mod keying;
mod log;
mod merge_records;
mod merges;
mod over_time;
mod person_rows;
mod query;
mod rebuild;
mod schema;
mod seal;
mod search;
mod settings;
mod shared;
mod state;
mod statements;
mod upgrades;
mod users;
mod view_parts;

pub use api_tokens::ApiTokenRecord;
pub use audit::{AuditBreak, AuditEntry, AuditInput};
pub use cases::{CaseCount, CaseFilter};
pub use cells::{PersonCell, ScopedPerson};
pub use crisis::{CampCrisis, TaskFilter, TaskRow, TREND_DAYS};
pub use duplicates::{BlockedPair, CandidateCounts, QueueItem};
pub use error::StoreError;
pub use merges::MergedInto;
pub use over_time::PeriodCounts;
pub use query::{PersonFilter, StatsDimension, StatsRow, TimelineEntry};
pub use seal::RegistrySealer;
pub use search::query::{ParsedQuery, SearchFilters};
pub use search::{SearchHit, Why, RANK_MAX};
pub use shared::SharedRegistry;
pub use users::UserRecord;

use ed25519_dalek::SigningKey;
use model::ids::{ActorId, EventId, ReplicaId};
use model::time::Hlc;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// An open registry. Holds the connection, this replica's identity and signing key.
pub struct Registry {
    /// Declared before `conn` so that it stops first: the connection, closed last, makes
    /// the final checkpoint.
    checkpointer: checkpoint::Checkpointer,
    conn: Connection,
    path: PathBuf,
    replica: ReplicaId,
    signing_key: SigningKey,
    sealer: RegistrySealer,
    head: log::ReplicaHead,
    /// Dirty persons a batch keeps in memory before writing them (see `state`).
    flush_at: usize,
    /// Audit entries held back during a shared read (see `shared`), committed by the
    /// caller before it answers; `None`: entries are written at once.
    held_audit: std::cell::RefCell<Option<Vec<audit::HeldEntry>>>,
}

/// Fresh randomness from the operating system, for keys and ids.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Randomness(e.to_string()))?;
    Ok(buf)
}

/// A fresh random 128-bit value for an id.
pub fn random_u128() -> Result<u128, StoreError> {
    Ok(u128::from_le_bytes(random_bytes::<16>()?))
}

impl Registry {
    /// Creates a new, empty registry at `path`. Refuses to touch an existing file.
    pub fn create(path: &Path, passphrase: &str) -> Result<Self, StoreError> {
        let (mut conn, key) = keying::create_encrypted(path, passphrase)?;
        schema::create(&conn)?;
        access_tables::ensure(&conn)?;
        let (replica, signing_key, sealer) = schema::create_identity(&conn)?;
        Ok(Self {
            checkpointer: checkpoint::Checkpointer::start(&mut conn, path.to_path_buf(), key)?,
            conn,
            path: path.to_path_buf(),
            replica,
            signing_key,
            sealer,
            head: log::ReplicaHead::default(),
            flush_at: state::FLUSH_AT,
            held_audit: Default::default(),
        })
    }

    /// Opens an existing registry. A wrong passphrase, a file that is not a registry, a
    /// damaged file or one from a newer version each give their own error and change nothing.
    pub fn open(path: &Path, passphrase: &str) -> Result<Self, StoreError> {
        let (mut conn, key) = keying::open_encrypted(path, passphrase)?;
        schema::check(&conn, path)?;
        access_tables::ensure(&conn)?;
        let (replica, signing_key, sealer) = schema::load_identity(&conn)?;
        let head = log::ReplicaHead::load(&conn, replica)?;
        Ok(Self {
            checkpointer: checkpoint::Checkpointer::start(&mut conn, path.to_path_buf(), key)?,
            conn,
            path: path.to_path_buf(),
            replica,
            signing_key,
            sealer,
            head,
            flush_at: state::FLUSH_AT,
            held_audit: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn replica(&self) -> ReplicaId {
        self.replica
    }

    /// Seals values (sources, medical detail) for this registry.
    pub fn sealer(&self) -> &RegistrySealer {
        &self.sealer
    }

    /// The id of the last event this replica wrote, and its sequence number.
    pub fn head(&self) -> (u64, Option<EventId>, Hlc) {
        (self.head.seq, self.head.last, self.head.hlc)
    }

    /// The key this replica's batch signatures verify with.
    pub fn verifying_key(&self) -> ed25519_dalek::VerifyingKey {
        self.signing_key.verifying_key()
    }

    /// The actor id used for events written by this replica's local operator until users
    /// exist (the access layer replaces it with the signed-in user).
    pub fn local_actor(&self) -> ActorId {
        ActorId(self.replica.0)
    }

    /// Returns once the log has been copied into the registry file as far as readers
    /// allow (for tests and benchmarks that look at the file).
    #[doc(hidden)]
    pub fn settle_checkpoints(&self) {
        self.checkpointer.settle();
    }
}

/// Raw access for tests that play an attacker who holds the passphrase.
#[doc(hidden)]
pub mod testing {
    use crate::error::StoreError;
    use std::path::Path;

    pub fn raw_execute(path: &Path, passphrase: &str, sql: &str) -> Result<(), StoreError> {
        let (conn, _) = crate::keying::open_encrypted(path, passphrase)?;
        conn.execute_batch(sql)?;
        Ok(())
    }

    pub use crate::keying::{PageFormat, PageHmac};

    /// Copies the registry at `path` into `dest` in `format`, as registries made in older
    /// formats are.
    pub fn export_in_format(
        path: &Path,
        passphrase: &str,
        dest: &Path,
        format: PageFormat,
    ) -> Result<(), StoreError> {
        let (conn, _) = crate::keying::open_encrypted(path, passphrase)?;
        crate::keying::export_in_format(&conn, path, passphrase, dest, format)
    }

    /// The decrypted connection itself, for tests that must read, compute and write.
    pub fn raw_connection(
        path: &Path,
        passphrase: &str,
    ) -> Result<rusqlite::Connection, StoreError> {
        Ok(crate::keying::open_encrypted(path, passphrase)?.0)
    }
}
