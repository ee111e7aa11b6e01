//! Ranking one candidate: the best name similarity (or the kunya's child), then small
//! agreements and disagreements with the query's hints. Pure.

use super::query::{ParsedQuery, SearchFilters};
use super::Why;
use model::ids::{PersonId, PlaceId};
use model::person::Sex;
use model::CountryCode;
use names::PreparedName;

/// A hint that agrees raises the score by this much; one that disagrees lowers it by
/// twice as much (a report's adjective or camp may be wrong, but usually is not).
const HINT: f64 = 0.04;

/// What ranking reads of a person: one `search_persons` row.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub sex: Sex,
    pub birth: Option<(i32, i32)>,
    pub camp: Option<PlaceId>,
    pub countries: Vec<CountryCode>,
    pub names: Vec<String>,
}

impl Candidate {
    /// Whether the explicit filters let this person through.
    pub(crate) fn passes(&self, f: &SearchFilters) -> bool {
        let born = |year: Option<i32>, inside: fn(i32, (i32, i32)) -> bool| {
            year.is_none_or(|y| self.birth.is_some_and(|b| inside(y, b)))
        };
        f.nationality.is_none_or(|c| self.countries.contains(&c))
            && f.camp.is_none_or(|c| self.camp == Some(c))
            && f.sex.is_none_or(|s| self.sex == s)
            && born(f.born_from, |y, (_, hi)| hi >= y)
            && born(f.born_to, |y, (lo, _)| lo <= y)
    }
}

/// The query as ranking uses it, read once.
pub(crate) struct Ranker<'q> {
    pub query: &'q ParsedQuery,
    name: PreparedName,
    child: Option<PreparedName>,
}

impl<'q> Ranker<'q> {
    pub(crate) fn new(query: &'q ParsedQuery) -> Self {
        Self {
            query,
            name: PreparedName::new(&query.name),
            child: query
                .kunya
                .as_ref()
                .map(|k| PreparedName::new(&k.child_name)),
        }
    }

    /// Scores `c`; `children` are the given names of the children that the kin index
    /// matched to this person (for a kunya query). Returns the score and why.
    pub(crate) fn score(&self, c: &Candidate, children: &[(PersonId, String)]) -> (f64, Why) {
        let mut why = Why::default();
        let mut base = 0.0f64;
        for n in &c.names {
            let s = self.name.similarity(&PreparedName::new(n));
            if s > base {
                base = s;
                why.name = Some(n.clone());
            }
        }
        why.name_score = round(base);
        if let (Some(child), Some(k)) = (&self.child, &self.query.kunya) {
            let parent_fits = match k.relation {
                names::Relation::Mother => c.sex != Sex::Male,
                names::Relation::Father => c.sex != Sex::Female,
            };
            for (child_id, n) in children.iter().filter(|_| parent_fits) {
                let given = n.split_whitespace().next().unwrap_or(n);
                let s = child.similarity(&PreparedName::new(given)) * 0.98;
                if s > base {
                    base = s;
                    let role = match k.relation {
                        names::Relation::Mother => "mother",
                        names::Relation::Father => "father",
                    };
                    why.kin = Some(format!("{role} of {n}"));
                    why.kin_person = Some(*child_id);
                }
            }
        }
        let score = base + self.hints(c, &mut why.fields);
        (round(score.clamp(0.0, 1.0)), why)
    }

    /// How many of the query's hints `c` agrees with, less those it contradicts: orders
    /// candidates before the (costlier) name similarity.
    pub(crate) fn hint_agreement(&self, c: &Candidate) -> f64 {
        self.hints(c, &mut Vec::new()) / HINT
    }

    fn hints(&self, c: &Candidate, fields: &mut Vec<String>) -> f64 {
        let q = self.query;
        let mut delta = 0.0;
        let mut agree = |ok: Option<bool>, what: String| match ok {
            Some(true) => {
                delta += HINT;
                fields.push(what);
            }
            Some(false) => delta -= 2.0 * HINT,
            None => {}
        };
        if !q.nationalities.is_empty() {
            let ok = (!c.countries.is_empty())
                .then(|| q.nationalities.iter().any(|n| c.countries.contains(n)));
            let shown: Vec<&str> = q.nationalities.iter().map(|c| c.as_str()).collect();
            agree(ok, format!("nationality {}", shown.join("/")));
        }
        for (id, name) in &q.camps {
            agree(c.camp.map(|camp| camp == *id), format!("camp {name}"));
        }
        if let Some(sex) = q.sex {
            let ok = (c.sex != Sex::Unknown).then_some(c.sex == sex);
            agree(ok, format!("sex {}", sex.as_str()));
        }
        if let Some(y) = q.birth_year {
            let ok = c.birth.map(|(lo, hi)| lo - 1 <= y && y <= hi + 1);
            agree(ok, format!("born {y}"));
        }
        delta
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
