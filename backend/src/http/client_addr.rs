//! The one place that decides a request's client address. Directly exposed (no trusted
//! proxies configured) it is the TCP peer, and `X-Forwarded-For` is ignored: anyone can send
//! that header. Behind reverse proxies listed in `server.trusted_proxies`, the header is read
//! only when the peer is one of them, from the right (each proxy appends the address it saw),
//! skipping trusted hops: the first untrusted hop is the client. Hops left of it were written
//! by the client itself and are never believed. A malformed hop ends the walk at the last
//! good one.
//!
//! Per-address limits go through [`address_group`]: an IPv6 client usually holds a whole /64,
//! so a limit per single IPv6 address is no limit.

use std::net::{IpAddr, Ipv6Addr};

use crate::settings::TrustedProxies;
use crate::state::AppState;
use actix_web::HttpRequest;
use actix_web::http::header::{HeaderMap, HeaderName};
use actix_web::web;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Hops of `X-Forwarded-For` looked at, at most: real chains are a few proxies long.
const MAX_HOPS: usize = 16;

/// The client's address: the peer, or — only when the peer is a trusted proxy — the right-most
/// untrusted hop of `X-Forwarded-For`.
pub fn resolve(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let mut client = peer.map(|ip| ip.to_canonical())?;
    if !trusted.contains(client) {
        return Some(client);
    }
    // Several header lines form one list, in order.
    let mut hops: Vec<&str> = Vec::new();
    for value in headers.get_all(X_FORWARDED_FOR) {
        let Ok(text) = value.to_str() else {
            // Unreadable: believe nothing of it (nor of what is left of it).
            hops.clear();
            continue;
        };
        hops.extend(text.split(','));
    }
    for hop in hops.iter().rev().take(MAX_HOPS) {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    Some(client)
}

/// One hop: an address, optionally with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(sock.ip().to_canonical());
    }
    None
}

/// The client address of `req` (see [`resolve`]), with the trusted proxies from the settings.
pub fn client_addr(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => resolve(peer, req.headers(), &state.settings.server.trusted_proxies),
        None => peer.map(|ip| ip.to_canonical()),
    }
}

/// What per-address limits count by: an IPv4 address as it is, an IPv6 address by its /64
/// (one subscriber's prefix), written as the network (`2001:db8:1:2::/64`).
pub fn address_group(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", Ipv6Addr::from(prefix))
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;

    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(X_FORWARDED_FOR, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list.iter().copied()).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let got = resolve(
            ip("203.0.113.9"),
            &headers(&["198.51.100.1"]),
            &trusted(&[]),
        );
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn an_untrusted_peers_header_is_ignored() {
        let t = trusted(&["10.0.0.0/8"]);
        let got = resolve(ip("203.0.113.9"), &headers(&["198.51.100.1"]), &t);
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let t = trusted(&["127.0.0.1/32", "10.0.0.0/8"]);
        // The client forged the first hop; nginx appended the real one; an inner proxy too.
        let h = headers(&["6.6.6.6, 198.51.100.7", "10.1.2.3"]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &t), ip("198.51.100.7"));
    }

    #[test]
    fn a_malformed_hop_stops_the_walk_at_the_last_good_one() {
        let t = trusted(&["127.0.0.1", "10.0.0.0/8"]);
        let h = headers(&["198.51.100.7, garbage, 10.0.0.5"]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &t), ip("10.0.0.5"));
        let h = headers(&["198.51.100.7, not-an-ip"]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &t), ip("127.0.0.1"));
    }

    #[test]
    fn hops_with_ports_and_mapped_addresses_are_understood() {
        let t = trusted(&["::1"]);
        let h = headers(&["[2001:db8::5]:443"]);
        assert_eq!(resolve(ip("::1"), &h, &t), ip("2001:db8::5"));
        let h = headers(&["::ffff:198.51.100.7"]);
        assert_eq!(resolve(ip("::1"), &h, &t), ip("198.51.100.7"));
        let h = headers(&["198.51.100.7:5000"]);
        assert_eq!(resolve(ip("::1"), &h, &t), ip("198.51.100.7"));
    }

    #[test]
    fn ipv6_addresses_are_grouped_by_their_64_and_ipv4_stay_as_they_are() {
        let a = address_group("2001:db8:1:2::1".parse().unwrap());
        let b = address_group("2001:db8:1:2:ffff:1:2:3".parse().unwrap());
        let c = address_group("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            address_group("198.51.100.7".parse().unwrap()),
            "198.51.100.7"
        );
    }
}
