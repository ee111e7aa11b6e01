//! What the handlers share: the registry (a [`SharedRegistry`]: one connection behind a
//! lock held only for the queries, the audit entries of concurrent reads group-committed),
//! the access directory (rebuilt when the event log grows) and the sessions.

use crate::sessions::Sessions;
use crate::web::session::WebSessions;
use access::{identity, Directory};
use std::sync::{Arc, Mutex};
use store::{Registry, SharedRegistry, StoreError};

pub struct AppState {
    registry: SharedRegistry,
    directory: Mutex<Arc<Directory>>,
    pub sessions: Sessions,
    /// Cookie sessions of the web UI, each with its CSRF token.
    pub web_sessions: WebSessions,
    /// Mark session cookies `Secure` (browsers then send them over HTTPS only). Off only
    /// when serving on a loopback address, where there is no TLS and no network.
    pub secure_cookies: bool,
    /// Small-cell threshold for counts (never below the default).
    pub threshold: u64,
}

impl AppState {
    pub fn new(registry: Registry, threshold: u64) -> Result<Self, StoreError> {
        let directory = Directory::build(&registry)?;
        Ok(Self {
            registry: SharedRegistry::new(registry),
            directory: Mutex::new(Arc::new(directory)),
            sessions: Sessions::default(),
            web_sessions: WebSessions::default(),
            secure_cookies: true,
            threshold: threshold.max(access::suppression::DEFAULT_THRESHOLD),
        })
    }

    /// Runs a read `f` with the registry and a current directory. The audit entries `f`
    /// writes are committed (with those of concurrent reads) after the registry is let go
    /// and before this returns; if they cannot be written this fails and `f`'s answer is
    /// dropped. Call from a blocking thread.
    pub fn with_registry<T>(
        &self,
        f: impl FnOnce(&Registry, &Directory) -> T,
    ) -> Result<T, StoreError> {
        self.registry.read(|reg| {
            let dir = self.directory_of(reg)?;
            Ok(f(reg, &dir))
        })?
    }

    /// Like [`Self::with_registry`], for a change (an append needs the registry mutably);
    /// its audit entries are written at once. The directory is current before the change
    /// and rebuilt at the next call after it.
    pub fn with_registry_mut<T>(
        &self,
        f: impl FnOnce(&mut Registry, &Directory) -> T,
    ) -> Result<T, StoreError> {
        self.registry.write(|reg| {
            let dir = self.directory_of(reg)?;
            Ok(f(reg, &dir))
        })
    }

    /// Signs a user in. The password's Argon2 check runs without the registry, so a
    /// sign-in does not stall every other request for the length of a hash; the
    /// lock-out count is read again and settled after it. Call from a blocking thread.
    pub fn login(
        &self,
        name: &str,
        password: &str,
        interface: &str,
        now_ms: i64,
    ) -> Result<Result<access::User, access::AccessError>, StoreError> {
        let record = match self.with_registry(|reg, _| identity::login_record(reg, name))? {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        let matched = identity::password_matches(record.as_ref(), password);
        self.with_registry(|reg, _| identity::settle_login(reg, name, matched, interface, now_ms))
    }

    /// The directory as of the registry's log position, rebuilt if the log grew.
    fn directory_of(&self, reg: &Registry) -> Result<Arc<Directory>, StoreError> {
        let mut cached = self.directory.lock().unwrap_or_else(|e| e.into_inner());
        if cached.built_at_events != reg.log_position()? {
            *cached = Arc::new(Directory::build(reg)?);
        }
        Ok(Arc::clone(&cached))
    }
}
