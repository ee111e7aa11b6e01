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
//!   (`q`/`k`/ق/ك → `k`, `kh`/`h`/خ/ح/ه → `h`, `t`/ت/ط → `t`, `d`/د/ض → `d`,
//!   `p`/`b` → `b`, `sh`/French `ch`/ش → `x`); the interdentals ث (`th`) and ذ ظ
//!   (`dh`) are classes of their own, `T` and `D`, close to both their readings
//!   (t or s, d or z) and written `t`/`d` in keys;
//! * vowels keep only a quality (`a`, `e`, `i`, `u`; `o` is `u`) and a length where
//!   the spelling shows one (Arabic long vowels, Latin doubled vowels);
//! * the glottal letters ع and ء, which Latin mostly omits, are a weak [`Sound::Glottal`];
//! * where one spelling allows two readings (a final `h` silent or not, ة as a vowel
//!   or as t, a joined article or not), both are kept and compared ([`Tail`],
//!   [`Spelling::head`]).
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
//!   Costs are looked up in a table over a small symbol set, so the inner loop of the
//!   alignment is a table read and two comparisons, with no allocation.

use std::sync::OnceLock;

/// One unit of a name's pronunciation as far as spelling reveals it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sound {
    /// A consonant class: one of the ASCII letters `b d f g h j k l m n r s t w x y z`,
    /// or `D` (ذ ظ, `dh`) and `T` (ث, `th`), the interdentals that speakers and
    /// romanisers turn into d or z, t or s.
    Consonant(u8),
    /// A vowel: quality is one of `a e i u` (or `y` for ى); `long` when the
    /// spelling marks length.
    Vowel { quality: u8, long: bool },
    /// ع or ء (or an Arabizi `3`/`2`): present in Arabic, usually absent in Latin.
    Glottal,
}

/// How the end of a token may be read, where one spelling allows two readings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Tail {
    /// One reading.
    #[default]
    Plain,
    /// Latin: the last sound is an `h` after `a`/`e` that may be silent (Fatimah,
    /// ة) or real (Salah, ح). The key reads it silent.
    SilentH,
    /// Arabic: the last sound is a feminine ending, ة or a final ه (which writers use
    /// for ة, and which normalisation makes of it). It may be read as the vowel a
    /// (فاطمة, Fatima), as t (Turkish and Maghrebi Hikmet, Najat) and, for ه, as a
    /// real h (وجيه, Wajih). The stored (key) reading is t after ا (نجاة, Najat) and
    /// the vowel elsewhere; the comparison tries the others.
    FeminineEnding {
        /// The letter was ه, which may also be a real h.
        also_h: bool,
    },
}

/// The sounds of one name token, and whether its script writes short vowels.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Spelling {
    pub(crate) sounds: Vec<Sound>,
    /// Latin writes short vowels; Arabic script (unvocalised, as in every list) does not.
    pub(crate) writes_short_vowels: bool,
    /// Leading sounds that are probably a joined article (the `el` of Elidrissi).
    /// The key leaves them out; the comparison tries both readings.
    pub(crate) head: u8,
    pub(crate) tail: Tail,
    /// A single Latin letter standing for a name (`M. Ahmed`).
    pub(crate) initial: bool,
}

impl Spelling {
    pub(crate) fn new(writes_short_vowels: bool) -> Self {
        Spelling {
            sounds: Vec::with_capacity(12),
            writes_short_vowels,
            head: 0,
            tail: Tail::Plain,
            initial: false,
        }
    }

    /// Appends a consonant, collapsing an immediate repeat (`ss`, shadda-less doubling).
    pub(crate) fn consonant(&mut self, class: u8) {
        if self.sounds.last() != Some(&Sound::Consonant(class)) {
            self.sounds.push(Sound::Consonant(class));
        }
    }

    /// Appends a vowel; a repeat of the same quality (`aa`, `ou`→`uu`) becomes one long vowel.
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

    /// Appends another token's sounds (an ending joined to its name: Nour + ad-Din);
    /// the end of the result reads as the end of `other`.
    pub(crate) fn extend(&mut self, other: &Spelling) {
        for s in &other.sounds {
            match *s {
                Sound::Consonant(c) => self.consonant(c),
                Sound::Vowel { quality, long } => self.vowel(quality, long),
                Sound::Glottal => self.glottal(),
            }
        }
        self.tail = other.tail;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sounds.is_empty()
    }

    /// The reading the key uses: without the optional head, with a silent final h.
    fn key_sounds(&self) -> &[Sound] {
        let s = &self.sounds[usize::from(self.head).min(self.sounds.len())..];
        match self.tail {
            Tail::SilentH if !s.is_empty() => &s[..s.len() - 1],
            _ => s,
        }
    }

    /// The skeleton key of this spelling, see [`skeleton`].
    pub(crate) fn skeleton_into(&self, out: &mut String) {
        skeleton(self.key_sounds(), out);
    }

    /// The readings compared by [`spelling_similarity`]: up to two heads × three tails.
    fn views(&self) -> ([View<'_>; MAX_VIEWS], usize) {
        let all = &self.sounds[..self.sounds.len().min(MAX_SOUNDS)];
        let mut heads = [all, all];
        let mut nh = 1;
        let head = usize::from(self.head);
        if head > 0 && head < all.len() {
            heads[1] = &all[head..];
            nh = 2;
        }
        let empty = View {
            body: &[],
            extra: None,
        };
        let mut out = [empty; MAX_VIEWS];
        let mut n = 0;
        for body in heads.iter().take(nh) {
            let whole = View { body, extra: None };
            out[n] = whole;
            n += 1;
            if body.is_empty() {
                continue;
            }
            let cut = &body[..body.len() - 1];
            match self.tail {
                Tail::Plain => {}
                Tail::SilentH => {
                    out[n] = View {
                        body: cut,
                        extra: None,
                    };
                    n += 1;
                }
                Tail::FeminineEnding { also_h } => {
                    let vowel = Sound::Vowel {
                        quality: b'a',
                        long: true,
                    };
                    let primary = body[body.len() - 1];
                    if primary != vowel {
                        // ا + t read as one final vowel (نجاة as Najah).
                        let cut = match cut.last() {
                            Some(Sound::Vowel { quality: b'a', .. }) => &cut[..cut.len() - 1],
                            _ => cut,
                        };
                        out[n] = View {
                            body: cut,
                            extra: Some(vowel),
                        };
                        n += 1;
                    }
                    for (alt, wanted) in [(b't', true), (b'h', also_h)] {
                        if wanted && primary != Sound::Consonant(alt) {
                            out[n] = View {
                                body: cut,
                                extra: Some(Sound::Consonant(alt)),
                            };
                            n += 1;
                        }
                    }
                }
            }
        }
        (out, n)
    }
}

/// One reading of a spelling: a slice of its sounds, perhaps with another last sound.
#[derive(Clone, Copy)]
struct View<'a> {
    body: &'a [Sound],
    extra: Option<Sound>,
}

impl View<'_> {
    #[inline]
    fn len(&self) -> usize {
        self.body.len() + usize::from(self.extra.is_some())
    }

    #[inline]
    fn get(&self, i: usize) -> Sound {
        match self.body.get(i) {
            Some(s) => *s,
            // `i == body.len()` only when `extra` is set (callers stay below `len`).
            None => self.extra.unwrap_or(Sound::Glottal),
        }
    }

    /// Index of the last non-glottal sound, whose vowel (if it is one) counts as final.
    fn final_index(&self) -> Option<usize> {
        (0..self.len())
            .rev()
            .find(|&i| !matches!(self.get(i), Sound::Glottal))
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
            // The interdentals are written as the stop a romaniser would write.
            let c = match c {
                b'D' => b'd',
                b'T' => b't',
                other => other,
            };
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
/// between vowels is `z`, ج is `j` or Egyptian `g`, ق is `g` in Gulf speech and
/// گ is typed as ك, Hausa writes خديجة as Hadiza, Dutch `ch` is خ, Turkish devoices
/// a final d (Ahmet).
fn consonant_cost(a: u8, b: u8) -> f32 {
    if a == b {
        return 0.0;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    match (x, y) {
        (b'd', b'z') | (b's', b't') | (b's', b'z') | (b'g', b'j') | (b'j', b'z') | (b'g', b'k') => {
            0.5
        }
        (b'h', b'x') => 0.5,
        (b'h', b'k') | (b'j', b'x') | (b'j', b'y') | (b'd', b't') => 0.6,
        // Interdentals: ذ is d or z (Muadh, Moaz), ث is t or s (Othman, Osman).
        (b'D', b'd') | (b'D', b'z') | (b'T', b't') | (b'T', b's') => 0.1,
        (b'D', b'T') => 0.5,
        _ => 1.0,
    }
}

/// Cost of substituting vowel qualities. `e` is the romaniser's neutral vowel
/// (Mohammed, Youssef, Abdel) and stands for any Arabic short vowel, so it is close
/// to all; `a`, `i`, `u` are distinct in Arabic; `y` is ى, an `a` often typed as ي.
fn quality_cost(a: u8, b: u8) -> f32 {
    if a == b {
        0.0
    } else if a == b'y' || b == b'y' {
        // Alef maqsura: an a written like i.
        match if a == b'y' { b } else { a } {
            b'a' => 0.0,
            b'u' => 0.6,
            _ => 0.2,
        }
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
/// A long vowel as Latin shows it (`ee`, `ou`, the second of `ei`): weaker evidence
/// than Arabic's, because French writes every u as `ou` (Houda = هدى).
const LATIN_LONG_VOWEL: f32 = 0.5;
/// A final vowel is written in both scripts and often marks the feminine.
const FINAL_VOWEL: f32 = 1.0;
/// A Latin short vowel compared with Latin: one writer omitted it (Smira/Samira).
const SHORT_VOWEL_LATIN: f32 = 0.3;
/// A Latin short vowel compared with Arabic script, which never writes it.
const SHORT_VOWEL_UNWRITTEN: f32 = 0.05;
/// ع and ء: mostly dropped in Latin, or written as an apostrophe or a vowel.
const GLOTTAL: f32 = 0.2;
const CONSONANT: f32 = 1.0;

/// Most readings of one spelling: two heads × three endings.
const MAX_VIEWS: usize = 6;

/// Longest token compared by alignment; longer tokens are truncated (no name is:
/// the longest joined compounds, Abderrahmane or Salaheddine, have about a dozen).
const MAX_SOUNDS: usize = 32;

#[inline]
fn indel(s: Sound, is_final: bool, self_writes_short: bool, other_writes_short: bool) -> f32 {
    match s {
        Sound::Consonant(_) => CONSONANT,
        Sound::Glottal => GLOTTAL,
        Sound::Vowel { .. } if is_final => FINAL_VOWEL,
        Sound::Vowel { long: true, .. } if self_writes_short => LATIN_LONG_VOWEL,
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

/// Cost of aligning sound `a` with sound `b` (`a_final`/`b_final`: the token's final
/// vowel); `None` where deleting one and inserting the other is the only sensible
/// alignment. Used once, to fill [`SubstitutionTable`].
fn substitute(a: Sound, a_final: bool, b: Sound, b_final: bool) -> Option<f32> {
    match (a, b) {
        (Sound::Consonant(x), Sound::Consonant(y)) => Some(consonant_cost(x, y)),
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
            // A final vowel must meet a final vowel to count as matched.
            if a_final != b_final {
                return None;
            }
            let c = quality_cost(p, q);
            // A short vowel standing for a long one of another quality is a different
            // vowel (Muhammad's a is not محمود's و); the neutral e stands for any
            // vowel, long or short (Bilel, Wided, Emna); the written length of final
            // vowels means nothing (Layla's a, ليلى's ى).
            if c > 0.0 && la != lb && !a_final && p != b'e' && q != b'e' {
                Some(c.max(LONG_VOWEL))
            } else {
                Some(c)
            }
        }
        (Sound::Glottal, Sound::Glottal) => Some(0.0),
        (Sound::Glottal, Sound::Vowel { .. }) | (Sound::Vowel { .. }, Sound::Glottal) => Some(0.1),
        _ => None,
    }
}

/// Consonant classes in symbol order.
const CONSONANTS: &[u8; 19] = b"bdfghjklmnrstwxyzDT";
/// Vowel qualities in symbol order.
const QUALITIES: &[u8; 5] = b"aeiuy";
/// Symbols: glottal, 19 consonants, 5 qualities × long × final.
const SYMBOLS: usize = 1 + CONSONANTS.len() + 5 * 4;
/// First vowel symbol.
const VOWEL_BASE: usize = 1 + CONSONANTS.len();

/// Symbol of each consonant class byte (0, the glottal's, for bytes that are none).
const CONSONANT_SYMBOL: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < CONSONANTS.len() {
        t[CONSONANTS[i] as usize] = 1 + i as u8;
        i += 1;
    }
    t
};

/// Index of each vowel quality byte in [`QUALITIES`].
const QUALITY_INDEX: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < QUALITIES.len() {
        t[QUALITIES[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// A sound (with its finality) as a small index into the substitution table.
#[inline]
fn symbol(s: Sound, is_final: bool) -> u8 {
    match s {
        Sound::Glottal => 0,
        Sound::Consonant(c) => CONSONANT_SYMBOL[usize::from(c & 0x7f)],
        Sound::Vowel { quality, long } => {
            let q = QUALITY_INDEX[usize::from(quality & 0x7f)];
            VOWEL_BASE as u8 + q * 4 + u8::from(long) * 2 + u8::from(is_final)
        }
    }
}

/// The sound and finality a symbol stands for (inverse of [`symbol`]).
fn unsymbol(i: usize) -> (Sound, bool) {
    match i {
        0 => (Sound::Glottal, false),
        _ if i < VOWEL_BASE => (Sound::Consonant(CONSONANTS[i - 1]), false),
        _ => {
            let v = i - VOWEL_BASE;
            (
                Sound::Vowel {
                    quality: QUALITIES[v / 4],
                    long: (v / 2) % 2 == 1,
                },
                v % 2 == 1,
            )
        }
    }
}

/// Substitution costs between all symbols, computed once: the inner loop of the
/// alignment is then one table read. Impossible substitutions cost [`NEVER`].
type SubstitutionTable = [[f32; SYMBOLS]; SYMBOLS];
const NEVER: f32 = 1.0e6;

fn substitution_table() -> &'static SubstitutionTable {
    static TABLE: OnceLock<SubstitutionTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [[NEVER; SYMBOLS]; SYMBOLS];
        for (i, row) in t.iter_mut().enumerate() {
            let (a, af) = unsymbol(i);
            for (j, cell) in row.iter_mut().enumerate() {
                let (b, bf) = unsymbol(j);
                if let Some(c) = substitute(a, af, b, bf) {
                    *cell = c;
                }
            }
        }
        t
    })
}

/// Similarity in [0, 1] of two spellings: the best over their readings (see
/// [`Tail`] and [`Spelling::head`]) of 1 − (weighted alignment cost) / (weight of
/// the heavier reading). Symmetric by construction (the costs are symmetric).
pub(crate) fn spelling_similarity(a: &Spelling, b: &Spelling) -> f64 {
    if a.initial || b.initial {
        return initial_similarity(a, b);
    }
    // The same reading of the same script: nothing to align (common when deduplicating).
    if a == b && !a.sounds.is_empty() {
        return 1.0;
    }
    let (va, na) = a.views();
    let (vb, nb) = b.views();
    let (ash, bsh) = (a.writes_short_vowels, b.writes_short_vowels);
    let table = substitution_table();
    let mut best = 0.0f64;
    for x in &va[..na] {
        let rx = Row::new(x, ash, bsh);
        for y in &vb[..nb] {
            let ry = Row::new(y, bsh, ash);
            best = best.max(row_similarity(&rx, &ry, table));
            if best >= 1.0 {
                return 1.0;
            }
        }
    }
    best
}

/// How far an initial matches a name it may stand for: not fully, because an initial
/// says little (one consonant class of the whole name).
pub(crate) const INITIAL_MATCH: f64 = 0.8;

/// An initial against a token: [`INITIAL_MATCH`] if the token starts with the same
/// sound (any vowel or glottal counts as the same start); two initials: 1 or 0.
fn initial_similarity(a: &Spelling, b: &Spelling) -> f64 {
    let start = |s: &Spelling| match s.key_sounds().first() {
        Some(Sound::Consonant(c)) => Some(*c),
        Some(_) => Some(b'a'),
        None => None,
    };
    match (start(a), start(b)) {
        (Some(x), Some(y)) if x == y => {
            if a.initial && b.initial {
                1.0
            } else {
                INITIAL_MATCH
            }
        }
        _ => 0.0,
    }
}

/// A reading laid out for the dynamic programme: symbols and deletion costs in
/// fixed arrays on the stack.
struct Row {
    sym: [u8; MAX_SOUNDS + 1],
    indel: [f32; MAX_SOUNDS + 1],
    len: usize,
    weight: f32,
}

impl Row {
    fn new(v: &View<'_>, self_writes_short: bool, other_writes_short: bool) -> Row {
        let mut row = Row {
            sym: [0; MAX_SOUNDS + 1],
            indel: [0.0; MAX_SOUNDS + 1],
            len: v.len().min(MAX_SOUNDS + 1),
            weight: 0.0,
        };
        let fin = v.final_index();
        for i in 0..row.len {
            let s = v.get(i);
            let f = Some(i) == fin && matches!(s, Sound::Vowel { .. });
            let c = indel(s, f, self_writes_short, other_writes_short);
            row.sym[i] = symbol(s, f);
            row.indel[i] = c;
            row.weight += c;
        }
        row
    }
}

#[inline]
fn min3(a: f32, b: f32, c: f32) -> f32 {
    let m = if a < b { a } else { b };
    if c < m {
        c
    } else {
        m
    }
}

fn row_similarity(ra: &Row, rb: &Row, table: &SubstitutionTable) -> f64 {
    let (la, lb) = (ra.len, rb.len);
    if la == 0 && lb == 0 {
        return 1.0;
    }
    let norm = ra.weight.max(rb.weight);
    if norm <= 0.0 {
        return 1.0;
    }
    // Two-row dynamic programme on the stack: no allocation on this hot path.
    let mut prev = [0f32; MAX_SOUNDS + 2];
    let mut cur = [0f32; MAX_SOUNDS + 2];
    for j in 0..lb {
        prev[j + 1] = prev[j] + rb.indel[j];
    }
    for i in 0..la {
        let costs = &table[usize::from(ra.sym[i])];
        let del = ra.indel[i];
        cur[0] = prev[0] + del;
        for j in 0..lb {
            cur[j + 1] = min3(
                prev[j + 1] + del,
                cur[j] + rb.indel[j],
                prev[j] + costs[usize::from(rb.sym[j])],
            );
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let cost = prev[lb];
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
            ..Spelling::default()
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
        assert_eq!(s.views().1, 1);
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
