//! Contradictions: in the days after the escape, unjudgeable texts (F6) say that women
//! still in Roj and Al-Hol are already in Turkey. Each opens a verification task; a
//! headcount list (A1) on 24 October finds them in camp and closes it. Both reports stay
//! in the registry: the camp list decides the whereabouts, the text shows as a
//! contradiction.

use crate::calendar::{october, sometime};
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::{scaled, Camp};
use crate::priority;
use crate::sources;
use crate::World;
use model::claim::ClaimKind;
use model::ids::TaskId;
use model::report::Channel;
use model::task::TaskKind;
use model::time::MS_PER_HOUR;
use std::collections::BTreeMap;

/// Rumours at scale 1.
const RUMOURS: u32 = 40;

pub fn contradictions(world: &World<'_>, chronicle: &mut Chronicle<'_>, dice: &mut Dice) {
    let geo = world.geography;
    // Foreign women registered in Roj or Al-Hol's annex.
    let candidates: Vec<usize> = world
        .census
        .residents
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.adult()
                && geo
                    .sections
                    .get(usize::from(r.section))
                    .is_some_and(|s| s.camp != Camp::AinIssa && s.population.is_foreign())
        })
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return;
    }
    let wanted = scaled(RUMOURS, world.census.residents.len() as f64 / 81_700.0).max(1);
    let mut chosen: Vec<usize> = (0..wanted)
        .filter_map(|_| dice.choose(&candidates).copied())
        .collect();
    chosen.sort_unstable();
    chosen.dedup();

    // By camp section: the headcount lists.
    let mut headcounts: BTreeMap<u16, Vec<(usize, TaskId)>> = BTreeMap::new();
    for &i in &chosen {
        let Some(person) = world.census.residents.get(i) else {
            continue;
        };
        let observed = sometime(dice, 16, 22);
        let at = observed.plus_ms(dice.between(1, 12) * MS_PER_HOUR);
        let place = if dice.chance(500) {
            geo.sanliurfa
        } else {
            geo.gaziantep
        };
        let id = Chronicle::report_id(dice);
        let source = sources::messenger(person.country, dice);
        chronicle.report(
            dice,
            id,
            Incoming {
                at,
                channel: Channel::TextMessage,
                grade: world.grades.f6,
                by: world.actors.tracing,
                source: &source,
                content: "Text (translated): my sister is already in Turkey, she crossed last week"
                    .to_string(),
            },
            [(person.id, observed, ClaimKind::SeenAt { place })],
        );
        let (priority, _) = priority::of(TaskKind::Verification, person);
        let task = chronicle.open_task(
            dice,
            at.plus_ms(MS_PER_HOUR),
            TaskKind::Verification,
            person.id,
            priority,
            "unjudged text says she is in Turkey; camp list says otherwise".to_string(),
        );
        headcounts
            .entry(person.section)
            .or_default()
            .push((i, task));
    }
    for (section, found) in headcounts {
        let Some(section) = geo.sections.get(usize::from(section)) else {
            continue;
        };
        let said: Vec<Said> = found
            .iter()
            .filter_map(|(i, _)| world.census.residents.get(*i))
            .map(|r| {
                (
                    r.id,
                    october(24, 8, 0),
                    ClaimKind::SeenAt { place: section.id },
                )
            })
            .collect();
        let id = Chronicle::report_id(dice);
        let at = october(24, 10, 0);
        let source = format!("{} camp administration", section.camp.name());
        let claims = chronicle.report(
            dice,
            id,
            Incoming {
                at,
                channel: Channel::OfficialList,
                grade: world.grades.a1,
                by: world.actors.registration,
                source: &source,
                content: format!(
                    "Verification headcount, {}: {} persons reported elsewhere found present",
                    section.name,
                    said.len()
                ),
            },
            said,
        );
        for ((_, task), claim) in found.iter().zip(claims) {
            chronicle.close_task(
                october(24, 12, 0),
                *task,
                Some(claim),
                "found present at the verification headcount",
            );
        }
    }
}
