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
//!    script shows it, and a weak glottal for ع/ء.
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
//! differ in a written vowel (Hassan/Hussein).

#![forbid(unsafe_code)]

mod arabic;
mod key;
mod kunya;
mod latin;
mod nationality;
mod normalise;
mod particle;
mod script;
mod similarity;
mod sound;
mod words;

pub use key::{comparison_key, phonetic_key, tokens, PHONETIC_KEY_LEN};
pub use kunya::{parse_kunya, Kunya, Relation};
pub use nationality::nationality_adjective;
pub use normalise::normalise;
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
