//! Vocalisations of common names written in Arabic script.
//!
//! Arabic script does not write short vowels, so محمد says nothing about the vowels
//! between its consonants and would match Mahmoud as well as Mohammed; حسن would
//! match Hussein. For the most common names the vowels are not in doubt, and this
//! table supplies them: a listed Arabic name is read from its vocalisation (long
//! vowels doubled; ع and ء left out, as Latin spellings leave them out) and then
//! compared like a Latin spelling, which separates Mohammed from محمود and Hussein
//! from حسن.
//!
//! Only names whose reading is not in doubt belong here; a name with two common
//! readings (عمرو, often written without its waw and then looking like عمر) stays
//! out and is compared by its letters. Entries are looked up by their folded form ([`crate::normalise`]),
//! so hamza, taa marbuta and alef maqsura variants all find the entry.

use crate::arabic::fold_char;
use crate::sound::{Spelling, Tail};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Arabic name, vocalisation.
const ENTRIES: &[(&str, &str)] = &[
    ("محمد", "muhammad"),
    ("محمود", "mahmuud"),
    ("حسن", "hasan"),
    ("حسين", "husaiin"),
    ("حسان", "hassaan"),
    ("احمد", "ahmad"),
    ("حامد", "haamid"),
    ("حميد", "hamiid"),
    ("حميدة", "hamiida"),
    ("حمدي", "hamdii"),
    ("عمار", "ammaar"),
    ("علي", "alii"),
    ("عالية", "aaliya"),
    ("سعد", "sad"),
    ("سعيد", "saiid"),
    ("سعيدة", "saiida"),
    ("سعاد", "suaad"),
    ("سالم", "saalim"),
    ("سليم", "saliim"),
    ("سليمة", "saliima"),
    ("سلمان", "salmaan"),
    ("سليمان", "sulaimaan"),
    ("صالح", "saalih"),
    ("صلاح", "salaah"),
    ("فاطمة", "faatima"),
    ("كريم", "kariim"),
    ("كريمة", "kariima"),
    ("امين", "amiin"),
    ("امينة", "amiina"),
    ("آمنة", "aamina"),
    ("يوسف", "yuusuf"),
    ("يونس", "yuunus"),
    ("ابراهيم", "ibraahiim"),
    ("اسماعيل", "ismaaiil"),
    ("خالد", "khaalid"),
    ("خليل", "khaliil"),
    ("خديجة", "khadiija"),
    ("عائشة", "aaisha"),
    ("مريم", "maryam"),
    ("زينب", "zainab"),
    ("سارة", "saara"),
    ("هند", "hind"),
    ("نور", "nuur"),
    ("نورة", "nuura"),
    ("رانيا", "raaniya"),
    ("رنا", "rana"),
    ("دينا", "diina"),
    ("ايمان", "iimaan"),
    ("اسماء", "asmaa"),
    ("سمير", "samiir"),
    ("سميرة", "samiira"),
    ("سمر", "samar"),
    ("جمال", "jamaal"),
    ("جميل", "jamiil"),
    ("جميلة", "jamiila"),
    ("كمال", "kamaal"),
    ("نبيل", "nabiil"),
    ("نبيلة", "nabiila"),
    ("نادية", "naadiya"),
    ("نادر", "naadir"),
    ("مراد", "muraad"),
    ("مروان", "marwaan"),
    ("مروة", "marwa"),
    ("وليد", "waliid"),
    ("رشيد", "rashiid"),
    ("رشيدة", "rashiida"),
    ("حمزة", "hamza"),
    ("بلال", "bilaal"),
    ("طارق", "taariq"),
    ("ياسين", "yaasiin"),
    ("ياسر", "yaasir"),
    ("انس", "anas"),
    ("عثمان", "uthmaan"),
    ("مصطفى", "mustafaa"),
    ("عيسى", "iisaa"),
    ("موسى", "muusaa"),
    ("الياس", "ilyaas"),
    ("ادريس", "idriis"),
    ("يعقوب", "yaquub"),
    ("سمية", "sumayya"),
    ("رقية", "ruqayya"),
    ("صفية", "safiyya"),
    ("حليمة", "haliima"),
    ("حفصة", "hafsa"),
    ("هاجر", "haajar"),
    ("سكينة", "sakiina"),
    ("نعيمة", "naiima"),
    ("لطيفة", "latiifa"),
    ("فريد", "fariid"),
    ("فريدة", "fariida"),
    ("ليلى", "laylaa"),
    ("هدى", "hudaa"),
    ("يحيى", "yahyaa"),
    ("سلمى", "salmaa"),
    ("ذكرى", "dhikraa"),
    ("سلوى", "salwaa"),
    ("نجوى", "najwaa"),
    ("آدم", "aadam"),
    ("ايوب", "ayyuub"),
    ("تميم", "tamiim"),
    ("زيد", "zaid"),
    ("سفيان", "sufyaan"),
    ("صهيب", "suhaib"),
    ("طه", "taahaa"),
    ("عبيدة", "ubaida"),
    ("عمر", "umar"),
    ("معاذ", "muaadh"),
    ("مصعب", "musab"),
    ("اسامة", "usaama"),
    ("زكريا", "zakariyyaa"),
    ("داود", "daawuud"),
    ("هارون", "haaruun"),
    ("نوح", "nuuh"),
    ("اسحاق", "is-haaq"),
    ("ميمونة", "maimuuna"),
    ("بلقيس", "balqiis"),
    ("نسيبة", "nusaiba"),
    ("امامة", "umaama"),
    ("خولة", "khawla"),
    ("رملة", "ramla"),
    ("صفاء", "safaa"),
    ("دعاء", "duaa"),
    ("اسراء", "israa"),
    ("تقوى", "taqwaa"),
    ("هبة", "hiba"),
    ("منار", "manaar"),
    ("ضحى", "duhaa"),
    ("نهى", "nuhaa"),
    ("ريحانة", "raihaana"),
    ("شيماء", "shaimaa"),
    ("وفاء", "wafaa"),
    ("امل", "amal"),
    ("عبير", "abiir"),
    ("بشرى", "bushraa"),
    ("بشير", "bashiir"),
    ("حنان", "hanaan"),
    ("حياة", "hayaat"),
    ("خلود", "khuluud"),
    ("رحمة", "rahma"),
    ("رشا", "rashaa"),
    ("رضوان", "ridwaan"),
    ("رياض", "riyaad"),
    ("ريم", "riim"),
    ("زهرة", "zahra"),
    ("سهام", "sihaam"),
    ("سوسن", "sawsan"),
    ("شريف", "shariif"),
    ("عادل", "aadil"),
    ("عزيز", "aziiz"),
    ("عزيزة", "aziiza"),
    ("عمران", "imraan"),
    ("غادة", "ghaada"),
    ("فادي", "faadii"),
    ("فارس", "faaris"),
    ("فيصل", "faisal"),
    ("قاسم", "qaasim"),
    ("لبنى", "lubnaa"),
    ("ماجد", "maajid"),
    ("مالك", "maalik"),
    ("منى", "munaa"),
    ("منير", "muniir"),
    ("مهدي", "mahdii"),
    ("ناصر", "naasir"),
    ("نسرين", "nasriin"),
    ("نوال", "nawaal"),
    ("هالة", "haala"),
    ("هشام", "hishaam"),
    ("ياسمين", "yaasmiin"),
    ("يسرى", "yusraa"),
    ("آية", "aaya"),
    ("تسنيم", "tasniim"),
    ("ملاك", "malaak"),
];

/// Folded Arabic form to vocalisation, built once.
fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        ENTRIES
            .iter()
            .map(|(arabic, latin)| (arabic.chars().filter_map(fold_char).collect(), *latin))
            .collect()
    })
}

/// The vocalisation of a cleaned Arabic word (no article), if it is a listed name.
pub(crate) fn vocalisation(word: &str) -> Option<&'static str> {
    let folded: String = word.chars().filter_map(fold_char).collect();
    table().get(&folded).copied()
}

/// Reads a vocalisation into `sp`, which from then on counts as writing its short
/// vowels. The end reads as written: a listed name has no doubtful final h.
pub(crate) fn push_vocalised(vowelled: &str, sp: &mut Spelling) {
    crate::latin::push_sounds(vowelled, sp);
    sp.tail = Tail::Plain;
    sp.writes_short_vowels = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skeleton(sp: &Spelling) -> String {
        let mut k = String::new();
        sp.skeleton_into(&mut k);
        k
    }

    /// A vocalisation must give the key the letters give, so that the comparison key
    /// does not depend on whether a name is listed.
    #[test]
    fn vocalisations_keep_the_key() {
        for (arabic, latin) in ENTRIES {
            let mut by_letters = Spelling::new(false);
            crate::arabic::push_sounds(arabic, &mut by_letters);
            let mut by_vowels = Spelling::new(false);
            push_vocalised(latin, &mut by_vowels);
            assert_eq!(
                skeleton(&by_letters),
                skeleton(&by_vowels),
                "{arabic} / {latin}"
            );
        }
    }

    #[test]
    fn entries_are_unique() {
        assert_eq!(table().len(), ENTRIES.len());
    }

    #[test]
    fn lookup_by_folded_form() {
        assert_eq!(vocalisation("فاطمه"), Some("faatima"));
        assert_eq!(vocalisation("أحمد"), Some("ahmad"));
        assert_eq!(vocalisation("ليلي"), Some("laylaa"));
        assert_eq!(vocalisation("بوعزاوي"), None);
    }
}
