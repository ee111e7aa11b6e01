//! Bearer tokens. A token is 32 random bytes shown once; the server keeps only its
//! BLAKE3 hash, with the user and an expiry. Tokens live in memory: restarting the
//! server signs everyone out, which is the safe direction.

use access::User;
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a token is valid, in milliseconds.
pub const TOKEN_LIFETIME_MS: i64 = 8 * 60 * 60 * 1000;

#[derive(Default)]
pub struct Sessions {
    by_hash: Mutex<HashMap<[u8; 32], (User, i64)>>,
}

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

impl Sessions {
    /// Starts a session and returns its token.
    pub fn start(&self, user: User, now_ms: i64) -> Result<String, store::StoreError> {
        let bytes = store::random_bytes::<32>()?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, exp)| *exp > now_ms);
        map.insert(hash(&token), (user, now_ms + TOKEN_LIFETIME_MS));
        Ok(token)
    }

    /// The user of a valid token.
    pub fn user(&self, token: &str, now_ms: i64) -> Option<User> {
        let map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&hash(token))
            .filter(|(_, exp)| *exp > now_ms)
            .map(|(u, _)| u.clone())
    }

    pub fn end(&self, token: &str) {
        let mut map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&hash(token));
    }
}
