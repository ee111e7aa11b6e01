//! Camps: each camp's status and the counts the caller may see — by whereabouts and by
//! nationality, small cells withheld by the gate — the trend since a camp was dispersed
//! (an inline SVG drawn from the gate's suppressed daily counts), and a status change in
//! two steps (choose, then confirm), through [`access::Writer::change_place_status`].

use super::layout::{csrf_field, day, shell, words};
use super::{html_page, path_id, query, read, signed, write, Form, PageResult, WebError};
use crate::chart::{Line, Panel};
use crate::state::AppState;
use access::suppression::SuppressedTable;
use access::trend::{CampTrend, SERIES};
use access::views::PlaceOut;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::response::Redirect;
use chrono::Datelike;
use maud::{html, Markup, PreEscaped};
use model::ids::PlaceId;
use model::place::PlaceStatus;
use model::time::Timestamp;
use std::sync::Arc;
use store::StatsDimension;

const STATUSES: [&str; 5] = ["guarded", "unguarded", "under_fire", "evacuated", "closed"];

struct Board {
    places: Vec<PlaceOut>,
    by_status: SuppressedTable,
    by_nationality: SuppressedTable,
    /// The crisis trend of each dispersed camp, from the caller's suppressed counts.
    trends: Vec<CampTrend>,
}

/// The trend chart of one camp, inline; a withheld day is a gap (see [`crate::chart`]).
fn trend_chart(t: &CampTrend) -> Markup {
    let panel = Panel {
        title: format!(
            "{}: {} on {}",
            t.camp,
            words(t.change.0),
            t.change.1.date().map(|d| d.to_string()).unwrap_or_default()
        ),
        days: t.days.clone(),
        lines: SERIES
            .iter()
            .zip(&t.series)
            .map(|(s, values)| Line {
                label: s.label,
                values: values.clone(),
            })
            .collect(),
    };
    let label = format!("Trend at {} since its status changed, by day", t.camp);
    match crate::chart::svg(&[panel], &label) {
        Some(svg) => html! {
            figure.trend {
                (PreEscaped(svg))
                figcaption { "Persons by whereabouts at the end of each day since the change. Gaps are days whose counts are withheld." }
            }
        },
        None => html! {},
    }
}

fn count(c: Option<u64>) -> Markup {
    match c {
        Some(n) => html! { (n) },
        None => {
            html! { abbr title="withheld: a small count, or one that would reveal a small count" { "withheld" } }
        }
    }
}

/// The cells of one camp: (second dimension value, count), largest first.
fn cells_of<'a>(t: &'a SuppressedTable, camp: &str) -> Vec<(&'a str, Option<u64>)> {
    let mut out: Vec<(&str, Option<u64>)> = t
        .cells
        .iter()
        .filter(|c| c.values.first().map(String::as_str) == Some(camp))
        .filter_map(|c| c.values.get(1).map(|v| (v.as_str(), c.count)))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out
}

fn breakdown(label: &str, cells: &[(&str, Option<u64>)]) -> Markup {
    html! {
        table {
            caption { "By " (label.to_lowercase()) }
            thead { tr { th scope="col" { (label) } th.num scope="col" { "Persons" } } }
            tbody { @for (v, c) in cells { tr { td { (words(v)) } td.num { (count(*c)) } } } }
        }
    }
}

fn camp_section(s: &super::session::WebSession, b: &Board, p: &PlaceOut) -> Markup {
    let status_cells = cells_of(&b.by_status, &p.name);
    let nat_cells = cells_of(&b.by_nationality, &p.name);
    let may_change = s.user.role.changes_place_status();
    html! {
        section aria-labelledby={ "camp-" (p.place_id) } {
            h2 id={ "camp-" (p.place_id) } { (p.name) }
            p { "Status: " strong.camp-status { (words(p.status.unwrap_or("none recorded"))) } " since " (day(&p.status_since)) }
            @if status_cells.is_empty() && nat_cells.is_empty() {
                p.muted { "No persons you may count are recorded here." }
            } @else {
                div.grid { (breakdown("Whereabouts", &status_cells)) (breakdown("Nationality", &nat_cells)) }
            }
            @if let Some(t) = b.trends.iter().find(|t| t.camp == p.name) { (trend_chart(t)) }
            @if may_change {
                form method="post" action={ "/camps/" (p.place_id) "/status" } {
                    (csrf_field(s))
                    label for={ "status-" (p.place_id) } { "Record a new status for " (p.name) }
                    select id={ "status-" (p.place_id) } name="status" {
                        @for st in STATUSES { option value=(st) selected[p.status == Some(st)] { (words(st)) } }
                    }
                    button type="submit" { "Continue" }
                }
            }
        }
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let threshold = state.threshold;
    let year = chrono::Utc::now().year();
    let board = read(&state, &s, move |g| {
        let dims = |d: StatsDimension| [StatsDimension::Camp, d];
        Ok(Board {
            places: g.places()?,
            by_status: g.stats(&dims(StatsDimension::Status), year, threshold)?,
            by_nationality: g.stats(&dims(StatsDimension::Nationality), year, threshold)?,
            trends: g.camp_trends(threshold)?,
        })
    })
    .await?;
    let changed = query(raw).get("changed").map(str::to_string);
    let body = html! {
        @if let Some(c) = changed { p.ok role="status" #status-changed { "Status recorded: " (words(&c)) "." } }
        p.muted { "Counts are of the persons you may count. Counts under " (threshold) ", and those that would reveal them, are withheld." }
        @for p in board.places.iter().filter(|p| p.kind == "camp") { (camp_section(&s, &board, p)) }
    };
    Ok(html_page(shell(&s, "Camps", body)))
}

fn status_of(f: &Form) -> Result<PlaceStatus, WebError> {
    PlaceStatus::parse(f.get("status").unwrap_or_default()).ok_or_else(|| {
        WebError::bad_request(
            "Choose a status: guarded, unguarded, under fire, evacuated or closed.",
        )
    })
}

fn may_change(s: &super::session::WebSession) -> Result<(), WebError> {
    if s.user.role.changes_place_status() {
        Ok(())
    } else {
        Err(WebError::Status(
            axum::http::StatusCode::FORBIDDEN,
            format!("The role {} may not change a place's status.", s.user.role),
        ))
    }
}

/// Step one: say what will change and ask to confirm.
pub async fn confirm(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let f = Form::parse(&body);
    f.check_csrf(&s)?;
    may_change(&s)?;
    let place: PlaceId = path_id(id)?;
    let status = status_of(&f)?;
    let places = read(&state, &s, |g| g.places()).await?;
    let p = places
        .iter()
        .find(|p| p.place_id == place.to_string())
        .ok_or_else(WebError::not_found)?;
    let body = html! {
        p #confirm-question {
            "Record that " strong { (p.name) } " is now " strong { (words(status.as_str())) }
            " (it is " (words(p.status.unwrap_or("without a recorded status"))) ")?"
        }
        @if status.disperses_people() {
            p.alert { "Everyone last seen at " (p.name) " will count as unaccounted for until new reports place them." }
        }
        form method="post" action={ "/camps/" (p.place_id) "/status/confirm" } {
            (csrf_field(&s))
            input type="hidden" name="status" value=(status.as_str());
            button type="submit" { "Confirm the change" }
        }
        p { a href="/camps" { "Cancel" } }
    };
    Ok(html_page(shell(&s, "Confirm a status change", body)))
}

/// Step two: record it.
pub async fn apply(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let f = Form::parse(&body);
    f.check_csrf(&s)?;
    may_change(&s)?;
    let place: PlaceId = path_id(id)?;
    let status = status_of(&f)?;
    let at = Timestamp(super::now_ms());
    write(&state, &s, move |w| {
        w.change_place_status(place, status, at)
    })
    .await?;
    Ok(Redirect::to(&format!("/camps?changed={}", status.as_str())).into_response())
}
