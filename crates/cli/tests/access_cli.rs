//! `homeward user` and `homeward audit` from the command line, and tampering with the
//! audit chain as an attacker who holds the passphrase would.

use assert_cmd::Command;
use predicates::str::contains;
use std::path::{Path, PathBuf};

const PASS: &str = "synthetic registry passphrase";

struct Reg {
    _dir: tempfile::TempDir,
    path: PathBuf,
    password_file: PathBuf,
}

fn homeward(reg: &Path) -> Command {
    let mut cmd = Command::cargo_bin("homeward").unwrap();
    cmd.env("HOMEWARD_PASSPHRASE", PASS)
        .env_remove("HOMEWARD_REGISTRY")
        .arg("--registry")
        .arg(reg);
    cmd
}

/// A fresh registry with three users (so three `user.add` audit entries) plus one more
/// entry from a failed `user add`.
fn registry() -> Reg {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    let password_file = dir.path().join("pw");
    std::fs::write(&password_file, "a long synthetic password\n").unwrap();
    homeward(&path).arg("init").assert().success();
    for (name, role, extra) in [
        ("first.admin", "admin", vec![]),
        ("consul.be", "consular", vec!["--nationality", "BE"]),
        ("field.worker", "caseworker", vec![]),
    ] {
        homeward(&path)
            .args(["user", "add", name, "--role", role])
            .args(extra)
            .arg("--password-file")
            .arg(&password_file)
            .assert()
            .success();
    }
    Reg {
        _dir: dir,
        path,
        password_file,
    }
}

fn tamper(reg: &Reg, sql: &str) {
    store::testing::raw_execute(
        &reg.path,
        PASS,
        &format!(
            "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete; {sql}"
        ),
    )
    .unwrap();
}

fn verify_fails_at(reg: &Reg, entry: u64) {
    homeward(&reg.path)
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stderr(contains(format!("broken at entry {entry}:")));
}

#[test]
fn users_are_created_listed_and_checked() {
    let reg = registry();
    let out = homeward(&reg.path)
        .args(["user", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["consul.be", "field.worker", "first.admin"]);
    assert_eq!(users[0]["nationalities"][0], "BE");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("argon2"));
    // Refusals: taken name, unknown role, consular without a country, short password.
    homeward(&reg.path)
        .args([
            "user",
            "add",
            "first.admin",
            "--role",
            "admin",
            "--password-file",
        ])
        .arg(&reg.password_file)
        .assert()
        .code(1)
        .stderr(contains("already exists"));
    homeward(&reg.path)
        .args(["user", "add", "x", "--role", "root", "--password-file"])
        .arg(&reg.password_file)
        .assert()
        .code(1)
        .stderr(contains("not a role"));
    homeward(&reg.path)
        .args([
            "user",
            "add",
            "consul.xx",
            "--role",
            "consular",
            "--password-file",
        ])
        .arg(&reg.password_file)
        .assert()
        .code(1)
        .stderr(contains("--nationality"));
    let short = reg.path.with_file_name("short");
    std::fs::write(&short, "tiny\n").unwrap();
    homeward(&reg.path)
        .args([
            "user",
            "add",
            "y",
            "--role",
            "caseworker",
            "--password-file",
        ])
        .arg(&short)
        .assert()
        .code(1)
        .stderr(contains("too short"));
    homeward(&reg.path)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(contains("intact: 3 entries"));
}

#[test]
fn an_untouched_chain_verifies() {
    let reg = registry();
    let out = homeward(&reg.path)
        .args(["audit", "verify", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entries"], 3);
    let log = homeward(&reg.path)
        .args(["audit", "log", "--json"])
        .output()
        .unwrap();
    let entries: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(entries[1]["subject"], "user:consul.be");
    assert_eq!(entries[1]["actor"], "operator");
}

#[test]
fn deleting_an_entry_is_detected() {
    let reg = registry();
    tamper(&reg, "DELETE FROM audit WHERE seq = 2;");
    verify_fails_at(&reg, 2);
}

#[test]
fn editing_an_entry_is_detected() {
    let reg = registry();
    tamper(
        &reg,
        "UPDATE audit SET actor = 'someone.else' WHERE seq = 2;",
    );
    verify_fails_at(&reg, 2);
}

#[test]
fn reordering_entries_is_detected() {
    let reg = registry();
    tamper(
        &reg,
        "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;",
    );
    verify_fails_at(&reg, 2);
}

#[test]
fn cutting_off_the_end_is_detected() {
    let reg = registry();
    tamper(&reg, "DELETE FROM audit WHERE seq = 3;");
    verify_fails_at(&reg, 3);
}

#[test]
fn rehashing_an_edit_still_breaks_the_next_link() {
    // Editing entry 1 and leaving its hash: entry 1 fails. Also replacing entry 1's hash by
    // a made-up value: entry 2 no longer follows from it.
    let reg = registry();
    tamper(&reg, "UPDATE audit SET hash = zeroblob(32) WHERE seq = 1;");
    verify_fails_at(&reg, 1);
}
