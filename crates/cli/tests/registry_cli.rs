//! End-to-end tests of the registry commands through the real `homeward` binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PASS: &str = "field laptop passphrase";

struct Registry {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Registry {
    fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reg.db");
        let r = Self { _dir: dir, path };
        r.cmd(&["init"]).assert().success();
        r
    }

    /// A small, deterministic demo registry.
    fn demo() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let r = Self { _dir: dir, path };
        r.cmd(&["demo", "--scale", "0.01", "--seed", "7"])
            .assert()
            .success();
        r
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("homeward").unwrap();
        c.env("HOMEWARD_PASSPHRASE", PASS)
            .env_remove("HOMEWARD_REGISTRY")
            .arg("--registry")
            .arg(&self.path)
            .args(args);
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd(args).arg("--json").output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON: {e}"))
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn file_bytes(path: &Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(b) = std::fs::read(PathBuf::from(p)) {
            all.extend(b);
        }
    }
    all
}

#[test]
fn demo_stats_show_three_camps_and_the_json_contract() {
    let r = Registry::demo();
    let stats = r.json(&["stats", "--by", "camp"]);
    let total = stats["total"].as_u64().unwrap();
    assert!(total > 700, "total {total}");
    let groups = stats["groups"].as_array().unwrap();
    let camps: Vec<&str> = groups.iter().map(|g| g["camp"].as_str().unwrap()).collect();
    for camp in ["Roj", "Ain Issa", "Al-Hol"] {
        assert!(camps.contains(&camp), "{camps:?}");
    }
    let sum: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, total);
    let al_hol = groups.iter().find(|g| g["camp"] == "Al-Hol").unwrap()["count"]
        .as_u64()
        .unwrap();
    assert!(al_hol > total / 2, "Al-Hol is the largest camp");
}

#[test]
fn the_same_seed_gives_the_same_registry_content() {
    let a = Registry::demo();
    let b = Registry::demo();
    let list = |r: &Registry| r.json(&["person", "list", "--limit", "20"]);
    assert_eq!(list(&a), list(&b));
    insta::assert_json_snapshot!(
        "demo_stats_by_camp_and_status",
        a.json(&["stats", "--by", "camp,status"])
    );
}

#[test]
fn no_name_from_the_registry_is_readable_in_the_file() {
    let r = Registry::demo();
    let persons = r.json(&["person", "list", "--limit", "30"]);
    let bytes = file_bytes(&r.path);
    let mut checked = 0;
    for p in persons.as_array().unwrap() {
        for name in p["names"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            if name.len() < 6 {
                continue; // too short to tell from chance in ciphertext
            }
            assert!(
                !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
                "'{name}' is readable in the file"
            );
            checked += 1;
        }
    }
    assert!(checked > 30);
    // Needles of six bytes or more: a shorter one turns up by chance in megabytes of ciphertext.
    for word in ["Ain Issa", "Al-Hol"] {
        assert!(
            !bytes.windows(word.len()).any(|w| w == word.as_bytes()),
            "{word}"
        );
    }
}

#[test]
fn wrong_passphrase_exits_1_with_a_clear_message_and_changes_nothing() {
    let r = Registry::empty();
    let before = file_bytes(&r.path);
    r.cmd(&["stats"])
        .env("HOMEWARD_PASSPHRASE", "not the passphrase")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("passphrase is wrong"))
        .stderr(predicate::str::contains("ERROR CORE").not());
    assert_eq!(before, file_bytes(&r.path));
}

#[test]
fn missing_passphrase_without_a_terminal_says_how_to_give_one() {
    let r = Registry::empty();
    r.cmd(&["stats"])
        .env_remove("HOMEWARD_PASSPHRASE")
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("HOMEWARD_PASSPHRASE"));
}

#[test]
fn passphrase_file_works() {
    let r = Registry::empty();
    let file = r.path.with_extension("pass");
    std::fs::write(&file, format!("{PASS}\n")).unwrap();
    r.cmd(&["stats"])
        .env_remove("HOMEWARD_PASSPHRASE")
        .arg("--passphrase-file")
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn usage_errors_exit_2() {
    let r = Registry::empty();
    r.cmd(&["stats", "--no-such-flag"]).assert().code(2);
    r.cmd(&["frobnicate"]).assert().code(2);
}

#[test]
fn init_and_demo_refuse_to_overwrite() {
    let r = Registry::empty();
    let before = file_bytes(&r.path);
    r.cmd(&["init"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing to overwrite"));
    r.cmd(&["demo", "--scale", "0.001"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(before, file_bytes(&r.path));
}

#[test]
fn not_a_registry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, "id,name\n".repeat(1000)).unwrap();
    let mut c = Command::cargo_bin("homeward").unwrap();
    c.env("HOMEWARD_PASSPHRASE", PASS)
        .arg("--registry")
        .arg(&path)
        .arg("stats");
    c.assert()
        .code(1)
        .stderr(predicate::str::contains("not a Homeward registry"));
}

#[test]
fn a_report_places_a_person_and_the_timeline_shows_it() {
    let r = Registry::empty();
    r.cmd(&["place", "add", "Roj", "--kind", "camp"])
        .assert()
        .success();
    r.cmd(&[
        "place",
        "add",
        "Akcakale crossing",
        "--kind",
        "border_crossing",
    ])
    .assert()
    .success();
    let id = r.stdout(&[
        "person",
        "add",
        "--name",
        "Salma Benyoussef",
        "--name",
        "سلمى بن يوسف",
        "--kunya",
        "Umm Yahya",
        "--sex",
        "female",
        "--birth",
        "1994",
        "--nationality",
        "BE",
        "--nationality",
        "MA:disputed",
    ]);
    let id = id.trim();
    let child = r.stdout(&[
        "person",
        "add",
        "--name",
        "Yahya",
        "--sex",
        "male",
        "--birth",
        "4@2019-10-01",
        "--mother",
        &id[..8],
    ]);
    let child = child.trim();

    r.cmd(&[
        "report",
        "add",
        "--channel",
        "official_list",
        "--grade",
        "A1",
        "--content",
        "Roj list, phase 2",
        "--received-at",
        "2019-10-02",
        "--claim",
        &format!("seen_at:{id}:Roj"),
        "--claim",
        &format!("seen_at:{child}:Roj"),
    ])
    .assert()
    .success();
    // A weak text a day later says she is at the border: it must not move her, but must show.
    r.cmd(&[
        "report",
        "add",
        "--channel",
        "text_message",
        "--grade",
        "F6",
        "--content",
        "she is at the crossing",
        "--source",
        "cousin, phone +90 555 010 0101",
        "--received-at",
        "2019-10-03",
        "--claim",
        &format!("seen_at:{id}:Akcakale crossing"),
    ])
    .assert()
    .success();

    let person = r.json(&["person", "show", id]);
    assert_eq!(person["whereabouts"]["status"], "in_camp");
    assert_eq!(person["whereabouts"]["place"], "Roj");
    assert_eq!(
        person["whereabouts"]["contradictions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(person["nationalities"][1]["status"], "disputed");
    assert_eq!(person["relatives"][0]["person_id"], child);
    let scripts: Vec<&str> = person["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["script"].as_str().unwrap())
        .collect();
    assert!(scripts.contains(&"arabic") && scripts.contains(&"latin"));
    let text = r.stdout(&["person", "show", id]);
    assert!(
        text.contains("CONTRADICTED by: seen at Akcakale crossing [F6]"),
        "{text}"
    );

    let timeline = r.json(&["timeline", id]);
    let entries = timeline.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["channel"], "text_message", "newest first");
    assert_eq!(entries[0]["source"], "sealed");
    assert!(
        !r.stdout(&["timeline", id]).contains("+90 555"),
        "the sender stays sealed"
    );
    assert!(!file_bytes(&r.path).windows(7).any(|w| w == b"+90 555"));
}

#[test]
fn guards_leaving_makes_people_unaccounted_for() {
    let r = Registry::demo();
    let before = r.json(&[
        "person",
        "list",
        "--camp",
        "Roj",
        "--status",
        "unaccounted_for",
        "--limit",
        "10000",
    ]);
    assert_eq!(before.as_array().unwrap().len(), 0);
    let out = r.stdout(&["place", "status", "Roj", "unguarded", "--at", "2019-11-30"]);
    assert!(out.contains("Roj is now unguarded"), "{out}");
    let after = r.json(&[
        "person",
        "list",
        "--camp",
        "Roj",
        "--status",
        "unaccounted_for",
        "--limit",
        "10000",
    ]);
    assert!(after.as_array().unwrap().len() > 5, "{after}");
    r.cmd(&["place", "status", "Roj", "bombed"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("under_fire"));
    r.cmd(&["place", "status", "Nowhere", "unguarded"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("place list"));
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let r = Registry::empty();
    r.cmd(&["place", "add", "Roj", "--kind", "camp"])
        .assert()
        .success();
    let before = file_bytes(&r.path);
    let cases: &[(&[&str], &str)] = &[
        (
            &["person", "add", "--name", "A", "--birth", "12/05/1990"],
            "YYYY-MM-DD",
        ),
        (
            &["person", "add", "--name", "A", "--nationality", "Belgium"],
            "ISO 3166",
        ),
        (
            &["person", "add", "--name", "A", "--nationality", "BE:maybe"],
            "unknown status",
        ),
        (
            &["person", "add", "--name", "A", "--sex", "x"],
            "female, male or unknown",
        ),
        (
            &["person", "add", "--name", "A", "--mother", "deadbeef"],
            "no person",
        ),
        (
            &[
                "report",
                "add",
                "--channel",
                "pigeon",
                "--grade",
                "A1",
                "--content",
                "x",
            ],
            "text_message",
        ),
        (
            &[
                "report",
                "add",
                "--channel",
                "call",
                "--grade",
                "G9",
                "--content",
                "x",
            ],
            "Admiralty",
        ),
        (
            &[
                "report",
                "add",
                "--channel",
                "call",
                "--grade",
                "B2",
                "--content",
                "x",
                "--claim",
                "seen_at",
            ],
            "KIND:PERSON",
        ),
        (&["place", "add", "Annex", "--kind", "tent"], "camp_section"),
        (&["person", "show", "0000"], "no person"),
        (&["stats", "--by", "religion"], "unknown dimension"),
    ];
    for (args, hint) in cases {
        r.cmd(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(*hint));
    }
    assert_eq!(before, file_bytes(&r.path), "failed commands wrote nothing");
}

#[test]
fn rebuild_reproduces_the_projections() {
    let r = Registry::demo();
    let before = r.json(&["stats", "--by", "camp,status,nationality"]);
    let out = r.stdout(&["admin", "rebuild"]);
    assert!(out.contains("already identical"), "{out}");
    assert_eq!(
        before,
        r.json(&["stats", "--by", "camp,status,nationality"])
    );
}

#[test]
fn tasks_come_highest_priority_first() {
    let r = Registry::demo();
    let tasks = r.json(&["tasks"]);
    let priorities: Vec<u64> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["priority"].as_u64().unwrap())
        .collect();
    assert!(!priorities.is_empty());
    assert!(
        priorities.windows(2).all(|w| w[0] >= w[1]),
        "{priorities:?}"
    );
}
