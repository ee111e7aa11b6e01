//! `homeward case ...`: repatriation cases — open (also an unaccompanied child's own
//! case), show, list, move to a stage, record a document, add or remove a member, mark a
//! member as staying behind or travelling again, record a custody handover, a stated
//! wish, a legal record, an evidence item and who authored it, and the board by stage per
//! country.
//!
//! Every command goes through the access layer: `homeward case ...` as the registry
//! operator (the passphrase holder, who may do everything; audited as `operator`), and
//! `homeward as USER case ...` as a signed-in user, scoped and audited exactly like the
//! API and the web UI. Nothing here decides who may see or change what.

mod print;

use crate::commands::place::{parse_time, time_or_now};
use crate::context::{now, Global};
use crate::present::print_json;
use access::cases::input;
use access::cases::writes::{AuthorshipInput, EvidenceInput, ReportRef};
use access::writes::ReportInput;
use access::{AccessError, Directory, Gate, User, Writer};
use anyhow::{anyhow, bail, Context as _};
use clap::{Args, Subcommand};
use model::case::{Author, CaseDocument, Decision, Handover, Removal, Transition, TravelChange};
use model::claim::ClaimKind;
use model::ids::{CaseId, EvidenceId, PersonId, ReportId};
use model::report::AttachmentHash;
use model::time::Timestamp;
use store::{CaseFilter, Registry};

#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Opens the case of a person (a mother, or a person alone) with a country; her
    /// registered children join it.
    Open {
        /// The principal's id (or its first characters).
        person: String,
        #[arg(long)]
        country: String,
        /// When the household was identified (default now).
        #[arg(long)]
        at: Option<String>,
        /// A case of their own for a child who goes home without their parents (the
        /// child must be known to be under 18 and not travel in a parent's case).
        #[arg(long)]
        unaccompanied: bool,
    },
    /// One case: members (children of another nationality flagged), stages and time in
    /// each, documents checklist, handovers, wishes, legal records, evidence.
    Show {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Cases, by country, then by when they entered their stage.
    List {
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        stage: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Moves a case to another stage (the rules say which; an error says what is allowed).
    Stage {
        case: String,
        /// identified, nationality_verified, consular_contact, decision_pending, approved,
        /// refused, transfer_arranged, arrived, legal_proceedings, reintegration_follow_up, closed.
        stage: String,
        /// When the case entered the stage (default now).
        #[arg(long)]
        at: Option<String>,
        /// The deciding authority (approved and refused only).
        #[arg(long)]
        authority: Option<String>,
        /// The date of the decision (default: --at).
        #[arg(long)]
        decided_on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Records a document received for the case.
    Doc(DocArgs),
    /// Adds a child or household member of the principal to the case (or, with
    /// --remove and --reason, takes a member out of it).
    Member {
        case: String,
        person: String,
        /// Take the member out of the case instead (never the principal).
        #[arg(long, requires = "reason")]
        remove: bool,
        /// Why the member is removed.
        #[arg(long, requires = "remove")]
        reason: Option<String>,
        /// When the removal took effect (default now).
        #[arg(long, requires = "remove")]
        at: Option<String>,
    },
    /// Marks a member as staying behind (a child who stays with a relative, a member
    /// who refuses to go): no travel document is then asked for them.
    StaysBehind(TravelArgs),
    /// Marks a member who was staying behind as travelling again.
    Travels(TravelArgs),
    /// Records a custody handover (from whom to whom, where, when).
    Handover(HandoverArgs),
    /// Records a member's own stated wish, as a report with its claim.
    Wish(WishArgs),
    /// Records a legal record about a member, as a report with its claim.
    Legal(LegalArgs),
    /// Keeps an evidence item (a post, a document) in the case, by hash.
    Evidence(EvidenceArgs),
    /// Records who is said to have authored an evidence item, with the report saying so.
    Author(AuthorArgs),
    /// Cases by stage per country, with the time each spent in every stage.
    Board {
        /// The time the board is drawn as of (default now).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct DocArgs {
    pub case: String,
    /// nationality_proof, birth_certificate, consular_request, decision_letter,
    /// travel_document, exit_authorisation, parental_consent, medical_clearance, other.
    pub kind: String,
    /// The member it belongs to (a nationality proof defaults to the principal).
    #[arg(long)]
    pub person: Option<String>,
    /// The copy's hash: 64 hexadecimal digits (BLAKE3 or SHA-256).
    #[arg(long, conflicts_with = "file")]
    pub hash: Option<String>,
    /// The copy itself: its BLAKE3 hash is recorded (the file stays where it is).
    #[arg(long)]
    pub file: Option<std::path::PathBuf>,
    #[arg(long)]
    pub received_at: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args, Debug)]
pub struct TravelArgs {
    pub case: String,
    pub person: String,
    /// Why ("stays with her grandmother in Hasakah").
    #[arg(long)]
    pub reason: String,
    /// When it was decided (default now).
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Args, Debug)]
pub struct HandoverArgs {
    pub case: String,
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    #[arg(long)]
    pub place: String,
    #[arg(long)]
    pub at: Option<String>,
    /// A member handed over (repeat; default every member).
    #[arg(long = "person")]
    pub persons: Vec<String>,
    #[arg(long, default_value = "")]
    pub note: String,
}

/// The report a wish, a legal record or an authorship claim comes from.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// text_message, voice_note, call, interview, official_list or media.
    #[arg(long, default_value = "interview")]
    pub channel: String,
    /// Admiralty grade, e.g. B2.
    #[arg(long)]
    pub grade: Option<String>,
    /// What the report says.
    #[arg(long)]
    pub content: Option<String>,
    /// Who said it (stored sealed).
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub received_at: Option<String>,
}

#[derive(Args, Debug)]
pub struct WishArgs {
    pub case: String,
    pub person: String,
    /// trial_at_home, to_return, not_to_return, children_to_return or stay_with_children.
    pub wish: String,
    /// For trial_at_home: the country she asks to be tried in.
    #[arg(long)]
    pub country: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Args, Debug)]
pub struct LegalArgs {
    pub case: String,
    pub person: String,
    /// proceedings, conviction_in_absentia, sentence, warrant or acquitted.
    pub kind: String,
    /// The authority (proceedings, sentence, warrant).
    #[arg(long)]
    pub authority: Option<String>,
    /// The sentence (conviction in absentia, sentence).
    #[arg(long)]
    pub sentence: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Args, Debug)]
pub struct EvidenceArgs {
    pub case: String,
    /// social_media_post, document, photo, video, audio or other.
    pub kind: String,
    #[arg(long, conflicts_with = "file")]
    pub hash: Option<String>,
    #[arg(long)]
    pub file: Option<std::path::PathBuf>,
    #[arg(long)]
    pub description: String,
    /// Who captured it (default: the user).
    #[arg(long)]
    pub captured_by: Option<String>,
    #[arg(long)]
    pub captured_at: Option<String>,
    /// The member it concerns.
    #[arg(long)]
    pub about: Option<String>,
}

#[derive(Args, Debug)]
pub struct AuthorArgs {
    pub case: String,
    /// The evidence item's id.
    pub evidence: String,
    /// The author is a person in the registry.
    #[arg(long, conflicts_with = "described")]
    pub person: Option<String>,
    /// The author as described ("her husband").
    #[arg(long)]
    pub described: Option<String>,
    /// An already recorded report saying so (else describe a new one).
    #[arg(long, conflicts_with_all = ["grade", "content"])]
    pub report_id: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `homeward case ...` as the registry operator.
pub fn run(global: &Global, cmd: &CaseCommand) -> anyhow::Result<()> {
    let mut reg = global.open()?;
    let dir = Directory::build(&reg)?;
    run_as(
        &mut reg,
        &dir,
        &crate::commands::acting::Actor::operator().user,
        cmd,
    )
}

/// One case command as `user`, through the gate and the writer.
pub fn run_as(
    reg: &mut Registry,
    dir: &Directory,
    user: &User,
    cmd: &CaseCommand,
) -> anyhow::Result<()> {
    let now_ms = now().0;
    let c = Ctx { user, now_ms };
    match cmd {
        CaseCommand::Show { case, json } => {
            let gate = c.gate(reg, dir);
            let out = gate
                .case(c.case(&gate, case)?)
                .map_err(|e| c.not_found(e))?;
            if *json {
                print_json(&out)
            } else {
                print::case(&out);
                Ok(())
            }
        }
        CaseCommand::List {
            country,
            stage,
            json,
        } => list(&c.gate(reg, dir), country, stage, *json),
        CaseCommand::Board { as_of, json } => {
            let at = time_or_now(as_of.as_deref())?;
            let board = c
                .gate(reg, dir)
                .case_board(at, access::suppression::DEFAULT_THRESHOLD)?;
            if *json {
                print_json(&board)
            } else {
                print::board(&board);
                Ok(())
            }
        }
        change => write(reg, dir, &c, change),
    }
}

struct Ctx<'a> {
    user: &'a User,
    now_ms: i64,
}

impl Ctx<'_> {
    fn gate<'g>(&'g self, reg: &'g Registry, dir: &'g Directory) -> Gate<'g> {
        Gate {
            registry: reg,
            directory: dir,
            user: self.user,
            interface: "cli",
            now_ms: self.now_ms,
        }
    }

    fn not_found(&self, e: AccessError) -> anyhow::Error {
        match e {
            AccessError::NotFound => anyhow!(
                "no such case or person that {} may see; `homeward case list` shows case ids",
                self.user.name
            ),
            e => e.into(),
        }
    }

    /// A case by id or its first characters, among those the user may read.
    fn case(&self, gate: &Gate, text: &str) -> anyhow::Result<CaseId> {
        let found = gate.find_cases(text)?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => bail!(
                "no case with id '{text}' that {} may see; `homeward case list` or `case board` shows ids (give at least 4 characters)",
                self.user.name
            ),
            _ => bail!("several cases start with '{text}'; give more characters of the id"),
        }
    }

    /// A person by id or its first characters, among those the user may see.
    fn person(&self, gate: &Gate, text: &str) -> anyhow::Result<PersonId> {
        let ids = match text.parse::<PersonId>() {
            Ok(id) => vec![id],
            Err(_) => gate.registry.person_ids_with_prefix(text)?,
        };
        let seen: Vec<PersonId> = ids.into_iter().filter(|p| gate.sees(*p)).collect();
        match seen.as_slice() {
            [one] => Ok(*one),
            [] => bail!(
                "no person with id '{text}' that {} may see (a case is opened for a person found with `homeward search`)",
                self.user.name
            ),
            _ => bail!("'{text}' matches several persons; type more characters of the id"),
        }
    }
}

fn list(
    gate: &Gate,
    country: &Option<String>,
    stage: &Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let filter = CaseFilter {
        country: country.as_deref().map(input::country).transpose()?,
        stage: stage.as_deref().map(input::stage).transpose()?,
    };
    let cases = gate.case_list(&filter, Timestamp(gate.now_ms))?;
    if json {
        return print_json(&cases);
    }
    print::list(&cases);
    Ok(())
}

/// The hash of `--hash` or of `--file`.
fn hash_of(
    hash: &Option<String>,
    file: &Option<std::path::PathBuf>,
) -> anyhow::Result<Option<AttachmentHash>> {
    if let Some(h) = hash {
        return Ok(Some(input::hash(h)?));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut h = blake3::Hasher::new();
    h.update_reader(&mut f)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(AttachmentHash(*h.finalize().as_bytes())))
}

fn report_input(r: &ReportArgs, what: &str) -> anyhow::Result<ReportInput> {
    let grade = r.grade.as_deref().ok_or_else(|| {
        anyhow!("--grade: give the Admiralty grade of the report {what} comes from, e.g. B2")
    })?;
    let content = r
        .content
        .as_deref()
        .ok_or_else(|| anyhow!("--content: write what the report {what} comes from says"))?;
    let at = time_or_now(r.received_at.as_deref())?;
    Ok(input::report(
        &r.channel,
        grade,
        content,
        r.source.as_deref(),
        at,
    )?)
}

fn write(reg: &mut Registry, dir: &Directory, c: &Ctx, cmd: &CaseCommand) -> anyhow::Result<()> {
    let gate = c.gate(reg, dir);
    let message = match cmd {
        CaseCommand::Open {
            person,
            country,
            at,
            unaccompanied,
        } => {
            let person = c.person(&gate, person)?;
            let country = input::country(country)?;
            let at = time_or_now(at.as_deref())?;
            let mut w = c.writer(reg, dir);
            let id = if *unaccompanied {
                w.open_child_case(person, country, at)
            } else {
                w.open_case(person, country, at)
            }
            .map_err(|e| c.not_found(e))?;
            format!("case {id} opened at identified")
        }
        other => {
            let (id, change) = prepare(&gate, c, other)?;
            apply(&mut c.writer(reg, dir), id, change).map_err(|e| c.not_found(e))?
        }
    };
    println!("{message}");
    Ok(())
}

/// A change, checked and resolved against what the user may see, ready for the writer.
enum Change {
    Stage(Transition),
    Doc(CaseDocument),
    Member(PersonId),
    Remove(Removal),
    Travel(TravelChange),
    Handover(Handover),
    Claim(PersonId, ClaimKind, ReportInput),
    Evidence(EvidenceInput),
    Author(EvidenceId, AuthorshipInput),
}

fn prepare(gate: &Gate, c: &Ctx, cmd: &CaseCommand) -> anyhow::Result<(CaseId, Change)> {
    let person = |t: &str| c.person(gate, t);
    let opt_person = |t: &Option<String>| t.as_deref().map(person).transpose();
    Ok(match cmd {
        CaseCommand::Stage {
            case,
            stage,
            at,
            authority,
            decided_on,
            note,
        } => {
            let to = input::stage(stage)?;
            let at = time_or_now(at.as_deref())?;
            let decision = match authority {
                Some(a) => Some(Decision {
                    authority: a.clone(),
                    decided_on: decided_on
                        .as_deref()
                        .map(parse_time)
                        .transpose()?
                        .unwrap_or(at),
                }),
                None => None,
            };
            let t = Transition {
                to,
                at,
                decision,
                note: note.clone(),
            };
            (c.case(gate, case)?, Change::Stage(t))
        }
        CaseCommand::Doc(a) => {
            let kind = input::document_kind(&a.kind)?;
            let input = CaseDocument {
                kind,
                person: opt_person(&a.person)?,
                hash: hash_of(&a.hash, &a.file)?,
                received_at: time_or_now(a.received_at.as_deref())?,
                note: a.note.clone(),
            };
            (c.case(gate, &a.case)?, Change::Doc(input))
        }
        CaseCommand::Member {
            case,
            person: p,
            remove,
            reason,
            at,
        } => {
            let change = if *remove {
                Change::Remove(Removal {
                    person: person(p)?,
                    at: time_or_now(at.as_deref())?,
                    reason: reason.clone().unwrap_or_default(),
                })
            } else {
                Change::Member(person(p)?)
            };
            (c.case(gate, case)?, change)
        }
        CaseCommand::StaysBehind(a) | CaseCommand::Travels(a) => {
            let change = TravelChange {
                person: person(&a.person)?,
                travels: matches!(cmd, CaseCommand::Travels(_)),
                at: time_or_now(a.at.as_deref())?,
                reason: a.reason.clone(),
            };
            (c.case(gate, &a.case)?, Change::Travel(change))
        }
        CaseCommand::Handover(a) => {
            let input = Handover {
                from: a.from.clone(),
                to: a.to.clone(),
                place: a.place.clone(),
                at: time_or_now(a.at.as_deref())?,
                persons: a
                    .persons
                    .iter()
                    .map(|p| person(p))
                    .collect::<Result<_, _>>()?,
                note: a.note.clone(),
            };
            (c.case(gate, &a.case)?, Change::Handover(input))
        }
        CaseCommand::Wish(a) => {
            let kind = input::wish_claim(&a.wish, a.country.as_deref())?;
            let report = report_input(&a.report, "the wish")?;
            (
                c.case(gate, &a.case)?,
                Change::Claim(person(&a.person)?, kind, report),
            )
        }
        CaseCommand::Legal(a) => {
            let kind = input::legal_claim(&a.kind, a.authority.as_deref(), a.sentence.as_deref())?;
            let report = report_input(&a.report, "the legal record")?;
            (
                c.case(gate, &a.case)?,
                Change::Claim(person(&a.person)?, kind, report),
            )
        }
        CaseCommand::Evidence(a) => {
            let kind = input::evidence_kind(&a.kind)?;
            let hash = hash_of(&a.hash, &a.file)?.ok_or_else(|| {
                anyhow!("give the item's --hash (64 hexadecimal digits) or --file")
            })?;
            let input = EvidenceInput {
                kind,
                hash,
                captured_at: time_or_now(a.captured_at.as_deref())?,
                captured_by: a.captured_by.clone().unwrap_or_else(|| c.user.name.clone()),
                description: a.description.clone(),
                about: opt_person(&a.about)?,
            };
            (c.case(gate, &a.case)?, Change::Evidence(input))
        }
        CaseCommand::Author(a) => {
            let author = match (&a.person, &a.described) {
                (Some(p), _) => Author::Person(person(p)?),
                (None, Some(d)) => Author::Described(d.clone()),
                (None, None) => {
                    bail!("name the author: --person ID, or --described \"her husband\"")
                }
            };
            let report = match &a.report_id {
                Some(r) => ReportRef::Existing(r.parse::<ReportId>()?),
                None => ReportRef::New(report_input(&a.report, "the authorship claim")?),
            };
            let evidence = a.evidence.parse::<EvidenceId>()?;
            let input = AuthorshipInput {
                author,
                note: a.note.clone(),
                report,
            };
            (c.case(gate, &a.case)?, Change::Author(evidence, input))
        }
        CaseCommand::Open { .. }
        | CaseCommand::Show { .. }
        | CaseCommand::List { .. }
        | CaseCommand::Board { .. } => {
            bail!("not a change")
        }
    })
}

impl Ctx<'_> {
    fn writer<'w>(&'w self, reg: &'w mut Registry, dir: &'w Directory) -> Writer<'w> {
        Writer {
            registry: reg,
            directory: dir,
            user: self.user,
            interface: "cli",
            now_ms: self.now_ms,
        }
    }
}

fn apply(w: &mut Writer, id: CaseId, change: Change) -> Result<String, AccessError> {
    Ok(match change {
        Change::Stage(t) => {
            let to = t.to;
            w.change_case_stage(id, t)?;
            format!("case {id} moved to {to}")
        }
        Change::Doc(d) => {
            let kind = d.kind;
            w.record_case_document(id, d)?;
            format!("case {id}: {} recorded", kind.as_str())
        }
        Change::Member(p) => {
            w.add_case_member(id, p)?;
            format!("case {id}: person {p} added")
        }
        Change::Remove(r) => {
            let p = r.person;
            w.remove_case_member(id, r)?;
            format!("case {id}: person {p} removed")
        }
        Change::Travel(t) => {
            let (p, travels) = (t.person, t.travels);
            w.change_travel(id, t)?;
            if travels {
                format!("case {id}: person {p} travels")
            } else {
                format!("case {id}: person {p} stays behind")
            }
        }
        Change::Handover(h) => {
            w.record_handover(id, h)?;
            format!("case {id}: custody handover recorded")
        }
        Change::Claim(p, kind, report) => {
            let r = w.record_case_claim(id, p, kind, report)?;
            format!("case {id}: recorded as report {r}")
        }
        Change::Evidence(e) => {
            let ev = w.capture_evidence(id, e)?;
            format!("case {id}: evidence {ev} kept")
        }
        Change::Author(ev, a) => {
            let r = w.claim_authorship(id, ev, a)?;
            format!("case {id}: authorship of evidence {ev} recorded from report {r}")
        }
    })
}
