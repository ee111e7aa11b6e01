//! The consent and interviews parts of a person's page: each purpose with where it
//! stands now, every decision with its evidence, and the interviews with their files and
//! transcript (opened only for the roles holding its key). What is shown is what the
//! gate returned; a consul sees only decisions about their own government.

use super::layout::{day, words, PlaceNames};
use access::consent::{ConsentOut, InterviewOut};
use access::redact::SealedOut;
use maud::{html, Markup};

pub fn consent(c: &ConsentOut) -> Markup {
    html! {
        h2 { "Consent" }
        table #consent {
            thead { tr { th scope="col" { "Purpose" } th scope="col" { "Now" } th scope="col" { "Since" } } }
            tbody { @for s in &c.current {
                tr {
                    td { (words(&s.purpose.replace(':', " with "))) }
                    td class={ "consent-" (s.state) } { (words(s.state)) }
                    td { (day(&s.since)) }
                }
            } }
        }
        @if !c.history.is_empty() {
            details {
                summary { "Every decision (" (c.history.len()) ")" }
                ul #consent-history { @for d in &c.history {
                    li {
                        (day(&d.at)) ": " (words(&d.purpose)) " " strong { (d.decision) }
                        @if d.given_by == "guardian" { " by a parent or guardian" }
                        " · evidence: " (words(d.evidence.kind))
                        @if let Some(who) = &d.recorded_by { " · recorded by " (who) }
                    }
                } }
            }
        }
    }
}

pub fn interviews(
    list: &[InterviewOut],
    places: &PlaceNames,
    sealed: fn(&SealedOut) -> Markup,
) -> Markup {
    html! {
        h2 { "Interviews" }
        @if list.is_empty() { p { "None recorded." } }
        @else {
            table #interviews {
                thead { tr {
                    th scope="col" { "When" } th scope="col" { "Where" } th scope="col" { "Language" }
                    th scope="col" { "Interviewers" } th scope="col" { "Transcript" } th scope="col" { "Files (by hash)" }
                } }
                tbody { @for i in list {
                    tr {
                        td { (day(&i.at)) }
                        td { (places.of(&i.place)) }
                        td { (i.language) @if let Some(x) = &i.interpreter { " (interpreted by " (x) ")" } }
                        td { (i.interviewers.join(", ")) }
                        td { @match &i.transcript { Some(t) => (sealed(t)), None => "none" } }
                        td { @for a in &i.attachments {
                            div { (a.media_type) ", " (a.size) " bytes, " code title=(a.blake3) { (a.blake3.get(..12).unwrap_or(&a.blake3)) } }
                        } }
                    }
                } }
            }
        }
    }
}
