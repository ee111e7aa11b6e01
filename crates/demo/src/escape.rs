//! Ain Issa, 9-20 October 2019: shelling nearby, a roll call, the guards leaving, the
//! escape, and what was heard afterwards.
//!
//! About six in ten households of the foreigners' annex leave with the guards gone, and
//! a few Syrian families from the blocks. Texts and voice notes report the escapes, most
//! graded C3 or F6 (a few B2). Over the following days some families surface: in Tal
//! Abyad, at the Akçakale crossing, in Şanlıurfa and then in Turkish custody, in
//! Gaziantep and then at their consulate, in a detention facility in Hasakah; some are
//! brought back and registered in Roj or Al-Hol, a few as new people under other
//! spellings (nobody linked them yet); some are never heard of again. Families left in
//! the blocks are partly moved to Al-Hol. Vulnerable escaped people get tracing tasks,
//! closed when a camp list finds them again.

use crate::calendar::october;
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::{Camp, Section};
use crate::households::{Household, Resident};
use crate::outcome::{members, section_of, Outcome};
use crate::priority;
use crate::sources;
use crate::surfacing;
use crate::transfers::{self, Transfers};
use crate::World;
use model::claim::ClaimKind;
use model::place::PlaceStatus;
use model::report::{Channel, Grade};
use model::task::TaskKind;
use model::time::MS_PER_HOUR;

/// Per mille of households that escaped.
const ANNEX_ESCAPE: u32 = 620;
const BLOCK_ESCAPE: u32 = 30;
/// Per mille of households left in the blocks that were moved to Al-Hol.
const BLOCK_TRANSFER: u32 = 150;
pub fn october_13(world: &World<'_>, chronicle: &mut Chronicle<'_>, dice: &mut Dice) -> Outcome {
    let geo = world.geography;
    let ain_issa = geo.camp(Camp::AinIssa);
    let mut outcome = Outcome::default();

    // 9 October: shelling near the camp.
    let at = october(9, 14, 20);
    let id = Chronicle::report_id(dice);
    let source = sources::journalist(dice);
    chronicle.report(
        dice,
        id,
        Incoming {
            at,
            channel: Channel::Media,
            grade: world.grades.b2,
            by: world.actors.tracing,
            source,
            content: "Shelling reported close to Ain Issa camp; smoke over the camp, families \
                      sheltering in tents"
                .to_string(),
        },
        [],
    );
    chronicle.place_status(at, ain_issa, PlaceStatus::UnderFire, Some(id));

    // 11 October: a roll call section by section finds nearly everyone.
    for (index, section) in sections_of(world, Camp::AinIssa) {
        let present: Vec<Said> = residents_in(world, index)
            .filter(|_| dice.chance(980))
            .map(|r| {
                (
                    r.id,
                    october(11, 8, 0),
                    ClaimKind::SeenAt { place: section.id },
                )
            })
            .collect();
        if present.is_empty() {
            continue;
        }
        let id = Chronicle::report_id(dice);
        let content = format!(
            "Roll call after the shelling: {}, {} persons present",
            section.name,
            present.len()
        );
        chronicle.report(
            dice,
            id,
            Incoming {
                at: october(11, 10, 0),
                channel: Channel::OfficialList,
                grade: world.grades.b2,
                by: world.actors.registration,
                source: "Ain Issa camp administration",
                content,
            },
            present,
        );
    }

    // 13 October: the guards leave.
    let at = october(13, 13, 30);
    let id = Chronicle::report_id(dice);
    let source = sources::journalist(dice);
    chronicle.report(
        dice,
        id,
        Incoming {
            at,
            channel: Channel::Media,
            grade: world.grades.b2,
            by: world.actors.tracing,
            source,
            content: "Guards reported to have left Ain Issa camp; fires in the annex; women \
                      and children leaving on foot"
                .to_string(),
        },
        [],
    );
    chronicle.place_status(at, ain_issa, PlaceStatus::Unguarded, Some(id));

    let escaping = escaping_households(world, dice);
    report_escapes(world, &escaping, chronicle, dice, &mut outcome);
    open_tracing_tasks(world, &escaping, chronicle, dice, &mut outcome);

    let mut transfers = Transfers::default();
    for &h in &escaping {
        surfacing::after_escape(world, h, chronicle, dice, &mut outcome, &mut transfers);
    }
    // Families left in the blocks, moved to Al-Hol over the following days.
    if let Some(reception) = geo.section_named("Reception") {
        for (h, household) in world.census.households.iter().enumerate() {
            let in_blocks = section_of(world, household)
                .is_some_and(|s| s.camp == Camp::AinIssa && !s.population.is_foreign());
            if in_blocks && escaping.binary_search(&h).is_err() && dice.chance(BLOCK_TRANSFER) {
                transfers.add(dice.between(15, 18), reception.id, h, false);
            }
        }
    }
    transfers::write(world, transfers, chronicle, dice, &mut outcome);
    outcome
}

pub fn sections_of<'a>(
    world: &'a World<'_>,
    camp: Camp,
) -> impl Iterator<Item = (usize, &'a Section)> {
    world
        .geography
        .sections
        .iter()
        .enumerate()
        .filter(move |(_, s)| s.camp == camp)
}

pub fn residents_in<'a>(
    world: &'a World<'_>,
    section: usize,
) -> impl Iterator<Item = &'a Resident> {
    world
        .census
        .residents
        .iter()
        .filter(move |r| usize::from(r.section) == section)
}

/// Households that leave Ain Issa, by index, in registration order.
fn escaping_households(world: &World<'_>, dice: &mut Dice) -> Vec<usize> {
    let mut escaping = Vec::new();
    for (h, household) in world.census.households.iter().enumerate() {
        let Some(section) = section_of(world, household) else {
            continue;
        };
        if section.camp != Camp::AinIssa {
            continue;
        }
        let per_mille = if section.population.is_foreign() {
            ANNEX_ESCAPE
        } else {
            BLOCK_ESCAPE
        };
        if dice.chance(per_mille) {
            escaping.push(h);
        }
    }
    // At any scale, at least one annex family leaves, so the scenario always has an escape.
    if !escaping.iter().any(|&h| {
        world
            .census
            .households
            .get(h)
            .and_then(|hh| section_of(world, hh))
            .is_some_and(|s| s.population.is_foreign())
    }) {
        if let Some(h) = world.census.households.iter().position(|hh| {
            section_of(world, hh)
                .is_some_and(|s| s.camp == Camp::AinIssa && s.population.is_foreign())
        }) {
            escaping.push(h);
            escaping.sort_unstable();
        }
    }
    escaping
}

fn escape_grade(world: &World<'_>, dice: &mut Dice) -> Grade {
    *dice.weighted(&[
        (world.grades.c3, 50),
        (world.grades.f6, 38),
        (world.grades.b2, 12),
    ])
}

/// One text, voice note or call per one to three escaping households.
fn report_escapes(
    world: &World<'_>,
    escaping: &[usize],
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
) {
    let mut rest = escaping;
    while !rest.is_empty() {
        let take = (dice.between(1, 3) as usize).min(rest.len());
        let (group, tail) = rest.split_at(take);
        rest = tail;
        let households: Vec<&Household> = group
            .iter()
            .filter_map(|&h| world.census.households.get(h))
            .collect();
        let Some(first) = households.first() else {
            continue;
        };
        let people: Vec<&Resident> = households.iter().flat_map(|h| members(world, h)).collect();
        let women = people.iter().filter(|r| r.adult()).count();
        let children = people.len() - women;
        let left = october(13, dice.between(14, 20), dice.between(0, 59));
        let toward = dice
            .chance(250)
            .then(|| (*dice.pick(&["the Turkish border", "Tal Abyad", "Raqqa"])).to_string());
        let sections = &world.geography.sections;
        let mut said: Vec<Said> = people
            .iter()
            .filter_map(|r| {
                let from = sections.get(usize::from(r.section))?.id;
                Some((r.id, left, ClaimKind::Escaped { from }))
            })
            .collect();
        if let Some(toward) = toward {
            let later = left.plus_ms(3 * MS_PER_HOUR);
            said.extend(people.iter().map(|r| {
                (
                    r.id,
                    later,
                    ClaimKind::OnTheMove {
                        toward: Some(toward.clone()),
                    },
                )
            }));
        }
        outcome.escaped += people.len();
        let channel = *dice.weighted(&[
            (Channel::TextMessage, 55),
            (Channel::VoiceNote, 35),
            (Channel::Call, 10),
        ]);
        let content = match channel {
            Channel::VoiceNote => format!(
                "Voice note, {} s, shelling audible (translated): the families of the annex left \
                 when the guards went; {women} women and {children} children with her",
                dice.between(20, 140)
            ),
            Channel::Call => format!(
                "Call from a relative: the family left Ain Issa on the evening of the 13th, \
                 {women} women and {children} children"
            ),
            _ => format!(
                "Text (translated): we left the camp when the guards went, fire everywhere, \
                 {women} women {children} children, we are walking north"
            ),
        };
        let source = sources::messenger(first.origin.country, dice);
        let at = left.plus_ms(dice.between(1, 18) * MS_PER_HOUR);
        let id = Chronicle::report_id(dice);
        let grade = escape_grade(world, dice);
        chronicle.report(
            dice,
            id,
            Incoming {
                at,
                channel,
                grade,
                by: world.actors.tracing,
                source: &source,
                content,
            },
            said,
        );
        // Listening again the next day, a tracing officer hears a child coughing and the
        // mother saying why: a further claim taken from the same voice note.
        let youngest = people.iter().filter(|r| !r.adult()).min_by_key(|r| r.age);
        if let (Channel::VoiceNote, Some(child)) = (channel, youngest) {
            if dice.chance(400) {
                let detail = chronicle.seal(
                    model::report::SealClass::Medical,
                    "coughing heard throughout the recording; the mother says the child \
                     breathed smoke from the fires for hours",
                );
                chronicle.claim_recorded(
                    dice,
                    id,
                    at.plus_ms(20 * MS_PER_HOUR),
                    (
                        child.id,
                        left,
                        ClaimKind::HealthCondition {
                            condition: "smoke inhalation".to_string(),
                            detail: Some(detail),
                        },
                    ),
                );
            }
        }
    }
}

fn open_tracing_tasks(
    world: &World<'_>,
    escaping: &[usize],
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
) {
    let opened = october(14, 12, 0);
    for household in escaping
        .iter()
        .filter_map(|&h| world.census.households.get(h))
    {
        for (offset, person) in members(world, household).iter().enumerate() {
            if !priority::is_vulnerable(person) {
                continue;
            }
            let (priority, why) = priority::of(TaskKind::Tracing, person);
            let task = chronicle.open_task(
                dice,
                opened,
                TaskKind::Tracing,
                person.id,
                priority,
                format!("escaped from Ain Issa on 13 October; {}", why.join(", ")),
            );
            outcome
                .tracing
                .insert(household.members.start + offset, task);
        }
    }
}
