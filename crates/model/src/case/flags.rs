//! Children stay in their mother's case; a child whose nationality is not the mother's
//! is flagged, because the deciding authority may treat the child apart (a child with no
//! claim to the case's country cannot travel on its documents; a disputed claim needs a
//! birth record or DNA test first).
//!
//! A person's standing for a country is their **latest** claim for it (claims are
//! recorded over time; a later one replaces an earlier one). A revoked claim counts as
//! none. The flags, for case country C:
//!
//! | flag | when |
//! |---|---|
//! | `no_claim_for_country` | the child has no standing claim for C |
//! | `disputed_while_mother_confirmed` | the child's claim for C is disputed while the mother's is confirmed |
//! | `other_nationality` | the child has a standing claim for a country the mother has none for |

use crate::country::CountryCode;
use crate::person::{NationalityClaim, NationalityStatus};
use serde::Serialize;

/// Why a child in a case is flagged.
#[derive(Clone, PartialEq, Eq, Serialize, Debug)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum ChildFlag {
    NoClaimForCountry { country: CountryCode },
    DisputedWhileMotherConfirmed { country: CountryCode },
    OtherNationality { countries: Vec<CountryCode> },
}

impl ChildFlag {
    pub fn label(&self) -> &'static str {
        match self {
            Self::NoClaimForCountry { .. } => "no_claim_for_country",
            Self::DisputedWhileMotherConfirmed { .. } => "disputed_while_mother_confirmed",
            Self::OtherNationality { .. } => "other_nationality",
        }
    }

    /// A sentence for people.
    pub fn explain(&self) -> String {
        match self {
            Self::NoClaimForCountry { country } => {
                format!("no standing claim to {country} nationality, unlike the mother")
            }
            Self::DisputedWhileMotherConfirmed { country } => {
                format!("{country} nationality disputed while the mother's is confirmed")
            }
            Self::OtherNationality { countries } => format!(
                "also claimed by {}, which the mother is not",
                countries
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The latest claim's status for `country`, if any.
pub fn standing(claims: &[NationalityClaim], country: CountryCode) -> Option<NationalityStatus> {
    claims
        .iter()
        .rev()
        .find(|c| c.country == country)
        .map(|c| c.status)
}

/// Countries with a standing (latest, not revoked) claim, sorted.
fn countries(claims: &[NationalityClaim]) -> Vec<CountryCode> {
    let mut out: Vec<CountryCode> = claims
        .iter()
        .map(|c| c.country)
        .filter(|c| !matches!(standing(claims, *c), Some(NationalityStatus::Revoked)))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The flags of a child in a case for `country` whose mother has `mother` claims.
pub fn child_flags(
    mother: &[NationalityClaim],
    child: &[NationalityClaim],
    country: CountryCode,
) -> Vec<ChildFlag> {
    use NationalityStatus::*;
    let mut flags = Vec::new();
    match (standing(child, country), standing(mother, country)) {
        (None | Some(Revoked), _) => flags.push(ChildFlag::NoClaimForCountry { country }),
        (Some(Disputed), Some(Confirmed)) => {
            flags.push(ChildFlag::DisputedWhileMotherConfirmed { country })
        }
        _ => {}
    }
    let hers = countries(mother);
    let other: Vec<CountryCode> = countries(child)
        .into_iter()
        .filter(|c| !hers.contains(c))
        .collect();
    if !other.is_empty() {
        flags.push(ChildFlag::OtherNationality { countries: other });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use NationalityStatus::*;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn claims(list: &[(&str, NationalityStatus)]) -> Vec<NationalityClaim> {
        list.iter()
            .map(|(c, s)| NationalityClaim {
                country: cc(c),
                status: *s,
                evidence: None,
                source: None,
            })
            .collect()
    }

    #[test]
    fn child_flag_table() {
        // (mother, child, expected flag labels, why)
        let table: Vec<(Vec<_>, Vec<_>, Vec<&str>, &str)> = vec![
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("BE", Claimed)]),
                vec![],
                "same nationality, claimed",
            ),
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("SY", Claimed)]),
                vec!["no_claim_for_country", "other_nationality"],
                "father's nationality only",
            ),
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("BE", Disputed)]),
                vec!["disputed_while_mother_confirmed"],
                "disputed while mother confirmed",
            ),
            (
                claims(&[("BE", Claimed)]),
                claims(&[("BE", Disputed)]),
                vec![],
                "both unsettled: not flagged",
            ),
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("BE", Claimed), ("IQ", Claimed)]),
                vec!["other_nationality"],
                "dual national through the father",
            ),
            (
                claims(&[("BE", Confirmed), ("MA", Claimed)]),
                claims(&[("BE", Claimed), ("MA", Claimed)]),
                vec![],
                "both dual, same countries",
            ),
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("BE", Claimed), ("BE", Revoked)]),
                vec!["no_claim_for_country"],
                "latest claim revoked",
            ),
            (
                claims(&[("BE", Confirmed)]),
                claims(&[("BE", Disputed), ("BE", Confirmed)]),
                vec![],
                "dispute settled by a later claim",
            ),
            (
                claims(&[("BE", Confirmed)]),
                vec![],
                vec!["no_claim_for_country"],
                "no claim at all",
            ),
        ];
        for (mother, child, want, why) in table {
            let got: Vec<&str> = child_flags(&mother, &child, cc("BE"))
                .iter()
                .map(|f| f.label())
                .collect();
            assert_eq!(got, want, "{why}");
        }
    }

    #[test]
    fn flags_explain_themselves() {
        let f = child_flags(
            &claims(&[("BE", Confirmed)]),
            &claims(&[("IQ", Claimed)]),
            cc("BE"),
        );
        assert!(f[0].explain().contains("BE"));
        assert!(f[1].explain().contains("IQ"));
    }
}
