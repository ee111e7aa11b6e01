//! The audit entry is written before the answer, also when many requests arrive at once
//! and their entries are committed together: concurrent reads are each audited in one
//! intact chain, and when the audit cannot be written the API answers 500 and shows
//! nothing of the person.

use access::identity::{add_user, User};
use access::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::ids::PersonId;
use server::{router, AppState};
use std::sync::Arc;
use store::Registry;
use tower::ServiceExt;

const PASSPHRASE: &str = "synthetic passphrase";
const PASSWORD: &str = "synthetic password two";

struct Served {
    state: Arc<AppState>,
    path: std::path::PathBuf,
    persons: Vec<(PersonId, String)>,
    _tmp: tempfile::TempDir,
}

fn serve() -> Served {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("reg.db");
    let mut reg = Registry::create(&path, PASSPHRASE).unwrap();
    let scenario = demo::generate(0.01, 11, reg.sealer());
    let actor = reg.local_actor();
    reg.append(
        actor,
        scenario.events.into_iter().map(|e| (e.at, e.payload)),
        &mut |_| {},
    )
    .unwrap();
    let reader = User {
        name: "reader".into(),
        role: Role::Caseworker,
        nationalities: vec![],
        camps: vec![],
        organisation: None,
        scope_organisations: vec![],
        actor: None,
    };
    add_user(&mut reg, &reader, PASSWORD, "operator", "test", 0).unwrap();
    let persons = reg
        .persons(&store::PersonFilter {
            limit: Some(40),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|v| (v.id, v.display_name()))
        .collect();
    Served {
        state: Arc::new(AppState::new(reg, 5).unwrap()),
        path,
        persons,
        _tmp: tmp,
    }
}

async fn call(
    s: &Served,
    uri: &str,
    token: Option<&str>,
    body: Option<String>,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(if body.is_some() { "POST" } else { "GET" })
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = req
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let resp = router(Arc::clone(&s.state)).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn token(s: &Served) -> String {
    let body = serde_json::json!({"username": "reader", "password": PASSWORD}).to_string();
    let (status, text) = call(s, "/api/v1/session", None, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["token"].as_str().unwrap().to_string()
}

fn person_reads(s: &Served, subject: &str) -> usize {
    s.state
        .with_registry(|reg, _| reg.audit_for(subject).unwrap())
        .unwrap()
        .iter()
        .filter(|e| e.action == "person.read" && e.actor == "reader")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reads_are_each_audited_in_one_intact_chain() {
    let s = Arc::new(serve());
    let token = token(&s).await;
    let mut tasks = Vec::new();
    for round in 0..4 {
        for (id, _) in s.persons.clone() {
            let (s, token) = (Arc::clone(&s), token.clone());
            tasks.push(tokio::spawn(async move {
                let uri = if round % 2 == 0 {
                    format!("/api/v1/persons/{id}")
                } else {
                    format!("/api/v1/persons/{id}/timeline")
                };
                call(&s, &uri, Some(&token), None).await.0
            }));
        }
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    for (id, _) in &s.persons {
        let subject = format!("person:{id}");
        let timeline = s
            .state
            .with_registry(|reg, _| reg.audit_for(&subject).unwrap())
            .unwrap()
            .iter()
            .filter(|e| e.action == "person.timeline")
            .count();
        assert_eq!(person_reads(&s, &subject), 2, "{subject}");
        assert_eq!(timeline, 2, "{subject}");
    }
    let verified = s
        .state
        .with_registry(|reg, _| reg.audit_verify().unwrap())
        .unwrap();
    assert!(verified.is_ok(), "{verified:?}");
}

#[tokio::test]
async fn no_answer_is_sent_when_its_audit_entry_cannot_be_written() {
    let s = serve();
    let token = token(&s).await;
    let (id, name) = s.persons[0].clone();
    let family = name.split_whitespace().last().unwrap().to_string();
    let (status, body) = call(&s, &format!("/api/v1/persons/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&family), "{body}");

    store::testing::raw_execute(
        &s.path,
        PASSPHRASE,
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
         BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
    )
    .unwrap();
    for uri in [
        format!("/api/v1/persons/{id}"),
        format!("/api/v1/persons/{id}/timeline"),
        format!("/api/v1/persons?q={}&limit=5", family),
    ] {
        let (status, body) = call(&s, &uri, Some(&token), None).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}: {body}");
        assert!(!body.contains(&family), "{uri} leaked the person: {body}");
        assert!(
            !body.contains(&id.to_string()),
            "{uri} leaked the id: {body}"
        );
    }

    store::testing::raw_execute(&s.path, PASSPHRASE, "DROP TRIGGER refuse_audit;").unwrap();
    let (status, _) = call(&s, &format!("/api/v1/persons/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(person_reads(&s, &format!("person:{id}")), 2);
}
