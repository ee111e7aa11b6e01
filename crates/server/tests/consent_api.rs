//! Interviews, consent, counts over time, exports and the trend chart through the real
//! router: a consent decision made through the API reaches every API output and the web
//! pages at once; bad input is a 4xx problem; the Camps page draws the trend from the
//! caller's suppressed counts, a withheld day being a gap.

use access::identity::{add_user, User};
use access::policy::may_see;
use access::{Directory, Role};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::claim::{Claim, ClaimKind};
use model::event::Payload;
use model::ids::{ActorId, ClaimId, PersonId, ReportId};
use model::person::{
    Birth, Name, NameKind, NationalityClaim, NationalityStatus, Registration, Sex,
};
use model::report::{Channel, Grade, Report};
use model::time::Timestamp;
use model::CountryCode;
use serde_json::{json, Value};
use server::{router, AppState};
use std::sync::{Arc, OnceLock};
use store::Registry;
use tower::ServiceExt;

const PASSWORD: &str = "synthetic password one";
const FORM: &str = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

struct Fixture {
    state: Arc<AppState>,
    /// An adult Belgian the BE consul sees, with no consent decision in the demo.
    be: PersonId,
    be_name: String,
    _tmp: tempfile::TempDir,
}

fn cc(s: &str) -> CountryCode {
    s.parse().unwrap()
}

fn user(name: &str, role: Role, nats: &[&str]) -> User {
    User {
        name: name.into(),
        role,
        nationalities: nats.iter().map(|c| cc(c)).collect(),
        camps: vec![],
        organisation: None,
        scope_organisations: vec![],
        actor: None,
    }
}

/// The Belgian woman the tests decide about (no consent recorded in the demo).
fn belgian() -> PersonId {
    PersonId::from_u128(0xfeed_0100)
}

/// Listed in Ain Issa before its guards left: two New Zealanders, whose consul counts fewer
/// than five persons, so every count the consul gets is withheld; and a Belgian woman.
fn listed(reg: &Registry) -> Vec<Payload> {
    let ain_issa = reg.find_places("Ain Issa").unwrap()[0].place.id;
    let at = Timestamp(1_570_300_000_000);
    let report = ReportId::from_u128(0xbeef);
    let mut events = Vec::new();
    let mut claims = Vec::new();
    let people = [
        (PersonId::from_u128(0xfeed_0000), "Aroha Tane", "NZ"),
        (PersonId::from_u128(0xfeed_0001), "Mere Tane", "NZ"),
        (belgian(), "Nadia Vermeulen", "BE"),
    ];
    for (n, (person, name, country)) in people.into_iter().enumerate() {
        let n = n as u128;
        events.push(Payload::PersonRegistered {
            person,
            registration: Registration {
                sex: Sex::Female,
                birth: Some(Birth::Year(1990)),
                names: vec![Name::new(name, NameKind::Full, None)],
                nationalities: vec![NationalityClaim {
                    country: cc(country),
                    status: NationalityStatus::Claimed,
                    evidence: None,
                    source: None,
                }],
                vulnerabilities: vec![],
                household: None,
                relationships: vec![],
                source: None,
            },
        });
        claims.push(Claim {
            id: ClaimId::from_u128(0xbeef_0000 + n),
            report,
            person,
            observed_at: at,
            kind: ClaimKind::SeenAt { place: ain_issa },
        });
    }
    events.push(Payload::ReportReceived {
        report: Report {
            id: report,
            channel: Channel::OfficialList,
            received_at: at,
            received_by: ActorId::from_u128(1),
            source: None,
            content: "three more".into(),
            attachments: vec![],
            grade: Grade::parse("A1").unwrap(),
        },
        claims,
    });
    events
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let mut reg = Registry::create(&tmp.path().join("reg.db"), "synthetic passphrase").unwrap();
        let scenario = demo::generate(0.02, 7, reg.sealer());
        let actor = reg.local_actor();
        reg.append(
            actor,
            scenario.events.into_iter().map(|e| (e.at, e.payload)),
            &mut |_| {},
        )
        .unwrap();
        let extra = listed(&reg);
        reg.append(
            actor,
            extra.into_iter().map(|p| (Timestamp(1_570_300_000_000), p)),
            &mut |_| {},
        )
        .unwrap();
        let users = [
            user("admin", Role::Admin, &[]),
            user("caseworker", Role::Caseworker, &[]),
            user("tracing", Role::Tracing, &[]),
            user("consul", Role::Consular, &["BE"]),
            user("consul_nz", Role::Consular, &["NZ"]),
            user("researcher", Role::Researcher, &[]),
            user("coordinator", Role::Coordinator, &[]),
        ];
        for u in &users {
            add_user(&mut reg, u, PASSWORD, "operator", "test", 0).unwrap();
        }
        let dir = Directory::build(&reg).unwrap();
        let be = belgian();
        assert!(may_see(&users[3], &dir.facts(be).unwrap()));
        assert!(dir.consent(be).is_none());
        let be_name = reg.person(be).unwrap().unwrap().display_name();
        Fixture {
            state: Arc::new(AppState::new(reg, 5).unwrap()),
            be,
            be_name,
            _tmp: tmp,
        }
    })
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn call(method: &str, uri: &str, auth: Option<(&str, &str)>, body: Option<Value>) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some((name, value)) = auth {
        req = req.header(name, value);
    }
    let req = req
        .header(header::CONTENT_TYPE, "application/json")
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let res = router(Arc::clone(&fixture().state))
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn token(name: &str) -> String {
    let r = call(
        "POST",
        "/api/v1/session",
        None,
        Some(json!({"username": name, "password": PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_string()
}

async fn api(name: &str, method: &str, uri: &str, body: Option<Value>) -> Reply {
    let t = format!("Bearer {}", token(name).await);
    call(
        method,
        uri,
        Some((header::AUTHORIZATION.as_str(), &t)),
        body,
    )
    .await
}

/// A web page as `name` sees it.
async fn page(name: &str, path: &str) -> Reply {
    // Sign in through the form: the login page sets a pre-session cookie and a token.
    let req = Request::builder()
        .uri("/login")
        .body(Body::empty())
        .unwrap();
    let res = router(Arc::clone(&fixture().state))
        .oneshot(req)
        .await
        .unwrap();
    let pre = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html =
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    let marker = "name=\"login_csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = &html[start..start + 64];
    let body = format!(
        "login_csrf={csrf}&username={name}&password={}",
        PASSWORD.replace(' ', "+")
    );
    let req = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::COOKIE, &pre)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let res = router(Arc::clone(&fixture().state))
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let session = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    call("GET", path, Some((header::COOKIE.as_str(), &session)), None).await
}

fn consent_body(purpose: &str, decision: &str, at: &str) -> Value {
    json!({"purpose": purpose, "decision": decision, "at": at, "evidence": {"form_blake3": FORM}})
}

/// The tests change consent on one registry: they take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn lines(r: &Reply) -> usize {
    r.body.lines().count()
}

#[tokio::test]
async fn a_refusal_made_through_the_api_reaches_every_api_output_and_the_web() {
    let _turn = TURN.lock().await;
    let f = fixture();
    let person = format!("/api/v1/persons/{}", f.be);
    assert_eq!(
        api("consul", "GET", &person, None).await.status,
        StatusCode::OK
    );
    let stats = |r: Reply| r.json()["total"].as_u64().unwrap();
    let before = stats(api("consul", "GET", "/api/v1/stats", None).await);
    let r = api(
        "caseworker",
        "POST",
        &format!("{person}/consent"),
        Some(consent_body("sharing:BE", "refused", "2019-10-05")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.json()["id"].as_str().is_some());
    for suffix in ["", "/timeline", "/consent", "/interviews"] {
        let r = api("consul", "GET", &format!("{person}{suffix}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{suffix}");
    }
    let q: String = form_urlencoded::byte_serialize(f.be_name.as_bytes()).collect();
    let hits = api("consul", "GET", &format!("/api/v1/persons?q={q}"), None)
        .await
        .json();
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["person_id"] != f.be.to_string().as_str()));
    assert!(stats(api("consul", "GET", "/api/v1/stats", None).await) < before);
    let export = api("consul", "GET", "/api/v1/export?format=jsonl", None).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(!export.body.contains(&f.be.to_string()));
    let web = page("consul", &format!("/person/{}", f.be)).await;
    assert_eq!(web.status, StatusCode::NOT_FOUND);
    // The caseworker still sees her, with the refusal on her page.
    let web = page("caseworker", &format!("/person/{}", f.be)).await;
    assert_eq!(web.status, StatusCode::OK);
    assert!(
        web.body.contains("id=\"consent\"") && web.body.contains("consent-refused"),
        "consent shown"
    );
    // Granting again (a later decision) gives her back to the consul.
    let r = api(
        "caseworker",
        "POST",
        &format!("{person}/consent"),
        Some(consent_body("share:BE", "granted", "2019-10-09")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        api("consul", "GET", &person, None).await.status,
        StatusCode::OK
    );
    let export = api("consul", "GET", "/api/v1/export?format=csv", None).await;
    assert!(export.content_type.starts_with("text/csv"));
    assert!(
        export.body.contains(&f.be.to_string()),
        "granted: in the consul's copy"
    );
}

#[tokio::test]
async fn research_consent_reaches_the_researchers_extract_and_leaves_it_at_revocation() {
    let _turn = TURN.lock().await;
    let f = fixture();
    let extract = || api("researcher", "GET", "/api/v1/export?format=csv", None);
    let before = lines(&extract().await);
    let url = format!("/api/v1/persons/{}/consent", f.be);
    let r = api(
        "caseworker",
        "POST",
        &url,
        Some(consent_body("research", "granted", "2019-10-10")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = extract().await;
    assert_eq!(lines(&after), before + 1);
    assert!(!after.body.contains(&f.be.to_string()) && !after.body.contains(&f.be_name));
    let seen = api("researcher", "GET", &url, None).await.json();
    assert!(seen["person_id"].as_str().unwrap().starts_with("anon-"));
    let r = api(
        "caseworker",
        "POST",
        &url,
        Some(consent_body("research", "revoked", "2019-10-20")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(lines(&extract().await), before);
    assert_eq!(
        api("researcher", "GET", &url, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_consent_and_interview_requests_are_4xx_problems() {
    let _turn = TURN.lock().await;
    let f = fixture();
    let url = format!("/api/v1/persons/{}/consent", f.be);
    let cases = [
        (
            "caseworker",
            consent_body("marketing", "granted", "2019-10-05"),
            400,
            "not a consent purpose",
        ),
        (
            "caseworker",
            consent_body("publication", "revoked", "2019-10-05"),
            400,
            "no consent to publication to revoke",
        ),
        (
            "caseworker",
            json!({"purpose": "research", "decision": "granted"}),
            400,
            "evidence",
        ),
        (
            "caseworker",
            json!({"purpose": "research", "decision": "granted", "evidence": {"form_blake3": "xyz"}}),
            400,
            "BLAKE3",
        ),
        (
            "caseworker",
            json!({"purpose": "research", "decision": "granted", "evidence": {}, "extra": 1}),
            400,
            "unknown field",
        ),
        (
            "consul",
            consent_body("sharing:BE", "granted", "2019-10-05"),
            403,
            "may not record consent",
        ),
        (
            "coordinator",
            consent_body("research", "granted", "2019-10-05"),
            403,
            "may not record consent",
        ),
    ];
    for (who, body, status, says) in cases {
        let r = api(who, "POST", &url, Some(body)).await;
        assert_eq!(r.status.as_u16(), status, "{who}: {}", r.body);
        assert_eq!(r.content_type, "application/problem+json");
        assert!(r.body.contains(says), "{who}: {}", r.body);
    }
    let hidden = api(
        "consul_nz",
        "POST",
        &url,
        Some(consent_body("research", "granted", "2019-10-05")),
    )
    .await;
    assert_eq!(
        hidden.status,
        StatusCode::FORBIDDEN,
        "consuls record none, seen or not"
    );
    let interview = |persons: Value, hash: &str, lang: &str| {
        json!({"persons": persons, "interviewers": ["R. Field"], "language": lang,
               "transcript": "Synthetic: she wants to go home.",
               "attachments": [{"blake3": hash, "size": 12, "media_type": "audio/ogg"}]})
    };
    let be = json!([f.be.to_string()]);
    let r = api(
        "caseworker",
        "POST",
        "/api/v1/interviews",
        Some(interview(be.clone(), "00", "ar")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = api(
        "caseworker",
        "POST",
        "/api/v1/interviews",
        Some(interview(be.clone(), FORM, "Arabic")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("BCP 47"));
    let r = api(
        "caseworker",
        "POST",
        "/api/v1/interviews",
        Some(interview(json!(["../../etc/passwd"]), FORM, "ar")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = api(
        "caseworker",
        "POST",
        "/api/v1/interviews",
        Some(interview(be.clone(), FORM, "ar")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let interviews = format!("/api/v1/persons/{}/interviews", f.be);
    let list = |who: &'static str| api(who, "GET", &interviews, None);
    let seen = list("caseworker").await.json();
    let last = seen.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["transcript"]["value"],
        "Synthetic: she wants to go home."
    );
    assert_eq!(last["attachments"][0]["blake3"], FORM);
    let sealed = list("tracing").await.json();
    assert!(sealed.as_array().unwrap().last().unwrap()["transcript"]
        .get("value")
        .is_none());
    for bad in [
        "from=2019-10-05&to=2019-10-01",
        "from=yesterday",
        "by=height&from=2019-10-01",
        "",
    ] {
        let r = api(
            "coordinator",
            "GET",
            &format!("/api/v1/stats/over-time?{bad}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
    }
    let r = api("coordinator", "GET", "/api/v1/export?format=xlsx", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = api("coordinator", "GET", "/api/v1/export?scope=persons", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn counts_over_time_and_the_camps_chart_come_from_suppressed_counts() {
    let _turn = TURN.lock().await;
    let r = api(
        "coordinator",
        "GET",
        "/api/v1/stats/over-time?by=camp,status&from=2019-10-05&to=2019-10-15",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let doc = r.json();
    assert_eq!(doc["threshold"], 5);
    let periods = doc["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 11);
    let unaccounted = |p: &Value| {
        p["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["camp"] == "Ain Issa" && g["status"] == "unaccounted_for")
            .and_then(|g| g["count"].as_u64())
            .unwrap_or(0)
    };
    assert_eq!(unaccounted(&periods[0]), 0, "before the guards left");
    assert!(unaccounted(&periods[10]) > 0, "after");
    let hxl = api(
        "coordinator",
        "GET",
        "/api/v1/export?format=hxl&scope=counts&by=camp,status&from=2019-10-12&to=2019-10-13",
        None,
    )
    .await;
    assert_eq!(hxl.status, StatusCode::OK);
    assert!(
        hxl.body.starts_with(
            "as_of,camp,status,persons\n#date +x_as_of,#loc +name,#x_whereabouts +code,#affected\n"
        ),
        "{}",
        hxl.body
    );
    // The chart: drawn for the administrator; all gaps for a consul who counts two people.
    let admin = page("admin", "/camps").await;
    assert!(admin.body.contains("<svg") && admin.body.contains("role=\"img\""));
    assert!(admin.body.contains("<polyline"));
    let few = page("consul_nz", "/camps").await;
    assert_eq!(few.status, StatusCode::OK);
    assert!(few.body.contains("<svg"), "the chart is there");
    assert!(
        !few.body.contains("<polyline") && !few.body.contains("<circle"),
        "but every day is a gap"
    );
    let svg = &admin.body[admin.body.find("<svg").unwrap()..admin.body.find("</svg>").unwrap()];
    assert!(
        !svg.contains("<script") && !svg.contains("href"),
        "self-contained"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_new_endpoints() {
    let doc = call("GET", "/api/v1/openapi.json", None, None).await.json();
    for path in [
        "/api/v1/persons/{id}/consent",
        "/api/v1/persons/{id}/interviews",
        "/api/v1/interviews",
        "/api/v1/stats/over-time",
        "/api/v1/export",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    assert!(doc["paths"]["/api/v1/persons/{id}/consent"]
        .get("post")
        .is_some());
}
