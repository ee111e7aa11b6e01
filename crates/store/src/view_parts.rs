//! A person's view is stored in two parts: the whereabouts in the narrow `persons` row,
//! everything else in `person_views`.
//!
//! Why: a crisis changes the whereabouts of every person in a camp and nothing else of
//! them. With the whole view in one row, it rewrote about 550 bytes a person (69,631 of
//! them in Al-Hol) and the commit encrypted every page they sat on; now it rewrites a
//! row of about 150 bytes and leaves `person_views` alone.
//!
//! The parts are the postcard encoding of the whole view cut in two: postcard writes a
//! struct's fields in order with nothing around them, and `whereabouts` is the last field
//! of [`PersonView`], so the view's bytes are the rest's bytes followed by the
//! whereabouts' bytes. [`split`] checks this on every write, so a field added after
//! `whereabouts` fails loudly instead of storing views that do not read back.

use crate::codec::{decode, encode};
use crate::error::StoreError;
use model::projection::PersonView;
use model::whereabouts::Whereabouts;

/// The two stored parts of one view.
pub(crate) struct Parts {
    /// For `person_views.view`.
    pub rest: Vec<u8>,
    /// For `persons.whereabouts`.
    pub whereabouts: Vec<u8>,
}

/// `view` cut into its stored parts.
pub(crate) fn split(view: &PersonView) -> Result<Parts, StoreError> {
    let mut rest = encode(view)?;
    let whereabouts = whereabouts(&view.whereabouts)?;
    if !rest.ends_with(&whereabouts) {
        return Err(StoreError::Corrupt(
            "a person's view no longer ends with its whereabouts".into(),
        ));
    }
    rest.truncate(rest.len() - whereabouts.len());
    Ok(Parts { rest, whereabouts })
}

/// The `persons.whereabouts` part alone (a crisis writes nothing else of a person).
pub(crate) fn whereabouts(whereabouts: &Whereabouts) -> Result<Vec<u8>, StoreError> {
    encode(whereabouts)
}

/// The view read back from its two parts.
pub(crate) fn join(rest: &[u8], whereabouts: &[u8]) -> Result<PersonView, StoreError> {
    let mut bytes = Vec::with_capacity(rest.len() + whereabouts.len());
    bytes.extend_from_slice(rest);
    bytes.extend_from_slice(whereabouts);
    decode(&bytes)
}

/// The columns a read of whole views selects, and the tables it joins: `rest` first,
/// then `whereabouts`. Persons are aliased `p`.
pub(crate) const VIEW_COLUMNS: &str = "v.view, p.whereabouts";
pub(crate) const VIEW_TABLES: &str = "persons p JOIN person_views v ON v.id = p.id";

/// The view in columns `at` and `at + 1` of a row that selected [`VIEW_COLUMNS`], read in
/// place (a list of persons decodes thousands).
pub(crate) fn from_row(row: &rusqlite::Row, at: usize) -> Result<PersonView, StoreError> {
    let part = |i: usize| -> Result<&[u8], StoreError> {
        Ok(row.get_ref(i)?.as_blob().map_err(rusqlite::Error::from)?)
    };
    join(part(at)?, part(at + 1)?)
}

/// A person's stored columns, not yet decoded.
pub(crate) struct StoredView {
    /// `person_views.view`.
    pub rest: Vec<u8>,
    /// `persons.whereabouts`.
    pub whereabouts: Vec<u8>,
    /// `persons.camp`.
    pub camp: Option<Vec<u8>>,
}

impl StoredView {
    pub(crate) fn view(&self) -> Result<PersonView, StoreError> {
        join(&self.rest, &self.whereabouts)
    }
}

/// One person's stored columns by id. Two look-ups by key rather than one join: inside
/// an append SQLite prepared the joined statement again at every run (found with the
/// statement's re-prepare counter; a tenth of an append went on it), the single-table
/// ones not.
pub(crate) fn one(
    conn: &rusqlite::Connection,
    id: &[u8; 16],
) -> Result<Option<StoredView>, StoreError> {
    use rusqlite::OptionalExtension;
    let Some((whereabouts, camp)) = conn
        .prepare_cached("SELECT whereabouts, camp FROM persons WHERE id = ?1")?
        .query_row([id.as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    let rest: Vec<u8> = conn
        .prepare_cached("SELECT view FROM person_views WHERE id = ?1")?
        .query_row([id.as_slice()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt("a person has no stored view".into()))?;
    Ok(Some(StoredView {
        rest,
        whereabouts,
        camp,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ids::{PersonId, PlaceId};
    use model::whereabouts::WhereaboutsStatus;

    #[test]
    fn a_view_split_and_joined_is_the_same_view() {
        let mut view = PersonView::stub(PersonId::from_u128(7));
        view.registered = true;
        view.whereabouts.status = WhereaboutsStatus::UnaccountedFor;
        view.whereabouts.place = Some(PlaceId::from_u128(3));
        view.whereabouts.confidence = 0.5;
        let parts = split(&view).unwrap();
        assert!(!parts.whereabouts.is_empty());
        assert_eq!(join(&parts.rest, &parts.whereabouts).unwrap(), view);
        assert_eq!(parts.whereabouts, whereabouts(&view.whereabouts).unwrap());
    }

    #[test]
    fn parts_of_two_views_do_not_join_into_a_third() {
        let mut a = PersonView::stub(PersonId::from_u128(1));
        a.whereabouts.status = WhereaboutsStatus::UnaccountedFor;
        let b = PersonView::stub(PersonId::from_u128(2));
        let (a, b) = (split(&a).unwrap(), split(&b).unwrap());
        let joined = join(&a.rest, &b.whereabouts).unwrap();
        assert_eq!(joined.id, PersonId::from_u128(1));
        assert_eq!(joined.whereabouts.status, WhereaboutsStatus::Unknown);
    }

    #[test]
    fn a_cut_part_is_a_damaged_file() {
        let parts = split(&PersonView::stub(PersonId::from_u128(1))).unwrap();
        let short = &parts.rest[..parts.rest.len() / 2];
        assert!(matches!(
            join(short, &parts.whereabouts[..1]),
            Err(StoreError::Corrupt(_))
        ));
    }
}
