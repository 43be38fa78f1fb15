//! Sign-in, the forced password change, sign-out, expiry, CSRF and roles.

use axum::http::{Method, StatusCode};
use tamga_core::role::Role;
use tamga_store::web::NewSession;

use crate::app::{Web, PASSWORD};

async fn signing_in_takes_the_right_password_only(web: Web) {
    web.user("officer1", Role::Officer, None).await;
    let refused = web
        .sign_in("officer1", "not the password at all")
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.body.contains("value=\"officer1\""),
        "the name typed is kept"
    );
    let unknown = web.sign_in("nobody", PASSWORD).await.unwrap_err();
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let cookie = web.sign_in("officer1", PASSWORD).await.unwrap();
    let page = web.get("/worklist", &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("officer1"));
}

#[tokio::test]
async fn sqlite_signing_in_takes_the_right_password_only() {
    signing_in_takes_the_right_password_only(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_signing_in_takes_the_right_password_only() {
    signing_in_takes_the_right_password_only(Web::postgres().await).await;
}

/// Guessing passwords is limited: past the failure budget of a user name, even the right
/// password is answered 429 until the wait is over.
#[tokio::test]
async fn password_guessing_is_limited() {
    let web = Web::sqlite().await;
    web.user("officer1", Role::Officer, None).await;
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let refused = web.sign_in("officer1", "a guess").await.unwrap_err();
        statuses.push(refused.status);
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let blocked = web.sign_in("officer1", PASSWORD).await.unwrap_err();
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
}

/// An administrator's password must be changed at the first sign-in; the change ends every
/// session that had the old one.
async fn the_first_password_is_changed_first(web: Web) {
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let hash = tamga_web::password::hash("temporary password 1").unwrap();
    web.store.set_password("broker", &hash, true).await.unwrap();
    let cookie = web.sign_in("broker", "temporary password 1").await.unwrap();
    let elsewhere = web.get("/declarations", &cookie).await;
    assert_eq!(
        (elsewhere.status, elsewhere.location()),
        (StatusCode::SEE_OTHER, "/password")
    );
    let form = web.get("/password", &cookie).await;
    let csrf = form.csrf();
    let wrong = web
        .post(
            "/password",
            &cookie,
            &[
                ("csrf", &csrf),
                ("current", "wrong"),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let short = web
        .post(
            "/password",
            &cookie,
            &[
                ("csrf", &csrf),
                ("current", "temporary password 1"),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = web
        .post(
            "/password",
            &cookie,
            &[
                ("csrf", &csrf),
                ("current", "temporary password 1"),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let fresh = format!("tamga_session={}", changed.cookie("tamga_session").unwrap());
    assert_eq!(
        web.get("/declarations", &fresh).await.status,
        StatusCode::OK
    );
    let old = web.get("/declarations", &cookie).await;
    assert!(
        old.location().starts_with("/login"),
        "the old session was revoked"
    );
}

#[tokio::test]
async fn sqlite_the_first_password_is_changed_first() {
    the_first_password_is_changed_first(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_the_first_password_is_changed_first() {
    the_first_password_is_changed_first(Web::postgres().await).await;
}

/// Sign-out revokes; a forged cookie or CSRF token is refused with a page, never a 500.
async fn sessions_end_and_forgeries_are_refused(web: Web) {
    let user = web.user("analyst1", Role::Analyst, None).await;
    let _ = user;
    let cookie = web.sign_in("analyst1", PASSWORD).await.unwrap();
    let forged = web
        .get("/risk/profiles", "tamga_session=forged-value")
        .await;
    assert!(forged
        .location()
        .starts_with("/login?next=%2Frisk%2Fprofiles"));
    let stale = web
        .post("/logout", &cookie, &[("csrf", "not-the-token")])
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    assert!(stale.body.contains("<h1>"), "a page that explains");
    assert_eq!(
        web.get("/risk/profiles", &cookie).await.status,
        StatusCode::OK,
        "still signed in"
    );
    let csrf = web.get("/risk/profiles", &cookie).await.csrf();
    let out = web.post("/logout", &cookie, &[("csrf", &csrf)]).await;
    assert_eq!(
        (out.status, out.location()),
        (StatusCode::SEE_OTHER, "/login")
    );
    assert!(web
        .get("/risk/profiles", &cookie)
        .await
        .location()
        .starts_with("/login"));
}

#[tokio::test]
async fn sqlite_sessions_end_and_forgeries_are_refused() {
    sessions_end_and_forgeries_are_refused(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_sessions_end_and_forgeries_are_refused() {
    sessions_end_and_forgeries_are_refused(Web::postgres().await).await;
}

#[tokio::test]
async fn an_expired_session_signs_in_again() {
    let web = Web::sqlite().await;
    web.user("chief", Role::Supervisor, None).await;
    let user = web.store.user_by_name("chief").await.unwrap().unwrap();
    let value = "expired-session-value";
    let session = NewSession {
        id_hash: tamga_store::token::hash(value),
        user_id: user.id,
        csrf: "x".into(),
        expires_at: tamga_store::sql::now() - time::Duration::minutes(1),
    };
    web.store.open_session(session).await.unwrap();
    let page = web
        .get("/worklist", &format!("tamga_session={value}"))
        .await;
    assert!(page.location().starts_with("/login"));
}

#[tokio::test]
async fn the_login_form_never_sends_a_user_to_another_site() {
    let web = Web::sqlite().await;
    web.user("officer2", Role::Officer, None).await;
    let form = web
        .request(Method::GET, "/login?next=//evil.example/x", None, None)
        .await;
    assert!(!form.body.contains("evil.example"));
    let cookie = format!(
        "tamga_login_csrf={}",
        form.cookie("tamga_login_csrf").unwrap()
    );
    let fields = [
        ("name", "officer2"),
        ("password", PASSWORD),
        ("csrf", &form.csrf()),
        ("next", "https://evil.example/"),
    ];
    let answer = web.post("/login", &cookie, &fields).await;
    assert_eq!(
        (answer.status, answer.location()),
        (StatusCode::SEE_OTHER, "/worklist")
    );
    let no_cookie = web.post("/login", "", &fields).await;
    assert_eq!(
        no_cookie.status,
        StatusCode::FORBIDDEN,
        "no login CSRF cookie, no sign-in"
    );
}

/// Screens of other roles are refused with a page (the API's rule), not a 500.
#[tokio::test]
async fn a_declarant_cannot_open_the_analysts_screens() {
    let web = Web::sqlite().await;
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let cookie = web.sign_in("broker", PASSWORD).await.unwrap();
    let page = web.get("/risk/profiles", &cookie).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = web.get("/worklist", &cookie).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = web.get("/declarations/26UZTAS000000001X1", &cookie).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

/// The language is the browser's until the user chooses one; the choice stays with the user.
#[tokio::test]
async fn the_chosen_language_stays_with_the_user() {
    let web = Web::sqlite().await;
    web.user("officer3", Role::Officer, None).await;
    let cookie = web.sign_in("officer3", PASSWORD).await.unwrap();
    let uzbek = web.get("/worklist", &cookie).await;
    assert!(
        uzbek.body.contains("<html lang=\"uz\">") && uzbek.body.contains("Mening topshiriqlarim")
    );
    let csrf = uzbek.csrf();
    let switched = web
        .post("/language", &cookie, &[("csrf", &csrf), ("lang", "ru")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let russian = web.get("/worklist", &cookie).await;
    assert!(russian.body.contains("<html lang=\"ru\">") && russian.body.contains("Мои задания"));
    let forged = web
        .post("/language", &cookie, &[("csrf", "forged"), ("lang", "en")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let login = web
        .request(Method::GET, "/login", Some("tamga_lang=en"), None)
        .await;
    assert!(login.body.contains("<html lang=\"en\">") && login.body.contains("Sign in to tamga"));
}
