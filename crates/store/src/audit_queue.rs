//! Group commit of audit entries: the entries of concurrent requests appended to the
//! chain in one transaction.
//!
//! Every read a server answers is audited first, and each audit append is a small
//! transaction on the one writing connection; committed one by one, those transactions
//! are what a busy server queues on. Here a caller puts its entries in the queue and
//! waits: if no commit is under way it becomes the leader and commits everything queued
//! (its own entries and those of every caller that arrived meanwhile) in one transaction;
//! otherwise it waits for the leader of its batch. Either way [`AuditQueue::append`]
//! returns only once the caller's entries are committed, or with
//! [`StoreError::AuditNotWritten`] if their transaction failed — so "the audit entry is
//! written before the answer" holds for each caller exactly as with a transaction of its
//! own. Entries of one caller stay together and in order; the chain is extended by one
//! writer at a time, so it stays intact.

use crate::audit::AuditInput;
use crate::error::StoreError;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Appends a batch to the chain in one transaction and returns the last sequence number.
type Commit = dyn Fn(&[AuditInput]) -> Result<u64, StoreError> + Send + Sync;

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

    fn input(&self) -> AuditInput<'_> {
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

/// A caller's outcome: its last sequence number, or why its batch was not written.
type Outcome = Result<u64, String>;

#[derive(Default)]
struct State {
    next_ticket: u64,
    waiting: Vec<(u64, Vec<HeldEntry>)>,
    committing: bool,
    outcomes: HashMap<u64, Outcome>,
}

/// See the module doc.
pub(crate) struct AuditQueue {
    state: Mutex<State>,
    done: Condvar,
    commit: Box<Commit>,
}

impl AuditQueue {
    /// A queue whose batches are written by `commit` (for a server: the writing
    /// connection's own append, under its lock).
    pub(crate) fn new(
        commit: impl Fn(&[AuditInput]) -> Result<u64, StoreError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            state: Mutex::new(State::default()),
            done: Condvar::new(),
            commit: Box::new(commit),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends `entries` (in order, together) and returns the sequence number of the
    /// last of them once they are committed. Blocks; call from a blocking thread.
    pub(crate) fn append(&self, entries: Vec<HeldEntry>) -> Result<u64, StoreError> {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.push((ticket, entries));
        loop {
            if let Some(outcome) = state.outcomes.remove(&ticket) {
                return outcome.map_err(StoreError::AuditNotWritten);
            }
            if state.committing {
                state = self.done.wait(state).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            state.committing = true;
            let batch = std::mem::take(&mut state.waiting);
            drop(state);
            let mut publish = Publish {
                queue: self,
                // What every caller of the batch learns if the commit never returns.
                outcomes: batch
                    .iter()
                    .map(|(t, _)| (*t, Err("the audit writer stopped".to_string())))
                    .collect(),
            };
            publish.outcomes = self.commit_batch(&batch);
            drop(publish);
            state = self.lock();
        }
    }

    /// Commits one batch; each caller's outcome is the sequence number of its own last
    /// entry, or the batch's error.
    fn commit_batch(&self, batch: &[(u64, Vec<HeldEntry>)]) -> Vec<(u64, Outcome)> {
        let inputs: Vec<AuditInput> = batch
            .iter()
            .flat_map(|(_, entries)| entries.iter().map(HeldEntry::input))
            .collect();
        match (self.commit)(&inputs) {
            Ok(last) => {
                let mut end = last;
                let mut out = Vec::with_capacity(batch.len());
                for (ticket, entries) in batch.iter().rev() {
                    out.push((*ticket, Ok(end)));
                    end = end.saturating_sub(entries.len() as u64);
                }
                out
            }
            Err(e) => {
                let why = e.to_string();
                batch.iter().map(|(t, _)| (*t, Err(why.clone()))).collect()
            }
        }
    }
}

/// Hands a batch's outcomes to its callers and ends the commit, also when the commit
/// panicked (then each caller gets an error rather than waiting forever).
struct Publish<'q> {
    queue: &'q AuditQueue,
    outcomes: Vec<(u64, Outcome)>,
}

impl Drop for Publish<'_> {
    fn drop(&mut self) {
        let mut state = self.queue.lock();
        state.outcomes.extend(self.outcomes.drain(..));
        state.committing = false;
        self.queue.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    fn entry(subject: &str) -> AuditInput<'_> {
        AuditInput {
            at: 1,
            actor: "alice",
            interface: "api",
            action: "person.read",
            subject,
            detail: "",
        }
    }

    /// A chain in memory: every subject in commit order, and how many commits were made.
    #[derive(Default)]
    struct Chain {
        subjects: Mutex<Vec<String>>,
        commits: AtomicU64,
    }

    fn queue_over(chain: Arc<Chain>, fail: bool) -> AuditQueue {
        AuditQueue::new(move |batch| {
            chain.commits.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            if fail {
                return Err(StoreError::Corrupt("disk full".into()));
            }
            let mut s = chain.subjects.lock().unwrap();
            s.extend(batch.iter().map(|e| e.subject.to_string()));
            Ok(s.len() as u64)
        })
    }

    #[test]
    fn concurrent_callers_share_commits_and_each_gets_its_own_last_seq() {
        let chain = Arc::new(Chain::default());
        let queue = Arc::new(queue_over(Arc::clone(&chain), false));
        let threads: Vec<_> = (0..16)
            .map(|t| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    (0..20)
                        .map(|i| {
                            let a = format!("{t}:{i}:a");
                            let b = format!("{t}:{i}:b");
                            let held = vec![HeldEntry::of(&entry(&a)), HeldEntry::of(&entry(&b))];
                            (queue.append(held).unwrap(), a, b)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<_> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let subjects = chain.subjects.lock().unwrap();
        assert_eq!(subjects.len(), 16 * 20 * 2, "every entry written once");
        for (last, a, b) in &results {
            // A caller's entries are together, in order, and end at the seq it was given.
            assert_eq!(&subjects[*last as usize - 1], b);
            assert_eq!(&subjects[*last as usize - 2], a);
        }
        let commits = chain.commits.load(Ordering::SeqCst);
        assert!(commits < 16 * 20, "no batching happened: {commits} commits");
    }

    #[test]
    fn a_failed_commit_fails_every_caller_of_its_batch() {
        let chain = Arc::new(Chain::default());
        let queue = Arc::new(queue_over(Arc::clone(&chain), true));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    queue.append(vec![HeldEntry::of(&entry(&format!("person:{t}")))])
                })
            })
            .collect();
        for t in threads {
            let err = t.join().unwrap().unwrap_err();
            assert!(
                matches!(&err, StoreError::AuditNotWritten(why) if why.contains("disk full")),
                "{err}"
            );
        }
        assert!(chain.subjects.lock().unwrap().is_empty());
    }

    #[test]
    fn a_panicking_commit_fails_its_callers_and_the_queue_goes_on() {
        let calls = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&calls);
        let queue = Arc::new(AuditQueue::new(move |batch| {
            if c.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("writer fell over");
            }
            Ok(batch.len() as u64)
        }));
        let q = Arc::clone(&queue);
        let first =
            std::thread::spawn(move || q.append(vec![HeldEntry::of(&entry("person:1"))])).join();
        assert!(first.is_err(), "the leader's own thread sees the panic");
        assert_eq!(
            queue
                .append(vec![HeldEntry::of(&entry("person:2"))])
                .unwrap(),
            1
        );
    }
}
