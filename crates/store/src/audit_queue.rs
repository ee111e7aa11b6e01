//! Group commit of audit entries: the entries of concurrent reads appended to the chain
//! in one transaction.
//!
//! Every read a server answers is audited first, and each audit append is a small
//! transaction; committed one by one, those transactions are what a busy server queues
//! on. Here a read queues its entries ([`AuditQueue::enqueue`]) and waits for them
//! ([`AuditQueue::wait`]); whoever holds the registry next takes everything queued
//! ([`AuditQueue::take_due`]) and commits it in one transaction
//! ([`AuditQueue::commit`]). A waiting read returns only once its entries are committed,
//! or with [`StoreError::AuditNotWritten`] if their transaction failed — so "the audit
//! entry is written before the answer" holds for each read exactly as with a transaction
//! of its own. Entries of one read stay together and in order; the chain is extended by
//! one holder of the registry at a time, so it stays intact. (`shared` decides who
//! commits when.)

use crate::audit::{AuditInput, HeldEntry};
use crate::error::StoreError;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A caller's outcome: its last sequence number, or why its batch was not written.
type Outcome = Result<u64, String>;

#[derive(Default)]
struct State {
    next_ticket: u64,
    pending: Vec<(u64, Vec<HeldEntry>)>,
    /// When the oldest pending entries were queued.
    oldest: Option<Instant>,
    outcomes: HashMap<u64, Outcome>,
}

/// Entries queued by reads, waiting to be committed by a holder of the registry.
pub(crate) type Batch = Vec<(u64, Vec<HeldEntry>)>;

/// See the module doc.
#[derive(Default)]
pub(crate) struct AuditQueue {
    state: Mutex<State>,
    done: Condvar,
}

impl AuditQueue {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `entries` (kept together, in order) and returns the ticket to wait on.
    pub(crate) fn enqueue(&self, entries: Vec<HeldEntry>) -> u64 {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.pending.push((ticket, entries));
        state.oldest.get_or_insert_with(Instant::now);
        ticket
    }

    /// Everything queued, if anything is and (unless `now`) the oldest of it has waited
    /// `max_wait`: the caller holds the registry and must [`Self::commit`] it.
    pub(crate) fn take_due(&self, now: bool, max_wait: Duration) -> Option<Batch> {
        let mut state = self.lock();
        let due = state.oldest.is_some_and(|t| now || t.elapsed() >= max_wait);
        due.then(|| {
            state.oldest = None;
            std::mem::take(&mut state.pending)
        })
    }

    /// Commits `batch` with `commit` (which appends entries in one transaction and
    /// returns the last sequence number) and tells each read of it how it went — also
    /// if `commit` panics, so no read waits forever.
    pub(crate) fn commit(
        &self,
        batch: Batch,
        commit: impl FnOnce(&[AuditInput]) -> Result<u64, StoreError>,
    ) {
        let mut publish = Publish {
            queue: self,
            outcomes: batch
                .iter()
                .map(|(t, _)| (*t, Err("the audit writer stopped".to_string())))
                .collect(),
        };
        let inputs: Vec<AuditInput> = batch
            .iter()
            .flat_map(|(_, entries)| entries.iter().map(HeldEntry::input))
            .collect();
        publish.outcomes = match commit(&inputs) {
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
        };
    }

    /// Waits until the entries of `ticket` are committed; their last sequence number.
    pub(crate) fn wait(&self, ticket: u64) -> Result<u64, StoreError> {
        let mut state = self.lock();
        loop {
            if let Some(outcome) = state.outcomes.remove(&ticket) {
                return outcome.map_err(StoreError::AuditNotWritten);
            }
            state = self.done.wait(state).unwrap_or_else(|e| e.into_inner());
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
        self.queue.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    fn held(subject: &str) -> HeldEntry {
        HeldEntry::of(&AuditInput {
            at: 1,
            actor: "alice",
            interface: "api",
            action: "person.read",
            subject,
            detail: "",
        })
    }

    /// A chain in memory behind a lock, as the registry is: readers queue, and whoever
    /// holds the lock commits what is due.
    #[derive(Default)]
    struct Chain {
        subjects: Mutex<Vec<String>>,
        commits: AtomicU64,
    }

    fn append(chain: &Chain, batch: &[AuditInput]) -> Result<u64, StoreError> {
        chain.commits.fetch_add(1, Ordering::SeqCst);
        let mut s = chain.subjects.lock().unwrap();
        s.extend(batch.iter().map(|e| e.subject.to_string()));
        Ok(s.len() as u64)
    }

    #[test]
    fn entries_committed_by_later_holders_stay_together_and_get_their_own_seq() {
        let chain = Arc::new(Chain::default());
        let queue = Arc::new(AuditQueue::default());
        let lock = Arc::new(Mutex::new(()));
        let waiting = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (chain, queue) = (chain.clone(), queue.clone());
                let (lock, waiting) = (lock.clone(), waiting.clone());
                std::thread::spawn(move || {
                    (0..50)
                        .map(|i| {
                            let (a, b) = (format!("{t}:{i}:a"), format!("{t}:{i}:b"));
                            let ticket = {
                                waiting.fetch_add(1, Ordering::SeqCst);
                                let _held = lock.lock().unwrap();
                                waiting.fetch_sub(1, Ordering::SeqCst);
                                let ticket = queue.enqueue(vec![held(&a), held(&b)]);
                                // As `shared` does: leave the entries to the next holder
                                // while there is one.
                                let now = waiting.load(Ordering::SeqCst) == 0;
                                if let Some(batch) = queue.take_due(now, Duration::MAX) {
                                    queue.commit(batch, |e| append(&chain, e));
                                }
                                ticket
                            };
                            (queue.wait(ticket).unwrap(), a, b)
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
        assert_eq!(subjects.len(), 8 * 50 * 2, "every entry written once");
        for (last, a, b) in &results {
            assert_eq!(&subjects[*last as usize - 1], b);
            assert_eq!(&subjects[*last as usize - 2], a);
        }
        // At most one commit per round, none of them empty.
        assert!(chain.commits.load(Ordering::SeqCst) <= 8 * 50);
    }

    #[test]
    fn nothing_is_due_before_its_time_unless_asked() {
        let queue = AuditQueue::default();
        assert!(
            queue.take_due(true, Duration::ZERO).is_none(),
            "nothing queued"
        );
        queue.enqueue(vec![held("person:1")]);
        assert!(queue.take_due(false, Duration::from_secs(60)).is_none());
        assert_eq!(
            queue.take_due(false, Duration::ZERO).map(|b| b.len()),
            Some(1)
        );
    }

    #[test]
    fn a_failed_commit_fails_every_read_of_its_batch() {
        let queue = AuditQueue::default();
        let tickets: Vec<u64> = (0..4)
            .map(|i| queue.enqueue(vec![held(&format!("person:{i}"))]))
            .collect();
        let batch = queue.take_due(true, Duration::ZERO).unwrap();
        queue.commit(batch, |_| Err(StoreError::Corrupt("disk full".into())));
        for t in tickets {
            let err = queue.wait(t).unwrap_err();
            assert!(
                matches!(&err, StoreError::AuditNotWritten(why) if why.contains("disk full")),
                "{err}"
            );
        }
    }

    #[test]
    fn a_panicking_commit_fails_its_reads_rather_than_leave_them_waiting() {
        let queue = Arc::new(AuditQueue::default());
        let ticket = queue.enqueue(vec![held("person:1")]);
        let q = queue.clone();
        let committer = std::thread::spawn(move || {
            let batch = q.take_due(true, Duration::ZERO).unwrap();
            q.commit(batch, |_| panic!("writer fell over"));
        });
        assert!(committer.join().is_err());
        assert!(matches!(
            queue.wait(ticket),
            Err(StoreError::AuditNotWritten(_))
        ));
    }
}
