//! The built-in `person` preset: the registry's own records, as camp lists have them.
//!
//! Input columns (CONTRACT.md): `id,source,full_name,given_name,family_name,sex,
//! birth_date,nationalities,place,father_name,household`. Names may be in any script;
//! `full_name` may be only a kunya ("Umm Adam, Belgian"). Births may be a year or an
//! age stated at a date.
//!
//! Beyond pairwise scoring, the preset adds collective evidence:
//! - **households**: a mother linked across two lists is evidence for linking the other
//!   members of her household in one list to those of hers in the other;
//! - **kunyas**: a record known only as "Umm Adam" (perhaps with a nationality and a
//!   place) links to the mother of a child named Adam when the evidence singles her out:
//!   exactly one person fits, or one fits far better than any other.

use rustc_hash::FxHashMap;

use crate::cluster::Link;
use crate::engine::{weight_of, Linker};
use crate::error::LinkError;
use crate::model::Model;
use crate::spelling;
use crate::table::{Column, Table};

/// The columns of the preset (besides `id`); any may be absent from a file.
pub const COLUMNS: &[&str] = &[
    "source",
    "full_name",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "nationalities",
    "place",
    "father_name",
    "household",
];

/// The preset's model. Comparisons run on derived columns made by [`prepare`].
pub const MODEL_TOML: &str = r#"
unique_id = "id"
blocking = [
  "substr(p_given, 0, 3), substr(p_family, 0, 2)",
  "substr(p_given, 0, 3), year(birth_date)",
  "name_tokens(p_name), year(birth_date)",
  "name_key(father_name), substr(p_given, 0, 2)",
]

[decision]
threshold = 0.9
clustering = "constrained"

[training]
u_sample_pairs = 200000

# m is fixed from what is known of camp lists (EM on a few thousand records with a
# handful of common names finds families rather than people); EM estimates the share
# of matches, u comes from the data.
[[comparison]]
name = "name"
column = "p_name"
levels = [
  { kind = "name_similarity", threshold = 0.92 },
  { kind = "name_similarity", threshold = 0.85 },
]
m = [0.6, 0.2, 0.2]

[[comparison]]
name = "given name"
column = "p_given"
levels = [
  { kind = "exact" },
  { kind = "jaro_winkler", threshold = 0.88 },
  { kind = "swapped", with = "p_family" },
  { kind = "token_in", tokens = "p_tokens" },
]
m = [0.72, 0.12, 0.04, 0.06, 0.06]

[[comparison]]
name = "birth"
column = "birth_date"
levels = [
  { kind = "date_exact" },
  { kind = "date_same_month" },
  { kind = "date_compatible" },
  { kind = "date_within_years", years = 1 },
  { kind = "date_within_years", years = 3 },
  { kind = "date_within_years", years = 10 },
]
m = [0.3, 0.15, 0.42, 0.1, 0.022, 0.0075, 0.0005]

[[comparison]]
name = "sex"
column = "sex"
transform = "lower"
levels = [{ kind = "exact" }]
m = [0.97, 0.03]

[[comparison]]
name = "nationalities"
column = "nationalities"
levels = [{ kind = "set_equal" }, { kind = "set_overlap" }]
m = [0.75, 0.2, 0.05]

[[comparison]]
name = "place"
column = "place"
transform = "lower"
levels = [{ kind = "exact" }]
m = [0.85, 0.15]

[[comparison]]
name = "father's name"
column = "father_name"
levels = [
  { kind = "name_key" },
  { kind = "name_similarity", threshold = 0.85 },
]
m = [0.8, 0.1, 0.1]
"#;

/// The preset's model.
pub fn model() -> Model {
    // The text is a constant of this crate, checked by a unit test.
    Model::from_toml(MODEL_TOML).unwrap_or_else(|e| panic!("built-in person model: {e}"))
}

/// The kunya of a name, if the name is only a kunya.
fn kunya_only(full_name: &str) -> Option<spelling::Kunya> {
    spelling::parse_kunya(full_name)
}

/// Adds the derived columns the preset compares: `p_name` (the person's full name, not
/// a kunya), `p_given` and `p_family` (as script-independent key tokens), `p_kunya` (the child named by a kunya-only name,
/// `umm:` or `abu:` before it), and `p_household` (source and household together).
pub fn prepare(table: &Table) -> Result<Table, LinkError> {
    let get =
        |name: &str, row: usize| -> &str { table.column(name).map(|c| c.get(row)).unwrap_or("") };
    let n = table.len();
    let mut name = Vec::with_capacity(n);
    let mut given = Vec::with_capacity(n);
    let mut family = Vec::with_capacity(n);
    let mut kunya = Vec::with_capacity(n);
    let mut name_tokens = Vec::with_capacity(n);
    let mut household = Vec::with_capacity(n);
    let mut nationalities = Vec::with_capacity(n);
    for row in 0..n {
        nationalities.push(get("nationalities", row).to_string());
        let full = get("full_name", row);
        let g = get("given_name", row);
        let f = get("family_name", row);
        let k = if g.is_empty() && f.is_empty() {
            kunya_only(full)
        } else {
            None
        };
        match &k {
            Some(k) => {
                name_tokens.push(String::new());
                kunya.push(format!(
                    "{}:{}",
                    if k.mother { "umm" } else { "abu" },
                    k.child
                ));
                // "Umm Adam al-Beljikiya" says she is Belgian.
                if let (Some(cc), true) = (k.nationality, nationalities[row].is_empty()) {
                    nationalities[row] = cc.to_string();
                }
                name.push(String::new());
                given.push(String::new());
                family.push(String::new());
            }
            None => {
                kunya.push(String::new());
                // Names become comparison-key tokens: the given name is the first token,
                // the family name the rest, whatever the script.
                let whole = if full.is_empty() {
                    format!("{g} {f}").trim().to_string()
                } else {
                    full.to_string()
                };
                let tokens = spelling::key_tokens(&whole);
                name_tokens.push(tokens.join(" "));
                let given_key = if g.is_empty() {
                    tokens.first().cloned().unwrap_or_default()
                } else {
                    spelling::key_tokens(g).join(" ")
                };
                let family_key = if f.is_empty() {
                    if g.is_empty() {
                        tokens.iter().skip(1).cloned().collect::<Vec<_>>().join(" ")
                    } else {
                        String::new()
                    }
                } else {
                    spelling::key_tokens(f).join(" ")
                };
                given.push(given_key);
                family.push(family_key);
                name.push(whole);
            }
        }
        let h = get("household", row);
        household.push(if h.is_empty() {
            String::new()
        } else {
            format!("{}\u{1f}{h}", get("source", row))
        });
    }
    let mut out = table.clone();
    for (col, values) in [
        ("p_name", &name),
        ("p_given", &given),
        ("p_family", &family),
        ("p_kunya", &kunya),
        ("p_tokens", &name_tokens),
        ("p_household", &household),
        ("nationalities", &nationalities),
    ] {
        out.set_column(col, Column::from_values(values.iter().map(String::as_str)));
    }
    Ok(out)
}

/// Weight added to a pair whose households are linked through another member (twice
/// for two or more).
const HOUSEHOLD_BONUS: f64 = 6.0;
/// A comparison weighing this much against a pair (log2) is not overridden by
/// household evidence.
const STRONG_CONTRADICTION: f64 = 5.0;
/// How much better (log2) the best kunya candidate must be than the next.
const KUNYA_MARGIN: f64 = 3.0;

/// Applies household and kunya evidence to the scored pairs; returns the new set.
pub fn collective(linker: &Linker, scored: Vec<Link>) -> Vec<Link> {
    let t = linker.table();
    let threshold = weight_of(linker.model().decision.threshold) as f32;
    let n_left = linker.n_left();
    let two_sides = n_left < t.len();
    let allowed = |a: usize, b: usize| a != b && (!two_sides || ((a < n_left) != (b < n_left)));
    let col = |name: &str| t.column(name).cloned().unwrap_or_default();
    let household = col("p_household");
    let hh = |r: usize| {
        if household.is_empty() {
            ""
        } else {
            household.get(r)
        }
    };

    let mut pairs: FxHashMap<(u32, u32), f32> =
        scored.iter().map(|l| ((l.a, l.b), l.weight)).collect();

    // Households: members per household.
    let mut members: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for r in 0..t.len() {
        if !hh(r).is_empty() {
            members.entry(hh(r)).or_default().push(r as u32);
        }
    }
    // Household pairs supported by a strong link.
    let mut support: FxHashMap<(&str, &str), Vec<(u32, u32)>> = FxHashMap::default();
    for l in &scored {
        let (ha, hb) = (hh(l.a as usize), hh(l.b as usize));
        if l.weight >= threshold && !ha.is_empty() && !hb.is_empty() && ha != hb {
            // One entry per unordered pair of households, links oriented first to second.
            if ha < hb {
                support.entry((ha, hb)).or_default().push((l.a, l.b));
            } else {
                support.entry((hb, ha)).or_default().push((l.b, l.a));
            }
        }
    }
    for ((ha, hb), links) in &support {
        let (Some(ma), Some(mb)) = (members.get(ha), members.get(hb)) else {
            continue;
        };
        for &x in ma {
            for &y in mb {
                let (a, b) = if x < y { (x, y) } else { (y, x) };
                if !allowed(a as usize, b as usize) {
                    continue;
                }
                // Evidence from other pairs of the two households, not this pair itself.
                let others = links
                    .iter()
                    .filter(|&&(p, q)| p != x && q != y && p != y && q != x)
                    .count()
                    .min(2);
                if others == 0 {
                    continue;
                }
                // Household evidence says "this family"; which member is which is for the
                // person's own given name to say: siblings must not merge.
                // Nor may it override a strong contradiction (a mother and her daughter
                // of the same name are decades apart).
                let own = linker.explain(a as usize, b as usize);
                if !own
                    .iter()
                    .any(|c| c.comparison == "given name" && c.weight > 0.0)
                    || own.iter().any(|c| c.weight < -STRONG_CONTRADICTION)
                {
                    continue;
                }
                let base = linker.weight(a as usize, b as usize);
                let w = (base + HOUSEHOLD_BONUS * others as f64) as f32;
                let e = pairs.entry((a, b)).or_insert(w);
                *e = e.max(w);
            }
        }
    }

    // Kunyas.
    let kunya = col("p_kunya");
    let given = col("p_given");
    let sex = col("sex");
    let birth = col("birth_date");
    if !kunya.is_empty() {
        // Children by household, with given name keys.
        let given_key: Vec<&str> = (0..t.len()).map(|r| given.get(r)).collect();
        for k in 0..t.len() {
            let kv = kunya.get(k);
            if kv.is_empty() {
                continue;
            }
            let (relation, child) = kv.split_once(':').unwrap_or(("umm", kv));
            let child_key = spelling::key_tokens(child).join(" ");
            let want_sex = if relation == "umm" {
                ["f", "female"]
            } else {
                ["m", "male"]
            };
            // Parents of a child with that name, in their household.
            let mut candidates: Vec<(u32, f64)> = Vec::new();
            for rows in members.values() {
                let has_child = |parent: u32| {
                    rows.iter().any(|&c| {
                        c != parent
                            && !given_key[c as usize].is_empty()
                            && (given_key[c as usize] == child_key
                                || crate::similarity::jaro_winkler(
                                    given_key[c as usize],
                                    &child_key,
                                ) >= 0.93)
                            && younger(birth.get(c as usize), birth.get(parent as usize))
                    })
                };
                for &p in rows {
                    let ps = sex.get(p as usize).to_lowercase();
                    let sex_ok = ps.is_empty() || want_sex.contains(&ps.as_str());
                    if allowed(k, p as usize)
                        && kunya.get(p as usize).is_empty()
                        && sex_ok
                        && has_child(p)
                    {
                        // The evidence of the record itself (nationality, place, sex,
                        // birth), without the prior: the kunya is what makes her a candidate.
                        let (a, b) = (k.min(p as usize), k.max(p as usize));
                        candidates.push((p, linker.weight(a, b) - linker.prior_weight()));
                    }
                }
            }
            if candidates.is_empty() {
                continue;
            }
            // One person may be several candidate records (one per list): group the
            // candidates by their strong links, and compare the best of each group.
            // One person is often several candidate records (one per list) that each
            // hold part of the evidence (a camp list has the place, a government list
            // the nationality). Candidates are grouped when linked to each other or when
            // their households are linked; a group's evidence is, per comparison, the
            // strongest any of its records gives.
            let mut group: Vec<usize> = (0..candidates.len()).collect();
            for i in 0..candidates.len() {
                for j in i + 1..candidates.len() {
                    let (pi, pj) = (candidates[i].0, candidates[j].0);
                    let (a, b) = (pi.min(pj), pi.max(pj));
                    let (hi, hj) = (hh(pi as usize), hh(pj as usize));
                    let households_linked = support.contains_key(&(hi.min(hj), hi.max(hj)));
                    if households_linked || pairs.get(&(a, b)).is_some_and(|w| *w >= threshold) {
                        let (gi, gj) = (group[i], group[j]);
                        for g in group.iter_mut() {
                            if *g == gj {
                                *g = gi;
                            }
                        }
                    }
                }
            }
            let mut per_group: FxHashMap<usize, Vec<f64>> = FxHashMap::default();
            for (i, (p, _)) in candidates.iter().enumerate() {
                let (a, b) = (k.min(*p as usize), k.max(*p as usize));
                let parts: Vec<f64> = linker.explain(a, b).iter().map(|c| c.weight).collect();
                let e = per_group
                    .entry(group[i])
                    .or_insert_with(|| vec![f64::MIN; parts.len()]);
                for (x, y) in e.iter_mut().zip(parts) {
                    *x = x.max(y);
                }
            }
            let mut ranked: Vec<(usize, f64)> = per_group
                .into_iter()
                .map(|(g, parts)| (g, parts.iter().sum()))
                .collect();
            ranked.sort_by(|x, y| y.1.total_cmp(&x.1));
            let (best_group, best) = ranked[0];
            let singled_out = ranked.len() == 1 || best - ranked[1].1 >= KUNYA_MARGIN;
            // Disagreeing evidence (a different nationality, say) rules a candidate out.
            if !singled_out || best < 1.0 {
                continue;
            }
            for (i, (p, w)) in candidates.iter().enumerate() {
                if group[i] != best_group {
                    continue;
                }
                let (a, b) = if (k as u32) < *p {
                    (k as u32, *p)
                } else {
                    (*p, k as u32)
                };
                let lifted = (*w).max(threshold as f64 + 1.0) as f32;
                let e = pairs.entry((a, b)).or_insert(lifted);
                *e = e.max(lifted);
            }
        }
    }

    let mut out: Vec<Link> = pairs
        .into_iter()
        .map(|((a, b), weight)| Link { a, b, weight })
        .collect();
    out.sort_by_key(|l| (l.a, l.b));
    out
}

/// Whether a child born `child` can be the child of a parent born `parent` (unknown
/// births do not rule it out).
fn younger(child: &str, parent: &str) -> bool {
    match (
        crate::birth::Birth::parse(child),
        crate::birth::Birth::parse(parent),
    ) {
        (Some(c), Some(p)) => c.year_hi >= p.year_lo + 12,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_model_is_valid() {
        let m = model();
        assert_eq!(m.unique_id, "id");
        assert!(m.comparisons.len() >= 6);
    }
}

#[cfg(test)]
mod prepare_tests {
    use super::*;

    #[test]
    fn kunya_only_records_get_the_child_and_nationality() {
        let mut t = Table::new(COLUMNS.iter().map(|c| c.to_string()).collect());
        // source, full_name, given, family, sex, birth, nationalities, place, father, household
        t.push(
            "k",
            &[
                "msg",
                "Umm Adam al-Beljikiya",
                "",
                "",
                "F",
                "",
                "",
                "Roj",
                "",
                "",
            ],
        );
        t.push(
            "p",
            &[
                "gov", "", "Samira", "Lindberg", "F", "1990", "BE", "", "", "h1",
            ],
        );
        let out = prepare(&t).unwrap();
        let col = |c: &str, r: usize| out.column(c).unwrap().get(r).to_string();
        assert!(col("p_kunya", 0).starts_with("umm:"));
        assert_eq!(col("nationalities", 0), "BE");
        assert_eq!(col("p_given", 0), "");
        assert_eq!(col("p_kunya", 1), "");
        assert!(!col("p_given", 1).is_empty());
        assert_eq!(col("p_household", 1), "gov\u{1f}h1");
        assert_eq!(col("p_household", 0), "");
    }
}
