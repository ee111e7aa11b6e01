//! One signature per appended batch: every event still verifies on its own, a rebuild
//! checks each batch's root and signature, and each way of tampering with the log or its
//! batches is refused with its own clear error, leaving the projections as they were.
//! Registries before schema 5 (one signature per event) open, upgrade and rebuild.

mod common;

use common::*;
use ed25519_dalek::{Signer, SigningKey};
use model::batch::BatchSeal;
use model::event::{Event, EventError, Payload, Seal};
use model::ids::{EventId, ReplicaId};
use model::place::PlaceKind;
use rusqlite::params;
use std::path::{Path, PathBuf};
use store::{Registry, StoreError};

/// Three appends: batches 1..=3, 4..=5 and 6..=6.
fn registry(dir: &tempfile::TempDir) -> (PathBuf, Vec<EventId>) {
    let path = dir.path().join("reg.db");
    let mut reg = Registry::create(&path, PASS).unwrap();
    let actor = reg.local_actor();
    let mut ids = reg
        .append(
            actor,
            [
                (day(0), place(1, "Roj", PlaceKind::Camp, None)),
                (day(0), person(10, "Zaynab Qaddouri")),
                (day(0), person(11, "Hafsa Benali")),
            ],
            &mut |_| {},
        )
        .unwrap();
    ids.extend(
        reg.append(
            actor,
            [
                (day(1), person(12, "Amina Zerrouki")),
                (day(1), sighting(100, 1, "A1", 1, &[10, 11, 12])),
            ],
            &mut |_| {},
        )
        .unwrap(),
    );
    ids.push(
        reg.append_one(actor, day(2), person(13, "Salma Idrissi"))
            .unwrap(),
    );
    (path, ids)
}

/// Rebuild must fail with a `LogTampered` error naming `expect`, and keep the projections.
fn refused(path: &Path, expect: &str) -> String {
    let mut reg = Registry::open(path, PASS).unwrap();
    let digest = reg.projection_digest().unwrap();
    let err = reg
        .rebuild(&mut |_, _| {})
        .expect_err("rebuild must refuse");
    let text = err.to_string();
    assert!(matches!(err, StoreError::LogTampered { .. }), "{text}");
    assert!(text.contains(expect), "expected '{expect}' in: {text}");
    assert!(text.contains("restore it from a backup"), "{text}");
    assert_eq!(reg.projection_digest().unwrap(), digest);
    text
}

fn raw(path: &Path, sql: &str) {
    store::testing::raw_execute(path, PASS, sql).unwrap();
}

#[test]
fn a_batch_is_one_signature_and_rebuild_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = registry(&dir);
    let mut reg = Registry::open(&path, PASS).unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!((summary.events, summary.batches), (6, 3));
    assert_eq!(summary.digest_before, summary.digest_after);
    assert_eq!(ids.len(), 6);
}

#[test]
fn every_stored_event_verifies_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = registry(&dir);
    let reg = Registry::open(&path, PASS).unwrap();
    let key = reg.verifying_key();
    for (n, id) in ids.iter().enumerate() {
        let signed = reg.signed_event(*id).unwrap().unwrap();
        let event = signed.verify(&key).unwrap();
        assert_eq!(event.header.seq, n as u64 + 1);
        let Seal::Batch { seal, proof } = &signed.seal else {
            panic!("new events are signed by batch")
        };
        assert!(seal.first_seq <= event.header.seq && event.header.seq <= seal.last_seq);
        assert!(proof.len() <= 2);
    }
    // Sent alone, an event cannot be passed off as another, or under another key.
    let mut signed = reg.signed_event(ids[1]).unwrap().unwrap();
    let other = reg.signed_event(ids[3]).unwrap().unwrap();
    signed.seal = other.seal;
    assert!(matches!(
        signed.verify(&key),
        Err(EventError::Batch(
            model::batch::BatchError::NotInBatch { .. }
        ))
    ));
    let stranger = SigningKey::from_bytes(&[3; 32]).verifying_key();
    let signed = reg.signed_event(ids[4]).unwrap().unwrap();
    assert!(signed.verify(&stranger).is_err());
    assert!(reg.signed_event(EventId([9; 32])).unwrap().is_none());
}

#[test]
fn a_forged_root_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    raw(
        &path,
        "DROP TRIGGER batches_append_only_update;
         UPDATE batches SET root = zeroblob(32) WHERE first_seq = 4;",
    );
    refused(&path, "do not hash to their batch's signed root");
}

#[test]
fn an_event_moved_to_another_batch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    // Event 3 declared part of the second batch instead of the first.
    raw(
        &path,
        "DROP TRIGGER batches_append_only_update;
         UPDATE batches SET last_seq = 2 WHERE first_seq = 1;
         UPDATE batches SET first_seq = 3 WHERE first_seq = 4;",
    );
    refused(&path, "events 1..2 do not hash");
}

#[test]
fn an_altered_event_is_refused_even_with_its_id_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    // The last event: no later event names its id, so only the signed root can tell.
    let conn = store::testing::raw_connection(&path, PASS).unwrap();
    let bytes: Vec<u8> = conn
        .query_row("SELECT bytes FROM events WHERE seq = 6", [], |r| r.get(0))
        .unwrap();
    let mut event = Event::decode(&bytes).unwrap();
    event.payload = person(14, "Someone Else");
    let forged = event.canonical_bytes().unwrap();
    conn.execute_batch("DROP TRIGGER events_append_only_update;")
        .unwrap();
    conn.execute(
        "UPDATE events SET bytes = ?1, id = ?2 WHERE seq = 6",
        params![forged, EventId::of(&forged).0.as_slice()],
    )
    .unwrap();
    drop(conn);
    refused(&path, "events 6..6 do not hash");
    // Altered without recomputing the id: the id check names it.
    raw(
        &path,
        "UPDATE events SET bytes = CAST(bytes || x'00' AS BLOB) WHERE seq = 2;",
    );
    let mut reg = Registry::open(&path, PASS).unwrap();
    let err = reg.rebuild(&mut |_, _| {}).err().unwrap();
    assert!(err.to_string().contains("altered"), "{err}");
}

#[test]
fn a_batch_signed_by_another_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    let conn = store::testing::raw_connection(&path, PASS).unwrap();
    let (replica, root): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT replica, root FROM batches WHERE first_seq = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let intruder = SigningKey::from_bytes(&[7; 32]);
    let seal = BatchSeal {
        replica: ReplicaId::from_bytes(replica.try_into().unwrap()),
        first_seq: 4,
        last_seq: 5,
        root: root.try_into().unwrap(),
        signature: [0; 64],
    };
    let signature = intruder.sign(&seal.statement()).to_bytes();
    conn.execute_batch("DROP TRIGGER batches_append_only_update;")
        .unwrap();
    conn.execute(
        "UPDATE batches SET signature = ?1 WHERE first_seq = 4",
        [signature.as_slice()],
    )
    .unwrap();
    drop(conn);
    refused(&path, "signed by another key");
}

#[test]
fn a_truncated_batch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    raw(
        &path,
        "DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE seq = 5;
         DELETE FROM events WHERE seq = 6;",
    );
    refused(
        &path,
        "events 4..5 is truncated: the log holds 1 of its 2 events",
    );
}

#[test]
fn events_outside_every_batch_or_batches_with_gaps_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    raw(
        &path,
        "DROP TRIGGER batches_append_only_delete; DELETE FROM batches WHERE first_seq = 6;",
    );
    refused(&path, "event 6 is in no signed batch");
    raw(&path, "DELETE FROM batches WHERE first_seq = 4;");
    refused(&path, "event 4 is in no signed batch");
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    raw(
        &path,
        "DROP TRIGGER batches_append_only_delete; DELETE FROM batches WHERE first_seq = 4;",
    );
    refused(&path, "leave a gap or overlap at event 4");
}

#[test]
fn batches_are_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    for sql in ["UPDATE batches SET last_seq = 9", "DELETE FROM batches"] {
        let err = store::testing::raw_execute(&path, PASS, sql).err().unwrap();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}

/// Rewrites a registry into the form schemas 1 to 4 wrote: every event signed on its own,
/// in a `signature` column, and no batches; `version` is recorded.
fn to_per_event_signatures(path: &Path, version: i64) {
    let conn = store::testing::raw_connection(path, PASS).unwrap();
    let key: Vec<u8> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'signing_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let key = SigningKey::from_bytes(&key.try_into().unwrap());
    conn.execute_batch(
        "DROP TABLE batches;
         ALTER TABLE events ADD COLUMN signature BLOB NOT NULL DEFAULT x'';
         DROP TRIGGER events_append_only_update;",
    )
    .unwrap();
    let ids: Vec<Vec<u8>> = conn
        .prepare("SELECT id FROM events")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for id in ids {
        let signature = key.sign(&id).to_bytes();
        conn.execute(
            "UPDATE events SET signature = ?1 WHERE id = ?2",
            params![signature.as_slice(), id],
        )
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
             BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",
    )
    .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        [version],
    )
    .unwrap();
}

#[test]
fn registries_signed_per_event_open_upgrade_and_rebuild() {
    for version in [2, 3, 4] {
        per_event_registry_upgrades(version);
    }
}

fn per_event_registry_upgrades(version: i64) {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = registry(&dir);
    let digest = Registry::open(&path, PASS)
        .unwrap()
        .projection_digest()
        .unwrap();
    to_per_event_signatures(&path, version);

    let mut reg = Registry::open(&path, PASS).unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!((summary.events, summary.batches), (6, 6));
    assert_eq!(summary.digest_after, digest);
    // Old events keep their own signatures, and still verify alone.
    let key = reg.verifying_key();
    let old = reg.signed_event(ids[2]).unwrap().unwrap();
    assert!(matches!(old.seal, Seal::Single { .. }));
    assert_eq!(old.verify(&key).unwrap().header.seq, 3);
    // New appends continue the chain, signed by batch.
    let actor = reg.local_actor();
    let new = reg
        .append(
            actor,
            [
                (day(3), person(20, "Nour Haddad")),
                (day(3), person(21, "Rania Saleh")),
            ],
            &mut |_| {},
        )
        .unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!((summary.events, summary.batches), (8, 7));
    assert!(matches!(
        reg.signed_event(new[1]).unwrap().unwrap().seal,
        Seal::Batch { .. }
    ));
    drop(reg);
    // Opening again changes nothing more.
    let mut reg = Registry::open(&path, PASS).unwrap();
    assert_eq!(reg.rebuild(&mut |_, _| {}).unwrap().batches, 7);
}

#[test]
fn a_forged_per_event_signature_is_refused_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    to_per_event_signatures(&path, 4);
    raw(
        &path,
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET signature = zeroblob(64) WHERE seq = 2;",
    );
    refused(&path, "event signature does not verify");
}

#[test]
fn an_empty_append_writes_no_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = registry(&dir);
    let mut reg = Registry::open(&path, PASS).unwrap();
    let actor = reg.local_actor();
    assert!(reg
        .append(
            actor,
            Vec::<(model::time::Timestamp, Payload)>::new(),
            &mut |_| {}
        )
        .unwrap()
        .is_empty());
    assert_eq!(reg.rebuild(&mut |_, _| {}).unwrap().batches, 3);
}
