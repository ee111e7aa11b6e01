//! Nationalities: who lives in which section, and the nationality claims a registration
//! records.
//!
//! Shares are realistic in outline, not statistics: Al-Hol's phases mostly Iraqi and
//! Syrian, its annex foreigners from some fifty countries (here about twenty), Roj and
//! Ain Issa's foreigners' annex mostly from Europe, Russia and the Maghreb. Some women hold
//! two nationalities, some claims are disputed, and some were revoked. Children mostly
//! take their mother's claim, as claimed; some also have their father's, some are
//! disputed because their birth in Syria was never registered by the home state.

use crate::dice::Dice;
use model::person::{NationalityClaim, NationalityStatus};
use model::{CountryCode, ReportId};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Country {
    Belgium,
    France,
    Netherlands,
    Germany,
    UnitedKingdom,
    UnitedStates,
    Canada,
    Sweden,
    Denmark,
    Austria,
    Australia,
    Russia,
    Tunisia,
    Morocco,
    Algeria,
    Egypt,
    Iraq,
    Syria,
    Turkey,
    Kazakhstan,
    Uzbekistan,
    Tajikistan,
    Azerbaijan,
    Indonesia,
    TrinidadAndTobago,
}

/// The naming tradition a person's names are drawn from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Culture {
    French,
    Flemish,
    Dutch,
    German,
    English,
    American,
    Canadian,
    Nordic,
    Caucasus,
    CentralAsian,
    Indonesian,
    Trinidadian,
    Turkish,
    /// Arabic names romanised English-style (u, sh, j): Iraq, Syria, Egypt, and the
    /// diaspora in English-speaking countries.
    Mashriq,
    /// Arabic names romanised French-style (ou, ch, dj): Tunisia, Morocco, Algeria, and
    /// the diaspora in France and Belgium.
    Maghreb,
}

impl Country {
    pub fn iso(self) -> &'static str {
        match self {
            Self::Belgium => "BE",
            Self::France => "FR",
            Self::Netherlands => "NL",
            Self::Germany => "DE",
            Self::UnitedKingdom => "GB",
            Self::UnitedStates => "US",
            Self::Canada => "CA",
            Self::Sweden => "SE",
            Self::Denmark => "DK",
            Self::Austria => "AT",
            Self::Australia => "AU",
            Self::Russia => "RU",
            Self::Tunisia => "TN",
            Self::Morocco => "MA",
            Self::Algeria => "DZ",
            Self::Egypt => "EG",
            Self::Iraq => "IQ",
            Self::Syria => "SY",
            Self::Turkey => "TR",
            Self::Kazakhstan => "KZ",
            Self::Uzbekistan => "UZ",
            Self::Tajikistan => "TJ",
            Self::Azerbaijan => "AZ",
            Self::Indonesia => "ID",
            Self::TrinidadAndTobago => "TT",
        }
    }

    /// The model's code. Every `iso()` is two ASCII letters (a test checks), so this is
    /// `None` only if that table were broken.
    pub fn code(self) -> Option<CountryCode> {
        self.iso().parse().ok()
    }

    /// Countries whose governments ran consular and repatriation work in the scenario.
    pub fn is_western(self) -> bool {
        matches!(
            self,
            Self::Belgium
                | Self::France
                | Self::Netherlands
                | Self::Germany
                | Self::UnitedKingdom
                | Self::UnitedStates
                | Self::Canada
                | Self::Sweden
                | Self::Denmark
                | Self::Austria
                | Self::Australia
        )
    }

    /// The naming tradition of someone born there without a migrant background.
    pub fn native_culture(self) -> Culture {
        match self {
            Self::France => Culture::French,
            Self::Belgium => Culture::Flemish,
            Self::Netherlands => Culture::Dutch,
            Self::Germany | Self::Austria => Culture::German,
            Self::UnitedKingdom | Self::Australia => Culture::English,
            Self::UnitedStates => Culture::American,
            Self::Canada => Culture::Canadian,
            Self::Sweden | Self::Denmark => Culture::Nordic,
            Self::Russia | Self::Azerbaijan => Culture::Caucasus,
            Self::Kazakhstan | Self::Uzbekistan | Self::Tajikistan => Culture::CentralAsian,
            Self::Indonesia => Culture::Indonesian,
            Self::TrinidadAndTobago => Culture::Trinidadian,
            Self::Turkey => Culture::Turkish,
            Self::Tunisia | Self::Morocco | Self::Algeria => Culture::Maghreb,
            Self::Egypt | Self::Iraq | Self::Syria => Culture::Mashriq,
        }
    }

    /// Per mille of women of this nationality with a migrant background, the tradition
    /// of their names, and the countries of origin, one of which some also hold.
    fn heritage(self) -> Option<(u32, Culture, [Country; 3])> {
        use Country::{Algeria, Egypt, Iraq, Morocco, Syria, Tunisia, Turkey};
        Some(match self {
            Self::France => (450, Culture::Maghreb, [Algeria, Morocco, Tunisia]),
            Self::Belgium => (550, Culture::Maghreb, [Morocco, Morocco, Tunisia]),
            Self::Netherlands => (500, Culture::Maghreb, [Morocco, Morocco, Morocco]),
            Self::Germany => (350, Culture::Turkish, [Turkey, Turkey, Turkey]),
            Self::Austria => (300, Culture::Turkish, [Turkey, Turkey, Turkey]),
            Self::UnitedKingdom => (350, Culture::Mashriq, [Iraq, Syria, Egypt]),
            Self::Sweden | Self::Denmark => (300, Culture::Mashriq, [Iraq, Syria, Iraq]),
            Self::UnitedStates | Self::Canada | Self::Australia => {
                (250, Culture::Mashriq, [Egypt, Syria, Iraq])
            }
            _ => return None,
        })
    }
}

/// Who lives in a camp section.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Population {
    /// Roj and Ain Issa's foreigners' annex.
    WesternHeavy,
    /// Al-Hol's annex for foreigners.
    AlHolAnnex,
    /// Ain Issa's blocks: displaced Syrians, some Iraqis.
    AinIssaBlocks,
    IraqiMajority,
    SyrianMajority,
}

use Country as C;

const WESTERN_HEAVY: [(Country, u32); 20] = [
    (C::France, 18),
    (C::Germany, 12),
    (C::Russia, 10),
    (C::Netherlands, 8),
    (C::UnitedKingdom, 7),
    (C::Belgium, 6),
    (C::Tunisia, 6),
    (C::Sweden, 5),
    (C::Morocco, 5),
    (C::Kazakhstan, 3),
    (C::Uzbekistan, 3),
    (C::Indonesia, 3),
    (C::Turkey, 3),
    (C::UnitedStates, 2),
    (C::Canada, 2),
    (C::TrinidadAndTobago, 2),
    (C::Australia, 2),
    (C::Algeria, 2),
    (C::Denmark, 1),
    (C::Austria, 1),
];

const AL_HOL_ANNEX: [(Country, u32); 20] = [
    (C::Russia, 16),
    (C::Turkey, 10),
    (C::Kazakhstan, 8),
    (C::Uzbekistan, 8),
    (C::Tunisia, 7),
    (C::Tajikistan, 6),
    (C::Indonesia, 6),
    (C::Morocco, 5),
    (C::France, 5),
    (C::Azerbaijan, 4),
    (C::Germany, 4),
    (C::Egypt, 3),
    (C::Netherlands, 3),
    (C::Belgium, 2),
    (C::UnitedKingdom, 2),
    (C::Sweden, 2),
    (C::Algeria, 2),
    (C::TrinidadAndTobago, 1),
    (C::UnitedStates, 1),
    (C::Canada, 1),
];

const AIN_ISSA_BLOCKS: [(Country, u32); 2] = [(C::Syria, 85), (C::Iraq, 15)];
const IRAQI_MAJORITY: [(Country, u32); 2] = [(C::Iraq, 70), (C::Syria, 30)];
const SYRIAN_MAJORITY: [(Country, u32); 2] = [(C::Syria, 65), (C::Iraq, 35)];

/// A woman's origin: her first nationality, a second one if she has it, and the
/// tradition her names come from.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    pub country: Country,
    pub second: Option<Country>,
    pub culture: Culture,
}

impl Population {
    pub fn draw_origin(self, dice: &mut Dice) -> Origin {
        let country = *match self {
            Self::WesternHeavy => dice.weighted(&WESTERN_HEAVY),
            Self::AlHolAnnex => dice.weighted(&AL_HOL_ANNEX),
            Self::AinIssaBlocks => dice.weighted(&AIN_ISSA_BLOCKS),
            Self::IraqiMajority => dice.weighted(&IRAQI_MAJORITY),
            Self::SyrianMajority => dice.weighted(&SYRIAN_MAJORITY),
        };
        match country.heritage() {
            Some((per_mille, culture, origins)) if dice.chance(per_mille) => {
                let other = dice.draw(&origins);
                Origin {
                    country,
                    second: dice.chance(400).then_some(other),
                    culture,
                }
            }
            _ => Origin {
                country,
                // A few Tunisian and Moroccan women also hold French nationality.
                second: (matches!(country, C::Tunisia | C::Morocco) && dice.chance(80))
                    .then_some(C::France),
                culture: country.native_culture(),
            },
        }
    }

    /// Whether the section holds foreigners (the people consulates ask about).
    pub fn is_foreign(self) -> bool {
        matches!(self, Self::WesternHeavy | Self::AlHolAnnex)
    }
}

const WESTERN_STATUS: [(NationalityStatus, u32); 4] = [
    (NationalityStatus::Confirmed, 35),
    (NationalityStatus::Claimed, 52),
    (NationalityStatus::Disputed, 8),
    (NationalityStatus::Revoked, 5),
];
const UK_STATUS: [(NationalityStatus, u32); 4] = [
    (NationalityStatus::Confirmed, 25),
    (NationalityStatus::Claimed, 42),
    (NationalityStatus::Disputed, 8),
    (NationalityStatus::Revoked, 25),
];
const OTHER_STATUS: [(NationalityStatus, u32); 3] = [
    (NationalityStatus::Confirmed, 20),
    (NationalityStatus::Claimed, 74),
    (NationalityStatus::Disputed, 6),
];

fn evidence(status: NationalityStatus, country: Country, dice: &mut Dice) -> String {
    let text = match status {
        NationalityStatus::Confirmed => *dice.pick(&[
            "passport seen at registration",
            "identity card (copy) held by camp administration",
            "confirmed by consular check",
            "civil registry extract supplied by family",
        ]),
        NationalityStatus::Claimed => *dice.pick(&[
            "stated at registration",
            "stated at registration; no document",
            "stated by a relative abroad",
            "documents reported lost",
        ]),
        NationalityStatus::Disputed => *dice.pick(&[
            "authorities report no record of her",
            "documents presented are not accepted as genuine",
            "nationality acquired by marriage, contested",
        ]),
        NationalityStatus::Revoked => {
            if country == C::UnitedKingdom {
                "deprivation of citizenship order notified"
            } else {
                "nationality withdrawn by decree"
            }
        }
    };
    text.to_string()
}

fn claim(
    country: Country,
    status: NationalityStatus,
    evidence: Option<String>,
    source: Option<ReportId>,
) -> Option<NationalityClaim> {
    Some(NationalityClaim {
        country: country.code()?,
        status,
        evidence,
        source,
    })
}

/// The nationality claims of a woman of this origin.
pub fn adult_claims(origin: &Origin, source: ReportId, dice: &mut Dice) -> Vec<NationalityClaim> {
    let status = if origin.country == C::UnitedKingdom {
        *dice.weighted(&UK_STATUS)
    } else if origin.country.is_western() {
        *dice.weighted(&WESTERN_STATUS)
    } else {
        *dice.weighted(&OTHER_STATUS)
    };
    let mut claims = Vec::with_capacity(2);
    let text = evidence(status, origin.country, dice);
    claims.extend(claim(origin.country, status, Some(text), Some(source)));
    if let Some(second) = origin.second {
        let status = if dice.chance(300) {
            NationalityStatus::Confirmed
        } else {
            NationalityStatus::Claimed
        };
        let text = evidence(status, second, dice);
        claims.extend(claim(second, status, Some(text), Some(source)));
    }
    claims
}

/// A child's claims: the mother's countries, as claimed; sometimes the father's too, and
/// sometimes disputed for want of a registered birth.
pub fn child_claims(
    mother: &Origin,
    father: Option<Country>,
    source: ReportId,
    dice: &mut Dice,
) -> Vec<NationalityClaim> {
    let mut claims = Vec::with_capacity(3);
    let disputed = mother.country.is_western() && dice.chance(80);
    let (status, text) = if disputed {
        (
            NationalityStatus::Disputed,
            "born in Syria; birth not registered with the home state",
        )
    } else {
        (
            NationalityStatus::Claimed,
            "through the mother, stated at registration",
        )
    };
    claims.extend(claim(
        mother.country,
        status,
        Some(text.to_string()),
        Some(source),
    ));
    if let Some(second) = mother.second.filter(|_| dice.chance(600)) {
        claims.extend(claim(
            second,
            NationalityStatus::Claimed,
            Some("through the mother".to_string()),
            Some(source),
        ));
    }
    if let Some(father) = father.filter(|f| *f != mother.country && dice.chance(500)) {
        claims.extend(claim(
            father,
            NationalityStatus::Claimed,
            Some("through the father, stated by the mother".to_string()),
            Some(source),
        ));
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_has_a_valid_code() {
        for (c, _) in WESTERN_HEAVY
            .iter()
            .chain(&AL_HOL_ANNEX)
            .chain(&AIN_ISSA_BLOCKS)
        {
            assert!(c.code().is_some(), "{c:?}");
        }
        for c in [
            C::Algeria,
            C::Egypt,
            C::Iraq,
            C::Syria,
            C::Turkey,
            C::Azerbaijan,
        ] {
            assert!(c.code().is_some(), "{c:?}");
        }
    }

    #[test]
    fn al_hol_phases_are_iraqi_and_syrian() {
        let mut dice = Dice::new(5);
        for _ in 0..200 {
            let o = Population::IraqiMajority.draw_origin(&mut dice);
            assert!(matches!(o.country, C::Iraq | C::Syria));
        }
    }
}
