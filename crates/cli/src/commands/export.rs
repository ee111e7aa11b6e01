//! `homeward export --format jsonl|csv|hxl --out F`: exports what the caller may see,
//! through [`access::gate::Gate::export`] (audited; counts suppressed, always). The
//! operator exports with the administrator's role; `homeward as USER export ...` with the
//! user's. The file is written beside its destination, readable only by its owner, and
//! moved into place whole, so a failed export leaves no half file.

use crate::commands::acting::Actor;
use crate::commands::over_time::{parse_day, parse_dims};
use crate::context::Global;
use crate::present::print_json;
use access::export::{ExportFormat, ExportRequest, ExportScope, DEFAULT_COUNT_DIMENSIONS};
use access::suppression::DEFAULT_THRESHOLD;
use anyhow::{bail, Context as _};
use clap::Args;
use model::as_of::{period_ends, Every};
use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use store::Registry;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// jsonl, csv or hxl (CSV with the HXL hashtag row under the header).
    #[arg(long)]
    pub format: String,
    /// The file to write (replaced whole if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// persons (default), government:CC, publication, or counts (a coordinator's only).
    #[arg(long)]
    pub scope: Option<String>,
    /// For counts: camp, nationality, sex, age_band, status (default camp,sex,age_band).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// For counts over time: the first day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// For counts over time: the last day (default today).
    #[arg(long)]
    pub to: Option<String>,
    /// For counts over time: day or week.
    #[arg(long, default_value = "day")]
    pub every: String,
    /// Print what was exported as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &ExportArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    run_as(&reg, &Actor::operator(), args)
}

fn request(args: &ExportArgs) -> anyhow::Result<ExportRequest> {
    let format = ExportFormat::parse(&args.format)?;
    let counts_asked = !args.by.is_empty() || args.from.is_some();
    let mut scope = args.scope.as_deref().map(ExportScope::parse).transpose()?;
    if counts_asked && scope.is_none() {
        scope = ExportScope::parse("counts").ok();
    }
    if let Some(ExportScope::Counts { by, days }) = scope.as_mut() {
        if !args.by.is_empty() {
            *by = parse_dims(&args.by)?;
        }
        if let Some(from) = &args.from {
            let to = match &args.to {
                Some(t) => parse_day(t)?,
                None => chrono::Utc::now().date_naive(),
            };
            let every = Every::parse(&args.every)
                .ok_or_else(|| anyhow::anyhow!("--every {}: use day or week", args.every))?;
            *days = period_ends(parse_day(from)?, to, every)?;
        }
    } else if counts_asked {
        bail!("--by and --from are for counts: use --scope counts");
    }
    if let Some(ExportScope::Counts { by, .. }) = &scope {
        if by.is_empty() {
            bail!("--by is empty: name at least one of camp, nationality, sex, age_band, status (default {})",
                DEFAULT_COUNT_DIMENSIONS.iter().map(|d| d.key()).collect::<Vec<_>>().join(","));
        }
    }
    Ok(ExportRequest { format, scope })
}

/// A file beside `out`, created new and readable only by its owner.
fn partial_file(out: &Path) -> anyhow::Result<(PathBuf, std::fs::File)> {
    let name = out
        .file_name()
        .with_context(|| format!("--out {}: give a file name", out.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".partial-{}", std::process::id()));
    let partial = out.with_file_name(partial_name);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&partial)
        .with_context(|| format!("cannot create a file beside {}", out.display()))?;
    Ok((partial, file))
}

/// Runs an export as `actor`.
pub fn run_as(reg: &Registry, actor: &Actor, args: &ExportArgs) -> anyhow::Result<()> {
    let request = request(args)?;
    let (partial, file) = partial_file(&args.out)?;
    let result = (|| {
        let mut w = BufWriter::new(file);
        let summary = actor.read(reg, |g| g.export(&request, DEFAULT_THRESHOLD, &mut w))?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&partial, &args.out)
            .with_context(|| format!("cannot move the export to {}", args.out.display()))?;
        anyhow::Ok(summary)
    })();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    if args.json {
        return print_json(&summary);
    }
    let what = if summary.scope == "counts" {
        format!("{} rows of counts", summary.rows)
    } else {
        format!("{} persons", summary.persons)
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "exported {what} ({}, {}) to {}",
        summary.scope,
        summary.format,
        args.out.display()
    )?;
    Ok(())
}
