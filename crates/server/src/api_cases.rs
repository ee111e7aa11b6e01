//! `/api/v1/cases`: repatriation cases through the access layer — the board, lists, one
//! case, and the changes (open, stage, documents, members, handovers, wishes, legal
//! records, evidence, authorship; who travels and removals are in
//! [`crate::api_case_travel`]). Reads go through [`access::Gate`], changes through
//! [`access::Writer`], with interface `api`. Bodies are JSON, parsed by hand so that a
//! malformed one is a 400 problem saying what to fix; a case or person the caller may
//! not see is 404, like one that does not exist.

use crate::api::{authenticate, gated_as, query_map, written_as};
use crate::api_case_change::{
    body, case_id, created, made, person, prepare, when, ChangeAnswers, Done,
};
use crate::problem::Problem;
use crate::state::AppState;
use access::cases::input;
use access::cases::writes::{AuthorshipInput, EvidenceInput, ReportRef};
use access::User;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use model::case::{Author, CaseDocument, Decision, Handover, Transition};
use model::ids::{CaseId, EvidenceId, ReportId};
use model::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

type Answer<T> = Result<Json<T>, Problem>;

#[derive(Serialize, ToSchema)]
pub struct CaseCreated {
    pub case_id: String,
}

/// The board: per country the caller may see, cases by stage as of `as_of` (default
/// now) with the time each spent in every stage; a coordinator gets counts per country
/// and stage with small cells withheld (`mode: counts`).
#[utoipa::path(get, path = "/api/v1/cases/board", security(("bearer" = [])),
    params(("as_of" = Option<String>, Query, description = "YYYY-MM-DD or RFC 3339; default now")),
    responses((status = 200, description = "the board", body = Object),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn board(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<access::cases::board::BoardOut> {
    let user = authenticate(&state, &headers).await?;
    let at = when(&query_map(raw).get("as_of").cloned())?;
    let threshold = state.threshold;
    gated_as(state, user, move |g| g.case_board(at, threshold))
        .await
        .map(Json)
}

/// The cases the caller may read, optionally of one country and at one stage.
#[utoipa::path(get, path = "/api/v1/cases", security(("bearer" = [])),
    params(("country" = Option<String>, Query, description = "ISO 3166 alpha-2"),
           ("stage" = Option<String>, Query, description = "a case stage, e.g. decision_pending")),
    responses((status = 200, description = "case lines", body = [Object]),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Answer<Vec<access::cases::view::CaseSummary>> {
    let user = authenticate(&state, &headers).await?;
    let q = query_map(raw);
    let filter = store::CaseFilter {
        country: q.get("country").map(|c| input::country(c)).transpose()?,
        stage: q.get("stage").map(|s| input::stage(s)).transpose()?,
    };
    gated_as(state, user, move |g| {
        g.case_list(&filter, Timestamp(g.now_ms))
    })
    .await
    .map(Json)
}

/// One case as the caller may see it.
#[utoipa::path(get, path = "/api/v1/cases/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "case id (UUID)")),
    responses((status = 200, description = "the case", body = Object),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn read(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Answer<access::cases::view::CaseOut> {
    let user = authenticate(&state, &headers).await?;
    let id = case_id(id)?;
    gated_as(state, user, move |g| g.case(id)).await.map(Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCase {
    /// The principal: a mother, or a person alone.
    pub person_id: String,
    pub country: String,
    /// When the household was identified (default now).
    pub at: Option<String>,
    /// A case of their own for a child who goes home without their parents (the child
    /// must be known to be under 18 and not travel in a parent's case).
    #[serde(default)]
    pub unaccompanied: bool,
}

/// Opens the case of a person with a country; her registered children join it (or, with
/// `unaccompanied`, an unaccompanied child's own case).
#[utoipa::path(post, path = "/api/v1/cases", security(("bearer" = [])), request_body = OpenCase,
    responses((status = 201, body = CaseCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn open(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let user = authenticate(&state, &headers).await?;
    let req: OpenCase = body(&bytes, "{\"person_id\": ..., \"country\": \"BE\"}")?;
    let p = person(&req.person_id)?;
    let country = input::country(&req.country)?;
    let at = when(&req.at)?;
    let alone = req.unaccompanied;
    let id = written_as(state, user, move |w| {
        if alone {
            w.open_child_case(p, country, at)
        } else {
            w.open_case(p, country, at)
        }
    })
    .await?;
    Ok(created(CaseCreated {
        case_id: id.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    pub stage: String,
    /// When the case entered the stage (default now).
    pub at: Option<String>,
    /// The deciding authority: approved and refused only.
    pub authority: Option<String>,
    pub decided_on: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Moves a case to another stage; a move the rules do not allow, or one that lacks what
/// it needs, is a 400 saying what is allowed next or missing.
#[utoipa::path(post, path = "/api/v1/cases/{id}/stage", security(("bearer" = [])), request_body = StageChange,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn stage(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, StageChange) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"stage\": \"nationality_verified\"}",
    )
    .await?;
    let at = when(&req.at)?;
    let decision = match &req.authority {
        Some(a) => Some(Decision {
            authority: a.clone(),
            decided_on: match &req.decided_on {
                Some(d) => input::time(d)?,
                None => at,
            },
        }),
        None => None,
    };
    let t = Transition {
        to: input::stage(&req.stage)?,
        at,
        decision,
        note: req.note,
    };
    let to = t.to.as_str();
    written_as(state, user, move |w| w.change_case_stage(id, t)).await?;
    Ok(made(id, Some(to.to_string())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentReceived {
    pub kind: String,
    pub person_id: Option<String>,
    /// 64 hexadecimal digits (BLAKE3 or SHA-256 of the copy), if a copy is kept.
    pub hash: Option<String>,
    pub received_at: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Records a document received for the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", security(("bearer" = [])), request_body = DocumentReceived,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn document(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, DocumentReceived) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"kind\": \"travel_document\", ...}",
    )
    .await?;
    let doc = CaseDocument {
        kind: input::document_kind(&req.kind)?,
        person: req.person_id.as_deref().map(person).transpose()?,
        hash: req.hash.as_deref().map(input::hash).transpose()?,
        received_at: when(&req.received_at)?,
        note: req.note,
    };
    written_as(state, user, move |w| w.record_case_document(id, doc)).await?;
    Ok(made(id, None))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberAdded {
    pub person_id: String,
}

/// Adds a child or household member of the principal.
#[utoipa::path(post, path = "/api/v1/cases/{id}/members", security(("bearer" = [])), request_body = MemberAdded,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn member(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, MemberAdded) =
        prepare(&state, &headers, id, &bytes, "{\"person_id\": ...}").await?;
    let p = person(&req.person_id)?;
    written_as(state, user, move |w| w.add_case_member(id, p)).await?;
    Ok(made(id, Some(p.to_string())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRecorded {
    pub from: String,
    pub to: String,
    pub place: String,
    pub at: Option<String>,
    /// The members handed over (default: every member).
    #[serde(default)]
    pub person_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// Records a custody handover: from whom to whom, where, when.
#[utoipa::path(post, path = "/api/v1/cases/{id}/handovers", security(("bearer" = [])), request_body = HandoverRecorded,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn handover(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, HandoverRecorded) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"from\": ..., \"to\": ..., \"place\": ...}",
    )
    .await?;
    let h = Handover {
        from: req.from,
        to: req.to,
        place: req.place,
        at: when(&req.at)?,
        persons: req
            .person_ids
            .iter()
            .map(|p| person(p))
            .collect::<Result<_, _>>()?,
        note: req.note,
    };
    written_as(state, user, move |w| w.record_handover(id, h)).await?;
    Ok(made(id, None))
}

/// The report a wish, legal record or authorship claim comes from.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// text_message, voice_note, call, interview, official_list or media.
    pub channel: String,
    /// Admiralty grade, e.g. B2.
    pub grade: String,
    pub content: String,
    /// Who said it (stored sealed).
    pub source: Option<String>,
    pub received_at: Option<String>,
}

impl ReportBody {
    fn input(&self) -> Result<access::writes::ReportInput, Problem> {
        let at = when(&self.received_at)?;
        Ok(input::report(
            &self.channel,
            &self.grade,
            &self.content,
            self.source.as_deref(),
            at,
        )?)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WishRecorded {
    pub person_id: String,
    /// trial_at_home, to_return, not_to_return, children_to_return or stay_with_children.
    pub wish: String,
    /// For trial_at_home: the country she asks to be tried in.
    pub country: Option<String>,
    pub report: ReportBody,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRecorded {
    pub person_id: String,
    /// proceedings, conviction_in_absentia, sentence, warrant or acquitted.
    pub kind: String,
    pub authority: Option<String>,
    pub sentence: Option<String>,
    pub report: ReportBody,
}

/// Records a member's own stated wish, as a report with its claim.
#[utoipa::path(post, path = "/api/v1/cases/{id}/wishes", security(("bearer" = [])), request_body = WishRecorded,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn wish(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, WishRecorded) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"person_id\": ..., \"wish\": ..., \"report\": {...}}",
    )
    .await?;
    let p = person(&req.person_id)?;
    let kind = input::wish_claim(&req.wish, req.country.as_deref())?;
    let report = req.report.input()?;
    let r = written_as(state, user, move |w| {
        w.record_case_claim(id, p, kind, report)
    })
    .await?;
    Ok(made(id, Some(r.to_string())))
}

/// Records a legal record about a member, as a report with its claim.
#[utoipa::path(post, path = "/api/v1/cases/{id}/legal", security(("bearer" = [])), request_body = LegalRecorded,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn legal(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, LegalRecorded) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"person_id\": ..., \"kind\": ..., \"report\": {...}}",
    )
    .await?;
    let p = person(&req.person_id)?;
    let kind = input::legal_claim(&req.kind, req.authority.as_deref(), req.sentence.as_deref())?;
    let report = req.report.input()?;
    let r = written_as(state, user, move |w| {
        w.record_case_claim(id, p, kind, report)
    })
    .await?;
    Ok(made(id, Some(r.to_string())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceCaptured {
    /// social_media_post, document, photo, video, audio or other.
    pub kind: String,
    /// 64 hexadecimal digits.
    pub hash: String,
    pub description: String,
    /// Default: the caller.
    pub captured_by: Option<String>,
    pub captured_at: Option<String>,
    pub about: Option<String>,
}

/// Keeps an evidence item in the case, by hash.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", security(("bearer" = [])), request_body = EvidenceCaptured,
    params(("id" = String, Path, description = "case id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn evidence(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let (user, id, req): (User, CaseId, EvidenceCaptured) = prepare(
        &state,
        &headers,
        id,
        &bytes,
        "{\"kind\": ..., \"hash\": ..., \"description\": ...}",
    )
    .await?;
    let e = EvidenceInput {
        kind: input::evidence_kind(&req.kind)?,
        hash: input::hash(&req.hash)?,
        captured_at: when(&req.captured_at)?,
        captured_by: req.captured_by.unwrap_or_else(|| user.name.clone()),
        description: req.description,
        about: req.about.as_deref().map(person).transpose()?,
    };
    let ev = written_as(state, user, move |w| w.capture_evidence(id, e)).await?;
    Ok(made(id, Some(ev.to_string())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorshipClaimed {
    /// The author is a person in the registry...
    pub author_person_id: Option<String>,
    /// ...or someone described ("her husband").
    pub author_described: Option<String>,
    #[serde(default)]
    pub note: String,
    /// A report already recorded...
    pub report_id: Option<String>,
    /// ...or a new one.
    pub report: Option<ReportBody>,
}

/// Records who is said to have authored an evidence item. Claims naming different
/// authors are all kept; the item then shows as disputed, with both sides' grades.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence/{evidence}/authorship", security(("bearer" = [])), request_body = AuthorshipClaimed,
    params(("id" = String, Path, description = "case id (UUID)"),
           ("evidence" = String, Path, description = "evidence id (UUID)")),
    responses(ChangeAnswers))]
pub(crate) async fn authorship(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let user = authenticate(&state, &headers).await?;
    let Path((case, ev)) = path.map_err(|_| Problem::not_found())?;
    let id: CaseId = case.parse().map_err(|_| Problem::not_found())?;
    let ev: EvidenceId = ev
        .parse()
        .map_err(|_| Problem::bad_request("the evidence id is not a UUID"))?;
    let req: AuthorshipClaimed = body(&bytes, "{\"author_described\": ..., \"report\": {...}}")?;
    let author = match (&req.author_person_id, &req.author_described) {
        (Some(p), None) => Author::Person(person(p)?),
        (None, Some(d)) => Author::Described(d.clone()),
        _ => {
            return Err(Problem::bad_request(
                "name the author: author_person_id or author_described, not both",
            ))
        }
    };
    let report = match (&req.report_id, &req.report) {
        (Some(r), None) => ReportRef::Existing(
            r.parse::<ReportId>()
                .map_err(|_| Problem::bad_request("report_id is not a UUID"))?,
        ),
        (None, Some(r)) => ReportRef::New(r.input()?),
        _ => {
            return Err(Problem::bad_request(
                "give the report the claim comes from: report_id or report, not both",
            ))
        }
    };
    let input = AuthorshipInput {
        author,
        note: req.note,
        report,
    };
    let r = written_as(state, user, move |w| w.claim_authorship(id, ev, input)).await?;
    Ok(made(id, Some(r.to_string())))
}

/// The case routes; [`crate::routes::router`] merges them under the API's limits.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/cases", get(list).post(open))
        .route("/api/v1/cases/board", get(board))
        .route("/api/v1/cases/{id}", get(read))
        .route("/api/v1/cases/{id}/stage", post(stage))
        .route("/api/v1/cases/{id}/documents", post(document))
        .route("/api/v1/cases/{id}/members", post(member))
        .route(
            "/api/v1/cases/{id}/removals",
            post(crate::api_case_travel::removal),
        )
        .route(
            "/api/v1/cases/{id}/travel",
            post(crate::api_case_travel::travel),
        )
        .route("/api/v1/cases/{id}/handovers", post(handover))
        .route("/api/v1/cases/{id}/wishes", post(wish))
        .route("/api/v1/cases/{id}/legal", post(legal))
        .route("/api/v1/cases/{id}/evidence", post(evidence))
        .route(
            "/api/v1/cases/{id}/evidence/{evidence}/authorship",
            post(authorship),
        )
}

/// The case endpoints' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        board,
        list,
        read,
        open,
        stage,
        document,
        member,
        handover,
        wish,
        legal,
        evidence,
        authorship,
        crate::api_case_travel::travel,
        crate::api_case_travel::removal
    ),
    components(schemas(
        CaseCreated,
        Done,
        OpenCase,
        StageChange,
        DocumentReceived,
        MemberAdded,
        HandoverRecorded,
        ReportBody,
        WishRecorded,
        LegalRecorded,
        EvidenceCaptured,
        AuthorshipClaimed,
        crate::api_case_travel::TravelDecided,
        crate::api_case_travel::MemberRemoved
    ))
)]
pub(crate) struct CasesDoc;
