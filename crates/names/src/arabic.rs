//! Arabic-script cleanup, folding and reading into sounds.
//!
//! Three levels, each for a reason:
//!
//! 1. **cleaning** ([`clean_char`]): drops what never distinguishes names in lists
//!    (harakat, Quranic marks, tatweel) and folds Persian/Urdu/Kurdish letter shapes
//!    that keyboards produce for the same Arabic letter (ک ی ہ ۃ …). Hamza seats,
//!    taa marbuta and alef maqsura are kept, because they still tell something
//!    (إلهام is not the article ال + هام; ى ends in `a`).
//! 2. **folding** ([`fold_char`]): the conventional search normalisation on top —
//!    أ إ آ ٱ → ا, ؤ → و, ئ → ي, ء dropped, ة → ه, ى → ي, and the letters Arabic
//!    lacks (پ چ ژ گ ڤ) to their nearest Arabic letter. This is what
//!    [`crate::normalise`] shows: spellings that writers use interchangeably in
//!    Arabic become equal strings.
//! 3. **sounds** ([`push_sounds`]): cleaned letters read into the shared sound
//!    alphabet of [`crate::sound`], for the cross-script key and comparison.

use crate::sound::{Spelling, Tail};

/// What cleaning does with one character.
pub(crate) enum Cleaned {
    Keep(char),
    Drop,
}

/// True for harakat, Quranic annotation marks and tatweel: never part of a name's identity.
#[inline]
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{08D3}'..='\u{08FF}')
}

/// Arabic-Indic and Extended Arabic-Indic (Persian) digits to ASCII.
#[inline]
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    let v = match c {
        '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
        '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
        _ => return None,
    };
    char::from_digit(v, 10)
}

/// Level 1: removes marks and folds regional letter shapes to the Arabic letter a
/// writer meant. Letters that carry their own sound (پ چ ژ گ ڤ) are kept here so
/// the sound reading can use them.
#[inline]
pub(crate) fn clean_char(c: char) -> Cleaned {
    if is_mark(c) {
        return Cleaned::Drop;
    }
    Cleaned::Keep(match c {
        'ک' | 'ڪ' => 'ك',
        'ی' | 'ې' | 'ۍ' | 'ۓ' | 'ے' | 'ێ' => 'ي',
        'ۃ' => 'ة',
        'ہ' | 'ھ' | 'ۀ' | 'ە' => 'ه',
        'ٹ' => 'ت',
        'ڈ' => 'د',
        'ڑ' => 'ر',
        'ں' => 'ن',
        'ڨ' => 'ق',
        _ => c,
    })
}

/// Level 2: search folding on top of cleaning; `None` drops the character (ء).
#[inline]
pub(crate) fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ؤ' => 'و',
        'ئ' => 'ي',
        'ء' => return None,
        'ة' => 'ه',
        'ى' => 'ي',
        'پ' => 'ب',
        'چ' => 'ج',
        'ژ' => 'ز',
        'گ' => 'ك',
        'ڤ' => 'ف',
        _ => c,
    })
}

/// Names that begin with ال but where it is not the article, as they appear when a
/// writer leaves out the hamza (الهام for إلهام). Stored folded.
const NOT_ARTICLE: &[&str] = &[
    "الهام",
    "الياس",
    "اليسا",
    "الفت",
    "الطاف",
    "الميرا",
    "الفيرا",
    "البينا",
    "الفيه",
    "الينا",
];

/// If `word` (cleaned) starts with the definite article, returns the rest.
///
/// Only a bare alef (or wasla) followed by lam is the article; إل/أل are hamza-seated
/// and begin a name (إلهام, ألفت). The rest must keep at least two letters so that a
/// short name is never emptied.
pub(crate) fn strip_article(word: &str) -> Option<&str> {
    let rest = word
        .strip_prefix("ال")
        .or_else(|| word.strip_prefix("ٱل"))?;
    if rest.chars().count() < 2 {
        return None;
    }
    let folded: String = word.chars().filter_map(fold_char).collect();
    if NOT_ARTICLE.contains(&folded.as_str()) {
        return None;
    }
    Some(rest)
}

/// Level 3: reads a cleaned Arabic word (no article) into sounds.
///
/// Alef and its hamza forms are a long `a` (at the start of a word, a vowel seat); ي and و are consonants `y`/`w` at the start
/// of a word and long vowels elsewhere (the same rule the Latin reader applies to `y`
/// and `w`, so مروان and Marwan agree); ة, ى and a final ه are a final vowel, because
/// in names a final ه is mostly the feminine ending written without dots (the
/// comparison also tries it as h, for وجيه);
/// ع and ء are glottal.
pub(crate) fn push_sounds(word: &str, out: &mut Spelling) {
    out.tail = Tail::Plain;
    // Two-letter names ending in ه say the h (طه, Taha); له is what is left of الله.
    let mut it = word.chars();
    if let (Some(c), Some('ه'), None) = (it.next(), it.next(), it.next()) {
        if c != 'ل' {
            push_sounds(c.encode_utf8(&mut [0; 4]), out);
            out.vowel(b'a', false);
            out.consonant(b'h');
            out.vowel(b'a', true);
            return;
        }
    }
    let mut chars = word.chars().peekable();
    // A word joined to a particle (بن + يوسف) continues the token: not initial.
    let mut first = out.sounds.is_empty();
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        let last = chars.peek().is_none();
        match c {
            // A word-initial alef is the seat of a short vowel (إبراهيم, أسامة), not a
            // long a: it behaves like the glottal onset it is. آ is a long ā (آدم).
            'ا' | 'أ' | 'إ' | 'ٱ' if first => out.glottal(),
            'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' => out.vowel(b'a', true),
            // ى is a final a, but writers swap it with ي (على for علي): its own
            // quality `y`, equal to a and close to i.
            'ى' => out.vowel(b'y', true),
            // A final ة (or ه, which stands for it) after ا is said, and romanised,
            // as t (نجاة, Najat); elsewhere as the vowel a. Both have other readings.
            'ة' | 'ه' if last && !first => {
                if matches!(prev, 'ا' | 'أ' | 'آ') {
                    out.consonant(b't');
                } else {
                    out.vowel(b'a', true);
                }
                out.tail = Tail::FeminineEnding { also_h: c == 'ه' };
            }
            'ة' => out.vowel(b'a', true),
            'ه' | 'ح' | 'خ' => out.consonant(b'h'),
            'ء' | 'ع' | 'ؤ' => out.glottal(),
            'ئ' => out.vowel(b'i', true),
            'و' if first => out.consonant(b'w'),
            'و' => out.vowel(b'u', true),
            'ي' if first => out.consonant(b'y'),
            'ي' => out.vowel(b'i', true),
            'ب' | 'پ' => out.consonant(b'b'),
            'ت' | 'ط' => out.consonant(b't'),
            'ث' => out.consonant(b'T'),
            'ج' | 'چ' => out.consonant(b'j'),
            'د' | 'ض' => out.consonant(b'd'),
            'ذ' | 'ظ' => out.consonant(b'D'),
            'ر' => out.consonant(b'r'),
            // ژ and چ are read as the letters normalisation folds them to (ز, ج),
            // so that a key does not change when its name is normalised; the
            // comparison treats z/j and j/ch as close.
            'ز' | 'ژ' => out.consonant(b'z'),
            'س' | 'ص' => out.consonant(b's'),
            'ش' => out.consonant(b'x'),
            'غ' => out.consonant(b'g'),
            'ف' | 'ڤ' => out.consonant(b'f'),
            // گ is folded to ك by normalisation and read as k; k/g are close
            // (and ق is g in Gulf and Bedouin speech).
            'ق' | 'ك' | 'گ' => out.consonant(b'k'),
            'ل' => out.consonant(b'l'),
            'م' => out.consonant(b'm'),
            'ن' => out.consonant(b'n'),
            _ => {}
        }
        first = false;
        prev = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(word: &str) -> String {
        let mut sp = Spelling::new(false);
        push_sounds(word, &mut sp);
        let mut out = String::new();
        sp.skeleton_into(&mut out);
        out
    }

    #[test]
    fn article() {
        assert_eq!(strip_article("الحسن"), Some("حسن"));
        assert_eq!(strip_article("إلهام"), None);
        assert_eq!(strip_article("الهام"), None);
        assert_eq!(strip_article("ال"), None);
    }

    #[test]
    fn skeletons() {
        assert_eq!(key("سميرة"), "smra");
        assert_eq!(key("سمير"), "smr");
        assert_eq!(key("محمد"), "mhmd");
        assert_eq!(key("يوسف"), "ysf");
        assert_eq!(key("عائشة"), "axa");
        assert_eq!(key("بوعزاوي"), "bza");
        assert_eq!(key("آدم"), "adm");
    }

    #[test]
    fn digits() {
        assert_eq!(ascii_digit('٣'), Some('3'));
        assert_eq!(ascii_digit('۷'), Some('7'));
        assert_eq!(ascii_digit('a'), None);
    }
}
