//! Legal situations, early October: researchers' interviews in which women ask to be
//! tried at home, and consular information on warrants, proceedings and convictions in
//! absentia in the women's home countries.

use crate::calendar::{sometime, LISTS_DONE};
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::nationality::Country;
use crate::World;
use model::claim::{ClaimKind, LegalStatus};
use model::report::Channel;
use std::collections::BTreeMap;

pub(crate) fn authority(country: Country) -> &'static str {
    match country {
        Country::Belgium => "Federal Prosecutor's Office, Brussels",
        Country::France => "Paris public prosecutor, counter-terrorism section",
        Country::Netherlands => "Public Prosecution Service, Rotterdam",
        Country::Germany => "Federal Public Prosecutor General, Karlsruhe",
        Country::UnitedKingdom => "Crown Prosecution Service",
        Country::UnitedStates => "US Attorney's Office",
        Country::Canada => "Royal Canadian Mounted Police",
        Country::Sweden => "Swedish Prosecution Authority",
        Country::Denmark => "Danish Prosecution Service",
        Country::Austria => "Public Prosecutor's Office, Vienna",
        _ => "Public prosecutor",
    }
}

/// Writes the interviews and the consular legal information.
pub fn interviews(world: &World<'_>, chronicle: &mut Chronicle<'_>, dice: &mut Dice) {
    let mut by_country: BTreeMap<Country, Vec<Said>> = BTreeMap::new();
    for person in &world.census.residents {
        let Some(section) = world.geography.sections.get(usize::from(person.section)) else {
            continue;
        };
        if !person.adult() || !person.country.is_western() || !section.population.is_foreign() {
            continue;
        }
        let Some(code) = person.country.code() else {
            continue;
        };
        if dice.chance(150) {
            let at = sometime(dice, LISTS_DONE, LISTS_DONE);
            let id = Chronicle::report_id(dice);
            let source = format!(
                "researcher, human-rights NGO; interview in {}",
                section.camp.name()
            );
            chronicle.report(
                dice,
                id,
                Incoming {
                    at,
                    channel: Channel::Interview,
                    grade: world.grades.b2,
                    by: world.actors.researcher,
                    source: &source,
                    content: "Interview (transcript sealed): she asks to be tried in her home \
                              country rather than in Syria or Iraq."
                        .to_string(),
                },
                [
                    (person.id, at, ClaimKind::SeenAt { place: section.id }),
                    (
                        person.id,
                        at,
                        ClaimKind::WishesTrialAtHome {
                            country: Some(code),
                        },
                    ),
                ],
            );
        }
        let at = sometime(dice, LISTS_DONE, LISTS_DONE + 2);
        let status = match dice.below(1000) {
            0..=79
                if matches!(
                    person.country,
                    Country::France | Country::Belgium | Country::Netherlands
                ) =>
            {
                LegalStatus::ConvictedInAbsentia {
                    sentence: (*dice.pick(&[
                        "5 years' imprisonment",
                        "6 years' imprisonment",
                        "8 years' imprisonment",
                        "10 years' imprisonment",
                        "20 years' imprisonment",
                    ]))
                    .to_string(),
                }
            }
            100..=199 => LegalStatus::Warrant {
                authority: authority(person.country).to_string(),
            },
            200..=259 => LegalStatus::ProceedingsOpened {
                authority: authority(person.country).to_string(),
            },
            _ => continue,
        };
        by_country.entry(person.country).or_default().push((
            person.id,
            at,
            ClaimKind::Legal(status),
        ));
    }
    for (country, said) in by_country {
        let at = said
            .iter()
            .map(|(_, at, _)| *at)
            .max()
            .unwrap_or_else(|| crate::calendar::october(8, 12, 0));
        let id = Chronicle::report_id(dice);
        let content = format!(
            "Consular information: decisions of the {} concerning {} {} in the camps",
            authority(country),
            said.len(),
            if said.len() == 1 {
                "national"
            } else {
                "nationals"
            }
        );
        chronicle.report(
            dice,
            id,
            Incoming {
                at,
                channel: Channel::Call,
                grade: world.grades.a2,
                by: world.actors.consular,
                source: "consular officer relaying the home authorities",
                content,
            },
            said,
        );
    }
}
