use super::*;
use crate::report::AttachmentHash;
use crate::time::MS_PER_DAY;
use Stage::*;

// Ids whose first 8 characters (what messages show) differ: a1000000…, c2000000….
pub(super) const MOTHER: PersonId = PersonId(uuid::Uuid::from_u128(0xa1 << 120));
pub(super) const CHILD: PersonId = PersonId(uuid::Uuid::from_u128(0xc2 << 120));

pub(super) fn day(n: i64) -> Timestamp {
    Timestamp(1_572_000_000_000 + n * MS_PER_DAY)
}

fn be() -> CountryCode {
    "BE".parse().unwrap()
}

pub(super) fn fresh() -> CaseView {
    CaseView::opened(
        case_id(MOTHER, be()),
        be(),
        MOTHER,
        None,
        &[MOTHER, CHILD],
        day(0),
    )
}

pub(super) fn doc(kind: DocumentKind, person: Option<PersonId>) -> CaseChange {
    CaseChange::DocumentReceived(CaseDocument {
        kind,
        person,
        hash: Some(AttachmentHash([7; 32])),
        received_at: day(0),
        note: String::new(),
    })
}

pub(super) fn every_document(case: &mut CaseView) {
    for change in [
        doc(DocumentKind::NationalityProof, Some(MOTHER)),
        doc(DocumentKind::ConsularRequest, None),
        doc(DocumentKind::ExitAuthorisation, None),
        doc(DocumentKind::TravelDocument, Some(MOTHER)),
        doc(DocumentKind::TravelDocument, Some(CHILD)),
        CaseChange::CustodyHandedOver(Handover {
            from: "camp office".into(),
            to: "consular team".into(),
            place: "crossing".into(),
            at: day(0),
            persons: vec![MOTHER, CHILD],
            note: String::new(),
        }),
    ] {
        case.apply(&change).unwrap();
    }
}

pub(super) fn entry(stage: Stage, n: i64) -> CaseChange {
    CaseChange::StageChanged(StageEntry {
        stage,
        at: day(n),
        decision: stage.is_decision().then(|| Decision {
            authority: "ministry".into(),
            decided_on: day(n),
        }),
        note: "because".into(),
    })
}

/// A case with every document, walked (without checks) along `path`.
pub(super) fn at(path: &[Stage]) -> CaseView {
    let mut case = fresh();
    every_document(&mut case);
    for (i, s) in path.iter().enumerate() {
        case.apply(&entry(*s, i as i64 + 1)).unwrap();
    }
    case
}

pub(super) fn move_to(to: Stage, n: i64) -> Transition {
    Transition {
        to,
        at: day(n),
        decision: to.is_decision().then(|| Decision {
            authority: "Federal Public Service Foreign Affairs".into(),
            decided_on: day(n),
        }),
        note: "reason given".into(),
    }
}

pub(super) const LEGAL: CaseFacts = CaseFacts { legal_records: 1 };

/// The path that leads to each stage (closed: from decision pending).
pub(super) fn path_to(s: Stage) -> Vec<Stage> {
    let main = [
        NationalityVerified,
        ConsularContact,
        DecisionPending,
        Approved,
        TransferArranged,
        Arrived,
    ];
    match s {
        Identified => vec![],
        Refused => vec![
            NationalityVerified,
            ConsularContact,
            DecisionPending,
            Refused,
        ],
        LegalProceedings | ReintegrationFollowUp => {
            let mut p = main.to_vec();
            p.push(s);
            p
        }
        Closed => vec![
            NationalityVerified,
            ConsularContact,
            DecisionPending,
            Closed,
        ],
        _ => {
            let end = main.iter().position(|m| *m == s).unwrap();
            main[..=end].to_vec()
        }
    }
}

#[test]
fn stage_rule_table() {
    // (from, allowed next) — the table in `stage`'s docs, checked in both directions: every
    // listed move passes `check_transition` with what it needs, every other one is refused.
    let table: [(Stage, &[Stage]); 11] = [
        (Identified, &[NationalityVerified, Closed]),
        (NationalityVerified, &[ConsularContact, Closed]),
        (ConsularContact, &[DecisionPending, Closed]),
        (DecisionPending, &[Approved, Refused, Closed]),
        (Approved, &[TransferArranged, Closed]),
        (Refused, &[DecisionPending, Closed]),
        (TransferArranged, &[Arrived, Approved, Closed]),
        (Arrived, &[LegalProceedings, ReintegrationFollowUp, Closed]),
        (LegalProceedings, &[ReintegrationFollowUp, Closed]),
        (ReintegrationFollowUp, &[LegalProceedings, Closed]),
        (Closed, &[DecisionPending]),
    ];
    for (from, allowed) in table {
        let case = at(&path_to(from));
        assert_eq!(case.stage(), from);
        assert_eq!(case.allowed_next(), allowed, "allowed from {from}");
        for to in Stage::ALL {
            let result = check_transition(&case, &move_to(to, 30), LEGAL);
            if allowed.contains(&to) {
                assert_eq!(result, Ok(()), "{from} → {to}");
            } else if to == from {
                assert_eq!(result, Err(TransitionError::AlreadyThere(from)));
            } else {
                let err = result.unwrap_err();
                assert!(
                    matches!(err, TransitionError::NotAllowed { .. }),
                    "{from} → {to}: {err}"
                );
                // The message says what is allowed next.
                for a in allowed {
                    assert!(err.to_string().contains(a.as_str()), "{err}");
                }
            }
        }
    }
}

#[test]
fn no_arrival_before_the_transfer_is_arranged() {
    let case = at(&path_to(Approved));
    let err = check_transition(&case, &move_to(Arrived, 30), LEGAL).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a case at approved cannot move to arrived; allowed next: transfer_arranged, closed"
    );
}

#[test]
fn each_move_says_what_it_lacks() {
    // (stage the case is at, move, what the message names)
    let bare = fresh();
    let err = check_transition(&bare, &move_to(NationalityVerified, 1), LEGAL).unwrap_err();
    assert_eq!(
        err.to_string(),
        "moving to nationality_verified needs a nationality_proof for a1000000"
    );

    let mut approved = fresh();
    for s in [
        NationalityVerified,
        ConsularContact,
        DecisionPending,
        Approved,
    ] {
        approved.apply(&entry(s, 1)).unwrap();
    }
    approved
        .apply(&doc(DocumentKind::TravelDocument, Some(MOTHER)))
        .unwrap();
    let err = check_transition(&approved, &move_to(TransferArranged, 2), LEGAL).unwrap_err();
    assert_eq!(
        err.to_string(),
        "moving to transfer_arranged needs an exit_authorisation, a travel_document for c2000000"
    );

    let mut arranged = approved.clone();
    arranged.apply(&entry(TransferArranged, 3)).unwrap();
    let err = check_transition(&arranged, &move_to(Arrived, 4), LEGAL).unwrap_err();
    assert!(err.to_string().contains("custody handover"), "{err}");

    let arrived = at(&path_to(Arrived));
    let err = check_transition(
        &arrived,
        &move_to(LegalProceedings, 30),
        CaseFacts::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("legal record"), "{err}");

    let mut no_note = move_to(Closed, 30);
    no_note.note = " ".into();
    let err = check_transition(&arrived, &no_note, LEGAL).unwrap_err();
    assert!(err.to_string().contains("why the case is closed"), "{err}");
}

#[test]
fn a_refused_case_may_be_reopened_with_a_reason() {
    let refused = at(&path_to(Refused));
    assert_eq!(refused.decision().unwrap().0, Refused);
    let mut silent = move_to(DecisionPending, 30);
    silent.note.clear();
    let err = check_transition(&refused, &silent, LEGAL).unwrap_err();
    assert!(
        err.to_string().contains("why the case is reopened"),
        "{err}"
    );
    assert_eq!(
        check_transition(&refused, &move_to(DecisionPending, 30), LEGAL),
        Ok(())
    );
}

#[test]
fn a_closed_case_reopens_to_where_it_was() {
    let closed = at(&path_to(Closed));
    assert_eq!(closed.closed_from(), Some(DecisionPending));
    assert_eq!(closed.allowed_next(), vec![DecisionPending]);
}

#[test]
fn decisions_need_an_authority_and_only_decisions_have_one() {
    let pending = at(&path_to(DecisionPending));
    let mut t = move_to(Approved, 30);
    t.decision = None;
    assert_eq!(
        check_transition(&pending, &t, LEGAL),
        Err(TransitionError::NeedsDecision { to: Approved })
    );
    t.decision = Some(Decision {
        authority: "  ".into(),
        decided_on: day(30),
    });
    assert!(check_transition(&pending, &t, LEGAL).is_err());
    let mut c = move_to(Closed, 30);
    c.decision = Some(Decision {
        authority: "ministry".into(),
        decided_on: day(30),
    });
    assert_eq!(
        check_transition(&pending, &c, LEGAL),
        Err(TransitionError::DecisionNotExpected { to: Closed })
    );
}

#[test]
fn a_move_cannot_take_effect_before_the_current_stage() {
    let case = at(&path_to(ConsularContact));
    let err = check_transition(&case, &move_to(DecisionPending, 0), LEGAL).unwrap_err();
    assert!(
        matches!(err, TransitionError::BeforeCurrent { .. }),
        "{err}"
    );
}

#[test]
fn unknown_stages_are_named_with_the_known_ones() {
    let err = Stage::parse("deported").unwrap_err();
    assert!(err.to_string().contains("'deported' is not a case stage"));
    assert!(err.to_string().contains("reintegration_follow_up"));
    assert_eq!(Stage::parse("Transfer arranged"), Ok(TransferArranged));
    for s in Stage::ALL {
        assert_eq!(Stage::parse(s.as_str()), Ok(s));
    }
}

#[test]
fn time_in_each_stage_as_of_a_given_time() {
    let mut case = fresh(); // identified on day 0
    case.apply(&entry(NationalityVerified, 3)).unwrap();
    case.apply(&entry(ConsularContact, 10)).unwrap();
    case.apply(&entry(DecisionPending, 12)).unwrap();
    case.apply(&entry(Refused, 20)).unwrap();
    case.apply(&entry(DecisionPending, 25)).unwrap(); // reopened
    let days = |as_of: i64| -> Vec<(Stage, i64)> {
        case.time_in_stages(day(as_of))
            .into_iter()
            .map(|(s, ms)| (s, ms / MS_PER_DAY))
            .collect()
    };
    assert_eq!(
        days(30),
        vec![
            (Identified, 3),
            (NationalityVerified, 7),
            (ConsularContact, 2),
            (DecisionPending, 8 + 5),
            (Refused, 5)
        ]
    );
    // As of day 11: the later moves have not happened yet.
    assert_eq!(
        days(11),
        vec![
            (Identified, 3),
            (NationalityVerified, 7),
            (ConsularContact, 1)
        ]
    );
    assert_eq!(case.stage_as_of(day(11)).unwrap().stage, ConsularContact);
    assert!(case.stage_as_of(day(-1)).is_none());
    assert!(days(-1).is_empty());
}

#[test]
fn moves_recorded_out_of_order_take_their_place_in_time() {
    let mut case = fresh();
    case.apply(&entry(ConsularContact, 10)).unwrap();
    case.apply(&entry(NationalityVerified, 3)).unwrap();
    let stages: Vec<Stage> = case.stages.iter().map(|e| e.stage).collect();
    assert_eq!(
        stages,
        vec![Identified, NationalityVerified, ConsularContact]
    );
    assert_eq!(case.stage(), ConsularContact);
}

#[test]
fn opening_twice_adds_members_and_changes_nothing_else() {
    let mut case = fresh();
    case.apply(&entry(NationalityVerified, 3)).unwrap();
    let third = PersonId::from_u128(3);
    case.apply(&CaseChange::Opened {
        country: be(),
        principal: MOTHER,
        household: None,
        members: vec![MOTHER, third],
        at: day(5),
    })
    .unwrap();
    assert_eq!(case.members, vec![MOTHER, CHILD, third]);
    assert_eq!(case.stage(), NationalityVerified);
}

#[test]
fn case_ids_are_derived_from_principal_and_country() {
    let fr: CountryCode = "FR".parse().unwrap();
    assert_eq!(case_id(MOTHER, be()), case_id(MOTHER, be()));
    assert_ne!(case_id(MOTHER, be()), case_id(MOTHER, fr));
    assert_ne!(case_id(MOTHER, be()), case_id(CHILD, be()));
}

#[test]
fn checklist_lists_each_required_document_with_what_was_received() {
    let mut case = fresh();
    case.apply(&doc(DocumentKind::TravelDocument, Some(CHILD)))
        .unwrap();
    let list = documents::checklist(&case);
    let lines: Vec<(Stage, &str, Option<PersonId>, bool)> = list
        .iter()
        .map(|i| {
            (
                i.required_for,
                i.kind.as_str(),
                i.person,
                i.received.is_some(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                NationalityVerified,
                "nationality_proof",
                Some(MOTHER),
                false
            ),
            (DecisionPending, "consular_request", None, false),
            (TransferArranged, "exit_authorisation", None, false),
            (TransferArranged, "travel_document", Some(MOTHER), false),
            (TransferArranged, "travel_document", Some(CHILD), true),
        ]
    );
}

#[test]
fn authorship_for_unknown_evidence_is_refused() {
    let mut case = fresh();
    let err = case
        .apply(&CaseChange::AuthorshipClaimed {
            evidence: EvidenceId::from_u128(9),
            authorship: Authorship {
                author: Author::Described("her husband".into()),
                report: crate::ids::ReportId::from_u128(1),
                note: String::new(),
            },
        })
        .unwrap_err();
    assert_eq!(err, CaseError::UnknownEvidence(EvidenceId::from_u128(9)));
}
