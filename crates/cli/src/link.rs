//! `homeward link`: deduplicate or link CSV files with the linkage engine.
//!
//! This module owns the file side: reading CSV (every row accounted for; a malformed row
//! stops the run with its file, line and column), the model file, the progress bar, the
//! trained-model summary on stderr, and writing results.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use linkage::{LinkError, Linker, Model, Options, Progress, Table, Task};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Subcommand)]
pub enum LinkCommand {
    /// Deduplicate one file; writes `id,cluster_id`.
    Dedupe(DedupeArgs),
    /// Link two files; writes `left_id,right_id,match_probability`.
    Between(BetweenArgs),
}

#[derive(Args)]
pub struct DedupeArgs {
    #[arg(long)]
    pub input: PathBuf,
    /// Built-in model preset (`person`).
    #[arg(long, conflicts_with = "model", required_unless_present = "model")]
    pub preset: Option<String>,
    /// A model file (TOML).
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[arg(long)]
    pub output: PathBuf,
    /// Also write the scored pairs.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// Print the trained model summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BetweenArgs {
    #[arg(long)]
    pub left: PathBuf,
    #[arg(long)]
    pub right: PathBuf,
    /// A model file (TOML).
    #[arg(long, conflicts_with = "preset", required_unless_present = "preset")]
    pub model: Option<PathBuf>,
    /// Built-in model preset (`person`), instead of a model file.
    #[arg(long)]
    pub preset: Option<String>,
    #[arg(long)]
    pub output: PathBuf,
    /// Print the trained model summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: LinkCommand) -> Result<()> {
    match cmd {
        LinkCommand::Dedupe(a) => dedupe(a),
        LinkCommand::Between(a) => between(a),
    }
}

/// A model from a file or a preset, and whether the person preset's extra evidence runs.
struct Setup {
    model: Model,
    person: bool,
}

fn setup(model: Option<&Path>, preset: Option<&str>) -> Result<Setup> {
    match (model, preset) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read model file {}", path.display()))?;
            let model = Model::from_toml(&text).map_err(|e| {
                anyhow::anyhow!(
                    "model file {} is not a usable model: {e}\nFix the file; \
                     docs/benchmarks.md and bench/ have complete examples.",
                    path.display()
                )
            })?;
            Ok(Setup {
                model,
                person: false,
            })
        }
        (None, Some("person")) => Ok(Setup {
            model: linkage::person::model(),
            person: true,
        }),
        (None, Some(other)) => bail!("unknown preset {other:?}; the built-in preset is `person`"),
        (None, None) => bail!("give --model M.toml or --preset person"),
    }
}

/// Records of one file, with the file line of each record for error messages.
struct Loaded {
    path: PathBuf,
    table: Table,
    lines: Vec<u64>,
}

fn read_csv(
    path: &Path,
    id_column: &str,
    required: &[String],
    optional: &[String],
) -> Result<Loaded> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot open {shown}"))?;
    let header = reader
        .headers()
        .with_context(|| format!("{shown}: cannot read the header row"))?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let id_at = names.iter().position(|n| n == id_column).with_context(|| {
        format!(
            "{shown}: the header has no id column {id_column:?} (it has: {})",
            names.join(", ")
        )
    })?;
    for col in required {
        if !names.iter().any(|n| n == col) {
            bail!(
                "{shown}: the model needs column {col:?}, which the header does not have (it has: {})",
                names.join(", ")
            );
        }
    }
    let mut columns: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != id_at)
        .map(|(_, n)| n.clone())
        .collect();
    for col in optional {
        if !columns.contains(col) {
            columns.push(col.clone());
        }
    }
    let mut table = Table::new(columns.clone());
    let positions: Vec<Option<usize>> = columns
        .iter()
        .map(|c| names.iter().position(|n| n == c))
        .collect();
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => anyhow::anyhow!(
                    "{shown}, line {line}: the row has {len} fields but the header has \
                     {expected_len}; every row needs one value per column (an empty value \
                     is fine). Nothing was written."
                ),
                csv::ErrorKind::Utf8 { err, .. } => anyhow::anyhow!(
                    "{shown}, line {line}, column {:?}: not valid UTF-8 text; save the file as UTF-8. \
                     Nothing was written.",
                    names.get(err.field()).map(String::as_str).unwrap_or("?")
                ),
                _ => anyhow::anyhow!("{shown}, line {line}: {e}. Nothing was written."),
            }
        })?;
        if !more {
            break;
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let id = record.get(id_at).unwrap_or("").trim();
        if id.is_empty() {
            bail!("{shown}, line {line}, column {id_column:?}: the id is empty; every record needs an id. Nothing was written.");
        }
        let values: Vec<&str> = positions
            .iter()
            .map(|p| p.and_then(|i| record.get(i)).unwrap_or(""))
            .collect();
        table.push(id, &values);
        lines.push(line);
    }
    // Ids must be unique: sort record numbers by id and compare neighbours (cheaper
    // than a map of a million strings).
    let mut order: Vec<u32> = (0..table.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| table.id(a as usize).cmp(table.id(b as usize)));
    for w in order.windows(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        if table.id(a) == table.id(b) {
            let (first, again) = (lines[a].min(lines[b]), lines[a].max(lines[b]));
            bail!(
                "{shown}, line {again}, column {id_column:?}: id {:?} was already used on line \
                 {first}; ids must be unique within a file. Nothing was written.",
                table.id(a)
            );
        }
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        table,
        lines,
    })
}

/// Turns an engine error about record `row` into one naming the file and line.
fn locate(err: LinkError, files: &[&Loaded]) -> anyhow::Error {
    match err {
        LinkError::BadValue {
            row,
            column,
            value,
            expected,
        } => {
            let mut r = row;
            for f in files {
                if r < f.lines.len() {
                    return anyhow::anyhow!(
                        "{}, line {}, column {column:?}: {value:?} is not {expected}. \
                         Correct or empty the value. Nothing was written.",
                        f.path.display(),
                        f.lines[r]
                    );
                }
                r -= f.lines.len();
            }
            anyhow::anyhow!("record {row}, column {column:?}: {value:?} is not {expected}")
        }
        other => anyhow::Error::new(other),
    }
}

/// A progress bar on stderr (drawn only on a terminal), remembering how long each
/// stage took for the summary.
pub(crate) struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    stages: Mutex<Vec<(String, std::time::Instant)>>,
}

impl Bar {
    pub(crate) fn new() -> Self {
        Bar {
            bar: Mutex::new(None),
            stages: Mutex::new(Vec::new()),
        }
    }
    pub(crate) fn finish(&self) {
        if let Ok(mut g) = self.bar.lock() {
            if let Some(pb) = g.take() {
                pb.finish_and_clear();
            }
        }
        if let Ok(mut s) = self.stages.lock() {
            s.push(("done".into(), std::time::Instant::now()));
        }
    }
    /// Seconds per stage, in order.
    pub(crate) fn timings(&self) -> Vec<(String, f64)> {
        match self.stages.lock() {
            Ok(s) => s
                .windows(2)
                .map(|w| (w[0].0.clone(), (w[1].1 - w[0].1).as_secs_f64()))
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Ok(mut s) = self.stages.lock() {
            s.push((name.to_string(), std::time::Instant::now()));
        }
        if let Ok(mut g) = self.bar.lock() {
            if let Some(pb) = g.take() {
                pb.finish_and_clear();
            }
            let pb = ProgressBar::new(total);
            if let Ok(style) =
                ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} {elapsed}")
            {
                pb.set_style(style.progress_chars("=> "));
            }
            pb.set_message(name.to_string());
            *g = Some(pb);
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(g) = self.bar.lock() {
            if let Some(pb) = g.as_ref() {
                pb.inc(n);
            }
        }
    }
}

fn print_summary(linker: &Linker, json: bool, bar: &Bar) {
    let stats = &linker.stats;
    let params = linker.parameters();
    if json {
        let comparisons: Vec<String> = linker
            .summary()
            .iter()
            .map(|c| {
                let levels: Vec<String> = c
                    .levels
                    .iter()
                    .map(|l| {
                        format!(
                            "{{\"level\":{},\"m\":{},\"u\":{},\"weight\":{}}}",
                            json_str(&l.label),
                            l.m,
                            l.u,
                            l.weight
                        )
                    })
                    .collect();
                format!(
                    "{{\"name\":{},\"term_frequency\":{},\"levels\":[{}]}}",
                    json_str(&c.name),
                    c.term_frequency,
                    levels.join(",")
                )
            })
            .collect();
        let candidates: u64 = stats.pairs_per_rule.iter().map(|r| r.1).sum();
        println!(
            "{{\"records\":{},\"candidate_pairs\":{},\"kept_pairs\":{},\"prior\":{},\"em_iterations\":{},\"em_converged\":{},\"skipped_blocks\":{},\"comparisons\":[{}]}}",
            stats.records,
            candidates,
            stats.kept,
            params.prior,
            params.iterations,
            params.converged,
            stats.skipped_blocks.len(),
            comparisons.join(",")
        );
        return;
    }
    eprintln!("records: {}", stats.records);
    let times: Vec<String> = bar
        .timings()
        .iter()
        .map(|(stage, secs)| format!("{stage} {secs:.2}s"))
        .collect();
    eprintln!("stages: {}", times.join(", "));
    for (i, (rule, n)) in stats.pairs_per_rule.iter().enumerate() {
        let share = linker.rule_priors().get(i).copied().unwrap_or(0.0);
        eprintln!(
            "  blocking {rule:<40} {n:>12} new candidate pairs, {:5.1}% matches by EM",
            share * 100.0
        );
    }
    for s in &stats.skipped_blocks {
        eprintln!(
            "  warning: a block of {} records under rule {:?} is over max_block_size and was not compared",
            s.records, s.rule
        );
    }
    eprintln!(
        "EM: two random records match with probability {:.3e} (log2 odds {:+.2}); {} iterations{}",
        params.prior,
        linker.prior_weight(),
        params.iterations,
        if params.converged {
            ""
        } else {
            " (not converged)"
        }
    );
    for c in linker.summary() {
        eprintln!(
            "  {}{}",
            c.name,
            if c.term_frequency {
                " (term-frequency adjusted)"
            } else {
                ""
            }
        );
        for l in &c.levels {
            eprintln!(
                "    {:<34} m {:>8.5}  u {:>10.3e}  weight {:+7.2}",
                l.label, l.m, l.u, l.weight
            );
        }
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn columns_for(setup: &Setup) -> (Vec<String>, Vec<String>) {
    if setup.person {
        (
            Vec::new(),
            linkage::person::COLUMNS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    } else {
        (setup.model.columns_used(), Vec::new())
    }
}

fn dedupe(args: DedupeArgs) -> Result<()> {
    let setup = setup(args.model.as_deref(), args.preset.as_deref())?;
    let (required, optional) = columns_for(&setup);
    let bar = Bar::new();
    bar.stage("reading input", 0);
    let input = read_csv(&args.input, &setup.model.unique_id, &required, &optional)?;
    let mut input = input;
    let table = std::mem::replace(&mut input.table, Table::new(Vec::new()));
    let table = if setup.person {
        linkage::person::prepare(&table).map_err(|e| locate(e, &[&input]))?
    } else {
        table
    };
    let mut linker =
        Linker::train(&setup.model, Task::Dedupe(table), &bar).map_err(|e| locate(e, &[&input]))?;
    let (scored, links) = score_and_decide(&mut linker, &setup, args.pairs.is_some(), &bar);
    bar.stage("clustering", 0);
    let clusters = linker.cluster(&links);
    bar.finish();
    print_summary(&linker, args.json, &bar);
    let t = linker.table();
    let mut w = csv::Writer::from_path(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    w.write_record(["id", "cluster_id"])?;
    for (row, c) in clusters.iter().enumerate() {
        let id = t.id(linker.position(row));
        let cluster = t.id(linker.position(*c as usize));
        w.write_record([id, cluster])?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if let Some(path) = &args.pairs {
        write_pairs(&linker, &scored, path, true)?;
    }
    let n_clusters = clusters
        .iter()
        .enumerate()
        .filter(|(i, c)| **c as usize == *i)
        .count();
    if !args.json {
        eprintln!(
            "{} links at match probability >= {}; {} records in {} clusters written to {}",
            links.len(),
            setup.model.decision.threshold,
            clusters.len(),
            n_clusters,
            args.output.display()
        );
    }
    Ok(())
}

/// Scores the candidate pairs and decides the links: `(scored, links)`. The person preset
/// keeps pairs well below the threshold, because household evidence can lift them over it
/// (`linkage::person::collective`); so does a caller that writes every scored pair out.
fn score_and_decide(
    linker: &mut Linker,
    setup: &Setup,
    keep_all_pairs: bool,
    bar: &Bar,
) -> (Vec<linkage::Link>, Vec<linkage::Link>) {
    let keep = if setup.person || keep_all_pairs {
        0.05
    } else {
        setup.model.decision.threshold
    };
    let mut scored = linker.score(
        &Options {
            keep_probability: keep,
        },
        bar,
    );
    if setup.person {
        scored = linkage::person::collective(linker, scored);
    }
    bar.stage("deciding", 0);
    let links = linker.decide(&scored);
    (scored, links)
}

fn write_pairs(
    linker: &Linker,
    scored: &[linkage::Link],
    path: &Path,
    explain: bool,
) -> Result<()> {
    let t = linker.table();
    let mut w = csv::Writer::from_path(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    if explain {
        w.write_record([
            "left_id",
            "right_id",
            "match_probability",
            "match_weight",
            "explanation",
        ])?;
    } else {
        w.write_record(["left_id", "right_id", "match_probability"])?;
    }
    for l in scored {
        let p = format!("{:.6}", linkage::probability(l.weight as f64));
        if explain {
            let why: Vec<String> = linker
                .explain(l.a as usize, l.b as usize)
                .into_iter()
                .map(|c| format!("{}: {} ({:+.2})", c.comparison, c.level, c.weight))
                .collect();
            w.write_record([
                t.id(l.a as usize),
                t.id(l.b as usize),
                &p,
                &format!("{:.3}", l.weight),
                &why.join("; "),
            ])?;
        } else {
            w.write_record([t.id(l.a as usize), t.id(l.b as usize), &p])?;
        }
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn between(args: BetweenArgs) -> Result<()> {
    let setup = setup(args.model.as_deref(), args.preset.as_deref())?;
    let (required, optional) = columns_for(&setup);
    let bar = Bar::new();
    bar.stage("reading input", 0);
    let left = read_csv(&args.left, &setup.model.unique_id, &required, &optional)?;
    let right = read_csv(&args.right, &setup.model.unique_id, &required, &optional)?;
    let (mut left, mut right) = (left, right);
    let lt = std::mem::replace(&mut left.table, Table::new(Vec::new()));
    let rt = std::mem::replace(&mut right.table, Table::new(Vec::new()));
    let (lt, rt) = if setup.person {
        (
            linkage::person::prepare(&lt).map_err(|e| locate(e, &[&left]))?,
            linkage::person::prepare(&rt).map_err(|e| locate(e, &[&right]))?,
        )
    } else {
        (lt, rt)
    };
    let mut linker = Linker::train(
        &setup.model,
        Task::Link {
            left: lt,
            right: rt,
        },
        &bar,
    )
    .map_err(|e| locate(e, &[&left, &right]))?;
    let (_, links) = score_and_decide(&mut linker, &setup, false, &bar);
    bar.finish();
    print_summary(&linker, args.json, &bar);
    write_pairs(&linker, &links, &args.output, false)?;
    if !args.json {
        eprintln!(
            "{} links at match probability >= {} written to {}",
            links.len(),
            setup.model.decision.threshold,
            args.output.display()
        );
    }
    Ok(())
}
