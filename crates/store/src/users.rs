//! Stored user accounts. The store keeps them as plain records; what a role means, how a
//! password is checked and who may do what live in the `access` crate.

use crate::error::StoreError;
use crate::Registry;
use model::ids::ActorId;
use rusqlite::{params, OptionalExtension, Row};

/// One account as stored. `role`, `nationalities` and `camps` are kept as text so the
/// store needs no knowledge of the policy; the access layer parses and validates them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UserRecord {
    pub name: String,
    pub role: String,
    pub nationalities: Vec<String>,
    pub camps: Vec<String>,
    pub organisation: Option<String>,
    /// The actor id this user's events carry (None for accounts made before actors were
    /// enrolled: their changes carry the replica's own actor).
    pub actor: Option<ActorId>,
    /// Organisations the user's scope is limited to; empty means no organisation limit.
    pub scope_organisations: Vec<String>,
    pub password_hash: String,
    pub created_at: i64,
    pub failed_logins: u32,
    /// Milliseconds since the epoch; logins before then are refused.
    pub locked_until: i64,
}

fn split(text: String) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn from_row(r: &Row) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        name: r.get(0)?,
        role: r.get(1)?,
        nationalities: split(r.get(2)?),
        camps: split(r.get(3)?),
        organisation: r.get(4)?,
        password_hash: r.get(5)?,
        created_at: r.get(6)?,
        failed_logins: u32::try_from(r.get::<_, i64>(7)?).unwrap_or(u32::MAX),
        locked_until: r.get(8)?,
        actor: r
            .get::<_, Option<Vec<u8>>>(9)?
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
            .map(ActorId::from_bytes),
        scope_organisations: r
            .get::<_, String>(10)?
            .split(ORGANISATION_SEPARATOR)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

const COLUMNS: &str = "name, role, nationalities, camps, organisation, password_hash, created_at, failed_logins, locked_until, actor, scope_organisations";

/// Organisation names may hold commas; this control character cannot be typed into one.
const ORGANISATION_SEPARATOR: char = '\u{1f}';

impl Registry {
    /// Stores a new account. Refuses a name that is taken.
    pub fn add_user(&self, user: &UserRecord) -> Result<(), StoreError> {
        let taken: bool = self
            .conn
            .query_row("SELECT 1 FROM users WHERE name = ?1", [&user.name], |_| {
                Ok(true)
            })
            .optional()?
            .unwrap_or(false);
        if taken {
            return Err(StoreError::UserExists(user.name.clone()));
        }
        self.conn.execute(
            &format!("INSERT INTO users ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            params![
                user.name,
                user.role,
                user.nationalities.join(","),
                user.camps.join(","),
                user.organisation,
                user.password_hash,
                user.created_at,
                i64::from(user.failed_logins),
                user.locked_until,
                user.actor.map(|a| a.as_bytes().to_vec()),
                user.scope_organisations
                    .join(&ORGANISATION_SEPARATOR.to_string()),
            ],
        )?;
        Ok(())
    }

    pub fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM users WHERE name = ?1"),
                [name],
                from_row,
            )
            .optional()?)
    }

    /// All accounts, by name.
    pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY name"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn user_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Records the outcome of a login attempt: the failure count and lock-out time the
    /// access layer decided on.
    pub fn set_login_state(
        &self,
        name: &str,
        failed_logins: u32,
        locked_until: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE name = ?1",
            params![name, i64::from(failed_logins), locked_until],
        )?;
        Ok(())
    }
}
