//! The Admiralty grades the scenario gives its reports.

use model::report::{Credibility, Grade, Reliability};

/// The grades in use, built once. The model builds a credibility only through a checked
/// constructor, so the set is an `Option`; it is always `Some` (a test checks).
#[derive(Clone, Copy, Debug)]
pub struct Grades {
    /// Camp administration lists, official notifications.
    pub a1: Grade,
    /// Consular officers relaying what they saw or were told by authorities.
    pub a2: Grade,
    /// Lists compiled by partners, journalists on the ground, researchers' interviews.
    pub b2: Grade,
    /// A relative relaying a call; usually right.
    pub c2: Grade,
    /// Texts and voice notes from detainees and relatives.
    pub c3: Grade,
    /// Hearsay and rumours whose source cannot be judged.
    pub f6: Grade,
}

fn grade(reliability: Reliability, credibility: u8) -> Option<Grade> {
    Some(Grade {
        reliability,
        credibility: Credibility::new(credibility)?,
    })
}

impl Grades {
    pub fn new() -> Option<Self> {
        Some(Self {
            a1: grade(Reliability::A, 1)?,
            a2: grade(Reliability::A, 2)?,
            b2: grade(Reliability::B, 2)?,
            c2: grade(Reliability::C, 2)?,
            c3: grade(Reliability::C, 3)?,
            f6: grade(Reliability::F, 6)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_exist_and_order_by_weight() {
        let g = Grades::new().expect("all credibilities are 1-6");
        assert_eq!(g.c3.to_string(), "C3");
        assert!(g.a1.weight() > g.b2.weight() && g.c3.weight() > g.f6.weight());
        // Texts graded C3 count as strong evidence under the whereabouts rule; F6 never does.
        assert!(g.c3.weight() >= model::whereabouts::STRONG);
        assert!(g.f6.weight() < model::whereabouts::STRONG);
    }
}
