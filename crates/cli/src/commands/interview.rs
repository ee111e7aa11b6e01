//! `homeward interview add|list`: interviews recorded and read through the access layer
//! (as the operator, or `homeward as USER interview ...`). Files are hashed where they
//! are; only their BLAKE3, size and media type enter the registry. The transcript is
//! read from a file (or standard input), never from the command line, where it would
//! stay in the shell's history, and is stored sealed.

use crate::commands::acting::{Actor, PersonArgs};
use crate::commands::place::{self, time_or_now};
use crate::context::Global;
use crate::present::{print_json, table};
use access::consent::{InterviewInput, InterviewOut};
use clap::{Args, Subcommand};
use model::interview::MAX_TRANSCRIPT_CHARS;
use std::path::PathBuf;
use store::Registry;

#[derive(Subcommand, Debug)]
pub enum InterviewCommand {
    /// Records an interview: who, when, where, by whom, in which language, the sealed
    /// transcript and the files recorded (by hash).
    Add(AddArgs),
    /// The interviews a person took part in, oldest first.
    List(PersonArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// A person interviewed (repeat for each; the operator may give the first 8 characters).
    #[arg(long = "person", required = true)]
    pub persons: Vec<String>,
    /// When (default now): YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC.
    #[arg(long)]
    pub at: Option<String>,
    /// Where: a place name or id.
    #[arg(long)]
    pub place: Option<String>,
    /// Who conducted it (repeat for each).
    #[arg(long = "interviewer", required = true)]
    pub interviewers: Vec<String>,
    /// The language the person spoke, as a BCP 47 tag: ar, fr, nl-BE, ...
    #[arg(long)]
    pub language: String,
    /// Who interpreted, if anyone.
    #[arg(long)]
    pub interpreter: Option<String>,
    /// The transcript, a UTF-8 text file (`-` for standard input). Stored sealed.
    #[arg(long)]
    pub transcript_file: Option<PathBuf>,
    /// A file recorded during the interview (repeat for each): hashed, not stored.
    #[arg(long = "attach")]
    pub attachments: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &InterviewCommand) -> anyhow::Result<()> {
    let mut reg = global.open()?;
    run_as(&mut reg, &Actor::operator(), cmd)
}

/// Runs an interview command as `actor`.
pub fn run_as(reg: &mut Registry, actor: &Actor, cmd: &InterviewCommand) -> anyhow::Result<()> {
    match cmd {
        InterviewCommand::Add(a) => add(reg, actor, a),
        InterviewCommand::List(a) => list(reg, actor, a),
    }
}

fn add(reg: &mut Registry, actor: &Actor, args: &AddArgs) -> anyhow::Result<()> {
    let persons = args
        .persons
        .iter()
        .map(|p| actor.person(reg, p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let place = args
        .place
        .as_deref()
        .map(|p| place::resolve(reg, p).map(|v| v.place.id))
        .transpose()?;
    let transcript = args
        .transcript_file
        .as_deref()
        .map(|f| crate::files::read_text(f, 4 * MAX_TRANSCRIPT_CHARS as u64))
        .transpose()?;
    let attachments = args
        .attachments
        .iter()
        .map(|f| crate::files::attachment(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let at = time_or_now(args.at.as_deref())?;
    let input = InterviewInput {
        at,
        place,
        interviewers: args.interviewers.clone(),
        language: args.language.clone(),
        interpreter: args.interpreter.clone(),
        persons,
        transcript,
        attachments,
    };
    let files = input.attachments.len();
    let id = actor.write(reg, |w| w.record_interview(input))?;
    if args.json {
        return print_json(&serde_json::json!({
            "interview_id": id.to_string(),
            "persons": args.persons.len(),
            "attachments": files,
        }));
    }
    println!("{id}");
    Ok(())
}

fn list(reg: &Registry, actor: &Actor, args: &PersonArgs) -> anyhow::Result<()> {
    let person = actor.person(reg, &args.person)?;
    let interviews: Vec<InterviewOut> = actor.read(reg, |g| g.interviews_of(person))?;
    if args.json {
        return print_json(&interviews);
    }
    let mut t = table(&[
        "when",
        "language",
        "interviewers",
        "persons",
        "transcript",
        "files",
    ]);
    for i in &interviews {
        t.add_row(vec![
            i.at.clone().unwrap_or_default(),
            i.language.clone(),
            i.interviewers.join(", "),
            i.persons.len().to_string(),
            match &i.transcript {
                Some(s) if s.value.is_some() => "opened".into(),
                Some(_) => "sealed".into(),
                None => "none".into(),
            },
            i.attachments
                .iter()
                .map(|a| format!("{} {} B {}", a.media_type, a.size, &a.blake3[..16]))
                .collect::<Vec<_>>()
                .join("\n"),
        ]);
    }
    println!("{t}");
    Ok(())
}

/// An interview as the operator's `person show` lists it (the transcript stays sealed).
#[derive(serde::Serialize)]
pub struct InterviewJson {
    pub interview_id: String,
    pub at: String,
    pub place: Option<String>,
    pub language: String,
    pub interviewers: Vec<String>,
    pub interpreter: Option<String>,
    pub persons: Vec<String>,
    /// `sealed` or `none`.
    pub transcript: &'static str,
    pub attachments: Vec<access::consent::AttachmentOut>,
}

/// The interviews of `person`, for the operator's plain commands.
pub fn of_person(
    reg: &Registry,
    person: model::ids::PersonId,
    names: &crate::present::PlaceNames,
) -> anyhow::Result<Vec<InterviewJson>> {
    Ok(reg
        .interviews_of(person)?
        .into_iter()
        .map(|i| InterviewJson {
            interview_id: i.id.to_string(),
            at: i.at.to_string(),
            place: i.place.map(|p| names.name(p)),
            language: i.language.to_string(),
            interviewers: i.interviewers,
            interpreter: i.interpreter,
            persons: i.persons.iter().map(|p| p.to_string()).collect(),
            transcript: if i.transcript.is_some() {
                "sealed"
            } else {
                "none"
            },
            attachments: i
                .attachments
                .iter()
                .map(|a| access::consent::AttachmentOut {
                    blake3: a.hash.to_hex(),
                    size: a.size,
                    media_type: a.media_type.to_string(),
                })
                .collect(),
        })
        .collect())
}
