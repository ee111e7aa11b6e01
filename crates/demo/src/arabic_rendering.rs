//! How an Arabic-script list writes a name that was born in Latin script: "Claire
//! Dubois" becomes كلير دوبواس. Clerks wrote such names by ear, so the rendering here is
//! deliberately phonetic and approximate, like theirs; it is deterministic so that the
//! same birth name is always written the same way within one scenario.

/// Arabic-script rendering of a Latin-script name (Turkish and Western European letters
/// included). Anything else passes through unchanged.
pub fn render(latin: &str) -> String {
    let mut out = String::with_capacity(latin.len() * 2);
    for (i, word) in latin
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        render_word(&fold(word), &mut out);
    }
    out
}

/// Lower case, with accents and Turkish letters reduced to plain letters or digraphs.
fn fold(word: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(word.len() + 2);
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'à' | 'â' | 'ä' | 'å' | 'á' => out.push('a'),
            'î' | 'ï' | 'ı' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ø' => out.push('o'),
            'û' | 'ü' | 'ù' | 'ú' => out.push('u'),
            'ç' => out.extend(['c', 'h']),
            'ş' => out.extend(['s', 'h']),
            'ğ' => out.extend(['g', 'h']),
            'ñ' => out.push('n'),
            'ß' => out.extend(['s', 's']),
            '\'' | '’' => {}
            other => out.push(other),
        }
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn render_word(w: &[char], out: &mut String) {
    let at = |i: usize| w.get(i).copied().unwrap_or(' ');
    let mut last: Option<char> = None;
    let mut push = |out: &mut String, s: &str| {
        for c in s.chars() {
            // Doubled letters are written once, as Arabic writes a doubled consonant.
            if last != Some(c) || matches!(c, 'ا') {
                out.push(c);
            }
            last = Some(c);
        }
    };
    let mut i = 0;
    while i < w.len() {
        let (c, n, n2) = (at(i), at(i + 1), at(i + 2));
        let initial = i == 0;
        let (text, used): (&str, usize) = match (c, n, n2) {
            ('s', 'c', 'h') => ("ش", 3),
            ('t', 'c', 'h') => ("تش", 3),
            ('d', 'z', 'h') => ("ج", 3),
            ('s' | 'c', 'h', _) => ("ش", 2),
            ('z', 'h', _) | ('d', 'j', _) => ("ج", 2),
            ('k', 'h', _) => ("خ", 2),
            ('g', 'h', _) => ("غ", 2),
            ('t', 'h', _) => ("ت", 2),
            ('p', 'h', _) => ("ف", 2),
            ('c', 'k', _) => ("ك", 2),
            ('q', 'u', _) => ("ك", 2),
            ('o', 'u' | 'o', _) => (if initial { "أو" } else { "و" }, 2),
            ('o', 'i', _) => (if initial { "أوا" } else { "وا" }, 2),
            ('e' | 'a', 'i' | 'y', _) | ('e', 'e', _) | ('i', 'e' | 'j', _) => {
                (if initial { "إي" } else { "ي" }, 2)
            }
            // A y before a vowel is a consonant (Yusupova, Yana).
            ('y', _, _) if is_vowel(n) => ("ي", 1),
            ('a', _, _) => (if initial { "أ" } else { "ا" }, 1),
            ('e', _, _) if initial => ("إ", 1),
            // A final e is silent; an e before a word's last consonant is a short vowel.
            ('e', ' ', _) => ("", 1),
            ('e', _, ' ') if !is_vowel(n) => ("", 1),
            ('e' | 'i' | 'y', _, _) => (if initial { "إي" } else { "ي" }, 1),
            ('o' | 'u', _, _) => (if initial { "أو" } else { "و" }, 1),
            ('b' | 'p', _, _) => ("ب", 1),
            ('c', 'e' | 'i' | 'y', _) => ("س", 1),
            ('c' | 'k' | 'q', _, _) => ("ك", 1),
            ('d', _, _) => ("د", 1),
            ('f' | 'v', _, _) => ("ف", 1),
            ('g', 'e' | 'i', _) => ("ج", 1),
            ('g', _, _) => ("غ", 1),
            // A final h after a vowel is silent (Hannah).
            ('h', ' ', _) if i > 0 && is_vowel(at(i - 1)) => ("", 1),
            ('h', _, _) => ("ه", 1),
            ('j', _, _) => ("ج", 1),
            ('l', _, _) => ("ل", 1),
            ('m', _, _) => ("م", 1),
            ('n', _, _) => ("ن", 1),
            ('r', _, _) => ("ر", 1),
            ('s', _, _) => ("س", 1),
            ('t', _, _) => ("ت", 1),
            ('w', _, _) => ("و", 1),
            ('x', _, _) => ("كس", 1),
            ('z', _, _) => ("ز", 1),
            _ => ("", 1),
        };
        push(out, text);
        i += used;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::person::Script;

    #[test]
    fn european_names_come_out_in_arabic_script() {
        assert_eq!(render("Claire Dubois"), "كلير دوبواس");
        assert_eq!(render("Müller"), "مولر");
        assert_eq!(render("Martin"), "مارتين");
        assert_eq!(render("Yusupova"), "يوسوبوفا");
        for name in [
            "Anaïs Lefèvre",
            "Ayşe Yılmaz",
            "van den Berg",
            "Stacy-Ann Ramdass",
        ] {
            let out = render(name);
            assert_eq!(Script::of(&out), Script::Arabic, "{name} -> {out}");
            assert!(
                !out.chars().any(|c| c.is_ascii_alphabetic()),
                "{name} -> {out}"
            );
        }
    }
}
