//! Who may see which person: a pure function of the user and the facts about the person
//! that scoping needs. No I/O, so every rule is table-tested below.
//!
//! The rules:
//!
//! - **admin**: every person (fields: everything but sealed values).
//! - **coordinator**: no person, ever; counts over every person in their scopes.
//! - **caseworker**, **tracing**, **child_protection**: persons within their scopes.
//!   A camp scope keeps persons whose camp of record is one of the camps; a nationality
//!   scope keeps persons with a nationality claim (any status) for one of the countries.
//!   An empty scope is no limit.
//! - **consular** (scoped to countries C): a person with a nationality claim of any
//!   status (confirmed, claimed, disputed or revoked) for a country in C; **and** a child
//!   of such a person (a `child of` relationship); **and** a member of a household one of
//!   whose members has such a claim. Nothing else, not even by count: their counts are
//!   made over exactly this set. With no country, nothing. A camp scope narrows further.
//!   **Consent**: a person who has refused or revoked sharing with a government is not
//!   seen (nor counted) by that government's consuls, and is no link to anyone else: a
//!   child or household member seen only through a relative who said no is not seen
//!   either. With nothing recorded, consuls see their nationals as above (see
//!   `docs/access.md` for why, and for exports, which need a grant).
//! - **researcher**: only persons whose research consent is granted and not revoked,
//!   within their scopes, under a pseudonym. Revoking it hides the person at once.
//!
//! - **organisation scope** (any role but admin, when the account has one): only persons
//!   about whom one of the scope's organisations has recorded something — a report one
//!   of its members entered names the person in a claim or is the source of one of the
//!   person's names. It narrows every other rule, counts included. An account without an
//!   organisation scope is not limited by organisation.
//!
//! Counting follows seeing, except for the coordinator, who counts what is in scope.

use crate::identity::User;
use crate::role::Role;
use model::actor::organisation_key;
use model::ids::PlaceId;
use model::CountryCode;

/// What the policy needs to know about one person.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct PersonFacts {
    pub camp: Option<PlaceId>,
    /// Countries of the person's own nationality claims, any status.
    pub nationalities: Vec<CountryCode>,
    /// Countries of the nationality claims of the person's parents, except the countries
    /// each parent has refused or revoked sharing with.
    pub parent_nationalities: Vec<CountryCode>,
    /// Countries of the nationality claims of every member of the person's household,
    /// except the countries each member has refused or revoked sharing with.
    pub household_nationalities: Vec<CountryCode>,
    /// Research consent granted and not revoked.
    pub research_consent: bool,
    /// Organisations (as [`model::actor::organisation_key`]) whose members entered a
    /// report that says something about the person.
    pub organisations: Vec<String>,
    /// The person's other consent decisions in force.
    pub consent: ConsentFacts,
}

/// What the rules need of a person's consent ([`model::consent::ConsentView`]) now.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct ConsentFacts {
    /// Governments the person has granted sharing with.
    pub sharing_granted: Vec<CountryCode>,
    /// Governments the person has refused or revoked sharing with.
    pub sharing_withheld: Vec<CountryCode>,
    pub publication: bool,
    pub use_of_name: bool,
    pub use_of_image: bool,
    /// Tracing refused or revoked: the person asked not to be looked for.
    pub tracing_withheld: bool,
}

impl ConsentFacts {
    pub fn of(view: &model::consent::ConsentView) -> Self {
        use model::consent::Purpose;
        Self {
            sharing_granted: view.sharing_granted(),
            sharing_withheld: view.sharing_withheld(),
            publication: view.grants(&Purpose::Publication),
            use_of_name: view.grants(&Purpose::UseOfName),
            use_of_image: view.grants(&Purpose::UseOfImage),
            tracing_withheld: view.withholds(&Purpose::Tracing),
        }
    }
}

fn any_in(list: &[CountryCode], scope: &[CountryCode]) -> bool {
    list.iter().any(|c| scope.contains(c))
}

fn in_camp_scope(user: &User, facts: &PersonFacts) -> bool {
    user.camps.is_empty() || facts.camp.is_some_and(|c| user.camps.contains(&c))
}

fn in_nationality_scope(user: &User, facts: &PersonFacts) -> bool {
    user.nationalities.is_empty() || any_in(&facts.nationalities, &user.nationalities)
}

fn in_organisation_scope(user: &User, facts: &PersonFacts) -> bool {
    user.scope_organisations.is_empty()
        || user
            .scope_organisations
            .iter()
            .any(|o| facts.organisations.contains(&organisation_key(o)))
}

/// Whether `user` may see this person at all (as a record, in search results, in a
/// timeline, in counts).
pub fn may_see(user: &User, facts: &PersonFacts) -> bool {
    if user.role != Role::Admin && !in_organisation_scope(user, facts) {
        return false;
    }
    match user.role {
        Role::Admin => true,
        Role::Coordinator => false,
        Role::Caseworker | Role::Tracing | Role::ChildProtection => {
            in_camp_scope(user, facts) && in_nationality_scope(user, facts)
        }
        Role::Consular => {
            in_camp_scope(user, facts)
                && user.nationalities.iter().any(|c| {
                    !facts.consent.sharing_withheld.contains(c)
                        && (facts.nationalities.contains(c)
                            || facts.parent_nationalities.contains(c)
                            || facts.household_nationalities.contains(c))
                })
        }
        Role::Researcher => {
            facts.research_consent
                && in_camp_scope(user, facts)
                && in_nationality_scope(user, facts)
        }
    }
}

/// Whether the person's record may go into a copy for the government of `country` (an
/// export to or by it): only with sharing granted to that government and not withdrawn.
/// Seeing a record in the registry is not copying it out, so this asks more than
/// [`may_see`] does of a consul.
pub fn may_share_with(facts: &PersonFacts, country: CountryCode) -> bool {
    facts.consent.sharing_granted.contains(&country)
}

/// Whether the person is on the tracing list (looked for): not if they asked not to be.
pub fn may_trace(facts: &PersonFacts) -> bool {
    !facts.consent.tracing_withheld
}

/// Whether this person counts in the aggregates `user` asks for.
pub fn may_count(user: &User, facts: &PersonFacts) -> bool {
    match user.role {
        Role::Coordinator => {
            in_camp_scope(user, facts)
                && in_nationality_scope(user, facts)
                && in_organisation_scope(user, facts)
        }
        _ => may_see(user, facts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }
    fn user(role: Role, nats: &[&str], camps: &[u128]) -> User {
        User {
            name: "u".into(),
            role,
            nationalities: nats.iter().map(|c| cc(c)).collect(),
            camps: camps.iter().map(|c| PlaceId::from_u128(*c)).collect(),
            ..User::new("u", role)
        }
    }
    fn facts(
        camp: Option<u128>,
        own: &[&str],
        parents: &[&str],
        household: &[&str],
    ) -> PersonFacts {
        PersonFacts {
            camp: camp.map(PlaceId::from_u128),
            nationalities: own.iter().map(|c| cc(c)).collect(),
            parent_nationalities: parents.iter().map(|c| cc(c)).collect(),
            household_nationalities: household.iter().map(|c| cc(c)).collect(),
            research_consent: false,
            consent: ConsentFacts::default(),
            organisations: vec![organisation_key("Camp Registration Office")],
        }
    }

    #[test]
    fn visibility_table() {
        use Role::*;
        let be_woman = facts(Some(1), &["BE"], &[], &["BE"]);
        let child_of_be = facts(Some(1), &["SY"], &["BE"], &["BE", "SY"]);
        let household_of_be = facts(Some(1), &[], &[], &["BE"]);
        let fr_woman = facts(Some(1), &["FR"], &[], &["FR"]);
        let fr_in_other_camp = facts(Some(2), &["FR"], &[], &["FR"]);
        let dual = facts(Some(2), &["FR", "BE"], &[], &["FR", "BE"]);
        let stateless = facts(None, &[], &[], &[]);
        // (user, person, may see, may count)
        let table: Vec<(User, &PersonFacts, bool, bool, &str)> = vec![
            (
                user(Admin, &[], &[]),
                &fr_woman,
                true,
                true,
                "admin sees all",
            ),
            (
                user(Admin, &[], &[]),
                &stateless,
                true,
                true,
                "admin sees the unplaced",
            ),
            (
                user(Coordinator, &[], &[]),
                &fr_woman,
                false,
                true,
                "coordinator counts only",
            ),
            (
                user(Coordinator, &[], &[1]),
                &fr_in_other_camp,
                false,
                false,
                "coordinator camp scope",
            ),
            (
                user(Consular, &["BE"], &[]),
                &be_woman,
                true,
                true,
                "own national",
            ),
            (
                user(Consular, &["BE"], &[]),
                &child_of_be,
                true,
                true,
                "national's child",
            ),
            (
                user(Consular, &["BE"], &[]),
                &household_of_be,
                true,
                true,
                "national's household",
            ),
            (
                user(Consular, &["BE"], &[]),
                &fr_woman,
                false,
                false,
                "another country's national",
            ),
            (
                user(Consular, &["BE"], &[]),
                &stateless,
                false,
                false,
                "nobody's national",
            ),
            (
                user(Consular, &["BE"], &[]),
                &dual,
                true,
                true,
                "dual national",
            ),
            (
                user(Consular, &["FR"], &[]),
                &child_of_be,
                false,
                false,
                "FR consul, BE child",
            ),
            (
                user(Consular, &[], &[]),
                &be_woman,
                false,
                false,
                "consular without country",
            ),
            (
                user(Consular, &["BE"], &[2]),
                &be_woman,
                false,
                false,
                "consular camp scope narrows",
            ),
            (
                user(Caseworker, &[], &[]),
                &fr_woman,
                true,
                true,
                "caseworker, no scope",
            ),
            (
                user(Caseworker, &[], &[1]),
                &fr_in_other_camp,
                false,
                false,
                "caseworker other camp",
            ),
            (
                user(Caseworker, &[], &[1]),
                &stateless,
                false,
                false,
                "camp scope hides unplaced",
            ),
            (
                user(Tracing, &["FR"], &[]),
                &be_woman,
                false,
                false,
                "tracing nationality scope",
            ),
            (
                user(Tracing, &["FR"], &[]),
                &dual,
                true,
                true,
                "tracing, dual national",
            ),
            (
                user(ChildProtection, &[], &[1]),
                &child_of_be,
                true,
                true,
                "child protection in camp",
            ),
            (
                user(Researcher, &[], &[]),
                &be_woman,
                false,
                false,
                "no consent recorded",
            ),
        ];
        for (u, f, see, count, why) in table {
            assert_eq!(may_see(&u, f), see, "see: {why}");
            assert_eq!(may_count(&u, f), count, "count: {why}");
        }
    }

    #[test]
    fn a_refusal_to_share_with_a_government_hides_the_person_from_its_consuls() {
        let be_consul = user(Role::Consular, &["BE"], &[]);
        let fr_consul = user(Role::Consular, &["FR"], &[]);
        let both = user(Role::Consular, &["BE", "FR"], &[]);
        let withheld = |mut f: PersonFacts, c: &[&str]| {
            f.consent.sharing_withheld = c.iter().map(|c| cc(c)).collect();
            f
        };
        let refused_be = withheld(facts(Some(1), &["BE"], &[], &["BE"]), &["BE"]);
        let dual_refused_be = withheld(facts(Some(1), &["BE", "FR"], &[], &[]), &["BE"]);
        // A child seen only through a mother who refused BE: the relative's refusal is
        // already taken out of the parent and household countries by the directory.
        let child_through_refusing_mother = facts(Some(1), &["SY"], &[], &[]);
        let child_with_own_claim = facts(Some(1), &["BE"], &[], &[]);
        // (user, person, may see)
        let table: Vec<(&User, &PersonFacts, bool, &str)> = vec![
            (&be_consul, &refused_be, false, "refused BE"),
            (
                &fr_consul,
                &dual_refused_be,
                true,
                "FR consul, refused only BE",
            ),
            (
                &be_consul,
                &dual_refused_be,
                false,
                "BE consul, dual national who refused BE",
            ),
            (
                &both,
                &dual_refused_be,
                true,
                "consul of BE and FR sees through FR",
            ),
            (
                &be_consul,
                &child_through_refusing_mother,
                false,
                "child seen only through the mother",
            ),
            (
                &be_consul,
                &child_with_own_claim,
                true,
                "child with a claim of its own",
            ),
        ];
        for (u, f, see, why) in table {
            assert_eq!(may_see(u, f), see, "see: {why}");
            assert_eq!(may_count(u, f), see, "count: {why}");
        }
        // Other roles see the person whatever they decided about governments.
        assert!(may_see(&user(Role::Caseworker, &[], &[]), &refused_be));
        assert!(may_count(&user(Role::Coordinator, &[], &[]), &refused_be));
    }

    #[test]
    fn copies_for_a_government_need_its_grant() {
        let mut f = facts(Some(1), &["BE"], &[], &[]);
        assert!(!may_share_with(&f, cc("BE")), "nothing recorded: no copy");
        f.consent.sharing_granted = vec![cc("BE")];
        assert!(may_share_with(&f, cc("BE")));
        assert!(!may_share_with(&f, cc("FR")));
        assert!(may_trace(&f));
        f.consent.tracing_withheld = true;
        assert!(!may_trace(&f));
    }

    #[test]
    fn organisation_scope_narrows_every_role_but_admin() {
        use Role::*;
        let by_ngo = facts(Some(1), &["BE"], &[], &["BE"]);
        let mut by_other = by_ngo.clone();
        by_other.organisations = vec![organisation_key("Another Relief Group")];
        let mut unrecorded = by_ngo.clone();
        unrecorded.organisations.clear();
        for role in [Caseworker, Tracing, ChildProtection, Consular, Coordinator] {
            let mut u = user(role, &["BE"], &[]);
            u.scope_organisations = vec!["camp  registration OFFICE".into()];
            let counts = role != Coordinator;
            assert_eq!(may_see(&u, &by_ngo), counts, "{role:?} sees its own");
            assert!(may_count(&u, &by_ngo), "{role:?} counts its own");
            for other in [&by_other, &unrecorded] {
                assert!(!may_see(&u, other), "{role:?} sees another's");
                assert!(!may_count(&u, other), "{role:?} counts another's");
            }
            u.scope_organisations.clear();
            assert_eq!(may_see(&u, &by_other), counts, "{role:?} without scope");
        }
        let mut admin = user(Admin, &[], &[]);
        admin.scope_organisations = vec!["Camp Registration Office".into()];
        assert!(may_see(&admin, &by_other), "admin is never narrowed");
        let mut researcher = user(Researcher, &[], &[]);
        researcher.scope_organisations = vec!["Camp Registration Office".into()];
        let mut consenting = by_other.clone();
        consenting.research_consent = true;
        assert!(!may_see(&researcher, &consenting));
        consenting.organisations = by_ngo.organisations.clone();
        assert!(may_see(&researcher, &consenting));
    }

    #[test]
    fn researcher_sees_consenting_persons_only() {
        let u = user(Role::Researcher, &[], &[]);
        let mut f = facts(Some(1), &["BE"], &[], &[]);
        assert!(!may_see(&u, &f));
        f.research_consent = true;
        assert!(may_see(&u, &f));
    }
}
