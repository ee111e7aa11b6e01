//! Keeping the search tables current: written with the person rows the projection
//! writes, in the same transaction, so the index is a projection like any other.
//!
//! Tables (see `schema.rs`): `search_persons` (one row per person: what ranking and
//! filters read, and the keys the person is posted under), `search_postings` (per key,
//! how many persons and which; see [`postings`]), `search_kin` (child's given-name key →
//! parent, for kunyas).
//!
//! Writes are gathered per flush ([`IndexBatch`]): a person first registered in the
//! batch is inserted without looking for old rows; a person whose names changed is
//! diffed against the keys stored for them; one whose names did not change touches at
//! most their `search_persons` row. Each key's postings are then rewritten once, in key
//! order, and the kin rows inserted in key order.

use super::keys::{IndexEntry, KnownKeys, NAME_SEPARATOR};
use super::postings;
use crate::error::StoreError;
use crate::statements::Held;
use model::ids::{PersonId, PlaceId};
use model::projection::PersonView;
use rusqlite::{params, Connection, OptionalExtension, ToSql};
use std::collections::{BTreeSet, HashMap};

/// How a person's index rows change in this flush.
pub(crate) enum IndexChange {
    /// First written in this flush: no rows exist yet.
    New(Indexed),
    /// Names or kin may have changed: diff against the stored keys.
    Rewrite(Indexed),
    /// Names unchanged; sex, birth, nationalities or camp may have changed.
    Facts,
}

/// A person's index entry with the text of their `search_persons` row, both made off
/// the connection's thread.
pub(crate) struct Indexed {
    entry: IndexEntry,
    /// The `names` column: the person's names, apart.
    names: String,
    /// The `keys` column: every key the person is posted under.
    keys: String,
}

impl Indexed {
    pub(crate) fn of(view: &PersonView, known: &KnownKeys) -> Self {
        let entry = IndexEntry::keyed(view, known);
        let names: Vec<&str> = view.names.iter().map(|n| n.text.as_str()).collect();
        let keys: Vec<&str> = entry.keys.iter().map(String::as_str).collect();
        Self {
            names: names.join(&NAME_SEPARATOR.to_string()),
            keys: keys.join("\t"),
            entry,
        }
    }
}

/// The index writes of one flush, gathered to be written in key order.
#[derive(Default)]
pub(crate) struct IndexBatch {
    /// Per key, the persons posted under it and taken off it in this flush.
    postings: HashMap<String, Posted>,
    kin: Vec<(String, PersonId, PersonId)>,
}

#[derive(Default)]
struct Posted {
    added: Vec<PersonId>,
    removed: Vec<PersonId>,
}

/// The postings of persons first written in a flush, gathered on the thread that
/// prepares them while the connection's thread writes rows (see `person_rows`).
#[derive(Default)]
pub(crate) struct NewPostings(HashMap<String, Vec<PersonId>>);

impl NewPostings {
    /// Takes the keys of a first write: [`IndexBatch::person`] then has none left to
    /// gather, and [`IndexBatch::absorb`] hands them back.
    pub(crate) fn take(&mut self, person: PersonId, change: &mut IndexChange) {
        if let IndexChange::New(indexed) = change {
            for key in std::mem::take(&mut indexed.entry.keys) {
                self.0.entry(key).or_default().push(person);
            }
        }
    }
}

impl IndexBatch {
    /// Writes `view`'s `search_persons` row now, and gathers its postings and kin rows.
    /// `camp` is the person's camp of record.
    pub(crate) fn person(
        &mut self,
        held: &mut Held,
        view: &PersonView,
        camp: Option<PlaceId>,
        change: IndexChange,
    ) -> Result<(), StoreError> {
        let indexed = match change {
            IndexChange::Facts => return update_facts(held, view, camp),
            IndexChange::New(indexed) => indexed,
            IndexChange::Rewrite(indexed) => {
                let entry = &indexed.entry;
                let old = stored_keys(held.conn(), view.id, Registered::Any)?;
                for key in old.difference(&entry.keys) {
                    self.posted(key.clone()).removed.push(view.id);
                }
                for key in entry.keys.difference(&old) {
                    self.posted(key.clone()).added.push(view.id);
                }
                held.get("DELETE FROM search_kin WHERE child = ?1")?
                    .execute([view.id.as_bytes().as_slice()])?;
                write_row(held, view, camp, &indexed)?;
                self.kin_of(view.id, indexed.entry);
                return Ok(());
            }
        };
        write_row(held, view, camp, &indexed)?;
        let mut entry = indexed.entry;
        for key in std::mem::take(&mut entry.keys) {
            self.posted(key).added.push(view.id);
        }
        self.kin_of(view.id, entry);
        Ok(())
    }

    fn posted(&mut self, key: String) -> &mut Posted {
        self.postings.entry(key).or_default()
    }

    fn kin_of(&mut self, child: PersonId, entry: IndexEntry) {
        self.kin
            .extend(entry.kin.into_iter().map(|(k, parent)| (k, parent, child)));
    }

    /// Adds postings gathered off this thread.
    pub(crate) fn absorb(&mut self, new: NewPostings) {
        for (key, persons) in new.0 {
            self.posted(key).added.extend(persons);
        }
    }

    /// Writes the gathered postings, each key's once, and the kin rows, in key order.
    pub(crate) fn finish(self, conn: &Connection) -> Result<(), StoreError> {
        let mut postings: Vec<(String, Posted)> = self.postings.into_iter().collect();
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (key, mut posted) in postings {
            // Persons are written in id order, but persons first written are gathered
            // apart (`absorb`) and come after the rewritten ones.
            posted.added.sort_unstable();
            posted.removed.sort_unstable();
            postings::change(conn, &key, &posted.added, &posted.removed)?;
        }
        let mut kin = self.kin;
        kin.sort_unstable();
        let mut stmt =
            conn.prepare_cached("INSERT INTO search_kin (key, parent, child) VALUES (?1, ?2, ?3)")?;
        for (key, parent, child) in &kin {
            stmt.execute(params![
                key,
                parent.as_bytes().as_slice(),
                child.as_bytes().as_slice()
            ])?;
        }
        Ok(())
    }
}

/// What `search_persons` keeps of a person besides names and keys.
struct Facts<'a> {
    person: &'a [u8],
    registered: bool,
    birth_lo: Option<i32>,
    birth_hi: Option<i32>,
    camp: Option<Vec<u8>>,
    countries: String,
    sex: &'a str,
}

impl<'a> Facts<'a> {
    fn of(view: &'a PersonView, camp: Option<PlaceId>) -> Self {
        let (birth_lo, birth_hi) = match view.birth.map(|b| b.year_range()) {
            Some((lo, hi)) => (Some(lo), Some(hi)),
            None => (None, None),
        };
        let countries: Vec<&str> = view
            .nationalities
            .iter()
            .map(|n| n.country.as_str())
            .collect();
        Self {
            person: view.id.as_bytes().as_slice(),
            registered: view.registered,
            birth_lo,
            birth_hi,
            camp: camp.map(|c| c.as_bytes().to_vec()),
            countries: countries.join(","),
            sex: view.sex.as_str(),
        }
    }

    /// The values of ?1 to ?7 of both statements that write them.
    fn columns(&self) -> [&dyn ToSql; 7] {
        [
            &self.person,
            &self.registered,
            &self.sex,
            &self.birth_lo,
            &self.birth_hi,
            &self.camp,
            &self.countries,
        ]
    }
}

fn write_row(
    held: &mut Held,
    view: &PersonView,
    camp: Option<PlaceId>,
    indexed: &Indexed,
) -> Result<(), StoreError> {
    let f = Facts::of(view, camp);
    let mut values = f.columns().to_vec();
    values.extend([&indexed.names as &dyn ToSql, &indexed.keys]);
    held.get(
        "INSERT OR REPLACE INTO search_persons
         (person, registered, sex, birth_lo, birth_hi, camp, countries, names, keys)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(values.as_slice())?;
    Ok(())
}

/// Rewrites the columns of `search_persons` that do not depend on names.
fn update_facts(
    held: &mut Held,
    view: &PersonView,
    camp: Option<PlaceId>,
) -> Result<(), StoreError> {
    held.get(
        "UPDATE search_persons SET registered = ?2, sex = ?3, birth_lo = ?4, birth_hi = ?5,
         camp = ?6, countries = ?7 WHERE person = ?1",
    )?
    .execute(Facts::of(view, camp).columns())?;
    Ok(())
}

/// Removes a person's index rows (a record merged into another is found as that person).
pub(crate) fn remove(conn: &Connection, id: PersonId) -> Result<(), StoreError> {
    let mut batch = IndexBatch::default();
    for key in stored_keys(conn, id, Registered::Any)? {
        batch.posted(key).removed.push(id);
    }
    batch.finish(conn)?;
    let key = id.as_bytes().as_slice();
    conn.prepare_cached("DELETE FROM search_persons WHERE person = ?1")?
        .execute([key])?;
    conn.prepare_cached("DELETE FROM search_kin WHERE child = ?1")?
        .execute([key])?;
    Ok(())
}

/// Which persons [`stored_keys`] answers for.
pub(crate) enum Registered {
    Any,
    /// Only a person registered in their own right (not one only named by others).
    Only,
}

/// The keys `person` is posted under, as their `search_persons` row lists them; none if
/// they have no row (or, with [`Registered::Only`], are not registered).
pub(crate) fn stored_keys(
    conn: &Connection,
    person: PersonId,
    which: Registered,
) -> Result<BTreeSet<String>, StoreError> {
    let sql = match which {
        Registered::Any => "SELECT keys FROM search_persons WHERE person = ?1",
        Registered::Only => "SELECT keys FROM search_persons WHERE person = ?1 AND registered = 1",
    };
    let keys: Option<String> = conn
        .prepare_cached(sql)?
        .query_row([person.as_bytes().as_slice()], |r| r.get(0))
        .optional()?;
    Ok(keys
        .unwrap_or_default()
        .split('\t')
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect())
}
