//! Counts over time: the persons known at the end of each period, broken down by camp,
//! nationality, sex, age band and whereabouts status **as they stood then** (camp of
//! record and status re-derived from the claims observed by then, as known now; see
//! [`model::as_of`]). Nationality and sex carry no time and are taken as known now; the
//! age band is the age in the period's year. Values are spelled as [`Registry::stats`]
//! spells them, so the last period of a series ending today matches it for the persons
//! who have a claim.
//!
//! Counting is unsuppressed here; the access layer filters the persons a caller may count
//! (`keep`) and suppresses each period's table.

use crate::camps::load_places;
use crate::codec::id16;
use crate::error::StoreError;
use crate::query::StatsDimension;
use crate::view_parts::{self, VIEW_COLUMNS, VIEW_TABLES};
use crate::Registry;
use chrono::Datelike;
use model::as_of::{change_times, over_time, PersonAt};
use model::ids::{PersonId, PlaceId};
use model::person::NationalityStatus;
use model::projection::{PersonView, PlaceView};
use model::time::Timestamp;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// One period's counts, before suppression.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PeriodCounts {
    /// The end of the period.
    pub as_of: Timestamp,
    /// Persons counted (each once, whatever their number of nationalities).
    pub total: u64,
    /// Dimension values in the order asked, with the number of persons.
    pub cells: Vec<(Vec<String>, u64)>,
}

/// The age band of `birth_year` in `year`, as `StatsDimension::AgeBand` bands in SQL.
fn age_band(birth_year: Option<i32>, year: i32) -> &'static str {
    match birth_year.map(|b| year - b) {
        None => "unknown",
        Some(a) if a < 5 => "0-4",
        Some(a) if a < 12 => "5-11",
        Some(a) if a < 18 => "12-17",
        Some(a) if a < 60 => "18-59",
        Some(_) => "60+",
    }
}

/// Every combination of one value from each list (a person with two nationalities is in
/// two nationality cells).
fn combinations(lists: &[Vec<String>]) -> Vec<Vec<String>> {
    lists.iter().fold(vec![Vec::new()], |acc, list| {
        acc.iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut row = prefix.clone();
                    row.push(v.clone());
                    row
                })
            })
            .collect()
    })
}

struct Breakdown<'a> {
    dims: &'a [StatsDimension],
    names: BTreeMap<PlaceId, String>,
}

impl Breakdown<'_> {
    fn rows(&self, view: &PersonView, at: &PersonAt, day: Timestamp) -> Vec<Vec<String>> {
        let year = day.date().map_or(0, |d| d.year());
        let lists: Vec<Vec<String>> = self
            .dims
            .iter()
            .map(|d| match d {
                StatsDimension::Camp => vec![at
                    .camp
                    .and_then(|c| self.names.get(&c).cloned())
                    .unwrap_or_else(|| "(none)".into())],
                StatsDimension::Nationality => {
                    let mut codes: Vec<String> = view
                        .nationalities
                        .iter()
                        .filter(|n| n.status != NationalityStatus::Revoked)
                        .map(|n| n.country.to_string())
                        .collect();
                    codes.sort();
                    codes.dedup();
                    if codes.is_empty() {
                        codes.push("(none)".into());
                    }
                    codes
                }
                StatsDimension::Sex => vec![view.sex.as_str().to_string()],
                StatsDimension::AgeBand => {
                    let birth = view.birth.map(|b| b.year_range().1);
                    vec![age_band(birth, year).to_string()]
                }
                StatsDimension::Status => vec![at.status.as_str().to_string()],
            })
            .collect();
        combinations(&lists)
    }
}

/// A person's rows over consecutive periods in which they stand the same (same claims
/// known, same year): most persons have a handful over a month of days.
struct Run {
    periods: Range<usize>,
    stood: (PersonAt, i32),
    rows: Vec<Vec<String>>,
}

impl Breakdown<'_> {
    fn runs(
        &self,
        view: &PersonView,
        places: &BTreeMap<PlaceId, PlaceView>,
        changes: &[Timestamp],
        days: &[Timestamp],
    ) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for (i, at) in over_time(view, places, changes, days)
            .into_iter()
            .enumerate()
        {
            if !at.known {
                continue;
            }
            let stood = (at, days[i].date().map_or(0, |d| d.year()));
            match runs.last_mut() {
                Some(run) if run.periods.end == i && run.stood == stood => run.periods.end += 1,
                _ => runs.push(Run {
                    periods: i..i + 1,
                    stood,
                    rows: self.rows(view, &at, days[i]),
                }),
            }
        }
        runs
    }
}

/// Counts per period, each distinct row of dimension values kept once.
struct Tally {
    totals: Vec<u64>,
    row_ids: HashMap<Vec<String>, usize>,
    /// Per row, its count in each period.
    counts: Vec<Vec<u64>>,
}

impl Tally {
    fn new(periods: usize) -> Self {
        Self {
            totals: vec![0; periods],
            row_ids: HashMap::new(),
            counts: Vec::new(),
        }
    }

    fn add(&mut self, run: Run) {
        for total in &mut self.totals[run.periods.clone()] {
            *total += 1;
        }
        for row in run.rows {
            let periods = self.totals.len();
            let next = self.counts.len();
            let id = *self.row_ids.entry(row).or_insert(next);
            if id == next {
                self.counts.push(vec![0; periods]);
            }
            for count in &mut self.counts[id][run.periods.clone()] {
                *count += 1;
            }
        }
    }

    fn periods(self, days: &[Timestamp], dims: &[StatsDimension]) -> Vec<PeriodCounts> {
        let mut rows: Vec<(Vec<String>, usize)> = self.row_ids.into_iter().collect();
        rows.sort_unstable();
        days.iter()
            .enumerate()
            .map(|(i, day)| PeriodCounts {
                as_of: *day,
                total: self.totals[i],
                cells: if dims.is_empty() {
                    Vec::new()
                } else {
                    rows.iter()
                        .filter(|(_, id)| self.counts[*id][i] > 0)
                        .map(|(row, id)| (row.clone(), self.counts[*id][i]))
                        .collect()
                },
            })
            .collect()
    }
}

/// Persons decoded and derived on all cores, this many at a time.
const CHUNK: usize = 4096;

impl Registry {
    /// Counts at the end of each of `days` (ascending) over the registered persons `keep`
    /// accepts, broken down by `dims`. One pass over the persons, derived on all cores;
    /// a person's rows are made once per run of periods in which they stand the same.
    pub fn stats_over_time(
        &self,
        dims: &[StatsDimension],
        days: &[Timestamp],
        keep: &dyn Fn(PersonId) -> bool,
    ) -> Result<Vec<PeriodCounts>, StoreError> {
        let places: BTreeMap<PlaceId, PlaceView> = load_places(&self.conn)?.into_iter().collect();
        let changes = change_times(&places);
        let breakdown = Breakdown {
            dims,
            names: places
                .iter()
                .map(|(id, v)| (*id, v.place.name.clone()))
                .collect(),
        };
        let mut tally = Tally::new(days.len());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.id, {VIEW_COLUMNS} FROM {VIEW_TABLES} WHERE p.registered = 1"
        ))?;
        let mut rows = stmt.query([])?;
        let mut chunk: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(CHUNK);
        loop {
            let row = rows.next()?;
            if let Some(row) = row {
                if keep(PersonId::from_bytes(id16(row.get(0)?)?)) {
                    chunk.push((row.get(1)?, row.get(2)?));
                }
            }
            if chunk.len() == CHUNK || (row.is_none() && !chunk.is_empty()) {
                let runs: Vec<Vec<Run>> = std::mem::take(&mut chunk)
                    .into_par_iter()
                    .map(|(rest, whereabouts)| {
                        let view = view_parts::join(&rest, &whereabouts)?;
                        Ok(breakdown.runs(&view, &places, &changes, days))
                    })
                    .collect::<Result<_, StoreError>>()?;
                runs.into_iter().flatten().for_each(|run| tally.add(run));
            }
            if row.is_none() {
                break;
            }
        }
        Ok(tally.periods(days, dims))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_match_the_stats_query() {
        let table = [
            (None, "unknown"),
            (Some(2019), "0-4"),
            (Some(2015), "0-4"),
            (Some(2014), "5-11"),
            (Some(2008), "5-11"),
            (Some(2007), "12-17"),
            (Some(2002), "12-17"),
            (Some(2001), "18-59"),
            (Some(1960), "18-59"),
            (Some(1959), "60+"),
        ];
        for (birth, band) in table {
            assert_eq!(age_band(birth, 2019), band, "{birth:?}");
        }
    }

    /// A run adds its rows to each of its periods only; a row two runs share is one cell.
    #[test]
    fn runs_count_in_their_periods_only() {
        let at = PersonAt {
            person: PersonId::from_u128(1),
            known: true,
            status: model::whereabouts::WhereaboutsStatus::InCamp,
            camp: None,
        };
        let run = |periods: Range<usize>, rows: &[&str]| Run {
            periods,
            stood: (at, 2019),
            rows: rows.iter().map(|r| vec![r.to_string()]).collect(),
        };
        let mut tally = Tally::new(4);
        tally.add(run(0..2, &["Roj"]));
        tally.add(run(1..4, &["Roj", "Al-Hol"]));
        let days: Vec<Timestamp> = (0..4).map(Timestamp).collect();
        let periods = tally.periods(&days, &[StatsDimension::Camp]);
        let cells: Vec<Vec<(String, u64)>> = periods
            .iter()
            .map(|p| p.cells.iter().map(|(v, n)| (v[0].clone(), *n)).collect())
            .collect();
        let cell = |v: &str, n| (v.to_string(), n);
        assert_eq!(
            cells,
            vec![
                vec![cell("Roj", 1)],
                vec![cell("Al-Hol", 1), cell("Roj", 2)],
                vec![cell("Al-Hol", 1), cell("Roj", 1)],
                vec![cell("Al-Hol", 1), cell("Roj", 1)],
            ]
        );
        let totals: Vec<u64> = periods.iter().map(|p| p.total).collect();
        assert_eq!(totals, vec![1, 2, 1, 1]);
    }

    #[test]
    fn combinations_cover_every_value() {
        let lists = vec![
            vec!["Roj".to_string()],
            vec!["BE".to_string(), "FR".to_string()],
        ];
        assert_eq!(
            combinations(&lists),
            vec![
                vec!["Roj".to_string(), "BE".to_string()],
                vec!["Roj".to_string(), "FR".to_string()]
            ]
        );
        assert_eq!(combinations(&[]), vec![Vec::<String>::new()]);
    }
}
