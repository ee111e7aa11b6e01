//! The duplicate queue through the access layer: who may review, that a caller learns of
//! no person outside its scope through a pair (not even by the queue's size), that
//! decisions stick, merge and undo, and that each is audited.

use access::{AccessError, Directory, Gate, Role, User, Writer};
use model::event::Payload;
use model::ids::{CandidateId, PersonId};
use model::merge::{candidate_id, ordered, MatchCandidate, MatchDecision, MatchEvidence, Weight};
use model::person::{Name, NameKind, NationalityClaim, NationalityStatus, Registration, Sex};
use model::time::Timestamp;
use store::Registry;

const BE_1: u128 = 1;
const BE_2: u128 = 2;
const BE_3: u128 = 3;
const FR_1: u128 = 4;

fn p(n: u128) -> PersonId {
    PersonId::from_u128(n)
}

fn register(n: u128, name: &str, cc: &str) -> Payload {
    Payload::PersonRegistered {
        person: p(n),
        registration: Registration {
            sex: Sex::Female,
            birth: None,
            names: vec![Name::new(name, NameKind::Full, None)],
            nationalities: vec![NationalityClaim {
                country: cc.parse().unwrap(),
                status: NationalityStatus::Claimed,
                evidence: None,
                source: None,
            }],
            vulnerabilities: vec![],
            household: None,
            relationships: vec![],
            source: None,
        },
    }
}

fn scan(pairs: &[(u128, u128, f64)]) -> Payload {
    Payload::MatchCandidatesScanned {
        at: Timestamp(1_571_000_000_000),
        candidates: pairs
            .iter()
            .map(|(a, b, bits)| MatchCandidate {
                pair: ordered(p(*a), p(*b)),
                evidence: MatchEvidence {
                    weight: Weight::from_bits(*bits),
                    comparisons: vec![],
                    names: vec![],
                    keys: vec!["smr bzw".into()],
                    household: None,
                    kunya: false,
                },
            })
            .collect(),
        withdrawn: vec![],
    }
}

struct World {
    reg: Registry,
    _tmp: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let mut reg = Registry::create(&tmp.path().join("r.db"), "synthetic passphrase").unwrap();
        let actor = reg.local_actor();
        let events = vec![
            register(BE_1, "Samira Bouazzaoui", "BE"),
            register(BE_2, "Sameera Bu Azawi", "BE"),
            register(BE_3, "Samira Bouazaoui", "BE"),
            register(FR_1, "Samira Bouazzaoui", "FR"),
            scan(&[(BE_1, BE_2, 9.0), (BE_1, FR_1, 12.0), (BE_2, BE_3, 4.0)]),
        ];
        reg.append(
            actor,
            events.into_iter().map(|e| (Timestamp(0), e)),
            &mut |_| {},
        )
        .unwrap();
        Self { reg, _tmp: tmp }
    }

    fn read<T>(&self, u: &User, f: impl FnOnce(&Gate) -> T) -> T {
        let dir = Directory::build(&self.reg).unwrap();
        f(&Gate {
            registry: &self.reg,
            directory: &dir,
            user: u,
            interface: "test",
            now_ms: 1_572_000_000_000,
        })
    }

    fn write<T>(&mut self, u: &User, f: impl FnOnce(&mut Writer) -> T) -> T {
        let dir = Directory::build(&self.reg).unwrap();
        f(&mut Writer {
            registry: &mut self.reg,
            directory: &dir,
            user: u,
            interface: "test",
            now_ms: 1_572_000_000_000,
        })
    }

    fn queue_ids(&self, u: &User) -> Vec<String> {
        self.read(u, |g| g.duplicate_queue(50).unwrap())
            .items
            .into_iter()
            .map(|i| i.candidate_id)
            .collect()
    }
}

fn user(role: Role, nats: &[&str]) -> User {
    User {
        name: format!("{role}-reviewer"),
        role,
        nationalities: nats.iter().map(|c| c.parse().unwrap()).collect(),
        camps: vec![],
        organisation: None,
        scope_organisations: Vec::new(),
        actor: None,
    }
}

fn cid(a: u128, b: u128) -> CandidateId {
    candidate_id(p(a), p(b))
}

#[test]
fn a_consul_sees_only_pairs_of_its_own_nationals_and_counts_only_those() {
    let w = World::new();
    let be = user(Role::Consular, &["BE"]);
    let fr = user(Role::Consular, &["FR"]);
    let tracer = user(Role::Tracing, &[]);
    let all = w.read(&tracer, |g| g.duplicate_queue(50).unwrap());
    assert_eq!(all.total, 3);
    // Strongest first.
    assert_eq!(all.items[0].candidate_id, cid(BE_1, FR_1).to_string());
    let q = w.read(&be, |g| g.duplicate_queue(50).unwrap());
    assert_eq!(q.total, 2, "the BE/FR pair is not even counted");
    assert!(q
        .items
        .iter()
        .all(|i| i.candidate_id != cid(BE_1, FR_1).to_string()));
    let q = w.read(&fr, |g| g.duplicate_queue(50).unwrap());
    assert_eq!((q.total, q.items.len()), (0, 0));
    for (a, b) in [(BE_1, FR_1), (BE_1, BE_2)] {
        let err = w.read(&fr, |g| g.duplicate(cid(a, b)).unwrap_err());
        assert!(matches!(err, AccessError::NotFound), "{err}");
    }
    // An id that names no candidate gets the same answer.
    let err = w.read(&fr, |g| {
        g.duplicate(CandidateId::from_u128(77)).unwrap_err()
    });
    assert!(matches!(err, AccessError::NotFound));
}

#[test]
fn coordinators_and_researchers_may_not_review_at_all() {
    let mut w = World::new();
    for role in [Role::Coordinator, Role::Researcher] {
        let u = user(role, &[]);
        let err = w.read(&u, |g| g.duplicate_queue(50).unwrap_err());
        assert!(matches!(err, AccessError::Forbidden { .. }), "{role}");
        let err = w.write(&u, |wr| {
            wr.decide_duplicate(cid(BE_1, BE_2), MatchDecision::Match, "", None)
                .unwrap_err()
        });
        assert!(matches!(err, AccessError::Forbidden { .. }), "{role}");
    }
}

#[test]
fn deciding_on_a_pair_the_caller_cannot_both_see_is_not_found_and_writes_nothing() {
    let mut w = World::new();
    let be = user(Role::Consular, &["BE"]);
    let before = w.reg.event_count().unwrap();
    let err = w.write(&be, |wr| {
        wr.decide_duplicate(cid(BE_1, FR_1), MatchDecision::Match, "", None)
            .unwrap_err()
    });
    assert!(matches!(err, AccessError::NotFound));
    assert_eq!(w.reg.event_count().unwrap(), before);
    let denied = w
        .reg
        .audit_for(&format!("candidate:{}", cid(BE_1, FR_1)))
        .unwrap();
    assert_eq!(denied.last().unwrap().action, "duplicates.decide.denied");
}

#[test]
fn a_match_merges_and_an_undo_separates_again_both_audited() {
    let mut w = World::new();
    let be = user(Role::Consular, &["BE"]);
    let out = w.write(&be, |wr| {
        wr.decide_duplicate(
            cid(BE_1, BE_2),
            MatchDecision::Match,
            "same woman",
            Some(p(BE_1)),
        )
        .unwrap()
    });
    assert_eq!(out.person_id.as_deref(), Some(p(BE_1).to_string().as_str()));
    // The old id resolves, says so, and the person shows both records.
    let shown = w.read(&be, |g| g.person(p(BE_2)).unwrap());
    assert_eq!(shown.person_id, p(BE_1).to_string());
    assert_eq!(
        shown.merged_from.as_ref().unwrap().person_id,
        p(BE_2).to_string()
    );
    assert_eq!(shown.records.len(), 2);
    assert_eq!(shown.names.as_ref().unwrap().len(), 2);
    // The queue no longer holds the pair; the other pair of BE_2 now reads as BE_1's.
    let queue = w.read(&be, |g| g.duplicate_queue(50).unwrap());
    assert_eq!(queue.total, 1);
    assert_eq!(queue.items[0].a.person_id, p(BE_1).to_string());
    let audit = w
        .reg
        .audit_for(&format!("candidate:{}", cid(BE_1, BE_2)))
        .unwrap();
    assert_eq!(audit.last().unwrap().action, "duplicates.decide");
    assert_eq!(audit.last().unwrap().actor, "consular-reviewer");
    let merged = w.reg.audit_for(&format!("person:{}", p(BE_2))).unwrap();
    assert!(merged.iter().any(|e| e.action == "person.merge"));

    let merge = out.merge_id.unwrap().parse().unwrap();
    // A consul of another country may not undo it (nor learn it exists).
    let err = w.write(&user(Role::Consular, &["FR"]), |wr| {
        wr.undo_merge(merge, "").unwrap_err()
    });
    assert!(matches!(err, AccessError::NotFound));
    w.write(&be, |wr| wr.undo_merge(merge, "two sisters").unwrap());
    let shown = w.read(&be, |g| g.person(p(BE_2)).unwrap());
    assert_eq!(shown.person_id, p(BE_2).to_string());
    assert!(shown.merged_from.is_none() && shown.records.is_empty());
    let audit = w.reg.audit_for(&format!("merge:{merge}")).unwrap();
    assert_eq!(audit.last().unwrap().action, "person.merge.undo");
    // Back in the queue, with its history.
    assert!(w.queue_ids(&be).contains(&cid(BE_1, BE_2).to_string()));
    let c = w.read(&be, |g| g.duplicate(cid(BE_1, BE_2)).unwrap());
    let steps: Vec<&str> = c.history.iter().map(|h| h.step).collect();
    assert_eq!(steps, ["match", "merged", "merge_undone"]);
}

#[test]
fn not_a_match_is_remembered_and_unsure_stays_marked() {
    let mut w = World::new();
    let tracer = user(Role::Tracing, &[]);
    w.write(&tracer, |wr| {
        wr.decide_duplicate(
            cid(BE_1, FR_1),
            MatchDecision::NotAMatch,
            "different mothers",
            None,
        )
        .unwrap();
        wr.decide_duplicate(cid(BE_2, BE_3), MatchDecision::Unsure, "ask the camp", None)
            .unwrap();
    });
    // A later scan finds both pairs again.
    let actor = w.reg.local_actor();
    w.reg
        .append_one(
            actor,
            Timestamp(1),
            scan(&[(BE_1, FR_1, 14.0), (BE_2, BE_3, 5.0)]),
        )
        .unwrap();
    let queue = w.read(&tracer, |g| g.duplicate_queue(50).unwrap());
    let ids: Vec<&str> = queue
        .items
        .iter()
        .map(|i| i.candidate_id.as_str())
        .collect();
    assert!(!ids.contains(&cid(BE_1, FR_1).to_string().as_str()));
    let unsure = queue
        .items
        .iter()
        .find(|i| i.candidate_id == cid(BE_2, BE_3).to_string())
        .unwrap();
    assert_eq!(unsure.status, "unsure");
    // After a rebuild too.
    w.reg.rebuild(&mut |_, _| {}).unwrap();
    assert!(!w.queue_ids(&tracer).contains(&cid(BE_1, FR_1).to_string()));
}

#[test]
fn a_long_note_or_a_foreign_keep_is_refused_clearly() {
    let mut w = World::new();
    let tracer = user(Role::Tracing, &[]);
    let long = "x".repeat(access::duplicates::MAX_NOTE_CHARS + 1);
    let err = w.write(&tracer, |wr| {
        wr.decide_duplicate(cid(BE_1, BE_2), MatchDecision::Unsure, &long, None)
            .unwrap_err()
    });
    assert!(err.to_string().contains("note"), "{err}");
    let err = w.write(&tracer, |wr| {
        wr.decide_duplicate(cid(BE_1, BE_2), MatchDecision::Match, "", Some(p(BE_3)))
            .unwrap_err()
    });
    assert!(err.to_string().contains("keep"), "{err}");
}
