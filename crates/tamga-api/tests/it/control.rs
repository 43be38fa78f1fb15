//! Control over HTTP: the end-to-end red control with a re-assessing finding, the role table
//! for every new endpoint and every role, and bad input (404, 409 naming states, 413, 422).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_core::role::Role;

use crate::app::{sample, TestApp};
use crate::risk::{laptops_profile, put, quiet};

macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(crate::app::TestApp::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(crate::app::TestApp::postgres().await).await;
                }
            }
        )+
    };
}

on_both_backends!(
    end_to_end,
    every_endpoint_every_role,
    bad_input_is_refused_precisely
);

/// A post with a supervisor, an administrator, a lab user, an examiner and a chief on duty.
pub struct Post {
    pub admin: String,
    pub supervisor: String,
    pub lab: String,
    pub examiner: String,
    pub chief: String,
}

pub async fn id_of(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", token).await.body["id"]
        .as_i64()
        .unwrap()
}

async fn on_duty(app: &TestApp, admin: &str, token: &str, group: &str) {
    let id = id_of(app, token).await;
    let body = json!({"office": "UZTAS", "section": "import hall", "group": group});
    let path = format!("/api/v1/control/officers/{id}");
    let saved = app
        .send(
            Method::PUT,
            &path,
            Some(admin),
            Some(body.to_string().into_bytes()),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let shift = json!({"start": fmt(now - time::Duration::hours(1)), "end": fmt(now + time::Duration::hours(8))});
    let added = app.post(&format!("{path}/shifts"), admin, &shift).await;
    assert_eq!(added.status, StatusCode::NO_CONTENT, "{}", added.body);
}

pub async fn post(app: &TestApp) -> Post {
    let admin = app.user("admin", Role::Admin, None).await;
    let supervisor = app.user("boss", Role::Supervisor, None).await;
    let lab = app.user("lab", Role::Lab, None).await;
    let examiner = app.user("exa", Role::Officer, None).await;
    let chief = app.user("chief", Role::Officer, None).await;
    on_duty(app, &admin, &examiner, "examiner").await;
    on_duty(app, &admin, &chief, "chief-examiner").await;
    on_duty(app, &admin, &supervisor, "chief-examiner").await;
    // The supervisor is in the chief group too, but suspended, so the draw never picks them.
    let id = id_of(app, &supervisor).await;
    let suspended = app
        .post(
            &format!("/api/v1/control/officers/{id}/suspension"),
            &supervisor,
            &json!({"suspended": true}),
        )
        .await;
    assert_eq!(
        suspended.status,
        StatusCode::NO_CONTENT,
        "{}",
        suspended.body
    );
    Post {
        admin,
        supervisor,
        lab,
        examiner,
        chief,
    }
}

/// Laptops from China go red.
pub async fn red_profile(app: &TestApp) {
    quiet(app).await;
    let list = json!({"kind": "countries", "entries": ["CN"], "reason": "intelligence report 12"});
    assert_eq!(
        put(
            app,
            "/api/v1/risk/lists/watched-origins",
            &app.analyst,
            &list
        )
        .await
        .status,
        StatusCode::OK
    );
    let created = app
        .post("/api/v1/risk/profiles", &app.analyst, &laptops_profile())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

pub async fn lodge_red(app: &TestApp, lrn: &str) -> String {
    let mut d = sample();
    d["lrn"] = json!(lrn);
    let lodged = app.lodge(&app.broker, &d).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    assert_eq!(lodged.body["channel"], "red");
    lodged.body["mrn"].as_str().unwrap().to_owned()
}

async fn end_to_end(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let mrn = lodge_red(&app, "CTRL-E2E").await;
    let work = app.get("/api/v1/tasks", &p.examiner).await;
    assert_eq!(work.status, StatusCode::OK, "{}", work.body);
    let task = &work.body["tasks"][0];
    assert_eq!(
        (
            task["mrn"].as_str(),
            task["task_type"].as_str(),
            task["state"].as_str()
        ),
        (
            Some(mrn.as_str()),
            Some("physical-examination"),
            Some("allocated")
        )
    );
    let id = task["id"].as_i64().unwrap();
    assert_eq!(
        app.get("/api/v1/tasks", &p.chief).await.body["tasks"][0]["id"],
        id
    );
    assert_eq!(
        app.get("/api/v1/tasks", &app.officer).await.body["tasks"],
        json!([]),
        "nobody else sees it"
    );
    assert_eq!(
        app.get(&format!("/api/v1/tasks/{id}"), &app.officer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let one = app.get(&format!("/api/v1/tasks/{id}"), &p.examiner).await;
    assert!(
        one.body["explanation"]["summary"]
            .as_str()
            .unwrap()
            .contains("asian-computers"),
        "{}",
        one.body
    );
    assert!(one.body.get("draws").is_none(), "draws are for supervisors");
    let started = app
        .post(
            &format!("/api/v1/tasks/{id}/start"),
            &p.examiner,
            &json!({}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let finding = json!({"findings": [{"item": 1, "type": "misclassification", "commodity_code": "8528520000", "notes": "monitors, not laptops"}]});
    let done = app
        .post(
            &format!("/api/v1/tasks/{id}/complete"),
            &p.examiner,
            &finding,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["findings"][0]["commodity_code"], "8528520000");
    let assessment = app
        .get(
            &format!("/api/v1/declarations/{mrn}/assessment"),
            &app.broker,
        )
        .await;
    let versions = assessment.body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{}", assessment.body);
    assert!(versions[1]["reason"]
        .as_str()
        .unwrap()
        .contains("misclassification of item 1"));
    let due = assessment.body["balance"]["due"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(due, "0.00");
    let release = json!({"status": "released", "reason": "control completed"});
    let status = format!("/api/v1/declarations/{mrn}/status");
    let refused = app.post(&status, &p.examiner, &release).await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "owed: {}",
        refused.body
    );
    let pay =
        json!({"kind": "payment", "amount": due, "method": "bank transfer", "reference": "E2E-1"});
    assert_eq!(
        app.post(
            &format!("/api/v1/declarations/{mrn}/payments"),
            &app.officer,
            &pay
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let unendorsed = app.post(&status, &p.examiner, &release).await;
    assert_eq!(unendorsed.status, StatusCode::CONFLICT);
    assert!(
        unendorsed.body["detail"]
            .as_str()
            .unwrap()
            .contains("chief examiner"),
        "{}",
        unendorsed.body
    );
    assert_eq!(
        app.post(&format!("/api/v1/tasks/{id}/endorse"), &p.chief, &json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&status, &p.chief, &release).await.status,
        StatusCode::CONFLICT,
        "only the examiner releases"
    );
    let released = app.post(&status, &p.examiner, &release).await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    let history: Vec<&str> = released.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "lodged",
            "accepted",
            "risk-assessed",
            "under-control",
            "released"
        ]
    );
    let task = app.get(&format!("/api/v1/tasks/{id}"), &p.supervisor).await;
    let events: Vec<&str> = task.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "opened",
            "allocated",
            "allocated",
            "started",
            "completed",
            "endorsed"
        ]
    );
    assert_eq!(task.body["draws"].as_array().unwrap().len(), 2);
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &p.supervisor)
        .await;
    assert_eq!(
        risk.body["outcomes"][0]["outcome"]["findings"][0]["type"],
        "misclassification"
    );
    let trader = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(trader.body["status"], "released");
    assert_eq!(
        app.get(&format!("/api/v1/tasks/{id}"), &app.broker)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let _ = (&p.admin, &p.lab);
}

/// Every new endpoint × every role: 403 exactly where the role table says so.
async fn every_endpoint_every_role(app: TestApp) {
    let p = post(&app).await;
    let declarant = app.broker.clone();
    let roles: [(&str, &str); 6] = [
        ("declarant", &declarant),
        ("officer", &app.officer),
        ("analyst", &app.analyst),
        ("lab", &p.lab),
        ("supervisor", &p.supervisor),
        ("admin", &p.admin),
    ];
    let work = ["officer", "supervisor"];
    let oversee = ["supervisor", "admin"];
    let staff = ["officer", "supervisor", "admin"];
    let supervise = ["supervisor"];
    let reason = json!({"reason": "x"});
    let endpoints: Vec<(Method, &str, Option<Value>, &[&str])> = vec![
        (Method::GET, "/api/v1/tasks", None, &work),
        (Method::GET, "/api/v1/tasks/999999", None, &staff),
        (
            Method::POST,
            "/api/v1/tasks/999999/start",
            Some(json!({})),
            &work,
        ),
        (
            Method::POST,
            "/api/v1/tasks/999999/complete",
            Some(json!({"findings": []})),
            &work,
        ),
        (
            Method::POST,
            "/api/v1/tasks/999999/endorse",
            Some(json!({})),
            &work,
        ),
        (
            Method::POST,
            "/api/v1/tasks/999999/cancel",
            Some(reason.clone()),
            &oversee,
        ),
        (
            Method::POST,
            "/api/v1/tasks/999999/reallocate",
            Some(json!({"group": "examiner", "reason": "x"})),
            &supervise,
        ),
        (
            Method::POST,
            "/api/v1/tasks/999999/allocate",
            Some(json!({})),
            &supervise,
        ),
        (Method::GET, "/api/v1/control/tasks", None, &oversee),
        (Method::GET, "/api/v1/control/officers", None, &oversee),
        (
            Method::PUT,
            "/api/v1/control/officers/999999",
            Some(json!({"office": "UZTAS", "section": "a", "group": "examiner"})),
            &oversee,
        ),
        (
            Method::POST,
            "/api/v1/control/officers/999999/shifts",
            Some(json!({"start": "2026-01-01T08:00:00Z", "end": "2026-01-01T16:00:00Z"})),
            &oversee,
        ),
        (
            Method::POST,
            "/api/v1/control/officers/999999/conflicts",
            Some(json!({"party": "UZ305123456"})),
            &oversee,
        ),
        (
            Method::POST,
            "/api/v1/control/officers/999999/suspension",
            Some(json!({"suspended": true})),
            &supervise,
        ),
        (
            Method::GET,
            "/api/v1/declarations/26UZTAS000000009X0/holds",
            None,
            &staff,
        ),
        (
            Method::POST,
            "/api/v1/declarations/26UZTAS000000009X0/holds",
            Some(reason.clone()),
            &staff,
        ),
        (
            Method::POST,
            "/api/v1/declarations/26UZTAS000000009X0/holds/1/lift",
            Some(reason.clone()),
            &staff,
        ),
    ];
    for (method, path, body, allowed) in &endpoints {
        for (role, token) in roles {
            let bytes = body.as_ref().map(|b| b.to_string().into_bytes());
            let answer = app.send(method.clone(), path, Some(token), bytes).await;
            let expected = if !allowed.contains(&role) {
                StatusCode::FORBIDDEN
            } else if *method == Method::GET && !path.contains("999999") && !path.contains("holds")
            {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(
                answer.status, expected,
                "{role} {method} {path}: {}",
                answer.body
            );
        }
    }
}

/// 409 naming the current and allowed states, 413 for an attachment over the limit, 422 for
/// control characters (NUL included) and blank reasons, 404 for unknown ids.
async fn bad_input_is_refused_precisely(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let mrn = lodge_red(&app, "CTRL-BAD").await;
    let id = app.get("/api/v1/tasks", &p.examiner).await.body["tasks"][0]["id"]
        .as_i64()
        .unwrap();
    let early = app
        .post(
            &format!("/api/v1/tasks/{id}/complete"),
            &p.examiner,
            &json!({"findings": []}),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let detail = early.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("allocated") && detail.contains("in-progress, cancelled"),
        "{detail}"
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/tasks/{id}/start"),
            &p.examiner,
            &json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    let big = json!({"findings": [{"item": 1, "type": "as_declared", "attachments": [{"file_name": "scan.jpg", "sha256": "a".repeat(64), "size": 500_000_000u64}]}]});
    assert_eq!(
        app.post(&format!("/api/v1/tasks/{id}/complete"), &p.examiner, &big)
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let bad = json!({"findings": [{"item": 9, "type": "as_declared"}, {"item": 1, "type": "misclassification", "commodity_code": "8471300000"}], "notes": "ok\u{0000}"});
    let answer = app
        .post(&format!("/api/v1/tasks/{id}/complete"), &p.examiner, &bad)
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    let pointers: Vec<String> = answer.field_errors().into_iter().map(|(p, _)| p).collect();
    for pointer in ["/findings/0/item", "/findings/1/commodity_code", "/notes"] {
        assert!(
            pointers.iter().any(|p| p == pointer),
            "{pointer} in {pointers:?}"
        );
    }
    for reason in ["", "   ", "held\u{0000}", "line\u{0007}"] {
        let answer = app
            .post(
                &format!("/api/v1/tasks/{id}/cancel"),
                &p.supervisor,
                &json!({"reason": reason}),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason:?}"
        );
        assert_eq!(answer.field_errors()[0].0, "/reason");
        let hold = app
            .post(
                &format!("/api/v1/declarations/{mrn}/holds"),
                &p.supervisor,
                &json!({"reason": reason}),
            )
            .await;
        assert_eq!(hold.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let realloc = app
        .post(
            &format!("/api/v1/tasks/{id}/reallocate"),
            &p.supervisor,
            &json!({"group": "examiner", "reason": "ill"}),
        )
        .await;
    assert_eq!(
        realloc.status,
        StatusCode::CONFLICT,
        "nobody else on duty: {}",
        realloc.body
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/tasks/{id}/reallocate"),
            &p.examiner,
            &json!({"group": "examiner", "reason": "mine"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let exa = id_of(&app, &p.examiner).await;
    let suspend = app
        .post(
            &format!("/api/v1/control/officers/{exa}/suspension"),
            &p.supervisor,
            &json!({"suspended": true}),
        )
        .await;
    assert_eq!(
        suspend.status,
        StatusCode::CONFLICT,
        "open task: {}",
        suspend.body
    );
    let cancel = app
        .post(
            &format!("/api/v1/tasks/{id}/cancel"),
            &p.supervisor,
            &json!({"reason": "declaration withdrawn"}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
    let again = app
        .post(
            &format!("/api/v1/tasks/{id}/cancel"),
            &p.supervisor,
            &json!({"reason": "again"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body["detail"]
        .as_str()
        .unwrap()
        .contains("none (final state)"));
    assert_eq!(
        app.post(
            &format!("/api/v1/control/officers/{exa}/suspension"),
            &p.supervisor,
            &json!({"suspended": true})
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let shift = json!({"start": "2026-01-01T16:00:00Z", "end": "2026-01-01T08:00:00Z"});
    assert_eq!(
        app.post(
            &format!("/api/v1/control/officers/{exa}/shifts"),
            &p.admin,
            &shift
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let officer = json!({"office": "nowhere", "section": "a\u{0000}", "group": "boss"});
    let answer = app
        .send(
            Method::PUT,
            &format!("/api/v1/control/officers/{exa}"),
            Some(&p.admin),
            Some(officer.to_string().into_bytes()),
        )
        .await;
    assert_eq!(answer.field_errors().len(), 3, "{}", answer.body);
}
