//! What every change to a case starts and ends with, for the case handlers
//! ([`crate::api_cases`], [`crate::api_case_travel`]): a signed-in caller, a case id and a
//! JSON body in; 201 with the case and what the change made out, or a problem.

use crate::api::{authenticate, json_body, now_ms, path_id};
use crate::problem::Problem;
use crate::state::AppState;
use access::cases::input;
use access::User;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::ids::{CaseId, PersonId};
use model::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// A JSON object body, or a 400 showing its `shape`.
pub(crate) fn body<T: DeserializeOwned>(bytes: &Bytes, shape: &str) -> Result<T, Problem> {
    json_body(bytes, &format!("a JSON object {shape}"))
}

pub(crate) fn case_id(path: Result<Path<String>, PathRejection>) -> Result<CaseId, Problem> {
    path_id(path)
}

pub(crate) fn person(text: &str) -> Result<PersonId, Problem> {
    // An id that cannot exist is a person not found, like one the caller may not see.
    text.parse().map_err(|_| Problem::not_found())
}

pub(crate) fn when(text: &Option<String>) -> Result<Timestamp, Problem> {
    match text {
        Some(t) => Ok(input::time(t)?),
        None => Ok(Timestamp(now_ms())),
    }
}

pub(crate) fn created<T: Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

/// What every change to a case starts with: a signed-in caller, a case id (one that
/// cannot exist is 404) and a JSON body of the expected shape.
pub(crate) async fn prepare<T: DeserializeOwned>(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    path: Result<Path<String>, PathRejection>,
    bytes: &Bytes,
    shape: &str,
) -> Result<(User, CaseId, T), Problem> {
    let user = authenticate(state, headers).await?;
    Ok((user, case_id(path)?, body(bytes, shape)?))
}

/// What a change to a case answers, for the OpenAPI document (never built: handlers
/// answer with [`made`] and [`Problem`]).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum ChangeAnswers {
    /// Recorded: the case, and the report, evidence item, member or stage it made.
    #[response(status = 201)]
    Created(Done),
    /// Bad input, or a move the rules refuse: the detail says what to fix.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Not signed in.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The caller's role may not make this change.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such case or person, or one the caller may not see.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// 201 with the case and what the change made.
pub(crate) fn made(case: CaseId, id: Option<String>) -> Response {
    created(Done {
        case_id: case.to_string(),
        id,
    })
}

#[derive(Serialize, ToSchema)]
pub struct Done {
    pub case_id: String,
    /// The report, evidence item or stage the change made or recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}
