//! Reads for crisis operations: the ranked task list with its filters, and per-camp
//! counts with their trend since a place-status change.

use crate::camps::load_places;
use crate::codec::{decode, id16};
use crate::error::StoreError;
use crate::view_parts::{self, VIEW_COLUMNS, VIEW_TABLES};
use crate::Registry;
use model::crisis::{trend, CrisisCounts};
use model::ids::{PersonId, PlaceId, TaskId};
use model::place::{PlaceKind, PlaceStatusChange};
use model::projection::{PersonView, PlaceView};
use model::task::TaskView;
use model::time::{Timestamp, MS_PER_DAY};
use model::whereabouts::WhereaboutsStatus;
use std::collections::BTreeMap;

/// Which tasks to list. Empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct TaskFilter {
    /// Closed tasks too.
    pub include_closed: bool,
    /// Tasks about persons whose camp of record is this camp.
    pub camp: Option<PlaceId>,
    /// Tasks assigned to this name (ignoring case); `Some("")` for unassigned tasks.
    pub assigned_to: Option<String>,
    pub limit: Option<usize>,
}

/// A task with what a list shows about its person.
#[derive(Clone, Debug)]
pub struct TaskRow {
    pub view: TaskView,
    pub camp: Option<PlaceId>,
    pub person_name: String,
    /// The person the task is about now: its record's person, or the person the record
    /// was merged into.
    pub person: model::ids::PersonId,
}

/// Days of trend shown after a status change, at most.
pub const TREND_DAYS: i64 = 30;

/// One camp's crisis picture.
#[derive(Clone, Debug)]
pub struct CampCrisis {
    pub camp: PlaceView,
    /// Now.
    pub counts: CrisisCounts,
    /// The first change that dispersed the camp or one of its sections, if any.
    pub change: Option<PlaceStatusChange>,
    /// The end of each day from the day before the change, with the counts then (as known
    /// now). Empty without a change.
    pub trend: Vec<(Timestamp, CrisisCounts)>,
}

/// The end of the UTC day holding `t`.
fn end_of_day(t: Timestamp) -> Timestamp {
    Timestamp(t.0.div_euclid(MS_PER_DAY) * MS_PER_DAY + MS_PER_DAY - 1)
}

impl Registry {
    /// Tasks matching the filter, ranked: highest priority, then longest missing.
    pub fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRow>, StoreError> {
        let sql = format!(
            "SELECT t.view, p.camp, p.display_name, p.id FROM tasks t
             LEFT JOIN person_redirects r ON r.merged = t.person
             LEFT JOIN persons p ON p.id = COALESCE(r.resolved, t.person){}",
            if filter.include_closed {
                ""
            } else {
                " WHERE t.open = 1"
            }
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let camp = row
                .get::<_, Option<Vec<u8>>>(1)?
                .map(id16)
                .transpose()?
                .map(PlaceId::from_bytes);
            if filter.camp.is_some() && camp != filter.camp {
                continue;
            }
            let view: TaskView = decode(&row.get::<_, Vec<u8>>(0)?)?;
            if let Some(who) = &filter.assigned_to {
                let assigned = view.assigned_to.as_deref().unwrap_or("");
                if !assigned.eq_ignore_ascii_case(who.trim()) {
                    continue;
                }
            }
            let person = row
                .get::<_, Option<Vec<u8>>>(3)?
                .map(id16)
                .transpose()?
                .map_or(view.task.person, model::ids::PersonId::from_bytes);
            out.push(TaskRow {
                view,
                camp,
                person_name: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                person,
            });
        }
        out.sort_by_key(|r| r.view.rank_key());
        if let Some(limit) = filter.limit {
            out.truncate(limit);
        }
        Ok(out)
    }

    /// One task.
    pub fn task(&self, id: TaskId) -> Result<Option<TaskView>, StoreError> {
        self.view_by_id("tasks", id.as_bytes())
    }

    /// Task ids starting with a hex prefix of at least 4 characters (at most 10).
    pub fn task_ids_with_prefix(&self, prefix: &str) -> Result<Vec<TaskId>, StoreError> {
        let ids = self.ids_with_prefix("tasks", prefix)?;
        Ok(ids.into_iter().map(TaskId::from_bytes).collect())
    }

    /// Every camp with its counts now and, for a camp a status change dispersed, the
    /// daily trend since (as known now: a report arriving late about an earlier day
    /// changes that day's counts). Persons count under their camp of record.
    pub fn crisis(&self) -> Result<Vec<CampCrisis>, StoreError> {
        self.crisis_of(&|_| true)
    }

    /// [`Registry::crisis`] over only the persons `keep` accepts (what one user may count).
    pub fn crisis_of(
        &self,
        keep: &dyn Fn(PersonId) -> bool,
    ) -> Result<Vec<CampCrisis>, StoreError> {
        let places: BTreeMap<PlaceId, PlaceView> = load_places(&self.conn)?.into_iter().collect();
        let mut out = Vec::new();
        for camp in places.values().filter(|v| v.place.kind == PlaceKind::Camp) {
            let id = camp.place.id;
            let change = places
                .values()
                .filter(|v| v.place.id == id || v.place.parent == Some(id))
                .flat_map(|v| v.statuses.iter())
                .filter(|c| c.status.disperses_people())
                .min_by_key(|c| c.at)
                .cloned();
            let persons = self.persons_of_camp(id, change.is_some(), keep)?;
            let mut counts = CrisisCounts::default();
            for (status, _) in &persons {
                counts.add(*status);
            }
            let trend = match &change {
                Some(c) => {
                    let views: Vec<&PersonView> =
                        persons.iter().filter_map(|(_, v)| v.as_ref()).collect();
                    let last = views
                        .iter()
                        .flat_map(|v| v.claims.iter().map(|g| g.claim.observed_at))
                        .max()
                        .unwrap_or(c.at)
                        .max(c.at)
                        .min(c.at.plus_ms(TREND_DAYS * MS_PER_DAY));
                    let mut days = vec![end_of_day(c.at.plus_ms(-MS_PER_DAY))];
                    while let Some(&d) = days.last() {
                        if d >= last {
                            break;
                        }
                        days.push(d.plus_ms(MS_PER_DAY));
                    }
                    let counts = trend(views, &places, &days);
                    days.into_iter().zip(counts).collect()
                }
                None => Vec::new(),
            };
            out.push(CampCrisis {
                camp: camp.clone(),
                counts,
                change,
                trend,
            });
        }
        out.sort_by(|a, b| a.camp.place.name.cmp(&b.camp.place.name));
        Ok(out)
    }

    /// Registered persons of record in a camp: status, and the view when asked for.
    fn persons_of_camp(
        &self,
        camp: PlaceId,
        views: bool,
        keep: &dyn Fn(PersonId) -> bool,
    ) -> Result<Vec<(WhereaboutsStatus, Option<PersonView>)>, StoreError> {
        let sql = if views {
            format!("SELECT p.status, p.id, {VIEW_COLUMNS} FROM {VIEW_TABLES} WHERE p.registered = 1 AND p.camp = ?1")
        } else {
            "SELECT status, id FROM persons WHERE registered = 1 AND camp = ?1".to_string()
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([camp.as_bytes().as_slice()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            if !keep(PersonId::from_bytes(id16(row.get(1)?)?)) {
                continue;
            }
            let text: String = row.get(0)?;
            let status = WhereaboutsStatus::parse(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown status '{text}'")))?;
            let view = if views {
                Some(view_parts::from_row(row, 2)?)
            } else {
                None
            };
            out.push((status, view));
        }
        Ok(out)
    }
}
