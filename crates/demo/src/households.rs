//! The camp populations: households registered section by section from the camps'
//! registration lists in the first week of October 2019.
//!
//! A household is a mother and one to six children; some have a second adult woman (a
//! co-wife, a grown daughter, a sister); a few are women alone, and a few are children
//! with no adult at all (unaccompanied minors). Each person is one `PersonRegistered`
//! event carrying everything the list knew, and each list is one `ReportReceived` with a
//! `SeenAt` claim per person. Lists hold 500 to 2,000 people, as real ones did.

use crate::calendar::{october, YEAR};
use crate::chronicle::{Actors, Chronicle, Incoming};
use crate::dice::Dice;
use crate::geography::{Camp, Geography, Section};
use crate::grades::Grades;
use crate::name_pools::Romanised;
use crate::naming::{self, FamilyLine};
use crate::nationality::{self, Country, Origin, Population};
use chrono::NaiveDate;
use model::claim::ClaimKind;
use model::ids::{HouseholdId, PersonId, ReportId};
use model::person::{
    Birth, EvidenceGrade, Registration, Relationship, RelationshipKind, Sex, Vulnerability,
};
use model::report::Channel;
use model::time::Timestamp;
use std::ops::Range;

/// Facts about a person the timeline needs later (the full registration is in the log).
pub mod flag {
    pub const UNDER_FIVE: u8 = 1;
    pub const PREGNANT: u8 = 2;
    pub const UNACCOMPANIED: u8 = 4;
    pub const BRONCHITIS: u8 = 8;
    pub const DISABLED: u8 = 16;
    pub const MALNOURISHED: u8 = 32;
    /// The list gave no birth and no age (not a vulnerability: a gap in the record).
    pub const BIRTH_UNKNOWN: u8 = 64;
}

#[derive(Clone, Debug)]
pub struct Resident {
    pub id: PersonId,
    pub section: u16,
    /// Age in years at registration.
    pub age: u8,
    pub country: Country,
    pub flags: u8,
}

impl Resident {
    pub fn adult(&self) -> bool {
        self.age >= 18
    }

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

#[derive(Clone, Debug)]
pub struct Household {
    pub id: HouseholdId,
    pub section: u16,
    /// Indices into the residents; members are registered together, head first.
    pub members: Range<usize>,
    pub origin: Origin,
    pub unaccompanied: bool,
}

/// Everyone registered, in registration order.
#[derive(Default)]
pub struct Census {
    pub residents: Vec<Resident>,
    pub households: Vec<Household>,
    /// Registrations kept for people who may later be registered a second time under
    /// other spellings (the foreigners who escaped from Ain Issa), by resident index.
    pub kept: Vec<(usize, Registration)>,
}

/// The largest list the camps sent; a section with more people comes in several parts.
const LIST_SIZE: u32 = 1800;

impl Census {
    /// Registers every section's population; `keep` says for which section registrations
    /// are kept (see [`Census::kept`]).
    pub fn register(
        geography: &Geography,
        keep: Option<usize>,
        chronicle: &mut Chronicle<'_>,
        dice: &mut Dice,
        grades: &Grades,
        actors: &Actors,
    ) -> Self {
        let mut census = Census::default();
        let mut position_in_camp = [0i64; 3];
        for (index, section) in geography.sections.iter().enumerate() {
            let position = position_in_camp[section.camp.index()];
            position_in_camp[section.camp.index()] += 1;
            if section.people == 0 {
                continue;
            }
            let day = match section.camp {
                Camp::AlHol => 1 + position % 7,
                Camp::Roj => 2 + position,
                Camp::AinIssa => 3 + position % 3,
            };
            let parts = section.people.div_ceil(LIST_SIZE).max(1);
            for part in 0..parts {
                let size = section.people / parts + u32::from(part < section.people % parts);
                let at = october(day, 8 + i64::from(part % 10), 15 * i64::from(part / 10));
                census.register_list(
                    ListSpec {
                        section,
                        index,
                        part,
                        parts,
                        size,
                        at,
                        keep: keep == Some(index),
                    },
                    chronicle,
                    dice,
                    grades,
                    actors,
                );
            }
        }
        census
    }

    fn register_list(
        &mut self,
        list: ListSpec<'_>,
        chronicle: &mut Chronicle<'_>,
        dice: &mut Dice,
        grades: &Grades,
        actors: &Actors,
    ) {
        let report = Chronicle::report_id(dice);
        let first = self.residents.len();
        let mut remaining = list.size as usize;
        while remaining > 0 {
            let before = self.residents.len();
            self.household(&list, report, remaining, chronicle, dice);
            remaining = remaining.saturating_sub(self.residents.len() - before);
        }
        let section = list.section;
        let compiled = list.at.plus_ms(-model::time::MS_PER_DAY);
        let said = self.residents[first..]
            .iter()
            .map(|r| (r.id, compiled, ClaimKind::SeenAt { place: section.id }));
        let (grade, compiler) = if dice.chance(750) {
            (grades.a1, "camp administration, registration office")
        } else {
            (grades.b2, "child-protection partner, household survey")
        };
        let source = format!("{} {compiler}", section.camp.name());
        let content = format!(
            "Registration list: {}, part {} of {}, {} persons",
            section.name,
            list.part + 1,
            list.parts,
            list.size
        );
        chronicle.report(
            dice,
            report,
            Incoming {
                at: list.at,
                channel: Channel::OfficialList,
                grade,
                by: actors.registration,
                source: &source,
                content,
            },
            said,
        );
    }

    /// Registers one household of at most `room` people.
    fn household(
        &mut self,
        list: &ListSpec<'_>,
        report: ReportId,
        room: usize,
        chronicle: &mut Chronicle<'_>,
        dice: &mut Dice,
    ) {
        let section = list.section;
        let foreign = section.population.is_foreign();
        let shape = draw_shape(section, foreign, dice);
        let origin = section.population.draw_origin(dice);
        let household = HouseholdId::from_u128(dice.id_bits());
        let first = self.residents.len();
        let registered_on = list.at.date().unwrap_or_default();

        let mother_age = if foreign {
            dice.between(18, 30) + dice.between(0, 12)
        } else {
            dice.between(16, 35) + dice.between(0, 15)
        } as u8;
        let adults = match shape {
            Shape::Unaccompanied => 0,
            Shape::TwoWomen => 2.min(room),
            _ => 1,
        };
        let mut children = match shape {
            Shape::Alone => Vec::new(),
            Shape::Unaccompanied => unaccompanied_ages(dice),
            _ => child_ages(children_count(section, dice), mother_age, foreign, dice),
        };
        children.truncate(room.saturating_sub(adults));
        let kids: Vec<(Sex, &'static Romanised, u8)> = children
            .iter()
            .map(|&age| {
                let sex = if dice.chance(500) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                (sex, naming::child_given(sex, dice), age)
            })
            .collect();
        let (line, father_country) = naming::father_line(&origin, dice);
        // The kunya names the eldest son, or else the eldest child.
        let kunya_child = kids
            .iter()
            .find(|(sex, _, _)| *sex == Sex::Male)
            .or(kids.first())
            .map(|(_, given, _)| *given);

        let ctx = Ctx {
            list,
            report,
            household,
            registered_on,
        };
        let mut mother = None;
        if adults > 0 {
            let id = self.woman(
                &ctx,
                &origin,
                mother_age,
                kunya_child,
                Vec::new(),
                chronicle,
                dice,
            );
            mother = Some(id);
            if adults > 1 {
                let (relationship, age, second_origin) =
                    second_woman(&origin, section, mother_age, dice);
                let relationships = vec![Relationship {
                    kind: relationship,
                    other: id,
                    evidence: EvidenceGrade::Asserted,
                }];
                let relationships = if relationship == RelationshipKind::SpouseOf {
                    Vec::new() // a co-wife: same household, no recorded relationship
                } else {
                    relationships
                };
                self.woman(
                    &ctx,
                    &second_origin,
                    age,
                    None,
                    relationships,
                    chronicle,
                    dice,
                );
            }
        }
        let mut eldest: Option<PersonId> = None;
        for (sex, given, age) in kids {
            let relationship = match (mother, eldest) {
                (Some(m), _) => Some(Relationship {
                    kind: RelationshipKind::ChildOf,
                    other: m,
                    evidence: if dice.chance(150) {
                        EvidenceGrade::Documented
                    } else {
                        EvidenceGrade::Asserted
                    },
                }),
                (None, Some(e)) => Some(Relationship {
                    kind: RelationshipKind::SiblingOf,
                    other: e,
                    evidence: EvidenceGrade::Asserted,
                }),
                (None, None) => None,
            };
            let id = self.child(
                &ctx,
                ChildSpec {
                    origin: &origin,
                    father_country,
                    line: &line,
                    sex,
                    given,
                    age,
                    unaccompanied: mother.is_none(),
                },
                relationship,
                chronicle,
                dice,
            );
            eldest.get_or_insert(id);
        }
        self.households.push(Household {
            id: household,
            section: list.index as u16,
            members: first..self.residents.len(),
            origin,
            unaccompanied: mother.is_none(),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn woman(
        &mut self,
        ctx: &Ctx<'_>,
        origin: &Origin,
        age: u8,
        kunya_child: Option<&Romanised>,
        relationships: Vec<Relationship>,
        chronicle: &mut Chronicle<'_>,
        dice: &mut Dice,
    ) -> PersonId {
        let id = PersonId::from_u128(dice.id_bits());
        let mut flags = 0;
        let mut vulnerabilities = Vec::new();
        if age <= 42 && dice.chance(60) {
            flags |= flag::PREGNANT;
            vulnerabilities.push(Vulnerability::Pregnancy);
        }
        if dice.chance(12) {
            flags |= flag::DISABLED;
            vulnerabilities.push(Vulnerability::Disability);
        }
        let registration = Registration {
            sex: Sex::Female,
            birth: birth(age, ctx.registered_on, true, dice),
            names: naming::woman(origin, kunya_child, ctx.report, dice),
            nationalities: nationality::adult_claims(origin, ctx.report, dice),
            vulnerabilities,
            household: Some(ctx.household),
            relationships,
            source: Some(ctx.report),
        };
        self.admit(ctx, id, age, origin.country, flags, registration, chronicle);
        id
    }

    fn child(
        &mut self,
        ctx: &Ctx<'_>,
        spec: ChildSpec<'_>,
        relationship: Option<Relationship>,
        chronicle: &mut Chronicle<'_>,
        dice: &mut Dice,
    ) -> PersonId {
        let id = PersonId::from_u128(dice.id_bits());
        let mut flags = 0;
        let mut vulnerabilities = Vec::new();
        if spec.age < 5 {
            flags |= flag::UNDER_FIVE;
            if dice.chance(25) {
                flags |= flag::MALNOURISHED;
                vulnerabilities.push(Vulnerability::MedicalCondition("acute malnutrition".into()));
            }
        }
        let bronchitis_per_mille = match ctx.list.section.camp {
            Camp::AinIssa => 70,
            Camp::AlHol => 50,
            Camp::Roj => 30,
        };
        if dice.chance(bronchitis_per_mille) {
            flags |= flag::BRONCHITIS;
            vulnerabilities.push(Vulnerability::MedicalCondition(
                "chronic bronchitis from smoke".into(),
            ));
        }
        if dice.chance(10) {
            flags |= flag::DISABLED;
            vulnerabilities.push(Vulnerability::Disability);
        }
        if spec.unaccompanied {
            flags |= flag::UNACCOMPANIED;
            vulnerabilities.push(Vulnerability::UnaccompaniedMinor);
        }
        let registration = Registration {
            sex: spec.sex,
            birth: birth(spec.age, ctx.registered_on, false, dice),
            names: naming::child(spec.given, spec.sex, spec.line, ctx.report, dice),
            nationalities: nationality::child_claims(
                spec.origin,
                spec.father_country,
                ctx.report,
                dice,
            ),
            vulnerabilities,
            household: Some(ctx.household),
            relationships: relationship.into_iter().collect(),
            source: Some(ctx.report),
        };
        self.admit(
            ctx,
            id,
            spec.age,
            spec.origin.country,
            flags,
            registration,
            chronicle,
        );
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn admit(
        &mut self,
        ctx: &Ctx<'_>,
        id: PersonId,
        age: u8,
        country: Country,
        flags: u8,
        registration: Registration,
        chronicle: &mut Chronicle<'_>,
    ) {
        if ctx.list.keep {
            self.kept.push((self.residents.len(), registration.clone()));
        }
        let flags = if registration.birth.is_none() {
            flags | flag::BIRTH_UNKNOWN
        } else {
            flags
        };
        chronicle.register(ctx.list.at, id, registration);
        self.residents.push(Resident {
            id,
            section: ctx.list.index as u16,
            age,
            country,
            flags,
        });
    }
}

/// One registration list being written.
struct ListSpec<'a> {
    section: &'a Section,
    index: usize,
    part: u32,
    parts: u32,
    size: u32,
    at: Timestamp,
    keep: bool,
}

/// What every member of one household shares.
struct Ctx<'a> {
    list: &'a ListSpec<'a>,
    report: ReportId,
    household: HouseholdId,
    registered_on: NaiveDate,
}

struct ChildSpec<'a> {
    origin: &'a Origin,
    father_country: Option<Country>,
    line: &'a FamilyLine,
    sex: Sex,
    given: &'static Romanised,
    age: u8,
    unaccompanied: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    MotherAndChildren,
    TwoWomen,
    Alone,
    Unaccompanied,
}

fn draw_shape(section: &Section, foreign: bool, dice: &mut Dice) -> Shape {
    let _ = section;
    let table = if foreign {
        [
            (Shape::Unaccompanied, 25),
            (Shape::TwoWomen, 80),
            (Shape::Alone, 40),
            (Shape::MotherAndChildren, 855),
        ]
    } else {
        [
            (Shape::Unaccompanied, 6),
            (Shape::TwoWomen, 120),
            (Shape::Alone, 30),
            (Shape::MotherAndChildren, 844),
        ]
    };
    *dice.weighted(&table)
}

/// How many children a mother has with her, 1 to 6. The foreigners' annex at Ain Issa
/// held 265 women with about 1,000 children; Roj 500 women with 1,200.
fn children_count(section: &Section, dice: &mut Dice) -> usize {
    let weights = match (section.camp, section.population) {
        (Camp::AinIssa, Population::WesternHeavy) => [3, 8, 18, 30, 23, 18],
        (_, Population::WesternHeavy) => [25, 30, 22, 13, 7, 3],
        (_, Population::AlHolAnnex) => [12, 20, 24, 20, 14, 10],
        _ => [15, 22, 23, 18, 12, 10],
    };
    let table = [
        (1, weights[0]),
        (2, weights[1]),
        (3, weights[2]),
        (4, weights[3]),
        (5, weights[4]),
        (6, weights[5]),
    ];
    *dice.weighted(&table)
}

/// Children's ages, eldest first: the youngest 0-2, each elder sibling one to three years
/// older, none born before the mother was 15. Foreigners' children were mostly born after
/// their mothers travelled, so few are over 12.
fn child_ages(count: usize, mother_age: u8, foreign: bool, dice: &mut Dice) -> Vec<u8> {
    let cap = i64::from(mother_age)
        .saturating_sub(15)
        .clamp(0, if foreign { 12 } else { 17 });
    let mut ages = Vec::with_capacity(count);
    let mut age = dice.between(0, 2).min(cap);
    for _ in 0..count {
        ages.push(age as u8);
        age = (age + dice.between(1, 3)).min(cap);
    }
    ages.reverse();
    ages
}

fn unaccompanied_ages(dice: &mut Dice) -> Vec<u8> {
    let count = dice.between(1, 3);
    let mut age = dice.between(9, 17);
    let mut ages = Vec::new();
    for _ in 0..count {
        ages.push(age as u8);
        age = (age - dice.between(1, 4)).max(2);
    }
    ages
}

/// The second woman of a household: a co-wife, a grown daughter, or a sister.
fn second_woman(
    origin: &Origin,
    section: &Section,
    mother_age: u8,
    dice: &mut Dice,
) -> (RelationshipKind, u8, Origin) {
    let roll = dice.below(100);
    if roll < 35 && mother_age >= 36 {
        (
            RelationshipKind::ChildOf,
            dice.between(18, 20) as u8,
            *origin,
        )
    } else if roll < 60 {
        let age = (i64::from(mother_age) + dice.between(-6, 6)).clamp(18, 55) as u8;
        (RelationshipKind::SiblingOf, age, *origin)
    } else {
        let age = dice.between(18, 40) as u8;
        (
            RelationshipKind::SpouseOf,
            age,
            section.population.draw_origin(dice),
        )
    }
}

/// What the list knew of a birth: an exact date, a month, a year, or a stated age.
/// Children's births are more often known only by year.
fn birth(age: u8, registered_on: NaiveDate, adult: bool, dice: &mut Dice) -> Option<Birth> {
    let precision = if adult {
        *dice.weighted(&[(0u8, 30), (1, 15), (2, 40), (3, 13), (4, 2)])
    } else {
        *dice.weighted(&[(0u8, 25), (1, 10), (2, 50), (3, 13), (4, 2)])
    };
    let month = dice.between(1, 12) as u32;
    let day = dice.between(1, 28) as u32;
    // Born on or before 1 October: this year's birthday has passed at registration.
    let year = YEAR - i32::from(age) - i32::from((month, day) > (10, 1));
    match precision {
        0 => {
            Some(NaiveDate::from_ymd_opt(year, month, day).map_or(Birth::Year(year), Birth::Exact))
        }
        1 => Some(Birth::Month {
            year,
            month: month as u8,
        }),
        2 => Some(Birth::Year(year)),
        3 => Some(Birth::StatedAge {
            age,
            stated_on: registered_on,
        }),
        _ => None,
    }
}

/// Women (18 and over) and children registered in each section, by section index.
pub fn counts_by_section(census: &Census, sections: usize) -> Vec<(u32, u32)> {
    let mut counts = vec![(0u32, 0u32); sections];
    for r in &census.residents {
        if let Some(c) = counts.get_mut(usize::from(r.section)) {
            if r.adult() {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_stay_plausible() {
        let mut dice = Dice::new(2);
        for _ in 0..500 {
            let ages = child_ages(6, 20, false, &mut dice);
            assert!(ages.iter().all(|&a| a <= 5), "{ages:?}");
            assert!(ages.windows(2).all(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn births_match_ages() {
        let mut dice = Dice::new(3);
        let on = NaiveDate::from_ymd_opt(2019, 10, 3).unwrap_or_default();
        for age in [0u8, 4, 17, 30] {
            for _ in 0..50 {
                if let Some(b) = birth(age, on, true, &mut dice) {
                    let (lo, hi) = b.age_on(on);
                    assert!(
                        lo <= i32::from(age) && i32::from(age) <= hi.max(lo) + 1,
                        "{b:?} {age}"
                    );
                }
            }
        }
    }
}
