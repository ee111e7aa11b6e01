//! Cyrillic names read through a Latin transliteration.
//!
//! Women from the North Caucasus and Central Asia appear in Russian-language lists
//! in Cyrillic (Хадижат, Айшат, Зарема). For comparison only, their words are
//! transliterated to the Latin spelling the Latin reader understands (х → kh,
//! ж → zh, ш → sh, я → ya), so Хадижат meets Khadizhat and خديجة. What
//! [`crate::normalise`] shows stays Cyrillic.

/// True if `s` contains Cyrillic letters.
pub(crate) fn has_cyrillic(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

/// The Latin transliteration of one lowercase Cyrillic letter; other characters
/// are returned as they are.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' | 'є' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ї' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' | 'һ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ғ' => "gh",
        'қ' => "q",
        'ң' => "n",
        'ә' => "a",
        'ө' => "o",
        'ү' | 'ұ' => "u",
        // Hard and soft signs, and the Caucasian palochka, carry no sound of their own.
        'ъ' | 'ь' | 'ӏ' | 'Ӏ' => "",
        _ => return None,
    })
}

/// Transliterates the Cyrillic letters of a lowercase word to Latin; anything else
/// is kept.
pub(crate) fn transliterate(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match letter(c) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration() {
        assert_eq!(transliterate("хадижат"), "khadizhat");
        assert_eq!(transliterate("айшат"), "ayshat");
        assert_eq!(transliterate("зарема"), "zarema");
        assert!(has_cyrillic("зарема"));
        assert!(!has_cyrillic("zarema"));
    }
}
