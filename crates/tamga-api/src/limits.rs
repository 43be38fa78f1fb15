//! Rate limits against abuse: failed authentications and lodgements, counted per client
//! address and per token (or user), with the GCRA of the `governor` crate.
//!
//! A client past a limit is answered 429 with `Retry-After` (whole seconds) and a problem
//! document. Failed authentications are counted only when a credential was presented; once a
//! client address or token has spent its budget, its requests are refused before the token is
//! even looked up, until the wait is over.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// How many requests of each guarded kind a client may make. A rate of 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Failed authentications per minute, per client address and per presented token.
    pub auth_failures_per_minute: u32,
    /// Failed authentications allowed at once before the rate applies.
    pub auth_failure_burst: u32,
    /// Lodgements (declarations and cargo reports) per second, per user and per address.
    pub lodgements_per_second: u32,
    /// Lodgements allowed at once before the rate applies.
    pub lodgement_burst: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            auth_failures_per_minute: 10,
            auth_failure_burst: 20,
            lodgements_per_second: 500,
            lodgement_burst: 1000,
        }
    }
}

/// The client address of a request: the peer of its connection, or behind a trusted proxy
/// the address `X-Forwarded-For` names ([`crate::forwarded`]); unknown when the router is
/// driven without a socket, as in tests.
pub fn client_address(parts: &Parts) -> Option<IpAddr> {
    if let Some(crate::forwarded::ClientIp(ip)) =
        parts.extensions.get::<crate::forwarded::ClientIp>()
    {
        return Some(*ip);
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}

/// The client address of a request, as an extractor.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

/// One keyed limit, pruned of keys not seen lately every few thousand checks.
struct Limit {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl Limit {
    fn new(rate: u32, burst: u32, per: Duration) -> Option<Self> {
        let rate = NonZeroU32::new(rate)?;
        let quota = Quota::with_period(per / rate.get())?
            .allow_burst(NonZeroU32::new(burst).unwrap_or(rate));
        Some(Self {
            limiter: RateLimiter::keyed(quota),
            checks: AtomicU64::new(0),
        })
    }

    /// Counts one event for each key; the longest wait when any key is over its limit.
    fn check(&self, keys: &[String]) -> Option<Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.limiter.retain_recent();
        }
        let now = DefaultClock::default().now();
        keys.iter()
            .filter_map(|key| self.limiter.check_key(key).err())
            .map(|not_until| not_until.wait_time_from(now))
            .max()
    }
}

/// The limiters of one server.
pub struct Limiters {
    auth: Option<Limit>,
    /// Keys whose failure budget is spent, until when.
    blocked: Mutex<HashMap<String, Instant>>,
    lodgement: Option<Limit>,
}

impl std::fmt::Debug for Limiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiters").finish_non_exhaustive()
    }
}

impl Limiters {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            auth: Limit::new(
                limits.auth_failures_per_minute,
                limits.auth_failure_burst,
                Duration::from_secs(60),
            ),
            blocked: Mutex::new(HashMap::new()),
            lodgement: Limit::new(
                limits.lodgements_per_second,
                limits.lodgement_burst,
                Duration::from_secs(1),
            ),
        }
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.blocked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Before a presented credential is checked: refused while its address or token is blocked.
    pub fn before_auth(&self, keys: &[String]) -> Result<(), ApiError> {
        let now = Instant::now();
        let blocked = self.blocked();
        let until = keys.iter().filter_map(|k| blocked.get(k)).max().copied();
        match until {
            Some(until) if until > now => Err(too_many("authentication failures", until - now)),
            _ => Ok(()),
        }
    }

    /// A presented credential failed: the error to answer, `failure` unless the budget of the
    /// address or token is now spent (then 429, and both are blocked for the wait).
    pub fn auth_failed(&self, keys: &[String], failure: ApiError) -> ApiError {
        let Some(wait) = self.auth.as_ref().and_then(|limit| limit.check(keys)) else {
            return failure;
        };
        let until = Instant::now() + wait;
        let mut blocked = self.blocked();
        if blocked.len() > 10_000 {
            let now = Instant::now();
            blocked.retain(|_, until| *until > now);
        }
        for key in keys {
            blocked.insert(key.clone(), until);
        }
        too_many("authentication failures", wait)
    }

    /// One lodgement by `user` from `address`: 429 when either is over its limit.
    pub fn lodgement(&self, user: i64, address: Option<IpAddr>) -> Result<(), ApiError> {
        let Some(limit) = &self.lodgement else {
            return Ok(());
        };
        let keys = [format!("user:{user}"), address_key(address)];
        match limit.check(&keys) {
            Some(wait) => Err(too_many("lodgements", wait)),
            None => Ok(()),
        }
    }
}

/// The key of a client address.
pub fn address_key(address: Option<IpAddr>) -> String {
    match address {
        Some(address) => format!("address:{address}"),
        None => "address:unknown".to_owned(),
    }
}

fn too_many(what: &str, wait: Duration) -> ApiError {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    ApiError::TooManyRequests {
        detail: format!("too many {what}; try again in {seconds} s"),
        retry_after: seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_past_the_burst_block_the_address() {
        let limiters = Limiters::new(RateLimits {
            auth_failures_per_minute: 1,
            auth_failure_burst: 2,
            ..RateLimits::default()
        });
        let keys = [address_key(None)];
        let failure = || ApiError::Unauthorized("no");
        assert!(limiters.before_auth(&keys).is_ok());
        assert!(matches!(
            limiters.auth_failed(&keys, failure()),
            ApiError::Unauthorized(_)
        ));
        assert!(matches!(
            limiters.auth_failed(&keys, failure()),
            ApiError::Unauthorized(_)
        ));
        let third = limiters.auth_failed(&keys, failure());
        let ApiError::TooManyRequests { retry_after, .. } = third else {
            panic!("{third:?}");
        };
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        assert!(limiters.before_auth(&keys).is_err());
        assert!(limiters.before_auth(&["address:10.0.0.1".into()]).is_ok());
    }

    #[test]
    fn zero_means_no_limit() {
        let limiters = Limiters::new(RateLimits {
            lodgements_per_second: 0,
            ..RateLimits::default()
        });
        for _ in 0..5000 {
            limiters.lodgement(1, None).unwrap();
        }
    }
}
