//! Kunyas: "mother of" / "father of" names (Umm Adam, أم آدم, Abu Hamza).
//!
//! In the camps many women were known, and listed, only by a kunya, often with a
//! nationality adjective (Umm Adam al-Beljikiya). A kunya names a child, so it is
//! evidence for linking a mother to her children and for her nationality.

use crate::particle::{self, Prefix, ARABIC_ABU_KUNYA, ARABIC_UMM, LATIN_ABU_KUNYA, LATIN_UMM};
use crate::words::{split_words, Word};

/// Whose kunya it is: Umm (mother of) or Abu (father of).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Umm, Um, Oum, أم.
    Mother,
    /// Abu, Abou, Abo, أبو.
    Father,
}

/// A parsed kunya.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kunya {
    /// Mother (Umm …) or father (Abu …).
    pub relation: Relation,
    /// The child's name as written, normalised ([`crate::normalise`]): `adam`, `ادم`,
    /// `abd al-rahman`.
    pub child_name: String,
    /// The child's name as a comparison key ([`crate::comparison_key`]), to match
    /// against the given names of children in the same household.
    pub child_key: String,
    /// What follows the child's name, normalised (a nationality adjective, a nisba,
    /// a family name), if anything.
    pub rest: Option<String>,
    /// The country of the first nationality adjective in `rest`, ISO 3166-1 alpha-2.
    pub nationality: Option<&'static str>,
}

impl Kunya {
    /// How well `name` (a child's given name, any script) matches the child this
    /// kunya names, in [0, 1] as [`crate::name_similarity`]: evidence that a woman
    /// listed as Umm Adam is the mother of a boy listed as Adam.
    pub fn child_similarity(&self, name: &str) -> f64 {
        crate::name_similarity(&self.child_name, name)
    }
}

fn relation(w: &Word) -> Option<Relation> {
    let t = w.text.as_str();
    let (umm, abu) = if w.arabic {
        (ARABIC_UMM, ARABIC_ABU_KUNYA)
    } else {
        (LATIN_UMM, LATIN_ABU_KUNYA)
    };
    if umm.contains(&t) {
        Some(Relation::Mother)
    } else if abu.contains(&t) {
        Some(Relation::Father)
    } else {
        None
    }
}

/// Parses a kunya in `s`, in either script: `Umm Adam`, `Oum Adam al-Beljikiya`,
/// `أم آدم البلجيكية`, `Abu Hamza`, `Umm Abd al-Rahman`.
///
/// A mother's kunya is found anywhere (`Fatima Ahmed (Umm Yusuf)`): no family name
/// begins with Umm. A father's only at the start, because Abu Zaid, Abou Hamed and
/// the like are also family names (`Ahmed Abu Zaid`). Returns `None` if there is no
/// umm/abu followed by a name.
///
/// ```
/// use names::{parse_kunya, Relation};
/// let k = parse_kunya("Oum Adam al-Beljikiya").unwrap();
/// assert_eq!(k.relation, Relation::Mother);
/// assert_eq!(k.child_name, "adam");
/// assert_eq!(k.nationality, Some("BE"));
/// assert_eq!(k.child_key, names::comparison_key("آدم"));
/// ```
pub fn parse_kunya(s: &str) -> Option<Kunya> {
    let words = split_words(s);
    let (at, rel) = words
        .iter()
        .enumerate()
        .take(words.len().saturating_sub(1))
        .find_map(|(i, w)| match relation(w) {
            Some(Relation::Father) if i > 0 => None,
            Some(r) => Some((i, r)),
            None => None,
        })?;
    let words = &words[at..];
    let mut i = 1;
    // Tolerate an article right after the particle (Abu al-Qasim).
    if let (Some(w), Some(n)) = (words.get(i), words.get(i + 1)) {
        if particle::is_article(w, n) {
            i += 1;
        }
    }
    let start = i;
    let first = words.get(i)?;
    i += 1;
    // Abd + (article) + name is one child name.
    if particle::prefix(first) == Some(Prefix::Abd) {
        if let (Some(w), Some(n)) = (words.get(i), words.get(i + 1)) {
            if particle::is_article(w, n) {
                i += 1;
            }
        }
        if i < words.len() {
            i += 1;
        }
    }
    // The endings ad-Din and Allah belong to the child's name (Umm Nour ed-Din).
    loop {
        let skip_article = match (words.get(i), words.get(i + 1)) {
            (Some(w), Some(n)) if particle::is_article(w, n) && particle::is_suffix(n) => 2,
            (Some(w), _) if particle::is_suffix(w) => 1,
            _ => 0,
        };
        if skip_article == 0 {
            break;
        }
        i += skip_article;
    }
    let child = &words[start..i];
    let rest_words = &words[i..];
    let mut child_name = String::new();
    crate::normalisation::write_words(child, &mut child_name);
    let child_key = crate::key::key_of_words(child);
    let rest = if rest_words.is_empty() {
        None
    } else {
        let mut r = String::new();
        crate::normalisation::write_words(rest_words, &mut r);
        Some(r)
    };
    let nationality = particle::fold_tokens(rest_words)
        .iter()
        .find_map(crate::nationality::spelling_nationality);
    Some(Kunya {
        relation: rel,
        child_name,
        child_key,
        rest,
        nationality,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mothers() {
        let k = parse_kunya("Umm Adam").unwrap();
        assert_eq!(k.relation, Relation::Mother);
        assert_eq!(k.child_name, "adam");
        assert_eq!(k.rest, None);
        assert_eq!(k.nationality, None);

        let k = parse_kunya("أم آدم البلجيكية").unwrap();
        assert_eq!(k.relation, Relation::Mother);
        assert_eq!(k.child_name, "ادم");
        assert_eq!(k.child_key, parse_kunya("Umm Adam").unwrap().child_key);
        assert_eq!(k.rest.as_deref(), Some("البلجيكيه"));
        assert_eq!(k.nationality, Some("BE"));

        let k = parse_kunya("Um Abd al-Rahman al-Faransiya").unwrap();
        assert_eq!(k.child_name, "abd al-rahman");
        assert_eq!(k.child_key, crate::comparison_key("Abderrahmane"));
        assert_eq!(k.rest.as_deref(), Some("al-faransiya"));
        assert_eq!(k.nationality, Some("FR"));

        let k = parse_kunya("Oum Nour ed-Din al-Almaniya").unwrap();
        assert_eq!(k.child_key, crate::comparison_key("Noureddine"));
        assert_eq!(k.nationality, Some("DE"));
    }

    #[test]
    fn child_matches_across_scripts() {
        let k = parse_kunya("أم آدم البلجيكية").unwrap();
        assert!(k.child_similarity("Adam") >= crate::SAME_NAME);
        assert!(k.child_similarity("Adem") >= crate::SAME_NAME);
        assert!(k.child_similarity("Hamza") < 0.5);
    }

    #[test]
    fn kunya_after_a_name() {
        let k = parse_kunya("Fatima Ahmed (Umm Yusuf)").unwrap();
        assert_eq!(k.relation, Relation::Mother);
        assert_eq!(k.child_name, "yusuf");
        assert_eq!(k.rest, None);
        let k = parse_kunya("فاطمة أحمد أم يوسف").unwrap();
        assert_eq!(k.child_key, crate::comparison_key("Youssef"));
    }

    #[test]
    fn fathers() {
        let k = parse_kunya("Abu Hamza").unwrap();
        assert_eq!(k.relation, Relation::Father);
        assert_eq!(k.child_name, "hamza");
        let k = parse_kunya("أبو حمزة الشيشاني").unwrap();
        assert_eq!(k.relation, Relation::Father);
        assert_eq!(k.child_key, crate::comparison_key("Hamza"));
        assert_eq!(k.nationality, Some("RU"));
        let k = parse_kunya("Abou Obeida al-Tounsi").unwrap();
        assert_eq!(k.nationality, Some("TN"));
    }

    #[test]
    fn not_kunyas() {
        for s in [
            "Umm",
            "Samira Bouazzaoui",
            "Bou Azza",
            "",
            "أم",
            "Adam Umm",
            "Ahmed Abu Zaid",
        ] {
            assert_eq!(parse_kunya(s), None, "{s}");
        }
    }
}
