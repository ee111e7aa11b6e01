//! Places as the projection tables keep them, and the camp a person counts under: read
//! by the projection's writes, its upgrades and its queries alike.

use crate::codec::decode;
use crate::error::StoreError;
use model::claim::ClaimKind;
use model::ids::PlaceId;
use model::place::PlaceKind;
use model::projection::{PersonView, PlaceView};
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
