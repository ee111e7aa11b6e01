//! `homeward import`: a camp, government or NGO list into the registry, as one report
//! (the list, graded, its source sealed) and the persons and claims it states.
//!
//! Every row is checked before anything is written. Rows with problems are either the
//! reason nothing is imported (the default, with each problem named) or set aside whole
//! in a quarantine file (`--quarantine`) while the good rows go in — never half-read.
//! The file's BLAKE3 hash is kept on the report, so the same list is not imported twice
//! by accident.

mod build;
mod mapping;
mod rows;
mod sheet;

use crate::commands::place::parse_time;
use crate::context::{audit_operator, now, Global};
use crate::present::print_json;
use crate::progress;
use anyhow::{anyhow, bail, Context as _};
use clap::Args;
use mapping::Mapping;
use model::ids::{PlaceId, ReportId};
use model::report::{AttachmentHash, Channel, Grade, Report, SealClass, Sealer};
use rows::{Entry, Layout, Problem, Reader};
use sheet::Sheet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use store::Registry;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The list: CSV (UTF-8, header first) or XLSX/ODS (first sheet).
    pub file: PathBuf,
    /// What the list is and which column holds what (TOML; see docs/import.md).
    #[arg(long)]
    pub mapping: PathBuf,
    /// Check every row and say what would be imported; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and write the others here, whole, with their problems. The
    /// file is plaintext: keep it as carefully as the list itself.
    #[arg(long)]
    pub quarantine: Option<PathBuf>,
    /// Import a file even though the same file was imported before.
    #[arg(long)]
    pub again: bool,
    #[arg(long)]
    pub json: bool,
}

struct ListFacts {
    channel: Channel,
    grade: Grade,
    received_at: model::time::Timestamp,
    observed_at: model::time::Timestamp,
}

fn list_facts(mapping: &Mapping) -> anyhow::Result<ListFacts> {
    let l = &mapping.list;
    let channel = Channel::parse(&l.channel).ok_or_else(|| {
        anyhow!("[list] channel '{}': use official_list, interview, media, call, voice_note or text_message", l.channel)
    })?;
    let grade = Grade::parse(&l.grade).map_err(|e| anyhow!("[list] grade: {e}"))?;
    let received_at = l
        .received
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or_else(now);
    let observed_at = l
        .observed
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or(received_at);
    Ok(ListFacts {
        channel,
        grade,
        received_at,
        observed_at,
    })
}

pub fn run(global: &Global, args: &ImportArgs) -> anyhow::Result<()> {
    let mapping = Mapping::load(&args.mapping)?;
    let facts = list_facts(&mapping)?;
    let sheet = sheet::read(&args.file)?;
    if sheet.rows.is_empty() {
        bail!(
            "{} has a header but no rows; nothing to import",
            args.file.display()
        );
    }
    let hash = file_hash(&args.file)?;
    let mut reg = global.open()?;
    if !args.again {
        refuse_reimport(&reg, &hash, &args.file)?;
    }
    let (entries, problems) = read_rows(&reg, &mapping, &sheet, &facts)?;
    if !problems.is_empty() {
        match &args.quarantine {
            Some(q) => write_quarantine(q, &sheet, &problems)?,
            None => bail!(refusal(&problems, &args.file)),
        }
    }
    let quarantined = problem_lines(&problems).len();
    let report_id = if args.dry_run || entries.is_empty() {
        None
    } else {
        Some(append(
            &mut reg,
            args,
            &mapping,
            &facts,
            &entries,
            hash,
            sheet.rows.len(),
        )?)
    };
    summary(
        args,
        sheet.rows.len(),
        entries.len(),
        quarantined,
        report_id,
    )
}

fn file_hash(path: &Path) -> anyhow::Result<[u8; 32]> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(*blake3::hash(&bytes).as_bytes())
}

fn refuse_reimport(reg: &Registry, hash: &[u8; 32], file: &Path) -> anyhow::Result<()> {
    if let Some(id) = reg.reports_with_attachment(&AttachmentHash(*hash))?.first() {
        bail!(
            "{} was imported before, as report {id}; importing it again would register every person twice. Pass --again if that is really meant",
            file.display()
        );
    }
    Ok(())
}

/// Places by lower-cased name and by id; a name two places share is ambiguous.
fn place_finder(reg: &Registry) -> anyhow::Result<impl Fn(&str) -> Result<PlaceId, String>> {
    let mut by_name: HashMap<String, Vec<PlaceId>> = HashMap::new();
    for p in reg.places()? {
        by_name
            .entry(p.place.name.trim().to_lowercase())
            .or_default()
            .push(p.place.id);
        by_name
            .entry(p.place.id.to_string())
            .or_default()
            .push(p.place.id);
    }
    Ok(move |name: &str| {
        match by_name.get(&name.trim().to_lowercase()).map(Vec::as_slice) {
        Some([one]) => Ok(*one),
        Some(_) => Err(format!("several places are named '{name}'; use the place's id from `homeward place list`")),
        None => Err(format!(
            "no place named '{name}'; add it with `homeward place add`, or map the list's word under [values.place]"
        )),
    }
    })
}

fn read_rows(
    reg: &Registry,
    mapping: &Mapping,
    sheet: &Sheet,
    facts: &ListFacts,
) -> anyhow::Result<(Vec<Entry>, Vec<Problem>)> {
    let layout = Layout::new(mapping, sheet)?;
    let place = place_finder(reg)?;
    let reader = Reader {
        mapping,
        layout: &layout,
        observed_on: facts
            .observed_at
            .date()
            .ok_or_else(|| anyhow!("[list] observed is out of range"))?,
        place: &place,
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for row in &sheet.rows {
        match reader.read(row) {
            Ok(e) => entries.push(e),
            Err(p) => problems.extend(p),
        }
    }
    Ok((entries, problems))
}

fn problem_lines(problems: &[Problem]) -> Vec<u64> {
    let mut lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
    lines.dedup();
    lines
}

fn refusal(problems: &[Problem], file: &Path) -> String {
    let shown: Vec<String> = problems.iter().take(10).map(|p| format!("  {p}")).collect();
    let more = problems.len().saturating_sub(shown.len());
    format!(
        "{} rows of {} have problems, so nothing was imported:\n{}{}\nFix them in the list or the mapping, or pass --quarantine FILE.csv to import the good rows and set these aside",
        problem_lines(problems).len(),
        file.display(),
        shown.join("\n"),
        if more > 0 { format!("\n  ... and {more} more") } else { String::new() }
    )
}

/// Bad rows as they were, with a last column saying what is wrong.
fn write_quarantine(path: &Path, sheet: &Sheet, problems: &[Problem]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path)
        .with_context(|| format!("cannot create the quarantine file {}", path.display()))?;
    let mut header = sheet.headers.clone();
    header.push("problem".into());
    w.write_record(&header)?;
    for row in &sheet.rows {
        let mine: Vec<String> = problems
            .iter()
            .filter(|p| p.line == row.line)
            .map(ToString::to_string)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut cells = row.cells.clone();
        cells.resize(sheet.headers.len(), String::new());
        cells.push(mine.join("; "));
        w.write_record(&cells)?;
    }
    w.flush()
        .with_context(|| format!("cannot write the quarantine file {}", path.display()))?;
    Ok(())
}

/// Ids drawn from one random seed: BLAKE3 of the seed and a counter, so they are as
/// unguessable as the seed and need only one call to the OS.
struct SeededIds {
    seed: [u8; 16],
    n: u64,
}

impl build::Ids for SeededIds {
    fn next(&mut self) -> u128 {
        self.n += 1;
        let mut h = blake3::Hasher::new();
        h.update(&self.seed).update(&self.n.to_le_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.finalize().as_bytes()[..16]);
        u128::from_le_bytes(out)
    }
}

fn append(
    reg: &mut Registry,
    args: &ImportArgs,
    mapping: &Mapping,
    facts: &ListFacts,
    entries: &[Entry],
    hash: [u8; 32],
    rows: usize,
) -> anyhow::Result<ReportId> {
    let id = ReportId::from_u128(store::random_u128()?);
    let file = args
        .file
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let report = Report {
        id,
        channel: facts.channel,
        received_at: facts.received_at,
        received_by: reg.local_actor(),
        source: mapping
            .list
            .source
            .as_deref()
            .map(|s| reg.sealer().seal(SealClass::Source, s.as_bytes())),
        content: format!(
            "{} (imported from {file}: {} of {rows} rows)",
            mapping.list.title.trim(),
            entries.len()
        ),
        attachments: vec![AttachmentHash(hash)],
        grade: facts.grade,
    };
    let mut ids = SeededIds {
        seed: store::random_u128()?.to_le_bytes(),
        n: 0,
    };
    let batch = build::events(entries, report, facts.observed_at, &mut ids);
    let at = now();
    let bar = progress::bar(batch.events.len() as u64, "import");
    let actor = reg.local_actor();
    reg.append(actor, batch.events.into_iter().map(|p| (at, p)), &mut |n| {
        if n % 1024 == 0 {
            bar.set_position(n);
        }
    })
    .context("the list was not imported; the registry is as it was")?;
    bar.finish_and_clear();
    let subjects: Vec<String> = batch
        .persons
        .iter()
        .map(|p| format!("person:{p}"))
        .collect();
    audit_operator(
        reg,
        "person.add",
        &subjects,
        &format!("import {file}, report {id}"),
    )?;
    crate::duplicates::check_new(reg, &batch.persons);
    Ok(id)
}

fn summary(
    args: &ImportArgs,
    rows: usize,
    imported: usize,
    quarantined: usize,
    report: Option<ReportId>,
) -> anyhow::Result<()> {
    if args.json {
        return print_json(&serde_json::json!({
            "rows": rows,
            "imported": if args.dry_run { 0 } else { imported },
            "would_import": imported,
            "quarantined": quarantined,
            "report_id": report.map(|r| r.to_string()),
            "dry_run": args.dry_run,
        }));
    }
    let verb = if args.dry_run {
        "would be imported (dry run: nothing was written)"
    } else {
        "imported"
    };
    println!("{imported} of {rows} rows {verb}.");
    if let (Some(q), true) = (&args.quarantine, quarantined > 0) {
        println!(
            "{quarantined} rows with problems set aside in {}.",
            q.display()
        );
    }
    if let Some(r) = report {
        println!("The list is report {r}; every fact imported cites it.");
    }
    Ok(())
}
