//! What the search index holds for one person, derived from the person's view alone
//! (pure), so that writing a view and rebuilding from the log give the same rows.

use model::event::Payload;
use model::ids::PersonId;
use model::person::{NameKind, RelationshipKind};
use model::projection::PersonView;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

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
#[cfg(test)]
fn name_keys(text: &str, out: &mut BTreeSet<String>) {
    token_and_pair_keys(&names::phonetic_keys(text), out);
}

/// The keys of one name from its token keys (`names::phonetic_keys`).
fn token_and_pair_keys(tokens: &[String], out: &mut BTreeSet<String>) {
    for t in tokens {
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

/// The token keys of names worked out ahead of the flush that writes them. Keying a name
/// is most of what preparing a person's rows costs; the thread that chains a batch has
/// time for it while the writer folds, whereas at the flush the thread pool would take
/// the core the writer needs. Only a cache: a name not here is keyed when asked.
#[derive(Default)]
pub(crate) struct KnownKeys(HashMap<String, Vec<String>>);

/// Names a batch keys ahead, about at most (checked before each run of events): bounds
/// the memory a huge import can take, to some 50 MiB for names of usual length.
const KNOWN_AT_MOST: usize = 250_000;

/// Names known past which they are let go of on a thread of their own.
const FORGET_APART_FROM: usize = 10_000;

impl KnownKeys {
    /// Keys the names that `payloads` give persons and `shared` does not know yet, then
    /// adds them to it: the lock is not held while keying.
    pub(crate) fn learn<'p>(shared: &Mutex<Self>, payloads: impl Iterator<Item = &'p Payload>) {
        let texts: Vec<&str> = payloads
            .flat_map(|payload| match payload {
                Payload::PersonRegistered { registration, .. } => registration.names.as_slice(),
                Payload::NameAdded { name, .. } => std::slice::from_ref(name),
                _ => &[],
            })
            .map(|n| n.text.as_str())
            .collect();
        let mut new: Vec<&str> = {
            let known = lock(shared);
            if known.0.len() >= KNOWN_AT_MOST {
                return;
            }
            texts
                .into_iter()
                .filter(|t| !known.0.contains_key(*t))
                .collect()
        };
        // A run names a family's members, and a camp list the same names, many times.
        new.sort_unstable();
        new.dedup();
        let keyed: Vec<(String, Vec<String>)> = new
            .into_iter()
            .map(|t| (t.to_string(), names::phonetic_keys(t)))
            .collect();
        lock(shared).0.extend(keyed);
    }

    /// Lets go of what is known on a thread of its own when it is much: freeing every
    /// name keyed on another thread would take the writer's time.
    pub(crate) fn forget(shared: &Mutex<Self>) {
        let known = std::mem::take(&mut *lock(shared));
        if known.0.len() > FORGET_APART_FROM {
            // Not started (no threads left): dropped here instead.
            let _ = std::thread::Builder::new().spawn(move || drop(known));
        }
    }

    /// `names::phonetic_keys(text)`, known or worked out now.
    fn tokens(&self, text: &str) -> Cow<'_, [String]> {
        match self.0.get(text) {
            Some(tokens) => Cow::Borrowed(tokens),
            None => Cow::Owned(names::phonetic_keys(text)),
        }
    }
}

/// The known keys behind `shared`; a cache stays usable after a panic elsewhere.
pub(crate) fn lock(shared: &Mutex<KnownKeys>) -> MutexGuard<'_, KnownKeys> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

impl IndexEntry {
    /// The entry of `view`, its names keyed with the help of `known`.
    pub(crate) fn keyed(view: &PersonView, known: &KnownKeys) -> Self {
        let mut keys = BTreeSet::new();
        for n in &view.names {
            token_and_pair_keys(&known.tokens(&n.text), &mut keys);
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
                if let Some(k) = known.tokens(&n.text).first().cloned() {
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
    fn known_keys_are_the_keys_worked_out_when_asked() {
        use model::person::{EvidenceGrade, Name, Relationship};
        let person = PersonId::from_u128(1);
        let names: Vec<Name> = ["Samira Bouazzaoui", "سميرة بوعزاوي", "Umm Adam"]
            .into_iter()
            .map(|n| Name::new(n, NameKind::Full, None))
            .collect();
        let added: Vec<Payload> = names
            .iter()
            .map(|name| Payload::NameAdded {
                person,
                name: name.clone(),
            })
            .collect();
        let known = Mutex::new(KnownKeys::default());
        KnownKeys::learn(&known, added.iter());
        let known = known.into_inner().unwrap();
        assert_eq!(known.0.len(), 3);
        for n in &names {
            assert_eq!(
                known.tokens(&n.text).as_ref(),
                names::phonetic_keys(&n.text).as_slice()
            );
        }
        let mut view = PersonView::stub(person);
        view.names = names;
        // A child: the kin postings take the given name's key too.
        view.relationships.push(Relationship {
            kind: RelationshipKind::ChildOf,
            other: PersonId::from_u128(2),
            evidence: EvidenceGrade::Asserted,
        });
        assert!(!IndexEntry::keyed(&view, &known).kin.is_empty());
        assert_eq!(
            IndexEntry::keyed(&view, &known),
            IndexEntry::keyed(&view, &KnownKeys::default())
        );
    }

    #[test]
    fn a_name_without_letters_has_no_keys() {
        let mut keys = BTreeSet::new();
        name_keys(" - 123 ", &mut keys);
        assert!(keys.is_empty(), "{keys:?}");
    }
}
