//! `homeward place ...`: places and their status.

use crate::context::{audit_operator, now, Global};
use crate::present::{print_json, table};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use model::event::Payload;
use model::ids::PlaceId;
use model::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
use model::projection::PlaceView;
use serde::Serialize;
use store::Registry;

#[derive(Subcommand, Debug)]
pub enum PlaceCommand {
    /// Records a place-status change, e.g. `homeward place status "Ain Issa" unguarded`.
    Status(StatusArgs),
    /// Adds a place.
    Add(AddArgs),
    /// Lists places with their current status.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Place name or id.
    pub place: String,
    /// guarded, unguarded, under_fire, evacuated or closed.
    pub status: String,
    /// When it happened (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC); default now.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub name: String,
    /// camp, camp_section, detention_facility, town, border_crossing or consulate.
    #[arg(long)]
    pub kind: String,
    /// The camp a section belongs to (name or id).
    #[arg(long)]
    pub parent: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &PlaceCommand) -> anyhow::Result<()> {
    match cmd {
        PlaceCommand::Status(a) => status(global, a),
        PlaceCommand::Add(a) => add(global, a),
        PlaceCommand::List(a) => list(global, a),
    }
}

/// Finds one place by name (ignoring case) or id.
pub fn resolve(reg: &Registry, text: &str) -> anyhow::Result<PlaceView> {
    let mut found = reg.find_places(text)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no place named '{text}'; `homeward place list` shows the places, `homeward place add` adds one"),
        _ => bail!("several places are named '{text}'; use the id from `homeward place list`"),
    }
}

/// Parses a time given on the command line (UTC).
pub fn parse_time(text: &str) -> anyhow::Result<model::time::Timestamp> {
    let t = text.trim();
    let bad = || anyhow!("'{text}' is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(model::time::Timestamp::at_date(d));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(model::time::Timestamp::from_datetime(dt.and_utc()));
        }
    }
    Err(bad())
}

/// A time given on the command line, or now when none is.
pub fn time_or_now(text: Option<&str>) -> anyhow::Result<model::time::Timestamp> {
    Ok(text.map(parse_time).transpose()?.unwrap_or_else(now))
}

fn status(global: &Global, args: &StatusArgs) -> anyhow::Result<()> {
    let status = PlaceStatus::parse(&args.status).ok_or_else(|| {
        anyhow!(
            "'{}' is not a place status; use guarded, unguarded, under_fire, evacuated or closed",
            args.status
        )
    })?;
    let at = time_or_now(args.at.as_deref())?;
    let mut reg = global.open()?;
    let place = resolve(&reg, &args.place)?;
    let before = count_status(&reg, place.place.id)?;
    let tasks_before = crisis_tasks(&reg)?;
    let actor = reg.local_actor();
    reg.append_one(
        actor,
        now(),
        Payload::PlaceStatusChanged {
            place: place.place.id,
            change: PlaceStatusChange {
                status,
                at,
                report: None,
            },
        },
    )?;
    let after = count_status(&reg, place.place.id)?;
    let subject = format!("place:{}", place.place.id);
    audit_operator(&reg, "place.status", &[subject], status.as_str())?;
    println!(
        "{} is now {} (from {}). Unaccounted for there: {} before, {} now; {} tracing tasks opened.",
        place.place.name,
        status.as_str(),
        at,
        before,
        after,
        crisis_tasks(&reg)?.saturating_sub(tasks_before)
    );
    let camps = crate::commands::crisis::camps_json(&reg, &reg.crisis()?)?;
    crate::commands::crisis::print_counts(&camps);
    Ok(())
}

/// Crisis tracing tasks, open or closed (a status change only ever adds them).
fn crisis_tasks(reg: &Registry) -> anyhow::Result<usize> {
    let all = store::TaskFilter {
        include_closed: true,
        ..Default::default()
    };
    Ok(reg
        .tasks(&all)?
        .iter()
        .filter(|r| r.view.crisis.is_some())
        .count())
}

fn count_status(reg: &Registry, place: PlaceId) -> anyhow::Result<usize> {
    let filter = store::PersonFilter {
        camp: Some(place),
        status: Some(model::whereabouts::WhereaboutsStatus::UnaccountedFor),
        ..Default::default()
    };
    Ok(reg.persons(&filter)?.len())
}

fn add(global: &Global, args: &AddArgs) -> anyhow::Result<()> {
    let kind = PlaceKind::parse(&args.kind).ok_or_else(|| {
        anyhow!("--kind {}: use camp, camp_section, detention_facility, town, border_crossing or consulate", args.kind)
    })?;
    if args.name.trim().is_empty() {
        bail!("the place name is empty");
    }
    let mut reg = global.open()?;
    let parent = args
        .parent
        .as_deref()
        .map(|p| resolve(&reg, p))
        .transpose()?
        .map(|v| v.place.id);
    let id = PlaceId::from_u128(store::random_u128()?);
    let actor = reg.local_actor();
    reg.append_one(
        actor,
        now(),
        Payload::PlaceAdded {
            place: Place {
                id,
                name: args.name.trim().into(),
                kind,
                parent,
            },
        },
    )?;
    audit_operator(
        &reg,
        "place.add",
        &[format!("place:{id}")],
        args.name.trim(),
    )?;
    println!("{id}");
    Ok(())
}

#[derive(Serialize)]
struct PlaceJson {
    place_id: String,
    name: String,
    kind: &'static str,
    parent: Option<String>,
    status: Option<&'static str>,
    status_since: Option<String>,
}

fn list(global: &Global, args: &ListArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let places = reg.places()?;
    let rows: Vec<PlaceJson> = places
        .iter()
        .map(|p| PlaceJson {
            place_id: p.place.id.to_string(),
            name: p.place.name.clone(),
            kind: p.place.kind.as_str(),
            parent: p
                .place
                .parent
                .and_then(|id| places.iter().find(|q| q.place.id == id))
                .map(|q| q.place.name.clone()),
            status: p.current_status().map(|s| s.status.as_str()),
            status_since: p.current_status().map(|s| s.at.to_string()),
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = table(&["name", "kind", "in", "status", "since", "id"]);
    for r in &rows {
        t.add_row(vec![
            r.name.clone(),
            r.kind.into(),
            r.parent.clone().unwrap_or_default(),
            r.status.unwrap_or("").into(),
            r.status_since.clone().unwrap_or_default(),
            r.place_id[..8].to_string(),
        ]);
    }
    println!("{t}");
    Ok(())
}
