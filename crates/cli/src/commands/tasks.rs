//! `homeward tasks`: tasks ranked (highest priority, then longest missing), with filters;
//! `homeward task ...`: show, assign, note, set a due date, close.

use crate::commands::place::{parse_time, resolve as resolve_place};
use crate::context::{audit_operator, now, Global};
use crate::present::{print_json, table, PlaceNames};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use model::event::Payload;
use model::ids::TaskId;
use model::task::{TaskChange, TaskState, TaskView};
use serde::Serialize;
use store::{Registry, TaskFilter, TaskRow};

#[derive(Args, Debug)]
pub struct TasksArgs {
    #[arg(long)]
    pub limit: Option<usize>,
    /// Only tasks about persons of record in this camp (name or id).
    #[arg(long)]
    pub camp: Option<String>,
    /// Only tasks assigned to this name; `--assignee ""` for unassigned tasks.
    #[arg(long)]
    pub assignee: Option<String>,
    /// Closed tasks too.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// One task, with its notes and the claim that closed it.
    Show {
        /// Task id or its first characters.
        task: String,
        #[arg(long)]
        json: bool,
    },
    /// Assigns a task to a person or team by name (`--none` to unassign).
    Assign {
        task: String,
        assignee: Option<String>,
        #[arg(long, conflicts_with = "assignee")]
        none: bool,
    },
    /// Adds a note.
    Note { task: String, text: String },
    /// Sets a due date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC), or `--none`.
    Due {
        task: String,
        due: Option<String>,
        #[arg(long, conflicts_with = "due")]
        none: bool,
    },
    /// Closes a task by hand, with a note saying why.
    Close {
        task: String,
        #[arg(long)]
        note: String,
    },
}

#[derive(Serialize)]
pub struct TaskJson {
    task_id: String,
    kind: &'static str,
    priority: u8,
    person_id: String,
    person: String,
    reason: String,
    opened_at: String,
    assignee: Option<String>,
    state: &'static str,
    camp: Option<String>,
    last_seen: String,
    due: Option<String>,
    closed_at: Option<String>,
    closed_by_claim: Option<String>,
    close_note: Option<String>,
    notes: Vec<NoteJson>,
    crisis: Option<String>,
}

#[derive(Serialize)]
struct NoteJson {
    at: String,
    text: String,
}

fn json(row: &TaskRow, names: &PlaceNames) -> TaskJson {
    let v = &row.view;
    let t = &v.task;
    let (state, closed_at, closed_by_claim, close_note) = match &t.state {
        TaskState::Open => ("open", None, None, None),
        TaskState::Closed { at, by_claim, note } => (
            "closed",
            Some(at.to_string()),
            by_claim.map(|c| c.to_string()),
            Some(note.clone()),
        ),
    };
    TaskJson {
        task_id: t.id.to_string(),
        kind: t.kind.as_str(),
        priority: t.priority,
        person_id: t.person.to_string(),
        person: row.person_name.clone(),
        reason: t.reason.clone(),
        opened_at: t.opened_at.to_string(),
        assignee: v
            .assigned_to
            .clone()
            .or_else(|| t.assignee.map(|a| a.to_string())),
        state,
        camp: row.camp.map(|c| names.name(c)),
        last_seen: v.last_seen().to_string(),
        due: v.due.map(|d| d.to_string()),
        closed_at,
        closed_by_claim,
        close_note,
        notes: v
            .notes
            .iter()
            .map(|n| NoteJson {
                at: n.at.to_string(),
                text: n.text.clone(),
            })
            .collect(),
        crisis: v
            .crisis
            .as_ref()
            .map(|c| format!("{} at {}", c.change.status.as_str(), c.change.at)),
    }
}

pub fn run(global: &Global, args: &TasksArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let camp = args
        .camp
        .as_deref()
        .map(|c| resolve_place(&reg, c))
        .transpose()?
        .map(|v| v.place.id);
    let rows = reg.tasks(&TaskFilter {
        include_closed: args.all,
        camp,
        assigned_to: args.assignee.clone(),
        limit: args.limit,
    })?;
    let names = PlaceNames::new(&reg.places()?);
    let out: Vec<TaskJson> = rows.iter().map(|r| json(r, &names)).collect();
    let listed: Vec<String> = rows
        .iter()
        .map(|r| format!("person:{}", r.view.task.person))
        .collect();
    audit_operator(&reg, "person.listed", &listed, "tasks")?;
    if args.json {
        return print_json(&out);
    }
    let mut t = table(&[
        "priority",
        "kind",
        "person",
        "camp",
        "last seen",
        "reason",
        "assignee",
        "task",
    ]);
    for r in &out {
        t.add_row(vec![
            r.priority.to_string(),
            r.kind.to_string(),
            r.person.clone(),
            r.camp.clone().unwrap_or_default(),
            r.last_seen.clone(),
            r.reason.clone(),
            r.assignee.clone().unwrap_or_default(),
            r.task_id[..8].to_string(),
        ]);
    }
    println!("{t}");
    println!("{} {}tasks", out.len(), if args.all { "" } else { "open " });
    Ok(())
}

/// Finds one task by full id or a prefix of at least 4 hex characters.
fn resolve(reg: &Registry, text: &str) -> anyhow::Result<TaskView> {
    let ids = match text.parse::<TaskId>() {
        Ok(id) => vec![id],
        Err(_) => reg.task_ids_with_prefix(text)?,
    };
    let mut found = Vec::new();
    for id in ids {
        found.extend(reg.task(id)?);
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no task with id '{text}'; `homeward tasks --all` lists task ids (give at least 4 characters)"),
        _ => bail!("several tasks start with '{text}'; give more characters of the id"),
    }
}

pub fn task(global: &Global, cmd: &TaskCommand) -> anyhow::Result<()> {
    if let TaskCommand::Show {
        task,
        json: as_json,
    } = cmd
    {
        return show(global, task, *as_json);
    }
    let mut reg = global.open()?;
    let (text, change) = match cmd {
        TaskCommand::Show { .. } => unreachable!("handled above"),
        TaskCommand::Assign {
            task,
            assignee,
            none,
        } => {
            let who = assignee.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if who.is_none() && !none {
                bail!("name the assignee, or pass --none to unassign");
            }
            (
                task,
                Change::Update(TaskChange::AssignedTo(who.map(str::to_string))),
            )
        }
        TaskCommand::Note { task, text } => {
            if text.trim().is_empty() {
                bail!("the note is empty");
            }
            (
                task,
                Change::Update(TaskChange::Note(text.trim().to_string())),
            )
        }
        TaskCommand::Due { task, due, none } => {
            let due = due.as_deref().map(parse_time).transpose()?;
            if due.is_none() && !none {
                bail!("give a due date (YYYY-MM-DD), or pass --none to clear it");
            }
            (task, Change::Update(TaskChange::Due(due)))
        }
        TaskCommand::Close { task, note } => {
            if note.trim().is_empty() {
                bail!("say why the task is closed with --note");
            }
            (task, Change::Close(note.trim().to_string()))
        }
    };
    let view = resolve(&reg, text)?;
    let id = view.task.id;
    let at = now();
    let payload = match change {
        Change::Update(change) => Payload::TaskUpdated {
            task: id,
            at,
            change,
        },
        Change::Close(note) => {
            if !view.is_open() {
                bail!("task {id} is already closed");
            }
            Payload::TaskClosed {
                task: id,
                at,
                by_claim: None,
                note,
            }
        }
    };
    let actor = reg.local_actor();
    reg.append_one(actor, at, payload)
        .with_context(|| format!("task {id} was not changed"))?;
    let subjects = [format!("task:{id}"), format!("person:{}", view.task.person)];
    audit_operator(&reg, "task.update", &subjects, "")?;
    println!("task {id} updated");
    Ok(())
}

enum Change {
    Update(TaskChange),
    Close(String),
}

fn show(global: &Global, text: &str, as_json: bool) -> anyhow::Result<()> {
    let reg = global.open()?;
    let view = resolve(&reg, text)?;
    let about = reg.resolve_person(view.task.person)?;
    let person = reg.person(about)?;
    let row = TaskRow {
        camp: reg.camp_of_person(about)?,
        person_name: person.map(|p| p.display_name()).unwrap_or_default(),
        view,
        person: about,
    };
    let out = json(&row, &PlaceNames::new(&reg.places()?));
    if as_json {
        return print_json(&out);
    }
    println!(
        "task {} ({}, priority {}): {}",
        out.task_id, out.kind, out.priority, out.state
    );
    println!("person: {} ({})", out.person, out.person_id);
    println!("reason: {}", out.reason);
    println!("opened: {}; last seen: {}", out.opened_at, out.last_seen);
    if let Some(c) = &out.crisis {
        println!("crisis: {c}");
    }
    if let Some(a) = &out.assignee {
        println!("assignee: {a}");
    }
    if let Some(d) = &out.due {
        println!("due: {d}");
    }
    for n in &out.notes {
        println!("note {}: {}", n.at, n.text);
    }
    if let Some(at) = &out.closed_at {
        println!(
            "closed {at}: {} (claim {})",
            out.close_note.clone().unwrap_or_default(),
            out.closed_by_claim.clone().unwrap_or_else(|| "none".into())
        );
    }
    Ok(())
}
