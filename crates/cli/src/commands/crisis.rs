//! `homeward crisis`: per camp, how many are accounted for, unaccounted for, on the move
//! and in custody, with the daily trend since a status change dispersed the camp; the
//! open tracing tasks; and, with `--svg F`, the trend as a chart for a report.

use crate::chart::crisis_svg;
use crate::context::Global;
use crate::present::{print_json, table};
use anyhow::Context as _;
use clap::Args;
use model::crisis::CrisisCounts;
use serde::Serialize;
use std::collections::HashMap;
use store::{CampCrisis, Registry, TaskFilter};

#[derive(Args, Debug)]
pub struct CrisisArgs {
    /// Also write the trend as an SVG chart to this file.
    #[arg(long)]
    pub svg: Option<std::path::PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
pub struct CampJson {
    pub camp: String,
    pub place_id: String,
    pub status: Option<&'static str>,
    pub status_since: Option<String>,
    pub total: u64,
    #[serde(flatten)]
    pub counts: CrisisCounts,
    pub open_tracing_tasks: u64,
    pub change: Option<String>,
    pub trend: Vec<DayJson>,
}

#[derive(Serialize)]
pub struct DayJson {
    pub day: String,
    #[serde(flatten)]
    pub counts: CrisisCounts,
}

/// The crisis picture of every camp, as printed by `homeward crisis --json`.
pub fn camps_json(reg: &Registry, camps: &[CampCrisis]) -> anyhow::Result<Vec<CampJson>> {
    let mut open: HashMap<model::ids::PlaceId, u64> = HashMap::new();
    for row in reg.tasks(&TaskFilter::default())? {
        if let (Some(camp), Some(_)) = (row.camp, &row.view.crisis) {
            *open.entry(camp).or_default() += 1;
        }
    }
    Ok(camps
        .iter()
        .map(|c| CampJson {
            camp: c.camp.place.name.clone(),
            place_id: c.camp.place.id.to_string(),
            status: c.camp.current_status().map(|s| s.status.as_str()),
            status_since: c.camp.current_status().map(|s| s.at.to_string()),
            total: c.counts.total(),
            counts: c.counts,
            open_tracing_tasks: open.get(&c.camp.place.id).copied().unwrap_or(0),
            change: c
                .change
                .as_ref()
                .map(|ch| format!("{} at {}", ch.status.as_str(), ch.at)),
            trend: c
                .trend
                .iter()
                .map(|(day, counts)| DayJson {
                    day: day.date().map(|d| d.to_string()).unwrap_or_default(),
                    counts: *counts,
                })
                .collect(),
        })
        .collect())
}

pub fn run(global: &Global, args: &CrisisArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let camps = reg.crisis()?;
    if let Some(path) = &args.svg {
        match crisis_svg(&camps) {
            Some(svg) => std::fs::write(path, svg)
                .with_context(|| format!("cannot write the chart to {}", path.display()))?,
            None => anyhow::bail!(
                "no camp has had a status change that dispersed it, so there is no trend to draw; nothing was written to {}",
                path.display()
            ),
        }
    }
    let out = camps_json(&reg, &camps)?;
    if args.json {
        return print_json(&out);
    }
    print_counts(&out);
    for c in out.iter().filter(|c| !c.trend.is_empty()) {
        println!();
        println!("{} since {}:", c.camp, c.change.clone().unwrap_or_default());
        let mut t = table(&[
            "day",
            "accounted for",
            "unaccounted for",
            "on the move",
            "in custody",
        ]);
        for d in &c.trend {
            t.add_row(vec![
                d.day.clone(),
                d.counts.accounted_for.to_string(),
                d.counts.unaccounted_for.to_string(),
                d.counts.on_the_move.to_string(),
                d.counts.in_custody.to_string(),
            ]);
        }
        println!("{t}");
    }
    if let Some(path) = &args.svg {
        println!("chart written to {}", path.display());
    }
    Ok(())
}

/// The per-camp table (also printed by `homeward place status`).
pub fn print_counts(camps: &[CampJson]) {
    let mut t = table(&[
        "camp",
        "status",
        "since",
        "persons",
        "accounted for",
        "unaccounted for",
        "on the move",
        "in custody",
        "open tracing tasks",
    ]);
    for c in camps {
        t.add_row(vec![
            c.camp.clone(),
            c.status.unwrap_or("").to_string(),
            c.status_since.clone().unwrap_or_default(),
            c.total.to_string(),
            c.counts.accounted_for.to_string(),
            c.counts.unaccounted_for.to_string(),
            c.counts.on_the_move.to_string(),
            c.counts.in_custody.to_string(),
            c.open_tracing_tasks.to_string(),
        ]);
    }
    println!("{t}");
}
