//! Nationality adjectives (nisbas) as they appear in kunyas and nicknames:
//! Umm Adam al-Beljikiya, أم آدم البلجيكية, Abu Hamza al-Almani.
//!
//! The adjective is matched by its sound reading, so every romanisation and both
//! scripts are covered by a few listed spellings: the listed forms are read with
//! the same functions as the input, and an input token must have the same skeleton
//! (ending ignored, so masculine and feminine meet) and sound close to a listed form.

use crate::key::spellings;
use crate::sound::{spelling_similarity, Spelling};
use std::sync::OnceLock;

/// ISO 3166-1 alpha-2 code and spellings of the adjective (either gender, either
/// script, with or without article). The countries whose nationals were held in the
/// camps of north-east Syria, and the region's own.
const ADJECTIVES: &[(&str, &[&str])] = &[
    (
        "BE",
        &[
            "beljikiya",
            "belgikiya",
            "baljikiya",
            "beljiki",
            "belgian",
            "belge",
            "البلجيكية",
            "البلجيكي",
            "بلجيكية",
        ],
    ),
    (
        "FR",
        &[
            "faransiya",
            "fransiya",
            "faransi",
            "french",
            "francaise",
            "francais",
            "الفرنسية",
            "الفرنسي",
        ],
    ),
    (
        "DE",
        &[
            "almaniya",
            "al-almaniya",
            "almani",
            "al-almani",
            "german",
            "allemande",
            "الألمانية",
            "الالمانية",
            "الألماني",
            "المانية",
        ],
    ),
    (
        "NL",
        &[
            "hollandiya",
            "holandiya",
            "hulandiya",
            "hollandi",
            "dutch",
            "nederlandse",
            "الهولندية",
            "الهولندي",
        ],
    ),
    (
        "GB",
        &[
            "britaniya",
            "baritaniya",
            "britani",
            "injliziya",
            "inkliziya",
            "british",
            "english",
            "البريطانية",
            "البريطاني",
            "الإنجليزية",
            "الانكليزية",
        ],
    ),
    (
        "US",
        &[
            "amrikiya",
            "amerikiya",
            "amirkiya",
            "amriki",
            "american",
            "الأمريكية",
            "الامريكية",
            "الأمريكي",
            "الاميركية",
        ],
    ),
    (
        "CA",
        &[
            "kanadiya",
            "kanadi",
            "canadian",
            "canadienne",
            "الكندية",
            "الكندي",
        ],
    ),
    (
        "SE",
        &[
            "swediya",
            "suwaydiya",
            "swidiya",
            "swedish",
            "السويدية",
            "السويدي",
        ],
    ),
    (
        "RU",
        &["rusiya", "russiya", "rusi", "russian", "الروسية", "الروسي"],
    ),
    (
        "RU",
        &[
            "shishaniya",
            "shishani",
            "chechaniya",
            "chechen",
            "tchetchene",
            "الشيشانية",
            "الشيشاني",
        ],
    ),
    (
        "TN",
        &[
            "tunisiya",
            "tunsiya",
            "tounsia",
            "tounsi",
            "tunisian",
            "tunisienne",
            "التونسية",
            "التونسي",
        ],
    ),
    (
        "MA",
        &[
            "maghribiya",
            "maghrebiya",
            "maghrebia",
            "maghribi",
            "moroccan",
            "marocaine",
            "المغربية",
            "المغربي",
        ],
    ),
    (
        "DZ",
        &[
            "jazairiya",
            "djazairia",
            "jazairi",
            "algerian",
            "algerienne",
            "الجزائرية",
            "الجزائري",
        ],
    ),
    (
        "EG",
        &[
            "masriya",
            "misriya",
            "masri",
            "egyptian",
            "المصرية",
            "المصري",
        ],
    ),
    ("LY", &["libiya", "libi", "libyan", "الليبية", "الليبي"]),
    ("IQ", &["iraqiya", "iraqi", "iraqi", "العراقية", "العراقي"]),
    (
        "SY",
        &["suriya", "souriya", "suri", "syrian", "السورية", "السوري"],
    ),
    (
        "LB",
        &["lubnaniya", "lubnani", "lebanese", "اللبنانية", "اللبناني"],
    ),
    (
        "JO",
        &["urduniya", "urduni", "jordanian", "الأردنية", "الأردني"],
    ),
    (
        "SA",
        &["saudiya", "suudiya", "saudi", "السعودية", "السعودي"],
    ),
    ("TR", &["turkiya", "turki", "turkish", "التركية", "التركي"]),
    ("AZ", &["azerbayjaniya", "azeri", "الأذربيجانية"]),
    (
        "UZ",
        &[
            "uzbakiya",
            "uzbekiya",
            "uzbaki",
            "uzbek",
            "الأوزبكية",
            "الأوزبكي",
        ],
    ),
    (
        "TJ",
        &["tajikiya", "tajiki", "tajik", "الطاجيكية", "الطاجيكي"],
    ),
    (
        "KZ",
        &["kazakhiya", "kazakhi", "kazakh", "الكازاخية", "الكازاخي"],
    ),
    ("KG", &["qirghiziya", "kyrgyz", "القرغيزية"]),
    ("DK", &["danimarkiya", "danish", "الدنماركية"]),
    ("NO", &["narwijiya", "norwijiya", "norwegian", "النرويجية"]),
    ("FI", &["finlandiya", "finnish", "الفنلندية"]),
    ("AT", &["nimsawiya", "namsawiya", "austrian", "النمساوية"]),
    ("CH", &["swisriya", "swissriya", "swiss", "السويسرية"]),
    ("IT", &["italiya", "italian", "الإيطالية", "الايطالية"]),
    ("ES", &["isbaniya", "spanish", "الإسبانية", "الاسبانية"]),
    ("PT", &["burtughaliya", "portuguese", "البرتغالية"]),
    ("IE", &["irlandiya", "irish", "الإيرلندية", "الايرلندية"]),
    (
        "AU",
        &[
            "usturaliya",
            "ustraliya",
            "australian",
            "الأسترالية",
            "الاسترالية",
        ],
    ),
    ("TT", &["trinidadiya", "trinidadian", "الترينيدادية"]),
    ("ID", &["indunisiya", "indonesian", "الإندونيسية"]),
    ("MY", &["maliziya", "malaysian", "الماليزية"]),
    (
        "PK",
        &["bakistaniya", "pakistaniya", "pakistani", "الباكستانية"],
    ),
    ("AF", &["afghaniya", "afghani", "afghan", "الأفغانية"]),
    (
        "SD",
        &["sudaniya", "sudani", "sudanese", "السودانية", "السوداني"],
    ),
    (
        "SO",
        &["sumaliya", "somaliya", "somali", "الصومالية", "الصومالي"],
    ),
];

struct Entry {
    stem: String,
    spelling: Spelling,
    code: &'static str,
}

/// The adjective table read into sounds once, on first use.
fn table() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        for (code, forms) in ADJECTIVES {
            for form in *forms {
                for sp in spellings(form) {
                    v.push(Entry {
                        stem: stem(&sp),
                        spelling: sp,
                        code,
                    });
                }
            }
        }
        v
    })
}

/// The skeleton of a spelling without its final-vowel marker.
fn stem(sp: &Spelling) -> String {
    let mut k = String::new();
    sp.skeleton_into(&mut k);
    if k.len() > 1 && k.ends_with('a') {
        k.pop();
    }
    k
}

/// Least sound similarity for an adjective to count, on top of an equal stem.
const ADJECTIVE_MIN_SIMILARITY: f64 = 0.6;

/// The country of a nationality adjective in `s` (any script, with or without the
/// article, masculine or feminine), as an ISO 3166-1 alpha-2 code. If `s` has
/// several words, the first that is an adjective counts.
///
/// ```
/// assert_eq!(names::nationality_adjective("al-Beljikiya"), Some("BE"));
/// assert_eq!(names::nationality_adjective("البلجيكية"), Some("BE"));
/// assert_eq!(names::nationality_adjective("al-Shishaniya"), Some("RU"));
/// assert_eq!(names::nationality_adjective("Samira"), None);
/// ```
pub fn nationality_adjective(s: &str) -> Option<&'static str> {
    for sp in spellings(s) {
        if let Some(code) = spelling_nationality(&sp) {
            return Some(code);
        }
    }
    None
}

pub(crate) fn spelling_nationality(sp: &Spelling) -> Option<&'static str> {
    let st = stem(sp);
    if st.len() < 2 {
        return None;
    }
    let mut best: Option<(f64, &'static str)> = None;
    for e in table().iter().filter(|e| e.stem == st) {
        let s = spelling_similarity(sp, &e.spelling);
        if s >= ADJECTIVE_MIN_SIMILARITY && best.is_none_or(|(b, _)| s > b) {
            best = Some((s, e.code));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjectives() {
        for (s, code) in [
            ("al-Beljikiya", "BE"),
            ("Beljikiyya", "BE"),
            ("البلجيكية", "BE"),
            ("al-Faransiya", "FR"),
            ("الفرنسية", "FR"),
            ("al-Almaniya", "DE"),
            ("Almaniya", "DE"),
            ("الألمانية", "DE"),
            ("al-Hollandiya", "NL"),
            ("al-Britaniya", "GB"),
            ("al-Amrikiya", "US"),
            ("الأمريكية", "US"),
            ("al-Kanadiya", "CA"),
            ("al-Swediya", "SE"),
            ("السويدية", "SE"),
            ("السعودية", "SA"),
            ("al-Rusiya", "RU"),
            ("al-Shishaniya", "RU"),
            ("ash-Shishaniya", "RU"),
            ("al-Tunisiya", "TN"),
            ("at-Tounsia", "TN"),
            ("al-Maghribiya", "MA"),
            ("المغربية", "MA"),
            ("al-Masri", "EG"),
        ] {
            assert_eq!(nationality_adjective(s), Some(code), "{s}");
        }
    }

    #[test]
    fn not_adjectives() {
        for s in ["Samira", "Adam", "سميرة", "", "al-Hassan", "Bouazzaoui"] {
            assert_eq!(nationality_adjective(s), None, "{s}");
        }
    }
}
