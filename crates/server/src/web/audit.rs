//! Audit view for administrators: who read or touched a given person
//! ([`access::Gate::audit_of_person`], itself audited; refused for other roles).

use super::layout::{shell, short};
use super::{html_page, query, read, signed, PageResult, WebError};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use maud::html;
use model::ids::PersonId;
use std::sync::Arc;

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    if !s.user.role.administers() {
        return Err(WebError::Status(
            StatusCode::FORBIDDEN,
            format!("The role {} may not read the audit chain.", s.user.role),
        ));
    }
    let text = query(raw)
        .get("person")
        .unwrap_or_default()
        .trim()
        .to_string();
    let id = if text.is_empty() {
        None
    } else {
        Some(text.parse::<PersonId>().map_err(|_| {
            WebError::bad_request(format!(
                "'{text}' is not a person id: paste the whole id from the person's page."
            ))
        })?)
    };
    let entries = match id {
        Some(id) => Some(read(&state, &s, move |g| g.audit_of_person(id)).await?),
        None => None,
    };
    let body = html! {
        form method="get" action="/audit" {
            label for="person" { "Person id" }
            input #person type="text" name="person" value=(text) autocomplete="off";
            button type="submit" { "Show who has seen this person" }
        }
        @if let Some(entries) = &entries {
            p #audit-count { (entries.len()) " entries about person " code { (short(&text)) } "." }
            @if !entries.is_empty() {
                table #audit {
                    thead { tr {
                        th.num scope="col" { "#" } th scope="col" { "When" } th scope="col" { "Who" }
                        th scope="col" { "Through" } th scope="col" { "What" } th scope="col" { "Detail" }
                    } }
                    tbody { @for e in entries {
                        tr { td.num { (e.seq) } td { (when(e.at)) } td { (e.actor) } td { (e.interface) } td { (e.action) } td { (e.detail) } }
                    } }
                }
            }
        }
    };
    Ok(html_page(shell(&s, "Audit", body)))
}
