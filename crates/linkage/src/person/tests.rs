//! The preset end to end on small synthetic lists: pairs that must link, and pairs that
//! must not (sisters, a mother and her namesake daughter, two mothers with one kunya,
//! Aisha Ahmed and Fatima Ahmed).
//!
//! Each scenario is added to the same synthetic background population, so that the
//! value frequencies and the share of matches the model learns are those of lists, not of
//! a handful of records.

use rustc_hash::FxHashMap;

use super::{collective, model, prepare, COLUMNS};
use crate::engine::{Linker, Options, Silent, Task};
use crate::table::Table;

const WOMEN: &[&str] = &[
    "Salma", "Hanan", "Souad", "Nadia", "Mona", "Hind", "Wafa", "Rahma", "Yusra", "Layla", "Asma",
    "Nour",
];
const MEN: &[&str] = &[
    "Bilal", "Tariq", "Anas", "Ilyas", "Jaber", "Nabil", "Rachid", "Said", "Karim", "Musab",
];
const FAMILIES: &[&str] = &[
    "Haddad", "Tamimi", "Zayani", "Ansari", "Shammari", "Otaibi", "Ghamdi", "Dosari", "Kurdi",
    "Libi", "Masri", "Homsi", "Halabi", "Baghdadi", "Iraqi", "Sudani",
];
const PLACES: &[&str] = &["Roj", "Ain Issa", "Al-Hol"];
const NATIONS: &[&str] = &["DE", "NL", "SE", "GB", "RU", "TN"];

/// 80 families on a camp list and a government list, every value picked by arithmetic.
fn background() -> Vec<String> {
    let mut lines = Vec::new();
    for f in 0..80usize {
        let mother = WOMEN[f % WOMEN.len()];
        let maiden = FAMILIES[(f * 7) % FAMILIES.len()];
        let married = FAMILIES[(f * 5 + 3) % FAMILIES.len()];
        let (place, nation) = (PLACES[f % 3], NATIONS[(f / 3) % NATIONS.len()]);
        let born = 1975 + (f * 11) % 25;
        lines.push(format!(
            "bc{f}m,camp,{mother} {maiden},,,F,{born},,{place},{},bc{f}",
            MEN[f % 10]
        ));
        lines.push(format!(
            "bg{f}m,gov,,{mother},{maiden},F,{born}-0{}-1{},{nation},,,bg{f}",
            1 + f % 9,
            f % 10
        ));
        for c in 0..2usize {
            let (name, sex) = if (f + c) % 2 == 0 {
                (MEN[(f + 3 * c) % MEN.len()], "M")
            } else {
                (WOMEN[(f * 3 + c + 5) % WOMEN.len()], "F")
            };
            let year = 2008 + (f + 4 * c) % 11;
            let father = MEN[(f + 7) % MEN.len()];
            lines.push(format!(
                "bc{f}c{c},camp,{name} {married},,,{sex},{year},,{place},{father},bc{f}"
            ));
            lines.push(format!(
                "bg{f}c{c},gov,,{name},{married},{sex},{year}-0{}-2{},{nation},,,bg{f}",
                1 + (f + c) % 9,
                (f + c) % 8
            ));
        }
    }
    lines
}

/// Runs the preset over the background and `scenario`; the cluster of every id.
fn clusters(scenario: &[&str]) -> FxHashMap<String, u32> {
    let mut t = Table::new(COLUMNS.iter().map(|c| c.to_string()).collect());
    let lines: Vec<String> = background()
        .into_iter()
        .chain(scenario.iter().map(|s| s.to_string()))
        .collect();
    for line in &lines {
        let cells: Vec<&str> = line.split(',').collect();
        t.push(cells[0], &cells[1..]);
    }
    let t = prepare(&t).unwrap();
    let mut linker = Linker::train(&model(), Task::Dedupe(t), &Silent).unwrap();
    let scored = linker.score(
        &Options {
            keep_probability: 0.05,
        },
        &Silent,
    );
    let scored = collective(&linker, scored);
    let clusters = linker.cluster(&linker.decide(&scored));
    let t = linker.table();
    (0..t.len())
        .map(|input| (t.id(linker.position(input)).to_string(), clusters[input]))
        .collect()
}

#[test]
fn the_background_links_each_person_and_nobody_else() {
    let c = clusters(&[]);
    assert_eq!(c["bc0m"], c["bg0m"]);
    assert_eq!(c["bc7c1"], c["bg7c1"]);
    assert_ne!(c["bc0c0"], c["bc0c1"], "siblings");
    assert_ne!(c["bc0m"], c["bc12m"], "two Salmas of different families");
}

#[test]
fn a_married_name_mother_is_linked_through_her_children() {
    let c = clusters(&[
        // The government list has her maiden name, the NGO list her married name, which
        // is her children's; her given name is spelled differently.
        "g1,gov,,Samira,Bouazzaoui,F,1990-04-12,BE,,,f1",
        "g2,gov,,Youssef,Lindberg,M,2011-06-01,BE,,,f1",
        "g3,gov,,Maryam,Lindberg,F,2014-02-03,BE,,,f1",
        "n1,ngo,Sameera Lindbergh,,,F,1990-04,,Roj,,n1",
        "n2,ngo,Yusuf Lindbergh,,,M,2011,,Roj,,n1",
        "n3,ngo,Mariam Lindbergh,,,F,2014,,Roj,,n1",
    ]);
    assert_eq!(c["g2"], c["n2"]);
    assert_eq!(c["g3"], c["n3"]);
    assert_eq!(c["g1"], c["n1"], "the mother, maiden and married names");
    assert_ne!(c["g1"], c["g3"]);
}

#[test]
fn the_only_mother_of_a_family_is_linked_even_with_her_given_name_mistyped() {
    let c = clusters(&[
        "g1,gov,,Maryam,Bouazzaoui,F,1990-04-12,BE,,,f1",
        "g2,gov,,Youssef,Lindberg,M,2011-06-01,BE,,,f1",
        "g3,gov,,Amina,Lindberg,F,2014-02-03,BE,,,f1",
        "n1,ngo,Maiam Lindbergh,,,F,1990,,Roj,,n1",
        "n2,ngo,Yusuf Lindbergh,,,M,2011,,Roj,,n1",
        "n3,ngo,Aminah Lindbergh,,,F,2014,,Roj,,n1",
    ]);
    assert_eq!(
        c["g1"], c["n1"],
        "one woman of her age in the family, on both lists"
    );
    assert_ne!(c["n1"], c["n3"]);
}

#[test]
fn a_mistyped_name_is_not_guessed_between_two_women_of_one_age() {
    let c = clusters(&[
        "g1,gov,,Maryam,Bouazzaoui,F,1990-04-12,BE,,,f1",
        "g4,gov,,Hanan,Lindberg,F,1991-01-20,BE,,,f1",
        "g2,gov,,Youssef,Lindberg,M,2011-06-01,BE,,,f1",
        "g3,gov,,Amina,Lindberg,F,2014-02-03,BE,,,f1",
        "n1,ngo,Maiam Lindbergh,,,F,1990,,Roj,,n1",
        "n2,ngo,Yusuf Lindbergh,,,M,2011,,Roj,,n1",
        "n3,ngo,Aminah Lindbergh,,,F,2014,,Roj,,n1",
    ]);
    assert_eq!(c["g2"], c["n2"]);
    assert_ne!(c["g1"], c["n1"], "Maiam could be either woman");
    assert_ne!(c["g4"], c["n1"]);
}

#[test]
fn sisters_born_the_same_year_stay_apart() {
    let c = clusters(&[
        "c1,camp,هاجر الحربي,,,F,2014,,Roj,يوسف,x1",
        "c2,camp,مريم الحربي,,,F,2014,,Roj,يوسف,x1",
        "g1,gov,,Hajar,Al-Harbi,F,2014-03-01,DE,,,y1",
        "g2,gov,,Maryam,Al-Harbi,F,2014-03-01,DE,,,y1",
    ]);
    assert_eq!(c["c1"], c["g1"]);
    assert_eq!(c["c2"], c["g2"]);
    assert_ne!(c["c1"], c["c2"], "twins are two people");
    assert_ne!(c["g1"], c["g2"]);
}

#[test]
fn brothers_born_the_same_year_each_on_one_list_stay_apart() {
    let c = clusters(&[
        "c1,camp,سلمى العلوي,,,F,1990,,Roj,علي,x1",
        "c2,camp,زكريا العلوي,,,M,2017,,Roj,خالد,x1",
        "c3,camp,هند العلوي,,,F,2012,,Roj,خالد,x1",
        "g1,gov,,Salma,Alaoui,F,1990-02-02,SE,,,y1",
        "g2,gov,,Yahya,Alaoui,M,2017-04-04,SE,,,y1",
        "g3,gov,,Hind,Alaoui,F,2012-05-05,SE,,,y1",
    ]);
    assert_eq!(c["c1"], c["g1"]);
    assert_eq!(c["c3"], c["g3"]);
    assert_ne!(
        c["c2"], c["g2"],
        "the only boy of 2017 on each list, but two names"
    );
}

#[test]
fn a_mother_and_her_namesake_daughter_stay_apart() {
    let c = clusters(&[
        "c1,camp,فاطمة الحربي,,,F,1984,,Roj,يوسف,x1",
        "c2,camp,فاطمة الحربي,,,F,2012,,Roj,خالد,x1",
        "g1,gov,,Fatima,Zayani,F,1984-05-05,DE,,,y1",
        "g2,gov,,Fatima,Al-Harbi,F,2012-07-07,DE,,,y1",
    ]);
    assert_eq!(c["c2"], c["g2"]);
    assert_ne!(c["c1"], c["c2"]);
    assert_ne!(c["g1"], c["g2"]);
}

#[test]
fn aisha_ahmed_is_not_fatima_ahmed() {
    let c = clusters(&[
        "n1,ngo,Aisha Ahmed,,,F,1990,DE,Roj,,n1",
        "g1,gov,,Fatima,Ahmed,F,1990-01-01,DE,,,g1",
        "c1,camp,عائشة أحمد,,,F,1990,,Roj,,c1",
    ]);
    assert_ne!(c["n1"], c["g1"]);
    assert_ne!(c["c1"], c["g1"]);
    assert_eq!(c["n1"], c["c1"], "Aisha across scripts");
}

#[test]
fn one_childs_namesake_in_another_family_is_not_linked() {
    // Two families each with a Zakaria Al-Yamani born in 2015 in Al-Hol; the government
    // list shows only one of them, but both families' mothers.
    let c = clusters(&[
        "c1,camp,سلمى اليمني,,,F,1988,,Al-Hol,علي,x1",
        "c2,camp,زكريا اليمني,,,M,2015,,Al-Hol,مصعب,x1",
        "c3,camp,هند اليمني,,,F,1990,,Al-Hol,أنس,x2",
        "c4,camp,زكريا اليمني,,,M,2015,,Al-Hol,خالد,x2",
        "c5,camp,ليلى اليمني,,,F,2017,,Al-Hol,خالد,x2",
        "g1,gov,,Salma,Al-Yamani,F,1988-02-02,SE,,,y1",
        "g2,gov,,Zakaria,Al-Yamani,M,2015-09-04,SE,,,y1",
        "g3,gov,,Hind,Al-Yamani,F,1990-03-03,GB,,,y2",
        "g5,gov,,Layla,Al-Yamani,F,2017-01-01,GB,,,y2",
    ]);
    assert_eq!(c["c2"], c["g2"]);
    assert_ne!(c["c4"], c["g2"], "the other family's Zakaria");
    assert_eq!(c["c3"], c["g3"]);
}

/// Two mothers in Roj, each with a son Adam, on a camp and a government list: Samira,
/// Belgian, and Hanan, of `nationality`; and the message `kunya`.
fn two_mothers_of_an_adam(nationality: &str, kunya: &str) -> FxHashMap<String, u32> {
    let lines = [
        "c1,camp,سميرة بوعزاوي,,,F,1990,,Roj,يوسف,x1".to_string(),
        "c2,camp,آدم الحسني,,,M,2012,,Roj,خالد,x1".into(),
        "g1,gov,,Samira,Bouazzaoui,F,1990-04-12,BE,,,y1".into(),
        "g2,gov,,Adam,El Hassani,M,2012-06-01,BE,,,y1".into(),
        "c3,camp,حنان المصري,,,F,1987,,Roj,أنس,x2".into(),
        "c4,camp,آدم المصري,,,M,2011,,Roj,بلال,x2".into(),
        format!("g3,gov,,Hanan,Al-Masri,F,1987-01-01,{nationality},,,y2"),
        format!("g4,gov,,Adam,Al-Masri,M,2011-02-02,{nationality},,,y2"),
        format!("m1,msg,{kunya},,,F,,,Roj,,"),
    ];
    clusters(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_kunya_that_singles_out_one_mother_is_linked_to_her() {
    let c = two_mothers_of_an_adam("FR", "Umm Adam al-Beljikiya");
    assert_eq!(c["m1"], c["c1"], "the Belgian mother of Adam");
    assert_eq!(c["m1"], c["g1"]);
    assert_ne!(c["m1"], c["c3"]);
}

#[test]
fn a_kunya_that_fits_two_mothers_equally_is_not_linked() {
    let c = two_mothers_of_an_adam("BE", "أم آدم البلجيكية");
    let alone = c.values().filter(|&&x| x == c["m1"]).count();
    assert_eq!(
        alone, 1,
        "two Belgian mothers of an Adam in Roj: nobody is singled out"
    );
}

#[test]
fn a_kunya_names_the_eldest_child() {
    // Both mothers have an Adam; only for the first is he the eldest (child or son).
    let c = clusters(&[
        "c1,camp,سميرة بوعزاوي,,,F,1990,,Roj,يوسف,x1",
        "c2,camp,آدم الحسني,,,M,2010,,Roj,خالد,x1",
        "c5,camp,مريم الحسني,,,F,2013,,Roj,خالد,x1",
        "g1,gov,,Samira,Bouazzaoui,F,1990-04-12,BE,,,y1",
        "g2,gov,,Adam,El Hassani,M,2010-06-01,BE,,,y1",
        "c3,camp,حنان المصري,,,F,1987,,Roj,أنس,x2",
        "c4,camp,آدم المصري,,,M,2016,,Roj,بلال,x2",
        "c6,camp,حمزة المصري,,,M,2009,,Roj,بلال,x2",
        "g3,gov,,Hanan,Al-Masri,F,1987-01-01,BE,,,y2",
        "g4,gov,,Adam,Al-Masri,M,2016-02-02,BE,,,y2",
        "m1,msg,Umm Adam al-Beljikiya,,,F,,,Roj,,",
    ]);
    assert_eq!(c["m1"], c["c1"], "Adam is her eldest");
    assert_ne!(c["m1"], c["c3"], "Hamza is Hanan's eldest");
}
