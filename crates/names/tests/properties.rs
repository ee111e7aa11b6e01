//! Properties that hold for every input: symmetry, range, idempotence, invariance
//! under what must not matter (harakat, case, token order), and no panics.

use names::{
    comparison_key, detect_script, jaro_winkler, levenshtein, name_similarity, normalise,
    parse_kunya, phonetic_key, token_set_similarity, tokens, PreparedName,
};
use proptest::prelude::*;

/// Name words in both scripts, particles included, to compose realistic names.
const VOCABULARY: &[&str] = &[
    "Samira",
    "Sameera",
    "سميرة",
    "Bouazzaoui",
    "بوعزاوي",
    "Bu",
    "Azawi",
    "Aïcha",
    "عائشة",
    "Mohammed",
    "محمد",
    "Khadidja",
    "خديجة",
    "Youssef",
    "يوسف",
    "al-Hassan",
    "الحسن",
    "El",
    "Hasan",
    "Umm",
    "أم",
    "Adam",
    "آدم",
    "Abu",
    "أبو",
    "Hamza",
    "حمزة",
    "bin",
    "بن",
    "bint",
    "Abd",
    "عبد",
    "al-Rahman",
    "الرحمن",
    "Abdelkader",
    "Nour",
    "ed-Din",
    "الدين",
    "Fatimah",
    "فاطمه",
    "Salah",
    "صالح",
    "Elidrissi",
    "Ech-Chami",
    "Oum",
    "ليلى",
    "Layla",
    "Sa'id",
    "مُحَمَّد",
    "Ismaʿil",
    "إسماعيل",
    "Benali",
    "Asmae",
    "أسماء",
    "طه",
    "Taha",
    "3aisha",
    "Mo7amed",
    "کریم",
    "گل",
    "Janssens",
    "Müller",
    "de",
    "Vries",
];

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 1..5).prop_map(|w| w.join(" "))
}

/// Arabic harakat and tatweel, which never change a name.
const MARKS: &[char] = &[
    '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}', '\u{0652}', '\u{0640}',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn similarity_is_symmetric_and_bounded(a in name(), b in name()) {
        let ab = name_similarity(&a, &b);
        let ba = name_similarity(&b, &a);
        prop_assert!((0.0..=1.0).contains(&ab), "{ab}");
        prop_assert!((ab - ba).abs() < 1e-9, "{a} / {b}: {ab} vs {ba}");
        let t = token_set_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&t));
        prop_assert!((t - token_set_similarity(&b, &a)).abs() < 1e-9);
    }

    #[test]
    fn similarity_is_symmetric_and_bounded_on_any_text(a in "\\PC{0,24}", b in "\\PC{0,24}") {
        let ab = name_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&ab));
        prop_assert!((ab - name_similarity(&b, &a)).abs() < 1e-9);
    }

    #[test]
    fn a_name_is_itself(a in name()) {
        prop_assume!(!tokens(&a).is_empty());
        prop_assert_eq!(name_similarity(&a, &a), 1.0);
        prop_assert_eq!(token_set_similarity(&a, &a), 1.0);
    }

    #[test]
    fn token_order_does_not_matter(words in prop::collection::vec(prop::sample::select(VOCABULARY), 1..4)) {
        // Particles bind to their neighbour, so reorder only particle-free names.
        let plain: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !matches!(*w, "Bu" | "Umm" | "أم" | "Abu" | "أبو" | "bin" | "بن" | "bint" | "Abd" | "عبد" | "El" | "Oum" | "ed-Din" | "الدين" | "de"))
            .collect();
        prop_assume!(!plain.is_empty());
        let forward = plain.join(" ");
        let backward: Vec<&str> = plain.iter().rev().copied().collect();
        let backward = backward.join(" ");
        let s = name_similarity(&forward, &backward);
        prop_assert!(s > 0.999, "{forward} / {backward}: {s}");
    }

    #[test]
    fn normalise_is_idempotent(s in name()) {
        let once = normalise(&s);
        prop_assert_eq!(normalise(&once), once);
    }

    #[test]
    fn normalise_is_idempotent_on_any_text(s in "\\PC{0,32}") {
        let once = normalise(&s);
        prop_assert_eq!(normalise(&once), once);
    }

    #[test]
    fn normalising_keeps_the_key(s in name()) {
        prop_assert_eq!(comparison_key(&normalise(&s)), comparison_key(&s), "{}", s);
    }

    #[test]
    fn harakat_do_not_change_the_key(s in name(), seed in prop::collection::vec(0usize..MARKS.len(), 8)) {
        let mut marked = String::new();
        let mut k = 0;
        for c in s.chars() {
            marked.push(c);
            if ('\u{0621}'..='\u{064A}').contains(&c) {
                marked.push(MARKS[seed[k % seed.len()]]);
                k += 1;
            }
        }
        prop_assert_eq!(comparison_key(&marked), comparison_key(&s));
    }

    #[test]
    fn case_does_not_change_the_key(s in name()) {
        prop_assert_eq!(comparison_key(&s.to_uppercase()), comparison_key(&s));
    }

    #[test]
    fn prepared_equals_direct(a in name(), b in name()) {
        let direct = name_similarity(&a, &b);
        let prepared = PreparedName::new(&a).similarity(&PreparedName::new(&b));
        prop_assert_eq!(direct, prepared);
        prop_assert_eq!(PreparedName::new(&a).keys(), tokens(&a));
    }

    #[test]
    fn keys_are_ascii_and_blocking_keys_short(s in "\\PC{0,32}") {
        let k = comparison_key(&s);
        prop_assert!(k.bytes().all(|b| b.is_ascii_lowercase() || b == b' '), "{k}");
        prop_assert!(!k.starts_with(' ') && !k.ends_with(' ') && !k.contains("  "));
        prop_assert!(phonetic_key(&s).len() <= names::PHONETIC_KEY_LEN);
        let _ = parse_kunya(&s);
        let _ = detect_script(&s);
    }

    #[test]
    fn particle_prefixes_never_panic(
        prefix in prop::sample::select(&["abd", "abdel", "abou", "abu", "el", "al", "e", "ess", "ben", "عبد", "ابو", "ال", "umm "][..]),
        rest in "\\PC{0,12}",
        suffix in prop::sample::select(&["", "eldin", "eddine", "الدين", "الله", "ah", "h", "ة"][..]),
    ) {
        let s = format!("{prefix}{rest}{suffix}");
        let _ = comparison_key(&s);
        let _ = phonetic_key(&s);
        let _ = parse_kunya(&s);
        let n = normalise(&s);
        prop_assert_eq!(normalise(&n), n);
        let v = name_similarity(&s, "Abdelkader Ben Ali");
        prop_assert!((0.0..=1.0).contains(&v));
    }

    #[test]
    fn string_metrics_behave(a in "\\PC{0,16}", b in "\\PC{0,16}") {
        let jw = jaro_winkler(&a, &b);
        prop_assert!((0.0..=1.0).contains(&jw));
        prop_assert_eq!(levenshtein(&a, &b), levenshtein(&b, &a));
    }
}
