//! `homeward user token ...`: API tokens for scripts (see `access::tokens`). Run by the
//! registry administrator, like `user add`. A token is printed once, on stdout alone, so
//! it can go straight into a secret store: `homeward user token add nightly.export
//! --label "nightly export" > token.txt`.

use crate::context::{now, Global};
use crate::present::{print_json, table};
use access::tokens::{self, MAX_TOKEN_DAYS};
use clap::{Args, Subcommand};
use model::time::Timestamp;
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Issues a token to a user for scripts; prints it once.
    Add(AddArgs),
    /// Lists tokens (never their text): id, user, label, expiry, revoked.
    List(ListArgs),
    /// Revokes a token at once.
    Revoke(RevokeArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The user the token acts as (with exactly their role and scopes).
    pub user: String,
    /// What the token is for, shown in lists and the audit.
    #[arg(long)]
    pub label: String,
    /// How many days it stays valid (1 to 365).
    #[arg(long, default_value_t = 90)]
    pub days: u32,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    /// The token's id, as `user token list` shows it.
    pub id: String,
}

pub fn run(global: &Global, cmd: &TokenCommand) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Add(a) => add(global, a),
        TokenCommand::List(a) => list(global, a),
        TokenCommand::Revoke(a) => revoke(global, a),
    }
}

fn day(ms: i64) -> String {
    Timestamp(ms)
        .to_datetime()
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn add(global: &Global, args: &AddArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let issued = tokens::issue(
        &reg,
        &args.user,
        &args.label,
        args.days,
        "operator",
        "cli",
        now().0,
    )?;
    println!("{}", issued.token);
    eprintln!(
        "Issued token {} to {} until {} (at most {MAX_TOKEN_DAYS} days). It is shown only now; \
         send it as 'Authorization: Bearer TOKEN'. Revoke it with: homeward user token revoke {}",
        issued.id,
        args.user,
        day(issued.expires_at),
        issued.id
    );
    Ok(())
}

fn list(global: &Global, args: &ListArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    let all = reg.api_tokens()?;
    let now = now().0;
    let state = |t: &store::ApiTokenRecord| match t.revoked_at {
        Some(_) => "revoked",
        None if t.expires_at <= now => "expired",
        None => "active",
    };
    if args.json {
        let out: Vec<_> = all
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "user": t.user,
                    "label": t.label,
                    "created_at": day(t.created_at),
                    "expires_at": day(t.expires_at),
                    "state": state(t),
                })
            })
            .collect();
        return print_json(&out);
    }
    let mut t = table(&["id", "user", "label", "expires", "state"]);
    for tok in &all {
        t.add_row(vec![
            tok.id.clone(),
            tok.user.clone(),
            tok.label.clone(),
            day(tok.expires_at),
            state(tok).to_string(),
        ]);
    }
    println!("{t}");
    Ok(())
}

fn revoke(global: &Global, args: &RevokeArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    tokens::revoke(&reg, &args.id, "operator", "cli", now().0)?;
    eprintln!("Revoked token {}.", args.id);
    Ok(())
}
