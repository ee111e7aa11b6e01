//! Repatriation cases through the access layer: who may read, work on or count a case
//! ([`policy`], pure and table-tested), a case as one caller may see it ([`view`]), the
//! board of cases by stage per country ([`board`]), and the changes users make
//! ([`writes`] and [`travel`], on [`crate::Writer`]).
//!
//! Like persons, a case the caller may not see and a case that does not exist get the
//! same answer ([`crate::AccessError::NotFound`]); a role that never reads cases gets
//! 403. Members the caller may not see are left out of a case; every read and every
//! change is audited (`case.read`, `case.listed`, `case.board`, `case.open`, ...).

pub mod board;
pub mod input;
pub mod policy;
pub mod travel;
pub mod view;
pub mod writes;

use crate::error::AccessError;
use crate::gate::Gate;
use model::case::CaseView;
use model::ids::CaseId;
use model::time::{Timestamp, MS_PER_DAY};
use policy::{case_access, CaseAccess};
use serde::Serialize;

/// Time spent in one stage.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct StageTime {
    pub stage: &'static str,
    pub ms: i64,
    /// Days, to one decimal.
    pub days: f64,
}

pub(crate) fn days(ms: i64) -> f64 {
    (ms as f64 / MS_PER_DAY as f64 * 10.0).round() / 10.0
}

pub(crate) fn stage_times(case: &CaseView, as_of: Timestamp) -> Vec<StageTime> {
    case.time_in_stages(as_of)
        .into_iter()
        .map(|(stage, ms)| StageTime {
            stage: stage.as_str(),
            ms,
            days: days(ms),
        })
        .collect()
}

impl Gate<'_> {
    /// What the caller may do with `case`.
    pub fn case_access(&self, case: &CaseView) -> CaseAccess {
        case_access(
            self.user,
            case.country,
            self.directory.facts(case.principal).as_ref(),
        )
    }

    /// Refuses roles that never read cases (403, the same for every case).
    pub(crate) fn may_read_cases(&self) -> Result<(), AccessError> {
        if policy::reads_cases(self.user.role) {
            Ok(())
        } else {
            self.forbidden("read repatriation cases")
        }
    }

    /// The case if the caller has at least `needed` on it; else "not found", audited as
    /// `{action}.denied`.
    pub(crate) fn admit_case(
        &self,
        id: CaseId,
        needed: CaseAccess,
        action: &str,
    ) -> Result<CaseView, AccessError> {
        self.may_read_cases()?;
        let case = self
            .registry
            .case(id)?
            .filter(|c| self.case_access(c) >= needed);
        let subject = format!("case:{id}");
        match case {
            Some(c) => Ok(c),
            None => {
                self.registry
                    .audit(&self.entry(&format!("{action}.denied"), &subject, ""))?;
                Err(AccessError::NotFound)
            }
        }
    }

    /// Case ids the caller may read that start with `prefix` (at least 4 hex digits), or
    /// the id itself when `text` is a whole id.
    pub fn find_cases(&self, text: &str) -> Result<Vec<CaseId>, AccessError> {
        self.may_read_cases()?;
        let ids = match text.parse::<CaseId>() {
            Ok(id) => vec![id],
            Err(_) => self.registry.case_ids_with_prefix(text)?,
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(c) = self.registry.case(id)? {
                if self.case_access(&c) >= CaseAccess::Read {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }
}
