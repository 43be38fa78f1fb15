//! One `Settings` struct, layered: defaults, then a TOML file, then `TAMGA_*` environment
//! variables (`TAMGA_SECTION__KEY` for nested keys), then command-line flags.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// The configuration file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG: &str = "tamga.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address `tamga serve` listens on.
    pub listen: String,
    /// Directory of the embedded SQLite database (used when no database URL is set).
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL instead of SQLite.
    pub database_url: Option<Secret>,
    /// Connections per server to PostgreSQL.
    pub database_max_connections: u32,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    pub log: LogSettings,
    pub client: ClientSettings,
    /// Seconds between the audit checkpoints `tamga serve` signs.
    pub audit_checkpoint_seconds: u64,
    #[serde(default)]
    pub web: WebSection,
    pub attachments: AttachmentSettings,
    pub control: ControlSettings,
    #[serde(default)]
    pub metrics: MetricsSettings,
    #[serde(default)]
    pub retention: RetentionSettings,
    #[serde(default)]
    pub limits: LimitsSection,
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub transit: TransitSection,
    #[serde(default)]
    pub federation: FederationSection,
    #[serde(default)]
    pub posts: PostsSection,
}

/// Limits against abuse: rate limits (0 turns one off), server timeouts, connections.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsSection {
    /// Failed authentications per minute, per client address and per presented token.
    pub auth_failures_per_minute: u32,
    /// Failed authentications allowed at once before that rate applies.
    pub auth_failure_burst: u32,
    /// Lodgements per second, per user and per client address.
    pub lodgements_per_second: u32,
    /// Lodgements allowed at once before that rate applies.
    pub lodgement_burst: u32,
    /// Seconds from a request's first byte until its headers must be complete.
    pub header_read_timeout_seconds: u64,
    /// Seconds a keep-alive connection may wait idle for its next request.
    pub idle_timeout_seconds: u64,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for LimitsSection {
    fn default() -> Self {
        let rates = tamga_api::limits::RateLimits::default();
        let server = tamga_api::ServerLimits::default();
        Self {
            auth_failures_per_minute: rates.auth_failures_per_minute,
            auth_failure_burst: rates.auth_failure_burst,
            lodgements_per_second: rates.lodgements_per_second,
            lodgement_burst: rates.lodgement_burst,
            header_read_timeout_seconds: server.header_read_timeout.as_secs(),
            idle_timeout_seconds: server.idle_timeout.as_secs(),
            max_connections: server.max_connections,
        }
    }
}

impl LimitsSection {
    pub fn rates(&self) -> tamga_api::limits::RateLimits {
        tamga_api::limits::RateLimits {
            auth_failures_per_minute: self.auth_failures_per_minute,
            auth_failure_burst: self.auth_failure_burst,
            lodgements_per_second: self.lodgements_per_second,
            lodgement_burst: self.lodgement_burst,
        }
    }

    pub fn server(&self) -> tamga_api::ServerLimits {
        tamga_api::ServerLimits {
            header_read_timeout: std::time::Duration::from_secs(
                self.header_read_timeout_seconds.max(1),
            ),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout_seconds.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }
}

/// The HTTP server behind reverse proxies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSection {
    /// Reverse proxies (IP addresses or CIDR networks, e.g. `["10.0.0.0/8", "::1"]`) whose
    /// `X-Forwarded-For` is believed: behind one, a request's client address (for rate limits
    /// and logs) is the right-most untrusted address of that header. Empty by default: the
    /// connection's peer is the client.
    pub trusted_proxies: Vec<String>,
}

/// Prometheus metrics.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// Address of the listener serving `/metrics` and nothing else, e.g. `127.0.0.1:9464`;
    /// no metrics are served when not set. Never the API's address: the figures (accepted
    /// declarations by channel and post) are for operators, not for traders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

/// Personal data retention.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days after its last status change until a closed (released, rejected, invalidated)
    /// declaration's personal data are masked; off when not set. `tamga serve` applies it
    /// every hour, `tamga retention apply` at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data_days: Option<u32>,
}

/// The exchange of signed messages with neighbouring administrations' tamga nodes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationSection {
    /// This node's country code (ISO 3166-1 alpha-2); none: no federation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// How far a received message's `sent_at` may lie from this node's clock, in seconds.
    pub window_seconds: u32,
    /// Largest message the inbox accepts, in bytes.
    pub max_message_bytes: usize,
    /// The outbox's first retry delay in milliseconds, doubled per attempt up to the maximum.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// How often the outbox looks for due messages when idle, in milliseconds.
    pub poll_ms: u64,
    pub peers: Vec<PeerSection>,
}

/// A peer node: `[[federation.peers]]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSection {
    pub country: String,
    /// Its base URL, e.g. `https://tamga.customs.kz`.
    pub url: String,
    /// Its Ed25519 public key, base64, as `tamga federation keygen` prints it there.
    pub public_key: String,
}

impl Default for FederationSection {
    fn default() -> Self {
        let api = tamga_api::federation::FederationSettings::default();
        Self {
            country: None,
            window_seconds: u32::try_from(api.window.whole_seconds()).unwrap_or(600),
            max_message_bytes: api.max_message_bytes,
            retry_base_ms: u64::try_from(api.retry_base.as_millis()).unwrap_or(2000),
            retry_max_ms: u64::try_from(api.retry_max.as_millis()).unwrap_or(600_000),
            poll_ms: u64::try_from(api.poll.as_millis()).unwrap_or(1000),
            peers: Vec::new(),
        }
    }
}

/// Attachments of findings and seizures, kept as files named by their SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Their directory; `<data_dir>/attachments` when not set (with PostgreSQL too, where
    /// servers sharing a database must share this directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
    /// Largest attachment, in bytes.
    pub max_size: u64,
}

/// Control tasks opened at acceptance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSettings {
    /// Days from acceptance until a blue declaration's post-clearance audit is due.
    pub audit_due_days: u16,
}

/// The web UI's sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSection {
    /// How long a sign-in lasts, in hours.
    pub session_hours: u32,
    /// Mark cookies `Secure`: set when tamga is reached over HTTPS (e.g. behind a TLS proxy).
    pub secure_cookies: bool,
}

/// Transit movements: the overdue sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TransitSection {
    /// Days an enquiry stands before recovery starts (NCTS: seven months).
    pub recovery_after_days: u32,
    /// Minutes between the overdue sweeps `tamga serve` runs (enquiries, then recovery).
    pub sweep_minutes: u64,
}

/// Border posts: how crossings are judged.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostsSection {
    /// How far (in percent) the load a weighbridge weighs may stray from the declared gross
    /// mass before the crossing raises a weight alert.
    pub weight_tolerance_percent: rust_decimal::Decimal,
    /// Days a declaration, transit movement or cargo report stays expected at a post.
    pub expected_days: u32,
}

impl Default for PostsSection {
    fn default() -> Self {
        let posts = tamga_api::posts::PostSettings::default();
        Self {
            weight_tolerance_percent: posts.weight_tolerance_percent,
            expected_days: posts.expected_days,
        }
    }
}

impl Default for TransitSection {
    fn default() -> Self {
        Self {
            recovery_after_days: 213,
            sweep_minutes: 60,
        }
    }
}

impl Default for WebSection {
    fn default() -> Self {
        let web = tamga_web::WebSettings::default();
        Self {
            session_hours: web.session_hours,
            secure_cookies: web.secure_cookies,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` env-filter directives, e.g. `info,tamga_api=debug`.
    pub filter: String,
    /// One JSON object per line instead of text.
    pub json: bool,
}

/// Where `tamga submit` and `tamga bench` send requests.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    pub url: String,
    pub token: Option<Secret>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("tamga-data"),
            database_url: None,
            database_max_connections: 16,
            body_limit: 2 * 1024 * 1024,
            log: LogSettings {
                filter: "info".into(),
                json: false,
            },
            client: ClientSettings {
                url: "http://127.0.0.1:8080".into(),
                token: None,
            },
            web: WebSection::default(),
            attachments: AttachmentSettings {
                dir: None,
                max_size: tamga_control::finding::AttachmentLimits::default().max_size,
            },
            control: ControlSettings {
                audit_due_days: tamga_control::task::TaskSettings::default().audit_due_days,
            },
            audit_checkpoint_seconds: 600,
            metrics: MetricsSettings::default(),
            retention: RetentionSettings::default(),
            limits: LimitsSection::default(),
            server: ServerSection::default(),
            federation: FederationSection::default(),
            transit: TransitSection::default(),
            posts: PostsSection::default(),
        }
    }
}

/// Values given as flags; each overrides every other source.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<AttachmentsOverride>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlOverride>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<MetricsSettings>,
}

/// `tamga serve --attachments-dir`.
#[derive(Debug, Serialize)]
pub struct AttachmentsOverride {
    pub dir: PathBuf,
}

/// `tamga serve --audit-due-days`.
#[derive(Debug, Serialize)]
pub struct ControlOverride {
    pub audit_due_days: u16,
}

impl Settings {
    pub fn load(config: Option<&Path>, overrides: &Overrides) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match config {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file(DEFAULT_CONFIG)),
        }
        figment
            .merge(
                Env::prefixed("TAMGA_")
                    // Read elsewhere: by `submit` and `bench` (TAMGA_TOKEN) and by the tests.
                    .filter(|key| {
                        !matches!(
                            key.as_str().to_ascii_lowercase().as_str(),
                            "token" | "test_database_url"
                        )
                    })
                    .split("__"),
            )
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }

    /// The directory of attachment files.
    pub fn attachments_dir(&self) -> PathBuf {
        match &self.attachments.dir {
            Some(dir) => dir.clone(),
            None => self.data_dir.join("attachments"),
        }
    }
}

/// A value that must not appear in logs or printed configuration.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What may be shown: URLs keep scheme, user, host and path; the password and any query
    /// (which may carry one) are hidden. Anything that is not a URL is hidden whole.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return "[redacted]".into();
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, _)) => (rest, "?[redacted]"),
            None => (rest, ""),
        };
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let slash = if rest.contains('/') { "/" } else { "" };
        let authority = match authority.rsplit_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or("");
                let masked = if credentials.contains(':') {
                    ":[redacted]"
                } else {
                    ""
                };
                format!("{user}{masked}@{host}")
            }
            None => authority.to_owned(),
        };
        format!("{scheme}://{authority}{slash}{path}{query}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let url = Secret("postgres://tamga:hunter2@db:5432/tamga".into());
        assert_eq!(url.redacted(), "postgres://tamga:[redacted]@db:5432/tamga");
        assert!(!format!("{url:?}").contains("hunter2"));
        assert_eq!(Secret("tmg_abc".into()).redacted(), "[redacted]");
        let at_in_password = Secret("postgres://u:p@ss@db/x".into());
        assert_eq!(at_in_password.redacted(), "postgres://u:[redacted]@db/x");
        let in_query = Secret("postgres:///tamga?user=u&password=hunter2".into());
        assert_eq!(in_query.redacted(), "postgres:///tamga?[redacted]");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "tamga.toml",
                "listen = \"0.0.0.0:9000\"\n[log]\njson = true\n",
            )?;
            jail.set_env("TAMGA_LOG__FILTER", "debug");
            jail.set_env("TAMGA_LISTEN", "127.0.0.1:9001");
            let settings = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(settings.listen, "127.0.0.1:9001");
            assert!(settings.log.json);
            assert_eq!(settings.log.filter, "debug");
            let flags = Overrides {
                listen: Some("127.0.0.1:9002".into()),
                ..Overrides::default()
            };
            assert_eq!(
                Settings::load(None, &flags).map_err(|e| *e)?.listen,
                "127.0.0.1:9002"
            );
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn metrics_and_retention_are_off_unless_set() {
        figment::Jail::expect_with(|jail| {
            let defaults = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(defaults.metrics.listen, None);
            assert_eq!(defaults.retention.personal_data_days, None);
            jail.create_file(
                "tamga.toml",
                "[metrics]\nlisten = \"127.0.0.1:9464\"\n[retention]\npersonal_data_days = 3650\n",
            )?;
            let file = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(file.metrics.listen.as_deref(), Some("127.0.0.1:9464"));
            assert_eq!(file.retention.personal_data_days, Some(3650));
            jail.set_env("TAMGA_RETENTION__PERSONAL_DATA_DAYS", "30");
            let env = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(env.retention.personal_data_days, Some(30));
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn limits_are_configurable() {
        figment::Jail::expect_with(|jail| {
            let defaults = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(
                defaults.limits.rates(),
                tamga_api::limits::RateLimits::default()
            );
            assert_eq!(defaults.limits.server(), tamga_api::ServerLimits::default());
            jail.create_file(
                "tamga.toml",
                "[limits]\nheader_read_timeout_seconds = 3\nmax_connections = 50\n",
            )?;
            jail.set_env("TAMGA_LIMITS__LODGEMENTS_PER_SECOND", "0");
            let set = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(set.limits.rates().lodgements_per_second, 0);
            let server = set.limits.server();
            assert_eq!(server.header_read_timeout.as_secs(), 3);
            assert_eq!(server.max_connections, 50);
            assert_eq!(server.idle_timeout.as_secs(), 60);
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn trusted_proxies_are_configurable_and_checked() {
        figment::Jail::expect_with(|jail| {
            let defaults = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert!(defaults.server.trusted_proxies.is_empty());
            let api = crate::serve::api_settings(&defaults).unwrap();
            assert!(api.trusted_proxies.is_empty());
            jail.create_file(
                "tamga.toml",
                "[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n",
            )?;
            let set = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(set.server.trusted_proxies, ["10.0.0.0/8", "::1"]);
            assert!(!crate::serve::api_settings(&set)
                .unwrap()
                .trusted_proxies
                .is_empty());
            jail.create_file(
                "tamga.toml",
                "[server]\ntrusted_proxies = [\"10.0.0.0/99\"]\n",
            )?;
            let bad = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            let refused = crate::serve::api_settings(&bad).unwrap_err().to_string();
            assert!(refused.contains("trusted_proxies"), "{refused}");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test harness returns its error type
    fn control_and_attachments_are_configurable() {
        figment::Jail::expect_with(|jail| {
            let defaults = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(defaults.control.audit_due_days, 90);
            assert_eq!(
                defaults.attachments_dir(),
                PathBuf::from("tamga-data/attachments")
            );
            jail.create_file(
                "tamga.toml",
                "[control]\naudit_due_days = 30\n[attachments]\nmax_size = 1000\n",
            )?;
            let file = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(file.control.audit_due_days, 30);
            assert_eq!(file.attachments.max_size, 1000);
            jail.set_env("TAMGA_CONTROL__AUDIT_DUE_DAYS", "45");
            jail.set_env("TAMGA_ATTACHMENTS__DIR", "/srv/files");
            let env = Settings::load(None, &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(env.control.audit_due_days, 45);
            assert_eq!(env.attachments_dir(), PathBuf::from("/srv/files"));
            let flags = Overrides {
                control: Some(ControlOverride { audit_due_days: 7 }),
                ..Overrides::default()
            };
            let flagged = Settings::load(None, &flags).map_err(|e| *e)?;
            assert_eq!(flagged.control.audit_due_days, 7);
            assert_eq!(flagged.attachments.max_size, 1000);
            Ok(())
        });
    }
}
