//! `homeward stats`: counts of persons.

use crate::commands::over_time;
use crate::context::{audit_operator, Global};
use crate::present::{print_json, table};
use chrono::Datelike;
use clap::Args;
use serde_json::{json, Map, Value};

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Break down by any of camp, nationality, sex, age_band, status (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Ages are computed in this year (default: this year).
    #[arg(long)]
    pub as_of_year: Option<i32>,
    /// Counts over time: the first day (YYYY-MM-DD), one table per day or week to --to.
    #[arg(long)]
    pub from: Option<String>,
    /// Counts over time: the last day (default today).
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Counts over time: day or week.
    #[arg(long, default_value = "day")]
    pub every: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &StatsArgs) -> anyhow::Result<()> {
    if let Some(from) = &args.from {
        let series = over_time::Series::parse(&args.by, from, args.to.as_deref(), &args.every)?;
        return over_time::run(global, &series, args.json);
    }
    let dims = over_time::parse_dims(&args.by)?;
    let reg = global.open()?;
    let year = args.as_of_year.unwrap_or_else(|| chrono::Utc::now().year());
    let (total, rows) = reg.stats(&dims, year)?;
    let by: Vec<&str> = dims.iter().map(|d| d.key()).collect();
    audit_operator(
        &reg,
        "stats",
        &["stats".into()],
        &format!("by={}", by.join(",")),
    )?;
    if args.json {
        let groups: Vec<Value> = rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (d, v) in dims.iter().zip(&r.values) {
                    m.insert(d.key().to_string(), Value::String(v.clone()));
                }
                m.insert("count".into(), json!(r.count));
                Value::Object(m)
            })
            .collect();
        return print_json(&json!({ "total": total, "groups": groups }));
    }
    if dims.is_empty() {
        println!("{total} persons");
        return Ok(());
    }
    let mut header: Vec<&str> = dims.iter().map(|d| d.key()).collect();
    header.push("count");
    let mut t = table(&header);
    for r in &rows {
        let mut cells = r.values.clone();
        cells.push(r.count.to_string());
        t.add_row(cells);
    }
    println!("{t}");
    println!("{total} persons in all");
    Ok(())
}
