//! Reading a list into rows of text cells, from CSV or XLSX, with the limits that keep a
//! hostile file from exhausting the machine.

use anyhow::{anyhow, bail, Context as _};
use std::path::Path;

/// Larger files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Lists longer than this are refused: split them.
pub const MAX_ROWS: usize = 2_000_000;

/// A list as read: its header and its rows, each with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Line in the CSV file, or row number in the spreadsheet (the header is 1).
    pub line: u64,
    pub cells: Vec<String>,
}

impl Sheet {
    /// The position of a header, or an error naming the headers there are.
    pub fn column(&self, header: &str, field: &str) -> anyhow::Result<usize> {
        self.headers
            .iter()
            .position(|h| h.trim() == header.trim())
            .ok_or_else(|| {
                anyhow!(
                    "the mapping's {field} column '{header}' is not in the file; its columns are: {}",
                    self.headers.join(", ")
                )
            })
    }
}

/// Reads a CSV (UTF-8, comma-separated, header first) or an XLSX file (first sheet).
pub fn read(path: &Path) -> anyhow::Result<Sheet> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{} is {} MiB; lists over {} MiB are refused: split the list",
            path.display(),
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let sheet = match ext.as_deref() {
        Some("xlsx" | "xlsm" | "xls" | "ods") => read_spreadsheet(path)?,
        _ => read_csv(path)?,
    };
    check_headers(&sheet.headers, path)?;
    Ok(sheet)
}

fn check_headers(headers: &[String], path: &Path) -> anyhow::Result<()> {
    if headers.iter().all(|h| h.trim().is_empty()) {
        bail!(
            "{} has no header row: the first row must name the columns",
            path.display()
        );
    }
    for (i, h) in headers.iter().enumerate() {
        if !h.trim().is_empty() && headers[..i].iter().any(|o| o.trim() == h.trim()) {
            bail!(
                "{} has two columns named '{}': rename one so the mapping can tell them apart",
                path.display(),
                h.trim()
            );
        }
    }
    Ok(())
}

fn read_csv(path: &Path) -> anyhow::Result<Sheet> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow!("{}: cannot read the header row: {e}", path.display()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow!(
                "{} line {line}: {e}; save the list as UTF-8 CSV and check its quotes",
                path.display()
            )
        })?;
        if rows.len() >= MAX_ROWS {
            bail!(
                "{} has more than {MAX_ROWS} rows: split the list",
                path.display()
            );
        }
        let line = record.position().map_or(0, |p| p.line());
        rows.push(Row {
            line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Sheet { headers, rows })
}

fn read_spreadsheet(path: &Path) -> anyhow::Result<Sheet> {
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| anyhow!("{} is not a readable spreadsheet: {e}", path.display()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| anyhow!("{} has no sheet", path.display()))?
        .map_err(|e| anyhow!("{}: cannot read the first sheet: {e}", path.display()))?;
    let mut lines = range.rows();
    let headers: Vec<String> = lines
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (i, r) in lines.enumerate() {
        if rows.len() >= MAX_ROWS {
            bail!(
                "{} has more than {MAX_ROWS} rows: split the list",
                path.display()
            );
        }
        rows.push(Row {
            line: i as u64 + 2,
            cells: r.iter().map(cell_text).collect(),
        });
    }
    Ok(Sheet { headers, rows })
}

/// A spreadsheet cell as the text a person would read in it. Dates become YYYY-MM-DD;
/// whole numbers lose their ".0".
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::{Data, DataType as _};
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => cell
            .as_date()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| cell.to_string()),
        other => other.to_string(),
    }
}
