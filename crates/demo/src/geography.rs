//! The places of the scenario: the three camps and their sections, the towns and the
//! border crossing on the road north, detention facilities, and the consulates where
//! women who reached Turkey asked for help.
//!
//! Places exist at every scale; only the number of people in them scales. Section sizes
//! at scale 1 add up to the camp populations of October 2019 (Roj about 1,700; Ain Issa
//! about 12,000; Al-Hol about 68,000).

use crate::dice::Dice;
use crate::nationality::{Country, Population};
use model::ids::PlaceId;
use model::place::{Place, PlaceKind};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Camp {
    Roj,
    AinIssa,
    AlHol,
}

impl Camp {
    pub const ALL: [Camp; 3] = [Camp::Roj, Camp::AinIssa, Camp::AlHol];

    pub fn name(self) -> &'static str {
        match self {
            Camp::Roj => "Roj",
            Camp::AinIssa => "Ain Issa",
            Camp::AlHol => "Al-Hol",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Camp::Roj => 0,
            Camp::AinIssa => 1,
            Camp::AlHol => 2,
        }
    }
}

/// A camp section as the scenario defines it: its size at scale 1 and who lives there.
struct SectionSpec {
    camp: Camp,
    name: &'static str,
    people: u32,
    population: Population,
    /// A camp's first section keeps a few people at any scale.
    keeps_people: bool,
}

const fn section(
    camp: Camp,
    name: &'static str,
    people: u32,
    population: Population,
    keeps_people: bool,
) -> SectionSpec {
    SectionSpec {
        camp,
        name,
        people,
        population,
        keeps_people,
    }
}

use Population::{AinIssaBlocks, AlHolAnnex, IraqiMajority, SyrianMajority, WesternHeavy};

const SECTIONS: [SectionSpec; 19] = [
    section(Camp::Roj, "Roj Sector 1", 900, WesternHeavy, true),
    section(Camp::Roj, "Roj Sector 2", 800, WesternHeavy, false),
    // 265 wives of foreign fighters and about 1,000 children.
    section(
        Camp::AinIssa,
        "Ain Issa Foreigners' Annex",
        1265,
        WesternHeavy,
        true,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 1",
        1790,
        AinIssaBlocks,
        false,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 2",
        1790,
        AinIssaBlocks,
        false,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 3",
        1790,
        AinIssaBlocks,
        false,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 4",
        1790,
        AinIssaBlocks,
        false,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 5",
        1790,
        AinIssaBlocks,
        false,
    ),
    section(
        Camp::AinIssa,
        "Ain Issa Block 6",
        1785,
        AinIssaBlocks,
        false,
    ),
    section(Camp::AlHol, "Al-Hol Annex", 10000, AlHolAnnex, true),
    section(Camp::AlHol, "Al-Hol Phase 1", 8500, IraqiMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 2", 8000, IraqiMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 3", 7500, IraqiMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 4", 7500, IraqiMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 5", 7000, SyrianMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 6", 7000, SyrianMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 7", 6500, SyrianMajority, false),
    section(Camp::AlHol, "Al-Hol Phase 8", 6000, SyrianMajority, false),
    // Opened for families transferred after the Ain Issa escape; empty at registration.
    section(Camp::AlHol, "Al-Hol Reception", 0, SyrianMajority, false),
];

/// The fewest people a camp's first section holds at any scale, so that tiny scenarios
/// still have families in every camp.
const FEWEST_IN_FIRST_SECTION: u32 = 6;

/// The consulates (and one embassy) that escaped women or their families contacted.
const CONSULATES: [(Country, &str, Town); 11] = [
    (
        Country::Belgium,
        "Consulate General of Belgium, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::France,
        "Consulate General of France, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::Netherlands,
        "Consulate General of the Netherlands, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::Germany,
        "Consulate General of Germany, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::UnitedKingdom,
        "British Consulate General, Istanbul",
        Town::Istanbul,
    ),
    (Country::UnitedStates, "US Consulate, Adana", Town::Adana),
    (Country::Canada, "Embassy of Canada, Ankara", Town::Ankara),
    (
        Country::Sweden,
        "Consulate General of Sweden, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::Russia,
        "Consulate General of Russia, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::Tunisia,
        "Consulate General of Tunisia, Istanbul",
        Town::Istanbul,
    ),
    (
        Country::Morocco,
        "Consulate General of Morocco, Istanbul",
        Town::Istanbul,
    ),
];

/// Towns, in the order they are added; `Town as usize` indexes [`TOWNS`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Town {
    TalAbyad,
    Sanliurfa,
    Gaziantep,
    Hasakah,
    Istanbul,
    Adana,
    Ankara,
}

const TOWNS: [(Town, &str); 7] = [
    (Town::TalAbyad, "Tal Abyad"),
    (Town::Sanliurfa, "Şanlıurfa"),
    (Town::Gaziantep, "Gaziantep"),
    (Town::Hasakah, "Hasakah"),
    (Town::Istanbul, "Istanbul"),
    (Town::Adana, "Adana"),
    (Town::Ankara, "Ankara"),
];

/// A camp section with its place id and how many people it holds at this scale.
#[derive(Clone, Debug)]
pub struct Section {
    pub id: PlaceId,
    pub camp: Camp,
    pub name: &'static str,
    pub population: Population,
    pub people: u32,
}

/// All places of the scenario with the ids the timeline refers to.
pub struct Geography {
    /// In the order they are added (a parent before its children).
    pub places: Vec<Place>,
    pub camps: [PlaceId; 3],
    pub sections: Vec<Section>,
    pub tal_abyad: PlaceId,
    pub akcakale: PlaceId,
    pub sanliurfa: PlaceId,
    pub gaziantep: PlaceId,
    pub removal_centre: PlaceId,
    pub hasakah_facility: PlaceId,
    pub consulates: Vec<(Country, PlaceId)>,
}

impl Geography {
    pub fn build(scale: f64, dice: &mut Dice) -> Self {
        let mut places = Vec::new();
        let mut add = |dice: &mut Dice, name: &str, kind: PlaceKind, parent: Option<PlaceId>| {
            let id = PlaceId::from_u128(dice.id_bits());
            places.push(Place {
                id,
                name: name.to_string(),
                kind,
                parent,
            });
            id
        };
        let camps = Camp::ALL.map(|camp| add(dice, camp.name(), PlaceKind::Camp, None));
        let sections = SECTIONS
            .iter()
            .map(|spec| {
                let camp = camps[spec.camp.index()];
                let id = add(dice, spec.name, PlaceKind::CampSection, Some(camp));
                let mut people = scaled(spec.people, scale);
                if spec.keeps_people {
                    people = people.max(FEWEST_IN_FIRST_SECTION);
                }
                Section {
                    id,
                    camp: spec.camp,
                    name: spec.name,
                    population: spec.population,
                    people,
                }
            })
            .collect();
        let towns = TOWNS.map(|(_, name)| add(dice, name, PlaceKind::Town, None));
        let town = |t: Town| Some(towns[t as usize]);
        let akcakale = add(
            dice,
            "Akçakale border crossing",
            PlaceKind::BorderCrossing,
            None,
        );
        let removal_centre = add(
            dice,
            "Şanlıurfa removal centre",
            PlaceKind::DetentionFacility,
            town(Town::Sanliurfa),
        );
        let hasakah_facility = add(
            dice,
            "Hasakah detention facility",
            PlaceKind::DetentionFacility,
            town(Town::Hasakah),
        );
        let consulates = CONSULATES
            .iter()
            .map(|(country, name, seat)| {
                (*country, add(dice, name, PlaceKind::Consulate, town(*seat)))
            })
            .collect();
        Self {
            places,
            camps,
            sections,
            tal_abyad: towns[Town::TalAbyad as usize],
            akcakale,
            sanliurfa: towns[Town::Sanliurfa as usize],
            gaziantep: towns[Town::Gaziantep as usize],
            removal_centre,
            hasakah_facility,
            consulates,
        }
    }

    pub fn camp(&self, camp: Camp) -> PlaceId {
        self.camps[camp.index()]
    }

    /// The consulate of a country, if it is one the scenario has.
    pub fn consulate(&self, country: Country) -> Option<PlaceId> {
        self.consulates
            .iter()
            .find(|(c, _)| *c == country)
            .map(|(_, id)| *id)
    }

    /// The first section of a camp whose name contains `part`.
    pub fn section_named(&self, part: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name.contains(part))
    }
}

/// A count at scale 1 multiplied by `scale`, rounded; negative or absurd scales give 0.
pub fn scaled(count: u32, scale: f64) -> u32 {
    let v = (f64::from(count) * scale).round();
    if v.is_finite() && v > 0.0 {
        v.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camp_sizes_at_scale_one() {
        for (camp, expected) in [
            (Camp::Roj, 1700),
            (Camp::AinIssa, 12000),
            (Camp::AlHol, 68000),
        ] {
            let total: u32 = SECTIONS
                .iter()
                .filter(|s| s.camp == camp)
                .map(|s| s.people)
                .sum();
            assert_eq!(total, expected, "{}", camp.name());
        }
    }

    #[test]
    fn camp_names_are_published() {
        assert_eq!(Camp::ALL.map(Camp::name), crate::CAMPS);
    }

    #[test]
    fn towns_table_follows_the_enum() {
        for (i, (town, _)) in TOWNS.iter().enumerate() {
            assert_eq!(*town as usize, i);
        }
    }

    #[test]
    fn tiny_scales_keep_people_and_places() {
        let g = Geography::build(0.0001, &mut Dice::new(1));
        for camp in Camp::ALL {
            let people: u32 = g
                .sections
                .iter()
                .filter(|s| s.camp == camp)
                .map(|s| s.people)
                .sum();
            assert!(people >= FEWEST_IN_FIRST_SECTION);
        }
        assert_eq!(
            g.places.len(),
            3 + SECTIONS.len() + TOWNS.len() + 3 + CONSULATES.len()
        );
        assert_eq!(scaled(100, f64::NAN), 0);
        assert_eq!(scaled(100, -1.0), 0);
    }
}
