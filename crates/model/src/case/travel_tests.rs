//! The rules of `travel`, as tables: what each stage allows, what is always refused, and
//! what staying behind changes in the checklist, a transfer and the unaccompanied flag.

use super::tests::{at, day, doc, entry, fresh, move_to, path_to, CHILD, LEGAL, MOTHER};
use super::*;
use Stage::*;

fn stays(person: PersonId, n: i64) -> TravelChange {
    TravelChange {
        person,
        travels: false,
        at: day(n),
        reason: "stays with her grandmother in Hasakah".into(),
    }
}

fn travels(person: PersonId, n: i64) -> TravelChange {
    TravelChange {
        travels: true,
        reason: "the grandmother cannot keep her".into(),
        ..stays(person, n)
    }
}

fn removal(person: PersonId, n: i64) -> Removal {
    Removal {
        person,
        at: day(n),
        reason: "added by mistake".into(),
    }
}

fn applied(mut case: CaseView, changes: &[CaseChange]) -> CaseView {
    for c in changes {
        case.apply(c).unwrap();
    }
    case
}

#[test]
fn what_each_stage_allows() {
    use TravelError::*;
    // (stage, staying behind, travelling again, removal): Ok or the error expected.
    let settled = |s| Err(Settled(s));
    let table: Vec<(Stage, Result<(), TravelError>)> = vec![
        (Identified, Ok(())),
        (NationalityVerified, Ok(())),
        (ConsularContact, Ok(())),
        (DecisionPending, Ok(())),
        (Approved, Ok(())),
        (Refused, Ok(())),
        (TransferArranged, Ok(())),
        (Arrived, settled(Arrived)),
        (LegalProceedings, settled(LegalProceedings)),
        (ReintegrationFollowUp, settled(ReintegrationFollowUp)),
        (Stage::Closed, Err(TravelError::Closed)),
    ];
    for (stage, want) in table {
        let case = at(&path_to(stage));
        assert_eq!(case.stage(), stage);
        assert_eq!(
            check_travel(&case, &stays(CHILD, 30)),
            want,
            "stays at {stage}"
        );
        assert_eq!(
            check_removal(&case, &removal(CHILD, 30)),
            want,
            "removal at {stage}"
        );
        let staying = applied(case, &[CaseChange::TravelChanged(stays(CHILD, 20))]);
        assert_eq!(
            check_travel(&staying, &travels(CHILD, 30)),
            want,
            "travels again at {stage}"
        );
    }
}

#[test]
fn travelling_again_once_the_transfer_is_arranged_needs_a_travel_document() {
    // The transfer was arranged while the child stayed behind: no travel document for her.
    let mut case = fresh();
    case.apply(&CaseChange::TravelChanged(stays(CHILD, 1)))
        .unwrap();
    for change in [
        doc(DocumentKind::NationalityProof, Some(MOTHER)),
        doc(DocumentKind::ConsularRequest, None),
        doc(DocumentKind::ExitAuthorisation, None),
        doc(DocumentKind::TravelDocument, Some(MOTHER)),
    ] {
        case.apply(&change).unwrap();
    }
    for (n, stage) in path_to(TransferArranged).into_iter().enumerate() {
        let n = n as i64 + 2;
        assert_eq!(check_transition(&case, &move_to(stage, n), LEGAL), Ok(()));
        case.apply(&entry(stage, n)).unwrap();
    }
    let err = check_travel(&case, &travels(CHILD, 30)).unwrap_err();
    assert_eq!(err, TravelError::NoTravelDocument(CHILD));
    assert!(err.to_string().contains("record it first"), "{err}");
    case.apply(&doc(DocumentKind::TravelDocument, Some(CHILD)))
        .unwrap();
    assert_eq!(check_travel(&case, &travels(CHILD, 30)), Ok(()));
}

#[test]
fn what_is_always_refused() {
    use TravelError::*;
    let case = fresh();
    let staying = applied(fresh(), &[CaseChange::TravelChanged(stays(CHILD, 5))]);
    let stranger = PersonId::from_u128(0xd3 << 120);
    let mut silent = stays(CHILD, 1);
    silent.reason = "  ".into();
    let mut silent_removal = removal(CHILD, 1);
    silent_removal.reason.clear();
    // (what, result, expected)
    let table: Vec<(&str, Result<(), TravelError>, TravelError)> = vec![
        (
            "not a member",
            check_travel(&case, &stays(stranger, 1)),
            NotMember(stranger),
        ),
        (
            "removing a non-member",
            check_removal(&case, &removal(stranger, 1)),
            NotMember(stranger),
        ),
        ("no reason", check_travel(&case, &silent), NoReason),
        (
            "removal without a reason",
            check_removal(&case, &silent_removal),
            NoReason,
        ),
        (
            "the principal",
            check_removal(&case, &removal(MOTHER, 1)),
            Principal,
        ),
        (
            "already travelling",
            check_travel(&case, &travels(CHILD, 1)),
            AlreadyTravelling(CHILD),
        ),
        (
            "already staying",
            check_travel(&staying, &stays(CHILD, 6)),
            AlreadyStaying(CHILD),
        ),
        (
            "before the previous change",
            check_travel(&staying, &travels(CHILD, 4)),
            BeforeLatest {
                person: CHILD,
                since: day(5),
            },
        ),
    ];
    for (what, got, want) in table {
        assert_eq!(got, Err(want), "{what}");
    }
    assert!(NotMember(stranger).to_string().contains("d3000000"));
    // The principal herself may stay behind (she refuses; her children go).
    assert_eq!(check_travel(&case, &stays(MOTHER, 1)), Ok(()));
}

#[test]
fn a_member_staying_behind_needs_no_travel_document_and_a_transfer_needs_a_traveller() {
    let mut case = at(&path_to(Approved));
    case.documents
        .retain(|d| !(d.kind == DocumentKind::TravelDocument && d.person == Some(CHILD)));
    let err = check_transition(&case, &move_to(TransferArranged, 30), LEGAL).unwrap_err();
    assert!(
        err.to_string().contains("travel_document for c2000000"),
        "{err}"
    );

    case.apply(&CaseChange::TravelChanged(stays(CHILD, 20)))
        .unwrap();
    let travel_documents: Vec<Option<PersonId>> = documents::checklist(&case)
        .iter()
        .filter(|i| i.kind == DocumentKind::TravelDocument)
        .map(|i| i.person)
        .collect();
    assert_eq!(travel_documents, vec![Some(MOTHER)]);
    assert_eq!(
        check_transition(&case, &move_to(TransferArranged, 30), LEGAL),
        Ok(())
    );

    case.apply(&CaseChange::TravelChanged(stays(MOTHER, 21)))
        .unwrap();
    assert!(case.travellers().is_empty());
    let err = check_transition(&case, &move_to(TransferArranged, 30), LEGAL).unwrap_err();
    assert!(err.to_string().contains("a member who travels"), "{err}");
}

#[test]
fn unaccompanied_when_everyone_who_travels_is_a_child() {
    let child = |p: PersonId| p == CHILD;
    let mother_stays = CaseChange::TravelChanged(stays(MOTHER, 2));
    let child_stays = CaseChange::TravelChanged(stays(CHILD, 2));
    let own_case = CaseView::opened(
        case_id(CHILD, "BE".parse().unwrap()),
        "BE".parse().unwrap(),
        CHILD,
        None,
        &[CHILD],
        day(0),
    );
    // (case, known children, unaccompanied, why)
    type Row<'a> = (CaseView, &'a dyn Fn(PersonId) -> bool, bool, &'a str);
    let table: Vec<Row> = vec![
        (fresh(), &child, false, "mother and child travel"),
        (
            applied(fresh(), std::slice::from_ref(&mother_stays)),
            &child,
            true,
            "the mother stays behind",
        ),
        (own_case, &child, true, "a child's own case"),
        (
            applied(fresh(), std::slice::from_ref(&mother_stays)),
            &|_| false,
            false,
            "ages unknown: not taken for children",
        ),
        (
            applied(fresh(), &[mother_stays, child_stays]),
            &child,
            false,
            "nobody travels",
        ),
    ];
    for (case, is_child, want, why) in table {
        assert_eq!(case.unaccompanied(is_child), want, "{why}");
    }
}

#[test]
fn changes_take_their_place_in_time_and_a_removal_takes_the_members_changes_with_it() {
    let mut case = fresh();
    case.apply(&CaseChange::TravelChanged(travels(CHILD, 9)))
        .unwrap();
    case.apply(&CaseChange::TravelChanged(stays(CHILD, 3)))
        .unwrap();
    // Recorded out of order, the later decision (travels, day 9) still decides.
    assert!(!case.stays_behind(CHILD));
    assert_eq!(case.travel_of(CHILD).unwrap().at, day(9));

    case.apply(&CaseChange::TravelChanged(stays(CHILD, 10)))
        .unwrap();
    assert!(case.stays_behind(CHILD));
    case.apply(&CaseChange::MemberRemoved(removal(CHILD, 11)))
        .unwrap();
    assert_eq!(case.members, vec![MOTHER]);
    assert!(case.travel.is_empty());
    assert_eq!(case.removed.len(), 1);
    case.apply(&CaseChange::MemberAdded { person: CHILD })
        .unwrap();
    assert!(!case.stays_behind(CHILD), "added again, the member travels");
    // A removal of the principal (never allowed by the rules) leaves her in the case.
    case.apply(&CaseChange::MemberRemoved(removal(MOTHER, 12)))
        .unwrap();
    assert_eq!(case.members[0], MOTHER);
}
