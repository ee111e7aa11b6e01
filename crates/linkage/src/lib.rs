//! Record linkage for the registry: blocking, Fellegi–Sunter scoring with parameters
//! learnt by EM, term-frequency adjustment, and clustering that does not chain.
//!
//! Pure compute: records come in as a [`Table`] in memory, results go out as values.
//! The model is a TOML file ([`Model`]); the built-in `person` preset ([`person`]) adds
//! cross-script names, kunyas and household (collective) evidence for camp lists.
//!
//! # The model file
//!
//! ```toml
//! unique_id = "rec_id"                 # the id column (default "id")
//! # Candidate pairs: the union of the rules, each pair scored once. A rule is a list
//! # of keys that must all be equal: a column, or lower(c), substr(c, start, len),
//! # name_key(c), name_tokens(c), phonetic(c), year(c), near_year(c) (y and y + 1),
//! # digits(c).
//! blocking = ["given_name, surname", "date_of_birth", "postcode, substr(surname, 0, 3)"]
//!
//! [training]
//! u_sample_pairs = 300000              # random pairs for u of non-exact levels
//! seed = 42
//!
//! [decision]
//! threshold = 0.5                      # match probability of a link
//! clustering = "constrained"           # or "connected_components"
//! one_to_one = false                   # `link between`: best link per record
//! one_record_per = "source"            # records of one list are different people
//!                                      # unless linked directly
//!
//! [[comparison]]
//! name = "surname"
//! column = "surname"
//! transform = "lower"                  # none | lower | name_key | digits
//! term_frequency = true                # rare values weigh more on exact agreement
//! levels = [
//!   { kind = "exact" },
//!   { kind = "swapped", with = "given_name" },
//!   { kind = "jaro_winkler", threshold = 0.92 },
//! ]
//! # m = [0.8, 0.05, 0.1, 0.05]         # optional fixed m: levels then "else"
//! ```
//!
//! Level kinds: `exact`, `jaro_winkler`, `levenshtein`, `damerau_levenshtein`,
//! `name_key` and `name_similarity` (across scripts), `swapped`, `date_exact`,
//! `date_within_days`, `date_same_month`, `date_compatible` (year-only and month-only
//! births, ages stated at a date as `age N @ YYYY-MM-DD`), `date_within_years`,
//! `set_equal` and `set_overlap` (`;`-separated codes, `:disputed` ignored), `among`
//! (`column`: the value is one of the other record's `|`-separated values) and
//! `both_present` (`column`: both records have a value there). A level never weighs more
//! than the level before it.
//!
//! # How parameters are learnt
//!
//! u comes from value frequencies for exact agreement and from a seeded sample of
//! random pairs otherwise. m and the share of matches come from EM over the counts of
//! distinct comparison patterns; within each blocking rule's pairs the comparisons of
//! that rule's columns are left out, and each rule has its own share of matches. The
//! scoring prior is the expected number of matches over all possible pairs.

pub mod birth;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod exclusive;
pub mod model;
pub mod person;
pub mod review;
pub mod similarity;
mod spelling;
pub mod table;

pub use cluster::Link;
pub use engine::{probability, weight_of, Linker, Options, Progress, Silent, Task};
pub use error::{LinkError, ModelError};
pub use model::Model;
pub use table::Table;
