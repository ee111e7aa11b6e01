//! Cookie sessions for the web UI, with CSRF protection.
//!
//! A session is 32 random bytes sent once in the `hw_session` cookie (`HttpOnly`,
//! `SameSite=Strict`, `Secure` unless served on loopback, `Path=/`); the server keeps only
//! its BLAKE3 hash, the user, an expiry and the session's CSRF token. Every form that
//! changes something carries that token in a hidden `csrf` field, and a POST whose field
//! does not match its session's token is refused (403) before anything else happens.
//!
//! The sign-in form has no session yet: it uses a double-submit token instead — a random
//! value in a short-lived `hw_login` cookie that must come back in the form.
//!
//! Sessions live in memory: restarting the server signs everyone out.

use access::User;
use axum::http::{header, HeaderMap};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long a web session lasts without signing in again, in milliseconds.
pub const SESSION_LIFETIME_MS: i64 = 8 * 60 * 60 * 1000;
pub const SESSION_COOKIE: &str = "hw_session";
pub const LOGIN_COOKIE: &str = "hw_login";

#[derive(Clone)]
struct Entry {
    user: User,
    expires: i64,
    csrf: String,
}

/// A signed-in browser.
#[derive(Clone, Debug)]
pub struct WebSession {
    pub user: User,
    pub csrf: String,
}

#[derive(Default)]
pub struct WebSessions {
    by_hash: Mutex<HashMap<[u8; 32], Entry>>,
}

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// A fresh random token, as hex.
pub fn random_token() -> Result<String, store::StoreError> {
    let bytes = store::random_bytes::<32>()?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl WebSessions {
    /// Starts a session; returns the cookie value.
    pub fn start(&self, user: User, now_ms: i64) -> Result<String, store::StoreError> {
        let token = random_token()?;
        let csrf = random_token()?;
        let mut map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, e| e.expires > now_ms);
        map.insert(
            hash(&token),
            Entry {
                user,
                expires: now_ms + SESSION_LIFETIME_MS,
                csrf,
            },
        );
        Ok(token)
    }

    /// The session a cookie value belongs to, if valid.
    pub fn get(&self, token: &str, now_ms: i64) -> Option<WebSession> {
        let map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&hash(token))
            .filter(|e| e.expires > now_ms)
            .map(|e| WebSession {
                user: e.user.clone(),
                csrf: e.csrf.clone(),
            })
    }

    pub fn end(&self, token: &str) {
        let mut map = self.by_hash.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&hash(token));
    }
}

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value with the flags every cookie of ours carries.
pub fn set_cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use access::Role;
    use axum::http::HeaderValue;

    fn user() -> User {
        User {
            name: "a".into(),
            role: Role::Tracing,
            nationalities: vec![],
            camps: vec![],
            organisation: None,
            scope_organisations: vec![],
            actor: None,
        }
    }

    #[test]
    fn sessions_expire_end_and_carry_their_own_csrf_token() {
        let s = WebSessions::default();
        let t1 = s.start(user(), 0).unwrap();
        let t2 = s.start(user(), 0).unwrap();
        let a = s.get(&t1, 1).unwrap();
        let b = s.get(&t2, 1).unwrap();
        assert_ne!(a.csrf, b.csrf);
        assert_eq!(a.csrf.len(), 64);
        assert!(s.get(&t1, SESSION_LIFETIME_MS).is_none());
        assert!(s.get("forged", 1).is_none());
        s.end(&t2);
        assert!(s.get(&t2, 1).is_none());
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abcd", "abcd"));
        assert!(!same_token("abcd", "abce"));
        assert!(!same_token("abcd", "abc"));
        assert!(!same_token("", ""));
    }

    #[test]
    fn cookies_parse_and_carry_strict_flags() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x=1; hw_session=abc ; y=2"),
        );
        assert_eq!(cookie(&h, "hw_session"), Some("abc"));
        assert_eq!(cookie(&h, "hw_login"), None);
        let c = set_cookie("hw_session", "abc", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert!(!set_cookie("hw_session", "abc", 60, false).contains("Secure"));
    }
}
