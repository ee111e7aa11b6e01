//! `application/problem+json` errors (RFC 9457). Every failure a handler returns is one
//! of these; details never include stored data.

use access::AccessError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such resource")
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "sign in with POST /api/v1/session and send Authorization: Bearer TOKEN",
        )
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        // Logged for the operator; the client learns only that it failed.
        eprintln!("homeward serve: internal error: {detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl From<AccessError> for Problem {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::BadCredentials => Self::new(StatusCode::UNAUTHORIZED, e.to_string()),
            AccessError::LockedOut { .. } => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, e.to_string())
            }
            AccessError::Forbidden { .. } => Self::new(StatusCode::FORBIDDEN, e.to_string()),
            AccessError::NotFound => Self::not_found(),
            AccessError::Invalid(d) => Self::bad_request(d),
            AccessError::Hash(_) | AccessError::Store(_) | AccessError::Output(_) => {
                Self::internal(e)
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}
