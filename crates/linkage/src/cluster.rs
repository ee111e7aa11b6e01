//! From links to clusters.
//!
//! Connected components join every chain of links, so one false link between two people
//! merges their whole families of records. Constrained clustering takes links strongest
//! first and merges two clusters only when enough of the pairs between them are links
//! themselves, which a single bad link never is for clusters of two or more.
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
    // Adjacency of links, to count links between two clusters.
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
            for &y in &adj[offsets[x as usize] as usize..offsets[x as usize + 1] as usize] {
                if dsu.find(y) == other {
                    between += 1;
                }
            }
        }
        if between as f64 >= min_fraction * (sa * sb) as f64 {
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
