//! `homeward stats --from DAY [--to DAY] [--every day|week] [--by ...]`: counts as they
//! stood at the end of each day or week (see `model::as_of`). The operator's are
//! unsuppressed, like `homeward stats`; `homeward as USER stats --from ...` goes through
//! the gate, which counts only what the user may count and suppresses every period.
//!
//! JSON: `{"periods": [{"as_of": "2019-10-13", "total": N, "groups": [{"camp": ..., "count": N}, ...]}, ...]}`,
//! with `"threshold"` and `"suppressed": true` on withheld counts for a user.

use crate::commands::acting::Actor;
use crate::context::{audit_operator, Global};
use crate::present::{print_json, table};
use access::suppression::DEFAULT_THRESHOLD;
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use model::as_of::{period_ends, Every};
use model::time::Timestamp;
use serde_json::{json, Map, Value};
use store::{Registry, StatsDimension};

/// Reads a day, YYYY-MM-DD.
pub fn parse_day(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("'{text}' is not a day: write YYYY-MM-DD"))
}

/// Reads `--by`: dimensions, each once.
pub fn parse_dims(names: &[String]) -> anyhow::Result<Vec<StatsDimension>> {
    let mut dims = Vec::new();
    for name in names {
        match StatsDimension::parse(name) {
            Some(d) if !dims.contains(&d) => dims.push(d),
            Some(_) => {}
            None => bail!(
                "--by {name}: unknown dimension; use camp, nationality, sex, age_band or status"
            ),
        }
    }
    Ok(dims)
}

/// The series asked for: the end of each period.
pub struct Series {
    pub dims: Vec<StatsDimension>,
    pub days: Vec<Timestamp>,
}

impl Series {
    pub fn parse(by: &[String], from: &str, to: Option<&str>, every: &str) -> anyhow::Result<Self> {
        let to = match to {
            Some(t) => parse_day(t)?,
            None => chrono::Utc::now().date_naive(),
        };
        let every =
            Every::parse(every).ok_or_else(|| anyhow!("--every {every}: use day or week"))?;
        Ok(Self {
            dims: parse_dims(by)?,
            days: period_ends(parse_day(from)?, to, every)?,
        })
    }
}

fn day(t: Timestamp) -> String {
    t.date().map(|d| d.to_string()).unwrap_or_default()
}

fn group(dims: &[StatsDimension], values: &[String], count: Option<u64>) -> Value {
    let mut m = Map::new();
    for (d, v) in dims.iter().zip(values) {
        m.insert(d.key().to_string(), Value::String(v.clone()));
    }
    m.insert("count".into(), json!(count));
    if count.is_none() {
        m.insert("suppressed".into(), json!(true));
    }
    Value::Object(m)
}

fn print(
    series: &Series,
    periods: Vec<(Timestamp, Option<u64>, Vec<Value>)>,
    json_out: bool,
    extra: Option<u64>,
) -> anyhow::Result<()> {
    if json_out {
        let periods: Vec<Value> = periods
            .into_iter()
            .map(
                |(at, total, groups)| json!({ "as_of": day(at), "total": total, "groups": groups }),
            )
            .collect();
        let mut doc = json!({ "periods": periods });
        if let Some(k) = extra {
            doc["threshold"] = json!(k);
        }
        return print_json(&doc);
    }
    let mut header = vec!["as of"];
    header.extend(series.dims.iter().map(|d| d.key()));
    header.push("count");
    let mut t = table(&header);
    for (at, total, groups) in &periods {
        let show = |c: &Value| c.as_u64().map_or("withheld".to_string(), |n| n.to_string());
        if series.dims.is_empty() {
            t.add_row(vec![
                day(*at),
                total.map_or("withheld".into(), |n| n.to_string()),
            ]);
        }
        for g in groups {
            let mut row = vec![day(*at)];
            row.extend(
                series
                    .dims
                    .iter()
                    .map(|d| g[d.key()].as_str().unwrap_or("").to_string()),
            );
            row.push(show(&g["count"]));
            t.add_row(row);
        }
    }
    println!("{t}");
    Ok(())
}

/// The operator's series, unsuppressed.
pub fn run(global: &Global, series: &Series, json_out: bool) -> anyhow::Result<()> {
    let reg = global.open()?;
    let periods = reg.stats_over_time(&series.dims, &series.days, &|_| true)?;
    let by: Vec<&str> = series.dims.iter().map(|d| d.key()).collect();
    audit_operator(
        &reg,
        "stats.over_time",
        &["stats".into()],
        &format!("by={} periods={}", by.join(","), series.days.len()),
    )?;
    let rows = periods
        .into_iter()
        .map(|p| {
            let groups = p
                .cells
                .iter()
                .map(|(v, n)| group(&series.dims, v, Some(*n)))
                .collect();
            (p.as_of, Some(p.total), groups)
        })
        .collect();
    print(series, rows, json_out, None)
}

/// A user's series, through the gate.
pub fn run_as(
    reg: &Registry,
    actor: &Actor,
    series: &Series,
    json_out: bool,
) -> anyhow::Result<()> {
    let tables = actor.read(reg, |g| {
        g.stats_over_time(&series.dims, &series.days, DEFAULT_THRESHOLD)
    })?;
    let threshold = tables
        .first()
        .map_or(DEFAULT_THRESHOLD, |t| t.table.threshold);
    let rows = tables
        .into_iter()
        .map(|p| {
            let groups = p
                .table
                .cells
                .iter()
                .map(|c| group(&series.dims, &c.values, c.count))
                .collect();
            (p.as_of, p.table.total, groups)
        })
        .collect();
    print(series, rows, json_out, Some(threshold))
}
