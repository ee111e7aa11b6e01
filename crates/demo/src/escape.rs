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

use crate::calendar::{october, sometime};
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::{Camp, Section};
use crate::households::{Household, Resident};
use crate::priority;
use crate::sources;
use crate::World;
use model::claim::ClaimKind;
use model::ids::{ClaimId, HouseholdId, PersonId, PlaceId, ReportId, TaskId};
use model::person::{Birth, NationalityStatus, Registration};
use model::place::PlaceStatus;
use model::report::{Channel, Grade};
use model::task::TaskKind;
use model::time::{Timestamp, MS_PER_HOUR};
use std::collections::BTreeMap;

/// What the escape left for November.
#[derive(Default)]
pub struct Outcome {
    /// People reported escaped.
    pub escaped: usize,
    /// People registered a second time under other spellings.
    pub registered_twice: usize,
    /// Households (indices) held by the Turkish police.
    pub turkish_custody: Vec<usize>,
    /// Households (indices) that presented themselves at their consulate.
    pub at_consulate: Vec<usize>,
    /// Open tracing tasks by resident index.
    pub tracing: BTreeMap<usize, TaskId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Silent,
    TalAbyad,
    Akcakale,
    SanliurfaCustody,
    GaziantepConsulate,
    BroughtBack,
    Hasakah,
}

const ANNEX_FATES: [(Fate, u32); 7] = [
    (Fate::Silent, 33),
    (Fate::TalAbyad, 14),
    (Fate::Akcakale, 12),
    (Fate::SanliurfaCustody, 9),
    (Fate::GaziantepConsulate, 8),
    (Fate::BroughtBack, 20),
    (Fate::Hasakah, 4),
];

const BLOCK_FATES: [(Fate, u32); 3] = [
    (Fate::Silent, 60),
    (Fate::BroughtBack, 25),
    (Fate::TalAbyad, 15),
];

/// Per mille of households that escaped.
const ANNEX_ESCAPE: u32 = 620;
const BLOCK_ESCAPE: u32 = 30;
/// Per mille of households left in the blocks that were moved to Al-Hol.
const BLOCK_TRANSFER: u32 = 150;
/// Per mille of brought-back annex households registered again as new people.
const REGISTERED_TWICE: u32 = 300;

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

    let mut transfers: BTreeMap<(i64, PlaceId), Vec<(usize, bool)>> = BTreeMap::new();
    for &h in &escaping {
        let Some(household) = world.census.households.get(h) else {
            continue;
        };
        let foreign = section_of(world, household).is_some_and(|s| s.population.is_foreign());
        let fate = if foreign {
            *dice.weighted(&ANNEX_FATES)
        } else {
            *dice.weighted(&BLOCK_FATES)
        };
        surface(
            world,
            h,
            household,
            fate,
            chronicle,
            dice,
            &mut outcome,
            &mut transfers,
        );
    }
    // Families left in the blocks, moved to Al-Hol over the following days.
    if let Some(reception) = geo.section_named("Reception") {
        for (h, household) in world.census.households.iter().enumerate() {
            let in_blocks = section_of(world, household)
                .is_some_and(|s| s.camp == Camp::AinIssa && !s.population.is_foreign());
            if in_blocks && escaping.binary_search(&h).is_err() && dice.chance(BLOCK_TRANSFER) {
                transfers
                    .entry((dice.between(15, 18), reception.id))
                    .or_default()
                    .push((h, false));
            }
        }
    }
    write_transfers(world, transfers, chronicle, dice, &mut outcome);
    outcome
}

fn sections_of<'a>(world: &'a World<'_>, camp: Camp) -> impl Iterator<Item = (usize, &'a Section)> {
    world
        .geography
        .sections
        .iter()
        .enumerate()
        .filter(move |(_, s)| s.camp == camp)
}

fn residents_in<'a>(world: &'a World<'_>, section: usize) -> impl Iterator<Item = &'a Resident> {
    world
        .census
        .residents
        .iter()
        .filter(move |r| usize::from(r.section) == section)
}

fn section_of<'a>(world: &'a World<'_>, household: &Household) -> Option<&'a Section> {
    world.geography.sections.get(usize::from(household.section))
}

fn members<'a>(world: &'a World<'_>, household: &Household) -> &'a [Resident] {
    world
        .census
        .residents
        .get(household.members.clone())
        .unwrap_or(&[])
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
        let Some(section) = section_of(world, first) else {
            continue;
        };
        let people: Vec<&Resident> = households.iter().flat_map(|h| members(world, h)).collect();
        let women = people.iter().filter(|r| r.adult()).count();
        let children = people.len() - women;
        let left = october(13, dice.between(14, 20), dice.between(0, 59));
        let toward = dice
            .chance(250)
            .then(|| (*dice.pick(&["the Turkish border", "Tal Abyad", "Raqqa"])).to_string());
        let mut said: Vec<Said> = people
            .iter()
            .map(|r| (r.id, left, ClaimKind::Escaped { from: section.id }))
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

/// Writes one report of `kind` about every member of a household.
#[allow(clippy::too_many_arguments)]
fn about_household(
    world: &World<'_>,
    household: &Household,
    at: Timestamp,
    observed: Timestamp,
    channel: Channel,
    grade: Grade,
    source: &str,
    content: String,
    kind: ClaimKind,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) {
    let said: Vec<Said> = members(world, household)
        .iter()
        .map(|r| (r.id, observed, kind.clone()))
        .collect();
    let id = Chronicle::report_id(dice);
    let by = match channel {
        Channel::Call if grade == world.grades.a2 => world.actors.consular,
        _ => world.actors.tracing,
    };
    chronicle.report(
        dice,
        id,
        Incoming {
            at,
            channel,
            grade,
            by,
            source,
            content,
        },
        said,
    );
}

#[allow(clippy::too_many_arguments)]
fn surface(
    world: &World<'_>,
    index: usize,
    household: &Household,
    fate: Fate,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
    transfers: &mut BTreeMap<(i64, PlaceId), Vec<(usize, bool)>>,
) {
    let geo = world.geography;
    let g = world.grades;
    let country = household.origin.country;
    let seen = |dice: &mut Dice, first: i64, last: i64| {
        let observed = sometime(dice, first, last);
        (
            observed.plus_ms(dice.between(1, 20) * MS_PER_HOUR),
            observed,
        )
    };
    match fate {
        Fate::Silent => {}
        Fate::TalAbyad => {
            let (at, observed) = seen(dice, 14, 16);
            let media = dice.chance(400);
            let (channel, grade, source) = if media {
                (Channel::Media, g.b2, sources::journalist(dice).to_string())
            } else {
                (
                    Channel::TextMessage,
                    g.c3,
                    sources::messenger(country, dice),
                )
            };
            about_household(
                world,
                household,
                at,
                observed,
                channel,
                grade,
                &source,
                format!(
                    "A family of {} from Ain Issa seen in Tal Abyad, looking for a way across the \
                     border",
                    household.members.len()
                ),
                ClaimKind::SeenAt {
                    place: geo.tal_abyad,
                },
                chronicle,
                dice,
            );
        }
        Fate::Akcakale => {
            let (at, observed) = seen(dice, 15, 18);
            let (channel, grade, source) = if dice.chance(500) {
                (Channel::Media, g.b2, sources::journalist(dice).to_string())
            } else {
                (Channel::Call, g.c2, sources::messenger(country, dice))
            };
            about_household(
                world,
                household,
                at,
                observed,
                channel,
                grade,
                &source,
                "Crossed into Turkey at Akçakale with her children".to_string(),
                ClaimKind::SeenAt {
                    place: geo.akcakale,
                },
                chronicle,
                dice,
            );
        }
        Fate::SanliurfaCustody => {
            let (at, observed) = seen(dice, 16, 19);
            let source = sources::messenger(country, dice);
            about_household(
                world,
                household,
                at,
                observed,
                Channel::TextMessage,
                g.c3,
                &source,
                "Text (translated): we are in Urfa, in a flat, the children are sick".to_string(),
                ClaimKind::SeenAt {
                    place: geo.sanliurfa,
                },
                chronicle,
                dice,
            );
            let (at, observed) = seen(dice, 20, 23);
            let (grade, source, content) = if country.is_western() {
                (
                    g.a2,
                    "consular officer, after a call with the Turkish authorities",
                    "Held with her children at the Şanlıurfa removal centre; she asks for consular \
                     access",
                )
            } else {
                (
                    g.b2,
                    "lawyer representing the family",
                    "Held with her children at the Şanlıurfa removal centre",
                )
            };
            about_household(
                world,
                household,
                at,
                observed,
                Channel::Call,
                grade,
                source,
                content.to_string(),
                ClaimKind::InCustody {
                    holder: "Turkish police".to_string(),
                    place: Some(geo.removal_centre),
                },
                chronicle,
                dice,
            );
            outcome.turkish_custody.push(index);
        }
        Fate::GaziantepConsulate => {
            let (at, observed) = seen(dice, 16, 20);
            let source = sources::messenger(country, dice);
            about_household(
                world,
                household,
                at,
                observed,
                Channel::VoiceNote,
                g.c3,
                &source,
                "Voice note (translated): she reached Gaziantep with the children and wants to \
                 go to her consulate"
                    .to_string(),
                ClaimKind::SeenAt {
                    place: geo.gaziantep,
                },
                chronicle,
                dice,
            );
            let (at, observed) = seen(dice, 21, 28);
            match geo.consulate(country).filter(|_| country.is_western()) {
                Some(consulate) => {
                    about_household(
                        world,
                        household,
                        at,
                        observed,
                        Channel::Call,
                        g.a2,
                        "consular officer",
                        "She presented herself at the consulate with her children and asks to be \
                         repatriated"
                            .to_string(),
                        ClaimKind::SeenAt { place: consulate },
                        chronicle,
                        dice,
                    );
                    outcome.at_consulate.push(index);
                }
                None => {
                    about_household(
                        world,
                        household,
                        at,
                        observed,
                        Channel::Call,
                        g.b2,
                        "lawyer representing the family",
                        "Detained in Gaziantep and taken to the Şanlıurfa removal centre; she asks \
                         for her consulate"
                            .to_string(),
                        ClaimKind::InCustody {
                            holder: "Turkish police".to_string(),
                            place: Some(geo.removal_centre),
                        },
                        chronicle,
                        dice,
                    );
                    outcome.turkish_custody.push(index);
                }
            }
        }
        Fate::Hasakah => {
            let (at, observed) = seen(dice, 16, 19);
            about_household(
                world,
                household,
                at,
                observed,
                Channel::Call,
                g.b2,
                "child-protection officer, Hasakah",
                "Stopped at a checkpoint and held with her children in Hasakah".to_string(),
                ClaimKind::InCustody {
                    holder: "Internal security forces".to_string(),
                    place: Some(geo.hasakah_facility),
                },
                chronicle,
                dice,
            );
        }
        Fate::BroughtBack => {
            let foreign = section_of(world, household).is_some_and(|s| s.population.is_foreign());
            let destination = if !foreign {
                geo.section_named("Reception")
            } else if country.is_western() {
                geo.section_named("Roj Sector 2")
            } else {
                geo.section_named("Al-Hol Annex")
            };
            let Some(destination) = destination else {
                return;
            };
            // Some are rumoured to be in Turkey first: a text that cannot be judged,
            // contradicted days later by a camp list.
            if dice.chance(250) {
                let (at, observed) = seen(dice, 15, 16);
                let source = sources::messenger(country, dice);
                about_household(
                    world,
                    household,
                    at,
                    observed,
                    Channel::TextMessage,
                    g.f6,
                    &source,
                    "Text (translated): they say she is already in Turkey, in Urfa".to_string(),
                    ClaimKind::SeenAt {
                        place: geo.sanliurfa,
                    },
                    chronicle,
                    dice,
                );
            }
            let twice = foreign && dice.chance(REGISTERED_TWICE);
            transfers
                .entry((dice.between(17, 20), destination.id))
                .or_default()
                .push((index, twice));
        }
    }
}

/// Transfer lists: one per destination section and day.
fn write_transfers(
    world: &World<'_>,
    transfers: BTreeMap<(i64, PlaceId), Vec<(usize, bool)>>,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
) {
    for ((day, destination), households) in transfers {
        let at = october(day, 15, 0);
        let observed = october(day, 9, 0);
        let report = Chronicle::report_id(dice);
        let mut said: Vec<Said> = Vec::new();
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (h, twice) in households {
            let Some(household) = world.census.households.get(h) else {
                continue;
            };
            if twice {
                let ids = register_again(world, household, report, at, chronicle, dice);
                outcome.registered_twice += ids.len();
                said.extend(
                    ids.into_iter()
                        .map(|id| (id, observed, ClaimKind::SeenAt { place: destination })),
                );
            } else {
                for (offset, r) in members(world, household).iter().enumerate() {
                    found.push((said.len(), household.members.start + offset));
                    said.push((r.id, observed, ClaimKind::SeenAt { place: destination }));
                }
            }
        }
        if said.is_empty() {
            continue;
        }
        let name = world
            .geography
            .sections
            .iter()
            .find(|s| s.id == destination)
            .map_or("camp", |s| s.name);
        let content = format!(
            "Transfer list: {} persons from Ain Issa received at {name}",
            said.len()
        );
        let claims = chronicle.report(
            dice,
            report,
            Incoming {
                at,
                channel: Channel::OfficialList,
                grade: world.grades.a1,
                by: world.actors.registration,
                source: "camp administration, registration office",
                content,
            },
            said,
        );
        for (position, resident) in found {
            if let (Some(task), Some(claim)) =
                (outcome.tracing.remove(&resident), claims.get(position))
            {
                close_found(chronicle, at, task, *claim);
            }
        }
    }
}

fn close_found(chronicle: &mut Chronicle<'_>, at: Timestamp, task: TaskId, claim: ClaimId) {
    chronicle.close_task(
        at.plus_ms(2 * MS_PER_HOUR),
        task,
        Some(claim),
        "found on a camp transfer list",
    );
}

/// Registers a household again, as a receiving camp's clerk would without knowing them:
/// the Arabic-script names, one Latin spelling, a vaguer birth, nationalities as stated,
/// a new household. Returns the new person ids, head first.
fn register_again(
    world: &World<'_>,
    household: &Household,
    report: ReportId,
    at: Timestamp,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) -> Vec<PersonId> {
    let kept = &world.census.kept;
    let new_household = HouseholdId::from_u128(dice.id_bits());
    let mut map: Vec<(PersonId, PersonId)> = Vec::new();
    for (offset, r) in members(world, household).iter().enumerate() {
        let index = household.members.start + offset;
        let Ok(position) = kept.binary_search_by_key(&index, |(i, _)| *i) else {
            continue;
        };
        let Some((_, old)) = kept.get(position) else {
            continue;
        };
        let id = PersonId::from_u128(dice.id_bits());
        map.push((r.id, id));
        let registration = reregistration(old, &map, new_household, report, at, dice);
        chronicle.register(at, id, registration);
    }
    map.into_iter().map(|(_, new)| new).collect()
}

fn reregistration(
    old: &Registration,
    map: &[(PersonId, PersonId)],
    household: HouseholdId,
    report: ReportId,
    at: Timestamp,
    dice: &mut Dice,
) -> Registration {
    use model::person::Script;
    let latin: Vec<_> = old
        .names
        .iter()
        .filter(|n| n.script == Script::Latin)
        .collect();
    let keep_latin = dice.choose(&latin).map(|n| n.text.clone());
    let mut names: Vec<model::person::Name> = old
        .names
        .iter()
        .filter(|n| n.script != Script::Latin)
        .map(|n| model::person::Name::new(n.text.clone(), n.kind, Some(report)))
        .collect();
    if let Some(text) = keep_latin {
        let kind =
            if text.starts_with("Umm ") || text.starts_with("Oum ") || text.starts_with("Um ") {
                model::person::NameKind::Kunya
            } else {
                model::person::NameKind::Full
            };
        names.push(model::person::Name::new(text, kind, Some(report)));
    }
    let stated_on = at.date().unwrap_or_default();
    let birth = old.birth.map(|b| {
        let (lo, _) = b.year_range();
        if dice.chance(500) {
            Birth::Year(lo)
        } else {
            Birth::StatedAge {
                age: (crate::calendar::YEAR - lo).clamp(0, 90) as u8,
                stated_on,
            }
        }
    });
    Registration {
        sex: old.sex,
        birth,
        names,
        nationalities: old
            .nationalities
            .iter()
            .map(|n| model::person::NationalityClaim {
                country: n.country,
                status: NationalityStatus::Claimed,
                evidence: Some("stated at transfer".to_string()),
                source: Some(report),
            })
            .collect(),
        vulnerabilities: old.vulnerabilities.clone(),
        household: Some(household),
        relationships: old
            .relationships
            .iter()
            .filter_map(|rel| {
                let other = map.iter().find(|(o, _)| *o == rel.other)?.1;
                Some(model::person::Relationship {
                    kind: rel.kind,
                    other,
                    evidence: model::person::EvidenceGrade::Asserted,
                })
            })
            .collect(),
        source: Some(report),
    }
}
