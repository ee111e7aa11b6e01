//! Tables as they leave the system in a spreadsheet format: CSV, and HXL-tagged CSV (the
//! Humanitarian Exchange Language: a row of hashtags under the header, e.g. `#loc +name`,
//! `#affected +f +children`, `#country +code`; hashtags of our own start `#x_`).
//!
//! **Formula injection.** A spreadsheet opening a CSV runs a cell that begins with `=`,
//! `+`, `-` or `@` (and some programs one that begins with a tab, a carriage return or
//! the full-width forms of those signs) as a formula: a name typed into a report as
//! `=HYPERLINK("http://…","click")` would run on a partner's laptop. Every data cell that
//! begins with one of them is written with a leading `'`, which spreadsheets show as text.
//! The header and the HXL row are ours and are written as they are.

use std::borrow::Cow;
use std::io::Write;

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '＠'];

/// A cell as it is safe to put in a spreadsheet.
pub fn escape_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A column: its header for people and its HXL hashtag with attributes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Column {
    pub header: String,
    pub hxl: String,
}

impl Column {
    pub fn new(header: impl Into<String>, hxl: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            hxl: hxl.into(),
        }
    }
}

/// Writes CSV (RFC 4180 quoting by the `csv` crate) with a header, the HXL row when
/// `hxl`, then each data row with formulas escaped.
pub struct SheetWriter<'w> {
    out: csv::Writer<&'w mut dyn Write>,
    width: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write the export: {0}")]
pub struct WriteError(String);

impl From<csv::Error> for WriteError {
    fn from(e: csv::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        Self(e.to_string())
    }
}

impl<'w> SheetWriter<'w> {
    pub fn start(
        out: &'w mut dyn Write,
        columns: &[Column],
        hxl: bool,
    ) -> Result<Self, WriteError> {
        let mut out = csv::WriterBuilder::new().from_writer(out);
        out.write_record(columns.iter().map(|c| c.header.as_str()))?;
        if hxl {
            out.write_record(columns.iter().map(|c| c.hxl.as_str()))?;
        }
        Ok(Self {
            out,
            width: columns.len(),
        })
    }

    /// One data row; cells past the columns are dropped, missing ones are empty.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), WriteError> {
        let escaped: Vec<Cow<str>> = (0..self.width)
            .map(|i| {
                cells
                    .get(i)
                    .map(|c| escape_formula(c.as_ref()))
                    .unwrap_or(Cow::Borrowed(""))
            })
            .collect();
        self.out
            .write_record(escaped.iter().map(|c| c.as_bytes()))?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), WriteError> {
        self.out.flush()?;
        Ok(())
    }
}

/// Where records go: JSON Lines, or a sheet.
pub enum RecordSink<'w> {
    Lines(&'w mut dyn Write),
    Sheet(Box<SheetWriter<'w>>),
}

impl<'w> RecordSink<'w> {
    /// `sheet`: None for JSON Lines, else whether to add the HXL row.
    pub fn start(
        out: &'w mut dyn Write,
        sheet: Option<bool>,
        columns: &[Column],
    ) -> Result<Self, WriteError> {
        Ok(match sheet {
            None => Self::Lines(out),
            Some(hxl) => Self::Sheet(Box::new(SheetWriter::start(out, columns, hxl)?)),
        })
    }

    /// One record: `cells` for a sheet, `line` for JSON Lines.
    pub fn record<S: AsRef<str>>(
        &mut self,
        cells: impl FnOnce() -> Vec<S>,
        line: &impl serde::Serialize,
    ) -> Result<(), WriteError> {
        match self {
            Self::Lines(out) => json_line(&mut **out, line),
            Self::Sheet(w) => w.row(&cells()),
        }
    }

    pub fn finish(self) -> Result<(), WriteError> {
        match self {
            Self::Lines(out) => Ok(out.flush()?),
            Self::Sheet(w) => w.finish(),
        }
    }
}

/// One JSON Lines record.
pub fn json_line(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), WriteError> {
    serde_json::to_writer(&mut *out, value).map_err(|e| WriteError(e.to_string()))?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_and_plain_text_is_not() {
        for bad in [
            "=1+1",
            "+33 6 12 34 56 78",
            "-2",
            "@SUM(A1:A2)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://example.invalid\",\"click\")",
            "＝1+1",
        ] {
            let e = escape_formula(bad);
            assert!(e.starts_with('\''), "{bad:?} -> {e:?}");
            assert_eq!(&e[1..], bad);
        }
        for good in [
            "Samira",
            "سميرة",
            "2019-10-13",
            "",
            " =not first",
            "a=b",
            "#loc +name",
        ] {
            assert_eq!(escape_formula(good), good);
        }
    }

    #[test]
    fn a_sheet_has_its_header_its_hxl_row_and_escaped_cells() {
        let cols = [
            Column::new("camp", "#loc +name"),
            Column::new("female children", "#affected +f +children"),
        ];
        let mut out: Vec<u8> = Vec::new();
        let mut w = SheetWriter::start(&mut out, &cols, true).unwrap();
        w.row(&["=cmd|' /C calc'!A0", "12"]).unwrap();
        w.row(&["Roj, \"annex\""]).unwrap();
        w.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "camp,female children");
        assert_eq!(lines[1], "#loc +name,#affected +f +children");
        assert_eq!(lines[2], "'=cmd|' /C calc'!A0,12");
        assert_eq!(lines[3], "\"Roj, \"\"annex\"\"\",");
        let mut plain: Vec<u8> = Vec::new();
        SheetWriter::start(&mut plain, &cols, false)
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), "camp,female children\n");
    }
}
