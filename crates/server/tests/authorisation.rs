//! The authorisation matrix: every role against every endpoint, with the attacks of the
//! threat model tried and refused. Runs the router in-process on a small synthetic demo
//! registry.

use access::identity::{add_user, User};
use access::policy::may_see;
use access::{Directory, Role};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::ids::PersonId;
use model::CountryCode;
use serde_json::Value;
use server::{router, AppState};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};
use store::Registry;
use tower::ServiceExt;

const PASSWORD: &str = "synthetic password one";
/// One of the demo's (invented) organisations.
const TRACING_ORG: &str = "Family Tracing Network";

struct Fixture {
    state: Arc<AppState>,
    dir: Directory,
    users: HashMap<&'static str, User>,
    be_only: PersonId,
    fr_only: PersonId,
    be_child: Option<PersonId>,
    be_name: String,
    fr_name: String,
    /// A person the tracing network recorded, one it did not, and the latter's name.
    organisation_pair: (PersonId, PersonId, String),
    tokens: std::sync::Mutex<HashMap<&'static str, String>>,
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
        organisation: Some("synthetic org".into()),
        scope_organisations: vec![],
        actor: None,
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("reg.db");
        let mut reg = Registry::create(&path, "synthetic passphrase").unwrap();
        let scenario = demo::generate(0.02, 7, reg.sealer());
        let actor = reg.local_actor();
        reg.append(
            actor,
            scenario.events.into_iter().map(|e| (e.at, e.payload)),
            &mut |_| {},
        )
        .unwrap();
        let mut users = HashMap::new();
        let list = [
            ("admin", user("admin", Role::Admin, &[])),
            ("coordinator", user("coordinator", Role::Coordinator, &[])),
            ("caseworker", user("caseworker", Role::Caseworker, &[])),
            ("tracing", user("tracing", Role::Tracing, &[])),
            ("consular_be", user("consular_be", Role::Consular, &["BE"])),
            ("consular_fr", user("consular_fr", Role::Consular, &["FR"])),
            (
                "child_protection",
                user("child_protection", Role::ChildProtection, &[]),
            ),
            ("researcher", user("researcher", Role::Researcher, &[])),
            ("lockme", user("lockme", Role::Caseworker, &[])),
            (
                "tracing_org",
                User {
                    scope_organisations: vec![TRACING_ORG.into()],
                    ..user("tracing_org", Role::Tracing, &[])
                },
            ),
        ];
        for (k, u) in list {
            add_user(&mut reg, &u, PASSWORD, "operator", "test", 0).unwrap();
            users.insert(k, u);
        }
        let dir = Directory::build(&reg).unwrap();
        let be = [cc("BE")];
        let fr = [cc("FR")];
        let mut be_only = None;
        let mut fr_only = None;
        let mut be_child = None;
        let mut ids: Vec<PersonId> = dir.ids().collect();
        ids.sort();
        for id in ids {
            let f = dir.facts(id).unwrap();
            let only = |scope: &[CountryCode]| {
                f.nationalities == scope
                    && f.parent_nationalities.iter().all(|c| scope.contains(c))
                    && f.household_nationalities.iter().all(|c| scope.contains(c))
            };
            if be_only.is_none() && only(&be) {
                be_only = Some(id);
            }
            if fr_only.is_none() && only(&fr) {
                fr_only = Some(id);
            }
            if be_child.is_none()
                && !f.nationalities.contains(&be[0])
                && f.parent_nationalities.contains(&be[0])
            {
                be_child = Some(id);
            }
        }
        let be_only = be_only.expect("the demo has Belgian nationals");
        let fr_only = fr_only.expect("the demo has French nationals");
        let name = |id| reg.person(id).unwrap().unwrap().display_name();
        let be_name = name(be_only);
        let fr_name = name(fr_only);
        let key = model::actor::organisation_key(TRACING_ORG);
        let mut ids: Vec<PersonId> = dir.ids().collect();
        ids.sort();
        let recorded = |want: bool| {
            ids.iter()
                .copied()
                .find(|id| dir.facts(*id).unwrap().organisations.contains(&key) == want)
                .unwrap()
        };
        let (ours, theirs) = (recorded(true), recorded(false));
        let organisation_pair = (ours, theirs, name(theirs));
        let state = Arc::new(AppState::new(reg, 5).unwrap());
        Fixture {
            state,
            dir,
            users,
            be_only,
            fr_only,
            be_child,
            be_name,
            fr_name,
            organisation_pair,
            tokens: Default::default(),
            _tmp: tmp,
        }
    })
}

struct Reply {
    status: StatusCode,
    content_type: String,
    json: Value,
}

async fn call(method: &str, uri: &str, token: Option<&str>, body: Option<Vec<u8>>) -> Reply {
    let f = fixture();
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = req
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let resp = router(Arc::clone(&f.state)).oneshot(req).await.unwrap();
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        content_type,
        json,
    }
}

async fn login(name: &str, password: &str) -> Reply {
    let body = serde_json::json!({"username": name, "password": password});
    call(
        "POST",
        "/api/v1/session",
        None,
        Some(body.to_string().into_bytes()),
    )
    .await
}

async fn token(key: &'static str) -> String {
    let f = fixture();
    if let Some(t) = f.tokens.lock().unwrap().get(key) {
        return t.clone();
    }
    let r = login(key, PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "login {key}: {:?}", r.json);
    let t = r.json["token"].as_str().unwrap().to_string();
    f.tokens.lock().unwrap().insert(key, t.clone());
    t
}

async fn get(key: &'static str, uri: &str) -> Reply {
    let t = token(key).await;
    call("GET", uri, Some(&t), None).await
}

const ROLES: [&str; 8] = [
    "admin",
    "coordinator",
    "caseworker",
    "tracing",
    "consular_be",
    "consular_fr",
    "child_protection",
    "researcher",
];

fn problem(r: &Reply) {
    assert_eq!(r.content_type, "application/problem+json", "{:?}", r.json);
    assert!(r.json["status"].as_u64().is_some());
}

#[tokio::test]
async fn person_reads_follow_the_role_rules() {
    let f = fixture();
    let be = f.be_only.to_string();
    let fr = f.fr_only.to_string();
    let guessed = PersonId::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0).to_string();
    let research = |id: PersonId| {
        if f.dir.facts(id).unwrap().research_consent {
            200
        } else {
            404
        }
    };
    // (role, BE national, FR national)
    let expect = [
        ("admin", 200, 200),
        ("coordinator", 403, 403),
        ("caseworker", 200, 200),
        ("tracing", 200, 200),
        ("consular_be", 200, 404),
        ("consular_fr", 404, 200),
        ("child_protection", 200, 200),
        // A researcher sees exactly the persons whose research consent is in force.
        ("researcher", research(f.be_only), research(f.fr_only)),
    ];
    for (role, be_status, fr_status) in expect {
        for (id, want) in [(&be, be_status), (&fr, fr_status)] {
            for suffix in ["", "/timeline"] {
                let r = get(role, &format!("/api/v1/persons/{id}{suffix}")).await;
                assert_eq!(r.status.as_u16(), want, "{role} {id}{suffix}");
                if want != 200 {
                    problem(&r);
                }
            }
        }
        // Guessing ids: a well-formed id nobody has, and garbage, look like a hidden person.
        let want = if role == "coordinator" { 403 } else { 404 };
        for id in [guessed.as_str(), "not-an-id", "%00", "1"] {
            let r = get(role, &format!("/api/v1/persons/{id}")).await;
            let want = if id == guessed { want } else { 404 };
            assert_eq!(r.status.as_u16(), want, "{role} guessing {id}");
            problem(&r);
        }
    }
}

#[tokio::test]
async fn an_organisation_scope_hides_other_organisations_persons_everywhere() {
    let f = fixture();
    let (ours, theirs, name) = f.organisation_pair.clone();
    let r = get("tracing_org", &format!("/api/v1/persons/{ours}")).await;
    assert_eq!(r.status, StatusCode::OK);
    for suffix in ["", "/timeline"] {
        let r = get("tracing_org", &format!("/api/v1/persons/{theirs}{suffix}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{suffix}");
        problem(&r);
        let r = get("tracing", &format!("/api/v1/persons/{theirs}{suffix}")).await;
        assert_eq!(r.status, StatusCode::OK, "unscoped {suffix}");
    }
    let q: String = name.split_whitespace().collect::<Vec<_>>().join("%20");
    let found = |r: &Reply| {
        r.json
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["person_id"] == theirs.to_string())
    };
    let r = get("tracing_org", &format!("/api/v1/persons?q={q}&limit=50")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!found(&r), "search leaks another organisation's person");
    let r = get("tracing", &format!("/api/v1/persons?q={q}&limit=50")).await;
    assert!(found(&r), "the unscoped search finds them");
    let scoped = get("tracing_org", "/api/v1/stats?by=camp").await;
    let all = get("tracing", "/api/v1/stats?by=camp").await;
    let total = |r: &Reply| r.json["total"].as_u64().unwrap();
    assert!(
        total(&scoped) < total(&all),
        "{:?} vs {:?}",
        scoped.json,
        all.json
    );
}

#[tokio::test]
async fn an_api_token_acts_as_its_account_and_stops_when_revoked() {
    let f = fixture();
    // The server checks expiry against the real clock.
    let state = f.state.clone();
    let issued = tokio::task::spawn_blocking(move || {
        let now = chrono::Utc::now().timestamp_millis();
        state
            .with_registry(|reg, _| {
                access::tokens::issue(reg, "consular_be", "script", 7, "operator", "test", now)
            })
            .unwrap()
            .unwrap()
    })
    .await
    .unwrap();
    let (be, fr) = (f.be_only.to_string(), f.fr_only.to_string());
    let read = |id: String| {
        let token = issued.token.clone();
        async move { call("GET", &format!("/api/v1/persons/{id}"), Some(&token), None).await }
    };
    assert_eq!(read(be.clone()).await.status, StatusCode::OK);
    assert_eq!(
        read(fr.clone()).await.status,
        StatusCode::NOT_FOUND,
        "scoped as its account"
    );
    let r = call("GET", "/api/v1/stats?by=camp", Some(&issued.token), None).await;
    assert_eq!(r.status, StatusCode::OK);

    let state = f.state.clone();
    let id = issued.id.clone();
    tokio::task::spawn_blocking(move || {
        state
            .with_registry(|reg, _| access::tokens::revoke(reg, &id, "operator", "test", 1))
            .unwrap()
            .unwrap()
    })
    .await
    .unwrap();
    let r = read(be).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    problem(&r);
    for bad in ["hwt_", "hwt_0000000000_00", "hwt_x y"] {
        let r = call("GET", "/api/v1/stats?by=camp", Some(bad), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
    }
}

#[tokio::test]
async fn consular_sees_children_of_nationals() {
    let f = fixture();
    let Some(child) = f.be_child else { return };
    let r = get("consular_be", &format!("/api/v1/persons/{child}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get("consular_fr", &format!("/api/v1/persons/{child}")).await;
    let fr_reach = f
        .dir
        .facts(child)
        .is_some_and(|x| may_see(&f.users["consular_fr"], &x));
    assert_eq!(r.status == StatusCode::OK, fr_reach);
}

#[tokio::test]
async fn redaction_by_role() {
    let f = fixture();
    let be = f.be_only;
    let case = get("caseworker", &format!("/api/v1/persons/{be}"))
        .await
        .json;
    assert!(case["names"].as_array().is_some_and(|n| !n.is_empty()));
    // Relationships point only at persons the caller may see.
    let consul = get("consular_be", &format!("/api/v1/persons/{be}"))
        .await
        .json;
    for rel in consul["relationships"].as_array().unwrap() {
        let other: PersonId = rel["other"].as_str().unwrap().parse().unwrap();
        assert!(may_see(
            &f.users["consular_be"],
            &f.dir.facts(other).unwrap()
        ));
    }
    // Sealed sources: tracing opens them, every other role sees only that one exists.
    let mut saw_sealed = false;
    for role in [
        "admin",
        "caseworker",
        "tracing",
        "consular_be",
        "child_protection",
    ] {
        let tl = get(role, &format!("/api/v1/persons/{be}/timeline"))
            .await
            .json;
        for e in tl.as_array().unwrap() {
            if let Some(src) = e["report"].get("source") {
                saw_sealed = true;
                assert_eq!(src["sealed"], true);
                assert_eq!(
                    src.get("value").is_some(),
                    role == "tracing",
                    "{role}: {src}"
                );
            }
            if role == "consular_be" {
                assert!(
                    e["report"].get("content").is_none(),
                    "consular sees no report text"
                );
            }
        }
    }
    assert!(
        saw_sealed,
        "the fixture person has a report with a sealed source"
    );
    // Child protection sees no legal status; others with legal access may.
    let cp = get("child_protection", &format!("/api/v1/persons/{be}"))
        .await
        .json;
    for c in cp["claims"].as_array().unwrap() {
        assert_ne!(c["kind"], "legal_status");
        assert_ne!(c["kind"], "wishes_trial_at_home");
    }
}

#[tokio::test]
async fn search_stays_inside_the_scope() {
    let f = fixture();
    // Another nationality's names: the French woman's name, searched by the Belgian consul.
    let fr_first: String = f.fr_name.split_whitespace().next().unwrap().to_string();
    let r = get(
        "consular_be",
        &format!("/api/v1/persons?q={}&limit=200", enc(&f.fr_name)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r
        .json
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["person_id"] == f.fr_only.to_string()));
    let r = get(
        "consular_be",
        &format!("/api/v1/persons?q={}&limit=200", enc(&fr_first)),
    )
    .await;
    for hit in r.json.as_array().unwrap() {
        let id: PersonId = hit["person_id"].as_str().unwrap().parse().unwrap();
        assert!(
            may_see(&f.users["consular_be"], &f.dir.facts(id).unwrap()),
            "leaked {id}"
        );
    }
    let r = get(
        "consular_be",
        &format!("/api/v1/persons?q={}", enc(&f.be_name)),
    )
    .await;
    assert!(r
        .json
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["person_id"] == f.be_only.to_string()));
    let r = get(
        "caseworker",
        &format!("/api/v1/persons?q={}", enc(&f.fr_name)),
    )
    .await;
    assert!(r
        .json
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["person_id"] == f.fr_only.to_string()));
    // Any script, any order: the French woman's Arabic-script name and her Latin name
    // reversed find her for a caseworker, never for the Belgian consul.
    let fr_view = f.state_person(f.fr_only);
    let arabic = fr_view
        .names
        .iter()
        .find(|n| n.script == model::person::Script::Arabic)
        .map(|n| n.text.clone())
        .expect("demo persons carry an Arabic-script name");
    let reversed: Vec<&str> = f.fr_name.split_whitespace().rev().collect();
    for q in [arabic, reversed.join(" ")] {
        let r = get("caseworker", &format!("/api/v1/persons?q={}", enc(&q))).await;
        let hits = r.json.as_array().unwrap();
        assert!(
            hits.iter().any(|h| h["person_id"] == f.fr_only.to_string()),
            "caseworker does not find {q}"
        );
        assert!(
            hits[0]["why"]["name"].is_string(),
            "a hit says why: {}",
            hits[0]
        );
        let r = get(
            "consular_be",
            &format!("/api/v1/persons?q={}&limit=200", enc(&q)),
        )
        .await;
        for hit in r.json.as_array().unwrap() {
            let id: PersonId = hit["person_id"].as_str().unwrap().parse().unwrap();
            assert!(
                may_see(&f.users["consular_be"], &f.dir.facts(id).unwrap()),
                "{q} leaked {id} to the Belgian consul"
            );
        }
    }
    for (role, want) in [("coordinator", 403), ("researcher", 403)] {
        let r = get(role, &format!("/api/v1/persons?q={}", enc(&f.be_name))).await;
        assert_eq!(r.status.as_u16(), want, "{role}");
        problem(&r);
    }
    for bad in [
        "/api/v1/persons",
        "/api/v1/persons?q=a",
        "/api/v1/persons?q=ab&limit=0",
        "/api/v1/persons?q=ab&limit=abc",
        "/api/v1/persons?q=ab&limit=100000",
    ] {
        let r = get("caseworker", bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        problem(&r);
    }
}

impl Fixture {
    fn state_person(&self, id: PersonId) -> model::projection::PersonView {
        self.state
            .with_registry(|reg, _| reg.person(id).unwrap().unwrap())
            .unwrap()
    }
}

fn enc(s: &str) -> String {
    form_urlencoded_byte_serialize(s)
}

fn form_urlencoded_byte_serialize(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn counts_never_show_small_cells_or_other_countries() {
    let f = fixture();
    let all_dims = "camp,nationality,sex,age_band,status";
    for role in ROLES {
        let r = get(role, &format!("/api/v1/stats?by={all_dims}")).await;
        assert_eq!(r.status, StatusCode::OK, "{role}");
        for g in r.json["groups"].as_array().unwrap() {
            match g["count"].as_u64() {
                Some(n) => assert!(n == 0 || n >= 5, "{role}: {g}"),
                None => assert_eq!(g["suppressed"], true),
            }
        }
        let total = r.json["total"].as_u64();
        assert!(total.is_none_or(|n| n == 0 || n >= 5));
    }
    // The Belgian consul counts exactly their reach: nothing of other countries.
    let reach = f
        .dir
        .ids()
        .filter(|id| may_see(&f.users["consular_be"], &f.dir.facts(*id).unwrap()))
        .count() as u64;
    let r = get("consular_be", "/api/v1/stats").await;
    let expected = if reach < 5 && reach > 0 {
        None
    } else {
        Some(reach)
    };
    assert_eq!(r.json["total"].as_u64(), expected);
    let r = get("consular_be", "/api/v1/stats?by=nationality").await;
    let nats: BTreeSet<String> = r.json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["nationality"].as_str().unwrap().to_string())
        .collect();
    assert!(nats.contains("BE"));
    assert!(
        !nats.contains("FR")
            || f.dir.ids().any(|id| {
                let x = f.dir.facts(id).unwrap();
                x.nationalities.contains(&cc("FR")) && may_see(&f.users["consular_be"], &x)
            })
    );
    // Researcher: exactly the persons whose research consent is in force (the demo
    // records some grants and revokes some of them).
    let consenting = f
        .dir
        .ids()
        .filter(|id| f.dir.facts(*id).unwrap().research_consent)
        .count() as u64;
    assert!(consenting > 0);
    let r = get("researcher", "/api/v1/stats?by=camp").await;
    let expected = if (1..5).contains(&consenting) {
        None
    } else {
        Some(consenting)
    };
    assert_eq!(r.json["total"].as_u64(), expected);
    let r = get("coordinator", "/api/v1/stats").await;
    assert_eq!(r.json["total"].as_u64(), Some(f.dir.len() as u64));
    for bad in ["/api/v1/stats?by=name", "/api/v1/stats?by=camp,%00"] {
        let r = get("coordinator", bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        problem(&r);
    }
}

#[tokio::test]
async fn every_read_is_audited_and_only_admins_see_who_looked() {
    let f = fixture();
    let fr = f.fr_only;
    get("tracing", &format!("/api/v1/persons/{fr}")).await;
    get("consular_be", &format!("/api/v1/persons/{fr}")).await;
    let r = get("admin", &format!("/api/v1/persons/{fr}/audit")).await;
    assert_eq!(r.status, StatusCode::OK);
    let entries = r.json.as_array().unwrap();
    assert!(entries
        .iter()
        .any(|e| e["actor"] == "tracing" && e["action"] == "person.read"));
    assert!(entries
        .iter()
        .any(|e| e["actor"] == "consular_be" && e["action"] == "person.read.denied"));
    for role in ROLES.iter().filter(|r| **r != "admin") {
        let r = get(role, &format!("/api/v1/persons/{fr}/audit")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    let intact = f
        .state
        .with_registry(|reg, _| reg.audit_verify().unwrap())
        .unwrap();
    assert!(intact.is_ok());
}

#[tokio::test]
async fn sessions_tokens_and_lock_out() {
    let f = fixture();
    let be = f.be_only;
    for t in [None, Some("nonsense"), Some("")] {
        for uri in [
            "/api/v1/persons?q=ab".to_string(),
            format!("/api/v1/persons/{be}"),
            "/api/v1/stats".into(),
        ] {
            let r = call("GET", &uri, t, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri} {t:?}");
            problem(&r);
        }
    }
    let r = login("nobody", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for _ in 0..5 {
        let r = login("lockme", "wrong password here").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        problem(&r);
    }
    let r = login("lockme", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    // Signing out ends the token.
    let t = login("caseworker", PASSWORD).await.json["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        call("DELETE", "/api/v1/session", Some(&t), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call("GET", "/api/v1/stats", Some(&t), None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_input_gets_4xx_problems() {
    for body in [
        &b"not json"[..],
        b"{}",
        b"{\"username\": 1}",
        b"[]",
        b"\xff\xfe",
    ] {
        let r = call("POST", "/api/v1/session", None, Some(body.to_vec())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        problem(&r);
    }
    let big = vec![b'a'; 100_000];
    let r = call("POST", "/api/v1/session", None, Some(big)).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = call("GET", "/api/v1/nothing-here", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    problem(&r);
    let r = call("PUT", "/api/v1/stats", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        call("GET", "/healthz", None, None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn openapi_documents_the_contract_endpoints() {
    let r = call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let paths = r.json["paths"].as_object().unwrap();
    for p in [
        "/api/v1/session",
        "/api/v1/persons",
        "/api/v1/persons/{id}",
        "/api/v1/persons/{id}/timeline",
        "/api/v1/stats",
        "/api/v1/openapi.json",
        "/healthz",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
}
