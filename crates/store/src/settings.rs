//! Settings an administrator chooses for this registry, kept in `meta`. The store keeps
//! the value; what values are allowed is the access layer's and the CLI's to decide.

use crate::error::StoreError;
use crate::Registry;
use rusqlite::OptionalExtension;

const SUPPRESSION_THRESHOLD: &str = "suppression_threshold";

impl Registry {
    /// The smallest count the administrator allows out of this registry, if ever set.
    pub fn suppression_threshold(&self) -> Result<Option<u64>, StoreError> {
        let value: Option<i64> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [SUPPRESSION_THRESHOLD],
                |r| r.get(0),
            )
            .optional()?;
        value
            .map(|v| {
                u64::try_from(v).map_err(|_| {
                    StoreError::Corrupt(format!("{SUPPRESSION_THRESHOLD} is negative: {v}"))
                })
            })
            .transpose()
    }

    /// Records the threshold. Callers check that it is allowed.
    pub fn set_suppression_threshold(&self, threshold: u64) -> Result<(), StoreError> {
        let value = i64::try_from(threshold)
            .map_err(|_| StoreError::Corrupt(format!("threshold {threshold} is too large")))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            rusqlite::params![SUPPRESSION_THRESHOLD, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_threshold_is_kept_across_opening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let reg = crate::Registry::create(&path, "a synthetic passphrase").unwrap();
        assert_eq!(reg.suppression_threshold().unwrap(), None);
        reg.set_suppression_threshold(11).unwrap();
        drop(reg);
        let reg = crate::Registry::open(&path, "a synthetic passphrase").unwrap();
        assert_eq!(reg.suppression_threshold().unwrap(), Some(11));
    }
}
