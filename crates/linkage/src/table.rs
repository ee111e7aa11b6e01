//! Records held in memory, column by column.
//!
//! A million records with a dozen short text columns must fit well under a gigabyte, so
//! each column is one string buffer plus offsets rather than a `String` per cell. An empty
//! cell is a missing value: the engine never distinguishes "" from absent.

/// One text column: cell `i` is `buf[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct Column {
    buf: String,
    offsets: Vec<u32>,
}

impl Column {
    fn new() -> Self {
        Column {
            buf: String::new(),
            offsets: vec![0],
        }
    }

    fn push(&mut self, value: &str) {
        self.buf.push_str(value.trim());
        // A single column over 4 GiB of text is far past what this engine is meant for.
        let end = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        self.offsets.push(end);
    }

    /// The cell of record `row`; empty when missing.
    pub fn get(&self, row: usize) -> &str {
        let (a, b) = (self.offsets[row] as usize, self.offsets[row + 1] as usize);
        &self.buf[a..b]
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Builds a column from values (used for derived columns).
    pub fn from_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut c = Column::new();
        for v in values {
            c.push(v);
        }
        c
    }
}

/// Records with named text columns and an id per record.
#[derive(Debug, Clone)]
pub struct Table {
    names: Vec<String>,
    ids: Column,
    columns: Vec<Column>,
}

impl Table {
    /// An empty table with the given column names (the id column is separate).
    pub fn new(column_names: Vec<String>) -> Self {
        let columns = column_names.iter().map(|_| Column::new()).collect();
        Table {
            names: column_names,
            ids: Column::new(),
            columns,
        }
    }

    /// Appends a record. `values` follow the column names; missing trailing values are
    /// empty, extra ones are an error of the caller (it knows the file and row).
    pub fn push(&mut self, id: &str, values: &[&str]) {
        self.ids.push(id);
        for (i, col) in self.columns.iter_mut().enumerate() {
            col.push(values.get(i).copied().unwrap_or(""));
        }
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of record `row`.
    pub fn id(&self, row: usize) -> &str {
        self.ids.get(row)
    }

    /// The column names, in order.
    pub fn column_names(&self) -> &[String] {
        &self.names
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }

    /// Adds (or replaces) a derived column computed by the caller.
    pub fn set_column(&mut self, name: &str, column: Column) {
        debug_assert_eq!(column.len(), self.len());
        match self.names.iter().position(|n| n == name) {
            Some(i) => self.columns[i] = column,
            None => {
                self.names.push(name.to_string());
                self.columns.push(column);
            }
        }
    }

    /// The records in the order `order` gives (a permutation of `0..len`).
    pub fn permuted(&self, order: &[u32]) -> Table {
        let ids = Column::from_values(order.iter().map(|&r| self.ids.get(r as usize)));
        let columns = self
            .columns
            .iter()
            .map(|c| Column::from_values(order.iter().map(|&r| c.get(r as usize))))
            .collect();
        Table {
            names: self.names.clone(),
            ids,
            columns,
        }
    }

    /// Appends all records of `other` (same columns, matched by name).
    pub fn append(&mut self, other: &Table) {
        let map: Vec<Option<&Column>> = self.names.iter().map(|n| other.column(n)).collect();
        for row in 0..other.len() {
            self.ids.push(other.id(row));
            for (i, col) in self.columns.iter_mut().enumerate() {
                col.push(map[i].map(|c| c.get(row)).unwrap_or(""));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_and_trim() {
        let mut t = Table::new(vec!["a".into(), "b".into()]);
        t.push("1", &[" x ", ""]);
        t.push("2", &["y"]);
        assert_eq!(t.len(), 2);
        let a = t.column("a").unwrap();
        assert_eq!(a.get(0), "x");
        assert_eq!(a.get(1), "y");
        assert_eq!(t.column("b").unwrap().get(1), "");
        assert_eq!(t.id(1), "2");
    }

    #[test]
    fn append_matches_columns_by_name() {
        let mut t = Table::new(vec!["a".into(), "b".into()]);
        t.push("1", &["x", "y"]);
        let mut u = Table::new(vec!["b".into()]);
        u.push("2", &["z"]);
        t.append(&u);
        assert_eq!(t.column("a").unwrap().get(1), "");
        assert_eq!(t.column("b").unwrap().get(1), "z");
    }
}
