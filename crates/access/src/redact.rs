//! What a visible person looks like to a given role. Redaction happens here and only
//! here: handlers and templates print what they get.
//!
//! A value the role may not see is left out; a sealed value the role may not open shows
//! as `{"sealed": true}` (that something is recorded, never what). Relationships to
//! persons the caller may not see are dropped, so a record never points at a hidden person.

use crate::role::FieldAccess;
use model::claim::{ClaimKind, GradedClaim, LegalStatus};
use model::ids::PersonId;
use model::person::{Birth, Name, NameKind, RelationshipKind, Script, Vulnerability};
use model::projection::PersonView;
use model::report::{Report, SealClass, SealedValue};
use model::time::Timestamp;
use serde::Serialize;

/// Opens a sealed value, for roles allowed to; None when it cannot be opened.
pub type Unsealer<'a> = &'a dyn Fn(SealClass, &SealedValue) -> Option<String>;

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct NameOut {
    pub text: String,
    pub script: &'static str,
    pub kind: &'static str,
    /// The report the name was taken from (none: the registration itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct NationalityOut {
    pub country: String,
    pub status: &'static str,
    /// The report the claim was taken from, for roles that see ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct RelationshipOut {
    pub kind: &'static str,
    pub other: String,
}

/// A sealed field: that it exists, and its content only for the roles that hold the key.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct SealedOut {
    pub sealed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct WhereaboutsOut {
    pub status: &'static str,
    pub place: Option<String>,
    pub since: Option<String>,
    pub confidence: f64,
    /// Claim ids the status rests on, decided claim first (roles that see ids).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
    /// Claim ids of recent claims that say otherwise (roles that see ids).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contradictions: Vec<String>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ClaimOut {
    pub claim_id: String,
    pub report_id: String,
    pub kind: &'static str,
    pub observed_at: Option<String>,
    pub grade: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<SealedOut>,
}

/// A person as one caller may see them.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct PersonOut {
    /// The real id, or a pseudonym (`anon-…`) for roles that get no ids.
    pub person_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<NameOut>>,
    pub sex: &'static str,
    pub birth: Option<String>,
    pub nationalities: Vec<NationalityOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household: Option<String>,
    pub relationships: Vec<RelationshipOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Vec<String>>,
    pub whereabouts: WhereaboutsOut,
    pub claims: Vec<ClaimOut>,
    /// The id asked for was a record merged into this person (see `duplicates`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<MergedFromOut>,
    /// For a person made of several records: each record as its own events made it, so
    /// every name, nationality claim and claim shows where it came from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ReportOut {
    pub report_id: String,
    pub channel: &'static str,
    pub received_at: Option<String>,
    pub grade: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SealedOut>,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct TimelineEntryOut {
    pub claim: ClaimOut,
    pub report: Option<ReportOut>,
}

/// Everything the redaction of one record needs besides the record.
pub struct Lens<'a> {
    pub fields: FieldAccess,
    /// Whether the caller may see another person (for relationships).
    pub sees: &'a dyn Fn(PersonId) -> bool,
    pub unseal: Unsealer<'a>,
    /// Key for pseudonyms when `fields.real_ids` is false.
    pub pseudonym_key: [u8; 32],
}

/// A time as every output writes it: RFC 3339, or None if out of range.
pub(crate) fn time(t: Timestamp) -> Option<String> {
    t.to_datetime().map(|d| d.to_rfc3339())
}

fn script(s: Script) -> &'static str {
    match s {
        Script::Latin => "latin",
        Script::Arabic => "arabic",
        Script::Other => "other",
    }
}

fn name_kind(k: NameKind) -> &'static str {
    match k {
        NameKind::Given => "given",
        NameKind::Family => "family",
        NameKind::Full => "full",
        NameKind::Kunya => "kunya",
        NameKind::Alias => "alias",
        NameKind::Maiden => "maiden",
        NameKind::Married => "married",
    }
}

pub(crate) fn relationship_kind(k: RelationshipKind) -> &'static str {
    match k {
        RelationshipKind::ParentOf => "parent_of",
        RelationshipKind::ChildOf => "child_of",
        RelationshipKind::SpouseOf => "spouse_of",
        RelationshipKind::SiblingOf => "sibling_of",
        RelationshipKind::GuardianOf => "guardian_of",
        RelationshipKind::WardOf => "ward_of",
    }
}

fn vulnerability(v: &Vulnerability) -> String {
    match v {
        Vulnerability::MedicalCondition(c) => format!("medical_condition: {c}"),
        Vulnerability::UnaccompaniedMinor => "unaccompanied_minor".into(),
        Vulnerability::SeparatedChild => "separated_child".into(),
        Vulnerability::Pregnancy => "pregnancy".into(),
        Vulnerability::Disability => "disability".into(),
    }
}

fn birth(b: &Birth, full: bool) -> String {
    if !full {
        return b.year_range().1.to_string();
    }
    match *b {
        Birth::Exact(d) => d.to_string(),
        Birth::Month { year, month } => format!("{year:04}-{month:02}"),
        Birth::Year(y) => y.to_string(),
        Birth::StatedAge { age, stated_on } => format!("age {age} stated on {stated_on}"),
    }
}

fn sealed(
    value: Option<&SealedValue>,
    class: SealClass,
    fields: &FieldAccess,
    unseal: Unsealer,
) -> Option<SealedOut> {
    value.map(|v| SealedOut {
        sealed: true,
        value: if fields.opens(class) {
            unseal(class, v)
        } else {
            None
        },
    })
}

impl Lens<'_> {
    /// A person id as this caller may see it.
    pub fn person_id(&self, id: PersonId) -> String {
        if self.fields.real_ids {
            id.to_string()
        } else {
            let h = blake3::keyed_hash(&self.pseudonym_key, id.as_bytes());
            let hex: String = h.as_bytes()[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("anon-{hex}")
        }
    }

    fn claim_ids(&self, ids: &[model::ids::ClaimId]) -> Vec<String> {
        if self.fields.real_ids {
            ids.iter().map(|c| c.to_string()).collect()
        } else {
            Vec::new()
        }
    }

    /// Whether a claim may be shown at all.
    pub fn shows_claim(&self, kind: &ClaimKind) -> bool {
        match kind {
            ClaimKind::HealthCondition { .. } => self.fields.health,
            ClaimKind::Legal(_) | ClaimKind::WishesTrialAtHome { .. } => self.fields.legal,
            ClaimKind::StatesWish { .. } => self.fields.names,
            _ => true,
        }
    }

    pub fn claim(&self, g: &GradedClaim) -> ClaimOut {
        let c = &g.claim;
        let ids = self.fields.real_ids;
        let (place, text, detail) = match &c.kind {
            ClaimKind::SeenAt { place } | ClaimKind::Escaped { from: place } => {
                (Some(place.to_string()), None, None)
            }
            ClaimKind::OnTheMove { toward } => (None, toward.clone(), None),
            ClaimKind::InCustody { holder, place } => {
                (place.map(|p| p.to_string()), Some(holder.clone()), None)
            }
            ClaimKind::Repatriated { country } => (None, Some(country.to_string()), None),
            ClaimKind::Deceased => (None, None, None),
            ClaimKind::HealthCondition { condition, detail } => (
                None,
                Some(condition.clone()),
                sealed(
                    detail.as_ref(),
                    SealClass::Medical,
                    &self.fields,
                    self.unseal,
                ),
            ),
            ClaimKind::Legal(l) => (
                None,
                Some(match l {
                    LegalStatus::ProceedingsOpened { authority } => {
                        format!("proceedings opened by {authority}")
                    }
                    LegalStatus::ConvictedInAbsentia { sentence } => {
                        format!("convicted in absentia: {sentence}")
                    }
                    LegalStatus::Warrant { authority } => format!("warrant from {authority}"),
                    LegalStatus::Acquitted => "acquitted".into(),
                    LegalStatus::Sentenced {
                        authority,
                        sentence,
                    } => format!("sentenced by {authority}: {sentence}"),
                }),
                None,
            ),
            ClaimKind::WishesTrialAtHome { country } => {
                (None, country.map(|c| c.to_string()), None)
            }
            ClaimKind::StatesWish { wish } => (None, Some(wish.as_str().to_string()), None),
        };
        ClaimOut {
            claim_id: if ids { c.id.to_string() } else { String::new() },
            report_id: if ids {
                c.report.to_string()
            } else {
                String::new()
            },
            kind: c.kind.label(),
            observed_at: time(c.observed_at),
            grade: g.grade.to_string(),
            place,
            text,
            detail,
        }
    }

    pub fn report(&self, r: &Report) -> ReportOut {
        ReportOut {
            report_id: if self.fields.real_ids {
                r.id.to_string()
            } else {
                String::new()
            },
            channel: r.channel.as_str(),
            received_at: time(r.received_at),
            grade: r.grade.to_string(),
            content: self.fields.report_content.then(|| r.content.clone()),
            source: sealed(
                r.source.as_ref(),
                SealClass::Source,
                &self.fields,
                self.unseal,
            ),
        }
    }

    /// The person as the caller may see them. The caller must already have been found
    /// entitled to see the person ([`crate::policy::may_see`]).
    pub fn person(&self, v: &PersonView) -> PersonOut {
        let f = self.fields;
        PersonOut {
            person_id: self.person_id(v.id),
            names: f.names.then(|| {
                v.names
                    .iter()
                    .map(|n: &Name| NameOut {
                        text: n.text.clone(),
                        script: script(n.script),
                        kind: name_kind(n.kind),
                        source: n.source.filter(|_| f.real_ids).map(|r| r.to_string()),
                    })
                    .collect()
            }),
            sex: match v.sex {
                model::person::Sex::Female => "female",
                model::person::Sex::Male => "male",
                model::person::Sex::Unknown => "unknown",
            },
            birth: v.birth.as_ref().map(|b| birth(b, f.names)),
            nationalities: v
                .nationalities
                .iter()
                .map(|n| NationalityOut {
                    country: n.country.to_string(),
                    status: n.status.as_str(),
                    source: n.source.filter(|_| f.real_ids).map(|r| r.to_string()),
                })
                .collect(),
            household: if f.real_ids {
                v.household.map(|h| h.to_string())
            } else {
                None
            },
            relationships: if f.real_ids {
                v.relationships
                    .iter()
                    .filter(|r| (self.sees)(r.other))
                    .map(|r| RelationshipOut {
                        kind: relationship_kind(r.kind),
                        other: r.other.to_string(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            vulnerabilities: f
                .health
                .then(|| v.vulnerabilities.iter().map(vulnerability).collect()),
            whereabouts: WhereaboutsOut {
                status: v.whereabouts.status.as_str(),
                place: v.whereabouts.place.map(|p| p.to_string()),
                since: v.whereabouts.since.and_then(time),
                confidence: v.whereabouts.confidence,
                basis: self.claim_ids(&v.whereabouts.basis),
                contradictions: self.claim_ids(&v.whereabouts.contradictions),
            },
            claims: v
                .claims
                .iter()
                .filter(|g| self.shows_claim(&g.claim.kind))
                .map(|g| self.claim(g))
                .collect(),
            merged_from: None,
            records: Vec::new(),
        }
    }
}

/// A merge as a caller sees it (on a person's page, or after undoing it).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct MergeOut {
    pub merge_id: String,
    pub survivor: String,
    pub merged: String,
    pub by: String,
    pub at: Option<String>,
    pub note: String,
    pub in_effect: bool,
}

/// The id asked for was a record merged into this person.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct MergedFromOut {
    pub person_id: String,
    pub merge: MergeOut,
}

/// One record of a person made of several, as its own events made it, and the merge
/// that joined it (none for the record the person is shown under).
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RecordOut {
    pub person: PersonOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<MergeOut>,
}
