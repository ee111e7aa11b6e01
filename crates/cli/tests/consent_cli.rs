//! Interviews, consent, counts over time and exports end to end through the real binary:
//! a consent decision reaches every output at once (a person read, search, counts, the
//! consul's and the researcher's exports), spreadsheets escape formulas, HXL carries its
//! hashtag row, and bad input — an unknown purpose, revoking what was never granted, a
//! hostile attachment path — is refused with a clear message and nothing written.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PASS: &str = "consent test passphrase";
const FORM: &str = "form-hash:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

struct Reg {
    dir: tempfile::TempDir,
    path: PathBuf,
    pw: PathBuf,
    mother: String,
    child: String,
    hostile: String,
}

impl Reg {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("homeward").unwrap();
        c.env("HOMEWARD_PASSPHRASE", PASS)
            .env_remove("HOMEWARD_REGISTRY")
            .current_dir(self.dir.path())
            .arg("--registry")
            .arg(&self.path)
            .args(args);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// `homeward as USER ...`
    fn as_user(&self, user: &str, args: &[&str]) -> Command {
        let pw = self.pw.to_string_lossy().to_string();
        let mut all = vec!["as", user, "--password-file", pw.as_str()];
        all.extend_from_slice(args);
        self.cmd(&all)
    }

    fn as_ok(&self, user: &str, args: &[&str]) -> String {
        let out = self.as_user(user, args).output().unwrap();
        assert!(
            out.status.success(),
            "{user} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn add_person(&self, args: &[&str]) -> String {
        let mut all = vec!["person", "add"];
        all.extend_from_slice(args);
        all.push("--json");
        self.json(&all)["person_id"].as_str().unwrap().to_string()
    }

    /// The file `name` in the registry's folder.
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap()
    }
}

/// Roj with a Belgian mother and her son, a hostile name, and five more Belgian women.
fn registry() -> Reg {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reg.db");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "a long synthetic password\n").unwrap();
    let mut r = Reg {
        dir,
        path,
        pw,
        mother: String::new(),
        child: String::new(),
        hostile: String::new(),
    };
    r.ok(&["init"]);
    r.ok(&["place", "add", "Roj", "--kind", "camp"]);
    r.mother = r.add_person(&[
        "--name",
        "Yasmina Oukili",
        "--sex",
        "female",
        "--birth",
        "1994",
        "--nationality",
        "BE",
    ]);
    r.child = r.add_person(&[
        "--name",
        "Adam Oukili",
        "--sex",
        "male",
        "--birth",
        "2015",
        "--mother",
        &r.mother,
    ]);
    r.hostile = r.add_person(&[
        "--name",
        "=HYPERLINK(\"http://x.invalid\",\"y\")",
        "--sex",
        "female",
        "--birth",
        "1990",
        "--nationality",
        "BE",
    ]);
    let mut everyone = vec![r.mother.clone(), r.child.clone(), r.hostile.clone()];
    for n in 0..5 {
        everyone.push(r.add_person(&[
            "--name",
            &format!("Leila Vermeer{n}"),
            "--sex",
            "female",
            "--birth",
            "1991",
            "--nationality",
            "BE",
        ]));
    }
    let claims: Vec<String> = everyone
        .iter()
        .map(|p| format!("seen_at:{p}:Roj"))
        .collect();
    let mut args = vec![
        "report",
        "add",
        "--channel",
        "official_list",
        "--grade",
        "A1",
        "--content",
        "Roj list",
        "--received-at",
        "2019-10-02",
        "--observed-at",
        "2019-10-02",
    ];
    for c in &claims {
        args.extend(["--claim", c.as_str()]);
    }
    r.ok(&args);
    let pw = r.pw.to_string_lossy().to_string();
    for (name, role, extra) in [
        ("case.worker", "caseworker", vec![]),
        ("consul.be", "consular", vec!["--nationality", "BE"]),
        ("researcher", "researcher", vec![]),
        ("coordinator", "coordinator", vec![]),
    ] {
        let mut a = vec![
            "user",
            "add",
            name,
            "--role",
            role,
            "--password-file",
            pw.as_str(),
        ];
        a.extend(extra);
        r.ok(&a);
    }
    r
}

/// `interview add` about `person` in `language`, with `extra` arguments.
fn interview_args<'a>(person: &'a str, language: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "interview",
        "add",
        "--person",
        person,
        "--interviewer",
        "R. Field",
        "--language",
        language,
    ];
    args.extend_from_slice(extra);
    args
}

fn lines(text: &str) -> usize {
    text.lines().count()
}

#[test]
fn a_refusal_reaches_the_consuls_reads_search_counts_and_exports_at_once() {
    let r = registry();
    let total = |r: &Reg| -> Value {
        serde_json::from_str::<Value>(&r.as_ok("consul.be", &["stats"])).unwrap()["total"].clone()
    };
    assert_eq!(total(&r), 8);
    r.as_ok("consul.be", &["show", &r.child]);
    r.as_ok(
        "case.worker",
        &[
            "consent",
            "refuse",
            &r.mother,
            "sharing:BE",
            "--evidence",
            FORM,
            "--at",
            "2019-10-05",
        ],
    );
    r.as_user("consul.be", &["show", &r.mother])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no person with that id"));
    r.as_user("consul.be", &["show", &r.child]).assert().code(1);
    let hits: Value =
        serde_json::from_str(&r.as_ok("consul.be", &["search", "Yasmina Oukili"])).unwrap();
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["person_id"] != r.mother.as_str()));
    assert_eq!(total(&r), 6);
    // Consuls export only what was granted to their government.
    r.as_ok(
        "consul.be",
        &["export", "--format", "jsonl", "--out", "consul.jsonl"],
    );
    assert_eq!(lines(&r.read("consul.jsonl")), 0);
    let v = r.ok(&[
        "consent",
        "grant",
        &r.hostile[..8],
        "sharing:BE",
        "--evidence",
        FORM,
        "--at",
        "2019-10-05",
    ]);
    assert!(v.contains("granted"));
    r.as_ok(
        "consul.be",
        &["export", "--format", "jsonl", "--out", "consul.jsonl"],
    );
    assert_eq!(lines(&r.read("consul.jsonl")), 1);
    r.ok(&[
        "consent",
        "revoke",
        &r.hostile[..8],
        "sharing:BE",
        "--evidence",
        FORM,
        "--at",
        "2019-10-09",
    ]);
    r.as_ok(
        "consul.be",
        &["export", "--format", "jsonl", "--out", "consul.jsonl"],
    );
    assert_eq!(lines(&r.read("consul.jsonl")), 0);
    // The operator's audit shows who took a copy of whom.
    let audit = r.ok(&["audit", "person", &r.hostile, "--json"]);
    assert!(audit.contains("person.exported") && audit.contains("consul.be"));
    // Consuls record no consent.
    r.as_user(
        "consul.be",
        &[
            "consent",
            "grant",
            &r.mother,
            "sharing:BE",
            "--evidence",
            FORM,
        ],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("may not record consent"));
}

#[test]
fn research_consent_and_its_revocation_reach_the_researchers_extract_and_counts() {
    let r = registry();
    let extract = |r: &Reg| {
        r.as_ok(
            "researcher",
            &["export", "--format", "csv", "--out", "extract.csv"],
        );
        r.read("extract.csv")
    };
    assert_eq!(lines(&extract(&r)), 1, "header only");
    for p in [&r.mother, &r.hostile] {
        r.as_ok(
            "case.worker",
            &[
                "consent",
                "grant",
                p,
                "research",
                "--evidence",
                FORM,
                "--at",
                "2019-10-05",
            ],
        );
    }
    let csv = extract(&r);
    assert_eq!(lines(&csv), 3);
    assert!(csv.lines().skip(1).all(|l| l.starts_with("anon-")));
    assert!(!csv.contains("Oukili") && !csv.contains(&r.mother));
    r.as_ok(
        "case.worker",
        &[
            "consent",
            "revoke",
            &r.mother,
            "research",
            "--evidence",
            FORM,
            "--at",
            "2019-10-20",
        ],
    );
    assert_eq!(lines(&extract(&r)), 2);
    // Counts over time: two known before the revocation, one after; withheld as small.
    let series: Value = serde_json::from_str(&r.as_ok(
        "researcher",
        &[
            "stats",
            "--from",
            "2019-10-19",
            "--to",
            "2019-10-21",
            "--by",
            "camp",
        ],
    ))
    .unwrap();
    assert_eq!(series["threshold"], 5);
    assert!(series["periods"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["total"].is_null()));
    let shown = r.json(&["consent", "show", &r.mother[..8], "--json"]);
    let research = shown["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"] == "research")
        .unwrap()
        .clone();
    assert_eq!(research["state"], "revoked");
    assert_eq!(shown["history"].as_array().unwrap().len(), 2);
    assert_eq!(shown["history"][0]["recorded_by"], "case.worker");
}

#[test]
fn exports_escape_formulas_carry_hxl_tags_and_counts_are_suppressed() {
    let r = registry();
    let summary = r.json(&["export", "--format", "csv", "--out", "all.csv", "--json"]);
    assert_eq!(summary["persons"], 8);
    let csv = r.read("all.csv");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"y\"\")\""),
        "{csv}"
    );
    assert!(!csv.lines().any(|l| l.starts_with('=') || l.contains(",=")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(r.file("all.csv"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read an export");
    }
    r.as_ok(
        "coordinator",
        &[
            "export",
            "--format",
            "hxl",
            "--out",
            "counts.csv",
            "--by",
            "camp,sex",
        ],
    );
    let hxl = r.read("counts.csv");
    let rows: Vec<&str> = hxl.lines().collect();
    assert_eq!(rows[0], "camp,female,male,unknown");
    assert_eq!(
        rows[1],
        "#loc +name,#affected +f,#affected +m,#affected +x_sex_unknown"
    );
    // Seven women shown; the one boy withheld, and with him the women (8 - 7 = 1).
    assert_eq!(rows[2], "Roj,,,0");
    r.as_user(
        "coordinator",
        &[
            "export",
            "--format",
            "csv",
            "--out",
            "persons.csv",
            "--scope",
            "persons",
        ],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("may not export person records"));
    assert!(!r.file("persons.csv").exists());
    // A counts series, one row per day.
    r.ok(&[
        "export",
        "--format",
        "hxl",
        "--out",
        "series.csv",
        "--by",
        "camp",
        "--from",
        "2019-10-01",
        "--to",
        "2019-10-03",
    ]);
    let series = r.read("series.csv");
    assert!(series.starts_with("as_of,camp,persons\n#date +x_as_of,#loc +name,#affected\n"));
    assert!(series.contains("2019-10-03,Roj,8"), "{series}");
}

#[test]
fn bad_input_is_refused_clearly_and_writes_nothing() {
    let r = registry();
    r.cmd(&[
        "consent",
        "grant",
        &r.mother,
        "marketing",
        "--evidence",
        FORM,
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("not a consent purpose"));
    r.cmd(&[
        "consent",
        "revoke",
        &r.mother,
        "research",
        "--evidence",
        FORM,
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("no consent to research to revoke"));
    r.cmd(&["consent", "grant", &r.child, "research", "--evidence", FORM])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("parent or guardian"));
    r.ok(&[
        "consent",
        "grant",
        &r.child,
        "research",
        "--evidence",
        FORM,
        "--guardian",
        &r.mother,
    ]);
    r.cmd(&[
        "consent",
        "grant",
        &r.mother,
        "research",
        "--evidence",
        "photo:x",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("not a kind of evidence"));
    for hostile in ["/dev/zero", "/", "no-such-file.ogg"] {
        r.cmd(&interview_args(&r.mother, "ar", &["--attach", hostile]))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(hostile));
    }
    #[cfg(unix)]
    {
        let fifo = r.file("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let fifo = fifo.to_string_lossy().to_string();
            r.cmd(&interview_args(&r.mother, "ar", &["--attach", &fifo]))
                .timeout(std::time::Duration::from_secs(20))
                .assert()
                .code(1)
                .stderr(predicate::str::contains("not a regular file"));
        }
    }
    r.cmd(&interview_args(&r.mother, "Arabic", &[]))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("BCP 47"));
    let listed = r.json(&["interview", "list", &r.mother, "--json"]);
    assert_eq!(listed, Value::Array(vec![]), "nothing was recorded");
    let mother = r.json(&["consent", "show", &r.mother, "--json"]);
    assert_eq!(
        mother["history"],
        Value::Array(vec![]),
        "no decision was recorded"
    );
    r.cmd(&["export", "--format", "xlsx", "--out", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not an export format"));
    r.cmd(&["stats", "--from", "2019-10-05", "--to", "2019-10-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("before it starts"));
}

#[test]
fn an_interview_is_recorded_with_files_by_hash_and_a_sealed_transcript() {
    let r = registry();
    let transcript = r.file("t.txt");
    std::fs::write(
        &transcript,
        "Synthetic transcript: she asks to be tried at home.",
    )
    .unwrap();
    let photo = r.file("form.jpg");
    std::fs::write(
        &photo,
        [0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F'],
    )
    .unwrap();
    let t = transcript.to_string_lossy().to_string();
    let p = photo.to_string_lossy().to_string();
    let made = r.as_ok(
        "case.worker",
        &[
            "interview",
            "add",
            "--person",
            &r.mother,
            "--person",
            &r.child,
            "--interviewer",
            "R. Field",
            "--language",
            "fr-BE",
            "--interpreter",
            "NGO interpreter",
            "--transcript-file",
            &t,
            "--attach",
            &p,
            "--place",
            "Roj",
            "--at",
            "2019-10-04T10:30",
            "--json",
        ],
    );
    let id = serde_json::from_str::<Value>(&made).unwrap()["interview_id"]
        .as_str()
        .unwrap()
        .to_string();
    let seen: Value =
        serde_json::from_str(&r.as_ok("case.worker", &["interview", "list", &r.mother, "--json"]))
            .unwrap();
    assert_eq!(seen[0]["interview_id"], id.as_str());
    assert_eq!(seen[0]["language"], "fr-BE");
    assert_eq!(
        seen[0]["transcript"]["value"],
        "Synthetic transcript: she asks to be tried at home."
    );
    let file = &seen[0]["attachments"][0];
    assert_eq!(file["media_type"], "image/jpeg");
    assert_eq!(file["size"], 10);
    assert_eq!(
        file["blake3"],
        blake3::hash(&std::fs::read(&photo).unwrap())
            .to_hex()
            .as_str()
    );
    let consul: Value =
        serde_json::from_str(&r.as_ok("consul.be", &["interview", "list", &r.mother, "--json"]))
            .unwrap();
    assert_eq!(consul[0]["transcript"]["sealed"], true);
    assert!(consul[0]["transcript"].get("value").is_none());
    // The operator's person show and timeline list it, and consent given in it.
    r.ok(&[
        "consent",
        "grant",
        &r.mother,
        "publication",
        "--evidence",
        &format!("interview:{}", &id[..8]),
    ]);
    let shown = r.json(&["person", "show", &r.mother, "--json"]);
    assert_eq!(shown["interviews"][0]["interview_id"], id.as_str());
    assert_eq!(shown["interviews"][0]["transcript"], "sealed");
    assert_eq!(shown["consent"]["current"]["publication"], "granted");
    let timeline = r.ok(&["timeline", &r.mother]);
    assert!(
        timeline.contains("interview in fr-BE")
            && timeline.contains("consent to publication: granted")
    );
    assert!(Path::new(&photo).exists(), "the file stays where it is");
}
