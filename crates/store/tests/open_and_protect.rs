//! Opening a registry: the encryption, and every bad-input path, each with its own error
//! and nothing changed.

mod common;

use common::*;
use model::place::PlaceKind;
use store::{Registry, StoreError};

fn small_registry(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("reg.db");
    let mut reg = Registry::create(&path, PASS).unwrap();
    let actor = reg.local_actor();
    reg.append(
        actor,
        [
            (day(0), place(1, "Roj", PlaceKind::Camp, None)),
            (day(0), person(10, "Zaynab Qaddouri")),
            (day(1), sighting(100, 1, "A1", 1, &[10])),
        ],
        &mut |_| {},
    )
    .unwrap();
    drop(reg);
    checkpoint(&path);
    path
}

/// Folds the WAL into the main file, as a clean close does.
fn checkpoint(path: &std::path::Path) {
    let reg = Registry::open(path, PASS).unwrap();
    drop(reg);
}

#[test]
fn no_plaintext_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let mut all = std::fs::read(&path).unwrap();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(w) = std::fs::read(std::path::PathBuf::from(wal)) {
        all.extend(w);
    }
    // Six bytes or more: a shorter needle turns up by chance in random ciphertext.
    for needle in ["Qaddouri", "Zaynab", "SQLite format", "persons"] {
        assert!(
            !all.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "found {needle} in the file"
        );
    }
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let before = std::fs::read(&path).unwrap();
    let err = Registry::open(&path, "wrong passphrase").err().unwrap();
    assert!(
        matches!(err, StoreError::WrongPassphraseOrNotRegistry(_)),
        "{err}"
    );
    assert!(err.to_string().contains("passphrase is wrong"));
    assert_eq!(before, std::fs::read(&path).unwrap());
    assert!(Registry::open(&path, PASS).is_ok());
}

#[test]
fn a_wrong_passphrase_leaves_a_log_a_crash_left_behind_as_it_was() {
    // Copied aside while open: the file and its log as a crash leaves them.
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let mut reg = Registry::open(&path, PASS).unwrap();
    let actor = reg.local_actor();
    reg.append_one(actor, day(2), person(11, "Amina Zerrouki"))
        .unwrap();
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).unwrap();
    let copy = crashed.join("reg.db");
    let log = |p: &std::path::Path| {
        let mut wal = p.as_os_str().to_owned();
        wal.push("-wal");
        std::path::PathBuf::from(wal)
    };
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(log(&path), log(&copy)).unwrap();
    drop(reg);
    let files = || {
        (
            std::fs::read(&copy).unwrap(),
            std::fs::read(log(&copy)).ok(),
        )
    };
    let before = files();
    assert!(
        before.1.as_ref().is_some_and(|l| !l.is_empty()),
        "the copy has a log to keep"
    );

    let err = Registry::open(&copy, "wrong passphrase").err().unwrap();
    assert!(
        matches!(err, StoreError::WrongPassphraseOrNotRegistry(_)),
        "{err}"
    );
    assert!(
        before == files(),
        "a refused open changed the file or its log"
    );
    let mut reg = Registry::open(&copy, PASS).unwrap();
    assert_eq!(reg.rebuild(&mut |_, _| {}).unwrap().events, 4);
}

#[test]
fn missing_file_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let err = Registry::open(&dir.path().join("none.db"), PASS)
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::NotFound(_)));
    assert!(err.to_string().contains("homeward init"));
}

#[test]
fn a_file_that_is_not_a_registry_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &junk).unwrap();
    let err = Registry::open(&path, PASS).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::WrongPassphraseOrNotRegistry(_) | StoreError::Damaged { .. }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), junk);

    std::fs::write(&path, b"id,name\n1,x\n").unwrap();
    assert!(Registry::open(&path, PASS).is_err());
}

#[test]
fn a_plain_sqlite_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let err = Registry::open(&path, PASS).err().unwrap();
    assert!(matches!(err, StoreError::PlainSqlite(_)), "{err}");
}

#[test]
fn a_truncated_file_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 3 * 4096);
    for cut in [bytes.len() - 4096, bytes.len() - 1000, 2000] {
        let short = dir.path().join(format!("short-{cut}.db"));
        std::fs::write(&short, &bytes[..cut]).unwrap();
        let result = Registry::open(&short, PASS).and_then(|r| r.stats(&[], 2019).map(|_| ()));
        let err = result
            .err()
            .unwrap_or_else(|| panic!("cut at {cut} was not noticed"));
        assert!(
            matches!(err, StoreError::Damaged { .. }),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn creating_over_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Registry::create(&path, PASS),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(before, std::fs::read(&path).unwrap());
}

/// A change that cannot be applied: the status of a place that does not exist.
fn status_of_no_place() -> model::event::Payload {
    model::event::Payload::PlaceStatusChanged {
        place: model::ids::PlaceId::from_u128(999),
        change: model::place::PlaceStatusChange {
            status: model::place::PlaceStatus::Unguarded,
            at: day(3),
            report: None,
        },
    }
}

/// Appends `items`, which must fail, to a small registry, and checks that nothing was
/// written. Gives back the registry (and its directory), its event count, and how many
/// events the writer had folded when it failed.
fn append_failing(
    items: Vec<(model::time::Timestamp, model::event::Payload)>,
) -> (tempfile::TempDir, Registry, u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let mut reg = Registry::open(&path, PASS).unwrap();
    let events_before = reg.event_count().unwrap();
    let digest_before = reg.projection_digest().unwrap();
    let actor = reg.local_actor();
    let mut seen = 0;
    assert!(reg.append(actor, items, &mut |n| seen = n).is_err());
    assert_eq!(reg.event_count().unwrap(), events_before);
    assert_eq!(reg.projection_digest().unwrap(), digest_before);
    (dir, reg, events_before, seen)
}

#[test]
fn a_batch_that_fails_writes_nothing() {
    // A new person, then a status change for a place that does not exist.
    let (_dir, mut reg, _, _) = append_failing(vec![
        (day(2), person(11, "Amina Zerrouki")),
        (day(3), status_of_no_place()),
    ]);
    // The chain continues cleanly afterwards.
    let actor = reg.local_actor();
    reg.append_one(actor, day(4), person(12, "Hafsa Benali"))
        .unwrap();
    assert!(reg.rebuild(&mut |_, _| {}).is_ok());
}

/// A batch larger than one run is chained on a thread of its own while the writer folds
/// the runs before: a failure in a later run must still leave nothing written.
#[test]
fn a_large_batch_that_fails_late_writes_nothing() {
    let mut items: Vec<_> = (0..2_000u128)
        .map(|n| (day(2), person(1_000 + n, "Amina Zerrouki")))
        .collect();
    items.insert(1_500, (day(3), status_of_no_place()));
    let (_dir, mut reg, events_before, seen) = append_failing(items);
    assert!(
        seen >= 1_500,
        "the writer folded the runs before the failing one"
    );
    let actor = reg.local_actor();
    let ids = reg
        .append(
            actor,
            (0..1_000u128).map(|n| (day(4), person(5_000 + n, "Hafsa Benali"))),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(ids.len(), 1_000);
    assert_eq!(reg.event_count().unwrap(), events_before + 1_000);
    assert!(reg.rebuild(&mut |_, _| {}).is_ok());
}

#[test]
fn events_cannot_be_rewritten_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let reg = Registry::open(&path, PASS).unwrap();
    drop(reg);
    // Even with the key, the table refuses updates and deletes.
    let err = store::testing::raw_execute(&path, PASS, "UPDATE events SET seq = seq + 1")
        .err()
        .unwrap();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = store::testing::raw_execute(&path, PASS, "DELETE FROM events")
        .err()
        .unwrap();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn a_registry_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    store::testing::raw_execute(
        &path,
        PASS,
        "UPDATE meta SET value = 99 WHERE key = 'schema_version'",
    )
    .unwrap();
    let err = Registry::open(&path, PASS).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Upgrade homeward"));
}

#[test]
fn a_forged_event_is_caught_by_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    // Someone with the passphrase drops the append-only guard and edits an event's bytes.
    store::testing::raw_execute(
        &path,
        PASS,
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Roj', 'Rok') AS BLOB) WHERE seq = 1;",
    )
    .unwrap();
    let mut reg = Registry::open(&path, PASS).unwrap();
    let digest = reg.projection_digest().unwrap();
    let err = reg.rebuild(&mut |_, _| {}).err().unwrap();
    assert!(err.to_string().contains("altered"), "{err}");
    assert_eq!(
        reg.projection_digest().unwrap(),
        digest,
        "a failed rebuild keeps the old projections"
    );
}

#[test]
fn registries_in_older_page_formats_still_open() {
    // Registries made before have 4 KiB or 16 KiB pages under HMAC-SHA512; today's have
    // 16 KiB pages under HMAC-SHA256. Opening finds the format.
    use store::testing::{PageFormat, PageHmac};
    let older = [
        PageFormat {
            page_size: 4096,
            hmac: PageHmac::Sha512,
        },
        PageFormat {
            page_size: 16384,
            hmac: PageHmac::Sha512,
        },
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = small_registry(&dir);
    let settings = |path: &std::path::Path| -> (String, String) {
        let conn = store::testing::raw_connection(path, PASS).unwrap();
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap()
        };
        (pragma("cipher_page_size"), pragma("cipher_hmac_algorithm"))
    };
    assert_eq!(settings(&path), ("16384".into(), "HMAC_SHA256".into()));
    for (n, format) in older.into_iter().enumerate() {
        let old = dir.path().join(format!("old-{n}.db"));
        store::testing::export_in_format(&path, PASS, &old, format).unwrap();
        assert_eq!(
            settings(&old),
            (format.page_size.to_string(), "HMAC_SHA512".into())
        );

        let mut reg = Registry::open(&old, PASS).unwrap();
        let actor = reg.local_actor();
        reg.append_one(actor, day(2), person(11, "Amina Zerrouki"))
            .unwrap();
        let summary = reg.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(summary.digest_before, summary.digest_after);
        assert_eq!(summary.events, 4);
        drop(reg);
        // Written to after opening, the file keeps its format.
        assert_eq!(settings(&old).1, "HMAC_SHA512", "{format:?}");
        let err = Registry::open(&old, "wrong passphrase").err().unwrap();
        assert!(
            matches!(err, StoreError::WrongPassphraseOrNotRegistry(_)),
            "{err}"
        );
        let bytes = std::fs::read(&old).unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"Qaddouri"));
    }
}
