//! The write side of the gate ([`access::Writer`]): who may record a report or change a
//! place's status, claims about hidden persons refused as "not found" with nothing
//! written, bad input refused with a clear message, and sources stored sealed.

use access::writes::ReportInput;
use access::{AccessError, Directory, Role, User, Writer};
use model::claim::ClaimKind;
use model::ids::{PersonId, PlaceId};
use model::place::PlaceStatus;
use model::report::{Channel, Grade};
use model::time::Timestamp;
use model::CountryCode;
use store::Registry;

struct World {
    reg: Registry,
    dir: Directory,
    be_only: PersonId,
    fr_only: PersonId,
    roj: PlaceId,
    _tmp: tempfile::TempDir,
}

fn cc(s: &str) -> CountryCode {
    s.parse().unwrap()
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
    let scenario = demo::generate(0.02, 7, reg.sealer());
    let actor = reg.local_actor();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )
    .unwrap();
    let dir = Directory::build(&reg).unwrap();
    let mut ids: Vec<PersonId> = dir.ids().collect();
    ids.sort();
    let only = |c: &str| {
        ids.iter().copied().find(|id| {
            let f = dir.facts(*id).unwrap();
            f.nationalities == [cc(c)]
                && f.parent_nationalities.iter().all(|x| *x == cc(c))
                && f.household_nationalities.iter().all(|x| *x == cc(c))
        })
    };
    let be_only = only("BE").unwrap();
    let fr_only = only("FR").unwrap();
    let roj = reg.find_places("Roj").unwrap()[0].place.id;
    World {
        reg,
        dir,
        be_only,
        fr_only,
        roj,
        _tmp: tmp,
    }
}

fn user(role: Role, nats: &[&str]) -> User {
    User {
        name: format!("{role}-user"),
        role,
        nationalities: nats.iter().map(|c| cc(c)).collect(),
        camps: vec![],
        organisation: None,
        scope_organisations: vec![],
        actor: None,
    }
}

fn report(about: PersonId, place: PlaceId, content: &str) -> ReportInput {
    ReportInput {
        channel: Channel::TextMessage,
        received_at: Timestamp(1_571_000_000_000),
        observed_at: Timestamp(1_571_000_000_000),
        grade: Grade::parse("B2").unwrap(),
        content: content.into(),
        source: Some("synthetic sender 0700".into()),
        claims: vec![(about, ClaimKind::SeenAt { place })],
    }
}

fn writer<'a>(w: &'a mut World, u: &'a User) -> Writer<'a> {
    Writer {
        registry: &mut w.reg,
        directory: &w.dir,
        user: u,
        interface: "test",
        now_ms: 1_700_000_000_000,
    }
}

#[test]
fn roles_that_do_not_write_are_refused_and_nothing_is_written() {
    let mut w = world();
    let before = w.reg.event_count().unwrap();
    let (be, roj) = (w.be_only, w.roj);
    for role in [Role::Coordinator, Role::Researcher] {
        let u = user(role, &[]);
        let r = writer(&mut w, &u).record_report(report(be, roj, "x"));
        assert!(matches!(r, Err(AccessError::Forbidden { .. })), "{role}");
    }
    for role in [Role::Consular, Role::ChildProtection, Role::Researcher] {
        let u = user(role, &["BE"]);
        let r = writer(&mut w, &u).change_place_status(roj, PlaceStatus::Closed, Timestamp(0));
        assert!(matches!(r, Err(AccessError::Forbidden { .. })), "{role}");
    }
    assert_eq!(w.reg.event_count().unwrap(), before);
}

#[test]
fn a_claim_about_a_person_out_of_scope_is_not_found_and_audited() {
    let mut w = world();
    let before = w.reg.event_count().unwrap();
    let (fr, be, roj) = (w.fr_only, w.be_only, w.roj);
    let consul = user(Role::Consular, &["BE"]);
    let r = writer(&mut w, &consul).record_report(report(fr, roj, "probe"));
    assert!(matches!(r, Err(AccessError::NotFound)));
    let r = writer(&mut w, &consul).record_report(report(PersonId::from_u128(7), roj, "probe"));
    assert!(matches!(r, Err(AccessError::NotFound)));
    assert_eq!(w.reg.event_count().unwrap(), before);
    let denied = w.reg.audit_for(&format!("person:{fr}")).unwrap();
    assert!(denied.iter().any(|e| e.action == "report.record.denied"));
    // The same consul may write about their own national.
    writer(&mut w, &consul)
        .record_report(report(be, roj, "seen at the clinic"))
        .unwrap();
    assert_eq!(w.reg.event_count().unwrap(), before + 1);
}

#[test]
fn bad_reports_are_refused_with_what_to_fix() {
    let mut w = world();
    let (be, roj) = (w.be_only, w.roj);
    let u = user(Role::Tracing, &[]);
    let msg = |r: Result<_, AccessError>| match r {
        Err(AccessError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    };
    let empty = msg(writer(&mut w, &u).record_report(report(be, roj, "  ")));
    assert!(empty.contains("empty"), "{empty}");
    let long = msg(writer(&mut w, &u).record_report(report(be, roj, &"x".repeat(8_001))));
    assert!(long.contains("8000"), "{long}");
    let nowhere = msg(writer(&mut w, &u).record_report(report(be, PlaceId::from_u128(9), "x")));
    assert!(nowhere.contains("no place"), "{nowhere}");
    let mut many = report(be, roj, "x");
    many.claims = vec![(be, ClaimKind::Deceased); 21];
    let many = msg(writer(&mut w, &u).record_report(many));
    assert!(many.contains("at most 20"), "{many}");
}

#[test]
fn a_recorded_report_keeps_its_source_sealed_and_is_audited() {
    let mut w = world();
    let (be, roj) = (w.be_only, w.roj);
    let u = user(Role::Tracing, &[]);
    let id = writer(&mut w, &u)
        .record_report(report(be, roj, "seen at the water point"))
        .unwrap();
    let stored = w.reg.report(id).unwrap().unwrap().report;
    let sealed = stored.source.expect("a source was given");
    let needle = b"synthetic sender 0700";
    assert!(!sealed.0.windows(needle.len()).any(|win| win == needle));
    assert_eq!(
        w.reg
            .sealer()
            .open(model::report::SealClass::Source, &sealed)
            .unwrap(),
        needle
    );
    let audit = w.reg.audit_for(&format!("report:{id}")).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "report.record" && e.actor == u.name));
    let coordinator = user(Role::Coordinator, &[]);
    writer(&mut w, &coordinator)
        .change_place_status(roj, PlaceStatus::Unguarded, Timestamp(1_571_000_000_000))
        .unwrap();
    let place = w.reg.place(roj).unwrap().unwrap();
    assert_eq!(
        place.current_status().unwrap().status,
        PlaceStatus::Unguarded
    );
}
