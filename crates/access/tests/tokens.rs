//! API tokens for scripts and the split sign-in: a token acts as exactly its account,
//! stops at once when revoked or expired, is never stored in clear, and every refusal is
//! audited; failed sign-ins are counted right even when their password checks overlap.

use access::identity::{add_user, login_record, password_matches, settle_login, MAX_FAILED_LOGINS};
use access::tokens::{issue, revoke, user_of};
use access::{AccessError, Role, User};
use store::Registry;

const PASSWORD: &str = "synthetic password for tests";
const NOW: i64 = 1_700_000_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;

fn registry() -> (Registry, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
    let mut consul = User::new("consul.be", Role::Consular);
    consul.nationalities = vec!["BE".parse().unwrap()];
    add_user(&mut reg, &consul, PASSWORD, "operator", "test", NOW).unwrap();
    (reg, tmp)
}

fn actions(reg: &Registry) -> Vec<String> {
    reg.audit_tail(1000)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.detail))
        .collect()
}

#[test]
fn a_token_acts_as_its_account_until_revoked() {
    let (reg, _tmp) = registry();
    let issued = issue(
        &reg,
        "consul.be",
        "nightly export",
        30,
        "operator",
        "test",
        NOW,
    )
    .unwrap();
    assert!(issued.token.starts_with("hwt_"));
    let user = user_of(&reg, &issued.token, "test", NOW + DAY).unwrap();
    assert_eq!(user.name, "consul.be");
    assert_eq!(user.role, Role::Consular);
    assert_eq!(user.nationalities, vec!["BE".parse().unwrap()]);

    // Only the hash is kept.
    let stored = reg.api_tokens().unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!format!("{stored:?}").contains(&issued.token[4..]));

    revoke(&reg, &issued.id, "operator", "test", NOW + DAY).unwrap();
    assert!(matches!(
        user_of(&reg, &issued.token, "test", NOW + DAY),
        Err(AccessError::BadCredentials)
    ));
    // Revoking twice says so.
    assert!(revoke(&reg, &issued.id, "operator", "test", NOW + DAY).is_err());
    let log = actions(&reg);
    assert!(log.iter().any(|a| a.starts_with("token.issue")));
    assert!(log.iter().any(|a| a.starts_with("token.revoke")));
    assert!(log.iter().any(|a| a == "token.refused revoked"));
}

#[test]
fn expired_unknown_and_malformed_tokens_are_refused_and_audited() {
    let (reg, _tmp) = registry();
    let issued = issue(&reg, "consul.be", "monitoring", 1, "operator", "test", NOW).unwrap();
    assert!(user_of(&reg, &issued.token, "test", NOW + DAY - 1).is_ok());
    assert!(user_of(&reg, &issued.token, "test", NOW + DAY).is_err());
    // One character changed: a different hash, unknown.
    let last = if issued.token.ends_with('0') {
        "1"
    } else {
        "0"
    };
    let forged = format!("{}{last}", &issued.token[..issued.token.len() - 1]);
    assert!(user_of(&reg, &forged, "test", NOW).is_err());
    assert!(user_of(&reg, "not a token", "test", NOW).is_err());
    let log = actions(&reg);
    for why in ["expired", "unknown", "malformed"] {
        assert!(
            log.iter().any(|a| a == &format!("token.refused {why}")),
            "{why}: {log:?}"
        );
    }
}

#[test]
fn bad_requests_for_tokens_are_explained_and_store_nothing() {
    let (reg, _tmp) = registry();
    for (user, label, days, says) in [
        ("nobody", "x", 10, "no user 'nobody'"),
        ("consul.be", "  ", 10, "label"),
        ("consul.be", "tab\tlabel", 10, "label"),
        ("consul.be", "ok", 0, "1 to 365 days"),
        ("consul.be", "ok", 366, "1 to 365 days"),
    ] {
        let err = issue(&reg, user, label, days, "operator", "test", NOW).unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
    assert!(reg.api_tokens().unwrap().is_empty());
}

#[test]
fn overlapping_failed_sign_ins_are_all_counted_and_lock_the_account() {
    let (reg, _tmp) = registry();
    // Each attempt reads the account, checks the password without the registry, then
    // settles; here all the checks overlap, as on a busy server.
    let records: Vec<_> = (0..MAX_FAILED_LOGINS)
        .map(|_| login_record(&reg, "consul.be").unwrap())
        .collect();
    for record in &records {
        assert!(!password_matches(
            record.as_ref(),
            "wrong password entirely"
        ));
        let r = settle_login(&reg, "consul.be", false, "test", NOW);
        assert!(matches!(r, Err(AccessError::BadCredentials)));
    }
    let record = login_record(&reg, "consul.be").unwrap();
    assert!(password_matches(record.as_ref(), PASSWORD));
    assert!(matches!(
        settle_login(&reg, "consul.be", true, "test", NOW + 1),
        Err(AccessError::LockedOut { .. })
    ));
    // An unknown account costs a check too and is refused the same way.
    assert!(!password_matches(None, PASSWORD));
    assert!(matches!(
        settle_login(&reg, "ghost", false, "test", NOW),
        Err(AccessError::BadCredentials)
    ));
}
