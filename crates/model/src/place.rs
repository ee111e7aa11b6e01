//! Places and their status over time.

use crate::ids::{PlaceId, ReportId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum PlaceKind {
    Camp,
    CampSection,
    DetentionFacility,
    Town,
    BorderCrossing,
    Consulate,
}

impl PlaceKind {
    /// Being at a place of this kind means being held there.
    pub fn holds_people(self) -> bool {
        matches!(
            self,
            Self::Camp | Self::CampSection | Self::DetentionFacility
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum PlaceStatus {
    Guarded,
    Unguarded,
    UnderFire,
    Evacuated,
    Closed,
}

impl PlaceStatus {
    /// After such a change nobody last seen there can be assumed to still be there.
    pub fn disperses_people(self) -> bool {
        matches!(
            self,
            Self::Unguarded | Self::UnderFire | Self::Evacuated | Self::Closed
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guarded => "guarded",
            Self::Unguarded => "unguarded",
            Self::UnderFire => "under_fire",
            Self::Evacuated => "evacuated",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(
            match s
                .trim()
                .to_ascii_lowercase()
                .replace(['-', ' '], "_")
                .as_str()
            {
                "guarded" => Self::Guarded,
                "unguarded" => Self::Unguarded,
                "under_fire" => Self::UnderFire,
                "evacuated" => Self::Evacuated,
                "closed" => Self::Closed,
                _ => return None,
            },
        )
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct PlaceStatusChange {
    pub status: PlaceStatus,
    pub at: Timestamp,
    pub report: Option<ReportId>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Place {
    pub id: PlaceId,
    pub name: String,
    pub kind: PlaceKind,
    /// The camp a section belongs to, the town a facility is in.
    pub parent: Option<PlaceId>,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Camp => "camp",
            Self::CampSection => "camp_section",
            Self::DetentionFacility => "detention_facility",
            Self::Town => "town",
            Self::BorderCrossing => "border_crossing",
            Self::Consulate => "consulate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(
            match s
                .trim()
                .to_ascii_lowercase()
                .replace(['-', ' '], "_")
                .as_str()
            {
                "camp" => Self::Camp,
                "camp_section" | "section" => Self::CampSection,
                "detention_facility" | "facility" | "prison" => Self::DetentionFacility,
                "town" => Self::Town,
                "border_crossing" | "crossing" => Self::BorderCrossing,
                "consulate" => Self::Consulate,
                _ => return None,
            },
        )
    }
}
