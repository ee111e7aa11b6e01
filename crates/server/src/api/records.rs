//! API handlers for interviews, consent, counts over time and exports. Like every
//! handler they authenticate, parse by hand (a malformed request is a 4xx problem, never
//! a 5xx) and ask the access layer, which decides, redacts, suppresses and audits.
//!
//! These routes have a body limit of their own ([`RECORD_BODY_BYTES`]): an interview's
//! transcript can be long.

use super::{authenticate, dimensions, gated_as, groups, now_ms, person_id, query_map, Answer};
use crate::api::{json_body, written_as};
use crate::problem::Problem;
use crate::state::AppState;
use access::consent::{ConsentInput, ConsentOut, InterviewInput, InterviewOut};
use access::export::{ExportFormat, ExportRequest, ExportScope};
use access::AccessError;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::as_of::{period_ends, Every};
use model::consent::{Decision, Evidence, Purpose};
use model::interview::{Attachment, MediaType};
use model::report::AttachmentHash;
use model::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::{OpenApi, ToSchema};

/// Largest body on these routes: an interview with a long transcript.
pub const RECORD_BODY_BYTES: usize = 1024 * 1024;

/// The routes, with their own body limit; merged beside the API's.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/api/v1/persons/{id}/consent",
            get(read_consent).post(record_consent),
        )
        .route("/api/v1/persons/{id}/interviews", get(read_interviews))
        .route("/api/v1/interviews", post(record_interview))
        .route("/api/v1/stats/over-time", get(stats_over_time))
        .route("/api/v1/export", get(export))
        .layer(RequestBodyLimitLayer::new(RECORD_BODY_BYTES))
}

/// The OpenAPI paths of this module, merged into the API's document.
#[derive(OpenApi)]
#[openapi(
    paths(
        read_consent,
        record_consent,
        read_interviews,
        record_interview,
        stats_over_time,
        export
    ),
    components(schemas(
        ConsentRequest,
        EvidenceDoc,
        InterviewRequest,
        AttachmentDoc,
        Created,
        PeriodsDoc,
        PeriodDoc
    ))
)]
pub struct RecordsDoc;

/// RFC 3339, or a day (YYYY-MM-DD, midnight UTC); absent: now.
fn parse_at(text: Option<&str>) -> Result<Timestamp, Problem> {
    let Some(t) = text else {
        return Ok(Timestamp(now_ms()));
    };
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t.trim()) {
        return Ok(Timestamp(dt.timestamp_millis()));
    }
    chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
        .map(Timestamp::at_date)
        .map_err(|_| {
            Problem::bad_request(format!("'{t}' is not a time: use RFC 3339 or YYYY-MM-DD"))
        })
}

fn parse_person(text: &str, field: &str) -> Result<model::ids::PersonId, Problem> {
    text.parse()
        .map_err(|_| Problem::bad_request(format!("{field}: '{text}' is not a person id")))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    /// The id of what was recorded.
    pub id: String,
}

type Recorded = Result<(StatusCode, Json<Created>), Problem>;

fn created(id: impl std::fmt::Display) -> Recorded {
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// What a consent decision rests on: exactly one of the three.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDoc {
    /// An interview id (the interview must be with the person or the guardian).
    pub interview: Option<String>,
    /// A report id.
    pub report: Option<String>,
    /// The BLAKE3 of a signed form kept outside the registry (64 hex digits).
    pub form_blake3: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// tracing, sharing:CC, research, use_of_name, use_of_image or publication.
    pub purpose: String,
    /// granted, refused or revoked.
    pub decision: String,
    /// When it was decided (RFC 3339 or YYYY-MM-DD); default now.
    pub at: Option<String>,
    /// For a child: the parent or guardian who decided (a person id).
    pub guardian: Option<String>,
    pub evidence: EvidenceDoc,
}

fn evidence(e: &EvidenceDoc) -> Result<Evidence, Problem> {
    let bad = |what: &str| Problem::bad_request(format!("evidence: {what}"));
    match (&e.interview, &e.report, &e.form_blake3) {
        (Some(i), None, None) => i
            .parse()
            .map(Evidence::Interview)
            .map_err(|_| bad("not an interview id")),
        (None, Some(r), None) => r
            .parse()
            .map(Evidence::Report)
            .map_err(|_| bad("not a report id")),
        (None, None, Some(h)) => AttachmentHash::from_hex(h)
            .map(Evidence::SignedForm)
            .map_err(|e| bad(&e.to_string())),
        _ => Err(bad("give exactly one of interview, report, form_blake3")),
    }
}

/// A person's consent: each purpose now and every decision, as the caller may see it
/// (a consul sees only decisions about their own government; a researcher, research).
#[utoipa::path(get, path = "/api/v1/persons/{id}/consent", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    responses((status = 200, description = "consent now and its history", body = Object),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read_consent(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<ConsentOut> {
    let user = authenticate(&state, &headers).await?;
    let id = person_id(id)?;
    gated_as(state, user, move |g| g.consent_of(id))
        .await
        .map(Json)
}

/// Records a consent decision (admin, caseworker, tracing, child protection). A
/// revocation needs a grant in force; a child's decision is a parent's or guardian's.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consent", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    request_body = ConsentRequest,
    responses((status = 201, body = Created),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "body too large")))]
pub(crate) async fn record_consent(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Recorded {
    let user = authenticate(&state, &headers).await?;
    let person = person_id(id)?;
    let req: ConsentRequest = json_body(&body, "{\"purpose\", \"decision\", \"evidence\": {...}}")?;
    let input = ConsentInput {
        person,
        purpose: Purpose::parse(&req.purpose).map_err(|e| Problem::bad_request(e.to_string()))?,
        decision: Decision::parse(&req.decision)
            .map_err(|e| Problem::bad_request(e.to_string()))?,
        at: parse_at(req.at.as_deref())?,
        guardian: req
            .guardian
            .as_deref()
            .map(|g| parse_person(g, "guardian"))
            .transpose()?,
        evidence: evidence(&req.evidence)?,
    };
    created(written_as(state, user, move |w| w.record_consent(input)).await?)
}

/// The interviews a person took part in, oldest first; transcripts opened only for the
/// roles holding the transcript key.
#[utoipa::path(get, path = "/api/v1/persons/{id}/interviews", security(("bearer" = [])),
    params(("id" = String, Path, description = "person id (UUID)")),
    responses((status = 200, description = "interviews, redacted for the caller", body = [Object]),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read_interviews(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<Vec<InterviewOut>> {
    let user = authenticate(&state, &headers).await?;
    let id = person_id(id)?;
    gated_as(state, user, move |g| g.interviews_of(id))
        .await
        .map(Json)
}

/// A file recorded during an interview, by hash (the file itself is not sent).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentDoc {
    /// BLAKE3 of the file, 64 hex digits.
    pub blake3: String,
    pub size: u64,
    /// e.g. audio/ogg, image/jpeg.
    pub media_type: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewRequest {
    /// Person ids.
    pub persons: Vec<String>,
    /// RFC 3339 or YYYY-MM-DD; default now.
    pub at: Option<String>,
    /// A place id.
    pub place: Option<String>,
    pub interviewers: Vec<String>,
    /// BCP 47 tag: ar, fr, nl-BE.
    pub language: String,
    pub interpreter: Option<String>,
    /// Stored sealed.
    pub transcript: Option<String>,
    #[serde(default)]
    pub attachments: Vec<AttachmentDoc>,
}

fn interview_input(req: InterviewRequest) -> Result<InterviewInput, Problem> {
    let persons = req
        .persons
        .iter()
        .map(|p| parse_person(p, "persons"))
        .collect::<Result<Vec<_>, _>>()?;
    let place = req
        .place
        .as_deref()
        .map(|p| {
            p.parse()
                .map_err(|_| Problem::bad_request("place: not a place id"))
        })
        .transpose()?;
    let attachments = req
        .attachments
        .iter()
        .map(|a| {
            Ok(Attachment {
                hash: AttachmentHash::from_hex(&a.blake3)
                    .map_err(|e| Problem::bad_request(format!("attachments: {e}")))?,
                size: a.size,
                media_type: MediaType::parse(&a.media_type)
                    .map_err(|e| Problem::bad_request(format!("attachments: {e}")))?,
            })
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    Ok(InterviewInput {
        at: parse_at(req.at.as_deref())?,
        place,
        interviewers: req.interviewers,
        language: req.language,
        interpreter: req.interpreter,
        persons,
        transcript: req.transcript,
        attachments,
    })
}

/// Records an interview (the roles that record reports), every person named being one
/// the caller sees. The transcript is sealed before it is stored.
#[utoipa::path(post, path = "/api/v1/interviews", security(("bearer" = [])),
    request_body = InterviewRequest,
    responses((status = 201, body = Created),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "body too large")))]
pub(crate) async fn record_interview(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Recorded {
    let user = authenticate(&state, &headers).await?;
    let req: InterviewRequest =
        json_body(&body, "{\"persons\", \"interviewers\", \"language\", ...}")?;
    let input = interview_input(req)?;
    created(written_as(state, user, move |w| w.record_interview(input)).await?)
}

/// The ends of the periods `from`..`to` (default today) every `every` (default day).
fn periods(params: &HashMap<String, String>) -> Result<Vec<Timestamp>, Problem> {
    let day = |name: &str| -> Result<Option<chrono::NaiveDate>, Problem> {
        params
            .get(name)
            .map(|t| {
                chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                    .map_err(|_| Problem::bad_request(format!("{name}: write YYYY-MM-DD")))
            })
            .transpose()
    };
    let from = day("from")?
        .ok_or_else(|| Problem::bad_request("from: the first day is required (YYYY-MM-DD)"))?;
    let to = day("to")?.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let every = match params.get("every") {
        None => Every::Day,
        Some(e) => Every::parse(e).ok_or_else(|| Problem::bad_request("every: use day or week"))?,
    };
    period_ends(from, to, every).map_err(|e| Problem::bad_request(e.to_string()))
}

#[derive(Serialize, ToSchema)]
pub struct PeriodDoc {
    /// The last day of the period.
    pub as_of: String,
    pub total: Option<u64>,
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<HashMap<String, serde_json::Value>>,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodsDoc {
    pub threshold: u64,
    pub periods: Vec<PeriodDoc>,
}

/// Counts at the end of each day or week from `from` to `to`, by any of camp,
/// nationality, sex, age_band, status as they stood then; each period suppressed.
#[utoipa::path(get, path = "/api/v1/stats/over-time", security(("bearer" = [])),
    params(("by" = Option<String>, Query, description = "comma-separated: camp, nationality, sex, age_band, status"),
           ("from" = String, Query, description = "first day, YYYY-MM-DD"),
           ("to" = Option<String>, Query, description = "last day, YYYY-MM-DD (default today)"),
           ("every" = Option<String>, Query, description = "day (default) or week")),
    responses((status = 200, body = PeriodsDoc),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn stats_over_time(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<PeriodsDoc> {
    let user = authenticate(&state, &headers).await?;
    let params = query_map(raw);
    let dims = dimensions(&params)?;
    let days = periods(&params)?;
    let threshold = state.threshold;
    let keys: Vec<&'static str> = dims.iter().map(|d| d.key()).collect();
    let tables = gated_as(state, user, move |g| {
        g.stats_over_time(&dims, &days, threshold)
    })
    .await?;
    let k = tables.first().map_or(threshold, |t| t.table.threshold);
    let periods = tables
        .into_iter()
        .map(|p| PeriodDoc {
            as_of: p.as_of.date().map(|d| d.to_string()).unwrap_or_default(),
            total: p.table.total,
            groups: groups(&keys, p.table.cells),
        })
        .collect();
    Ok(Json(PeriodsDoc {
        threshold: k,
        periods,
    }))
}

fn export_request(params: &HashMap<String, String>) -> Result<ExportRequest, Problem> {
    let bad = |e: AccessError| Problem::bad_request(e.to_string());
    let format = ExportFormat::parse(params.get("format").map(String::as_str).unwrap_or("jsonl"))
        .map_err(bad)?;
    let mut scope = params
        .get("scope")
        .map(|s| ExportScope::parse(s))
        .transpose()
        .map_err(bad)?;
    if let Some(ExportScope::Counts { by, days }) = scope.as_mut() {
        let asked = dimensions(params)?;
        if !asked.is_empty() {
            *by = asked;
        }
        if params.contains_key("from") {
            *days = periods(params)?;
        }
    }
    Ok(ExportRequest { format, scope })
}

/// Exports what the caller may see (see `docs/access.md`): person records redacted for
/// the role (a consul's: only persons who granted sharing with their government; a
/// researcher's: the pseudonymised extract), `government:CC`, `publication`, or `counts`
/// (suppressed; a coordinator's only kind). Audited per export and per person.
#[utoipa::path(get, path = "/api/v1/export", security(("bearer" = [])),
    params(("format" = Option<String>, Query, description = "jsonl (default), csv or hxl"),
           ("scope" = Option<String>, Query, description = "persons, government:CC, publication or counts"),
           ("by" = Option<String>, Query, description = "counts: comma-separated dimensions"),
           ("from" = Option<String>, Query, description = "counts over time: first day"),
           ("to" = Option<String>, Query, description = "counts over time: last day"),
           ("every" = Option<String>, Query, description = "counts over time: day or week")),
    responses((status = 200, description = "the export file", content(
            (String = "application/x-ndjson"),
            (String = "text/csv"))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn export(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let user = authenticate(&state, &headers).await?;
    let request = export_request(&query_map(raw))?;
    let threshold = state.threshold;
    let format = request.format;
    let body = gated_as(state, user, move |g| {
        let mut out = Vec::new();
        g.export(&request, threshold, &mut out)?;
        Ok(out)
    })
    .await?;
    let disposition = format!(
        "attachment; filename=\"homeward-export.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
