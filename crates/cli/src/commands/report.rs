//! `homeward report add` and `homeward timeline`.

use crate::commands::place::{self, parse_time};
use crate::context::{audit_operator, now, Global};
use crate::present::{self, print_json, table, PlaceNames};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use model::claim::{Claim, ClaimKind, LegalStatus};
use model::event::Payload;
use model::ids::{ClaimId, ReportId};
use model::report::{Channel, Grade, Report, SealClass, Sealer};
use serde::Serialize;
use store::Registry;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Records a report and the claims it makes about persons.
    Add(AddArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// text_message, voice_note, call, interview, official_list or media.
    #[arg(long)]
    pub channel: String,
    /// Admiralty grade: source reliability A-F and information credibility 1-6, e.g. C3.
    #[arg(long)]
    pub grade: String,
    /// What the report says, as received.
    #[arg(long)]
    pub content: String,
    /// Who sent it. Stored sealed: never shown without the sealing key.
    #[arg(long)]
    pub source: Option<String>,
    /// When it was received (default now).
    #[arg(long)]
    pub received_at: Option<String>,
    /// When the claims were true (default: when received).
    #[arg(long)]
    pub observed_at: Option<String>,
    /// KIND:PERSON[:DETAIL]. Kinds: seen_at:P:PLACE, escaped:P:PLACE, on_the_move:P[:TOWARD],
    /// in_custody:P:HOLDER[@PLACE], repatriated:P:CC, deceased:P, health:P:CONDITION,
    /// convicted_in_absentia:P:SENTENCE, wishes_trial_at_home:P[:CC].
    #[arg(long = "claim")]
    pub claims: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// A person id (or its first 8 characters).
    pub person: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &ReportCommand) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::Add(a) => add(global, a),
    }
}

/// Parses one `--claim` against the registry (persons and places must exist).
fn parse_claim(reg: &Registry, text: &str) -> anyhow::Result<(model::ids::PersonId, ClaimKind)> {
    let mut parts = text.splitn(3, ':');
    let kind = parts.next().unwrap_or_default().trim().to_lowercase();
    let who = parts.next().ok_or_else(|| {
        anyhow!("--claim {text}: write KIND:PERSON[:DETAIL], e.g. seen_at:3f2a9c1e:Roj")
    })?;
    let person =
        crate::person_ids::resolve(reg, who.trim()).map_err(|e| anyhow!("--claim {text}: {e}"))?;
    let detail = parts.next().map(str::trim).filter(|d| !d.is_empty());
    let need = |what: &str| {
        detail.ok_or_else(|| {
            anyhow!("--claim {text}: {kind} needs {what} after the person, e.g. {kind}:{who}:…")
        })
    };
    let place_of = |name: &str| {
        place::resolve(reg, name)
            .map(|p| p.place.id)
            .map_err(|e| anyhow!("--claim {text}: {e}"))
    };
    let kind = match kind.as_str() {
        "seen_at" | "seen" => ClaimKind::SeenAt { place: place_of(need("a place")?)? },
        "escaped" => ClaimKind::Escaped { from: place_of(need("the place escaped from")?)? },
        "on_the_move" => ClaimKind::OnTheMove { toward: detail.map(String::from) },
        "in_custody" => {
            let d = need("the holder")?;
            let (holder, at) = match d.split_once('@') {
                Some((h, p)) => (h.trim().to_string(), Some(place_of(p.trim())?)),
                None => (d.to_string(), None),
            };
            ClaimKind::InCustody { holder, place: at }
        }
        "repatriated" => ClaimKind::Repatriated { country: need("a country code")?.parse()? },
        "deceased" => ClaimKind::Deceased,
        "health" => ClaimKind::HealthCondition { condition: need("a condition")?.to_string(), detail: None },
        "convicted_in_absentia" => {
            ClaimKind::Legal(LegalStatus::ConvictedInAbsentia { sentence: need("the sentence")?.to_string() })
        }
        "wishes_trial_at_home" => ClaimKind::WishesTrialAtHome { country: detail.map(str::parse).transpose()? },
        other => bail!(
            "--claim {text}: unknown kind '{other}'; use seen_at, escaped, on_the_move, in_custody, repatriated, deceased, health, convicted_in_absentia or wishes_trial_at_home"
        ),
    };
    Ok((person, kind))
}

fn add(global: &Global, args: &AddArgs) -> anyhow::Result<()> {
    let channel = Channel::parse(&args.channel).ok_or_else(|| {
        anyhow!(
            "--channel {}: use text_message, voice_note, call, interview, official_list or media",
            args.channel
        )
    })?;
    let grade = Grade::parse(&args.grade)?;
    let received_at = args
        .received_at
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or_else(now);
    let observed_at = args
        .observed_at
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or(received_at);
    let mut reg = global.open()?;
    let id = ReportId::from_u128(store::random_u128()?);
    let mut claims = Vec::new();
    for text in &args.claims {
        let (person, kind) = parse_claim(&reg, text)?;
        claims.push(Claim {
            id: ClaimId::from_u128(store::random_u128()?),
            report: id,
            person,
            observed_at,
            kind,
        });
    }
    let source = args
        .source
        .as_deref()
        .map(|s| reg.sealer().seal(SealClass::Source, s.as_bytes()));
    let report = Report {
        id,
        channel,
        received_at,
        received_by: reg.local_actor(),
        source,
        content: args.content.clone(),
        attachments: Vec::new(),
        grade,
    };
    let actor = reg.local_actor();
    let n = claims.len();
    let subjects: Vec<String> = std::iter::once(format!("report:{id}"))
        .chain(claims.iter().map(|c| format!("person:{}", c.person)))
        .collect();
    reg.append_one(actor, now(), Payload::ReportReceived { report, claims })?;
    audit_operator(&reg, "report.add", &subjects, "")?;
    if args.json {
        return print_json(&serde_json::json!({ "report_id": id.to_string(), "claims": n }));
    }
    println!("{id}");
    Ok(())
}

#[derive(Serialize)]
struct TimelineJson {
    observed_at: String,
    claim: present::ClaimJson,
    channel: Option<&'static str>,
    received_at: Option<String>,
    content: Option<String>,
    source: &'static str,
}

pub fn timeline(global: &Global, args: &TimelineArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let id = crate::person_ids::resolve(&reg, &args.person)?;
    let p = reg
        .person(id)?
        .filter(|p| p.registered)
        .ok_or_else(|| anyhow!("no person {id} in this registry"))?;
    audit_operator(&reg, "person.timeline", &[format!("person:{id}")], "")?;
    let names = PlaceNames::new(&reg.places()?);
    let entries: Vec<TimelineJson> = reg
        .timeline(&p)?
        .into_iter()
        .map(|e| TimelineJson {
            observed_at: e.claim.claim.observed_at.to_string(),
            claim: present::claim_json(&e.claim, &names),
            channel: e.report.as_ref().map(|r| r.channel.as_str()),
            received_at: e.report.as_ref().map(|r| r.received_at.to_string()),
            content: e.report.as_ref().map(|r| r.content.clone()),
            source: match e.report.as_ref().and_then(|r| r.source.as_ref()) {
                Some(_) => "sealed",
                None => "none",
            },
        })
        .collect();
    if args.json {
        return print_json(&entries);
    }
    println!("Timeline of {} ({}), newest first", p.display_name(), p.id);
    let mut t = table(&[
        "when",
        "claim",
        "grade",
        "channel",
        "received",
        "report says",
        "source",
    ]);
    for e in &entries {
        t.add_row(vec![
            e.observed_at.clone(),
            e.claim.text.clone(),
            e.claim.grade.clone(),
            e.channel.unwrap_or("").into(),
            e.received_at.clone().unwrap_or_default(),
            e.content.clone().unwrap_or_default(),
            e.source.into(),
        ]);
    }
    println!("{t}");
    crate::commands::consent::print_timeline(&reg, id, &names)?;
    Ok(())
}
