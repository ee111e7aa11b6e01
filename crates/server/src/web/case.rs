//! One repatriation case ([`access::Gate::case`]): members with children of another
//! nationality flagged, the stages with the days spent in each, the documents checklist,
//! custody handovers, stated wishes and legal records with their grades, and evidence
//! with every authorship claim side by side; who stays behind and why, who was removed,
//! and whether the case is unaccompanied. Users who may work on the case get the forms of
//! [`super::case_forms`] (move the case, documents, handovers, wishes, legal records,
//! evidence and its authorship, members and who travels); a refused change shows the
//! page again with the reason and the form as it was sent.

use super::case_forms::{self as forms, Refill};
use super::layout::{day, names, shell, short, title_name, words};
use super::session::WebSession;
use super::{html_page, path_id, query, read, signed, write, Form, PageResult, WebError};
use crate::state::AppState;
use access::cases::view::{CaseOut, EvidenceOut, RecordOut};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use model::ids::CaseId;
use std::sync::Arc;

fn member_name(c: &CaseOut, id: &str) -> Markup {
    match c.members.iter().find(|m| m.person.person_id == id) {
        Some(m) => match title_name(&m.person.names) {
            Some(n) => super::layout::name(n),
            None => html! { (short(id)) },
        },
        None => html! { (short(id)) },
    }
}

fn facts(c: &CaseOut) -> Markup {
    html! {
        dl.facts #case-facts {
            dt { "Country" } dd { (c.country) }
            dt { "Stage" } dd #case-stage { strong { (words(c.stage)) } " since " (day(&c.stage_since)) }
            dt { "Opened" } dd { (day(&c.opened_at)) }
            @if let Some(d) = &c.decision {
                dt { "Decision" } dd #case-decision { (d.outcome) " by " (d.authority) " on " (day(&d.decided_on)) }
            }
            dt { "Allowed next" } dd { (c.allowed_next.iter().map(|s| words(s)).collect::<Vec<_>>().join(", ")) }
            @if c.unaccompanied {
                dt { "Unaccompanied" } dd #case-unaccompanied { span.flag { "⚑ everyone who travels is a child" } }
            }
        }
    }
}

fn members(c: &CaseOut) -> Markup {
    html! {
        h2 { "Household in this case" }
        table #members {
            thead { tr { th scope="col" { "Relation" } th scope="col" { "Names" } th scope="col" { "Nationality" } th scope="col" { "Whereabouts" } th scope="col" { "Flags" } th scope="col" { "Travels" } } }
            tbody { @for m in &c.members {
                tr.staying[!m.travels] {
                    td { (m.relation) }
                    td { a href={ "/person/" (m.person.person_id) } { (names(&m.person.names)) } }
                    td { @for n in &m.person.nationalities { (n.country) " (" (n.status) ") " } }
                    td { (words(m.person.status)) }
                    td { @for f in &m.flags { span.flag { "⚑ " (f.detail) } br; } }
                    td { @match &m.stays_behind {
                        Some(st) => { strong { "stays behind" } " since " (day(&st.since)) ": " bdi dir="auto" { (st.reason) } }
                        None => { "yes" }
                    } }
                }
            } }
        }
        @if !c.removed.is_empty() {
            h3 { "Removed from the case" }
            ul #removed { @for r in &c.removed {
                li { a href={ "/person/" (r.person_id) } { (short(&r.person_id)) } ", " (day(&r.at)) ": " bdi dir="auto" { (r.reason) } }
            } }
        }
    }
}

fn stages(c: &CaseOut) -> Markup {
    html! {
        h2 { "Stages" }
        table #stages {
            thead { tr { th scope="col" { "Stage" } th scope="col" { "Entered" } th scope="col" { "Decided by" } th scope="col" { "Note" } } }
            tbody { @for s in &c.stages {
                tr {
                    td { (words(s.stage)) }
                    td { (day(&s.at)) }
                    td { @if let Some(a) = &s.authority { (a) " on " (day(&s.decided_on)) } }
                    td { bdi dir="auto" { (s.note) } }
                }
            } }
        }
        table #time-in-stages {
            caption { "Days in each stage, as of now" }
            thead { tr { @for t in &c.time_in_stages { th.num scope="col" { (words(t.stage)) } } } }
            tbody { tr { @for t in &c.time_in_stages { td.num { (format!("{:.1}", t.days)) } } } }
        }
    }
}

fn documents(c: &CaseOut) -> Markup {
    html! {
        h2 { "Documents" }
        table #documents {
            thead { tr { th scope="col" { "Document" } th scope="col" { "For" } th scope="col" { "Needed for" } th scope="col" { "Status" } th scope="col" { "Hash" } th scope="col" { "Received" } } }
            tbody { @for d in &c.documents {
                tr.missing[d.status == "missing"] {
                    td { (words(d.kind)) }
                    td { @if let Some(p) = &d.person_id { (member_name(c, p)) } }
                    td { (d.required_for.map(words).unwrap_or_default()) }
                    td { strong { (d.status) } }
                    td { @if let Some(h) = &d.hash { code title=(h) { (h.get(..16).unwrap_or(h)) "…" } } }
                    td { (day(&d.received_at)) }
                }
            } }
        }
        @if !c.handovers.is_empty() {
            h2 { "Custody handovers" }
            ul #handovers { @for h in &c.handovers {
                li { (day(&h.at)) ": " (h.from) " → " (h.to) ", at " (h.place) " (" (h.persons.len()) " persons)" @if !h.note.is_empty() { " — " (h.note) } }
            } }
        }
    }
}

fn record_list(id: &str, title: &str, list: &Option<Vec<RecordOut>>, c: &CaseOut) -> Markup {
    let Some(list) = list else { return html! {} };
    html! {
        h2 { (title) }
        @if list.is_empty() { p { "None recorded." } }
        @else {
            table id=(id) {
                thead { tr { th scope="col" { "Person" } th scope="col" { "Says" } th scope="col" { "Grade" } th scope="col" { "Report" } } }
                tbody { @for r in list {
                    tr {
                        td { (member_name(c, &r.person_id)) }
                        td { (words(r.claim.kind)) @if let Some(t) = &r.claim.text { ": " bdi dir="auto" { (words(t)) } } }
                        td { strong { (r.claim.grade) } }
                        td { @if let Some(rep) = &r.report { (words(rep.channel)) ", " (day(&rep.received_at)) } }
                    }
                } }
            }
        }
    }
}

fn evidence_item(e: &EvidenceOut) -> Markup {
    html! {
        article.evidence {
            h3 { (words(e.kind)) ": " bdi dir="auto" { (e.description) } }
            p.muted { "Captured " (day(&e.captured_at)) " by " (e.captured_by) " · hash " code title=(e.hash) { (e.hash.get(..16).unwrap_or(&e.hash)) "…" } }
            @if e.authorship_disputed { p.alert.disputed { "Authorship disputed: the reports below name different authors." } }
            @if e.authorship.is_empty() { p { "No claim about who made it." } }
            @else {
                table.authorship {
                    thead { tr { th scope="col" { "Said to be made by" } th scope="col" { "Grade" } th scope="col" { "Report" } th scope="col" { "Note" } } }
                    tbody { @for a in &e.authorship {
                        tr {
                            td { bdi dir="auto" { (a.author) } }
                            td { strong { @if let Some(r) = &a.report { (r.grade) } } }
                            td { @if let Some(r) = &a.report {
                                (words(r.channel)) ", " (day(&r.received_at))
                                @if let Some(t) = &r.content { br; bdi dir="auto" { (t) } }
                                @if let Some(src) = &r.source { br; "source: " @if let Some(v) = &src.value { bdi dir="auto" { (v) } } @else { span.sealed { "sealed" } } }
                            } }
                            td { (a.note) }
                        }
                    } }
                }
            }
        }
    }
}

fn evidence(c: &CaseOut) -> Markup {
    let Some(list) = &c.evidence else {
        return html! {};
    };
    html! {
        h2 { "Evidence" }
        div #evidence {
            @if list.is_empty() { p { "None kept." } }
            @for e in list { (evidence_item(e)) }
        }
    }
}

fn render(
    s: &WebSession,
    c: &CaseOut,
    error: Option<&str>,
    done: Option<&str>,
    refill: &Refill,
) -> Markup {
    let title = c
        .members
        .iter()
        .find(|m| m.relation == "principal")
        .and_then(|m| title_name(&m.person.names))
        .map_or_else(
            || format!("Case {}", short(&c.case_id)),
            |n| format!("Case of {}", n.text),
        );
    let work = c.may_work;
    let has_evidence = c.evidence.as_ref().is_some_and(|e| !e.is_empty());
    let body = html! {
        @if let Some(e) = error { p.alert role="alert" #case-error { (e) } }
        @if let Some(d) = done { p.ok role="status" #case-done { (d) } }
        (facts(c))
        (members(c))
        @if work {
            div.grid #member-forms {
                (forms::travel_form(s, c, refill))
                @if c.members.len() > 1 { (forms::removal_form(s, c, refill)) }
                @if !c.may_join.is_empty() { (forms::member_form(s, c)) }
            }
        }
        (stages(c))
        @if work && !c.allowed_next.is_empty() { (forms::stage_form(s, c)) }
        (documents(c))
        @if work { div.grid { (forms::document_form(s, c)) (forms::handover_form(s, c)) } }
        (record_list("wishes", "Stated wishes", &c.wishes, c))
        (record_list("legal", "Legal records", &c.legal, c))
        @if work {
            div.grid {
                @if c.wishes.is_some() { (forms::wish_form(s, c, refill)) }
                @if c.legal.is_some() { (forms::legal_form(s, c, refill)) }
            }
        }
        (evidence(c))
        @if work && c.evidence.is_some() {
            div.grid {
                (forms::evidence_form(s, c, refill))
                @if has_evidence { (forms::authorship_form(s, c, refill)) }
            }
        }
        p { a href="/cases" { "Back to the board" } }
    };
    shell(s, &title, body)
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    // Sign-in first: without a session, no answer may depend on the id.
    let (s, _) = signed(&state, &headers)?;
    let id: CaseId = path_id(id)?;
    let done = query(raw).get("done").map(str::to_string);
    let case = read(&state, &s, move |g| g.case(id)).await?;
    Ok(html_page(render(
        &s,
        &case,
        None,
        done.as_deref(),
        &Refill(None),
    )))
}

/// `POST /case/{id}/{kind}`, `kind` one of [`forms::KINDS`].
pub async fn change(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let f = Form::parse(&body);
    f.check_csrf(&s)?;
    let Ok(Path((case, kind))) = path else {
        return Err(WebError::not_found());
    };
    let Some(kind) = forms::KINDS.iter().copied().find(|k| *k == kind) else {
        return Err(WebError::not_found());
    };
    let id: CaseId = case.parse().map_err(|_| WebError::not_found())?;
    let outcome = match forms::parse(kind, &f) {
        Ok((change, done)) => write(&state, &s, move |w| forms::apply(w, id, change))
            .await
            .map(|()| done),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(done) => {
            let to = format!(
                "/case/{id}?done={}",
                form_urlencoded::byte_serialize(done.as_bytes()).collect::<String>()
            );
            Ok(Redirect::to(&to).into_response())
        }
        // A refused change: the page again, saying why, the form filled in as sent
        // (nothing was written).
        Err(WebError::Status(StatusCode::BAD_REQUEST, msg)) => {
            let case = read(&state, &s, move |g| g.case(id)).await?;
            let refill = Refill(Some((kind, &f)));
            Ok((
                StatusCode::BAD_REQUEST,
                html_page(render(&s, &case, Some(&msg), None, &refill)),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
