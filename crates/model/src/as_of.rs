//! A person as known at earlier moments: their whereabouts status and camp of record at
//! the end of each of a series of days, **as known now** — from the claims observed by
//! then and the place-status changes made by then, including reports that arrived later
//! about those days. Counts over time (statistics, the crisis trend) are built from this.
//!
//! A person is *known* at a moment once a claim about them has been observed by then;
//! before that they are not counted at all (a list registered on the 3rd does not count
//! on the 1st).
//!
//! Pure: times are passed in.

use crate::claim::{ClaimKind, GradedClaim};
use crate::ids::{PersonId, PlaceId};
use crate::place::{PlaceKind, PlaceStatusChange};
use crate::projection::{PersonView, PlaceView};
use crate::time::{Timestamp, MS_PER_DAY};
use crate::whereabouts::{self, PlaceFacts, WhereaboutsStatus};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Most periods in one series (a year and a month of days).
pub const MAX_PERIODS: usize = 400;

/// How long each period of a series is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Every {
    Day,
    Week,
}

impl Every {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" => Some(Self::Day),
            "week" | "weekly" => Some(Self::Week),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum PeriodError {
    #[error("the series ends ({to}) before it starts ({from}): give --from before --to")]
    Backwards { from: NaiveDate, to: NaiveDate },
    #[error("{periods} periods is more than {MAX_PERIODS}: shorten the range or count by week")]
    TooMany { periods: usize },
}

/// The last millisecond of the UTC day `date`.
pub fn end_of(date: NaiveDate) -> Timestamp {
    Timestamp::at_date(date).plus_ms(MS_PER_DAY - 1)
}

/// The end of each period from `from` to `to` (both days included): every day, or every
/// seventh day counting from `from`, the last period ending on `to` however long it is.
pub fn period_ends(
    from: NaiveDate,
    to: NaiveDate,
    every: Every,
) -> Result<Vec<Timestamp>, PeriodError> {
    if to < from {
        return Err(PeriodError::Backwards { from, to });
    }
    let step = match every {
        Every::Day => 1,
        Every::Week => 7,
    };
    let days = (to - from).num_days() + 1;
    let periods =
        usize::try_from(days.div_euclid(step) + i64::from(days % step != 0)).unwrap_or(usize::MAX);
    if periods > MAX_PERIODS {
        return Err(PeriodError::TooMany { periods });
    }
    let last = end_of(to);
    Ok((1..=periods as i64)
        .map(|k| end_of(from).plus_ms((k * step - 1) * MS_PER_DAY).min(last))
        .collect())
}

/// One person at one moment.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PersonAt {
    pub person: PersonId,
    /// Whether any claim about the person had been observed by then.
    pub known: bool,
    pub status: WhereaboutsStatus,
    /// The camp of the latest claim by then that placed the person in a camp (or one of
    /// its sections), or escaping from one: the camp they count under.
    pub camp: Option<PlaceId>,
}

/// The camp a place belongs to (itself, or the camp of a section), if it is one.
fn camp_of(places: &dyn PlaceFacts, place: PlaceId) -> Option<PlaceId> {
    let camp = match places.kind(place)? {
        PlaceKind::CampSection => places.parent(place).unwrap_or(place),
        _ => place,
    };
    (places.kind(camp)? == PlaceKind::Camp).then_some(camp)
}

/// The camp of record from `claims` (see [`PersonAt::camp`]).
pub fn camp_of_record<'a>(
    claims: impl IntoIterator<Item = &'a GradedClaim>,
    places: &dyn PlaceFacts,
) -> Option<PlaceId> {
    claims
        .into_iter()
        .filter_map(|g| match g.claim.kind {
            ClaimKind::SeenAt { place } | ClaimKind::Escaped { from: place } => {
                Some((g.claim.observed_at, camp_of(places, place)?))
            }
            _ => None,
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, camp)| camp)
}

/// Place facts as they stood at a moment: status changes after it are not yet known.
pub struct PlacesAsOf<'a> {
    pub places: &'a BTreeMap<PlaceId, PlaceView>,
    pub until: Timestamp,
}

impl PlaceFacts for PlacesAsOf<'_> {
    fn kind(&self, place: PlaceId) -> Option<PlaceKind> {
        self.places.get(&place).map(|v| v.place.kind)
    }
    fn parent(&self, place: PlaceId) -> Option<PlaceId> {
        self.places.get(&place)?.place.parent
    }
    fn status_changes(&self, place: PlaceId) -> Vec<PlaceStatusChange> {
        self.places.get(&place).map_or_else(Vec::new, |v| {
            v.statuses
                .iter()
                .filter(|c| c.at <= self.until)
                .cloned()
                .collect()
        })
    }
}

/// Whether anything in `times` (sorted) falls in `(from, to]`.
fn happened(times: &[Timestamp], from: Timestamp, to: Timestamp) -> bool {
    let i = times.partition_point(|t| *t <= from);
    times.get(i).is_some_and(|t| *t <= to)
}

/// Times of every place-status change, sorted: a person may change on these days too.
pub fn change_times(places: &BTreeMap<PlaceId, PlaceView>) -> Vec<Timestamp> {
    let mut changes: Vec<Timestamp> = places
        .values()
        .flat_map(|v| v.statuses.iter().map(|c| c.at))
        .collect();
    changes.sort_unstable();
    changes
}

/// `view` at the end of each of `days` (ascending). The person is re-derived only when
/// one of their claims or a place change falls between two days, so a long series costs
/// about as much as the person's own history. `changes` is [`change_times`].
pub fn over_time(
    view: &PersonView,
    places: &BTreeMap<PlaceId, PlaceView>,
    changes: &[Timestamp],
    days: &[Timestamp],
) -> Vec<PersonAt> {
    let mut seen: Vec<Timestamp> = view.claims.iter().map(|g| g.claim.observed_at).collect();
    seen.sort_unstable();
    let mut out: Vec<PersonAt> = Vec::with_capacity(days.len());
    for (i, until) in days.iter().enumerate() {
        let previous = i.checked_sub(1).map(|j| (days[j], out[j]));
        let at = match previous {
            Some((from, before))
                if !happened(&seen, from, *until) && !happened(changes, from, *until) =>
            {
                before
            }
            _ => derive(view, places, *until),
        };
        out.push(at);
    }
    out
}

fn derive(view: &PersonView, places: &BTreeMap<PlaceId, PlaceView>, until: Timestamp) -> PersonAt {
    let known: Vec<GradedClaim> = view
        .claims
        .iter()
        .filter(|g| g.claim.observed_at <= until)
        .cloned()
        .collect();
    let facts = PlacesAsOf { places, until };
    PersonAt {
        person: view.id,
        known: !known.is_empty(),
        status: whereabouts::derive(&known, &facts).status,
        camp: camp_of_record(&known, &facts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Claim;
    use crate::ids::{ClaimId, ReportId};
    use crate::place::{Place, PlaceStatus, PlaceStatusChange};
    use crate::report::Grade;

    const ROJ: PlaceId = PlaceId(uuid::Uuid::from_u128(1));
    const SECTION: PlaceId = PlaceId(uuid::Uuid::from_u128(2));
    const HOL: PlaceId = PlaceId(uuid::Uuid::from_u128(3));
    const TOWN: PlaceId = PlaceId(uuid::Uuid::from_u128(4));

    fn day(n: i64) -> Timestamp {
        Timestamp(1_570_000_000_000 + n * MS_PER_DAY)
    }

    fn place(id: PlaceId, kind: PlaceKind, parent: Option<PlaceId>) -> (PlaceId, PlaceView) {
        let name = format!("{kind:?}");
        (
            id,
            PlaceView {
                place: Place {
                    id,
                    name,
                    kind,
                    parent,
                },
                statuses: vec![],
            },
        )
    }

    fn places() -> BTreeMap<PlaceId, PlaceView> {
        BTreeMap::from([
            place(ROJ, PlaceKind::Camp, None),
            place(SECTION, PlaceKind::CampSection, Some(ROJ)),
            place(HOL, PlaceKind::Camp, None),
            place(TOWN, PlaceKind::Town, None),
        ])
    }

    fn seen(view: &mut PersonView, n: u128, on: i64, place: PlaceId) {
        view.claims.push(GradedClaim {
            claim: Claim {
                id: ClaimId::from_u128(n),
                report: ReportId::from_u128(n),
                person: view.id,
                observed_at: day(on),
                kind: ClaimKind::SeenAt { place },
            },
            grade: Grade::parse("A1").unwrap(),
        });
    }

    #[test]
    fn periods_end_on_the_last_day_of_each_day_or_week() {
        let d = |day: u32| NaiveDate::from_ymd_opt(2019, 10, day).unwrap();
        let days = period_ends(d(1), d(3), Every::Day).unwrap();
        assert_eq!(days, vec![end_of(d(1)), end_of(d(2)), end_of(d(3))]);
        let weeks = period_ends(d(1), d(16), Every::Week).unwrap();
        assert_eq!(weeks, vec![end_of(d(7)), end_of(d(14)), end_of(d(16))]);
        assert_eq!(period_ends(d(1), d(14), Every::Week).unwrap().len(), 2);
        assert_eq!(
            period_ends(d(5), d(5), Every::Week).unwrap(),
            vec![end_of(d(5))]
        );
        assert!(matches!(
            period_ends(d(5), d(4), Every::Day),
            Err(PeriodError::Backwards { .. })
        ));
        let far = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        assert!(matches!(
            period_ends(d(1), far, Every::Day),
            Err(PeriodError::TooMany { .. })
        ));
        assert!(period_ends(d(1), far, Every::Week).is_ok());
        assert_eq!(end_of(d(1)).date(), Some(d(1)));
        assert_eq!(end_of(d(1)).plus_ms(1).date(), Some(d(2)));
    }

    #[test]
    fn a_person_counts_from_their_first_claim_under_the_camp_of_the_day() {
        let mut v = PersonView::stub(PersonId::from_u128(9));
        seen(&mut v, 1, 2, SECTION);
        seen(&mut v, 2, 5, TOWN);
        seen(&mut v, 3, 8, HOL);
        let mut p = places();
        let days: Vec<Timestamp> = (0..10).map(|d| day(d).plus_ms(MS_PER_DAY - 1)).collect();
        let out = over_time(&v, &p, &change_times(&p), &days);
        let camps: Vec<Option<PlaceId>> = out.iter().map(|a| a.camp).collect();
        assert!(!out[1].known && out[2].known);
        assert_eq!(camps[2..5], [Some(ROJ); 3]);
        // Seen in a town: still counted under the camp last seen in.
        assert_eq!(camps[5..8], [Some(ROJ); 3]);
        assert_eq!(camps[8..], [Some(HOL); 2]);
        assert_eq!(out[3].status, WhereaboutsStatus::InCamp);
        // A camp losing its guards on day 3 changes the status from that day, without a
        // claim of the person's own on it.
        p.get_mut(&ROJ).unwrap().statuses.push(PlaceStatusChange {
            status: PlaceStatus::Unguarded,
            at: day(3),
            report: None,
        });
        let out = over_time(&v, &p, &change_times(&p), &days);
        assert_eq!(out[2].status, WhereaboutsStatus::InCamp);
        assert_eq!(out[3].status, WhereaboutsStatus::UnaccountedFor);
        // The same as deriving every day from scratch.
        for (i, d) in days.iter().enumerate() {
            assert_eq!(out[i], derive(&v, &p, *d), "day {i}");
        }
    }
}
