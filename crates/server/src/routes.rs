//! The application: the API's routes, the OpenAPI document and the web UI's pages on one
//! router, with the limits every request gets.

use crate::api::{
    create_session, end_session, healthz, person_audit, read_person, read_timeline, search_persons,
    stats, MAX_BODY_BYTES, REQUEST_TIMEOUT,
};
use crate::openapi;
use crate::problem::Problem;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Builds the application with its limits.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/session", post(create_session).delete(end_session))
        .route("/api/v1/persons", get(search_persons))
        .route("/api/v1/persons/{id}", get(read_person))
        .route("/api/v1/persons/{id}/timeline", get(read_timeline))
        .route("/api/v1/persons/{id}/audit", get(person_audit))
        .route("/api/v1/stats", get(stats))
        .merge(crate::api_cases::routes())
        .route("/api/v1/openapi.json", get(openapi::openapi))
        // The API's bodies are small; the web UI's forms carry report texts and have a
        // limit of their own.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(crate::api::records::routes())
        .merge(crate::web::routes())
        .fallback(|| async { Problem::not_found() })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed on this path",
            )
        })
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}
