//! November 2019: governments decide. Women and children held by the Turkish police are
//! deported to their home countries; some who presented themselves at a consulate are
//! flown home; unaccompanied children of Western nationality are repatriated from the
//! camps, and a few mothers in Roj consent to their young children leaving without them.
//! Each repatriation is an official notification (A1); tracing tasks close with it.

use crate::calendar;
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::{scaled, Camp};
use crate::households::{Household, Resident};
use crate::outcome::Outcome;
use crate::World;
use model::claim::ClaimKind;
use model::report::Channel;
use model::time::{Timestamp, MS_PER_HOUR};

/// Households in Roj whose young children go home without their mother, at scale 1.
const CHILDREN_ONLY: u32 = 3;

/// Writes the repatriations; returns how many people were repatriated.
pub fn november(
    world: &World<'_>,
    escape: &Outcome,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) -> usize {
    let mut repatriated = 0;
    let mut tracing = escape.tracing.clone();
    let mut send_home = |chronicle: &mut Chronicle<'_>,
                         dice: &mut Dice,
                         household: &Household,
                         who: &dyn Fn(&Resident) -> bool,
                         at: Timestamp,
                         content: &str| {
        let country = household.origin.country;
        let Some(code) = country.code() else { return };
        let people: Vec<(usize, &Resident)> = world
            .census
            .residents
            .get(household.members.clone())
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter(|(_, r)| who(r))
            .map(|(offset, r)| (household.members.start + offset, r))
            .collect();
        if people.is_empty() {
            return;
        }
        let said: Vec<Said> = people
            .iter()
            .map(|(_, r)| (r.id, at, ClaimKind::Repatriated { country: code }))
            .collect();
        let id = Chronicle::report_id(dice);
        let claims = chronicle.report(
            dice,
            id,
            Incoming {
                at: at.plus_ms(4 * MS_PER_HOUR),
                channel: Channel::Call,
                grade: world.grades.a1,
                by: world.actors.consular,
                source: "consular officer, official notification",
                content: format!("{content} ({}): {} persons", country.iso(), people.len()),
            },
            said,
        );
        repatriated += people.len();
        for ((index, _), claim) in people.iter().zip(claims) {
            if let Some(task) = tracing.remove(index) {
                chronicle.close_task(
                    at.plus_ms(6 * MS_PER_HOUR),
                    task,
                    Some(claim),
                    "repatriated",
                );
            }
        }
    };
    let everyone = |_: &Resident| true;

    for household in escape
        .turkish_custody
        .iter()
        .filter_map(|&h| world.census.households.get(h))
    {
        if household.origin.country.is_western() && dice.chance(700) {
            let at = calendar::november(dice.between(11, 15), dice.between(6, 20), 0);
            send_home(
                chronicle,
                dice,
                household,
                &everyone,
                at,
                "Deported from Turkey with her children",
            );
        }
    }
    for household in escape
        .at_consulate
        .iter()
        .filter_map(|&h| world.census.households.get(h))
    {
        if dice.chance(800) {
            let at = calendar::november(dice.between(8, 20), dice.between(6, 20), 0);
            send_home(
                chronicle,
                dice,
                household,
                &everyone,
                at,
                "Flown home from Istanbul with her children",
            );
        }
    }
    let section_of = |h: &Household| world.geography.sections.get(usize::from(h.section));
    for household in world.census.households.iter() {
        let Some(section) = section_of(household) else {
            continue;
        };
        if household.unaccompanied
            && household.origin.country.is_western()
            && section.camp != Camp::AinIssa
            && dice.chance(600)
        {
            let at = calendar::november(dice.between(19, 25), dice.between(6, 20), 0);
            send_home(
                chronicle,
                dice,
                household,
                &everyone,
                at,
                "Repatriation of unaccompanied children",
            );
        }
    }
    // A few mothers in Roj let their youngest go home without them.
    let wanted = scaled(
        CHILDREN_ONLY,
        world.census.residents.len() as f64 / 81_700.0,
    )
    .max(1);
    let young = |r: &Resident| !r.adult() && r.age < 10;
    let mut done = 0;
    for household in world.census.households.iter() {
        if done >= wanted {
            break;
        }
        let Some(section) = section_of(household) else {
            continue;
        };
        if section.camp == Camp::Roj
            && !household.unaccompanied
            && matches!(
                household.origin.country,
                crate::nationality::Country::Belgium | crate::nationality::Country::France
            )
            && dice.chance(100)
        {
            let at = calendar::november(22, 9, 0);
            send_home(
                chronicle,
                dice,
                household,
                &young,
                at,
                "Children repatriated with their mother's consent",
            );
            done += 1;
        }
    }
    repatriated
}
