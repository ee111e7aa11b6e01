//! Claims: structured statements taken from a report about one person.

use crate::country::CountryCode;
use crate::ids::{ClaimId, PersonId, PlaceId, ReportId};
use crate::report::{Grade, SealedValue};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum LegalStatus {
    ProceedingsOpened {
        authority: String,
    },
    ConvictedInAbsentia {
        sentence: String,
    },
    Warrant {
        authority: String,
    },
    Acquitted,
    /// A sentence handed down (after a trial at home, or on a conviction recorded apart).
    Sentenced {
        authority: String,
        sentence: String,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum ClaimKind {
    /// P was at X at time T.
    SeenAt {
        place: PlaceId,
    },
    /// P escaped from X.
    Escaped {
        from: PlaceId,
    },
    /// P is travelling, seen somewhere between places.
    OnTheMove {
        toward: Option<String>,
    },
    /// P is in the custody of Y.
    InCustody {
        holder: String,
        place: Option<PlaceId>,
    },
    Repatriated {
        country: CountryCode,
    },
    Deceased,
    /// P has condition C. The label is standard; the detail is sealed.
    HealthCondition {
        condition: String,
        detail: Option<SealedValue>,
    },
    Legal(LegalStatus),
    /// P asks to be tried in her home country.
    WishesTrialAtHome {
        country: Option<CountryCode>,
    },
    /// P says, in her own words, what she wants done (to return, not to return, her
    /// children to go home). Being tried at home is [`ClaimKind::WishesTrialAtHome`].
    StatesWish {
        wish: Wish,
    },
}

/// What a person says she wants about going home. Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum Wish {
    ToReturn,
    NotToReturn,
    /// Her children to go home, with or without her.
    ChildrenToReturn,
    /// To stay with her children whatever is decided.
    StayWithChildren,
}

impl Wish {
    pub const ALL: [Wish; 4] = [
        Wish::ToReturn,
        Wish::NotToReturn,
        Wish::ChildrenToReturn,
        Wish::StayWithChildren,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ToReturn => "to_return",
            Self::NotToReturn => "not_to_return",
            Self::ChildrenToReturn => "children_to_return",
            Self::StayWithChildren => "stay_with_children",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|w| w.as_str() == t)
    }
}

impl ClaimKind {
    pub fn label(&self) -> &'static str {
        match self {
            Self::SeenAt { .. } => "seen_at",
            Self::Escaped { .. } => "escaped",
            Self::OnTheMove { .. } => "on_the_move",
            Self::InCustody { .. } => "in_custody",
            Self::Repatriated { .. } => "repatriated",
            Self::Deceased => "deceased",
            Self::HealthCondition { .. } => "health_condition",
            Self::Legal(_) => "legal_status",
            Self::WishesTrialAtHome { .. } => "wishes_trial_at_home",
            Self::StatesWish { .. } => "states_wish",
        }
    }

    /// Whether the claim says where the person is (and so takes part in whereabouts).
    pub fn locates(&self) -> bool {
        matches!(
            self,
            Self::SeenAt { .. }
                | Self::Escaped { .. }
                | Self::OnTheMove { .. }
                | Self::InCustody { .. }
                | Self::Repatriated { .. }
                | Self::Deceased
        )
    }

    /// The place the claim names, if any.
    pub fn place(&self) -> Option<PlaceId> {
        match self {
            Self::SeenAt { place } => Some(*place),
            Self::Escaped { from } => Some(*from),
            Self::InCustody { place, .. } => *place,
            _ => None,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Claim {
    pub id: ClaimId,
    pub report: ReportId,
    pub person: PersonId,
    /// When the claim says the thing was true (not when it was received).
    pub observed_at: Timestamp,
    pub kind: ClaimKind,
}

/// A claim as a person's projection keeps it: with the grade of its report, so
/// whereabouts can be derived without loading reports.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct GradedClaim {
    pub claim: Claim,
    pub grade: Grade,
}
