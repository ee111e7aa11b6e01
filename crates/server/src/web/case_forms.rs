//! The forms of a case page and what they post: move the case, record a document or a
//! handover, a stated wish or a legal record (each a report with its claim), keep an
//! evidence item and record who is said to have made it, add or remove a member, and
//! mark a member as staying behind or travelling again.
//!
//! Forms are shown only to a user who may work on the case, and only those the role's
//! view of the case allows (no legal form for a role that sees no legal status). Every
//! form carries the session's CSRF token; what it posts is read with the same
//! `access::cases::input` as the API and the command line and goes through
//! [`access::Writer`], so the three interfaces accept and refuse alike. A refused form
//! comes back filled in as it was sent ([`Refill`]). Free text is written in its own
//! direction (`dir="auto"`), so Arabic and Latin sit side by side.

use super::layout::{csrf_field, short, title_name, words};
use super::session::WebSession;
use super::{Form, WebError};
use access::cases::input;
use access::cases::view::{CaseOut, MemberOut};
use access::cases::writes::{AuthorshipInput, EvidenceInput, ReportRef};
use access::writes::ReportInput;
use access::{AccessError, Writer};
use maud::{html, Markup};
use model::case::{
    Author, CaseDocument, Decision, DocumentKind, EvidenceKind, Handover, Removal, Transition,
    TravelChange,
};
use model::claim::ClaimKind;
use model::ids::{CaseId, EvidenceId, PersonId};
use model::time::Timestamp;

/// The forms a case page posts to: `/case/{id}/{kind}`.
pub const KINDS: [&str; 10] = [
    "stage",
    "document",
    "handover",
    "wish",
    "legal",
    "evidence",
    "authorship",
    "member",
    "removal",
    "travel",
];

/// A refused form's fields, to fill that form in again (and no other).
pub struct Refill<'a>(pub Option<(&'a str, &'a Form)>);

impl<'a> Refill<'a> {
    fn get(&self, kind: &str, field: &str) -> &'a str {
        match self.0 {
            Some((k, f)) if k == kind => f.get(field).unwrap_or_default(),
            _ => "",
        }
    }
}

fn member_label(m: &MemberOut) -> String {
    title_name(&m.person.names).map_or_else(|| short(&m.person.person_id), |n| n.text.clone())
}

/// A select of `members` named `name`, with an empty first choice when `none` says
/// what it means.
fn member_select<'m>(
    (id, name): (&str, &str),
    members: impl Iterator<Item = &'m MemberOut>,
    chosen: &str,
    none: Option<&str>,
) -> Markup {
    html! {
        select id=(id) name=(name) {
            @if let Some(n) = none { option value="" { (n) } }
            @for m in members {
                option value=(m.person.person_id) dir="auto" selected[chosen == m.person.person_id] { (member_label(m)) }
            }
        }
    }
}

fn options(id: &str, name: &str, values: &[(&str, &str)], chosen: &str) -> Markup {
    html! {
        select id=(id) name=(name) {
            @for (v, label) in values { option value=(v) selected[chosen == *v] { (label) } }
        }
    }
}

/// The report a wish, a legal record or an authorship claim comes from.
fn report_fields(kind: &str, r: &Refill) -> Markup {
    let id = |f: &str| format!("{kind}-{f}");
    let channels: Vec<(&str, String)> = super::report::CHANNELS
        .iter()
        .map(|c| (*c, words(c)))
        .collect();
    let channel = match r.get(kind, "channel") {
        "" => "interview",
        c => c,
    };
    html! {
        fieldset {
            legend { "The report it comes from" }
            label for=(id("channel")) { "Channel" }
            select id=(id("channel")) name="channel" {
                @for (v, label) in &channels { option value=(v) selected[channel == *v] { (label) } }
            }
            label for=(id("grade")) { "Admiralty grade (source A–F, information 1–6), e.g. B2" }
            input id=(id("grade")) type="text" name="grade" required pattern="[A-Fa-f][1-6]" value=(r.get(kind, "grade"));
            label for=(id("content")) { "What the report says" }
            textarea id=(id("content")) name="content" dir="auto" required { (r.get(kind, "content")) }
            label for=(id("source")) { "Who said it (kept sealed)" }
            input id=(id("source")) type="text" name="source" dir="auto" value=(r.get(kind, "source"));
            label for=(id("received")) { "Received on (empty: today)" }
            input id=(id("received")) type="date" name="received_at" value=(r.get(kind, "received_at"));
        }
    }
}

fn form(c: &CaseOut, s: &WebSession, kind: &str, title: &str, fields: Markup) -> Markup {
    html! {
        form method="post" action={ "/case/" (c.case_id) "/" (kind) } id={ (kind) "-form" } {
            h3 { (title) }
            (csrf_field(s))
            (fields)
        }
    }
}

pub fn stage_form(s: &WebSession, c: &CaseOut) -> Markup {
    form(
        c,
        s,
        "stage",
        "Move the case",
        html! {
            label for="stage" { "To" }
            select #stage name="stage" { @for st in &c.allowed_next { option value=(st) { (words(st)) } } }
            label for="stage-at" { "Entered on (empty: today)" }
            input #stage-at type="date" name="at";
            label for="authority" { "Deciding authority (approved or refused only)" }
            input #authority type="text" name="authority" dir="auto";
            label for="decided_on" { "Decided on (empty: the day entered)" }
            input #decided_on type="date" name="decided_on";
            label for="stage-note" { "Note (needed to close or reopen a case)" }
            input #stage-note type="text" name="note" dir="auto";
            button type="submit" { "Move the case" }
        },
    )
}

pub fn document_form(s: &WebSession, c: &CaseOut) -> Markup {
    form(
        c,
        s,
        "document",
        "Record a document",
        html! {
            label for="doc-kind" { "Document" }
            select #doc-kind name="kind" { @for k in DocumentKind::ALL { option value=(k.as_str()) { (words(k.as_str())) } } }
            label for="doc-person" { "For" }
            (member_select(("doc-person", "person"), c.members.iter(), "", Some("the case")))
            label for="doc-hash" { "Hash of the copy (64 hexadecimal digits; empty if only seen)" }
            input #doc-hash type="text" name="hash" pattern="[0-9a-fA-F]{64}";
            label for="doc-received" { "Received on (empty: today)" }
            input #doc-received type="date" name="received_at";
            label for="doc-note" { "Note" }
            input #doc-note type="text" name="note" dir="auto";
            button type="submit" { "Record the document" }
        },
    )
}

pub fn handover_form(s: &WebSession, c: &CaseOut) -> Markup {
    form(
        c,
        s,
        "handover",
        "Record a custody handover (every member who travels)",
        html! {
            label for="ho-from" { "From" } input #ho-from type="text" name="from" dir="auto";
            label for="ho-to" { "To" } input #ho-to type="text" name="to" dir="auto";
            label for="ho-place" { "Where" } input #ho-place type="text" name="place" dir="auto";
            label for="ho-at" { "On (empty: today)" } input #ho-at type="date" name="at";
            label for="ho-note" { "Note" } input #ho-note type="text" name="note" dir="auto";
            button type="submit" { "Record the handover" }
        },
    )
}

const WISHES: [(&str, &str); 5] = [
    ("trial_at_home", "to be tried at home"),
    ("to_return", "to return"),
    ("not_to_return", "not to return"),
    ("children_to_return", "her children to return"),
    ("stay_with_children", "to stay with her children"),
];

pub fn wish_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    form(
        c,
        s,
        "wish",
        "Record a stated wish",
        html! {
            label for="wish-person" { "Whose wish" }
            (member_select(("wish-person", "person"), c.members.iter(), r.get("wish", "person"), None))
            label for="wish-wish" { "She (or he) wishes" }
            (options("wish-wish", "wish", &WISHES, r.get("wish", "wish")))
            label for="wish-country" { "Country to be tried in (trial at home only: ISO code, e.g. BE)" }
            input #wish-country type="text" name="country" pattern="[A-Za-z]{2}" value=(r.get("wish", "country"));
            (report_fields("wish", r))
            button type="submit" { "Record the wish" }
        },
    )
}

const LEGAL: [(&str, &str); 5] = [
    ("proceedings", "proceedings opened"),
    ("conviction_in_absentia", "conviction in absentia"),
    ("sentence", "sentence"),
    ("warrant", "warrant"),
    ("acquitted", "acquitted"),
];

pub fn legal_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    form(
        c,
        s,
        "legal",
        "Record a legal record",
        html! {
            label for="legal-person" { "About" }
            (member_select(("legal-person", "person"), c.members.iter(), r.get("legal", "person"), None))
            label for="legal-kind" { "Record" }
            (options("legal-kind", "kind", &LEGAL, r.get("legal", "kind")))
            label for="legal-authority" { "Authority (proceedings, sentence, warrant)" }
            input #legal-authority type="text" name="authority" dir="auto" value=(r.get("legal", "authority"));
            label for="legal-sentence" { "Sentence (conviction in absentia, sentence)" }
            input #legal-sentence type="text" name="sentence" dir="auto" value=(r.get("legal", "sentence"));
            (report_fields("legal", r))
            button type="submit" { "Record the legal record" }
        },
    )
}

pub fn evidence_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    let by = match r.get("evidence", "captured_by") {
        "" => s.user.name.as_str(),
        v => v,
    };
    let kinds: Vec<(&str, String)> = EvidenceKind::ALL
        .iter()
        .map(|k| (k.as_str(), words(k.as_str())))
        .collect();
    let chosen = r.get("evidence", "kind");
    form(
        c,
        s,
        "evidence",
        "Keep an evidence item",
        html! {
            label for="ev-kind" { "Kind" }
            select #ev-kind name="kind" { @for (v, label) in &kinds { option value=(v) selected[chosen == *v] { (label) } } }
            label for="ev-hash" { "Hash of the item (64 hexadecimal digits, BLAKE3 or SHA-256)" }
            input #ev-hash type="text" name="hash" required pattern="[0-9a-fA-F]{64}" value=(r.get("evidence", "hash"));
            label for="ev-description" { "What it is" }
            input #ev-description type="text" name="description" dir="auto" required value=(r.get("evidence", "description"));
            label for="ev-captured-at" { "Captured at (UTC; empty: now)" }
            input #ev-captured-at type="datetime-local" name="captured_at" value=(r.get("evidence", "captured_at"));
            label for="ev-captured-by" { "Captured by" }
            input #ev-captured-by type="text" name="captured_by" dir="auto" required value=(by);
            label for="ev-about" { "About" }
            (member_select(("ev-about", "about"), c.members.iter(), r.get("evidence", "about"), Some("no one in particular")))
            button type="submit" { "Keep the item" }
        },
    )
}

pub fn authorship_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    let items = c.evidence.as_deref().unwrap_or_default();
    let chosen = r.get("authorship", "evidence");
    form(
        c,
        s,
        "authorship",
        "Record who made an evidence item",
        html! {
            label for="au-evidence" { "Item" }
            select #au-evidence name="evidence" {
                @for e in items {
                    option value=(e.evidence_id) dir="auto" selected[chosen == e.evidence_id] {
                        (words(e.kind)) ": " (e.description.chars().take(60).collect::<String>())
                    }
                }
            }
            label for="au-author" { "Said to be made by a member" }
            (member_select(("au-author", "author_person"), c.members.iter(), r.get("authorship", "author_person"), Some("someone described below")))
            label for="au-described" { "…or by someone described (e.g. her husband)" }
            input #au-described type="text" name="author_described" dir="auto" value=(r.get("authorship", "author_described"));
            label for="au-note" { "Note" }
            input #au-note type="text" name="note" dir="auto" value=(r.get("authorship", "note"));
            (report_fields("authorship", r))
            button type="submit" { "Record who made it" }
        },
    )
}

pub fn member_form(s: &WebSession, c: &CaseOut) -> Markup {
    form(
        c,
        s,
        "member",
        "Add a member",
        html! {
            label for="join-person" { "Child or household member of the principal" }
            select #join-person name="person" {
                @for p in &c.may_join {
                    option value=(p.person_id) dir="auto" {
                        (title_name(&p.names).map_or_else(|| short(&p.person_id), |n| n.text.clone()))
                    }
                }
            }
            button type="submit" { "Add to the case" }
        },
    )
}

pub fn removal_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    let others = c.members.iter().filter(|m| m.relation != "principal");
    form(
        c,
        s,
        "removal",
        "Remove a member",
        html! {
            label for="removal-person" { "Member" }
            (member_select(("removal-person", "person"), others, r.get("removal", "person"), None))
            label for="removal-reason" { "Why" }
            input #removal-reason type="text" name="reason" dir="auto" required value=(r.get("removal", "reason"));
            label for="removal-at" { "On (empty: today)" }
            input #removal-at type="date" name="at" value=(r.get("removal", "at"));
            button type="submit" { "Remove from the case" }
        },
    )
}

const TRAVELS: [(&str, &str); 2] = [
    ("no", "stays behind (no travel document needed)"),
    ("yes", "travels again"),
];

pub fn travel_form(s: &WebSession, c: &CaseOut, r: &Refill) -> Markup {
    form(
        c,
        s,
        "travel",
        "Who travels",
        html! {
            label for="travel-person" { "Member" }
            (member_select(("travel-person", "person"), c.members.iter(), r.get("travel", "person"), None))
            label for="travel-travels" { "The member" }
            (options("travel-travels", "travels", &TRAVELS, r.get("travel", "travels")))
            label for="travel-reason" { "Why (e.g. stays with her grandmother in Hasakah)" }
            input #travel-reason type="text" name="reason" dir="auto" required value=(r.get("travel", "reason"));
            label for="travel-at" { "Decided on (empty: today)" }
            input #travel-at type="date" name="at" value=(r.get("travel", "at"));
            button type="submit" { "Record who travels" }
        },
    )
}

/// A change from one of the forms, read and ready for the writer.
pub enum Change {
    Stage(Transition),
    Document(CaseDocument),
    Handover(Handover),
    Claim(PersonId, ClaimKind, ReportInput),
    Evidence(EvidenceInput),
    Authorship(EvidenceId, AuthorshipInput),
    Member(PersonId),
    Removal(Removal),
    Travel(TravelChange),
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

/// A person named by a form; an id that cannot exist is "not found", like one the
/// caller may not see.
fn person(f: &Form, field: &str) -> Result<Option<PersonId>, WebError> {
    match f.get(field).map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(t.parse().map_err(|_| WebError::not_found())?)),
        None => Ok(None),
    }
}

fn member(f: &Form) -> Result<PersonId, WebError> {
    person(f, "person")?.ok_or_else(|| WebError::bad_request("Choose the member."))
}

fn report(f: &Form, now: Timestamp) -> Result<ReportInput, WebError> {
    Ok(input::report(
        f.get("channel").unwrap_or_default(),
        f.get("grade").unwrap_or_default(),
        &text(f, "content"),
        Some(text(f, "source")).filter(|s| !s.is_empty()).as_deref(),
        date(f, "received_at")?.unwrap_or(now),
    )?)
}

fn stage(f: &Form, now: Timestamp) -> Result<Transition, WebError> {
    let at = date(f, "at")?.unwrap_or(now);
    let authority = text(f, "authority");
    let decision = if authority.is_empty() {
        None
    } else {
        Some(Decision {
            authority,
            decided_on: date(f, "decided_on")?.unwrap_or(at),
        })
    };
    Ok(Transition {
        to: input::stage(f.get("stage").unwrap_or_default())?,
        at,
        decision,
        note: text(f, "note"),
    })
}

fn evidence(f: &Form, now: Timestamp) -> Result<EvidenceInput, WebError> {
    Ok(EvidenceInput {
        kind: input::evidence_kind(f.get("kind").unwrap_or_default())?,
        hash: input::hash(&text(f, "hash"))?,
        captured_at: date(f, "captured_at")?.unwrap_or(now),
        captured_by: text(f, "captured_by"),
        description: text(f, "description"),
        about: person(f, "about")?,
    })
}

fn authorship(f: &Form, now: Timestamp) -> Result<Change, WebError> {
    let evidence: EvidenceId = text(f, "evidence")
        .parse()
        .map_err(|_| WebError::bad_request("Choose the evidence item."))?;
    let author = match (person(f, "author_person")?, text(f, "author_described")) {
        (Some(p), d) if d.is_empty() => Author::Person(p),
        (None, d) if !d.is_empty() => Author::Described(d),
        (Some(_), _) => {
            return Err(WebError::bad_request(
                "Name the author once: a member, or someone described, not both.",
            ))
        }
        (None, _) => {
            return Err(WebError::bad_request(
                "Name the author: choose a member, or describe who (e.g. her husband).",
            ))
        }
    };
    let input = AuthorshipInput {
        author,
        note: text(f, "note"),
        report: ReportRef::New(report(f, now)?),
    };
    Ok(Change::Authorship(evidence, input))
}

/// Reads the form posted to `kind`; the second value is what the page says once done.
pub fn parse(kind: &str, f: &Form) -> Result<(Change, &'static str), WebError> {
    let now = Timestamp(super::now_ms());
    let at = || -> Result<Timestamp, WebError> { Ok(date(f, "at")?.unwrap_or(now)) };
    Ok(match kind {
        "stage" => (Change::Stage(stage(f, now)?), "Stage recorded."),
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
        "handover" => {
            let h = Handover {
                from: text(f, "from"),
                to: text(f, "to"),
                place: text(f, "place"),
                at: at()?,
                persons: Vec::new(),
                note: text(f, "note"),
            };
            (Change::Handover(h), "Custody handover recorded.")
        }
        "wish" => {
            let country = text(f, "country");
            let kind = input::wish_claim(&text(f, "wish"), Some(country.as_str()))?;
            let claim = Change::Claim(member(f)?, kind, report(f, now)?);
            (claim, "Wish recorded, with its report.")
        }
        "legal" => {
            let (authority, sentence) = (text(f, "authority"), text(f, "sentence"));
            let kind = input::legal_claim(
                &text(f, "kind"),
                Some(authority.as_str()),
                Some(sentence.as_str()),
            )?;
            let claim = Change::Claim(member(f)?, kind, report(f, now)?);
            (claim, "Legal record recorded, with its report.")
        }
        "evidence" => (Change::Evidence(evidence(f, now)?), "Evidence item kept."),
        "authorship" => (authorship(f, now)?, "Authorship recorded, with its report."),
        "member" => (Change::Member(member(f)?), "Member added."),
        "removal" => {
            let r = Removal {
                person: member(f)?,
                at: at()?,
                reason: text(f, "reason"),
            };
            (Change::Removal(r), "Member removed.")
        }
        _ => {
            let t = TravelChange {
                person: member(f)?,
                travels: f.get("travels") == Some("yes"),
                at: at()?,
                reason: text(f, "reason"),
            };
            (Change::Travel(t), "Who travels recorded.")
        }
    })
}

/// Makes the change through the writer.
pub fn apply(w: &mut Writer, id: CaseId, change: Change) -> Result<(), AccessError> {
    match change {
        Change::Stage(t) => w.change_case_stage(id, t),
        Change::Document(d) => w.record_case_document(id, d),
        Change::Handover(h) => w.record_handover(id, h),
        Change::Claim(p, kind, report) => w.record_case_claim(id, p, kind, report).map(drop),
        Change::Evidence(e) => w.capture_evidence(id, e).map(drop),
        Change::Authorship(ev, a) => w.claim_authorship(id, ev, a).map(drop),
        Change::Member(p) => w.add_case_member(id, p),
        Change::Removal(r) => w.remove_case_member(id, r),
        Change::Travel(t) => w.change_travel(id, t),
    }
}
