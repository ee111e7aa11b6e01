//! The OpenAPI document, generated from the handlers' annotations.

use crate::api::{
    __path_create_session, __path_end_session, __path_healthz, __path_person_audit,
    __path_read_person, __path_read_timeline, __path_search_persons, __path_stats, AuditEntryDoc,
    SearchHitDoc, SessionRequest, SessionToken, StatsDoc,
};
use crate::problem::Problem;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Homeward API", description = "Case registry API. Every answer is scoped, redacted and audited by the access layer."),
    paths(healthz, create_session, end_session, search_persons, read_person, read_timeline, person_audit, stats, openapi),
    components(schemas(Problem, SessionRequest, SessionToken, SearchHitDoc, StatsDoc, AuditEntryDoc)),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document: the core endpoints, those of repatriation cases, and those of
/// interviews, consent, counts over time and exports.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(<crate::api_cases::CasesDoc as OpenApi>::openapi());
    doc.merge(crate::api::records::RecordsDoc::openapi());
    doc
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "OpenAPI 3.1 document", body = Object)))]
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document().to_json().unwrap_or_default(),
    )
        .into_response()
}
