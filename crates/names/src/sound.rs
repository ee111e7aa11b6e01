//! The shared sound alphabet that both scripts are read into, the comparison key
//! (skeleton) derived from it, and the weighted alignment that scores two spellings.
//!
//! # Why a sound alphabet
//!
//! Arabic script writes consonants and long vowels; short vowels are not written.
//! Latin romanisations write every vowel, but cannot tell short from long, and use
//! several conventions at once (English `sh`/`kh`/`ee`, French `ch`/`ou`/`dj`,
//! Dutch `ch`, scholarly `ḥ`/`ʿ`). Reading both into one small alphabet of
//! *consonant classes* and *vowel qualities* makes spellings of one name meet:
//!
//! * consonant classes merge letters that romanisations use interchangeably
//!   (`q`/`k`/ق/ك → `k`, `kh`/`h`/خ/ح/ه → `h`, `th`/`t`/ث/ت/ط → `t`,
//!   `dh`/`d`/ذ/ض/ظ → `d`, `p`/`b` → `b`, `sh`/French `ch`/ش → `x`);
//! * vowels keep only a quality (`a`, `e`, `i`, `u`; `o` is `u`) and a length where
//!   the spelling shows one (Arabic long vowels, Latin doubled vowels);
//! * the glottal letters ع and ء, which Latin mostly omits, are a weak [`Sound::Glottal`].
//!
//! # Two uses
//!
//! * The **skeleton** ([`skeleton`]) keeps consonant classes only, plus one `a` marker
//!   for "starts with a vowel" and one for "ends in a vowel", with repeated consonants
//!   collapsed. It is the same for most spellings of a name in both scripts, so it
//!   serves as an equality key and, cut short, as a blocking key. It is coarse on
//!   purpose: Hassan and Hussein share it (`hsn`).
//! * The **alignment** ([`spelling_similarity`]) compares full sound sequences with a
//!   weighted edit distance in which what a script *cannot* express is cheap (a Latin
//!   short vowel against Arabic, which does not write it) and what it *does* express
//!   is dear (a long vowel, a final vowel, a consonant). That restores the precision
//!   the skeleton gives up: Hassan/Hussein, Samira/Samir, Mohammed/Mahmoud separate.

/// One unit of a name's pronunciation as far as spelling reveals it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sound {
    /// A consonant class: one of the ASCII letters `b d f g h j k l m n r s t w x y z`.
    Consonant(u8),
    /// A vowel: quality is one of `a e i u`; `long` when the spelling marks length.
    Vowel { quality: u8, long: bool },
    /// ع or ء (or an Arabizi `3`/`2`): present in Arabic, usually absent in Latin.
    Glottal,
}

/// The sounds of one name token, and whether its script writes short vowels.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Spelling {
    pub(crate) sounds: Vec<Sound>,
    /// Latin writes short vowels; Arabic script (unvocalised, as in every list) does not.
    pub(crate) writes_short_vowels: bool,
}

impl Spelling {
    pub(crate) fn new(writes_short_vowels: bool) -> Self {
        Spelling {
            sounds: Vec::with_capacity(12),
            writes_short_vowels,
        }
    }

    /// Appends a consonant, collapsing an immediate repeat (`ss`, shadda-less doubling).
    pub(crate) fn consonant(&mut self, class: u8) {
        if self.sounds.last() != Some(&Sound::Consonant(class)) {
            self.sounds.push(Sound::Consonant(class));
        }
    }

    /// Appends a vowel; a repeat of the same quality (`ee`, `ou`→`uu`) becomes one long vowel.
    pub(crate) fn vowel(&mut self, quality: u8, long: bool) {
        if let Some(Sound::Vowel {
            quality: q,
            long: l,
        }) = self.sounds.last_mut()
        {
            if *q == quality {
                *l = true;
                return;
            }
        }
        self.sounds.push(Sound::Vowel { quality, long });
    }

    pub(crate) fn glottal(&mut self) {
        if self.sounds.last() != Some(&Sound::Glottal) {
            self.sounds.push(Sound::Glottal);
        }
    }

    /// Appends another token's sounds (a particle joined to its name, `bu` + `azawi`).
    pub(crate) fn extend(&mut self, other: &Spelling) {
        for s in &other.sounds {
            match *s {
                Sound::Consonant(c) => self.consonant(c),
                Sound::Vowel { quality, long } => self.vowel(quality, long),
                Sound::Glottal => self.glottal(),
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sounds.is_empty()
    }

    /// The skeleton key of this spelling, see [`skeleton`].
    pub(crate) fn skeleton_into(&self, out: &mut String) {
        skeleton(&self.sounds, out);
    }
}

/// Writes the skeleton key of `sounds` to `out`: consonant classes with repeats
/// collapsed (also across vowels, because Arabic does not write the vowel that
/// Latin puts between two equal consonants), preceded by `a` if the token starts
/// with a vowel or glottal and followed by `a` if it ends in a vowel.
///
/// Why keep the two `a` markers but no other vowel: initial and final vowels are
/// written in both scripts (آدم/Adam, سميرة/Samira), and the final one carries the
/// feminine ending, so Samira (`smra`) and Samir (`smr`) keep different keys.
pub(crate) fn skeleton(sounds: &[Sound], out: &mut String) {
    let mut last: Option<u8> = None;
    let mut consonants = 0usize;
    if matches!(
        sounds.first(),
        Some(Sound::Vowel { .. }) | Some(Sound::Glottal)
    ) {
        out.push('a');
    }
    for s in sounds {
        if let Sound::Consonant(c) = *s {
            if last != Some(c) {
                out.push(char::from(c));
                last = Some(c);
                consonants += 1;
            }
        }
    }
    // A trailing glottal (أسماء, final ء) does not hide the vowel before it.
    let last_real = sounds.iter().rev().find(|s| !matches!(s, Sound::Glottal));
    if consonants > 0 && matches!(last_real, Some(Sound::Vowel { .. })) {
        out.push('a');
    }
}

/// Cost of substituting one consonant class for another. Pairs that romanisations
/// or dialects confuse cost half: ظ/ذ are `d` or `z`, ث is `t` or `s`, French `s`
/// between vowels is `z`, ج is `j` or Egyptian `g`, Hausa writes خديجة as Hadiza,
/// Dutch `ch` is خ.
fn consonant_cost(a: u8, b: u8) -> f32 {
    if a == b {
        return 0.0;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    match (x, y) {
        (b'd', b'z') | (b's', b't') | (b's', b'z') | (b'g', b'j') | (b'j', b'z') => 0.5,
        (b'h', b'x') | (b'h', b'k') | (b'j', b'x') | (b'j', b'y') => 0.6,
        _ => 1.0,
    }
}

/// Cost of substituting vowel qualities. `e` is the romaniser's neutral vowel
/// (Mohammed, Youssef, Abdel) and stands for any Arabic short vowel, so it is close
/// to all; `a`, `i`, `u` are distinct in Arabic.
fn quality_cost(a: u8, b: u8) -> f32 {
    if a == b {
        0.0
    } else if a == b'e' || b == b'e' {
        if a == b'u' || b == b'u' {
            0.3
        } else {
            0.2
        }
    } else {
        0.6
    }
}

/// Cost of a long vowel left unmatched, or matched by a vowel of another quality:
/// a long vowel is written in both scripts, so its absence is real evidence
/// (حسين is not حسن; محمود is not محمد).
const LONG_VOWEL: f32 = 0.8;
/// A final vowel is written in both scripts and often marks the feminine.
const FINAL_VOWEL: f32 = 1.0;
/// A Latin short vowel compared with Latin: one writer omitted it (Smira/Samira).
const SHORT_VOWEL_LATIN: f32 = 0.4;
/// A Latin short vowel compared with Arabic script, which never writes it.
const SHORT_VOWEL_UNWRITTEN: f32 = 0.05;
/// ع and ء: mostly dropped in Latin, or written as an apostrophe or a vowel.
const GLOTTAL: f32 = 0.2;
const CONSONANT: f32 = 1.0;

/// Longest token compared by alignment; longer tokens are truncated (no name is).
const MAX_SOUNDS: usize = 48;

#[inline]
fn indel(s: Sound, is_final: bool, other_writes_short: bool) -> f32 {
    match s {
        Sound::Consonant(_) => CONSONANT,
        Sound::Glottal => GLOTTAL,
        Sound::Vowel { .. } if is_final => FINAL_VOWEL,
        Sound::Vowel { long: true, .. } => LONG_VOWEL,
        Sound::Vowel { long: false, .. } => {
            if other_writes_short {
                SHORT_VOWEL_LATIN
            } else {
                SHORT_VOWEL_UNWRITTEN
            }
        }
    }
}

#[inline]
fn substitute(a: Sound, b: Sound) -> f32 {
    match (a, b) {
        (Sound::Consonant(x), Sound::Consonant(y)) => consonant_cost(x, y),
        (
            Sound::Vowel {
                quality: p,
                long: la,
            },
            Sound::Vowel {
                quality: q,
                long: lb,
            },
        ) => {
            let c = quality_cost(p, q);
            if c > 0.0 && (la || lb) {
                c.max(LONG_VOWEL)
            } else {
                c
            }
        }
        (Sound::Glottal, Sound::Glottal) => 0.0,
        (Sound::Glottal, Sound::Vowel { .. }) | (Sound::Vowel { .. }, Sound::Glottal) => 0.1,
        // Never cheaper than deleting one and inserting the other.
        _ => f32::INFINITY,
    }
}

/// Index of the last non-glottal sound, whose vowel (if it is one) counts as final.
fn final_index(sounds: &[Sound]) -> Option<usize> {
    sounds.iter().rposition(|s| !matches!(s, Sound::Glottal))
}

/// Total weight of a spelling when compared against a script that does or does not
/// write short vowels: the cost of deleting all of it.
fn weight(sounds: &[Sound], other_writes_short: bool) -> f32 {
    let fin = final_index(sounds);
    sounds
        .iter()
        .enumerate()
        .map(|(i, s)| indel(*s, Some(i) == fin, other_writes_short))
        .sum()
}

/// Similarity in [0, 1] of two spellings: 1 − (weighted alignment cost) / (weight
/// of the heavier spelling). Symmetric by construction (the costs are symmetric).
pub(crate) fn spelling_similarity(a: &Spelling, b: &Spelling) -> f64 {
    let sa = &a.sounds[..a.sounds.len().min(MAX_SOUNDS)];
    let sb = &b.sounds[..b.sounds.len().min(MAX_SOUNDS)];
    if sa.is_empty() && sb.is_empty() {
        return 1.0;
    }
    let (fa, fb) = (final_index(sa), final_index(sb));
    let wa = weight(sa, b.writes_short_vowels);
    let wb = weight(sb, a.writes_short_vowels);
    let norm = wa.max(wb);
    if norm <= 0.0 {
        return 1.0;
    }
    // Two-row dynamic programme on the stack: no allocation on this hot path.
    let mut prev = [0f32; MAX_SOUNDS + 1];
    let mut cur = [0f32; MAX_SOUNDS + 1];
    for j in 0..sb.len() {
        prev[j + 1] = prev[j] + indel(sb[j], Some(j) == fb, a.writes_short_vowels);
    }
    for (i, &x) in sa.iter().enumerate() {
        let del = indel(x, Some(i) == fa, b.writes_short_vowels);
        cur[0] = prev[0] + del;
        for j in 0..sb.len() {
            let ins = indel(sb[j], Some(j) == fb, a.writes_short_vowels);
            let mut best = (prev[j + 1] + del).min(cur[j] + ins);
            let sub = substitute(x, sb[j]);
            // A final vowel must meet a final vowel to count as matched.
            let finals_differ = (Some(i) == fa) != (Some(j) == fb)
                && matches!(x, Sound::Vowel { .. })
                && matches!(sb[j], Sound::Vowel { .. });
            if sub.is_finite() && !finals_differ {
                best = best.min(prev[j] + sub);
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let cost = prev[sb.len()];
    (1.0 - f64::from(cost) / f64::from(norm)).clamp(0.0, 1.0)
}

/// Weighted edit distance between two skeleton keys with the consonant confusion
/// costs above; used when only keys are at hand ([`crate::token_set_similarity`]).
/// Returns a similarity in [0, 1].
pub(crate) fn key_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (a, b) = (&a[..a.len().min(MAX_SOUNDS)], &b[..b.len().min(MAX_SOUNDS)]);
    let norm = a.len().max(b.len());
    if norm == 0 {
        return 1.0;
    }
    let mut prev = [0f32; MAX_SOUNDS + 1];
    let mut cur = [0f32; MAX_SOUNDS + 1];
    for (j, slot) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *slot = j as f32;
    }
    for (i, &x) in a.iter().enumerate() {
        cur[0] = (i + 1) as f32;
        for j in 0..b.len() {
            let sub = if x == b[j] {
                0.0
            } else if x == b'a' || b[j] == b'a' {
                1.0
            } else {
                consonant_cost(x, b[j])
            };
            cur[j + 1] = (prev[j + 1] + 1.0).min(cur[j] + 1.0).min(prev[j] + sub);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (1.0 - f64::from(prev[b.len()]) / norm as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(sounds: &[Sound]) -> Spelling {
        Spelling {
            sounds: sounds.to_vec(),
            writes_short_vowels: true,
        }
    }

    #[test]
    fn skeleton_markers() {
        use Sound::*;
        let mut out = String::new();
        skeleton(
            &[
                Vowel {
                    quality: b'a',
                    long: false,
                },
                Consonant(b'd'),
                Vowel {
                    quality: b'a',
                    long: false,
                },
                Consonant(b'm'),
            ],
            &mut out,
        );
        assert_eq!(out, "adm");
    }

    #[test]
    fn identical_spellings_score_one() {
        let s = latin(&[Sound::Consonant(b's'), Sound::Consonant(b'm')]);
        assert_eq!(spelling_similarity(&s, &s), 1.0);
    }

    #[test]
    fn key_similarity_basics() {
        assert_eq!(key_similarity("hsn", "hsn"), 1.0);
        assert_eq!(key_similarity("", ""), 1.0);
        assert!(key_similarity("smr", "smra") < 0.8);
        assert!(key_similarity("ndm", "nzm") > key_similarity("ndm", "nkm"));
    }
}
