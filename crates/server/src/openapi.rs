//! The OpenAPI document, generated from the handlers' annotations.

use crate::api::{
    __path_create_session, __path_end_session, __path_healthz, __path_openapi, __path_person_audit,
    __path_read_person, __path_read_timeline, __path_search_persons, __path_stats, AuditEntryDoc,
    SearchHitDoc, SessionRequest, SessionToken, StatsDoc,
};
use crate::problem::Problem;
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
