//! `homeward tasks`: open tasks, highest priority first.

use crate::context::{audit_operator, Global};
use crate::present::{print_json, table};
use clap::Args;
use serde::Serialize;

#[derive(Args, Debug)]
pub struct TasksArgs {
    #[arg(long)]
    pub limit: Option<u64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct TaskJson {
    task_id: String,
    kind: &'static str,
    priority: u8,
    person_id: String,
    person: String,
    reason: String,
    opened_at: String,
    assignee: Option<String>,
}

pub fn run(global: &Global, args: &TasksArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let tasks = reg.open_tasks(args.limit)?;
    let listed: Vec<String> = tasks
        .iter()
        .map(|t| format!("person:{}", t.person))
        .collect();
    audit_operator(&reg, "person.listed", &listed, "tasks")?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in &tasks {
        let person = reg
            .person(t.person)?
            .map(|p| p.display_name())
            .unwrap_or_default();
        out.push(TaskJson {
            task_id: t.id.to_string(),
            kind: t.kind.as_str(),
            priority: t.priority,
            person_id: t.person.to_string(),
            person,
            reason: t.reason.clone(),
            opened_at: t.opened_at.to_string(),
            assignee: t.assignee.map(|a| a.to_string()),
        });
    }
    if args.json {
        return print_json(&out);
    }
    let mut table = table(&["priority", "kind", "person", "reason", "opened", "task"]);
    for t in &out {
        table.add_row(vec![
            t.priority.to_string(),
            t.kind.to_string(),
            t.person.clone(),
            t.reason.clone(),
            t.opened_at.clone(),
            t.task_id[..8].to_string(),
        ]);
    }
    println!("{table}");
    println!("{} open tasks", out.len());
    Ok(())
}
