use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tamga_core::role::Role;
use tamga_store::testing::TestStore;
use tamga_store::{token, NewUser};
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough password";

/// The UI and the API over a throwaway store.
pub struct Web {
    pub router: Router,
    pub store: std::sync::Arc<dyn tamga_store::Store>,
    _db: TestStore,
}

#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of cookie `name` this answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next()?.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// The first non-empty hidden `csrf` field of the page (the language switcher's is empty
    /// before sign-in).
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        self.body
            .split(marker)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .find(|value| !value.is_empty())
            .expect("a CSRF field")
            .to_owned()
    }
}

impl Web {
    pub async fn sqlite() -> Web {
        Self::over(TestStore::sqlite().await).await
    }

    pub async fn postgres() -> Web {
        Self::over(TestStore::postgres().await).await
    }

    async fn over(db: TestStore) -> Web {
        tamga_api::revenue::bootstrap(&*db.store).await.unwrap();
        let state = tamga_api::AppState::new(db.store.clone(), tamga_api::ApiSettings::default());
        state
            .revenue
            .set(tamga_api::revenue::load(&*db.store).await.unwrap());
        let router =
            tamga_api::router_with(state, tamga_web::router(tamga_web::WebSettings::default()));
        Web {
            router,
            store: db.store.clone(),
            _db: db,
        }
    }

    /// Another server (store and router) on this test's PostgreSQL database.
    pub async fn second_server(&self) -> Router {
        let url = self._db.url.as_deref().expect("a PostgreSQL test");
        let store = tamga_store::postgres::PgStore::connect(url, 4)
            .await
            .unwrap();
        let store: std::sync::Arc<dyn tamga_store::Store> = std::sync::Arc::new(store);
        let state = tamga_api::AppState::new(store.clone(), tamga_api::ApiSettings::default());
        state
            .revenue
            .set(tamga_api::revenue::load(&*store).await.unwrap());
        tamga_api::router_with(state, tamga_web::router(tamga_web::WebSettings::default()))
    }

    /// A user with a password that needs no change; returns their API token.
    pub async fn user(&self, name: &str, role: Role, party: Option<&str>) -> String {
        let secret = token::generate();
        let new = NewUser {
            name: name.into(),
            role,
            party_id: party.map(Into::into),
            token_hash: token::hash(&secret),
        };
        self.store.create_user(new).await.unwrap();
        let hash = tamga_web::password::hash(PASSWORD).unwrap();
        assert!(self.store.set_password(name, &hash, false).await.unwrap());
        secret
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> Page {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let body = match form {
            Some(form) => {
                builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form.to_owned())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(builder.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Page {
        self.request(Method::GET, path, Some(cookie), None).await
    }

    pub async fn post(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Page {
        let form = serde_urlencoded::to_string(fields).unwrap();
        self.request(Method::POST, path, Some(cookie), Some(&form))
            .await
    }

    /// Signs in through the login form; the `Cookie` header value of the session.
    pub async fn sign_in(&self, name: &str, password: &str) -> Result<String, Page> {
        let form = self.request(Method::GET, "/login", None, None).await;
        let login_csrf = form.cookie("tamga_login_csrf").unwrap();
        let cookie = format!("tamga_login_csrf={login_csrf}");
        let answer = self
            .post(
                "/login",
                &cookie,
                &[
                    ("name", name),
                    ("password", password),
                    ("csrf", &form.csrf()),
                    ("next", ""),
                ],
            )
            .await;
        match answer.cookie("tamga_session") {
            Some(session) if answer.status == StatusCode::SEE_OTHER => {
                Ok(format!("tamga_session={session}"))
            }
            _ => Err(answer),
        }
    }
}

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");

/// Lodges the sample under `lrn` through the API of `router`; its MRN.
pub async fn lodge(router: &Router, token: &str, lrn: &str) -> String {
    let mut body: Value = serde_json::from_str(SAMPLE).unwrap();
    body["lrn"] = lrn.into();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let answer: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer["mrn"].as_str().unwrap().to_owned()
}

/// A `multipart/form-data` body of text fields and files (field, file name, type, bytes);
/// its content type and bytes.
pub fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "tamga-test-boundary-7c1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    for (name, file_name, kind, bytes) in files {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {kind}\r\n\r\n").bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Web {
    /// Sends an upload form.
    pub async fn upload(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let (kind, body) = multipart(fields, files);
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}
