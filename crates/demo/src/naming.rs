//! Names for one person, as the lists of October 2019 would hold them.
//!
//! Every adult gets names in Arabic script and in Latin script: a woman born in Europe has
//! her birth name in Latin script, an Arabic-script rendering of it or an Arabic name she
//! took, and a kunya ("Umm Adam", أم آدم) from her eldest son; a Tunisian, Moroccan, Iraqi
//! or Syrian woman has her Arabic-script full name and one or two romanisations in the
//! spelling habits of whoever wrote the list (French-style ou/ch/dj, English-style
//! u/sh/j, al- or el-). Children are named in Arabic with Latin variants.

use crate::arabic_rendering;
use crate::dice::Dice;
use crate::name_pools::{
    LatinCyrillic, LatinPool, Romanised, AMERICAN, CANADIAN, CAUCASUS, CENTRAL_ASIAN, DUTCH,
    ENGLISH, FAMILY_MAGHREB, FAMILY_MASHRIQ, FEMALE_ARABIC, FLEMISH, FRENCH, GERMAN, INDONESIAN,
    MALE_ARABIC, NORDIC, TRINIDADIAN, TURKISH,
};
use crate::nationality::{Country, Culture, Origin};
use model::person::{Name, NameKind, Sex};
use model::ReportId;

/// Whose spelling habits a romanisation follows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    English,
    French,
}

impl Style {
    fn of(culture: Culture) -> Self {
        match culture {
            Culture::Maghreb | Culture::French | Culture::Flemish | Culture::Canadian => {
                Style::French
            }
            _ => Style::English,
        }
    }
}

/// How a romanisation is chosen: the list's usual spelling, or another one.
fn spell(name: &Romanised, style: Style, vary: bool, dice: &mut Dice) -> &'static str {
    let (usual, alternative) = match style {
        Style::English => (name.english, name.french),
        Style::French => (name.french, name.english),
    };
    if !vary {
        return usual;
    }
    match dice.choose(name.other) {
        Some(other) if dice.chance(650) => other,
        _ => alternative,
    }
}

/// The family line children take their names from: their father's, as the mother gave it.
#[derive(Clone, Copy, Debug)]
pub enum FamilyLine {
    /// An Arab father. Camp lists in Arabic script give a child's name, the father's, (in
    /// Iraq also the grandfather's) and the family name; Latin-script documents keep the
    /// father's name for Iraqis and Syrians, but only "given family" in the Maghreb.
    Arabic {
        father: &'static Romanised,
        grandfather: Option<&'static Romanised>,
        family: &'static Romanised,
        style: Style,
        latin_nasab: bool,
    },
    /// A father known by a Latin-script family name (a convert, or Turkish, Indonesian…).
    Latin { family: &'static str, style: Style },
    /// A father from the North Caucasus or Central Asia; sons take the family name
    /// without the final -a.
    Cyrillic { family: LatinCyrillic },
}

/// The father's family line and his nationality, if it differs from the mother's.
pub fn father_line(origin: &Origin, dice: &mut Dice) -> (FamilyLine, Option<Country>) {
    let arab = |dice: &mut Dice, maghreb: bool, style: Style| FamilyLine::Arabic {
        father: dice.pick(&MALE_ARABIC),
        grandfather: (!maghreb && origin.country == Country::Iraq).then(|| dice.pick(&MALE_ARABIC)),
        family: if maghreb {
            dice.pick(&FAMILY_MAGHREB)
        } else {
            dice.pick(&FAMILY_MASHRIQ)
        },
        style,
        latin_nasab: !maghreb,
    };
    let style = Style::of(origin.culture);
    match origin.culture {
        Culture::Maghreb => {
            let father = if dice.chance(800) {
                origin.country
            } else {
                *dice.pick(&[Country::Tunisia, Country::Morocco, Country::Algeria])
            };
            (arab(dice, true, style), Some(father))
        }
        Culture::Mashriq => {
            let father = if dice.chance(850) {
                origin.country
            } else {
                *dice.pick(&[Country::Iraq, Country::Syria, Country::Egypt])
            };
            (arab(dice, false, style), Some(father))
        }
        Culture::Caucasus => (
            FamilyLine::Cyrillic {
                family: *dice.pick(&CAUCASUS.family),
            },
            Some(origin.country),
        ),
        Culture::CentralAsian => (
            FamilyLine::Cyrillic {
                family: *dice.pick(&CENTRAL_ASIAN.family),
            },
            Some(origin.country),
        ),
        Culture::Turkish => (
            FamilyLine::Latin {
                family: dice.draw(&TURKISH.family),
                style,
            },
            Some(Country::Turkey),
        ),
        western => {
            // Many European women married a fighter from the Maghreb or the Middle East;
            // others a convert from home.
            if dice.chance(550) {
                let maghreb = matches!(
                    origin.country,
                    Country::France | Country::Belgium | Country::Netherlands
                );
                let father = if maghreb {
                    *dice.pick(&[Country::Morocco, Country::Tunisia, Country::Algeria])
                } else {
                    *dice.pick(&[Country::Iraq, Country::Syria, Country::Egypt])
                };
                (arab(dice, maghreb, style), Some(father))
            } else {
                let pool = latin_pool(western).unwrap_or(&ENGLISH);
                (
                    FamilyLine::Latin {
                        family: dice.draw(&pool.family),
                        style,
                    },
                    Some(origin.country),
                )
            }
        }
    }
}

fn latin_pool(culture: Culture) -> Option<&'static LatinPool> {
    Some(match culture {
        Culture::French => &FRENCH,
        Culture::Flemish => &FLEMISH,
        Culture::Dutch => &DUTCH,
        Culture::German => &GERMAN,
        Culture::English => &ENGLISH,
        Culture::American => &AMERICAN,
        Culture::Canadian => &CANADIAN,
        Culture::Nordic => &NORDIC,
        Culture::Turkish => &TURKISH,
        Culture::Indonesian => &INDONESIAN,
        Culture::Trinidadian => &TRINIDADIAN,
        Culture::Caucasus | Culture::CentralAsian | Culture::Mashriq | Culture::Maghreb => {
            return None
        }
    })
}

/// Builds a person's name list, tagging each with the report it came from.
struct Names {
    names: Vec<Name>,
    source: Option<ReportId>,
}

impl Names {
    fn new(source: ReportId) -> Self {
        Self {
            names: Vec::with_capacity(6),
            source: Some(source),
        }
    }

    fn add(&mut self, text: String, kind: NameKind) {
        if !self.names.iter().any(|n| n.text == text) {
            self.names.push(Name::new(text, kind, self.source));
        }
    }

    fn has_script(&self, script: model::person::Script) -> bool {
        self.names.iter().any(|n| n.script == script)
    }
}

fn join(parts: &[&str]) -> String {
    parts.join(" ")
}

/// A kunya: "mother of" her eldest son (or eldest child), in Arabic and often in Latin.
fn add_kunya(names: &mut Names, child: &Romanised, style: Style, dice: &mut Dice) {
    names.add(format!("أم {}", child.arabic), NameKind::Kunya);
    if dice.chance(750) {
        let (prefix, spelled) = match style {
            Style::French => (*dice.pick(&["Oum", "Oum", "Umm"]), child.french),
            Style::English => (*dice.pick(&["Umm", "Umm", "Um"]), child.english),
        };
        names.add(format!("{prefix} {spelled}"), NameKind::Kunya);
    }
}

/// A woman's names. `kunya_child` is the child her kunya names, if she has children.
pub fn woman(
    origin: &Origin,
    kunya_child: Option<&Romanised>,
    source: ReportId,
    dice: &mut Dice,
) -> Vec<Name> {
    let mut names = Names::new(source);
    let style = Style::of(origin.culture);
    match origin.culture {
        Culture::Mashriq | Culture::Maghreb => {
            let maghreb = origin.culture == Culture::Maghreb;
            let given = dice.pick(&FEMALE_ARABIC);
            let father = dice.pick(&MALE_ARABIC);
            let grandfather = dice.pick(&MALE_ARABIC);
            let family = if maghreb {
                dice.pick(&FAMILY_MAGHREB)
            } else {
                dice.pick(&FAMILY_MASHRIQ)
            };
            // Iraqi lists give four names, Syrian ones three; Maghreb and European
            // documents in Latin script give only the given and family name.
            let ancestors: &[&Romanised] = if origin.country == Country::Iraq {
                &[father, grandfather]
            } else {
                &[father]
            };
            let latin_nasab = !maghreb && !origin.country.is_western();
            arab_names(
                &mut names,
                given,
                ancestors,
                family,
                style,
                latin_nasab,
                550,
                dice,
            );
        }
        Culture::Caucasus | Culture::CentralAsian => {
            let pool = if origin.culture == Culture::Caucasus {
                &CAUCASUS
            } else {
                &CENTRAL_ASIAN
            };
            let (given_latin, given_cyrillic) = *dice.pick(&pool.given);
            let (family_latin, family_cyrillic) = *dice.pick(&pool.family);
            // Russian and Central Asian documents give the patronymic; lists often drop it.
            let (latin, cyrillic) = if dice.chance(600) {
                let (patronymic_latin, patronymic_cyrillic) = *dice.pick(&pool.patronymic);
                (
                    join(&[given_latin, patronymic_latin, family_latin]),
                    join(&[given_cyrillic, patronymic_cyrillic, family_cyrillic]),
                )
            } else {
                (
                    join(&[given_latin, family_latin]),
                    join(&[given_cyrillic, family_cyrillic]),
                )
            };
            names.add(latin.clone(), NameKind::Full);
            names.add(cyrillic, NameKind::Full);
            if dice.chance(400) {
                names.add(romanisation_variant(&latin), NameKind::Full);
            }
            if dice.chance(600) {
                add_taken_name(&mut names, style, dice);
            } else {
                names.add(arabic_rendering::render(&latin), NameKind::Full);
            }
        }
        western => {
            let pool = latin_pool(western).unwrap_or(&ENGLISH);
            let given = dice.pick(&pool.given);
            let family = dice.pick(&pool.family);
            // Half carry a second given name, as birth registers do.
            let birth_name = match dice.pick(&pool.given) {
                middle if middle != given && dice.chance(500) => join(&[given, middle, family]),
                _ => join(&[given, family]),
            };
            names.add(birth_name.clone(), NameKind::Full);
            let converts = !matches!(western, Culture::Turkish | Culture::Indonesian);
            if !converts || dice.chance(550) {
                names.add(arabic_rendering::render(&birth_name), NameKind::Full);
            }
            if converts && dice.chance(700) {
                add_taken_name(&mut names, style, dice);
            }
        }
    }
    if let Some(child) = kunya_child {
        add_kunya(&mut names, child, style, dice);
    }
    // Every adult carries both scripts; a childless woman born in Europe may have neither
    // an Arabic name nor a kunya yet, so her birth name is written in Arabic script.
    if !names.has_script(model::person::Script::Arabic) {
        if let Some(latin) = names.names.first().map(|n| n.text.clone()) {
            names.add(arabic_rendering::render(&latin), NameKind::Full);
        }
    }
    names.names
}

/// An Arab name as lists hold it: in Arabic script with the ancestors' names; in Latin
/// script in the list's usual spelling and, with `vary_per_mille`, in another spelling.
#[allow(clippy::too_many_arguments)]
fn arab_names(
    names: &mut Names,
    given: &Romanised,
    ancestors: &[&Romanised],
    family: &Romanised,
    style: Style,
    latin_nasab: bool,
    vary_per_mille: u32,
    dice: &mut Dice,
) {
    let mut arabic: Vec<&str> = vec![given.arabic];
    arabic.extend(ancestors.iter().map(|a| a.arabic));
    arabic.push(family.arabic);
    names.add(join(&arabic), NameKind::Full);
    let latin = |dice: &mut Dice, vary: bool, nasab: bool| {
        let mut parts = vec![spell(given, style, vary, dice)];
        if nasab {
            parts.extend(ancestors.iter().map(|a| spell(a, style, vary, dice)));
        }
        parts.push(spell(family, style, vary, dice));
        join(&parts)
    };
    let usual = latin(dice, false, latin_nasab);
    names.add(usual, NameKind::Full);
    if dice.chance(vary_per_mille) {
        // Another clerk, another habit: other spellings, the father's name or not.
        let nasab = latin_nasab || dice.chance(300);
        let varied = latin(dice, true, nasab);
        names.add(varied, NameKind::Full);
    }
}

/// An Arabic given name a convert took, as an alias in both scripts.
fn add_taken_name(names: &mut Names, style: Style, dice: &mut Dice) {
    let taken = dice.pick(&FEMALE_ARABIC);
    names.add(taken.arabic.to_string(), NameKind::Alias);
    names.add(
        spell(taken, style, false, dice).to_string(),
        NameKind::Alias,
    );
}

/// Another common romanisation of a name transliterated from Cyrillic (zh/j, kh/h, -ieva/-iyeva).
fn romanisation_variant(latin: &str) -> String {
    let varied = latin
        .replace("Dzh", "J")
        .replace("dzh", "j")
        .replace("zh", "j")
        .replace("Kh", "H")
        .replace("kh", "h")
        .replace("ieva", "iyeva")
        .replace("aeva", "ayeva");
    if varied == latin {
        latin.replace('y', "i")
    } else {
        varied
    }
}

/// A child's given name, drawn for its sex.
pub fn child_given(sex: Sex, dice: &mut Dice) -> &'static Romanised {
    match sex {
        Sex::Male => dice.pick(&MALE_ARABIC),
        _ => dice.pick(&FEMALE_ARABIC),
    }
}

/// A child's names: an Arabic given name with the father's line, in both scripts.
pub fn child(
    given: &Romanised,
    sex: Sex,
    line: &FamilyLine,
    source: ReportId,
    dice: &mut Dice,
) -> Vec<Name> {
    let mut names = Names::new(source);
    match *line {
        FamilyLine::Arabic {
            father,
            grandfather,
            family,
            style,
            latin_nasab,
        } => {
            let with_grandfather = [father, grandfather.unwrap_or(father)];
            let ancestors: &[&Romanised] = if grandfather.is_some() {
                &with_grandfather
            } else {
                &with_grandfather[..1]
            };
            arab_names(
                &mut names,
                given,
                ancestors,
                family,
                style,
                latin_nasab,
                350,
                dice,
            );
        }
        FamilyLine::Latin { family, style } => {
            names.add(
                join(&[given.arabic, &arabic_rendering::render(family)]),
                NameKind::Full,
            );
            names.add(
                join(&[spell(given, style, false, dice), family]),
                NameKind::Full,
            );
            if dice.chance(300) {
                names.add(
                    join(&[spell(given, style, true, dice), family]),
                    NameKind::Full,
                );
            }
        }
        FamilyLine::Cyrillic { family: (latin, _) } => {
            let family = if sex == Sex::Male {
                latin.strip_suffix('a').unwrap_or(latin)
            } else {
                latin
            };
            names.add(
                join(&[given.arabic, &arabic_rendering::render(family)]),
                NameKind::Full,
            );
            names.add(join(&[given.english, family]), NameKind::Full);
            if dice.chance(300) {
                names.add(
                    romanisation_variant(&join(&[
                        spell(given, Style::English, true, dice),
                        family,
                    ])),
                    NameKind::Full,
                );
            }
        }
    }
    names.names
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::person::Script;

    #[test]
    fn every_woman_has_both_scripts() {
        let mut dice = Dice::new(11);
        let source = ReportId::from_u128(1);
        for population in [
            crate::nationality::Population::WesternHeavy,
            crate::nationality::Population::AlHolAnnex,
            crate::nationality::Population::IraqiMajority,
        ] {
            for i in 0..300 {
                let origin = population.draw_origin(&mut dice);
                let kunya = (i % 3 != 0).then(|| child_given(Sex::Male, &mut dice));
                let names = woman(&origin, kunya, source, &mut dice);
                assert!(
                    names.iter().any(|n| n.script == Script::Arabic),
                    "{names:?}"
                );
                assert!(names.iter().any(|n| n.script == Script::Latin), "{names:?}");
            }
        }
    }

    #[test]
    fn cyrillic_romanisations_vary() {
        assert_eq!(
            romanisation_variant("Khadizhat Gadzhieva"),
            "Hadijat Gajiyeva"
        );
    }
}
