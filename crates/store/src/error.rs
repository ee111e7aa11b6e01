use model::event::EventError;
use std::path::PathBuf;

/// What can go wrong with a registry file. Messages say what happened and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} already exists; refusing to overwrite it. Choose another path with --registry, or move the file away", .0.display())]
    AlreadyExists(PathBuf),
    #[error("no registry at {}. Create one with `homeward init` (or `homeward demo`), or point --registry / HOMEWARD_REGISTRY at an existing file", .0.display())]
    NotFound(PathBuf),
    #[error("cannot open {}: the passphrase is wrong, or the file is not a Homeward registry. Check HOMEWARD_PASSPHRASE or --passphrase-file", .0.display())]
    WrongPassphraseOrNotRegistry(PathBuf),
    #[error("{} is a plain, unencrypted SQLite database, not a Homeward registry", .0.display())]
    PlainSqlite(PathBuf),
    #[error("{} is damaged or truncated ({detail}). Restore it from a backup or a replica; nothing was changed", .path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error("{} was written by a newer version of Homeward (registry schema {found}, this program reads up to {supported}). Upgrade homeward", .path.display())]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the passphrase is empty; choose a passphrase of at least 8 characters")]
    WeakPassphrase,
    #[error("could not get randomness from the operating system: {0}")]
    Randomness(String),
    #[error("key derivation failed: {0}")]
    Kdf(String),
    #[error("event {seq} of replica {replica} is invalid: {source}")]
    Event {
        replica: String,
        seq: i64,
        source: EventError,
    },
    #[error("the log of replica {replica} does not match its signatures: {detail}. The registry was altered or damaged; restore it from a backup or a replica (nothing was changed)")]
    LogTampered { replica: String, detail: String },
    #[error("the projection could not apply an event: {0}")]
    Apply(String),
    #[error("stored record could not be decoded ({0}); run `homeward admin rebuild`")]
    Corrupt(String),
    #[error("sealing failed: {0}")]
    Seal(String),
    #[error("a user named '{0}' already exists; choose another name")]
    UserExists(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the audit entry could not be written ({0}), so nothing was shown. Check that the registry's disk has room and the file is writable, then try again")]
    AuditNotWritten(String),
}

impl StoreError {
    /// The system would not start a thread an append needs (nothing was written).
    pub(crate) fn thread_not_started(e: std::io::Error) -> Self {
        Self::Io(std::io::Error::new(
            e.kind(),
            format!("could not start a thread for writing ({e}); nothing was written. Close other programs and try again"),
        ))
    }
}
