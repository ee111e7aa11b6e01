//! A registry shared by a server's threads: reads from many threads at once are each
//! audited, their entries group-committed into one intact chain, and a read whose audit
//! entry cannot be written gives no answer.

mod common;

use common::*;
use store::{AuditInput, Registry, SharedRegistry, StoreError};

fn entry(subject: &str) -> AuditInput<'_> {
    AuditInput {
        at: 1,
        actor: "reader",
        interface: "api",
        action: "person.read",
        subject,
        detail: "",
    }
}

fn shared(dir: &tempfile::TempDir) -> (std::path::PathBuf, SharedRegistry) {
    let path = dir.path().join("shared.db");
    let mut reg = Registry::create(&path, PASS).unwrap();
    let actor = reg.local_actor();
    reg.append(
        actor,
        [(day(0), person(1, "Samira Bouazzaoui"))],
        &mut |_| {},
    )
    .unwrap();
    (path, SharedRegistry::new(reg))
}

#[test]
fn concurrent_reads_are_each_audited_in_one_intact_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (_, shared) = shared(&dir);
    std::thread::scope(|s| {
        for t in 0..8 {
            let shared = &shared;
            s.spawn(move || {
                for i in 0..50 {
                    let subject = format!("person:{t}-{i}");
                    let answer = shared
                        .read(|reg| {
                            reg.audit_batch(&[entry(&subject), entry(&subject)])?;
                            Ok::<_, StoreError>(subject.clone())
                        })
                        .unwrap()
                        .unwrap();
                    assert_eq!(answer, subject);
                    // The entries are committed before the read returns.
                    let seen = shared.read(|reg| reg.audit_for(&subject)).unwrap().unwrap();
                    assert_eq!(seen.len(), 2, "{subject}");
                }
            });
        }
    });
    let verified = shared.write(|reg| reg.audit_verify()).unwrap();
    assert_eq!(verified, Ok(8 * 50 * 2));
}

#[test]
fn a_read_whose_audit_entry_fails_gives_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (path, shared) = shared(&dir);
    // Someone holding the passphrase makes the audit table refuse new entries.
    store::testing::raw_execute(
        &path,
        PASS,
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
         BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
    )
    .unwrap();
    let answer = shared.read(|reg| {
        reg.audit(&entry("person:1"))?;
        Ok::<_, StoreError>("the person's record")
    });
    match answer {
        Err(StoreError::AuditNotWritten(why)) => assert!(why.contains("audit refused"), "{why}"),
        other => panic!("expected the read to fail, got {other:?}"),
    }
    // The writer path fails on its own connection in the same way, and nothing was
    // added to the chain.
    assert!(shared.write(|reg| reg.audit(&entry("person:1"))).is_err());
    store::testing::raw_execute(&path, PASS, "DROP TRIGGER refuse_audit;").unwrap();
    assert_eq!(shared.write(|reg| reg.audit_verify()).unwrap(), Ok(0));
}
