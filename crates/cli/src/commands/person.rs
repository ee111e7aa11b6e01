//! `homeward person ...` and `homeward timeline`.

use crate::context::{audit_operator, now, Global};
use crate::present::{self, print_json, table, PlaceNames};
use anyhow::{anyhow, bail, Context as _};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use model::event::Payload;
use model::ids::{HouseholdId, PersonId};
use model::person::{
    Birth, EvidenceGrade, Name, NameKind, NationalityClaim, NationalityStatus, Registration,
    Relationship, RelationshipKind, Sex, Vulnerability,
};
use model::CountryCode;
use serde::Serialize;
use store::PersonFilter;

#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Persons, filtered by camp or nationality.
    List(ListArgs),
    /// One person: names, household, nationality claims, whereabouts and the claims behind it.
    Show(ShowArgs),
    /// Registers a person.
    Add(AddArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub camp: Option<String>,
    #[arg(long)]
    pub nationality: Option<String>,
    /// One of in_camp, unaccounted_for, on_the_move, in_custody, repatriated, deceased, unknown.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A person id (or its first 8 characters).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// A full name, in any script; repeat for each spelling.
    #[arg(long = "name", required = true)]
    pub names: Vec<String>,
    /// A kunya such as "Umm Adam".
    #[arg(long)]
    pub kunya: Vec<String>,
    /// female, male or unknown.
    #[arg(long, default_value = "unknown")]
    pub sex: String,
    /// YYYY-MM-DD, YYYY-MM, YYYY, or AGE@YYYY-MM-DD for an age stated on a date.
    #[arg(long)]
    pub birth: Option<String>,
    /// Country code, optionally with :claimed (default), :confirmed, :disputed or :revoked.
    #[arg(long)]
    pub nationality: Vec<String>,
    /// The person's mother (id or prefix); the child joins her household.
    #[arg(long)]
    pub mother: Option<String>,
    /// A medical condition (e.g. "chronic bronchitis").
    #[arg(long)]
    pub condition: Vec<String>,
    #[arg(long)]
    pub unaccompanied: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &PersonCommand) -> anyhow::Result<()> {
    match cmd {
        PersonCommand::List(a) => list(global, a),
        PersonCommand::Show(a) => show(global, &a.id, a.json),
        PersonCommand::Add(a) => add(global, a),
    }
}

fn list(global: &Global, args: &ListArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let places = reg.places()?;
    let mut filter = PersonFilter {
        limit: Some(args.limit),
        ..Default::default()
    };
    if let Some(camp) = &args.camp {
        filter.camp = Some(crate::commands::place::resolve(&reg, camp)?.place.id);
    }
    if let Some(cc) = &args.nationality {
        filter.nationality = Some(cc.parse()?);
    }
    if let Some(s) = &args.status {
        filter.status = Some(model::whereabouts::WhereaboutsStatus::parse(s).ok_or_else(|| {
            anyhow!("--status {s}: unknown; use in_camp, unaccounted_for, on_the_move, in_custody, repatriated, deceased or unknown")
        })?);
    }
    let names = PlaceNames::new(&places);
    let persons = reg.persons(&filter)?;
    let listed: Vec<String> = persons.iter().map(|p| format!("person:{}", p.id)).collect();
    audit_operator(&reg, "person.listed", &listed, "person list")?;
    let rows: Vec<_> = persons
        .iter()
        .map(|p| present::summary(p, &places, &names))
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = table(&["id", "names", "nationality", "camp", "status"]);
    for r in &rows {
        t.add_row(vec![
            r.person_id[..8].to_string(),
            r.names.join(" / "),
            r.nationalities.join(","),
            r.camp.clone().unwrap_or_default(),
            r.status.to_string(),
        ]);
    }
    println!("{t}");
    Ok(())
}

#[derive(Serialize)]
struct PersonDetail {
    person_id: String,
    sex: String,
    birth: Option<String>,
    names: Vec<present::NameJson>,
    nationalities: Vec<present::NationalityJson>,
    vulnerabilities: Vec<String>,
    household: Option<String>,
    relatives: Vec<present::RelativeJson>,
    whereabouts: present::WhereaboutsJson,
    claims: Vec<present::ClaimJson>,
    interviews: Vec<crate::commands::interview::InterviewJson>,
    consent: crate::commands::consent::ConsentJson,
    /// The id asked for was a record merged into this person.
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_from: Option<String>,
    /// For a person made of several records: each record, its names and the merge.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    records: Vec<crate::commands::duplicates::RecordJson>,
}

fn show(global: &Global, id: &str, json: bool) -> anyhow::Result<()> {
    let reg = global.open()?;
    let asked = crate::person_ids::resolve(&reg, id)?;
    let id = reg.resolve_person(asked)?;
    let provenance = crate::commands::duplicates::Provenance::of(&reg, asked, id)?;
    let person = reg
        .person(id)?
        .filter(|p| p.registered)
        .ok_or_else(|| anyhow!("no person {id} in this registry"))?;
    audit_operator(&reg, "person.read", &[format!("person:{id}")], "")?;
    let places = reg.places()?;
    let names = PlaceNames::new(&places);
    let mut relatives = Vec::new();
    for r in &person.relationships {
        relatives.push(present::relative_json(r, reg.person(r.other)?.as_ref()));
    }
    let mut claims = person.claims.clone();
    claims.sort_by_key(|c| std::cmp::Reverse(c.claim.observed_at));
    let detail = PersonDetail {
        person_id: person.id.to_string(),
        sex: format!("{:?}", person.sex).to_lowercase(),
        birth: person.birth.as_ref().map(present::birth_text),
        names: person.names.iter().map(present::NameJson::from).collect(),
        nationalities: person
            .nationalities
            .iter()
            .map(present::NationalityJson::from)
            .collect(),
        vulnerabilities: person
            .vulnerabilities
            .iter()
            .map(present::vulnerability_text)
            .collect(),
        household: person.household.map(|h| h.to_string()),
        relatives,
        whereabouts: present::whereabouts_json(&person.whereabouts, &person.claims, &names),
        claims: claims
            .iter()
            .map(|c| present::claim_json(c, &names))
            .collect(),
        interviews: crate::commands::interview::of_person(&reg, id, &names)?,
        consent: crate::commands::consent::of_person(&reg, id)?,
        merged_from: provenance.merged_from.as_ref().map(|(p, _)| p.to_string()),
        records: provenance.records_json(),
    };
    if json {
        return print_json(&detail);
    }
    print_detail(&detail, &provenance);
    Ok(())
}

fn print_detail(d: &PersonDetail, provenance: &crate::commands::duplicates::Provenance) {
    println!("Person {}", d.person_id);
    provenance.print();
    let several = !provenance.records.is_empty();
    println!(
        "  sex: {}   birth: {}",
        d.sex,
        d.birth.as_deref().unwrap_or("unknown")
    );
    let mut header = vec!["name", "script", "kind", "source"];
    if several {
        header.push("record");
    }
    let mut t = table(&header);
    for n in &d.names {
        let mut row = vec![
            n.text.clone(),
            n.script.into(),
            n.kind.into(),
            n.source.clone().unwrap_or_default(),
        ];
        if several {
            row.push(provenance.name_records(n));
        }
        t.add_row(row);
    }
    println!("{t}");
    for n in &d.nationalities {
        println!(
            "  nationality {} ({}){}",
            n.country,
            n.status,
            n.evidence
                .as_ref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
    }
    for v in &d.vulnerabilities {
        println!("  vulnerability: {v}");
    }
    for r in &d.relatives {
        println!(
            "  {} {} ({}, {})",
            r.relation,
            r.name,
            &r.person_id[..8],
            r.evidence
        );
    }
    let w = &d.whereabouts;
    println!(
        "Whereabouts: {}{}{} — confidence {:.2}",
        w.status,
        w.place
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default(),
        w.since
            .as_ref()
            .map(|s| format!(" since {s}"))
            .unwrap_or_default(),
        w.confidence
    );
    if let Some(why) = &w.dispersed_by {
        println!("  because the place became {why}");
    }
    for c in &w.basis {
        println!("  rests on: {} [{}] {}", c.text, c.grade, c.observed_at);
    }
    for c in &w.contradictions {
        println!(
            "  CONTRADICTED by: {} [{}] {}",
            c.text, c.grade, c.observed_at
        );
    }
    let mut header = vec!["when", "claim", "grade", "report"];
    if several {
        header.push("record");
    }
    let mut t = table(&header);
    for c in &d.claims {
        let mut row = vec![
            c.observed_at.clone(),
            c.text.clone(),
            c.grade.clone(),
            c.report_id[..8].to_string(),
        ];
        if several {
            row.push(c.record.get(..8).unwrap_or_default().to_string());
        }
        t.add_row(row);
    }
    println!("{t}");
    for i in &d.interviews {
        println!(
            "Interview {} on {} in {} ({} file(s), transcript {})",
            &i.interview_id[..8],
            i.at,
            i.language,
            i.attachments.len(),
            i.transcript
        );
    }
    for (purpose, state) in &d.consent.current {
        println!("Consent to {purpose}: {state}");
    }
}

/// Parses `--birth`: YYYY-MM-DD, YYYY-MM, YYYY, or AGE@YYYY-MM-DD.
pub fn parse_birth(text: &str) -> anyhow::Result<Birth> {
    let t = text.trim();
    let bad = || {
        anyhow!("--birth {text}: write YYYY-MM-DD, YYYY-MM, YYYY, or AGE@YYYY-MM-DD (an age stated on a date)")
    };
    if let Some((age, on)) = t.split_once('@') {
        let age: u8 = age.trim().parse().map_err(|_| bad())?;
        let stated_on = NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d").map_err(|_| bad())?;
        return Ok(Birth::StatedAge { age, stated_on });
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(Birth::Exact(d));
    }
    let parts: Vec<&str> = t.split('-').collect();
    let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y));
    match parts.as_slice() {
        [y] => Ok(Birth::Year(year(y).ok_or_else(bad)?)),
        [y, m] => {
            let month = m
                .parse::<u8>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad)?;
            Ok(Birth::Month {
                year: year(y).ok_or_else(bad)?,
                month,
            })
        }
        _ => Err(bad()),
    }
}

/// Parses `--nationality`: CC or CC:status.
pub fn parse_nationality(text: &str) -> anyhow::Result<NationalityClaim> {
    let (cc, status) = text.split_once(':').unwrap_or((text, "claimed"));
    let country: CountryCode = cc.parse()?;
    let status = match status.trim().to_lowercase().as_str() {
        "claimed" => NationalityStatus::Claimed,
        "confirmed" => NationalityStatus::Confirmed,
        "disputed" => NationalityStatus::Disputed,
        "revoked" => NationalityStatus::Revoked,
        other => bail!("--nationality {text}: unknown status '{other}'; use claimed, confirmed, disputed or revoked"),
    };
    Ok(NationalityClaim {
        country,
        status,
        evidence: None,
        source: None,
    })
}

fn add(global: &Global, args: &AddArgs) -> anyhow::Result<()> {
    let sex = match args.sex.to_lowercase().as_str() {
        "female" | "f" => Sex::Female,
        "male" | "m" => Sex::Male,
        "unknown" | "" => Sex::Unknown,
        other => bail!("--sex {other}: use female, male or unknown"),
    };
    let birth = args.birth.as_deref().map(parse_birth).transpose()?;
    let nationalities = args
        .nationality
        .iter()
        .map(|n| parse_nationality(n))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut names: Vec<Name> = args
        .names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| Name::new(n.trim(), NameKind::Full, None))
        .collect();
    if names.is_empty() {
        bail!("--name is empty; give at least one name as the source wrote it");
    }
    names.extend(
        args.kunya
            .iter()
            .map(|k| Name::new(k.trim(), NameKind::Kunya, None)),
    );
    let mut vulnerabilities: Vec<Vulnerability> = args
        .condition
        .iter()
        .map(|c| Vulnerability::MedicalCondition(c.clone()))
        .collect();
    if args.unaccompanied {
        vulnerabilities.push(Vulnerability::UnaccompaniedMinor);
    }

    let mut reg = global.open()?;
    let mut relationships = Vec::new();
    let mut household = None;
    if let Some(m) = &args.mother {
        let mother_id = crate::person_ids::resolve(&reg, m)?;
        let mother = reg
            .person(mother_id)?
            .filter(|p| p.registered)
            .ok_or_else(|| anyhow!("--mother {m}: no such person"))?;
        household = mother.household;
        relationships.push(Relationship {
            kind: RelationshipKind::ChildOf,
            other: mother_id,
            evidence: EvidenceGrade::Asserted,
        });
    }
    let household = match household {
        Some(h) => Some(h),
        None => Some(HouseholdId::from_u128(store::random_u128()?)),
    };
    let id = PersonId::from_u128(store::random_u128()?);
    let registration = Registration {
        sex,
        birth,
        names,
        nationalities,
        vulnerabilities,
        household,
        relationships,
        source: None,
    };
    let actor = reg.local_actor();
    reg.append_one(
        actor,
        now(),
        Payload::PersonRegistered {
            person: id,
            registration,
        },
    )
    .context("the person was not registered")?;
    audit_operator(&reg, "person.add", &[format!("person:{id}")], "")?;
    crate::duplicates::check_new(&mut reg, &[id]);
    if args.json {
        return print_json(&serde_json::json!({ "person_id": id.to_string() }));
    }
    println!("{id}");
    Ok(())
}
