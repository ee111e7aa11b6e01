//! Small-cell suppression for every count that leaves the system.
//!
//! **Primary**: a cell (or total) counting 1 to `threshold - 1` persons is withheld.
//! Zero is published: an empty cell names nobody.
//!
//! **Secondary**: a caller can ask for the same counts with fewer dimensions (or for the
//! total, which every table carries), and subtract. So for every set of dimensions, the
//! cells that differ only in those dimensions form a block whose sum is published
//! elsewhere — a line when one dimension varies, the whole table (whose sum is the total)
//! when all do; a block with exactly one withheld cell would reveal it. In such a block
//! the smallest published cell is withheld too, and this repeats until no block has a
//! lone withheld cell. (A table of camp × sex × age whose only small cell is "Roj, male,
//! 0-4" and whose total is published would otherwise give that cell away by subtraction,
//! though no single line holds another cell.)
//!
//! Limits: differencing across different filters (scopes, time) is not covered; counts
//! of a person with two nationalities appear in two nationality cells.

use serde::Serialize;
use std::collections::HashMap;

/// Below this a count is withheld. Only ever raised, never lowered.
pub const DEFAULT_THRESHOLD: u64 = 5;

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Cell {
    pub values: Vec<String>,
    /// None when withheld.
    pub count: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct SuppressedTable {
    /// The threshold applied: counts from 1 to `threshold - 1` are withheld.
    pub threshold: u64,
    /// None when withheld.
    pub total: Option<u64>,
    pub cells: Vec<Cell>,
}

fn small(n: u64, threshold: u64) -> bool {
    n > 0 && n < threshold
}

/// Applies primary and secondary suppression. `cells` are (dimension values, count),
/// every row with the same number of values. `threshold` below the default is raised to it.
pub fn suppress(total: u64, cells: &[(Vec<String>, u64)], threshold: u64) -> SuppressedTable {
    let k = threshold.max(DEFAULT_THRESHOLD);
    if small(total, k) {
        return SuppressedTable {
            threshold: k,
            total: None,
            cells: cells
                .iter()
                .map(|(v, c)| Cell {
                    values: v.clone(),
                    count: (*c == 0).then_some(0),
                })
                .collect(),
        };
    }
    let mut withheld: Vec<bool> = cells.iter().map(|(_, c)| small(*c, k)).collect();
    // At most 16 dimensions are looked at (there are five).
    let dims = cells.first().map_or(0, |(v, _)| v.len()).min(16);
    loop {
        let mut changed = false;
        // Each non-empty set of varying dimensions, as a bit mask.
        for varying in 1u32..(1 << dims) {
            let mut lines: HashMap<Vec<&String>, Vec<usize>> = HashMap::new();
            for (i, (values, _)) in cells.iter().enumerate() {
                let key: Vec<&String> = values
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| varying & (1 << j) == 0)
                    .map(|(_, v)| v)
                    .collect();
                lines.entry(key).or_default().push(i);
            }
            let mut lines: Vec<Vec<usize>> = lines.into_values().collect();
            lines.sort();
            for line in lines {
                let hidden = line.iter().filter(|&&i| withheld[i]).count();
                if hidden != 1 {
                    continue;
                }
                let partner = line
                    .iter()
                    .copied()
                    .filter(|&i| !withheld[i] && cells[i].1 > 0)
                    .min_by_key(|&i| (cells[i].1, i));
                if let Some(i) = partner {
                    withheld[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    SuppressedTable {
        threshold: k,
        total: Some(total),
        cells: cells
            .iter()
            .zip(withheld)
            .map(|((v, c), w)| Cell {
                values: v.clone(),
                count: (!w).then_some(*c),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str], n: u64) -> (Vec<String>, u64) {
        (values.iter().map(|s| s.to_string()).collect(), n)
    }

    fn counts(t: &SuppressedTable) -> Vec<Option<u64>> {
        t.cells.iter().map(|c| c.count).collect()
    }

    #[test]
    fn small_cells_and_their_partner_are_withheld() {
        let t = suppress(
            33,
            &[
                row(&["Roj"], 3),
                row(&["Al-Hol"], 20),
                row(&["Ain Issa"], 10),
            ],
            5,
        );
        assert_eq!(t.total, Some(33));
        // 3 is small; 10 is the smallest other cell, withheld so 33 - 20 does not reveal 3.
        assert_eq!(counts(&t), vec![None, Some(20), None]);
    }

    #[test]
    fn two_small_cells_need_no_partner() {
        let t = suppress(27, &[row(&["a"], 3), row(&["b"], 4), row(&["c"], 20)], 5);
        assert_eq!(counts(&t), vec![None, None, Some(20)]);
    }

    #[test]
    fn a_small_total_withholds_everything() {
        let t = suppress(4, &[row(&["a"], 4)], 5);
        assert_eq!(t.total, None);
        assert_eq!(counts(&t), vec![None]);
        let zero = suppress(0, &[], 5);
        assert_eq!(zero.total, Some(0));
    }

    #[test]
    fn threshold_is_never_lowered() {
        let t = suppress(40, &[row(&["a"], 2), row(&["b"], 38)], 1);
        assert_eq!(counts(&t), vec![None, None]);
        let t = suppress(40, &[row(&["a"], 8), row(&["b"], 32)], 10);
        assert_eq!(counts(&t), vec![None, None]);
    }

    #[test]
    fn a_published_total_does_not_give_away_the_one_small_cell_of_a_sparse_table() {
        // camp x sex x age band: the two cells share no line, but total - 30 = 2.
        let cells = [
            row(&["Roj", "female", "18-59"], 30),
            row(&["Roj", "male", "0-4"], 2),
        ];
        let t = suppress(32, &cells, 5);
        assert_eq!(t.total, Some(32));
        assert_eq!(counts(&t), vec![None, None]);
        // Revealing the partner would reveal the small cell again, so every block with
        // the partner is protected in turn.
        let cells = [
            row(&["Roj", "female", "18-59"], 30),
            row(&["Roj", "male", "0-4"], 2),
            row(&["Al-Hol", "female", "18-59"], 40),
        ];
        assert_eq!(counts(&suppress(72, &cells, 5)), vec![None, None, None]);
        // A full table with one small cell keeps more than half of its cells, and no block
        // of it has a lone gap.
        let mut full = Vec::new();
        for (c, camp) in ["Roj", "Al-Hol", "Ain Issa"].iter().enumerate() {
            for (s, sex) in ["female", "male"].iter().enumerate() {
                for (a, age) in ["0-4", "5-11", "18-59"].iter().enumerate() {
                    let n = if (c, s, a) == (0, 1, 0) {
                        2
                    } else {
                        10 + c + s + a
                    };
                    full.push(row(&[camp, sex, age], n as u64));
                }
            }
        }
        let total = full.iter().map(|(_, n)| n).sum();
        let t = suppress(total, &full, 5);
        let published = t.cells.iter().filter(|c| c.count.is_some()).count();
        assert_eq!(published, 10, "{:?}", t.cells);
        assert_eq!(t.cells[3].count, None, "Roj, male, 0-4");
        for varying in 1u32..8 {
            let mut blocks: HashMap<Vec<&String>, usize> = HashMap::new();
            for c in &t.cells {
                let key: Vec<&String> = (0..3)
                    .filter(|j| varying & (1 << j) == 0)
                    .map(|j| &c.values[j])
                    .collect();
                *blocks.entry(key).or_default() += usize::from(c.count.is_none());
            }
            assert!(blocks.values().all(|n| *n != 1), "varying {varying:b}");
        }
    }

    #[test]
    fn every_line_of_a_two_way_table_is_protected() {
        // camp x sex. Roj/male = 2 is small. Asking by camp gives Roj = 42, so Roj/female
        // must go; asking by sex gives male = 32, so Al-Hol/male must go; then Al-Hol's line
        // has one withheld cell, so Al-Hol/female goes as well.
        let cells = [
            row(&["Roj", "female"], 40),
            row(&["Roj", "male"], 2),
            row(&["Al-Hol", "female"], 50),
            row(&["Al-Hol", "male"], 30),
        ];
        let t = suppress(122, &cells, 5);
        assert_eq!(counts(&t), vec![None, None, None, None]);
        // No line may have exactly one withheld cell.
        let three = [
            row(&["Roj", "female"], 40),
            row(&["Roj", "male"], 2),
            row(&["Roj", "unknown"], 9),
            row(&["Al-Hol", "female"], 50),
            row(&["Al-Hol", "male"], 30),
            row(&["Al-Hol", "unknown"], 12),
        ];
        let t = suppress(143, &three, 5);
        for d in 0..2 {
            let mut lines: HashMap<String, usize> = HashMap::new();
            for c in &t.cells {
                if c.count.is_none() {
                    *lines.entry(c.values[1 - d].clone()).or_default() += 1;
                }
            }
            assert!(
                lines.values().all(|&n| n != 1),
                "dimension {d}: {:?}",
                t.cells
            );
        }
        assert_eq!(t.cells[1].count, None);
    }
}
