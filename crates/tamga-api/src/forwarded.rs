//! The client address behind trusted reverse proxies (`[server] trusted_proxies`).
//!
//! A request's client address is the peer of its connection, unless that peer is a trusted
//! proxy: then it is the right-most address of `X-Forwarded-For` that is not itself a trusted
//! proxy. Only the right-most part of the header can be believed — each trusted proxy appends
//! the address it saw, while whatever a client sent first is the client's to invent — so an
//! untrusted peer's header is ignored, and a client cannot pick the address its rate limits
//! and log lines are counted under. [`resolve`] sets [`ClientIp`] once per request, before
//! the log span is opened, and `limits::client_address` reads it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// A network: an address and the length of its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32`, or a single address (`192.0.2.7`, `::1`).
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR network"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Cidr { network, prefix })
    }

    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as its IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            (IpAddr::V6(n), IpAddr::V6(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            _ => false,
        }
    }
}

fn same_prefix(network: &[u8], address: &[u8], prefix: u8) -> bool {
    let mut bits = u32::from(prefix);
    for (n, a) in network.iter().zip(address) {
        let take = bits.min(8);
        if take == 0 {
            return true;
        }
        let mask = 0xFFu8 << (8 - take);
        if n & mask != a & mask {
            return false;
        }
        bits -= take;
    }
    true
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// The networks of a `trusted_proxies` list; the first bad entry is named.
    pub fn parse<S: AsRef<str>>(list: &[S]) -> Result<TrustedProxies, String> {
        list.iter()
            .map(|s| Cidr::parse(s.as_ref()))
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client address of a request from `peer` with `headers`: the peer unless it is
    /// trusted; then the right-most address of `X-Forwarded-For` (every such header, in
    /// order) that is not trusted. Walking leftwards stops at an entry that is not an address
    /// (nothing left of it can be believed), answering the last address read; when every
    /// entry is trusted, the left-most is the client.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                return client;
            };
            client = ip;
            if !self.trusts(ip) {
                return ip;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`192.0.2.7:4711`,
/// `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The client address of a request, as [`TrustedProxies::client`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The layer that sets [`ClientIp`] from the connection's peer and the trusted proxies.
pub async fn resolve(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if let Some(peer) = peer {
        let client = proxies.client(peer, request.headers());
        request.extensions_mut().insert(ClientIp(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_contain_their_addresses() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.contains(ip("10.200.3.4")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.1.1.1")));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")));
        assert!(!v6.contains(ip("2001:db9::5")));
        assert!(Cidr::parse("192.0.2.7").unwrap().contains(ip("192.0.2.7")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("proxy.example").is_err());
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8", "192.0.2.1"]).unwrap();
        // The client sent a made-up address first; the proxies appended what they saw.
        let h = headers(&["6.6.6.6, 203.0.113.9", "10.0.0.7"]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        // An untrusted peer's header is not believed.
        assert_eq!(proxies.client(ip("198.51.100.2"), &h), ip("198.51.100.2"));
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(
            proxies.client(ip("192.0.2.1"), &HeaderMap::new()),
            ip("192.0.2.1")
        );
        // Every hop trusted: the left-most.
        let inner = headers(&["10.9.9.9, 10.0.0.7"]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &inner), ip("10.9.9.9"));
        // Garbage stops the walk at the last address read.
        let garbage = headers(&["203.0.113.9, nonsense, 10.0.0.7"]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &garbage), ip("10.0.0.7"));
        // Ports and brackets.
        let ported = headers(&["[2001:db8::1]:4711, 203.0.113.5:80"]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &ported), ip("203.0.113.5"));
        // No proxies trusted (the default): the peer, whatever the header says.
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }
}
