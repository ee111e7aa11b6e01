//! Typed errors of the engine. Row numbers are 0-based indexes into the records given;
//! the caller, which knows the file, turns them into file lines.

use thiserror::Error;

/// A model file that cannot be used.
#[derive(Debug, Error)]
pub enum ModelError {
    /// Not valid TOML, or not the shape of a model (the message has line and column).
    #[error("{0}")]
    Toml(String),
    /// Valid TOML whose content makes no sense.
    #[error("{0}")]
    Invalid(String),
}

/// Linking failed.
#[derive(Debug, Error)]
pub enum LinkError {
    /// The model is unusable.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The model reads a column the records do not have.
    #[error("the model uses column {column:?} ({used_by}), which the input does not have")]
    MissingColumn { column: String, used_by: String },
    /// A value cannot be read as the model needs it (e.g. a date that is not a date).
    #[error("record {row}, column {column:?}: {value:?} is not {expected}")]
    BadValue {
        row: usize,
        column: String,
        value: String,
        expected: &'static str,
    },
    /// There is nothing to link.
    #[error("{0}")]
    Empty(String),
}
