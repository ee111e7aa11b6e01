//! Person records in an export: exactly what the gate shows the caller ([`PersonOut`],
//! already redacted for the role), flattened into columns for a spreadsheet; and the
//! smaller publication record, which carries a name or an image only where the person
//! consented to that use.

use super::sheet::Column;
use crate::redact::PersonOut;
use crate::role::FieldAccess;
use serde::Serialize;
use std::collections::HashMap;

/// The columns of a person export for a role's fields.
pub(super) fn person_columns(f: &FieldAccess) -> Vec<Column> {
    let mut cols = vec![Column::new(
        "person_id",
        if f.real_ids {
            "#x_person +id"
        } else {
            "#x_person +id +x_pseudonym"
        },
    )];
    if f.names {
        cols.push(Column::new("names", "#x_person +name"));
    }
    cols.extend([
        Column::new("sex", "#x_sex"),
        Column::new("birth", "#date +x_birth"),
        Column::new("nationalities", "#country +code +x_nationality"),
        Column::new("nationality_statuses", "#x_nationality +x_status"),
        Column::new("camp", "#loc +name"),
        Column::new("whereabouts", "#x_whereabouts +code"),
        Column::new("last_place", "#loc +name +x_whereabouts"),
        Column::new("since", "#date +x_since"),
        Column::new("confidence", "#x_whereabouts +x_confidence"),
    ]);
    if f.real_ids {
        cols.push(Column::new("household", "#x_household +id"));
    }
    if f.health {
        cols.push(Column::new("vulnerabilities", "#x_vulnerability +list"));
    }
    cols
}

/// One person's cells, in [`person_columns`] order. Place ids become names.
pub(super) fn person_cells(
    f: &FieldAccess,
    p: &PersonOut,
    camp: Option<&str>,
    place_names: &HashMap<String, String>,
) -> Vec<String> {
    let place = |id: &Option<String>| {
        id.as_ref()
            .map(|i| place_names.get(i).cloned().unwrap_or_else(|| i.clone()))
            .unwrap_or_default()
    };
    let mut cells = vec![p.person_id.clone()];
    if f.names {
        let names: Vec<&str> = p.names.iter().flatten().map(|n| n.text.as_str()).collect();
        cells.push(names.join(" | "));
    }
    let join = |items: Vec<&str>| items.join(";");
    cells.extend([
        p.sex.to_string(),
        p.birth.clone().unwrap_or_default(),
        join(p.nationalities.iter().map(|n| n.country.as_str()).collect()),
        join(p.nationalities.iter().map(|n| n.status).collect()),
        camp.unwrap_or_default().to_string(),
        p.whereabouts.status.to_string(),
        place(&p.whereabouts.place),
        p.whereabouts.since.clone().unwrap_or_default(),
        format!("{:.2}", p.whereabouts.confidence),
    ]);
    if f.real_ids {
        cells.push(p.household.clone().unwrap_or_default());
    }
    if f.health {
        cells.push(
            p.vulnerabilities
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    cells
}

/// A person record as JSON Lines carry it: the gate's record and the camp's name.
#[derive(Serialize)]
pub(super) struct PersonLine<'a> {
    #[serde(flatten)]
    pub person: &'a PersonOut,
    pub camp: Option<&'a str>,
}

/// A person in a publication extract: a reference that is not their id, the name only
/// with consent to its use, images (by hash) only with consent to theirs.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct PublicationRecord {
    pub reference: String,
    pub names: Vec<String>,
    pub sex: &'static str,
    pub birth_year: Option<i32>,
    pub nationalities: Vec<String>,
    pub camp: Option<String>,
    pub whereabouts: &'static str,
    /// BLAKE3 of photographs recorded in the person's interviews.
    pub images: Vec<String>,
}

pub(super) fn publication_columns() -> Vec<Column> {
    vec![
        Column::new("reference", "#x_person +id +x_reference"),
        Column::new("names", "#x_person +name"),
        Column::new("sex", "#x_sex"),
        Column::new("birth_year", "#date +x_birth"),
        Column::new("nationalities", "#country +code +x_nationality"),
        Column::new("camp", "#loc +name"),
        Column::new("whereabouts", "#x_whereabouts +code"),
        Column::new("images", "#x_image +x_blake3"),
    ]
}

pub(super) fn publication_cells(r: &PublicationRecord) -> Vec<String> {
    vec![
        r.reference.clone(),
        r.names.join(" | "),
        r.sex.to_string(),
        r.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        r.nationalities.join(";"),
        r.camp.clone().unwrap_or_default(),
        r.whereabouts.to_string(),
        r.images.join(";"),
    ]
}
