//! One row of a list, checked and read into the facts it states. A row with a problem is
//! never half-read: it is set aside whole, with every problem it has.

use super::mapping::Mapping;
use super::sheet::{Row, Sheet};
use chrono::NaiveDate;
use model::ids::PlaceId;
use model::person::{Birth, Name, NameKind, NationalityClaim, NationalityStatus, Sex};
use model::CountryCode;

/// Cells longer than this are refused: no name or date is that long.
pub const MAX_CELL_CHARS: usize = 500;

/// A row's part in its family, from the relation column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The family's head, when the list does not say more.
    Head,
    /// A wife or mother: the children of the family are hers.
    Mother,
    Child,
    Other,
}

/// A row read into facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub line: u64,
    pub names: Vec<Name>,
    pub sex: Sex,
    pub birth: Option<Birth>,
    pub nationalities: Vec<NationalityClaim>,
    pub place: Option<PlaceId>,
    pub household: Option<String>,
    pub relation: Relation,
    pub condition: Option<String>,
}

/// What is wrong with a row, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub row_id: Option<String>,
    pub column: Option<String>,
    pub text: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.row_id {
            write!(f, " (row {id})")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        write!(f, ": {}", self.text)
    }
}

/// The columns of the mapping found in the file, by position.
pub struct Layout {
    names: Vec<(String, usize)>,
    fields: Vec<(&'static str, String, usize)>,
}

impl Layout {
    pub fn new(mapping: &Mapping, sheet: &Sheet) -> anyhow::Result<Self> {
        let mut names = Vec::new();
        let mut fields = Vec::new();
        for (field, header) in mapping.columns.named() {
            let at = sheet.column(header, field)?;
            if field == "names" {
                names.push((header.to_string(), at));
            } else {
                fields.push((field, header.to_string(), at));
            }
        }
        Ok(Self { names, fields })
    }

    fn cell<'r>(&self, row: &'r Row, field: &str) -> Option<(&str, &'r str)> {
        self.fields
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, header, at)| (header.as_str(), row.cells.get(*at).map_or("", |c| c.trim())))
    }
}

/// What reading a row needs besides the row: the mapping, where the columns are, the day
/// the list was true (for stated ages), and how to find a place by its name.
pub struct Reader<'a> {
    pub mapping: &'a Mapping,
    pub layout: &'a Layout,
    pub observed_on: NaiveDate,
    pub place: &'a dyn Fn(&str) -> Result<PlaceId, String>,
}

impl Reader<'_> {
    /// Reads a row, or every problem it has.
    pub fn read(&self, row: &Row) -> Result<Entry, Vec<Problem>> {
        let row_id = self
            .layout
            .cell(row, "row_id")
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty());
        let mut problems = Vec::new();
        let mut problem = |column: Option<&str>, text: String| {
            problems.push(Problem {
                line: row.line,
                row_id: row_id.clone(),
                column: column.map(str::to_string),
                text,
            });
        };
        for (i, cell) in row.cells.iter().enumerate() {
            if let Some(text) = hostile(cell) {
                let header = self.layout_header(i);
                problem(header.as_deref(), text);
            }
        }
        let names = self.names(row, &mut problem);
        let sex = self.field(row, "sex", &mut problem, parse_sex);
        let birth = self.birth(row, &mut problem);
        let nationalities = self
            .field(row, "nationalities", &mut problem, parse_nationalities)
            .unwrap_or_default();
        let place = self.place_of(row, &mut problem);
        let relation = self
            .field(row, "relation", &mut problem, |v| Ok(parse_relation(v)))
            .unwrap_or(Relation::Other);
        let household = self.text(row, "household");
        let condition = self.text(row, "condition");
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Entry {
            line: row.line,
            names,
            sex: sex.unwrap_or(Sex::Unknown),
            birth,
            nationalities,
            place,
            household,
            relation,
            condition,
        })
    }

    fn layout_header(&self, at: usize) -> Option<String> {
        self.layout
            .names
            .iter()
            .map(|(h, i)| (h, *i))
            .chain(self.layout.fields.iter().map(|(_, h, i)| (h, *i)))
            .find(|(_, i)| *i == at)
            .map(|(h, _)| h.clone())
    }

    fn text(&self, row: &Row, field: &str) -> Option<String> {
        self.layout
            .cell(row, field)
            .map(|(_, v)| self.mapping.value(field, v).trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// Parses a field's cell if the mapping has the column and the cell is not empty.
    fn field<T>(
        &self,
        row: &Row,
        field: &str,
        problem: &mut dyn FnMut(Option<&str>, String),
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let (header, raw) = self.layout.cell(row, field)?;
        let value = self.mapping.value(field, raw).trim();
        if value.is_empty() {
            return None;
        }
        parse(value).map_err(|e| problem(Some(header), e)).ok()
    }

    fn names(&self, row: &Row, problem: &mut dyn FnMut(Option<&str>, String)) -> Vec<Name> {
        let mut names: Vec<Name> = Vec::new();
        for (header, at) in &self.layout.names {
            let text = row.cells.get(*at).map_or("", |c| c.trim());
            if text.is_empty() {
                continue;
            }
            if text.starts_with(['=', '+', '@']) {
                problem(
                    Some(header),
                    format!("'{text}' looks like a spreadsheet formula, not a name; write the name itself"),
                );
                continue;
            }
            if !names.iter().any(|n| n.text == text) {
                names.push(Name::new(text, NameKind::Full, None));
            }
        }
        if let Some(kunya) = self.text(row, "kunya") {
            names.push(Name::new(kunya, NameKind::Kunya, None));
        }
        if names.is_empty() {
            problem(
                None,
                "no name: every row needs a name (or a kunya) in one of the name columns".into(),
            );
        }
        names
    }

    fn birth(&self, row: &Row, problem: &mut dyn FnMut(Option<&str>, String)) -> Option<Birth> {
        let birth = self.field(row, "birth", problem, parse_birth);
        let on = self.observed_on;
        let age = self.field(row, "age", problem, |v| parse_age(v, on));
        birth.or(age)
    }

    fn place_of(
        &self,
        row: &Row,
        problem: &mut dyn FnMut(Option<&str>, String),
    ) -> Option<PlaceId> {
        match self.layout.cell(row, "place") {
            Some((header, v)) if !v.is_empty() => (self.place)(self.mapping.value("place", v))
                .map_err(|e| problem(Some(header), e))
                .ok(),
            _ => self
                .mapping
                .list
                .place
                .as_deref()
                .and_then(|p| (self.place)(p).map_err(|e| problem(None, e)).ok()),
        }
    }
}

/// Why a cell cannot be taken in at all, whatever column it is in.
fn hostile(cell: &str) -> Option<String> {
    if cell.chars().count() > MAX_CELL_CHARS {
        return Some(format!(
            "a cell of {} characters; no cell may be longer than {MAX_CELL_CHARS}",
            cell.chars().count()
        ));
    }
    cell.chars()
        .find(|c| c.is_control() && *c != '\t')
        .map(|c| {
            format!(
                "a control character (U+{:04X}) in the cell; remove it",
                c as u32
            )
        })
}

fn parse_sex(v: &str) -> Result<Sex, String> {
    match v.to_lowercase().as_str() {
        "f" | "female" | "woman" | "girl" | "أنثى" | "انثى" => Ok(Sex::Female),
        "m" | "male" | "man" | "boy" | "ذكر" => Ok(Sex::Male),
        "u" | "unknown" | "?" => Ok(Sex::Unknown),
        _ => Err(format!(
            "sex '{v}' is not female, male or unknown; map the list's own words under [values.sex]"
        )),
    }
}

fn parse_birth(v: &str) -> Result<Birth, String> {
    crate::commands::person::parse_birth(v)
        .map_err(|_| format!("birth '{v}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"))
}

fn parse_age(v: &str, on: NaiveDate) -> Result<Birth, String> {
    match v.parse::<u8>() {
        Ok(age) if age <= 120 => Ok(Birth::StatedAge { age, stated_on: on }),
        _ => Err(format!("age '{v}' is not a number of years from 0 to 120")),
    }
}

/// Country codes (`BE`, `be:disputed`) or nationality words (`Belgian`, `البلجيكية`).
fn parse_nationalities(v: &str) -> Result<Vec<NationalityClaim>, String> {
    let mut out: Vec<NationalityClaim> = Vec::new();
    for token in v
        .split([';', ',', '/'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let (word, status) = match token.rsplit_once(':') {
            Some((w, "disputed")) => (w, NationalityStatus::Disputed),
            Some((w, "confirmed")) => (w, NationalityStatus::Confirmed),
            Some((w, "claimed")) => (w, NationalityStatus::Claimed),
            _ => (token, NationalityStatus::Claimed),
        };
        let country = country_of(word).ok_or_else(|| {
            format!("nationality '{word}' is neither a country code (BE) nor a nationality word (Belgian)")
        })?;
        if !out.iter().any(|n| n.country == country) {
            out.push(NationalityClaim {
                country,
                status,
                evidence: None,
                source: None,
            });
        }
    }
    Ok(out)
}

fn country_of(word: &str) -> Option<CountryCode> {
    if word.len() == 2 && word.chars().all(|c| c.is_ascii_alphabetic()) {
        return word.to_ascii_uppercase().parse().ok();
    }
    names::nationality_adjective(word).and_then(|cc| cc.parse().ok())
}

fn parse_relation(v: &str) -> Relation {
    match v.to_lowercase().as_str() {
        "head" | "head of household" | "رب الأسرة" | "رب الاسرة" => Relation::Head,
        "wife" | "mother" | "زوجة" | "الزوجة" | "أم" | "ام" => Relation::Mother,
        "son" | "daughter" | "child" | "ابن" | "ابنة" | "بنت" | "ولد" => {
            Relation::Child
        }
        _ => Relation::Other,
    }
}

#[cfg(test)]
mod tests;
