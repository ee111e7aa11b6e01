//! The repatriation board: per country the caller may see, the cases by stage as of a
//! given time, each with the time it spent in every stage. Roles that read cases get the
//! cases they may read (a consul: only its countries'); a coordinator gets counts per
//! country and stage with small cells suppressed ([`crate::suppression`]); a researcher
//! nothing. A country the caller may not see is absent, not zero.

use super::policy::{sees_board, CaseAccess};
use super::view::CaseSummary;
use crate::error::AccessError;
use crate::gate::Gate;
use crate::redact::time;
use crate::suppression::suppress;
use model::case::{CaseView, Stage};
use model::time::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct StageColumn {
    pub stage: &'static str,
    /// None when withheld (counts mode).
    pub count: Option<u64>,
    /// Empty in counts mode.
    pub cases: Vec<CaseSummary>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct CountryBoard {
    pub country: String,
    /// None when withheld (counts mode).
    pub total: Option<u64>,
    /// Every stage, in the order of the main path.
    pub stages: Vec<StageColumn>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct BoardOut {
    pub as_of: Option<String>,
    /// `cases` (case lines) or `counts` (suppressed aggregates only).
    pub mode: &'static str,
    /// The suppression threshold applied (counts mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u64>,
    pub countries: Vec<CountryBoard>,
}

/// Cases opened by `as_of`, with their stage then.
fn as_of(cases: Vec<CaseView>, at: Timestamp) -> Vec<(Stage, CaseView)> {
    cases
        .into_iter()
        .filter_map(|c| c.stage_as_of(at).map(|e| e.stage).map(|s| (s, c)))
        .collect()
}

impl Gate<'_> {
    /// The board as of `at`; counts are suppressed below `threshold` (never below the
    /// default). Audited as `case.board`, and each case shown as `case.listed`.
    pub fn case_board(&self, at: Timestamp, threshold: u64) -> Result<BoardOut, AccessError> {
        if !sees_board(self.user.role) {
            self.forbidden("see the repatriation board")?;
        }
        let all = as_of(self.registry.cases(&Default::default())?, at);
        let board = if super::policy::reads_cases(self.user.role) {
            self.case_lines(all, at)?
        } else {
            self.case_counts(all, at, threshold)?
        };
        self.registry
            .audit(&self.entry("case.board", "board", &format!("as_of={}", at.0)))?;
        Ok(board)
    }

    /// The cases the caller may read that match `filter`, as lines as of `at` (a stage
    /// filter applies to the stage then). Audited like the board.
    pub fn case_list(
        &self,
        filter: &store::CaseFilter,
        at: Timestamp,
    ) -> Result<Vec<CaseSummary>, AccessError> {
        self.may_read_cases()?;
        let cases = self.registry.cases(&store::CaseFilter {
            country: filter.country,
            stage: None,
        })?;
        let mut all = as_of(cases, at);
        all.retain(|(s, _)| filter.stage.is_none_or(|f| f == *s));
        let board = self.case_lines(all, at)?;
        Ok(board
            .countries
            .into_iter()
            .flat_map(|c| c.stages)
            .flat_map(|s| s.cases)
            .collect())
    }

    fn case_lines(
        &self,
        all: Vec<(Stage, CaseView)>,
        at: Timestamp,
    ) -> Result<BoardOut, AccessError> {
        let mut by_country: BTreeMap<String, Vec<(Stage, CaseSummary)>> = BTreeMap::new();
        let mut listed = Vec::new();
        for (stage, case) in all {
            if self.case_access(&case) < CaseAccess::Read {
                continue;
            }
            listed.push(format!("case:{}", case.id));
            by_country
                .entry(case.country.to_string())
                .or_default()
                .push((stage, self.summary(&case, at)?));
        }
        let entries: Vec<_> = listed
            .iter()
            .map(|s| self.entry("case.listed", s, "board"))
            .collect();
        if !entries.is_empty() {
            self.registry.audit_batch(&entries)?;
        }
        let countries = by_country
            .into_iter()
            .map(|(country, lines)| CountryBoard {
                country,
                total: Some(lines.len() as u64),
                stages: Stage::ALL
                    .iter()
                    .map(|s| {
                        let cases: Vec<CaseSummary> = lines
                            .iter()
                            .filter(|(st, _)| st == s)
                            .map(|(_, c)| c.clone())
                            .collect();
                        StageColumn {
                            stage: s.as_str(),
                            count: Some(cases.len() as u64),
                            cases,
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(BoardOut {
            as_of: time(at),
            mode: "cases",
            threshold: None,
            countries,
        })
    }

    fn case_counts(
        &self,
        all: Vec<(Stage, CaseView)>,
        at: Timestamp,
        threshold: u64,
    ) -> Result<BoardOut, AccessError> {
        let threshold = threshold.max(self.registry.suppression_threshold()?.unwrap_or(0));
        let mut cells: BTreeMap<(String, Stage), u64> = BTreeMap::new();
        let mut per_country: BTreeMap<String, u64> = BTreeMap::new();
        for (stage, case) in &all {
            if self.case_access(case) < CaseAccess::Count {
                continue;
            }
            *cells.entry((case.country.to_string(), *stage)).or_default() += 1;
            *per_country.entry(case.country.to_string()).or_default() += 1;
        }
        let total: u64 = per_country.values().sum();
        let cell_rows: Vec<(Vec<String>, u64)> = cells
            .iter()
            .map(|((c, s), n)| (vec![c.clone(), s.as_str().to_string()], *n))
            .collect();
        let table = suppress(total, &cell_rows, threshold);
        let country_rows: Vec<(Vec<String>, u64)> = per_country
            .iter()
            .map(|(c, n)| (vec![c.clone()], *n))
            .collect();
        let totals = suppress(total, &country_rows, threshold);
        let countries = totals
            .cells
            .iter()
            .map(|t| {
                let country = t.values[0].clone();
                CountryBoard {
                    stages: Stage::ALL
                        .iter()
                        .map(|s| StageColumn {
                            stage: s.as_str(),
                            count: table
                                .cells
                                .iter()
                                .find(|c| c.values[0] == country && c.values[1] == s.as_str())
                                .map_or(Some(0), |c| c.count),
                            cases: Vec::new(),
                        })
                        .collect(),
                    total: t.count,
                    country,
                }
            })
            .collect();
        Ok(BoardOut {
            as_of: time(at),
            mode: "counts",
            threshold: Some(table.threshold),
            countries,
        })
    }
}
