//! Crisis operations end to end through the real binary: a status change opens ranked
//! tracing tasks, a report closes one with its claim, tasks can be worked on, the crisis
//! view counts and charts it.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::PathBuf;

const PASS: &str = "field laptop passphrase";

struct Registry {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Registry {
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

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.stdout(&args)).unwrap()
    }
}

fn camp<'a>(crisis: &'a Value, name: &str) -> &'a Value {
    crisis
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["camp"] == name)
        .unwrap_or_else(|| panic!("no camp {name} in {crisis}"))
}

fn roj_tracing(r: &Registry, all: bool) -> Vec<Value> {
    let mut args = vec!["tasks", "--camp", "Roj"];
    if all {
        args.push("--all");
    }
    r.json(&args)
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["crisis"].is_string())
        .cloned()
        .collect()
}

#[test]
fn the_demo_week_has_an_ain_issa_crisis_with_a_trend() {
    let r = Registry::demo();
    let crisis = r.json(&["crisis"]);
    let ain_issa = camp(&crisis, "Ain Issa");
    assert!(ain_issa["change"]
        .as_str()
        .unwrap()
        .starts_with("under_fire"));
    let trend = ain_issa["trend"].as_array().unwrap();
    assert!(trend.len() > 3, "{ain_issa}");
    // Before the shelling nobody is unaccounted for; afterwards people are on the move.
    assert_eq!(trend[0]["unaccounted_for"], 0);
    assert!(trend.last().unwrap()["on_the_move"].as_u64().unwrap() > 0);
    let total = ain_issa["total"].as_u64().unwrap();
    let parts: u64 = [
        "accounted_for",
        "unaccounted_for",
        "on_the_move",
        "in_custody",
        "unknown",
    ]
    .iter()
    .map(|k| ain_issa[*k].as_u64().unwrap())
    .sum();
    assert_eq!(parts, total);
    // Roj was never dispersed: counts, no trend.
    assert!(camp(&crisis, "Roj")["trend"].as_array().unwrap().is_empty());
}

#[test]
fn a_status_change_opens_ranked_tasks_and_a_report_closes_one() {
    let r = Registry::demo();
    assert!(roj_tracing(&r, true).is_empty());
    let out = r.stdout(&["place", "status", "Roj", "unguarded", "--at", "2019-11-30"]);
    assert!(out.contains("tracing tasks opened"), "{out}");
    assert!(out.contains("unaccounted for"), "{out}");
    let tasks = roj_tracing(&r, false);
    let unaccounted = camp(&r.json(&["crisis"]), "Roj")["unaccounted_for"]
        .as_u64()
        .unwrap();
    assert_eq!(tasks.len() as u64, unaccounted);
    assert!(tasks.len() > 5);
    // Ranked: priority descending, then the longest missing first.
    let keys: Vec<(u64, String)> = tasks
        .iter()
        .map(|t| {
            (
                t["priority"].as_u64().unwrap(),
                t["last_seen"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        keys.windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 <= w[1].1)),
        "{keys:?}"
    );
    assert!(
        tasks[0]["priority"].as_u64().unwrap()
            > tasks.last().unwrap()["priority"].as_u64().unwrap()
    );

    // Work on the first task, then a report placing its person closes it on its own.
    let task = tasks[0]["task_id"].as_str().unwrap().to_string();
    let person = tasks[0]["person_id"].as_str().unwrap().to_string();
    r.stdout(&["task", "assign", &task[..8], "Tracing team Roj"]);
    r.stdout(&["task", "note", &task[..8], "called the sister, no answer"]);
    r.stdout(&["task", "due", &task[..8], "2019-12-02"]);
    let mine = r.json(&["tasks", "--assignee", "tracing team roj"]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["due"], "2019-12-02 00:00");
    assert_eq!(mine[0]["notes"][0]["text"], "called the sister, no answer");

    let claim = format!("seen_at:{person}:Roj");
    r.stdout(&[
        "report",
        "add",
        "--channel",
        "text_message",
        "--grade",
        "B2",
        "--received-at",
        "2019-12-01",
        "--content",
        "seen at the Roj clinic",
        "--claim",
        &claim,
    ]);
    let shown = r.json(&["task", "show", &task]);
    assert_eq!(shown["state"], "closed", "{shown}");
    assert!(shown["closed_by_claim"].is_string());
    assert_eq!(roj_tracing(&r, false).len(), tasks.len() - 1);
    r.cmd(&["task", "close", &task, "--note", "again"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already closed"));
}

#[test]
fn bad_task_commands_say_what_is_wrong() {
    let r = Registry::demo();
    r.cmd(&["task", "note", "zzzz", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no task with id"));
    let task = r.json(&["tasks"])[0]["task_id"]
        .as_str()
        .unwrap()
        .to_string();
    r.cmd(&["task", "due", &task, "next week"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
    r.cmd(&["task", "assign", &task])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--none"));
    r.cmd(&["tasks", "--camp", "Atlantis"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no place named"));
}

#[test]
fn the_trend_is_written_as_a_self_contained_svg() {
    let r = Registry::demo();
    let file = r._dir.path().join("trend.svg");
    let out = r.stdout(&["crisis", "--svg", file.to_str().unwrap()]);
    assert!(out.contains("chart written"), "{out}");
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("Ain Issa: under_fire"));
    assert_eq!(svg.matches("<polyline").count(), 4);
    assert!(!svg.contains("href"), "no external assets");
}
