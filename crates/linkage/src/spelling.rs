//! The engine's view of names: the few functions of the `names` crate it uses, in one
//! place, so comparisons, blocking and the person preset agree on what a name key is.

pub use names::{PreparedName, SAME_NAME};

/// The script-independent comparison key of a name with its tokens sorted, so that
/// token order does not matter (Arabic- and Latin-script spellings meet).
pub fn name_key(s: &str) -> String {
    let mut tokens = names::tokens(s);
    tokens.sort_unstable();
    tokens.join(" ")
}

/// Phonetic blocking keys, one per written word of the name (deduplicated).
pub fn phonetic_keys(s: &str) -> Vec<String> {
    let mut keys: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(names::phonetic_key)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The words of each comparison token of a full name, in the order written.
pub fn name_units(s: &str) -> Vec<String> {
    names::name_units(s)
}

/// Tokens of the comparison key, in the order written.
pub fn key_tokens(s: &str) -> Vec<String> {
    names::tokens(s)
}

/// Similarity of two names in [0, 1], across scripts, token order and particles.
pub fn name_similarity(a: &PreparedName, b: &PreparedName) -> f64 {
    a.similarity(b)
}

/// A name given only as a kunya.
pub struct Kunya {
    /// Mother (umm) rather than father (abu).
    pub mother: bool,
    /// The child's name, as written (normalised).
    pub child: String,
    /// The country of a nationality adjective in the kunya, if any.
    pub nationality: Option<&'static str>,
}

/// Parses a kunya (`Umm Adam`, `أم آدم البلجيكية`).
pub fn parse_kunya(s: &str) -> Option<Kunya> {
    let k = names::parse_kunya(s)?;
    Some(Kunya {
        mother: k.relation == names::Relation::Mother,
        child: k.child_name,
        nationality: k.nationality,
    })
}
