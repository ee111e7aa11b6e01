//! The repatriation board: per country the caller may see, how many cases are at each
//! stage, and every case with the days it spent in each stage ([`access::Gate::case_board`]).
//! A coordinator sees counts only, small ones withheld; a consul only its countries.

use super::layout::{day, name, shell, words};
use super::{html_page, query, read, signed, PageResult};
use crate::state::AppState;
use access::cases::board::{BoardOut, CountryBoard};
use access::cases::input;
use access::cases::view::CaseSummary;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use maud::{html, Markup};
use model::case::Stage;
use model::time::Timestamp;
use std::sync::Arc;

/// Short column heads for the stages, in board order.
fn head(stage: &str) -> &'static str {
    match stage {
        "identified" => "Identified",
        "nationality_verified" => "Nationality verified",
        "consular_contact" => "Consular contact",
        "decision_pending" => "Decision pending",
        "approved" => "Approved",
        "refused" => "Refused",
        "transfer_arranged" => "Transfer arranged",
        "arrived" => "Arrived",
        "legal_proceedings" => "Legal proceedings",
        "reintegration_follow_up" => "Reintegration follow-up",
        _ => "Closed",
    }
}

fn count(c: Option<u64>) -> Markup {
    match c {
        Some(n) => html! { (n) },
        None => {
            html! { abbr title="withheld: a small count, or one that would reveal one" { "withheld" } }
        }
    }
}

fn principal(c: &CaseSummary) -> Markup {
    match c.principal.as_ref() {
        Some(p) => match super::layout::title_name(&p.names) {
            Some(n) => name(n),
            None => html! { "case " (super::layout::short(&c.case_id)) },
        },
        None => html! { "case " (super::layout::short(&c.case_id)) },
    }
}

fn by_stage(country: &CountryBoard) -> Markup {
    // A region of its own, reachable by keyboard, so that it can be scrolled on a narrow screen.
    html! {
        div.wide tabindex="0" role="region" aria-label={ "Cases by stage, " (country.country) } {
            table.stages {
                caption { "Cases by stage" }
                thead { tr { @for s in &country.stages { th.num scope="col" { (head(s.stage)) } } } }
                tbody { tr { @for s in &country.stages { td.num { (count(s.count)) } } } }
            }
        }
    }
}

/// Every case of a country, a row each, with the days spent in each stage.
fn cases_table(country: &CountryBoard) -> Markup {
    let rows: Vec<&CaseSummary> = country.stages.iter().flat_map(|s| s.cases.iter()).collect();
    html! {
        div.wide tabindex="0" role="region" aria-label={ "Cases of " (country.country) " and days in each stage" } {
            table.board id={ "cases-" (country.country) } {
                caption { "Cases, and days spent in each stage" }
                thead { tr {
                    th scope="col" { "Case" }
                    th scope="col" { "Now" }
                    @for s in Stage::ALL { th.num scope="col" { (head(s.as_str())) } }
                } }
                tbody { @for c in rows {
                    tr {
                        th scope="row" {
                            a href={ "/case/" (c.case_id) } { (principal(c)) }
                            span.muted { " · " (c.members) " members" }
                            @if c.flagged_children > 0 {
                                " " span.flag title="children whose nationality is not their mother's" { "⚑ " (c.flagged_children) }
                            }
                            @if c.unaccompanied { " " span.flag.unaccompanied { "⚑ unaccompanied" } }
                            @if c.staying_behind > 0 { span.muted { " · " (c.staying_behind) " staying behind" } }
                        }
                        td { (words(c.stage)) " " span.muted { "since " (day(&c.stage_since)) } }
                        @for s in Stage::ALL {
                            @let t = c.time_in_stages.iter().find(|t| t.stage == s.as_str());
                            td.num.current[s.as_str() == c.stage] {
                                @if let Some(t) = t { (format!("{:.1}", t.days)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn country_section(b: &BoardOut, country: &CountryBoard) -> Markup {
    let total = country.total;
    html! {
        section aria-labelledby={ "country-" (country.country) } {
            h2 id={ "country-" (country.country) } { (country.country) " — " (count(total)) " cases" }
            (by_stage(country))
            @if b.mode == "cases" { (cases_table(country)) }
        }
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (s, _) = signed(&state, &headers)?;
    let q = query(raw);
    let as_of_text = q.get("as_of").unwrap_or_default().to_string();
    let at = if as_of_text.trim().is_empty() {
        Timestamp(super::now_ms())
    } else {
        input::time(&as_of_text)?
    };
    let threshold = state.threshold;
    let board = read(&state, &s, move |g| g.case_board(at, threshold)).await?;
    let body = html! {
        form method="get" action="/cases" {
            label for="as_of" { "As of (empty: now)" }
            input #as_of type="date" name="as_of" value=(as_of_text);
            button type="submit" { "Show" }
        }
        p #board-as-of.muted {
            "As of " (day(&board.as_of)) ". "
            @if board.mode == "counts" {
                "Counts only; counts under " (board.threshold.unwrap_or(threshold)) ", and those that would reveal them, are withheld."
            } @else {
                "Days in each stage are counted from the stage moves; the current stage is marked."
            }
        }
        @if board.countries.is_empty() { p #no-cases { "No cases you may see." } }
        @for c in &board.countries { (country_section(&board, c)) }
    };
    Ok(html_page(shell(&s, "Repatriation board", body)))
}

/// The "repatriation case" part of a person page: the cases the person is in.
pub fn person_cases(cases: &[CaseSummary]) -> Markup {
    html! {
        h2 { "Repatriation case" }
        @if cases.is_empty() { p #person-cases { "None that you may see." } }
        @else {
            ul #person-cases { @for c in cases {
                li {
                    a href={ "/case/" (c.case_id) } { "Case with " (c.country) }
                    ": " (words(c.stage)) " since " (day(&c.stage_since))
                    @if c.flagged_children > 0 { " · " span.flag { "⚑ " (c.flagged_children) " child(ren) flagged" } }
                    @if c.unaccompanied { " · " span.flag { "⚑ unaccompanied" } }
                }
            } }
        }
    }
}
