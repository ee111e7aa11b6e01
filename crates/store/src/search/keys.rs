//! What the search index holds for one person, derived from the person's view alone
//! (pure), so that writing a view and rebuilding from the log give the same rows.

use model::ids::PersonId;
use model::person::{NameKind, RelationshipKind};
use model::projection::PersonView;
use std::collections::BTreeSet;

/// Separates names in the stored `names` column (never part of a name).
pub(crate) const NAME_SEPARATOR: char = '\u{1f}';

/// The index entry of one registered person.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct IndexEntry {
    /// Token keys (one per phonetic token key) and pair keys (`"a b"`, sorted) of all
    /// the person's names: the postings the person appears in.
    pub keys: BTreeSet<String>,
    /// Kinship postings this person contributes as a child: (given-name key, parent).
    /// "Umm Adam" finds the parents of every child whose given name has Adam's key.
    pub kin: BTreeSet<(String, PersonId)>,
}

/// Tokens of one name that are paired: a nasab of up to six names (given, father,
/// grandfather, family, tribe...) gives at most fifteen pairs.
pub(crate) const PAIRED_TOKENS: usize = 6;

/// Pair keys join every two tokens of a name (the first [`PAIRED_TOKENS`]), order-free,
/// so "given family" and "family given" meet, so do "given father" of a nasab and
/// "father family" when the given name is misspelt beyond its key.
pub(crate) fn name_keys(text: &str, out: &mut BTreeSet<String>) {
    let tokens = names::phonetic_keys(text);
    for t in &tokens {
        out.insert(t.clone());
    }
    let paired = &tokens[..tokens.len().min(PAIRED_TOKENS)];
    for (i, a) in paired.iter().enumerate() {
        for b in &paired[i + 1..] {
            if a != b {
                out.insert(pair_key(a, b));
            }
        }
    }
}

/// The pair key of two token keys, order-free.
pub(crate) fn pair_key(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a} {b}")
    } else {
        format!("{b} {a}")
    }
}

/// The key a kunya's child name is looked up under: the phonetic key of the first token.
pub(crate) fn given_key(text: &str) -> Option<String> {
    names::phonetic_keys(text).into_iter().next()
}

impl IndexEntry {
    pub(crate) fn of(view: &PersonView) -> Self {
        let mut keys = BTreeSet::new();
        for n in &view.names {
            name_keys(&n.text, &mut keys);
        }
        let mut kin = BTreeSet::new();
        let parents: Vec<PersonId> = view
            .relationships
            .iter()
            .filter(|r| r.kind == RelationshipKind::ChildOf)
            .map(|r| r.other)
            .collect();
        if !parents.is_empty() {
            for n in view.names.iter().filter(|n| n.kind != NameKind::Kunya) {
                if let Some(k) = given_key(&n.text) {
                    for p in &parents {
                        kin.insert((k.clone(), *p));
                    }
                }
            }
        }
        Self { keys, kin }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_orders_share_keys() {
        let mut latin = BTreeSet::new();
        name_keys("Samira Bouazzaoui", &mut latin);
        let mut arabic = BTreeSet::new();
        name_keys("سميرة بوعزاوي", &mut arabic);
        let mut swapped = BTreeSet::new();
        name_keys("Bouazzaoui Samira", &mut swapped);
        assert_eq!(latin, arabic);
        assert_eq!(latin, swapped);
        assert!(latin.iter().any(|k| k.contains(' ')), "{latin:?}");
    }

    #[test]
    fn every_two_tokens_are_paired_so_a_misspelt_given_name_still_meets() {
        let mut stored = BTreeSet::new();
        name_keys("Bushra Yahya al-Hamad", &mut stored);
        let tokens = names::phonetic_keys("Bushra Yahya al-Hamad");
        assert_eq!(tokens.len(), 3, "{tokens:?}");
        // The father's and family names' pair, not only pairs with the given name.
        assert!(
            stored.contains(&pair_key(&tokens[1], &tokens[2])),
            "{stored:?}"
        );
        assert_eq!(stored.len(), 3 + 3);
    }

    #[test]
    fn long_names_pair_only_their_first_tokens() {
        let mut stored = BTreeSet::new();
        name_keys(
            "Ahmad Bakr Faris Hamid Jamal Karim Latif Nadir",
            &mut stored,
        );
        let tokens = names::phonetic_keys("Ahmad Bakr Faris Hamid Jamal Karim Latif Nadir");
        let pairs = stored.iter().filter(|k| k.contains(' ')).count();
        assert_eq!(pairs, PAIRED_TOKENS * (PAIRED_TOKENS - 1) / 2, "{tokens:?}");
    }

    #[test]
    fn a_name_without_letters_has_no_keys() {
        let mut keys = BTreeSet::new();
        name_keys(" - 123 ", &mut keys);
        assert!(keys.is_empty(), "{keys:?}");
    }
}
