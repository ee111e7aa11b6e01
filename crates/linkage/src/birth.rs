//! Births known to different precision: a full date, a month, a year, or an age stated
//! at a date ("34 in October 2019").
//!
//! Camp lists rarely hold a full date of birth. Two records are compared at the precision
//! both have: a year-only birth does not disagree with a full date in that year, and an
//! age stated at a date is a two-year window of possible birth years.

/// What is known about one birth. Years are inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birth {
    /// Earliest possible birth year.
    pub year_lo: i32,
    /// Latest possible birth year.
    pub year_hi: i32,
    /// Month (1–12) when known; only with an exact year.
    pub month: Option<u8>,
    /// Day (1–31) when known; only with a month.
    pub day: Option<u8>,
}

impl Birth {
    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYYMMDD`, or an age stated at a date as
    /// `age N @ YYYY[-MM[-DD]]` (also `N@YYYY-MM-DD`). `None` for anything else: the
    /// caller decides whether that is an error or a missing value.
    pub fn parse(s: &str) -> Option<Birth> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if let Some((age, at)) = s.split_once('@') {
            let age = age.trim().trim_start_matches("age").trim();
            let age: i32 = age.parse().ok()?;
            let at = Birth::parse(at)?;
            if at.year_lo != at.year_hi || !(0..=130).contains(&age) {
                return None;
            }
            // Someone aged N at a date in year Y was born in Y-N or Y-N-1.
            return Some(Birth {
                year_lo: at.year_lo - age - 1,
                year_hi: at.year_lo - age,
                month: None,
                day: None,
            });
        }
        let digits_only = s.bytes().all(|b| b.is_ascii_digit());
        let (y, m, d) = if digits_only && s.len() == 8 {
            (&s[0..4], Some(&s[4..6]), Some(&s[6..8]))
        } else {
            let mut parts = s.split(['-', '/']);
            let y = parts.next()?;
            let m = parts.next();
            let d = parts.next();
            if parts.next().is_some() {
                return None;
            }
            (y, m, d)
        };
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = match m {
            Some(m) => {
                let v: u8 = m.parse().ok()?;
                if !(1..=12).contains(&v) {
                    return None;
                }
                Some(v)
            }
            None => None,
        };
        let day = match d {
            Some(d) => {
                let v: u8 = d.parse().ok()?;
                if !(1..=31).contains(&v) {
                    return None;
                }
                Some(v)
            }
            None => None,
        };
        Some(Birth {
            year_lo: year,
            year_hi: year,
            month,
            day,
        })
    }

    /// How precisely the birth is known: 0 for a range of years, 1 a year, 2 a month,
    /// 3 a day.
    pub fn precision(&self) -> u8 {
        match (self.year_lo == self.year_hi, self.month, self.day) {
            (false, _, _) => 0,
            (true, None, _) => 1,
            (true, Some(_), None) => 2,
            (true, Some(_), Some(_)) => 3,
        }
    }

    /// Whether this birth is certainly before `other` at the precision both have (the
    /// same year with months unknown is not).
    pub fn certainly_before(&self, other: &Birth) -> bool {
        if self.year_hi != other.year_lo
            || self.year_lo != self.year_hi
            || other.year_lo != other.year_hi
        {
            return self.year_hi < other.year_lo;
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => a < b,
            (Some(_), Some(_)) => matches!((self.day, other.day), (Some(a), Some(b)) if a < b),
            _ => false,
        }
    }

    /// The smallest difference in years between the two possible ranges (0 when they
    /// overlap).
    pub fn year_gap(&self, other: &Birth) -> i32 {
        if self.year_hi < other.year_lo {
            other.year_lo - self.year_hi
        } else if other.year_hi < self.year_lo {
            self.year_lo - other.year_hi
        } else {
            0
        }
    }

    /// Both full dates and equal.
    pub fn same_day(&self, other: &Birth) -> bool {
        self.day.is_some() && self == other
    }

    /// Both know the month and agree on year and month.
    pub fn same_month(&self, other: &Birth) -> bool {
        self.month.is_some()
            && self.month == other.month
            && self.year_lo == other.year_lo
            && self.year_lo == self.year_hi
            && other.year_lo == other.year_hi
    }

    /// The births can be in the same year (overlapping ranges) and do not contradict at a
    /// finer precision both know.
    pub fn compatible(&self, other: &Birth) -> bool {
        if self.year_gap(other) != 0 {
            return false;
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => false,
            (Some(_), Some(_)) => match (self.day, other.day) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            },
            _ => true,
        }
    }

    /// Days between two full dates (approximate calendar, 31-day months are fine for
    /// "within N days" levels), `None` when either is not a full date.
    pub fn days_apart(&self, other: &Birth) -> Option<i32> {
        let a = self.ordinal()?;
        let b = other.ordinal()?;
        Some((a - b).abs())
    }

    fn ordinal(&self) -> Option<i32> {
        let m = self.month? as i32;
        let d = self.day? as i32;
        // Days from a fixed epoch using the civil-from-days inverse (exact for real dates).
        let (y, m) = if m <= 2 {
            (self.year_lo - 1, m + 9)
        } else {
            (self.year_lo, m - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainly_before_only_at_the_precision_both_have() {
        let b = |s: &str| Birth::parse(s).unwrap();
        assert!(b("2012").certainly_before(&b("2013-01-01")));
        assert!(
            !b("2012").certainly_before(&b("2012-06")),
            "same year, month unknown"
        );
        assert!(b("2012-03").certainly_before(&b("2012-06-01")));
        assert!(
            !b("2012-06").certainly_before(&b("2012-06-20")),
            "same month, day unknown"
        );
        assert!(b("2012-06-02").certainly_before(&b("2012-06-20")));
        assert!(!b("2012-06-20").certainly_before(&b("2012-06-20")));
        // Aged 10 in 2022: born 2011 or 2012, so not certainly before 2012.
        assert!(!b("age 10 @ 2022-05-01").certainly_before(&b("2012-01-01")));
        assert!(b("age 10 @ 2022-05-01").certainly_before(&b("2013")));
        assert_eq!(
            [b("age 10 @ 2022"), b("2012"), b("2012-06"), b("2012-06-20")].map(|x| x.precision()),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn parses_each_precision() {
        let full = Birth::parse("1990-04-12").unwrap();
        assert_eq!(
            (full.year_lo, full.month, full.day),
            (1990, Some(4), Some(12))
        );
        assert_eq!(Birth::parse("19900412"), Some(full));
        let month = Birth::parse("1990-04").unwrap();
        assert_eq!((month.month, month.day), (Some(4), None));
        let year = Birth::parse("1990").unwrap();
        assert_eq!((year.year_lo, year.month), (1990, None));
        let age = Birth::parse("age 29 @ 2019-10-15").unwrap();
        assert_eq!((age.year_lo, age.year_hi), (1989, 1990));
        assert!(Birth::parse("1990-13-01").is_none());
        assert!(Birth::parse("soon").is_none());
        assert!(Birth::parse("").is_none());
    }

    #[test]
    fn year_only_is_compatible_with_a_date_in_that_year() {
        let year = Birth::parse("1990").unwrap();
        let full = Birth::parse("1990-04-12").unwrap();
        let other = Birth::parse("1991-04-12").unwrap();
        assert!(year.compatible(&full));
        assert!(!year.compatible(&other));
        assert!(!full.same_day(&year));
        assert_eq!(year.year_gap(&other), 1);
        let age = Birth::parse("29@2019-10-15").unwrap();
        assert!(age.compatible(&full));
        assert_eq!(
            full.days_apart(&Birth::parse("1990-05-12").unwrap()),
            Some(30)
        );
    }
}
