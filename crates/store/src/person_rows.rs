//! Writing the persons a batch changed, at the end of the batch, touching only the rows
//! each change needs.
//!
//! A person's rows are the `persons` row (with the whereabouts), the `person_views` row
//! (the rest of the view; see `view_parts`), the place and nationality index rows, and
//! the search index rows. When the projection loads a
//! person from the tables it notes the person's [`Shape`] (hashes of what decides the
//! other rows); at the flush the new shape is compared with it:
//!
//! | what changed | rows written |
//! |---|---|
//! | first written in this batch (registration, stub) | all, inserted without looking for old rows |
//! | names or relationships | all; search postings diffed against the stored keys |
//! | sex, birth, nationalities, registration, camp of record | `persons`, `person_views`, nationality rows, `search_persons` facts |
//! | claims naming new places | `persons`, `person_views`, the place rows added or removed |
//! | only claims or whereabouts (a report) | `persons`, `person_views` |
//! | whereabouts alone, for persons a camp scan loaded (a crisis) | `persons` status, place and whereabouts; no shape is taken |
//!
//! Encoding views and computing phonetic keys run on the thread pool, a chunk of persons
//! ahead of the SQL writes, which follow in person-id order; postings follow in key order.

use crate::camps::camp_of_record;
use crate::codec::{encode, id16};
use crate::error::StoreError;
use crate::search::index::{IndexBatch, IndexChange, Indexed, NewPostings};
use crate::search::keys::KnownKeys;
use crate::statements::Held;
use crate::view_parts::{self, Parts};
use model::ids::PlaceId;
use model::projection::{PersonView, PlaceView};
use rayon::prelude::*;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;

/// What of a stored person decides which of their rows a rewrite must touch.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Shape {
    /// Names and relationships: the search postings and kin rows.
    names: [u8; 16],
    /// Registration, sex, birth, nationalities: facts of `persons` and `search_persons`.
    facts: [u8; 16],
    /// The places the person's claims name: `person_places`.
    places: [u8; 16],
    /// Camp of record: `persons.camp` and `search_persons.camp`.
    camp: Option<PlaceId>,
}

fn digest<T: Serialize>(value: &T) -> Result<[u8; 16], StoreError> {
    let bytes = encode(value)?;
    let mut out = [0u8; 16];
    out.copy_from_slice(&blake3::hash(&bytes).as_bytes()[..16]);
    Ok(out)
}

impl Shape {
    /// The shape of `view`, whose camp of record is `camp`.
    pub(crate) fn of(view: &PersonView, camp: Option<PlaceId>) -> Result<Self, StoreError> {
        Ok(Self {
            names: digest(&(&view.names, &view.relationships))?,
            facts: digest(&(view.registered, view.sex, view.birth, &view.nationalities))?,
            places: digest(&view.places())?,
            camp,
        })
    }
}

/// What is known of a dirty person's stored rows.
pub(crate) enum Stored {
    /// None: the person was not in the tables when this batch first looked.
    Nothing,
    /// Rows written from a view of this shape.
    Shaped(Shape),
    /// Unknown: rewrite everything, diffing the search postings.
    Unknown,
    /// Stored, and since changed in whereabouts only (a crisis): the `persons` row's
    /// status, place and whereabouts.
    WhereaboutsOnly,
}

/// One person's writes, prepared off the connection.
struct Prepared {
    view: PersonView,
    parts: Parts,
    /// Camp of record.
    camp: Option<PlaceId>,
    stored: Stored,
    /// Whether the place rows and the nationality rows must be written.
    places: bool,
    nationalities: bool,
    index: Option<IndexChange>,
}

/// The `persons` row of a person whose whereabouts alone changed.
fn write_whereabouts(conn: &Connection, view: &PersonView, part: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE persons SET status = ?2, place = ?3, whereabouts = ?4 WHERE id = ?1",
    )?
    .execute(params![
        view.id.as_bytes().as_slice(),
        view.whereabouts.status.as_str(),
        view.whereabouts.place.map(|p| p.as_bytes().to_vec()),
        part,
    ])?;
    Ok(())
}

/// A person's writes; the shape is taken only of persons whose stored rows are known (a
/// person with no rows, or unknown ones, has all of them written).
fn prepare(
    view: PersonView,
    stored: Stored,
    places: &HashMap<PlaceId, PlaceView>,
    known: &KnownKeys,
) -> Result<Prepared, StoreError> {
    let camp = camp_of_record(&view, places);
    let (index, places, nationalities) = match &stored {
        Stored::Nothing => (
            Some(IndexChange::New(Indexed::of(&view, known))),
            true,
            true,
        ),
        Stored::Unknown | Stored::WhereaboutsOnly => (
            Some(IndexChange::Rewrite(Indexed::of(&view, known))),
            true,
            true,
        ),
        Stored::Shaped(old) => {
            let shape = Shape::of(&view, camp)?;
            let index = if old.names != shape.names {
                Some(IndexChange::Rewrite(Indexed::of(&view, known)))
            } else if old.facts != shape.facts || old.camp != shape.camp {
                Some(IndexChange::Facts)
            } else {
                None
            };
            (index, old.places != shape.places, old.facts != shape.facts)
        }
    };
    Ok(Prepared {
        parts: view_parts::split(&view)?,
        view,
        camp,
        stored,
        places,
        nationalities,
        index,
    })
}

/// Writes `dirty` persons (any order) and their index rows; `known` holds names keyed
/// ahead.
pub(crate) fn write(
    conn: &Connection,
    places: &HashMap<PlaceId, PlaceView>,
    dirty: Vec<(PersonView, Stored)>,
    known: &KnownKeys,
) -> Result<(), StoreError> {
    let (moved, changed): (Vec<_>, Vec<_>) = dirty
        .into_iter()
        .partition(|(_, stored)| matches!(stored, Stored::WhereaboutsOnly));
    let mut moved: Vec<(PersonView, Vec<u8>)> = moved
        .into_par_iter()
        .map(|(view, _)| view_parts::whereabouts(&view.whereabouts).map(|part| (view, part)))
        .collect::<Result<_, _>>()?;
    moved.sort_unstable_by_key(|(v, _)| v.id);
    for (view, part) in &moved {
        write_whereabouts(conn, view, part)?;
    }
    let mut index = IndexBatch::default();
    let mut held = Held::new(conn);
    let new = prepared_in_turn(changed, places, known, &mut |p| {
        write_person(&mut held, &p)?;
        let fresh = matches!(p.stored, Stored::Nothing);
        if p.places {
            write_places(&mut held, &p.view, fresh)?;
        }
        if p.nationalities {
            write_nationalities(&mut held, &p.view, fresh)?;
        }
        if let Some(change) = p.index {
            index.person(&mut held, &p.view, p.camp, change)?;
        }
        Ok(())
    })?;
    drop(held);
    index.absorb(new);
    index.finish(conn)
}

/// Persons prepared per chunk, in id order.
const CHUNK: usize = 2048;

/// Hands `write` each person of `changed` prepared, in id order, and returns the
/// postings of those first written. Chunks are prepared on the thread pool while the
/// calling thread writes the chunk before: the connection is never idle waiting for
/// phonetic keys and encodings, and they never wait for it. The postings of first
/// writes are gathered on the preparing thread too, as chunks pass.
fn prepared_in_turn(
    mut changed: Vec<(PersonView, Stored)>,
    places: &HashMap<PlaceId, PlaceView>,
    known: &KnownKeys,
    write: &mut dyn FnMut(Prepared) -> Result<(), StoreError>,
) -> Result<NewPostings, StoreError> {
    changed.sort_unstable_by_key(|(view, _)| view.id);
    let mut chunks: Vec<Vec<(PersonView, Stored)>> = Vec::new();
    while !changed.is_empty() {
        let rest = changed.split_off(changed.len().saturating_sub(CHUNK));
        chunks.push(rest);
    }
    chunks.reverse();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Prepared>, StoreError>>(2);
    std::thread::scope(|scope| {
        // A system out of threads is reported, with nothing written.
        let preparer = std::thread::Builder::new()
            .spawn_scoped(scope, move || {
                let mut new = NewPostings::default();
                for chunk in chunks {
                    let prepared: Result<Vec<Prepared>, StoreError> = chunk
                        .into_par_iter()
                        .map(|(view, stored)| prepare(view, stored, places, known))
                        .collect();
                    let prepared = prepared.map(|mut chunk| {
                        for p in &mut chunk {
                            if let Some(change) = p.index.as_mut() {
                                new.take(p.view.id, change);
                            }
                        }
                        chunk
                    });
                    // The writer stopped (an error): nothing more is wanted.
                    if sender.send(prepared).is_err() {
                        break;
                    }
                }
                new
            })
            .map_err(StoreError::thread_not_started)?;
        for prepared in receiver {
            for p in prepared? {
                write(p)?;
            }
        }
        Ok(preparer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

fn write_person(held: &mut Held, p: &Prepared) -> Result<(), StoreError> {
    let v = &p.view;
    let (sql, rest_sql) = match p.stored {
        Stored::Nothing => (
            "INSERT INTO persons (id, registered, status, place, camp, sex, birth_year, display_name, whereabouts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            "INSERT INTO person_views (id, view) VALUES (?1, ?2)",
        ),
        Stored::Shaped(_) => (
            "UPDATE persons SET registered = ?2, status = ?3, place = ?4, camp = ?5, sex = ?6,
             birth_year = ?7, display_name = ?8, whereabouts = ?9 WHERE id = ?1",
            "UPDATE person_views SET view = ?2 WHERE id = ?1",
        ),
        Stored::Unknown | Stored::WhereaboutsOnly => (
            "INSERT OR REPLACE INTO persons (id, registered, status, place, camp, sex, birth_year, display_name, whereabouts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            "INSERT OR REPLACE INTO person_views (id, view) VALUES (?1, ?2)",
        ),
    };
    held.get(rest_sql)?
        .execute(params![v.id.as_bytes().as_slice(), p.parts.rest])?;
    held.get(sql)?.execute(params![
        v.id.as_bytes().as_slice(),
        v.registered,
        v.whereabouts.status.as_str(),
        v.whereabouts.place.map(|p| p.as_bytes().to_vec()),
        p.camp.map(|p| p.as_bytes().to_vec()),
        v.sex.as_str(),
        v.birth.map(|b| b.year_range().1),
        v.display_name(),
        p.parts.whereabouts,
    ])?;
    Ok(())
}

/// The place rows of `view`: all of them for a person with none yet (`fresh`); for one
/// already stored, only the places added and removed since (a report adds one place to
/// the few a person has, and each row is two B-tree entries).
fn write_places(held: &mut Held, view: &PersonView, fresh: bool) -> Result<(), StoreError> {
    let id = view.id.as_bytes().as_slice();
    let mut places = view.places();
    if !fresh {
        let stored: Vec<PlaceId> = held
            .get("SELECT place FROM person_places WHERE person = ?1")?
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))?
            .map(|p| Ok(PlaceId::from_bytes(id16(p?)?)))
            .collect::<Result<_, StoreError>>()?;
        let delete = held.get("DELETE FROM person_places WHERE person = ?1 AND place = ?2")?;
        for old in stored {
            if !places.remove(&old) {
                delete.execute(params![id, old.as_bytes().as_slice()])?;
            }
        }
    }
    let insert = held.get("INSERT INTO person_places (place, person) VALUES (?1, ?2)")?;
    for p in places {
        insert.execute(params![p.as_bytes().as_slice(), id])?;
    }
    Ok(())
}

fn write_nationalities(held: &mut Held, view: &PersonView, fresh: bool) -> Result<(), StoreError> {
    let id = view.id.as_bytes().as_slice();
    if !fresh {
        held.get("DELETE FROM person_nationalities WHERE person = ?1")?
            .execute([id])?;
    }
    let insert = held.get(
        "INSERT OR REPLACE INTO person_nationalities (country, person, status) VALUES (?1, ?2, ?3)",
    )?;
    for n in &view.nationalities {
        insert.execute(params![n.country.as_str(), id, n.status.as_str()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Registry;
    use model::claim::{Claim, ClaimKind};
    use model::event::Payload;
    use model::ids::{ActorId, ClaimId, PersonId, PlaceId, ReportId};
    use model::person::{Name, NameKind, Registration, Sex};
    use model::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
    use model::report::{Channel, Grade, Report};
    use model::time::Timestamp;

    /// A new registry that writes changed persons `flush_at` at a time.
    fn flushing_at(dir: &tempfile::TempDir, flush_at: usize) -> Registry {
        let mut reg = Registry::create(&dir.path().join("r.db"), "passphrase").unwrap();
        reg.flush_at = flush_at;
        reg
    }

    /// A rebuild, written in one flush, gives the projections `reg` holds.
    fn rebuild_in_one_flush_agrees(reg: &mut Registry) {
        let incremental = reg.projection_digest().unwrap();
        reg.flush_at = super::super::state::FLUSH_AT;
        let summary = reg.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(summary.digest_after, incremental);
    }

    fn registered(p: u128, name: String) -> Payload {
        Payload::PersonRegistered {
            person: PersonId::from_u128(p),
            registration: Registration {
                sex: Sex::Female,
                birth: None,
                names: vec![Name::new(name, NameKind::Full, None)],
                nationalities: vec![],
                vulnerabilities: vec![],
                household: None,
                relationships: vec![],
                source: None,
            },
        }
    }

    fn list(n: u128, at: i64, persons: &[u128]) -> Payload {
        let report = ReportId::from_u128(n);
        Payload::ReportReceived {
            report: Report {
                id: report,
                channel: Channel::OfficialList,
                received_at: Timestamp(at),
                received_by: ActorId::from_u128(1),
                source: None,
                content: "list".into(),
                attachments: vec![],
                grade: Grade::parse("A1").unwrap(),
            },
            claims: persons
                .iter()
                .map(|p| Claim {
                    id: ClaimId::from_u128(n * 1_000 + p),
                    report,
                    person: PersonId::from_u128(*p),
                    observed_at: Timestamp(at),
                    kind: ClaimKind::SeenAt {
                        place: PlaceId::from_u128(1),
                    },
                })
                .collect(),
        }
    }

    /// A batch larger than the flush threshold is written in parts: persons a camp scan
    /// loaded before a part was written keep what is known of their stored rows.
    #[test]
    fn batches_written_in_parts_give_the_same_projections() {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = flushing_at(&dir, 7);
        let actor = reg.local_actor();
        let persons: Vec<u128> = (10..40).collect();
        let mut first = vec![Payload::PlaceAdded {
            place: Place {
                id: PlaceId::from_u128(1),
                name: "Al-Hol".into(),
                kind: PlaceKind::Camp,
                parent: None,
            },
        }];
        first.extend(
            persons
                .iter()
                .map(|p| registered(*p, format!("Person {p}"))),
        );
        first.push(list(1, 0, &persons));
        let status = |at, status| Payload::PlaceStatusChanged {
            place: PlaceId::from_u128(1),
            change: PlaceStatusChange {
                status,
                at: Timestamp(at),
                report: None,
            },
        };
        let second = vec![
            status(10, PlaceStatus::Unguarded),
            list(2, 20, &persons[..12]),
            Payload::NameAdded {
                person: PersonId::from_u128(35),
                name: Name::new("Umm Adam", NameKind::Kunya, None),
            },
            status(30, PlaceStatus::UnderFire),
        ];
        for batch in [first, second] {
            reg.append(
                actor,
                batch.into_iter().map(|p| (Timestamp(0), p)),
                &mut |_| {},
            )
            .unwrap();
        }
        rebuild_in_one_flush_agrees(&mut reg);
    }

    /// A batch longer than a chaining run has its names keyed on the chaining thread,
    /// ahead of the flushes that write them (here several, mid-batch): the rows equal
    /// those keyed at the flush, as a rebuild keys them, and a name added late is found.
    #[test]
    fn names_keyed_ahead_give_the_rows_keyed_at_the_flush() {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = flushing_at(&dir, 250);
        let actor = reg.local_actor();
        // Names repeat, as in a camp: 1,200 persons share 40 family names.
        let family = |p: u128| {
            let k = (p % 40) as usize;
            let first = ["Ba", "Ka", "Da", "Fa", "Ha", "Ja", "La", "Ma", "Na", "Ra"][k / 4];
            format!("{first}{}", ["zir", "mun", "tal", "hib"][k % 4])
        };
        let mut batch: Vec<Payload> = (0..1_200u128)
            .map(|p| registered(10 + p, format!("Samira {}", family(p))))
            .collect();
        batch.push(Payload::NameAdded {
            person: PersonId::from_u128(777),
            name: Name::new("Zainab Bouazzaoui", NameKind::Full, None),
        });
        reg.append(
            actor,
            batch.into_iter().map(|p| (Timestamp(0), p)),
            &mut |_| {},
        )
        .unwrap();
        let hits = reg
            .search(
                "Zainab Bouazzaoui",
                &crate::SearchFilters::default(),
                1,
                &|_| true,
            )
            .unwrap();
        assert_eq!(
            hits.first().map(|h| h.person),
            Some(PersonId::from_u128(777))
        );
        rebuild_in_one_flush_agrees(&mut reg);
    }
}
