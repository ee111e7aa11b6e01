"""A seeded generator of camp-like person records from several lists.

Every person is synthetic: names are common given names combined with family names
at random, never a real person. The same people appear in:

- `camp`  — a camp administration list in Arabic script: full name (given, family),
            father's name, year-only births, households;
- `gov`   — a government list in Latin script: given and family name (maiden name for
            women), full dates of birth, nationalities;
- `ngo`   — an NGO list in another romanisation with typos, married names for women,
            month or year births, place;
- `msg`   — reports from messages: some women known only by a kunya ("Umm Adam
            al-Beljikiya", "أم آدم"), with a place and sometimes a nationality.

Ids are `p-N-SOURCE`: `p-N` is the person, used only to score results.

    python generate_camp.py --households 600 --seed 3 --out data/camp.csv

`--legacy` writes the first version's data, kept to compare with earlier figures: in it
a mother could be 8 to 14 at a child's birth, and her kunya named the first child drawn
rather than her eldest (docs/benchmarks.md, "Names and linkage").
"""

import argparse
import csv
import os
import random

# (Arabic, Latin spellings...)
WOMEN = [
    ("سميرة", "Samira", "Sameera", "Smira"), ("فاطمة", "Fatima", "Fatma", "Fatimah"),
    ("عائشة", "Aisha", "Aicha", "Ayesha"), ("خديجة", "Khadija", "Khadidja", "Khadeeja"),
    ("مريم", "Maryam", "Mariam", "Meryem"), ("زينب", "Zainab", "Zeinab", "Zaynab"),
    ("أسماء", "Asma", "Asmaa"), ("نور", "Nour", "Noor", "Nur"), ("هاجر", "Hajar", "Hajer"),
    ("سارة", "Sara", "Sarah"), ("ليلى", "Layla", "Leila", "Laila"), ("يسرى", "Yusra", "Yousra"),
    ("أمينة", "Amina", "Aminah"), ("حليمة", "Halima", "Halimah"), ("صفية", "Safiya", "Safia"),
    ("رقية", "Ruqayya", "Rukaya"), ("هند", "Hind", "Hinde"), ("سلمى", "Salma", "Selma"),
    ("لورا", "Laura", "Lora"), ("نادية", "Nadia", "Nadiya"), ("هبة", "Hiba", "Heba"),
    ("دعاء", "Duaa", "Doaa"), ("منى", "Mona", "Muna"), ("رحمة", "Rahma", "Rahmah"),
    ("سمية", "Sumaya", "Soumaya"), ("وفاء", "Wafa", "Wafaa"), ("جميلة", "Jamila", "Djamila"),
    ("كريمة", "Karima", "Kerima"), ("نعيمة", "Naima", "Naeema"), ("لطيفة", "Latifa", "Lateefa"),
    ("حنان", "Hanan", "Hanane"), ("سعاد", "Souad", "Suad"), ("ياسمين", "Yasmine", "Yasmin"),
    ("شيماء", "Shaima", "Chaima"), ("بشرى", "Bushra", "Bouchra"),
]
MEN = [
    ("آدم", "Adam", "Adem"), ("يوسف", "Youssef", "Yusuf", "Yousef"),
    ("إبراهيم", "Ibrahim", "Ebrahim"), ("عمر", "Omar", "Umar"), ("حمزة", "Hamza", "Hamzah"),
    ("عبد الله", "Abdullah", "Abdallah", "Abd Allah"),
    ("عبد الرحمن", "Abderrahmane", "Abdulrahman", "Abd al-Rahman"),
    ("محمد", "Mohammed", "Muhammad", "Mohamed"), ("يحيى", "Yahya", "Yehya"),
    ("إسماعيل", "Ismail", "Ismael"), ("بلال", "Bilal", "Bilel"), ("أيوب", "Ayoub", "Ayyub"),
    ("زكريا", "Zakaria", "Zakariya"), ("موسى", "Moussa", "Musa"), ("عيسى", "Issa", "Isa"),
    ("خالد", "Khalid", "Khaled"), ("طارق", "Tariq", "Tarek"), ("أنس", "Anas", "Annas"),
    ("مصعب", "Musab", "Mosab"), ("سليمان", "Suleiman", "Sulayman", "Slimane"),
    ("حسن", "Hassan", "Hasan"), ("علي", "Ali", "Aly"), ("أحمد", "Ahmed", "Ahmad"),
    ("سعيد", "Said", "Saeed"), ("جابر", "Jaber", "Jabir"), ("نبيل", "Nabil", "Nabeel"),
    ("رشيد", "Rachid", "Rashid"), ("كريم", "Karim", "Kareem"), ("ياسين", "Yassine", "Yasin"),
    ("إلياس", "Ilyas", "Elias"), ("صالح", "Saleh", "Salih"), ("فيصل", "Faisal", "Faycal"),
    ("جعفر", "Jafar", "Jaafar"), ("معاذ", "Muadh", "Mouad"), ("هارون", "Harun", "Haroun"),
]
FAMILIES = [
    ("بوعزاوي", "Bouazzaoui", "Bu Azawi", "Bouazaoui"), ("الحسني", "El Hassani", "Al-Hasani", "Alhassani"),
    ("بن علي", "Ben Ali", "Bin Ali"), ("المغربي", "El Maghribi", "Al-Maghrebi"),
    ("العمراني", "El Amrani", "Al-Amrani", "Amrani"), ("الفاسي", "El Fassi", "Al-Fasi"),
    ("بنعيسى", "Benaissa", "Ben Issa"), ("الإدريسي", "El Idrissi", "Al-Idrisi"),
    ("الشريف", "Cherif", "Al-Sharif"), ("الخطيب", "El Khatib", "Al-Khatib"),
    ("المنصوري", "Mansouri", "Al-Mansouri"), ("حداد", "Haddad", "Hadad"),
    ("العلوي", "Alaoui", "Al-Alawi"), ("السعيدي", "Saidi", "Al-Saidi"),
    ("البكري", "El Bakri", "Al-Bakri"), ("الناصري", "Nasiri", "En-Nasiri"),
    ("مارتنس", "Martens", "Maertens"), ("ليندبرغ", "Lindberg", "Lindbergh"),
    ("الزياني", "Zayani", "Ez-Zayani"), ("القرشي", "Al-Qurashi", "El Korchi"),
    ("التميمي", "Al-Tamimi", "Tamimi"), ("الجزائري", "El Djazairi", "Al-Jazairi"),
    ("الشامي", "Chami", "Al-Shami"), ("العطار", "Al-Attar", "Attar"),
    ("الحلبي", "Al-Halabi", "Halabi"), ("المصري", "Al-Masri", "El Masry"),
    ("العراقي", "Al-Iraqi", "El Iraki"), ("الحمصي", "Al-Homsi", "Homsi"),
    ("البغدادي", "Al-Baghdadi", "Baghdadi"), ("الكردي", "Al-Kurdi", "El Kurdi"),
    ("الليبي", "Al-Libi", "Libi"), ("اليمني", "Al-Yamani", "Yemeni"),
    ("السوداني", "Al-Sudani", "Soudani"), ("الأنصاري", "Al-Ansari", "Ansari"),
    ("الزبيدي", "Al-Zubaidi", "Zoubaidi"), ("الشمري", "Al-Shammari", "Shammari"),
    ("العبيدي", "Al-Obeidi", "Obeidi"), ("الجبوري", "Al-Jubouri", "Jbouri"),
    ("الحربي", "Al-Harbi", "Harbi"), ("العتيبي", "Al-Otaibi", "Otaibi"),
    ("القحطاني", "Al-Qahtani", "Kahtani"), ("الغامدي", "Al-Ghamdi", "Ghamdi"),
    ("المطيري", "Al-Mutairi", "Mtairi"), ("الهاشمي", "Al-Hashimi", "Hachemi"),
    ("الدوسري", "Al-Dosari", "Dossari"), ("العنزي", "Al-Anazi", "Enezi"),
]
# Patronymic family names: Ben Youssef / بن يوسف.
FAMILIES += [(f"بن {m[0]}", f"Ben {m[1]}", f"Bin {m[-1]}") for m in MEN[:20]]
NATIONS = [("BE", "al-Beljikiya", "البلجيكية"), ("FR", "al-Faransiya", "الفرنسية"),
           ("NL", "al-Hollandiya", "الهولندية"), ("DE", "al-Almaniya", "الألمانية"),
           ("SE", "al-Swediya", "السويدية"), ("GB", "al-Britaniya", "البريطانية"),
           ("TN", "al-Tunisiya", "التونسية"), ("MA", "al-Maghribiya", "المغربية"),
           ("RU", "al-Rusiya", "الروسية"), ("US", "al-Amrikiya", "الأمريكية")]
CAMPS = ["Roj", "Ain Issa", "Al-Hol"]
# A mother is at least this old when her first child is born.
MOTHER_AGE = 15
COLUMNS = ["id", "source", "full_name", "given_name", "family_name", "sex", "birth_date",
           "nationalities", "place", "father_name", "household"]


def latin(rng, entry, prefer=None):
    options = entry[1:]
    return options[prefer % len(options)] if prefer is not None else rng.choice(options)


def typo(rng, s):
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1:]
    if op < 0.7:
        return s[:i] + s[i] + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def make_people(rng, households, legacy=False):
    """The story: per household a mother and one to four children, with their names in
    every spelling, births, nationalities and camp. Each person is a dict; a mother's
    `children` lists hers, eldest first: her kunya names the eldest.

    `legacy` makes the first version's people, which broke that story in two ways: a
    child could be born when the mother was 8 to 14 (births were drawn independently),
    and the kunya named the first child drawn rather than the eldest."""
    people = []  # dicts
    for h in range(households):
        nat = rng.choice(NATIONS)
        nats = [nat[0]] + ([rng.choice(["MA", "TN", "DZ"])] if rng.random() < 0.15 else [])
        camp = rng.choice(CAMPS)
        maiden = rng.choice(FAMILIES)
        married = rng.choice(FAMILIES)
        husband = rng.choice(MEN)
        mother = {
            "pid": len(people), "h": h, "sex": "F", "given": rng.choice(WOMEN), "maiden": maiden,
            "married": married, "father": rng.choice(MEN),
            "birth": (rng.randrange(1975, 2001), rng.randrange(1, 13), rng.randrange(1, 29)),
            "nats": nats, "camp": camp, "nation": nat, "children": [],
        }
        people.append(mother)
        used = set()
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            sex = rng.choice("MF")
            while True:
                g = rng.choice(MEN if sex == "M" else WOMEN)
                if g[0] not in used:
                    used.add(g[0])
                    break
            child = {
                "pid": len(people), "h": h, "sex": sex, "given": g, "maiden": married,
                "married": married, "father": husband,
                "birth": (rng.randrange(2008 if legacy else max(2008, mother["birth"][0] + MOTHER_AGE), 2020),
                          rng.randrange(1, 13), rng.randrange(1, 29)),
                "nats": nats, "camp": camp, "nation": nat, "children": [],
            }
            mother["children"].append(child)
            people.append(child)
        if not legacy:
            mother["children"].sort(key=lambda c: c["birth"])
    return people


def make_rows(rng, people):
    """The lists' records of `people`, each list with its own script, spelling, gaps and
    errors, in shuffled order."""
    rows = []

    def add(p, source, **cols):
        r = {c: "" for c in COLUMNS}
        r.update(cols)
        r["id"] = f"p-{p['pid']}-{source}"
        r["source"] = source
        rows.append(r)

    for p in people:
        y, m, d = p["birth"]
        is_mother = p["sex"] == "F" and p["children"]
        # Camp administration list, Arabic script.
        if rng.random() < 0.85:
            fam = p["married"] if is_mother and rng.random() < 0.3 else p["maiden"]
            add(p, "camp", full_name=f"{p['given'][0]} {fam[0]}", sex=p["sex"],
                birth_date=str(y), father_name=p["father"][0], place=p["camp"],
                household=f"c{p['h']}")
        # Government list, Latin script, maiden names, full dates.
        if rng.random() < 0.75:
            add(p, "gov", given_name=latin(rng, p["given"], 0), family_name=latin(rng, p["maiden"], 0),
                sex=p["sex"], birth_date=f"{y:04d}-{m:02d}-{d:02d}",
                nationalities=";".join(p["nats"]) + (":disputed" if rng.random() < 0.1 else ""),
                household=f"g{p['h']}")
        # NGO list: another romanisation, typos, married names, coarse births.
        if rng.random() < 0.7:
            given = latin(rng, p["given"])
            fam = latin(rng, p["married"] if is_mother else p["maiden"])
            if rng.random() < 0.25:
                given = typo(rng, given)
            if rng.random() < 0.2:
                fam = typo(rng, fam)
            full = f"{fam} {given}" if rng.random() < 0.2 else f"{given} {fam}"
            birth = f"{y:04d}-{m:02d}" if rng.random() < 0.5 else (
                str(y) if rng.random() < 0.7 else str(y + rng.choice([-1, 1])))
            add(p, "ngo", full_name=full, sex=p["sex"] if rng.random() < 0.9 else "",
                birth_date=birth, nationalities=p["nats"][0] if rng.random() < 0.6 else "",
                place=p["camp"] if rng.random() < 0.8 else "",
                father_name=latin(rng, p["father"]) if rng.random() < 0.4 else "",
                household=f"n{p['h']}")
        # Messages: a mother known only by her kunya (her eldest child's name).
        if is_mother and rng.random() < 0.35:
            child = p["children"][0]["given"]
            if rng.random() < 0.5:
                kunya = f"أم {child[0]}" + (f" {p['nation'][2]}" if rng.random() < 0.6 else "")
            else:
                kunya = f"Umm {latin(rng, child)}" + (f" {p['nation'][1]}" if rng.random() < 0.6 else "")
            add(p, "msg", full_name=kunya, sex="F", place=p["camp"] if rng.random() < 0.8 else "",
                nationalities=p["nats"][0] if rng.random() < 0.3 else "")
    rng.shuffle(rows)
    return rows


def generate(households, seed, legacy=False):
    """The people and the records of one seeded run: `(people, rows)`."""
    rng = random.Random(seed)
    people = make_people(rng, households, legacy)
    return people, make_rows(rng, people)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=600)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out", required=True)
    ap.add_argument("--legacy", action="store_true",
                    help="the first version's data (mothers of 8 to 14; kunya of the first child drawn)")
    a = ap.parse_args()
    people, rows = generate(a.households, a.seed, a.legacy)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} records of {len(people)} people in {a.households} households written to {a.out}")


if __name__ == "__main__":
    main()
