//! Interviews and consent, 4-11 October and November: protection staff, with a research
//! NGO, interview foreign mothers in the camps' foreign sections with their children.
//! Each interview is recorded with its language, an interpreter where needed, a sealed
//! transcript and the voice recording (and sometimes a photographed consent form) by
//! hash. In it the mother decides, for herself and — as their mother — for her children:
//!
//! - **tracing**: almost all agree to be looked for; a few refuse;
//! - **sharing with her home government**: most grant it (they want to go home); about a
//!   quarter refuse, fearing prosecution there; some say nothing yet;
//! - **research**: under half agree; in November about a third of them take it back
//!   (after news of trials at home), by a signed letter;
//! - **use of name, of image, publication**: a few agree.
//!
//! Some who granted sharing with their government withdraw it in November too — except a
//! family with a repatriation case with that government, which is working with it and
//! has granted sharing (written earlier in the scenario; see `cases`). Every
//! decision follows `model::consent`'s rules (a revocation follows a grant; a child's
//! decision is the mother's), so a registry rebuilt from these events agrees with one
//! entered by hand.

use crate::calendar::{november, sometime};
use crate::chronicle::Chronicle;
use crate::dice::Dice;
use crate::households::Household;
use crate::nationality::Country;
use crate::{ScenarioEvent, World};
use model::case::CaseChange;
use model::consent::{ConsentChange, Decision, Evidence, GivenBy, Purpose};
use model::event::Payload;
use model::ids::{CaseId, ConsentId, InterviewId, PersonId, PlaceId};
use model::interview::{Attachment, Interview, Language, MediaType, MAX_PERSONS};
use model::report::{AttachmentHash, SealClass};
use model::time::Timestamp;
use model::CountryCode;
use std::collections::{HashMap, HashSet};

/// Households interviewed whatever the scale, so that small demos have some.
const ALWAYS: usize = 6;
/// Of the other eligible households, how many in a thousand are interviewed.
const PER_MILLE: u32 = 180;

/// What the phase wrote.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct ConsentSummary {
    pub interviews: usize,
    pub decisions: usize,
}

/// Who records: staff roles, never a person's name.
const STAFF: [&str; 3] = [
    "protection.officer.1",
    "protection.officer.2",
    "ngo.researcher.1",
];

fn language(country: Country, dice: &mut Dice) -> &'static str {
    match country {
        Country::Belgium => dice.draw(&["fr", "nl-BE", "fr-BE"]),
        Country::France => "fr",
        Country::Netherlands => "nl",
        Country::Germany | Country::Austria => "de",
        Country::UnitedKingdom | Country::UnitedStates | Country::Canada => "en",
        Country::Sweden => "sv",
        Country::Denmark => "da",
        _ => "ar",
    }
}

/// A file's hash as the interviewer's laptop would record it (made up: the files are not
/// part of the scenario).
fn hash(dice: &mut Dice) -> AttachmentHash {
    let mut bytes = [0u8; 32];
    for half in bytes.chunks_mut(16) {
        half.copy_from_slice(&dice.id_bits().to_le_bytes());
    }
    AttachmentHash(bytes)
}

/// A file recorded in an interview: its hash, a size and a type.
fn file(dice: &mut Dice, media_type: &str, min: i64, max: i64) -> Option<Attachment> {
    Some(Attachment {
        hash: hash(dice),
        size: dice.between(min, max) as u64,
        media_type: MediaType::parse(media_type).ok()?,
    })
}

struct Writer<'c, 's> {
    chronicle: &'c mut Chronicle<'s>,
    summary: ConsentSummary,
    /// Persons in a repatriation case, with the case's country.
    in_case: HashSet<(PersonId, CountryCode)>,
}

/// Who is in a repatriation case with which country, from the cases written so far.
fn case_members(events: &[ScenarioEvent]) -> HashSet<(PersonId, CountryCode)> {
    let mut countries: HashMap<CaseId, CountryCode> = HashMap::new();
    let mut out = HashSet::new();
    for e in events {
        let Payload::CaseChanged { case, change } = &e.payload else {
            continue;
        };
        match change {
            CaseChange::Opened {
                country, members, ..
            } => {
                countries.insert(*case, *country);
                out.extend(members.iter().map(|m| (*m, *country)));
            }
            CaseChange::MemberAdded { person } => {
                if let Some(c) = countries.get(case) {
                    out.insert((*person, *c));
                }
            }
            _ => {}
        }
    }
    out
}

impl Writer<'_, '_> {
    fn push(&mut self, at: Timestamp, payload: Payload) {
        self.chronicle.events.push(ScenarioEvent { at, payload });
    }

    #[allow(clippy::too_many_arguments)]
    fn decide(
        &mut self,
        dice: &mut Dice,
        person: PersonId,
        mother: Option<PersonId>,
        purpose: Purpose,
        decision: Decision,
        at: Timestamp,
        evidence: Evidence,
    ) {
        let consent = ConsentChange {
            id: ConsentId::from_u128(dice.id_bits()),
            person,
            purpose,
            decision,
            at,
            recorded_by: (*dice.pick(&STAFF)).to_string(),
            given_by: mother.map_or(GivenBy::Person, GivenBy::Guardian),
            evidence,
        };
        self.push(at, Payload::ConsentRecorded { consent });
        self.summary.decisions += 1;
    }

    /// The mother's decision, and the same for each of her children (as their mother).
    #[allow(clippy::too_many_arguments)]
    fn for_family(
        &mut self,
        dice: &mut Dice,
        mother: PersonId,
        children: &[PersonId],
        purpose: Purpose,
        decision: Decision,
        at: Timestamp,
        evidence: Evidence,
    ) {
        self.decide(dice, mother, None, purpose, decision, at, evidence);
        for child in children {
            self.decide(dice, *child, Some(mother), purpose, decision, at, evidence);
        }
    }
}

impl Writer<'_, '_> {
    /// A grant taken back in November by a signed letter, for the mother and her children.
    fn revoke_later(
        &mut self,
        dice: &mut Dice,
        mother: PersonId,
        children: &[PersonId],
        purpose: Purpose,
    ) {
        let later = november(dice.between(3, 25), dice.between(9, 17), 0);
        let letter = Evidence::SignedForm(hash(dice));
        self.for_family(
            dice,
            mother,
            children,
            purpose,
            Decision::Revoked,
            later,
            letter,
        );
    }
}

/// One household's interview and decisions.
fn household(
    world: &World<'_>,
    w: &mut Writer<'_, '_>,
    dice: &mut Dice,
    h: &Household,
    section: PlaceId,
) -> Option<()> {
    let members = world.census.residents.get(h.members.clone())?;
    let mother = members.first().filter(|m| m.adult() && !h.unaccompanied)?;
    let code = mother.country.code()?;
    let children: Vec<PersonId> = members
        .iter()
        .filter(|r| !r.adult())
        .map(|r| r.id)
        .take(MAX_PERSONS - 1)
        .collect();
    let at = sometime(dice, 4, 11);
    let lang = language(mother.country, dice);
    let mut attachments: Vec<Attachment> = file(dice, "audio/ogg", 400_000, 9_000_000)
        .into_iter()
        .collect();
    if dice.chance(300) {
        attachments.extend(file(dice, "image/jpeg", 90_000, 2_500_000));
    }
    let id = InterviewId::from_u128(dice.id_bits());
    let transcript = format!(
        "Synthetic transcript. Interview in {lang} with a mother and {} child(ren) about their \
         health, their wish to go home, and who may know of them.",
        children.len()
    );
    let interview = Interview {
        id,
        at,
        place: Some(section),
        interviewers: vec![(*dice.pick(&STAFF)).to_string()],
        language: Language::parse(lang).ok()?,
        interpreter: (lang == "ar" || dice.chance(400))
            .then(|| "interpreter, partner NGO".to_string()),
        persons: std::iter::once(mother.id)
            .chain(children.iter().copied())
            .collect(),
        transcript: Some(w.chronicle.seal(SealClass::Transcript, &transcript)),
        attachments,
    };
    w.push(at, Payload::InterviewRecorded { interview });
    w.summary.interviews += 1;
    let said = Evidence::Interview(id);
    let family = |w: &mut Writer<'_, '_>, dice: &mut Dice, purpose, decision, at| {
        w.for_family(dice, mother.id, &children, purpose, decision, at, said)
    };
    let tracing = if dice.chance(920) {
        Decision::Granted
    } else {
        Decision::Refused
    };
    family(w, dice, Purpose::Tracing, tracing, at);
    let sharing = Purpose::Sharing(code);
    let share = dice.below(100);
    let family_ids = || std::iter::once(mother.id).chain(children.iter().copied());
    if family_ids().any(|p| w.in_case.contains(&(p, code))) {
        family(w, dice, sharing, Decision::Granted, at);
    } else if share < 60 {
        family(w, dice, sharing, Decision::Granted, at);
        if dice.chance(150) {
            w.revoke_later(dice, mother.id, &children, sharing);
        }
    } else if share < 85 {
        family(w, dice, sharing, Decision::Refused, at);
    }
    if dice.chance(450) {
        family(w, dice, Purpose::Research, Decision::Granted, at);
        if dice.chance(330) {
            w.revoke_later(dice, mother.id, &children, Purpose::Research);
        }
    } else {
        family(w, dice, Purpose::Research, Decision::Refused, at);
    }
    for (purpose, per_mille) in [
        (Purpose::UseOfName, 100),
        (Purpose::UseOfImage, 50),
        (Purpose::Publication, 80),
    ] {
        if dice.chance(per_mille) {
            w.decide(dice, mother.id, None, purpose, Decision::Granted, at, said);
        }
    }
    Some(())
}

/// Writes the interviews and consent decisions.
pub fn interviews_and_consent(
    world: &World<'_>,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) -> ConsentSummary {
    let in_case = case_members(&chronicle.events);
    let mut w = Writer {
        chronicle,
        summary: ConsentSummary::default(),
        in_case,
    };
    let mut eligible = 0;
    for h in &world.census.households {
        let Some(section) = world.geography.sections.get(usize::from(h.section)) else {
            continue;
        };
        if !section.population.is_foreign() {
            continue;
        }
        let western = world
            .census
            .residents
            .get(h.members.start)
            .is_some_and(|m| m.country.is_western());
        if !western {
            continue;
        }
        eligible += 1;
        if eligible <= ALWAYS || dice.chance(PER_MILLE) {
            household(world, &mut w, dice, h, section.id);
        }
    }
    w.summary
}
