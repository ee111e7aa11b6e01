//! The roles of CONTRACT.md and what each may see. Every rule lives here and in
//! [`crate::policy`], nowhere else.

use model::report::SealClass;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Caseworker,
    Tracing,
    Consular,
    ChildProtection,
    Researcher,
}

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a role: use admin, coordinator, caseworker, tracing, consular, child_protection or researcher")]
pub struct RoleError(pub String);

/// Which parts of a person a role may see, once the person is visible to them.
///
/// Standard fields (id, sex, nationality claims, whereabouts, places, household,
/// relationships to other visible persons) go to every role that sees persons at all,
/// except that a researcher gets a pseudonymous id and no names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FieldAccess {
    /// Real person ids (else a pseudonym).
    pub real_ids: bool,
    /// Names in every script, and the full date of birth (else birth year only).
    pub names: bool,
    /// Sensitive: vulnerabilities and health-condition labels.
    pub health: bool,
    /// Sensitive: legal status (proceedings, convictions, warrants, wish for trial).
    pub legal: bool,
    /// Sensitive: the free-text content of reports (may name other people).
    pub report_content: bool,
    /// Sealed: the identity of a report's source.
    pub sources: bool,
    /// Sealed: medical detail of health claims.
    pub medical_detail: bool,
    /// Sealed: interview transcripts.
    pub transcripts: bool,
}

impl FieldAccess {
    /// Whether the role holds the key to a class of sealed values.
    pub fn opens(&self, class: SealClass) -> bool {
        match class {
            SealClass::Source => self.sources,
            SealClass::Medical => self.medical_detail,
            SealClass::Transcript => self.transcripts,
        }
    }
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Coordinator,
        Role::Caseworker,
        Role::Tracing,
        Role::Consular,
        Role::ChildProtection,
        Role::Researcher,
    ];

    pub fn parse(s: &str) -> Result<Self, RoleError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase().replace('-', "_"))
            .ok_or_else(|| RoleError(s.to_string()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Caseworker => "caseworker",
            Role::Tracing => "tracing",
            Role::Consular => "consular",
            Role::ChildProtection => "child_protection",
            Role::Researcher => "researcher",
        }
    }

    /// Whether the role ever reads individual persons (search, show, timeline). A
    /// coordinator works with aggregates only: asking for a person is refused outright
    /// (403), which reveals nothing because it does not depend on the person.
    pub fn reads_persons(self) -> bool {
        !matches!(self, Role::Coordinator)
    }

    /// Whether the role may manage users and read the audit chain.
    pub fn administers(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Whether the role may record a report and its claims (about persons it sees).
    /// Coordinators work with counts and researchers with extracts: neither writes.
    pub fn records_reports(self) -> bool {
        !matches!(self, Role::Coordinator | Role::Researcher)
    }

    /// Whether the role may record a place-status change (a camp unguarded, evacuated):
    /// crisis operations, not consular or research work.
    pub fn changes_place_status(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::Coordinator | Role::Caseworker | Role::Tracing
        )
    }

    /// Whether the role may record an interview with persons it sees: those who record
    /// reports. Researchers' interviews are entered by the protection partner they work
    /// with; researchers get pseudonymised extracts.
    pub fn records_interviews(self) -> bool {
        self.records_reports()
    }

    /// Whether the role may record consent decisions: protection staff. Not a consul (a
    /// government recording consent to share with itself), a coordinator or a researcher.
    pub fn records_consent(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::Caseworker | Role::Tracing | Role::ChildProtection
        )
    }

    /// Whether the role may make a publication extract (persons who consented to
    /// publication): protection staff, as for consent.
    pub fn publishes(self) -> bool {
        self.records_consent()
    }

    pub fn fields(self) -> FieldAccess {
        let all_but_sealed = FieldAccess {
            real_ids: true,
            names: true,
            health: true,
            legal: true,
            report_content: true,
            sources: false,
            medical_detail: false,
            transcripts: false,
        };
        match self {
            Role::Admin => all_but_sealed,
            Role::Caseworker => FieldAccess {
                transcripts: true,
                ..all_but_sealed
            },
            Role::Tracing => FieldAccess {
                sources: true,
                ..all_but_sealed
            },
            Role::Consular => FieldAccess {
                report_content: false,
                ..all_but_sealed
            },
            Role::ChildProtection => FieldAccess {
                legal: false,
                medical_detail: true,
                transcripts: true,
                ..all_but_sealed
            },
            Role::Coordinator | Role::Researcher => FieldAccess {
                real_ids: false,
                names: false,
                health: false,
                legal: false,
                report_content: false,
                sources: false,
                medical_detail: false,
                transcripts: false,
            },
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_round_trip_and_reject_others() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
        }
        assert_eq!(
            Role::parse("Child-Protection").ok(),
            Some(Role::ChildProtection)
        );
        assert!(Role::parse("root").is_err());
        assert!(Role::parse("").is_err());
    }

    #[test]
    fn sealed_fields_go_only_to_named_roles() {
        for r in Role::ALL {
            let f = r.fields();
            assert_eq!(f.sources, r == Role::Tracing, "{r}");
            assert_eq!(f.medical_detail, r == Role::ChildProtection, "{r}");
            assert_eq!(
                f.transcripts,
                matches!(r, Role::Caseworker | Role::ChildProtection),
                "{r}"
            );
            assert_eq!(f.opens(SealClass::Source), f.sources, "{r}");
            assert_eq!(f.opens(SealClass::Medical), f.medical_detail, "{r}");
            assert_eq!(f.opens(SealClass::Transcript), f.transcripts, "{r}");
        }
    }
}
