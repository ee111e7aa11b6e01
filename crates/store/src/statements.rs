//! Statements held for the length of a loop that runs them for many rows (a flush
//! writes eight or more rows per person). rusqlite's statement cache hashes the whole
//! SQL text on every look-up and moves the statement out of its LRU list and back, which
//! costs about as much as inserting a small row; held here, a statement is found by the
//! address of its text.

use crate::error::StoreError;
use rusqlite::{CachedStatement, Connection, Statement};

pub(crate) struct Held<'c> {
    conn: &'c Connection,
    /// Few (one per distinct text a loop runs): a scan beats hashing.
    held: Vec<(&'static str, CachedStatement<'c>)>,
}

impl<'c> Held<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            held: Vec::new(),
        }
    }

    pub(crate) fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// The statement of `sql`, prepared on first use. Texts are told apart by address and
    /// length: the same literal written twice may be prepared twice, which costs a
    /// statement, never a wrong one.
    pub(crate) fn get(&mut self, sql: &'static str) -> Result<&mut Statement<'c>, StoreError> {
        let at = match self.held.iter().position(|(s, _)| std::ptr::eq(*s, sql)) {
            Some(at) => at,
            None => {
                self.held.push((sql, self.conn.prepare_cached(sql)?));
                self.held.len() - 1
            }
        };
        Ok(&mut self.held[at].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_runs_its_own_statement() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER)").unwrap();
        let mut held = Held::new(&conn);
        const INSERT: &str = "INSERT INTO t (a) VALUES (?1)";
        const COUNT: &str = "SELECT count(*) FROM t";
        for a in 0..3 {
            held.get(INSERT).unwrap().execute([a]).unwrap();
        }
        let n: i64 = held
            .get(COUNT)
            .unwrap()
            .query_row([], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
        assert_eq!(held.held.len(), 2, "one statement per text");
    }
}
