//! The coarse access table: for every endpoint of the API, who may call it.
//!
//! One row per endpoint, keyed by `"METHOD /route/template"` exactly as the router matches it.
//! The API's gate (`tamga_api::access`) consults this table before a handler runs, and the web
//! UI consults it before calling a handler for a page; an endpoint without a row is refused to
//! everybody. What a role may see *within* an endpoint (a declarant its own declarations, the
//! laboratory only what its samples allow, an officer the tasks of its offices) is decided by
//! the handler: this table is the gate in front of those finer rules, not a replacement.

use super::Role;
use Role::{Admin, Analyst, Declarant, Lab, Officer, Post, Supervisor};

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token: probes, reference data, the document, and a peer node's
    /// endpoints (authenticated by the message's signature, not by a user).
    Public,
    /// Any authenticated user, whatever the role.
    AnyUser,
    /// Authenticated users of these roles only.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a user of `role` passes this gate.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::AnyUser => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }

    /// Whether a token is needed at all.
    pub fn needs_token(self) -> bool {
        !matches!(self, Access::Public)
    }
}

/// Everybody but the laboratory, which sees samples and reports only.
const NOT_LAB: Access = Access::Roles(&[Declarant, Officer, Analyst, Supervisor, Admin]);
/// Customs staff outside the laboratory: risk information, the transit view.
const STAFF: Access = Access::Roles(&[Officer, Analyst, Supervisor, Admin]);
/// The targeting center's managers: profiles, lists, settings, watchlists, alerts sent.
const TARGETING: Access = Access::Roles(&[Analyst, Admin]);
/// Those who lodge: traders, and officers and administrators lodging for them.
const LODGERS: Access = Access::Roles(&[Declarant, Officer, Admin]);
/// Revenue and goods control at a post: payments, re-assessment, inspections, holds,
/// seizures, attachments, seeing a task.
const POST: Access = Access::Roles(&[Officer, Supervisor, Admin]);
/// An advance account: its trader, and customs staff who take payments.
const ADVANCE: Access = Access::Roles(&[Declarant, Officer, Supervisor, Admin]);
/// Traders paying online.
const TRADERS: Access = Access::Roles(&[Declarant]);
/// Examiners working their own control tasks.
const EXAMINERS: Access = Access::Roles(&[Officer, Supervisor]);
/// Oversight: an office's tasks, the roster, the audit log, the federation's queues.
const OVERSIGHT: Access = Access::Roles(&[Supervisor, Admin]);
/// A supervisor's own powers: new draws, suspending an examiner.
const SUPERVISOR: Access = Access::Roles(&[Supervisor]);
/// Administrators: users, tokens, the party registry, guarantee accounts.
const ADMIN: Access = Access::Roles(&[Admin]);
/// The laboratory's queue and figures.
const LAB_QUEUE: Access = Access::Roles(&[Lab, Supervisor, Admin]);
/// A sample: the examiners who took it, the laboratory, oversight.
const SAMPLE_VIEW: Access = Access::Roles(&[Officer, Supervisor, Admin, Lab]);
/// A sample's hand-over and state (which state, by whom, the handler decides).
const SAMPLE_STEP: Access = Access::Roles(&[Officer, Supervisor, Lab]);
/// The laboratory's analysis: results, four eyes, publication.
const LAB: Access = Access::Roles(&[Lab]);
/// A transit movement's steps: the holder and the officers of its offices.
const TRANSIT_STEP: Access = Access::Roles(&[Declarant, Officer, Supervisor]);

/// The table, one row per endpoint the router serves.
pub const RULES: &[(&str, Access)] = &[
    ("GET /api/v1/openapi.json", Access::Public),
    ("GET /api/v1/commodities", Access::Public),
    ("GET /api/v1/commodities/{code}", Access::Public),
    ("GET /api/v1/offices", Access::Public),
    ("GET /api/v1/tariff/{code}", Access::Public),
    ("GET /api/v1/federation/node", Access::Public),
    ("POST /api/v1/federation/inbox", Access::Public),
    ("GET /api/v1/me", Access::AnyUser),
    ("POST /api/v1/tariff/calculate", Access::AnyUser),
    // Declarations.
    ("POST /api/v1/declarations", LODGERS),
    ("GET /api/v1/declarations", NOT_LAB),
    ("GET /api/v1/declarations/{mrn}", Access::AnyUser),
    ("POST /api/v1/declarations/{mrn}/status", NOT_LAB),
    ("GET /api/v1/declarations/{mrn}/notifications", NOT_LAB),
    ("GET /api/v1/declarations/{mrn}/assessment", NOT_LAB),
    ("POST /api/v1/declarations/{mrn}/payments", POST),
    ("POST /api/v1/declarations/{mrn}/advance-payment", TRADERS),
    ("GET /api/v1/parties/{id}/advance", ADVANCE),
    ("POST /api/v1/parties/{id}/advance/deposits", POST),
    ("POST /api/v1/declarations/{mrn}/reassessment", POST),
    ("GET /api/v1/declarations/{mrn}/valuation", STAFF),
    ("GET /api/v1/declarations/{mrn}/risk", NOT_LAB),
    ("POST /api/v1/declarations/{mrn}/inspection", POST),
    ("GET /api/v1/declarations/{mrn}/holds", POST),
    ("POST /api/v1/declarations/{mrn}/holds", POST),
    ("POST /api/v1/declarations/{mrn}/holds/{hold}/lift", POST),
    // Cargo reports.
    ("POST /api/v1/cargo-reports", LODGERS),
    ("GET /api/v1/cargo-reports", NOT_LAB),
    ("GET /api/v1/cargo-reports/{id}", NOT_LAB),
    ("GET /api/v1/cargo-reports/{id}/risk", STAFF),
    // Users, tokens, the audit log.
    ("GET /api/v1/users", ADMIN),
    ("POST /api/v1/users", ADMIN),
    ("PUT /api/v1/users/{id}/role", ADMIN),
    ("POST /api/v1/users/{id}/sessions/revoke", ADMIN),
    ("GET /api/v1/users/{id}/tokens", ADMIN),
    ("POST /api/v1/users/{id}/tokens", ADMIN),
    ("POST /api/v1/users/{id}/tokens/{token_id}/revoke", ADMIN),
    ("GET /api/v1/audit", OVERSIGHT),
    // The targeting center.
    ("GET /api/v1/risk/fields", STAFF),
    ("POST /api/v1/risk/conditions/check", STAFF),
    ("GET /api/v1/risk/profiles", STAFF),
    ("POST /api/v1/risk/profiles", TARGETING),
    ("POST /api/v1/risk/profiles/dry-run", TARGETING),
    ("GET /api/v1/risk/profiles/{id}", STAFF),
    ("PUT /api/v1/risk/profiles/{id}", TARGETING),
    ("POST /api/v1/risk/profiles/{id}/deactivate", TARGETING),
    ("GET /api/v1/risk/lists", STAFF),
    ("PUT /api/v1/risk/lists/{name}", TARGETING),
    ("GET /api/v1/risk/selectivity", STAFF),
    ("PUT /api/v1/risk/selectivity", TARGETING),
    ("GET /api/v1/risk/watchlists", STAFF),
    ("PUT /api/v1/risk/watchlists/{name}", TARGETING),
    ("POST /api/v1/risk/screen", STAFF),
    ("GET /api/v1/risk/statistics", STAFF),
    // The party registry and mandates (a declarant reads its own party only).
    ("GET /api/v1/parties", NOT_LAB),
    ("POST /api/v1/parties", ADMIN),
    ("GET /api/v1/parties/{id}", NOT_LAB),
    ("PUT /api/v1/parties/{id}", ADMIN),
    ("GET /api/v1/parties/{id}/mandates", NOT_LAB),
    ("POST /api/v1/parties/{id}/mandates", ADMIN),
    ("POST /api/v1/parties/{id}/mandates/{mandate}/revoke", ADMIN),
    // Control tasks and the roster.
    ("GET /api/v1/tasks", EXAMINERS),
    ("GET /api/v1/tasks/{id}", POST),
    ("POST /api/v1/tasks/{id}/start", EXAMINERS),
    ("POST /api/v1/tasks/{id}/complete", EXAMINERS),
    ("POST /api/v1/tasks/{id}/endorse", EXAMINERS),
    ("POST /api/v1/tasks/{id}/cancel", OVERSIGHT),
    ("POST /api/v1/tasks/{id}/reallocate", SUPERVISOR),
    ("POST /api/v1/tasks/{id}/allocate", SUPERVISOR),
    ("GET /api/v1/control/tasks", OVERSIGHT),
    ("GET /api/v1/control/officers", OVERSIGHT),
    ("PUT /api/v1/control/officers/{id}", OVERSIGHT),
    ("POST /api/v1/control/officers/{id}/shifts", OVERSIGHT),
    ("POST /api/v1/control/officers/{id}/conflicts", OVERSIGHT),
    ("POST /api/v1/control/officers/{id}/suspension", SUPERVISOR),
    // The laboratory.
    ("POST /api/v1/tasks/{id}/samples", EXAMINERS),
    ("GET /api/v1/lab/samples", LAB_QUEUE),
    ("GET /api/v1/lab/samples/{id}", SAMPLE_VIEW),
    ("POST /api/v1/lab/samples/{id}/state", SAMPLE_STEP),
    ("POST /api/v1/lab/samples/{id}/handovers", SAMPLE_STEP),
    ("POST /api/v1/lab/samples/{id}/result", LAB),
    ("POST /api/v1/lab/samples/{id}/verify", LAB),
    ("POST /api/v1/lab/samples/{id}/publish", LAB),
    ("GET /api/v1/lab/turnaround", LAB_QUEUE),
    // Attachments, seizures and offence cases.
    ("POST /api/v1/attachments", POST),
    ("GET /api/v1/attachments/{sha256}", POST),
    ("POST /api/v1/seizures", POST),
    ("GET /api/v1/seizures/{id}", POST),
    ("GET /api/v1/seizures/{id}/cen", POST),
    ("GET /api/v1/cases/{number}", POST),
    ("POST /api/v1/cases/{number}", POST),
    // The exchange with neighbouring administrations.
    ("GET /api/v1/federation/refusals", OVERSIGHT),
    ("GET /api/v1/federation/outbox", OVERSIGHT),
    ("GET /api/v1/federation/messages/{sender}/{id}", STAFF),
    ("POST /api/v1/federation/alerts", TARGETING),
    ("GET /api/v1/federation/alerts/sent", STAFF),
    ("GET /api/v1/federation/alerts/received", STAFF),
    (
        "POST /api/v1/federation/alerts/received/{sender}/{id}/feedback",
        TARGETING,
    ),
    ("GET /api/v1/federation/movements", STAFF),
    ("POST /api/v1/federation/movements/{mrn}/arrival", EXAMINERS),
    (
        "POST /api/v1/federation/movements/{mrn}/control-results",
        EXAMINERS,
    ),
    (
        "POST /api/v1/federation/movements/{mrn}/enquiry-reply",
        EXAMINERS,
    ),
    // Transit (a declarant sees the movements it holds).
    ("GET /api/v1/transit/movements", NOT_LAB),
    ("GET /api/v1/transit/movements/{mrn}", NOT_LAB),
    ("POST /api/v1/transit/movements/{mrn}/steps", TRANSIT_STEP),
    ("GET /api/v1/transit/overdue", STAFF),
    ("GET /api/v1/transit/discrepancies", STAFF),
    ("POST /api/v1/transit/sweep", OVERSIGHT),
    ("POST /api/v1/transit/guarantees", ADMIN),
    ("GET /api/v1/transit/guarantees/{grn}", NOT_LAB),
    // Border posts: the gate's equipment reports; staff read what the gates saw.
    ("POST /api/v1/crossings", Access::Roles(&[Post])),
    ("GET /api/v1/crossings", STAFF),
    ("GET /api/v1/crossings/{id}", STAFF),
];

/// The rule of `method` on the route template `path` (`/api/v1/declarations/{mrn}`), if any.
pub fn access(method: &str, path: &str) -> Option<Access> {
    RULES.iter().find_map(|(key, access)| {
        let (m, p) = key.split_once(' ')?;
        (m == method && p == path).then_some(*access)
    })
}

/// The rule of an endpoint named by its key, `"GET /api/v1/risk/profiles"`.
pub fn access_of(key: &str) -> Option<Access> {
    let (method, path) = key.split_once(' ')?;
    access(method, path)
}

/// Whether `role` may call the endpoint named by `key`; an endpoint without a rule is closed.
pub fn allows(key: &str, role: Role) -> bool {
    access_of(key).is_some_and(|a| a.allows(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_one_method_and_one_template_once() {
        for (i, (key, _)) in RULES.iter().enumerate() {
            let (method, path) = key.split_once(' ').unwrap();
            assert!(["GET", "POST", "PUT", "DELETE"].contains(&method), "{key}");
            assert!(path.starts_with("/api/v1/") && !path.contains(' '), "{key}");
            let first = RULES.iter().position(|(k, _)| k == key).unwrap();
            assert_eq!(first, i, "{key} twice");
        }
    }

    #[test]
    fn the_laboratory_sees_no_risk_lists_or_statistics() {
        for (key, _) in RULES {
            let risky = ["/risk/", "/parties", "/cargo-reports", "/federation/alerts"]
                .iter()
                .any(|p| key.contains(p));
            if risky {
                assert!(!allows(key, Role::Lab), "{key}");
            }
        }
        assert!(allows("GET /api/v1/lab/samples", Role::Lab));
        assert!(!allows("GET /api/v1/nowhere", Role::Admin));
    }
}
