//! Repatriation cases through the real router: `/api/v1/cases` (board, list, one case,
//! changes, bad input as 4xx problems) and the web pages (the board, a case page and its
//! forms with CSRF, cases on the person page, task assignment from the Unaccounted-for
//! list). A consul scoped to DE neither sees nor learns of another country's case through
//! any of them; a coordinator gets suppressed counts only.

use access::identity::{add_user, User};
use access::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::CountryCode;
use serde_json::{json, Value};
use server::{router, AppState};
use std::sync::{Arc, OnceLock};
use store::Registry;
use tower::ServiceExt;

const PASSWORD: &str = "synthetic password for cases";

struct Fixture {
    state: Arc<AppState>,
    /// Case ids by country (the operator's view).
    de: Vec<String>,
    fr: Vec<String>,
    _tmp: tempfile::TempDir,
}

fn cc(s: &str) -> CountryCode {
    s.parse().unwrap()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
        let scenario = demo::generate(0.02, 2019, reg.sealer());
        let actor = reg.local_actor();
        reg.append(
            actor,
            scenario.events.into_iter().map(|e| (e.at, e.payload)),
            &mut |_| {},
        )
        .unwrap();
        for (name, role, nats) in [
            ("admin", Role::Admin, vec![]),
            ("consul.de", Role::Consular, vec![cc("DE")]),
            ("consul.fr", Role::Consular, vec![cc("FR")]),
            ("coord", Role::Coordinator, vec![]),
            ("researcher", Role::Researcher, vec![]),
            ("tracer", Role::Tracing, vec![]),
        ] {
            let u = User {
                name: name.into(),
                role,
                nationalities: nats,
                camps: vec![],
                organisation: None,
                scope_organisations: vec![],
                actor: None,
            };
            add_user(&mut reg, &u, PASSWORD, "operator", "test", 0).unwrap();
        }
        let ids = |c: &str| -> Vec<String> {
            reg.cases(&store::CaseFilter {
                country: Some(cc(c)),
                stage: None,
            })
            .unwrap()
            .iter()
            .map(|c| c.id.to_string())
            .collect()
        };
        let (de, fr) = (ids("DE"), ids("FR"));
        assert!(!de.is_empty() && !fr.is_empty());
        Fixture {
            state: Arc::new(AppState::new(reg, 5).unwrap()),
            de,
            fr,
            _tmp: tmp,
        }
    })
}

/// Tests that write take turns, so that one test's change does not surprise another.
static WRITERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Reply {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn send(method: &str, uri: &str, headers: &[(&str, String)], body: Option<String>) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let req = req
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let res = router(Arc::clone(&fixture().state))
        .oneshot(req)
        .await
        .unwrap();
    let header_of = |name| {
        res.headers()
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let status = res.status();
    let content_type = header_of(header::CONTENT_TYPE).unwrap_or_default();
    let location = header_of(header::LOCATION);
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        content_type,
        location,
        cookies,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn token(user: &str) -> String {
    let body = json!({"username": user, "password": PASSWORD}).to_string();
    let r = send(
        "POST",
        "/api/v1/session",
        &[("content-type", "application/json".into())],
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_string()
}

async fn api(user: &str, method: &str, uri: &str, body: Option<Value>) -> Reply {
    let t = token(user).await;
    let headers = [
        ("authorization", format!("Bearer {t}")),
        ("content-type", "application/json".to_string()),
    ];
    send(method, uri, &headers, body.map(|b| b.to_string())).await
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("hidden field") + marker.len();
    body[start..start + 64].to_string()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A signed-in browser: (cookie header, CSRF token).
async fn sign_in(user: &str) -> (String, String) {
    let form = send("GET", "/login", &[], None).await;
    let pre = form.cookies[0].clone();
    let body = format!(
        "login_csrf={}&username={user}&password={}",
        hidden(&form.body, "login_csrf"),
        enc(PASSWORD)
    );
    let r = send(
        "POST",
        "/login",
        &[
            ("cookie", pre),
            ("content-type", "application/x-www-form-urlencoded".into()),
        ],
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookie = r.cookies[0].clone();
    let page = send("GET", "/camps", &[("cookie", cookie.clone())], None).await;
    (cookie, hidden(&page.body, "csrf"))
}

async fn page(cookie: &str, uri: &str) -> Reply {
    send("GET", uri, &[("cookie", cookie.to_string())], None).await
}

async fn post_form(cookie: &str, uri: &str, form: String) -> Reply {
    let headers = [
        ("cookie", cookie.to_string()),
        (
            "content-type",
            "application/x-www-form-urlencoded".to_string(),
        ),
    ];
    send("POST", uri, &headers, Some(form)).await
}

fn countries(board: &Value) -> Vec<String> {
    board["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_api_keeps_a_consul_to_its_own_countrys_cases() {
    let f = fixture();
    let r = api("consul.de", "GET", "/api/v1/cases/board", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(countries(&r.json()), vec!["DE"]);
    for id in &f.fr {
        assert!(!r.body.contains(id.as_str()));
    }
    let r = api("consul.de", "GET", "/api/v1/cases?country=FR", None).await;
    assert_eq!(r.json().as_array().unwrap().len(), 0);
    let r = api("consul.de", "GET", "/api/v1/cases", None).await;
    assert_eq!(r.json().as_array().unwrap().len(), f.de.len());
    // Another country's case: 404, like a case that does not exist, for reads and writes.
    for uri in [
        format!("/api/v1/cases/{}", f.fr[0]),
        "/api/v1/cases/00000000-0000-0000-0000-000000000000".to_string(),
        "/api/v1/cases/not-an-id".to_string(),
    ] {
        let r = api("consul.de", "GET", &uri, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.content_type, "application/problem+json");
    }
    let r = api(
        "consul.de",
        "POST",
        &format!("/api/v1/cases/{}/stage", f.fr[0]),
        Some(json!({"stage": "closed", "note": "probe"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = api(
        "consul.de",
        "GET",
        &format!("/api/v1/cases/{}", f.de[0]),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["country"], "DE");
}

#[tokio::test]
async fn the_api_gives_a_coordinator_suppressed_counts_and_a_researcher_nothing() {
    let f = fixture();
    let r = api("coord", "GET", "/api/v1/cases/board", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let board = r.json();
    assert_eq!(board["mode"], "counts");
    assert_eq!(board["threshold"], 5);
    for c in board["countries"].as_array().unwrap() {
        for s in c["stages"].as_array().unwrap() {
            assert!(s["cases"].as_array().unwrap().is_empty());
            // The demo's few cases per country are all below the threshold.
            assert!(s["count"].is_null() || s["count"] == 0, "{s}");
        }
    }
    for id in f.de.iter().chain(&f.fr) {
        assert!(!r.body.contains(id.as_str()));
    }
    let r = api("coord", "GET", &format!("/api/v1/cases/{}", f.de[0]), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api("researcher", "GET", "/api/v1/cases/board", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api("researcher", "GET", "/api/v1/cases", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_refuses_bad_input_with_4xx_problems_saying_what_to_fix() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let de = &f.de[0];
    let stage = format!("/api/v1/cases/{de}/stage");
    let cases: Vec<(&str, String, Value, StatusCode, &str)> = vec![
        (
            "POST",
            stage.clone(),
            json!({"stage": "deported"}),
            StatusCode::BAD_REQUEST,
            "is not a case stage",
        ),
        (
            "POST",
            stage.clone(),
            json!({"stage": "identified"}),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "POST",
            stage.clone(),
            json!({"stage": "arrived", "nonsense": 1}),
            StatusCode::BAD_REQUEST,
            "expected a JSON object",
        ),
        (
            "POST",
            format!("/api/v1/cases/{de}/documents"),
            json!({"kind": "travel_document", "hash": "xyz"}),
            StatusCode::BAD_REQUEST,
            "is not a document hash",
        ),
        (
            "POST",
            "/api/v1/cases".into(),
            json!({"person_id": "00000000-0000-0000-0000-000000000001", "country": "DE"}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "POST",
            "/api/v1/cases".into(),
            json!({"person_id": "x", "country": "Germany"}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "GET",
            "/api/v1/cases?stage=lost".into(),
            Value::Null,
            StatusCode::BAD_REQUEST,
            "is not a case stage",
        ),
        (
            "GET",
            "/api/v1/cases/board?as_of=yesterday".into(),
            Value::Null,
            StatusCode::BAD_REQUEST,
            "is not a time",
        ),
    ];
    for (method, uri, body, status, says) in cases {
        let body = (!body.is_null()).then_some(body);
        let r = api("consul.de", method, &uri, body).await;
        assert_eq!(r.status, status, "{method} {uri}: {}", r.body);
        assert_eq!(r.content_type, "application/problem+json", "{uri}");
        assert!(
            r.json()["detail"].as_str().unwrap().contains(says),
            "{}",
            r.body
        );
    }
    // An invalid transition says what is allowed next.
    let case = api("consul.de", "GET", &format!("/api/v1/cases/{de}"), None)
        .await
        .json();
    let r = api(
        "consul.de",
        "POST",
        &stage,
        Some(json!({"stage": "reintegration_follow_up"})),
    )
    .await;
    if case["stage"] != "arrived" && case["stage"] != "legal_proceedings" {
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap()
                .contains("allowed next:"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn the_api_records_a_document_and_the_openapi_document_lists_the_case_endpoints() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let de = &f.de[0];
    let r = api(
        "consul.de",
        "POST",
        &format!("/api/v1/cases/{de}/documents"),
        Some(json!({"kind": "decision_letter", "hash": "ab".repeat(32), "note": "copy"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case = api("consul.de", "GET", &format!("/api/v1/cases/{de}"), None)
        .await
        .json();
    assert!(case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "decision_letter" && d["hash"] == "ab".repeat(32)));
    let doc = send("GET", "/api/v1/openapi.json", &[], None).await.json();
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/board",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/stage",
        "/api/v1/cases/{id}/documents",
        "/api/v1/cases/{id}/evidence/{evidence}/authorship",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(
        doc["paths"].get("/api/v1/persons/{id}").is_some(),
        "the rest stays"
    );
}

#[tokio::test]
async fn the_web_board_and_case_pages_keep_a_consul_to_its_own_country() {
    let f = fixture();
    let (cookie, _) = sign_in("consul.de").await;
    let board = page(&cookie, "/cases?as_of=2019-12-31").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("id=\"country-DE\""));
    assert!(!board.body.contains("country-FR"));
    for id in &f.fr {
        assert!(!board.body.contains(id.as_str()));
    }
    for id in &f.de {
        assert!(board.body.contains(id.as_str()));
    }
    assert_eq!(
        page(&cookie, &format!("/case/{}", f.fr[0])).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&cookie, "/case/nonsense").await.status,
        StatusCode::NOT_FOUND
    );
    let own = page(&cookie, &format!("/case/{}", f.de[0])).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("id=\"members\"") && own.body.contains("id=\"documents\""));
    // The coordinator's board has counts, no case; a researcher none at all.
    let (coord, _) = sign_in("coord").await;
    let counts = page(&coord, "/cases").await;
    assert_eq!(counts.status, StatusCode::OK);
    assert!(counts.body.contains("Counts only"));
    assert!(!counts.body.contains("/case/"));
    let (researcher, _) = sign_in("researcher").await;
    assert_eq!(
        page(&researcher, "/cases").await.status,
        StatusCode::FORBIDDEN
    );
    // Without a session: to the sign-in page, whatever the id.
    let anon = page("", &format!("/case/{}", f.fr[0])).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn web_case_forms_need_the_csrf_token_and_say_why_a_move_is_refused() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let (cookie, csrf) = sign_in("consul.de").await;
    let id = &f.de[0];
    let before = page(&cookie, &format!("/case/{id}")).await.body;
    let r = post_form(
        &cookie,
        &format!("/case/{id}/stage"),
        "stage=closed&note=x".into(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post_form(
        &cookie,
        &format!("/case/{id}/stage"),
        format!("csrf={csrf}&stage=identified"),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("id=\"case-error\""),
        "the page again, with the reason"
    );
    let r = post_form(
        &cookie,
        &format!("/case/{}/stage", f.fr[0]),
        format!("csrf={csrf}&stage=closed&note=probe"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post_form(
        &cookie,
        &format!("/case/{id}/document"),
        format!("csrf={csrf}&kind=medical_clearance&hash=nothex"),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("is not a document hash"));
    let after = page(&cookie, &format!("/case/{id}")).await.body;
    assert_eq!(
        before.matches("<tr").count(),
        after.matches("<tr").count(),
        "nothing written"
    );
    let r = post_form(
        &cookie,
        &format!("/case/{id}/document"),
        format!(
            "csrf={csrf}&kind=medical_clearance&hash={}&note=clinic",
            "cd".repeat(32)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = page(&cookie, r.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("id=\"case-done\""));
    assert!(shown.body.contains(&"cd".repeat(8)));
}

#[tokio::test]
async fn the_person_page_links_to_the_case_and_tasks_are_assigned_from_the_list() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let (admin, _) = sign_in("admin").await;
    let case = page(&admin, &format!("/case/{}", f.de[0])).await.body;
    let start = case.find("href=\"/person/").unwrap() + "href=\"/person/".len();
    let person = &case[start..start + 36];
    let sheet = page(&admin, &format!("/person/{person}")).await.body;
    assert!(sheet.contains("Repatriation case"));
    assert!(sheet.contains(&format!("/case/{}", f.de[0])));

    let (cookie, csrf) = sign_in("tracer").await;
    let list = page(&cookie, "/tracing").await.body;
    let task = hidden(&list, "task");
    let task = &task[..36];
    let r = post_form(
        &cookie,
        "/tracing/assign",
        format!("task={task}&assignee=x"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post_form(
        &cookie,
        "/tracing/assign",
        format!(
            "csrf={csrf}&task={task}&assignee={}",
            enc("Hasakah tracing team")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = page(&cookie, r.location.as_deref().unwrap()).await.body;
    assert!(shown.contains("Task assigned to Hasakah tracing team."));
    assert!(shown.contains("value=\"Hasakah tracing team\""));
    let stored = fixture()
        .state
        .with_registry(|r, _| r.task(task.parse().unwrap()).unwrap().unwrap())
        .unwrap();
    assert_eq!(stored.assigned_to.as_deref(), Some("Hasakah tracing team"));
    // A consul may not assign a task about a person outside its scope: not found.
    let (consul, consul_csrf) = sign_in("consul.fr").await;
    let visible = fixture()
        .state
        .with_registry(|r, d| {
            let person = r.task(task.parse().unwrap()).unwrap().unwrap().task.person;
            let u = User {
                name: "consul.fr".into(),
                role: Role::Consular,
                nationalities: vec![cc("FR")],
                camps: vec![],
                organisation: None,
                scope_organisations: vec![],
                actor: None,
            };
            access::Gate {
                registry: r,
                directory: d,
                user: &u,
                interface: "test",
                now_ms: 0,
            }
            .sees(person)
        })
        .unwrap();
    let r = post_form(
        &consul,
        "/tracing/assign",
        format!("csrf={consul_csrf}&task={task}&assignee=probe"),
    )
    .await;
    if visible {
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    } else {
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = post_form(
        &consul,
        "/tracing/assign",
        format!("csrf={consul_csrf}&task=00000000-0000-0000-0000-000000000000&assignee=probe"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// A DE case before arrival with a child in it, as the operator reads it (not the first
/// DE case, which other tests change): (case id, principal, child).
fn de_case_with_a_child() -> (String, String, String) {
    let f = fixture();
    f.state
        .with_registry(|reg, _| {
            for id in f.de.iter().rev() {
                let case = reg.case(id.parse().unwrap()).unwrap().unwrap();
                let before_arrival = !matches!(
                    case.stage(),
                    model::case::Stage::Arrived
                        | model::case::Stage::LegalProceedings
                        | model::case::Stage::ReintegrationFollowUp
                        | model::case::Stage::Closed
                );
                let child = case.members.get(1).filter(|m| {
                    reg.person(**m)
                        .unwrap()
                        .unwrap()
                        .relationships
                        .iter()
                        .any(|r| {
                            r.kind == model::person::RelationshipKind::ChildOf
                                && r.other == case.principal
                        })
                });
                if let (true, Some(child)) = (before_arrival, child) {
                    return (id.clone(), case.principal.to_string(), child.to_string());
                }
            }
            panic!("no DE case before arrival with a child");
        })
        .unwrap()
}

/// A person in the first FR case: one the DE consul may not see.
fn fr_person() -> String {
    let f = fixture();
    f.state
        .with_registry(|reg, _| {
            reg.case(f.fr[0].parse().unwrap())
                .unwrap()
                .unwrap()
                .principal
                .to_string()
        })
        .unwrap()
}

fn report_json(content: &str, grade: &str) -> Value {
    json!({"channel": "interview", "grade": grade, "content": content, "source": "synthetic"})
}

#[tokio::test]
async fn the_api_marks_who_stays_behind_removes_a_member_and_refuses_bad_input() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let (id, principal, child) = de_case_with_a_child();
    let fr = fr_person();
    let uri = |what: &str| format!("/api/v1/cases/{id}/{what}");
    let bad: Vec<(String, Value, StatusCode, &str)> = vec![
        (
            uri("travel"),
            json!({"person_id": child, "travels": true, "reason": "x"}),
            StatusCode::BAD_REQUEST,
            "already travels",
        ),
        (
            uri("travel"),
            json!({"person_id": child, "travels": false, "reason": " "}),
            StatusCode::BAD_REQUEST,
            "the reason is empty",
        ),
        (
            uri("travel"),
            json!({"person_id": fr, "travels": false, "reason": "probe"}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            format!("/api/v1/cases/{}/travel", f.fr[0]),
            json!({"person_id": fr, "travels": false, "reason": "probe"}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            uri("removals"),
            json!({"person_id": principal, "reason": "x"}),
            StatusCode::BAD_REQUEST,
            "principal cannot be removed",
        ),
        (
            uri("removals"),
            json!({"person_id": child}),
            StatusCode::BAD_REQUEST,
            "expected a JSON object",
        ),
        (
            uri("legal"),
            json!({"person_id": principal, "kind": "fine", "report": report_json("x", "B2")}),
            StatusCode::BAD_REQUEST,
            "'fine' is not a legal record",
        ),
        (
            uri("evidence"),
            json!({"kind": "document", "hash": "zz", "description": "x"}),
            StatusCode::BAD_REQUEST,
            "is not a document hash",
        ),
        (
            uri("wishes"),
            json!({"person_id": fr, "wish": "to_return", "report": report_json("x", "B2")}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            uri("members"),
            json!({"person_id": fr}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/api/v1/cases".into(),
            json!({"person_id": principal, "country": "DE", "unaccompanied": true}),
            StatusCode::BAD_REQUEST,
            "an unaccompanied child's case is for a child",
        ),
    ];
    let written = || async {
        let mut case = api("admin", "GET", &format!("/api/v1/cases/{id}"), None)
            .await
            .json();
        case["time_in_stages"] = Value::Null; // grows with the clock
        case
    };
    let before = written().await;
    for (uri, body, status, says) in bad {
        let r = api("consul.de", "POST", &uri, Some(body)).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert_eq!(r.content_type, "application/problem+json");
        assert!(
            r.json()["detail"].as_str().unwrap().contains(says),
            "{}",
            r.body
        );
    }
    assert_eq!(before, written().await, "nothing written");

    let r = api(
        "consul.de",
        "POST",
        &uri("travel"),
        Some(json!({"person_id": child, "travels": false, "reason": "stays with her aunt"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case = api("consul.de", "GET", &format!("/api/v1/cases/{id}"), None)
        .await
        .json();
    let member = case["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"]["person_id"] == child.as_str())
        .unwrap()
        .clone();
    assert_eq!(member["travels"], false);
    assert_eq!(member["stays_behind"]["reason"], "stays with her aunt");
    let r = api(
        "consul.de",
        "POST",
        &uri("removals"),
        Some(json!({"person_id": child, "reason": "registered in the wrong household"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case = api("consul.de", "GET", &format!("/api/v1/cases/{id}"), None)
        .await
        .json();
    assert_eq!(case["removed"][0]["person_id"], child.as_str());
    assert_eq!(case["may_join"][0]["person_id"], child.as_str());
    // Back as it was: the child joins again, and travels.
    let r = api(
        "consul.de",
        "POST",
        &uri("members"),
        Some(json!({"person_id": child})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let doc = send("GET", "/api/v1/openapi.json", &[], None).await.json();
    for path in ["/api/v1/cases/{id}/travel", "/api/v1/cases/{id}/removals"] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}

#[tokio::test]
async fn the_web_case_forms_record_wishes_legal_records_evidence_and_who_travels() {
    let f = fixture();
    let _turn = WRITERS.lock().await;
    let (id, principal, child) = de_case_with_a_child();
    let (cookie, csrf) = sign_in("consul.de").await;
    let case_page = format!("/case/{id}");
    let shown = page(&cookie, &case_page).await;
    for form in [
        "wish-form",
        "legal-form",
        "evidence-form",
        "travel-form",
        "removal-form",
    ] {
        assert!(shown.body.contains(&format!("id=\"{form}\"")), "{form}");
    }
    assert!(shown.body.len() < 200 * 1024, "{} bytes", shown.body.len());
    let post = |kind: &str, fields: String| {
        let cookie = cookie.clone();
        let uri = format!("/case/{id}/{kind}");
        let body = format!("csrf={csrf}&{fields}");
        async move { post_form(&cookie, &uri, body).await }
    };
    let report = |content: &str, grade: &str| {
        format!(
            "channel=interview&grade={grade}&content={}&source={}",
            enc(content),
            enc("her lawyer")
        )
    };
    // Refused: the page again with the reason and the form as it was sent.
    let r = post(
        "legal",
        format!("person={principal}&kind=fine&{}", report("لا شيء", "B2")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("id=\"case-error\"") && r.body.contains("is not a legal record"));
    assert!(r.body.contains("لا شيء"), "the report's text is kept");
    let r = post(
        "evidence",
        "kind=document&hash=nothex&description=x&captured_by=x".to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("is not a document hash"));
    let r = post("member", format!("person={}", fr_person())).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a person the consul may not see"
    );
    let r = post(
        "wish",
        format!(
            "person={}&wish=to_return&{}",
            fr_person(),
            report("x", "B2")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post("travel", format!("person={child}&travels=no&reason=")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("the reason is empty"));
    // Another country's case: not found, whichever form.
    for kind in [
        "wish",
        "legal",
        "evidence",
        "authorship",
        "member",
        "removal",
        "travel",
    ] {
        let r = post_form(
            &cookie,
            &format!("/case/{}/{kind}", f.fr[0]),
            format!("csrf={csrf}&person={}&reason=probe", fr_person()),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{kind}");
    }
    let r = post_form(
        &cookie,
        &format!("/case/{id}/travel"),
        format!("person={child}&travels=no&reason=x"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post("nonsense", String::new()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Recorded.
    let done = |r: &Reply| {
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.location.clone().unwrap()
    };
    done(
        &post(
            "wish",
            format!(
                "person={principal}&wish=trial_at_home&country=DE&{}",
                report("Sie möchte in Deutschland vor Gericht.", "B2")
            ),
        )
        .await,
    );
    done(
        &post(
            "legal",
            format!(
                "person={principal}&kind=sentence&authority={}&sentence={}&{}",
                enc("Higher Regional Court"),
                enc("four years"),
                report("Judgment", "A1")
            ),
        )
        .await,
    );
    let hash = "ef".repeat(32);
    done(&post("evidence", format!("kind=social_media_post&hash={hash}&description={}&captured_at=2019-10-20T10:30&captured_by={}&about={principal}", enc("post on an account in her name"), enc("open-source unit"))).await);
    let evidence = fixture()
        .state
        .with_registry(|reg, _| {
            let case = reg.case(id.parse().unwrap()).unwrap().unwrap();
            case.evidence
                .iter()
                .find(|e| model::case::documents::hash_hex(&e.evidence.hash) == hash)
                .unwrap()
                .evidence
                .id
                .to_string()
        })
        .unwrap();
    done(
        &post(
            "authorship",
            format!(
                "evidence={evidence}&author_person={principal}&author_described=&{}",
                report("The account is hers.", "B2")
            ),
        )
        .await,
    );
    let r = post(
        "authorship",
        format!(
            "evidence={evidence}&author_person={principal}&author_described={}&{}",
            enc("her husband"),
            report("x", "C3")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "one author at a time");
    done(
        &post(
            "authorship",
            format!(
                "evidence={evidence}&author_person=&author_described={}&note={}&{}",
                enc("her husband"),
                enc("posted on her account by her husband"),
                report("She says her husband posted it.", "C3")
            ),
        )
        .await,
    );
    let to = done(
        &post(
            "travel",
            format!("person={child}&travels=no&reason={}", enc("تبقى مع جدتها")),
        )
        .await,
    );
    let shown = page(&cookie, &to).await.body;
    assert!(shown.contains("id=\"case-done\""));
    assert!(shown.contains("wishes_trial_at_home") || shown.contains("wishes trial at home"));
    assert!(shown.contains("sentenced by Higher Regional Court: four years"));
    assert!(shown.contains("Authorship disputed"));
    assert!(shown.contains("her husband") && shown.contains("C3"));
    assert!(shown.contains("stays behind") && shown.contains("تبقى مع جدتها"));
    // The children who went home without their mother: unaccompanied, on the board.
    let (admin, _) = sign_in("admin").await;
    let board = page(&admin, "/cases?as_of=2019-12-31").await.body;
    assert_eq!(board.matches("⚑ unaccompanied").count(), 1);
    // Travels again: the case as the other tests expect it.
    done(
        &post(
            "travel",
            format!(
                "person={child}&travels=yes&reason={}",
                enc("the grandmother cannot keep her")
            ),
        )
        .await,
    );
}
