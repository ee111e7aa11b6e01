//! The duplicate review queue through the real router: the API (`/api/v1/duplicates`)
//! and the web pages (`/duplicates`), for every role. A consul scoped to BE must learn
//! nothing of a French national through a pair — not the pair, not its id, not the
//! count; deciding or undoing what one may not see is 404 and writes nothing; forms need
//! their CSRF token; a match merges, the old id resolves, and an undo separates again.

use access::identity::{add_user, User};
use access::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use model::event::Payload;
use model::ids::PersonId;
use model::merge::{candidate_id, ordered, MatchCandidate, MatchEvidence, Weight};
use model::person::{Name, NameKind, NationalityClaim, NationalityStatus, Registration, Sex};
use model::time::Timestamp;
use serde_json::Value;
use server::{router, AppState};
use std::sync::Arc;
use store::Registry;
use tower::ServiceExt;

const PASSWORD: &str = "synthetic password one";
const BE_1: u128 = 1;
const BE_2: u128 = 2;
const BE_3: u128 = 3;
const FR_1: u128 = 4;

fn p(n: u128) -> PersonId {
    PersonId::from_u128(n)
}

fn register(n: u128, name: &str, cc: &str) -> Payload {
    Payload::PersonRegistered {
        person: p(n),
        registration: Registration {
            sex: Sex::Female,
            birth: None,
            names: vec![Name::new(name, NameKind::Full, None)],
            nationalities: vec![NationalityClaim {
                country: cc.parse().unwrap(),
                status: NationalityStatus::Claimed,
                evidence: None,
                source: None,
            }],
            vulnerabilities: vec![],
            household: None,
            relationships: vec![],
            source: None,
        },
    }
}

struct Site {
    state: Arc<AppState>,
    _tmp: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let mut reg = Registry::create(&tmp.path().join("r.db"), "synthetic passphrase").unwrap();
        let scan = Payload::MatchCandidatesScanned {
            at: Timestamp(1_571_000_000_000),
            candidates: [(BE_1, BE_2, 9.0), (BE_1, FR_1, 12.0), (BE_2, BE_3, 4.0)]
                .iter()
                .map(|(a, b, bits)| MatchCandidate {
                    pair: ordered(p(*a), p(*b)),
                    evidence: MatchEvidence {
                        weight: Weight::from_bits(*bits),
                        comparisons: vec![],
                        names: vec![],
                        keys: vec![],
                        household: None,
                        kunya: false,
                    },
                })
                .collect(),
            withdrawn: vec![],
        };
        let events = vec![
            register(BE_1, "Samira Bouazzaoui", "BE"),
            register(BE_2, "Sameera Bu Azawi", "BE"),
            register(BE_3, "Samira Bouazaoui", "BE"),
            register(FR_1, "Camille Delaunay", "FR"),
            scan,
        ];
        let actor = reg.local_actor();
        reg.append(
            actor,
            events.into_iter().map(|e| (Timestamp(0), e)),
            &mut |_| {},
        )
        .unwrap();
        for (name, role, nats) in [
            ("tracing", Role::Tracing, vec!["BE", "FR"]),
            ("consul_be", Role::Consular, vec!["BE"]),
            ("consul_fr", Role::Consular, vec!["FR"]),
            ("coordinator", Role::Coordinator, vec![]),
            ("researcher", Role::Researcher, vec![]),
        ] {
            let u = User {
                name: name.into(),
                role,
                nationalities: nats.iter().map(|c| c.parse().unwrap()).collect(),
                camps: vec![],
                organisation: None,
                scope_organisations: Vec::new(),
                actor: None,
            };
            add_user(&mut reg, &u, PASSWORD, "operator", "test", 0).unwrap();
        }
        Self {
            state: Arc::new(AppState::new(reg, 5).unwrap()),
            _tmp: tmp,
        }
    }

    async fn send(&self, method: &str, path: &str, auth: &Auth, body: Option<String>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        let json_body = matches!(auth, Auth::Bearer(_));
        match auth {
            Auth::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Auth::Cookie(c) => req = req.header(header::COOKIE, c.as_str()),
            Auth::None => {}
        }
        if body.is_some() {
            let kind = if json_body {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            req = req.header(header::CONTENT_TYPE, kind);
        }
        let res = router(Arc::clone(&self.state))
            .oneshot(req.body(Body::from(body.unwrap_or_default())).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let cookies: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            location,
            cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn token(&self, user: &str) -> Auth {
        let body = format!("{{\"username\":\"{user}\",\"password\":\"{PASSWORD}\"}}");
        let r = self
            .send("POST", "/api/v1/session", &Auth::None, Some(body))
            .await;
        let v: Value = serde_json::from_str(&r.body).unwrap();
        Auth::Bearer(v["token"].as_str().unwrap().to_string())
    }

    /// A web session: the cookie and its CSRF token.
    async fn sign_in(&self, user: &str) -> (Auth, String) {
        let form = self.send("GET", "/login", &Auth::None, None).await;
        let pre = form.cookies[0].clone();
        let token = hidden(&form.body, "login_csrf");
        let body = format!(
            "login_csrf={token}&username={user}&password={}",
            enc(PASSWORD)
        );
        let r = self
            .send("POST", "/login", &Auth::Cookie(pre), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let cookie = Auth::Cookie(r.cookies[0].clone());
        let page = self.send("GET", "/camps", &cookie, None).await;
        let csrf = hidden(&page.body, "csrf");
        (cookie, csrf)
    }

    fn events(&self) -> u64 {
        self.state
            .with_registry(|r, _| r.event_count().unwrap())
            .unwrap()
    }
}

enum Auth {
    Bearer(String),
    Cookie(String),
    None,
}

struct Reply {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("hidden field") + marker.len();
    body[start..start + 64].to_string()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn cid(a: u128, b: u128) -> String {
    candidate_id(p(a), p(b)).to_string()
}

#[tokio::test]
async fn the_api_queue_is_scoped_and_counted_per_caller() {
    let site = Site::new();
    let expect = [("tracing", 3), ("consul_be", 2), ("consul_fr", 0)];
    for (user, total) in expect {
        let r = site
            .send("GET", "/api/v1/duplicates", &site.token(user).await, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.body);
        assert_eq!(r.json()["total"], total, "{user}");
    }
    let be = site.token("consul_be").await;
    let r = site.send("GET", "/api/v1/duplicates", &be, None).await;
    assert!(
        !r.body.contains(&p(FR_1).to_string()),
        "no French national in the BE queue"
    );
    assert!(!r.body.contains(&cid(BE_1, FR_1)), "nor the pair's id");
    for user in ["coordinator", "researcher"] {
        let r = site
            .send("GET", "/api/v1/duplicates", &site.token(user).await, None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    let r = site
        .send("GET", "/api/v1/duplicates?limit=0", &be, None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = site
        .send("GET", "/api/v1/duplicates", &Auth::None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_pair_one_may_not_both_see_is_not_found_and_cannot_be_decided() {
    let site = Site::new();
    let be = site.token("consul_be").await;
    let hidden_pair = cid(BE_1, FR_1);
    let r = site
        .send(
            "GET",
            &format!("/api/v1/duplicates/{hidden_pair}"),
            &be,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let absent = model::ids::CandidateId::from_u128(99).to_string();
    let r2 = site
        .send("GET", &format!("/api/v1/duplicates/{absent}"), &be, None)
        .await;
    assert_eq!(
        (r2.status, r2.body.clone()),
        (r.status, r.body.clone()),
        "same answer"
    );
    let before = site.events();
    let body = r#"{"decision":"match","note":"same"}"#.to_string();
    let r = site
        .send(
            "POST",
            &format!("/api/v1/duplicates/{hidden_pair}/decision"),
            &be,
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(site.events(), before, "nothing written");
    let r = site
        .send(
            "POST",
            &format!("/api/v1/duplicates/{}/decision", cid(BE_1, BE_2)),
            &be,
            Some("{".into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = site
        .send(
            "POST",
            &format!("/api/v1/duplicates/{}/decision", cid(BE_1, BE_2)),
            &be,
            Some(r#"{"decision":"perhaps"}"#.into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("not_a_match"), "{}", r.body);
}

#[tokio::test]
async fn a_match_merges_the_old_id_resolves_and_an_undo_separates_again() {
    let site = Site::new();
    let be = site.token("consul_be").await;
    let body = format!(
        r#"{{"decision":"match","note":"same woman","keep":"{}"}}"#,
        p(BE_1)
    );
    let r = site
        .send(
            "POST",
            &format!("/api/v1/duplicates/{}/decision", cid(BE_1, BE_2)),
            &be,
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let merge = r.json()["merge_id"].as_str().unwrap().to_string();
    let r = site
        .send("GET", &format!("/api/v1/persons/{}", p(BE_2)), &be, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["person_id"], p(BE_1).to_string());
    assert_eq!(v["merged_from"]["person_id"], p(BE_2).to_string());
    assert_eq!(v["records"].as_array().unwrap().len(), 2);
    // Another country's consul may not undo it.
    let fr = site.token("consul_fr").await;
    let path = format!("/api/v1/duplicates/merges/{merge}/undo");
    let r = site.send("POST", &path, &fr, Some("{}".into())).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = site
        .send("POST", &path, &be, Some(r#"{"note":"sisters"}"#.into()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = site
        .send("GET", &format!("/api/v1/persons/{}", p(BE_2)), &be, None)
        .await;
    assert_eq!(r.json()["person_id"], p(BE_2).to_string());
    let r = site.send("POST", &path, &be, Some("{}".into())).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "undone already");
}

#[tokio::test]
async fn the_openapi_document_describes_the_duplicates_endpoints() {
    let site = Site::new();
    let r = site
        .send("GET", "/api/v1/openapi.json", &Auth::None, None)
        .await;
    let doc = r.json();
    for path in [
        "/api/v1/duplicates",
        "/api/v1/duplicates/{id}",
        "/api/v1/duplicates/{id}/decision",
        "/api/v1/duplicates/merges/{id}/undo",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn the_web_queue_is_scoped_and_its_forms_need_their_token() {
    let site = Site::new();
    let (be, csrf) = site.sign_in("consul_be").await;
    let r = site.send("GET", "/duplicates", &be, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("2 pairs to review"), "{}", r.body);
    assert!(!r.body.contains(&p(FR_1).to_string()) && !r.body.contains(&cid(BE_1, FR_1)));
    assert!(
        r.body.contains("href=\"/duplicates\""),
        "the navigation offers the page"
    );
    let r = site
        .send(
            "GET",
            &format!("/duplicates/{}", cid(BE_1, FR_1)),
            &be,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = site
        .send(
            "GET",
            &format!("/duplicates/{}", cid(BE_1, BE_2)),
            &be,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"decide\""));
    let path = format!("/duplicates/{}/decision", cid(BE_1, BE_2));
    let before = site.events();
    let r = site
        .send("POST", &path, &be, Some("decision=not_a_match".into()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = site
        .send(
            "POST",
            &path,
            &be,
            Some("csrf=forged&decision=not_a_match".into()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a wrong CSRF token");
    assert_eq!(site.events(), before);
    let hidden_path = format!("/duplicates/{}/decision", cid(BE_1, FR_1));
    let r = site
        .send(
            "POST",
            &hidden_path,
            &be,
            Some(format!("csrf={csrf}&decision=match")),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(site.events(), before);
    let r = site
        .send(
            "POST",
            &path,
            &be,
            Some(format!("csrf={csrf}&decision=not_a_match&note=two+women")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some("/duplicates?decided=not_a_match")
    );
    let r = site.send("GET", "/duplicates", &be, None).await;
    assert!(r.body.contains("1 pairs to review"), "{}", r.body);
}

#[tokio::test]
async fn the_web_merge_shows_both_records_and_undoes() {
    let site = Site::new();
    let (tr, csrf) = site.sign_in("tracing").await;
    let path = format!("/duplicates/{}/decision", cid(BE_2, BE_3));
    let body = format!("csrf={csrf}&decision=match&keep={}&note=one+woman", p(BE_3));
    let r = site.send("POST", &path, &tr, Some(body)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, Some(format!("/person/{}", p(BE_3))));
    let r = site
        .send("GET", &format!("/person/{}", p(BE_2)), &tr, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"merged-from\""), "says it was merged");
    assert!(r.body.contains("id=\"records\""), "shows the records");
    let merge_marker = "action=\"/duplicates/merges/";
    let start = r.body.find(merge_marker).expect("an undo form") + merge_marker.len();
    let merge = &r.body[start..start + 36];
    let r = site
        .send(
            "POST",
            &format!("/duplicates/merges/{merge}/undo"),
            &tr,
            Some(format!("csrf={csrf}&note=no")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, Some(format!("/person/{}", p(BE_2))));
    let r = site
        .send("GET", &format!("/person/{}", p(BE_2)), &tr, None)
        .await;
    assert!(!r.body.contains("id=\"merged-from\""));
}

#[tokio::test]
async fn roles_that_do_not_review_neither_see_nor_reach_the_page() {
    let site = Site::new();
    let (co, _) = site.sign_in("coordinator").await;
    let r = site.send("GET", "/camps", &co, None).await;
    assert!(!r.body.contains("href=\"/duplicates\""));
    let r = site.send("GET", "/duplicates", &co, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
