//! Unaccounted for: the ranked tracing list ([`access::Gate::tracing_list`]), filterable
//! by camp of last sighting.

use super::layout::{names, shell, PlaceNames};
use super::{html_page, query, read, signed, PageResult};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use maud::html;
use model::ids::PlaceId;
use std::sync::Arc;

/// Most persons on the page.
const LIMIT: usize = 100;

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let camp_text = query(raw).get("camp").unwrap_or_default().to_string();
    let camp: Option<PlaceId> = camp_text.parse().ok();
    let (items, places) = read(&state, &s, move |g| {
        Ok((g.tracing_list(camp, LIMIT)?, g.places()?))
    })
    .await?;
    let names_of = PlaceNames::new(&places);
    let body = html! {
        form method="get" action="/tracing" {
            label for="camp" { "Last known at" }
            select #camp name="camp" {
                option value="" { "any camp" }
                @for p in places.iter().filter(|p| p.kind == "camp") {
                    option value=(p.place_id) selected[camp_text == p.place_id] { (p.name) }
                }
            }
            button type="submit" { "Filter" }
        }
        p #tracing-count { (items.len()) " persons" @if items.len() == LIMIT { " (the first " (LIMIT) ")" } ", highest tracing priority first." }
        @if !items.is_empty() {
            table #tracing {
                thead { tr {
                    th.num scope="col" { "Priority" } th scope="col" { "Names" } th scope="col" { "Nationality" }
                    th scope="col" { "Last camp" } th scope="col" { "Why traced" }
                } }
                tbody { @for it in &items {
                    tr {
                        td.num { (it.priority) }
                        td { a href={ "/person/" (it.person.person_id) } { (names(&it.person.names)) } }
                        td { @for n in &it.person.nationalities { (n.country) " " } }
                        td { (names_of.of(&it.person.camp)) }
                        td { (it.reason.as_deref().unwrap_or("—")) }
                    }
                } }
            }
        }
    };
    Ok(html_page(shell(&s, "Unaccounted for", body)))
}
