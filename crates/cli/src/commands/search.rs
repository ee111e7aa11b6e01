//! `homeward search QUERY`: persons by any spelling in any script, for the passphrase
//! holder (unscoped, audited as `operator`). Role-scoped search is `homeward as USER search`.

use crate::context::{now, Global};
use crate::present::{print_json, table};
use anyhow::{anyhow, bail};
use clap::Args;
use model::person::Sex;
use model::CountryCode;
use store::{AuditInput, Registry, SearchFilters};

/// Filters shared by `homeward search` and `homeward as USER search`.
#[derive(Args, Debug, Default, Clone)]
pub struct FilterArgs {
    /// Only persons with a nationality claim for this country (ISO code, e.g. BE).
    #[arg(long)]
    pub nationality: Option<String>,
    /// Only persons whose camp of record is this camp (name or id).
    #[arg(long)]
    pub camp: Option<String>,
    /// female or male.
    #[arg(long)]
    pub sex: Option<String>,
    /// Only persons born in or after this year.
    #[arg(long)]
    pub born_from: Option<i32>,
    /// Only persons born in or before this year.
    #[arg(long)]
    pub born_to: Option<i32>,
}

impl FilterArgs {
    /// Resolves the flags against the registry (camp names) into store filters.
    pub fn resolve(&self, reg: &Registry) -> anyhow::Result<SearchFilters> {
        let nationality = self
            .nationality
            .as_deref()
            .map(|n| n.parse::<CountryCode>())
            .transpose()
            .map_err(|e| anyhow!("--nationality: {e}"))?;
        let camp = match &self.camp {
            None => None,
            Some(text) => match reg.find_places(text)?.as_slice() {
                [one] => Some(one.place.id),
                [] => bail!("--camp {text}: no such place; `homeward place list` shows them"),
                _ => bail!("--camp {text}: several places have that name; give its id"),
            },
        };
        let sex = match self.sex.as_deref() {
            None => None,
            Some("female") => Some(Sex::Female),
            Some("male") => Some(Sex::Male),
            Some(other) => bail!("--sex {other}: use female or male"),
        };
        if let (Some(a), Some(b)) = (self.born_from, self.born_to) {
            if a > b {
                bail!("--born-from {a} is after --born-to {b}; give the earlier year first");
            }
        }
        Ok(SearchFilters {
            nationality,
            camp,
            sex,
            born_from: self.born_from,
            born_to: self.born_to,
        })
    }
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// What a report says: a name in any script or spelling, a kunya ("Umm Adam"),
    /// nationality adjectives and camp names ("Sameera Bu Azawi, Belgian, Roj").
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &SearchArgs) -> anyhow::Result<()> {
    if args.query.trim().is_empty() {
        bail!("the query is empty; give a name, e.g. homeward search \"Samira Bouazzaoui\"");
    }
    let reg = global.open()?;
    let filters = args.filters.resolve(&reg)?;
    let hits = reg.search(&args.query, &filters, args.limit, &|_| true)?;
    let hits: Vec<access::gate::SearchHit> = hits
        .into_iter()
        .map(|h| access::gate::SearchHit::from_store(h, |_| true))
        .collect();
    let detail = format!("query={:?}", args.query);
    let subjects: Vec<String> = hits
        .iter()
        .map(|h| format!("person:{}", h.person_id))
        .collect();
    let entry = |action: &'static str, subject: &'static str| AuditInput {
        at: now().0,
        actor: "operator",
        interface: "cli",
        action,
        subject,
        detail: "",
    };
    let mut entries = vec![AuditInput {
        detail: &detail,
        subject: "search",
        ..entry("person.search", "search")
    }];
    entries.extend(subjects.iter().map(|s| AuditInput {
        subject: s,
        detail: &detail,
        ..entry("person.listed", "")
    }));
    reg.audit_batch(&entries)?;
    if args.json {
        return print_json(&hits);
    }
    let mut t = table(&["id", "score", "best name", "why"]);
    for h in &hits {
        let mut why: Vec<String> = Vec::new();
        if let Some(k) = &h.why.kin {
            why.push(k.clone());
        }
        why.extend(h.why.fields.iter().cloned());
        why.push(format!("keys {}", h.why.keys.join(", ")));
        t.add_row(vec![
            h.person_id.chars().take(8).collect::<String>(),
            format!("{:.2}", h.score),
            h.why.name.clone().unwrap_or_default(),
            why.join("; "),
        ]);
    }
    println!("{t}");
    if hits.is_empty() {
        println!("no person matches {:?}", args.query);
    }
    Ok(())
}
