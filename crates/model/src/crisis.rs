//! Crisis operations: the rules behind the tracing tasks a place-status change opens,
//! and the counts a coordinator watches afterwards.
//!
//! A status change that disperses a place (unguarded, under fire, evacuated, closed)
//! makes everyone last held there *unaccounted for* (see [`crate::whereabouts`], rule 4).
//! Each such person gets one tracing task, keyed by the person and their last sighting:
//! the task stays the same however many further status changes follow, and a claim that
//! places the person again closes it (the projection does both, in
//! `projection::tracing`). Tasks rank by [`priority`] (vulnerability), then by how long
//! the person has been missing.
//!
//! Pure: times are passed in; nothing here reads the clock.

use crate::ids::PlaceId;
use crate::projection::{PersonView, PlaceView};
use crate::time::Timestamp;
use crate::whereabouts::WhereaboutsStatus;
use serde::Serialize;
use std::collections::BTreeMap;

// The rules the projection applies when it opens a tracing task live beside it; they are
// part of this module's contract too.
pub use crate::projection::tracing::{priority, task_id, TRACING_BASE};

/// Counts of one camp on one day, by the four things a coordinator asks after a crisis.
#[derive(Clone, Copy, Default, PartialEq, Eq, Serialize, Debug)]
pub struct CrisisCounts {
    /// In camp, repatriated or known deceased: nobody needs to look for them.
    pub accounted_for: u64,
    pub unaccounted_for: u64,
    pub on_the_move: u64,
    pub in_custody: u64,
    /// No claim locates them at all.
    pub unknown: u64,
}

impl CrisisCounts {
    pub fn add(&mut self, status: WhereaboutsStatus) {
        use WhereaboutsStatus as S;
        match status {
            S::InCamp | S::Repatriated | S::Deceased => self.accounted_for += 1,
            S::UnaccountedFor => self.unaccounted_for += 1,
            S::OnTheMove => self.on_the_move += 1,
            S::InCustody => self.in_custody += 1,
            S::Unknown => self.unknown += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.accounted_for
            + self.unaccounted_for
            + self.on_the_move
            + self.in_custody
            + self.unknown
    }
}

/// The status of each of `persons` at the end of each of `days` (ascending), as known
/// now: claims observed by then, place changes made by then (see [`crate::as_of`]). A
/// person is re-derived only on days when one of their claims or a place change falls, so
/// a camp of 68,000 costs about two derivations a person whatever the number of days.
pub fn trend<'a>(
    persons: impl IntoIterator<Item = &'a PersonView>,
    places: &BTreeMap<PlaceId, PlaceView>,
    days: &[Timestamp],
) -> Vec<CrisisCounts> {
    let mut out = vec![CrisisCounts::default(); days.len()];
    let changes = crate::as_of::change_times(places);
    for view in persons {
        for (counts, at) in out
            .iter_mut()
            .zip(crate::as_of::over_time(view, places, &changes, days))
        {
            counts.add(at.status);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::ClaimKind;
    use crate::claim::{Claim, GradedClaim};
    use crate::ids::ReportId;
    use crate::ids::{ClaimId, PersonId};
    use crate::person::Birth;
    use crate::person::Vulnerability;
    use crate::report::Grade;
    use chrono::NaiveDate;

    fn on() -> Timestamp {
        Timestamp::at_date(NaiveDate::from_ymd_opt(2019, 10, 13).unwrap())
    }

    fn born(year: i32) -> Option<Birth> {
        Some(Birth::Year(year))
    }

    fn person(birth: Option<Birth>, vulnerabilities: Vec<Vulnerability>) -> PersonView {
        let mut v = PersonView::stub(PersonId::from_u128(1));
        v.birth = birth;
        v.vulnerabilities = vulnerabilities;
        v
    }

    #[test]
    fn ranking_table() {
        use Vulnerability::*;
        let bronchitis = MedicalCondition("chronic bronchitis".into());
        // (person, expected priority, expected reasons)
        let table: Vec<(PersonView, u8, &[&str])> = vec![
            (person(born(1990), vec![]), 30, &[]),
            (person(None, vec![]), 30, &[]),
            (person(born(2010), vec![]), 40, &["child"]),
            (person(born(2016), vec![]), 50, &["under five"]),
            (person(born(2019), vec![]), 60, &["under two"]),
            (person(born(1995), vec![Pregnancy]), 50, &["pregnant"]),
            (
                person(born(2016), vec![bronchitis.clone()]),
                65,
                &["under five", "chronic bronchitis"],
            ),
            (
                person(born(2008), vec![UnaccompaniedMinor]),
                70,
                &["unaccompanied minor", "child"],
            ),
            (
                person(born(2018), vec![UnaccompaniedMinor, bronchitis, Disability]),
                100,
                &[
                    "unaccompanied minor",
                    "under two",
                    "chronic bronchitis",
                    "disability",
                ],
            ),
        ];
        for (view, want, reasons) in table {
            let (got, why) = priority(&view, on());
            assert_eq!(got, want, "{:?}", view.vulnerabilities);
            assert_eq!(
                why,
                reasons.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_health_claim_counts_like_a_recorded_condition() {
        let mut v = person(born(1990), vec![]);
        v.claims.push(GradedClaim {
            claim: Claim {
                id: ClaimId::from_u128(5),
                report: ReportId::from_u128(6),
                person: v.id,
                observed_at: on(),
                kind: ClaimKind::HealthCondition {
                    condition: "chronic bronchitis".into(),
                    detail: None,
                },
            },
            grade: Grade::parse("B2").unwrap(),
        });
        assert_eq!(
            priority(&v, on()),
            (45, vec!["chronic bronchitis".to_string()])
        );
    }

    #[test]
    fn task_ids_depend_on_person_and_sighting_only() {
        let p = PersonId::from_u128(1);
        let a = task_id(p, ClaimId::from_u128(2));
        assert_eq!(a, task_id(p, ClaimId::from_u128(2)));
        assert_ne!(a, task_id(p, ClaimId::from_u128(3)));
        assert_ne!(a, task_id(PersonId::from_u128(9), ClaimId::from_u128(2)));
    }
}
