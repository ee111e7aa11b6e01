//! Places as the projection tables keep them, and the camp a person counts under: read
//! by the projection's writes, its upgrades and its queries alike.

use crate::codec::decode;
use crate::error::StoreError;
use model::ids::PlaceId;
use model::place::{PlaceKind, PlaceStatusChange};
use model::projection::{PersonView, PlaceView};
use model::whereabouts::PlaceFacts;
use rusqlite::Connection;
use std::collections::HashMap;

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

/// The stored places as the model's place facts.
struct StoredPlaces<'a>(&'a HashMap<PlaceId, PlaceView>);

impl PlaceFacts for StoredPlaces<'_> {
    fn kind(&self, place: PlaceId) -> Option<PlaceKind> {
        self.0.get(&place).map(|v| v.place.kind)
    }
    fn parent(&self, place: PlaceId) -> Option<PlaceId> {
        self.0.get(&place)?.place.parent
    }
    fn status_changes(&self, place: PlaceId) -> Vec<PlaceStatusChange> {
        self.0
            .get(&place)
            .map_or_else(Vec::new, |v| v.statuses.clone())
    }
}

/// The camp a person belongs to for counting, by the model's rule
/// ([`model::as_of::camp_of_record`]): the camp of the latest claim that places them in
/// (or escaping from) a camp or one of its sections. Someone who escaped Ain Issa and
/// surfaced in Tal Abyad still counts under Ain Issa, with status on the move.
pub(crate) fn camp_of_record(
    view: &PersonView,
    places: &HashMap<PlaceId, PlaceView>,
) -> Option<PlaceId> {
    model::as_of::camp_of_record(&view.claims, &StoredPlaces(places))
}
