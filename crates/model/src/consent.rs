//! Consent, per purpose: what a person (or, for a child, a parent or guardian) has agreed
//! to, refused or taken back, when, on what evidence, and who recorded it.
//!
//! Purposes ([`Purpose`]): tracing, sharing with a named government, research, use of
//! the person's name, use of their image, publication. Each decision is one event; the
//! **current** consent for a purpose is the latest decision for it (by the time it was
//! given, then by id, so every replica and every replay agrees whatever order events
//! arrive in). Nothing recorded means "not recorded", which is neither a grant nor a
//! refusal: what each purpose defaults to is the access layer's rule (see
//! `docs/access.md`), and every default there protects the person.
//!
//! The rules a new decision must follow ([`check`]) are pure and table-tested:
//! - a revocation needs a current grant for the same purpose (refusing something never
//!   granted is a refusal, not a revocation);
//! - decisions for one purpose are recorded in the order they were made;
//! - a child (certainly under 18 on the day) does not decide alone: a parent or guardian
//!   recorded as such gives or refuses consent for them;
//! - whoever is named as guardian must be recorded as the person's parent or guardian.

use crate::ids::{ConsentId, InterviewId, PersonId, ReportId};
use crate::person::{Birth, Relationship, RelationshipKind};
use crate::report::AttachmentHash;
use crate::time::Timestamp;
use crate::CountryCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Age from which a person gives consent for themselves.
pub const AGE_OF_CONSENT: i32 = 18;

/// What a consent is for. Members are append-only (postcard encodes them by position).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum Purpose {
    /// Looking for the person and sharing their whereabouts with family who ask.
    Tracing,
    /// Sharing the person's record with one government (its consuls, its lists).
    Sharing(CountryCode),
    /// Use of the person's record, under a pseudonym, by researchers.
    Research,
    /// Use of the person's name in anything that leaves the system.
    UseOfName,
    /// Use of photographs or video of the person.
    UseOfImage,
    /// Publication of the person's case (with name and image only if those are granted too).
    Publication,
}

#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum ConsentError {
    #[error("'{0}' is not a consent purpose: use tracing, sharing:CC (a government, e.g. sharing:BE), research, use_of_name, use_of_image or publication")]
    UnknownPurpose(String),
    #[error("'{0}' is not a consent decision: use granted, refused or revoked")]
    UnknownDecision(String),
    #[error("there is no consent to {purpose} to revoke: it is {state} for this person. Record a refusal instead if the person says no")]
    RevokeWithoutGrant {
        purpose: Purpose,
        state: ConsentState,
    },
    #[error("a decision on {purpose} is already recorded for {recorded}, later than {at}: record decisions in the order they were made")]
    OutOfOrder {
        purpose: Purpose,
        recorded: Timestamp,
        at: Timestamp,
    },
    #[error("this person is a child (under {AGE_OF_CONSENT} on {at}): consent is given or refused by a parent or guardian: name the one who decided")]
    ChildNeedsGuardian { at: Timestamp },
    #[error("person {guardian} is not recorded as a parent or guardian of person {person}: record the relationship first, or name the right person")]
    NotAGuardian {
        guardian: PersonId,
        person: PersonId,
    },
    #[error("a person cannot be their own guardian")]
    OwnGuardian,
}

impl Purpose {
    /// Reads `tracing`, `sharing:BE` (also `sharing-BE`, `share:BE`), `research`,
    /// `use_of_name` (`name`), `use_of_image` (`image`), `publication`.
    pub fn parse(text: &str) -> Result<Self, ConsentError> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let bad = || ConsentError::UnknownPurpose(text.to_string());
        if let Some(cc) = t
            .strip_prefix("sharing")
            .or_else(|| t.strip_prefix("share"))
            .and_then(|rest| rest.strip_prefix([':', '_', '=']))
        {
            return cc.parse().map(Self::Sharing).map_err(|_| bad());
        }
        Ok(match t.as_str() {
            "tracing" => Self::Tracing,
            "research" => Self::Research,
            "use_of_name" | "name" => Self::UseOfName,
            "use_of_image" | "image" => Self::UseOfImage,
            "publication" | "publish" => Self::Publication,
            _ => return Err(bad()),
        })
    }

    /// The purpose as it is written in commands and JSON: `sharing:BE`, `research`, ...
    pub fn key(&self) -> String {
        match self {
            Self::Tracing => "tracing".into(),
            Self::Sharing(cc) => format!("sharing:{cc}"),
            Self::Research => "research".into(),
            Self::UseOfName => "use_of_name".into(),
            Self::UseOfImage => "use_of_image".into(),
            Self::Publication => "publication".into(),
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sharing(cc) => write!(f, "sharing with the government of {cc}"),
            Self::UseOfName => f.write_str("use of name"),
            Self::UseOfImage => f.write_str("use of image"),
            other => f.write_str(&other.key()),
        }
    }
}

/// One decision. Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum Decision {
    Granted,
    /// Asked, and said no (nothing was granted before).
    Refused,
    /// Took back a consent granted before.
    Revoked,
}

impl Decision {
    pub fn parse(text: &str) -> Result<Self, ConsentError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "granted" | "grant" => Ok(Self::Granted),
            "refused" | "refuse" => Ok(Self::Refused),
            "revoked" | "revoke" => Ok(Self::Revoked),
            _ => Err(ConsentError::UnknownDecision(text.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Revoked => "revoked",
        }
    }
}

/// What the decision rests on. Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum Evidence {
    /// Said in a recorded interview.
    Interview(InterviewId),
    /// A signed form, kept outside the registry; this is its BLAKE3 hash.
    SignedForm(AttachmentHash),
    /// Said in a report (a call, a message).
    Report(ReportId),
}

impl Evidence {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Interview(_) => "interview",
            Self::SignedForm(_) => "signed_form",
            Self::Report(_) => "report",
        }
    }
}

/// Who decided. Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum GivenBy {
    /// The person themself.
    Person,
    /// A parent or guardian, for a child.
    Guardian(PersonId),
}

/// One consent decision, as recorded (the event) and kept (in [`ConsentView`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ConsentChange {
    pub id: ConsentId,
    pub person: PersonId,
    pub purpose: Purpose,
    pub decision: Decision,
    /// When the decision was made.
    pub at: Timestamp,
    /// The user (or `operator`) who recorded it.
    pub recorded_by: String,
    pub given_by: GivenBy,
    pub evidence: Evidence,
}

/// Where a purpose stands for a person now.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Debug)]
pub enum ConsentState {
    NotRecorded,
    Granted,
    Refused,
    Revoked,
}

impl ConsentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRecorded => "not_recorded",
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Revoked => "revoked",
        }
    }
}

impl fmt::Display for ConsentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

/// Every consent decision about one person, oldest first (the projection).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct ConsentView {
    pub person: PersonId,
    /// In (time, id) order, whatever order they were recorded in.
    pub changes: Vec<ConsentChange>,
}

impl ConsentView {
    pub fn new(person: PersonId) -> Self {
        Self {
            person,
            changes: Vec::new(),
        }
    }

    /// Adds a decision in its place in time; the same decision twice is kept once.
    pub fn record(&mut self, change: ConsentChange) {
        if self.changes.iter().any(|c| c.id == change.id) {
            return;
        }
        let key = (change.at, change.id);
        let at = self.changes.partition_point(|c| (c.at, c.id) <= key);
        self.changes.insert(at, change);
    }

    /// Adds every decision of `other`, a record merged into this person: a person made of
    /// several records is bound by the decisions on all of them, the latest per purpose
    /// in force.
    pub fn absorb(&mut self, other: ConsentView) {
        for change in other.changes {
            self.record(change);
        }
    }

    /// The decision in force for a purpose: the latest one.
    pub fn current(&self, purpose: &Purpose) -> Option<&ConsentChange> {
        self.changes.iter().rev().find(|c| &c.purpose == purpose)
    }

    pub fn state(&self, purpose: &Purpose) -> ConsentState {
        match self.current(purpose).map(|c| c.decision) {
            None => ConsentState::NotRecorded,
            Some(Decision::Granted) => ConsentState::Granted,
            Some(Decision::Refused) => ConsentState::Refused,
            Some(Decision::Revoked) => ConsentState::Revoked,
        }
    }

    /// Granted and not since refused or revoked.
    pub fn grants(&self, purpose: &Purpose) -> bool {
        self.state(purpose) == ConsentState::Granted
    }

    /// Refused or revoked (a "no" on record).
    pub fn withholds(&self, purpose: &Purpose) -> bool {
        matches!(
            self.state(purpose),
            ConsentState::Refused | ConsentState::Revoked
        )
    }

    /// The decision in force for each purpose with one, in purpose order.
    pub fn current_all(&self) -> Vec<&ConsentChange> {
        let mut purposes: Vec<Purpose> = self.changes.iter().map(|c| c.purpose).collect();
        purposes.sort();
        purposes.dedup();
        purposes.iter().filter_map(|p| self.current(p)).collect()
    }

    /// Countries whose governments the person has granted sharing with (and not withdrawn).
    pub fn sharing_granted(&self) -> Vec<CountryCode> {
        self.sharing_where(ConsentView::grants)
    }

    /// Countries whose governments the person has refused sharing with, or stopped.
    pub fn sharing_withheld(&self) -> Vec<CountryCode> {
        self.sharing_where(ConsentView::withholds)
    }

    fn sharing_where(&self, keep: fn(&Self, &Purpose) -> bool) -> Vec<CountryCode> {
        self.current_all()
            .into_iter()
            .filter_map(|c| match c.purpose {
                Purpose::Sharing(cc) if keep(self, &c.purpose) => Some(cc),
                _ => None,
            })
            .collect()
    }
}

/// What [`check`] reads of the person a decision is about (a person's view gives it:
/// `PersonView::consent_subject`).
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub id: PersonId,
    pub birth: Option<Birth>,
    pub relationships: &'a [Relationship],
}

/// Whether `person` is certainly under [`AGE_OF_CONSENT`] at `at` (an unknown or uncertain
/// birth that may be 18 or more is not).
fn certainly_a_child(person: Subject<'_>, at: Timestamp) -> bool {
    match (person.birth, at.date()) {
        (Some(b), Some(day)) => b.age_on(day).1 < AGE_OF_CONSENT,
        _ => false,
    }
}

/// Checks a new decision against what is recorded (`view`) and the person it is about.
pub fn check(
    view: Option<&ConsentView>,
    change: &ConsentChange,
    person: Subject<'_>,
) -> Result<(), ConsentError> {
    let current = view.and_then(|v| v.current(&change.purpose));
    if let Some(c) = current {
        if c.at > change.at {
            return Err(ConsentError::OutOfOrder {
                purpose: change.purpose,
                recorded: c.at,
                at: change.at,
            });
        }
    }
    if change.decision == Decision::Revoked {
        let state = view.map_or(ConsentState::NotRecorded, |v| v.state(&change.purpose));
        if state != ConsentState::Granted {
            return Err(ConsentError::RevokeWithoutGrant {
                purpose: change.purpose,
                state,
            });
        }
    }
    match change.given_by {
        GivenBy::Person if certainly_a_child(person, change.at) => {
            Err(ConsentError::ChildNeedsGuardian { at: change.at })
        }
        GivenBy::Person => Ok(()),
        GivenBy::Guardian(g) if g == person.id => Err(ConsentError::OwnGuardian),
        GivenBy::Guardian(g) => {
            let recorded = person.relationships.iter().any(|r| {
                r.other == g
                    && matches!(r.kind, RelationshipKind::ChildOf | RelationshipKind::WardOf)
            });
            if recorded {
                Ok(())
            } else {
                Err(ConsentError::NotAGuardian {
                    guardian: g,
                    person: person.id,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{Birth, EvidenceGrade, Relationship};
    use chrono::NaiveDate;

    const P: PersonId = PersonId(uuid::Uuid::from_u128(1));
    const MOTHER: PersonId = PersonId(uuid::Uuid::from_u128(2));

    fn day(d: u32) -> Timestamp {
        Timestamp::at_date(NaiveDate::from_ymd_opt(2019, 10, d).unwrap())
    }

    fn change(n: u128, purpose: Purpose, decision: Decision, on: u32) -> ConsentChange {
        ConsentChange {
            id: ConsentId::from_u128(n),
            person: P,
            purpose,
            decision,
            at: day(on),
            recorded_by: "caseworker".into(),
            given_by: GivenBy::Person,
            evidence: Evidence::SignedForm(AttachmentHash([1; 32])),
        }
    }

    /// A person as the rules see them, owned by the test.
    struct Person {
        birth: Option<Birth>,
        relationships: Vec<Relationship>,
    }

    impl Person {
        fn subject(&self) -> Subject<'_> {
            Subject {
                id: P,
                birth: self.birth,
                relationships: &self.relationships,
            }
        }
    }

    fn adult() -> Person {
        Person {
            birth: Some(Birth::Year(1990)),
            relationships: Vec::new(),
        }
    }

    fn child() -> Person {
        Person {
            birth: Some(Birth::Year(2012)),
            relationships: vec![Relationship {
                kind: RelationshipKind::ChildOf,
                other: MOTHER,
                evidence: EvidenceGrade::Asserted,
            }],
        }
    }

    #[test]
    fn purposes_parse_and_print() {
        for (text, key) in [
            ("tracing", "tracing"),
            ("sharing:be", "sharing:BE"),
            ("share-FR", "sharing:FR"),
            ("Research", "research"),
            ("use of name", "use_of_name"),
            ("image", "use_of_image"),
            ("publication", "publication"),
        ] {
            assert_eq!(Purpose::parse(text).unwrap().key(), key, "{text}");
        }
        for bad in ["", "sharing", "sharing:BEL", "marketing", "sharing:"] {
            assert!(
                matches!(Purpose::parse(bad), Err(ConsentError::UnknownPurpose(_))),
                "{bad}"
            );
        }
        assert!(Decision::parse("maybe").is_err());
    }

    #[test]
    fn the_latest_decision_is_in_force_whatever_the_order_recorded() {
        let grant = change(1, Purpose::Research, Decision::Granted, 3);
        let revoke = change(2, Purpose::Research, Decision::Revoked, 9);
        let mut a = ConsentView::new(P);
        a.record(revoke.clone());
        a.record(grant.clone());
        let mut b = ConsentView::new(P);
        b.record(grant);
        b.record(revoke.clone());
        b.record(revoke);
        assert_eq!(a, b);
        assert_eq!(a.changes.len(), 2);
        assert_eq!(a.state(&Purpose::Research), ConsentState::Revoked);
        assert!(a.withholds(&Purpose::Research) && !a.grants(&Purpose::Research));
        assert_eq!(a.state(&Purpose::Tracing), ConsentState::NotRecorded);
    }

    proptest::proptest! {
        /// Replicas receive decisions in any order: the view, and so the consent in force
        /// for every purpose, is the same whatever the order.
        #[test]
        fn the_view_does_not_depend_on_arrival_order(
            decisions in proptest::collection::vec((0u8..3, 0u8..3, 1u32..28), 1..12),
            seed in proptest::prelude::any::<u64>(),
        ) {
            let purposes = [Purpose::Research, Purpose::Tracing, Purpose::Sharing("BE".parse().unwrap())];
            let kinds = [Decision::Granted, Decision::Refused, Decision::Revoked];
            let changes: Vec<ConsentChange> = decisions
                .iter()
                .enumerate()
                .map(|(i, (p, d, on))| change(i as u128, purposes[*p as usize], kinds[*d as usize], *on))
                .collect();
            let mut shuffled = changes.clone();
            let mut x = seed;
            for i in (1..shuffled.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (x >> 33) as usize % (i + 1));
            }
            let mut a = ConsentView::new(P);
            let mut b = ConsentView::new(P);
            changes.into_iter().for_each(|c| a.record(c));
            shuffled.into_iter().for_each(|c| b.record(c));
            proptest::prop_assert_eq!(&a, &b);
            for p in purposes {
                proptest::prop_assert_eq!(a.state(&p), b.state(&p));
            }
        }
    }

    #[test]
    fn sharing_is_per_government() {
        let be: CountryCode = "BE".parse().unwrap();
        let fr: CountryCode = "FR".parse().unwrap();
        let mut v = ConsentView::new(P);
        v.record(change(1, Purpose::Sharing(be), Decision::Refused, 2));
        v.record(change(2, Purpose::Sharing(fr), Decision::Granted, 2));
        assert_eq!(v.sharing_withheld(), vec![be]);
        assert_eq!(v.sharing_granted(), vec![fr]);
        v.record(change(3, Purpose::Sharing(fr), Decision::Revoked, 5));
        assert_eq!(v.sharing_withheld(), vec![be, fr]);
        assert!(v.sharing_granted().is_empty());
    }

    #[test]
    fn rules_for_a_new_decision() {
        let research = Purpose::Research;
        let mut granted = ConsentView::new(P);
        granted.record(change(1, research, Decision::Granted, 5));
        let mut refused = ConsentView::new(P);
        refused.record(change(1, research, Decision::Refused, 5));
        let by_mother = |mut c: ConsentChange| {
            c.given_by = GivenBy::Guardian(MOTHER);
            c
        };
        // (recorded so far, new decision, person, expected)
        type Row<'a> = (
            Option<&'a ConsentView>,
            ConsentChange,
            Person,
            Result<(), ConsentError>,
        );
        let table: Vec<Row> = vec![
            (
                None,
                change(2, research, Decision::Granted, 6),
                adult(),
                Ok(()),
            ),
            (
                Some(&granted),
                change(2, research, Decision::Revoked, 6),
                adult(),
                Ok(()),
            ),
            (
                None,
                change(2, research, Decision::Revoked, 6),
                adult(),
                Err(ConsentError::RevokeWithoutGrant {
                    purpose: research,
                    state: ConsentState::NotRecorded,
                }),
            ),
            (
                Some(&refused),
                change(2, research, Decision::Revoked, 6),
                adult(),
                Err(ConsentError::RevokeWithoutGrant {
                    purpose: research,
                    state: ConsentState::Refused,
                }),
            ),
            (
                Some(&granted),
                change(2, research, Decision::Revoked, 4),
                adult(),
                Err(ConsentError::OutOfOrder {
                    purpose: research,
                    recorded: day(5),
                    at: day(4),
                }),
            ),
            (
                Some(&refused),
                change(2, research, Decision::Granted, 7),
                adult(),
                Ok(()),
            ),
            (
                None,
                change(2, research, Decision::Granted, 6),
                child(),
                Err(ConsentError::ChildNeedsGuardian { at: day(6) }),
            ),
            (
                None,
                by_mother(change(2, research, Decision::Granted, 6)),
                child(),
                Ok(()),
            ),
            (
                None,
                by_mother(change(2, research, Decision::Granted, 6)),
                adult(),
                Err(ConsentError::NotAGuardian {
                    guardian: MOTHER,
                    person: P,
                }),
            ),
            (
                None,
                {
                    let mut c = change(2, research, Decision::Granted, 6);
                    c.given_by = GivenBy::Guardian(P);
                    c
                },
                adult(),
                Err(ConsentError::OwnGuardian),
            ),
        ];
        for (i, (view, new, person, want)) in table.into_iter().enumerate() {
            assert_eq!(check(view, &new, person.subject()), want, "row {i}");
        }
    }

    #[test]
    fn an_uncertain_age_that_may_be_adult_decides_alone() {
        let mut v = adult();
        v.birth = Some(Birth::Year(2001)); // 17 or 18 in October 2019
        let c = change(1, Purpose::Research, Decision::Granted, 6);
        assert_eq!(check(None, &c, v.subject()), Ok(()));
        v.birth = Some(Birth::Year(2003));
        assert!(check(None, &c, v.subject()).is_err());
    }
}
