//! Generates the scenario and prints what it holds and how long it took:
//! `generate [SCALE] [SEED]`.

use model::report::{SealedValue, Sealer};
use std::time::Instant;

struct Plain;

impl Sealer for Plain {
    fn seal(&self, plaintext: &[u8]) -> SealedValue {
        SealedValue(plaintext.to_vec())
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let scale = args.next().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2019);
    let started = Instant::now();
    let scenario = demo::generate(scale, seed, &Plain);
    let elapsed = started.elapsed();
    println!(
        "scale {scale}, seed {seed}: {} events in {elapsed:.2?}",
        scenario.events.len()
    );
    println!("{:#?}", scenario.summary);
}
