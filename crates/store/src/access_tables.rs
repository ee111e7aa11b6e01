//! Tables for identities and the audit chain. They are local to one registry file and
//! never part of the event log: password hashes and lock-out counters must not travel to
//! every replica, and the audit chain records reads, which are not changes to the domain.
//!
//! Created with `IF NOT EXISTS` on every open, so registries made before these tables
//! existed gain them without a schema version bump.

use crate::error::StoreError;
use rusqlite::Connection;

const DDL: &str = r#"
CREATE TABLE IF NOT EXISTS users (
    name           TEXT PRIMARY KEY,
    role           TEXT NOT NULL,
    nationalities  TEXT NOT NULL,   -- ISO codes separated by ','
    camps          TEXT NOT NULL,   -- place ids separated by ','
    organisation   TEXT,
    password_hash  TEXT NOT NULL,   -- Argon2id PHC string
    created_at     INTEGER NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0
);

-- The audit chain: each entry holds the BLAKE3 of the one before it.
CREATE TABLE IF NOT EXISTS audit (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    interface  TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev       BLOB NOT NULL,
    hash       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_subject ON audit (subject);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"#;

pub(crate) fn ensure(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(DDL)?;
    Ok(())
}
