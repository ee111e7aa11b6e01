//! Task priority from vulnerability: 0 (lowest) to 100 (highest). The youngest children,
//! children alone, pregnant women and the sick come first.

use crate::households::{flag, Resident};
use model::task::TaskKind;

/// The priority of a task of `kind` about `person`, and the vulnerabilities behind it.
pub fn of(kind: TaskKind, person: &Resident) -> (u8, Vec<&'static str>) {
    let mut score: u32 = match kind {
        TaskKind::Tracing => 30,
        TaskKind::MedicalFollowUp => 20,
        TaskKind::Verification => 10,
    };
    let mut why = Vec::new();
    let factors: [(u8, u32, &str); 6] = [
        (flag::UNACCOMPANIED, 30, "unaccompanied minor"),
        (flag::UNDER_FIVE, 20, "under five"),
        (flag::PREGNANT, 20, "pregnant"),
        (flag::MALNOURISHED, 20, "malnourished"),
        (flag::BRONCHITIS, 10, "chronic bronchitis"),
        (flag::DISABLED, 15, "disability"),
    ];
    for (f, points, label) in factors {
        if person.has(f) {
            score += points;
            why.push(label);
        }
    }
    if person.has(flag::UNDER_FIVE) && person.age < 2 {
        score += 10;
    }
    (score.min(100) as u8, why)
}

/// Whether a person counts as vulnerable enough to trace actively.
pub fn is_vulnerable(person: &Resident) -> bool {
    person.flags != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nationality::Country;
    use model::PersonId;

    fn person(age: u8, flags: u8) -> Resident {
        Resident {
            id: PersonId::from_u128(1),
            section: 0,
            age,
            country: Country::France,
            flags,
        }
    }

    #[test]
    fn babies_alone_outrank_adults() {
        let (baby, why) = of(
            TaskKind::Tracing,
            &person(1, flag::UNDER_FIVE | flag::UNACCOMPANIED | flag::BRONCHITIS),
        );
        let (adult, _) = of(TaskKind::Tracing, &person(30, 0));
        assert!(baby > adult && baby <= 100);
        assert!(why.contains(&"under five"));
        assert_eq!(of(TaskKind::Tracing, &person(0, 0xff)).0, 100);
    }
}
