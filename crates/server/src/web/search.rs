//! Search: one box, any script; and the suggestions the report form asks for as a name
//! is typed. Both go through [`access::Gate::search`], which audits every hit.

use super::layout::{self, names, percent, shell, words, PlaceNames};
use super::{html_page, query, read, signed, PageResult, WebError};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Response};
use maud::{html, Markup};
use serde::Serialize;
use std::sync::Arc;

/// Most results on the page.
const PAGE_LIMIT: usize = 50;
/// Most suggestions while typing.
const SUGGEST_LIMIT: usize = 8;

fn valid_query(q: &str) -> Result<(), String> {
    let n = q.trim().chars().count();
    if n < 2 {
        Err("Type at least two letters of a name, in any script.".into())
    } else if q.len() > 200 {
        Err("That is too long for a name: use at most 200 characters.".into())
    } else {
        Ok(())
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let q = query(raw).get("q").unwrap_or_default().to_string();
    let searched = !q.trim().is_empty();
    let problem = if searched {
        valid_query(&q).err()
    } else {
        None
    };
    let (hits, places) = if searched && problem.is_none() {
        let qq = q.clone();
        read(&state, &s, move |g| {
            Ok((g.search_summaries(&qq, PAGE_LIMIT)?, g.places()?))
        })
        .await?
    } else {
        (Vec::new(), Vec::new())
    };
    let places = PlaceNames::new(&places);
    let body = html! {
        form role="search" method="get" action="/search" {
            label for="q" { "Name, in any script or spelling" }
            input #q type="search" name="q" value=(q) dir="auto" autocomplete="off" autofocus;
            button type="submit" { "Search" }
        }
        @if let Some(p) = &problem {
            p.alert role="alert" { (p) }
        }
        @if searched && problem.is_none() {
            p #result-count { (hits.len()) " found" @if hits.len() == PAGE_LIMIT { " (first " (PAGE_LIMIT) " shown)" } "." }
            @if !hits.is_empty() {
                table #results {
                    thead { tr {
                        th scope="col" { "Names" }
                        th scope="col" { "Nationality" }
                        th scope="col" { "Camp" }
                        th scope="col" { "Whereabouts" }
                        th scope="col" { "Why it matched" }
                    } }
                    tbody {
                        @for (hit, p) in &hits {
                            tr {
                                td { a href={ "/person/" (p.person_id) } { (names(&p.names)) } }
                                td { @for n in &p.nationalities { (n.country) " " span.muted { "(" (n.status) ")" } " " } }
                                td { (places.of(&p.camp)) }
                                td { (words(p.status)) " " span.muted { (percent(p.confidence)) } }
                                td { (why(hit)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_page(shell(&s, "Search", body)))
}

/// What made a hit: the name that matched and how closely, the child of a kunya, the
/// query's hints that agreed (nationality, camp, birth year), and the score.
fn why(hit: &access::gate::SearchHit) -> Markup {
    let w = &hit.why;
    html! {
        @if let Some(name) = &w.name {
            span dir="auto" { (name) } " (" (format!("{:.0}%", w.name_score * 100.0)) ")"
        }
        @if let Some(kin) = &w.kin { "; " span dir="auto" { (kin) } }
        @for f in &w.fields { "; " (f) }
        " " span.muted { "score " (format!("{:.2}", hit.score)) }
    }
}

#[derive(Serialize)]
struct Suggestion {
    person_id: String,
    label: String,
}

/// Suggestions as JSON, for the report form's script.
pub async fn suggest(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let (s, _) = signed(&state, &headers)?;
    let q = query(raw).get("q").unwrap_or_default().to_string();
    if valid_query(&q).is_err() {
        return Ok(Json(Vec::<Suggestion>::new()).into_response());
    }
    let (hits, places) = read(&state, &s, move |g| {
        Ok((g.search_summaries(&q, SUGGEST_LIMIT)?, g.places()?))
    })
    .await?;
    let places = PlaceNames::new(&places);
    let out: Vec<Suggestion> = hits
        .into_iter()
        .map(|(_, p)| {
            let name: Vec<&str> = p.names.iter().take(2).map(|n| n.text.as_str()).collect();
            let nat: Vec<&str> = p.nationalities.iter().map(|n| n.country.as_str()).collect();
            Suggestion {
                label: format!(
                    "{} — {} — {} ({})",
                    name.join(" / "),
                    nat.join(","),
                    places.of(&p.camp),
                    layout::short(&p.person_id)
                ),
                person_id: p.person_id,
            }
        })
        .collect();
    Ok(Json(out).into_response())
}
