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
