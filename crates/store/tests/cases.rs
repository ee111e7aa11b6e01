//! Repatriation cases in the store: the tables the projection keeps (reads by id, by
//! filter, by member, counts per country and stage), their place in rebuild and the
//! digest, and a registry written before cases existed (schema 2) opening with them.

mod common;

use common::*;
use model::case::{case_id, CaseChange, Stage, StageEntry};
use model::event::Payload;
use model::ids::{CaseId, PersonId};
use model::CountryCode;
use store::{CaseFilter, Registry};

fn cc(s: &str) -> CountryCode {
    s.parse().unwrap()
}

fn open(principal: u128, country: &str, members: &[u128]) -> (CaseId, Payload) {
    let p = PersonId::from_u128(principal);
    let id = case_id(p, cc(country));
    let payload = Payload::CaseChanged {
        case: id,
        change: CaseChange::Opened {
            country: cc(country),
            principal: p,
            household: None,
            members: std::iter::once(p)
                .chain(members.iter().map(|m| PersonId::from_u128(*m)))
                .collect(),
            at: day(1),
        },
    };
    (id, payload)
}

fn move_to(id: CaseId, stage: Stage, on: i64) -> Payload {
    Payload::CaseChanged {
        case: id,
        change: CaseChange::StageChanged(StageEntry {
            stage,
            at: day(on),
            decision: None,
            note: String::new(),
        }),
    }
}

fn registry(dir: &tempfile::TempDir) -> (Registry, CaseId, CaseId, CaseId) {
    let mut reg = Registry::create(&dir.path().join("reg.db"), PASS).unwrap();
    let (be1, open_be1) = open(10, "BE", &[11, 12]);
    let (be2, open_be2) = open(20, "BE", &[]);
    let (fr, open_fr) = open(30, "FR", &[31]);
    let actor = reg.local_actor();
    reg.append(
        actor,
        [
            open_be1,
            open_be2,
            open_fr,
            move_to(be1, Stage::NationalityVerified, 3),
            move_to(fr, Stage::NationalityVerified, 2),
            move_to(fr, Stage::ConsularContact, 4),
        ]
        .into_iter()
        .map(|p| (day(5), p)),
        &mut |_| {},
    )
    .unwrap();
    (reg, be1, be2, fr)
}

#[test]
fn cases_are_read_by_id_filter_member_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, be1, be2, fr) = registry(&dir);
    let case = reg.case(be1).unwrap().unwrap();
    assert_eq!(case.stage(), Stage::NationalityVerified);
    assert_eq!(case.members.len(), 3);
    assert!(reg.case(CaseId::from_u128(1)).unwrap().is_none());

    let be: Vec<CaseId> = reg
        .cases(&CaseFilter {
            country: Some(cc("BE")),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(be.len(), 2);
    assert!(be.contains(&be1) && be.contains(&be2));
    let at_contact = reg
        .cases(&CaseFilter {
            stage: Some(Stage::ConsularContact),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(at_contact.len(), 1);
    assert_eq!(at_contact[0].id, fr);

    assert_eq!(
        reg.cases_of_person(PersonId::from_u128(12)).unwrap(),
        vec![be1]
    );
    assert!(reg
        .cases_of_person(PersonId::from_u128(99))
        .unwrap()
        .is_empty());

    let counts: Vec<(String, &str, u64)> = reg
        .case_counts()
        .unwrap()
        .iter()
        .map(|c| (c.country.to_string(), c.stage.as_str(), c.count))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("BE".into(), "identified", 1),
            ("BE".into(), "nationality_verified", 1),
            ("FR".into(), "consular_contact", 1),
        ]
    );
    let prefix: String = be1.to_string().chars().take(6).collect();
    assert!(reg.case_ids_with_prefix(&prefix).unwrap().contains(&be1));
}

#[test]
fn rebuild_reproduces_the_case_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, be1, ..) = registry(&dir);
    let before = reg.projection_digest().unwrap();
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(summary.digest_after, before);
    assert_eq!(
        reg.case(be1).unwrap().unwrap().stage(),
        Stage::NationalityVerified
    );
    // The digest covers the case tables: editing a row changes it.
    drop(reg);
    let path = dir.path().join("reg.db");
    store::testing::raw_execute(&path, PASS, "UPDATE cases SET stage = 'arrived'").unwrap();
    let reg = Registry::open(&path, PASS).unwrap();
    assert_ne!(reg.projection_digest().unwrap(), before);
}

#[test]
fn a_change_to_a_case_never_opened_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, ..) = registry(&dir);
    let events = reg.event_count().unwrap();
    let actor = reg.local_actor();
    let err = reg
        .append_one(
            actor,
            day(6),
            move_to(CaseId::from_u128(77), Stage::Closed, 6),
        )
        .unwrap_err();
    assert!(err.to_string().contains("not in the registry"), "{err}");
    assert_eq!(reg.event_count().unwrap(), events);
}

#[test]
fn a_registry_written_before_cases_existed_opens_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    {
        let mut reg = Registry::create(&path, PASS).unwrap();
        let actor = reg.local_actor();
        reg.append_one(actor, day(0), person(10, "Zaynab Qaddouri"))
            .unwrap();
    }
    // As a schema-2 program left it: no case tables.
    store::testing::raw_execute(
        &path,
        PASS,
        "DROP TABLE case_members; DROP TABLE cases;
         UPDATE meta SET value = 2 WHERE key = 'schema_version'",
    )
    .unwrap();
    let mut reg = Registry::open(&path, PASS).unwrap();
    assert!(reg.cases(&CaseFilter::default()).unwrap().is_empty());
    let (id, opening) = open(10, "BE", &[]);
    let actor = reg.local_actor();
    reg.append_one(actor, day(1), opening).unwrap();
    assert_eq!(
        reg.case(id).unwrap().unwrap().principal,
        PersonId::from_u128(10)
    );
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(summary.digest_before, summary.digest_after);
    drop(reg);
    // The upgrades recorded the schema: tables lost now are not created again on opening.
    store::testing::raw_execute(&path, PASS, "DROP TABLE case_members; DROP TABLE cases").unwrap();
    let reg = Registry::open(&path, PASS).unwrap();
    assert!(reg.cases(&CaseFilter::default()).is_err());
}

#[test]
fn a_registry_written_by_schema_7_opens_with_its_cases_refilled_from_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, be1, ..) = registry(&dir);
    let digest = reg.projection_digest().unwrap();
    drop(reg);
    let path = dir.path().join("reg.db");
    // As schemas 3 to 7 wrote them: views without the two trailing lists (who travels
    // and who was removed), which postcard writes as one zero byte each when empty.
    store::testing::raw_execute(
        &path,
        PASS,
        "UPDATE cases SET view = substr(view, 1, length(view) - 2);
         UPDATE meta SET value = 7 WHERE key = 'schema_version'",
    )
    .unwrap();
    let mut reg = Registry::open(&path, PASS).unwrap();
    let case = reg.case(be1).unwrap().unwrap();
    assert_eq!(case.stage(), Stage::NationalityVerified);
    assert!(case.travel.is_empty() && case.removed.is_empty());
    assert_eq!(reg.projection_digest().unwrap(), digest);
    let summary = reg.rebuild(&mut |_, _| {}).unwrap();
    assert_eq!(summary.digest_after, digest);
}
