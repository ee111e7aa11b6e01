//! The web UI in-process: cookie sessions and their flags, CSRF refusals, lock-out
//! feedback, and the scope rules tried through pages and forms (a consul scoped to BE
//! asking for a French national's page, or writing a claim about one; roles that may not
//! write trying to). Browser-level tests are in `web-tests/`.

use access::identity::{add_user, User};
use access::{Directory, Role};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::ids::PersonId;
use model::CountryCode;
use server::{router, AppState};
use std::sync::{Arc, OnceLock};
use store::Registry;
use tower::ServiceExt;

const PASSWORD: &str = "synthetic password one";

struct Fixture {
    state: Arc<AppState>,
    be_only: PersonId,
    fr_only: PersonId,
    fr_name: String,
    roj: String,
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
        let scenario = demo::generate(0.02, 7, reg.sealer());
        let actor = reg.local_actor();
        reg.append(
            actor,
            scenario.events.into_iter().map(|e| (e.at, e.payload)),
            &mut |_| {},
        )
        .unwrap();
        for (name, role, nats) in [
            ("admin", Role::Admin, vec![]),
            ("tracing", Role::Tracing, vec![]),
            ("coordinator", Role::Coordinator, vec![]),
            ("consul", Role::Consular, vec![cc("BE")]),
            ("lockme", Role::Caseworker, vec![]),
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
        let dir = Directory::build(&reg).unwrap();
        let mut ids: Vec<PersonId> = dir.ids().collect();
        ids.sort();
        let only = |c: &str| {
            ids.iter().copied().find(|id| {
                let f = dir.facts(*id).unwrap();
                f.nationalities == [cc(c)]
                    && f.parent_nationalities.iter().all(|x| *x == cc(c))
                    && f.household_nationalities.iter().all(|x| *x == cc(c))
            })
        };
        let be_only = only("BE").expect("Belgians in the demo");
        let fr_only = only("FR").expect("French nationals in the demo");
        let fr_name = reg.person(fr_only).unwrap().unwrap().display_name();
        let roj = reg.find_places("Roj").unwrap()[0].place.id.to_string();
        Fixture {
            state: Arc::new(AppState::new(reg, 5).unwrap()),
            be_only,
            fr_only,
            fr_name,
            roj,
            _tmp: tmp,
        }
    })
}

struct Reply {
    status: StatusCode,
    cookies: Vec<String>,
    location: Option<String>,
    body: String,
}

async fn send(method: &str, path: &str, cookie: &str, form: Option<String>) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    if form.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let req = req.body(Body::from(form.unwrap_or_default())).unwrap();
    let res = router(Arc::clone(&fixture().state))
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        cookies,
        location,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("hidden field") + marker.len();
    body[start..start + 64].to_string()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn try_login(user: &str, password: &str) -> Reply {
    let form = send("GET", "/login", "", None).await;
    let pre = cookie_value(&form.cookies[0]).to_string();
    let token = hidden(&form.body, "login_csrf");
    let body = format!(
        "login_csrf={token}&username={user}&password={}",
        enc(password)
    );
    send("POST", "/login", &pre, Some(body)).await
}

/// A signed-in session: (cookie header, CSRF token).
async fn sign_in(user: &str) -> (String, String) {
    let r = try_login(user, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookie = cookie_value(&r.cookies[0]).to_string();
    let page = send("GET", "/camps", &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK);
    (cookie, hidden(&page.body, "csrf"))
}

/// Tests share one registry; those that write or count events take turns, so that one
/// test's report is not counted as another's leak.
static WRITERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn events() -> u64 {
    fixture()
        .state
        .with_registry(|r, _| r.event_count().unwrap())
        .unwrap()
}

#[tokio::test]
async fn session_cookie_is_http_only_strict_and_secure_off_loopback() {
    let r = try_login("tracing", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/search"));
    let c = &r.cookies[0];
    assert!(c.starts_with("hw_session="), "{c}");
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(c.contains(flag), "{flag} missing in {c}");
    }
}

#[tokio::test]
async fn pages_without_a_session_send_the_browser_to_sign_in() {
    for path in [
        "/search?q=ab",
        "/person/x",
        "/camps",
        "/tracing",
        "/audit",
        "/report/new",
    ] {
        let r = send("GET", path, "hw_session=forged", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location.as_deref(), Some("/login"), "{path}");
    }
}

#[tokio::test]
async fn wrong_passwords_are_explained_and_lock_the_account() {
    let r = try_login("lockme", "wrong password here").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Wrong user name or password"));
    assert!(!r.cookies.iter().any(|c| c.starts_with("hw_session=")));
    for _ in 0..4 {
        try_login("lockme", "wrong password here").await;
    }
    let r = try_login("lockme", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("locked"), "{}", r.body);
    // A sign-in form without its one-time token is refused.
    let r = send(
        "POST",
        "/login",
        "",
        Some(format!("username=tracing&password={}", enc(PASSWORD))),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn changes_without_the_session_csrf_token_are_refused_and_change_nothing() {
    let _alone = WRITERS.lock().await;
    let f = fixture();
    let (cookie, csrf) = sign_in("admin").await;
    let before = events();
    for token in ["", "0000", &"a".repeat(64)] {
        let r = send(
            "POST",
            &format!("/camps/{}/status/confirm", f.roj),
            &cookie,
            Some(format!("csrf={token}&status=closed")),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "token {token:?}");
    }
    // Another session's token does not work either.
    let (_, other) = sign_in("tracing").await;
    assert_ne!(other, csrf);
    let r = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={other}&channel=call&reliability=C&credibility=3&content=x&claim_person={}&claim_kind=deceased",
            f.be_only
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(events(), before);
}

#[tokio::test]
async fn a_consul_gets_not_found_for_another_nationality_everywhere() {
    let _alone = WRITERS.lock().await;
    let f = fixture();
    let (cookie, csrf) = sign_in("consul").await;
    let own = send("GET", &format!("/person/{}", f.be_only), &cookie, None).await;
    assert_eq!(own.status, StatusCode::OK);
    let other = send("GET", &format!("/person/{}", f.fr_only), &cookie, None).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let nobody = send(
        "GET",
        &format!("/person/{}", PersonId::from_u128(42)),
        &cookie,
        None,
    )
    .await;
    assert_eq!(other.body, nobody.body, "hidden and absent look the same");
    let search = send(
        "GET",
        &format!("/search?q={}", enc(&f.fr_name)),
        &cookie,
        None,
    )
    .await;
    assert!(!search.body.contains(&f.fr_only.to_string()));
    let suggest = send(
        "GET",
        &format!("/suggest?q={}", enc(&f.fr_name)),
        &cookie,
        None,
    )
    .await;
    assert!(!suggest.body.contains(&f.fr_only.to_string()));
    let tracing = send("GET", "/tracing", &cookie, None).await;
    assert!(!tracing.body.contains(&f.fr_only.to_string()));
    // Writing a claim about the hidden person is "not found" too, and writes nothing.
    let before = events();
    let r = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=call&reliability=C&credibility=3&content=probe&claim_person={}&claim_kind=deceased",
            f.fr_only
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(events(), before);
    // Nor may a consul change a camp's status, or read the audit chain.
    let r = send(
        "POST",
        &format!("/camps/{}/status/confirm", f.roj),
        &cookie,
        Some(format!("csrf={csrf}&status=closed")),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(events(), before);
    let r = send(
        "GET",
        &format!("/audit?person={}", f.be_only),
        &cookie,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_coordinator_may_not_record_reports_or_read_persons() {
    let _alone = WRITERS.lock().await;
    let f = fixture();
    let (cookie, csrf) = sign_in("coordinator").await;
    let before = events();
    let r = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=call&reliability=C&credibility=3&content=x"
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(events(), before);
    let r = send("GET", &format!("/person/{}", f.be_only), &cookie, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send("GET", "/camps", &cookie, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send("GET", "/", &cookie, None).await;
    assert_eq!(r.location.as_deref(), Some("/camps"));
}

#[tokio::test]
async fn a_tracing_officer_records_a_report_that_is_audited_and_shown() {
    let _alone = WRITERS.lock().await;
    let f = fixture();
    let (cookie, csrf) = sign_in("tracing").await;
    let before = events();
    let bad = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=call&reliability=Z&credibility=3&content=x&claim_person={}&claim_kind=seen_at",
            f.be_only
        )),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not an Admiralty grade"), "{}", bad.body);
    let no_place = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=call&reliability=B&credibility=2&content=x&claim_person={}&claim_kind=seen_at&claim_place=",
            f.be_only
        )),
    )
    .await;
    assert_eq!(no_place.status, StatusCode::BAD_REQUEST);
    // A long report in Arabic script fits the form limit and is refused by length, clearly.
    let long = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=call&reliability=B&credibility=2&content={}",
            enc(&"ب".repeat(8_001))
        )),
    )
    .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert!(
        long.body.contains("longer than 8000 characters"),
        "{}",
        long.body
    );
    assert!(
        no_place.body.contains("choose a place"),
        "{}",
        no_place.body
    );
    assert_eq!(events(), before);
    let ok = send(
        "POST",
        "/report",
        &cookie,
        Some(format!(
            "csrf={csrf}&channel=voice_note&reliability=B&credibility=2&source={}&content={}&claim_person={}&claim_kind=seen_at&claim_place={}",
            enc("synthetic sender"),
            enc("seen at the water point"),
            f.be_only,
            f.roj
        )),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(events(), before + 1);
    let page = send("GET", &format!("/person/{}", f.be_only), &cookie, None).await;
    assert!(page.body.contains("seen at the water point"));
    let audit = fixture()
        .state
        .with_registry(|r, _| r.audit_for(&format!("person:{}", f.be_only)).unwrap())
        .unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "person.claim.add" && e.actor == "tracing" && e.interface == "web"));
}

#[tokio::test]
async fn the_api_keeps_its_smaller_body_limit_beside_the_forms() {
    let big = format!(
        "{{\"username\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(20_000)
    );
    let r = send("POST", "/api/v1/session", "", Some(big)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = send("POST", "/login", "", Some("a".repeat(70 * 1024))).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}
