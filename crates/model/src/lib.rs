//! The domain of Homeward: people, places, reports, claims, tasks; the events that change
//! them; and the projections that derive current state (whereabouts above all) from events.
//!
//! Pure: no I/O, no clock, no randomness. Callers supply times and ids.

pub mod actor;
pub mod as_of;
pub mod batch;
pub mod case;
pub mod claim;
pub mod consent;
pub mod country;
pub mod crisis;
pub mod event;
pub mod ids;
pub mod interview;
pub mod person;
pub mod place;
pub mod projection;
pub mod report;
pub mod task;
pub mod time;
pub mod whereabouts;

pub use country::CountryCode;
pub use ids::*;
