//! `homeward link` end to end, through the real binary: results on small synthetic
//! files, and clear errors (file, line, column) for bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
}

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("homeward-link-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).expect("write test file");
    p
}

const MODEL: &str = r#"
unique_id = "id"
blocking = ["surname", "dob"]
[decision]
threshold = 0.5
[training]
u_sample_pairs = 2000
[[comparison]]
name = "given"
column = "given"
levels = [{ kind = "exact" }, { kind = "jaro_winkler", threshold = 0.88 }]
[[comparison]]
name = "surname"
column = "surname"
levels = [{ kind = "exact" }, { kind = "jaro_winkler", threshold = 0.88 }]
[[comparison]]
name = "dob"
column = "dob"
levels = [{ kind = "date_exact" }, { kind = "date_compatible" }]
"#;

/// Synthetic people, each written twice with small differences, plus singletons.
fn people_csv() -> String {
    let given = [
        "anna", "boris", "clara", "dmitri", "elin", "farid", "greta", "hamid", "ines", "jonas",
    ];
    let family = [
        "alder", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hazel", "ivy", "juniper",
    ];
    let mut s = String::from("id,given,surname,dob\n");
    for (i, (g, f)) in given.iter().zip(family.iter()).enumerate() {
        let dob = format!("19{:02}-0{}-1{}", 50 + i, 1 + i % 9, i % 10);
        s.push_str(&format!("a{i},{g},{f},{dob}\n"));
        // A typo in the given name and a year-only birth.
        let typo: String = g
            .chars()
            .rev()
            .collect::<String>()
            .chars()
            .rev()
            .take(g.len() - 1)
            .collect();
        s.push_str(&format!("b{i},{typo},{f},{}\n", &dob[..4]));
    }
    for j in 0..30 {
        s.push_str(&format!("c{j},x{j}name,y{j}fam,{}\n", 1900 + j));
    }
    s
}

#[test]
fn dedupe_finds_the_pairs_and_writes_every_record() {
    let d = dir("dedupe");
    let model = write(&d, "m.toml", MODEL);
    let input = write(&d, "in.csv", &people_csv());
    let out = d.join("clusters.csv");
    let pairs = d.join("pairs.csv");
    let res = bin()
        .args(["link", "dedupe", "--input"])
        .arg(&input)
        .arg("--model")
        .arg(&model)
        .arg("--output")
        .arg(&out)
        .arg("--pairs")
        .arg(&pairs)
        .output()
        .expect("run homeward");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("weight"),
        "the summary explains the model: {stderr}"
    );
    let text = std::fs::read_to_string(&out).expect("clusters written");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,cluster_id");
    assert_eq!(lines.len(), 1 + 50, "every record has a cluster");
    let cluster = |id: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{id},")))
            .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
            .expect("id present")
    };
    for i in 0..10 {
        assert_eq!(
            cluster(&format!("a{i}")),
            cluster(&format!("b{i}")),
            "pair {i}"
        );
    }
    assert_ne!(cluster("a0"), cluster("a1"));
    let pairs_text = std::fs::read_to_string(&pairs).expect("pairs written");
    assert!(pairs_text.starts_with("left_id,right_id,match_probability"));
    assert!(
        pairs_text.contains("given: "),
        "pairs are explained per comparison"
    );
}

#[test]
fn between_writes_left_right_probability() {
    let d = dir("between");
    let model = write(&d, "m.toml", MODEL);
    let all = people_csv();
    let mut left = String::from("id,given,surname,dob\n");
    let mut right = left.clone();
    for l in all.lines().skip(1) {
        if l.starts_with('b') {
            right.push_str(l);
            right.push('\n');
        } else {
            left.push_str(l);
            left.push('\n');
        }
    }
    let (l, r) = (write(&d, "l.csv", &left), write(&d, "r.csv", &right));
    let out = d.join("pairs.csv");
    let res = bin()
        .args(["link", "between", "--left"])
        .arg(&l)
        .arg("--right")
        .arg(&r)
        .arg("--model")
        .arg(&model)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run homeward");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("pairs written");
    assert!(text.starts_with("left_id,right_id,match_probability\n"));
    for i in 0..10 {
        assert!(
            text.contains(&format!("a{i},b{i},")),
            "a{i}-b{i} linked:\n{text}"
        );
    }
}

fn run_expect_error(args: &[&std::ffi::OsStr]) -> String {
    let res = bin().args(args).output().expect("run homeward");
    assert_eq!(res.status.code(), Some(1), "exit code 1 on an input error");
    String::from_utf8_lossy(&res.stderr).to_string()
}

#[test]
fn a_bad_model_file_names_the_file_and_the_problem() {
    let d = dir("badmodel");
    let model = write(
        &d,
        "broken.toml",
        &MODEL.replace("jaro_winkler", "jaro_wrinkler"),
    );
    let input = write(&d, "in.csv", &people_csv());
    let out = d.join("c.csv");
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(err.contains("broken.toml"), "{err}");
    assert!(err.contains("jaro_wrinkler"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_malformed_row_names_file_line_and_column_and_nothing_is_written() {
    let d = dir("badrow");
    let model = write(&d, "m.toml", MODEL);
    let out = d.join("c.csv");
    // A row with a missing field.
    let mut text = people_csv();
    text.push_str("z1,zed,zulu\n");
    let input = write(&d, "short.csv", &text);
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        err.contains("short.csv") && err.contains("line 52"),
        "{err}"
    );
    assert!(!out.exists());
    // A value that is not a date, in the date column.
    let text = people_csv().replace(
        "a3,dmitri,dogwood,1953-04-13",
        "a3,dmitri,dogwood,next spring",
    );
    let input = write(&d, "baddate.csv", &text);
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(err.contains("baddate.csv"), "{err}");
    assert!(
        err.contains("line 8") && err.contains("\"dob\"") && err.contains("next spring"),
        "{err}"
    );
    assert!(!out.exists());
    // A missing column the model needs, and a repeated id.
    let input = write(&d, "nocol.csv", "id,given,dob\n1,anna,1950\n");
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        err.contains("nocol.csv") && err.contains("surname"),
        "{err}"
    );
    let input = write(
        &d,
        "dupid.csv",
        "id,given,surname,dob\n1,anna,alder,1950\n1,boris,birch,1951\n",
    );
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        err.contains("dupid.csv") && err.contains("line 3") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn person_preset_links_across_scripts_households_and_kunyas() {
    let d = dir("person");
    // Synthetic people. One family in an Arabic-script camp list and a Latin-script
    // government list; the mother under her married name in one and maiden name in the
    // other; a message that knows her only as the mother of Adam, Belgian.
    let csv = "\
id,source,full_name,given_name,family_name,sex,birth_date,nationalities,place,father_name,household
c1,camp,سميرة بوعزاوي,,,F,1990,,Roj,يوسف,h1
c2,camp,آدم الحسني,,,M,2014,,Roj,خالد,h1
c3,camp,مريم الحسني,,,F,2016,,Roj,خالد,h1
g1,gov,,Samira,Lindberg,F,1990-04-12,BE,,,f9
g2,gov,,Adam,El Hassani,M,2014-06-01,BE,,,f9
g3,gov,,Maryam,El Hassani,F,2016-02-03,BE,,,f9
g4,gov,,Hind,Saidi,F,1985-01-01,FR,,,f10
g5,gov,,Omar,Saidi,M,2012-01-01,FR,,,f10
m1,msg,Umm Adam al-Beljikiya,,,F,,,Roj,,
";
    let input = write(&d, "camp.csv", csv);
    let out = d.join("clusters.csv");
    let res = bin()
        .args(["link", "dedupe", "--preset", "person", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run homeward");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("clusters written");
    let cluster = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .and_then(|l| l.split(',').nth(1))
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(cluster("c2"), cluster("g2"), "Adam across scripts\n{text}");
    assert_eq!(
        cluster("c3"),
        cluster("g3"),
        "Maryam across scripts\n{text}"
    );
    assert_eq!(
        cluster("c1"),
        cluster("g1"),
        "the mother, through her household\n{text}"
    );
    assert_eq!(
        cluster("m1"),
        cluster("c1"),
        "Umm Adam, Belgian, is Adam's mother\n{text}"
    );
    assert_ne!(cluster("c2"), cluster("c3"), "siblings stay apart");
    assert_ne!(cluster("g4"), cluster("c1"));
}

#[test]
fn one_record_per_list_needs_its_column() {
    let d = dir("perlist");
    let with_rule = MODEL.replace(
        "[decision]\nthreshold = 0.5",
        "[decision]\nthreshold = 0.5\none_record_per = \"list\"",
    );
    assert!(with_rule.contains("one_record_per"));
    let model = write(&d, "m.toml", &with_rule);
    let input = write(&d, "in.csv", &people_csv());
    let out = d.join("c.csv");
    let err = run_expect_error(&[
        "link".as_ref(),
        "dedupe".as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(err.contains("in.csv") && err.contains("\"list\""), "{err}");
    assert!(!out.exists(), "nothing written");
    // With the column, the run goes through and every record gets a cluster.
    let with_list: String = people_csv()
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l},list\n"),
            _ => format!("{l},{}\n", if l.starts_with('a') { "A" } else { "B" }),
        })
        .collect();
    let input = write(&d, "listed.csv", &with_list);
    let res = bin()
        .args(["link", "dedupe", "--input"])
        .arg(&input)
        .arg("--model")
        .arg(&model)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run homeward");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("clusters written");
    assert_eq!(text.lines().count(), 1 + 50);
}
