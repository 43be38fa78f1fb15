//! The administrator's token screen: a user's tokens without secrets, and revoking one.

use axum::http::StatusCode;
use tamga_core::role::Role;

use crate::app::{Web, PASSWORD};

async fn administrators_revoke_tokens_on_the_screen(web: Web) {
    web.user("root", Role::Admin, None).await;
    let secret = web.user("olga", Role::Officer, None).await;
    let olga = web.store.user_by_name("olga").await.unwrap().unwrap();
    let cookie = web.sign_in("root", PASSWORD).await.unwrap();
    let users = web.get("/admin/users", &cookie).await;
    let link = format!("/admin/users/{}/tokens", olga.id);
    assert!(users.body.contains(&link), "{}", users.body);
    let page = web.get(&link, &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("tmg_"), "never a secret");
    let token_id = web.store.tokens_of(olga.id).await.unwrap().unwrap()[0].id;
    let action = format!("{link}/{token_id}/revoke");
    assert!(page.body.contains(&action), "{}", page.body);
    let done = web.post(&action, &cookie, &[("csrf", &page.csrf())]).await;
    assert_eq!(
        (done.status, done.location()),
        (StatusCode::SEE_OTHER, link.as_str())
    );
    let hash = tamga_store::token::hash(&secret);
    assert_eq!(web.store.user_by_token(&hash).await.unwrap(), None);
    let after = web.get(&link, &cookie).await;
    assert!(
        !after.body.contains(&action),
        "no button for a revoked token"
    );
    let officer = web.sign_in("olga", PASSWORD).await.unwrap();
    let refused = web.get(&link, &officer).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sqlite_administrators_revoke_tokens_on_the_screen() {
    administrators_revoke_tokens_on_the_screen(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_administrators_revoke_tokens_on_the_screen() {
    administrators_revoke_tokens_on_the_screen(Web::postgres().await).await;
}

/// An administrator creates an account on the screen (a problem shown at its field first),
/// reads its token once, sets an initial password, changes the role and issues a token.
async fn administrators_create_accounts_on_the_screen(web: Web) {
    web.user("root", Role::Admin, None).await;
    let cookie = web.sign_in("root", PASSWORD).await.unwrap();
    let csrf = web.get("/admin/users", &cookie).await.csrf();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", "clerk"),
        ("role", "declarant"),
        ("party", ""),
        ("password", "a first password for clerk"),
    ];
    let refused = web.post("/admin/users/new", &cookie, &fields).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"user-party-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"clerk\""),
        "the name typed is kept"
    );
    fields[3] = ("party", "UZ305123456");
    let created = web.post("/admin/users/new", &cookie, &fields).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("tmg_"), "the token is shown once");
    let clerk = web.store.user_by_name("clerk").await.unwrap().unwrap();
    assert_eq!(
        (clerk.role, clerk.party_id.as_deref()),
        (Role::Declarant, Some("UZ305123456"))
    );
    let signed = web.sign_in("clerk", "a first password for clerk").await;
    assert!(
        signed.is_ok(),
        "the initial password signs in (to be changed)"
    );

    let page = format!("/admin/users/{}/tokens", clerk.id);
    let csrf = web.get(&page, &cookie).await.csrf();
    let role = format!("/admin/users/{}/role", clerk.id);
    let staff_with_party = [
        ("csrf", csrf.as_str()),
        ("role", "officer"),
        ("party", "UZ305123456"),
    ];
    let refused = web.post(&role, &cookie, &staff_with_party).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"user-party-error\""),
        "{}",
        refused.body
    );
    let changed = web
        .post(
            &role,
            &cookie,
            &[("csrf", csrf.as_str()), ("role", "officer"), ("party", "")],
        )
        .await;
    assert_eq!(
        (changed.status, changed.location()),
        (StatusCode::SEE_OTHER, page.as_str())
    );
    let clerk = web.store.user_by_name("clerk").await.unwrap().unwrap();
    assert_eq!((clerk.role, clerk.party_id), (Role::Officer, None));
    let issued = web.post(&page, &cookie, &[("csrf", csrf.as_str())]).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert!(
        issued.body.contains("id=\"new-token\">tmg_"),
        "{}",
        issued.body
    );
    assert_eq!(
        web.store.tokens_of(clerk.id).await.unwrap().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn sqlite_administrators_create_accounts_on_the_screen() {
    administrators_create_accounts_on_the_screen(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_administrators_create_accounts_on_the_screen() {
    administrators_create_accounts_on_the_screen(Web::postgres().await).await;
}
