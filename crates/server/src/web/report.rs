//! Record a report: channel, when, sealed source, Admiralty grade, free text and claims
//! about persons. The form works without script (paste a person id); with it, typing a
//! name suggests persons. The change goes through [`access::Writer::record_report`].

use super::layout::{csrf_field, shell, short, words};
use super::{html_page, query, read, signed, write, Form, PageResult, WebError};
use crate::state::AppState;
use access::views::PlaceOut;
use access::writes::ReportInput;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::NaiveDateTime;
use maud::{html, Markup};
use model::claim::ClaimKind;
use model::ids::{PersonId, PlaceId};
use model::report::{Channel, Grade};
use model::time::Timestamp;
use std::sync::Arc;

/// Claim rows on the form.
const ROWS: usize = 3;
pub(super) const CHANNELS: [&str; 6] = [
    "text_message",
    "voice_note",
    "call",
    "interview",
    "official_list",
    "media",
];
const KINDS: [(&str, &str); 6] = [
    ("seen_at", "seen at (place)"),
    ("escaped", "escaped from (place)"),
    ("on_the_move", "on the move (toward: detail)"),
    ("in_custody", "in custody (holder: detail; place optional)"),
    ("deceased", "deceased"),
    ("health", "health condition (condition: detail)"),
];

fn not_allowed(s: &super::session::WebSession) -> Result<(), WebError> {
    if s.user.role.records_reports() && s.user.role.fields().names {
        Ok(())
    } else {
        Err(WebError::Status(
            StatusCode::FORBIDDEN,
            format!("The role {} may not record reports.", s.user.role),
        ))
    }
}

fn form_body(
    s: &super::session::WebSession,
    places: &[PlaceOut],
    f: &Form,
    error: Option<&str>,
) -> Markup {
    let v = |k: &str| f.get(k).unwrap_or_default().to_string();
    let grade_r = f.get("reliability").unwrap_or("C");
    let grade_c = f.get("credibility").unwrap_or("3");
    html! {
        @if let Some(e) = error { p.alert role="alert" #report-error { (e) } }
        form method="post" action="/report" {
            (csrf_field(s))
            label for="channel" { "Channel" }
            select #channel name="channel" {
                @for c in CHANNELS { option value=(c) selected[f.get("channel") == Some(c)] { (words(c)) } }
            }
            label for="received_at" { "Received (UTC; empty: now)" }
            input #received_at type="datetime-local" name="received_at" value=(v("received_at"));
            label for="observed_at" { "The claims were true on (UTC; empty: when received)" }
            input #observed_at type="datetime-local" name="observed_at" value=(v("observed_at"));
            fieldset {
                legend { "Admiralty grade" }
                label for="reliability" { "Source reliability (A completely reliable … F cannot be judged)" }
                select #reliability name="reliability" {
                    @for r in ["A", "B", "C", "D", "E", "F"] { option value=(r) selected[grade_r == r] { (r) } }
                }
                label for="credibility" { "Information credibility (1 confirmed … 6 cannot be judged)" }
                select #credibility name="credibility" {
                    @for c in ["1", "2", "3", "4", "5", "6"] { option value=(c) selected[grade_c == c] { (c) } }
                }
            }
            label for="source" { "Source — who sent it (stored sealed; never shown without the key)" }
            input #source type="text" name="source" value=(v("source")) dir="auto" autocomplete="off";
            label for="content" { "What the report says" }
            textarea #content name="content" dir="auto" required { (v("content")) }
            @for i in 0..ROWS { (claim_row(i, places, f)) }
            button type="submit" { "Record the report" }
        }
    }
}

fn claim_row(i: usize, places: &[PlaceOut], f: &Form) -> Markup {
    let n = i + 1;
    let field = |k: &str| f.all(k).get(i).map(|s| s.to_string()).unwrap_or_default();
    let kind = field("claim_kind");
    let place = field("claim_place");
    html! {
        fieldset.claim {
            legend { "Claim " (n) @if i > 0 { " (optional)" } }
            label for={ "find" (n) } { "Who is it about? Type a name" }
            input id={ "find" (n) } type="text" dir="auto" autocomplete="off"
                data-suggest={ "person" (n) } aria-controls={ "suggest" (n) } aria-describedby={ "hint" (n) };
            ul.suggest id={ "suggest" (n) } aria-live="polite" {}
            label for={ "person" (n) } { "Person id" }
            input id={ "person" (n) } type="text" name="claim_person" value=(field("claim_person")) autocomplete="off";
            p.hint id={ "hint" (n) } { "Choose a suggestion, or paste a person's id." }
            label for={ "kind" (n) } { "Claim" }
            select id={ "kind" (n) } name="claim_kind" {
                @for (k, label) in KINDS { option value=(k) selected[kind == k] { (label) } }
            }
            label for={ "place" (n) } { "Place" }
            select id={ "place" (n) } name="claim_place" {
                option value="" { "—" }
                @for p in places { option value=(p.place_id) selected[place == p.place_id] { (p.name) " (" (words(p.kind)) ")" } }
            }
            label for={ "detail" (n) } { "Detail" }
            input id={ "detail" (n) } type="text" name="claim_detail" value=(field("claim_detail")) dir="auto";
        }
    }
}

pub async fn form(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    not_allowed(&s)?;
    let q = query(raw);
    let mut prefill = Form(Vec::new());
    if let Some(about) = q.get("about") {
        prefill.0.push(("claim_person".into(), about.to_string()));
    }
    let places = read(&state, &s, |g| g.places()).await?;
    Ok(html_page(shell(
        &s,
        "Record a report",
        form_body(&s, &places, &prefill, None),
    )))
}

fn parse_time(text: &str, what: &str) -> Result<Option<Timestamp>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parsed = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            format!(
                "{what}: '{t}' is not a date and time; use the picker or write 2019-10-13T14:30"
            )
        })?;
    Ok(Some(Timestamp(parsed.and_utc().timestamp_millis())))
}

fn parse_claim(
    n: usize,
    person: &str,
    kind: &str,
    place: &str,
    detail: &str,
) -> Result<(PersonId, ClaimKind), String> {
    let person: PersonId = person.trim().parse().map_err(|_| {
        format!("Claim {n}: '{}' is not a person id; choose a person from the suggestions or paste a whole id.", person.trim())
    })?;
    let place = match place.trim() {
        "" => None,
        p => Some(
            p.parse::<PlaceId>()
                .map_err(|_| format!("Claim {n}: choose the place from the list."))?,
        ),
    };
    let detail = detail.trim();
    let need_place =
        || place.ok_or_else(|| format!("Claim {n}: choose a place for this kind of claim."));
    let need_detail = |what: &str| {
        if detail.is_empty() {
            Err(format!("Claim {n}: write {what} in Detail."))
        } else {
            Ok(detail.to_string())
        }
    };
    let kind = match kind {
        "seen_at" => ClaimKind::SeenAt {
            place: need_place()?,
        },
        "escaped" => ClaimKind::Escaped {
            from: need_place()?,
        },
        "on_the_move" => ClaimKind::OnTheMove {
            toward: (!detail.is_empty()).then(|| detail.to_string()),
        },
        "in_custody" => ClaimKind::InCustody {
            holder: need_detail("who holds the person")?,
            place,
        },
        "deceased" => ClaimKind::Deceased,
        "health" => ClaimKind::HealthCondition {
            condition: need_detail("the condition")?,
            detail: None,
        },
        other => {
            return Err(format!(
                "Claim {n}: '{other}' is not a kind of claim this form records."
            ))
        }
    };
    Ok((person, kind))
}

fn parse_input(f: &Form, now_ms: i64) -> Result<ReportInput, String> {
    let channel = Channel::parse(f.get("channel").unwrap_or_default())
        .ok_or("Choose the channel the report came by.")?;
    let grade = Grade::parse(&format!(
        "{}{}",
        f.get("reliability").unwrap_or_default(),
        f.get("credibility").unwrap_or_default()
    ))
    .map_err(|e| e.to_string())?;
    let received_at = parse_time(f.get("received_at").unwrap_or_default(), "Received")?
        .unwrap_or(Timestamp(now_ms));
    let observed_at = parse_time(
        f.get("observed_at").unwrap_or_default(),
        "The claims were true on",
    )?
    .unwrap_or(received_at);
    let persons = f.all("claim_person");
    let kinds = f.all("claim_kind");
    let places = f.all("claim_place");
    let details = f.all("claim_detail");
    let mut claims = Vec::new();
    for (i, person) in persons.iter().enumerate() {
        if person.trim().is_empty() {
            continue;
        }
        let at = |v: &Vec<&str>| v.get(i).map(|s| s.to_string()).unwrap_or_default();
        claims.push(parse_claim(
            i + 1,
            person,
            &at(&kinds),
            &at(&places),
            &at(&details),
        )?);
    }
    Ok(ReportInput {
        channel,
        received_at,
        observed_at,
        grade,
        content: f.get("content").unwrap_or_default().to_string(),
        source: f.get("source").map(str::to_string),
        claims,
    })
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let f = Form::parse(&body);
    f.check_csrf(&s)?;
    not_allowed(&s)?;
    let input = parse_input(&f, super::now_ms());
    let outcome = match input {
        Err(msg) => Err(WebError::bad_request(msg)),
        Ok(input) => {
            let persons: Vec<PersonId> = input.claims.iter().map(|c| c.0).collect();
            write(&state, &s, move |w| w.record_report(input))
                .await
                .map(|id| (id, persons))
        }
    };
    match outcome {
        Ok((id, persons)) => {
            let body = html! {
                p.ok role="status" #report-recorded { "Report " code { (short(&id.to_string())) } " recorded with " (persons.len()) " claim(s)." }
                ul { @for p in &persons { li { a href={ "/person/" (p) } { "Person " (short(&p.to_string())) } } } }
                p { a href="/report/new" { "Record another report" } }
            };
            Ok(html_page(shell(&s, "Report recorded", body)))
        }
        Err(WebError::Status(status, msg)) if status.is_client_error() => {
            let msg = if status == StatusCode::NOT_FOUND {
                "A claim is about a person who is not in the registry or not one you may see. Check the person ids.".to_string()
            } else {
                msg
            };
            let places = read(&state, &s, |g| g.places()).await?;
            Ok((
                status,
                html_page(shell(
                    &s,
                    "Record a report",
                    form_body(&s, &places, &f, Some(&msg)),
                )),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
