//! Whereabouts: derived, never typed in.
//!
//! # The rule
//!
//! 1. Only claims that locate a person take part (seen at, escaped, on the move, in
//!    custody, repatriated, deceased). Each counts with the weight of its report's
//!    Admiralty grade ([`Grade::weight`]).
//! 2. Claims weighing at least [`STRONG`] are *strong*. If a person has any strong claim,
//!    weak ones never decide: a text from a source that cannot be judged (F) does not
//!    override what a camp list documented the day before. Weak claims still show, as
//!    contradictions. With only weak claims, the best of them decides, at low confidence.
//! 3. Among the deciding claims, walk forward in time: a later claim replaces the current
//!    one if it is at least as heavy, or if it is more than [`SAME_TIME`] later. So
//!    newer news wins, but two reports of the same moment are settled by their grades.
//! 4. If the decided claim holds the person at a place (camp, section, facility) and that
//!    place, or the camp it belongs to, later became unguarded, came under fire, was
//!    evacuated or closed, the person is *unaccounted for* from that moment, until a
//!    newer claim places them.
//! 5. Confidence is the share of current weight (claims from [`SAME_TIME`] before the
//!    decided one onwards) that agrees with the decision, times the decided claim's own
//!    weight. Current claims that disagree are listed as contradictions: a weak newer
//!    report, or a report of the same moment that lost on grade. Older claims superseded
//!    by newer news are history (the timeline), not contradictions: people move.
//!
//! The rule reads only claims and place history, never the wall clock, so replaying the
//! log always derives the same whereabouts.

use crate::claim::{ClaimKind, GradedClaim};
use crate::ids::{ClaimId, PlaceId};
use crate::place::{PlaceKind, PlaceStatusChange};
use crate::time::{Timestamp, MS_PER_HOUR};
use serde::{Deserialize, Serialize};

/// Claims weighing less than this never override a stronger one.
pub const STRONG: f64 = 0.3;
/// Two claims closer than this are about the same moment: the heavier wins.
pub const SAME_TIME: i64 = 12 * MS_PER_HOUR;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum WhereaboutsStatus {
    InCamp,
    UnaccountedFor,
    OnTheMove,
    InCustody,
    Repatriated,
    Deceased,
    /// No claim locates the person yet.
    Unknown,
}

impl WhereaboutsStatus {
    pub const ALL: [Self; 7] = [
        Self::InCamp,
        Self::UnaccountedFor,
        Self::OnTheMove,
        Self::InCustody,
        Self::Repatriated,
        Self::Deceased,
        Self::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InCamp => "in_camp",
            Self::UnaccountedFor => "unaccounted_for",
            Self::OnTheMove => "on_the_move",
            Self::InCustody => "in_custody",
            Self::Repatriated => "repatriated",
            Self::Deceased => "deceased",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s.trim())
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize, Debug)]
pub struct Whereabouts {
    pub status: WhereaboutsStatus,
    /// Where the person is, or was last known to be.
    pub place: Option<PlaceId>,
    /// Since when this holds: the decided claim's time, or the place-status change.
    pub since: Option<Timestamp>,
    /// In [0, 1].
    pub confidence: f64,
    /// The claims the decision rests on, decided claim first.
    pub basis: Vec<ClaimId>,
    /// Recent claims that say otherwise.
    pub contradictions: Vec<ClaimId>,
    /// Set when a place-status change made the person unaccounted for.
    pub dispersed_by: Option<PlaceStatusChange>,
}

impl Whereabouts {
    pub fn unknown() -> Self {
        Self {
            status: WhereaboutsStatus::Unknown,
            place: None,
            since: None,
            confidence: 0.0,
            basis: Vec::new(),
            contradictions: Vec::new(),
            dispersed_by: None,
        }
    }
}

/// What the rule needs to know about places.
pub trait PlaceFacts {
    fn kind(&self, place: PlaceId) -> Option<PlaceKind>;
    fn parent(&self, place: PlaceId) -> Option<PlaceId>;
    /// Status changes in time order.
    fn status_changes(&self, place: PlaceId) -> Vec<PlaceStatusChange>;
}

/// What a claim says about where the person is.
type Conclusion = (WhereaboutsStatus, Option<PlaceId>);

fn conclusion(kind: &ClaimKind, places: &dyn PlaceFacts) -> Option<Conclusion> {
    use WhereaboutsStatus as S;
    Some(match kind {
        ClaimKind::SeenAt { place } => match places.kind(*place) {
            Some(PlaceKind::DetentionFacility) => (S::InCustody, Some(*place)),
            Some(k) if k.holds_people() => (S::InCamp, Some(*place)),
            _ => (S::OnTheMove, Some(*place)),
        },
        ClaimKind::Escaped { from } => (S::OnTheMove, Some(*from)),
        ClaimKind::OnTheMove { .. } => (S::OnTheMove, None),
        ClaimKind::InCustody { place, .. } => (S::InCustody, *place),
        ClaimKind::Repatriated { .. } => (S::Repatriated, None),
        ClaimKind::Deceased => (S::Deceased, None),
        _ => return None,
    })
}

struct Located<'a> {
    graded: &'a GradedClaim,
    weight: f64,
    says: Conclusion,
}

impl Located<'_> {
    fn at(&self) -> Timestamp {
        self.graded.claim.observed_at
    }
    fn id(&self) -> ClaimId {
        self.graded.claim.id
    }
}

/// Derives a person's whereabouts from their claims. See the module docs for the rule.
pub fn derive(claims: &[GradedClaim], places: &dyn PlaceFacts) -> Whereabouts {
    let mut located: Vec<Located> = claims
        .iter()
        .filter_map(|g| {
            conclusion(&g.claim.kind, places).map(|says| Located {
                graded: g,
                weight: g.grade.weight(),
                says,
            })
        })
        .collect();
    if located.is_empty() {
        return Whereabouts::unknown();
    }
    located.sort_by_key(|l| (l.at(), l.id()));
    let any_strong = located.iter().any(|l| l.weight >= STRONG);
    let decides = |l: &&Located| !any_strong || l.weight >= STRONG;
    let Some(decided) = located.iter().filter(decides).reduce(|current, next| {
        let later = next.at().0 - current.at().0 >= SAME_TIME;
        if later || next.weight >= current.weight {
            next
        } else {
            current
        }
    }) else {
        return Whereabouts::unknown();
    };
    let window_start = decided.at().0 - SAME_TIME;
    let recent: Vec<&Located> = located
        .iter()
        .filter(|l| l.at().0 >= window_start)
        .collect();
    let total: f64 = recent.iter().map(|l| l.weight).sum();
    let agreeing: f64 = recent
        .iter()
        .filter(|l| l.says == decided.says)
        .map(|l| l.weight)
        .sum();
    let confidence = if total > 0.0 {
        (agreeing / total) * decided.weight
    } else {
        0.0
    };
    let mut basis = vec![decided.id()];
    basis.extend(
        recent
            .iter()
            .filter(|l| l.says == decided.says && l.id() != decided.id())
            .map(|l| l.id()),
    );
    let contradictions = recent
        .iter()
        .filter(|l| l.says != decided.says)
        .map(|l| l.id())
        .collect();
    let mut whereabouts = Whereabouts {
        status: decided.says.0,
        place: decided.says.1,
        since: Some(decided.at()),
        confidence,
        basis,
        contradictions,
        dispersed_by: None,
    };
    apply_dispersal(&mut whereabouts, decided.at(), places);
    whereabouts
}

/// Rule 4: a held person whose place dispersed after the decided claim is unaccounted for.
fn apply_dispersal(w: &mut Whereabouts, decided_at: Timestamp, places: &dyn PlaceFacts) {
    use WhereaboutsStatus as S;
    if !matches!(w.status, S::InCamp | S::InCustody) {
        return;
    }
    let Some(place) = w.place else { return };
    let mut candidates = vec![place];
    candidates.extend(places.parent(place));
    let dispersal = candidates
        .into_iter()
        .flat_map(|p| places.status_changes(p))
        .filter(|c| c.status.disperses_people() && c.at > decided_at)
        .min_by_key(|c| c.at);
    if let Some(change) = dispersal {
        w.status = S::UnaccountedFor;
        w.since = Some(change.at);
        w.dispersed_by = Some(change);
    }
}

#[cfg(test)]
mod tests;
