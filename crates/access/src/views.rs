//! Gate reads that screens need beyond the API's: short summaries of persons in lists,
//! the places, a person's relatives and tasks, and the ranked tracing list. Like every
//! read in [`crate::gate`], they check the policy, redact through the [`Lens`] and
//! write audit entries before answering; an interface only prints what they return.

use crate::error::AccessError;
use crate::gate::{Gate, SearchHit};
use crate::redact::{Lens, NameOut, NationalityOut};
use model::ids::{PersonId, PlaceId};
use model::projection::PersonView;
use model::task::TaskKind;
use model::whereabouts::WhereaboutsStatus;
use serde::Serialize;
use std::collections::HashMap;

/// A person as a line in a list: enough to recognise them, nothing sensitive.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct PersonSummary {
    pub person_id: String,
    /// Empty for roles that see no names.
    pub names: Vec<NameOut>,
    pub nationalities: Vec<NationalityOut>,
    /// Camp of record, as a place id.
    pub camp: Option<String>,
    pub status: &'static str,
    pub confidence: f64,
}

/// A place with its current status. Places are not personal data: every signed-in role
/// may list them.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct PlaceOut {
    pub place_id: String,
    pub name: String,
    pub kind: &'static str,
    pub status: Option<&'static str>,
    pub status_since: Option<String>,
}

/// An open task, as shown beside its person.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct TaskOut {
    pub kind: &'static str,
    pub priority: u8,
    pub reason: String,
}

/// One line of the tracing list: an unaccounted-for person and why they rank where they do.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct TracingItem {
    pub person: PersonSummary,
    /// Highest priority of the person's open tracing tasks (0 when none).
    pub priority: u8,
    pub reason: Option<String>,
    /// That task, to assign it from the list.
    pub task_id: Option<String>,
    /// Who it is assigned to (a named person or team).
    pub assigned_to: Option<String>,
}

/// The relatives and household of a person, as the caller may see them.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Relative {
    /// `parent_of`, `child_of`, ..., or `household` for a member with no recorded tie.
    pub relation: &'static str,
    pub person: PersonSummary,
}

impl Lens<'_> {
    /// A visible person as a line in a list.
    pub fn summary(&self, v: &PersonView, camp: Option<PlaceId>) -> PersonSummary {
        let p = self.person(v);
        PersonSummary {
            person_id: p.person_id,
            names: p.names.unwrap_or_default(),
            nationalities: p.nationalities,
            camp: camp.map(|c| c.to_string()),
            status: p.whereabouts.status,
            confidence: p.whereabouts.confidence,
        }
    }
}

impl Gate<'_> {
    fn summaries(&self, ids: &[PersonId]) -> Result<Vec<PersonSummary>, AccessError> {
        let mut views = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = self.registry.person(*id)?.filter(|v| v.registered) {
                views.push(v);
            }
        }
        Ok(self.with_lens(|l| {
            views
                .iter()
                .map(|v| l.summary(v, self.directory.camp_of(v.id)))
                .collect()
        }))
    }

    fn audit_listed(&self, ids: &[PersonId], detail: &str) -> Result<(), AccessError> {
        let subjects: Vec<String> = ids.iter().map(|id| format!("person:{id}")).collect();
        let entries: Vec<_> = subjects
            .iter()
            .map(|s| self.entry("person.listed", s, detail))
            .collect();
        if !entries.is_empty() {
            self.registry.audit_batch(&entries)?;
        }
        Ok(())
    }

    /// [`Gate::search`] with a summary of each hit (nationality, camp, whereabouts), in the
    /// same order. The hits are audited by the search itself.
    pub fn search_summaries(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<(SearchHit, PersonSummary)>, AccessError> {
        let hits = self.search(query, limit)?;
        let mut out = Vec::with_capacity(hits.len());
        for hit in hits {
            let Ok(id) = hit.person_id.parse::<PersonId>() else {
                continue;
            };
            if let Some(s) = self.summaries(&[id])?.pop() {
                out.push((hit, s));
            }
        }
        Ok(out)
    }

    /// Every place with its current status.
    pub fn places(&self) -> Result<Vec<PlaceOut>, AccessError> {
        Ok(self
            .registry
            .places()?
            .into_iter()
            .map(|p| {
                let current = p.current_status();
                PlaceOut {
                    place_id: p.place.id.to_string(),
                    name: p.place.name.clone(),
                    kind: p.place.kind.as_str(),
                    status: current.map(|c| c.status.as_str()),
                    status_since: current
                        .and_then(|c| c.at.to_datetime())
                        .map(|d| d.to_rfc3339()),
                }
            })
            .collect())
    }

    /// The relatives and household members of `id` whom the caller may see. The caller
    /// must see `id` itself (else [`AccessError::NotFound`]); each relative shown is
    /// audited as listed.
    pub fn relatives(&self, id: PersonId) -> Result<Vec<Relative>, AccessError> {
        let view = self.admit(id, "person.relatives")?;
        if !self.user.role.fields().real_ids {
            return Ok(Vec::new());
        }
        let mut relation: Vec<(PersonId, &'static str)> = view
            .relationships
            .iter()
            .filter(|r| self.sees(r.other))
            .map(|r| (r.other, crate::redact::relationship_kind(r.kind)))
            .collect();
        for m in self.directory.household_members(id) {
            if self.sees(m) && !relation.iter().any(|(p, _)| *p == m) {
                relation.push((m, "household"));
            }
        }
        let ids: Vec<PersonId> = relation.iter().map(|(p, _)| *p).collect();
        let summaries = self.summaries(&ids)?;
        self.audit_listed(&ids, &format!("relatives of person:{id}"))?;
        let by_id: HashMap<String, &'static str> =
            relation.iter().map(|(p, r)| (p.to_string(), *r)).collect();
        Ok(summaries
            .into_iter()
            .map(|s| Relative {
                relation: by_id.get(&s.person_id).copied().unwrap_or("household"),
                person: s,
            })
            .collect())
    }

    /// Every open task, highest priority first.
    fn open_tasks(&self) -> Result<Vec<model::task::Task>, AccessError> {
        Ok(self
            .registry
            .tasks(&store::TaskFilter::default())?
            .into_iter()
            .map(|r| r.view.task)
            .collect())
    }

    /// The open tasks about `id`, highest priority first. Medical follow-ups only for
    /// roles that see health.
    pub fn tasks_of(&self, id: PersonId) -> Result<Vec<TaskOut>, AccessError> {
        self.admit(id, "person.tasks")?;
        let health = self.user.role.fields().health;
        Ok(self
            .open_tasks()?
            .into_iter()
            .filter(|t| t.person == id && (health || t.kind != TaskKind::MedicalFollowUp))
            .map(|t| TaskOut {
                kind: t.kind.as_str(),
                priority: t.priority,
                reason: if health || t.kind == TaskKind::Tracing {
                    t.reason
                } else {
                    String::new()
                },
            })
            .collect())
    }

    /// The tracing list: persons the caller may see whose whereabouts is "unaccounted
    /// for" and who have not asked not to be traced, highest tracing priority first, at most `limit`, optionally only those last
    /// known at `camp`. Every person listed is audited.
    pub fn tracing_list(
        &self,
        camp: Option<PlaceId>,
        limit: usize,
    ) -> Result<Vec<TracingItem>, AccessError> {
        if !self.user.role.reads_persons() || !self.user.role.fields().real_ids {
            self.forbidden("read the tracing list")?;
        }
        let filter = store::PersonFilter {
            camp,
            status: Some(WhereaboutsStatus::UnaccountedFor),
            ..Default::default()
        };
        let mut tasks: HashMap<PersonId, model::task::TaskView> = HashMap::new();
        for row in self.registry.tasks(&store::TaskFilter::default())? {
            let t = row.view;
            if t.task.kind == TaskKind::Tracing {
                let best = tasks.get(&t.task.person).map_or(0, |b| b.task.priority);
                if t.task.priority >= best {
                    tasks.insert(t.task.person, t);
                }
            }
        }
        let mut visible: Vec<(u8, PersonView)> = self
            .registry
            .persons(&filter)?
            .into_iter()
            .filter(|v| self.sees(v.id) && self.traceable(v.id))
            .map(|v| (tasks.get(&v.id).map_or(0, |t| t.task.priority), v))
            .collect();
        // Stable: equal priorities keep the registry's name order.
        visible.sort_by_key(|v| std::cmp::Reverse(v.0));
        visible.truncate(limit);
        let ids: Vec<PersonId> = visible.iter().map(|(_, v)| v.id).collect();
        self.audit_listed(&ids, "tracing list")?;
        Ok(self.with_lens(|l| {
            visible
                .iter()
                .map(|(priority, v)| {
                    let task = tasks.get(&v.id);
                    TracingItem {
                        person: l.summary(v, self.directory.camp_of(v.id)),
                        priority: *priority,
                        reason: task.map(|t| t.task.reason.clone()),
                        task_id: task.map(|t| t.task.id.to_string()),
                        assigned_to: task.and_then(|t| t.assigned_to.clone()),
                    }
                })
                .collect()
        }))
    }
}
