//! Users: who they are, their role and scopes, and how they prove it.
//!
//! Accounts live in the registry's `users` table (not in the event log): password hashes
//! and lock-out counters are local secrets and mutable state, which must not replicate to
//! every laptop. The passphrase holder — the registry administrator — creates them with
//! `homeward user add`; the first admin account is created that way on a fresh registry.

use crate::error::AccessError;
use crate::role::Role;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use model::actor::{Enrolment, MAX_NAME_CHARS};
use model::event::Payload;
use model::ids::{ActorId, PlaceId};
use model::time::Timestamp;
use model::CountryCode;
use store::{AuditInput, Registry, UserRecord};

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked, in milliseconds.
pub const LOCK_OUT_MS: i64 = 15 * 60 * 1000;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A signed-in (or to-be-created) user and their scopes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// Countries the user's scope is limited to. Empty means no nationality limit, except
    /// for a consular user, who sees nothing without one.
    pub nationalities: Vec<CountryCode>,
    /// Camps the user's scope is limited to (persons whose camp of record is one of
    /// them). Empty means no camp limit.
    pub camps: Vec<PlaceId>,
    /// The organisation the user works for (recorded with their enrolment).
    pub organisation: Option<String>,
    /// Organisations the user's scope is limited to (persons about whom one of them has
    /// recorded something). Empty means no organisation limit.
    pub scope_organisations: Vec<String>,
    /// The actor id this user's changes carry; None for accounts made before enrolments
    /// existed, whose changes carry the replica's own actor.
    pub actor: Option<ActorId>,
}

impl User {
    /// A user with a role and no scopes, organisation or actor yet.
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            role,
            nationalities: Vec::new(),
            camps: Vec::new(),
            organisation: None,
            scope_organisations: Vec::new(),
            actor: None,
        }
    }

    /// Parses a stored account; a record that does not parse is refused, never widened.
    pub fn from_record(r: &UserRecord) -> Result<Self, AccessError> {
        let bad = |what: String| {
            AccessError::Invalid(format!("stored account '{}' is damaged: {what}", r.name))
        };
        Ok(Self {
            name: r.name.clone(),
            role: Role::parse(&r.role).map_err(|e| bad(e.to_string()))?,
            nationalities: r
                .nationalities
                .iter()
                .map(|c| {
                    c.parse()
                        .map_err(|e: model::country::CountryCodeError| bad(e.to_string()))
                })
                .collect::<Result<_, _>>()?,
            camps: r
                .camps
                .iter()
                .map(|c| {
                    c.parse()
                        .map_err(|e: model::ids::IdParseError| bad(e.to_string()))
                })
                .collect::<Result<_, _>>()?,
            organisation: r.organisation.clone(),
            scope_organisations: r.scope_organisations.clone(),
            actor: r.actor,
        })
    }

    /// Checks the account makes sense before it is stored.
    pub fn validate(&self) -> Result<(), AccessError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        if !name_ok {
            return Err(AccessError::Invalid(format!(
                "'{}' is not a usable user name: use 1-64 letters, digits, '.', '_', '-' or '@'",
                self.name
            )));
        }
        for org in self.organisation.iter().chain(&self.scope_organisations) {
            let usable = !org.trim().is_empty()
                && org.chars().count() <= MAX_NAME_CHARS
                && !org.chars().any(char::is_control);
            if !usable {
                return Err(AccessError::Invalid(format!(
                    "'{org}' is not a usable organisation name: use 1-{MAX_NAME_CHARS} printable characters"
                )));
            }
        }
        if self.role == Role::Consular && self.nationalities.is_empty() {
            return Err(AccessError::Invalid(
                "a consular user needs at least one --nationality (the country they serve)".into(),
            ));
        }
        Ok(())
    }
}

/// Hashes a password with Argon2id and a fresh salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AccessError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccessError::Invalid(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let salt_bytes = store::random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AccessError::Hash(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AccessError::Hash(e.to_string()))?
        .to_string())
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Stores a new user (the caller has already been authorised to do so), enrols a fresh
/// actor for them — an event, so every replica can tell which organisation entered what
/// — and audits it.
pub fn add_user(
    reg: &mut Registry,
    user: &User,
    password: &str,
    by: &str,
    interface: &str,
    now_ms: i64,
) -> Result<(), AccessError> {
    user.validate()?;
    if reg.user(&user.name)?.is_some() {
        return Err(store::StoreError::UserExists(user.name.clone()).into());
    }
    let password_hash = hash_password(password)?;
    let actor = ActorId::from_u128(store::random_u128()?);
    let local = reg.local_actor();
    reg.append_one(
        local,
        Timestamp(now_ms),
        Payload::ActorEnrolled {
            enrolment: Enrolment {
                actor,
                name: user.name.clone(),
                organisation: user.organisation.clone(),
            },
        },
    )?;
    let record = UserRecord {
        name: user.name.clone(),
        role: user.role.as_str().to_string(),
        nationalities: user.nationalities.iter().map(|c| c.to_string()).collect(),
        camps: user.camps.iter().map(|c| c.to_string()).collect(),
        organisation: user.organisation.clone(),
        actor: Some(actor),
        scope_organisations: user.scope_organisations.clone(),
        password_hash,
        created_at: now_ms,
        failed_logins: 0,
        locked_until: 0,
    };
    reg.add_user(&record)?;
    let detail = format!(
        "role={} nationalities={} camps={} organisation={} scope_organisations={}",
        record.role,
        record.nationalities.join(","),
        record.camps.join(","),
        record.organisation.as_deref().unwrap_or(""),
        record.scope_organisations.join("|"),
    );
    reg.audit(&AuditInput {
        at: now_ms,
        actor: by,
        interface,
        action: "user.add",
        subject: &format!("user:{}", user.name),
        detail: &detail,
    })?;
    Ok(())
}

/// Checks a user name and password. Unknown names and wrong passwords give the same
/// error (and both cost one Argon2 verification, so timing does not tell them apart).
/// After [`MAX_FAILED_LOGINS`] failures in a row the account is locked for
/// [`LOCK_OUT_MS`], even for the right password. Every failure is audited.
///
/// This holds `reg` throughout, Argon2 included; a server that shares one registry
/// between requests uses [`login_record`], [`password_matches`] and [`settle_login`]
/// instead, so the slow hash runs without the registry.
pub fn login(
    reg: &Registry,
    name: &str,
    password: &str,
    interface: &str,
    now_ms: i64,
) -> Result<User, AccessError> {
    let record = login_record(reg, name)?;
    let matches = password_matches(record.as_ref(), password);
    settle_login(reg, name, matches, interface, now_ms)
}

/// The first step of a login: the stored account, if any.
pub fn login_record(reg: &Registry, name: &str) -> Result<Option<UserRecord>, AccessError> {
    Ok(reg.user(name)?)
}

/// The slow step of a login, needing no registry: whether `password` is the account's.
/// For an unknown account it checks against a dummy hash, so it costs the same time.
pub fn password_matches(record: Option<&UserRecord>, password: &str) -> bool {
    // A hash of a random password, made once: checking an unknown name against it takes
    // as long as checking a real account.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        store::random_bytes::<24>()
            .ok()
            .and_then(|b| hash_password(&format!("{b:?}")).ok())
            .unwrap_or_default()
    });
    match record {
        Some(r) => verify_password(password, &r.password_hash),
        None => {
            verify_password(password, dummy);
            false
        }
    }
}

/// The last step of a login: reads the account again (another attempt may have counted
/// a failure meanwhile), applies the lock-out rules to the outcome of
/// [`password_matches`], records the failure count and audits.
pub fn settle_login(
    reg: &Registry,
    name: &str,
    password_matched: bool,
    interface: &str,
    now_ms: i64,
) -> Result<User, AccessError> {
    let audit = |action: &str, detail: &str| {
        reg.audit(&AuditInput {
            at: now_ms,
            actor: name,
            interface,
            action,
            subject: &format!("user:{name}"),
            detail,
        })
    };
    let Some(record) = reg.user(name)? else {
        audit("login.failed", "unknown user")?;
        return Err(AccessError::BadCredentials);
    };
    if record.locked_until > now_ms {
        audit("login.refused", "locked")?;
        return Err(AccessError::LockedOut {
            until_utc: model::time::Timestamp(record.locked_until)
                .to_datetime()
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
        });
    }
    if !password_matched {
        let failed = record.failed_logins.saturating_add(1);
        let locked_until = if failed >= MAX_FAILED_LOGINS {
            now_ms + LOCK_OUT_MS
        } else {
            0
        };
        reg.set_login_state(
            name,
            if locked_until > 0 { 0 } else { failed },
            locked_until,
        )?;
        audit(
            "login.failed",
            if locked_until > 0 {
                "wrong password; locked"
            } else {
                "wrong password"
            },
        )?;
        return Err(AccessError::BadCredentials);
    }
    if record.failed_logins > 0 || record.locked_until > 0 {
        reg.set_login_state(name, 0, 0)?;
    }
    audit("login", "")?;
    User::from_record(&record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse battery!", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn consular_users_need_a_country_and_names_are_checked() {
        let mut u = User::new("consul.be", Role::Consular);
        assert!(u.validate().is_err());
        u.nationalities.push("BE".parse().unwrap());
        assert!(u.validate().is_ok());
        u.name = "bad name; drop".into();
        assert!(u.validate().is_err());
    }
}
