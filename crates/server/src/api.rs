//! The API's handlers (the router is in `routes`). Inputs are parsed by hand so that every malformed request gets a
//! `problem+json` 4xx rather than a framework's plain-text rejection.

use crate::problem::Problem;
use crate::state::AppState;
use access::gate::Gate;
use access::User;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use model::ids::PersonId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use store::StatsDimension;
use utoipa::ToSchema;

pub(crate) mod records;

/// Largest request body accepted (a login is a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// A request taking longer than this is cut off with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Most search results in one answer.
pub const MAX_LIMIT: usize = 200;

pub(crate) mod duplicates;

type Answer<T> = Result<Json<T>, Problem>;

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The caller: a session token from `POST /api/v1/session` (kept in memory), or an API
/// token an administrator issued for a script (`homeward user token add`), looked up in
/// the registry on the blocking pool on every request so a revocation holds at once.
pub(crate) async fn authenticate(
    state: &Arc<AppState>,
    headers: &HeaderMap,
) -> Result<User, Problem> {
    let token = bearer(headers).ok_or_else(Problem::unauthorized)?;
    if let Some(user) = state.sessions.user(token, now_ms()) {
        return Ok(user);
    }
    if !access::tokens::looks_like_api_token(token) {
        return Err(Problem::unauthorized());
    }
    let token = token.to_string();
    let st = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        st.with_registry(|reg, _| access::tokens::user_of(reg, &token, "api", now_ms()))
    })
    .await
    .map_err(Problem::internal)?
    .map_err(Problem::internal)?
    .map_err(|_| Problem::unauthorized())
}

/// Runs `f` through the access gate on the blocking pool.
pub(crate) async fn gated<T: Send + 'static>(
    state: Arc<AppState>,
    headers: HeaderMap,
    f: impl FnOnce(&Gate) -> Result<T, access::AccessError> + Send + 'static,
) -> Result<T, Problem> {
    let user = authenticate(&state, &headers).await?;
    gated_as(state, user, f).await
}

/// [`gated`] for a handler that has already authenticated the caller (to answer 401
/// before looking at its input): the bearer is not looked up twice.
pub(crate) async fn gated_as<T: Send + 'static>(
    state: Arc<AppState>,
    user: User,
    f: impl FnOnce(&Gate) -> Result<T, access::AccessError> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(move || {
        state.with_registry(|reg, dir| {
            let gate = Gate {
                registry: reg,
                directory: dir,
                user: &user,
                interface: "api",
                now_ms: now_ms(),
            };
            f(&gate)
        })
    })
    .await
    .map_err(Problem::internal)?
    .map_err(Problem::internal)?
    .map_err(Problem::from)
}

/// Runs a change through the access layer's [`access::Writer`] on the blocking pool, as
/// `user`, whom the handler has authenticated (to answer 401 before looking at its
/// input).
pub(crate) async fn written_as<T: Send + 'static>(
    state: Arc<AppState>,
    user: User,
    f: impl FnOnce(&mut access::Writer) -> Result<T, access::AccessError> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(move || {
        state.with_registry_mut(|reg, dir| {
            f(&mut access::Writer {
                registry: reg,
                directory: dir,
                user: &user,
                interface: "api",
                now_ms: now_ms(),
            })
        })
    })
    .await
    .map_err(Problem::internal)?
    .map_err(Problem::internal)?
    .map_err(Problem::from)
}

pub(crate) fn query_map(raw: Option<String>) -> HashMap<String, String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The id in a path. An id that cannot exist (or a path that does not decode) is "not
/// found", like one the caller may not see.
pub(crate) fn path_id<T: std::str::FromStr>(
    path: Result<Path<String>, PathRejection>,
) -> Result<T, Problem> {
    let Path(text) = path.map_err(|_| Problem::not_found())?;
    text.parse::<T>().map_err(|_| Problem::not_found())
}

fn person_id(path: Result<Path<String>, PathRejection>) -> Result<PersonId, Problem> {
    path_id(path)
}

/// A JSON body, or a 400 saying what was `expected` and what was wrong with it.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    expected: &str,
) -> Result<T, Problem> {
    serde_json::from_slice(body)
        .map_err(|e| Problem::bad_request(format!("expected {expected}: {e}")))
}

/// Liveness and readiness.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ready", body = String)))]
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

#[derive(Deserialize, ToSchema)]
pub struct SessionRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionToken {
    pub token: String,
}

/// Signs in; the token goes in `Authorization: Bearer TOKEN`. Repeated failures lock the
/// account for a while (429).
#[utoipa::path(post, path = "/api/v1/session", request_body = SessionRequest,
    responses(
        (status = 200, body = SessionToken),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_session(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Answer<SessionToken> {
    let req: SessionRequest = serde_json::from_slice(&body).map_err(|e| {
        Problem::bad_request(format!(
            "expected {{\"username\": ..., \"password\": ...}}: {e}"
        ))
    })?;
    if req.username.len() > 256 || req.password.len() > 1024 {
        return Err(Problem::bad_request("user name or password too long"));
    }
    let st = Arc::clone(&state);
    let user = tokio::task::spawn_blocking(move || {
        st.login(&req.username, &req.password, "api", now_ms())
    })
    .await
    .map_err(Problem::internal)?
    .map_err(Problem::internal)??;
    let token = state
        .sessions
        .start(user, now_ms())
        .map_err(Problem::internal)?;
    Ok(Json(SessionToken { token }))
}

/// Signs out: the token stops working.
#[utoipa::path(delete, path = "/api/v1/session", security(("bearer" = [])),
    responses((status = 204, description = "signed out"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn end_session(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    match bearer(&headers) {
        Some(t) if state.sessions.user(t, now_ms()).is_some() => {
            state.sessions.end(t);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => Problem::unauthorized().into_response(),
    }
}

/// A search hit, as `homeward search --json` prints it.
#[derive(Serialize, ToSchema)]
pub struct SearchHitDoc {
    pub person_id: String,
    pub score: f64,
    pub names: Vec<String>,
    /// Which name (`name`, `name_score`), index keys (`keys`), kinship (`kin`) and query
    /// hints (`fields`) matched.
    #[schema(value_type = Object)]
    pub why: serde_json::Value,
}

/// Persons the caller may see whose names match `q` in any script or spelling (kunyas,
/// nationality adjectives and camp names in `q` are understood), best first, at most
/// `limit` (default 20, at most 200).
#[utoipa::path(get, path = "/api/v1/persons", security(("bearer" = [])),
    params(("q" = String, Query, description = "text to find in any name"),
           ("limit" = Option<u32>, Query, description = "1 to 200")),
    responses((status = 200, body = [SearchHitDoc]),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn search_persons(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<Vec<access::gate::SearchHit>> {
    let params = query_map(raw);
    let q = params.get("q").cloned().unwrap_or_default();
    if q.trim().chars().count() < 2 || q.len() > 200 {
        return Err(Problem::bad_request("q must be 2 to 200 characters"));
    }
    let limit = match params.get("limit") {
        None => 20,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| Problem::bad_request("limit must be a whole number from 1 to 200"))?,
    };
    gated(state, headers, move |g| g.search(&q, limit))
        .await
        .map(Json)
}

/// One person, redacted to what the caller may see. 404 for a person who does not exist
/// and for one the caller may not see alike.
#[utoipa::path(get, path = "/api/v1/persons/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    responses((status = 200, description = "the person, redacted for the caller's role", body = Object),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read_person(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<access::redact::PersonOut> {
    let user = authenticate(&state, &headers).await?;
    let id = person_id(id)?;
    gated_as(state, user, move |g| g.person(id)).await.map(Json)
}

/// The person's claims and the reports behind them, newest first, redacted.
#[utoipa::path(get, path = "/api/v1/persons/{id}/timeline", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    responses((status = 200, description = "claims with their reports", body = [Object]),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read_timeline(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<Vec<access::redact::TimelineEntryOut>> {
    let user = authenticate(&state, &headers).await?;
    let id = person_id(id)?;
    gated_as(state, user, move |g| g.timeline(id))
        .await
        .map(Json)
}

/// An audit entry, as an admin sees it.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryDoc {
    pub seq: u64,
    pub at: i64,
    pub actor: String,
    pub interface: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Who read or touched a person (admins only).
#[utoipa::path(get, path = "/api/v1/persons/{id}/audit", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    responses((status = 200, body = [AuditEntryDoc]),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn person_audit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<Vec<store::AuditEntry>> {
    let user = authenticate(&state, &headers).await?;
    let id = person_id(id)?;
    gated_as(state, user, move |g| g.audit_of_person(id))
        .await
        .map(Json)
}

/// Counts in the shape of `homeward stats --json`; a withheld count is `null` with
/// `"suppressed": true`.
#[derive(Serialize, ToSchema)]
pub struct StatsDoc {
    pub total: Option<u64>,
    pub threshold: u64,
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<HashMap<String, serde_json::Value>>,
}

/// `by=`: dimensions, each once.
pub(crate) fn dimensions(params: &HashMap<String, String>) -> Result<Vec<StatsDimension>, Problem> {
    let mut dims = Vec::new();
    for name in params
        .get("by")
        .map(String::as_str)
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.trim().is_empty())
    {
        match StatsDimension::parse(name) {
            Some(d) if !dims.contains(&d) => dims.push(d),
            Some(_) => {}
            None => {
                return Err(Problem::bad_request(
                    "by: use any of camp, nationality, sex, age_band, status, comma-separated",
                ))
            }
        }
    }
    Ok(dims)
}

/// Suppressed cells as `homeward stats --json` groups: a key per dimension, `count`
/// (null when withheld) and `"suppressed": true` on a withheld one.
pub(crate) fn groups(
    keys: &[&'static str],
    cells: Vec<access::suppression::Cell>,
) -> Vec<HashMap<String, serde_json::Value>> {
    cells
        .into_iter()
        .map(|c| {
            let mut m: HashMap<String, serde_json::Value> = keys
                .iter()
                .zip(c.values)
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                .collect();
            m.insert("count".into(), c.count.into());
            if c.count.is_none() {
                m.insert("suppressed".into(), true.into());
            }
            m
        })
        .collect()
}

/// Counts of the persons the caller may count, by any of camp, nationality, sex,
/// age_band, status; small cells and the cells that would reveal them are withheld.
#[utoipa::path(get, path = "/api/v1/stats", security(("bearer" = [])),
    params(("by" = Option<String>, Query, description = "comma-separated: camp, nationality, sex, age_band, status")),
    responses((status = 200, body = StatsDoc),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn stats(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<StatsDoc> {
    let params = query_map(raw);
    let dims = dimensions(&params)?;
    let threshold = state.threshold;
    let year = chrono::Utc::now().year();
    let keys: Vec<&'static str> = dims.iter().map(|d| d.key()).collect();
    let table = gated(state, headers, move |g| g.stats(&dims, year, threshold)).await?;
    let groups = groups(&keys, table.cells);
    Ok(Json(StatsDoc {
        total: table.total,
        threshold: table.threshold,
        groups,
    }))
}
