//! Measures the speed of the hot paths on synthetic full names: comparison keys,
//! `name_similarity` on raw strings, and `PreparedName::similarity` on names read once.
//! Run with `--release`. Times are CPU time of this thread where Linux reports it
//! (`/proc/thread-self/schedstat`), so that other work on the machine does not
//! inflate them; wall-clock time otherwise.
use names::{comparison_key, name_similarity, PreparedName};
use std::hint::black_box;
use std::time::Instant;

/// A clock: nanoseconds this thread has run, or wall-clock nanoseconds.
struct Clock {
    wall: Instant,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Instant::now(),
        }
    }

    fn now(&self) -> u128 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u128>().ok())
            .unwrap_or_else(|| self.wall.elapsed().as_nanos())
    }
}

const GIVEN: &[&str] = &[
    "Samira",
    "Sameera",
    "سميرة",
    "Aicha",
    "عائشة",
    "Khadidja",
    "خديجة",
    "Fatima",
    "فاطمة",
    "Mohammed",
    "محمد",
    "Youssef",
    "Yusuf",
    "Maryam",
    "مريم",
    "Umm Adam",
    "أم آدم",
    "Zainab",
];
const FAMILY: &[&str] = &[
    "Bouazzaoui",
    "بوعزاوي",
    "Bu Azawi",
    "al-Hassan",
    "الحسن",
    "Benali",
    "بن علي",
    "El Idrissi",
    "Abderrahmane",
    "عبد الرحمن",
    "Janssens",
    "Dupont",
    "Ahmed",
    "أحمد",
    "al-Beljikiya",
];

fn main() {
    let clock = Clock::start();
    let names: Vec<String> = (0..10_000)
        .map(|i| {
            let g = GIVEN[i % GIVEN.len()];
            let f = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
            format!("{g} {f}")
        })
        .collect();

    let t = clock.now();
    let mut n = 0usize;
    for _ in 0..10 {
        for s in &names {
            n += black_box(comparison_key(s)).len();
        }
    }
    let per = (clock.now() - t) as f64 / (10.0 * names.len() as f64);
    println!("comparison_key: {per:.0} ns per name ({n})");

    let t = clock.now();
    let mut acc = 0.0;
    let pairs = 100_000;
    for i in 0..pairs {
        acc += name_similarity(&names[i % names.len()], &names[(i * 7 + 3) % names.len()]);
    }
    let per = (clock.now() - t) as f64 / pairs as f64;
    println!("name_similarity (raw strings): {per:.0} ns per pair ({acc:.1})");

    let prepared: Vec<PreparedName> = names.iter().map(|s| PreparedName::new(s)).collect();
    let t = clock.now();
    let mut acc = 0.0;
    let pairs = 1_000_000;
    for i in 0..pairs {
        acc += prepared[i % prepared.len()].similarity(&prepared[(i * 7 + 3) % prepared.len()]);
    }
    let per = (clock.now() - t) as f64 / pairs as f64;
    println!("PreparedName::similarity: {per:.0} ns per pair ({acc:.1})");

    for (a, b) in [
        ("Samira", "Sameera"),
        ("سميرة", "Sameera"),
        ("Fatimah", "Salah"),
        ("Elidrissi", "Abderrahmane"),
    ] {
        let (pa, pb) = (PreparedName::new(a), PreparedName::new(b));
        let t = clock.now();
        let mut acc = 0.0;
        for _ in 0..1_000_000 {
            acc += black_box(&pa).similarity(black_box(&pb));
        }
        let per = (clock.now() - t) as f64 / 1e6;
        println!("one token pair {a} / {b}: {per:.0} ns ({acc:.1})");
    }
}
