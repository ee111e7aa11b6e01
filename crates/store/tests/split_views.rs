//! Schema 9 keeps a person's whereabouts in the `persons` row and the rest of the view in
//! `person_views`. A registry written before (whole views in `persons`) opens, is split in place, and then holds exactly the rows a rebuild writes.

mod common;

use common::{demo_registry, PASS};
use rusqlite::params;
use store::testing::raw_connection;
use store::Registry;

/// Turns a registry of today back into the shape schema 8 wrote.
fn back_to_schema_8(path: &std::path::Path) {
    let conn = raw_connection(path, PASS).unwrap();
    let whole: Vec<(Vec<u8>, Vec<u8>)> = {
        let mut stmt = conn
            .prepare(
                "SELECT p.id, v.view, p.whereabouts FROM persons p
                 JOIN person_views v ON v.id = p.id",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let (rest, whereabouts): (Vec<u8>, Vec<u8>) = (r.get(1)?, r.get(2)?);
                Ok((r.get(0)?, [rest, whereabouts].concat()))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    conn.execute_batch("ALTER TABLE persons ADD COLUMN view BLOB")
        .unwrap();
    for (id, view) in whole {
        conn.execute(
            "UPDATE persons SET view = ?2 WHERE id = ?1",
            params![id, view],
        )
        .unwrap();
    }
    conn.execute_batch(
        "ALTER TABLE persons DROP COLUMN whereabouts;
         DROP TABLE person_views;
         UPDATE meta SET value = 8 WHERE key = 'schema_version';",
    )
    .unwrap();
}

#[test]
fn a_registry_of_schema_8_opens_split_and_equal_to_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    let (digest, persons, tasks) = {
        let reg = demo_registry(&path, 0.02, 2019);
        let persons = reg.persons(&Default::default()).unwrap();
        let tasks = reg.tasks(&Default::default()).unwrap().len();
        (reg.projection_digest().unwrap(), persons, tasks)
    };
    assert!(
        persons.len() > 100 && tasks > 10,
        "too small a demo to test"
    );
    back_to_schema_8(&path);

    let mut reg = Registry::open(&path, PASS).unwrap();
    assert_eq!(reg.projection_digest().unwrap(), digest);
    assert_eq!(reg.persons(&Default::default()).unwrap(), persons);
    for p in persons.iter().step_by(17) {
        assert_eq!(reg.person(p.id).unwrap().as_ref(), Some(p));
    }
    assert_eq!(reg.tasks(&Default::default()).unwrap().len(), tasks);
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(summary.digest_after, digest);
}

#[test]
fn a_split_registry_reopens_without_being_split_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    let digest = demo_registry(&path, 0.005, 7).projection_digest().unwrap();
    back_to_schema_8(&path);
    drop(Registry::open(&path, PASS).unwrap());
    let reg = Registry::open(&path, PASS).unwrap();
    assert_eq!(reg.projection_digest().unwrap(), digest);
}
