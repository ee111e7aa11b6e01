//! The person preset's derived columns: given and family names found in any way a list
//! writes them, kunyas, and who may carry a married name.
//!
//! Lists write names three ways: in two columns (given, family), as one full name in the
//! usual order, or as one full name family first ("Al-Harbi Fatima", as registration
//! forms often have it). Which word of a full name is the given name is read from the
//! records themselves: the lists that keep two columns show which name units are given
//! names and which are family names, and a full name is turned round when its last unit
//! is clearly the given-name-like one. Nothing is turned round when no list keeps two
//! columns.

use rustc_hash::FxHashMap;

use crate::birth::Birth;
use crate::error::LinkError;
use crate::spelling;
use crate::table::{Column, Table};

/// A woman born this many years before the latest birth in the records may be listed
/// under her married name in one list and her maiden name in another.
const MARRIAGEABLE_AGE: i32 = 14;

/// How much more often (as a ratio of smoothed counts) the last unit of a full name must
/// be seen as a given name than the first, for the name to be read family name first.
const TURN_ROUND_RATIO: f64 = 4.0;

/// How often each name unit is a given or a family name in the lists that keep the two
/// apart; and, per given name, how often its bearer is a woman.
///
/// Units are found by comparison key, then by spelling: keys are coarse (Shaima and
/// Chami share one), so only the spellings of the key that are the same name as the
/// unit count.
#[derive(Default)]
struct NameRoles {
    /// Per key, each spelling seen with its counts as a given and as a family name.
    spellings: FxHashMap<String, Vec<Seen>>,
    female: FxHashMap<String, (u32, u32)>,
}

/// One spelling of a name unit and how often the lists use it as a given or family name.
struct Seen {
    name: spelling::PreparedName,
    text: String,
    given: u32,
    family: u32,
}

fn first_key(s: &str) -> String {
    spelling::key_tokens(s)
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn is_female(sex: &str) -> Option<bool> {
    match sex.trim().to_lowercase().as_str() {
        "f" | "female" | "w" | "woman" => Some(true),
        "m" | "male" | "man" => Some(false),
        _ => None,
    }
}

impl NameRoles {
    fn learn(table: &Table) -> NameRoles {
        let mut roles = NameRoles::default();
        let col = |name: &str| table.column(name);
        let (given, family) = (col("given_name"), col("family_name"));
        for row in 0..table.len() {
            let g = given.map_or("", |c| c.get(row));
            let f = family.map_or("", |c| c.get(row));
            for (value, as_given) in [(g, true), (f, false)] {
                for unit in spelling::name_units(value) {
                    roles.count(unit, as_given);
                }
            }
        }
        roles
    }

    fn count(&mut self, unit: String, as_given: bool) {
        let seen = self.spellings.entry(first_key(&unit)).or_default();
        let at = match seen.iter().position(|s| s.text == unit) {
            Some(at) => at,
            None => {
                seen.push(Seen {
                    name: spelling::PreparedName::new(&unit),
                    text: unit,
                    given: 0,
                    family: 0,
                });
                seen.len() - 1
            }
        };
        if as_given {
            seen[at].given += 1;
        } else {
            seen[at].family += 1;
        }
    }

    /// Counts, per given name, how often the records that give a sex say a woman.
    fn learn_sexes(&mut self, given: &[&str], sexes: impl Iterator<Item = Option<bool>>) {
        for (g, woman) in given.iter().zip(sexes) {
            if let (false, Some(woman)) = (g.is_empty(), woman) {
                let e = self.female.entry(first_key(g)).or_default();
                if woman {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
    }

    /// Smoothed odds that a unit is a given name rather than a family name.
    fn given_odds(&self, unit: &str) -> f64 {
        let name = spelling::PreparedName::new(unit);
        let (mut g, mut f) = (0.0, 0.0);
        for seen in self
            .spellings
            .get(&first_key(unit))
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            if spelling::name_similarity(&name, &seen.name) >= spelling::SAME_NAME {
                g += seen.given as f64;
                f += seen.family as f64;
            }
        }
        (g + 1.0) / (f + 1.0)
    }

    /// A full name split into (given, family), turned round when it is written family
    /// name first.
    fn split(&self, full: &str) -> (String, String) {
        let units = spelling::name_units(full);
        match units.len() {
            0 => (String::new(), String::new()),
            1 => (units[0].clone(), String::new()),
            n => {
                let turned =
                    self.given_odds(&units[n - 1]) >= TURN_ROUND_RATIO * self.given_odds(&units[0]);
                if turned {
                    (units[n - 1].clone(), units[..n - 1].join(" "))
                } else {
                    (units[0].clone(), units[1..].join(" "))
                }
            }
        }
    }

    /// Whether the bearer of a given name is a woman, when the records say so clearly.
    fn woman_by_name(&self, given: &str) -> bool {
        let (w, m) = self
            .female
            .get(&first_key(given))
            .copied()
            .unwrap_or((0, 0));
        w >= 3 && w >= 9 * m
    }
}

/// The derived columns of one record.
#[derive(Default)]
struct Derived {
    name: String,
    given: String,
    family: String,
    given_key: String,
    family_key: String,
    tokens: String,
    kunya: String,
    nationalities: String,
    household: String,
    household_families: String,
    maybe_married: String,
    /// The nationality adjective of a kunya ("Umm Adam al-Beljikiya": BE).
    kunya_nationality: Option<&'static str>,
}

/// Adds the derived columns the preset compares and blocks on:
/// - `p_name`: the full name (not a kunya), for blocking on any token;
/// - `p_given`, `p_family`: given and family names as written, compared across scripts,
///   and `p_gkey`, `p_fkey`: their comparison keys, for blocking;
/// - `p_tokens`: the keys of every name unit;
/// - `p_kunya`: the child a kunya-only name names, `umm:` or `abu:` before it;
/// - `p_household`: source and household together;
/// - `p_maybe_married`: `1` for a woman old enough to be listed under a married name;
/// - `p_household_families`: for such a woman, the family names of the other members of
///   her household;
/// - `nationalities`: a kunya's nationality adjective added when the column is empty.
pub fn prepare(table: &Table) -> Result<Table, LinkError> {
    let get =
        |name: &str, row: usize| -> &str { table.column(name).map(|c| c.get(row)).unwrap_or("") };
    let mut roles = NameRoles::learn(table);
    let latest_birth = (0..table.len())
        .filter_map(|r| Birth::parse(get("birth_date", r)))
        .map(|b| b.year_hi)
        .max();
    let mut rows: Vec<Derived> = (0..table.len())
        .map(|row| {
            let mut d = derive_names(
                &roles,
                get("full_name", row),
                get("given_name", row),
                get("family_name", row),
            );
            d.nationalities = get("nationalities", row).to_string();
            if let (Some(cc), true) = (d.kunya_nationality, d.nationalities.is_empty()) {
                d.nationalities = cc.to_string();
            }
            let h = get("household", row);
            if !h.is_empty() {
                d.household = format!("{}\u{1f}{h}", get("source", row));
            }
            d
        })
        .collect();
    let given: Vec<&str> = rows.iter().map(|d| d.given.as_str()).collect();
    roles.learn_sexes(&given, (0..table.len()).map(|r| is_female(get("sex", r))));
    let married: Vec<bool> = rows
        .iter()
        .enumerate()
        .map(|(row, d)| {
            let woman = is_female(get("sex", row))
                .unwrap_or_else(|| !d.given.is_empty() && roles.woman_by_name(&d.given));
            let adult = match (Birth::parse(get("birth_date", row)), latest_birth) {
                (Some(b), Some(latest)) => b.year_lo <= latest - MARRIAGEABLE_AGE,
                _ => true,
            };
            woman && adult && d.kunya.is_empty()
        })
        .collect();
    for (d, married) in rows.iter_mut().zip(married) {
        if married {
            d.maybe_married = "1".into();
        }
    }
    add_household_families(&mut rows);
    let mut out = table.clone();
    type Field = fn(&Derived) -> &str;
    let columns: [(&str, Field); 11] = [
        ("p_name", |d| &d.name),
        ("p_given", |d| &d.given),
        ("p_family", |d| &d.family),
        ("p_gkey", |d| &d.given_key),
        ("p_fkey", |d| &d.family_key),
        ("p_tokens", |d| &d.tokens),
        ("p_kunya", |d| &d.kunya),
        ("p_household", |d| &d.household),
        ("p_maybe_married", |d| &d.maybe_married),
        ("p_household_families", |d| &d.household_families),
        ("nationalities", |d| &d.nationalities),
    ];
    for (name, field) in columns {
        out.set_column(name, Column::from_values(rows.iter().map(field)));
    }
    Ok(out)
}

/// Sets the `household_families` of each woman who may be listed under a married name:
/// the family names of the other members of her household (a mother listed under her
/// maiden name has her children's, which is her married name).
fn add_household_families(rows: &mut [Derived]) {
    let mut by_household: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (r, d) in rows.iter().enumerate() {
        if !d.household.is_empty() {
            by_household.entry(&d.household).or_default().push(r);
        }
    }
    let mut lists: Vec<(usize, String)> = Vec::new();
    for members in by_household.values() {
        for &r in members
            .iter()
            .filter(|&&r| !rows[r].maybe_married.is_empty())
        {
            let mut families: Vec<&str> = members
                .iter()
                .filter(|&&o| o != r && !rows[o].family.is_empty())
                .map(|&o| rows[o].family.as_str())
                .collect();
            families.sort_unstable();
            families.dedup();
            lists.push((r, families.join("|")));
        }
    }
    for (r, list) in lists {
        rows[r].household_families = list;
    }
}

/// Names of one record: a kunya when the record has only a kunya, otherwise its given
/// and family names from the two columns or split out of the full name.
fn derive_names(roles: &NameRoles, full: &str, given: &str, family: &str) -> Derived {
    let mut d = Derived::default();
    if given.is_empty() && family.is_empty() {
        if let Some(k) = spelling::parse_kunya(full) {
            let relation = if k.mother { "umm" } else { "abu" };
            d.kunya = format!("{relation}:{}", k.child);
            d.kunya_nationality = k.nationality;
            return d;
        }
    }
    let whole = if full.is_empty() {
        format!("{given} {family}").trim().to_string()
    } else {
        full.to_string()
    };
    let (g, f) = if given.is_empty() && family.is_empty() {
        roles.split(&whole)
    } else {
        (given.to_string(), family.to_string())
    };
    d.given_key = spelling::key_tokens(&g).join(" ");
    d.family_key = spelling::key_tokens(&f).join(" ");
    d.tokens = spelling::key_tokens(&whole).join(" ");
    d.given = g;
    d.family = f;
    d.name = whole;
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::COLUMNS;

    /// A table of the preset's columns from `id,source,full_name,given_name,family_name,
    /// sex,birth_date,nationalities,place,father_name,household` lines.
    fn table(lines: &[&str]) -> Table {
        let mut t = Table::new(COLUMNS.iter().map(|c| c.to_string()).collect());
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            t.push(cells[0], &cells[1..]);
        }
        t
    }

    fn col(t: &Table, name: &str, row: usize) -> String {
        t.column(name).unwrap().get(row).to_string()
    }

    #[test]
    fn kunya_only_records_get_the_child_and_nationality() {
        let out = prepare(&table(&[
            "k,msg,Umm Adam al-Beljikiya,,,F,,,Roj,,",
            "p,gov,,Samira,Lindberg,F,1990,BE,,,h1",
        ]))
        .unwrap();
        assert_eq!(col(&out, "p_kunya", 0), "umm:adam");
        assert_eq!(col(&out, "nationalities", 0), "BE");
        assert_eq!(col(&out, "p_given", 0), "");
        assert_eq!(
            col(&out, "p_maybe_married", 0),
            "",
            "a kunya has no name to marry"
        );
        assert_eq!(col(&out, "p_kunya", 1), "");
        assert_eq!(col(&out, "p_given", 1), "Samira");
        assert_eq!(col(&out, "p_household", 1), "gov\u{1f}h1");
        assert_eq!(col(&out, "p_household", 0), "");
    }

    #[test]
    fn a_full_name_written_family_first_is_turned_round() {
        let lists = [
            "g1,gov,,Fatima,Al-Harbi,F,1990,,,,",
            "g2,gov,,Fatima,Zayani,F,1985,,,,",
            "g3,gov,,Omar,Al-Harbi,M,2012,,,,",
            "g4,gov,,Aisha,Tamimi,F,1991,,,,",
        ];
        let mut lines = lists.to_vec();
        lines.extend([
            "n1,ngo,Al-Harbi Fatima,,,F,1990,,,,",
            "n2,ngo,Fatima Al-Harbi,,,F,1990,,,,",
            "n3,ngo,الحربي فاطمة,,,F,1990,,,,",
            "n4,ngo,Abd al-Rahman Al-Harbi,,,M,2010,,,,",
        ]);
        let out = prepare(&table(&lines)).unwrap();
        for row in 4..7 {
            let (given, family) = (col(&out, "p_given", row), col(&out, "p_family", row));
            assert!(names::name_similarity(&given, "Fatima") > 0.95, "{given}");
            assert!(
                names::name_similarity(&family, "Al-Harbi") > 0.95,
                "{family}"
            );
        }
        assert_eq!(col(&out, "p_given", 7), "abd al rahman");
        // Without a list that keeps the two apart, the order written is kept.
        let alone = prepare(&table(&["n1,ngo,Al-Harbi Fatima,,,F,1990,,,,"])).unwrap();
        assert_eq!(col(&alone, "p_given", 0), "al harbi");
    }

    #[test]
    fn women_who_may_carry_a_married_name_and_their_households_names() {
        let out = prepare(&table(&[
            "m,gov,,Samira,Zayani,F,1990-04-12,,,,h1",
            "d,gov,,Maryam,Al-Harbi,F,2015-01-01,,,,h1",
            "s,gov,,Omar,Al-Harbi,M,2012-01-01,,,,h1",
            "x,ngo,Samira Al-Harbi,,,,1990,,,,",
            "y,ngo,Amina Tamimi,,,F,,,,,",
            "z,ngo,Omar Tamimi,,,,1990,,,,",
            "s2,camp,سميرة الحسني,,,F,1980,,,,",
            "s3,camp,سميرة بوعزاوي,,,F,1985,,,,",
        ]))
        .unwrap();
        assert_eq!(col(&out, "p_maybe_married", 0), "1");
        assert_eq!(col(&out, "p_household_families", 0), "Al-Harbi");
        assert_eq!(col(&out, "p_maybe_married", 1), "", "a girl of ten");
        assert_eq!(col(&out, "p_household_families", 1), "");
        assert_eq!(col(&out, "p_maybe_married", 2), "", "a boy");
        // No sex given: Samira is a woman's name, as the lists use it; Omar is not.
        assert_eq!(col(&out, "p_maybe_married", 3), "1");
        assert_eq!(col(&out, "p_maybe_married", 5), "");
        assert_eq!(
            col(&out, "p_maybe_married", 4),
            "1",
            "no birth: may be a wife"
        );
    }
}
