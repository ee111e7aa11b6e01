//! What the handlers share: the registry (behind a mutex), the access directory (rebuilt
//! when the event log grows) and the sessions.

use crate::sessions::Sessions;
use access::Directory;
use std::sync::{Arc, Mutex};
use store::{Registry, StoreError};

pub struct AppState {
    registry: Mutex<Registry>,
    directory: Mutex<Arc<Directory>>,
    pub sessions: Sessions,
    /// Small-cell threshold for counts (never below the default).
    pub threshold: u64,
}

impl AppState {
    pub fn new(registry: Registry, threshold: u64) -> Result<Self, StoreError> {
        let directory = Directory::build(&registry)?;
        Ok(Self {
            registry: Mutex::new(registry),
            directory: Mutex::new(Arc::new(directory)),
            sessions: Sessions::default(),
            threshold: threshold.max(access::suppression::DEFAULT_THRESHOLD),
        })
    }

    /// Runs `f` with the registry and a current directory. Call from a blocking thread.
    pub fn with_registry<T>(
        &self,
        f: impl FnOnce(&Registry, &Directory) -> T,
    ) -> Result<T, StoreError> {
        let reg = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        let dir = {
            let mut cached = self.directory.lock().unwrap_or_else(|e| e.into_inner());
            if cached.built_at_events != reg.log_position()? {
                *cached = Arc::new(Directory::build(&reg)?);
            }
            Arc::clone(&cached)
        };
        Ok(f(&reg, &dir))
    }
}
