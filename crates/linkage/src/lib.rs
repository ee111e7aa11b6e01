//! Record linkage for the registry: blocking, Fellegi–Sunter scoring with parameters
//! learnt by EM, term-frequency adjustment, and clustering that does not chain.
//!
//! Pure compute: records come in as a [`Table`] in memory, results go out as values.
//! The model is a TOML file ([`Model`]); the built-in `person` preset ([`person`]) adds
//! cross-script names, kunyas and household (collective) evidence for camp lists.

pub mod birth;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod model;
pub mod person;
pub mod similarity;
mod spelling;
pub mod table;

pub use cluster::Link;
pub use engine::{probability, weight_of, Linker, Options, Progress, Silent, Task};
pub use error::{LinkError, ModelError};
pub use model::Model;
pub use table::Table;
