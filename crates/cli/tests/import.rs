//! `homeward import` end to end through the binary: good lists go in as one report with
//! families kept together; bad rows stop the import or are quarantined whole; nothing is
//! written on a dry run or a refusal; the same file is not imported twice by accident.

use assert_cmd::Command;
use predicates::str::contains;
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

struct Setup {
    dir: tempfile::TempDir,
    reg: PathBuf,
    mapping: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("reg.db");
    homeward(&reg).arg("init").assert().success();
    homeward(&reg)
        .args(["place", "add", "Roj", "--kind", "camp"])
        .assert()
        .success();
    let mapping = dir.path().join("list.toml");
    std::fs::write(
        &mapping,
        r#"
[list]
title = "Synthetic Roj list"
grade = "B2"
source = "synthetic section office"
received = "2019-10-14"
place = "Roj"

[columns]
row_id = "No"
names = ["Name", "الاسم"]
sex = "Sex"
age = "Age"
nationalities = "Nationality"
household = "Family"
relation = "Relation"
"#,
    )
    .unwrap();
    Setup { dir, reg, mapping }
}

const HEADER: &str = "No,Name,الاسم,Sex,Age,Nationality,Family,Relation\n";
const GOOD: &str = "1,Samira Bouazzaoui,سميرة بوعزاوي,F,28,Belgian,F1,wife\n\
                    2,Adam Bouazzaoui,آدم,M,4,BE,F1,son\n\
                    3,Khadija Benali,خديجة بن علي,F,31,MA;FR,F2,head\n";
const BAD: &str = "4,,,F,30,BE,F3,wife\n\
                   5,Yusra Haddad,,X,300,Atlantis,F3,daughter\n";

fn list(s: &Setup, name: &str, body: &str) -> PathBuf {
    let p = s.dir.path().join(name);
    std::fs::write(&p, format!("{HEADER}{body}")).unwrap();
    p
}

/// `homeward import FILE --mapping MAPPING`, ready for more arguments.
fn import(reg: &Path, file: &Path, mapping: &Path) -> Command {
    let mut cmd = homeward(reg);
    cmd.arg("import").arg(file).arg("--mapping").arg(mapping);
    cmd
}

fn persons(reg: &Path) -> Vec<serde_json::Value> {
    let out = homeward(reg)
        .args(["person", "list", "--json", "--limit", "100"])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_good_list_goes_in_as_one_report_with_families() {
    let s = setup();
    let file = list(&s, "good.csv", GOOD);
    let summary = json(import(&s.reg, &file, &s.mapping).arg("--json"));
    assert_eq!(summary["imported"], 3);
    let all = persons(&s.reg);
    assert_eq!(all.len(), 3);
    let adam = all
        .iter()
        .find(|p| p["names"].to_string().contains("Adam"))
        .unwrap();
    assert_eq!(adam["camp"], "Roj");
    let shown = json(homeward(&s.reg).args([
        "person",
        "show",
        adam["person_id"].as_str().unwrap(),
        "--json",
    ]));
    let relatives = shown["relatives"].to_string();
    assert!(
        relatives.contains("Samira") || relatives.contains("سميرة"),
        "{relatives}"
    );
    assert!(shown["nationalities"].to_string().contains("BE"));
    let timeline =
        json(homeward(&s.reg).args(["timeline", adam["person_id"].as_str().unwrap(), "--json"]));
    assert_eq!(timeline[0]["channel"], "official_list");
    assert_eq!(timeline[0]["source"], "sealed");

    // The same file again is refused, and changes nothing.
    import(&s.reg, &file, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("was imported before"));
    assert_eq!(persons(&s.reg).len(), 3);
    homeward(&s.reg)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn bad_rows_stop_the_import_and_nothing_is_written() {
    let s = setup();
    let file = list(&s, "mixed.csv", &format!("{GOOD}{BAD}"));
    import(&s.reg, &file, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("2 rows of"))
        .stderr(contains("nothing was imported"))
        .stderr(contains("line 5 (row 4): no name"))
        .stderr(contains("column 'Sex': sex 'X'"))
        .stderr(contains("column 'Nationality': nationality 'Atlantis'"))
        .stderr(contains("--quarantine"));
    assert!(persons(&s.reg).is_empty());
}

#[test]
fn a_dry_run_writes_nothing_and_quarantine_keeps_bad_rows_whole() {
    let s = setup();
    let file = list(&s, "mixed.csv", &format!("{GOOD}{BAD}"));
    let q = s.dir.path().join("bad.csv");
    let summary = json(
        import(&s.reg, &file, &s.mapping)
            .arg("--dry-run")
            .arg("--quarantine")
            .arg(&q)
            .arg("--json"),
    );
    assert_eq!(summary["would_import"], 3);
    assert_eq!(summary["imported"], 0);
    assert_eq!(summary["quarantined"], 2);
    assert!(persons(&s.reg).is_empty(), "a dry run writes nothing");

    let mut r = csv::Reader::from_path(&q).unwrap();
    assert_eq!(r.headers().unwrap().iter().next_back(), Some("problem"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][1], "Yusra Haddad", "the row is kept whole");
    assert!(rows[1][8].contains("age '300'"));

    let summary = json(
        import(&s.reg, &file, &s.mapping)
            .arg("--quarantine")
            .arg(&q)
            .arg("--json"),
    );
    assert_eq!(summary["imported"], 3);
    assert_eq!(persons(&s.reg).len(), 3);
}

#[test]
fn hostile_files_get_clear_errors() {
    let s = setup();
    let dup = s.dir.path().join("dup.csv");
    std::fs::write(&dup, "Name,Name\nA,B\n").unwrap();
    import(&s.reg, &dup, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("two columns named 'Name'"));

    let latin1 = s.dir.path().join("latin1.csv");
    std::fs::write(&latin1, b"No,Name\n1,Zo\xe9\n").unwrap();
    import(&s.reg, &latin1, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("UTF-8"));

    let missing = s.dir.path().join("missing.csv");
    std::fs::write(&missing, "No,Full name\n1,Aisha Ahmed\n").unwrap();
    import(&s.reg, &missing, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("column 'Name' is not in the file"));

    let bad_mapping = s.dir.path().join("bad.toml");
    std::fs::write(&bad_mapping, "[list]\ntitle = \"x\"\ngrade = \"B2\"\n[columns]\nnames = [\"Name\"]\nfavourite_colour = \"x\"\n").unwrap();
    import(&s.reg, &missing, &bad_mapping)
        .assert()
        .code(1)
        .stderr(contains("favourite_colour"));

    let not_xlsx = s.dir.path().join("list.xlsx");
    std::fs::write(&not_xlsx, b"PK\x03\x04 this is not a spreadsheet").unwrap();
    import(&s.reg, &not_xlsx, &s.mapping)
        .assert()
        .code(1)
        .stderr(contains("not a readable spreadsheet"));
    assert!(persons(&s.reg).is_empty());
}

#[test]
fn a_spreadsheet_is_read_like_a_csv() {
    let s = setup();
    let path = s.dir.path().join("list.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let text = format!("{HEADER}{GOOD}");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if r > 0 && c == 4 => sheet.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => sheet.write_string(r as u32, c as u16, *cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save(&path).unwrap();
    let summary = json(import(&s.reg, &path, &s.mapping).arg("--json"));
    assert_eq!(summary["imported"], 3);
    let all = persons(&s.reg);
    assert!(all
        .iter()
        .any(|p| p["names"].to_string().contains("سميرة بوعزاوي")));
}
