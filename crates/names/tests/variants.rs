//! Variant tables: spellings that must meet, names that must stay apart.
//!
//! All names here are common given and family names or synthetic combinations of
//! them; none refers to a real person.

use names::{
    comparison_key, name_similarity, phonetic_key, token_set_similarity, tokens, SAME_NAME,
    STRICT_SAME_NAME,
};

/// Spellings of one name, across scripts and romanisations: similarity ≥ SAME_NAME.
const MUST_MEET: &[(&str, &str)] = &[
    // The design's own examples.
    ("سميرة", "Samira"),
    ("سميرة", "Sameera"),
    ("سميرة", "Smira"),
    ("Samira", "Sameera"),
    ("Samira", "Smira"),
    ("بوعزاوي", "Bouazzaoui"),
    ("بوعزاوي", "Bu Azawi"),
    ("بوعزاوي", "Bouazzawi"),
    ("Bouazzaoui", "Bu Azawi"),
    ("Bouazzaoui", "Bouazzawi"),
    ("عائشة", "Aisha"),
    ("عائشة", "Aicha"),
    ("عائشة", "Ayesha"),
    ("عائشة", "Aïcha"),
    ("Aisha", "Ayesha"),
    ("Aisha", "Aicha"),
    ("محمد", "Mohammed"),
    ("محمد", "Muhammad"),
    ("محمد", "Mohamed"),
    ("محمد", "Mohammad"),
    ("Mohammed", "Muhammad"),
    ("Mohamed", "Mohammed"),
    ("Mhamed", "Mohamed"),
    ("خديجة", "Khadija"),
    ("خديجة", "Khadidja"),
    ("خديجة", "Khadijah"),
    // Hausa Hadiza: j and z are close (ژ, Hausa and Kurdish speech), so it meets.
    ("خديجة", "Hadiza"),
    ("Khadija", "Kadija"),
    ("يوسف", "Youssef"),
    ("يوسف", "Yusuf"),
    ("يوسف", "Yousef"),
    ("Youssef", "Yusuf"),
    ("الحسن", "al-Hassan"),
    ("الحسن", "El Hasan"),
    ("الحسن", "Alhassan"),
    ("al-Hassan", "El Hasan"),
    ("al-Hassan", "Alhassan"),
    ("الحسن", "حسن"),
    // Common given names.
    ("فاطمة", "Fatima"),
    ("فاطمة", "Fatma"),
    ("فاطمة", "Fatimah"),
    ("فاطمه", "Fatima"),
    ("Fatima", "Fatma"),
    ("زينب", "Zainab"),
    ("زينب", "Zeinab"),
    ("Zaynab", "Zeinab"),
    ("مريم", "Maryam"),
    ("مريم", "Mariam"),
    ("Meryem", "Maryam"),
    ("أحمد", "Ahmed"),
    ("أحمد", "Ahmad"),
    ("احمد", "Ahmed"),
    ("عمر", "Omar"),
    ("عمر", "Umar"),
    ("إبراهيم", "Ibrahim"),
    ("ابراهيم", "Brahim"),
    ("Ibrahim", "Brahim"),
    ("إسماعيل", "Ismail"),
    ("إسماعيل", "Ismaël"),
    ("Ismail", "Ismaʿil"),
    ("حمزة", "Hamza"),
    ("Hamza", "Hamzah"),
    ("أسماء", "Asmaa"),
    ("أسماء", "Asma"),
    ("أسماء", "Asmae"),
    ("خالد", "Khaled"),
    ("خالد", "Khalid"),
    ("Khalid", "Chalid"),
    ("رشيد", "Rachid"),
    ("رشيد", "Rashid"),
    ("شيماء", "Chaima"),
    ("شيماء", "Shaimaa"),
    ("عثمان", "Othman"),
    ("عثمان", "Uthman"),
    ("Othman", "Osman"),
    ("مصطفى", "Mustafa"),
    ("مصطفى", "Moustapha"),
    ("ليلى", "Layla"),
    ("ليلى", "Leila"),
    ("Laila", "Layla"),
    ("سعيد", "Said"),
    ("سعيد", "Saeed"),
    ("Sa'id", "Said"),
    ("هدى", "Houda"),
    ("هدى", "Huda"),
    ("نور", "Nour"),
    ("نور", "Noor"),
    ("آمنة", "Amina"),
    ("آمنة", "Aminah"),
    ("صفية", "Safiya"),
    ("صفية", "Safia"),
    ("رقية", "Ruqayya"),
    ("رقية", "Rokia"),
    ("جميلة", "Jamila"),
    ("جميلة", "Djamila"),
    ("Jamila", "Gamila"),
    ("علي", "Ali"),
    ("علي", "Aly"),
    ("حسين", "Hussein"),
    ("حسين", "Husain"),
    ("حسين", "Houssein"),
    ("Hussein", "Hussain"),
    ("محمود", "Mahmoud"),
    ("محمود", "Mahmud"),
    ("Mahmoud", "Mahmood"),
    ("أسامة", "Oussama"),
    ("أسامة", "Usama"),
    ("أسامة", "Osama"),
    ("وليد", "Walid"),
    ("وليد", "Oualid"),
    ("مروان", "Marwan"),
    ("مروان", "Marouane"),
    ("ياسين", "Yassine"),
    ("ياسين", "Yasin"),
    ("إلياس", "Ilyas"),
    ("إلياس", "Elias"),
    ("الياس", "Ilyas"),
    ("إلهام", "Ilham"),
    ("إلهام", "Elham"),
    ("نعيمة", "Naima"),
    ("نعيمة", "Naïma"),
    ("سمية", "Soumaya"),
    ("سمية", "Sumayya"),
    ("سكينة", "Sakina"),
    ("حليمة", "Halima"),
    ("كريمة", "Karima"),
    ("سلمى", "Salma"),
    ("Salma", "Selma"),
    ("هاجر", "Hajar"),
    ("هاجر", "Hagar"),
    ("إيمان", "Imane"),
    ("إيمان", "Iman"),
    ("سارة", "Sara"),
    ("سارة", "Sarah"),
    ("نادية", "Nadia"),
    ("نادية", "Nadiya"),
    ("رحمة", "Rahma"),
    ("دعاء", "Douaa"),
    ("دعاء", "Duaa"),
    ("وفاء", "Wafae"),
    ("وفاء", "Wafaa"),
    ("بلال", "Bilal"),
    ("إسحاق", "Ishaq"),
    ("إسحاق", "Ishak"),
    ("زكريا", "Zakaria"),
    ("زكريا", "Zakariya"),
    ("طه", "Taha"),
    ("عيسى", "Issa"),
    ("عيسى", "Aissa"),
    ("موسى", "Moussa"),
    ("موسى", "Musa"),
    ("يحيى", "Yahya"),
    ("جعفر", "Jaafar"),
    ("جعفر", "Djafar"),
    ("قاسم", "Kacem"),
    ("قاسم", "Qasim"),
    ("Kassem", "Qasim"),
    ("ذكرى", "Dhikra"),
    ("ظافر", "Dhafer"),
    ("ثريا", "Thuraya"),
    ("غادة", "Ghada"),
    ("Ghizlane", "Ghislane"),
    ("صلاح", "Salah"),
    ("صالح", "Saleh"),
    ("صالح", "Salih"),
    // Maghrebi, Turkish and West African spelling habits.
    ("نجاة", "Najat"),
    ("نجاة", "Nadjat"),
    ("نجاة", "Najah"),
    ("حياة", "Hayat"),
    ("آمنة", "Emna"),
    ("إيمان", "Eman"),
    ("عفاف", "Afef"),
    ("وداد", "Wided"),
    ("بلال", "Bilel"),
    ("غادة", "Rhada"),
    ("الغربي", "Rharbi"),
    ("معاذ", "Muadh"),
    ("معاذ", "Moaz"),
    ("Muadh", "Muaz"),
    ("ثريا", "Soraya"),
    ("ثريا", "Thuraya"),
    ("Meryem", "Mariam"),
    ("فيصل", "Faycal"),
    ("Fayçal", "Faisal"),
    ("Slimane", "Souleymane"),
    ("Dlimi", "al-Dulaimi"),
    ("Fatima", "Fadima"),
    ("نعمة", "Nimet"),
    // Compounds and particles.
    ("بلقاسم", "Bel Kacem"),
    ("Belkacem", "Bel Kacem"),
    ("بن يوسف", "Benyoussef"),
    ("Bin Yusuf", "Benyoussef"),
    ("عبد الرحمن", "Abderrahmane"),
    ("عبد الرحمن", "Abdul Rahman"),
    ("عبدالرحمن", "Abd al-Rahman"),
    ("Abdul Rahman", "Abderrahmane"),
    ("عبد القادر", "Abdelkader"),
    ("Abdelkader", "Abd al-Qadir"),
    ("عبد الله", "Abdallah"),
    ("عبد الله", "Abdullah"),
    ("عبدالله", "Abdoullah"),
    ("عبد العزيز", "Abdelaziz"),
    ("عبد العزيز", "Abdulaziz"),
    ("عبد الصمد", "Abdessamad"),
    ("نور الدين", "Noureddine"),
    ("نور الدين", "Nour ed-Din"),
    ("نورالدين", "Nur al-Din"),
    ("صلاح الدين", "Salaheddine"),
    ("صلاح الدين", "Salah ad-Din"),
    ("عز الدين", "Azzedine"),
    ("أبو بكر", "Aboubakar"),
    ("أبو بكر", "Abu Bakr"),
    ("بن علي", "Benali"),
    ("بنعلي", "Ben Ali"),
    // A patronymic on a compound name: one unit, however it is cut.
    ("بن عبد الرحمن", "Ben Abderrahmane"),
    ("بن عبد الرحمن", "Bin Abd al-Rahman"),
    ("Ben Abdallah", "بن عبد الله"),
    ("أبو عبد الله", "Abu Abdallah"),
    ("ابن علي", "Ibn Ali"),
    ("Bou Azza", "Bouazza"),
    ("الشامي", "Ech-Chami"),
    ("الشامي", "ash-Shami"),
    ("السيد", "Es-Sayed"),
    ("الإدريسي", "El Idrissi"),
    ("الإدريسي", "Elidrissi"),
    ("العمراني", "El Amrani"),
    ("المنصوري", "Elmansouri"),
    ("الناجي", "Ennaji"),
    // Kunyas.
    ("أم آدم", "Umm Adam"),
    ("أم آدم", "Oum Adam"),
    ("أم آدم", "Um Adam"),
    ("أبو حمزة", "Abu Hamza"),
    ("أبو حمزة", "Abou Hamza"),
    ("ام عبدالله", "Umm Abdullah"),
    // Full names: order, script mix, an extra token.
    ("Samira Bouazzaoui", "سميرة بوعزاوي"),
    ("Samira Bouazzaoui", "Bouazzaoui Samira"),
    ("Samira Bouazzaoui", "BOUAZZAOUI, Samira"),
    ("Samira Bouazzaoui", "Sameera Bu Azawi"),
    ("Samira Bouazzaoui", "Sameera Bu Azawi Janssens"),
    ("Samira Bouazzaoui", "Samira بوعزاوي"),
    ("Aicha Benali", "عائشة بن علي"),
    ("Khadija bint Ahmed", "Khadidja Ahmed"),
    ("Fatima al-Hassan", "فاطمة الحسن"),
    ("Mohamed Ali Ahmed", "Ahmed Mohammed Ali"),
    ("Mohamed Ali Ahmed", "محمد علي أحمد"),
    ("Youssef Abderrahmane", "يوسف عبد الرحمن"),
    // Honorifics and initials.
    ("Mme Samira Bouazzaoui", "Samira Bouazzaoui"),
    ("Mrs. Aisha Benali", "عائشة بن علي"),
    ("Sra. Aisha Benali", "Aisha Benali"),
    // "Sra" is Sara with its vowel lost, not an honorific, when only a family name follows.
    ("Sra Alaoui", "سارة العلوي"),
    ("S. Bouazzaoui", "Samira Bouazzaoui"),
    ("A. Bouazzaoui", "عائشة بوعزاوي"),
    // Arabic-script variation.
    ("مُحَمَّد", "محمد"),
    ("محـــمد", "محمد"),
    ("ﻣﺤﻤﺪ", "محمد"),
    ("کریمه", "كريمة"),
    ("عايشه", "عائشة"),
    ("ليلي", "ليلى"),
    ("مؤمن", "مومن"),
    // Russian-language lists.
    ("Хадижат", "Khadizhat"),
    ("Хадижат", "خديجة"),
    ("Айшат", "Aishat"),
    ("Зарема", "Zarema"),
    ("Мадина", "Madina"),
    ("Мадина", "مدينة"),
    // Text-message Arabizi.
    ("3aisha", "عائشة"),
    ("Mo7amed", "محمد"),
    ("7assan", "Hassan"),
];

/// Different names: similarity < SAME_NAME.
const MUST_NOT_MEET: &[(&str, &str)] = &[
    ("Aisha Ahmed", "Fatima Ahmed"),
    ("عائشة أحمد", "Fatima Ahmed"),
    // Samira and Samir are the feminine and masculine of one name, but they name
    // different people: the final vowel is written in both scripts and kept apart.
    ("Samira", "Samir"),
    ("سميرة", "سمير"),
    ("Samira", "سمير"),
    ("سميرة", "Samir"),
    ("Karima", "Karim"),
    ("Amina", "Amin"),
    ("Mohammed", "Mahmoud"),
    ("Muhammad", "Mahmud"),
    ("محمد", "محمود"),
    ("Mohammed", "محمود"),
    ("Mohamed", "محمود"),
    ("Hassan", "Hussein"),
    ("Hasan", "Husain"),
    ("حسن", "حسين"),
    ("Hassan", "حسين"),
    ("Hussein", "حسن"),
    ("Aisha", "Aissa"),
    ("Ali", "Alia"),
    ("Omar", "Amr"),
    ("Omar", "Ammar"),
    ("Said", "Saad"),
    ("Fatima", "Fatiha"),
    ("Ahmed", "Hamid"),
    ("Ahmed", "Mohammed"),
    ("Nadia", "Nadir"),
    ("Adam", "Aden"),
    ("Salma", "Salim"),
    ("Youssef", "Yunus"),
    ("Samira", "Zainab"),
    ("Umm Adam", "Adam"),
    ("Umm Adam", "Abu Adam"),
    ("Umm Adam", "Umm Hamza"),
    ("Samira Bouazzaoui", "Samira Benali"),
    ("Khadija Benali", "Zainab Benali"),
    ("K. Ahmed", "Mohammed Ahmed"),
    ("S. Bouazzaoui", "Aicha Bouazzaoui"),
    // Kept as a name, "Sra" is Sara's, not anyone's with that family name.
    ("Sra Alaoui", "Hind Alaoui"),
];

/// Pairs that share a skeleton and meet at SAME_NAME when one side is Arabic
/// without vowels, but separate at STRICT_SAME_NAME.
const STRICT_APART: &[(&str, &str)] = &[
    ("Hassan", "Hussein"),
    ("Hussein", "حسن"),
    ("Hassan", "حسين"),
    ("Mahmoud", "محمد"),
    ("Mohammed", "محمود"),
];

#[test]
fn variants_meet() {
    let mut failures = Vec::new();
    for (a, b) in MUST_MEET {
        let s = name_similarity(a, b);
        if s < SAME_NAME {
            failures.push(format!(
                "{a} / {b}: {s:.3} [{}] [{}]",
                comparison_key(a),
                comparison_key(b)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs below {SAME_NAME}:\n{}",
        failures.len(),
        MUST_MEET.len(),
        failures.join("\n")
    );
}

/// Stored names are often normalised; normalised spellings must meet as well.
#[test]
fn normalised_variants_meet() {
    let mut failures = Vec::new();
    for (a, b) in MUST_MEET {
        let (na, nb) = (names::normalise(a), names::normalise(b));
        let s = name_similarity(&na, &nb);
        if s < SAME_NAME {
            failures.push(format!("{na} / {nb}: {s:.3}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn different_names_stay_apart() {
    let mut failures = Vec::new();
    for (a, b) in MUST_NOT_MEET {
        let s = name_similarity(a, b);
        if s >= SAME_NAME {
            failures.push(format!("{a} / {b}: {s:.3}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn strict_threshold_separates_shared_skeletons() {
    for (a, b) in STRICT_APART {
        let s = name_similarity(a, b);
        assert!(s < STRICT_SAME_NAME, "{a} / {b}: {s:.3}");
    }
}

/// Most spellings in the table get the very same comparison key; list the ones
/// that must.
#[test]
fn keys_equal_across_scripts() {
    for (a, b) in [
        ("سميرة", "Samira"),
        ("سميرة", "Sameera"),
        ("سميرة", "Smira"),
        ("بوعزاوي", "Bouazzaoui"),
        ("بوعزاوي", "Bu Azawi"),
        ("بوعزاوي", "Bouazzawi"),
        ("عائشة", "Aisha"),
        ("عائشة", "Aicha"),
        ("عائشة", "Ayesha"),
        ("محمد", "Mohammed"),
        ("محمد", "Muhammad"),
        ("محمد", "Mohamed"),
        ("خديجة", "Khadija"),
        ("خديجة", "Khadidja"),
        ("يوسف", "Youssef"),
        ("يوسف", "Yusuf"),
        ("الحسن", "al-Hassan"),
        ("الحسن", "El Hasan"),
        ("الحسن", "Alhassan"),
        ("Samira Bouazzaoui", "سميرة بوعزاوي"),
        ("Umm Adam", "أم آدم"),
        ("بن عبد الرحمن", "Ben Abderrahmane"),
        ("بن عبد الرحمن", "Bin Abd al-Rahman"),
    ] {
        assert_eq!(comparison_key(a), comparison_key(b), "{a} / {b}");
    }
}

#[test]
fn blocking_keys_keep_true_pairs_together() {
    let mut misses = Vec::new();
    for (a, b) in MUST_MEET {
        // Blocking is on a single (folded) token: compare single-token names.
        let (ka, kb) = (phonetic_key(a), phonetic_key(b));
        let single = tokens(a).len() == 1 && tokens(b).len() == 1;
        if single && ka != kb {
            misses.push(format!("{a} [{ka}] / {b} [{kb}]"));
        }
    }
    // A few single-token pairs differ in a consonant class (Hadiza, Kadija, Chalid,
    // Osman, Rada, Ghislane, Issa, Kacem/Qasim ...); most must share the block.
    eprintln!("{} blocking misses:\n{}", misses.len(), misses.join("\n"));
    assert!(misses.len() <= 12, "{}", misses.join("\n"));
}

#[test]
fn ranking_prefers_the_closer_spelling() {
    assert!(name_similarity("Samira", "Sameera") > name_similarity("Samira", "Samir"));
    assert!(name_similarity("حسين", "Hussein") > name_similarity("حسين", "Hassan"));
    assert!(name_similarity("محمود", "Mahmoud") > name_similarity("محمود", "Mohammed"));
    assert!(
        name_similarity("Samira Bouazzaoui", "Samira Bouazzaoui")
            > name_similarity("Samira Bouazzaoui", "Samira Bouazzaoui Janssens")
    );
}

#[test]
fn token_set_is_order_insensitive_and_tolerant() {
    assert_eq!(token_set_similarity("Ali Ahmed", "Ahmed Ali"), 1.0);
    assert!(token_set_similarity("Samira Bouazzaoui", "Samira Bouazzaoui Janssens") >= 0.85);
    assert!(token_set_similarity("Aisha Ahmed", "Fatima Ahmed") < 0.85);
    assert_eq!(token_set_similarity("", "Samira"), 0.0);
}
