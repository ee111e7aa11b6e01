//! Who may read, work on or count a repatriation case: a pure function of the user, the
//! case's country and the scoping facts of its principal (the mother). Table-tested below.
//!
//! | role | reads cases | works on them | board |
//! |---|---|---|---|
//! | admin | every case | yes | cases |
//! | caseworker | in scope | yes | cases |
//! | consular (countries C) | the case's country is in C and the principal is visible | yes | cases |
//! | tracing | in scope | no | cases |
//! | child_protection | in scope (no legal records, no evidence: its role sees no legal status) | no | cases |
//! | coordinator | none (asking is 403) | no | counts per country and stage, small cells suppressed |
//! | researcher | none (403) | no | none (403) |
//!
//! "In scope": the principal is a person the user may see ([`crate::policy::may_see`],
//! which applies camp and nationality scopes), and a nationality scope, if any, holds the
//! case's country. A coordinator counts the cases whose principal it may count and whose
//! country is in its nationality scope (if any).

use crate::identity::User;
use crate::policy::{may_count, may_see, PersonFacts};
use crate::role::Role;
use model::CountryCode;

/// What a user may do with one case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum CaseAccess {
    /// Nothing: the case does not exist for this user (404).
    None,
    /// Only counted in the board's suppressed aggregates.
    Count,
    Read,
    Work,
}

/// Whether the role reads cases at all (else a request is 403, whatever the case).
pub fn reads_cases(role: Role) -> bool {
    !matches!(role, Role::Coordinator | Role::Researcher)
}

/// Whether the role changes cases (open, move, documents, handovers, evidence).
pub fn works_cases(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Caseworker | Role::Consular)
}

/// Whether the role gets the board at all (as cases or as counts).
pub fn sees_board(role: Role) -> bool {
    role != Role::Researcher
}

fn country_in_scope(user: &User, country: CountryCode) -> bool {
    user.nationalities.is_empty() || user.nationalities.contains(&country)
}

/// What `user` may do with a case for `country` whose principal has `principal` facts
/// (None: the principal is not a registered person).
pub fn case_access(
    user: &User,
    country: CountryCode,
    principal: Option<&PersonFacts>,
) -> CaseAccess {
    let works = if works_cases(user.role) {
        CaseAccess::Work
    } else {
        CaseAccess::Read
    };
    match user.role {
        Role::Admin => CaseAccess::Work,
        Role::Researcher => CaseAccess::None,
        Role::Coordinator => match principal {
            Some(f) if may_count(user, f) && country_in_scope(user, country) => CaseAccess::Count,
            _ => CaseAccess::None,
        },
        Role::Consular => match principal {
            Some(f) if user.nationalities.contains(&country) && may_see(user, f) => works,
            _ => CaseAccess::None,
        },
        Role::Caseworker | Role::Tracing | Role::ChildProtection => match principal {
            Some(f) if may_see(user, f) && country_in_scope(user, country) => works,
            _ => CaseAccess::None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ids::PlaceId;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn user(role: Role, nats: &[&str], camps: &[u128]) -> User {
        User {
            name: "u".into(),
            role,
            nationalities: nats.iter().map(|c| cc(c)).collect(),
            camps: camps.iter().map(|c| PlaceId::from_u128(*c)).collect(),
            organisation: None,
            scope_organisations: vec![],
            actor: None,
        }
    }

    fn facts(camp: u128, own: &[&str]) -> PersonFacts {
        PersonFacts {
            camp: Some(PlaceId::from_u128(camp)),
            nationalities: own.iter().map(|c| cc(c)).collect(),
            household_nationalities: own.iter().map(|c| cc(c)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn case_access_table() {
        use CaseAccess::*;
        use Role::*;
        let be_mother = facts(1, &["BE"]);
        let fr_mother = facts(1, &["FR"]);
        let dual = facts(1, &["FR", "BE"]);
        // (user, case country, principal, expected, why)
        let table: Vec<(User, &str, Option<&PersonFacts>, CaseAccess, &str)> = vec![
            (
                user(Admin, &[], &[]),
                "FR",
                Some(&fr_mother),
                Work,
                "admin works all",
            ),
            (
                user(Admin, &[], &[]),
                "FR",
                Option::None,
                Work,
                "admin, principal unknown",
            ),
            (
                user(Consular, &["BE"], &[]),
                "BE",
                Some(&be_mother),
                Work,
                "own country",
            ),
            (
                user(Consular, &["BE"], &[]),
                "FR",
                Some(&fr_mother),
                None,
                "another country",
            ),
            (
                user(Consular, &["BE"], &[]),
                "FR",
                Some(&dual),
                None,
                "dual national's FR case",
            ),
            (
                user(Consular, &["BE"], &[]),
                "BE",
                Some(&dual),
                Work,
                "dual national's BE case",
            ),
            (
                user(Consular, &["BE"], &[2]),
                "BE",
                Some(&be_mother),
                None,
                "camp scope narrows",
            ),
            (
                user(Consular, &["BE"], &[]),
                "BE",
                Option::None,
                None,
                "principal unknown",
            ),
            (
                user(Caseworker, &[], &[]),
                "FR",
                Some(&fr_mother),
                Work,
                "caseworker, no scope",
            ),
            (
                user(Caseworker, &["BE"], &[]),
                "FR",
                Some(&dual),
                None,
                "caseworker, country outside scope",
            ),
            (
                user(Caseworker, &[], &[2]),
                "BE",
                Some(&be_mother),
                None,
                "caseworker, other camp",
            ),
            (
                user(Tracing, &[], &[]),
                "BE",
                Some(&be_mother),
                Read,
                "tracing reads",
            ),
            (
                user(ChildProtection, &[], &[1]),
                "BE",
                Some(&be_mother),
                Read,
                "child protection reads",
            ),
            (
                user(Coordinator, &[], &[]),
                "BE",
                Some(&be_mother),
                Count,
                "coordinator counts",
            ),
            (
                user(Coordinator, &["FR"], &[]),
                "BE",
                Some(&dual),
                None,
                "coordinator, country outside scope",
            ),
            (
                user(Coordinator, &[], &[2]),
                "BE",
                Some(&be_mother),
                None,
                "coordinator, other camp",
            ),
            (
                user(Researcher, &[], &[]),
                "BE",
                Some(&be_mother),
                None,
                "researcher: nothing",
            ),
        ];
        for (u, country, principal, want, why) in table {
            assert_eq!(case_access(&u, cc(country), principal), want, "{why}");
        }
    }

    #[test]
    fn roles_that_read_work_and_see_the_board() {
        for r in Role::ALL {
            assert!(
                !works_cases(r) || reads_cases(r),
                "{r}: works implies reads"
            );
            assert!(!reads_cases(r) || sees_board(r), "{r}: reads implies board");
        }
        assert!(!reads_cases(Role::Coordinator) && sees_board(Role::Coordinator));
        assert!(!sees_board(Role::Researcher));
    }
}
