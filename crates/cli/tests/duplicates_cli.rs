//! Duplicate review through the binary: an imported list that records a family again
//! under other spellings is proposed for review; a reviewer reads the pair side by side,
//! merges it (the old id resolves and `person show` says where each fact came from),
//! undoes it, decides "not a match" (remembered by a full scan and after a rebuild);
//! users see only pairs within their scope; bad input gets a clear error.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PASS: &str = "synthetic registry passphrase";

fn homeward(reg: &Path) -> Command {
    let mut cmd = Command::cargo_bin("homeward").unwrap();
    cmd.env("HOMEWARD_PASSPHRASE", PASS)
        .env_remove("HOMEWARD_REGISTRY")
        .arg("--registry")
        .arg(reg);
    cmd
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

struct Setup {
    dir: tempfile::TempDir,
    reg: PathBuf,
    pw: PathBuf,
}

const HEADER: &str = "No,Name,الاسم,Sex,Age,Nationality,Family,Relation\n";

/// A camp list of distinct synthetic women, and the Bouazzaoui family.
fn first_list() -> String {
    let given = [
        "Amina", "Fatima", "Khadija", "Hind", "Nour", "Salma", "Zainab", "Maryam",
    ];
    let family = ["Haddad", "Khalaf", "Saadi", "Rawi"];
    let mut rows = String::from(HEADER);
    let mut n = 1;
    for (i, g) in given.iter().enumerate() {
        for (j, f) in family.iter().enumerate() {
            let cc = ["SY", "IQ", "FR", "MA"][(i + j) % 4];
            rows.push_str(&format!(
                "{n},{g} {f},,F,{},{cc},H{n},head\n",
                20 + (i * 4 + j)
            ));
            n += 1;
        }
    }
    rows.push_str(&format!(
        "{n},Samira Bouazzaoui,سميرة بوعزاوي,F,28,Belgian,B1,wife\n"
    ));
    rows.push_str(&format!(
        "{},Adam Bouazzaoui,آدم بوعزاوي,M,4,BE,B1,son\n",
        n + 1
    ));
    rows
}

/// A transfer list: the same family again under other spellings, and a newcomer.
const SECOND: &str = "1,Sameera Bu Azawi,سميرة بوعزاوي,F,28,BE,T1,wife\n\
                      2,Adam Bu Azawi,آدم بوعزاوي,M,4,BE,T1,son\n\
                      3,Leila Mansour,ليلى منصور,F,45,LB,T2,head\n";

fn mapping(received: &str, title: &str) -> String {
    format!(
        r#"
[list]
title = "{title}"
grade = "B2"
source = "synthetic registration office"
received = "{received}"
place = "Roj"

[columns]
row_id = "No"
names = ["Name", "الاسم"]
sex = "Sex"
age = "Age"
nationalities = "Nationality"
household = "Family"
relation = "Relation"
"#
    )
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("reg.db");
    homeward(&reg).arg("init").assert().success();
    homeward(&reg)
        .args(["place", "add", "Roj", "--kind", "camp"])
        .assert()
        .success();
    let mapping = dir.path().join("m.toml");
    std::fs::write(&mapping, mapping_text("2019-10-05", "Synthetic camp list")).unwrap();
    let list = dir.path().join("camp.csv");
    std::fs::write(&list, first_list()).unwrap();
    homeward(&reg)
        .arg("import")
        .arg(&list)
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .success();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    for (name, role, nat) in [
        ("tracer", "tracing", None),
        ("consul.be", "consular", Some("BE")),
        ("consul.fr", "consular", Some("FR")),
        ("counter", "coordinator", None),
    ] {
        let mut cmd = homeward(&reg);
        cmd.args(["user", "add", name, "--role", role]);
        if let Some(n) = nat {
            cmd.args(["--nationality", n]);
        }
        cmd.arg("--password-file").arg(&pw).assert().success();
    }
    Setup { dir, reg, pw }
}

fn mapping_text(received: &str, title: &str) -> String {
    mapping(received, title)
}

/// Imports the transfer list; returns what the import said on stderr.
fn import_second(s: &Setup) -> String {
    let m2 = s.dir.path().join("m2.toml");
    std::fs::write(&m2, mapping_text("2019-10-18", "Synthetic transfer list")).unwrap();
    let list = s.dir.path().join("transfer.csv");
    std::fs::write(&list, format!("{HEADER}{SECOND}")).unwrap();
    let out = homeward(&s.reg)
        .arg("import")
        .arg(&list)
        .arg("--mapping")
        .arg(&m2)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn queue(reg: &Path) -> Value {
    json(homeward(reg).args(["duplicates", "list", "--json"]))
}

fn as_user(s: &Setup, user: &str) -> Command {
    let mut cmd = homeward(&s.reg);
    cmd.args(["as", user, "--password-file"]).arg(&s.pw);
    cmd
}

/// The candidate whose two persons are named `a` and `b` (any of their names).
fn pair_named(q: &Value, a: &str, b: &str) -> Option<Value> {
    let has = |p: &Value, n: &str| {
        p["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["text"] == n)
    };
    q["items"].as_array().unwrap().iter().find_map(|i| {
        ((has(&i["a"], a) && has(&i["b"], b)) || (has(&i["a"], b) && has(&i["b"], a)))
            .then(|| i.clone())
    })
}

#[test]
fn an_imported_family_recorded_twice_is_proposed_merged_and_unmerged() {
    let s = setup();
    let said = import_second(&s);
    assert!(said.contains("possible duplicate"), "{said}");
    let q = queue(&s.reg);
    let mother = pair_named(&q, "Samira Bouazzaoui", "Sameera Bu Azawi")
        .unwrap_or_else(|| panic!("the mother is proposed: {q:#}"));
    assert!(
        pair_named(&q, "Adam Bouazzaoui", "Adam Bu Azawi").is_some(),
        "her son too: {q:#}"
    );
    assert!(pair_named(&q, "Samira Bouazzaoui", "Leila Mansour").is_none());
    let id = mother["candidate_id"].as_str().unwrap().to_string();

    // Side by side, with the evidence.
    let c = json(homeward(&s.reg).args(["duplicates", "show", &id[..8], "--json"]));
    assert!(c["evidence"]["comparisons"].as_array().unwrap().len() >= 6);
    homeward(&s.reg)
        .args(["duplicates", "show", &id[..8]])
        .assert()
        .success()
        .stdout(contains("person a").and(contains("comparison")));

    // A match merges; the old id resolves and says so.
    let (a, b) = (
        mother["a"]["person_id"].as_str().unwrap().to_string(),
        mother["b"]["person_id"].as_str().unwrap().to_string(),
    );
    let out = json(homeward(&s.reg).args([
        "duplicates",
        "decide",
        &id[..8],
        "match",
        "--keep",
        &a,
        "--note",
        "same woman",
        "--json",
    ]));
    let merge = out["merge_id"].as_str().unwrap().to_string();
    let shown = json(homeward(&s.reg).args(["person", "show", &b, "--json"]));
    assert_eq!(shown["person_id"], a);
    assert_eq!(shown["merged_from"], b);
    let records = shown["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert!(
        shown["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["record"] == b),
        "claims say which record they came from"
    );
    homeward(&s.reg)
        .args(["person", "show", &b[..8]])
        .assert()
        .success()
        .stdout(contains("was merged into this person").and(contains("record")));
    let digest = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .split("digest ")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    let rebuilt = homeward(&s.reg)
        .args(["admin", "rebuild"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("already identical"));
    assert!(!digest(&rebuilt.stdout).is_empty());

    // Undo: separate persons again.
    homeward(&s.reg)
        .args(["duplicates", "undo", &merge[..8], "--note", "two women"])
        .assert()
        .success()
        .stdout(contains("a person of its own again"));
    let shown = json(homeward(&s.reg).args(["person", "show", &b, "--json"]));
    assert_eq!(shown["person_id"], b);
    assert!(shown.get("merged_from").is_none());
    assert!(pair_named(&queue(&s.reg), "Samira Bouazzaoui", "Sameera Bu Azawi").is_some());

    // Not a match: remembered by a full scan and after a rebuild.
    homeward(&s.reg)
        .args([
            "duplicates",
            "decide",
            &id,
            "not-a-match",
            "--note",
            "different fathers",
        ])
        .assert()
        .success();
    let scan = json(homeward(&s.reg).args(["duplicates", "scan", "--json"]));
    assert!(
        scan["remembered_not_a_match"].as_u64().unwrap() >= 1,
        "{scan}"
    );
    homeward(&s.reg)
        .args(["admin", "rebuild"])
        .assert()
        .success();
    assert!(pair_named(&queue(&s.reg), "Samira Bouazzaoui", "Sameera Bu Azawi").is_none());
}

#[test]
fn users_see_only_their_pairs_and_coordinators_none() {
    let s = setup();
    import_second(&s);
    let be = json(as_user(&s, "consul.be").args(["duplicates", "list", "--json"]));
    assert!(be["total"].as_u64().unwrap() >= 1, "{be}");
    for item in be["items"].as_array().unwrap() {
        for side in ["a", "b"] {
            assert!(item[side]["nationalities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["country"] == "BE"));
        }
    }
    let fr = json(as_user(&s, "consul.fr").args(["duplicates", "list", "--json"]));
    let total = fr["total"].as_u64().unwrap();
    assert_eq!(total as usize, fr["items"].as_array().unwrap().len());
    let be_pair = be["items"][0]["candidate_id"].as_str().unwrap().to_string();
    as_user(&s, "consul.fr")
        .args(["duplicates", "show", &be_pair])
        .assert()
        .code(1)
        .stderr(contains(
            "no such candidate or merge that consul.fr may see",
        ));
    as_user(&s, "consul.fr")
        .args(["duplicates", "decide", &be_pair, "match"])
        .assert()
        .code(1);
    as_user(&s, "counter")
        .args(["duplicates", "list"])
        .assert()
        .code(1)
        .stderr(contains("may not review duplicate records"));
    // A user gives whole ids: a prefix would search outside the user's scope.
    as_user(&s, "tracer")
        .args(["duplicates", "show", &be_pair[..8]])
        .assert()
        .code(1)
        .stderr(contains("whole id"));
    as_user(&s, "tracer")
        .args([
            "duplicates",
            "decide",
            &be_pair,
            "unsure",
            "--note",
            "ask the camp",
        ])
        .assert()
        .success();
    let audit = json(homeward(&s.reg).args(["audit", "log", "--limit", "5", "--json"]));
    assert!(audit.to_string().contains("duplicates.decide"), "{audit}");
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let s = setup();
    import_second(&s);
    let q = queue(&s.reg);
    let id = q["items"][0]["candidate_id"].as_str().unwrap().to_string();
    homeward(&s.reg)
        .args(["duplicates", "decide", &id, "perhaps"])
        .assert()
        .code(1)
        .stderr(contains("use match, not-a-match or unsure"));
    homeward(&s.reg)
        .args(["duplicates", "show", "zzzz"])
        .assert()
        .code(1)
        .stderr(contains("no candidate has an id starting with"));
    homeward(&s.reg)
        .args(["duplicates", "undo", "0000"])
        .assert()
        .code(1);
    homeward(&s.reg)
        .args(["duplicates", "scan", "--min-probability", "1.5"])
        .assert()
        .code(1)
        .stderr(contains("--min-probability"));
    assert_eq!(queue(&s.reg)["total"], q["total"]);
}
