//! The audit chain: who read or changed what, when, through which interface.
//!
//! Each entry's hash is BLAKE3 over its sequence number, fields and the previous entry's
//! hash, so deleting, editing or reordering any entry breaks the chain at that entry. The
//! last hash is also kept in `meta`, so cutting entries off the end is detected too.
//! Entries are never expired. An attacker holding the passphrase can rewrite the whole
//! chain consistently; anchoring the head elsewhere (a signed checkpoint sent to another
//! replica) is what defeats that, and is the sync layer's job.

use crate::error::StoreError;
use crate::Registry;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

/// What is recorded. The store takes these as given; the access layer decides them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuditInput<'a> {
    /// Milliseconds since the epoch.
    pub at: i64,
    /// A user name, or `operator` for the passphrase holder.
    pub actor: &'a str,
    /// `cli`, `api`, ...
    pub interface: &'a str,
    /// `person.read`, `person.search`, `user.add`, `login.failed`, ...
    pub action: &'a str,
    /// What was touched: `person:<id>`, `user:<name>`, ...
    pub subject: &'a str,
    pub detail: &'a str,
}

/// An entry a caller asked to record, owned while it is held back or waits in the queue.
pub(crate) struct HeldEntry {
    at: i64,
    actor: String,
    interface: String,
    action: String,
    subject: String,
    detail: String,
}

impl HeldEntry {
    pub(crate) fn of(e: &AuditInput) -> Self {
        Self {
            at: e.at,
            actor: e.actor.to_string(),
            interface: e.interface.to_string(),
            action: e.action.to_string(),
            subject: e.subject.to_string(),
            detail: e.detail.to_string(),
        }
    }

    pub(crate) fn input(&self) -> AuditInput<'_> {
        AuditInput {
            at: self.at,
            actor: &self.actor,
            interface: &self.interface,
            action: &self.action,
            subject: &self.subject,
            detail: &self.detail,
        }
    }
}

/// One stored entry.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: i64,
    pub actor: String,
    pub interface: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    #[serde(skip)]
    pub prev: [u8; 32],
    #[serde(skip)]
    pub hash: [u8; 32],
}

/// Where and why the chain is broken.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("audit entry {seq} is not intact: {reason}")]
pub struct AuditBreak {
    pub seq: u64,
    pub reason: String,
}

const GENESIS: [u8; 32] = [0; 32];

fn entry_hash(seq: u64, e: &AuditInput, prev: &[u8; 32]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"homeward-audit-v1");
    h.update(&seq.to_le_bytes());
    h.update(&e.at.to_le_bytes());
    for field in [e.actor, e.interface, e.action, e.subject, e.detail] {
        h.update(&(field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.update(prev);
    *h.finalize().as_bytes()
}

fn hash32(bytes: Vec<u8>, seq: u64) -> Result<[u8; 32], AuditBreak> {
    bytes.try_into().map_err(|_| AuditBreak {
        seq,
        reason: "a stored hash has the wrong length".into(),
    })
}

impl Registry {
    /// Appends one entry to the chain and returns its sequence number.
    pub fn audit(&self, entry: &AuditInput) -> Result<u64, StoreError> {
        self.audit_batch(std::slice::from_ref(entry))
    }

    /// Appends entries in one transaction (a search that shows twenty persons is twenty
    /// entries, one write). Returns the last sequence number once they are committed.
    ///
    /// Inside a [`crate::SharedRegistry::read`] the entries are instead held back, and
    /// this returns 0: that read commits them (group commit) after it lets go of the
    /// registry, and fails rather than return its answer if they cannot be written.
    pub fn audit_batch(&self, entries: &[AuditInput]) -> Result<u64, StoreError> {
        if let Some(held) = self.held_audit.borrow_mut().as_mut() {
            held.extend(entries.iter().map(HeldEntry::of));
            return Ok(0);
        }
        self.append_audit(entries)
    }

    /// Runs `f` with every audit entry it writes held back, and returns them with `f`'s
    /// result. The caller must commit them before it uses the result.
    pub(crate) fn holding_audit<T>(&self, f: impl FnOnce(&Self) -> T) -> (T, Vec<HeldEntry>) {
        *self.held_audit.borrow_mut() = Some(Vec::new());
        // Taken back even if `f` panics, so the registry never stays in holding mode.
        struct Release<'r>(&'r Registry);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.held_audit.borrow_mut().take();
            }
        }
        let release = Release(self);
        let out = f(self);
        let held = self.held_audit.borrow_mut().take().unwrap_or_default();
        drop(release);
        (out, held)
    }

    /// Appends entries on this registry's own connection. The transaction takes the
    /// write lock before reading the chain's head, so a writer in another process
    /// cannot extend the chain in between.
    fn append_audit(&self, entries: &[AuditInput]) -> Result<u64, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let last: Option<(i64, Vec<u8>)> = tx
            .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (mut seq, mut prev) = match last {
            Some((seq, hash)) => (
                seq as u64,
                <[u8; 32]>::try_from(hash)
                    .map_err(|_| StoreError::Corrupt("audit hash has the wrong length".into()))?,
            ),
            None => (0, GENESIS),
        };
        for entry in entries {
            seq += 1;
            let hash = entry_hash(seq, entry, &prev);
            tx.prepare_cached(
                "INSERT INTO audit (seq, at, actor, interface, action, subject, detail, prev, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                seq as i64,
                entry.at,
                entry.actor,
                entry.interface,
                entry.action,
                entry.subject,
                entry.detail,
                prev.as_slice(),
                hash.as_slice(),
            ])?;
            prev = hash;
        }
        tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?1)")?
            .execute([prev.as_slice()])?;
        tx.commit()?;
        Ok(seq)
    }

    /// Entries about `subject` (e.g. `person:<id>`), oldest first: who looked at a person.
    pub fn audit_for(&self, subject: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_query("WHERE subject = ?1", subject)
    }

    /// The last `limit` entries, oldest first.
    pub fn audit_tail(&self, limit: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let mut all = self.audit_query(
            "WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM audit) - CAST(?1 AS INTEGER)",
            &limit.to_string(),
        )?;
        all.sort_by_key(|e| e.seq);
        Ok(all)
    }

    fn audit_query(&self, filter: &str, arg: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT seq, at, actor, interface, action, subject, detail, prev, hash FROM audit {filter} ORDER BY seq"
        ))?;
        let rows = stmt.query_map([arg], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Vec<u8>>(7)?,
                r.get::<_, Vec<u8>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, actor, interface, action, subject, detail, prev, hash) = row?;
            let seq = seq as u64;
            let corrupt = |b: AuditBreak| StoreError::Corrupt(b.to_string());
            out.push(AuditEntry {
                seq,
                at,
                actor,
                interface,
                action,
                subject,
                detail,
                prev: hash32(prev, seq).map_err(corrupt)?,
                hash: hash32(hash, seq).map_err(corrupt)?,
            });
        }
        Ok(out)
    }

    /// Walks the whole chain. `Ok(n)` with the number of entries when intact; otherwise
    /// the first entry that does not follow from the one before it.
    pub fn audit_verify(&self) -> Result<Result<u64, AuditBreak>, StoreError> {
        let entries = self.audit_query("WHERE ?1 = ?1", "")?;
        let mut prev = GENESIS;
        let mut expected_seq = 1u64;
        for e in &entries {
            if e.seq != expected_seq {
                return Ok(Err(AuditBreak {
                    seq: expected_seq,
                    reason: format!(
                        "it is missing (the chain jumps to entry {}): deleted or renumbered",
                        e.seq
                    ),
                }));
            }
            if e.prev != prev {
                return Ok(Err(AuditBreak {
                    seq: e.seq,
                    reason:
                        "it does not follow from the entry before it (deleted, edited or reordered)"
                            .into(),
                }));
            }
            let input = AuditInput {
                at: e.at,
                actor: &e.actor,
                interface: &e.interface,
                action: &e.action,
                subject: &e.subject,
                detail: &e.detail,
            };
            if entry_hash(e.seq, &input, &e.prev) != e.hash {
                return Ok(Err(AuditBreak {
                    seq: e.seq,
                    reason: "its content was changed after it was written".into(),
                }));
            }
            prev = e.hash;
            expected_seq += 1;
        }
        let head: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let last_seq = expected_seq - 1;
        match head {
            None if entries.is_empty() => {}
            Some(h) if h.as_slice() == prev.as_slice() => {}
            _ => {
                return Ok(Err(AuditBreak {
                    seq: last_seq + 1,
                    reason: format!(
                        "the chain ends at entry {last_seq}, but the registry recorded a later head: entries were cut off the end"
                    ),
                }))
            }
        }
        Ok(Ok(entries.len() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(at: i64, subject: &'a str) -> AuditInput<'a> {
        AuditInput {
            at,
            actor: "alice",
            interface: "api",
            action: "person.read",
            subject,
            detail: "",
        }
    }

    #[test]
    fn hash_covers_every_field_and_the_link() {
        let base = entry_hash(1, &input(5, "person:x"), &GENESIS);
        assert_ne!(base, entry_hash(2, &input(5, "person:x"), &GENESIS));
        assert_ne!(base, entry_hash(1, &input(6, "person:x"), &GENESIS));
        assert_ne!(base, entry_hash(1, &input(5, "person:y"), &GENESIS));
        assert_ne!(base, entry_hash(1, &input(5, "person:x"), &[1; 32]));
        // Field boundaries are length-prefixed: moving a character between fields changes it.
        let mut shifted = input(5, "person:x");
        shifted.actor = "alic";
        shifted.interface = "eapi";
        assert_ne!(base, entry_hash(1, &shifted, &GENESIS));
    }
}
