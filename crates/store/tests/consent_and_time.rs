//! Interviews and consent as projections (reads, the upgrade from schema 4), counts over
//! time, and crisis counts over the persons a filter keeps.

mod common;

use common::*;
use model::as_of::{end_of, period_ends, Every};
use model::consent::{ConsentState, Decision, Purpose};
use model::ids::{InterviewId, PersonId};
use model::place::{PlaceKind, PlaceStatus};
use store::{Registry, StatsDimension};

const ROJ: u128 = 1;
const AIN_ISSA: u128 = 2;
const TOWN: u128 = 3;

fn registry(dir: &tempfile::TempDir) -> Registry {
    let path = dir.path().join("reg.db");
    let mut reg = Registry::create(&path, PASS).unwrap();
    let actor = reg.local_actor();
    let mut events = vec![
        place(ROJ, "Roj", PlaceKind::Camp, None),
        place(AIN_ISSA, "Ain Issa", PlaceKind::Camp, None),
        place(TOWN, "Tal Abyad", PlaceKind::Town, None),
    ];
    for p in 10..20 {
        events.push(person(p, &format!("Person {p}")));
    }
    // Day 1: 10..15 listed in Roj; day 2: 15..20 in Ain Issa; day 4: 15 and 16 surface
    // in a town after Ain Issa lost its guards on day 3.
    events.push(sighting(100, 1, "A1", ROJ, &[10, 11, 12, 13, 14]));
    events.push(sighting(101, 2, "A1", AIN_ISSA, &[15, 16, 17, 18, 19]));
    events.push(status_of(AIN_ISSA, 3, PlaceStatus::Unguarded));
    events.push(sighting(102, 4, "B2", TOWN, &[15, 16]));
    events.push(interview(1, 2, &[10, 11]));
    events.push(consent(1, 10, Purpose::Research, Decision::Granted, 2));
    events.push(consent(2, 10, Purpose::Research, Decision::Revoked, 5));
    events.push(consent(3, 11, Purpose::Research, Decision::Granted, 2));
    reg.append(actor, events.into_iter().map(|p| (day(0), p)), &mut |_| {})
        .unwrap();
    reg
}

#[test]
fn interviews_and_consent_are_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(&dir);
    let i = reg.interview(InterviewId::from_u128(1)).unwrap().unwrap();
    assert_eq!(i.persons.len(), 2);
    assert_eq!(
        reg.interviews_of(PersonId::from_u128(11)).unwrap(),
        vec![i.clone()]
    );
    assert!(reg
        .interviews_of(PersonId::from_u128(12))
        .unwrap()
        .is_empty());
    let prefix = &i.id.to_string()[..8];
    assert_eq!(reg.interview_ids_with_prefix(prefix).unwrap(), vec![i.id]);
    let ten = reg.consents(PersonId::from_u128(10)).unwrap().unwrap();
    assert_eq!(ten.state(&Purpose::Research), ConsentState::Revoked);
    let eleven = reg.consents(PersonId::from_u128(11)).unwrap().unwrap();
    assert!(eleven.grants(&Purpose::Research));
    assert!(reg.consents(PersonId::from_u128(12)).unwrap().is_none());
    assert_eq!(reg.consent_views().unwrap().len(), 2);
    assert_eq!(reg.consent_counts().unwrap(), (1, 2));
}

#[test]
fn a_schema_5_registry_gains_the_tables_filled_from_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(&dir);
    let digest = reg.projection_digest().unwrap();
    let path = reg.path().to_path_buf();
    drop(reg);
    // What a registry written before interviews and consent existed looks like.
    store::testing::raw_execute(
        &path,
        PASS,
        "DROP TABLE interviews; DROP TABLE person_interviews; DROP TABLE consents;
         UPDATE meta SET value = 5 WHERE key = 'schema_version'",
    )
    .unwrap();
    let reg = Registry::open(&path, PASS).unwrap();
    assert_eq!(reg.projection_digest().unwrap(), digest);
    assert!(reg
        .consents(PersonId::from_u128(11))
        .unwrap()
        .unwrap()
        .grants(&Purpose::Research));
    assert_eq!(reg.interviews_of(PersonId::from_u128(10)).unwrap().len(), 1);
    drop(reg);
    // Opening again changes nothing.
    let reg = Registry::open(&path, PASS).unwrap();
    assert_eq!(reg.projection_digest().unwrap(), digest);
}

fn count(table: &store::PeriodCounts, values: &[&str]) -> u64 {
    table
        .cells
        .iter()
        .find(|(v, _)| v.iter().map(String::as_str).eq(values.iter().copied()))
        .map_or(0, |(_, n)| *n)
}

#[test]
fn counts_over_time_follow_the_claims_and_the_crisis() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(&dir);
    let from = day(0).date().unwrap();
    let days = period_ends(from, day(5).date().unwrap(), Every::Day).unwrap();
    let dims = [StatsDimension::Camp, StatsDimension::Status];
    let series = reg.stats_over_time(&dims, &days, &|_| true).unwrap();
    let totals: Vec<u64> = series.iter().map(|p| p.total).collect();
    // Nobody is known on day 0; Roj's five from day 1; Ain Issa's from day 2.
    assert_eq!(totals, vec![0, 5, 10, 10, 10, 10]);
    assert_eq!(count(&series[2], &["Ain Issa", "in_camp"]), 5);
    assert_eq!(count(&series[3], &["Ain Issa", "unaccounted_for"]), 5);
    // Surfaced in a town: still counted under Ain Issa, no longer unaccounted for.
    assert_eq!(count(&series[4], &["Ain Issa", "unaccounted_for"]), 3);
    assert_eq!(count(&series[4], &["Roj", "in_camp"]), 5);
    assert_eq!(series[1].as_of, end_of(day(1).date().unwrap()));
    // The last period agrees with the counts now.
    let (_, now) = reg.stats(&dims, 2019).unwrap();
    for row in now {
        let values: Vec<&str> = row.values.iter().map(String::as_str).collect();
        assert_eq!(count(&series[5], &values), row.count, "{values:?}");
    }
    // Only the persons a filter keeps are counted.
    let odd = reg
        .stats_over_time(&[], &days, &|p| p.0.as_u128() % 2 == 1)
        .unwrap();
    assert_eq!(odd[5].total, 5);
    assert!(odd[5].cells.is_empty());
}

#[test]
fn crisis_counts_over_the_persons_kept() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(&dir);
    let all = reg.crisis().unwrap();
    let some = reg.crisis_of(&|p| p.0.as_u128() < 17).unwrap();
    let ain = |c: &[store::CampCrisis]| {
        c.iter()
            .find(|c| c.camp.place.name == "Ain Issa")
            .unwrap()
            .clone()
    };
    assert_eq!(ain(&all).counts.total(), 5);
    assert_eq!(ain(&some).counts.total(), 2);
    assert_eq!(ain(&some).trend.len(), ain(&all).trend.len());
    let last = ain(&some).trend.last().unwrap().1;
    assert_eq!(last.on_the_move + last.accounted_for, 2);
}
