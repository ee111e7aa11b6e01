//! Sign in and sign out. Wrong passwords and lock-out get a clear message; both are
//! audited by [`access::identity::settle_login`].

use super::layout::bare;
use super::session::{self, LOGIN_COOKIE, SESSION_COOKIE};
use super::{now_ms, signed, Form, PageResult, WebError};
use crate::state::AppState;
use access::identity::{LOCK_OUT_MS, MAX_FAILED_LOGINS};
use access::{AccessError, Role};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use std::sync::Arc;

fn form_page(token: &str, username: &str, error: Option<&str>) -> maud::Markup {
    bare(
        "Sign in",
        html! {
            @if let Some(e) = error {
                p.alert role="alert" #login-error { (e) }
            }
            form method="post" action="/login" {
                input type="hidden" name="login_csrf" value=(token);
                label for="username" { "User name" }
                input #username type="text" name="username" value=(username)
                    autocomplete="username" autocapitalize="none" spellcheck="false" required;
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { "Sign in" }
            }
            p.hint {
                "After " (MAX_FAILED_LOGINS) " wrong passwords in a row an account is locked for "
                (LOCK_OUT_MS / 60_000) " minutes. Accounts are created by the registry administrator."
            }
        },
    )
}

/// Renders the form with a fresh double-submit token in a short-lived cookie.
fn respond(
    state: &AppState,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
) -> PageResult {
    let token = session::random_token().map_err(WebError::internal)?;
    let cookie = session::set_cookie(LOGIN_COOKIE, &token, 600, state.secure_cookies);
    Ok((
        status,
        [
            (header::SET_COOKIE, cookie),
            (header::CONTENT_TYPE, "text/html; charset=utf-8".into()),
        ],
        form_page(&token, username, error).into_string(),
    )
        .into_response())
}

/// Where a role starts: search if it may search persons by name, else the camps.
pub fn home_of(role: Role) -> &'static str {
    if role.reads_persons() && role.fields().names {
        "/search"
    } else {
        "/camps"
    }
}

pub async fn form(State(state): State<Arc<AppState>>) -> PageResult {
    respond(&state, StatusCode::OK, "", None)
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let f = Form::parse(&body);
    let username = f.get("username").unwrap_or_default().trim().to_string();
    let password = f.get("password").unwrap_or_default().to_string();
    let token_ok = match (session::cookie(&headers, LOGIN_COOKIE), f.get("login_csrf")) {
        (Some(c), Some(t)) => session::same_token(c, t),
        _ => false,
    };
    if !token_ok {
        return respond(
            &state,
            StatusCode::FORBIDDEN,
            &username,
            Some("The sign-in form expired or did not come from Homeward. Please sign in again."),
        );
    }
    if username.is_empty() || password.is_empty() || username.len() > 256 || password.len() > 1024 {
        return respond(
            &state,
            StatusCode::BAD_REQUEST,
            &username,
            Some("Enter your user name and password."),
        );
    }
    let st = Arc::clone(&state);
    let name = username.clone();
    let result = tokio::task::spawn_blocking(move || st.login(&name, &password, "web", now_ms()))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)?;
    let user = match result {
        Ok(u) => u,
        Err(AccessError::BadCredentials) => {
            return respond(
                &state,
                StatusCode::UNAUTHORIZED,
                &username,
                Some(&format!(
                    "Wrong user name or password. After {MAX_FAILED_LOGINS} failed attempts in a row the account is locked for {} minutes.",
                    LOCK_OUT_MS / 60_000
                )),
            );
        }
        Err(AccessError::LockedOut { until_utc }) => {
            let until = until_utc.get(..19).unwrap_or(&until_utc).replace('T', " ");
            return respond(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &username,
                Some(&format!(
                    "This account is locked after repeated failed sign-ins. Try again after {until} UTC, or ask an administrator."
                )),
            );
        }
        Err(e) => return Err(e.into()),
    };
    let home = home_of(user.role);
    let token = state
        .web_sessions
        .start(user, now_ms())
        .map_err(WebError::internal)?;
    let secure = state.secure_cookies;
    let mut res = Redirect::to(home).into_response();
    let h = res.headers_mut();
    for c in [
        session::set_cookie(
            SESSION_COOKIE,
            &token,
            session::SESSION_LIFETIME_MS / 1000,
            secure,
        ),
        session::set_cookie(LOGIN_COOKIE, "", 0, secure),
    ] {
        if let Ok(v) = c.parse() {
            h.append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let (s, token) = signed(&state, &headers)?;
    Form::parse(&body).check_csrf(&s)?;
    state.web_sessions.end(&token);
    let cookie = session::set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
