//! The engine's view of names: the few functions of the `names` crate it uses, in one
//! place, so comparisons and blocking agree on what a name key is.

/// The script-independent comparison key of a name (tokens sorted, so order does not
/// matter; Arabic- and Latin-script spellings of one name meet).
pub fn name_key(s: &str) -> String {
    let key = comparison_key(s);
    let mut tokens: Vec<&str> = key.split_whitespace().collect();
    tokens.sort_unstable();
    tokens.join(" ")
}

/// Phonetic blocking keys, one per token of the name.
pub fn phonetic_keys(s: &str) -> Vec<String> {
    comparison_key(s)
        .split_whitespace()
        .map(phonetic_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// Tokens of the comparison key.
pub fn key_tokens(s: &str) -> Vec<String> {
    comparison_key(s)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Similarity of two names in [0, 1], across scripts, token order and particles.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    crate::similarity::jaro_winkler(&name_key(a), &name_key(b))
}


// Stand-ins until the names crate lands.
fn comparison_key(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
fn phonetic_key(t: &str) -> String {
    t.chars().take(3).collect()
}

/// A kunya: a parent named through a child ("Umm Adam" is Adam's mother).
pub struct Kunya {
    /// Mother (umm) rather than father (abu).
    pub mother: bool,
    /// The child's name.
    pub child: String,
}

/// Parses a name that is only a kunya, possibly with a nationality adjective.
pub fn parse_kunya(s: &str) -> Option<Kunya> {
    let toks = comparison_key(s);
    let mut it = toks.split_whitespace();
    let first = it.next()?;
    let mother = match first {
        "umm" | "um" | "oum" | "om" | "ام" | "أم" => true,
        "abu" | "abou" | "abo" | "ابو" | "أبو" => false,
        _ => return None,
    };
    let child = it.next()?.to_string();
    Some(Kunya { mother, child })
}
