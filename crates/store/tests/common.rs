//! Shared helpers for the store's tests: small synthetic registries.
#![allow(dead_code)]

use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::*;
use model::person::{Name, NameKind, Registration, Sex};
use model::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
use model::report::{Channel, Grade, Report};
use model::time::{Timestamp, MS_PER_DAY};

pub const PASS: &str = "correct horse battery staple";

pub fn day(n: i64) -> Timestamp {
    Timestamp(1_570_000_000_000 + n * MS_PER_DAY)
}

pub fn place(n: u128, name: &str, kind: PlaceKind, parent: Option<u128>) -> Payload {
    Payload::PlaceAdded {
        place: Place {
            id: PlaceId::from_u128(n),
            name: name.into(),
            kind,
            parent: parent.map(PlaceId::from_u128),
        },
    }
}

pub fn person(n: u128, full_name: &str) -> Payload {
    Payload::PersonRegistered {
        person: PersonId::from_u128(n),
        registration: Registration {
            sex: Sex::Female,
            birth: None,
            names: vec![Name::new(full_name, NameKind::Full, None)],
            nationalities: vec![model::person::NationalityClaim {
                country: "BE".parse().unwrap(),
                status: model::person::NationalityStatus::Claimed,
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

pub fn sighting(report: u128, on: i64, grade: &str, at_place: u128, persons: &[u128]) -> Payload {
    let id = ReportId::from_u128(report);
    Payload::ReportReceived {
        report: Report {
            id,
            channel: Channel::OfficialList,
            received_at: day(on),
            received_by: ActorId::from_u128(1),
            source: None,
            content: format!("list {report}"),
            attachments: vec![],
            grade: Grade::parse(grade).unwrap(),
        },
        claims: persons
            .iter()
            .enumerate()
            .map(|(i, p)| Claim {
                id: ClaimId::from_u128(report * 10_000 + i as u128),
                report: id,
                person: PersonId::from_u128(*p),
                observed_at: day(on),
                kind: ClaimKind::SeenAt {
                    place: PlaceId::from_u128(at_place),
                },
            })
            .collect(),
    }
}

/// An interview with `persons` on day `on` (transcript sealed with a stand-in).
pub fn interview(n: u128, on: i64, persons: &[u128]) -> Payload {
    Payload::InterviewRecorded {
        interview: model::interview::Interview {
            id: InterviewId::from_u128(n),
            at: day(on),
            place: None,
            interviewers: vec!["A. Interviewer".into()],
            language: model::interview::Language::parse("ar").unwrap(),
            interpreter: None,
            persons: persons.iter().map(|p| PersonId::from_u128(*p)).collect(),
            transcript: Some(model::report::SealedValue(vec![n as u8; 8])),
            attachments: vec![],
        },
    }
}

/// A consent decision by the person themself, on a signed form.
pub fn consent(
    n: u128,
    person: u128,
    purpose: model::consent::Purpose,
    decision: model::consent::Decision,
    on: i64,
) -> Payload {
    Payload::ConsentRecorded {
        consent: model::consent::ConsentChange {
            id: ConsentId::from_u128(n),
            person: PersonId::from_u128(person),
            purpose,
            decision,
            at: day(on),
            recorded_by: "caseworker".into(),
            given_by: model::consent::GivenBy::Person,
            evidence: model::consent::Evidence::SignedForm(model::report::AttachmentHash(
                [n as u8; 32],
            )),
        },
    }
}

/// `place` changes status on day `on` (no report).
pub fn status_of(place: u128, on: i64, status: PlaceStatus) -> Payload {
    Payload::PlaceStatusChanged {
        place: PlaceId::from_u128(place),
        change: PlaceStatusChange {
            status,
            at: day(on),
            report: None,
        },
    }
}

/// A registry at `path` holding the synthetic demo at `scale`.
pub fn demo_registry(path: &std::path::Path, scale: f64, seed: u64) -> store::Registry {
    let mut reg = store::Registry::create(path, PASS).unwrap();
    let scenario = demo::generate(scale, seed, reg.sealer());
    let actor = reg.local_actor();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )
    .unwrap();
    reg
}
