//! Cases of their own for the children who went home without their mother in November
//! (unaccompanied children, and the young children whose mothers in Roj consented to
//! their going): one case per household with its country, the eldest child of that
//! nationality as principal, opened in the second week of October and walked to the
//! transfer in time for the day they flew, then handed over and arrived. Everyone in it
//! is a child (an age is recorded for one the camp list gave none), so the case is
//! unaccompanied.

use super::Story;
use crate::calendar::october;
use crate::chronicle::Chronicle;
use crate::dice::Dice;
use crate::households::{flag, Resident};
use crate::nationality::Country;
use crate::repatriation::ChildrenHome;
use crate::World;
use model::case::{case_id, CaseChange, Handover, Stage};
use model::event::Payload;
use model::ids::PersonId;
use model::person::Birth;
use model::time::MS_PER_HOUR;

/// The moves before the flight, each a few days after the last: they fit between the
/// opening (by 12 October) and the earliest flight (19 November).
const BEFORE_THE_FLIGHT: [Stage; 5] = [
    Stage::NationalityVerified,
    Stage::ConsularContact,
    Stage::DecisionPending,
    Stage::Approved,
    Stage::TransferArranged,
];

/// The eldest child of the case's nationality, else the eldest.
fn principal_of(children: &[&Resident], country: Country) -> Option<PersonId> {
    children
        .iter()
        .filter(|r| r.country == country)
        .max_by_key(|r| r.age)
        .or_else(|| children.iter().max_by_key(|r| r.age))
        .map(|r| r.id)
}

/// Writes the children's cases; returns how many were opened.
pub fn open(
    world: &World<'_>,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    children_home: &[ChildrenHome],
) -> usize {
    let mut opened = 0;
    for home in children_home {
        let Some(household) = world.census.households.get(home.household) else {
            continue;
        };
        let country = household.origin.country;
        let Some(code) = country.code() else { continue };
        let children: Vec<&Resident> = home
            .children
            .iter()
            .filter_map(|i| world.census.residents.get(*i))
            .collect();
        let Some(principal) = principal_of(&children, country) else {
            continue;
        };
        let members: Vec<_> = std::iter::once(principal)
            .chain(children.iter().map(|r| r.id).filter(|id| *id != principal))
            .collect();
        let mut story = Story {
            world,
            chronicle: &mut *chronicle,
            id: case_id(principal, code),
            country,
            code,
            principal,
            members: members.clone(),
            t: october(dice.between(8, 12), dice.between(8, 17), 0),
        };
        story.change(CaseChange::Opened {
            country: code,
            principal,
            household: Some(household.id),
            members,
            at: story.t,
        });
        // A child the camp list gave no age: the consulate records the age stated now.
        for r in children.iter().filter(|r| r.has(flag::BIRTH_UNKNOWN)) {
            let stated_on = story.t.date().unwrap_or_default();
            story.chronicle.push(
                story.t,
                Payload::BirthRecorded {
                    person: r.id,
                    birth: Birth::StatedAge {
                        age: r.age,
                        stated_on,
                    },
                },
            );
        }
        for to in BEFORE_THE_FLIGHT {
            story.later(dice, (2, 5));
            story.prepare(dice, to);
            story.entry(to, false);
        }
        story.t = home.at;
        story.change(CaseChange::CustodyHandedOver(Handover {
            from: "Autonomous Administration, camp office".into(),
            to: format!("consular team of {}", country.iso()),
            place: "Qamishli airport".into(),
            at: home.at,
            persons: story.members.clone(),
            note: "children travelling without their mother".into(),
        }));
        story.t = home.at.plus_ms(MS_PER_HOUR);
        story.entry(Stage::Arrived, false);
        opened += 1;
    }
    opened
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(id: u128, age: u8, country: Country) -> Resident {
        Resident {
            id: PersonId::from_u128(id),
            section: 0,
            age,
            country,
            flags: 0,
        }
    }

    #[test]
    fn the_principal_is_the_eldest_of_the_case_nationality_before_an_elder_sibling() {
        let (elder, younger) = (child(1, 15, Country::France), child(2, 9, Country::Belgium));
        let children = [&elder, &younger];
        assert_eq!(principal_of(&children, Country::Belgium), Some(younger.id));
        assert_eq!(principal_of(&children, Country::France), Some(elder.id));
    }

    #[test]
    fn without_a_child_of_the_case_nationality_the_principal_is_the_eldest() {
        let (elder, younger) = (child(1, 15, Country::France), child(2, 9, Country::France));
        assert_eq!(
            principal_of(&[&younger, &elder], Country::Germany),
            Some(elder.id)
        );
        assert_eq!(principal_of(&[], Country::Germany), None);
    }
}
