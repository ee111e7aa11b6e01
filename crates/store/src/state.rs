//! Projection tables as a [`ProjectionState`], with a write-back cache: a batch that
//! touches a person many times (registration, relationships, a camp list) writes the row
//! once. The cache is flushed before queries that read the tables, and bounded in size.

use crate::error::StoreError;
use model::actor::ActorView;
use model::claim::ClaimKind;
use model::ids::{ActorId, PersonId, PlaceId, ReportId, TaskId};
use model::place::PlaceKind;
use model::projection::{PersonView, PlaceView, ProjectionState, ReportView};
use model::task::TaskView;
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Dirty persons kept before a flush: bounds memory on very large imports.
const FLUSH_AT: usize = 50_000;

pub(crate) struct SqlState<'c> {
    conn: &'c Connection,
    /// All places: there are few, and every person row needs its camp.
    places: HashMap<PlaceId, PlaceView>,
    dirty_places: Vec<PlaceId>,
    persons: HashMap<PersonId, PersonView>,
    /// Dirty persons whose whereabouts alone changed: only their `persons` row is rewritten.
    whereabouts_only: HashSet<PersonId>,
    reports: HashMap<ReportId, ReportView>,
    tasks: HashMap<TaskId, TaskView>,
    /// Redirects and kept records (see `merges`).
    pub(crate) merges: crate::merges::MergeLayer,
}

pub(crate) use crate::codec::{decode, encode};

pub(crate) fn load_places(conn: &Connection) -> Result<HashMap<PlaceId, PlaceView>, StoreError> {
    let mut stmt = conn.prepare("SELECT view FROM places")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut places = HashMap::new();
    for row in rows {
        let view: PlaceView = decode(&row?)?;
        places.insert(view.place.id, view);
    }
    Ok(places)
}

/// The camp a place belongs to: itself if a camp, its parent if a section.
pub(crate) fn camp_of(places: &HashMap<PlaceId, PlaceView>, place: PlaceId) -> Option<PlaceId> {
    let view = places.get(&place)?;
    match view.place.kind {
        PlaceKind::CampSection => view.place.parent.or(Some(place)),
        _ => Some(place),
    }
}

/// The camp a person belongs to for counting: the camp of the latest claim that places
/// them in (or escaping from) a camp or one of its sections. Someone who escaped Ain Issa
/// and surfaced in Tal Abyad still counts under Ain Issa, with status on the move.
pub(crate) fn camp_of_record(
    view: &PersonView,
    places: &HashMap<PlaceId, PlaceView>,
) -> Option<PlaceId> {
    view.claims
        .iter()
        .filter_map(|g| match g.claim.kind {
            ClaimKind::SeenAt { place } | ClaimKind::Escaped { from: place } => {
                Some((g.claim.observed_at, place))
            }
            _ => None,
        })
        .filter_map(|(at, place)| {
            let camp = camp_of(places, place)?;
            (places.get(&camp)?.place.kind == PlaceKind::Camp).then_some((at, camp))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, camp)| camp)
}

impl<'c> SqlState<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Self, StoreError> {
        Ok(Self {
            conn,
            places: load_places(conn)?,
            dirty_places: Vec::new(),
            persons: HashMap::new(),
            whereabouts_only: HashSet::new(),
            reports: HashMap::new(),
            tasks: HashMap::new(),
            merges: crate::merges::MergeLayer::load(conn)?,
        })
    }

    pub(crate) fn conn(&self) -> &Connection {
        self.conn
    }

    /// Removes a person's rows and any cached change to them (a record merged into
    /// another has no row of its own).
    pub(crate) fn drop_person(&mut self, id: PersonId) -> Result<(), StoreError> {
        self.persons.remove(&id);
        self.whereabouts_only.remove(&id);
        let key = id.as_bytes().as_slice();
        for table in ["persons", "person_places", "person_nationalities"] {
            let column = if table == "persons" { "id" } else { "person" };
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
        let mut persons: Vec<PersonView> =
            std::mem::take(&mut self.persons).into_values().collect();
        persons.sort_by_key(|p| p.id);
        let whereabouts_only = std::mem::take(&mut self.whereabouts_only);
        for view in &persons {
            if whereabouts_only.contains(&view.id) {
                self.write_whereabouts(view)?;
            } else {
                self.write_person(view)?;
            }
        }
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
        for (id, task) in std::mem::take(&mut self.tasks) {
            self.conn
                .prepare_cached("INSERT OR REPLACE INTO tasks (id, person, open, priority, view) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![
                    id.as_bytes().as_slice(),
                    task.task.person.as_bytes().as_slice(),
                    task.is_open(),
                    i64::from(task.task.priority),
                    encode(&task)?,
                ])?;
        }
        Ok(())
    }

    /// Rewrites the columns a change of whereabouts alone touches (a crisis in a camp of
    /// 68,000 rewrites one row per person, not its place and nationality index rows).
    fn write_whereabouts(&self, view: &PersonView) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE persons SET status = ?2, place = ?3, view = ?4 WHERE id = ?1")?
            .execute(params![
                view.id.as_bytes().as_slice(),
                view.whereabouts.status.as_str(),
                view.whereabouts.place.map(|p| p.as_bytes().to_vec()),
                encode(view)?,
            ])?;
        Ok(())
    }

    fn write_person(&self, view: &PersonView) -> Result<(), StoreError> {
        let id = view.id.as_bytes().as_slice();
        let place = view.whereabouts.place;
        let camp = camp_of_record(view, &self.places);
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO persons (id, registered, status, place, camp, sex, birth_year, display_name, view)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id,
                view.registered,
                view.whereabouts.status.as_str(),
                place.map(|p| p.as_bytes().to_vec()),
                camp.map(|p| p.as_bytes().to_vec()),
                view.sex.as_str(),
                view.birth.map(|b| b.year_range().1),
                view.display_name(),
                encode(view)?,
            ])?;
        crate::search::index::write(self.conn, view, camp)?;
        self.conn
            .prepare_cached("DELETE FROM person_places WHERE person = ?1")?
            .execute([id])?;
        for p in view.places() {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO person_places (place, person) VALUES (?1, ?2)",
                )?
                .execute(params![p.as_bytes().as_slice(), id])?;
        }
        self.conn
            .prepare_cached("DELETE FROM person_nationalities WHERE person = ?1")?
            .execute([id])?;
        for n in &view.nationalities {
            self.conn
                .prepare_cached("INSERT OR REPLACE INTO person_nationalities (country, person, status) VALUES (?1, ?2, ?3)")?
                .execute(params![n.country.as_str(), id, format!("{:?}", n.status).to_lowercase()])?;
        }
        Ok(())
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
        self.load("SELECT view FROM persons WHERE id = ?1", id.as_bytes())
    }

    fn put_person(&mut self, view: PersonView) -> Result<(), StoreError> {
        self.whereabouts_only.remove(&view.id);
        self.persons.insert(view.id, view);
        if self.persons.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn put_whereabouts(&mut self, view: PersonView) -> Result<(), StoreError> {
        if !self.persons.contains_key(&view.id) {
            self.whereabouts_only.insert(view.id);
        }
        self.persons.insert(view.id, view);
        if self.persons.len() >= FLUSH_AT {
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
        self.load("SELECT view FROM tasks WHERE id = ?1", id.as_bytes())
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
        // One scan for the whole camp: a crisis in Al-Hol reads 68,000 rows.
        let marks = vec!["?"; targets.len()].join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, view FROM persons WHERE id IN (SELECT person FROM person_places WHERE place IN ({marks}))"
        ))?;
        let args = targets.iter().map(|t| t.as_bytes().to_vec());
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(row) = rows.next()? {
            let bytes: [u8; 16] = row
                .get::<_, Vec<u8>>(0)?
                .try_into()
                .map_err(|_| StoreError::Corrupt("person id has the wrong length".into()))?;
            let id = PersonId::from_bytes(bytes);
            if !self.persons.contains_key(&id) {
                out.insert(
                    id,
                    decode(row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?)?,
                );
            }
        }
        Ok(out.into_values().collect())
    }
}
