//! What the October escape leaves for the weeks after it (surfacing, transfers,
//! repatriation), and the household lookups those chapters share.

use crate::geography::Section;
use crate::households::{Household, Resident};
use crate::World;
use model::ids::TaskId;
use std::collections::BTreeMap;

/// What the escape left for November.
#[derive(Default)]
pub struct Outcome {
    /// People reported escaped.
    pub escaped: usize,
    /// People registered a second time under other spellings.
    pub registered_twice: usize,
    /// Each of them: (the first record, the second), the truth duplicate detection is
    /// measured against.
    pub same_person: Vec<(model::ids::PersonId, model::ids::PersonId)>,
    /// Households (indices) held by the Turkish police.
    pub turkish_custody: Vec<usize>,
    /// Households (indices) that presented themselves at their consulate.
    pub at_consulate: Vec<usize>,
    /// Open tracing tasks by resident index.
    pub tracing: BTreeMap<usize, TaskId>,
}

pub fn section_of<'a>(world: &'a World<'_>, household: &Household) -> Option<&'a Section> {
    world.geography.sections.get(usize::from(household.section))
}

pub fn members<'a>(world: &'a World<'_>, household: &Household) -> &'a [Resident] {
    world
        .census
        .residents
        .get(household.members.clone())
        .unwrap_or(&[])
}
