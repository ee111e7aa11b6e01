//! `homeward duplicates ...`: the review queue of records that may be one person, a
//! candidate with both persons side by side and the evidence, decisions (match — which
//! merges —, not a match, unsure), undoing a merge, and re-scanning the whole registry.
//!
//! Reads and decisions go through `access::Gate` and `access::Writer`: as the registry
//! administrator (actor `operator`, who sees every person) for the plain commands, as a
//! signed-in user under `homeward as USER duplicates ...`, scoped and audited like the API.

use crate::context::{audit_operator, now, Global};
use crate::duplicates::{self as detection, Scope, DEFAULT_MIN_PROBABILITY};
use crate::present::{print_json, table};
use access::duplicates::{CandidateOut, QueueOut};
use access::redact::PersonOut;
use access::{Directory, Gate, User, Writer};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use model::ids::{CandidateId, MergeId, PersonId};
use model::merge::MatchDecision;
use store::Registry;

#[derive(Subcommand, Debug)]
pub enum DuplicatesCommand {
    /// The review queue: pairs of records that may be one person, strongest first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One candidate: both persons side by side, the evidence and the history.
    Show {
        /// Candidate id (the administrator may give its first characters).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Decides on a candidate: match (merges the two), not-a-match (remembered), unsure.
    Decide(DecideArgs),
    /// Undoes a merge: the two records are separate persons again, as if never merged.
    Undo {
        /// Merge id (the administrator may give its first characters).
        merge: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Scores the whole registry again (administrator only) and refreshes the queue,
    /// keeping every decision.
    Scan(ScanArgs),
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    pub id: String,
    /// match, not-a-match or unsure.
    pub decision: String,
    /// Why (kept with the decision).
    #[arg(long, default_value = "")]
    pub note: String,
    /// For a match: the person to keep (the other's id then resolves to it).
    #[arg(long)]
    pub keep: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Propose pairs at or above this match probability.
    #[arg(long, default_value_t = DEFAULT_MIN_PROBABILITY)]
    pub min_probability: f64,
    #[arg(long)]
    pub json: bool,
}

/// `homeward duplicates ...`, as the registry administrator.
pub fn run(global: &Global, cmd: &DuplicatesCommand) -> anyhow::Result<()> {
    if let DuplicatesCommand::Scan(a) = cmd {
        return scan(global, a);
    }
    let mut reg = global.open()?;
    run_as(
        &mut reg,
        &crate::commands::acting::Actor::operator().user,
        cmd,
        true,
    )
}

/// Runs a review command as `user`. `prefixes`: ids may be abbreviated (the
/// administrator's commands only: a prefix search would look outside a user's scope).
pub fn run_as(
    reg: &mut Registry,
    user: &User,
    cmd: &DuplicatesCommand,
    prefixes: bool,
) -> anyhow::Result<()> {
    let dir = Directory::build(reg)?;
    let now_ms = now().0;
    fn gate<'a>(reg: &'a Registry, dir: &'a Directory, user: &'a User, now_ms: i64) -> Gate<'a> {
        Gate {
            registry: reg,
            directory: dir,
            user,
            interface: "cli",
            now_ms,
        }
    }
    let not_found = |e: access::AccessError| match e {
        access::AccessError::NotFound => {
            anyhow!("no such candidate or merge that {} may see", user.name)
        }
        e => e.into(),
    };
    match cmd {
        DuplicatesCommand::List { limit, json } => {
            let queue = gate(reg, &dir, user, now_ms).duplicate_queue(*limit)?;
            if *json {
                return print_json(&queue);
            }
            print_queue(&queue);
        }
        DuplicatesCommand::Show { id, json } => {
            let id = candidate(reg, id, prefixes)?;
            let c = gate(reg, &dir, user, now_ms)
                .duplicate(id)
                .map_err(not_found)?;
            if *json {
                return print_json(&c);
            }
            print_candidate(&c);
        }
        DuplicatesCommand::Decide(a) => {
            let id = candidate(reg, &a.id, prefixes)?;
            let decision = MatchDecision::parse(&a.decision).ok_or_else(|| {
                anyhow!(
                    "'{}' is not a decision: use match, not-a-match or unsure",
                    a.decision
                )
            })?;
            let keep = a
                .keep
                .as_deref()
                .map(|k| person(reg, k, prefixes))
                .transpose()?;
            let out = Writer {
                registry: reg,
                directory: &dir,
                user,
                interface: "cli",
                now_ms,
            }
            .decide_duplicate(id, decision, &a.note, keep)
            .map_err(not_found)?;
            if a.json {
                return print_json(&out);
            }
            match (&out.merge_id, &out.person_id) {
                (Some(m), Some(p)) => println!(
                    "Decided: match. Both records are now person {p} (merge {}). Undo with: homeward duplicates undo {}",
                    short(m),
                    short(m)
                ),
                _ => println!("Decided: {} (candidate {}).", out.decision, short(&out.candidate_id)),
            }
        }
        DuplicatesCommand::Undo { merge, note, json } => {
            let id = merge_id(reg, merge, prefixes)?;
            let out = Writer {
                registry: reg,
                directory: &dir,
                user,
                interface: "cli",
                now_ms,
            }
            .undo_merge(id, note)
            .map_err(not_found)?;
            if *json {
                return print_json(&out);
            }
            println!(
                "Undone: record {} is a person of its own again (apart from {}).",
                out.merged, out.survivor
            );
        }
        DuplicatesCommand::Scan(_) => bail!("scanning the registry is for its administrator"),
    }
    Ok(())
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// An id typed in full, or (for the administrator) its first characters.
fn by_id<T: std::str::FromStr>(
    text: &str,
    prefixes: bool,
    what: &str,
    with_prefix: impl Fn(&str) -> Result<Vec<T>, store::StoreError>,
) -> anyhow::Result<T> {
    if let Ok(id) = text.parse() {
        return Ok(id);
    }
    if !prefixes {
        bail!("'{text}' is not a {what} id; give the whole id (`--json` output shows it)");
    }
    let mut found = with_prefix(text)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no {what} has an id starting with '{text}'; `homeward duplicates list` shows candidates, `homeward person show ID` a person's merges"),
        _ => bail!("'{text}' matches several {what}s; type more characters of the id"),
    }
}

fn candidate(reg: &Registry, text: &str, prefixes: bool) -> anyhow::Result<CandidateId> {
    by_id(text, prefixes, "candidate", |t| {
        reg.candidate_ids_with_prefix(t)
    })
}

fn merge_id(reg: &Registry, text: &str, prefixes: bool) -> anyhow::Result<MergeId> {
    by_id(text, prefixes, "merge", |t| reg.merge_ids_with_prefix(t))
}

fn person(reg: &Registry, text: &str, prefixes: bool) -> anyhow::Result<PersonId> {
    if prefixes {
        return crate::person_ids::resolve(reg, text);
    }
    text.parse()
        .map_err(|_| anyhow!("--keep {text}: give a whole person id"))
}

/// A person in one line: a Latin full name if any (else the first name) and nationalities.
fn names_of(p: &access::views::PersonSummary) -> String {
    let name = p
        .names
        .iter()
        .find(|n| n.kind == "full" && n.script == "latin")
        .or(p.names.first())
        .map_or("(no name shown)", |n| n.text.as_str());
    let countries: Vec<&str> = p.nationalities.iter().map(|n| n.country.as_str()).collect();
    format!("{name} ({})", countries.join(","))
}

fn print_queue(q: &QueueOut) {
    println!(
        "{} candidate(s) in the review queue{}, strongest first.",
        q.total,
        if q.items.len() < q.total {
            format!(" (showing {})", q.items.len())
        } else {
            String::new()
        }
    );
    if q.items.is_empty() {
        return;
    }
    let mut t = table(&[
        "candidate",
        "p",
        "status",
        "person a",
        "person b",
        "names met",
    ]);
    for i in &q.items {
        let met = i
            .names
            .first()
            .map(|n| format!("{:.2}", n.similarity))
            .unwrap_or_default();
        t.add_row(vec![
            short(&i.candidate_id).to_string(),
            format!("{:.3}", i.probability),
            i.status.to_string(),
            format!("{} [{}]", names_of(&i.a), short(&i.a.person_id)),
            format!("{} [{}]", names_of(&i.b), short(&i.b.person_id)),
            met,
        ]);
    }
    println!("{t}");
}

/// One line of the side-by-side table: how to print a person's value.
type Field = fn(&PersonOut) -> String;

fn side(p: &PersonOut, f: Field) -> String {
    f(p)
}

fn print_candidate(c: &CandidateOut) {
    println!(
        "Candidate {} — {} — match probability {:.3} (weight {:.1})",
        c.candidate_id, c.status, c.probability, c.weight
    );
    let mut t = table(&["", "person a", "person b"]);
    let rows: [(&str, Field); 8] = [
        ("id", |p| p.person_id.clone()),
        ("names", |p| {
            p.names
                .iter()
                .flatten()
                .map(|n| n.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        }),
        ("sex", |p| p.sex.to_string()),
        ("birth", |p| p.birth.clone().unwrap_or_default()),
        ("nationalities", |p| {
            p.nationalities
                .iter()
                .map(|n| format!("{} ({})", n.country, n.status))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        ("household", |p| p.household.clone().unwrap_or_default()),
        ("whereabouts", |p| {
            format!(
                "{} {}",
                p.whereabouts.status,
                p.whereabouts.since.as_deref().unwrap_or("")
            )
        }),
        ("claims", |p| p.claims.len().to_string()),
    ];
    for (label, f) in rows {
        t.add_row(vec![label.to_string(), side(&c.a, f), side(&c.b, f)]);
    }
    println!("{t}");
    if let Some(e) = &c.evidence {
        let mut t = table(&["comparison", "level", "weight"]);
        for x in &e.comparisons {
            t.add_row(vec![
                x.comparison.clone(),
                x.level.clone(),
                format!("{:+.2}", x.weight),
            ]);
        }
        println!("{t}");
        for n in &e.names {
            println!("  names met: {} ~ {} ({:.2})", n.a, n.b, n.similarity);
        }
        if !e.keys.is_empty() {
            println!("  found under index keys: {}", e.keys.join(", "));
        }
        if let Some(h) = &e.household {
            println!(
                "  household support: {:+.1} from {} linked pair(s) of relatives",
                h.weight,
                h.through.len()
            );
        }
        if e.kunya {
            println!("  a kunya singles one out as the other's mother");
        }
    }
    for h in &c.history {
        println!(
            "  {} {} by {}{}",
            h.at.as_deref().unwrap_or(""),
            h.step,
            h.by,
            if h.note.is_empty() {
                String::new()
            } else {
                format!(": {}", h.note)
            }
        );
    }
    if let Some(m) = &c.merge_id {
        println!(
            "Merged (merge {m}); undo with: homeward duplicates undo {}",
            short(m)
        );
    }
}

/// `homeward duplicates scan`: the whole registry, with a progress bar.
fn scan(global: &Global, args: &ScanArgs) -> anyhow::Result<()> {
    if !(0.0..1.0).contains(&args.min_probability) {
        bail!("--min-probability must be at least 0 and below 1");
    }
    let mut reg = global.open()?;
    let bar = crate::link::Bar::new();
    let started = std::time::Instant::now();
    let report = detection::scan(&mut reg, Scope::Everyone, args.min_probability, now(), &bar)?;
    bar.finish();
    audit_operator(
        &reg,
        "duplicates.scan",
        &["duplicates".into()],
        &format!(
            "pairs={} new={} refreshed={} withdrawn={}",
            report.pairs_compared, report.new, report.refreshed, report.withdrawn
        ),
    )?;
    if args.json {
        return print_json(&report);
    }
    println!(
        "Scanned {} persons in {:.1} s: {} pairs compared, {} likely one person (p ≥ {}).",
        report.persons,
        started.elapsed().as_secs_f64(),
        report.pairs_compared,
        report.likely,
        args.min_probability
    );
    println!(
        "  {} new, {} refreshed, {} remembered as not a match, {} withdrawn. Review them: homeward duplicates list",
        report.new, report.refreshed, report.remembered_not_a_match, report.withdrawn
    );
    let stages: Vec<String> = bar
        .timings()
        .iter()
        .map(|(name, s)| format!("{name} {s:.1} s"))
        .collect();
    println!("  time by stage: {}", stages.join(", "));
    Ok(())
}

/// A record of a person made of several, for `person show`.
#[derive(serde::Serialize)]
pub struct RecordJson {
    pub person_id: String,
    pub names: Vec<String>,
    pub claims: usize,
    /// The merge that joined it (none for the record the person is shown under).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<MergeJson>,
}

#[derive(serde::Serialize)]
pub struct MergeJson {
    pub merge_id: String,
    pub by: String,
    pub at: String,
    pub note: String,
}

impl From<&model::merge::MergeView> for MergeJson {
    fn from(m: &model::merge::MergeView) -> Self {
        Self {
            merge_id: m.id.to_string(),
            by: m.by.clone(),
            at: m.at.to_string(),
            note: m.note.clone(),
        }
    }
}

/// Where a person's facts came from: the id asked for if it was a merged record, and
/// the records when there are several.
pub struct Provenance {
    pub merged_from: Option<(PersonId, model::merge::MergeView)>,
    pub records: Vec<model::projection::PersonView>,
    pub merges: Vec<model::merge::MergeView>,
}

impl Provenance {
    pub fn of(reg: &Registry, asked: PersonId, person: PersonId) -> anyhow::Result<Self> {
        let merged_from = match reg.merged_into(asked)? {
            Some(m) if asked != person => Some((asked, m.merge)),
            _ => None,
        };
        let records = reg.person_records(person)?;
        let merges = if records.len() > 1 {
            reg.merges_of(person)?
        } else {
            Vec::new()
        };
        Ok(Self {
            merged_from,
            records: if merges.is_empty() {
                Vec::new()
            } else {
                records
            },
            merges,
        })
    }

    pub fn records_json(&self) -> Vec<RecordJson> {
        self.records
            .iter()
            .map(|r| RecordJson {
                person_id: r.id.to_string(),
                names: r.names.iter().map(|n| n.text.clone()).collect(),
                claims: r.claims.len(),
                merge: self
                    .merges
                    .iter()
                    .find(|m| m.merged == r.id)
                    .map(MergeJson::from),
            })
            .collect()
    }

    /// The records (first 8 characters of each id) a name comes from.
    pub fn name_records(&self, name: &crate::present::NameJson) -> String {
        self.records
            .iter()
            .filter(|r| {
                r.names
                    .iter()
                    .any(|n| n.text == name.text && n.source.map(|s| s.to_string()) == name.source)
            })
            .map(|r| short(&r.id.to_string()).to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn print(&self) {
        if let Some((asked, m)) = &self.merged_from {
            println!(
                "Record {asked} was merged into this person on {} by {} (merge {}){}.",
                m.at,
                m.by,
                short(&m.id.to_string()),
                if m.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", m.note)
                }
            );
        }
        if self.records.is_empty() {
            return;
        }
        println!(
            "Made of {} records (the record column says where each fact came from):",
            self.records.len()
        );
        for r in &self.records {
            let merge = self.merges.iter().find(|m| m.merged == r.id);
            println!(
                "  {} — {} claim(s){}",
                short(&r.id.to_string()),
                r.claims.len(),
                merge
                    .map(|m| format!(
                        ", merged on {} by {}; undo: homeward duplicates undo {}",
                        m.at,
                        m.by,
                        short(&m.id.to_string())
                    ))
                    .unwrap_or_default()
            );
        }
    }
}
