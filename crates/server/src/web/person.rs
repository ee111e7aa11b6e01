//! One person: names with their sources, household and relatives, nationality claims,
//! whereabouts with its confidence and the claims behind it, contradictions, the timeline
//! of reports with their grades, open tasks, consent and interviews. Every part is read through the gate, which
//! has already cut it down to the caller's role; sealed values arrive as sealed.

use super::layout::{day, name, names, percent, shell, short, title_name, words, PlaceNames};
use super::{html_page, path_id, read, signed, PageResult};
use crate::state::AppState;
use access::consent::{ConsentOut, InterviewOut};
use access::redact::{ClaimOut, PersonOut, SealedOut, TimelineEntryOut};
use access::views::{Relative, TaskOut};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use maud::{html, Markup};
use model::ids::PersonId;
use std::sync::Arc;

struct Sheet {
    person: PersonOut,
    timeline: Vec<TimelineEntryOut>,
    relatives: Vec<Relative>,
    tasks: Vec<TaskOut>,
    cases: Vec<access::cases::view::CaseSummary>,
    places: PlaceNames,
    interviews: Vec<InterviewOut>,
    consent: ConsentOut,
}

async fn page_(state: &Arc<AppState>, headers: &HeaderMap, id: PersonId) -> PageResult {
    let (s, _) = signed(state, headers)?;
    let sheet = read(state, &s, move |g| {
        Ok(Sheet {
            person: g.person(id)?,
            timeline: g.timeline(id)?,
            relatives: g.relatives(id)?,
            tasks: g.tasks_of(id)?,
            cases: g.cases_of_person(id)?,
            places: PlaceNames::new(&g.places()?),
            interviews: g.interviews_of(id)?,
            consent: g.consent_of(id)?,
        })
    })
    .await?;
    let title = sheet
        .person
        .names
        .as_deref()
        .and_then(title_name)
        .map(|n| n.text.clone())
        .unwrap_or_else(|| format!("Person {}", short(&sheet.person.person_id)));
    let writes = s.user.role.records_reports();
    let body = html! {
        (facts(&sheet))
        p {
            @if writes {
                a href={ "/report/new?about=" (sheet.person.person_id) } { "Record a report about this person" }
            }
            @if s.user.role.administers() {
                " · " a href={ "/audit?person=" (sheet.person.person_id) } { "Who has seen this record" }
            }
        }
        (super::duplicates::records_section(&s, &sheet.person))
        (names_section(&sheet.person))
        (nationalities(&sheet.person))
        (whereabouts(&sheet))
        (relatives(&sheet.relatives, &sheet.places))
        (tasks(&sheet.tasks))
        (super::board::person_cases(&sheet.cases))
        (super::consent::consent(&sheet.consent))
        (super::consent::interviews(&sheet.interviews, &sheet.places, sealed))
        (timeline(&sheet))
    };
    Ok(html_page(shell(&s, &title, body)))
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    // Sign-in first: without a session, no answer may depend on the id.
    signed(&state, &headers)?;
    let id: PersonId = path_id(id)?;
    page_(&state, &headers, id).await
}

fn facts(sh: &Sheet) -> Markup {
    let p = &sh.person;
    html! {
        dl.facts {
            dt { "Id" } dd { code { (p.person_id) } }
            dt { "Sex" } dd { (p.sex) }
            dt { "Born" } dd { (p.birth.as_deref().unwrap_or("unknown")) }
            @if let Some(h) = &p.household { dt { "Household" } dd { code { (short(h)) } } }
            @if let Some(v) = &p.vulnerabilities {
                dt { "Vulnerabilities" }
                dd { @if v.is_empty() { "none recorded" } @else { (v.iter().map(|x| words(x)).collect::<Vec<_>>().join(", ")) } }
            }
        }
    }
}

fn source(r: &Option<String>) -> Markup {
    match r {
        Some(id) => html! { "report " code { (short(id)) } },
        None => html! { "registration" },
    }
}

fn names_section(p: &PersonOut) -> Markup {
    let Some(ns) = &p.names else {
        return html! {};
    };
    html! {
        h2 { "Names" }
        table #names {
            thead { tr { th scope="col" { "Name" } th scope="col" { "Script" } th scope="col" { "Kind" } th scope="col" { "Source" } } }
            tbody { @for n in ns {
                tr { td { (name(n)) } td { (n.script) } td { (n.kind) } td { (source(&n.source)) } }
            } }
        }
    }
}

fn nationalities(p: &PersonOut) -> Markup {
    html! {
        h2 { "Nationality claims" }
        @if p.nationalities.is_empty() { p { "None recorded." } }
        ul #nationalities { @for n in &p.nationalities {
            li { strong { (n.country) } " — " (n.status) " · from " (source(&n.source)) }
        } }
    }
}

fn claim_line(c: &ClaimOut, places: &PlaceNames) -> Markup {
    html! {
        (words(c.kind))
        @if c.place.is_some() { " " (places.of(&c.place)) }
        @if let Some(t) = &c.text { " " bdi dir="auto" { (t) } }
        @if let Some(d) = &c.detail { " · detail: " (sealed(d)) }
        " · grade " strong { (c.grade) } " · " (day(&c.observed_at))
    }
}

fn sealed(v: &SealedOut) -> Markup {
    match &v.value {
        Some(text) => {
            html! { bdi dir="auto" { (text) } " " span.sealed { "(sealed; your role holds the key)" } }
        }
        None => html! { span.sealed { "sealed" } },
    }
}

fn whereabouts(sh: &Sheet) -> Markup {
    let w = &sh.person.whereabouts;
    let by_id = |id: &String| sh.person.claims.iter().find(|c| &c.claim_id == id);
    html! {
        h2 { "Whereabouts" }
        p #whereabouts {
            strong { (words(w.status)) }
            @if w.place.is_some() { " — " (sh.places.of(&w.place)) }
            " · since " (day(&w.since)) " · confidence " (percent(w.confidence))
        }
        @if !w.basis.is_empty() {
            p { "Based on:" }
            ul { @for id in &w.basis { @if let Some(c) = by_id(id) { li { (claim_line(c, &sh.places)) } } } }
        }
        @if !w.contradictions.is_empty() {
            p.contradiction #contradictions { "Contradicted by " (w.contradictions.len()) " recent claim(s):" }
            ul { @for id in &w.contradictions { @if let Some(c) = by_id(id) { li { (claim_line(c, &sh.places)) } } } }
        }
    }
}

fn relatives(rs: &[Relative], places: &PlaceNames) -> Markup {
    html! {
        h2 { "Household and relatives" }
        @if rs.is_empty() { p { "None that you may see." } }
        @else {
            table #relatives {
                thead { tr { th scope="col" { "Relation" } th scope="col" { "Names" } th scope="col" { "Camp" } th scope="col" { "Whereabouts" } } }
                tbody { @for r in rs {
                    tr {
                        td { (words(r.relation)) }
                        td { a href={ "/person/" (r.person.person_id) } { (names(&r.person.names)) } }
                        td { (places.of(&r.person.camp)) }
                        td { (words(r.person.status)) }
                    }
                } }
            }
        }
    }
}

fn tasks(ts: &[TaskOut]) -> Markup {
    html! {
        h2 { "Open tasks" }
        @if ts.is_empty() { p { "None." } }
        ul { @for t in ts { li { (words(t.kind)) " · priority " (t.priority) @if !t.reason.is_empty() { " · " (t.reason) } } } }
    }
}

fn timeline(sh: &Sheet) -> Markup {
    html! {
        h2 { "Timeline of reports" }
        @if sh.timeline.is_empty() { p { "No reports yet." } }
        @else {
            table #timeline {
                thead { tr {
                    th scope="col" { "Observed" } th scope="col" { "Claim" } th scope="col" { "Grade" }
                    th scope="col" { "Report" } th scope="col" { "Source" }
                } }
                tbody { @for e in &sh.timeline {
                    @let contradicts = sh.person.whereabouts.contradictions.contains(&e.claim.claim_id);
                    tr {
                        td { (day(&e.claim.observed_at)) }
                        td {
                            (words(e.claim.kind))
                            @if e.claim.place.is_some() { " " (sh.places.of(&e.claim.place)) }
                            @if let Some(t) = &e.claim.text { " " bdi dir="auto" { (t) } }
                            @if let Some(d) = &e.claim.detail { " · detail: " (sealed(d)) }
                            @if contradicts { " " span.contradiction { "(contradicts)" } }
                        }
                        td { strong { (e.claim.grade) } }
                        td {
                            @if let Some(r) = &e.report {
                                (words(r.channel)) ", received " (day(&r.received_at))
                                @if let Some(c) = &r.content { br; bdi dir="auto" { (c) } }
                            } @else { "—" }
                        }
                        td { @if let Some(src) = e.report.as_ref().and_then(|r| r.source.as_ref()) { (sealed(src)) } @else { "none" } }
                    }
                } }
            }
        }
    }
}
