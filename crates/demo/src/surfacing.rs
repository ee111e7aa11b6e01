//! What was heard of the escaped families in the days after 13 October.
//!
//! Each family meets one fate: nothing more is heard; seen in Tal Abyad; across the border
//! at Akçakale; in Şanlıurfa and then held by the Turkish police; in Gaziantep and then at
//! her consulate (or, without one, held too); stopped and held in Hasakah; or brought
//! back to a camp and listed there (a quarter of these first rumoured, by a text nobody
//! can judge, to be in Turkey already). Each sighting is one report naming every member.

use crate::calendar::sometime;
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::households::Household;
use crate::outcome::{members, section_of, Outcome};
use crate::sources;
use crate::transfers::Transfers;
use crate::World;
use model::claim::ClaimKind;
use model::ids::ActorId;
use model::report::{Channel, Grade};
use model::time::MS_PER_HOUR;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Silent,
    TalAbyad,
    Akcakale,
    SanliurfaCustody,
    GaziantepConsulate,
    BroughtBack,
    Hasakah,
}

/// Fates of families from the foreigners' annex.
const ANNEX_FATES: [(Fate, u32); 7] = [
    (Fate::Silent, 33),
    (Fate::TalAbyad, 14),
    (Fate::Akcakale, 12),
    (Fate::SanliurfaCustody, 9),
    (Fate::GaziantepConsulate, 8),
    (Fate::BroughtBack, 20),
    (Fate::Hasakah, 4),
];

/// Fates of Syrian and Iraqi families from the blocks.
const BLOCK_FATES: [(Fate, u32); 3] = [
    (Fate::Silent, 60),
    (Fate::BroughtBack, 25),
    (Fate::TalAbyad, 15),
];

/// Per mille of brought-back annex households registered again as new people.
const REGISTERED_TWICE: u32 = 300;
/// Per mille of brought-back households first rumoured to be in Turkey.
const RUMOURED_FIRST: u32 = 250;

/// One report about a whole family: between which October days it was true, how it came.
struct Sighting {
    days: (i64, i64),
    channel: Channel,
    grade: Grade,
    by: ActorId,
    source: String,
    content: String,
    kind: ClaimKind,
}

/// Writes what is heard of escaped household `index`.
pub fn after_escape(
    world: &World<'_>,
    index: usize,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    outcome: &mut Outcome,
    transfers: &mut Transfers,
) {
    let Some(household) = world.census.households.get(index) else {
        return;
    };
    let foreign = section_of(world, household).is_some_and(|s| s.population.is_foreign());
    let fate = if foreign {
        *dice.weighted(&ANNEX_FATES)
    } else {
        *dice.weighted(&BLOCK_FATES)
    };
    let geo = world.geography;
    let (g, actors) = (world.grades, world.actors);
    let country = household.origin.country;
    let held_by_police = |source: &str, content: &str, grade: Grade, by: ActorId| Sighting {
        days: (20, 23),
        channel: Channel::Call,
        grade,
        by,
        source: source.to_string(),
        content: content.to_string(),
        kind: ClaimKind::InCustody {
            holder: "Turkish police".to_string(),
            place: Some(geo.removal_centre),
        },
    };
    let sightings: Vec<Sighting> = match fate {
        Fate::Silent => Vec::new(),
        Fate::TalAbyad => {
            let (channel, grade, source) = if dice.chance(400) {
                (Channel::Media, g.b2, sources::journalist(dice).to_string())
            } else {
                (
                    Channel::TextMessage,
                    g.c3,
                    sources::messenger(country, dice),
                )
            };
            vec![Sighting {
                days: (14, 16),
                channel,
                grade,
                by: actors.tracing,
                source,
                content: format!(
                    "A family of {} from Ain Issa seen in Tal Abyad, looking for a way across \
                     the border",
                    household.members.len()
                ),
                kind: ClaimKind::SeenAt {
                    place: geo.tal_abyad,
                },
            }]
        }
        Fate::Akcakale => {
            let (channel, grade, source) = if dice.chance(500) {
                (Channel::Media, g.b2, sources::journalist(dice).to_string())
            } else {
                (Channel::Call, g.c2, sources::messenger(country, dice))
            };
            vec![Sighting {
                days: (15, 18),
                channel,
                grade,
                by: actors.tracing,
                source,
                content: "Crossed into Turkey at Akçakale with her children".to_string(),
                kind: ClaimKind::SeenAt {
                    place: geo.akcakale,
                },
            }]
        }
        Fate::SanliurfaCustody => {
            outcome.turkish_custody.push(index);
            let held = if country.is_western() {
                held_by_police(
                    "consular officer, after a call with the Turkish authorities",
                    "Held with her children at the Şanlıurfa removal centre; she asks for \
                     consular access",
                    g.a2,
                    actors.consular,
                )
            } else {
                held_by_police(
                    "lawyer representing the family",
                    "Held with her children at the Şanlıurfa removal centre",
                    g.b2,
                    actors.tracing,
                )
            };
            vec![
                Sighting {
                    days: (16, 19),
                    channel: Channel::TextMessage,
                    grade: g.c3,
                    by: actors.tracing,
                    source: sources::messenger(country, dice),
                    content: "Text (translated): we are in Urfa, in a flat, the children are sick"
                        .to_string(),
                    kind: ClaimKind::SeenAt {
                        place: geo.sanliurfa,
                    },
                },
                held,
            ]
        }
        Fate::GaziantepConsulate => {
            let reached = Sighting {
                days: (16, 20),
                channel: Channel::VoiceNote,
                grade: g.c3,
                by: actors.tracing,
                source: sources::messenger(country, dice),
                content: "Voice note (translated): she reached Gaziantep with the children and \
                          wants to go to her consulate"
                    .to_string(),
                kind: ClaimKind::SeenAt {
                    place: geo.gaziantep,
                },
            };
            let next = match geo.consulate(country).filter(|_| country.is_western()) {
                Some(consulate) => {
                    outcome.at_consulate.push(index);
                    Sighting {
                        days: (21, 28),
                        channel: Channel::Call,
                        grade: g.a2,
                        by: actors.consular,
                        source: "consular officer".to_string(),
                        content: "She presented herself at the consulate with her children and \
                                  asks to be repatriated"
                            .to_string(),
                        kind: ClaimKind::SeenAt { place: consulate },
                    }
                }
                None => {
                    outcome.turkish_custody.push(index);
                    held_by_police(
                        "lawyer representing the family",
                        "Detained in Gaziantep and taken to the Şanlıurfa removal centre; she \
                         asks for her consulate",
                        g.b2,
                        actors.tracing,
                    )
                }
            };
            vec![reached, next]
        }
        Fate::Hasakah => vec![Sighting {
            days: (16, 19),
            channel: Channel::Call,
            grade: g.b2,
            by: actors.child_protection,
            source: "child-protection officer, Hasakah".to_string(),
            content: "Stopped at a checkpoint and held with her children in Hasakah".to_string(),
            kind: ClaimKind::InCustody {
                holder: "Internal security forces".to_string(),
                place: Some(geo.hasakah_facility),
            },
        }],
        Fate::BroughtBack => {
            let destination = if !foreign {
                geo.section_named("Reception")
            } else if country.is_western() {
                geo.section_named("Roj Sector 2")
            } else {
                geo.section_named("Al-Hol Annex")
            };
            if let Some(destination) = destination {
                let twice = foreign && dice.chance(REGISTERED_TWICE);
                transfers.add(dice.between(17, 20), destination.id, index, twice);
            }
            // A text nobody can judge, contradicted days later by a camp list.
            if dice.chance(RUMOURED_FIRST) {
                vec![Sighting {
                    days: (15, 16),
                    channel: Channel::TextMessage,
                    grade: g.f6,
                    by: actors.tracing,
                    source: sources::messenger(country, dice),
                    content: "Text (translated): they say she is already in Turkey, in Urfa"
                        .to_string(),
                    kind: ClaimKind::SeenAt {
                        place: geo.sanliurfa,
                    },
                }]
            } else {
                Vec::new()
            }
        }
    };
    for sighting in sightings {
        write(world, household, sighting, chronicle, dice);
    }
}

/// Writes one report with the same claim about every member of a household.
fn write(
    world: &World<'_>,
    household: &Household,
    sighting: Sighting,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
) {
    let observed = sometime(dice, sighting.days.0, sighting.days.1);
    let at = observed.plus_ms(dice.between(1, 20) * MS_PER_HOUR);
    let said: Vec<Said> = members(world, household)
        .iter()
        .map(|r| (r.id, observed, sighting.kind.clone()))
        .collect();
    let id = Chronicle::report_id(dice);
    chronicle.report(
        dice,
        id,
        Incoming {
            at,
            channel: sighting.channel,
            grade: sighting.grade,
            by: sighting.by,
            source: &sighting.source,
            content: sighting.content,
        },
        said,
    );
}
