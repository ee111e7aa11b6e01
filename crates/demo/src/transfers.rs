//! Transfer lists after the escape: families brought back to Roj or Al-Hol, and families
//! moved from Ain Issa's blocks to Al-Hol. A receiving clerk who does not recognise a
//! family registers it again: the same people, new ids, other spellings, vaguer births.
//! Nobody has linked the two records yet; that is the linkage work the registry supports.

use crate::calendar::october;
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::households::Household;
use crate::outcome::{members, Outcome};
use crate::World;
use model::claim::ClaimKind;
use model::ids::{ClaimId, HouseholdId, PersonId, PlaceId, ReportId, TaskId};
use model::person::{Birth, NationalityStatus, Registration};
use model::report::Channel;
use model::time::{Timestamp, MS_PER_HOUR};
use std::collections::BTreeMap;

/// Households to list, by October day and receiving section: (household index, whether
/// the receiving clerk registers them again as new people).
#[derive(Default)]
pub struct Transfers {
    lists: BTreeMap<(i64, PlaceId), Vec<(usize, bool)>>,
}

impl Transfers {
    pub fn add(&mut self, day: i64, destination: PlaceId, household: usize, twice: bool) {
        self.lists
            .entry((day, destination))
            .or_default()
            .push((household, twice));
    }
}

/// Writes the transfer lists, one per receiving section and day, and closes the tracing
/// tasks of the people they find.
pub fn write(
    world: &World<'_>,
    transfers: Transfers,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
) {
    for ((day, destination), households) in transfers.lists {
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
                let pairs = register_again(world, household, report, at, chronicle, dice);
                outcome.registered_twice += pairs.len();
                outcome.same_person.extend(pairs.iter().copied());
                said.extend(
                    pairs
                        .into_iter()
                        .map(|(_, id)| (id, observed, ClaimKind::SeenAt { place: destination })),
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
/// a new household. Returns (first record, new record) of each member, head first.
fn register_again(
    world: &World<'_>,
    household: &Household,
    report: ReportId,
    at: Timestamp,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) -> Vec<(PersonId, PersonId)> {
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
    map
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
