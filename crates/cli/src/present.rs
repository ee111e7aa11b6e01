//! How registry records are shown: as JSON for scripts (`--json`) and as tables for people.
//! The JSON shapes are part of CONTRACT.md; add fields, never rename them.

use comfy_table::{presets::UTF8_HORIZONTAL_ONLY, ContentArrangement, Table};
use model::claim::{ClaimKind, GradedClaim, LegalStatus};
use model::ids::PlaceId;
use model::person::{Birth, Name, NationalityClaim, Relationship, Vulnerability};
use model::projection::{PersonView, PlaceView};
use model::whereabouts::Whereabouts;
use serde::Serialize;
use std::collections::HashMap;

/// Place names by id, for showing claims and whereabouts.
pub struct PlaceNames(HashMap<PlaceId, String>);

impl PlaceNames {
    pub fn new(places: &[PlaceView]) -> Self {
        Self(
            places
                .iter()
                .map(|p| (p.place.id, p.place.name.clone()))
                .collect(),
        )
    }
    pub fn name(&self, id: PlaceId) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }
    pub fn camp_of(&self, places: &[PlaceView], id: PlaceId) -> String {
        let parent = places
            .iter()
            .find(|p| p.place.id == id)
            .and_then(|p| p.place.parent);
        match parent {
            Some(parent)
                if places.iter().any(|p| {
                    p.place.id == parent && p.place.kind == model::place::PlaceKind::Camp
                }) =>
            {
                self.name(parent)
            }
            _ => self.name(id),
        }
    }
}

#[derive(Serialize)]
pub struct NameJson {
    pub text: String,
    pub script: &'static str,
    pub kind: &'static str,
    pub source: Option<String>,
}

impl From<&Name> for NameJson {
    fn from(n: &Name) -> Self {
        Self {
            text: n.text.clone(),
            script: match n.script {
                model::person::Script::Latin => "latin",
                model::person::Script::Arabic => "arabic",
                model::person::Script::Other => "other",
            },
            kind: match n.kind {
                model::person::NameKind::Given => "given",
                model::person::NameKind::Family => "family",
                model::person::NameKind::Full => "full",
                model::person::NameKind::Kunya => "kunya",
                model::person::NameKind::Alias => "alias",
                model::person::NameKind::Maiden => "maiden",
                model::person::NameKind::Married => "married",
            },
            source: n.source.map(|s| s.to_string()),
        }
    }
}

#[derive(Serialize)]
pub struct NationalityJson {
    pub country: String,
    pub status: String,
    pub evidence: Option<String>,
}

impl From<&NationalityClaim> for NationalityJson {
    fn from(n: &NationalityClaim) -> Self {
        Self {
            country: n.country.to_string(),
            status: n.status.as_str().to_string(),
            evidence: n.evidence.clone(),
        }
    }
}

/// One line of `person list`.
#[derive(Serialize)]
pub struct PersonSummary {
    pub person_id: String,
    pub names: Vec<String>,
    pub nationalities: Vec<String>,
    pub camp: Option<String>,
    pub status: &'static str,
}

pub fn summary(p: &PersonView, places: &[PlaceView], names: &PlaceNames) -> PersonSummary {
    PersonSummary {
        person_id: p.id.to_string(),
        names: p.names.iter().map(|n| n.text.clone()).collect(),
        nationalities: p
            .nationalities
            .iter()
            .map(|n| n.country.to_string())
            .collect(),
        camp: p.whereabouts.place.map(|id| names.camp_of(places, id)),
        status: p.whereabouts.status.as_str(),
    }
}

pub fn birth_text(b: &Birth) -> String {
    match b {
        Birth::Exact(d) => d.to_string(),
        Birth::Month { year, month } => format!("{year}-{month:02}"),
        Birth::Year(y) => y.to_string(),
        Birth::StatedAge { age, stated_on } => format!("age {age} stated on {stated_on}"),
    }
}

pub fn claim_text(kind: &ClaimKind, names: &PlaceNames) -> String {
    match kind {
        ClaimKind::SeenAt { place } => format!("seen at {}", names.name(*place)),
        ClaimKind::Escaped { from } => format!("escaped from {}", names.name(*from)),
        ClaimKind::OnTheMove { toward } => match toward {
            Some(t) => format!("on the move toward {t}"),
            None => "on the move".into(),
        },
        ClaimKind::InCustody { holder, place } => match place {
            Some(p) => format!("in custody of {holder} at {}", names.name(*p)),
            None => format!("in custody of {holder}"),
        },
        ClaimKind::Repatriated { country } => format!("repatriated to {country}"),
        ClaimKind::Deceased => "deceased".into(),
        ClaimKind::HealthCondition { condition, detail } => {
            format!(
                "health: {condition}{}",
                if detail.is_some() {
                    " [sealed detail]"
                } else {
                    ""
                }
            )
        }
        ClaimKind::Legal(l) => match l {
            LegalStatus::ProceedingsOpened { authority } => {
                format!("proceedings opened by {authority}")
            }
            LegalStatus::ConvictedInAbsentia { sentence } => {
                format!("convicted in absentia: {sentence}")
            }
            LegalStatus::Warrant { authority } => format!("warrant issued by {authority}"),
            LegalStatus::Acquitted => "acquitted".into(),
            LegalStatus::Sentenced {
                authority,
                sentence,
            } => format!("sentenced by {authority}: {sentence}"),
        },
        ClaimKind::WishesTrialAtHome { country } => match country {
            Some(c) => format!("asks to be tried at home ({c})"),
            None => "asks to be tried at home".into(),
        },
        ClaimKind::StatesWish { wish } => {
            format!("states a wish: {}", wish.as_str().replace('_', " "))
        }
    }
}

#[derive(Serialize)]
pub struct ClaimJson {
    pub claim_id: String,
    pub report_id: String,
    /// The record the claim is about (differs from the person for a merged record).
    pub record: String,
    pub kind: &'static str,
    pub text: String,
    pub observed_at: String,
    pub grade: String,
}

pub fn claim_json(g: &GradedClaim, names: &PlaceNames) -> ClaimJson {
    ClaimJson {
        claim_id: g.claim.id.to_string(),
        report_id: g.claim.report.to_string(),
        record: g.claim.person.to_string(),
        kind: g.claim.kind.label(),
        text: claim_text(&g.claim.kind, names),
        observed_at: g.claim.observed_at.to_string(),
        grade: g.grade.to_string(),
    }
}

#[derive(Serialize)]
pub struct WhereaboutsJson {
    pub status: &'static str,
    pub place: Option<String>,
    pub since: Option<String>,
    pub confidence: f64,
    pub basis: Vec<ClaimJson>,
    pub contradictions: Vec<ClaimJson>,
    pub dispersed_by: Option<String>,
}

pub fn whereabouts_json(
    w: &Whereabouts,
    claims: &[GradedClaim],
    names: &PlaceNames,
) -> WhereaboutsJson {
    let find = |ids: &[model::ids::ClaimId]| -> Vec<ClaimJson> {
        ids.iter()
            .filter_map(|id| claims.iter().find(|c| c.claim.id == *id))
            .map(|c| claim_json(c, names))
            .collect()
    };
    WhereaboutsJson {
        status: w.status.as_str(),
        place: w.place.map(|p| names.name(p)),
        since: w.since.map(|t| t.to_string()),
        confidence: (w.confidence * 100.0).round() / 100.0,
        basis: find(&w.basis),
        contradictions: find(&w.contradictions),
        dispersed_by: w
            .dispersed_by
            .as_ref()
            .map(|c| format!("{} at {}", c.status.as_str(), c.at)),
    }
}

#[derive(Serialize)]
pub struct RelativeJson {
    pub relation: String,
    pub person_id: String,
    pub name: String,
    pub evidence: String,
}

pub fn relative_json(r: &Relationship, other: Option<&PersonView>) -> RelativeJson {
    RelativeJson {
        relation: format!("{:?}", r.kind),
        person_id: r.other.to_string(),
        name: other
            .map(|o| o.display_name())
            .unwrap_or_else(|| "(not in the registry)".into()),
        evidence: format!("{:?}", r.evidence).to_lowercase(),
    }
}

pub fn vulnerability_text(v: &Vulnerability) -> String {
    match v {
        Vulnerability::MedicalCondition(c) => format!("medical: {c}"),
        Vulnerability::UnaccompaniedMinor => "unaccompanied minor".into(),
        Vulnerability::SeparatedChild => "separated child".into(),
        Vulnerability::Pregnancy => "pregnancy".into(),
        Vulnerability::Disability => "disability".into(),
    }
}

pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    t
}

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
