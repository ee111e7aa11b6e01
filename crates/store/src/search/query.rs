//! Query understanding: a query as a report writes it ("Sameera Bu Azawi, Belgian, three
//! children", "Umm Adam Roj", "mother of Adam, al-Hol") read into the name to look for,
//! a kunya, and hints (nationality adjectives, camp names, sex words, a birth year).
//! Hints rank; only explicit [`SearchFilters`] exclude.

use model::ids::PlaceId;
use model::person::Sex;
use model::CountryCode;

/// Explicit filters: a person who does not satisfy them is never returned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFilters {
    pub nationality: Option<CountryCode>,
    pub camp: Option<PlaceId>,
    pub sex: Option<Sex>,
    /// Birth year range, inclusive; a person whose birth is unknown does not pass.
    pub born_from: Option<i32>,
    pub born_to: Option<i32>,
}

/// A camp as the query parser knows it: its id, its name, and the name's comparison key.
#[derive(Clone, Debug)]
pub(crate) struct CampName {
    pub id: PlaceId,
    pub name: String,
    pub key: String,
}

/// What the query says, read.
#[derive(Clone, Debug, Default)]
pub struct ParsedQuery {
    /// The words taken as the name (kunya included), in the order written.
    pub name: String,
    /// "Umm Adam" / "Abu Hamza" / "mother of Adam", if any.
    pub kunya: Option<names::Kunya>,
    pub nationalities: Vec<CountryCode>,
    /// Camps named in the query: (id, name as the registry spells it).
    pub camps: Vec<(PlaceId, String)>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
}

/// Words that carry no name: counts, kinship nouns, fillers.
const FILLERS: [&str; 30] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "child",
    "children",
    "kids",
    "kid",
    "son",
    "sons",
    "daughter",
    "daughters",
    "with",
    "and",
    "born",
    "aged",
    "age",
    "years",
    "year",
    "old",
    "camp",
    "in",
    "at",
    "yo",
];
const FEMALE_WORDS: [&str; 6] = ["woman", "women", "girl", "female", "wife", "widow"];
const MALE_WORDS: [&str; 5] = ["man", "boy", "male", "husband", "men"];

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

impl ParsedQuery {
    /// Reads `text`. `camps` are the registry's camps, to recognise camp names.
    pub(crate) fn parse(text: &str, camps: &[CampName]) -> Self {
        let mut q = ParsedQuery::default();
        let mut name_words: Vec<String> = Vec::new();
        for (segment_no, segment) in text.split([',', ';', '\n']).enumerate() {
            let words: Vec<&str> = segment.split_whitespace().collect();
            let mut i = 0;
            while i < words.len() {
                i += q.read_word(&words, i, segment_no, camps, &mut name_words);
            }
        }
        q.name = name_words.join(" ");
        q.kunya = names::parse_kunya(&q.name);
        if let Some(cc) = q.kunya.as_ref().and_then(|k| k.nationality) {
            q.add_nationality(cc);
        }
        q
    }

    /// Reads the word at `i` (and maybe the next ones); returns how many it used.
    fn read_word(
        &mut self,
        words: &[&str],
        i: usize,
        segment_no: usize,
        camps: &[CampName],
        name_words: &mut Vec<String>,
    ) -> usize {
        let w = bare(words[i]);
        if w.is_empty() {
            return 1;
        }
        // "mother of Adam" / "father of Adam" is a kunya written in English.
        if (w == "mother" || w == "father")
            && words.get(i + 1).map(|n| bare(n)) == Some("of".into())
        {
            name_words.push(if w == "mother" { "Umm" } else { "Abu" }.to_string());
            return 2;
        }
        if let Ok(n) = w.parse::<i32>() {
            if (1900..=2100).contains(&n) {
                self.birth_year = Some(n);
            }
            return 1;
        }
        if FILLERS.contains(&w.as_str()) {
            return 1;
        }
        if FEMALE_WORDS.contains(&w.as_str()) {
            self.sex = Some(Sex::Female);
            return 1;
        }
        if MALE_WORDS.contains(&w.as_str()) {
            self.sex = Some(Sex::Male);
            return 1;
        }
        if let Some(used) = self.read_camp(words, i, camps) {
            return used;
        }
        if let Some(cc) = names::nationality_adjective(words[i]) {
            let in_name = segment_no == 0 && (i == 0 || name_words.len() < 2);
            self.add_nationality(cc);
            if !in_name {
                return 1;
            }
        }
        name_words.push(words[i].to_string());
        1
    }

    /// A camp name of one to three words starting at `i`.
    fn read_camp(&mut self, words: &[&str], i: usize, camps: &[CampName]) -> Option<usize> {
        for len in (1..=3).rev() {
            let Some(window) = words.get(i..i + len) else {
                continue;
            };
            let key = names::comparison_key(&window.join(" "));
            if key.is_empty() {
                continue;
            }
            if let Some(c) = camps.iter().find(|c| c.key == key) {
                if !self.camps.iter().any(|(id, _)| *id == c.id) {
                    self.camps.push((c.id, c.name.clone()));
                }
                return Some(len);
            }
        }
        None
    }

    /// Adds the nationality of an ISO code as the names crate gives it.
    fn add_nationality(&mut self, code: &str) {
        if let Ok(cc) = code.parse::<CountryCode>() {
            if !self.nationalities.contains(&cc) {
                self.nationalities.push(cc);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camps() -> Vec<CampName> {
        ["Roj", "Al-Hol", "Ain Issa"]
            .iter()
            .enumerate()
            .map(|(i, n)| CampName {
                id: PlaceId::from_u128(i as u128 + 1),
                name: n.to_string(),
                key: names::comparison_key(n),
            })
            .collect()
    }

    #[test]
    fn report_style_query() {
        let q = ParsedQuery::parse("Sameera Bu Azawi, Belgian, three children", &camps());
        assert_eq!(q.name, "Sameera Bu Azawi");
        assert_eq!(q.nationalities, vec!["BE".parse::<CountryCode>().unwrap()]);
        assert!(q.kunya.is_none());
    }

    #[test]
    fn kunya_with_camp() {
        let q = ParsedQuery::parse("Umm Adam Roj", &camps());
        assert_eq!(q.name, "Umm Adam");
        assert_eq!(q.camps.len(), 1);
        assert_eq!(q.camps[0].1, "Roj");
        assert_eq!(q.kunya.map(|k| k.child_name), Some("adam".to_string()));
    }

    #[test]
    fn english_kunya_sex_and_year() {
        let q = ParsedQuery::parse("mother of Yusuf, woman born 1991, el Hol camp", &camps());
        assert_eq!(q.kunya.map(|k| k.child_name), Some("yusuf".to_string()));
        assert_eq!(q.sex, Some(Sex::Female));
        assert_eq!(q.birth_year, Some(1991));
        assert_eq!(q.camps.len(), 1);
        assert_eq!(q.camps[0].1, "Al-Hol");
    }

    #[test]
    fn arabic_kunya_with_adjective() {
        let q = ParsedQuery::parse("أم آدم البلجيكية", &camps());
        assert_eq!(q.nationalities, vec!["BE".parse::<CountryCode>().unwrap()]);
        assert!(q.kunya.is_some());
    }
}
