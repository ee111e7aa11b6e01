//! November 2019: governments decide. Women and children held by the Turkish police are
//! deported to their home countries; some who presented themselves at a consulate are
//! flown home; unaccompanied children of Western nationality are repatriated from the
//! camps, and a few mothers in Roj consent to their young children leaving without them.
//! Each repatriation is an official notification (A1); tracing tasks close with it. The
//! children who went without their mother are returned, for cases of their own.

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

/// Children who went home without their mother (she stayed, or there was none), for the
/// cases of their own that `crate::cases::children` opens.
pub struct ChildrenHome {
    /// Index into the census's households.
    pub household: usize,
    /// The children who went, as residents' indices.
    pub children: Vec<usize>,
    /// When they were handed over.
    pub at: Timestamp,
}

/// What November did.
pub struct November {
    /// How many people were repatriated.
    pub repatriated: usize,
    pub children_home: Vec<ChildrenHome>,
}

/// Writes the repatriations.
pub fn november(
    world: &World<'_>,
    escape: &Outcome,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) -> November {
    let mut repatriated = 0;
    let mut children_home = Vec::new();
    let mut tracing = escape.tracing.clone();
    let mut send_home = |chronicle: &mut Chronicle<'_>,
                         dice: &mut Dice,
                         household: &Household,
                         who: &dyn Fn(&Resident) -> bool,
                         at: Timestamp,
                         content: &str|
     -> Vec<usize> {
        let country = household.origin.country;
        let Some(code) = country.code() else {
            return Vec::new();
        };
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
            return Vec::new();
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
        people.iter().map(|(index, _)| *index).collect()
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
    for (h, household) in world.census.households.iter().enumerate() {
        let Some(section) = section_of(household) else {
            continue;
        };
        if household.unaccompanied
            && household.origin.country.is_western()
            && section.camp != Camp::AinIssa
            && dice.chance(600)
        {
            let at = calendar::november(dice.between(19, 25), dice.between(6, 20), 0);
            let children = send_home(
                chronicle,
                dice,
                household,
                &everyone,
                at,
                "Repatriation of unaccompanied children",
            );
            children_home.push(ChildrenHome {
                household: h,
                children,
                at,
            });
        }
    }
    // A few mothers in Roj let their youngest go home without them: at least one at any
    // scale, when a household has young children to send.
    let wanted = scaled(
        CHILDREN_ONLY,
        world.census.residents.len() as f64 / 81_700.0,
    )
    .max(1);
    let young = |r: &Resident| !r.adult() && r.age < 10;
    let eligible: Vec<usize> = world
        .census
        .households
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            section_of(h).is_some_and(|s| s.camp == Camp::Roj)
                && !h.unaccompanied
                && matches!(
                    h.origin.country,
                    crate::nationality::Country::Belgium | crate::nationality::Country::France
                )
                && world
                    .census
                    .residents
                    .get(h.members.clone())
                    .is_some_and(|rs| rs.iter().any(young))
        })
        .map(|(i, _)| i)
        .collect();
    let mut chosen: Vec<usize> = Vec::new();
    for &h in &eligible {
        if chosen.len() >= wanted as usize {
            break;
        }
        if dice.chance(100) {
            chosen.push(h);
        }
    }
    if chosen.is_empty() {
        chosen.extend(eligible.first());
    }
    for h in chosen {
        let Some(household) = world.census.households.get(h) else {
            continue;
        };
        let at = calendar::november(22, 9, 0);
        let children = send_home(
            chronicle,
            dice,
            household,
            &young,
            at,
            "Children repatriated with their mother's consent",
        );
        children_home.push(ChildrenHome {
            household: h,
            children,
            at,
        });
    }
    children_home.retain(|c| !c.children.is_empty());
    November {
        repatriated,
        children_home,
    }
}
