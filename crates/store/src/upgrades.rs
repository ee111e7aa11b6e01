//! Schema upgrades that fold the log again into tables a newer schema added or changed:
//! consent and interviews (schema 6) and case views (schema 8). Each reads the log in
//! order inside the caller's transaction; `schema.rs` decides when they run and records
//! the new version in the same transaction.

use crate::error::StoreError;
use crate::state::{SqlState, FLUSH_AT};
use model::consent::ConsentView;
use model::event::{Event, Payload};
use rusqlite::Connection;

/// Calls `each` with every event of the log, in log order.
fn each_event(
    tx: &Connection,
    mut each: impl FnMut(Event) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = tx.prepare("SELECT position, bytes FROM events ORDER BY position")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let position: i64 = row.get(0)?;
        let bytes = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
        let event = Event::decode(bytes).map_err(|e| {
            StoreError::Corrupt(format!("event at position {position} does not decode: {e}"))
        })?;
        each(event)?;
    }
    Ok(())
}

/// Schema 5 → 6: creates the interview and consent tables and folds in the interviews and
/// consent decisions the log holds.
pub(crate) fn fold_consents(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch(crate::consent::CONSENT_DDL)?;
    each_event(tx, |event| {
        match event.payload {
            Payload::InterviewRecorded { interview } => {
                crate::consent::put_interview(tx, &interview)?
            }
            Payload::ConsentRecorded { consent } => {
                let mut view = crate::consent::consents(tx, consent.person)?
                    .unwrap_or_else(|| ConsentView::new(consent.person));
                view.record(consent);
                crate::consent::put_consents(tx, &view)?;
            }
            _ => {}
        }
        Ok(())
    })
}

/// Schema 7 → 8: a case's stored view gained who travels and who was removed, so views
/// written before schema 8 no longer decode. The case tables are emptied and the log's
/// case events folded again, in log order (other tables are untouched: a case event
/// changes nothing else).
pub(crate) fn refill_cases(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch("DELETE FROM case_members; DELETE FROM cases;")?;
    let mut state = SqlState::new(tx, FLUSH_AT)?;
    each_event(tx, |event| {
        if matches!(event.payload, Payload::CaseChanged { .. }) {
            model::projection::apply(&event, &mut state)
                .map_err(|e| StoreError::Apply(e.to_string()))?;
        }
        Ok(())
    })?;
    state.flush()
}
