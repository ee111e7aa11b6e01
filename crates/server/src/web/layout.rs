//! The page shell, navigation and small pieces shared by pages. Nothing here decides
//! what a user may see: it prints values the gate has already redacted.

use super::session::WebSession;
use access::redact::NameOut;
use access::views::PlaceOut;
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Homeward" }
            link rel="stylesheet" href="/assets/app.css";
            script src="/assets/app.js" defer {}
        }
    }
}

/// A page for a signed-in user: navigation for what their role can do, then `body`.
pub fn shell(s: &WebSession, title: &str, body: Markup) -> Markup {
    let role = s.user.role;
    let f = role.fields();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a.skip href="#main" { "Skip to content" }
                header {
                    nav aria-label="Main" {
                        span.brand { "Homeward" }
                        @if role.reads_persons() && f.names {
                            a href="/search" { "Search" }
                        }
                        @if role.reads_persons() && f.real_ids {
                            a href="/tracing" { "Unaccounted for" }
                        }
                        @if role.reviews_duplicates() && f.names {
                            a href="/duplicates" { "Duplicates" }
                        }
                        a href="/camps" { "Camps" }
                        @if access::cases::policy::sees_board(role) {
                            a href="/cases" { "Repatriation" }
                        }
                        @if role.records_reports() && f.names {
                            a href="/report/new" { "Record a report" }
                        }
                        @if role.administers() {
                            a href="/audit" { "Audit" }
                        }
                        span.who {
                            (s.user.name) " (" (role.as_str())
                            @for c in &s.user.nationalities { " " (c.to_string()) }
                            ")"
                        }
                        form.inline method="post" action="/logout" {
                            (csrf_field(s))
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main #main {
                    // A title may be a name in Arabic: the browser picks its direction.
                    h1 dir="auto" { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page with no navigation (sign-in, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header { nav aria-label="Main" { span.brand { "Homeward" } } }
                main #main { h1 { (title) } (body) }
            }
        }
    }
}

pub fn csrf_field(s: &WebSession) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf); }
}

/// A name in its own direction: Arabic right to left beside Latin left to right.
pub fn name(n: &NameOut) -> Markup {
    let lang = match n.script {
        "arabic" => Some("ar"),
        _ => None,
    };
    html! { bdi.name dir="auto" lang=[lang] { (n.text) } }
}

/// Every name of a person, separated.
pub fn names(ns: &[NameOut]) -> Markup {
    html! {
        @for (i, n) in ns.iter().enumerate() {
            @if i > 0 { span.sep aria-hidden="true" { " · " } }
            (name(n))
        }
    }
}

/// The name to title a person's line or page with: a Latin full name, else an Arabic one,
/// else the first.
pub fn title_name(ns: &[NameOut]) -> Option<&NameOut> {
    let full = |script: &str| ns.iter().find(|n| n.kind == "full" && n.script == script);
    full("latin").or_else(|| full("arabic")).or(ns.first())
}

pub fn words(label: &str) -> String {
    label.replace('_', " ")
}

pub fn percent(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).clamp(0.0, 100.0))
}

/// The date part of an RFC 3339 time, for compact tables.
pub fn day(t: &Option<String>) -> &str {
    t.as_deref()
        .map(|s| s.get(..10).unwrap_or(s))
        .unwrap_or("—")
}

/// Place names by id, to print ids the gate returns as names.
pub struct PlaceNames(HashMap<String, String>);

impl PlaceNames {
    pub fn new(places: &[PlaceOut]) -> Self {
        Self(
            places
                .iter()
                .map(|p| (p.place_id.clone(), p.name.clone()))
                .collect(),
        )
    }

    pub fn of(&self, id: &Option<String>) -> String {
        match id {
            None => "—".into(),
            Some(id) => self.0.get(id).cloned().unwrap_or_else(|| short(id)),
        }
    }
}

/// The first 8 characters of an id, enough to tell ids apart on a page.
pub fn short(id: &str) -> String {
    id.chars().take(8).collect()
}
