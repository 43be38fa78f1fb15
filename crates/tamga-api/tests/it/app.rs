use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tamga_core::role::Role;
use tamga_store::testing::TestStore;
use tamga_store::{token, NewUser};
use tower::ServiceExt;

pub const SAMPLE: &str = include_str!("../../../../examples/declaration.json");

pub fn sample() -> Value {
    serde_json::from_str(SAMPLE).unwrap()
}

/// A router over a throwaway store, with one user of each kind.
pub struct TestApp {
    pub router: Router,
    pub state: tamga_api::AppState,
    pub broker: String,
    pub stranger: String,
    pub officer: String,
    pub analyst: String,
    db: TestStore,
    /// The attachment directory of this app.
    pub files: tempfile::TempDir,
}

/// The attachment size limit of test apps.
pub const ATTACHMENT_LIMIT: u64 = 256 * 1024;

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::over(TestStore::sqlite().await).await
    }

    pub async fn postgres() -> TestApp {
        Self::over(TestStore::postgres().await).await
    }

    async fn over(db: TestStore) -> TestApp {
        let store = db.store.clone();
        let user = |name: &'static str, role, party: Option<&'static str>| {
            let store = store.clone();
            async move {
                let secret = token::generate();
                let new = NewUser {
                    name: name.into(),
                    role,
                    party_id: party.map(Into::into),
                    token_hash: token::hash(&secret),
                };
                store.create_user(new).await.unwrap();
                secret
            }
        };
        let broker = user("broker", Role::Declarant, Some("UZ305123456")).await;
        let stranger = user("stranger", Role::Declarant, Some("KZ990011")).await;
        let officer = user("officer", Role::Officer, None).await;
        let analyst = user("analyst", Role::Analyst, None).await;
        tamga_api::revenue::bootstrap(&*db.store).await.unwrap();
        tamga_api::revenue::bootstrap(&*db.store).await.unwrap();
        let files = tempfile::tempdir().unwrap();
        let settings = tamga_api::ApiSettings {
            body_limit: 64 * 1024,
            attachments: tamga_api::AttachmentSettings {
                dir: files.path().join("attachments"),
                max_size: ATTACHMENT_LIMIT,
            },
            ..Default::default()
        };
        let state = tamga_api::AppState::new(db.store.clone(), settings);
        state
            .revenue
            .set(tamga_api::revenue::load(&*db.store).await.unwrap());
        TestApp {
            router: tamga_api::router(state.clone()),
            state,
            broker,
            stranger,
            officer,
            analyst,
            db,
            files,
        }
    }

    /// The same app with changed settings.
    pub fn reconfigured(mut self, change: impl FnOnce(&mut tamga_api::ApiSettings)) -> TestApp {
        change(&mut self.state.settings);
        self.state.limiters =
            std::sync::Arc::new(tamga_api::limits::Limiters::new(self.state.settings.limits));
        self.router = tamga_api::router(self.state.clone());
        self
    }

    /// Another user on the same store; returns its token.
    pub async fn user(&self, name: &str, role: Role, party: Option<&str>) -> String {
        let secret = token::generate();
        let new = NewUser {
            name: name.into(),
            role,
            party_id: party.map(Into::into),
            token_hash: token::hash(&secret),
        };
        self.db.store.create_user(new).await.unwrap();
        secret
    }

    /// Builds valuation references from the accepted history, as `tamga valuation rebuild`
    /// does, and makes the server use them.
    pub async fn rebuild_valuation(&self) {
        use tamga_core::tariff::valuation::Reference;
        let store = &self.db.store;
        let references = store
            .unit_value_samples()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|(hs6, origin, values)| Reference::from_sample(&hs6, &origin, values))
            .collect();
        store.save_references(references, "history").await.unwrap();
        self.state
            .revenue
            .set(tamga_api::revenue::load(&**store).await.unwrap());
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Answer {
        let content_type = body.as_ref().map(|_| "application/json");
        let body = body.map_or_else(Body::empty, Body::from);
        let (status, headers, bytes) = self.exchange(method, path, token, content_type, body).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// One request with any body; the answer's status, headers and bytes.
    pub async fn exchange(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Body,
    ) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes)
    }

    /// Uploads `bytes` as an attachment named `file_name`, of `content_type`.
    pub async fn upload(
        &self,
        token: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Answer {
        let path = format!("/api/v1/attachments?file_name={file_name}");
        let (status, headers, bytes) = self
            .exchange(
                Method::POST,
                &path,
                Some(token),
                Some(content_type),
                Body::from(bytes),
            )
            .await;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.send(
            Method::POST,
            path,
            Some(token),
            Some(serde_json::to_vec(body).unwrap()),
        )
        .await
    }

    pub async fn lodge(&self, token: &str, body: &Value) -> Answer {
        self.post("/api/v1/declarations", token, body).await
    }
}

impl Answer {
    /// The (pointer, code) pairs of a problem document.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["pointer"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    pub fn is_problem(&self) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap())
            == Some("application/problem+json")
            && self.body["status"] == self.status.as_u16()
    }
}
