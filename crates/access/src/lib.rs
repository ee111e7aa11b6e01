//! The one layer every interface reads and writes through: who the caller is
//! ([`identity`]), what their role lets them see ([`policy`], pure and table-tested),
//! what a person looks like to them ([`redact`]), which counts may leave the system
//! ([`suppression`]), and the audited gate that ties these to the registry ([`gate`]).
//!
//! The CLI, the HTTP API and (later) exports and sync call [`gate::Gate`]; none of them
//! decides visibility or redaction on its own.

pub mod cases;
pub mod consent;
pub mod directory;
pub mod error;
pub mod export;
pub mod gate;
pub mod identity;
pub mod policy;
pub mod redact;
pub mod role;
pub mod suppression;
pub mod tasks;
pub mod tokens;
pub mod trend;
pub mod views;
pub mod writes;

pub use directory::Directory;
pub use error::AccessError;
pub use gate::Gate;
pub use identity::User;
pub use role::Role;
pub use writes::Writer;
