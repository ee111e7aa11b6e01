//! The web UI: server-rendered pages (maud templates compiled into the binary), one small
//! stylesheet and one small script served from the binary, nothing from another host.
//!
//! Every page authenticates the session cookie ([`session`]) and asks the access layer —
//! [`access::Gate`] to read, [`access::Writer`] to change — exactly as the API does, with
//! interface `web` in the audit chain. Templates print what the gate returns; they never
//! decide what a user may see. Every form that changes something carries the session's
//! CSRF token, checked before the change.

mod assets;
mod audit;
mod board;
mod camps;
mod case;
mod case_forms;
mod consent;
mod duplicates;
mod layout;
mod login;
mod person;
mod report;
mod search;
pub(crate) mod session;
mod tracing;

use crate::state::AppState;
use access::gate::Gate;
use access::{AccessError, Writer};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use session::WebSession;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;

/// The web routes; [`crate::routes::router`] merges them beside the API.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/search", get(search::page))
        .route("/suggest", get(search::suggest))
        .route("/person/{id}", get(person::page))
        .route("/report/new", get(report::form))
        .route("/report", post(report::submit))
        .route("/camps", get(camps::page))
        .route("/camps/{id}/status", post(camps::confirm))
        .route("/camps/{id}/status/confirm", post(camps::apply))
        .route("/tracing", get(tracing::page))
        .route("/tracing/assign", post(tracing::assign))
        .route("/cases", get(board::page))
        .route("/case/{id}", get(case::page))
        .route("/case/{id}/{kind}", post(case::change))
        .route("/duplicates", get(duplicates::page))
        .route("/duplicates/{id}", get(duplicates::candidate))
        .route("/duplicates/{id}/decision", post(duplicates::decide))
        .route("/duplicates/merges/{id}/undo", post(duplicates::undo))
        .route("/audit", get(audit::page))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/app.js", get(assets::js))
        .layer(RequestBodyLimitLayer::new(MAX_FORM_BYTES))
        .layer(axum::middleware::map_response(security_headers))
}

/// Largest form accepted: a report of [`access::writes::MAX_REPORT_CHARS`] characters in
/// Arabic script, percent-encoded (six bytes a character), with its claims.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// Headers on every web response: no inline script or style, nothing from elsewhere, no
/// framing, no caching of pages that hold personal data, no referrer leaking ids.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The start page for the signed-in user's role: search, or camps for roles that see no
/// names; the sign-in page for everyone else.
async fn home(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Redirect, WebError> {
    let (s, _) = signed(&state, &headers)?;
    let role = s.user.role;
    Ok(Redirect::to(login::home_of(role)))
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum WebError {
    /// No valid session: go and sign in.
    SignIn,
    /// A page with this status and message.
    Status(StatusCode, String),
}

/// The id in a page's path; one that cannot exist is the same 404 as one the caller may
/// not see.
fn path_id<T: std::str::FromStr>(
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<T, WebError> {
    let Ok(axum::extract::Path(text)) = path else {
        return Err(WebError::not_found());
    };
    text.parse::<T>().map_err(|_| WebError::not_found())
}

impl WebError {
    fn not_found() -> Self {
        Self::Status(StatusCode::NOT_FOUND, "No such person or page.".into())
    }

    fn bad_request(msg: impl Into<String>) -> Self {
        Self::Status(StatusCode::BAD_REQUEST, msg.into())
    }

    fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("homeward serve: internal error in the web UI: {detail}");
        Self::Status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on the server; it has been logged. Try again.".into(),
        )
    }
}

impl From<AccessError> for WebError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::NotFound => Self::not_found(),
            AccessError::Forbidden { .. } => Self::Status(
                StatusCode::FORBIDDEN,
                format!("Not allowed: {e}. Ask an administrator if your work needs it."),
            ),
            AccessError::Invalid(d) => Self::bad_request(d),
            AccessError::BadCredentials | AccessError::LockedOut { .. } => {
                Self::Status(StatusCode::UNAUTHORIZED, e.to_string())
            }
            AccessError::Hash(_) | AccessError::Store(_) | AccessError::Output(_) => {
                Self::internal(e)
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::SignIn => Redirect::to("/login").into_response(),
            WebError::Status(status, msg) => {
                let title = status.canonical_reason().unwrap_or("Error");
                let body = layout::bare(
                    title,
                    html! {
                        p role="alert" { (msg) }
                        p { a href="/search" { "Back to search" } }
                    },
                );
                (status, html_page(body)).into_response()
            }
        }
    }
}

type PageResult = Result<Response, WebError>;

fn html_page(markup: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// The signed-in browser's session, or [`WebError::SignIn`].
fn signed(state: &AppState, headers: &HeaderMap) -> Result<(WebSession, String), WebError> {
    let token = session::cookie(headers, session::SESSION_COOKIE).ok_or(WebError::SignIn)?;
    let s = state
        .web_sessions
        .get(token, now_ms())
        .ok_or(WebError::SignIn)?;
    Ok((s, token.to_string()))
}

/// Runs `f` through the access gate on the blocking pool, as the session's user.
async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    s: &WebSession,
    f: impl FnOnce(&Gate) -> Result<T, AccessError> + Send + 'static,
) -> Result<T, WebError> {
    let state = Arc::clone(state);
    let user = s.user.clone();
    tokio::task::spawn_blocking(move || {
        state.with_registry(|reg, dir| {
            f(&Gate {
                registry: reg,
                directory: dir,
                user: &user,
                interface: "web",
                now_ms: now_ms(),
            })
        })
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?
    .map_err(WebError::from)
}

/// Runs a change through [`Writer`] on the blocking pool, as the session's user.
async fn write<T: Send + 'static>(
    state: &Arc<AppState>,
    s: &WebSession,
    f: impl FnOnce(&mut Writer) -> Result<T, AccessError> + Send + 'static,
) -> Result<T, WebError> {
    let state = Arc::clone(state);
    let user = s.user.clone();
    tokio::task::spawn_blocking(move || {
        state.with_registry_mut(|reg, dir| {
            f(&mut Writer {
                registry: reg,
                directory: dir,
                user: &user,
                interface: "web",
                now_ms: now_ms(),
            })
        })
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?
    .map_err(WebError::from)
}

/// A form body's fields in order (a field may repeat).
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &Bytes) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Refuses the form unless it carries the session's CSRF token.
    fn check_csrf(&self, s: &WebSession) -> Result<(), WebError> {
        match self.get("csrf") {
            Some(t) if session::same_token(t, &s.csrf) => Ok(()),
            _ => Err(WebError::Status(
                StatusCode::FORBIDDEN,
                "This form is out of date or did not come from Homeward (its security token \
                 does not match). Reload the page and submit it again."
                    .into(),
            )),
        }
    }
}

/// Query-string parameters.
fn query(raw: Option<String>) -> Form {
    Form(
        form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect(),
    )
}
