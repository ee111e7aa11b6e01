//! Cases as tables for people (`--json` prints what the access layer returned).

use crate::present::table;
use access::cases::board::BoardOut;
use access::cases::view::{CaseOut, CaseSummary, RecordOut};
use access::views::PersonSummary;

fn day(t: &Option<String>) -> &str {
    t.as_deref().map_or("—", |s| s.get(..10).unwrap_or(s))
}

fn name(p: &PersonSummary) -> String {
    let full = |script: &str| {
        p.names
            .iter()
            .find(|n| n.kind == "full" && n.script == script)
    };
    full("latin")
        .or_else(|| full("arabic"))
        .or(p.names.first())
        .map_or_else(|| p.person_id.chars().take(8).collect(), |n| n.text.clone())
}

fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

pub fn case(c: &CaseOut) {
    println!(
        "case {} ({}): {} since {}, opened {}",
        c.case_id,
        c.country,
        c.stage,
        day(&c.stage_since),
        day(&c.opened_at)
    );
    if let Some(d) = &c.decision {
        println!(
            "decision: {} by {} on {}",
            d.outcome,
            d.authority,
            day(&d.decided_on)
        );
    }
    println!("allowed next: {}", c.allowed_next.join(", "));
    if c.unaccompanied {
        println!("UNACCOMPANIED: everyone who travels is a child");
    }
    let mut t = table(&[
        "relation",
        "name",
        "person",
        "nationalities",
        "whereabouts",
        "flags",
        "travels",
    ]);
    for m in &c.members {
        let nats: Vec<String> = m
            .person
            .nationalities
            .iter()
            .map(|n| format!("{} {}", n.country, n.status))
            .collect();
        let flags: Vec<&str> = m.flags.iter().map(|f| f.detail.as_str()).collect();
        t.add_row(vec![
            m.relation.to_string(),
            name(&m.person),
            short(&m.person.person_id),
            nats.join(", "),
            m.person.status.to_string(),
            flags.join("; "),
            match &m.stays_behind {
                Some(st) => format!("stays behind since {}: {}", day(&st.since), st.reason),
                None => "yes".into(),
            },
        ]);
    }
    println!("{t}");
    for r in &c.removed {
        println!(
            "removed {} on {}: {}",
            short(&r.person_id),
            day(&r.at),
            r.reason
        );
    }
    for p in &c.may_join {
        println!("may join: {} {}", short(&p.person_id), name(p));
    }
    let mut t = table(&["stage", "entered", "days", "decision", "note"]);
    for s in &c.stages {
        let days = c
            .time_in_stages
            .iter()
            .find(|x| x.stage == s.stage)
            .map_or(String::new(), |x| format!("{:.1}", x.days));
        t.add_row(vec![
            s.stage.to_string(),
            day(&s.at).to_string(),
            days,
            s.authority.clone().unwrap_or_default(),
            s.note.clone(),
        ]);
    }
    println!("{t}");
    let mut t = table(&[
        "document",
        "person",
        "needed for",
        "status",
        "hash",
        "received",
    ]);
    for d in &c.documents {
        t.add_row(vec![
            d.kind.to_string(),
            d.person_id.as_deref().map(short).unwrap_or_default(),
            d.required_for.unwrap_or("—").to_string(),
            d.status.to_string(),
            d.hash
                .as_deref()
                .map(|h| format!("{}…", &h[..16.min(h.len())]))
                .unwrap_or_default(),
            day(&d.received_at).to_string(),
        ]);
    }
    println!("{t}");
    for h in &c.handovers {
        println!(
            "handover {}: {} → {} at {} ({} persons) {}",
            day(&h.at),
            h.from,
            h.to,
            h.place,
            h.persons.len(),
            h.note
        );
    }
    records("wishes", &c.wishes);
    records("legal records", &c.legal);
    for e in c.evidence.iter().flatten() {
        println!(
            "evidence {} ({}) captured {} by {}: {}{}",
            short(&e.evidence_id),
            e.kind,
            day(&e.captured_at),
            e.captured_by,
            e.description,
            if e.authorship_disputed {
                " — AUTHORSHIP DISPUTED"
            } else {
                ""
            }
        );
        for a in &e.authorship {
            let grade = a.report.as_ref().map_or("?", |r| r.grade.as_str());
            let channel = a.report.as_ref().map_or("?", |r| r.channel);
            println!("  authored by {} ({grade}, {channel}) {}", a.author, a.note);
        }
    }
}

fn records(title: &str, list: &Option<Vec<RecordOut>>) {
    let Some(list) = list else { return };
    if list.is_empty() {
        return;
    }
    println!("{title}:");
    for r in list {
        println!(
            "  {} {}{} · grade {} · {}",
            short(&r.person_id),
            r.claim.kind,
            r.claim
                .text
                .as_deref()
                .map(|t| format!(": {t}"))
                .unwrap_or_default(),
            r.claim.grade,
            day(&r.claim.observed_at)
        );
    }
}

pub fn list(cases: &[CaseSummary]) {
    let mut t = table(&[
        "case",
        "country",
        "stage",
        "since",
        "days",
        "principal",
        "members",
        "flagged",
        "staying",
        "unaccompanied",
    ]);
    for c in cases {
        t.add_row(vec![
            short(&c.case_id),
            c.country.clone(),
            c.stage.to_string(),
            day(&c.stage_since).to_string(),
            format!("{:.1}", c.days_in_stage),
            c.principal.as_ref().map(name).unwrap_or_default(),
            c.members.to_string(),
            c.flagged_children.to_string(),
            c.staying_behind.to_string(),
            if c.unaccompanied { "yes" } else { "" }.to_string(),
        ]);
    }
    println!("{t}");
    println!("{} cases", cases.len());
}

/// Short column heads, in board order.
const HEADS: [&str; 11] = [
    "idf", "nat", "con", "pend", "appr", "ref", "trans", "arr", "legal", "reint", "closed",
];

pub fn board(b: &BoardOut) {
    println!("repatriation board as of {} ({})", day(&b.as_of), b.mode);
    if b.countries.is_empty() {
        println!("no cases you may see");
        return;
    }
    let mut head = vec!["country", "cases"];
    head.extend(HEADS);
    let mut t = table(&head);
    let count = |c: Option<u64>| c.map_or("withheld".to_string(), |n| n.to_string());
    for country in &b.countries {
        let mut row = vec![country.country.clone(), count(country.total)];
        row.extend(country.stages.iter().map(|s| count(s.count)));
        t.add_row(row);
    }
    println!("{t}");
    println!(
        "stages: {}",
        HEADS
            .iter()
            .zip(model::case::Stage::ALL)
            .map(|(h, s)| format!("{h} = {}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if b.mode == "cases" {
        let lines: Vec<CaseSummary> = b
            .countries
            .iter()
            .flat_map(|c| c.stages.iter().flat_map(|s| s.cases.iter().cloned()))
            .collect();
        list(&lines);
    }
}
