//! Tables, the schema version, and this replica's identity and keys.

use crate::error::StoreError;
use crate::seal::RegistrySealer;
use crate::search::index::{IndexBatch, IndexChange, Indexed};
use crate::search::keys::KnownKeys;
use ed25519_dalek::SigningKey;
use model::ids::ReplicaId;
use model::report::SealClass;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// Bumped when tables change; an older program refuses a newer file.
/// 3: repatriation case tables. 4: the search index posts every two tokens of a name
/// (see `search::keys`). 5: one signature per appended batch (see `batches`).
/// 6: interviews and consent decisions (see `consent`). 7: the merge and review tables
/// (see `merges`). 8: case views hold who travels and who was removed (refilled from the
/// log, see `upgrades::refill_cases`). 9: a person's whereabouts in the `persons` row,
/// the rest of the view in `person_views` (see `view_parts`). 10: a key's postings in
/// runs of persons, a row a run (see `search::postings`).
pub(crate) const SCHEMA_VERSION: i64 = 10;
const FORMAT_MARK: &str = "homeward-registry";

const DDL: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);

-- The log. Append-only: nothing updates or deletes these rows.
CREATE TABLE events (
    position    INTEGER PRIMARY KEY,      -- local append order
    id          BLOB NOT NULL UNIQUE,     -- BLAKE3 of bytes
    replica     BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    hlc_wall    INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    bytes       BLOB NOT NULL,
    UNIQUE (replica, seq)
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE replicas (
    id            BLOB PRIMARY KEY,
    verifying_key BLOB NOT NULL
);

-- Projections: derived, rebuilt from the log at will.
CREATE TABLE persons (
    id            BLOB PRIMARY KEY,
    registered    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    place         BLOB,
    camp          BLOB,
    sex           TEXT NOT NULL,
    birth_year    INTEGER,
    display_name  TEXT NOT NULL,
    whereabouts   BLOB NOT NULL  -- the view's last part (see view_parts)
);
CREATE INDEX persons_camp ON persons (camp, status);
CREATE TABLE person_views (
    id   BLOB PRIMARY KEY,
    view BLOB NOT NULL           -- the view but its whereabouts
) WITHOUT ROWID;
CREATE TABLE person_places (
    place  BLOB NOT NULL,
    person BLOB NOT NULL,
    PRIMARY KEY (person, place)
) WITHOUT ROWID;
CREATE INDEX person_places_place ON person_places (place);
CREATE TABLE person_nationalities (
    country TEXT NOT NULL,
    person  BLOB NOT NULL,
    status  TEXT NOT NULL,
    PRIMARY KEY (person, country)
) WITHOUT ROWID;
CREATE INDEX person_nationalities_country ON person_nationalities (country);
CREATE TABLE places (
    id     BLOB PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    parent BLOB,
    view   BLOB NOT NULL
);
CREATE TABLE reports (
    id          BLOB PRIMARY KEY,
    received_at INTEGER NOT NULL,
    view        BLOB NOT NULL
);
CREATE TABLE tasks (
    id       BLOB PRIMARY KEY,
    person   BLOB NOT NULL,
    open     INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    view     BLOB NOT NULL
);
CREATE INDEX tasks_open ON tasks (open, priority DESC);
"#;

/// The search index (schema 2): a projection like the tables above; see `search::index`.
pub(crate) const SEARCH_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS search_persons (
    person     BLOB PRIMARY KEY,
    registered INTEGER NOT NULL,
    sex        TEXT NOT NULL,
    birth_lo   INTEGER,
    birth_hi   INTEGER,
    camp       BLOB,
    countries  TEXT NOT NULL,
    names      TEXT NOT NULL,
    keys       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_postings (
    key     TEXT NOT NULL,
    start   BLOB NOT NULL,      -- the run's first id; empty for the key's first run
    persons INTEGER NOT NULL,
    ids     BLOB NOT NULL,      -- the run's ids, 16 bytes each, in id order
    PRIMARY KEY (key, start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_kin (
    key    TEXT NOT NULL,
    parent BLOB NOT NULL,
    child  BLOB NOT NULL,
    PRIMARY KEY (key, parent, child)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_kin_child ON search_kin (child);
"#;

/// Signed batches (schema 5): one signature per append over the Merkle root of its
/// events' ids; see `batches.rs`. Append-only, like the log.
pub(crate) const BATCH_DDL: &str = r#"
CREATE TABLE IF NOT EXISTS batches (
    replica   BLOB NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    form      INTEGER NOT NULL,   -- 1: one event's id signed alone (schemas 1-4); 2: Merkle root
    root      BLOB NOT NULL,      -- form 2: the root; form 1: the event's id
    signature BLOB NOT NULL,
    PRIMARY KEY (replica, first_seq)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS batches_append_only_update BEFORE UPDATE ON batches
    BEGIN SELECT RAISE(ABORT, 'batches are append-only'); END;
CREATE TRIGGER IF NOT EXISTS batches_append_only_delete BEFORE DELETE ON batches
    BEGIN SELECT RAISE(ABORT, 'batches are append-only'); END;
"#;

/// The projection tables, in the order a rebuild empties them.
pub(crate) const PROJECTION_TABLES: [&str; 20] = [
    "persons",
    "person_views",
    "person_places",
    "person_nationalities",
    "places",
    "reports",
    "tasks",
    "search_persons",
    "search_postings",
    "search_kin",
    "actors",
    "cases",
    "case_members",
    "interviews",
    "person_interviews",
    "consents",
    crate::merges::MERGE_TABLES[0],
    crate::merges::MERGE_TABLES[1],
    crate::merges::MERGE_TABLES[2],
    crate::merges::MERGE_TABLES[3],
];

pub(crate) fn create(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(DDL)?;
    tx.execute_batch(SEARCH_DDL)?;
    tx.execute_batch(BATCH_DDL)?;
    tx.execute_batch(crate::actors::ACTORS_DDL)?;
    tx.execute_batch(crate::cases::CASES_DDL)?;
    tx.execute_batch(crate::consent::CONSENT_DDL)?;
    tx.execute_batch(crate::merges::MERGE_DDL)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('format', ?1)",
        [FORMAT_MARK],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
        [SCHEMA_VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn check(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let has_meta = any_row(
        conn,
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
    )?;
    let format: Option<String> = if has_meta {
        conn.query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .optional()?
    } else {
        None
    };
    if format.as_deref() != Some(FORMAT_MARK) {
        return Err(StoreError::WrongPassphraseOrNotRegistry(path.to_path_buf()));
    }
    let found: i64 = conn.query_row(
        "SELECT value FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    )?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 3 {
        add_case_tables(conn)?;
    }
    if found < 4 {
        reindex_search(conn)?;
    }
    if found < 5 {
        sign_by_batch(conn)?;
    }
    conn.execute_batch(crate::actors::ACTORS_DDL)?;
    if found < 6 {
        upgrade_in_one_transaction(conn, 6, crate::upgrades::fold_consents)?;
    }
    if found < 7 {
        add_merge_tables(conn)?;
    }
    if found < 8 {
        upgrade_in_one_transaction(conn, 8, crate::upgrades::refill_cases)?;
    }
    if found < 9 {
        split_person_views(conn)?;
    }
    if found < 10 {
        upgrade_in_one_transaction(conn, 10, |tx| {
            tx.execute_batch(SEARCH_DDL)?;
            if !crate::search::postings::gather_rows(tx)? {
                // A damaged old posting: the index is a projection, made again.
                index_every_person(tx)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Runs `step` and records `version` in one transaction: a failed step leaves the file
/// as it was.
fn upgrade_in_one_transaction(
    conn: &Connection,
    version: i64,
    step: fn(&Connection) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    step(&tx)?;
    set_version(&tx, version)?;
    tx.commit()?;
    Ok(())
}

/// Whether `sql` gives any row.
fn any_row(conn: &Connection, sql: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(sql, [], |_| Ok(())).optional()?.is_some())
}

fn set_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        [version],
    )?;
    Ok(())
}

/// Schema 4 → 5: every event's own signature moves, unchanged, to a batch of one (the
/// single form) and the events table drops its signature column; appends from now on
/// sign once per batch. Nothing is re-signed, so old events keep exactly the proof they
/// had. One transaction.
fn sign_by_batch(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(BATCH_DDL)?;
    if any_row(
        &tx,
        "SELECT 1 FROM pragma_table_info('events') WHERE name = 'signature'",
    )? {
        tx.execute_batch(
            "INSERT INTO batches (replica, first_seq, last_seq, form, root, signature)
                 SELECT replica, seq, seq, 1, id, signature FROM events ORDER BY replica, seq;
             ALTER TABLE events DROP COLUMN signature;",
        )?;
    }
    set_version(&tx, 5)?;
    tx.commit()?;
    Ok(())
}

/// Schema 8 → 9: each person's view is cut into the whereabouts, kept in the `persons`
/// row, and the rest, moved to `person_views`: the same rows a rebuild would write. One
/// transaction.
fn split_person_views(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    if persons_hold_whole_views(&tx)? {
        split_views(&tx)?;
    }
    set_version(&tx, 9)?;
    tx.commit()?;
    Ok(())
}

/// Whether `persons` still has the `view` column of schemas before 9.
fn persons_hold_whole_views(conn: &Connection) -> Result<bool, StoreError> {
    any_row(
        conn,
        "SELECT 1 FROM pragma_table_info('persons') WHERE name = 'view'",
    )
}

fn split_views(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch(
        "CREATE TABLE person_views (id BLOB PRIMARY KEY, view BLOB NOT NULL) WITHOUT ROWID;
         ALTER TABLE persons ADD COLUMN whereabouts BLOB NOT NULL DEFAULT x'';",
    )?;
    {
        let mut read = tx.prepare("SELECT id, view FROM persons")?;
        let mut write_rest = tx.prepare("INSERT INTO person_views (id, view) VALUES (?1, ?2)")?;
        // `persons` is updated once the pass over it is done.
        let mut whereabouts = Vec::new();
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: Vec<u8> = row.get(0)?;
            let view: model::projection::PersonView =
                crate::codec::decode(&row.get::<_, Vec<u8>>(1)?)?;
            let parts = crate::view_parts::split(&view)?;
            write_rest.execute(params![id, parts.rest])?;
            whereabouts.push((id, parts.whereabouts));
        }
        let mut write = tx.prepare("UPDATE persons SET whereabouts = ?2 WHERE id = ?1")?;
        for (id, part) in whereabouts {
            write.execute(params![id, part])?;
        }
    }
    tx.execute_batch("ALTER TABLE persons DROP COLUMN view;")?;
    Ok(())
}

/// Schema 6 → 7: the merge and review tables. A log written before them holds no merge
/// or review event, so they start empty, exactly as a rebuild would leave them.
fn add_merge_tables(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(crate::merges::MERGE_DDL)?;
    set_version(&tx, 7)?;
    tx.commit()?;
    Ok(())
}

/// Schema 2 → 3: creates the case tables. Nothing to refill: a file of schema 2 was
/// written by a program that had no case events, so its log holds none.
fn add_case_tables(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(crate::cases::CASES_DDL)?;
    set_version(&tx, 3)?;
    tx.commit()?;
    Ok(())
}

/// Schema 1 to 3 → 4: (re)creates the search tables and indexes every person, in one
/// transaction. (Schema 1 had no search index; schemas 2 and 3 paired a name's first
/// token only, so their postings would neither match a rebuild nor find what 4 finds.)
fn reindex_search(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    index_every_person(&tx)?;
    set_version(&tx, 4)?;
    tx.commit()?;
    Ok(())
}

/// Empties the search tables (of any schema) and indexes every stored person again.
fn index_every_person(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch(
        "DROP TABLE IF EXISTS search_persons; DROP TABLE IF EXISTS search_keys;
         DROP TABLE IF EXISTS search_key_counts; DROP TABLE IF EXISTS search_postings;
         DROP TABLE IF EXISTS search_kin;",
    )?;
    tx.execute_batch(SEARCH_DDL)?;
    let places = crate::camps::load_places(tx)?;
    // Whole views in `persons` until schema 9 splits them.
    let whole = persons_hold_whole_views(tx)?;
    let sql = if whole {
        "SELECT view FROM persons ORDER BY id".to_string()
    } else {
        use crate::view_parts::{VIEW_COLUMNS, VIEW_TABLES};
        format!("SELECT {VIEW_COLUMNS} FROM {VIEW_TABLES} ORDER BY p.id")
    };
    let mut stmt = tx.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut batch = IndexBatch::default();
    let mut held = crate::statements::Held::new(tx);
    // Nothing keyed ahead: each name is keyed as its person is indexed.
    let known = KnownKeys::default();
    while let Some(row) = rows.next()? {
        let view = if whole {
            crate::codec::decode(&row.get::<_, Vec<u8>>(0)?)?
        } else {
            crate::view_parts::from_row(row, 0)?
        };
        let camp = crate::camps::camp_of_record(&view, &places);
        batch.person(
            &mut held,
            &view,
            camp,
            IndexChange::New(Indexed::of(&view, &known)),
        )?;
    }
    drop(held);
    batch.finish(tx)
}

/// Where a class's sealing identity is kept in `meta`.
fn sealing_key_name(class: SealClass) -> String {
    format!("sealing_identity.{}", class.as_str())
}

/// Mints this replica's id, Ed25519 signing key and sealing identity, and stores them
/// inside the encrypted file.
pub(crate) fn create_identity(
    conn: &Connection,
) -> Result<(ReplicaId, SigningKey, RegistrySealer), StoreError> {
    let replica = ReplicaId::from_u128(crate::random_u128()?);
    let signing_key = SigningKey::from_bytes(&crate::random_bytes::<32>()?);
    let sealer = RegistrySealer::generate();
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('replica_id', ?1)",
        [replica.as_bytes().as_slice()],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('signing_key', ?1)",
        [signing_key.to_bytes().as_slice()],
    )?;
    for class in SealClass::ALL {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            [sealing_key_name(class), sealer.identity_text(class)],
        )?;
    }
    tx.execute(
        "INSERT INTO replicas (id, verifying_key) VALUES (?1, ?2)",
        params![
            replica.as_bytes().as_slice(),
            signing_key.verifying_key().as_bytes().as_slice()
        ],
    )?;
    tx.commit()?;
    Ok((replica, signing_key, sealer))
}

pub(crate) fn load_identity(
    conn: &Connection,
) -> Result<(ReplicaId, SigningKey, RegistrySealer), StoreError> {
    let get = |key: &str| -> Result<Vec<u8>, StoreError> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
            r.get::<_, Vec<u8>>(0)
        })
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("meta entry '{key}' is missing")))
    };
    let replica_bytes: [u8; 16] = get("replica_id")?
        .try_into()
        .map_err(|_| StoreError::Corrupt("replica id has the wrong length".into()))?;
    let key_bytes: [u8; 32] = get("signing_key")?
        .try_into()
        .map_err(|_| StoreError::Corrupt("signing key has the wrong length".into()))?;
    let sealer = RegistrySealer::from_identity_texts(|class| {
        let key = sealing_key_name(class);
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("meta entry '{key}' is missing")))
    })?;
    Ok((
        ReplicaId::from_bytes(replica_bytes),
        SigningKey::from_bytes(&key_bytes),
        sealer,
    ))
}
