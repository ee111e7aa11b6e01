//! Scenario time. October 2019, in UTC; November days continue the count (day 32 is
//! 1 November) so the timeline can be written as plain day numbers.

use model::time::{Timestamp, MS_PER_DAY, MS_PER_HOUR};

/// 2019-10-01 00:00 UTC in milliseconds since the Unix epoch.
const OCTOBER_1: i64 = 1_569_888_000_000;
const MS_PER_MINUTE: i64 = 60_000;

/// A time on day `day` of October 2019 (32 and above run into November).
pub fn october(day: i64, hour: i64, minute: i64) -> Timestamp {
    Timestamp(OCTOBER_1 + (day - 1) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE)
}

/// A time in November 2019.
pub fn november(day: i64, hour: i64, minute: i64) -> Timestamp {
    october(31 + day, hour, minute)
}

/// The first day by which every camp's registration list is in (they arrive 1-7 October).
pub const LISTS_DONE: i64 = 8;

/// The year of the scenario, for ages.
pub const YEAR: i32 = 2019;

/// A daytime moment (07:00-21:59) on one of October's days `first..=last`.
pub fn sometime(dice: &mut crate::dice::Dice, first: i64, last: i64) -> Timestamp {
    october(
        dice.between(first, last),
        dice.between(7, 21),
        dice.between(0, 59),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_land_on_the_calendar() {
        assert_eq!(october(1, 0, 0).to_string(), "2019-10-01 00:00");
        assert_eq!(october(13, 15, 30).to_string(), "2019-10-13 15:30");
        assert_eq!(november(19, 9, 0).to_string(), "2019-11-19 09:00");
    }
}
