//! A registry person as a record of the linkage `person` preset (its CSV columns), and the
//! names two persons share, for the evidence a reviewer reads.

use model::person::{Birth, NameKind, NationalityStatus, Script, Sex};
use model::projection::PersonView;

/// The preset's columns after `id`, in order (`linkage::person::COLUMNS`).
pub fn record(view: &PersonView, place: &str) -> [String; 10] {
    [
        list(view),
        full_name(view),
        String::new(),
        String::new(),
        match view.sex {
            Sex::Female => "female".into(),
            Sex::Male => "male".into(),
            Sex::Unknown => String::new(),
        },
        view.birth.as_ref().map(birth).unwrap_or_default(),
        nationalities(view),
        place.to_string(),
        String::new(),
        view.household.map(|h| h.to_string()).unwrap_or_default(),
    ]
}

/// The list (report) the person was registered from: the source of their first name.
/// The preset holds that a list names a person once.
fn list(view: &PersonView) -> String {
    view.names
        .first()
        .and_then(|n| n.source)
        .map(|r| r.to_string())
        .unwrap_or_default()
}

/// The name compared: the longest full name in Arabic script if there is one (camp lists
/// write it, and it varies less than romanisations), else the longest Latin one, else any
/// name (a kunya alone is compared as a kunya).
fn full_name(view: &PersonView) -> String {
    let longest = |script: Script| {
        view.names
            .iter()
            .filter(|n| n.script == script && n.kind == NameKind::Full)
            .max_by_key(|n| n.text.chars().count())
    };
    longest(Script::Arabic)
        .or_else(|| longest(Script::Latin))
        .or_else(|| view.names.iter().find(|n| n.kind != NameKind::Kunya))
        .or_else(|| view.names.first())
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn birth(b: &Birth) -> String {
    match b {
        Birth::Exact(d) => d.format("%Y-%m-%d").to_string(),
        Birth::Month { year, month } => format!("{year:04}-{month:02}"),
        Birth::Year(y) => format!("{y:04}"),
        Birth::StatedAge { age, stated_on } => {
            format!("age {age} @ {}", stated_on.format("%Y-%m-%d"))
        }
    }
}

/// Countries of every claim but a revoked one, `:disputed` marked.
fn nationalities(view: &PersonView) -> String {
    let mut out: Vec<String> = view
        .nationalities
        .iter()
        .filter(|n| n.status != NationalityStatus::Revoked)
        .map(|n| match n.status {
            NationalityStatus::Disputed => format!("{}:disputed", n.country),
            _ => n.country.to_string(),
        })
        .collect();
    out.sort();
    out.dedup();
    out.join(";")
}

/// The best-matching names of two persons (most two pairs), each with its similarity.
pub fn best_names(a: &PersonView, b: &PersonView) -> Vec<(String, String, f64)> {
    let mut pairs: Vec<(String, String, f64)> = Vec::new();
    for x in &a.names {
        for y in &b.names {
            let s = names::name_similarity(&x.text, &y.text);
            pairs.push((x.text.clone(), y.text.clone(), s));
        }
    }
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let mut out: Vec<(String, String, f64)> = Vec::new();
    for p in pairs {
        if out.len() == 2 {
            break;
        }
        if !out.iter().any(|o| o.0 == p.0 || o.1 == p.1) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ids::PersonId;
    use model::person::Name;

    #[test]
    fn the_arabic_full_name_is_compared_and_births_keep_their_precision() {
        let mut v = PersonView::stub(PersonId::from_u128(1));
        v.names = vec![
            Name::new("Samira Bouazzaoui", NameKind::Full, None),
            Name::new("سميرة محمد بوعزاوي", NameKind::Full, None),
            Name::new("Umm Adam", NameKind::Kunya, None),
        ];
        v.sex = Sex::Female;
        v.birth = Some(Birth::StatedAge {
            age: 29,
            stated_on: chrono::NaiveDate::from_ymd_opt(2019, 10, 18).unwrap(),
        });
        let r = record(&v, "Roj");
        assert_eq!(r[1], "سميرة محمد بوعزاوي");
        assert_eq!(r[4], "female");
        assert_eq!(r[5], "age 29 @ 2019-10-18");
        assert!(linkage::birth::Birth::parse(&r[5]).is_some());
        assert_eq!(r[7], "Roj");
    }

    #[test]
    fn best_names_pair_each_name_once() {
        let mut a = PersonView::stub(PersonId::from_u128(1));
        a.names = vec![
            Name::new("Samira Bouazzaoui", NameKind::Full, None),
            Name::new("سميرة بوعزاوي", NameKind::Full, None),
        ];
        let mut b = PersonView::stub(PersonId::from_u128(2));
        b.names = vec![
            Name::new("Sameera Bu Azawi", NameKind::Full, None),
            Name::new("سميرة بوعزاوي", NameKind::Full, None),
        ];
        let best = best_names(&a, &b);
        assert_eq!(best.len(), 2);
        assert!(best.iter().all(|p| p.2 > 0.99), "{best:?}");
        assert_ne!(best[0].0, best[1].0, "each name of a once");
        assert_ne!(best[0].1, best[1].1, "each name of b once");
    }
}
