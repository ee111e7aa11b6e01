//! From links to clusters.
//!
//! Connected components join every chain of links, so one false link between two people
//! merges their whole families of records. Constrained clustering takes links strongest
//! first and merges two clusters only when enough of the pairs between them are links
//! themselves, which a single bad link never is for clusters of two or more.
//!
//! Records can also be known to be different entities unless shown otherwise: one list
//! holds each person once, so two records of the camp list in one cluster mean two
//! people chained together. With exclusive groups ([`constrained_exclusive`]), two
//! clusters that each hold a record of the same group merge only when those two records
//! are linked to each other directly (a true duplicate within a list still merges).
//!
//! A cluster is named by the earliest record in it (input order): appending records to a
//! file never renames an existing cluster, unless two existing clusters merge, and then
//! the older name survives.

/// A link between records `a` and `b` (indexes) with its match weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// First record.
    pub a: u32,
    /// Second record.
    pub b: u32,
    /// Match weight (log2 odds).
    pub weight: f32,
}

struct Dsu {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Dsu {
    fn new(n: usize) -> Self {
        Dsu {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    /// Merges; the smaller index becomes the root, so the root is the earliest record.
    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return ra;
        }
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child as usize] = root;
        self.size[root as usize] += self.size[child as usize];
        root
    }
}

/// Cluster of every record: the index of the earliest record of its cluster.
pub fn connected_components(n: usize, links: &[Link]) -> Vec<u32> {
    let mut dsu = Dsu::new(n);
    for l in links {
        dsu.union(l.a, l.b);
    }
    (0..n as u32).map(|i| dsu.find(i)).collect()
}

/// Constrained clustering: links strongest first; clusters `A` and `B` merge only when at
/// least `min_fraction` of the `|A|·|B|` pairs between them are links.
pub fn constrained(n: usize, links: &[Link], min_fraction: f64) -> Vec<u32> {
    constrained_with(n, links, min_fraction, None)
}

/// [`constrained`], where records sharing a non-zero `group` (their source list, say) are
/// different entities unless linked directly: clusters `A` and `B` also need every pair
/// of same-group records between them to be a link.
pub fn constrained_exclusive(
    n: usize,
    links: &[Link],
    min_fraction: f64,
    group: &[u32],
) -> Vec<u32> {
    constrained_with(n, links, min_fraction, Some(group))
}

/// Links as adjacency lists: the neighbours of `x` are `adj[offsets[x]..offsets[x + 1]]`.
struct Adjacency {
    offsets: Vec<u32>,
    adj: Vec<u32>,
}

impl Adjacency {
    fn new(n: usize, links: &[Link]) -> Self {
        let mut degree = vec![0u32; n + 1];
        for l in links {
            degree[l.a as usize + 1] += 1;
            degree[l.b as usize + 1] += 1;
        }
        for i in 1..=n {
            degree[i] += degree[i - 1];
        }
        let offsets = degree.clone();
        let mut fill = degree;
        let mut adj = vec![0u32; links.len() * 2];
        for l in links {
            adj[fill[l.a as usize] as usize] = l.b;
            fill[l.a as usize] += 1;
            adj[fill[l.b as usize] as usize] = l.a;
            fill[l.b as usize] += 1;
        }
        Adjacency { offsets, adj }
    }

    fn of(&self, x: u32) -> &[u32] {
        &self.adj[self.offsets[x as usize] as usize..self.offsets[x as usize + 1] as usize]
    }
}

fn constrained_with(
    n: usize,
    links: &[Link],
    min_fraction: f64,
    group: Option<&[u32]>,
) -> Vec<u32> {
    let adjacency = Adjacency::new(n, links);
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by(|&x, &y| links[y].weight.total_cmp(&links[x].weight));
    let mut dsu = Dsu::new(n);
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    for i in order {
        let l = links[i];
        let (ra, rb) = (dsu.find(l.a), dsu.find(l.b));
        if ra == rb {
            continue;
        }
        let (sa, sb) = (members[ra as usize].len(), members[rb as usize].len());
        let (small, other) = if sa <= sb { (ra, rb) } else { (rb, ra) };
        let mut between = 0usize;
        for &x in &members[small as usize] {
            for &y in adjacency.of(x) {
                if dsu.find(y) == other {
                    between += 1;
                }
            }
        }
        let exclusive_ok = group.is_none_or(|g| {
            members[small as usize].iter().all(|&x| {
                g[x as usize] == 0
                    || members[other as usize]
                        .iter()
                        .all(|&y| g[y as usize] != g[x as usize] || adjacency.of(x).contains(&y))
            })
        });
        if exclusive_ok && between as f64 >= min_fraction * (sa * sb) as f64 {
            let root = dsu.union(ra, rb);
            let gone = if root == ra { rb } else { ra };
            let moved = std::mem::take(&mut members[gone as usize]);
            members[root as usize].extend(moved);
        }
    }
    (0..n as u32).map(|i| dsu.find(i)).collect()
}

/// Keeps, for a link between two files, at most one link per record on each side: the
/// strongest links first, a link dropped when either record is already taken.
pub fn one_to_one(links: &[Link]) -> Vec<Link> {
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    let mut taken = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for l in order {
        if !taken.contains(&l.a) && !taken.contains(&l.b) {
            taken.insert(l.a);
            taken.insert(l.b);
            out.push(*l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: u32, b: u32, w: f32) -> Link {
        Link { a, b, weight: w }
    }

    /// Two families of records, each fully linked, and one bad link between them.
    fn two_groups_and_a_bridge(bridge: f32) -> Vec<Link> {
        let mut links = Vec::new();
        for group in [[0u32, 1, 2, 3], [4, 5, 6, 7]] {
            for i in 0..4 {
                for j in i + 1..4 {
                    links.push(link(group[i], group[j], 10.0));
                }
            }
        }
        links.push(link(3, 4, bridge));
        links
    }

    #[test]
    fn connected_components_chain_through_a_bad_link() {
        let c = connected_components(8, &two_groups_and_a_bridge(8.0));
        assert!(c.iter().all(|&x| x == 0));
    }

    #[test]
    fn constrained_clustering_does_not_chain() {
        let c = constrained(8, &two_groups_and_a_bridge(8.0), 0.5);
        assert_eq!(&c[..4], &[0, 0, 0, 0]);
        assert_eq!(&c[4..], &[4, 4, 4, 4]);
        // Even when the bad link is the strongest of all, the two families stay apart:
        // at most the one record at its end is misplaced.
        let c = constrained(8, &two_groups_and_a_bridge(20.0), 0.5);
        assert_ne!(c[0], c[7]);
        assert_eq!(&c[..4], &[0, 0, 0, 0]);
        assert_eq!(&c[5..], &[5, 5, 5]);
        // A plain chain a-b-c-d-e does not become one cluster either.
        let chain: Vec<Link> = (0..4).map(|i| link(i, i + 1, 5.0)).collect();
        let c = constrained(5, &chain, 0.5);
        assert!(c.iter().collect::<std::collections::HashSet<_>>().len() >= 2);
    }

    #[test]
    fn records_of_one_list_stay_apart_unless_linked_directly() {
        // Records 0 and 2 are of list 1, 1 of list 2, 3 of list 3. 0-1 and 1-2 are
        // links (2 is a sibling of 0 that looks like the person 1 too); 0-2 is none.
        let group = [1, 2, 1, 3];
        let links = vec![
            link(0, 1, 9.0),
            link(1, 2, 8.0),
            link(0, 3, 7.0),
            link(2, 3, 6.0),
        ];
        let c = constrained_exclusive(4, &links, 0.5, &group);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[0], c[3]);
        assert_ne!(
            c[0], c[2],
            "two records of one list chained through a third"
        );
        // Without groups the same links make one cluster.
        let c = constrained(4, &links, 0.5);
        assert!(c.iter().all(|&x| x == 0));
        // A duplicate within one list, linked directly, still merges.
        let mut dup = links.clone();
        dup.push(link(0, 2, 9.5));
        let c = constrained_exclusive(4, &dup, 0.5, &group);
        assert!(c.iter().all(|&x| x == 0));
        // Group 0 means "no group": such records never block a merge.
        let c = constrained_exclusive(4, &links, 0.5, &[0, 0, 0, 0]);
        assert!(c.iter().all(|&x| x == 0));
    }

    #[test]
    fn cluster_ids_stable_when_records_are_added() {
        let links = vec![link(0, 2, 5.0), link(1, 3, 5.0)];
        let before = constrained(4, &links, 0.5);
        let mut more = links.clone();
        more.push(link(4, 2, 5.0));
        more.push(link(4, 0, 5.0));
        more.push(link(5, 5, 0.0));
        let after = constrained(6, &more, 0.5);
        assert_eq!(&before[..], &after[..4]);
        assert_eq!(after[4], 0);
    }

    #[test]
    fn one_to_one_keeps_best() {
        let links = vec![
            link(0, 10, 5.0),
            link(0, 11, 7.0),
            link(1, 11, 6.0),
            link(1, 12, 1.0),
        ];
        let kept = one_to_one(&links);
        assert_eq!(kept, vec![link(0, 11, 7.0), link(1, 12, 1.0)]);
    }
}
