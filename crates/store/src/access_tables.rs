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
    actor          BLOB,            -- the ActorId this user's events carry
    scope_organisations TEXT NOT NULL DEFAULT '',  -- organisation names separated by '\x1f'
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

/// Columns added to `users` after it was first shipped, with their definitions.
const LATER_USER_COLUMNS: [(&str, &str); 2] = [
    ("actor", "BLOB"),
    ("scope_organisations", "TEXT NOT NULL DEFAULT ''"),
];

pub(crate) fn ensure(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(DDL)?;
    conn.execute_batch(crate::api_tokens::API_TOKENS_DDL)?;
    let existing: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('users')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for (column, definition) in LATER_USER_COLUMNS {
        if !existing.iter().any(|c| c == column) {
            conn.execute_batch(&format!(
                "ALTER TABLE users ADD COLUMN {column} {definition}"
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_users_table_gains_the_later_columns_and_keeps_its_rows() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, nationalities TEXT NOT NULL,
             camps TEXT NOT NULL, organisation TEXT, password_hash TEXT NOT NULL,
             created_at INTEGER NOT NULL, failed_logins INTEGER NOT NULL DEFAULT 0,
             locked_until INTEGER NOT NULL DEFAULT 0);
             INSERT INTO users (name, role, nationalities, camps, password_hash, created_at)
             VALUES ('old.admin', 'admin', '', '', 'x', 0);",
        )
        .unwrap();
        ensure(&conn).unwrap();
        ensure(&conn).unwrap();
        let (actor, scope): (Option<Vec<u8>>, String) = conn
            .query_row(
                "SELECT actor, scope_organisations FROM users WHERE name = 'old.admin'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((actor, scope.as_str()), (None, ""));
    }
}
