//! Search evaluation and latency: recall@1 and recall@10 of `Registry::search` on queries
//! written the way reports write them, beside a plain fuzzy search over Latin-script
//! names (token-wise Jaro-Winkler) on the same queries; then search latency percentiles.
//!
//! ```sh
//! cargo run --release -p homeward-store --example search_eval -- [SCALE] [QUERIES] [--no-baseline] [--registry PATH]
//! ```
//!
//! SCALE is the demo scenario's (0.15 ≈ 12,000 persons; 1 ≈ 82,000; 12.3 ≈ 1,000,000).
//! With `--registry PATH` an existing file is reused (passphrase "benchmark passphrase"),
//! or built there and kept. All names are the demo crate's synthetic ones.

#[path = "common/allocator.rs"]
mod allocator;

use model::person::{NameKind, Script};
use model::projection::PersonView;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;
use store::{PersonFilter, Registry, SearchFilters};

const PASSPHRASE: &str = "benchmark passphrase";

/// A small deterministic generator (xorshift64*), so queries are the same on every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

/// Spelling habits of other clerks and other languages.
const RESPELLINGS: [(&str, &str); 26] = [
    ("ou", "u"),
    ("u", "ou"),
    ("sh", "ch"),
    ("ch", "sh"),
    ("dj", "j"),
    ("j", "dj"),
    ("ee", "i"),
    ("i", "ee"),
    ("kh", "h"),
    ("ss", "s"),
    ("s", "ss"),
    ("ei", "ay"),
    ("ai", "ei"),
    ("ay", "ai"),
    ("y", "i"),
    ("ie", "iy"),
    ("al-", "el-"),
    ("el-", "al-"),
    ("al-", ""),
    ("Bou", "Bu "),
    ("Ben ", "Bin "),
    ("mm", "m"),
    ("mad", "med"),
    ("a", "ah"),
    ("q", "k"),
    ("th", "t"),
];

fn respell(name: &str, dice: &mut Dice) -> String {
    for _ in 0..8 {
        let (from, to) = RESPELLINGS[dice.below(RESPELLINGS.len())];
        if let Some(at) = name.find(from) {
            if at > 0 || from.chars().next().is_some_and(|c| c.is_uppercase()) {
                let mut out = name.to_string();
                out.replace_range(at..at + from.len(), to);
                return out;
            }
        }
    }
    name.to_string()
}

/// One keyboard slip in a word of five letters or more, never its first letter.
fn typo(name: &str, dice: &mut Dice) -> String {
    let mut words: Vec<Vec<char>> = name
        .split_whitespace()
        .map(|w| w.chars().collect())
        .collect();
    let long: Vec<usize> = (0..words.len()).filter(|&i| words[i].len() >= 5).collect();
    if long.is_empty() {
        return name.to_string();
    }
    let w = &mut words[long[dice.below(long.len())]];
    let at = 1 + dice.below(w.len() - 2);
    match dice.below(4) {
        0 => {
            w.remove(at);
        }
        1 => w.swap(at, at + 1),
        2 => w.insert(at, w[at]),
        _ => {
            let vowels = ['a', 'e', 'i', 'o', 'u'];
            w[at] = vowels[dice.below(5)];
        }
    }
    words
        .iter()
        .map(|w| w.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How hands and keyboards vary Arabic script: hamza seats, taa marbuta, alif maqsura.
fn arabic_variant(name: &str, dice: &mut Dice) -> String {
    const VARIANTS: [(&str, &str); 5] =
        [("ة", "ه"), ("أ", "ا"), ("إ", "ا"), ("ى", "ي"), ("ي", "ى")];
    let start = dice.below(VARIANTS.len());
    for k in 0..VARIANTS.len() {
        let (from, to) = VARIANTS[(start + k) % VARIANTS.len()];
        if name.contains(from) {
            return name.replacen(from, to, 1);
        }
    }
    name.to_string()
}

fn swap_order(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words.len() >= 2 {
        let last = words.remove(words.len() - 1);
        words.insert(0, last);
    }
    words.join(" ")
}

fn adjective(country: &str) -> Option<&'static str> {
    Some(match country {
        "BE" => "Belgian",
        "FR" => "French",
        "DE" => "German",
        "NL" => "Dutch",
        "GB" => "British",
        "SE" => "Swedish",
        "RU" => "Russian",
        "TN" => "Tunisian",
        "MA" => "Moroccan",
        "IQ" => "Iraqi",
        "SY" => "Syrian",
        "TR" => "Turkish",
        "US" => "American",
        "CA" => "Canadian",
        "EG" => "Egyptian",
        "SA" => "Saudi",
        "DZ" => "Algerian",
        "AT" => "Austrian",
        "DK" => "Danish",
        "NO" => "Norwegian",
        "FI" => "Finnish",
        "IT" => "Italian",
        "ES" => "Spanish",
        "AU" => "Australian",
        _ => return None,
    })
}

struct Case {
    person: model::ids::PersonId,
    kind: &'static str,
    query: String,
}

fn hints(v: &PersonView, camp: Option<&str>, dice: &mut Dice) -> String {
    let mut out = String::new();
    if let Some(adj) = v
        .nationalities
        .first()
        .and_then(|n| adjective(n.country.as_str()))
    {
        if dice.chance(600) {
            out.push_str(&format!(", {adj}"));
        }
    }
    if let Some(camp) = camp {
        if dice.chance(400) {
            out.push_str(&format!(", {camp}"));
        }
    }
    out
}

fn make_case(v: &PersonView, camp: Option<&str>, dice: &mut Dice) -> Option<Case> {
    let latin: Vec<&str> = v
        .names
        .iter()
        .filter(|n| n.script == Script::Latin && n.kind != NameKind::Kunya)
        .map(|n| n.text.as_str())
        .collect();
    let arabic: Vec<&str> = v
        .names
        .iter()
        .filter(|n| n.script == Script::Arabic && n.kind != NameKind::Kunya)
        .map(|n| n.text.as_str())
        .collect();
    let kunya = v
        .names
        .iter()
        .find(|n| n.script == Script::Latin && n.kind == NameKind::Kunya);
    let name = *latin.get(dice.below(latin.len()))?;
    let roll = dice.below(100);
    let (kind, query) = if roll < 30 {
        ("other romanisation", respell(&respell(name, dice), dice))
    } else if roll < 55 {
        ("typo", typo(&respell(name, dice), dice))
    } else if roll < 72 {
        ("swapped order", swap_order(&respell(name, dice)))
    } else if roll < 87 {
        let ar = *arabic.get(dice.below(arabic.len().max(1)))?;
        let mut words: Vec<&str> = ar.split_whitespace().collect();
        // Lists of four names are often copied with three: drop the grandfather.
        if words.len() >= 4 {
            words.remove(2);
        }
        ("arabic script", arabic_variant(&words.join(" "), dice))
    } else {
        let k = kunya?;
        let adj = v
            .nationalities
            .first()
            .and_then(|n| adjective(n.country.as_str()))?;
        let mut q = format!("{}, {adj}", respell(&k.text, dice));
        if let Some(camp) = camp {
            q.push_str(&format!(", {camp}"));
        }
        return Some(Case {
            person: v.id,
            kind: "kunya + nationality + camp",
            query: q,
        });
    };
    if v.names.iter().any(|n| n.text == query) && kind != "arabic script" {
        return None;
    }
    let query = format!("{query}{}", hints(v, camp, dice));
    Some(Case {
        person: v.id,
        kind,
        query,
    })
}

/// The plain peer: lower-cased Latin tokens, each query token's best Jaro-Winkler
/// against the name's tokens, averaged both ways; best over the person's Latin names.
struct Plain {
    persons: Vec<(model::ids::PersonId, Vec<Vec<String>>)>,
}

fn latin_tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn token_jw(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let one_way = |x: &[String], y: &[String]| {
        x.iter()
            .map(|t| y.iter().map(|u| strsim_jw(t, u)).fold(0.0, f64::max))
            .sum::<f64>()
            / x.len() as f64
    };
    (one_way(a, b) + one_way(b, a)) / 2.0
}

fn strsim_jw(a: &str, b: &str) -> f64 {
    names::jaro_winkler(a, b)
}

impl Plain {
    fn new(views: &[PersonView]) -> Self {
        Self {
            persons: views
                .iter()
                .map(|v| {
                    let names = v
                        .names
                        .iter()
                        .filter(|n| n.script == Script::Latin)
                        .map(|n| latin_tokens(&n.text))
                        .collect();
                    (v.id, names)
                })
                .collect(),
        }
    }

    fn rank_of(&self, query: &str, target: model::ids::PersonId) -> Option<usize> {
        let q = latin_tokens(query);
        let mut scored: Vec<(f64, model::ids::PersonId)> = self
            .persons
            .iter()
            .map(|(id, names)| {
                let s = names.iter().map(|n| token_jw(&q, n)).fold(0.0, f64::max);
                (s, *id)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.iter().take(10).position(|(_, id)| *id == target)
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    at1: usize,
    at10: usize,
}

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if rank == Some(0) {
            self.at1 += 1;
        }
        if rank.is_some() {
            self.at10 += 1;
        }
    }
    fn show(&self) -> String {
        let r = |k: usize| k as f64 / self.n.max(1) as f64;
        format!(
            "recall@1 {:.3}  recall@10 {:.3}  (n={})",
            r(self.at1),
            r(self.at10),
            self.n
        )
    }
}

fn open_or_build(
    path: Option<PathBuf>,
    scale: f64,
) -> Result<(Registry, Option<tempfile::TempDir>), Box<dyn std::error::Error>> {
    if let Some(p) = &path {
        if p.exists() {
            return Ok((Registry::open(p, PASSPHRASE)?, None));
        }
    }
    let dir = tempfile::tempdir()?;
    let p = path.unwrap_or_else(|| dir.path().join("search.db"));
    let mut reg = Registry::create(&p, PASSPHRASE)?;
    let started = Instant::now();
    let scenario = demo::generate(scale, 2019, reg.sealer());
    let actor = reg.local_actor();
    let events = scenario.events.len();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )?;
    println!(
        "built scale {scale}: {events} events in {:.1} s (generate + sign + append + project + index)",
        started.elapsed().as_secs_f64()
    );
    Ok((reg, Some(dir)))
}

/// Nanoseconds of CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`, exact to the
/// nanosecond), to separate a query's own cost from waiting for a core on a shared machine.
fn thread_cpu_ns() -> Option<u64> {
    cpu_ns(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
}

/// Nanoseconds of CPU time all of this process's threads have used: a search spreads its
/// ranking over the cores, so its whole cost is the process's, not the calling thread's.
fn process_cpu_ns() -> Option<u64> {
    cpu_ns(nix::time::ClockId::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu_ns(clock: nix::time::ClockId) -> Option<u64> {
    let t = nix::time::clock_gettime(clock).ok()?;
    Some(t.tv_sec() as u64 * 1_000_000_000 + t.tv_nsec() as u64)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = args.iter().filter(|a| !a.starts_with("--"));
    let scale: f64 = positional
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.15);
    let queries: usize = positional
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let baseline = !args.iter().any(|a| a == "--no-baseline");
    let path = args
        .iter()
        .position(|a| a == "--registry")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let (reg, _keep) = open_or_build(path, scale)?;

    let views = reg.persons(&PersonFilter::default())?;
    let places = reg.places()?;
    let camp_name = |v: &PersonView| {
        let camp = reg.camp_of_person(v.id).ok().flatten()?;
        places
            .iter()
            .find(|p| p.place.id == camp)
            .map(|p| p.place.name.clone())
    };
    let eligible: Vec<&PersonView> = views
        .iter()
        .filter(|v| {
            v.names.iter().any(|n| n.script == Script::Arabic)
                && v.names.iter().any(|n| n.script == Script::Latin)
        })
        .collect();
    println!(
        "{} registered persons, {} with names in both Arabic and Latin script",
        views.len(),
        eligible.len()
    );
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut cases = Vec::new();
    while cases.len() < queries && !eligible.is_empty() {
        let v = eligible[dice.below(eligible.len())];
        let camp = camp_name(v);
        if let Some(c) = make_case(v, camp.as_deref(), &mut dice) {
            cases.push(c);
        }
    }

    let mut ours: std::collections::BTreeMap<&str, Tally> = Default::default();
    let mut total = Tally::default();
    let mut latencies = Vec::with_capacity(cases.len());
    let mut cpu = Vec::with_capacity(cases.len());
    let mut all_cpu = Vec::with_capacity(cases.len());
    let mut misses = Vec::new();
    for c in &cases {
        let (t, c0, p0) = (Instant::now(), thread_cpu_ns(), process_cpu_ns());
        let hits = reg.search(&c.query, &SearchFilters::default(), 10, &|_| true)?;
        latencies.push(t.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (c0, thread_cpu_ns()) {
            cpu.push(b.saturating_sub(a) as f64 / 1e6);
        }
        if let (Some(a), Some(b)) = (p0, process_cpu_ns()) {
            all_cpu.push(b.saturating_sub(a) as f64 / 1e6);
        }
        let rank = hits.iter().position(|h| h.person == c.person);
        ours.entry(c.kind).or_default().add(rank);
        total.add(rank);
        if rank.is_none() && misses.len() < 12 {
            misses.push(c.query.clone());
        }
    }
    latencies.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    all_cpu.sort_by(f64::total_cmp);
    let at = |v: &[f64], p: f64| {
        v.get(((v.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let pct = |p: f64| at(&latencies, p);

    println!("\nhomeward search ({} queries):", cases.len());
    println!("  all                         {}", total.show());
    for (kind, t) in &ours {
        println!("  {kind:<27} {}", t.show());
    }
    if baseline {
        let plain = Plain::new(&views);
        let ranks: Vec<(&str, Option<usize>)> = cases
            .par_iter()
            .map(|c| (c.kind, plain.rank_of(&c.query, c.person)))
            .collect();
        let mut by_kind: std::collections::BTreeMap<&str, Tally> = Default::default();
        let mut all = Tally::default();
        for (kind, rank) in ranks {
            by_kind.entry(kind).or_default().add(rank);
            all.add(rank);
        }
        println!("\nplain fuzzy search on Latin names (token Jaro-Winkler), same queries:");
        println!("  all                         {}", all.show());
        for (kind, t) in &by_kind {
            println!("  {kind:<27} {}", t.show());
        }
    }
    println!(
        "\nsearch latency over {} persons: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        views.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    println!(
        "search CPU time of the calling thread (what a quiet core would take): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        at(&cpu, 0.5),
        at(&cpu, 0.95),
        at(&cpu, 1.0)
    );
    println!(
        "search CPU time of all threads (the whole cost of a query): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        at(&all_cpu, 0.5),
        at(&all_cpu, 0.95),
        at(&all_cpu, 1.0)
    );
    println!("examples of misses:");
    for m in misses {
        println!("  {m}");
    }
    Ok(())
}
