//! Who travels in a case, through the API: `POST /api/v1/cases/{id}/travel` marks a
//! member as staying behind or travelling again, `POST /api/v1/cases/{id}/removals`
//! takes a member out of the case; each with its reason, through [`access::Writer`]
//! like every other case change (a case or person the caller may not see is 404).

use crate::api::written_as;
use crate::api_case_change::{made, person, prepare, when, ChangeAnswers};
use crate::problem::Problem;
use crate::state::AppState;
use access::User;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use model::case::{Removal, TravelChange};
use model::ids::CaseId;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelDecided {
    pub person_id: String,
    /// false: the member stays behind; true: a member who was staying travels again.
    pub travels: bool,
    /// Why ("stays with her grandmother in Hasakah").
    pub reason: String,
    /// When it was decided (default now).
    pub at: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRemoved {
    pub person_id: String,
    /// Why ("added by mistake").
    pub reason: String,
    /// When it took effect (default now).
    pub at: Option<String>,
}

/// Marks a member as staying behind (no travel document is then asked for them) or as
/// travelling again; refused once the case has arrived or is closed, saying why.
#[utoipa::path(post, path = "/api/v1/cases/{id}/travel", security(("bearer" = [])), request_body = TravelDecided,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn travel(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, TravelDecided) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"person_id\": ..., \"travels\": false, \"reason\": ...}",
    )
    .await?;
    let change = TravelChange {
        person: person(&req.person_id)?,
        travels: req.travels,
        at: when(&req.at)?,
        reason: req.reason,
    };
    let p = change.person;
    written_as(state, user, move |w| w.change_travel(id, change)).await?;
    Ok(made(id, Some(p.to_string())))
}

/// Takes a member (never the principal) out of the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/removals", security(("bearer" = [])), request_body = MemberRemoved,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn removal(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, MemberRemoved) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"person_id\": ..., \"reason\": ...}",
    )
    .await?;
    let removal = Removal {
        person: person(&req.person_id)?,
        at: when(&req.at)?,
        reason: req.reason,
    };
    let p = removal.person;
    written_as(state, user, move |w| w.remove_case_member(id, removal)).await?;
    Ok(made(id, Some(p.to_string())))
}
