//! Projection tables as a [`ProjectionState`], with a write-back cache: a batch that
//! touches a person many times (registration, relationships, a camp list) writes the row
//! once. The cache is flushed before queries that read the tables, and bounded in size.

use crate::codec::id16;
use crate::error::StoreError;
use crate::person_rows::{Shape, Stored};
use crate::search::keys::{lock, KnownKeys};
use crate::view_parts::StoredView;
use model::actor::ActorView;
use model::consent::ConsentView;
use model::ids::{ActorId, PersonId, PlaceId, ReportId, TaskId};
use model::interview::Interview;
use model::projection::{PersonView, PlaceView, ProjectionState, ReportView};
use model::task::TaskView;
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What is known of how a person loaded from the tables was stored.
enum Loaded {
    /// The shape of their stored rows.
    Shaped(Shape),
    /// Loaded by a camp scan, with their stored camp of record; the shape is taken only
    /// if something other than whereabouts changes (a crisis changes whereabouts alone
    /// for thousands: they skip it). Until then the cached view differs from the stored
    /// one in whereabouts only, so its shape is the stored shape.
    Scanned(Option<PlaceId>),
}

/// Dirty persons kept before a flush: bounds memory on very large imports.
pub(crate) const FLUSH_AT: usize = 100_000;

pub(crate) struct SqlState<'c> {
    conn: &'c Connection,
    /// All places: there are few, and every person row needs its camp.
    places: HashMap<PlaceId, PlaceView>,
    dirty_places: Vec<PlaceId>,
    persons: HashMap<PersonId, PersonView>,
    /// Persons looked for and not in the tables since the last flush: written fresh.
    absent: RefCell<HashSet<PersonId>>,
    /// What each person loaded from the tables since the last flush was stored as: the
    /// flush rewrites only the rows a change needs (see `person_rows`).
    shapes: RefCell<HashMap<PersonId, Loaded>>,
    reports: HashMap<ReportId, ReportView>,
    tasks: HashMap<TaskId, TaskView>,
    /// Tasks looked for in the table and not found, and, once there were many such
    /// misses (a crisis asks for a task of each of thousands of persons), every stored
    /// task id, so the rest are answered without a query.
    task_misses: RefCell<usize>,
    stored_tasks: RefCell<Option<HashSet<TaskId>>>,
    /// Dirty persons kept before a flush ([`FLUSH_AT`]; smaller in tests).
    flush_at: usize,
    /// Redirects and kept records (see `merges`).
    pub(crate) merges: crate::merges::MergeLayer,
    /// Names keyed ahead of the flush (see `KnownKeys`).
    known: Arc<Mutex<KnownKeys>>,
}

/// A stored person's id and columns, not yet decoded.
type StoredPerson = (PersonId, StoredView);

/// A camp holding more than one person in this many is read by a pass over all persons
/// (see `stored_persons_placed_at`).
const PASS_OVER_ALL_FROM: i64 = 4;

/// Task misses after which all stored task ids are read at once.
const TASK_MISSES_BEFORE_SCAN: usize = 64;

use crate::camps::load_places;
use crate::codec::{decode, encode};

/// A stored camp column.
fn stored_camp(camp: Option<Vec<u8>>) -> Result<Option<PlaceId>, StoreError> {
    Ok(camp.map(id16).transpose()?.map(PlaceId::from_bytes))
}

impl<'c> SqlState<'c> {
    pub(crate) fn new(conn: &'c Connection, flush_at: usize) -> Result<Self, StoreError> {
        Ok(Self {
            flush_at,
            conn,
            places: load_places(conn)?,
            dirty_places: Vec::new(),
            persons: HashMap::new(),
            absent: RefCell::default(),
            shapes: RefCell::default(),
            reports: HashMap::new(),
            tasks: HashMap::new(),
            task_misses: RefCell::default(),
            stored_tasks: RefCell::default(),
            merges: crate::merges::MergeLayer::load(conn)?,
            known: Arc::default(),
        })
    }

    pub(crate) fn conn(&self) -> &Connection {
        self.conn
    }

    /// Where names keyed ahead of the flush are to be put.
    pub(crate) fn known_keys(&self) -> Arc<Mutex<KnownKeys>> {
        Arc::clone(&self.known)
    }

    /// Removes a person's rows and any cached change to them (a record merged into
    /// another has no row of its own).
    pub(crate) fn drop_person(&mut self, id: PersonId) -> Result<(), StoreError> {
        self.persons.remove(&id);
        // Its rows go now: what was known of them no longer holds.
        self.shapes.borrow_mut().remove(&id);
        self.absent.borrow_mut().insert(id);
        let key = id.as_bytes().as_slice();
        for (table, column) in [
            ("persons", "id"),
            ("person_views", "id"),
            ("person_places", "person"),
            ("person_nationalities", "person"),
        ] {
            self.conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE {column} = ?1"))?
                .execute([key])?;
        }
        crate::search::index::remove(self.conn, id)
    }

    /// Writes every cached change to the tables.
    pub(crate) fn flush(&mut self) -> Result<(), StoreError> {
        for id in std::mem::take(&mut self.dirty_places) {
            if let Some(view) = self.places.get(&id) {
                self.conn
                    .prepare_cached("INSERT OR REPLACE INTO places (id, name, kind, parent, view) VALUES (?1, ?2, ?3, ?4, ?5)")?
                    .execute(params![
                        id.as_bytes().as_slice(),
                        view.place.name,
                        view.place.kind.as_str(),
                        view.place.parent.map(|p| p.as_bytes().to_vec()),
                        encode(view)?,
                    ])?;
            }
        }
        // What is known of persons loaded but not changed stays true after the flush (a
        // crisis flushes part of a camp while the rest waits); written persons are forgotten.
        let mut shapes = self.shapes.borrow_mut();
        let mut absent = self.absent.borrow_mut();
        let dirty = std::mem::take(&mut self.persons)
            .into_values()
            .map(|view| {
                let stored = if absent.remove(&view.id) {
                    Stored::Nothing
                } else {
                    match shapes.remove(&view.id) {
                        Some(Loaded::Shaped(shape)) => Stored::Shaped(shape),
                        Some(Loaded::Scanned(_)) => Stored::WhereaboutsOnly,
                        None => Stored::Unknown,
                    }
                };
                (view, stored)
            })
            .collect();
        drop((shapes, absent));
        crate::person_rows::write(self.conn, &self.places, dirty, &lock(&self.known))?;
        for (id, view) in std::mem::take(&mut self.reports) {
            self.conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO reports (id, received_at, view) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![
                    id.as_bytes().as_slice(),
                    view.report.received_at.0,
                    encode(&view)?
                ])?;
        }
        self.flush_tasks()
    }

    /// Writes the cached tasks in id order (a crisis opens thousands), encoded on all cores.
    fn flush_tasks(&mut self) -> Result<(), StoreError> {
        let mut tasks: Vec<(TaskView, Vec<u8>)> = std::mem::take(&mut self.tasks)
            .into_par_iter()
            .map(|(_, task)| encode(&task).map(|blob| (task, blob)))
            .collect::<Result<_, _>>()?;
        tasks.sort_unstable_by_key(|(t, _)| t.task.id);
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO tasks (id, person, open, priority, view) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut stored = self.stored_tasks.borrow_mut();
        for (task, blob) in &tasks {
            stmt.execute(params![
                task.task.id.as_bytes().as_slice(),
                task.task.person.as_bytes().as_slice(),
                task.is_open(),
                i64::from(task.task.priority),
                blob,
            ])?;
            if let Some(ids) = stored.as_mut() {
                ids.insert(task.task.id);
            }
        }
        Ok(())
    }

    /// A stored person, noting what their rows were written from.
    fn load_person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        let Some(stored) = crate::view_parts::one(self.conn, id.as_bytes())? else {
            self.absent.borrow_mut().insert(id);
            return Ok(None);
        };
        let view = stored.view()?;
        let shape = Shape::of(&view, stored_camp(stored.camp)?)?;
        self.shapes.borrow_mut().insert(id, Loaded::Shaped(shape));
        Ok(Some(view))
    }

    /// A person loaded by a camp scan is about to change in more than whereabouts: their
    /// stored shape is that of the cached view (see [`Loaded::Scanned`]).
    fn take_shape_of_scanned(&mut self, id: PersonId) -> Result<(), StoreError> {
        let mut shapes = self.shapes.borrow_mut();
        if let Some(Loaded::Scanned(camp)) = shapes.get(&id) {
            let shape = match self.persons.get(&id) {
                Some(cached) => Loaded::Shaped(Shape::of(cached, *camp)?),
                // Not changed yet: the next load takes the shape from the tables.
                None => {
                    shapes.remove(&id);
                    return Ok(());
                }
            };
            shapes.insert(id, shape);
        }
        Ok(())
    }

    /// The stored rows of persons placed at any of `targets` and not cached. A camp that
    /// holds a good part of the registry (a crisis in Al-Hol reads 69,000 of 82,000) is
    /// read in one pass over each of the two tables in stored order, cheaper than as many
    /// look-ups by id; a small one by id.
    fn stored_persons_placed_at(
        &self,
        targets: &[PlaceId],
    ) -> Result<Vec<StoredPerson>, StoreError> {
        let marks = vec!["?"; targets.len()].join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT DISTINCT person FROM person_places WHERE place IN ({marks})"
        ))?;
        let args = targets.iter().map(|t| t.as_bytes().to_vec());
        let placed: HashSet<PersonId> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, Vec<u8>>(0))?
            .map(|id| Ok(PersonId::from_bytes(id16(id?)?)))
            .filter(|id| {
                id.as_ref()
                    .map_or(true, |id| !self.persons.contains_key(id))
            })
            .collect::<Result<_, StoreError>>()?;
        let all: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM persons")?
            .query_row([], |r| r.get(0))?;
        let mut out = Vec::with_capacity(placed.len());
        if placed.len() as i64 * PASS_OVER_ALL_FROM < all {
            for id in placed {
                if let Some(stored) = crate::view_parts::one(self.conn, id.as_bytes())? {
                    out.push((id, stored));
                }
            }
            return Ok(out);
        }
        let mut narrow: HashMap<PersonId, (Vec<u8>, Option<Vec<u8>>)> =
            HashMap::with_capacity(placed.len());
        let mut stmt = self
            .conn
            .prepare("SELECT id, whereabouts, camp FROM persons")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id = PersonId::from_bytes(id16(row.get(0)?)?);
            if placed.contains(&id) {
                narrow.insert(id, (row.get(1)?, row.get(2)?));
            }
        }
        let mut stmt = self.conn.prepare("SELECT id, view FROM person_views")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id = PersonId::from_bytes(id16(row.get(0)?)?);
            if let Some((whereabouts, camp)) = narrow.remove(&id) {
                let rest = row.get(1)?;
                out.push((
                    id,
                    StoredView {
                        rest,
                        whereabouts,
                        camp,
                    },
                ));
            }
        }
        Ok(out)
    }

    fn stored_task_ids(&self) -> Result<HashSet<TaskId>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id FROM tasks")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| Ok(TaskId::from_bytes(crate::codec::id16(r?)?)))
            .collect()
    }

    fn load<T: DeserializeOwned>(&self, sql: &str, id: &[u8]) -> Result<Option<T>, StoreError> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |r| r.get(0))
            .optional()?;
        bytes.map(|b| decode(&b)).transpose()
    }
}

impl ProjectionState for SqlState<'_> {
    type Error = StoreError;

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        if let Some(v) = self.persons.get(&id) {
            return Ok(Some(v.clone()));
        }
        self.load_person(id)
    }

    fn put_person(&mut self, view: PersonView) -> Result<(), StoreError> {
        self.take_shape_of_scanned(view.id)?;
        self.put_whereabouts(view)
    }

    /// Keeps a person loaded by a camp scan as changed in whereabouts alone.
    fn put_whereabouts(&mut self, view: PersonView) -> Result<(), StoreError> {
        self.persons.insert(view.id, view);
        if self.persons.len() >= self.flush_at {
            self.flush()?;
        }
        Ok(())
    }

    fn place(&self, id: PlaceId) -> Result<Option<PlaceView>, StoreError> {
        Ok(self.places.get(&id).cloned())
    }

    fn put_place(&mut self, view: PlaceView) -> Result<(), StoreError> {
        self.dirty_places.push(view.place.id);
        self.places.insert(view.place.id, view);
        Ok(())
    }

    fn report(&self, id: ReportId) -> Result<Option<ReportView>, StoreError> {
        if let Some(v) = self.reports.get(&id) {
            return Ok(Some(v.clone()));
        }
        self.load("SELECT view FROM reports WHERE id = ?1", id.as_bytes())
    }

    fn put_report(&mut self, view: ReportView) -> Result<(), StoreError> {
        self.reports.insert(view.report.id, view);
        Ok(())
    }

    fn task(&self, id: TaskId) -> Result<Option<TaskView>, StoreError> {
        if let Some(t) = self.tasks.get(&id) {
            return Ok(Some(t.clone()));
        }
        if let Some(stored) = self.stored_tasks.borrow().as_ref() {
            if !stored.contains(&id) {
                return Ok(None);
            }
        }
        let found = self.load("SELECT view FROM tasks WHERE id = ?1", id.as_bytes())?;
        if found.is_none() {
            let mut misses = self.task_misses.borrow_mut();
            *misses += 1;
            if *misses == TASK_MISSES_BEFORE_SCAN {
                *self.stored_tasks.borrow_mut() = Some(self.stored_task_ids()?);
            }
        }
        Ok(found)
    }

    fn put_task(&mut self, task: TaskView) -> Result<(), StoreError> {
        self.tasks.insert(task.task.id, task);
        Ok(())
    }

    fn actor(&self, id: ActorId) -> Result<Option<ActorView>, StoreError> {
        crate::actors::load(self.conn, id)
    }

    fn put_actor(&mut self, view: ActorView) -> Result<(), StoreError> {
        crate::actors::write(self.conn, &view)
    }

    fn case(&self, id: model::ids::CaseId) -> Result<Option<model::case::CaseView>, StoreError> {
        crate::cases::load(self.conn, id)
    }

    fn put_case(&mut self, view: model::case::CaseView) -> Result<(), StoreError> {
        crate::cases::write(self.conn, &view)
    }

    fn put_interview(&mut self, interview: Interview) -> Result<(), StoreError> {
        crate::consent::put_interview(self.conn, &interview)
    }

    fn consents(&self, person: PersonId) -> Result<Option<ConsentView>, StoreError> {
        crate::consent::consents(self.conn, person)
    }

    fn put_consents(&mut self, view: ConsentView) -> Result<(), StoreError> {
        crate::consent::put_consents(self.conn, &view)
    }

    fn persons_placed_at(&self, place: PlaceId) -> Result<Vec<PersonView>, StoreError> {
        let mut targets = vec![place];
        targets.extend(
            self.places
                .values()
                .filter(|v| v.place.parent == Some(place))
                .map(|v| v.place.id),
        );
        let mut out = BTreeMap::new();
        for (id, view) in &self.persons {
            if view.places().iter().any(|p| targets.contains(p)) {
                out.insert(*id, view.clone());
            }
        }
        let stored = self.stored_persons_placed_at(&targets)?;
        let loaded: Vec<(PersonId, PersonView, Option<PlaceId>)> = stored
            .into_par_iter()
            .map(|(id, stored)| Ok((id, stored.view()?, stored_camp(stored.camp)?)))
            .collect::<Result<_, StoreError>>()?;
        let mut shapes = self.shapes.borrow_mut();
        for (id, view, camp) in loaded {
            shapes.insert(id, Loaded::Scanned(camp));
            out.insert(id, view);
        }
        Ok(out.into_values().collect())
    }
}
