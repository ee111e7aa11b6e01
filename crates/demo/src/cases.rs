//! Repatriation cases, from the escape to December 2019: consulates open cases for the
//! households of their nationals in the camps and move them through the stages, each
//! move with what the rules ask for first (`model::case::stage`): a nationality proof
//! (and the mother's nationality confirmed) before verification, the consular request
//! before a decision, travel documents and the exit authorisation before a transfer, a
//! custody handover and an official notification of the repatriation on arrival, a
//! prosecutor's notification before legal proceedings.
//!
//! The cases end at every stage: some approved and arrived (a few already before a
//! court at home), some refused (a few reopened on appeal), some pending with documents
//! missing, one closed because the mother does not wish to return. In one case a social-
//! media post is attributed to the mother by an analyst and, in her own account, to her
//! husband: the authorship is disputed and both claims are kept. In another a child's
//! claim to the mother's nationality is disputed for want of a registered birth, and a
//! child carries her father's nationality: both are flagged on the case.
//!
//! Children who went home without their mother in November have a case of their own
//! ([`children`]): the eldest is its principal, and the case is unaccompanied.

mod children;
pub use children::open as children;

use crate::calendar::october;
use crate::chronicle::{Chronicle, Incoming, Said};
use crate::dice::Dice;
use crate::geography::scaled;
use crate::households::Household;
use crate::nationality::Country;
use crate::repatriation::ChildrenHome;
use crate::World;
use model::case::{
    case_id, Author, Authorship, CaseChange, CaseDocument, Decision, DocumentKind, Evidence,
    EvidenceKind, Handover, Stage, StageEntry,
};
use model::claim::{ClaimKind, LegalStatus, Wish};
use model::event::Payload;
use model::ids::{CaseId, EvidenceId, PersonId};
use model::person::{NationalityClaim, NationalityStatus};
use model::report::{AttachmentHash, Channel};
use model::time::{Timestamp, MS_PER_DAY, MS_PER_HOUR};
use model::CountryCode;
use std::collections::BTreeSet;

/// Cases at scale 1; at small scales at least [`MIN_CASES`] (as many as there are
/// households to open them for).
const CASES: u32 = 240;
const MIN_CASES: u32 = 14;

/// Where a case's story ends.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    Identified,
    Verified,
    Contacted,
    Pending,
    Approved,
    Refused,
    Reopened,
    Arranged,
    Arrived,
    Prosecuted,
    FollowedUp,
    Closed,
}

/// Ends, weighted per mille; the first cases take each end in turn, so that even a tiny
/// registry shows every stage.
const ENDS: [(End, u32); 12] = [
    (End::Identified, 70),
    (End::Verified, 100),
    (End::Contacted, 100),
    (End::Pending, 180),
    (End::Approved, 60),
    (End::Refused, 90),
    (End::Reopened, 40),
    (End::Arranged, 60),
    (End::Arrived, 120),
    (End::Prosecuted, 80),
    (End::FollowedUp, 70),
    (End::Closed, 30),
];

/// The stage moves that lead to an end.
fn path(end: End) -> Vec<Stage> {
    use Stage::*;
    let to_decision = vec![NationalityVerified, ConsularContact, DecisionPending];
    let approved = [to_decision.clone(), vec![Approved]].concat();
    let arrived = [approved.clone(), vec![TransferArranged, Arrived]].concat();
    match end {
        End::Identified => vec![],
        End::Verified => vec![NationalityVerified],
        End::Contacted => vec![NationalityVerified, ConsularContact],
        End::Pending => to_decision,
        End::Approved => approved,
        End::Refused => [to_decision, vec![Refused]].concat(),
        End::Reopened => [to_decision, vec![Refused, DecisionPending]].concat(),
        End::Arranged => [approved, vec![TransferArranged]].concat(),
        End::Arrived => arrived,
        End::Prosecuted => [arrived, vec![LegalProceedings]].concat(),
        End::FollowedUp => [arrived, vec![ReintegrationFollowUp]].concat(),
        End::Closed => vec![NationalityVerified, ConsularContact, Closed],
    }
}

/// The authority that decides on repatriation, per country (institutions, not people).
fn deciding(country: Country) -> &'static str {
    match country {
        Country::Belgium => "Federal Public Service Foreign Affairs, Brussels",
        Country::France => "Ministry for Europe and Foreign Affairs, Paris",
        Country::Netherlands => "Ministry of Foreign Affairs, The Hague",
        Country::Germany => "Federal Foreign Office, Berlin",
        Country::UnitedKingdom => "Foreign and Commonwealth Office, London",
        Country::UnitedStates => "Department of State",
        Country::Canada => "Global Affairs Canada",
        _ => "Ministry of Foreign Affairs",
    }
}

/// One household's case being written.
struct Story<'a, 'c, 's> {
    world: &'a World<'a>,
    chronicle: &'c mut Chronicle<'s>,
    id: CaseId,
    country: Country,
    code: CountryCode,
    /// The mother, or a child who went home without her.
    principal: PersonId,
    members: Vec<PersonId>,
    t: Timestamp,
}

impl Story<'_, '_, '_> {
    fn change(&mut self, change: CaseChange) {
        self.chronicle.push(
            self.t,
            Payload::CaseChanged {
                case: self.id,
                change,
            },
        );
    }

    /// Moves the clock on by some days and hours.
    fn later(&mut self, dice: &mut Dice, days: (i64, i64)) {
        let d = dice.between(days.0, days.1);
        self.t = self
            .t
            .plus_ms(d * MS_PER_DAY + dice.between(1, 8) * MS_PER_HOUR);
    }

    fn document(&mut self, dice: &mut Dice, kind: DocumentKind, person: Option<PersonId>) {
        let mut hash = [0u8; 32];
        hash[..16].copy_from_slice(&dice.id_bits().to_le_bytes());
        hash[16..].copy_from_slice(&dice.id_bits().to_le_bytes());
        self.t = self.t.plus_ms(MS_PER_HOUR);
        self.change(CaseChange::DocumentReceived(CaseDocument {
            kind,
            person,
            hash: Some(AttachmentHash(hash)),
            received_at: self.t,
            note: String::new(),
        }));
    }

    fn report(&mut self, dice: &mut Dice, incoming: Incoming<'_>, said: Vec<Said>) {
        let id = Chronicle::report_id(dice);
        self.chronicle.report(dice, id, incoming, said);
    }

    fn nationality(&mut self, person: PersonId, status: NationalityStatus, evidence: &str) {
        self.chronicle.push(
            self.t,
            Payload::NationalityClaimed {
                person,
                claim: NationalityClaim {
                    country: self.code,
                    status,
                    evidence: Some(evidence.to_string()),
                    source: None,
                },
            },
        );
    }

    /// What a move needs, recorded just before it.
    fn prepare(&mut self, dice: &mut Dice, to: Stage) {
        match to {
            Stage::NationalityVerified => {
                self.document(dice, DocumentKind::NationalityProof, Some(self.principal));
                self.nationality(
                    self.principal,
                    NationalityStatus::Confirmed,
                    "verified by the consulate against the civil register",
                );
            }
            Stage::DecisionPending => self.document(dice, DocumentKind::ConsularRequest, None),
            Stage::TransferArranged => {
                self.document(dice, DocumentKind::ExitAuthorisation, None);
                for m in self.members.clone() {
                    self.document(dice, DocumentKind::TravelDocument, Some(m));
                }
            }
            Stage::Arrived => self.arrive(dice),
            Stage::LegalProceedings => {
                let authority = crate::legal::authority(self.country);
                let incoming = Incoming {
                    at: self.t,
                    channel: Channel::Call,
                    grade: self.world.grades.a1,
                    by: self.world.actors.consular,
                    source: "prosecutor's office, official notification",
                    content: format!("Proceedings opened on arrival by the {authority}"),
                };
                let said = vec![(
                    self.principal,
                    self.t,
                    ClaimKind::Legal(LegalStatus::ProceedingsOpened {
                        authority: authority.to_string(),
                    }),
                )];
                self.report(dice, incoming, said);
            }
            Stage::Closed => self.wish(dice, Wish::NotToReturn),
            _ => {}
        }
    }

    /// The handover at the border and the official notification of the repatriation.
    fn arrive(&mut self, dice: &mut Dice) {
        let place = *dice.pick(&["Semalka crossing", "Qamishli airport", "Erbil airport"]);
        self.change(CaseChange::CustodyHandedOver(Handover {
            from: "Autonomous Administration, camp office".into(),
            to: format!("consular team of {}", self.country.iso()),
            place: place.into(),
            at: self.t,
            persons: self.members.clone(),
            note: String::new(),
        }));
        let said = self
            .members
            .iter()
            .map(|m| (*m, self.t, ClaimKind::Repatriated { country: self.code }))
            .collect();
        let incoming = Incoming {
            at: self.t.plus_ms(4 * MS_PER_HOUR),
            channel: Channel::Call,
            grade: self.world.grades.a1,
            by: self.world.actors.consular,
            source: "consular officer, official notification",
            content: format!(
                "Repatriated to {} with her children: {} persons",
                self.country.iso(),
                self.members.len()
            ),
        };
        self.report(dice, incoming, said);
        self.t = self.t.plus_ms(6 * MS_PER_HOUR);
    }

    fn wish(&mut self, dice: &mut Dice, wish: Wish) {
        let incoming = Incoming {
            at: self.t,
            channel: Channel::Interview,
            grade: self.world.grades.b2,
            by: self.world.actors.consular,
            source: "consular interview in the camp",
            content: format!(
                "Consular interview: she states her wish ({}).",
                wish.as_str()
            ),
        };
        let said = vec![(self.principal, self.t, ClaimKind::StatesWish { wish })];
        self.report(dice, incoming, said);
        self.t = self.t.plus_ms(MS_PER_HOUR);
    }

    fn entry(&mut self, to: Stage, reopened: bool) {
        let decision = to.is_decision().then(|| Decision {
            authority: deciding(self.country).to_string(),
            decided_on: self.t,
        });
        let note = match to {
            Stage::DecisionPending if reopened => "appeal lodged; the decision is reconsidered",
            Stage::Closed => "she does not wish to return; the family stays together",
            Stage::Refused => "refused: security assessment",
            _ => "",
        };
        self.change(CaseChange::StageChanged(StageEntry {
            stage: to,
            at: self.t,
            decision,
            note: note.to_string(),
        }));
    }

    /// Walks the case along `path`, each move after what it needs.
    fn walk(&mut self, dice: &mut Dice, path: &[Stage]) {
        let mut refused = false;
        for &to in path {
            let wait = match to {
                Stage::Approved | Stage::Refused => (6, 20),
                Stage::DecisionPending if refused => (10, 25),
                _ => (2, 8),
            };
            self.later(dice, wait);
            self.prepare(dice, to);
            self.entry(to, refused);
            refused |= to == Stage::Refused;
        }
    }

    /// A post attributed to the mother by an analyst and, by her, to her husband.
    fn disputed_post(&mut self, dice: &mut Dice) {
        let evidence = EvidenceId::from_u128(dice.id_bits());
        let mut hash = [0u8; 32];
        hash[..16].copy_from_slice(&dice.id_bits().to_le_bytes());
        hash[16..].copy_from_slice(&dice.id_bits().to_le_bytes());
        self.change(CaseChange::EvidenceCaptured(Evidence {
            id: evidence,
            kind: EvidenceKind::SocialMediaPost,
            hash: AttachmentHash(hash),
            captured_at: self.t,
            captured_by: "open-source analysis unit".into(),
            description: "post of March 2018 on an account in her name".into(),
            about: Some(self.principal),
        }));
        let sides = [
            (
                Channel::Media,
                self.world.grades.b2,
                "open-source analysis unit",
                "Attribution: the account is registered in her name and posted from her phone.",
                Author::Person(self.principal),
                "account registered in her name",
            ),
            (
                Channel::Interview,
                self.world.grades.c3,
                "her lawyer, from an interview in the camp",
                "Interview: she says her husband posted on her account.",
                Author::Described("her husband".into()),
                "posted on her account by her husband",
            ),
        ];
        for (channel, grade, source, content, author, note) in sides {
            self.t = self.t.plus_ms(MS_PER_DAY);
            let report = Chronicle::report_id(dice);
            let incoming = Incoming {
                at: self.t,
                channel,
                grade,
                by: self.world.actors.consular,
                source,
                content: content.to_string(),
            };
            self.chronicle.report(dice, report, incoming, Vec::new());
            self.change(CaseChange::AuthorshipClaimed {
                evidence,
                authorship: Authorship {
                    author,
                    report,
                    note: note.to_string(),
                },
            });
        }
    }
}

/// Households a consulate would open a case for: a mother (registered first) of a
/// country with a consulate that acts, in a section of foreigners.
fn candidates<'h>(world: &'h World<'_>) -> Vec<&'h Household> {
    world
        .census
        .households
        .iter()
        .filter(|h| {
            let section = world.geography.sections.get(usize::from(h.section));
            !h.unaccompanied
                && h.origin.country.is_western()
                && section.is_some_and(|s| s.population.is_foreign())
                && world
                    .census
                    .residents
                    .get(h.members.start)
                    .is_some_and(|r| r.adult())
        })
        .collect()
}

/// Writes the cases; returns how many were opened. Children who went home without their
/// mother are not in her case: they have cases of their own ([`children`]).
pub fn open(
    world: &World<'_>,
    chronicle: &mut Chronicle<'_>,
    dice: &mut Dice,
    children_home: &[ChildrenHome],
) -> usize {
    let gone: BTreeSet<usize> = children_home
        .iter()
        .flat_map(|c| c.children.iter().copied())
        .collect();
    let pool = candidates(world);
    let scale = world.census.residents.len() as f64 / 81_700.0;
    let wanted = (scaled(CASES, scale).max(MIN_CASES) as usize).min(pool.len());
    if wanted == 0 {
        return 0;
    }
    let step = pool.len() / wanted;
    let offset = dice.index(step.max(1));
    let mut opened = 0;
    let mut disputed_post = false;
    let mut flagged_child = false;
    for (n, household) in pool
        .iter()
        .skip(offset)
        .step_by(step.max(1))
        .take(wanted)
        .enumerate()
    {
        let Some(code) = household.origin.country.code() else {
            continue;
        };
        let Some(residents) = world.census.residents.get(household.members.clone()) else {
            continue;
        };
        let Some(mother) = residents.first().map(|r| r.id) else {
            continue;
        };
        let children: Vec<PersonId> = residents
            .iter()
            .enumerate()
            .filter(|(i, r)| !r.adult() && !gone.contains(&(household.members.start + i)))
            .map(|(_, r)| r.id)
            .collect();
        let members: Vec<PersonId> = std::iter::once(mother)
            .chain(children.iter().copied())
            .collect();
        let end = if n < ENDS.len() {
            ENDS[n].0
        } else {
            *dice.weighted(&ENDS)
        };
        let id = case_id(mother, code);
        let mut story = Story {
            world,
            chronicle: &mut *chronicle,
            id,
            country: household.origin.country,
            code,
            principal: mother,
            members: members.clone(),
            t: october(dice.between(15, 31), dice.between(8, 17), 0),
        };
        story.change(CaseChange::Opened {
            country: code,
            principal: mother,
            household: Some(household.id),
            members,
            at: story.t,
        });
        if !flagged_child && children.len() >= 2 {
            // One child's birth was never registered at home; another has her father's
            // nationality. Both are flagged once the mother's is confirmed.
            story.nationality(
                children[0],
                NationalityStatus::Disputed,
                "born in Syria; birth not registered with the home state; DNA test requested",
            );
            story.chronicle.push(
                story.t,
                Payload::NationalityClaimed {
                    person: children[1],
                    claim: NationalityClaim {
                        country: Country::Syria.code().unwrap_or(code),
                        status: NationalityStatus::Claimed,
                        evidence: Some("through the father, stated by the mother".into()),
                        source: None,
                    },
                },
            );
            flagged_child = true;
        }
        if end == End::Pending && dice.chance(500) {
            story.wish(dice, Wish::ChildrenToReturn);
        }
        let path = path(end);
        if !disputed_post && path.contains(&Stage::DecisionPending) {
            story.later(dice, (1, 3));
            story.disputed_post(dice);
            disputed_post = true;
        }
        story.walk(dice, &path);
        opened += 1;
    }
    opened
}
