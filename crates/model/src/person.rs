//! A person and what is recorded about them: names, birth, nationality claims,
//! relationships and vulnerabilities. Every item keeps the report it came from.

use crate::country::CountryCode;
use crate::ids::{HouseholdId, PersonId, ReportId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The writing system of a name as recorded; the same person often has one of each.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum Script {
    Latin,
    Arabic,
    Other,
}

impl Script {
    /// The script of a name: Arabic if it holds any Arabic-script letter, Latin if it
    /// holds any Latin letter, else other.
    pub fn of(text: &str) -> Self {
        if text.chars().any(|c| matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)) {
            Script::Arabic
        } else if text.chars().any(|c| c.is_ascii_alphabetic() || matches!(c as u32, 0xC0..=0x24F)) {
            Script::Latin
        } else {
            Script::Other
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum NameKind {
    Given,
    Family,
    Full,
    /// "Umm Adam", "Abu Hamza": a name by relation to a child.
    Kunya,
    Alias,
    Maiden,
    Married,
}

/// One name as one source gave it. A person has many; none is "the" name.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Name {
    pub text: String,
    pub script: Script,
    pub kind: NameKind,
    pub source: Option<ReportId>,
}

impl Name {
    pub fn new(text: impl Into<String>, kind: NameKind, source: Option<ReportId>) -> Self {
        let text = text.into();
        Self {
            script: Script::of(&text),
            text,
            kind,
            source,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum Sex {
    Female,
    Male,
    Unknown,
}

impl Sex {
    /// The word stored and shown for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Unknown => "unknown",
        }
    }
}

/// What is known of a birth. Camp lists rarely have exact dates; often only a year, or an
/// age someone stated on a given day.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum Birth {
    Exact(NaiveDate),
    Month {
        year: i32,
        month: u8,
    },
    Year(i32),
    /// "She said she was 14" on `stated_on`.
    StatedAge {
        age: u8,
        stated_on: NaiveDate,
    },
}

impl Birth {
    /// The earliest and latest possible birth year.
    pub fn year_range(&self) -> (i32, i32) {
        match *self {
            Birth::Exact(d) => (d.year(), d.year()),
            Birth::Month { year, .. } | Birth::Year(year) => (year, year),
            Birth::StatedAge { age, stated_on } => {
                let y = stated_on.year() - i32::from(age);
                (y - 1, y)
            }
        }
    }

    /// The age in whole years on `on`, as a range when the birth is imprecise.
    pub fn age_on(&self, on: NaiveDate) -> (i32, i32) {
        let (lo, hi) = self.year_range();
        let after_birthday = |year: i32| -> i32 {
            match *self {
                Birth::Exact(d) => {
                    let had = (on.month(), on.day()) >= (d.month(), d.day());
                    on.year() - year - i32::from(!had)
                }
                _ => on.year() - year,
            }
        };
        let oldest = after_birthday(lo);
        let youngest = if matches!(self, Birth::Exact(_)) {
            oldest
        } else {
            (after_birthday(hi) - 1).max(0)
        };
        (youngest.min(oldest), oldest)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum NationalityStatus {
    Confirmed,
    Claimed,
    Disputed,
    Revoked,
}

impl NationalityStatus {
    /// The word stored and shown for it.
    pub fn as_str(self) -> &'static str {
        match self {
            NationalityStatus::Confirmed => "confirmed",
            NationalityStatus::Claimed => "claimed",
            NationalityStatus::Disputed => "disputed",
            NationalityStatus::Revoked => "revoked",
        }
    }
}

/// "P is a national of C", with its status and the evidence for it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct NationalityClaim {
    pub country: CountryCode,
    pub status: NationalityStatus,
    pub evidence: Option<String>,
    pub source: Option<ReportId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum RelationshipKind {
    /// `person` is a parent of `other`.
    ParentOf,
    /// `person` is a child of `other`.
    ChildOf,
    SpouseOf,
    SiblingOf,
    /// `person` is the guardian of `other`.
    GuardianOf,
    /// `person` is in the care of guardian `other`.
    WardOf,
}

impl RelationshipKind {
    /// The same relationship seen from the other person.
    pub fn inverse(self) -> Self {
        match self {
            Self::ParentOf => Self::ChildOf,
            Self::ChildOf => Self::ParentOf,
            Self::SpouseOf => Self::SpouseOf,
            Self::SiblingOf => Self::SiblingOf,
            Self::GuardianOf => Self::WardOf,
            Self::WardOf => Self::GuardianOf,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum EvidenceGrade {
    Asserted,
    Documented,
    DnaVerified,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Relationship {
    pub kind: RelationshipKind,
    pub other: PersonId,
    pub evidence: EvidenceGrade,
}

/// Something that raises a person's priority for tracing and care.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum Vulnerability {
    /// A medical condition, e.g. chronic bronchitis from smoke. Detail beyond the label
    /// belongs in a sealed health claim.
    MedicalCondition(String),
    UnaccompaniedMinor,
    SeparatedChild,
    Pregnancy,
    Disability,
}

/// Everything known at registration: one event carries it, so a list of 68,000 people
/// is 68,000 events rather than half a million.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Registration {
    pub sex: Sex,
    pub birth: Option<Birth>,
    pub names: Vec<Name>,
    pub nationalities: Vec<NationalityClaim>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub household: Option<HouseholdId>,
    pub relationships: Vec<Relationship>,
    pub source: Option<ReportId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn script_of_names() {
        assert_eq!(Script::of("سميرة بوعزاوي"), Script::Arabic);
        assert_eq!(Script::of("Samira Bouazzaoui"), Script::Latin);
        assert_eq!(Script::of("Zoé"), Script::Latin);
        assert_eq!(Script::of("123"), Script::Other);
    }

    #[test]
    fn ages_from_imprecise_births() {
        let on = d(2019, 10, 13);
        assert_eq!(Birth::Exact(d(2015, 10, 14)).age_on(on), (3, 3));
        assert_eq!(Birth::Exact(d(2015, 10, 13)).age_on(on), (4, 4));
        assert_eq!(Birth::Year(2015).age_on(on), (3, 4));
        assert_eq!(
            Birth::StatedAge {
                age: 14,
                stated_on: d(2019, 3, 1)
            }
            .year_range(),
            (2004, 2005)
        );
    }

    #[test]
    fn relationships_invert() {
        for k in [
            RelationshipKind::ParentOf,
            RelationshipKind::SpouseOf,
            RelationshipKind::GuardianOf,
        ] {
            assert_eq!(k.inverse().inverse(), k);
        }
    }
}
