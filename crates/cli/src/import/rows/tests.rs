use super::*;
use crate::import::mapping::Mapping;
use crate::import::sheet::{Row, Sheet};

const MAPPING: &str = r#"
[list]
title = "Synthetic camp list"
grade = "B2"
place = "Roj"

[columns]
row_id = "No"
names = ["Name", "الاسم"]
sex = "Sex"
birth = "DOB"
age = "Age"
nationalities = "Nationality"
place = "Camp"
household = "Family"
relation = "Relation"

[values.sex]
"W" = "female"
"#;

fn mapping() -> Mapping {
    toml::from_str(MAPPING).unwrap()
}

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        headers: [
            "No",
            "Name",
            "الاسم",
            "Sex",
            "DOB",
            "Age",
            "Nationality",
            "Camp",
            "Family",
            "Relation",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                line: i as u64 + 2,
                cells: r.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
    }
}

fn roj() -> PlaceId {
    PlaceId::from_u128(7)
}

fn read(rows: &[&[&str]]) -> Vec<Result<Entry, Vec<Problem>>> {
    let m = mapping();
    let s = sheet(rows);
    let layout = Layout::new(&m, &s).unwrap();
    let place = |name: &str| {
        if name.eq_ignore_ascii_case("roj") {
            Ok(roj())
        } else {
            Err(format!("no place named '{name}'"))
        }
    };
    let reader = Reader {
        mapping: &m,
        layout: &layout,
        observed_on: NaiveDate::from_ymd_opt(2019, 10, 14).unwrap(),
        place: &place,
    };
    s.rows.iter().map(|r| reader.read(r)).collect()
}

#[test]
fn a_good_row_is_read_into_facts() {
    let out = read(&[&[
        "1",
        "Samira Bouazzaoui",
        "سميرة بوعزاوي",
        "W",
        "1991-03",
        "",
        "Belgian; MA:disputed",
        "",
        "F1",
        "wife",
    ]]);
    let e = out[0].as_ref().unwrap();
    assert_eq!(e.names.len(), 2);
    assert_eq!(e.sex, Sex::Female);
    assert_eq!(
        e.birth,
        Some(Birth::Month {
            year: 1991,
            month: 3
        })
    );
    let codes: Vec<(&str, NationalityStatus)> = e
        .nationalities
        .iter()
        .map(|n| (n.country.as_str(), n.status))
        .collect();
    assert_eq!(
        codes,
        [
            ("BE", NationalityStatus::Claimed),
            ("MA", NationalityStatus::Disputed)
        ]
    );
    assert_eq!(
        e.place,
        Some(roj()),
        "the list's place when the row has none"
    );
    assert_eq!(e.relation, Relation::Mother);
    assert_eq!(e.household.as_deref(), Some("F1"));
}

#[test]
fn an_age_is_a_stated_age_on_the_day_the_list_was_true() {
    let out = read(&[&["2", "Adam", "", "m", "", "4", "", "roj", "F1", "son"]]);
    let e = out[0].as_ref().unwrap();
    assert_eq!(
        e.birth,
        Some(Birth::StatedAge {
            age: 4,
            stated_on: NaiveDate::from_ymd_opt(2019, 10, 14).unwrap()
        })
    );
    assert_eq!(e.relation, Relation::Child);
}

#[test]
fn every_problem_of_a_row_is_named_with_its_column() {
    let out = read(&[&[
        "3",
        "",
        "",
        "X",
        "1991-13-45",
        "two hundred",
        "Atlantean",
        "Nowhere",
        "",
        "",
    ]]);
    let problems = out[0].as_ref().unwrap_err();
    let columns: Vec<Option<&str>> = problems.iter().map(|p| p.column.as_deref()).collect();
    for expected in [
        None,
        Some("Sex"),
        Some("DOB"),
        Some("Age"),
        Some("Nationality"),
        Some("Camp"),
    ] {
        assert!(
            columns.contains(&expected),
            "no problem for {expected:?} in {problems:?}"
        );
    }
    assert!(problems
        .iter()
        .all(|p| p.line == 2 && p.row_id.as_deref() == Some("3")));
    let text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("line 2 (row 3), column 'Sex': sex 'X'"),
        "{text}"
    );
}

#[test]
fn hostile_cells_are_refused() {
    let long = "a".repeat(MAX_CELL_CHARS + 1);
    let out = read(&[
        &[
            "4",
            "=HYPERLINK(\"http://x\")",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &["5", "Aisha\u{0}Ahmed", "", "", "", "", "", "", "", ""],
        &["6", &long, "", "", "", "", "", "", "", ""],
    ]);
    let texts: Vec<String> = out
        .iter()
        .map(|r| {
            r.as_ref()
                .unwrap_err()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert!(texts[0].contains("spreadsheet formula"), "{}", texts[0]);
    assert!(
        texts[1].contains("control character (U+0000)"),
        "{}",
        texts[1]
    );
    assert!(texts[2].contains("no cell may be longer"), "{}", texts[2]);
}

#[test]
fn a_short_row_reads_missing_cells_as_empty() {
    let out = read(&[&["7", "Fatima Ahmed"]]);
    let e = out[0].as_ref().unwrap();
    assert_eq!(e.sex, Sex::Unknown);
    assert_eq!(e.place, Some(roj()));
}
