//! Consent through the access layer: a decision takes effect at once in every output —
//! person reads, search, counts, counts over time, exports and the researcher's extract —
//! and the rules for consuls and governments hold. Interviews: transcripts opened only
//! for the roles holding the transcript key. Bad input is refused with a clear message
//! and nothing written.

use access::consent::{ConsentInput, InterviewInput};
use access::export::{ExportFormat, ExportRequest, ExportScope};
use access::gate::Gate;
use access::{AccessError, Directory, Role, User, Writer};
use model::claim::{Claim, ClaimKind};
use model::consent::{Decision, Evidence, Purpose};
use model::event::Payload;
use model::ids::*;
use model::interview::{Attachment, MediaType};
use model::person::*;
use model::place::{Place, PlaceKind, PlaceStatus};
use model::report::{AttachmentHash, Channel, Grade, Report};
use model::time::{Timestamp, MS_PER_DAY};
use store::{Registry, StatsDimension};

const ROJ: PlaceId = PlaceId(uuid::Uuid::from_u128(1));
/// A Belgian mother, her child (no claim of its own), another Belgian woman, a French
/// woman, and four more Belgian women so that counts are not all withheld.
const MOTHER: PersonId = PersonId(uuid::Uuid::from_u128(10));
const CHILD: PersonId = PersonId(uuid::Uuid::from_u128(11));
const OTHER_BE: PersonId = PersonId(uuid::Uuid::from_u128(12));
const FRENCH: PersonId = PersonId(uuid::Uuid::from_u128(13));
const HOUSEHOLD: HouseholdId = HouseholdId(uuid::Uuid::from_u128(50));
const OCT_2: Timestamp = Timestamp(1_569_974_400_000);
const NOW: i64 = 1_575_000_000_000;

struct World {
    reg: Registry,
    _tmp: tempfile::TempDir,
}

fn cc(s: &str) -> model::CountryCode {
    s.parse().unwrap()
}

fn registration(name: &str, birth: i32, nats: &[&str], rels: Vec<Relationship>) -> Registration {
    Registration {
        sex: if birth > 2001 { Sex::Male } else { Sex::Female },
        birth: Some(Birth::Year(birth)),
        names: vec![Name::new(name, NameKind::Full, None)],
        nationalities: nats
            .iter()
            .map(|c| NationalityClaim {
                country: cc(c),
                status: NationalityStatus::Claimed,
                evidence: None,
                source: None,
            })
            .collect(),
        vulnerabilities: vec![],
        household: None,
        relationships: rels,
        source: None,
    }
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
    let mut events = vec![Payload::PlaceAdded {
        place: Place {
            id: ROJ,
            name: "Roj".into(),
            kind: PlaceKind::Camp,
            parent: None,
        },
    }];
    let mut mother = registration("Yasmina Oukili", 1994, &["BE"], vec![]);
    mother.household = Some(HOUSEHOLD);
    let mut child = registration(
        "Adam Oukili",
        2015,
        &[],
        vec![Relationship {
            kind: RelationshipKind::ChildOf,
            other: MOTHER,
            evidence: EvidenceGrade::Asserted,
        }],
    );
    child.household = Some(HOUSEHOLD);
    let mut persons = vec![
        (MOTHER, mother),
        (CHILD, child),
        (
            OTHER_BE,
            registration("=HYPERLINK(\"x\")", 1990, &["BE"], vec![]),
        ),
        (FRENCH, registration("Nadia Ferrand", 1991, &["FR"], vec![])),
    ];
    for n in 0..4u128 {
        persons.push((
            PersonId::from_u128(20 + n),
            registration(&format!("Leila Vermeer {n}"), 1990, &["BE"], vec![]),
        ));
    }
    let report = ReportId::from_u128(99);
    let claims: Vec<Claim> = persons
        .iter()
        .enumerate()
        .map(|(i, (p, _))| Claim {
            id: ClaimId::from_u128(1000 + i as u128),
            report,
            person: *p,
            observed_at: OCT_2,
            kind: ClaimKind::SeenAt { place: ROJ },
        })
        .collect();
    for (person, registration) in persons {
        events.push(Payload::PersonRegistered {
            person,
            registration,
        });
    }
    events.push(Payload::ReportReceived {
        report: Report {
            id: report,
            channel: Channel::OfficialList,
            received_at: OCT_2,
            received_by: ActorId::from_u128(1),
            source: None,
            content: "Roj list".into(),
            attachments: vec![],
            grade: Grade::parse("A1").unwrap(),
        },
        claims,
    });
    let actor = reg.local_actor();
    reg.append(actor, events.into_iter().map(|p| (OCT_2, p)), &mut |_| {})
        .unwrap();
    World { reg, _tmp: tmp }
}

fn user(role: Role, nats: &[&str]) -> User {
    User {
        name: format!("{role}-user"),
        role,
        nationalities: nats.iter().map(|c| cc(c)).collect(),
        camps: vec![],
        organisation: None,
        scope_organisations: vec![],
        actor: None,
    }
}

impl World {
    /// Runs `f` through a gate for `u`, with a directory as of now (as the server does
    /// after every change).
    fn read<T>(&self, u: &User, f: impl FnOnce(&Gate) -> T) -> T {
        let dir = Directory::build(&self.reg).unwrap();
        f(&Gate {
            registry: &self.reg,
            directory: &dir,
            user: u,
            interface: "test",
            now_ms: NOW,
        })
    }

    fn write<T>(&mut self, u: &User, f: impl FnOnce(&mut Writer) -> T) -> T {
        let dir = Directory::build(&self.reg).unwrap();
        f(&mut Writer {
            registry: &mut self.reg,
            directory: &dir,
            user: u,
            interface: "test",
            now_ms: NOW,
        })
    }

    fn decide(
        &mut self,
        person: PersonId,
        purpose: Purpose,
        decision: Decision,
        day: i64,
    ) -> Result<ConsentId, AccessError> {
        let caseworker = user(Role::Caseworker, &[]);
        self.write(&caseworker, |w| {
            w.record_consent(ConsentInput {
                person,
                purpose,
                decision,
                at: OCT_2.plus_ms(day * MS_PER_DAY),
                guardian: None,
                evidence: Evidence::SignedForm(AttachmentHash([day as u8; 32])),
            })
        })
    }

    fn export(&self, u: &User, format: ExportFormat, scope: Option<ExportScope>) -> String {
        let mut out = Vec::new();
        self.read(u, |g| {
            g.export(&ExportRequest { format, scope }, 5, &mut out)
                .unwrap()
        });
        String::from_utf8(out).unwrap()
    }
}

fn sees(w: &World, u: &User, p: PersonId) -> bool {
    w.read(u, |g| g.person(p).is_ok())
}

#[test]
fn a_refusal_to_share_with_belgium_hides_her_and_her_child_from_belgian_consuls() {
    let mut w = world();
    let consul = user(Role::Consular, &["BE"]);
    assert!(sees(&w, &consul, MOTHER) && sees(&w, &consul, CHILD));
    let before = w.read(&consul, |g| g.stats(&[], 2019, 5).unwrap().total);
    assert_eq!(before, Some(7));
    w.decide(MOTHER, Purpose::Sharing(cc("BE")), Decision::Refused, 1)
        .unwrap();
    assert!(!sees(&w, &consul, MOTHER), "person read");
    assert!(
        !sees(&w, &consul, CHILD),
        "the child is seen only through her"
    );
    assert!(matches!(
        w.read(&consul, |g| g.timeline(MOTHER)),
        Err(AccessError::NotFound)
    ));
    let hits = w.read(&consul, |g| g.search("Yasmina Oukili", 10).unwrap());
    assert!(
        hits.iter().all(|h| h.person_id != MOTHER.to_string()),
        "search"
    );
    let kin = w.read(&consul, |g| g.search("Adam Oukili", 10).unwrap());
    assert!(
        kin.iter().all(|h| h.person_id != CHILD.to_string()),
        "search for the child"
    );
    assert_eq!(
        w.read(&consul, |g| g.stats(&[], 2019, 5).unwrap().total),
        Some(5)
    );
    // Other roles and other governments are unaffected.
    assert!(sees(&w, &user(Role::Caseworker, &[]), MOTHER));
    assert!(sees(&w, &user(Role::Consular, &["BE", "FR"]), FRENCH));
    // The consul cannot learn of decisions about other governments.
    let fr = w.decide(OTHER_BE, Purpose::Sharing(cc("FR")), Decision::Refused, 2);
    assert!(fr.is_ok());
    let seen = w.read(&consul, |g| g.consent_of(OTHER_BE).unwrap());
    assert!(
        seen.history.is_empty()
            && seen
                .current
                .iter()
                .all(|c| !c.purpose.starts_with("sharing"))
    );
}

#[test]
fn copies_for_a_government_need_its_grant_and_stop_at_revocation() {
    let mut w = world();
    let consul = user(Role::Consular, &["BE"]);
    let caseworker = user(Role::Caseworker, &[]);
    let lines = |text: &str| text.lines().count();
    // Nothing granted: the consul's export is empty although the consul sees 7 persons.
    assert_eq!(lines(&w.export(&consul, ExportFormat::Jsonl, None)), 0);
    let government = Some(ExportScope::Government(cc("BE")));
    assert_eq!(
        lines(&w.export(&caseworker, ExportFormat::Jsonl, government.clone())),
        0
    );
    w.decide(OTHER_BE, Purpose::Sharing(cc("BE")), Decision::Granted, 1)
        .unwrap();
    let jsonl = w.export(&consul, ExportFormat::Jsonl, None);
    assert_eq!(lines(&jsonl), 1);
    let record: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(record["person_id"], OTHER_BE.to_string());
    assert_eq!(record["camp"], "Roj");
    // Redacted as the gate redacts for the consul: no report text.
    let shown = w.read(&consul, |g| g.person(OTHER_BE).unwrap());
    let mut expected = serde_json::to_value(&shown).unwrap();
    expected["camp"] = "Roj".into();
    assert_eq!(record, expected);
    assert_eq!(
        lines(&w.export(&caseworker, ExportFormat::Jsonl, government.clone())),
        1
    );
    // A consul may not export for another government.
    let mut sink = Vec::new();
    let other = w.read(&consul, |g| {
        g.export(
            &ExportRequest {
                format: ExportFormat::Csv,
                scope: Some(ExportScope::Government(cc("FR"))),
            },
            5,
            &mut sink,
        )
    });
    assert!(matches!(other, Err(AccessError::Forbidden { .. })));
    // Revoked: gone from the next copy at once.
    w.decide(OTHER_BE, Purpose::Sharing(cc("BE")), Decision::Revoked, 3)
        .unwrap();
    assert_eq!(lines(&w.export(&consul, ExportFormat::Jsonl, None)), 0);
    assert_eq!(
        lines(&w.export(&caseworker, ExportFormat::Jsonl, government)),
        0
    );
    assert!(
        !sees(&w, &consul, OTHER_BE),
        "revoked sharing also hides her"
    );
}

#[test]
fn research_consent_opens_and_revocation_closes_the_researchers_extract() {
    let mut w = world();
    let researcher = user(Role::Researcher, &[]);
    assert_eq!(
        w.export(&researcher, ExportFormat::Csv, None)
            .lines()
            .count(),
        1
    );
    assert_eq!(
        w.read(&researcher, |g| g.stats(&[], 2019, 5).unwrap().total),
        Some(0)
    );
    for p in [MOTHER, OTHER_BE, FRENCH] {
        w.decide(p, Purpose::Research, Decision::Granted, 1)
            .unwrap();
    }
    let csv = w.export(&researcher, ExportFormat::Csv, None);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with("person_id,sex,birth,"), "{}", rows[0]);
    assert!(rows[1..].iter().all(|r| r.starts_with("anon-")));
    assert!(!csv.contains("Oukili") && !csv.contains(&MOTHER.to_string()));
    assert!(!csv.contains("HYPERLINK"), "no names in an extract");
    // Counts over time see the three as well (suppressed: fewer than five).
    let days = [Timestamp(NOW)];
    let series = w.read(&researcher, |g| g.stats_over_time(&[], &days, 5).unwrap());
    assert_eq!(series[0].table.total, None);
    // A researcher may read the consenting person's consent: research only.
    let c = w.read(&researcher, |g| g.consent_of(MOTHER).unwrap());
    assert_eq!(c.current.len(), 1);
    assert!(c.person_id.starts_with("anon-"));
    w.decide(MOTHER, Purpose::Research, Decision::Revoked, 4)
        .unwrap();
    let csv = w.export(&researcher, ExportFormat::Csv, None);
    assert_eq!(
        csv.lines().count(),
        3,
        "revocation reaches the extract at once"
    );
    assert!(!sees(&w, &researcher, MOTHER));
    assert!(matches!(
        w.read(&researcher, |g| g.consent_of(MOTHER)),
        Err(AccessError::NotFound)
    ));
    // Researchers may not make publication or government copies.
    let mut sink = Vec::new();
    for scope in [ExportScope::Publication, ExportScope::Government(cc("BE"))] {
        let r = w.read(&researcher, |g| {
            g.export(
                &ExportRequest {
                    format: ExportFormat::Csv,
                    scope: Some(scope),
                },
                5,
                &mut sink,
            )
        });
        assert!(matches!(r, Err(AccessError::Forbidden { .. })));
    }
}

#[test]
fn an_export_is_audited_per_person_and_escapes_formulas_under_an_hxl_row() {
    let w = world();
    let admin = user(Role::Admin, &[]);
    let hxl = w.export(&admin, ExportFormat::Hxl, Some(ExportScope::Persons));
    let lines: Vec<&str> = hxl.lines().collect();
    assert!(
        lines[1].starts_with(
            "#x_person +id,#x_person +name,#x_sex,#date +x_birth,#country +code +x_nationality"
        ),
        "{}",
        lines[1]
    );
    let hostile = lines.iter().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        hostile.contains(",\"'=HYPERLINK(\"\"x\"\")\","),
        "{hostile}"
    );
    assert_eq!(lines.len(), 2 + 8);
    let audit = w.reg.audit_for(&format!("person:{MOTHER}")).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "person.exported" && e.actor == "admin-user"));
    let exports = w.reg.audit_for("export").unwrap();
    assert_eq!(exports.len(), 1);
    assert!(exports[0]
        .detail
        .contains("format=hxl scope=persons persons=8"));
}

#[test]
fn coordinators_export_suppressed_counts_only() {
    let w = world();
    let coordinator = user(Role::Coordinator, &[]);
    let hxl = w.export(&coordinator, ExportFormat::Hxl, None);
    let lines: Vec<&str> = hxl.lines().collect();
    assert!(
        lines[1].starts_with("#loc +name,#affected +f +children +age0_4"),
        "{}",
        lines[1]
    );
    // Roj: 7 women aged 18-59 and one boy aged 0-4. The boy's cell is withheld, and so is
    // the women's: the published total (8) less 7 would give him away.
    let roj: Vec<&str> = lines[2].split(',').collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = |h: &str| header.iter().position(|x| *x == h).unwrap();
    assert_eq!(roj[col("male 0-4")], "");
    assert_eq!(roj[col("female 18-59")], "");
    assert_eq!(roj[col("female 60+")], "0");
    let mut sink = Vec::new();
    let refused = w.read(&coordinator, |g| {
        g.export(
            &ExportRequest {
                format: ExportFormat::Csv,
                scope: Some(ExportScope::Persons),
            },
            5,
            &mut sink,
        )
    });
    assert!(matches!(refused, Err(AccessError::Forbidden { .. })));
    assert!(sink.is_empty());
}

#[test]
fn consent_rules_and_bad_input_are_refused_clearly_with_nothing_written() {
    let mut w = world();
    let events = w.reg.log_position().unwrap();
    let err = w
        .decide(MOTHER, Purpose::Research, Decision::Revoked, 1)
        .unwrap_err();
    assert!(
        err.to_string().contains("no consent to research to revoke"),
        "{err}"
    );
    let err = w
        .decide(CHILD, Purpose::Research, Decision::Granted, 1)
        .unwrap_err();
    assert!(err.to_string().contains("parent or guardian"), "{err}");
    let consul = user(Role::Consular, &["BE"]);
    let r = w.write(&consul, |wr| {
        wr.record_consent(ConsentInput {
            person: MOTHER,
            purpose: Purpose::Sharing(cc("BE")),
            decision: Decision::Granted,
            at: OCT_2,
            guardian: None,
            evidence: Evidence::SignedForm(AttachmentHash([1; 32])),
        })
    });
    assert!(
        matches!(r, Err(AccessError::Forbidden { .. })),
        "a consul records no consent"
    );
    let tracer = user(Role::Tracing, &["FR"]);
    let r = w.write(&tracer, |wr| {
        wr.record_consent(ConsentInput {
            person: MOTHER,
            purpose: Purpose::Research,
            decision: Decision::Granted,
            at: OCT_2,
            guardian: None,
            evidence: Evidence::SignedForm(AttachmentHash([1; 32])),
        })
    });
    assert!(
        matches!(r, Err(AccessError::NotFound)),
        "hidden person: not found"
    );
    let caseworker = user(Role::Caseworker, &[]);
    let r = w.write(&caseworker, |wr| {
        wr.record_consent(ConsentInput {
            person: MOTHER,
            purpose: Purpose::Research,
            decision: Decision::Granted,
            at: OCT_2,
            guardian: None,
            evidence: Evidence::Interview(InterviewId::from_u128(77)),
        })
    });
    assert!(r
        .unwrap_err()
        .to_string()
        .contains("not one with this person"));
    let r = w.write(&caseworker, |wr| {
        wr.record_consent(ConsentInput {
            person: MOTHER,
            purpose: Purpose::Research,
            decision: Decision::Granted,
            at: Timestamp(NOW + 2 * MS_PER_DAY),
            guardian: None,
            evidence: Evidence::SignedForm(AttachmentHash([1; 32])),
        })
    });
    assert!(r.unwrap_err().to_string().contains("in the future"));
    assert_eq!(w.reg.log_position().unwrap(), events, "nothing was written");
    // The mother decides for her child.
    let r = w.write(&caseworker, |wr| {
        wr.record_consent(ConsentInput {
            person: CHILD,
            purpose: Purpose::Research,
            decision: Decision::Granted,
            at: OCT_2,
            guardian: Some(MOTHER),
            evidence: Evidence::SignedForm(AttachmentHash([1; 32])),
        })
    });
    assert!(r.is_ok());
    let c = w.read(&caseworker, |g| g.consent_of(CHILD).unwrap());
    assert_eq!(c.history[0].given_by, "guardian");
    assert_eq!(
        c.history[0].guardian.as_deref(),
        Some(MOTHER.to_string().as_str())
    );
}

fn interview(persons: Vec<PersonId>, language: &str) -> InterviewInput {
    InterviewInput {
        at: OCT_2,
        place: Some(ROJ),
        interviewers: vec!["R. Interviewer".into()],
        language: language.into(),
        interpreter: Some("Interpreter from the NGO".into()),
        persons,
        transcript: Some("She says she wants to go home with her son. (synthetic)".into()),
        attachments: vec![Attachment {
            hash: AttachmentHash(*blake3::hash(b"photo").as_bytes()),
            size: 5,
            media_type: MediaType::parse("image/jpeg").unwrap(),
        }],
    }
}

#[test]
fn transcripts_open_only_for_roles_holding_their_key() {
    let mut w = world();
    let caseworker = user(Role::Caseworker, &[]);
    let id = w
        .write(&caseworker, |wr| {
            wr.record_interview(interview(vec![MOTHER, CHILD], "fr"))
        })
        .unwrap();
    for (role, opens) in [
        (Role::Caseworker, true),
        (Role::ChildProtection, true),
        (Role::Tracing, false),
        (Role::Admin, false),
        (Role::Consular, false),
    ] {
        let u = user(role, &["BE"]);
        let list = w.read(&u, |g| g.interviews_of(MOTHER).unwrap());
        assert_eq!(list.len(), 1, "{role}");
        let t = list[0].transcript.as_ref().unwrap();
        assert!(t.sealed);
        assert_eq!(t.value.is_some(), opens, "{role}");
        assert_eq!(
            list[0].interview_id.as_deref(),
            Some(id.to_string().as_str())
        );
        assert_eq!(list[0].attachments[0].media_type, "image/jpeg");
    }
    // The key check is also next to the key: the stored bytes are not the text.
    let stored = w.reg.interview(id).unwrap().unwrap();
    let sealed = &stored.transcript.unwrap().0;
    assert!(!sealed.windows(4).any(|x| x == b"home"));
    // Bad input: a language that is not a tag, a hidden person, a coordinator.
    let err = w
        .write(&caseworker, |wr| {
            wr.record_interview(interview(vec![MOTHER], "arabic"))
        })
        .unwrap_err();
    assert!(err.to_string().contains("BCP 47"), "{err}");
    let r = w.write(&user(Role::Tracing, &["FR"]), |wr| {
        wr.record_interview(interview(vec![MOTHER], "ar"))
    });
    assert!(matches!(r, Err(AccessError::NotFound)));
    let r = w.write(&user(Role::Coordinator, &[]), |wr| {
        wr.record_interview(interview(vec![MOTHER], "ar"))
    });
    assert!(matches!(r, Err(AccessError::Forbidden { .. })));
}

#[test]
fn publication_needs_consent_and_names_and_images_need_theirs() {
    let mut w = world();
    let caseworker = user(Role::Caseworker, &[]);
    w.write(&caseworker, |wr| {
        wr.record_interview(interview(vec![MOTHER], "fr"))
    })
    .unwrap();
    let scope = Some(ExportScope::Publication);
    assert_eq!(
        w.export(&caseworker, ExportFormat::Jsonl, scope.clone()),
        ""
    );
    w.decide(MOTHER, Purpose::Publication, Decision::Granted, 1)
        .unwrap();
    let line = w.export(&caseworker, ExportFormat::Jsonl, scope.clone());
    let r: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert!(r["reference"].as_str().unwrap().starts_with("pub-"));
    assert_eq!(r["names"], serde_json::json!([]));
    assert_eq!(r["images"], serde_json::json!([]));
    w.decide(MOTHER, Purpose::UseOfName, Decision::Granted, 1)
        .unwrap();
    w.decide(MOTHER, Purpose::UseOfImage, Decision::Granted, 1)
        .unwrap();
    let r: serde_json::Value = serde_json::from_str(
        w.export(&caseworker, ExportFormat::Jsonl, scope.clone())
            .trim(),
    )
    .unwrap();
    assert_eq!(r["names"], serde_json::json!(["Yasmina Oukili"]));
    assert_eq!(r["images"][0], blake3::hash(b"photo").to_hex().as_str());
    w.decide(MOTHER, Purpose::Publication, Decision::Revoked, 2)
        .unwrap();
    assert_eq!(w.export(&caseworker, ExportFormat::Jsonl, scope), "");
}

#[test]
fn a_person_who_asked_not_to_be_traced_leaves_the_tracing_list() {
    let mut w = world();
    let admin = user(Role::Admin, &[]);
    w.write(&admin, |wr| {
        wr.change_place_status(ROJ, PlaceStatus::Unguarded, OCT_2.plus_ms(MS_PER_DAY))
    })
    .unwrap();
    let tracer = user(Role::Tracing, &[]);
    let listed = |w: &World| {
        w.read(&tracer, |g| g.tracing_list(None, 100).unwrap())
            .iter()
            .any(|i| i.person.person_id == OTHER_BE.to_string())
    };
    assert!(listed(&w));
    w.decide(OTHER_BE, Purpose::Tracing, Decision::Refused, 2)
        .unwrap();
    assert!(!listed(&w));
    // The crisis chart counts her still (she is in the counts, not on the list), with
    // days where counts are withheld drawn as gaps.
    let trends = w.read(&admin, |g| g.camp_trends(5).unwrap());
    assert_eq!(trends.len(), 1);
    let unaccounted = &trends[0].series[0];
    assert_eq!(unaccounted.last().copied().flatten(), Some(8));
    let accounted = &trends[0].series[3];
    assert_eq!(accounted.last().copied().flatten(), Some(0));
    let few = w.read(&user(Role::Consular, &["FR"]), |g| {
        g.camp_trends(5).unwrap()
    });
    assert!(few[0].series.iter().all(|s| s.iter().all(Option::is_none)));
    let dims = [StatsDimension::Camp];
    let now = w.read(&admin, |g| {
        g.stats_over_time(&dims, &[Timestamp(NOW)], 5).unwrap()
    });
    assert_eq!(now[0].table.total, Some(8));
}

#[test]
fn a_refusal_on_a_merged_record_binds_the_person_until_the_merge_is_undone() {
    let mut w = world();
    let consul = user(Role::Consular, &["BE"]);
    let survivor = PersonId::from_u128(20);
    w.decide(OTHER_BE, Purpose::Sharing(cc("BE")), Decision::Refused, 1)
        .unwrap();
    assert!(sees(&w, &consul, survivor) && !sees(&w, &consul, OTHER_BE));
    let merge = merge_other_be_into_survivor(&mut w);
    let (actor, at) = (w.reg.local_actor(), merged_on());
    assert!(
        !sees(&w, &consul, survivor),
        "the refusal recorded on the merged record holds for the person it joined"
    );
    let undone = Payload::MergeUndone {
        merge,
        by: "caseworker-user".into(),
        at,
        note: String::new(),
    };
    w.reg.append(actor, [(at, undone)], &mut |_| {}).unwrap();
    assert!(sees(&w, &consul, survivor) && !sees(&w, &consul, OTHER_BE));
}

/// A second record of the other Belgian woman (registered in `world`).
const SURVIVOR: PersonId = PersonId(uuid::Uuid::from_u128(20));

fn merged_on() -> Timestamp {
    OCT_2.plus_ms(2 * MS_PER_DAY)
}

/// Merges `OTHER_BE` into `SURVIVOR`.
fn merge_other_be_into_survivor(w: &mut World) -> MergeId {
    let merge = MergeId::from_u128(7);
    let merged = Payload::PersonsMerged {
        merge,
        survivor: SURVIVOR,
        merged: OTHER_BE,
        candidate: None,
        by: "caseworker-user".into(),
        at: merged_on(),
        note: String::new(),
    };
    let actor = w.reg.local_actor();
    w.reg
        .append(actor, [(merged_on(), merged)], &mut |_| {})
        .unwrap();
    merge
}

fn state_of(c: &access::consent::ConsentOut, purpose: &str) -> &'static str {
    c.current
        .iter()
        .find(|s| s.purpose == purpose)
        .map_or("absent", |s| s.state)
}

#[test]
fn a_merged_person_shows_the_consent_recorded_on_any_of_their_records() {
    let mut w = world();
    w.decide(OTHER_BE, Purpose::Research, Decision::Granted, 1)
        .unwrap();
    merge_other_be_into_survivor(&mut w);
    assert!(sees(&w, &user(Role::Researcher, &[]), SURVIVOR));
    let caseworker = user(Role::Caseworker, &[]);
    for asked in [SURVIVOR, OTHER_BE] {
        let shown = w.read(&caseworker, |g| g.consent_of(asked).unwrap());
        assert_eq!(shown.person_id, SURVIVOR.to_string());
        assert_eq!(state_of(&shown, "research"), "granted");
        assert_eq!(shown.history.len(), 1);
    }
}

#[test]
fn what_a_merged_person_shows_for_a_government_is_what_the_export_does() {
    let mut w = world();
    let be = Purpose::Sharing(cc("BE"));
    w.decide(SURVIVOR, be, Decision::Refused, 1).unwrap();
    w.decide(OTHER_BE, be, Decision::Granted, 2).unwrap();
    merge_other_be_into_survivor(&mut w);
    let copy = w.export(
        &user(Role::Admin, &[]),
        ExportFormat::Jsonl,
        Some(ExportScope::Government(cc("BE"))),
    );
    let shown = w.read(&user(Role::Caseworker, &[]), |g| {
        g.consent_of(SURVIVOR).unwrap()
    });
    // The later decision, on either record, is the one in force, shown and enforced.
    assert_eq!(state_of(&shown, "sharing:BE"), "granted");
    assert!(copy.contains(&SURVIVOR.to_string()));
}

#[test]
fn a_grant_on_a_merged_record_can_be_revoked_on_the_person_or_the_record() {
    for revoke_on in [SURVIVOR, OTHER_BE] {
        let mut w = world();
        w.decide(OTHER_BE, Purpose::Research, Decision::Granted, 1)
            .unwrap();
        merge_other_be_into_survivor(&mut w);
        w.decide(revoke_on, Purpose::Research, Decision::Revoked, 3)
            .unwrap();
        assert!(
            !sees(&w, &user(Role::Researcher, &[]), SURVIVOR),
            "revoked on {revoke_on}: the researcher still sees the person"
        );
        let shown = w.read(&user(Role::Caseworker, &[]), |g| {
            g.consent_of(SURVIVOR).unwrap()
        });
        assert_eq!(state_of(&shown, "research"), "revoked");
    }
}

#[test]
fn a_merged_person_lists_the_interviews_of_all_their_records() {
    let mut w = world();
    let caseworker = user(Role::Caseworker, &[]);
    w.write(&caseworker, |wr| {
        wr.record_interview(interview(vec![OTHER_BE], "fr"))
    })
    .unwrap();
    merge_other_be_into_survivor(&mut w);
    for asked in [SURVIVOR, OTHER_BE] {
        let listed = w.read(&caseworker, |g| g.interviews_of(asked).unwrap());
        assert_eq!(listed.len(), 1, "asked as {asked}");
    }
}

#[test]
fn an_interview_with_a_merged_record_is_evidence_for_the_person_it_joined() {
    let mut w = world();
    let caseworker = user(Role::Caseworker, &[]);
    let with_record = w
        .write(&caseworker, |wr| {
            wr.record_interview(interview(vec![OTHER_BE], "fr"))
        })
        .unwrap();
    let with_mother = w
        .write(&caseworker, |wr| {
            wr.record_interview(interview(vec![MOTHER], "fr"))
        })
        .unwrap();
    merge_other_be_into_survivor(&mut w);
    let decide = |w: &mut World, evidence: InterviewId| {
        w.write(&caseworker, |wr| {
            wr.record_consent(ConsentInput {
                person: SURVIVOR,
                purpose: Purpose::Research,
                decision: Decision::Granted,
                at: merged_on(),
                guardian: None,
                evidence: Evidence::Interview(evidence),
            })
        })
    };
    assert!(matches!(
        decide(&mut w, with_mother),
        Err(AccessError::Invalid(_))
    ));
    decide(&mut w, with_record).unwrap();
    assert!(sees(&w, &user(Role::Researcher, &[]), SURVIVOR));
}
