//! Health, early October: the camps' health points report children with chronic
//! bronchitis from smoke and with acute malnutrition. The label is open; the clinical
//! detail is sealed. Each child reported gets a medical follow-up task.

use crate::calendar::{october, sometime, LISTS_DONE};
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::Camp;
use crate::households::flag;
use crate::priority;
use crate::World;
use model::claim::ClaimKind;
use model::report::Channel;
use model::task::TaskKind;

/// The most children one health-point report lists.
const REPORT_SIZE: usize = 500;

fn detail(bronchitis: bool, dice: &mut Dice) -> String {
    if bronchitis {
        let weeks = dice.between(2, 9);
        let care = dice.pick(&[
            "inhaler given",
            "antibiotics started",
            "referred to Hasakah hospital",
            "no medicine in stock; review in one week",
        ]);
        format!("{weeks} weeks of cough and wheezing; smoke from heating and cooking fires in the tent; {care}")
    } else {
        let muac = dice.between(105, 124);
        format!("MUAC {muac} mm; therapeutic feeding started; weekly weighing")
    }
}

pub fn clinic_reports(world: &World<'_>, chronicle: &mut Chronicle<'_>, dice: &mut Dice) {
    for camp in Camp::ALL {
        let patients: Vec<usize> = world
            .census
            .residents
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.has(flag::BRONCHITIS | flag::MALNOURISHED)
                    && world
                        .geography
                        .sections
                        .get(usize::from(r.section))
                        .is_some_and(|s| s.camp == camp)
            })
            .map(|(i, _)| i)
            .collect();
        for (part, chunk) in patients.chunks(REPORT_SIZE).enumerate() {
            let at = october(LISTS_DONE + (part as i64 % 3), 16, 0);
            let examined = sometime(dice, LISTS_DONE - 3, LISTS_DONE - 1);
            let said: Vec<Said> = chunk
                .iter()
                .filter_map(|&i| world.census.residents.get(i))
                .map(|r| {
                    let bronchitis = r.has(flag::BRONCHITIS);
                    let text = detail(bronchitis, dice);
                    (
                        r.id,
                        examined,
                        ClaimKind::HealthCondition {
                            condition: if bronchitis {
                                "chronic bronchitis".to_string()
                            } else {
                                "acute malnutrition".to_string()
                            },
                            detail: Some(chronicle.seal(model::report::SealClass::Medical, &text)),
                        },
                    )
                })
                .collect();
            let id = Chronicle::report_id(dice);
            let source = format!("{} camp health point", camp.name());
            chronicle.report(
                dice,
                id,
                Incoming {
                    at,
                    channel: Channel::OfficialList,
                    grade: world.grades.b2,
                    by: world.actors.child_protection,
                    source: &source,
                    content: format!(
                        "Health point weekly report, {}: {} children needing follow-up",
                        camp.name(),
                        said.len()
                    ),
                },
                said,
            );
            let opened = at.plus_ms(18 * model::time::MS_PER_HOUR);
            for r in chunk.iter().filter_map(|&i| world.census.residents.get(i)) {
                let (priority, why) = priority::of(TaskKind::MedicalFollowUp, r);
                chronicle.open_task(
                    dice,
                    opened,
                    TaskKind::MedicalFollowUp,
                    r.id,
                    priority,
                    format!("medical follow-up: {}", why.join(", ")),
                );
            }
        }
    }
}
