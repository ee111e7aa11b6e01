//! The built-in `person` preset: the registry's own records, as camp lists have them.
//!
//! Input columns (CONTRACT.md): `id,source,full_name,given_name,family_name,sex,
//! birth_date,nationalities,place,father_name,household`. Names may be in any script;
//! `full_name` may be only a kunya ("Umm Adam, Belgian"). Births may be a year or an
//! age stated at a date.
//!
//! Pairs are scored on derived columns ([`prepare`]): given and family names apart,
//! found in whichever way a list writes them; a family-name level for a woman's maiden
//! and married names; the list each record comes from (a list holds a person once).
//! Then collective evidence ([`collective`]):
//! - **households**: households of two lists are matched as families, each the other's
//!   best; within a matched pair, a member is told from the others by what is personal
//!   (given name, birth, sex), so a mother under her married name in one list and her
//!   maiden name in another is linked through her children, and siblings are not. A
//!   pair whose households are matched elsewhere, or that puts one list's person in two
//!   households, is held to be two people;
//! - **kunyas**: a record known only as "Umm Adam" (perhaps with a nationality and a
//!   place) links to the mother of a child named Adam when the evidence singles her out
//!   (her posterior among all the mothers who fit reaches the threshold); a kunya names
//!   the eldest child or son, which counts too. When two mothers fit equally, nothing is
//!   linked.
//!
//! Clustering keeps one record per list per person unless two records of one list are
//! linked directly.

mod collective;
mod household;
mod kunya;
mod prepare;
#[cfg(test)]
mod tests;

pub use collective::{collective, collective_with, contradicts};
pub use prepare::prepare;

use crate::model::Model;

/// The columns of the preset (besides `id`); any may be absent from a file.
pub const COLUMNS: &[&str] = &[
    "source",
    "full_name",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "nationalities",
    "place",
    "father_name",
    "household",
];

/// The preset's model. Comparisons run on derived columns made by [`prepare`].
pub const MODEL_TOML: &str = r#"
unique_id = "id"
blocking = [
  "substr(p_gkey, 0, 3), substr(p_fkey, 0, 2)",
  "substr(p_gkey, 0, 3), near_year(birth_date)",
  "name_tokens(p_name), near_year(birth_date)",
  "name_key(father_name), substr(p_gkey, 0, 2)",
]

[decision]
threshold = 0.5
clustering = "constrained"
one_record_per = "source"

[training]
u_sample_pairs = 200000

# m is fixed from what is known of camp lists (EM on a few thousand records with a
# handful of common names finds families rather than people); EM estimates the share
# of matches, u comes from the data. Given and family names are compared apart, so
# that a name agreeing is not counted twice. A one-letter slip in a short name (a letter
# changed, added, dropped, or two swapped) that the similarity levels miss has a level of
# its own (damerau_levenshtein 1) in both names. Blocks join births a year apart.
[[comparison]]
name = "given name"
column = "p_given"
transform = "name_key"
term_frequency = true
levels = [
  { kind = "exact" },
  { kind = "name_similarity", threshold = 0.92 },
  { kind = "name_similarity", threshold = 0.85 },
  { kind = "jaro_winkler", threshold = 0.8 },
  { kind = "swapped", with = "p_family" },
  { kind = "damerau_levenshtein", max = 1 },
]
m = [0.69, 0.12, 0.05, 0.06, 0.03, 0.01, 0.04]

# A woman is often listed under her maiden name in one list and her married name in
# another: about a quarter of the true pairs are pairs of two women's records, and in
# about two in five of those the family names differ (m 0.10 for the last two levels).
# Her married name is most often her children's family name, so it is found among the
# family names of the other list's household.
[[comparison]]
name = "family name"
column = "p_family"
transform = "name_key"
term_frequency = false
levels = [
  { kind = "exact" },
  { kind = "name_similarity", threshold = 0.92 },
  { kind = "name_similarity", threshold = 0.85 },
  { kind = "among", column = "p_household_families" },
  { kind = "jaro_winkler", threshold = 0.8 },
  { kind = "damerau_levenshtein", max = 1 },
  { kind = "both_present", column = "p_maybe_married" },
]
m = [0.60, 0.12, 0.06, 0.06, 0.06, 0.03, 0.04, 0.03]

[[comparison]]
name = "birth"
column = "birth_date"
levels = [
  { kind = "date_exact" },
  { kind = "date_same_month" },
  { kind = "date_compatible" },
  { kind = "date_within_years", years = 1 },
  { kind = "date_within_years", years = 3 },
  { kind = "date_within_years", years = 10 },
]
m = [0.3, 0.15, 0.42, 0.1, 0.022, 0.0075, 0.0005]

[[comparison]]
name = "sex"
column = "sex"
transform = "lower"
levels = [{ kind = "exact" }]
m = [0.97, 0.03]

[[comparison]]
name = "nationalities"
column = "nationalities"
levels = [{ kind = "set_equal" }, { kind = "set_overlap" }]
m = [0.75, 0.2, 0.05]

[[comparison]]
name = "place"
column = "place"
transform = "lower"
levels = [{ kind = "exact" }]
m = [0.85, 0.15]

# Each list holds a person once, as a rule: two records of one list are one person only
# when the list has a duplicate, which is rare (m of "same list" 0.02).
[[comparison]]
name = "list"
column = "source"
transform = "lower"
levels = [{ kind = "exact" }]
m = [0.02, 0.98]

[[comparison]]
name = "father's name"
column = "father_name"
levels = [
  { kind = "name_key" },
  { kind = "name_similarity", threshold = 0.85 },
]
m = [0.8, 0.1, 0.1]
"#;

/// The preset's model.
pub fn model() -> Model {
    // The text is a constant of this crate, checked by a unit test.
    Model::from_toml(MODEL_TOML).unwrap_or_else(|e| panic!("built-in person model: {e}"))
}

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn the_built_in_model_is_valid() {
        let m = model();
        assert_eq!(m.unique_id, "id");
        assert!(m.comparisons.len() >= 6);
    }
}
