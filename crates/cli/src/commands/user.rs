//! `homeward user ...`: accounts for role-scoped use.
//!
//! These commands run as the registry administrator: whoever holds the registry
//! passphrase holds every key, so they create accounts, including the first admin on a
//! fresh registry (`homeward user add alice --role admin --password-file F`). Everyone
//! else works through an account, whose role and scopes the access layer enforces.

use crate::context::{now, Global};
use crate::present::{print_json, table};
use access::identity::{add_user, User};
use access::Role;
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Creates a user.
    Add(AddArgs),
    /// Lists users with their roles and scopes.
    List(ListArgs),
    /// API tokens for scripts: add, list, revoke.
    #[command(subcommand)]
    Token(super::token::TokenCommand),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub name: String,
    /// admin, coordinator, caseworker, tracing, consular, child_protection or researcher.
    #[arg(long)]
    pub role: String,
    /// Limit to persons of this nationality (ISO code); repeat for more. Required for consular.
    #[arg(long)]
    pub nationality: Vec<String>,
    /// Limit to persons of this camp (name or id); repeat for more.
    #[arg(long)]
    pub camp: Vec<String>,
    /// The organisation the user works for; what they enter is recorded as entered by it.
    #[arg(long)]
    pub organisation: Option<String>,
    /// Limit to persons about whom this organisation has recorded something (a report
    /// entered by one of its members); repeat for more.
    #[arg(long = "scope-organisation", value_name = "ORGANISATION")]
    pub scope_organisation: Vec<String>,
    /// The password, on the first line of this file (at least 12 characters).
    #[arg(long)]
    pub password_file: std::path::PathBuf,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, cmd: &UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add(a) => add(global, a),
        UserCommand::List(a) => list(global, a),
        UserCommand::Token(c) => super::token::run(global, c),
    }
}

fn add(global: &Global, args: &AddArgs) -> anyhow::Result<()> {
    let role = Role::parse(&args.role)?;
    let text = std::fs::read_to_string(&args.password_file).with_context(|| {
        format!(
            "cannot read the password file {}",
            args.password_file.display()
        )
    })?;
    let password = text.lines().next().unwrap_or_default();
    if password.is_empty() {
        bail!(
            "the password file {} is empty; put the password on its first line",
            args.password_file.display()
        );
    }
    let mut reg = global.open()?;
    let mut camps = Vec::new();
    for c in &args.camp {
        camps.push(crate::commands::place::resolve(&reg, c)?.place.id);
    }
    let user = User {
        name: args.name.clone(),
        role,
        nationalities: args
            .nationality
            .iter()
            .map(|c| c.parse())
            .collect::<Result<_, _>>()?,
        camps,
        organisation: args.organisation.clone(),
        scope_organisations: args.scope_organisation.clone(),
        actor: None,
    };
    add_user(&mut reg, &user, password, "operator", "cli", now().0)?;
    eprintln!("Created user {} with role {}.", user.name, user.role);
    Ok(())
}

fn list(global: &Global, args: &ListArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let users = reg.users()?;
    if args.json {
        let out: Vec<_> = users
            .iter()
            .map(|u| {
                json!({
                    "name": u.name,
                    "role": u.role,
                    "nationalities": u.nationalities,
                    "camps": u.camps,
                    "organisation": u.organisation,
                    "scope_organisations": u.scope_organisations,
                    "locked": u.locked_until > now().0,
                })
            })
            .collect();
        return print_json(&out);
    }
    let mut t = table(&[
        "name",
        "role",
        "nationalities",
        "camps",
        "organisation",
        "organisation scope",
    ]);
    for u in &users {
        t.add_row(vec![
            u.name.clone(),
            u.role.clone(),
            u.nationalities.join(","),
            u.camps.join(","),
            u.organisation.clone().unwrap_or_default(),
            u.scope_organisations.join("; "),
        ]);
    }
    println!("{t}");
    Ok(())
}
