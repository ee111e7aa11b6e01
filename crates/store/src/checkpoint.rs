//! Checkpoints on a thread of their own.
//!
//! In WAL mode a commit appends its pages to the log, and SQLite by default copies the log
//! back into the registry file (a checkpoint) inside the commit that takes the log past
//! 1,000 pages: that write waits for every page of the log to be copied and synced — a
//! fifth to a quarter of a crisis on Al-Hol. Here such a commit only nudges a thread that
//! checkpoints on a second connection of its own while the caller goes on; SQLite runs a
//! passive checkpoint alongside a writer and its readers.
//!
//! What a commit promises is unchanged: it is in the log, read by every connection, and
//! survives a crash of the program; with `synchronous = NORMAL` the log was not synced at
//! commit before either. If the thread cannot run (its connection would not open), a
//! commit past the threshold checkpoints itself, as SQLite would.

use crate::error::StoreError;
use crate::keying::{reconnect, RawKey};
use rusqlite::hooks::Wal;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;

/// Pages in the log after which a commit asks for a checkpoint: SQLite's own default.
const LOG_PAGES: i32 = 1000;

enum Nudge {
    Checkpoint,
    /// Checkpoint, then answer.
    Settle(SyncSender<()>),
    Stop,
}

/// The thread, with the way to nudge it. Dropping it stops the thread; the registry's
/// own connection, closed last, makes the final checkpoint.
pub(crate) struct Checkpointer {
    nudge: SyncSender<Nudge>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread and has `conn`'s commits nudge it in place of SQLite's automatic
    /// checkpoint. The thread opens its connection with `key` at its first checkpoint.
    pub(crate) fn start(
        conn: &mut Connection,
        path: PathBuf,
        key: RawKey,
    ) -> Result<Self, StoreError> {
        Self::start_past(conn, path, key, LOG_PAGES)
    }

    /// [`Checkpointer::start`] with a log of `log_pages` pages asking for a checkpoint.
    fn start_past(
        conn: &mut Connection,
        path: PathBuf,
        key: RawKey,
        log_pages: i32,
    ) -> Result<Self, StoreError> {
        let (nudge, nudged) = sync_channel(2);
        let thread = std::thread::Builder::new()
            .name("registry checkpoint".into())
            .spawn(move || checkpoint_when_nudged(&nudged, &path, key))?;
        let from_commits = nudge.clone();
        conn.wal_hook(Some(move |wal: &mut Wal, pages: i32| {
            if pages < log_pages {
                return Ok(());
            }
            match from_commits.try_send(Nudge::Checkpoint) {
                // A passive checkpoint, as SQLite's automatic one.
                Err(TrySendError::Disconnected(_)) => wal.checkpoint(),
                // Full: a checkpoint is already asked for, and will copy this commit too.
                Ok(()) | Err(TrySendError::Full(_)) => Ok(()),
            }
        }))?;
        Ok(Self {
            nudge,
            thread: Some(thread),
        })
    }

    /// Returns once a checkpoint asked for now has run (or the thread is gone).
    pub(crate) fn settle(&self) {
        let (done, wait) = sync_channel(1);
        if self.nudge.send(Nudge::Settle(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let _ = self.nudge.send(Nudge::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: a failed checkpoint is left for the next nudge (the pages stay in the log,
/// nothing is lost); a connection that will not open ends the thread, and commits then
/// checkpoint themselves.
fn checkpoint_when_nudged(nudged: &Receiver<Nudge>, path: &std::path::Path, key: RawKey) {
    let mut key = Some(key);
    let mut conn: Option<Connection> = None;
    for nudge in nudged {
        let done = match nudge {
            Nudge::Stop => return,
            Nudge::Checkpoint => None,
            Nudge::Settle(done) => Some(done),
        };
        if conn.is_none() {
            // Opened at the first nudge; the key is not kept once it has served.
            conn = key.take().and_then(|k| open_to_checkpoint(path, &k).ok());
        }
        let Some(conn) = &conn else { return };
        checkpoint(conn);
        if let Some(done) = done {
            let _ = done.send(());
        }
    }
}

/// Attempts at copying the whole log before leaving the rest to the next nudge.
const ATTEMPTS: u32 = 6;

/// A passive checkpoint, tried again a few times while it could not copy the whole log:
/// a read that began before the last commit holds back the frames after its snapshot,
/// and reads are short. A failure or a long read leaves the rest to the next nudge.
fn checkpoint(conn: &Connection) {
    for attempt in 0..ATTEMPTS {
        let copied = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok(r.get::<_, i64>(2)? >= r.get::<_, i64>(1)?)
        });
        if let Ok(true) = copied {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2 << attempt));
    }
}

/// The thread's connection, with page 1 read to prove the key.
fn open_to_checkpoint(path: &std::path::Path, key: &RawKey) -> Result<Connection, StoreError> {
    let conn = reconnect(path, key)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keying::create_encrypted;
    use std::path::Path;

    /// Whether every page of the database is in the file itself, none only in the log.
    fn all_in_file(conn: &Connection, path: &Path) -> bool {
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        // SQLCipher answers the page size as text.
        let size: i64 = conn
            .query_row("PRAGMA cipher_page_size", [], |r| r.get::<_, String>(0))
            .unwrap()
            .parse()
            .unwrap();
        std::fs::metadata(path).map_or(0, |m| m.len()) >= (pages * size) as u64
    }

    fn write_a_megabyte(conn: &Connection) {
        conn.execute_batch("CREATE TABLE IF NOT EXISTS t (b BLOB)")
            .unwrap();
        conn.execute("INSERT INTO t VALUES (randomblob(1048576))", [])
            .unwrap();
    }

    #[test]
    fn a_commit_past_the_threshold_is_copied_into_the_file_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let (mut conn, key) = create_encrypted(&path, "pass").unwrap();
        let _checkpoints = Checkpointer::start_past(&mut conn, path.clone(), key, 1).unwrap();
        write_a_megabyte(&conn);
        // The thread works on its own: no call waits for it, so look until it has.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !all_in_file(&conn, &path) {
            assert!(std::time::Instant::now() < deadline, "no checkpoint ran");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn below_the_threshold_the_log_waits_and_settle_copies_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let (mut conn, key) = create_encrypted(&path, "pass").unwrap();
        let checkpoints = Checkpointer::start(&mut conn, path.clone(), key).unwrap();
        write_a_megabyte(&conn);
        assert!(!all_in_file(&conn, &path));
        checkpoints.settle();
        assert!(all_in_file(&conn, &path));
    }

    #[test]
    fn when_the_thread_cannot_open_the_file_commits_checkpoint_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let (mut conn, key) = create_encrypted(&path, "pass").unwrap();
        let elsewhere = dir.path().join("missing").join("r.db");
        let checkpoints = Checkpointer::start_past(&mut conn, elsewhere, key, 1).unwrap();
        // The thread tries to open its connection, fails and ends.
        checkpoints.settle();
        write_a_megabyte(&conn);
        assert!(
            all_in_file(&conn, &path),
            "the commit left its pages in the log"
        );
    }

    #[test]
    fn the_thread_opens_a_file_of_an_older_format_in_that_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let new = crate::Registry::create(&path, "pass").unwrap();
        let old = dir.path().join("old.db");
        let sha512 = crate::keying::PageFormat {
            page_size: 16 * 1024,
            hmac: crate::keying::PageHmac::Sha512,
        };
        crate::keying::export_in_format(&new.conn, &path, "pass", &old, sha512).unwrap();
        drop(new);
        let reg = crate::Registry::open(&old, "pass").unwrap();
        write_a_megabyte(&reg.conn);
        assert!(!all_in_file(&reg.conn, &old));
        reg.checkpointer.settle();
        assert!(
            all_in_file(&reg.conn, &old),
            "the thread could not open the file in its own format"
        );
    }

    #[test]
    fn a_registry_closed_leaves_no_log_and_opens_with_everything_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        {
            let reg = crate::Registry::create(&path, "pass").unwrap();
            write_a_megabyte(&reg.conn);
            reg.checkpointer.settle();
            write_a_megabyte(&reg.conn);
        }
        assert!(!Path::new(&wal).exists(), "the log outlived the registry");
        let reg = crate::Registry::open(&path, "pass").unwrap();
        let rows: i64 = reg
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }
}
