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

use crate::codec::decode;
use crate::error::StoreError;
use crate::query::StatsDimension;
use crate::state::load_places;
use crate::Registry;
use chrono::Datelike;
use model::as_of::{change_times, over_time, PersonAt};
use model::ids::{PersonId, PlaceId};
use model::person::NationalityStatus;
use model::projection::{PersonView, PlaceView};
use model::time::Timestamp;
use std::collections::BTreeMap;

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

impl Registry {
    /// Counts at the end of each of `days` (ascending) over the registered persons `keep`
    /// accepts, broken down by `dims`. One pass over the persons.
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
        let mut tables: Vec<BTreeMap<Vec<String>, u64>> = vec![BTreeMap::new(); days.len()];
        let mut totals: Vec<u64> = vec![0; days.len()];
        let mut stmt = self
            .conn
            .prepare("SELECT view FROM persons WHERE registered = 1")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let view: PersonView =
                decode(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?;
            if !keep(view.id) {
                continue;
            }
            let series = over_time(&view, &places, &changes, days);
            for (i, at) in series.iter().enumerate().filter(|(_, a)| a.known) {
                totals[i] += 1;
                for values in breakdown.rows(&view, at, days[i]) {
                    *tables[i].entry(values).or_default() += 1;
                }
            }
        }
        Ok(days
            .iter()
            .zip(tables)
            .zip(totals)
            .map(|((day, cells), total)| PeriodCounts {
                as_of: *day,
                total,
                cells: if dims.is_empty() {
                    Vec::new()
                } else {
                    cells.into_iter().collect()
                },
            })
            .collect())
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
