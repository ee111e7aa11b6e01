//! `/api/v1/duplicates`: the review queue, one candidate with both persons side by side,
//! a decision (match merges), and undoing a merge. Everything goes through
//! `access::Gate` and `access::Writer` (see `access::duplicates` for who may do what): a
//! pair the caller may not both see is 404, like a person.

use super::{authenticate, gated, gated_as, query_map, Answer};
use crate::api::{json_body, path_id, written_as};
use crate::problem::Problem;
use crate::state::AppState;
use access::duplicates::{CandidateOut, DecisionOut, MergeOut, QueueOut};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use model::ids::{CandidateId, MergeId, PersonId};
use model::merge::MatchDecision;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// Most candidates in one answer.
const MAX_QUEUE: usize = 500;

/// The review queue: pending and unsure pairs of records that may be one person, whose
/// two persons the caller may both see, strongest first. `total` counts only those.
#[utoipa::path(get, path = "/api/v1/duplicates", security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, description = "1 to 500 (default 50)")),
    responses((status = 200, description = "the caller's queue", body = Object),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn list_duplicates(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<QueueOut> {
    let limit = match query_map(raw).get("limit") {
        None => 50,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_QUEUE).contains(n))
            .ok_or_else(|| Problem::bad_request("limit must be a whole number from 1 to 500"))?,
    };
    gated(state, headers, move |g| g.duplicate_queue(limit))
        .await
        .map(Json)
}

/// One candidate: both persons side by side (redacted for the caller), the evidence and
/// the history. 404 unless the caller may see both persons.
#[utoipa::path(get, path = "/api/v1/duplicates/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "candidate id (UUID)")),
    responses((status = 200, description = "the candidate", body = Object),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read_duplicate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<CandidateOut> {
    let user = authenticate(&state, &headers).await?;
    let id: CandidateId = path_id(id)?;
    gated_as(state, user, move |g| g.duplicate(id))
        .await
        .map(Json)
}

/// A reviewer's decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// `match` (merges the two persons), `not_a_match` (remembered) or `unsure`.
    pub decision: String,
    /// Why; kept with the decision.
    #[serde(default)]
    pub note: String,
    /// For a match: the person to keep (the other's id then resolves to it).
    #[serde(default)]
    pub keep: Option<String>,
}

/// Decides on a candidate. A match merges the two persons (one event, undoable).
#[utoipa::path(post, path = "/api/v1/duplicates/{id}/decision", security(("bearer" = [])),
    params(("id" = String, Path, description = "candidate id (UUID)")),
    request_body = DecisionRequest,
    responses((status = 200, description = "what the decision did", body = Object),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn decide_duplicate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Answer<DecisionOut> {
    let user = authenticate(&state, &headers).await?;
    let id: CandidateId = path_id(id)?;
    let req: DecisionRequest = json_body(
        &body,
        r#"{"decision": "match" | "not_a_match" | "unsure", "note": ..., "keep": ...}"#,
    )?;
    let decision = MatchDecision::parse(&req.decision)
        .ok_or_else(|| Problem::bad_request("decision: use match, not_a_match or unsure"))?;
    let keep = match req.keep.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            k.parse::<PersonId>()
                .map_err(|_| Problem::bad_request("keep: give a person id (UUID)"))?,
        ),
    };
    written_as(state, user, move |w| {
        w.decide_duplicate(id, decision, &req.note, keep)
    })
    .await
    .map(Json)
}

/// Why a merge is undone.
#[derive(Deserialize, ToSchema, Default)]
pub struct UndoRequest {
    #[serde(default)]
    pub note: String,
}

/// Undoes a merge: the two records are separate persons again, exactly as if the merge
/// had never happened. 404 unless the caller may see the merged person.
#[utoipa::path(post, path = "/api/v1/duplicates/merges/{id}/undo", security(("bearer" = [])),
    params(("id" = String, Path, description = "merge id (UUID)")),
    request_body = UndoRequest,
    responses((status = 200, description = "the merge, now undone", body = Object),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn undo_merge(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Answer<MergeOut> {
    let user = authenticate(&state, &headers).await?;
    let id: MergeId = path_id(id)?;
    let req: UndoRequest = if body.is_empty() {
        UndoRequest::default()
    } else {
        json_body(&body, r#"{"note": ...}"#)?
    };
    written_as(state, user, move |w| w.undo_merge(id, &req.note))
        .await
        .map(Json)
}
