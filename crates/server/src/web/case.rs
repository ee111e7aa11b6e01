//! One repatriation case ([`access::Gate::case`]): members with children of another
//! nationality flagged, the stages with the days spent in each, the documents checklist,
//! custody handovers, stated wishes and legal records with their grades, and evidence
//! with every authorship claim side by side. Users who may work on the case get forms to
//! move it to an allowed stage, record a document and record a handover, each with the
//! session's CSRF token, through [`access::Writer`]; a refused change shows the page
//! again with the reason.

use super::layout::{csrf_field, day, names, shell, short, title_name, words};
use super::session::WebSession;
use super::{html_page, query, read, signed, write, Form, PageResult, WebError};
use crate::state::AppState;
use access::cases::input;
use access::cases::view::{CaseOut, EvidenceOut, RecordOut};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use model::case::{CaseDocument, Decision, DocumentKind, Handover, Transition};
use model::ids::{CaseId, PersonId};
use model::time::Timestamp;
use std::sync::Arc;

fn case_id(path: Result<Path<String>, PathRejection>) -> Result<CaseId, WebError> {
    let Ok(Path(text)) = path else {
        return Err(WebError::not_found());
    };
    text.parse().map_err(|_| WebError::not_found())
}

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
        }
    }
}

fn members(c: &CaseOut) -> Markup {
    html! {
        h2 { "Household in this case" }
        table #members {
            thead { tr { th scope="col" { "Relation" } th scope="col" { "Names" } th scope="col" { "Nationality" } th scope="col" { "Whereabouts" } th scope="col" { "Flags" } } }
            tbody { @for m in &c.members {
                tr {
                    td { (m.relation) }
                    td { a href={ "/person/" (m.person.person_id) } { (names(&m.person.names)) } }
                    td { @for n in &m.person.nationalities { (n.country) " (" (n.status) ") " } }
                    td { (words(m.person.status)) }
                    td { @for f in &m.flags { span.flag { "⚑ " (f.detail) } br; } }
                }
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

fn stage_form(s: &WebSession, c: &CaseOut) -> Markup {
    html! {
        form method="post" action={ "/case/" (c.case_id) "/stage" } #stage-form {
            h3 { "Move the case" }
            (csrf_field(s))
            label for="stage" { "To" }
            select #stage name="stage" { @for st in &c.allowed_next { option value=(st) { (words(st)) } } }
            label for="stage-at" { "Entered on (empty: today)" }
            input #stage-at type="date" name="at";
            label for="authority" { "Deciding authority (approved or refused only)" }
            input #authority type="text" name="authority";
            label for="decided_on" { "Decided on (empty: the day entered)" }
            input #decided_on type="date" name="decided_on";
            label for="stage-note" { "Note (needed to close or reopen a case)" }
            input #stage-note type="text" name="note";
            button type="submit" { "Move the case" }
        }
    }
}

fn document_form(s: &WebSession, c: &CaseOut) -> Markup {
    html! {
        form method="post" action={ "/case/" (c.case_id) "/document" } #document-form {
            h3 { "Record a document" }
            (csrf_field(s))
            label for="doc-kind" { "Document" }
            select #doc-kind name="kind" { @for k in DocumentKind::ALL { option value=(k.as_str()) { (words(k.as_str())) } } }
            label for="doc-person" { "For" }
            select #doc-person name="person" {
                option value="" { "the case" }
                @for m in &c.members { option value=(m.person.person_id) { (title_name(&m.person.names).map(|n| n.text.clone()).unwrap_or_else(|| short(&m.person.person_id))) } }
            }
            label for="doc-hash" { "Hash of the copy (64 hexadecimal digits; empty if only seen)" }
            input #doc-hash type="text" name="hash" pattern="[0-9a-fA-F]{64}";
            label for="doc-received" { "Received on (empty: today)" }
            input #doc-received type="date" name="received_at";
            label for="doc-note" { "Note" }
            input #doc-note type="text" name="note";
            button type="submit" { "Record the document" }
        }
    }
}

fn handover_form(s: &WebSession, c: &CaseOut) -> Markup {
    html! {
        form method="post" action={ "/case/" (c.case_id) "/handover" } #handover-form {
            h3 { "Record a custody handover (every member)" }
            (csrf_field(s))
            label for="ho-from" { "From" } input #ho-from type="text" name="from";
            label for="ho-to" { "To" } input #ho-to type="text" name="to";
            label for="ho-place" { "Where" } input #ho-place type="text" name="place";
            label for="ho-at" { "On (empty: today)" } input #ho-at type="date" name="at";
            label for="ho-note" { "Note" } input #ho-note type="text" name="note";
            button type="submit" { "Record the handover" }
        }
    }
}

fn render(s: &WebSession, c: &CaseOut, error: Option<&str>, done: Option<&str>) -> Markup {
    let title = c
        .members
        .iter()
        .find(|m| m.relation == "principal")
        .and_then(|m| title_name(&m.person.names))
        .map_or_else(
            || format!("Case {}", short(&c.case_id)),
            |n| format!("Case of {}", n.text),
        );
    let body = html! {
        @if let Some(e) = error { p.alert role="alert" #case-error { (e) } }
        @if let Some(d) = done { p.ok role="status" #case-done { (d) } }
        (facts(c))
        (members(c))
        (stages(c))
        @if c.may_work && !c.allowed_next.is_empty() { (stage_form(s, c)) }
        (documents(c))
        @if c.may_work { div.grid { (document_form(s, c)) (handover_form(s, c)) } }
        (record_list("wishes", "Stated wishes", &c.wishes, c))
        (record_list("legal", "Legal records", &c.legal, c))
        (evidence(c))
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
    let id = case_id(id)?;
    let done = query(raw).get("done").map(str::to_string);
    let case = read(&state, &s, move |g| g.case(id)).await?;
    Ok(html_page(render(&s, &case, None, done.as_deref())))
}

fn date(f: &Form, field: &str) -> Result<Option<Timestamp>, WebError> {
    match f.get(field).map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(input::time(t)?)),
        None => Ok(None),
    }
}

fn text(f: &Form, field: &str) -> String {
    f.get(field).unwrap_or_default().trim().to_string()
}

fn person(f: &Form, field: &str) -> Result<Option<PersonId>, WebError> {
    match f.get(field).map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(t.parse().map_err(|_| WebError::not_found())?)),
        None => Ok(None),
    }
}

/// A change from one of the case's forms.
enum Change {
    Stage(Transition),
    Document(CaseDocument),
    Handover(Handover),
}

fn parse(kind: &str, f: &Form) -> Result<(Change, &'static str), WebError> {
    let now = Timestamp(super::now_ms());
    Ok(match kind {
        "stage" => {
            let at = date(f, "at")?.unwrap_or(now);
            let authority = text(f, "authority");
            let decision = (!authority.is_empty())
                .then(|| -> Result<Decision, WebError> {
                    Ok(Decision {
                        authority,
                        decided_on: date(f, "decided_on")?.unwrap_or(at),
                    })
                })
                .transpose()?;
            let t = Transition {
                to: input::stage(f.get("stage").unwrap_or_default())?,
                at,
                decision,
                note: text(f, "note"),
            };
            (Change::Stage(t), "Stage recorded.")
        }
        "document" => {
            let hash = text(f, "hash");
            let d = CaseDocument {
                kind: input::document_kind(f.get("kind").unwrap_or_default())?,
                person: person(f, "person")?,
                hash: (!hash.is_empty()).then(|| input::hash(&hash)).transpose()?,
                received_at: date(f, "received_at")?.unwrap_or(now),
                note: text(f, "note"),
            };
            (Change::Document(d), "Document recorded.")
        }
        _ => {
            let h = Handover {
                from: text(f, "from"),
                to: text(f, "to"),
                place: text(f, "place"),
                at: date(f, "at")?.unwrap_or(now),
                persons: Vec::new(),
                note: text(f, "note"),
            };
            (Change::Handover(h), "Custody handover recorded.")
        }
    })
}

/// `POST /case/{id}/{stage|document|handover}`.
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
    if !matches!(kind.as_str(), "stage" | "document" | "handover") {
        return Err(WebError::not_found());
    }
    let id: CaseId = case.parse().map_err(|_| WebError::not_found())?;
    let outcome = match parse(&kind, &f) {
        Ok((change, done)) => write(&state, &s, move |w| match change {
            Change::Stage(t) => w.change_case_stage(id, t),
            Change::Document(d) => w.record_case_document(id, d),
            Change::Handover(h) => w.record_handover(id, h),
        })
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
        // A refused change: the page again, saying why (nothing was written).
        Err(WebError::Status(StatusCode::BAD_REQUEST, msg)) => {
            let case = read(&state, &s, move |g| g.case(id)).await?;
            Ok((
                StatusCode::BAD_REQUEST,
                html_page(render(&s, &case, Some(&msg), None)),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
