//! Names across scripts: normalisation, comparison keys, kunyas and comparators.
//!
//! People in the camps of north-east Syria appear in Arabic-script lists kept by camp
//! administrations, in Latin-script government and consular lists, in journalists'
//! notes and in text messages typed on phones — each spelling the same name its own
//! way (سميرة, Samira, Sameera, Smira), with or without particles (al-Hassan,
//! Elhassan, الحسن), and often only by a kunya (Umm Adam al-Beljikiya). This crate
//! makes those spellings comparable. It is pure computation: no I/O.
//!
//! # How spellings meet
//!
//! 1. A name is split into words ([`normalise`] shows the cleaned words).
//! 2. Particles are folded: the article is dropped, abu/bin/umm/abd are joined to the
//!    word after them with one canonical sound, ad-Din/Allah joined to the word before.
//! 3. Each token is read into a small shared **sound alphabet** — consonant classes
//!    that merge what romanisations confuse, vowel qualities with length where the
//!    script shows it, and a weak glottal for ع/ء. Common names in Arabic script are
//!    read from a table of their vocalisations, so that their short vowels count too.
//! 4. From the sounds come the **comparison key** ([`comparison_key`], [`tokens`]) and
//!    the **phonetic key** ([`phonetic_key`]) — coarse, for equality and blocking —
//!    and the **name similarity** ([`name_similarity`]) — a weighted alignment of
//!    sounds that knows Arabic does not write short vowels, paired over tokens in any
//!    order.
//!
//! # Thresholds
//!
//! [`SAME_NAME`] (0.85) is the level at which two spellings are taken as one name;
//! [`STRICT_SAME_NAME`] (0.90) separates names that share a consonant skeleton but
//! differ in a written vowel (Hassan/Hussein). Samira and Samir (feminine and
//! masculine) are kept apart at both: the final vowel is written in both scripts.
//!
//! # Use in record linkage and search
//!
//! * Read each name once with [`PreparedName::new`] and compare with
//!   [`PreparedName::similarity`]; [`name_similarity`] on raw strings reads both
//!   names on every call.
//! * Block on [`phonetic_keys`] (one short key per token, so given and family names
//!   meet in either order) or on [`comparison_key`] for exact-key passes.
//! * A `full_name` that is only a kunya: [`parse_kunya`] gives the child's name (to
//!   match against the household's children with [`Kunya::child_similarity`]) and a
//!   nationality adjective as an ISO code.
//! * Agreement levels for a Fellegi–Sunter model can be cut from the similarity:
//!   equal comparison keys, ≥ [`STRICT_SAME_NAME`], ≥ [`SAME_NAME`], below.
//!
//! ```
//! use names::{PreparedName, SAME_NAME};
//! let list_a = PreparedName::new("Samira Bouazzaoui");
//! let list_b = PreparedName::new("سميرة بوعزاوي");
//! assert!(list_a.similarity(&list_b) >= SAME_NAME);
//! assert_eq!(names::phonetic_keys("Bouazzaoui Samira"), ["bd", "smr"]);
//! ```

#![forbid(unsafe_code)]

mod arabic;
mod cyrillic;
mod key;
mod kunya;
mod latin;
mod lexicon;
mod nationality;
mod normalisation;
mod particle;
mod script;
mod similarity;
mod sound;
mod words;

pub use key::{comparison_key, name_units, phonetic_key, phonetic_keys, tokens, PHONETIC_KEY_LEN};
pub use kunya::{parse_kunya, Kunya, Relation};
pub use nationality::nationality_adjective;
pub use normalisation::normalise;
pub use script::{detect_script, Script};
pub use similarity::{
    jaro_winkler, levenshtein, name_similarity, normalised_levenshtein, osa_distance,
    token_set_similarity, PreparedName, EXTRA_TOKEN_PENALTY,
};

/// Similarity at or above which two spellings are taken to be one name (calibrated
/// on the variant tables in the tests: all listed variants meet it).
pub const SAME_NAME: f64 = 0.85;

/// A stricter level that also separates names sharing a skeleton but not a written
/// vowel (Hassan/Hussein, Samira/Samir, Mohammed/Mahmoud).
pub const STRICT_SAME_NAME: f64 = 0.90;
