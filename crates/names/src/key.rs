//! Script-independent keys: the comparison key of a full name, its tokens, and the
//! short phonetic key for blocking.

use crate::particle::{fold_tokens, fold_units};
use crate::sound::Spelling;
use crate::words::{split_words, Word};

/// The folded tokens of a name as spellings (sound sequences).
pub(crate) fn spellings(s: &str) -> Vec<Spelling> {
    fold_tokens(&split_words(s))
}

fn skeleton_of(sp: &Spelling) -> String {
    let mut k = String::with_capacity(sp.sounds.len());
    sp.skeleton_into(&mut k);
    k
}

/// The comparison-key tokens of a full name, in order, particles folded (see
/// [`comparison_key`] for what a token key is).
///
/// ```
/// assert_eq!(names::tokens("Samira Bou Azzaoui"), ["smra", "bza"]);
/// assert_eq!(names::tokens("سميرة بوعزاوي"), ["smra", "bza"]);
/// assert_eq!(names::tokens("Abd al-Aziz"), names::tokens("عبد العزيز"));
/// ```
pub fn tokens(s: &str) -> Vec<String> {
    spellings(s)
        .iter()
        .map(skeleton_of)
        .filter(|k| !k.is_empty())
        .collect()
}

/// The name units of a full name, in the order written: the words of each comparison
/// token (a particle with its word, an ad-Din or Allah ending with the name before it,
/// a dropped article or bint with the word after it), cleaned and joined by spaces.
///
/// For telling a given name from a family name in a full name written as one string:
/// each unit reads back as exactly one token ([`tokens`] of a unit is that unit's key).
///
/// ```
/// assert_eq!(names::name_units("Abd al-Rahman Al-Harbi"), ["abd al rahman", "al harbi"]);
/// assert_eq!(names::name_units("Khadija bint Ahmed"), ["khadija", "bint ahmed"]);
/// assert_eq!(names::name_units("نور الدين بن علي"), ["نور الدين", "بن علي"]);
/// ```
pub fn name_units(s: &str) -> Vec<String> {
    let words = split_words(s);
    fold_units(&words)
        .into_iter()
        .filter(|(sp, _)| !sp.is_empty())
        .map(|(_, range)| {
            words[range]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The script-independent comparison key of a name: one skeleton per token,
/// space-separated, in the order written.
///
/// A token's skeleton is its consonant classes (repeats collapsed), with `a` in front
/// if it starts with a vowel, ع or ء and `a` at the end if it ends in a vowel. Arabic
/// and Latin spellings of one name usually give the same key:
///
/// ```
/// use names::comparison_key as key;
/// assert_eq!(key("سميرة"), key("Sameera"));
/// assert_eq!(key("محمد"), key("Mohammed"));
/// assert_eq!(key("الحسن"), key("El Hasan"));
/// assert_eq!(key("يوسف"), "ysf");
/// ```
///
/// Equal keys are evidence, not proof: the key forgets short and medial long vowels
/// (Hassan and Hussein share `hsn`). Use [`crate::name_similarity`] to score.
pub fn comparison_key(s: &str) -> String {
    key_of_words(&split_words(s))
}

/// The comparison key of already split words.
pub(crate) fn key_of_words(words: &[Word]) -> String {
    let mut out = String::with_capacity(words.len() * 6);
    for sp in fold_tokens(words) {
        let before = out.len();
        if !out.is_empty() {
            out.push(' ');
        }
        let start = out.len();
        sp.skeleton_into(&mut out);
        if out.len() == start {
            out.truncate(before);
        }
    }
    out
}

/// Longest phonetic key, in characters.
pub const PHONETIC_KEY_LEN: usize = 4;

/// A short key for blocking candidate pairs, the same in both scripts: the first
/// four characters of the token's skeleton without its final-vowel marker or final
/// `h`, with the
/// most often confused consonant classes merged further (`g` → `j`, `z` → `d`).
///
/// Why this shape: blocking must keep almost every true pair, so the key drops what
/// varies most between spellings (all vowels but the initial one, the ending, the
/// ج/g and ذ ظ/z/d alternations) and keeps four consonants, which is enough to
/// keep blocks small in camp-sized lists. If `token` contains several words
/// (Abu Hamza), its first folded token is used.
///
/// ```
/// assert_eq!(names::phonetic_key("Samira"), "smr");
/// assert_eq!(names::phonetic_key("سمير"), "smr");
/// assert_eq!(names::phonetic_key("Abderrahmane"), names::phonetic_key("عبد الرحمن"));
/// ```
pub fn phonetic_key(token: &str) -> String {
    spellings(token)
        .first()
        .map(phonetic_of)
        .unwrap_or_default()
}

/// The phonetic key of every token of a full name, in order: for blocking on any
/// token, so that given and family names written in either order still meet.
///
/// ```
/// assert_eq!(names::phonetic_keys("Samira Bou Azzaoui"), ["smr", "bd"]);
/// ```
pub fn phonetic_keys(s: &str) -> Vec<String> {
    spellings(s)
        .iter()
        .map(phonetic_of)
        .filter(|k| !k.is_empty())
        .collect()
}

pub(crate) fn phonetic_of(sp: &Spelling) -> String {
    let mut sk = skeleton_of(sp);
    if sk.len() > 1 && sk.ends_with('a') {
        sk.pop();
    }
    // A final h is ح in Salah but the silent ة in Fatimah: leave it out.
    if sk.len() > 1 && sk.ends_with('h') {
        sk.pop();
    }
    sk.bytes()
        .take(PHONETIC_KEY_LEN)
        .map(|b| match b {
            b'g' => 'j',
            b'z' => 'd',
            other => char::from(other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_meet_across_scripts() {
        for (a, b) in [
            ("سميرة", "Samira"),
            ("سميرة", "Smira"),
            ("بوعزاوي", "Bouazzaoui"),
            ("بوعزاوي", "Bu Azawi"),
            ("بوعزاوي", "Bouazzawi"),
            ("عائشة", "Aisha"),
            ("عائشة", "Aicha"),
            ("عائشة", "Ayesha"),
            ("محمد", "Muhammad"),
            ("محمد", "Mohamed"),
            ("خديجة", "Khadija"),
            ("خديجة", "Khadidja"),
            ("يوسف", "Youssef"),
            ("يوسف", "Yusuf"),
            ("الحسن", "al-Hassan"),
            ("الحسن", "Alhassan"),
            ("عبد العزيز", "Abdelaziz"),
            ("عبد العزيز", "Abdul Aziz"),
            ("عبدالعزيز", "Abd al-Aziz"),
            ("عبد الرحمن", "Abderrahmane"),
            ("عبد الرحمن", "Abdurrahman"),
            ("عبدالله", "Abdullah"),
            ("عبد الله", "Abdallah"),
            ("نور الدين", "Noureddine"),
            ("نور الدين", "Nour ed-Din"),
            ("أبو بكر", "Aboubakar"),
            ("أبو بكر", "Abu Bakr"),
            ("بن علي", "Benali"),
            ("بنعلي", "Ben Ali"),
            ("أم آدم", "Umm Adam"),
            ("أم آدم", "Oum Adam"),
            ("مريم", "Maryam"),
            ("مريم", "Mariam"),
            ("إبراهيم", "Ibrahim"),
            ("إسماعيل", "Ismail"),
            ("عمر", "Omar"),
            ("أسماء", "Asmae"),
            ("مروان", "Marouane"),
            ("الشامي", "Ech-Chami"),
            ("السيد", "Es-Sayed"),
        ] {
            assert_eq!(comparison_key(a), comparison_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn empty_and_noise() {
        assert_eq!(comparison_key(""), "");
        assert_eq!(comparison_key("  --  "), "");
        assert!(tokens("").is_empty());
        assert_eq!(phonetic_key(""), "");
    }

    #[test]
    fn phonetic_keys() {
        assert_eq!(phonetic_key("Samira"), phonetic_key("Samir"));
        assert_eq!(phonetic_key("Abdelkader"), phonetic_key("عبد القادر"));
        assert_eq!(phonetic_key("Gamal"), phonetic_key("جمال"));
        assert!(phonetic_key("Abderrahmane").len() <= PHONETIC_KEY_LEN);
    }

    #[test]
    fn each_unit_reads_back_as_its_one_token() {
        for name in [
            "Samira Bouazzaoui",
            "Abd al-Rahman Al-Harbi",
            "Mme Khadija bint Ahmed el Idrissi",
            "نور الدين بن عبد الرحمن",
            "Ech-Chami Nour ed-Din",
            "Yasmine Ben Youssef",
            "Hanane All-Khatib",
        ] {
            let units = name_units(name);
            let whole = tokens(name);
            assert_eq!(units.len(), whole.len(), "{name}: {units:?}");
            for (unit, token) in units.iter().zip(&whole) {
                assert_eq!(
                    tokens(unit),
                    std::slice::from_ref(token),
                    "{name}: unit {unit:?}"
                );
            }
        }
        assert!(name_units("").is_empty());
    }
}
