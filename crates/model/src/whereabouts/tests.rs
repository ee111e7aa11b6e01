//! Table tests of the whereabouts rule. Each case is a small story told in claims.

use super::*;
use crate::claim::Claim;
use crate::ids::{PersonId, ReportId};
use crate::place::{PlaceStatus, PlaceStatusChange};
use crate::report::Grade;
use crate::time::MS_PER_DAY;
use std::collections::HashMap;

const ROJ: PlaceId = PlaceId(uuid::Uuid::from_u128(1));
const AIN_ISSA: PlaceId = PlaceId(uuid::Uuid::from_u128(2));
const SECTION: PlaceId = PlaceId(uuid::Uuid::from_u128(3));
const BORDER_TOWN: PlaceId = PlaceId(uuid::Uuid::from_u128(4));
const PRISON: PlaceId = PlaceId(uuid::Uuid::from_u128(5));

#[derive(Default)]
struct Places {
    changes: HashMap<PlaceId, Vec<PlaceStatusChange>>,
}

impl Places {
    fn with(mut self, place: PlaceId, status: PlaceStatus, day: i64) -> Self {
        self.changes
            .entry(place)
            .or_default()
            .push(PlaceStatusChange {
                status,
                at: t(day, 0),
                report: None,
            });
        self
    }
}

impl PlaceFacts for Places {
    fn kind(&self, place: PlaceId) -> Option<PlaceKind> {
        Some(match place {
            p if p == ROJ || p == AIN_ISSA => PlaceKind::Camp,
            p if p == SECTION => PlaceKind::CampSection,
            p if p == PRISON => PlaceKind::DetentionFacility,
            _ => PlaceKind::Town,
        })
    }
    fn parent(&self, place: PlaceId) -> Option<PlaceId> {
        (place == SECTION).then_some(AIN_ISSA)
    }
    fn status_changes(&self, place: PlaceId) -> Vec<PlaceStatusChange> {
        self.changes.get(&place).cloned().unwrap_or_default()
    }
}

fn t(day: i64, hour: i64) -> Timestamp {
    Timestamp(1_570_000_000_000 + day * MS_PER_DAY + hour * MS_PER_HOUR)
}

/// A claim numbered `n`, observed on `day` at `hour`, from a report graded `grade`.
fn claim(n: u128, day: i64, hour: i64, grade: &str, kind: ClaimKind) -> GradedClaim {
    GradedClaim {
        claim: Claim {
            id: ClaimId::from_u128(n),
            report: ReportId::from_u128(1000 + n),
            person: PersonId::from_u128(7),
            observed_at: t(day, hour),
            kind,
        },
        grade: Grade::parse(grade).unwrap(),
    }
}

fn seen(place: PlaceId) -> ClaimKind {
    ClaimKind::SeenAt { place }
}

struct Case {
    name: &'static str,
    claims: Vec<GradedClaim>,
    places: Places,
    status: WhereaboutsStatus,
    place: Option<PlaceId>,
    decided_by: Option<u128>,
    contradictions: Vec<u128>,
}

fn cases() -> Vec<Case> {
    use WhereaboutsStatus as S;
    vec![
        Case {
            name: "no claims: unknown",
            claims: vec![],
            places: Places::default(),
            status: S::Unknown,
            place: None,
            decided_by: None,
            contradictions: vec![],
        },
        Case {
            name: "one documented sighting",
            claims: vec![claim(1, 0, 0, "A1", seen(ROJ))],
            places: Places::default(),
            status: S::InCamp,
            place: Some(ROJ),
            decided_by: Some(1),
            contradictions: vec![],
        },
        Case {
            name: "a later F-graded text does not override yesterday's documented list",
            claims: vec![
                claim(1, 0, 0, "A1", seen(ROJ)),
                claim(2, 1, 0, "F6", seen(BORDER_TOWN)),
            ],
            places: Places::default(),
            status: S::InCamp,
            place: Some(ROJ),
            decided_by: Some(1),
            contradictions: vec![2],
        },
        Case {
            name: "a later credible report of escape wins",
            claims: vec![
                claim(1, 0, 0, "A1", seen(AIN_ISSA)),
                claim(2, 3, 0, "B2", ClaimKind::Escaped { from: AIN_ISSA }),
            ],
            places: Places::default(),
            status: S::OnTheMove,
            place: Some(AIN_ISSA),
            decided_by: Some(2),
            contradictions: vec![],
        },
        Case {
            name: "same moment, two places: the heavier grade wins and the other shows",
            claims: vec![
                claim(1, 0, 0, "A1", seen(ROJ)),
                claim(2, 0, 2, "C3", seen(AIN_ISSA)),
            ],
            places: Places::default(),
            status: S::InCamp,
            place: Some(ROJ),
            decided_by: Some(1),
            contradictions: vec![2],
        },
        Case {
            name: "same moment, equal grades: the later one wins",
            claims: vec![
                claim(1, 0, 0, "B2", seen(ROJ)),
                claim(2, 0, 2, "B2", seen(AIN_ISSA)),
            ],
            places: Places::default(),
            status: S::InCamp,
            place: Some(AIN_ISSA),
            decided_by: Some(2),
            contradictions: vec![1],
        },
        Case {
            name: "guards leave after the last sighting: unaccounted for",
            claims: vec![claim(1, 0, 0, "A1", seen(AIN_ISSA))],
            places: Places::default().with(AIN_ISSA, PlaceStatus::Unguarded, 5),
            status: S::UnaccountedFor,
            place: Some(AIN_ISSA),
            decided_by: Some(1),
            contradictions: vec![],
        },
        Case {
            name: "the camp a section belongs to is shelled: unaccounted for",
            claims: vec![claim(1, 0, 0, "A1", seen(SECTION))],
            places: Places::default().with(AIN_ISSA, PlaceStatus::UnderFire, 2),
            status: S::UnaccountedFor,
            place: Some(SECTION),
            decided_by: Some(1),
            contradictions: vec![],
        },
        Case {
            name: "a sighting after the guards left places her again",
            claims: vec![
                claim(1, 0, 0, "A1", seen(AIN_ISSA)),
                claim(2, 6, 0, "B2", seen(BORDER_TOWN)),
            ],
            places: Places::default().with(AIN_ISSA, PlaceStatus::Unguarded, 5),
            status: S::OnTheMove,
            place: Some(BORDER_TOWN),
            decided_by: Some(2),
            contradictions: vec![],
        },
        Case {
            name: "a status change before the sighting changes nothing",
            claims: vec![claim(1, 6, 0, "A1", seen(AIN_ISSA))],
            places: Places::default().with(AIN_ISSA, PlaceStatus::Unguarded, 5),
            status: S::InCamp,
            place: Some(AIN_ISSA),
            decided_by: Some(1),
            contradictions: vec![],
        },
        Case {
            name: "a weak text after dispersal does not place her, but shows",
            claims: vec![
                claim(1, 0, 0, "A1", seen(AIN_ISSA)),
                claim(2, 6, 0, "F6", seen(BORDER_TOWN)),
            ],
            places: Places::default().with(AIN_ISSA, PlaceStatus::Unguarded, 5),
            status: S::UnaccountedFor,
            place: Some(AIN_ISSA),
            decided_by: Some(1),
            contradictions: vec![2],
        },
        Case {
            name: "only weak claims: the best of them decides",
            claims: vec![
                claim(1, 0, 0, "F6", seen(BORDER_TOWN)),
                claim(2, 0, 1, "E5", seen(ROJ)),
            ],
            places: Places::default(),
            status: S::OnTheMove,
            place: Some(BORDER_TOWN),
            decided_by: Some(1),
            contradictions: vec![2],
        },
        Case {
            name: "custody in a detention facility",
            claims: vec![
                claim(1, 0, 0, "A1", seen(ROJ)),
                claim(
                    2,
                    9,
                    0,
                    "B2",
                    ClaimKind::InCustody {
                        holder: "border police".into(),
                        place: Some(PRISON),
                    },
                ),
            ],
            places: Places::default(),
            status: S::InCustody,
            place: Some(PRISON),
            decided_by: Some(2),
            contradictions: vec![],
        },
        Case {
            name: "repatriated, with an old camp sighting outside the recent window",
            claims: vec![
                claim(1, 0, 0, "A1", seen(ROJ)),
                claim(
                    2,
                    30,
                    0,
                    "A1",
                    ClaimKind::Repatriated {
                        country: "BE".parse().unwrap(),
                    },
                ),
            ],
            places: Places::default(),
            status: S::Repatriated,
            place: None,
            decided_by: Some(2),
            contradictions: vec![],
        },
        Case {
            name: "health claims do not locate",
            claims: vec![
                claim(1, 0, 0, "A1", seen(ROJ)),
                claim(
                    2,
                    3,
                    0,
                    "A1",
                    ClaimKind::HealthCondition {
                        condition: "chronic bronchitis".into(),
                        detail: None,
                    },
                ),
            ],
            places: Places::default(),
            status: S::InCamp,
            place: Some(ROJ),
            decided_by: Some(1),
            contradictions: vec![],
        },
    ]
}

#[test]
fn whereabouts_rule_table() {
    for case in cases() {
        let w = derive(&case.claims, &case.places);
        assert_eq!(w.status, case.status, "{}", case.name);
        assert_eq!(w.place, case.place, "{}", case.name);
        assert_eq!(
            w.basis.first().copied(),
            case.decided_by.map(ClaimId::from_u128),
            "{}",
            case.name
        );
        let contradictions: Vec<ClaimId> = case
            .contradictions
            .iter()
            .map(|n| ClaimId::from_u128(*n))
            .collect();
        assert_eq!(w.contradictions, contradictions, "{}", case.name);
        assert!((0.0..=1.0).contains(&w.confidence), "{}", case.name);
    }
}

#[test]
fn agreement_raises_confidence_and_contradiction_lowers_it() {
    let places = Places::default();
    let alone = derive(&[claim(1, 0, 0, "B2", seen(ROJ))], &places);
    let contradicted = derive(
        &[
            claim(1, 0, 0, "B2", seen(ROJ)),
            claim(2, 0, 1, "C3", seen(AIN_ISSA)),
        ],
        &places,
    );
    let confirmed = derive(
        &[
            claim(1, 0, 0, "B2", seen(ROJ)),
            claim(2, 0, 1, "A1", seen(ROJ)),
        ],
        &places,
    );
    assert!(contradicted.confidence < alone.confidence);
    assert!(confirmed.confidence > alone.confidence);
    assert_eq!(confirmed.basis.len(), 2);
}

#[test]
fn order_of_claims_does_not_matter() {
    let places = Places::default().with(AIN_ISSA, PlaceStatus::Unguarded, 5);
    let mut claims = vec![
        claim(1, 0, 0, "A1", seen(AIN_ISSA)),
        claim(2, 6, 0, "F6", seen(BORDER_TOWN)),
        claim(3, 2, 0, "C3", seen(ROJ)),
    ];
    let a = derive(&claims, &places);
    claims.reverse();
    assert_eq!(a, derive(&claims, &places));
}
