//! Splitting a name into cleaned words, each in one script.
//!
//! Everything that is not a letter or digit separates words (spaces, hyphens as in
//! `al-Hassan`, commas, dots, Arabic punctuation), except apostrophes and the ʿ/ʾ
//! marks, which are dropped inside a word (Sa'id → said). A change of script inside
//! a run of letters also separates words, so `Samiraسميرة` is two words.

use crate::arabic::{self, Cleaned};
use crate::latin;
use crate::script::is_arabic_char;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// One word of a name, cleaned but not yet folded into sounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Arabic: marks removed, regional letter shapes folded, hamza seats kept.
    /// Latin (and any other script): lowercase, diacritics and apostrophes removed.
    pub(crate) text: String,
    pub(crate) arabic: bool,
}

/// Splits `s` into cleaned words. NFKC first (only when `s` is not already in NFKC), so that
/// Arabic presentation forms (ﻣﺤﻤﺪ, the ligature ﷲ) and full-width Latin read as
/// ordinary letters.
pub(crate) fn split_words(s: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(4);
    let mut cur = String::new();
    let mut cur_arabic = false;
    let flush = |cur: &mut String, arabic: bool, words: &mut Vec<Word>| {
        if !cur.is_empty() {
            words.push(Word {
                text: std::mem::take(cur),
                arabic,
            });
        }
    };
    let handle = |c: char, cur: &mut String, cur_arabic: &mut bool, words: &mut Vec<Word>| {
        if let Some(d) = arabic::ascii_digit(c) {
            if *cur_arabic {
                flush(cur, true, words);
            }
            *cur_arabic = false;
            cur.push(d);
        } else if is_arabic_char(c) {
            match arabic::clean_char(c) {
                Cleaned::Drop => {}
                Cleaned::Keep(k) if k.is_alphabetic() => {
                    if !*cur_arabic {
                        flush(cur, false, words);
                    }
                    *cur_arabic = true;
                    cur.push(k);
                }
                Cleaned::Keep(_) => flush(cur, *cur_arabic, words),
            }
        } else if latin::is_apostrophe(c) || unicode_normalization::char::is_combining_mark(c) {
            // Dropped inside a word: Sa'id, Ismaʿil.
        } else if c.is_alphanumeric() {
            if *cur_arabic {
                flush(cur, true, words);
            }
            *cur_arabic = false;
            latin::fold_char_into(c, cur);
        } else {
            flush(cur, *cur_arabic, words);
        }
    };
    if s.is_ascii() || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        for c in s.chars() {
            handle(c, &mut cur, &mut cur_arabic, &mut words);
        }
    } else {
        for c in s.nfkc() {
            handle(c, &mut cur, &mut cur_arabic, &mut words);
        }
    }
    flush(&mut cur, cur_arabic, &mut words);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        split_words(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splitting() {
        assert_eq!(texts("al-Ḥasan"), ["al", "hasan"]);
        assert_eq!(texts("  Sa'id,  Aïcha "), ["said", "aicha"]);
        assert_eq!(texts("مُحَمَّد"), ["محمد"]);
        assert_eq!(texts("Samiraسميرة"), ["samira", "سميرة"]);
        assert_eq!(texts("ﻣﺤﻤﺪ"), ["محمد"]);
        assert_eq!(texts("کریم"), ["كريم"]);
        assert_eq!(texts("حـــسن"), ["حسن"]);
        assert_eq!(texts("٢٠١٩"), ["2019"]);
    }
}
