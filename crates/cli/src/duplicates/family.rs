//! Family evidence the linkage `person` preset does not weigh: what two records say of
//! the person's children. A kunya names a child ("Umm Adam"); a registration lists her
//! children. Two records whose kunyas name different children, or whose children share
//! no given name, are most likely two women of the same name — common in camp lists,
//! where a few dozen given and family names recur — and two records that agree on them
//! are more likely one woman. Children are told apart the same way by their parents'
//! names. Two records in one household of one list are most likely siblings. Weighed as
//! comparisons with fixed m and u.

use model::ids::PersonId;
use model::merge::{ComparisonWeight, Weight};
use model::person::{NameKind, RelationshipKind};
use model::projection::PersonView;
use std::collections::BTreeSet;

/// (m, u) of agreeing and of disagreeing kunyas: a mother is called after one child,
/// usually the eldest son, whichever list writes her name.
const KUNYA: [(f64, f64); 2] = [(0.9, 0.1), (0.1, 0.9)];
/// (m, u) of children sharing a given name, and of sharing none: a second list may miss
/// a child who was not with her, so disagreeing is not ruled out for one woman.
const CHILDREN: [(f64, f64); 2] = [(0.9, 0.15), (0.05, 0.85)];

/// (m, u) of parents whose names agree, and of parents none of whose names agree: two
/// children of one name (common: a few dozen names recur) are told apart by their
/// mothers, while a child recorded twice is recorded with the same mother.
const PARENTS: [(f64, f64); 2] = [(0.9, 0.15), (0.05, 0.85)];
/// Two parents' names agree at or above this similarity.
const PARENT_NAME: f64 = 0.9;

/// (m, u) of two records in one household of one registration: a family list rarely names
/// a person twice, while among pairs whose names agree, sisters and brothers given the
/// same first name (and sharing father's and family name) are common.
const SAME_HOUSEHOLD: (f64, f64) = (0.02, 0.6);

/// The most the family comparisons can add.
pub const MAX_BITS: f64 = 3.2 + 2.6 + 2.6;

/// The children a record's kunyas name, as comparison keys.
fn kunya_children(v: &PersonView) -> BTreeSet<String> {
    v.names
        .iter()
        .filter(|n| n.kind == NameKind::Kunya)
        .filter_map(|n| names::parse_kunya(&n.text))
        .map(|k| k.child_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// The given names of a record's children, as comparison keys.
fn children<'v>(
    v: &PersonView,
    view_of: &dyn Fn(PersonId) -> Option<&'v PersonView>,
) -> BTreeSet<String> {
    v.relationships
        .iter()
        .filter(|r| r.kind == RelationshipKind::ParentOf)
        .filter_map(|r| view_of(r.other))
        .flat_map(|c| c.names.iter().filter(|n| n.kind != NameKind::Kunya))
        .filter_map(|n| {
            let key = names::comparison_key(&n.text);
            key.split(' ').next().map(str::to_string)
        })
        .filter(|k| !k.is_empty())
        .collect()
}

/// The names of a record's parents.
fn parent_names<'v>(
    v: &PersonView,
    view_of: &dyn Fn(PersonId) -> Option<&'v PersonView>,
) -> Vec<&'v str> {
    v.relationships
        .iter()
        .filter(|r| r.kind == RelationshipKind::ChildOf)
        .filter_map(|r| view_of(r.other))
        .flat_map(|p| p.names.iter().filter(|n| n.kind != NameKind::Kunya))
        .map(|n| n.text.as_str())
        .collect()
}

fn parents<'v>(
    a: &PersonView,
    b: &PersonView,
    view_of: &dyn Fn(PersonId) -> Option<&'v PersonView>,
) -> Option<ComparisonWeight> {
    let (pa, pb) = (parent_names(a, view_of), parent_names(b, view_of));
    if pa.is_empty() || pb.is_empty() {
        return None;
    }
    let agree = pa.iter().any(|x| {
        pb.iter()
            .any(|y| names::name_similarity(x, y) >= PARENT_NAME)
    });
    let (m, u) = PARENTS[usize::from(!agree)];
    let level = if agree {
        "a parent's name in common"
    } else {
        "no parent's name in common"
    };
    Some(ComparisonWeight {
        comparison: "parents".into(),
        level: level.into(),
        weight: Weight::from_bits((m / u).log2()),
    })
}

fn level(
    name: &str,
    a: &BTreeSet<String>,
    b: &BTreeSet<String>,
    mu: [(f64, f64); 2],
) -> Option<ComparisonWeight> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let agree = !a.is_disjoint(b);
    let (m, u) = mu[usize::from(!agree)];
    Some(ComparisonWeight {
        comparison: name.to_string(),
        level: if agree {
            "a name in common"
        } else {
            "none in common"
        }
        .to_string(),
        weight: Weight::from_bits((m / u).log2()),
    })
}

/// The family comparisons of two records (none when either says nothing).
pub fn compare<'v>(
    a: &PersonView,
    b: &PersonView,
    view_of: &dyn Fn(PersonId) -> Option<&'v PersonView>,
) -> Vec<ComparisonWeight> {
    let mut out = Vec::new();
    if a.household.is_some() && a.household == b.household {
        let (m, u) = SAME_HOUSEHOLD;
        out.push(ComparisonWeight {
            comparison: "household".into(),
            level: "the same household (siblings?)".into(),
            weight: Weight::from_bits((m / u).log2()),
        });
    }
    out.extend(level(
        "kunya",
        &kunya_children(a),
        &kunya_children(b),
        KUNYA,
    ));
    out.extend(parents(a, b, view_of));
    out.extend(level(
        "children",
        &children(a, view_of),
        &children(b, view_of),
        CHILDREN,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::person::{EvidenceGrade, Name, Relationship};

    fn mother(id: u128, kunya: &str, child: u128) -> PersonView {
        let mut v = PersonView::stub(PersonId::from_u128(id));
        v.names = vec![
            Name::new("Fatima Hassan", NameKind::Full, None),
            Name::new(kunya, NameKind::Kunya, None),
        ];
        v.relationships = vec![Relationship {
            kind: RelationshipKind::ParentOf,
            other: PersonId::from_u128(child),
            evidence: EvidenceGrade::Asserted,
        }];
        v
    }

    fn child(id: u128, name: &str) -> PersonView {
        let mut v = PersonView::stub(PersonId::from_u128(id));
        v.names = vec![Name::new(name, NameKind::Full, None)];
        v
    }

    #[test]
    fn two_mothers_of_one_name_with_other_children_weigh_against() {
        let kids = [
            child(10, "Adam Hassan"),
            child(11, "آدم حسن"),
            child(12, "Yusuf Hassan"),
        ];
        let view_of = |id: PersonId| kids.iter().find(|k| k.id == id);
        let same = compare(
            &mother(1, "Umm Adam", 10),
            &mother(2, "أم آدم", 11),
            &view_of,
        );
        assert_eq!(same.len(), 2);
        assert!(same.iter().all(|c| c.weight.bits() > 0.0), "{same:?}");
        let other = compare(
            &mother(1, "Umm Adam", 10),
            &mother(3, "Umm Yusuf", 12),
            &view_of,
        );
        assert!(other.iter().all(|c| c.weight.bits() < 0.0), "{other:?}");
        let total: f64 = same.iter().map(|c| c.weight.bits()).sum();
        assert!(total <= MAX_BITS);
        assert!(compare(&child(4, "x"), &child(5, "y"), &view_of).is_empty());
        // Two boys of one name: told apart by their mothers' names.
        let mut other_mother = mother(22, "Umm Adam", 23);
        other_mother.names[0] = Name::new("Khadija El Amrani", NameKind::Full, None);
        let mothers = [mother(20, "Umm Adam", 21), other_mother];
        let boy = |id: u128, mother: u128| {
            let mut b = child(id, "Adam Hassan");
            b.relationships = vec![Relationship {
                kind: RelationshipKind::ChildOf,
                other: PersonId::from_u128(mother),
                evidence: EvidenceGrade::Asserted,
            }];
            b
        };
        let of_mothers = |id: PersonId| mothers.iter().find(|m| m.id == id);
        let two_boys = compare(&boy(21, 20), &boy(23, 22), &of_mothers);
        assert_eq!(two_boys[0].comparison, "parents");
        assert!(two_boys[0].weight.bits() < -4.0);
        let one_boy = compare(&boy(21, 20), &boy(24, 20), &of_mothers);
        assert!(one_boy[0].weight.bits() > 2.0);
        let (mut s1, mut s2) = (child(6, "Samira Hassan"), child(7, "Samira Hassan"));
        s1.household = Some(model::ids::HouseholdId::from_u128(9));
        s2.household = s1.household;
        let siblings = compare(&s1, &s2, &view_of);
        assert_eq!(siblings[0].comparison, "household");
        assert!(siblings[0].weight.bits() < -4.0);
    }
}
