//! `homeward consent grant|refuse|revoke|show`: consent decisions per purpose, recorded
//! and read through the access layer (as the operator, or `homeward as USER consent ...`).

use crate::commands::acting::{Actor, PersonArgs};
use crate::commands::place::time_or_now;
use crate::context::Global;
use crate::present::{print_json, table};
use access::consent::{ConsentInput, ConsentOut};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use model::consent::{Decision, Evidence, Purpose};
use model::ids::{InterviewId, ReportId};
use model::report::AttachmentHash;
use store::Registry;

#[derive(Subcommand, Debug)]
pub enum ConsentCommand {
    /// Records that a person (or, for a child, a parent or guardian) granted consent.
    Grant(DecisionArgs),
    /// Records that a person was asked and said no.
    Refuse(DecisionArgs),
    /// Records that a person took back a consent granted before.
    Revoke(DecisionArgs),
    /// A person's consent: each purpose now, and every decision.
    Show(PersonArgs),
}

#[derive(Args, Debug)]
pub struct DecisionArgs {
    /// A person id (the operator may give its first 8 characters).
    pub person: String,
    /// tracing, sharing:CC (a government, e.g. sharing:BE), research, use_of_name,
    /// use_of_image or publication.
    pub purpose: String,
    /// What the decision rests on: interview:ID, report:ID, form:FILE (a signed form,
    /// hashed with BLAKE3; the file is not stored) or form-hash:HEX.
    #[arg(long)]
    pub evidence: String,
    /// For a child: the parent or guardian who decided (a person id).
    #[arg(long)]
    pub guardian: Option<String>,
    /// When it was decided (default now): YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC.
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &ConsentCommand) -> anyhow::Result<()> {
    let mut reg = global.open()?;
    run_as(&mut reg, &Actor::operator(), cmd)
}

/// Runs a consent command as `actor`.
pub fn run_as(reg: &mut Registry, actor: &Actor, cmd: &ConsentCommand) -> anyhow::Result<()> {
    match cmd {
        ConsentCommand::Grant(a) => decide(reg, actor, a, Decision::Granted),
        ConsentCommand::Refuse(a) => decide(reg, actor, a, Decision::Refused),
        ConsentCommand::Revoke(a) => decide(reg, actor, a, Decision::Revoked),
        ConsentCommand::Show(a) => show(reg, actor, a),
    }
}

/// Reads `--evidence`.
fn evidence(reg: &Registry, actor: &Actor, text: &str) -> anyhow::Result<Evidence> {
    let (kind, value) = text.split_once(':').ok_or_else(|| {
        anyhow!("--evidence {text}: write interview:ID, report:ID, form:FILE or form-hash:HEX")
    })?;
    Ok(match kind.trim().to_ascii_lowercase().as_str() {
        "interview" => Evidence::Interview(interview_id(reg, actor, value)?),
        "report" => Evidence::Report(
            value
                .trim()
                .parse::<ReportId>()
                .map_err(|e| anyhow!("--evidence {text}: {e}"))?,
        ),
        "form" => Evidence::SignedForm(crate::files::hash_file(std::path::Path::new(value))?),
        "form-hash" | "form_hash" => Evidence::SignedForm(
            AttachmentHash::from_hex(value).map_err(|e| anyhow!("--evidence {text}: {e}"))?,
        ),
        other => bail!(
            "--evidence {text}: '{other}' is not a kind of evidence; use interview, report, form or form-hash"
        ),
    })
}

fn interview_id(reg: &Registry, actor: &Actor, text: &str) -> anyhow::Result<InterviewId> {
    if let Ok(id) = text.trim().parse() {
        return Ok(id);
    }
    if !actor.prefixes {
        bail!("'{text}' is not an interview id: give it in full");
    }
    match reg.interview_ids_with_prefix(text)?.as_slice() {
        [one] => Ok(*one),
        [] => bail!("no interview has an id starting with '{text}'; `homeward interview list PERSON` shows them"),
        _ => bail!("'{text}' matches several interviews; type more characters of the id"),
    }
}

fn decide(
    reg: &mut Registry,
    actor: &Actor,
    args: &DecisionArgs,
    decision: Decision,
) -> anyhow::Result<()> {
    let purpose = Purpose::parse(&args.purpose)?;
    let person = actor.person(reg, &args.person)?;
    let guardian = args
        .guardian
        .as_deref()
        .map(|g| actor.person(reg, g))
        .transpose()?;
    let evidence = evidence(reg, actor, &args.evidence)?;
    let at = time_or_now(args.at.as_deref())?;
    let id = actor.write(reg, |w| {
        w.record_consent(ConsentInput {
            person,
            purpose,
            decision,
            at,
            guardian,
            evidence,
        })
    })?;
    if args.json {
        return print_json(&serde_json::json!({
            "consent_id": id.to_string(),
            "person_id": person.to_string(),
            "purpose": purpose.key(),
            "decision": decision.as_str(),
        }));
    }
    println!("{} {}: {} ({id})", decision.as_str(), purpose, person);
    Ok(())
}

fn show(reg: &Registry, actor: &Actor, args: &PersonArgs) -> anyhow::Result<()> {
    let person = actor.person(reg, &args.person)?;
    let out: ConsentOut = actor.read(reg, |g| g.consent_of(person))?;
    if args.json {
        return print_json(&out);
    }
    println!("Consent of {}", out.person_id);
    let mut now = table(&["purpose", "now", "since"]);
    for c in &out.current {
        now.add_row(vec![
            c.purpose.clone(),
            c.state.replace('_', " "),
            c.since.clone().unwrap_or_default(),
        ]);
    }
    println!("{now}");
    let mut history = table(&[
        "when",
        "purpose",
        "decision",
        "given by",
        "evidence",
        "recorded by",
    ]);
    for d in &out.history {
        history.add_row(vec![
            d.at.clone().unwrap_or_default(),
            d.purpose.clone(),
            d.decision.to_string(),
            match &d.guardian {
                Some(g) => format!("guardian {g}"),
                None => d.given_by.to_string(),
            },
            format!(
                "{} {}",
                d.evidence.kind,
                d.evidence.reference.clone().unwrap_or_default()
            ),
            d.recorded_by.clone().unwrap_or_default(),
        ]);
    }
    if !out.history.is_empty() {
        println!("{history}");
    }
    Ok(())
}

/// One consent decision as the operator's plain commands show it.
#[derive(serde::Serialize)]
pub struct DecisionJson {
    pub consent_id: String,
    pub purpose: String,
    pub decision: &'static str,
    pub at: String,
    pub given_by: String,
    pub evidence: String,
    pub recorded_by: String,
}

/// A person's consent now and its history, for `person show` (the operator's).
#[derive(serde::Serialize)]
pub struct ConsentJson {
    /// Each purpose with a decision: `granted`, `refused` or `revoked`.
    pub current: std::collections::BTreeMap<String, &'static str>,
    pub history: Vec<DecisionJson>,
}

pub fn of_person(reg: &Registry, person: model::ids::PersonId) -> anyhow::Result<ConsentJson> {
    let view = reg.consents(person)?;
    let Some(view) = view else {
        return Ok(ConsentJson {
            current: Default::default(),
            history: Vec::new(),
        });
    };
    Ok(ConsentJson {
        current: view
            .current_all()
            .iter()
            .map(|c| (c.purpose.key(), view.state(&c.purpose).as_str()))
            .collect(),
        history: view
            .changes
            .iter()
            .map(|c| DecisionJson {
                consent_id: c.id.to_string(),
                purpose: c.purpose.key(),
                decision: c.decision.as_str(),
                at: c.at.to_string(),
                given_by: match c.given_by {
                    model::consent::GivenBy::Person => "person".into(),
                    model::consent::GivenBy::Guardian(g) => format!("guardian {g}"),
                },
                evidence: match c.evidence {
                    Evidence::Interview(i) => format!("interview {i}"),
                    Evidence::Report(r) => format!("report {r}"),
                    Evidence::SignedForm(h) => format!("signed form {}", h.to_hex()),
                },
                recorded_by: c.recorded_by.clone(),
            })
            .collect(),
    })
}

/// Interviews and consent decisions of a person, newest first, for the operator's
/// `homeward timeline` (beside the claims and their reports).
pub fn print_timeline(
    reg: &Registry,
    person: model::ids::PersonId,
    names: &crate::present::PlaceNames,
) -> anyhow::Result<()> {
    let mut rows: Vec<(String, String)> =
        crate::commands::interview::of_person(reg, person, names)?
            .into_iter()
            .map(|i| {
                (
                    i.at,
                    format!(
                        "interview in {} with {} person(s), {} file(s), transcript {}",
                        i.language,
                        i.persons.len(),
                        i.attachments.len(),
                        i.transcript
                    ),
                )
            })
            .collect();
    rows.extend(of_person(reg, person)?.history.into_iter().map(|d| {
        (
            d.at,
            format!(
                "consent to {}: {} ({}; {})",
                d.purpose, d.decision, d.given_by, d.evidence
            ),
        )
    }));
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0));
    let mut t = table(&["when", "interview or consent"]);
    for (at, what) in rows {
        t.add_row(vec![at, what]);
    }
    println!("{t}");
    Ok(())
}
