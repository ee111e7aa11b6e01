//! Which writing system a name is written in.
//!
//! Camp lists arrive in Arabic script (camp administration, informal lists) and in
//! Latin script (government lists, consular files, journalists). Every later step
//! branches on the script of a single word, so the per-character test here is
//! deliberately cheap: a few range comparisons, no tables.

/// The writing system of a string, as far as names are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    /// Only Latin letters (with or without diacritics).
    Latin,
    /// Only Arabic-script letters (Arabic, Persian, Urdu, Kurdish variants).
    Arabic,
    /// Letters of more than one script, e.g. `Samira بوعزاوي`.
    Mixed,
    /// No letters, or letters of other scripts only (Cyrillic, …).
    Other,
}

/// True for characters of the Arabic blocks, including presentation forms.
#[inline]
pub(crate) fn is_arabic_char(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

/// True for letters of the Latin script (ASCII, Latin-1, Latin Extended A/B/Additional).
#[inline]
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
            && c != '\u{00D7}'
            && c != '\u{00F7}')
}

/// Detects the script of `s` by its letters; digits, spaces and punctuation do not count.
///
/// ```
/// use names::{detect_script, Script};
/// assert_eq!(detect_script("Samira"), Script::Latin);
/// assert_eq!(detect_script("سميرة"), Script::Arabic);
/// assert_eq!(detect_script("Samira بوعزاوي"), Script::Mixed);
/// assert_eq!(detect_script("123"), Script::Other);
/// ```
pub fn detect_script(s: &str) -> Script {
    let (mut latin, mut arabic, mut other) = (false, false, false);
    for c in s.chars() {
        if is_latin_letter(c) {
            latin = true;
        } else if is_arabic_char(c) {
            // Marks, digits and punctuation of the Arabic block still say "Arabic".
            if c.is_alphabetic() {
                arabic = true;
            }
        } else if c.is_alphabetic() {
            other = true;
        }
    }
    match (latin, arabic, other) {
        (true, false, false) => Script::Latin,
        (false, true, false) => Script::Arabic,
        (false, false, _) => Script::Other,
        _ => Script::Mixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(detect_script("Aïcha"), Script::Latin);
        assert_eq!(detect_script("al-Ḥasan"), Script::Latin);
        assert_eq!(detect_script("أم آدم"), Script::Arabic);
        assert_eq!(detect_script("ک گ پ"), Script::Arabic);
        assert_eq!(detect_script("Umm آدم"), Script::Mixed);
        assert_eq!(detect_script("Мария"), Script::Other);
        assert_eq!(detect_script("Maria Мария"), Script::Mixed);
        assert_eq!(detect_script(""), Script::Other);
        assert_eq!(detect_script("٣٤"), Script::Other);
    }
}
