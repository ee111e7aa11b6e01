//! The synthetic October-2019 scenario behind `homeward demo`.
//!
//! Three camps in north-east Syria at their real scale (Roj about 1,700 people, Ain Issa
//! about 12,000, Al-Hol about 68,000), registered household by household in the first
//! week of October; shelling near Ain Issa on the 9th; its guards leaving on the 13th and
//! hundreds of women escaping with their children; texts and voice notes, graded, saying
//! where they went; people surfacing in Tal Abyad, at the Akçakale crossing, in Şanlıurfa,
//! in Turkish custody, at their consulates; some registered again in Roj and Al-Hol, a few
//! twice under other spellings; tracing and medical tasks; interviews with foreign mothers
//! and their consent per purpose (some refusing their government, some later revoking
//! research); in November the first children and women flown home, and repatriation cases
//! at every stage to December.
//!
//! **Every person is synthetic.** Names are drawn from pools of common given names and
//! generic family names and combined at random; no entry and no deliberate combination is
//! a real person's name.
//!
//! The generator is pure: no I/O, no clock, no global randomness. The same `scale` and
//! `seed` give the same payloads byte for byte, on every platform.

mod arabic_rendering;
mod calendar;
mod cases;
mod chronicle;
mod consent;
mod dice;
mod escape;
mod geography;
mod grades;
mod health;
mod households;
mod legal;
mod name_pools;
mod naming;
mod nationality;
mod outcome;
mod priority;
mod repatriation;
mod rumours;
mod sources;
mod surfacing;
mod transfers;

use chronicle::{Actors, Chronicle};
use geography::{Camp, Geography};
use model::event::Payload;
use model::place::PlaceStatus;
use model::report::Sealer;
use model::time::Timestamp;

/// The camps' place names, as the scenario's `PlaceAdded` events spell them.
pub const CAMPS: [&str; 3] = ["Roj", "Ain Issa", "Al-Hol"];

/// One event of the scenario, with the scenario time it happened (the event's clock).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScenarioEvent {
    pub at: Timestamp,
    pub payload: Payload,
}

/// People registered in one camp's October lists.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CampCount {
    pub camp: &'static str,
    /// Women (18 and over).
    pub women: u32,
    /// Children (under 18).
    pub children: u32,
}

impl CampCount {
    pub fn persons(&self) -> u32 {
        self.women + self.children
    }
}

/// People registered in one camp section's October lists.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SectionCount {
    pub camp: &'static str,
    pub section: &'static str,
    pub women: u32,
    pub children: u32,
}

/// What the scenario holds, for progress bars and summaries.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Summary {
    /// Registered in each camp's October lists, Roj, Ain Issa, Al-Hol.
    pub camps: Vec<CampCount>,
    /// The same by camp section, in the order places are added.
    pub sections: Vec<SectionCount>,
    /// All `PersonRegistered` events, including second registrations under other spellings.
    pub persons: usize,
    pub households: usize,
    pub places: usize,
    pub reports: usize,
    pub claims: usize,
    pub tasks: usize,
    /// People reported as escaped from Ain Issa.
    pub escaped: usize,
    /// People registered a second time, under other spellings, after the escape.
    pub registered_twice: usize,
    /// Each of them as (first record, second record): the duplicates the scenario knows,
    /// against which duplicate detection is measured.
    pub same_person: Vec<(model::ids::PersonId, model::ids::PersonId)>,
    pub repatriated: usize,
    /// Repatriation cases opened.
    pub cases: usize,
    /// Interviews recorded, and consent decisions taken in them or later.
    pub interviews: usize,
    pub consent_decisions: usize,
}

/// The scenario: events in the order they must be appended, and what they add up to.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Scenario {
    /// In append order, which is also time order: a place before status changes to it,
    /// a person's registration before claims and tasks about them, a task opened before
    /// it is closed.
    pub events: Vec<ScenarioEvent>,
    pub summary: Summary,
}

/// Builds the scenario. `scale` 1.0 is real scale (about 81,700 people); it multiplies the
/// number of people, while places exist at any scale and every camp keeps a few families
/// even at tiny scales. The same `scale` and `seed` give byte-identical payloads.
/// Source identities and health details are sealed with `sealer`.
pub fn generate(scale: f64, seed: u64, sealer: &dyn Sealer) -> Scenario {
    // The model builds grades only through checked constructors; the values used are
    // all valid, so this never returns early (a test checks).
    let Some(grades) = grades::Grades::new() else {
        return Scenario::default();
    };
    let mut dice = dice::Dice::new(seed);
    let actors = Actors::new(&mut dice);
    let geography = Geography::build(scale, &mut dice);
    let expected: usize = geography.sections.iter().map(|s| s.people as usize).sum();
    let mut chronicle = Chronicle::new(sealer, expected + expected / 8 + 256);

    let before_lists = calendar::october(1, 0, 0).plus_ms(-model::time::MS_PER_DAY);
    for enrolment in actors.enrolments() {
        chronicle.enrol(before_lists, enrolment);
    }
    for place in &geography.places {
        chronicle.place(before_lists, place.clone());
    }
    for camp in Camp::ALL {
        chronicle.place_status(
            calendar::october(1, 0, 0),
            geography.camp(camp),
            PlaceStatus::Guarded,
            None,
        );
    }
    let annex = geography
        .sections
        .iter()
        .position(|s| s.camp == Camp::AinIssa && s.population.is_foreign());
    let census = households::Census::register(
        &geography,
        annex,
        &mut chronicle,
        &mut dice,
        &grades,
        &actors,
    );
    let world = World {
        census: &census,
        geography: &geography,
        grades: &grades,
        actors: &actors,
    };
    legal::interviews(&world, &mut chronicle, &mut dice);
    health::clinic_reports(&world, &mut chronicle, &mut dice);
    let escape = escape::october_13(&world, &mut chronicle, &mut dice);
    rumours::contradictions(&world, &mut chronicle, &mut dice);
    let november = repatriation::november(&world, &escape, &mut chronicle, &mut dice);
    let repatriated = november.repatriated;
    let cases = cases::open(&world, &mut chronicle, &mut dice, &november.children_home)
        + cases::children(&world, &mut chronicle, &mut dice, &november.children_home);
    let consent = consent::interviews_and_consent(&world, &mut chronicle, &mut dice);

    let sections: Vec<SectionCount> = geography
        .sections
        .iter()
        .zip(households::counts_by_section(
            &census,
            geography.sections.len(),
        ))
        .map(|(section, (women, children))| SectionCount {
            camp: section.camp.name(),
            section: section.name,
            women,
            children,
        })
        .collect();
    let summary = Summary {
        camps: Camp::ALL
            .iter()
            .map(|camp| {
                let of_camp = sections.iter().filter(|s| s.camp == camp.name());
                CampCount {
                    camp: camp.name(),
                    women: of_camp.clone().map(|s| s.women).sum(),
                    children: of_camp.map(|s| s.children).sum(),
                }
            })
            .collect(),
        sections,
        persons: census.residents.len() + escape.registered_twice,
        households: census.households.len(),
        places: geography.places.len(),
        reports: chronicle.reports,
        claims: chronicle.claims,
        tasks: chronicle.tasks,
        escaped: escape.escaped,
        registered_twice: escape.registered_twice,
        same_person: escape.same_person.clone(),
        repatriated,
        cases,
        interviews: consent.interviews,
        consent_decisions: consent.decisions,
    };
    let mut events = chronicle.events;
    // Phases are written one after another; a stable sort by time interleaves them while
    // keeping, within one instant, the order they were written in (registrations before
    // the list that names them).
    events.sort_by_key(|e| e.at);
    Scenario { events, summary }
}

/// What the timeline phases read: the registered population and the places.
pub(crate) struct World<'a> {
    pub census: &'a households::Census,
    pub geography: &'a Geography,
    pub grades: &'a grades::Grades,
    pub actors: &'a Actors,
}
