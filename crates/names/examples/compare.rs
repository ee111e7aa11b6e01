//! Prints the similarity and comparison keys of name pairs read from stdin, one
//! pair a line as `name a | name b`: for calibrating thresholds by eye.
use std::io::BufRead;

fn main() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines().map_while(Result::ok) {
        let Some((a, b)) = line.split_once('|') else {
            continue;
        };
        let (a, b) = (a.trim(), b.trim());
        println!(
            "{:.3} ts={:.3}  {a} [{}] | {b} [{}]",
            names::name_similarity(a, b),
            names::token_set_similarity(a, b),
            names::comparison_key(a),
            names::comparison_key(b)
        );
    }
}
