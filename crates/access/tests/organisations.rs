//! Organisation scopes: a user limited to one organisation sees, finds, counts and
//! writes about only the persons that organisation has recorded something about; what a
//! user enters carries their own enrolled actor, so every replica can tell which
//! organisation entered it.

use access::identity::add_user;
use access::writes::ReportInput;
use access::{AccessError, Directory, Gate, Role, User, Writer};
use model::actor::organisation_key;
use model::claim::ClaimKind;
use model::ids::PersonId;
use model::report::{Channel, Grade};
use model::time::Timestamp;
use store::{Registry, StatsDimension};

const TRACING_ORG: &str = "Family Tracing Network";
const PASSWORD: &str = "synthetic password for tests";

struct World {
    reg: Registry,
    dir: Directory,
    _tmp: tempfile::TempDir,
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
    World {
        reg,
        dir,
        _tmp: tmp,
    }
}

fn scoped(name: &str, role: Role) -> User {
    User {
        scope_organisations: vec![TRACING_ORG.into()],
        organisation: Some(TRACING_ORG.into()),
        ..User::new(name, role)
    }
}

fn gate<'a>(w: &'a World, u: &'a User) -> Gate<'a> {
    Gate {
        registry: &w.reg,
        directory: &w.dir,
        user: u,
        interface: "test",
        now_ms: 1_700_000_000_000,
    }
}

/// A person the tracing network reported on, and one it never did.
fn recorded_and_not(w: &World) -> (PersonId, PersonId) {
    let key = organisation_key(TRACING_ORG);
    let mut ids: Vec<PersonId> = w.dir.ids().collect();
    ids.sort();
    let of = |want: bool| {
        ids.iter()
            .copied()
            .find(|id| w.dir.facts(*id).unwrap().organisations.contains(&key) == want)
            .unwrap()
    };
    (of(true), of(false))
}

#[test]
fn the_demo_enrols_its_organisations_and_persons_carry_them() {
    let w = world();
    let actors = w.reg.actors().unwrap();
    assert_eq!(actors.len(), 5);
    let (recorded, other) = recorded_and_not(&w);
    assert!(w.dir.facts(recorded).unwrap().organisations.len() >= 2);
    assert!(!w.dir.facts(other).unwrap().organisations.is_empty());
}

#[test]
fn a_scoped_user_reads_only_what_their_organisation_recorded() {
    let w = world();
    let (recorded, other) = recorded_and_not(&w);
    for role in [Role::Caseworker, Role::Tracing, Role::ChildProtection] {
        let u = scoped("scoped", role);
        let g = gate(&w, &u);
        assert!(g.person(recorded).is_ok(), "{role} reads its own");
        assert!(
            matches!(g.person(other), Err(AccessError::NotFound)),
            "{role} reads another organisation's"
        );
        assert!(matches!(g.timeline(other), Err(AccessError::NotFound)));
    }
}

#[test]
fn a_scoped_user_cannot_find_or_count_the_others() {
    let w = world();
    let (_, other) = recorded_and_not(&w);
    let view = w.reg.person(other).unwrap().unwrap();
    let name = view.display_name();
    let u = scoped("scoped", Role::Tracing);
    let hits = gate(&w, &u).search(&name, 50).unwrap();
    assert!(hits.iter().all(|h| h.person_id != other.to_string()));
    let unscoped = User::new("free", Role::Tracing);
    let hits = gate(&w, &unscoped).search(&name, 50).unwrap();
    assert!(hits.iter().any(|h| h.person_id == other.to_string()));

    let key = organisation_key(TRACING_ORG);
    let expected = w
        .dir
        .ids()
        .filter(|id| w.dir.facts(*id).unwrap().organisations.contains(&key))
        .count() as u64;
    let all = w.dir.len() as u64;
    assert!(expected >= 5 && expected < all);
    for role in [Role::Coordinator, Role::Tracing] {
        let u = scoped("counter", role);
        let table = gate(&w, &u)
            .stats(&[StatsDimension::Camp], 2019, 5)
            .unwrap();
        assert_eq!(table.total, Some(expected), "{role} counts only its own");
    }
}

#[test]
fn a_users_report_carries_their_actor_and_brings_the_person_into_their_scope() {
    let mut w = world();
    let (_, other) = recorded_and_not(&w);
    let mut u = scoped("new.tracer", Role::Tracing);
    add_user(&mut w.reg, &u, PASSWORD, "operator", "test", 0).unwrap();
    u = User::from_record(&w.reg.user("new.tracer").unwrap().unwrap()).unwrap();
    let actor = u.actor.expect("an enrolled actor");
    assert_eq!(
        w.reg.actors().unwrap()[&actor]
            .enrolment
            .organisation
            .as_deref(),
        Some(TRACING_ORG)
    );

    // An unscoped colleague of the same organisation reports on the other person.
    let mut colleague = User::new("colleague", Role::Tracing);
    colleague.organisation = Some(TRACING_ORG.into());
    add_user(&mut w.reg, &colleague, PASSWORD, "operator", "test", 0).unwrap();
    let colleague = User::from_record(&w.reg.user("colleague").unwrap().unwrap()).unwrap();
    let camp = w.reg.find_places("Roj").unwrap()[0].place.id;
    let dir = w.dir.clone();
    let report = Writer {
        registry: &mut w.reg,
        directory: &dir,
        user: &colleague,
        interface: "test",
        now_ms: 1_700_000_000_000,
    }
    .record_report(ReportInput {
        channel: Channel::Call,
        received_at: Timestamp(1_571_000_000_000),
        observed_at: Timestamp(1_571_000_000_000),
        grade: Grade::parse("B2").unwrap(),
        content: "seen at the water point".into(),
        source: None,
        claims: vec![(other, ClaimKind::SeenAt { place: camp })],
    })
    .unwrap();
    let stored = w.reg.report(report).unwrap().unwrap();
    assert_eq!(Some(stored.report.received_by), colleague.actor);

    w.dir = Directory::build(&w.reg).unwrap();
    assert!(gate(&w, &u).person(other).is_ok());
}

#[test]
fn an_unusable_organisation_name_is_refused_and_nothing_is_written() {
    let mut w = world();
    let before = w.reg.event_count().unwrap();
    let mut u = User::new("bad.org", Role::Tracing);
    u.scope_organisations = vec!["tab\tinside".into()];
    let err = add_user(&mut w.reg, &u, PASSWORD, "operator", "test", 0).unwrap_err();
    assert!(err.to_string().contains("organisation name"), "{err}");
    assert_eq!(w.reg.event_count().unwrap(), before);
    assert!(w.reg.user("bad.org").unwrap().is_none());

    // A taken name writes no enrolment either.
    let ok = User::new("taken", Role::Tracing);
    add_user(&mut w.reg, &ok, PASSWORD, "operator", "test", 0).unwrap();
    let after_first = w.reg.event_count().unwrap();
    assert!(add_user(&mut w.reg, &ok, PASSWORD, "operator", "test", 0).is_err());
    assert_eq!(w.reg.event_count().unwrap(), after_first);
}
