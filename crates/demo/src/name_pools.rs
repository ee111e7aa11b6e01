//! Name pools. Every name here is a common given name or a generic family name; the
//! generator combines them at random, so no entry, and no deliberate combination, is a
//! real person's name. Combinations that would recall someone well known are kept out by
//! leaving such family names out of the pools altogether.
//!
//! Arabic names carry their Arabic-script form and romanisations: an English-style one
//! (u, sh, j, al-), a French-style one (ou, ch, dj, el-), and other spellings found in
//! lists (Samira / Sameera / Smira). Tables are fixed-size arrays so that drawing from
//! them cannot fail.

/// An Arabic name and how lists write it in Latin script.
#[derive(Clone, Copy, Debug)]
pub struct Romanised {
    pub arabic: &'static str,
    pub english: &'static str,
    pub french: &'static str,
    /// Further spellings seen in lists; may be empty.
    pub other: &'static [&'static str],
}

const fn r(
    arabic: &'static str,
    english: &'static str,
    french: &'static str,
    other: &'static [&'static str],
) -> Romanised {
    Romanised {
        arabic,
        english,
        french,
        other,
    }
}

pub const FEMALE_ARABIC: [Romanised; 43] = [
    r("سميرة", "Samira", "Samira", &["Sameera", "Smira"]),
    r("فاطمة", "Fatima", "Fatma", &["Fatimah", "Fatema"]),
    r("خديجة", "Khadija", "Khadidja", &["Khadeeja", "Kadija"]),
    r("عائشة", "Aisha", "Aicha", &["Ayesha", "Aysha", "Aïcha"]),
    r("مريم", "Maryam", "Meryem", &["Mariam", "Myriam"]),
    r("زينب", "Zaynab", "Zineb", &["Zeinab", "Zainab"]),
    r("أسماء", "Asma", "Asmae", &["Asmaa", "Esma"]),
    r("حفصة", "Hafsa", "Hafsa", &["Hafsah", "Hafssa"]),
    r("سمية", "Sumayya", "Soumaya", &["Sumaya", "Soumia"]),
    r("نور", "Nour", "Nour", &["Noor", "Nur"]),
    r("هدى", "Huda", "Houda", &["Hoda"]),
    r("سارة", "Sara", "Sarra", &["Sarah"]),
    r("رقية", "Ruqayya", "Roukaya", &["Ruqaya", "Rokia"]),
    r("أمينة", "Amina", "Amina", &["Aminah", "Ameena"]),
    r("ليلى", "Layla", "Leila", &["Laila", "Leïla"]),
    r("صفية", "Safiyya", "Safia", &["Safiya"]),
    r("جميلة", "Jamila", "Djamila", &["Jameela"]),
    r("نادية", "Nadia", "Nadia", &["Nadiya", "Nadya"]),
    r("وفاء", "Wafa", "Wafae", &["Wafaa"]),
    r("إيمان", "Iman", "Imane", &["Eman"]),
    r("حليمة", "Halima", "Halima", &["Haleema", "Halimah"]),
    r("رحمة", "Rahma", "Rahma", &["Rahmah"]),
    r("سلمى", "Salma", "Selma", &["Salmaa"]),
    r("شيماء", "Shaima", "Chaima", &["Shaymaa", "Chaïma"]),
    r("هاجر", "Hajar", "Hadjer", &["Hajer"]),
    r("ياسمين", "Yasmin", "Yasmine", &["Jasmin"]),
    r("سعاد", "Suad", "Souad", &["Soad"]),
    r("نجاة", "Najat", "Nadjat", &["Najah"]),
    r("كريمة", "Karima", "Karima", &["Kareema"]),
    r("لطيفة", "Latifa", "Latifa", &["Lateefa"]),
    r("منى", "Muna", "Mouna", &["Mona"]),
    r("رشيدة", "Rashida", "Rachida", &["Rasheeda"]),
    r("نعيمة", "Naima", "Naïma", &["Naeema"]),
    r("سهام", "Siham", "Siham", &["Seham"]),
    r("وداد", "Widad", "Wided", &["Wedad"]),
    r("بشرى", "Bushra", "Bouchra", &["Boushra"]),
    r("غادة", "Ghada", "Ghada", &["Rhada"]),
    r("رانيا", "Rania", "Rania", &["Ranya"]),
    r("دعاء", "Duaa", "Douaa", &["Doaa", "Dua"]),
    r("آمنة", "Amna", "Amna", &["Aamina", "Emna"]),
    r("عفاف", "Afaf", "Afef", &["Afaaf"]),
    r("هند", "Hind", "Hind", &["Hend"]),
    r("ملك", "Malak", "Malak", &["Malek"]),
];

pub const MALE_ARABIC: [Romanised; 41] = [
    r("آدم", "Adam", "Adam", &["Aadam"]),
    r("يوسف", "Yusuf", "Youssef", &["Yousef", "Yossef"]),
    r(
        "محمد",
        "Muhammad",
        "Mohamed",
        &["Mohammed", "Mohamad", "Mhamed"],
    ),
    r("أحمد", "Ahmad", "Ahmed", &["Ahmet"]),
    r("عمر", "Umar", "Omar", &["Omer"]),
    r("علي", "Ali", "Ali", &["Aly"]),
    r("إبراهيم", "Ibrahim", "Brahim", &["Ebrahim"]),
    r("إسماعيل", "Ismail", "Smail", &["Ismaïl", "Esmail"]),
    r("حمزة", "Hamza", "Hamza", &["Hamzah"]),
    r(
        "عبد الله",
        "Abdullah",
        "Abdallah",
        &["Abdellah", "Abd Allah"],
    ),
    r(
        "عبد الرحمن",
        "Abdulrahman",
        "Abderrahmane",
        &["Abdel Rahman", "Abdurrahman"],
    ),
    r("خالد", "Khalid", "Khaled", &["Haled"]),
    r("مصطفى", "Mustafa", "Moustapha", &["Mostafa"]),
    r("زكريا", "Zakariya", "Zakaria", &["Zakariyya"]),
    r("يحيى", "Yahya", "Yahia", &["Yehia"]),
    r("سليمان", "Sulayman", "Slimane", &["Suleiman", "Souleymane"]),
    r("موسى", "Musa", "Moussa", &["Mousa"]),
    r("عيسى", "Isa", "Issa", &["Eissa"]),
    r("بلال", "Bilal", "Bilel", &["Belal"]),
    r("أسامة", "Usama", "Oussama", &["Osama"]),
    r("جعفر", "Jafar", "Djaafar", &["Jaafar"]),
    r("طارق", "Tariq", "Tarek", &["Tarik"]),
    r("حسن", "Hasan", "Hassan", &["Hassen"]),
    r("حسين", "Husayn", "Houcine", &["Hussein", "Hussain"]),
    r("نوح", "Nuh", "Nouh", &["Nooh"]),
    r("إلياس", "Ilyas", "Ilias", &["Elias"]),
    r("أنس", "Anas", "Anas", &["Enes"]),
    r("معاذ", "Muadh", "Mouad", &["Moaz", "Muaz"]),
    r("سفيان", "Sufyan", "Soufiane", &["Sofian"]),
    r("عثمان", "Uthman", "Othmane", &["Osman", "Othman"]),
    r("ياسين", "Yasin", "Yassine", &["Yaseen"]),
    r("إدريس", "Idris", "Driss", &["Idriss"]),
    r("أيوب", "Ayyub", "Ayoub", &["Ayub"]),
    r("هارون", "Harun", "Haroun", &["Haroon"]),
    r("سعد", "Saad", "Saad", &["Sa'd"]),
    r("صالح", "Salih", "Saleh", &["Saalih"]),
    r("جابر", "Jabir", "Djaber", &["Jaber"]),
    r("مالك", "Malik", "Malek", &["Maalik"]),
    r("عمار", "Ammar", "Ammar", &["Amar"]),
    r("زياد", "Ziyad", "Ziad", &["Zyad"]),
    r("كريم", "Karim", "Karim", &["Kareem"]),
];

/// Iraqi and Syrian family and tribal names, with the article.
pub const FAMILY_MASHRIQ: [Romanised; 32] = [
    r(
        "الجبوري",
        "al-Jubouri",
        "El Jbouri",
        &["Al Jubury", "Jabouri"],
    ),
    r("العبيدي", "al-Obaidi", "El Obeidi", &["Al Ubaydi"]),
    r("الدليمي", "al-Dulaimi", "Dlimi", &["Al Dulaymi"]),
    r("الزبيدي", "al-Zubaidi", "Zoubaidi", &["Al Zubaydi"]),
    r("التميمي", "al-Tamimi", "Et-Tamimi", &["Al Tameemi"]),
    r("الشمري", "al-Shammari", "Chammari", &["Al Shamari"]),
    r("الحداد", "al-Haddad", "El Haddad", &["Haddad"]),
    r("النجار", "al-Najjar", "En-Najjar", &["Najjar", "Nadjar"]),
    r("الخطيب", "al-Khatib", "El Khatib", &["Khatib"]),
    r("العلي", "al-Ali", "El Ali", &["Al Aly"]),
    r("الأحمد", "al-Ahmad", "El Ahmed", &["Al Ahmed"]),
    r("الحسن", "al-Hasan", "El Hassan", &["Al Hassan"]),
    r("المصري", "al-Masri", "El Masri", &["Masri"]),
    r("الشامي", "al-Shami", "Ech-Chami", &["Chami", "Al Shamy"]),
    r("الحلبي", "al-Halabi", "El Halabi", &["Halabi"]),
    r("الكردي", "al-Kurdi", "El Kurdi", &["Kurdi"]),
    r("السعدي", "al-Saadi", "Es-Saadi", &["Al Sa'di"]),
    r("الراوي", "al-Rawi", "Er-Raoui", &["Rawi"]),
    r("العاني", "al-Ani", "El Ani", &["Al Aani"]),
    r("الحمداني", "al-Hamdani", "El Hamdani", &["Hamdani"]),
    r("الجميلي", "al-Jumaili", "El Djoumaili", &["Al Jumaily"]),
    r("الفلاحي", "al-Falahi", "El Fellahi", &["Falahi"]),
    r("الخالدي", "al-Khalidi", "El Khaldi", &["Al Khalidy"]),
    r("العزاوي", "al-Azzawi", "El Azzaoui", &["Al Azawi"]),
    r("الربيعي", "al-Rubaie", "Er-Roubaii", &["Al Rubai"]),
    r("الموصلي", "al-Mawsili", "El Moussili", &["Mosuli"]),
    r("الحمصي", "al-Homsi", "El Homsi", &["Homsi"]),
    r("الديري", "al-Deiri", "Ed-Deiri", &["Deiri"]),
    r("الرقاوي", "al-Raqqawi", "Er-Raqqaoui", &["Raqawi"]),
    r("البكري", "al-Bakri", "El Bekri", &["Bakri"]),
    r("الحمد", "al-Hamad", "El Hamad", &["Hamad"]),
    r("العكيدي", "al-Ukaidi", "El Oukaidi", &["Al Okaidi"]),
];

/// Tunisian, Moroccan and Algerian family names.
pub const FAMILY_MAGHREB: [Romanised; 24] = [
    r(
        "بوعزاوي",
        "Bu Azawi",
        "Bouazzaoui",
        &["Bou Azzaoui", "Bouazaoui"],
    ),
    r("الجزيري", "al-Jaziri", "Jaziri", &["Djaziri"]),
    r("الإدريسي", "al-Idrisi", "Idrissi", &["El Idrissi"]),
    r("الفاسي", "al-Fasi", "El Fassi", &["Fassi"]),
    r("بنعيسى", "Bin Isa", "Benaissa", &["Ben Aissa"]),
    r("بوزيد", "Bu Zayd", "Bouzid", &["Bou Zid"]),
    r("الشريف", "al-Sharif", "Cherif", &["Chérif", "Sherif"]),
    r("الهاشمي", "al-Hashimi", "Hachemi", &["El Hachemi"]),
    r("المنصوري", "al-Mansuri", "Mansouri", &["El Mansouri"]),
    r("العمراني", "al-Amrani", "Amrani", &["El Amrani"]),
    r("السعيدي", "al-Saidi", "Saidi", &["Es-Saidi"]),
    r("بن سالم", "Bin Salim", "Ben Salem", &["Bensalem"]),
    r("بن عمر", "Bin Umar", "Benomar", &["Ben Omar"]),
    r("بن يوسف", "Bin Yusuf", "Benyoussef", &["Ben Youssef"]),
    r("الغربي", "al-Gharbi", "Gharbi", &["Rharbi"]),
    r("الزواري", "al-Zawari", "Zouari", &["Zwari"]),
    r("الجلاصي", "al-Jlasi", "Jlassi", &["Djlassi"]),
    r("الحمامي", "al-Hammami", "Hammami", &["Hamami"]),
    r("بلقاسم", "Belqasim", "Belkacem", &["Bel Kacem"]),
    r("الوالي", "al-Wali", "Ouali", &["Elouali"]),
    r("الزياني", "al-Ziyani", "Ziani", &["Zayani"]),
    r("العيادي", "al-Ayadi", "Ayadi", &["Aïadi"]),
    r("التواتي", "al-Tuwati", "Touati", &["Twati"]),
    r("الصغير", "al-Saghir", "Esseghir", &["Sghir"]),
];

/// Given and family names of one naming tradition written in Latin script.
pub struct LatinPool {
    pub given: [&'static str; 16],
    pub family: [&'static str; 16],
}

pub const FRENCH: LatinPool = LatinPool {
    given: [
        "Claire", "Camille", "Julie", "Marion", "Élodie", "Laura", "Pauline", "Émilie", "Sophie",
        "Céline", "Aurélie", "Manon", "Chloé", "Mélanie", "Justine", "Anaïs",
    ],
    family: [
        "Dubois", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
        "Lefèvre", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Mercier",
    ],
};

pub const FLEMISH: LatinPool = LatinPool {
    given: [
        "Lotte",
        "Elke",
        "Sofie",
        "Nathalie",
        "Annelies",
        "Marie",
        "Julie",
        "Laura",
        "Charlotte",
        "Ines",
        "Lien",
        "Hanne",
        "Eline",
        "Jolien",
        "Sarah",
        "Kelly",
    ],
    family: [
        "Peeters",
        "Janssens",
        "Maes",
        "Jacobs",
        "Mertens",
        "Willems",
        "Claes",
        "Goossens",
        "Wouters",
        "De Smet",
        "Dubois",
        "Lambert",
        "Vermeulen",
        "Hermans",
        "Lemaire",
        "Declercq",
    ],
};

pub const DUTCH: LatinPool = LatinPool {
    given: [
        "Sanne", "Lisa", "Anouk", "Eva", "Fleur", "Iris", "Femke", "Laura", "Kim", "Linda",
        "Esther", "Naomi", "Lotte", "Sophie", "Marloes", "Ilse",
    ],
    family: [
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Hendriks",
        "van Leeuwen",
    ],
};

pub const GERMAN: LatinPool = LatinPool {
    given: [
        "Anna",
        "Lena",
        "Julia",
        "Laura",
        "Katharina",
        "Sarah",
        "Lisa",
        "Jana",
        "Nadine",
        "Sabrina",
        "Jennifer",
        "Vanessa",
        "Melanie",
        "Stefanie",
        "Carina",
        "Janina",
    ],
    family: [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
    ],
};

pub const ENGLISH: LatinPool = LatinPool {
    given: [
        "Emma",
        "Sophie",
        "Hannah",
        "Rebecca",
        "Charlotte",
        "Amy",
        "Laura",
        "Jessica",
        "Lauren",
        "Chloe",
        "Katie",
        "Rachel",
        "Gemma",
        "Hayley",
        "Leanne",
        "Natalie",
    ],
    family: [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "Roberts", "Green", "Hall",
    ],
};

pub const AMERICAN: LatinPool = LatinPool {
    given: [
        "Ashley",
        "Jessica",
        "Amanda",
        "Brittany",
        "Samantha",
        "Megan",
        "Emily",
        "Kayla",
        "Rachel",
        "Lauren",
        "Heather",
        "Stephanie",
        "Danielle",
        "Courtney",
        "Tiffany",
        "Amber",
    ],
    family: [
        "Miller", "Davis", "Anderson", "Thomas", "Jackson", "Harris", "Martin", "Moore", "Clark",
        "Lewis", "Young", "Allen", "King", "Scott", "Hill", "Baker",
    ],
};

pub const CANADIAN: LatinPool = LatinPool {
    given: [
        "Emily",
        "Sarah",
        "Jessica",
        "Megan",
        "Ashley",
        "Stéphanie",
        "Geneviève",
        "Julie",
        "Amanda",
        "Kaitlyn",
        "Mélissa",
        "Vanessa",
        "Caroline",
        "Karine",
        "Brittany",
        "Chantal",
    ],
    family: [
        "Tremblay",
        "Gagnon",
        "Roy",
        "Côté",
        "Bouchard",
        "Gauthier",
        "Morin",
        "Lavoie",
        "Smith",
        "Brown",
        "MacDonald",
        "Campbell",
        "Fortin",
        "Gélinas",
        "Wilson",
        "Martin",
    ],
};

pub const NORDIC: LatinPool = LatinPool {
    given: [
        "Emma", "Elin", "Sara", "Hanna", "Linnea", "Johanna", "Ida", "Frida", "Matilda", "Amanda",
        "Maja", "Sofia", "Mette", "Camilla", "Louise", "Nanna",
    ],
    family: [
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsson",
        "Persson",
        "Svensson",
        "Gustafsson",
        "Pettersson",
        "Lindberg",
        "Jensen",
        "Nielsen",
        "Hansen",
        "Pedersen",
    ],
};

pub const TURKISH: LatinPool = LatinPool {
    given: [
        "Ayşe", "Fatma", "Emine", "Zeynep", "Elif", "Merve", "Büşra", "Esra", "Hatice", "Kübra",
        "Özlem", "Gül", "Sevda", "Dilek", "Tuğba", "Hülya",
    ],
    family: [
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt",
    ],
};

pub const INDONESIAN: LatinPool = LatinPool {
    given: [
        "Siti", "Dewi", "Nur", "Putri", "Rina", "Sri", "Ayu", "Fitri", "Indah", "Wulan", "Ratna",
        "Yuliana", "Ani", "Maya", "Novi", "Eka",
    ],
    family: [
        "Rahayu",
        "Lestari",
        "Wulandari",
        "Hidayati",
        "Susanti",
        "Handayani",
        "Kurniasih",
        "Setiawati",
        "Purnamasari",
        "Sari",
        "Anggraini",
        "Rahmawati",
        "Fitriani",
        "Yuliani",
        "Permatasari",
        "Safitri",
    ],
};

pub const TRINIDADIAN: LatinPool = LatinPool {
    given: [
        "Keisha",
        "Shanice",
        "Aaliyah",
        "Natasha",
        "Kimberly",
        "Candice",
        "Alicia",
        "Stacy-Ann",
        "Renee",
        "Crystal",
        "Nadia",
        "Sherry-Ann",
        "Anisa",
        "Tricia",
        "Shelly",
        "Marissa",
    ],
    family: [
        "Mohammed",
        "Ali",
        "Baptiste",
        "Charles",
        "Joseph",
        "Ramdass",
        "Khan",
        "Hosein",
        "Phillip",
        "Williams",
        "Rampersad",
        "Ramlal",
        "Mitchell",
        "Garcia",
        "Persad",
        "Alexander",
    ],
};

/// A name written in Latin and Cyrillic script (Russia's North Caucasus, Central Asia).
pub type LatinCyrillic = (&'static str, &'static str);

pub struct CyrillicPool {
    pub given: [LatinCyrillic; 16],
    /// Women's forms; sons drop the final -a.
    pub family: [LatinCyrillic; 16],
}

pub const CAUCASUS: CyrillicPool = CyrillicPool {
    given: [
        ("Madina", "Мадина"),
        ("Patimat", "Патимат"),
        ("Aminat", "Аминат"),
        ("Zarema", "Зарема"),
        ("Khadizhat", "Хадижат"),
        ("Saida", "Саида"),
        ("Zaira", "Заира"),
        ("Raisat", "Раисат"),
        ("Milana", "Милана"),
        ("Luiza", "Луиза"),
        ("Elmira", "Эльмира"),
        ("Diana", "Диана"),
        ("Zulfiya", "Зульфия"),
        ("Aishat", "Айшат"),
        ("Kheda", "Хеда"),
        ("Yana", "Яна"),
    ],
    family: [
        ("Magomedova", "Магомедова"),
        ("Gadzhieva", "Гаджиева"),
        ("Abdulaeva", "Абдулаева"),
        ("Ismailova", "Исмаилова"),
        ("Alieva", "Алиева"),
        ("Omarova", "Омарова"),
        ("Ramazanova", "Рамазанова"),
        ("Gasanova", "Гасанова"),
        ("Musaeva", "Мусаева"),
        ("Isaeva", "Исаева"),
        ("Dzhabrailova", "Джабраилова"),
        ("Saidova", "Саидова"),
        ("Yusupova", "Юсупова"),
        ("Akhmedova", "Ахмедова"),
        ("Kurbanova", "Курбанова"),
        ("Ivanova", "Иванова"),
    ],
};

pub const CENTRAL_ASIAN: CyrillicPool = CyrillicPool {
    given: [
        ("Dilnoza", "Дилноза"),
        ("Madina", "Мадина"),
        ("Nilufar", "Нилуфар"),
        ("Zarina", "Зарина"),
        ("Aziza", "Азиза"),
        ("Malika", "Малика"),
        ("Saida", "Саида"),
        ("Kamila", "Камила"),
        ("Aigerim", "Айгерим"),
        ("Gulnaz", "Гульназ"),
        ("Shakhnoza", "Шахноза"),
        ("Feruza", "Феруза"),
        ("Mokhira", "Мохира"),
        ("Nodira", "Нодира"),
        ("Dildora", "Дильдора"),
        ("Asel", "Асель"),
    ],
    family: [
        ("Abdullaeva", "Абдуллаева"),
        ("Rakhimova", "Рахимова"),
        ("Tursunova", "Турсунова"),
        ("Yusupova", "Юсупова"),
        ("Sultanova", "Султанова"),
        ("Umarova", "Умарова"),
        ("Nurlanova", "Нурланова"),
        ("Ergasheva", "Эргашева"),
        ("Khodzhaeva", "Ходжаева"),
        ("Mirzaeva", "Мирзаева"),
        ("Sharipova", "Шарипова"),
        ("Rasulova", "Расулова"),
        ("Nazarova", "Назарова"),
        ("Alimova", "Алимова"),
        ("Saidova", "Саидова"),
        ("Kasymova", "Касымова"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use model::person::Script;

    #[test]
    fn arabic_forms_are_arabic_and_romanisations_latin() {
        for n in FEMALE_ARABIC
            .iter()
            .chain(&MALE_ARABIC)
            .chain(&FAMILY_MASHRIQ)
            .chain(&FAMILY_MAGHREB)
        {
            assert_eq!(Script::of(n.arabic), Script::Arabic, "{}", n.arabic);
            for latin in [n.english, n.french].iter().chain(n.other) {
                assert_eq!(Script::of(latin), Script::Latin, "{latin}");
            }
        }
    }

    #[test]
    fn pools_have_no_duplicate_arabic_forms() {
        for table in [
            &FEMALE_ARABIC[..],
            &MALE_ARABIC[..],
            &FAMILY_MASHRIQ[..],
            &FAMILY_MAGHREB[..],
        ] {
            let mut seen: Vec<&str> = table.iter().map(|n| n.arabic).collect();
            seen.sort_unstable();
            let before = seen.len();
            seen.dedup();
            assert_eq!(seen.len(), before);
        }
    }
}
