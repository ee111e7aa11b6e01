//! `homeward audit ...`: the tamper-evident record of who read or changed what.

use crate::context::Global;
use crate::present::{print_json, table};
use anyhow::bail;
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Checks the audit chain; exit 1 naming the first bad entry if it was tampered with.
    Verify(JsonArg),
    /// Who read or touched a person: every audit entry about them.
    Person(PersonArgs),
    /// The latest audit entries.
    Log(LogArgs),
}

#[derive(Args, Debug)]
pub struct JsonArg {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct PersonArgs {
    /// A person id (or its first 8 characters).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &AuditCommand) -> anyhow::Result<()> {
    let reg = global.open()?;
    let entries = match cmd {
        AuditCommand::Verify(a) => {
            return match reg.audit_verify()? {
                Ok(n) => {
                    if a.json {
                        print_json(&serde_json::json!({"ok": true, "entries": n}))?;
                    } else {
                        println!("The audit chain is intact: {n} entries.");
                    }
                    Ok(())
                }
                Err(b) => bail!(
                    "the audit chain of {} is broken at entry {}: {}. The registry was altered outside Homeward; compare with a replica or a backup",
                    reg.path().display(),
                    b.seq,
                    b.reason
                ),
            };
        }
        AuditCommand::Person(a) => {
            let id = crate::person_ids::resolve(&reg, &a.id)?;
            (reg.audit_for(&format!("person:{id}"))?, a.json)
        }
        AuditCommand::Log(a) => (reg.audit_tail(a.limit)?, a.json),
    };
    let (entries, json) = entries;
    if json {
        return print_json(&entries);
    }
    let mut t = table(&["seq", "at", "actor", "via", "action", "subject", "detail"]);
    for e in &entries {
        t.add_row(vec![
            e.seq.to_string(),
            model::time::Timestamp(e.at)
                .to_datetime()
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
            e.actor.clone(),
            e.interface.clone(),
            e.action.clone(),
            e.subject.clone(),
            e.detail.clone(),
        ]);
    }
    println!("{t}");
    Ok(())
}
