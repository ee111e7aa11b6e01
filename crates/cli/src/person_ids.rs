//! Persons named on the command line by a full id or a unique prefix of one (the first
//! eight characters are usually enough). A record merged into another person is still
//! found by its own id.

use anyhow::bail;
use model::ids::PersonId;
use store::Registry;

/// The person `text` names: a full id, or the one id (of a person or of a merged record)
/// that starts with it.
pub fn resolve(reg: &Registry, text: &str) -> anyhow::Result<PersonId> {
    if let Ok(id) = text.parse::<PersonId>() {
        return Ok(id);
    }
    let mut found = reg.person_ids_with_prefix(text)?;
    found.extend(reg.merged_ids_with_prefix(text)?);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => bail!("no person has an id starting with '{text}'; `homeward person list` shows ids"),
        _ => bail!("'{text}' matches several persons; type more characters of the id"),
    }
}
