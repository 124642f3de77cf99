//! `server.trusted_proxies`: the reverse proxies whose `X-Forwarded-For` is believed (see
//! `http::client_addr`, their one reader).

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Deserialize;

/// The reverse proxies whose `X-Forwarded-For` is believed: networks (`10.0.0.0/8`) or single
/// addresses. Empty means the server faces clients directly.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses entries such as `127.0.0.1/32`, `10.0.0.0/8`, `::1` (a bare address is its own
    /// /32 or /128).
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for raw in entries {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let net = raw
                .parse::<IpNet>()
                .map(|n| n.trunc())
                .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{raw}` is not an IP address or CIDR network"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }
}

impl fmt::Debug for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|n| n.to_string()))
            .finish()
    }
}

/// A list of strings (TOML) or one comma-separated string (`APP_SERVER__TRUSTED_PROXIES`).
impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            List(Vec<String>),
            Text(String),
        }
        let parsed = match Raw::deserialize(d)? {
            Raw::List(list) => TrustedProxies::parse(list.iter().map(String::as_str)),
            Raw::Text(text) => TrustedProxies::parse(text.split(',')),
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list.iter().copied()).unwrap()
    }

    #[test]
    fn trusted_proxies_parse_lists_and_refuse_junk() {
        let t = trusted(&[" 10.0.0.0/8", "", "::1"]);
        assert!(t.contains("10.9.9.9".parse().unwrap()));
        assert!(t.contains("::1".parse().unwrap()));
        assert!(!t.contains("11.0.0.1".parse().unwrap()));
        assert!(TrustedProxies::parse(["10.0.0.0/33"]).is_err());
        assert!(TrustedProxies::parse(["nginx"]).is_err());
    }
}
