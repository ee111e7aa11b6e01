//! Counts over time through the gate: the persons the caller may count, at the end of
//! each day or week, broken down like [`Gate::stats`], each period's table suppressed on
//! its own (small cells and the cells that would reveal them); and, built from the same
//! counts, the per-camp crisis trend the web Camps page draws.
//!
//! A withheld count stays withheld in every derived figure: a line of the chart that sums
//! several statuses (accounted for = in camp + repatriated + deceased) is a gap on a day
//! when any of them is withheld, never a zero and never a partial sum.

use crate::error::AccessError;
use crate::gate::Gate;
use crate::policy::may_count;
use crate::suppression::{suppress, SuppressedTable};
use model::ids::PersonId;
use model::place::PlaceKind;
use model::time::{Timestamp, MS_PER_DAY};
use model::whereabouts::WhereaboutsStatus as S;
use std::collections::HashMap;
use store::StatsDimension;

/// Days of trend drawn after a camp's status change, at most.
pub const TREND_DAYS: i64 = store::TREND_DAYS;

/// One period's suppressed counts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PeriodTable {
    /// The end of the period.
    pub as_of: Timestamp,
    pub table: SuppressedTable,
}

/// A line of the crisis chart and the statuses it adds up.
pub struct TrendSeries {
    pub label: &'static str,
    pub statuses: &'static [S],
}

/// The lines of the crisis chart, in drawing order.
pub const SERIES: [TrendSeries; 4] = [
    TrendSeries {
        label: "unaccounted for",
        statuses: &[S::UnaccountedFor],
    },
    TrendSeries {
        label: "on the move",
        statuses: &[S::OnTheMove],
    },
    TrendSeries {
        label: "in custody",
        statuses: &[S::InCustody],
    },
    TrendSeries {
        label: "accounted for",
        statuses: &[S::InCamp, S::Repatriated, S::Deceased],
    },
];

/// One camp's trend since it was dispersed: for each line of [`SERIES`], a count per day,
/// `None` where withheld.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CampTrend {
    pub camp: String,
    /// The status the camp was given (`unguarded`, ...) and when.
    pub change: (&'static str, Timestamp),
    pub days: Vec<Timestamp>,
    pub series: Vec<Vec<Option<u64>>>,
}

fn end_of_day(t: Timestamp) -> Timestamp {
    Timestamp(t.0.div_euclid(MS_PER_DAY) * MS_PER_DAY + MS_PER_DAY - 1)
}

impl Gate<'_> {
    /// Whether the caller may count this person.
    pub(crate) fn counts(&self, id: PersonId) -> bool {
        self.directory
            .facts(id)
            .is_some_and(|f| may_count(self.user, &f))
    }

    /// The threshold to apply: the interface's, raised to the registry's setting.
    pub(crate) fn threshold(&self, asked: u64) -> Result<u64, AccessError> {
        Ok(asked.max(self.registry.suppression_threshold()?.unwrap_or(0)))
    }

    pub(crate) fn periods(
        &self,
        dims: &[StatsDimension],
        days: &[Timestamp],
        threshold: u64,
    ) -> Result<Vec<PeriodTable>, AccessError> {
        let keep = |id: PersonId| self.counts(id);
        let k = self.threshold(threshold)?;
        Ok(self
            .registry
            .stats_over_time(dims, days, &keep)?
            .into_iter()
            .map(|p| PeriodTable {
                as_of: p.as_of,
                table: suppress(p.total, &p.cells, k),
            })
            .collect())
    }

    /// Counts at the end of each of `days` over the persons the caller may count, by
    /// `dims`, each period suppressed. Audited as `stats.over_time`.
    pub fn stats_over_time(
        &self,
        dims: &[StatsDimension],
        days: &[Timestamp],
        threshold: u64,
    ) -> Result<Vec<PeriodTable>, AccessError> {
        let tables = self.periods(dims, days, threshold)?;
        let by: Vec<&str> = dims.iter().map(|d| d.key()).collect();
        let detail = format!(
            "by={} periods={} from={} to={}",
            by.join(","),
            days.len(),
            days.first().map(ToString::to_string).unwrap_or_default(),
            days.last().map(ToString::to_string).unwrap_or_default(),
        );
        self.registry
            .audit(&self.entry("stats.over_time", "stats", &detail))?;
        Ok(tables)
    }

    /// For each camp a dispersing status change has hit, the daily crisis trend since the
    /// day before the first such change (at most [`TREND_DAYS`] days, not past today),
    /// from the caller's suppressed counts by camp and status. Audited as
    /// `stats.over_time`.
    pub fn camp_trends(&self, threshold: u64) -> Result<Vec<CampTrend>, AccessError> {
        let mut changes: Vec<(String, &'static str, Timestamp)> = Vec::new();
        let places = self.registry.places()?;
        for camp in places.iter().filter(|p| p.place.kind == PlaceKind::Camp) {
            let first = places
                .iter()
                .filter(|v| v.place.id == camp.place.id || v.place.parent == Some(camp.place.id))
                .flat_map(|v| v.statuses.iter())
                .filter(|c| c.status.disperses_people())
                .min_by_key(|c| c.at);
            if let Some(c) = first {
                changes.push((camp.place.name.clone(), c.status.as_str(), c.at));
            }
        }
        let Some(start) = changes.iter().map(|c| c.2).min() else {
            return Ok(Vec::new());
        };
        let first = end_of_day(start.plus_ms(-MS_PER_DAY));
        let last = end_of_day(start.plus_ms(TREND_DAYS * MS_PER_DAY))
            .min(end_of_day(Timestamp(self.now_ms)))
            .max(first);
        let days: Vec<Timestamp> = (0..)
            .map(|i| first.plus_ms(i * MS_PER_DAY))
            .take_while(|d| *d <= last)
            .collect();
        let dims = [StatsDimension::Camp, StatsDimension::Status];
        let tables = self.stats_over_time(&dims, &days, threshold)?;
        Ok(changes
            .into_iter()
            .map(|(camp, status, at)| CampTrend {
                series: SERIES
                    .iter()
                    .map(|s| {
                        tables
                            .iter()
                            .map(|t| line_value(&t.table, &camp, s))
                            .collect()
                    })
                    .collect(),
                camp,
                change: (status, at),
                days: days.clone(),
            })
            .collect())
    }
}

/// The sum of a line's statuses in a camp, or `None` if any of them is withheld (a zero
/// is a cell the table does not hold).
fn line_value(t: &SuppressedTable, camp: &str, series: &TrendSeries) -> Option<u64> {
    let cells: HashMap<(&str, &str), Option<u64>> = t
        .cells
        .iter()
        .filter(|c| c.values.first().map(String::as_str) == Some(camp))
        .filter_map(|c| {
            Some((
                (c.values.first()?.as_str(), c.values.get(1)?.as_str()),
                c.count,
            ))
        })
        .collect();
    // A table whose total is withheld withholds every cell.
    t.total?;
    series
        .statuses
        .iter()
        .map(|s| cells.get(&(camp, s.as_str())).copied().unwrap_or(Some(0)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppression::Cell;

    fn cell(camp: &str, status: &str, count: Option<u64>) -> Cell {
        Cell {
            values: vec![camp.into(), status.into()],
            count,
        }
    }

    #[test]
    fn a_line_is_a_gap_when_any_of_its_cells_is_withheld() {
        let t = SuppressedTable {
            threshold: 5,
            total: Some(100),
            cells: vec![
                cell("Ain Issa", "in_camp", Some(40)),
                cell("Ain Issa", "repatriated", None),
                cell("Ain Issa", "unaccounted_for", Some(50)),
                cell("Roj", "in_camp", Some(7)),
            ],
        };
        let [unaccounted, on_the_move, _, accounted] = &SERIES;
        assert_eq!(line_value(&t, "Ain Issa", unaccounted), Some(50));
        assert_eq!(line_value(&t, "Ain Issa", on_the_move), Some(0));
        assert_eq!(line_value(&t, "Ain Issa", accounted), None);
        assert_eq!(line_value(&t, "Roj", accounted), Some(7));
        let hidden = SuppressedTable { total: None, ..t };
        assert_eq!(line_value(&hidden, "Roj", accounted), None);
        assert_eq!(line_value(&hidden, "Roj", on_the_move), None);
    }
}
