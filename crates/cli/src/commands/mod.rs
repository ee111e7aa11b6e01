//! One module per command group. Each parses nothing itself (clap does) and talks only to
//! the store's public API.

pub mod acting;
pub mod admin;
pub mod audit;
pub mod case;
pub mod consent;
pub mod crisis;
pub mod export;
pub mod init;
pub mod interview;
pub mod over_time;
pub mod person;
pub mod place;
pub mod report;
pub mod scoped;
pub mod search;
pub mod serve;
pub mod stats;
pub mod tasks;
pub mod token;
pub mod user;
