//! Duplicates: the review queue (pairs of records that may be one person, strongest
//! first), one candidate with both persons side by side and the evidence, the decision
//! form (match merges; not a match is remembered; unsure stays in the queue, marked), and
//! undoing a merge. Read through `access::Gate`, changed through `access::Writer`: a pair
//! the user may not both see is "not found", and the queue counts only the user's pairs.

use super::layout::{csrf_field, names, percent, shell, short, title_name, words, PlaceNames};
use super::{html_page, path_id, query, read, signed, write, Form, PageResult, WebError};
use crate::state::AppState;
use access::duplicates::{CandidateOut, EvidenceOut, MergedFromOut, QueueItemOut, RecordOut};
use access::redact::PersonOut;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use model::ids::{CandidateId, MergeId, PersonId};
use model::merge::MatchDecision;
use std::sync::Arc;

/// Most candidates on the page.
const LIMIT: usize = 100;

/// The queue.
pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let done = query(raw).get("decided").unwrap_or_default().to_string();
    let (queue, places) =
        read(&state, &s, |g| Ok((g.duplicate_queue(LIMIT)?, g.places()?))).await?;
    let places = PlaceNames::new(&places);
    let body = html! {
        @if let Some(d) = MatchDecision::parse(&done) {
            p.ok role="status" { "Decision recorded: " (words(d.as_str())) "." }
        }
        p #queue-count {
            (queue.total) " pairs to review"
            @if queue.items.len() < queue.total { " (the strongest " (queue.items.len()) ")" }
            ". Each pair may be one person recorded twice; nothing is merged until you decide."
        }
        @if !queue.items.is_empty() {
            table #queue {
                thead { tr {
                    th.num scope="col" { "Match" } th scope="col" { "Person A" } th scope="col" { "Person B" }
                    th scope="col" { "Status" } th scope="col" { "Review" }
                } }
                tbody { @for item in &queue.items { (queue_row(item, &places)) } }
            }
        }
    };
    Ok(html_page(shell(&s, "Duplicates", body)))
}

fn queue_row(item: &QueueItemOut, places: &PlaceNames) -> Markup {
    let side = |p: &access::views::PersonSummary| {
        html! {
            (names(&p.names))
            br;
            span.muted {
                @for n in &p.nationalities { (n.country) " " }
                "· " (places.of(&p.camp)) " · " (words(p.status))
            }
        }
    };
    html! {
        tr {
            td.num { (percent(item.probability)) }
            td { (side(&item.a)) }
            td { (side(&item.b)) }
            td { (words(item.status)) }
            td { a href={ "/duplicates/" (item.candidate_id) } aria-label={ "Review pair " (short(&item.candidate_id)) } { "Review" } }
        }
    }
}

/// One candidate.
pub async fn candidate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let id: CandidateId = path_id(id)?;
    let (c, places) = read(&state, &s, move |g| Ok((g.duplicate(id)?, g.places()?))).await?;
    let places = PlaceNames::new(&places);
    let body = html! {
        p #candidate-summary {
            "Match probability " strong { (percent(c.probability)) } " (weight " (format!("{:.1}", c.weight)) "), "
            (words(c.status)) "."
        }
        (side_by_side(&c, &places))
        @if let Some(e) = &c.evidence { (evidence(e)) }
        (history(&c))
        @if let Some(m) = &c.merge_id {
            h2 { "Merged" }
            p { "These records are one person now. If that was wrong, separate them again:" }
            (undo_form(&s, m, &c.a.person_id))
        } @else {
            (decision_form(&s, &c))
        }
        p { a href="/duplicates" { "Back to the queue" } }
    };
    Ok(html_page(shell(&s, "Review a possible duplicate", body)))
}

fn person_cell(p: &PersonOut, places: &PlaceNames) -> Markup {
    html! {
        td {
            a href={ "/person/" (p.person_id) } {
                (p.names.as_deref().and_then(title_name).map(|n| n.text.clone()).unwrap_or_else(|| short(&p.person_id)))
            }
            @if let Some(ns) = &p.names { br; (names(ns)) }
            dl.facts {
                dt { "Sex" } dd { (p.sex) }
                dt { "Born" } dd { (p.birth.as_deref().unwrap_or("unknown")) }
                dt { "Nationality" } dd { @for n in &p.nationalities { (n.country) " (" (n.status) ") " } }
                dt { "Household" } dd { (p.household.as_deref().map(short).unwrap_or_else(|| "—".into())) }
                dt { "Whereabouts" } dd { (words(p.whereabouts.status)) " " (places.of(&p.whereabouts.place)) }
                dt { "Claims" } dd { (p.claims.len()) }
            }
        }
    }
}

fn side_by_side(c: &CandidateOut, places: &PlaceNames) -> Markup {
    html! {
        table #pair {
            caption { "The two records side by side" }
            thead { tr { th scope="col" { "Person A" } th scope="col" { "Person B" } } }
            tbody { tr { (person_cell(&c.a, places)) (person_cell(&c.b, places)) } }
        }
    }
}

fn evidence(e: &EvidenceOut) -> Markup {
    html! {
        h2 { "Evidence" }
        table #evidence {
            caption { "What each comparison adds (log2 odds; positive says one person)" }
            thead { tr { th scope="col" { "Comparison" } th scope="col" { "Level" } th.num scope="col" { "Weight" } } }
            tbody { @for x in &e.comparisons {
                tr { td { (x.comparison) } td { (x.level) } td.num { (format!("{:+.1}", x.weight)) } }
            } }
        }
        ul #evidence-notes {
            @for n in &e.names {
                li { "Names met: " bdi dir="auto" { (n.a) } " ~ " bdi dir="auto" { (n.b) } " (" (percent(n.similarity)) ")" }
            }
            @if !e.keys.is_empty() { li { "Found under index keys: " (e.keys.join(", ")) } }
            @if let Some(h) = &e.household {
                li { "Household support: " (format!("{:+.1}", h.weight)) " from relatives linked as well"
                    @for (a, b) in &h.through { " · " a href={ "/person/" (a) } { (short(a)) } "~" a href={ "/person/" (b) } { (short(b)) } }
                }
            }
            @if e.kunya { li { "A kunya singles one out as the other's mother." } }
        }
    }
}

fn history(c: &CandidateOut) -> Markup {
    html! {
        @if !c.history.is_empty() {
            h2 { "History" }
            ul #history { @for h in &c.history {
                li { (words(h.step)) " by " (h.by) " · " (super::layout::day(&h.at))
                    @if !h.note.is_empty() { " — " bdi dir="auto" { (h.note) } } }
            } }
        }
    }
}

fn decision_form(s: &super::session::WebSession, c: &CandidateOut) -> Markup {
    let label = |p: &PersonOut| {
        p.names
            .as_deref()
            .and_then(title_name)
            .map(|n| n.text.clone())
            .unwrap_or_else(|| short(&p.person_id))
    };
    html! {
        h2 { "Decide" }
        form #decide method="post" action={ "/duplicates/" (c.candidate_id) "/decision" } {
            (csrf_field(s))
            fieldset {
                legend { "Are these two records one person?" }
                label { input type="radio" name="decision" value="match" required; " Match: one person (the records are merged; this can be undone)" }
                label { input type="radio" name="decision" value="not_a_match"; " Not a match: two people (remembered; never proposed again)" }
                label { input type="radio" name="decision" value="unsure"; " Unsure: keep it in the queue, marked" }
            }
            label for="keep" { "For a match, keep the id of" }
            select #keep name="keep" {
                option value=(c.a.person_id) { (label(&c.a)) " (" (short(&c.a.person_id)) ")" }
                option value=(c.b.person_id) { (label(&c.b)) " (" (short(&c.b.person_id)) ")" }
            }
            label for="note" { "Note (why)" }
            textarea #note name="note" maxlength=(access::duplicates::MAX_NOTE_CHARS) {}
            button type="submit" { "Record the decision" }
        }
    }
}

fn undo_form(s: &super::session::WebSession, merge: &str, back_to: &str) -> Markup {
    html! {
        form.undo method="post" action={ "/duplicates/merges/" (merge) "/undo" } {
            (csrf_field(s))
            input type="hidden" name="back" value=(back_to);
            label for={ "undo-note-" (short(merge)) } { "Why undo (note)" }
            input type="text" id={ "undo-note-" (short(merge)) } name="note" maxlength=(access::duplicates::MAX_NOTE_CHARS);
            button type="submit" { "Undo this merge" }
        }
    }
}

/// A form posted by a signed-in browser with its session's CSRF token, and the id in
/// its path.
fn posted<T: std::str::FromStr>(
    state: &AppState,
    headers: &HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: &Bytes,
) -> Result<(super::session::WebSession, Form, T), WebError> {
    let (s, _) = signed(state, headers)?;
    let f = Form::parse(body);
    f.check_csrf(&s)?;
    Ok((s, f, path_id(id)?))
}

/// Records the decision.
pub async fn decide(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> PageResult {
    let (s, f, id): (_, _, CandidateId) = posted(&state, &headers, id, &body)?;
    let decision =
        MatchDecision::parse(f.get("decision").unwrap_or_default()).ok_or_else(|| {
            WebError::bad_request("Choose match, not a match or unsure, then submit again.")
        })?;
    let keep = match (decision, f.get("keep")) {
        (MatchDecision::Match, Some(k)) if !k.is_empty() => Some(
            k.parse::<PersonId>()
                .map_err(|_| WebError::bad_request("Choose which person's id to keep."))?,
        ),
        _ => None,
    };
    let note = f.get("note").unwrap_or_default().to_string();
    let out = write(&state, &s, move |w| {
        w.decide_duplicate(id, decision, &note, keep)
    })
    .await?;
    let to = match &out.person_id {
        Some(p) => format!("/person/{p}"),
        None => format!("/duplicates?decided={}", decision.as_str()),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Undoes a merge and goes back to the person.
pub async fn undo(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> PageResult {
    let (s, f, id): (_, _, MergeId) = posted(&state, &headers, id, &body)?;
    let note = f.get("note").unwrap_or_default().to_string();
    let out = write(&state, &s, move |w| w.undo_merge(id, &note)).await?;
    Ok(Redirect::to(&format!("/person/{}", out.merged)).into_response())
}

/// On a person's page: that the id asked for was merged into this person, and the
/// records the person is made of, each with its merge and the way to undo it.
pub fn records_section(s: &super::session::WebSession, p: &PersonOut) -> Markup {
    html! {
        @if let Some(MergedFromOut { person_id, merge }) = &p.merged_from {
            p.ok #merged-from role="status" {
                "Record " code { (short(person_id)) } " was merged into this person on "
                (super::layout::day(&merge.at)) " by " (merge.by) "."
            }
        }
        @if !p.records.is_empty() {
            h2 { "Records" }
            p.hint { "This person was recorded more than once. Each record keeps its own names and claims:" }
            table #records {
                thead { tr { th scope="col" { "Record" } th scope="col" { "Names" } th.num scope="col" { "Claims" } th scope="col" { "Merge" } } }
                tbody { @for r in &p.records { (record_row(s, r)) } }
            }
        }
    }
}

fn record_row(s: &super::session::WebSession, r: &RecordOut) -> Markup {
    html! {
        tr {
            td { code { (short(&r.person.person_id)) } }
            td { @if let Some(ns) = &r.person.names { (names(ns)) } }
            td.num { (r.person.claims.len()) }
            td {
                @if let Some(m) = &r.merge {
                    (super::layout::day(&m.at)) " by " (m.by)
                    @if m.in_effect && s.user.role.reviews_duplicates() { (undo_form(s, &m.merge_id, &r.person.person_id)) }
                } @else { "shown under this id" }
            }
        }
    }
}
