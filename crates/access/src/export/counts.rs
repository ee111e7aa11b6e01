//! Counts in an export, already suppressed. JSON Lines carry one cell a line (with
//! `"suppressed": true` where withheld). In CSV and HXL, sex and age band become columns
//! the way HXL tables disaggregate people (`#affected +f +children +age0_4`), and the
//! other dimensions (camp, nationality, whereabouts status; the date for a series) are
//! the rows. A withheld cell is **empty**; a true zero is written `0`.

use super::sheet::{json_line, Column, SheetWriter, WriteError};
use crate::suppression::SuppressedTable;
use model::time::Timestamp;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use store::StatsDimension;

const SEXES: [(&str, &str); 3] = [
    ("female", "+f"),
    ("male", "+m"),
    ("unknown", "+x_sex_unknown"),
];
const AGE_BANDS: [(&str, &str); 6] = [
    ("0-4", "+children +age0_4"),
    ("5-11", "+children +age5_11"),
    ("12-17", "+children +age12_17"),
    ("18-59", "+adults +age18_59"),
    ("60+", "+elderly +age60plus"),
    ("unknown", "+x_age_unknown"),
];

/// A table to write, with the end of its period for a series.
pub(super) struct CountsTable<'a> {
    pub as_of: Option<Timestamp>,
    pub table: &'a SuppressedTable,
}

fn row_tag(d: StatsDimension) -> &'static str {
    match d {
        StatsDimension::Camp => "#loc +name",
        StatsDimension::Nationality => "#country +code +x_nationality",
        StatsDimension::Status => "#x_whereabouts +code",
        StatsDimension::Sex => "#x_sex",
        StatsDimension::AgeBand => "#x_age_band",
    }
}

fn day(t: Timestamp) -> String {
    t.date().map(|d| d.to_string()).unwrap_or_default()
}

/// The column values of a cell: sex and age band, when they are dimensions.
fn pivoted(d: StatsDimension) -> bool {
    matches!(d, StatsDimension::Sex | StatsDimension::AgeBand)
}

/// Every combination of the pivoted dimensions, as (header, HXL attributes, values).
fn count_columns(dims: &[StatsDimension]) -> Vec<(String, String, Vec<&'static str>)> {
    let mut out: Vec<(String, String, Vec<&'static str>)> =
        vec![(String::new(), "#affected".to_string(), Vec::new())];
    for d in dims.iter().filter(|d| pivoted(**d)) {
        let values: &[(&'static str, &'static str)] = match d {
            StatsDimension::Sex => &SEXES,
            _ => &AGE_BANDS,
        };
        out = out
            .iter()
            .flat_map(|(header, tag, vals)| {
                values.iter().map(move |(v, attrs)| {
                    let mut vals = vals.clone();
                    vals.push(*v);
                    let header = if header.is_empty() {
                        v.to_string()
                    } else {
                        format!("{header} {v}")
                    };
                    (header, format!("{tag} {attrs}"), vals)
                })
            })
            .collect();
    }
    if out.len() == 1 {
        out[0].0 = "persons".into();
    }
    out
}

/// Writes the tables as CSV (HXL-tagged when `hxl`) in the wide layout.
pub(super) fn write_sheet(
    out: &mut dyn Write,
    dims: &[StatsDimension],
    tables: &[CountsTable],
    hxl: bool,
) -> Result<usize, WriteError> {
    let row_dims: Vec<(usize, StatsDimension)> = dims
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, d)| !pivoted(*d))
        .collect();
    let col_dims: Vec<usize> = (0..dims.len()).filter(|i| pivoted(dims[*i])).collect();
    let count_cols = count_columns(dims);
    let series = tables.iter().any(|t| t.as_of.is_some());
    let mut columns = Vec::new();
    if series {
        columns.push(Column::new("as_of", "#date +x_as_of"));
    }
    columns.extend(
        row_dims
            .iter()
            .map(|(_, d)| Column::new(d.key(), row_tag(*d))),
    );
    columns.extend(
        count_cols
            .iter()
            .map(|(h, t, _)| Column::new(h.clone(), t.clone())),
    );
    let mut w = SheetWriter::start(out, &columns, hxl)?;
    let mut rows = 0;
    for t in tables {
        // Row key -> (column values -> count).
        let mut grid: BTreeMap<Vec<&str>, BTreeMap<Vec<&str>, Option<u64>>> = BTreeMap::new();
        for c in &t.table.cells {
            let key: Vec<&str> = row_dims
                .iter()
                .map(|(i, _)| c.values[*i].as_str())
                .collect();
            let col: Vec<&str> = col_dims.iter().map(|i| c.values[*i].as_str()).collect();
            grid.entry(key).or_default().insert(col, c.count);
        }
        if grid.is_empty() && row_dims.is_empty() {
            grid.insert(Vec::new(), BTreeMap::from([(Vec::new(), t.table.total)]));
        }
        for (key, cells) in grid {
            let mut row: Vec<String> = t.as_of.map(day).into_iter().collect();
            row.extend(key.iter().map(|s| s.to_string()));
            for (_, _, vals) in &count_cols {
                let count = cells.get(&vals.to_vec()).copied().unwrap_or(Some(0));
                row.push(count.map(|n| n.to_string()).unwrap_or_default());
            }
            w.row(&row)?;
            rows += 1;
        }
    }
    w.finish()?;
    Ok(rows)
}

/// Writes one JSON object a cell: the dimensions, `count` (null when withheld),
/// `suppressed`, `threshold`, and `as_of` for a series.
pub(super) fn write_lines(
    out: &mut dyn Write,
    dims: &[StatsDimension],
    tables: &[CountsTable],
) -> Result<usize, WriteError> {
    let mut rows = 0;
    for t in tables {
        let mut lines: Vec<(Vec<String>, Option<u64>)> = t
            .table
            .cells
            .iter()
            .map(|c| (c.values.clone(), c.count))
            .collect();
        if dims.is_empty() {
            lines.push((Vec::new(), t.table.total));
        }
        for (values, count) in lines {
            let mut m = Map::new();
            if let Some(at) = t.as_of {
                m.insert("as_of".into(), json!(day(at)));
            }
            for (d, v) in dims.iter().zip(values) {
                m.insert(d.key().into(), Value::String(v));
            }
            m.insert("count".into(), json!(count));
            m.insert("suppressed".into(), json!(count.is_none()));
            m.insert("threshold".into(), json!(t.table.threshold));
            json_line(out, &Value::Object(m))?;
            rows += 1;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppression::suppress;

    fn row(v: &[&str], n: u64) -> (Vec<String>, u64) {
        (v.iter().map(|s| s.to_string()).collect(), n)
    }

    #[test]
    fn sex_and_age_become_hxl_columns_and_withheld_cells_are_empty() {
        let dims = [
            StatsDimension::Camp,
            StatsDimension::Sex,
            StatsDimension::AgeBand,
        ];
        let table = suppress(
            60,
            &[
                row(&["Roj", "female", "18-59"], 30),
                row(&["Roj", "female", "0-4"], 2),
                row(&["Roj", "male", "0-4"], 28),
            ],
            5,
        );
        let mut out = Vec::new();
        let n = write_sheet(
            &mut out,
            &dims,
            &[CountsTable {
                as_of: None,
                table: &table,
            }],
            true,
        )
        .unwrap();
        assert_eq!(n, 1);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let tags: Vec<&str> = lines[1].split(',').collect();
        let values: Vec<&str> = lines[2].split(',').collect();
        assert_eq!(header.len(), 1 + 3 * 6);
        assert_eq!(header[0], "camp");
        assert_eq!(tags[0], "#loc +name");
        let col = |h: &str| header.iter().position(|x| *x == h).unwrap();
        assert_eq!(tags[col("female 0-4")], "#affected +f +children +age0_4");
        assert_eq!(tags[col("male 60+")], "#affected +m +elderly +age60plus");
        assert_eq!(
            tags[col("unknown unknown")],
            "#affected +x_sex_unknown +x_age_unknown"
        );
        assert_eq!(values[0], "Roj");
        // 2 is withheld, and so is its partner in the female line and the 0-4 line.
        assert_eq!(values[col("female 0-4")], "");
        assert!(values[col("female 18-59")].is_empty() || values[col("male 0-4")].is_empty());
        // A cell with nobody is a zero, not a gap.
        assert_eq!(values[col("male 60+")], "0");
    }

    #[test]
    fn a_series_has_a_date_column_and_one_line_per_cell_in_json() {
        let dims = [StatsDimension::Camp];
        let t1 = suppress(20, &[row(&["Roj"], 20)], 5);
        let t2 = suppress(23, &[row(&["Roj"], 20), row(&["Al-Hol"], 3)], 5);
        // The end of 1 October 2019.
        let day1 = Timestamp(1_569_888_000_000 + model::time::MS_PER_DAY - 1);
        let tables = [
            CountsTable {
                as_of: Some(day1),
                table: &t1,
            },
            CountsTable {
                as_of: Some(day1.plus_ms(model::time::MS_PER_DAY)),
                table: &t2,
            },
        ];
        let mut out = Vec::new();
        write_sheet(&mut out, &dims, &tables, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(
            "as_of,camp,persons\n#date +x_as_of,#loc +name,#affected\n2019-10-01,Roj,20\n"
        ));
        assert!(text.contains("2019-10-02,Al-Hol,\n"));
        let mut out = Vec::new();
        assert_eq!(write_lines(&mut out, &dims, &tables).unwrap(), 3);
        let last: Value =
            serde_json::from_str(String::from_utf8(out).unwrap().lines().last().unwrap()).unwrap();
        assert_eq!(last["as_of"], "2019-10-02");
        assert_eq!(last["count"], Value::Null);
        assert_eq!(last["suppressed"], true);
    }
}
