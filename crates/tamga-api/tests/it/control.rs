//! Control over HTTP: the end-to-end red control with a re-assessing finding, the role table
//! for every new endpoint and every role, and bad input (404, 409 naming states, 413, 422).

use axum::http::{Method, StatusCode};
use serde_json::json;
use tamga_core::role::Role;

use crate::app::{sample, TestApp};
use crate::risk::{laptops_profile, put, quiet};

on_both_backends!(end_to_end, task_lists_come_a_page_at_a_time);

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

/// The worklist and an office's tasks come a page at a time: `limit`, then `after` the
/// previous page's `next_after`; a limit out of range is a 400 naming it.
async fn task_lists_come_a_page_at_a_time(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let first = lodge_red(&app, "CTRL-PAGE-1").await;
    let second = lodge_red(&app, "CTRL-PAGE-2").await;
    for (path, token) in [
        ("/api/v1/tasks", &p.examiner),
        ("/api/v1/control/tasks", &p.supervisor),
    ] {
        let page = app.get(&format!("{path}?limit=1"), token).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            page.body["tasks"][0]["mrn"],
            second.as_str(),
            "newest first"
        );
        let after = page.body["next_after"].as_i64().expect("a next page");
        let next = app
            .get(&format!("{path}?limit=1&after={after}"), token)
            .await;
        assert_eq!(
            next.body["tasks"][0]["mrn"],
            first.as_str(),
            "{}",
            next.body
        );
        assert_eq!(next.body["next_after"], json!(null), "{}", next.body);
        let whole = app.get(path, token).await;
        assert_eq!(whole.body["tasks"].as_array().map(Vec::len), Some(2));
        for limit in ["0", "501", "-1", "many"] {
            let refused = app.get(&format!("{path}?limit={limit}"), token).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path} {limit}");
            assert!(
                refused.body.to_string().contains("limit"),
                "{}",
                refused.body
            );
        }
    }
}
