//! Time: wall-clock instants and the hybrid logical clock that orders events across replicas.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An instant, in milliseconds since the Unix epoch (UTC). Integers keep the canonical
/// event encoding exact and portable.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub struct Timestamp(pub i64);

pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

impl Timestamp {
    pub fn from_datetime(dt: DateTime<Utc>) -> Self {
        Self(dt.timestamp_millis())
    }

    /// Midnight UTC at the start of `date`.
    pub fn at_date(date: NaiveDate) -> Self {
        Self(
            date.and_hms_opt(0, 0, 0)
                .map_or(0, |dt| dt.and_utc().timestamp_millis()),
        )
    }

    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.0)
    }

    pub fn date(self) -> Option<NaiveDate> {
        self.to_datetime().map(|dt| dt.date_naive())
    }

    pub fn plus_ms(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_datetime() {
            Some(dt) => write!(f, "{}", dt.format("%Y-%m-%d %H:%M")),
            None => write!(f, "@{}ms", self.0),
        }
    }
}

/// Hybrid logical clock: physical milliseconds plus a counter, so that events are ordered
/// consistently with causality even when replica clocks drift (a laptop offline for days).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug, Default,
)]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
}

impl Hlc {
    /// The clock value for a new local event, given the local wall clock.
    pub fn tick(self, now_ms: i64) -> Self {
        if now_ms > self.wall_ms {
            Self {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            Self {
                wall_ms: self.wall_ms,
                counter: self.counter.saturating_add(1),
            }
        }
    }

    /// The clock value after receiving `remote`, given the local wall clock.
    pub fn observe(self, remote: Hlc, now_ms: i64) -> Self {
        let wall = now_ms.max(self.wall_ms).max(remote.wall_ms);
        let counter = match (wall == self.wall_ms, wall == remote.wall_ms) {
            (true, true) => self.counter.max(remote.counter).saturating_add(1),
            (true, false) => self.counter.saturating_add(1),
            (false, true) => remote.counter.saturating_add(1),
            (false, false) => 0,
        };
        Self {
            wall_ms: wall,
            counter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_when_the_wall_clock_goes_back() {
        let a = Hlc {
            wall_ms: 1000,
            counter: 0,
        };
        let b = a.tick(500);
        assert!(b > a);
        assert!(b.tick(1500) > b);
    }

    #[test]
    fn observe_orders_after_both() {
        let local = Hlc {
            wall_ms: 1000,
            counter: 3,
        };
        let remote = Hlc {
            wall_ms: 2000,
            counter: 7,
        };
        let next = local.observe(remote, 900);
        assert!(next > local && next > remote);
    }
}
