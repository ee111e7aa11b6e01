//! API tokens for scripts: a partner's monitoring job or a nightly export runs as an
//! account without its password. The registry administrator issues a token to an
//! account for a number of days; the token acts with exactly that account's role and
//! scopes, is shown once, kept only as a BLAKE3 hash, and can be revoked at once.
//! Issuing, revoking and every refused use are audited; what a token reads is audited
//! under its account like any other read.

use crate::error::AccessError;
use crate::identity::User;
use store::{ApiTokenRecord, AuditInput, Registry};

/// Every API token starts with this, so a server can tell one from a session token.
pub const TOKEN_PREFIX: &str = "hwt_";
/// The longest a token may live.
pub const MAX_TOKEN_DAYS: u32 = 365;
const MAX_LABEL_CHARS: usize = 80;
const MS_PER_DAY: i64 = 24 * 60 * 60 * 1000;

/// A token just issued: the text is shown to the administrator once and never again.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IssuedToken {
    pub id: String,
    pub token: String,
    pub expires_at: i64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// Whether `token` has the shape of an API token (not whether it is valid).
pub fn looks_like_api_token(token: &str) -> bool {
    token.starts_with(TOKEN_PREFIX) && token.len() < 200
}

fn audit(
    reg: &Registry,
    at: i64,
    by: &str,
    interface: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), AccessError> {
    reg.audit(&AuditInput {
        at,
        actor: by,
        interface,
        action,
        subject,
        detail,
    })?;
    Ok(())
}

/// Issues a token to the account `user` for `days` days, labelled so lists say what it
/// is for ("nightly export to the ministry").
pub fn issue(
    reg: &Registry,
    user: &str,
    label: &str,
    days: u32,
    by: &str,
    interface: &str,
    now_ms: i64,
) -> Result<IssuedToken, AccessError> {
    if reg.user(user)?.is_none() {
        return Err(AccessError::Invalid(format!(
            "no user '{user}': create the account first with homeward user add"
        )));
    }
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > MAX_LABEL_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(AccessError::Invalid(format!(
            "give the token a label of 1-{MAX_LABEL_CHARS} printable characters saying what it is for"
        )));
    }
    if days == 0 || days > MAX_TOKEN_DAYS {
        return Err(AccessError::Invalid(format!(
            "a token lives 1 to {MAX_TOKEN_DAYS} days; issue a new one when it runs out"
        )));
    }
    let id = hex(&store::random_bytes::<5>()?);
    let token = format!("{TOKEN_PREFIX}{id}_{}", hex(&store::random_bytes::<32>()?));
    let expires_at = now_ms + i64::from(days) * MS_PER_DAY;
    reg.add_api_token(&ApiTokenRecord {
        id: id.clone(),
        user: user.to_string(),
        hash: hash(&token),
        label: label.to_string(),
        created_at: now_ms,
        expires_at,
        revoked_at: None,
    })?;
    let detail = format!("user={user} days={days} label={label:?}");
    audit(
        reg,
        now_ms,
        by,
        interface,
        "token.issue",
        &format!("token:{id}"),
        &detail,
    )?;
    Ok(IssuedToken {
        id,
        token,
        expires_at,
    })
}

/// Revokes a token at once: the next request that carries it is refused.
pub fn revoke(
    reg: &Registry,
    id: &str,
    by: &str,
    interface: &str,
    now_ms: i64,
) -> Result<(), AccessError> {
    if !reg.revoke_api_token(id, now_ms)? {
        return Err(AccessError::Invalid(format!(
            "no active token '{id}': see homeward user token list"
        )));
    }
    audit(
        reg,
        now_ms,
        by,
        interface,
        "token.revoke",
        &format!("token:{id}"),
        "",
    )
}

/// The account a token acts as. An unknown, revoked or expired token, or one whose
/// account is gone, is refused as bad credentials (which it was) and audited.
pub fn user_of(
    reg: &Registry,
    token: &str,
    interface: &str,
    now_ms: i64,
) -> Result<User, AccessError> {
    let refuse = |subject: &str, why: &str| -> Result<User, AccessError> {
        audit(
            reg,
            now_ms,
            "unknown",
            interface,
            "token.refused",
            subject,
            why,
        )?;
        Err(AccessError::BadCredentials)
    };
    if !looks_like_api_token(token) {
        return refuse("token:?", "malformed");
    }
    let Some(record) = reg.api_token_by_hash(&hash(token))? else {
        return refuse("token:?", "unknown");
    };
    let subject = format!("token:{}", record.id);
    if record.revoked_at.is_some() {
        return refuse(&subject, "revoked");
    }
    if record.expires_at <= now_ms {
        return refuse(&subject, "expired");
    }
    match reg.user(&record.user)? {
        Some(account) => User::from_record(&account),
        None => refuse(&subject, "account gone"),
    }
}
