//! Repatriation cases through the access layer, on a small synthetic registry: a Belgian
//! mother with three children (one Belgian, one with only her father's nationality, one
//! whose Belgian nationality is disputed) and a French mother with a child. Who reads,
//! works on and counts which case; the stage rules and bad input refused with what to fix
//! and nothing written; children flagged; a disputed authorship shown from both sides;
//! members staying behind, removed and added again; an unaccompanied child's own case.

use access::cases::writes::{AuthorshipInput, EvidenceInput, ReportRef};
use access::writes::ReportInput;
use access::{AccessError, Directory, Gate, Role, User, Writer};
use model::case::{
    Author, CaseDocument, Decision, DocumentKind, EvidenceKind, Handover, Removal, Stage,
    Transition, TravelChange,
};
use model::claim::{Claim, ClaimKind, LegalStatus, Wish};
use model::event::Payload;
use model::ids::*;
use model::person::*;
use model::place::{Place, PlaceKind};
use model::report::{AttachmentHash, Channel, Grade, Report};
use model::time::{Timestamp, MS_PER_DAY};
use model::CountryCode;
use store::Registry;

const NOW: i64 = 1_573_000_000_000;
const ROJ: u128 = 1;
const BE_MOTHER: u128 = 10;
const BE_CHILD: u128 = 11;
const SY_CHILD: u128 = 12;
const DISPUTED_CHILD: u128 = 13;
const FR_MOTHER: u128 = 20;
const FR_CHILD: u128 = 21;

fn cc(s: &str) -> CountryCode {
    s.parse().unwrap()
}

fn pid(n: u128) -> PersonId {
    PersonId::from_u128(n)
}

fn day(n: i64) -> Timestamp {
    Timestamp(NOW + n * MS_PER_DAY)
}

fn nat(c: &str, status: NationalityStatus) -> NationalityClaim {
    NationalityClaim {
        country: cc(c),
        status,
        evidence: None,
        source: None,
    }
}

fn register(n: u128, name: &str, nats: Vec<NationalityClaim>, mother: Option<u128>) -> Payload {
    Payload::PersonRegistered {
        person: pid(n),
        registration: Registration {
            sex: Sex::Female,
            birth: None,
            names: vec![Name::new(name, NameKind::Full, None)],
            nationalities: nats,
            vulnerabilities: vec![],
            household: Some(HouseholdId::from_u128(mother.unwrap_or(n))),
            relationships: mother
                .map(|m| Relationship {
                    kind: RelationshipKind::ChildOf,
                    other: pid(m),
                    evidence: EvidenceGrade::Asserted,
                })
                .into_iter()
                .collect(),
            source: None,
        },
    }
}

fn camp_list() -> Payload {
    let id = ReportId::from_u128(500);
    let persons = [
        BE_MOTHER,
        BE_CHILD,
        SY_CHILD,
        DISPUTED_CHILD,
        FR_MOTHER,
        FR_CHILD,
    ];
    Payload::ReportReceived {
        report: Report {
            id,
            channel: Channel::OfficialList,
            received_at: day(-30),
            received_by: ActorId::from_u128(1),
            source: None,
            content: "Roj list".into(),
            attachments: vec![],
            grade: Grade::parse("A1").unwrap(),
        },
        claims: persons
            .iter()
            .enumerate()
            .map(|(i, p)| Claim {
                id: ClaimId::from_u128(600 + i as u128),
                report: id,
                person: pid(*p),
                observed_at: day(-30),
                kind: ClaimKind::SeenAt {
                    place: PlaceId::from_u128(ROJ),
                },
            })
            .collect(),
    }
}

struct World {
    reg: Registry,
    dir: Directory,
    _tmp: tempfile::TempDir,
}

fn world() -> World {
    use NationalityStatus::*;
    let tmp = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
    let events = vec![
        Payload::PlaceAdded {
            place: Place {
                id: PlaceId::from_u128(ROJ),
                name: "Roj".into(),
                kind: PlaceKind::Camp,
                parent: None,
            },
        },
        register(
            BE_MOTHER,
            "Nadia Verhoeven",
            vec![nat("BE", Confirmed)],
            None,
        ),
        register(
            BE_CHILD,
            "Lina Verhoeven",
            vec![nat("BE", Claimed)],
            Some(BE_MOTHER),
        ),
        register(
            SY_CHILD,
            "Yusuf Haddad",
            vec![nat("SY", Claimed)],
            Some(BE_MOTHER),
        ),
        register(
            DISPUTED_CHILD,
            "Sara Verhoeven",
            vec![nat("BE", Disputed)],
            Some(BE_MOTHER),
        ),
        register(FR_MOTHER, "Claire Dumont", vec![nat("FR", Confirmed)], None),
        register(
            FR_CHILD,
            "Hugo Dumont",
            vec![nat("FR", Claimed)],
            Some(FR_MOTHER),
        ),
        camp_list(),
    ];
    let actor = reg.local_actor();
    reg.append(
        actor,
        events.into_iter().map(|p| (day(-30), p)),
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

fn user(role: Role, nats: &[&str]) -> User {
    User {
        name: format!("{role}-{}", nats.join("")),
        role,
        nationalities: nats.iter().map(|c| cc(c)).collect(),
        camps: vec![],
        organisation: None,
        scope_organisations: vec![],
        actor: None,
    }
}

fn writer<'a>(w: &'a mut World, u: &'a User) -> Writer<'a> {
    Writer {
        registry: &mut w.reg,
        directory: &w.dir,
        user: u,
        interface: "test",
        now_ms: NOW,
    }
}

fn gate<'a>(w: &'a World, u: &'a User) -> Gate<'a> {
    Gate {
        registry: &w.reg,
        directory: &w.dir,
        user: u,
        interface: "test",
        now_ms: NOW,
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, AccessError>) -> String {
    match r {
        Err(AccessError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn hash(n: u8) -> AttachmentHash {
    AttachmentHash([n; 32])
}

fn doc(kind: DocumentKind, person: Option<u128>) -> CaseDocument {
    CaseDocument {
        kind,
        person: person.map(pid),
        hash: Some(hash(3)),
        received_at: day(-1),
        note: String::new(),
    }
}

fn report(content: &str, grade: &str) -> ReportInput {
    ReportInput {
        channel: Channel::Interview,
        received_at: day(-2),
        observed_at: day(-2),
        grade: Grade::parse(grade).unwrap(),
        content: content.into(),
        source: Some("synthetic interviewer".into()),
        claims: vec![],
    }
}

fn to(stage: Stage, at: i64) -> Transition {
    Transition {
        to: stage,
        at: day(at),
        decision: stage.is_decision().then(|| Decision {
            authority: "Federal Public Service Foreign Affairs".into(),
            decided_on: day(at),
        }),
        note: String::new(),
    }
}

/// Opens both mothers' cases as an admin; returns (BE case, FR case).
fn two_cases(w: &mut World) -> (CaseId, CaseId) {
    let admin = user(Role::Admin, &[]);
    let be = writer(w, &admin)
        .open_case(pid(BE_MOTHER), cc("BE"), day(-20))
        .unwrap();
    let fr = writer(w, &admin)
        .open_case(pid(FR_MOTHER), cc("FR"), day(-20))
        .unwrap();
    (be, fr)
}

#[test]
fn a_case_holds_the_mother_and_her_children_and_flags_those_of_another_nationality() {
    let mut w = world();
    let consul = user(Role::Consular, &["BE"]);
    let id = writer(&mut w, &consul)
        .open_case(pid(BE_MOTHER), cc("BE"), day(-20))
        .unwrap();
    let case = gate(&w, &consul).case(id).unwrap();
    assert_eq!(case.stage, "identified");
    assert!(case.may_work);
    let flags = |n: u128| -> Vec<&str> {
        case.members
            .iter()
            .find(|m| m.person.person_id == pid(n).to_string())
            .unwrap()
            .flags
            .iter()
            .map(|f| f.flag)
            .collect()
    };
    assert_eq!(case.members.len(), 4);
    assert_eq!(case.members[0].relation, "principal");
    assert!(flags(BE_MOTHER).is_empty());
    assert!(flags(BE_CHILD).is_empty());
    assert_eq!(
        flags(SY_CHILD),
        vec!["no_claim_for_country", "other_nationality"]
    );
    assert_eq!(
        flags(DISPUTED_CHILD),
        vec!["disputed_while_mother_confirmed"]
    );
    let board = gate(&w, &consul).case_board(day(0), 5).unwrap();
    assert_eq!(board.countries[0].stages[0].cases[0].flagged_children, 2);
}

#[test]
fn children_stay_in_their_mothers_case() {
    let mut w = world();
    let admin = user(Role::Admin, &[]);
    let err = invalid(writer(&mut w, &admin).open_case(pid(BE_CHILD), cc("BE"), day(-1)));
    assert!(
        err.contains("children stay in their mother's case"),
        "{err}"
    );
    assert!(err.contains(&pid(BE_MOTHER).to_string()), "{err}");
    // The Syrian-only child has no claim for BE at all.
    let err = invalid(writer(&mut w, &admin).open_case(pid(SY_CHILD), cc("BE"), day(-1)));
    assert!(err.contains("no nationality claim for BE"), "{err}");
    let id = writer(&mut w, &admin)
        .open_case(pid(BE_MOTHER), cc("BE"), day(-1))
        .unwrap();
    let err = invalid(writer(&mut w, &admin).open_case(pid(BE_MOTHER), cc("BE"), day(-1)));
    assert!(
        err.contains("open already") && err.contains(&id.to_string()),
        "{err}"
    );
    let err = invalid(writer(&mut w, &admin).add_case_member(id, pid(BE_CHILD)));
    assert!(err.contains("already a member"), "{err}");
    let err = invalid(writer(&mut w, &admin).add_case_member(id, pid(FR_CHILD)));
    assert!(
        err.contains("neither a child nor in the household"),
        "{err}"
    );
}

#[test]
fn a_consul_sees_and_works_only_its_countrys_cases_and_learns_nothing_of_others() {
    let mut w = world();
    let (be, fr) = two_cases(&mut w);
    let be_consul = user(Role::Consular, &["BE"]);
    let fr_consul = user(Role::Consular, &["FR"]);
    assert!(gate(&w, &be_consul).case(be).is_ok());
    assert!(matches!(
        gate(&w, &be_consul).case(fr),
        Err(AccessError::NotFound)
    ));
    assert!(matches!(
        gate(&w, &fr_consul).case(be),
        Err(AccessError::NotFound)
    ));
    // The same answer as for a case that does not exist.
    assert!(matches!(
        gate(&w, &be_consul).case(CaseId::from_u128(404)),
        Err(AccessError::NotFound)
    ));
    let denied = w.reg.audit_for(&format!("case:{fr}")).unwrap();
    assert!(denied.iter().any(|e| e.action == "case.read.denied"));
    // Writing to another country's case is "not found" too, and writes nothing.
    let before = w.reg.event_count().unwrap();
    let r = writer(&mut w, &be_consul).change_case_stage(fr, to(Stage::Closed, 0));
    assert!(matches!(r, Err(AccessError::NotFound)));
    let r = writer(&mut w, &be_consul)
        .record_case_document(fr, doc(DocumentKind::ConsularRequest, None));
    assert!(matches!(r, Err(AccessError::NotFound)));
    // Opening a case for a country outside its scope is refused outright.
    let r = writer(&mut w, &be_consul).open_case(pid(FR_MOTHER), cc("FR"), day(0));
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
    assert_eq!(w.reg.event_count().unwrap(), before);
    // The board: only BE, nothing of FR, not even a count.
    let board = gate(&w, &be_consul).case_board(day(0), 5).unwrap();
    assert_eq!(board.mode, "cases");
    let countries: Vec<&str> = board.countries.iter().map(|c| c.country.as_str()).collect();
    assert_eq!(countries, vec!["BE"]);
    let json = serde_json::to_string(&board).unwrap();
    assert!(!json.contains("FR") && !json.contains(&fr.to_string()));
    // Nor through the person page's list of cases.
    let of_child = gate(&w, &be_consul).cases_of_person(pid(BE_CHILD)).unwrap();
    assert_eq!(of_child.len(), 1);
    assert!(matches!(
        gate(&w, &be_consul).cases_of_person(pid(FR_CHILD)),
        Err(AccessError::NotFound)
    ));
}

#[test]
fn roles_read_work_or_count_as_the_policy_says() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    // Tracing reads but does not work; child protection reads without legal matters.
    let tracing = user(Role::Tracing, &[]);
    let case = gate(&w, &tracing).case(be).unwrap();
    assert!(!case.may_work && case.legal.is_some() && case.evidence.is_some());
    let r = writer(&mut w, &tracing).change_case_stage(be, to(Stage::Closed, 0));
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
    let cp = user(Role::ChildProtection, &[]);
    let case = gate(&w, &cp).case(be).unwrap();
    assert!(case.legal.is_none() && case.evidence.is_none() && case.wishes.is_some());
    // A coordinator gets counts only, suppressed; reading a case is refused.
    let coord = user(Role::Coordinator, &[]);
    assert!(matches!(
        gate(&w, &coord).case(be),
        Err(AccessError::Forbidden { .. })
    ));
    let board = gate(&w, &coord).case_board(day(0), 5).unwrap();
    assert_eq!(board.mode, "counts");
    assert_eq!(board.threshold, Some(5));
    for c in &board.countries {
        assert!(
            c.total.is_none(),
            "one case per country is below the threshold"
        );
        for s in &c.stages {
            assert!(s.cases.is_empty());
            assert!(s.count.is_none() || s.count == Some(0));
        }
    }
    // A researcher gets nothing.
    let researcher = user(Role::Researcher, &[]);
    assert!(matches!(
        gate(&w, &researcher).case_board(day(0), 5),
        Err(AccessError::Forbidden { .. })
    ));
    assert!(matches!(
        gate(&w, &researcher).case(be),
        Err(AccessError::Forbidden { .. })
    ));
}

#[test]
fn a_case_moves_by_the_rules_and_bad_moves_say_what_is_allowed_or_missing() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let before = w.reg.event_count().unwrap();
    let err = invalid(writer(&mut w, &consul).change_case_stage(be, to(Stage::Arrived, 0)));
    assert!(
        err.contains("cannot move to arrived; allowed next: nationality_verified, closed"),
        "{err}"
    );
    let err =
        invalid(writer(&mut w, &consul).change_case_stage(be, to(Stage::NationalityVerified, -10)));
    assert!(err.contains("needs a nationality_proof"), "{err}");
    let err =
        invalid(writer(&mut w, &consul).change_case_stage(be, to(Stage::NationalityVerified, 3)));
    assert!(err.contains("in the future"), "{err}");
    assert_eq!(w.reg.event_count().unwrap(), before, "nothing written");

    let mut wr = writer(&mut w, &consul);
    wr.record_case_document(be, doc(DocumentKind::NationalityProof, None))
        .unwrap();
    wr.change_case_stage(be, to(Stage::NationalityVerified, -10))
        .unwrap();
    wr.change_case_stage(be, to(Stage::ConsularContact, -9))
        .unwrap();
    wr.record_case_document(be, doc(DocumentKind::ConsularRequest, None))
        .unwrap();
    wr.change_case_stage(be, to(Stage::DecisionPending, -8))
        .unwrap();
    let mut no_authority = to(Stage::Refused, -5);
    no_authority.decision = None;
    let err = invalid(wr.change_case_stage(be, no_authority));
    assert!(err.contains("deciding authority"), "{err}");
    wr.change_case_stage(be, to(Stage::Refused, -5)).unwrap();
    let err = invalid(wr.change_case_stage(be, to(Stage::DecisionPending, -4)));
    assert!(err.contains("why the case is reopened"), "{err}");
    let mut reopen = to(Stage::DecisionPending, -4);
    reopen.note = "appeal lodged with the Council of State".into();
    wr.change_case_stage(be, reopen).unwrap();
    wr.change_case_stage(be, to(Stage::Approved, -3)).unwrap();
    let err = invalid(wr.change_case_stage(be, to(Stage::TransferArranged, -2)));
    assert!(
        err.contains("exit_authorisation") && err.contains("travel_document"),
        "{err}"
    );
    // A travel document is for one member.
    let err = invalid(wr.record_case_document(be, doc(DocumentKind::TravelDocument, None)));
    assert!(err.contains("name the member"), "{err}");
    // A person the consul may not see is "not found", like a read.
    let r = wr.record_case_document(be, doc(DocumentKind::TravelDocument, Some(FR_CHILD)));
    assert!(matches!(r, Err(AccessError::NotFound)));
    let admin = user(Role::Admin, &[]);
    let err = invalid(
        writer(&mut w, &admin)
            .record_case_document(be, doc(DocumentKind::TravelDocument, Some(FR_CHILD))),
    );
    assert!(err.contains("not a member"), "{err}");

    let case = gate(&w, &consul).case(be).unwrap();
    assert_eq!(case.stage, "approved");
    assert_eq!(case.decision.as_ref().unwrap().outcome, "approved");
    let refused = case
        .time_in_stages
        .iter()
        .find(|t| t.stage == "refused")
        .unwrap();
    assert_eq!(refused.days, 1.0);
    let missing: Vec<&str> = case
        .documents
        .iter()
        .filter(|d| d.status == "missing")
        .map(|d| d.kind)
        .collect();
    assert_eq!(
        missing,
        vec![
            "exit_authorisation",
            "travel_document",
            "travel_document",
            "travel_document",
            "travel_document"
        ]
    );
    let audit = w.reg.audit_for(&format!("case:{be}")).unwrap();
    assert!(audit.iter().filter(|e| e.action == "case.stage").count() >= 6);
}

#[test]
fn arrival_needs_a_handover_and_legal_proceedings_a_legal_record() {
    let mut w = world();
    let (_, fr) = two_cases(&mut w);
    let admin = user(Role::Admin, &[]);
    let mut wr = writer(&mut w, &admin);
    wr.record_case_document(fr, doc(DocumentKind::NationalityProof, None))
        .unwrap();
    wr.record_case_document(fr, doc(DocumentKind::ConsularRequest, None))
        .unwrap();
    wr.record_case_document(fr, doc(DocumentKind::ExitAuthorisation, None))
        .unwrap();
    for p in [FR_MOTHER, FR_CHILD] {
        wr.record_case_document(fr, doc(DocumentKind::TravelDocument, Some(p)))
            .unwrap();
    }
    for (i, s) in [
        Stage::NationalityVerified,
        Stage::ConsularContact,
        Stage::DecisionPending,
        Stage::Approved,
        Stage::TransferArranged,
    ]
    .into_iter()
    .enumerate()
    {
        wr.change_case_stage(fr, to(s, -10 + i as i64)).unwrap();
    }
    let err = invalid(wr.change_case_stage(fr, to(Stage::Arrived, -1)));
    assert!(err.contains("custody handover"), "{err}");
    let empty = Handover {
        from: " ".into(),
        to: "French consular team".into(),
        place: "Semalka crossing".into(),
        at: day(-1),
        persons: vec![],
        note: String::new(),
    };
    assert!(invalid(wr.record_handover(fr, empty.clone())).contains("from whom"));
    wr.record_handover(
        fr,
        Handover {
            from: "camp administration".into(),
            ..empty
        },
    )
    .unwrap();
    wr.change_case_stage(fr, to(Stage::Arrived, -1)).unwrap();
    let err = invalid(wr.change_case_stage(fr, to(Stage::LegalProceedings, 0)));
    assert!(err.contains("legal record"), "{err}");
    wr.record_case_claim(
        fr,
        pid(FR_MOTHER),
        ClaimKind::Legal(LegalStatus::ProceedingsOpened {
            authority: "Paris public prosecutor".into(),
        }),
        report("Prosecutor's notification", "A1"),
    )
    .unwrap();
    wr.change_case_stage(fr, to(Stage::LegalProceedings, 0))
        .unwrap();
    let case = gate(&w, &admin).case(fr).unwrap();
    assert_eq!(case.stage, "legal_proceedings");
    assert_eq!(case.handovers[0].persons.len(), 2);
    assert_eq!(case.legal.as_ref().unwrap().len(), 1);
}

#[test]
fn wishes_are_claims_with_their_reports() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let mut wr = writer(&mut w, &consul);
    wr.record_case_claim(
        be,
        pid(BE_MOTHER),
        ClaimKind::WishesTrialAtHome {
            country: Some(cc("BE")),
        },
        report("She asks to be tried in Belgium.", "B2"),
    )
    .unwrap();
    wr.record_case_claim(
        be,
        pid(BE_MOTHER),
        ClaimKind::StatesWish {
            wish: Wish::ChildrenToReturn,
        },
        report("She wants her children to go home.", "B2"),
    )
    .unwrap();
    let err =
        invalid(wr.record_case_claim(be, pid(BE_MOTHER), ClaimKind::Deceased, report("x", "B2")));
    assert!(err.contains("wishes and legal records"), "{err}");
    let case = gate(&w, &consul).case(be).unwrap();
    let wishes = case.wishes.unwrap();
    let kinds: Vec<&str> = wishes.iter().map(|r| r.claim.kind).collect();
    assert!(kinds.contains(&"wishes_trial_at_home") && kinds.contains(&"states_wish"));
    assert!(wishes.iter().all(|r| r.claim.grade == "B2"));
    // The consul's role sees no report text and no source.
    let r = wishes[0].report.as_ref().unwrap();
    assert!(r.content.is_none());
    assert_eq!(r.source.as_ref().map(|s| s.value.is_none()), Some(true));
    // Child protection may not record legal matters.
    let cp = user(Role::ChildProtection, &[]);
    let r = writer(&mut w, &cp).record_case_claim(
        be,
        pid(BE_MOTHER),
        ClaimKind::WishesTrialAtHome { country: None },
        report("x", "B2"),
    );
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
}

#[test]
fn a_disputed_authorship_shows_both_sides_with_their_grades() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let mut wr = writer(&mut w, &consul);
    let post = wr
        .capture_evidence(
            be,
            EvidenceInput {
                kind: EvidenceKind::SocialMediaPost,
                hash: hash(9),
                captured_at: day(-15),
                captured_by: "open-source analyst, federal police".into(),
                description: "post of March 2018 on her account".into(),
                about: Some(pid(BE_MOTHER)),
            },
        )
        .unwrap();
    wr.claim_authorship(
        be,
        post,
        AuthorshipInput {
            author: Author::Person(pid(BE_MOTHER)),
            note: "account registered in her name".into(),
            report: ReportRef::New(report("Analyst's attribution of the post", "B2")),
        },
    )
    .unwrap();
    wr.claim_authorship(
        be,
        post,
        AuthorshipInput {
            author: Author::Described("her husband".into()),
            note: "posted on her account by her husband".into(),
            report: ReportRef::New(report("Her statement in interview", "C3")),
        },
    )
    .unwrap();
    let err = invalid(wr.claim_authorship(
        be,
        EvidenceId::from_u128(1),
        AuthorshipInput {
            author: Author::Described("x".into()),
            note: String::new(),
            report: ReportRef::Existing(ReportId::from_u128(500)),
        },
    ));
    assert!(err.contains("no evidence item"), "{err}");
    let err = invalid(wr.claim_authorship(
        be,
        post,
        AuthorshipInput {
            author: Author::Described("x".into()),
            note: String::new(),
            report: ReportRef::Existing(ReportId::from_u128(999)),
        },
    ));
    assert!(err.contains("no report"), "{err}");
    // An author the consul may not see is "not found".
    let r = wr.claim_authorship(
        be,
        post,
        AuthorshipInput {
            author: Author::Person(pid(FR_MOTHER)),
            note: String::new(),
            report: ReportRef::Existing(ReportId::from_u128(500)),
        },
    );
    assert!(matches!(r, Err(AccessError::NotFound)));

    let case = gate(&w, &consul).case(be).unwrap();
    let ev = &case.evidence.as_ref().unwrap()[0];
    assert!(ev.authorship_disputed);
    assert_eq!(ev.hash, "09".repeat(32));
    let sides: Vec<(String, String)> = ev
        .authorship
        .iter()
        .map(|a| (a.author.clone(), a.report.as_ref().unwrap().grade.clone()))
        .collect();
    assert_eq!(
        sides,
        vec![
            ("Nadia Verhoeven".to_string(), "B2".to_string()),
            ("her husband".to_string(), "C3".to_string())
        ]
    );
    // A tracing officer holds the key to sources: both sides' sources open for them.
    let tracing = user(Role::Tracing, &[]);
    let case = gate(&w, &tracing).case(be).unwrap();
    let src = case.evidence.unwrap()[0].authorship[1]
        .report
        .clone()
        .unwrap()
        .source
        .unwrap();
    assert_eq!(src.value.as_deref(), Some("synthetic interviewer"));
}

#[test]
fn tasks_are_assigned_only_when_their_person_is_visible() {
    let mut w = world();
    let actor = w.reg.local_actor();
    for (n, person) in [(1u128, FR_MOTHER), (2, BE_MOTHER)] {
        w.reg
            .append_one(
                actor,
                day(0),
                Payload::TaskOpened {
                    task: model::task::Task {
                        id: TaskId::from_u128(n),
                        kind: model::task::TaskKind::Tracing,
                        person: pid(person),
                        priority: 50,
                        reason: "unaccounted for".into(),
                        opened_at: day(0),
                        assignee: None,
                        state: model::task::TaskState::Open,
                    },
                },
            )
            .unwrap();
    }
    let consul = user(Role::Consular, &["BE"]);
    let r = writer(&mut w, &consul).assign_task(TaskId::from_u128(1), Some("BE team".into()));
    assert!(matches!(r, Err(AccessError::NotFound)));
    let r = writer(&mut w, &consul).assign_task(TaskId::from_u128(77), Some("BE team".into()));
    assert!(matches!(r, Err(AccessError::NotFound)));
    let r = writer(&mut w, &consul).assign_task(TaskId::from_u128(2), Some("x".repeat(101)));
    assert!(matches!(r, Err(AccessError::Invalid(_))));
    writer(&mut w, &consul)
        .assign_task(
            TaskId::from_u128(2),
            Some("  Brussels tracing team ".into()),
        )
        .unwrap();
    let t = w.reg.task(TaskId::from_u128(2)).unwrap().unwrap();
    assert_eq!(t.assigned_to.as_deref(), Some("Brussels tracing team"));
    let coord = user(Role::Coordinator, &[]);
    let r = writer(&mut w, &coord).assign_task(TaskId::from_u128(2), None);
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
    let audit = w
        .reg
        .audit_for("task:00000000-0000-0000-0000-000000000001")
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "task.assign.denied"));
}

const LONE_CHILD: u128 = 14;

/// Registers a Belgian child of the Belgian mother, born in `year` (so of known age).
fn register_aged_child(w: &mut World, n: u128, year: i32) {
    let mut p = register(
        n,
        "Amina Verhoeven",
        vec![nat("BE", NationalityStatus::Claimed)],
        Some(BE_MOTHER),
    );
    if let Payload::PersonRegistered { registration, .. } = &mut p {
        registration.birth = Some(Birth::Year(year));
    }
    let actor = w.reg.local_actor();
    w.reg.append_one(actor, day(-25), p).unwrap();
    w.dir = Directory::build(&w.reg).unwrap();
}

fn stays(person: u128, reason: &str) -> TravelChange {
    TravelChange {
        person: pid(person),
        travels: false,
        at: day(-1),
        reason: reason.into(),
    }
}

fn member_of(case: &access::cases::view::CaseOut, n: u128) -> &access::cases::view::MemberOut {
    let id = pid(n).to_string();
    case.members
        .iter()
        .find(|m| m.person.person_id == id)
        .unwrap()
}

#[test]
fn a_member_who_stays_behind_shows_why_and_needs_no_travel_document() {
    let mut w = world();
    let (be, fr) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let reason = "stays with her grandmother in Qamishli";
    writer(&mut w, &consul)
        .change_travel(be, stays(SY_CHILD, reason))
        .unwrap();
    let case = gate(&w, &consul).case(be).unwrap();
    let m = member_of(&case, SY_CHILD);
    assert!(!m.travels);
    assert_eq!(m.stays_behind.as_ref().unwrap().reason, reason);
    assert!(member_of(&case, BE_CHILD).travels);
    let travel_documents: Vec<&str> = case
        .documents
        .iter()
        .filter(|d| d.kind == "travel_document")
        .filter_map(|d| d.person_id.as_deref())
        .collect();
    assert_eq!(travel_documents.len(), 3);
    assert!(!travel_documents.contains(&pid(SY_CHILD).to_string().as_str()));
    let board = gate(&w, &consul).case_board(day(0), 5).unwrap();
    assert_eq!(board.countries[0].stages[0].cases[0].staying_behind, 1);

    // Refused, saying why, and nothing written.
    let before = w.reg.event_count().unwrap();
    let err = invalid(writer(&mut w, &consul).change_travel(be, stays(SY_CHILD, "again")));
    assert!(err.contains("already stays behind"), "{err}");
    let err = invalid(writer(&mut w, &consul).change_travel(be, stays(BE_CHILD, " ")));
    assert!(err.contains("the reason is empty"), "{err}");
    let admin = user(Role::Admin, &[]);
    let err = invalid(writer(&mut w, &admin).change_travel(be, stays(FR_CHILD, "probe")));
    assert!(err.contains("not a member of case"), "{err}");
    // A person or a case the consul may not see: not found, as for a read.
    for (case, person) in [(be, FR_CHILD), (fr, FR_CHILD), (fr, BE_CHILD)] {
        let r = writer(&mut w, &consul).change_travel(case, stays(person, "probe"));
        assert!(matches!(r, Err(AccessError::NotFound)), "{r:?}");
    }
    let tracing = user(Role::Tracing, &[]);
    let r = writer(&mut w, &tracing).change_travel(be, stays(BE_CHILD, "probe"));
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
    assert_eq!(w.reg.event_count().unwrap(), before);

    // She travels again; her brother refuses to go: a handover names those who travel.
    let again = TravelChange {
        travels: true,
        at: day(0),
        ..stays(SY_CHILD, "the grandmother cannot keep her")
    };
    writer(&mut w, &consul).change_travel(be, again).unwrap();
    writer(&mut w, &consul)
        .change_travel(be, stays(BE_CHILD, "refuses to leave his father's family"))
        .unwrap();
    writer(&mut w, &consul)
        .record_handover(
            be,
            Handover {
                from: "camp office".into(),
                to: "Belgian consular team".into(),
                place: "Semalka crossing".into(),
                at: day(0),
                persons: vec![],
                note: String::new(),
            },
        )
        .unwrap();
    let case = gate(&w, &consul).case(be).unwrap();
    assert!(member_of(&case, SY_CHILD).travels);
    let handed: Vec<&String> = case.handovers[0].persons.iter().collect();
    assert_eq!(handed.len(), 3);
    assert!(!handed.contains(&&pid(BE_CHILD).to_string()));
    let audit = w.reg.audit_for(&format!("case:{be}")).unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "case.travel").count(),
        3
    );
}

#[test]
fn a_member_is_removed_with_a_reason_and_may_join_again() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let removal = |n: u128, reason: &str| Removal {
        person: pid(n),
        at: day(-1),
        reason: reason.into(),
    };
    let before = w.reg.event_count().unwrap();
    let err = invalid(writer(&mut w, &consul).remove_case_member(be, removal(BE_MOTHER, "x")));
    assert!(err.contains("principal cannot be removed"), "{err}");
    let err = invalid(writer(&mut w, &consul).remove_case_member(be, removal(BE_CHILD, "")));
    assert!(err.contains("the reason is empty"), "{err}");
    let r = writer(&mut w, &consul).remove_case_member(be, removal(FR_CHILD, "probe"));
    assert!(matches!(r, Err(AccessError::NotFound)));
    assert_eq!(w.reg.event_count().unwrap(), before);

    let reason = "a neighbour's child, added by mistake";
    writer(&mut w, &consul)
        .remove_case_member(be, removal(DISPUTED_CHILD, reason))
        .unwrap();
    let case = gate(&w, &consul).case(be).unwrap();
    assert_eq!(case.members.len(), 3);
    assert_eq!(case.removed.len(), 1);
    assert_eq!(case.removed[0].reason, reason);
    let joinable: Vec<&str> = case.may_join.iter().map(|p| p.person_id.as_str()).collect();
    assert_eq!(joinable, vec![pid(DISPUTED_CHILD).to_string().as_str()]);
    // Who may not work on the case is offered no one to add.
    let tracing = user(Role::Tracing, &[]);
    assert!(gate(&w, &tracing).case(be).unwrap().may_join.is_empty());
    writer(&mut w, &consul)
        .add_case_member(be, pid(DISPUTED_CHILD))
        .unwrap();
    assert_eq!(gate(&w, &consul).case(be).unwrap().members.len(), 4);
    let audit = w.reg.audit_for(&format!("case:{be}")).unwrap();
    assert!(audit.iter().any(|e| e.action == "case.member.remove"));
}

#[test]
fn an_unaccompanied_child_has_a_case_of_their_own() {
    let mut w = world();
    register_aged_child(&mut w, LONE_CHILD, 2012);
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    assert!(gate(&w, &consul)
        .case(be)
        .unwrap()
        .members
        .iter()
        .any(|m| m.person.person_id == pid(LONE_CHILD).to_string()));
    // While she travels in her mother's case she has no case of her own.
    let err = invalid(writer(&mut w, &consul).open_child_case(pid(LONE_CHILD), cc("BE"), day(-1)));
    assert!(
        err.contains("travels in case") && err.contains(&be.to_string()),
        "{err}"
    );
    let err = invalid(writer(&mut w, &consul).open_case(pid(LONE_CHILD), cc("BE"), day(-1)));
    assert!(
        err.contains("children stay in their mother's case"),
        "{err}"
    );
    // Nor a child of unknown age, nor an adult.
    let err = invalid(writer(&mut w, &consul).open_child_case(pid(BE_CHILD), cc("BE"), day(-1)));
    assert!(err.contains("record their birth or stated age"), "{err}");
    let fr_consul = user(Role::Consular, &["FR"]);
    let r = writer(&mut w, &fr_consul).open_child_case(pid(LONE_CHILD), cc("BE"), day(-1));
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));

    // Her mother stays; she goes home alone, on a case of her own.
    writer(&mut w, &consul)
        .change_travel(
            be,
            stays(
                LONE_CHILD,
                "goes home on a case of her own, with her mother's consent",
            ),
        )
        .unwrap();
    let own = writer(&mut w, &consul)
        .open_child_case(pid(LONE_CHILD), cc("BE"), day(0))
        .unwrap();
    let case = gate(&w, &consul).case(own).unwrap();
    assert!(case.unaccompanied);
    assert_eq!(case.members.len(), 1);
    assert_eq!(case.members[0].relation, "principal");
    assert!(!gate(&w, &consul).case(be).unwrap().unaccompanied);
    let board = gate(&w, &consul).case_board(day(1), 5).unwrap();
    let lines: Vec<_> = board.countries[0]
        .stages
        .iter()
        .flat_map(|s| &s.cases)
        .map(|c| (c.case_id.clone(), c.unaccompanied))
        .collect();
    assert!(lines.contains(&(own.to_string(), true)), "{lines:?}");
    assert!(lines.contains(&(be.to_string(), false)), "{lines:?}");
    // Removed from her mother's case, she cannot be added back while she has her own.
    writer(&mut w, &consul)
        .remove_case_member(
            be,
            Removal {
                person: pid(LONE_CHILD),
                at: day(0),
                reason: "has a case of her own".into(),
            },
        )
        .unwrap();
    let err = invalid(writer(&mut w, &consul).add_case_member(be, pid(LONE_CHILD)));
    assert!(err.contains("has a case of their own"), "{err}");
}

#[test]
fn a_mothers_case_leaves_out_a_child_with_a_case_of_her_own() {
    let mut w = world();
    register_aged_child(&mut w, LONE_CHILD, 2012);
    let admin = user(Role::Admin, &[]);
    let own = writer(&mut w, &admin)
        .open_child_case(pid(LONE_CHILD), cc("BE"), day(-2))
        .unwrap();
    let (be, _) = two_cases(&mut w);
    let ids: Vec<String> = gate(&w, &admin)
        .case(be)
        .unwrap()
        .members
        .iter()
        .map(|m| m.person.person_id.clone())
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(!ids.contains(&pid(LONE_CHILD).to_string()));
    assert!(gate(&w, &admin).case(own).unwrap().unaccompanied);
}

#[test]
fn a_wish_or_legal_record_about_a_person_the_caller_may_not_see_is_not_found() {
    let mut w = world();
    let (be, _) = two_cases(&mut w);
    let consul = user(Role::Consular, &["BE"]);
    let sentence = ClaimKind::Legal(LegalStatus::Sentenced {
        authority: "Criminal court, Brussels".into(),
        sentence: "five years".into(),
    });
    let before = w.reg.event_count().unwrap();
    for kind in [
        ClaimKind::StatesWish {
            wish: Wish::ToReturn,
        },
        sentence.clone(),
    ] {
        let r = writer(&mut w, &consul).record_case_claim(
            be,
            pid(FR_CHILD),
            kind,
            report("probe", "B2"),
        );
        assert!(matches!(r, Err(AccessError::NotFound)), "{r:?}");
    }
    assert_eq!(w.reg.event_count().unwrap(), before);
    // A sentence is a legal record, shown with its report's grade.
    writer(&mut w, &consul)
        .record_case_claim(
            be,
            pid(BE_MOTHER),
            sentence,
            report("Judgment of the criminal court.", "A1"),
        )
        .unwrap();
    let legal = gate(&w, &consul).case(be).unwrap().legal.unwrap();
    assert_eq!(legal.len(), 1);
    assert_eq!(legal[0].claim.grade, "A1");
    assert!(
        legal[0]
            .claim
            .text
            .as_deref()
            .unwrap()
            .contains("five years"),
        "{legal:?}"
    );
}
