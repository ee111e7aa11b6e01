use store::StoreError;

/// Why the access layer refused or failed. Interfaces map these to exit codes and HTTP
/// statuses: `NotFound` covers both "no such person" and "not yours to see".
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("wrong user name or password")]
    BadCredentials,
    #[error("this account is locked after repeated failed logins; try again after {until_utc}")]
    LockedOut { until_utc: String },
    #[error("the role {role} may not {what}")]
    Forbidden {
        role: &'static str,
        what: &'static str,
    },
    #[error("no such person")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An export could not be written where it was going (a full disk, a closed pipe).
    #[error("{0}")]
    Output(String),
}
