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

#[test]
fn reads_as_a_user_are_scoped_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    homeward(&path)
        .args(["demo", "--scale", "0.01", "--seed", "5"])
        .assert()
        .success();
    for (name, role, extra) in [
        ("consul.is", "consular", vec!["--nationality", "IS"]),
        ("coord", "coordinator", vec![]),
        ("worker", "caseworker", vec![]),
    ] {
        homeward(&path)
            .args(["user", "add", name, "--role", role])
            .args(extra)
            .arg("--password-file")
            .arg(&pw)
            .assert()
            .success();
    }
    let out = homeward(&path)
        .args(["person", "list", "--limit", "1", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list[0]["person_id"].as_str().unwrap().to_string();

    // A caseworker without scopes reads the person; names are there.
    let out = homeward(&path)
        .args(["as", "worker", "--password-file"])
        .arg(&pw)
        .args(["show", &id])
        .output()
        .unwrap();
    assert!(out.status.success());
    let person: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(person["person_id"], id.as_str());
    assert!(person["names"].as_array().is_some_and(|n| !n.is_empty()));

    // A consul of a country nobody in the registry holds sees no one and counts no one.
    homeward(&path)
        .args(["as", "consul.is", "--password-file"])
        .arg(&pw)
        .args(["show", &id])
        .assert()
        .code(1)
        .stderr(contains("no person with that id"));
    let out = homeward(&path)
        .args(["as", "consul.is", "--password-file"])
        .arg(&pw)
        .args(["stats", "--by", "camp"])
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["total"], 0);
    assert_eq!(stats["groups"].as_array().unwrap().len(), 0);

    // A coordinator may not read persons at all.
    homeward(&path)
        .args(["as", "coord", "--password-file"])
        .arg(&pw)
        .args(["show", &id])
        .assert()
        .code(1)
        .stderr(contains("may not read persons"));

    // A wrong password is refused.
    homeward(&path)
        .args(["as", "worker", "--password-file"])
        .arg(reg_password_file_with(&dir, "not the password at all"))
        .args(["show", &id])
        .assert()
        .code(1)
        .stderr(contains("wrong user name or password"));

    // Search by the person's exact name: the caseworker and the operator find them; the
    // consul of a country nobody holds finds no one, even by exact name.
    let name = list[0]["names"][0].as_str().unwrap().to_string();
    let search = |who: Option<&str>, extra: &[&str]| -> serde_json::Value {
        let mut cmd = homeward(&path);
        if let Some(user) = who {
            cmd.args(["as", user, "--password-file"]).arg(&pw);
        }
        let out = cmd.arg("search").arg(&name).args(extra).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let found = |hits: &serde_json::Value| {
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["person_id"] == id.as_str())
    };
    let hits = search(None, &["--json", "--limit", "5"]);
    assert!(found(&hits), "{hits}");
    assert!(hits[0]["score"].as_f64().is_some() && hits[0]["names"].is_array());
    assert!(hits[0]["why"]["name"].is_string(), "{hits}");
    assert!(found(&search(Some("worker"), &[])));
    assert_eq!(search(Some("consul.is"), &[]), serde_json::json!([]));
    assert!(!found(&search(Some("worker"), &["--nationality", "IS"])));
    homeward(&path)
        .args(["search", &name, "--sex", "other"])
        .assert()
        .code(1)
        .stderr(contains("use female or male"));
    homeward(&path)
        .args(["search", &name, "--camp", "Atlantis"])
        .assert()
        .code(1)
        .stderr(contains("no such place"));

    // The operator sees who looked, including the refused attempt.
    let out = homeward(&path)
        .args(["audit", "person", &id, "--json"])
        .output()
        .unwrap();
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let seen: Vec<(String, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(seen.contains(&("worker".into(), "person.read".into())));
    assert!(seen.contains(&("consul.is".into(), "person.read.denied".into())));
    assert!(seen.contains(&("worker".into(), "person.listed".into())));
    assert!(seen.contains(&("operator".into(), "person.listed".into())));
    assert!(!seen.contains(&("consul.is".into(), "person.listed".into())));
    homeward(&path).args(["audit", "verify"]).assert().success();
}

/// The passphrase holder sees everything but is not unseen, and sets the one threshold
/// every user's counts obey: upward only.
#[test]
fn operator_reads_are_audited_and_the_threshold_only_rises() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    homeward(&path)
        .args(["demo", "--scale", "0.01", "--seed", "6"])
        .assert()
        .success();
    homeward(&path)
        .args([
            "user",
            "add",
            "coord",
            "--role",
            "coordinator",
            "--password-file",
        ])
        .arg(&pw)
        .assert()
        .success();
    let out = homeward(&path)
        .args(["person", "list", "--limit", "1", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list[0]["person_id"].as_str().unwrap().to_string();
    homeward(&path)
        .args(["person", "show", &id])
        .assert()
        .success();
    homeward(&path).args(["timeline", &id]).assert().success();
    let out = homeward(&path)
        .args(["audit", "person", &id, "--json"])
        .output()
        .unwrap();
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let operator_actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "operator" && e["interface"] == "cli")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        operator_actions,
        ["person.listed", "person.read", "person.timeline"]
    );

    homeward(&path)
        .args(["admin", "threshold", "3"])
        .assert()
        .code(1)
        .stderr(contains("too low"));
    homeward(&path)
        .args(["admin", "threshold", "40"])
        .assert()
        .success();
    let out = homeward(&path)
        .args(["as", "coord", "--password-file"])
        .arg(&pw)
        .args(["stats", "--by", "camp,sex"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["threshold"], 40);
    let groups = stats["groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| g["suppressed"] == true));
    for g in groups {
        if let Some(n) = g["count"].as_u64() {
            assert!(n == 0 || n >= 40, "a count of {n} left with threshold 40");
        }
    }
    homeward(&path).args(["audit", "verify"]).assert().success();
}

fn reg_password_file_with(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let p = dir.path().join("other-pw");
    std::fs::write(&p, format!("{text}\n")).unwrap();
    p
}

#[test]
fn an_organisation_scope_narrows_what_a_user_counts_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    homeward(&path)
        .args(["demo", "--scale", "0.01", "--seed", "5"])
        .assert()
        .success();
    for (name, extra) in [
        ("everyone", vec![]),
        (
            "tracer",
            vec![
                "--organisation",
                "Family Tracing Network",
                "--scope-organisation",
                "family tracing network",
            ],
        ),
    ] {
        homeward(&path)
            .args(["user", "add", name, "--role", "tracing"])
            .args(extra)
            .arg("--password-file")
            .arg(&pw)
            .assert()
            .success();
    }
    let total = |user: &str| -> u64 {
        let out = homeward(&path)
            .args(["as", user, "--password-file"])
            .arg(&pw)
            .args(["stats", "--by", "camp"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        stats["total"].as_u64().unwrap_or(0)
    };
    let (all, scoped) = (total("everyone"), total("tracer"));
    assert!(scoped > 0 && scoped < all, "{scoped} of {all}");

    let out = homeward(&path)
        .args(["user", "list", "--json"])
        .output()
        .unwrap();
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tracer = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "tracer")
        .unwrap();
    assert_eq!(tracer["organisation"], "Family Tracing Network");
    assert_eq!(tracer["scope_organisations"][0], "family tracing network");

    homeward(&path)
        .args(["user", "add", "bad", "--role", "tracing"])
        .args(["--scope-organisation", "  "])
        .arg("--password-file")
        .arg(&pw)
        .assert()
        .code(1)
        .stderr(contains("not a usable organisation name"));
}

#[test]
fn api_tokens_are_issued_once_listed_without_their_text_and_revoked() {
    let reg = registry();
    let out = homeward(&reg.path)
        .args([
            "user",
            "token",
            "add",
            "consul.be",
            "--label",
            "nightly export",
            "--days",
            "30",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("hwt_") && !token.contains(' '), "{token}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("shown only now"));

    let list = homeward(&reg.path)
        .args(["user", "token", "list", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(!text.contains(&token[4..]), "a list never shows the token");
    let tokens: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(tokens[0]["user"], "consul.be");
    assert_eq!(tokens[0]["state"], "active");
    let id = tokens[0]["id"].as_str().unwrap().to_string();

    homeward(&reg.path)
        .args(["user", "token", "revoke", &id])
        .assert()
        .success();
    let list = homeward(&reg.path)
        .args(["user", "token", "list", "--json"])
        .output()
        .unwrap();
    let tokens: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(tokens[0]["state"], "revoked");
    homeward(&reg.path)
        .args(["user", "token", "revoke", &id])
        .assert()
        .code(1)
        .stderr(contains("no active token"));
    homeward(&reg.path)
        .args(["user", "token", "add", "nobody", "--label", "x"])
        .assert()
        .code(1)
        .stderr(contains("no user 'nobody'"));
    homeward(&reg.path)
        .args([
            "user",
            "token",
            "add",
            "consul.be",
            "--label",
            "x",
            "--days",
            "400",
        ])
        .assert()
        .code(1)
        .stderr(contains("1 to 365 days"));
}
