//! `homeward case ...` through the real binary, on a small demo registry: the board and a
//! case as the operator; the same as users of each role through `homeward as USER case`,
//! where a consul of one country neither sees nor learns of another country's cases; the
//! changes a consul makes (members staying behind, removed and added again, legal
//! records); an unaccompanied child's case on the board; and bad input refused with exit
//! 1 and a message saying what to do, nothing written.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PASS: &str = "synthetic registry passphrase";

struct Reg {
    dir: tempfile::TempDir,
    path: PathBuf,
    pw: PathBuf,
}

fn homeward(reg: &Path) -> Command {
    let mut cmd = Command::cargo_bin("homeward").unwrap();
    cmd.env("HOMEWARD_PASSPHRASE", PASS)
        .env_remove("HOMEWARD_REGISTRY")
        .arg("--registry")
        .arg(reg);
    cmd
}

fn registry() -> Reg {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    homeward(&path)
        .args(["demo", "--scale", "0.02", "--seed", "2019"])
        .assert()
        .success();
    for (name, role, extra) in [
        ("consul.de", "consular", vec!["--nationality", "DE"]),
        ("consul.fr", "consular", vec!["--nationality", "FR"]),
        ("coord", "coordinator", vec![]),
        ("researcher", "researcher", vec![]),
        ("cp", "child_protection", vec![]),
    ] {
        homeward(&path)
            .args(["user", "add", name, "--role", role])
            .args(extra)
            .arg("--password-file")
            .arg(&pw)
            .assert()
            .success();
    }
    Reg { dir, path, pw }
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

impl Reg {
    fn as_user(&self, user: &str) -> Command {
        let mut cmd = homeward(&self.path);
        cmd.args(["as", user, "--password-file"]).arg(&self.pw);
        cmd
    }

    /// What a change to a case would alter, as the operator reads it.
    fn state_of(&self, case: &str) -> Value {
        let v = json(homeward(&self.path).args(["case", "show", case, "--json"]));
        serde_json::json!([
            v["stages"],
            v["documents"],
            v["wishes"],
            v["legal"],
            v["evidence"],
            v["members"],
            v["removed"]
        ])
    }
}

/// Case ids on a board, by country.
fn cases_of(board: &Value, country: &str) -> Vec<String> {
    board["countries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["country"] == country)
        .flat_map(|c| c["stages"].as_array().unwrap().iter())
        .flat_map(|s| s["cases"].as_array().unwrap().iter())
        .map(|c| c["case_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_operator_sees_every_case_by_stage_with_time_in_each() {
    let reg = registry();
    let board =
        json(homeward(&reg.path).args(["case", "board", "--as-of", "2019-12-31", "--json"]));
    assert_eq!(board["mode"], "cases");
    let mut stages = std::collections::BTreeSet::new();
    let mut total = 0;
    for c in board["countries"].as_array().unwrap() {
        for s in c["stages"].as_array().unwrap() {
            for case in s["cases"].as_array().unwrap() {
                stages.insert(s["stage"].as_str().unwrap().to_string());
                assert_eq!(case["stage"], s["stage"]);
                assert!(!case["time_in_stages"].as_array().unwrap().is_empty());
                total += 1;
            }
        }
    }
    assert_eq!(total, 15);
    assert!(stages.len() >= 10, "{stages:?}");
    // One case, with its checklist, members and the time in each stage.
    let id = &cases_of(&board, "DE")[0];
    let case = json(homeward(&reg.path).args(["case", "show", &id[..8], "--json"]));
    assert_eq!(&case["case_id"], id);
    assert!(case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["status"] == "missing" || d["status"] == "received"));
    homeward(&reg.path)
        .args(["case", "show", &id[..8]])
        .assert()
        .success()
        .stdout(contains("allowed next:"));
    homeward(&reg.path)
        .args(["case", "board"])
        .assert()
        .success()
        .stdout(contains("idf = identified"));
}

#[test]
fn a_consul_sees_only_its_countrys_cases_through_every_command() {
    let reg = registry();
    let all = json(homeward(&reg.path).args(["case", "board", "--json"]));
    let de = cases_of(&all, "DE");
    let fr = cases_of(&all, "FR");
    assert!(!de.is_empty() && !fr.is_empty());
    let board = json(reg.as_user("consul.de").args(["case", "board", "--json"]));
    let countries: Vec<&str> = board["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, vec!["DE"]);
    assert_eq!(cases_of(&board, "DE"), de);
    let text = board.to_string();
    for id in &fr {
        assert!(!text.contains(id.as_str()));
    }
    let list = json(reg.as_user("consul.de").args(["case", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), de.len());
    let list = json(
        reg.as_user("consul.de")
            .args(["case", "list", "--country", "FR", "--json"]),
    );
    assert!(list.as_array().unwrap().is_empty());
    // Another country's case is "no such case", the same as one that does not exist.
    for id in [fr[0].as_str(), "00000000-0000-0000-0000-000000000000"] {
        reg.as_user("consul.de")
            .args(["case", "show", id, "--json"])
            .assert()
            .code(1)
            .stderr(contains("no case with id"));
    }
    reg.as_user("consul.de")
        .args(["case", "stage", &fr[0], "closed", "--note", "probe"])
        .assert()
        .code(1)
        .stderr(contains("no case with id"));
    // Its own case it reads and works on.
    let case = json(
        reg.as_user("consul.de")
            .args(["case", "show", &de[0], "--json"]),
    );
    assert_eq!(case["may_work"], true);
    // The coordinator gets counts only; the researcher nothing.
    let counts = json(reg.as_user("coord").args(["case", "board", "--json"]));
    assert_eq!(counts["mode"], "counts");
    for id in de.iter().chain(&fr) {
        assert!(!counts.to_string().contains(id.as_str()));
    }
    reg.as_user("coord")
        .args(["case", "show", &de[0]])
        .assert()
        .code(1)
        .stderr(contains("may not read repatriation cases"));
    reg.as_user("researcher")
        .args(["case", "board"])
        .assert()
        .code(1)
        .stderr(contains("may not see the repatriation board"));
    // Child protection reads a case without its legal records or evidence.
    let case = json(reg.as_user("cp").args(["case", "show", &de[0], "--json"]));
    assert!(case.get("legal").is_none() && case.get("evidence").is_none());
    assert_eq!(case["may_work"], false);
}

#[test]
fn a_consul_works_a_case_and_bad_input_is_refused_with_nothing_written() {
    let reg = registry();
    let board = json(reg.as_user("consul.de").args(["case", "board", "--json"]));
    let pending: Vec<&Value> = board["countries"][0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["stage"] == "decision_pending")
        .flat_map(|s| s["cases"].as_array().unwrap().iter())
        .collect();
    let id = pending[0]["case_id"].as_str().unwrap().to_string();
    let principal = pending[0]["principal"]["person_id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = reg.state_of(&id);
    let fails = |args: &[&str], message: &str| {
        reg.as_user("consul.de")
            .args(["case"])
            .args(args)
            .assert()
            .code(1)
            .stderr(contains(message.to_string()));
    };
    fails(
        &["stage", &id, "deported"],
        "'deported' is not a case stage",
    );
    fails(
        &["stage", &id, "arrived"],
        "cannot move to arrived; allowed next: approved, refused, closed",
    );
    fails(&["stage", &id, "approved"], "give the deciding authority");
    fails(
        &["doc", &id, "decision_letter", "--hash", "12zz"],
        "is not a document hash",
    );
    fails(&["doc", &id, "passport"], "not a document kind");
    fails(
        &["open", "0000dead", "--country", "DE"],
        "no person with id '0000dead'",
    );
    fails(&["open", &principal, "--country", "DE"], "open already");
    fails(
        &["open", &principal, "--country", "FR"],
        "may not open a case for a country outside its scope",
    );
    fails(
        &[
            "wish",
            &id,
            &principal,
            "to_mars",
            "--grade",
            "B2",
            "--content",
            "x",
        ],
        "is not a wish",
    );
    assert_eq!(reg.state_of(&id), before, "nothing written");

    // A document from a file, a wish, a decision with its authority.
    let copy = reg.dir.path().join("decision.pdf");
    std::fs::write(&copy, b"synthetic decision letter").unwrap();
    reg.as_user("consul.de")
        .args(["case", "doc", &id, "decision_letter", "--file"])
        .arg(&copy)
        .assert()
        .success();
    reg.as_user("consul.de")
        .args([
            "case",
            "wish",
            &id,
            &principal,
            "trial_at_home",
            "--country",
            "DE",
        ])
        .args(["--grade", "B2", "--content", "Asks to be tried in Germany"])
        .assert()
        .success();
    reg.as_user("consul.de")
        .args([
            "case",
            "stage",
            &id,
            "approved",
            "--authority",
            "Federal Foreign Office, Berlin",
        ])
        .assert()
        .success()
        .stdout(contains("moved to approved"));
    let case = json(
        reg.as_user("consul.de")
            .args(["case", "show", &id, "--json"]),
    );
    assert_eq!(case["stage"], "approved");
    assert_eq!(
        case["decision"]["authority"],
        "Federal Foreign Office, Berlin"
    );
    let expected = blake3::hash(b"synthetic decision letter")
        .to_hex()
        .to_string();
    assert!(case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "decision_letter" && d["hash"] == expected.as_str()));
    assert!(case["wishes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["claim"]["kind"] == "wishes_trial_at_home"));
    // Audited under the consul's name, through the command line.
    let audit = json(homeward(&reg.path).args(["audit", "log", "--limit", "40", "--json"]));
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == "consul.de"
            && e["interface"] == "cli"
            && e["action"] == "case.stage"));
}

#[test]
fn the_operator_lists_the_unaccompanied_childrens_case() {
    let reg = registry();
    let cases = json(homeward(&reg.path).args(["case", "list", "--json"]));
    let alone: Vec<&Value> = cases
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["unaccompanied"] == true)
        .collect();
    assert_eq!(alone.len(), 1, "{cases}");
    assert_eq!(alone[0]["stage"], "arrived");
    homeward(&reg.path)
        .args(["case", "show", alone[0]["case_id"].as_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("UNACCOMPANIED"));
}

/// A DE case before arrival with a child in it: (case id, principal, a child).
fn de_case_with_a_child(reg: &Reg) -> (String, String, String) {
    let cases = json(reg.as_user("consul.de").args(["case", "list", "--json"]));
    for c in cases.as_array().unwrap() {
        let id = c["case_id"].as_str().unwrap();
        let case = json(
            reg.as_user("consul.de")
                .args(["case", "show", id, "--json"]),
        );
        let open = case["allowed_next"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s != "legal_proceedings" && s != "reintegration_follow_up")
            && case["stage"] != "closed";
        let child = case["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["relation"] == "child");
        if let (true, Some(child)) = (open, child) {
            return (
                id.to_string(),
                case["members"][0]["person"]["person_id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                child["person"]["person_id"].as_str().unwrap().to_string(),
            );
        }
    }
    panic!("no DE case before arrival with a child: {cases}");
}

#[test]
fn a_consul_marks_who_stays_behind_removes_a_member_and_records_a_sentence() {
    let reg = registry();
    let (id, principal, child) = de_case_with_a_child(&reg);
    let consul = |args: &[&str]| {
        let mut cmd = reg.as_user("consul.de");
        cmd.arg("case").args(args);
        cmd
    };
    let fails = |args: &[&str], code: i32, message: &str| {
        consul(args)
            .assert()
            .code(code)
            .stderr(contains(message.to_string()));
    };
    let before = reg.state_of(&id);
    // Bad input: exit 1 (2 for usage), a message saying what to do, nothing written.
    fails(&["member", &id, &child, "--remove"], 2, "--reason");
    fails(
        &["member", &id, &principal, "--remove", "--reason", "x"],
        1,
        "principal cannot be removed",
    );
    fails(
        &["stays-behind", &id, &child, "--reason", " "],
        1,
        "the reason is empty",
    );
    fails(
        &["travels", &id, &child, "--reason", "probe"],
        1,
        "already travels",
    );
    fails(
        &[
            "legal",
            &id,
            &principal,
            "fine",
            "--grade",
            "B2",
            "--content",
            "x",
        ],
        1,
        "'fine' is not a legal record: use proceedings, conviction_in_absentia, sentence",
    );
    fails(
        &[
            "evidence",
            &id,
            "document",
            "--hash",
            "not-hex",
            "--description",
            "x",
        ],
        1,
        "is not a document hash",
    );
    // She travels in her mother's case (or her age is not known): no case of her own.
    consul(&["open", &child, "--country", "DE", "--unaccompanied"])
        .assert()
        .code(1)
        .stderr(
            contains(format!("the child travels in case {id}"))
                .or(contains("record their birth or stated age")),
        );
    // A person the consul may not see: the same answer as one that does not exist.
    let all = json(homeward(&reg.path).args(["case", "board", "--json"]));
    let fr_case = &cases_of(&all, "FR")[0];
    let fr_person = json(homeward(&reg.path).args(["case", "show", fr_case, "--json"]))["members"]
        [0]["person"]["person_id"]
        .as_str()
        .unwrap()
        .to_string();
    fails(
        &[
            "wish",
            &id,
            &fr_person,
            "to_return",
            "--grade",
            "B2",
            "--content",
            "x",
        ],
        1,
        &format!("no person with id '{fr_person}' that consul.de may see"),
    );
    fails(
        &["stays-behind", &id, &fr_person, "--reason", "probe"],
        1,
        "that consul.de may see",
    );
    // The operator may see her, but she is not in this household.
    homeward(&reg.path)
        .args(["case", "member", &id, &fr_person])
        .assert()
        .code(1)
        .stderr(contains("neither a child nor in the household"));
    assert_eq!(reg.state_of(&id), before, "nothing written");

    // The child stays with her aunt: no travel document is asked for her.
    consul(&[
        "stays-behind",
        &id,
        &child,
        "--reason",
        "stays with her aunt in Hasakah",
    ])
    .assert()
    .success()
    .stdout(contains("stays behind"));
    let case = json(&mut consul(&["show", &id, "--json"]));
    let member = case["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"]["person_id"] == child.as_str())
        .unwrap()
        .clone();
    assert_eq!(member["travels"], false);
    assert_eq!(
        member["stays_behind"]["reason"],
        "stays with her aunt in Hasakah"
    );
    assert!(!case["documents"].as_array().unwrap().iter().any(|d| {
        d["kind"] == "travel_document"
            && d["status"] == "missing"
            && d["person_id"] == child.as_str()
    }));
    consul(&["show", &id])
        .assert()
        .success()
        .stdout(contains("stays behind since"));
    fails(
        &["stays-behind", &id, &child, "--reason", "again"],
        1,
        "already stays behind",
    );
    // Then she is taken out of the case, may join it again, and does.
    consul(&[
        "member",
        &id,
        &child,
        "--remove",
        "--reason",
        "registered in the wrong household",
    ])
    .assert()
    .success()
    .stdout(contains("removed"));
    let case = json(&mut consul(&["show", &id, "--json"]));
    assert_eq!(case["removed"][0]["person_id"], child.as_str());
    assert!(case["may_join"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["person_id"] == child.as_str()));
    consul(&["member", &id, &child]).assert().success();
    // A sentence, with the authority that handed it down and its grade.
    consul(&[
        "legal",
        &id,
        &principal,
        "sentence",
        "--authority",
        "Higher Regional Court",
        "--sentence",
        "four years",
        "--grade",
        "A1",
        "--content",
        "Judgment of the court",
    ])
    .assert()
    .success();
    let case = json(&mut consul(&["show", &id, "--json"]));
    let legal = &case["legal"][0]["claim"];
    assert_eq!(legal["grade"], "A1");
    assert!(legal["text"].as_str().unwrap().contains("four years"));
    let audit = json(homeward(&reg.path).args(["audit", "log", "--limit", "60", "--json"]));
    for action in ["case.travel", "case.member.remove", "case.claim"] {
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["actor"] == "consul.de" && e["action"] == action),
            "{action}"
        );
    }
}
