//! What every page shows around its content: the header with the user and their role, the
//! navigation of that role, the language switcher, and the assets' URLs.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tamga_core::role::Role;
use tamga_core::FieldError;

use crate::assets;
use crate::i18n::{Lang, Tr};
use crate::session::Signed;

#[derive(Debug, Clone)]
pub struct Nav {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct LangOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Page {
    pub t: Tr,
    pub title: String,
    /// The signed-in user's name and role label; `None` on the login and error pages.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub nav: Vec<Nav>,
    pub langs: Vec<LangOption>,
    pub css: String,
    pub js: String,
    pub htmx: String,
}

/// The screens of each role: (path, message id).
fn screens(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Declarant => &[
            ("/declarations", "nav-declarations"),
            ("/declarations/new", "nav-lodge"),
            ("/cargo-reports", "nav-cargo"),
            ("/advance", "nav-advance"),
        ],
        Role::Officer => &[
            ("/worklist", "nav-worklist"),
            ("/transit", "nav-transit"),
            ("/crossings", "nav-crossings"),
            ("/declarations", "nav-declarations"),
            ("/cargo-reports", "nav-cargo"),
            ("/advance", "nav-advance"),
        ],
        Role::Supervisor => &[
            ("/situation", "nav-situation"),
            ("/worklist", "nav-worklist"),
            ("/transit", "nav-transit"),
            ("/crossings", "nav-crossings"),
            ("/declarations", "nav-declarations"),
            ("/advance", "nav-advance"),
        ],
        Role::Analyst => &[
            ("/risk/profiles", "nav-profiles"),
            ("/risk/lists", "nav-lists"),
            ("/risk/watchlists", "nav-watchlists"),
            ("/risk/selectivity", "nav-selectivity"),
            ("/risk/statistics", "nav-statistics"),
            ("/crossings", "nav-crossings"),
            ("/declarations", "nav-declarations"),
            ("/cargo-reports", "nav-cargo"),
        ],
        Role::Lab => &[("/lab", "nav-lab")],
        // A post's gate equipment has no screens: it never signs in to the web UI.
        Role::Post => &[],
        Role::Admin => &[
            ("/admin/users", "nav-users"),
            ("/admin/parties", "nav-parties"),
            ("/admin/offices", "nav-offices"),
            ("/declarations", "nav-declarations"),
            ("/situation", "nav-situation"),
            ("/advance", "nav-advance"),
        ],
    }
}

/// Where a role lands after signing in.
pub fn home(role: Role) -> &'static str {
    screens(role)
        .first()
        .map_or("/declarations", |(path, _)| path)
}

impl Page {
    /// The frame for a signed-in user on the screen at `path`.
    pub fn new(signed: &Signed, title: &str, path: &str) -> Page {
        let t = signed.tr;
        let nav = screens(signed.user.role)
            .iter()
            .map(|(href, id)| Nav {
                href,
                label: t.get(id),
                current: *href == path,
            })
            .collect();
        let role = t.get(&format!("role-{}", signed.user.role.as_str()));
        Page {
            user: Some((signed.user.name.clone(), role)),
            csrf: signed.csrf.clone(),
            nav,
            ..Page::anonymous(t, title)
        }
    }

    /// The frame of a page seen before signing in.
    pub fn anonymous(t: Tr, title: &str) -> Page {
        let langs = Lang::ALL
            .into_iter()
            .map(|l| LangOption {
                code: l.code(),
                name: l.own_name(),
                selected: l == t.0,
            })
            .collect();
        Page {
            t,
            title: t.get(title),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            langs,
            css: assets::url("tamga.css"),
            js: assets::url("tamga.js"),
            htmx: assets::url("htmx.min.js"),
        }
    }
}

/// The page of an error.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub page: Page,
    pub status: u16,
    pub detail: String,
    pub problems: Vec<FieldError>,
}

/// A rendered template with status 200.
pub fn render(template: &impl Template) -> Response {
    render_status(StatusCode::OK, template)
}

/// A rendered template; a template that fails to render is logged and answered 500.
pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "a template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}
