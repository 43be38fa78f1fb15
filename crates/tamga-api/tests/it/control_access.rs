//! Control over HTTP, continued: the role table for every new endpoint and every role, and bad
//! input (404, 409 naming states, 413, 422 for control characters).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::app::TestApp;
use crate::control::{id_of, lodge_red, post, red_profile};

on_both_backends!(every_endpoint_every_role, bad_input_is_refused_precisely);

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
    // A control character is refused at the edge, alone; the findings are then checked together.
    let nul = json!({"findings": [], "notes": "ok\u{0000}"});
    let answer = app
        .post(&format!("/api/v1/tasks/{id}/complete"), &p.examiner, &nul)
        .await;
    assert_eq!(
        answer.field_errors(),
        [("/notes".to_owned(), "control_character".to_owned())]
    );
    let bad = json!({"findings": [{"item": 9, "type": "as_declared"}, {"item": 1, "type": "misclassification", "commodity_code": "8471300000"}], "notes": "ok"});
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
    for pointer in ["/findings/0/item", "/findings/1/commodity_code"] {
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
    // A control character is refused at the edge, alone; other mistakes are named together.
    let officer = json!({"office": "UZTAS", "section": "a\u{0000}", "group": "examiners"});
    let answer = app
        .send(
            Method::PUT,
            &format!("/api/v1/control/officers/{exa}"),
            Some(&p.admin),
            Some(officer.to_string().into_bytes()),
        )
        .await;
    assert_eq!(
        answer.field_errors(),
        [("/section".to_owned(), "control_character".to_owned())]
    );
    let officer = json!({"office": "nowhere", "section": " ", "group": "boss"});
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
