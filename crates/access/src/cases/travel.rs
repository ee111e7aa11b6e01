//! Who travels, on [`Writer`]: a member staying behind or travelling again, a member
//! removed, and the check behind an unaccompanied child's own case. The rules are
//! `model::case::travel`'s; here, as for every case change, the role (403), the case and
//! the person (404 when the caller may not see them), then the input and the rules (a
//! message saying what to fix), then the event and the audit entry. Nothing is written
//! when a check fails.

use super::writes::{adult_at, check_text, member};
use crate::error::AccessError;
use crate::writes::Writer;
use model::case::{
    case_id, check_removal, check_travel, CaseChange, Removal, TravelChange, TravelError,
};
use model::ids::CaseId;
use model::person::RelationshipKind;
use model::projection::PersonView;
use model::time::Timestamp;
use model::CountryCode;

/// Whether the person is under 18 on `at` whatever the imprecision of their birth (a
/// person with no recorded birth is not taken for a child).
pub(crate) fn known_child(person: &PersonView, at: Timestamp) -> bool {
    person
        .birth
        .zip(at.date())
        .is_some_and(|(b, on)| b.age_on(on).1 < 18)
}

fn refused(case: CaseId, e: TravelError) -> AccessError {
    AccessError::Invalid(format!("case {case}: {e}"))
}

impl Writer<'_> {
    /// Marks a member as staying behind (`travels: false`: a child who stays with a
    /// relative, a member who refuses to go) or as travelling again, with the reason.
    /// Audited as `case.travel`.
    pub fn change_travel(&mut self, case: CaseId, change: TravelChange) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.travel")?;
        self.visible(change.person, "case.travel")?;
        member(&view, change.person)?;
        self.not_future("the decision", change.at)?;
        check_text("the reason", &change.reason, true)?;
        check_travel(&view, &change).map_err(|e| refused(case, e))?;
        let change = TravelChange {
            reason: change.reason.trim().to_string(),
            ..change
        };
        let detail = format!(
            "person:{} {}",
            change.person,
            if change.travels {
                "travels"
            } else {
                "stays_behind"
            }
        );
        self.append_case(vec![Self::change(case, CaseChange::TravelChanged(change))])?;
        self.audit("case.travel", &format!("case:{case}"), &detail)
    }

    /// Takes a member (never the principal) out of the case, with the reason. Audited as
    /// `case.member.remove`.
    pub fn remove_case_member(
        &mut self,
        case: CaseId,
        removal: Removal,
    ) -> Result<(), AccessError> {
        self.may_work("change repatriation cases")?;
        let view = self.workable(case, "case.member.remove")?;
        self.visible(removal.person, "case.member.remove")?;
        member(&view, removal.person)?;
        self.not_future("the removal", removal.at)?;
        check_text("the reason", &removal.reason, true)?;
        check_removal(&view, &removal).map_err(|e| refused(case, e))?;
        let removal = Removal {
            reason: removal.reason.trim().to_string(),
            ..removal
        };
        let detail = format!("person:{}", removal.person);
        self.append_case(vec![Self::change(case, CaseChange::MemberRemoved(removal))])?;
        self.audit("case.member.remove", &format!("case:{case}"), &detail)
    }

    /// A child's own case is for a child known to be under 18 on `at` (whatever the
    /// imprecision of their birth) who does not travel in a parent's case for `country`.
    pub(super) fn check_child_alone(
        &self,
        child: &PersonView,
        country: CountryCode,
        at: Timestamp,
    ) -> Result<(), AccessError> {
        if !known_child(child, at) {
            let why = if adult_at(child, at) {
                "is 18 or over: open an ordinary case"
            } else {
                "may be 18 or over: record their birth or stated age first"
            };
            return Err(AccessError::Invalid(format!(
                "an unaccompanied child's case is for a child known to be under 18, and person {} {why}",
                child.id
            )));
        }
        for r in &child.relationships {
            if r.kind != RelationshipKind::ChildOf {
                continue;
            }
            let Some(parents) = self.registry.case(case_id(r.other, country))? else {
                continue;
            };
            if !parents.members.contains(&child.id) || parents.stays_behind(child.id) {
                continue;
            }
            let which = if self.gate().sees(r.other) {
                format!("case {}", parents.id)
            } else {
                "a parent's case".to_string()
            };
            return Err(AccessError::Invalid(format!(
                "the child travels in {which} with {country}: mark them as staying behind there (or remove them) first"
            )));
        }
        Ok(())
    }
}
