//! API tokens for scripts: long-lived bearer tokens an administrator issues to an
//! account, kept here as BLAKE3 hashes only. Local to one registry file like the
//! accounts they belong to (`users`), never replicated.

use crate::error::StoreError;
use crate::Registry;
use rusqlite::{params, OptionalExtension, Row};

pub(crate) const API_TOKENS_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS api_tokens (
    id         TEXT PRIMARY KEY,          -- public, shown in lists and audit entries
    user       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,      -- BLAKE3 of the whole token text
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
"#;

/// One token as stored (never the token itself).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ApiTokenRecord {
    pub id: String,
    pub user: String,
    pub hash: [u8; 32],
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, user, hash, label, created_at, expires_at, revoked_at";

fn from_row(r: &Row) -> rusqlite::Result<ApiTokenRecord> {
    let hash: Vec<u8> = r.get(2)?;
    Ok(ApiTokenRecord {
        id: r.get(0)?,
        user: r.get(1)?,
        hash: hash.try_into().unwrap_or([0; 32]),
        label: r.get(3)?,
        created_at: r.get(4)?,
        expires_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

impl Registry {
    pub fn add_api_token(&self, token: &ApiTokenRecord) -> Result<(), StoreError> {
        self.conn.execute(
            &format!("INSERT INTO api_tokens ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
            params![
                token.id,
                token.user,
                token.hash.as_slice(),
                token.label,
                token.created_at,
                token.expires_at,
                token.revoked_at,
            ],
        )?;
        Ok(())
    }

    /// The token whose text hashes to `hash`, revoked or not.
    pub fn api_token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<ApiTokenRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM api_tokens WHERE hash = ?1"))?
            .query_row([hash.as_slice()], from_row)
            .optional()?)
    }

    /// Every token, newest first.
    pub fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM api_tokens ORDER BY created_at DESC, id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks a token revoked; false if no such token or already revoked.
    pub fn revoke_api_token(&self, id: &str, at: i64) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at],
        )?;
        Ok(n == 1)
    }
}
