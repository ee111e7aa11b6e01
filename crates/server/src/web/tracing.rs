//! Unaccounted for: the ranked tracing list ([`access::Gate::tracing_list`]), filterable
//! by camp of last sighting, with each person's tracing task assigned from the list to a
//! named person or team ([`access::Writer::assign_task`], CSRF-checked).

use super::layout::{csrf_field, names, shell, PlaceNames};
use super::{html_page, query, read, signed, write, Form, PageResult, WebError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use model::ids::{PlaceId, TaskId};
use std::sync::Arc;

/// Most persons on the page.
const LIMIT: usize = 100;

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let q = query(raw);
    let camp_text = q.get("camp").unwrap_or_default().to_string();
    let assigned = q.get("assigned").map(str::to_string);
    let assigns = s.user.role.records_reports();
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
        @if let Some(a) = &assigned { p.ok role="status" #task-assigned { (if a.is_empty() { "Task unassigned.".to_string() } else { format!("Task assigned to {a}.") }) } }
        p #tracing-count { (items.len()) " persons" @if items.len() == LIMIT { " (the first " (LIMIT) ")" } ", highest tracing priority first." }
        @if !items.is_empty() {
            table #tracing {
                thead { tr {
                    th.num scope="col" { "Priority" } th scope="col" { "Names" } th scope="col" { "Nationality" }
                    th scope="col" { "Last camp" } th scope="col" { "Why traced" } th scope="col" { "Assigned to" }
                } }
                tbody { @for it in &items {
                    tr {
                        td.num { (it.priority) }
                        td { a href={ "/person/" (it.person.person_id) } { (names(&it.person.names)) } }
                        td { @for n in &it.person.nationalities { (n.country) " " } }
                        td { (names_of.of(&it.person.camp)) }
                        td { (it.reason.as_deref().unwrap_or("—")) }
                        td { (assignment(&s, it, &camp_text, assigns)) }
                    }
                } }
            }
        }
    };
    Ok(html_page(shell(&s, "Unaccounted for", body)))
}

/// Who the person's task is assigned to, and (for roles that may) a form to assign it.
fn assignment(
    s: &super::session::WebSession,
    it: &access::views::TracingItem,
    camp: &str,
    assigns: bool,
) -> Markup {
    let current = it.assigned_to.as_deref().unwrap_or("");
    let Some(task) = it.task_id.as_deref().filter(|_| assigns) else {
        return html! { (if current.is_empty() { "—" } else { current }) };
    };
    let who =
        super::layout::title_name(&it.person.names).map_or("this person", |n| n.text.as_str());
    html! {
        form.assign method="post" action="/tracing/assign" {
            (csrf_field(s))
            input type="hidden" name="task" value=(task);
            @if !camp.is_empty() { input type="hidden" name="camp" value=(camp); }
            input type="text" name="assignee" value=(current) maxlength="100" aria-label={ "Assign the tracing task for " (who) " to (a person or team)" };
            button type="submit" { "Assign" }
        }
    }
}

/// `POST /tracing/assign`: assigns (or, with an empty name, unassigns) a task, then
/// shows the list again.
pub async fn assign(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let f = Form::parse(&body);
    f.check_csrf(&s)?;
    let task: TaskId = f
        .get("task")
        .unwrap_or_default()
        .parse()
        .map_err(|_| WebError::not_found())?;
    let assignee = access::tasks::clean_assignee(f.get("assignee").unwrap_or_default())?;
    let name = assignee.clone().unwrap_or_default();
    write(&state, &s, move |w| w.assign_task(task, assignee)).await?;
    let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let camp = f.get("camp").unwrap_or_default();
    let to = format!("/tracing?assigned={}&camp={}", enc(&name), enc(camp));
    Ok(Redirect::to(&to).into_response())
}
