//! Outbound requests to URLs that clients give us (webhook endpoints, render callbacks). The host
//! is resolved once, every address is checked, and the connection is pinned to a checked address,
//! so a DNS answer that changes between check and connect (rebinding) cannot reach inside. No
//! redirects, no proxies from the environment, capped time and response size.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use url::{Host, Url};

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not a valid URL: {0}")]
    InvalidUrl(String),
    #[error("only http and https URLs are allowed")]
    Scheme,
    #[error("refused: {host} resolves to {addr}, a loopback, private, link-local or metadata address")]
    Forbidden { host: String, addr: IpAddr },
    #[error("refused: {0} is not in this server's allowed hosts")]
    NotAllowed(String),
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("request failed: {0}")]
    Http(String),
}

impl FetchError {
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Forbidden { .. } | FetchError::NotAllowed(_) => "URL_FORBIDDEN",
            FetchError::InvalidUrl(_) | FetchError::Scheme => "INVALID_URL",
            FetchError::Resolve(_) => "URL_UNRESOLVABLE",
            FetchError::Http(_) => "FETCH_FAILED",
        }
    }
}

#[derive(Clone)]
pub struct Fetcher {
    /// Test/dev only (see `WebhookConfig::dev_allow_private_targets`).
    allow_private: bool,
    allowed_hosts: Vec<String>,
    timeout: Duration,
    max_response_bytes: usize,
}

/// What came back from a POST.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Fetcher {
    pub fn new(allow_private: bool, timeout: Duration) -> Self {
        Fetcher { allow_private, allowed_hosts: Vec::new(), timeout, max_response_bytes: 64 * 1024 }
    }

    /// Restricts targets to these hosts (lower-case names or IP literals as written in URLs).
    pub fn with_allowed_hosts(mut self, hosts: Vec<String>) -> Self {
        self.allowed_hosts = hosts;
        self
    }

    /// Parses `url`, resolves its host once and returns the address to connect to.
    pub async fn check(&self, url: &str) -> Result<(Url, SocketAddr), FetchError> {
        let parsed = Url::parse(url).map_err(|e| FetchError::InvalidUrl(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::Scheme);
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(FetchError::InvalidUrl("credentials in URLs are not allowed".into()));
        }
        let port = parsed.port_or_known_default().ok_or(FetchError::Scheme)?;
        let host_str = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        if !self.allowed_hosts.is_empty() && !self.allowed_hosts.contains(&host_str) {
            return Err(FetchError::NotAllowed(host_str));
        }
        let host = parsed.host().ok_or_else(|| FetchError::InvalidUrl("no host".into()))?;
        let addrs: Vec<SocketAddr> = match host {
            Host::Ipv4(ip) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
            Host::Ipv6(ip) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
            Host::Domain(name) => {
                let lower = name.to_ascii_lowercase();
                if !self.allow_private
                    && (lower == "localhost" || lower.ends_with(".localhost") || lower.ends_with(".internal"))
                {
                    return Err(FetchError::Forbidden {
                        host: name.to_string(),
                        addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
                    });
                }
                let fut = tokio::net::lookup_host((name, port));
                tokio::time::timeout(Duration::from_secs(5), fut)
                    .await
                    .map_err(|_| FetchError::Resolve(name.to_string()))?
                    .map_err(|_| FetchError::Resolve(name.to_string()))?
                    .collect()
            }
        };
        let host_text = parsed.host_str().unwrap_or_default().to_string();
        let first = *addrs.first().ok_or_else(|| FetchError::Resolve(host_text.clone()))?;
        if !self.allow_private {
            // Every answer must be public: otherwise a name with one public and one private
            // address would let the OS pick the private one on a retry.
            if let Some(bad) = addrs.iter().find(|a| is_forbidden(a.ip())) {
                return Err(FetchError::Forbidden { host: host_text, addr: bad.ip() });
            }
        }
        Ok((parsed, first))
    }

    /// POSTs `body` to `url` with `headers`, connecting only to the checked address.
    pub async fn post(&self, url: &str, headers: &[(&str, String)], body: Vec<u8>) -> Result<Fetched, FetchError> {
        let (parsed, addr) = self.check(url).await?;
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(5)));
        if let Some(Host::Domain(name)) = parsed.host() {
            builder = builder.resolve(name, addr);
        }
        let client = builder.build().map_err(|e| FetchError::Http(e.to_string()))?;
        let mut req = client.post(parsed).header("content-type", "application/json").body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let mut resp = req.send().await.map_err(|e| FetchError::Http(without_url(e)))?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| FetchError::Http(without_url(e)))? {
            let room = self.max_response_bytes.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok(Fetched { status, body })
    }
}

fn without_url(e: reqwest::Error) -> String {
    e.without_url().to_string()
}

/// Loopback, private, link-local, cloud metadata, CGNAT, multicast, reserved and documentation
/// ranges, including IPv4 addresses wrapped in IPv6 (mapped, compatible, NAT64, 6to4).
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, includes 169.254.169.254 metadata
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b)) // CGNAT, includes 100.100.100.200 metadata
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, includes fd00:ec2::254 metadata
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0..6] == [0, 0, 0, 0, 0, 0] && forbidden_v4(embedded_v4(s[6], s[7]))) // IPv4-compatible
        || (s[0] == 0x64 && s[1] == 0xff9b && forbidden_v4(embedded_v4(s[6], s[7]))) // NAT64
        || (s[0] == 0x2002 && forbidden_v4(embedded_v4(s[1], s[2]))) // 6to4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_ranges() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "fd00:ec2::254",
            "fe80::1",
            "fc00::1",
        ] {
            assert!(is_forbidden(ip.parse().unwrap()), "{ip} should be refused");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808"] {
            assert!(!is_forbidden(ip.parse().unwrap()), "{ip} should be allowed");
        }
    }

    #[tokio::test]
    async fn odd_spellings_of_loopback_are_refused_without_connecting() {
        let f = Fetcher::new(false, Duration::from_secs(1));
        for url in [
            "http://127.0.0.1:9/",
            "http://localhost:9/",
            "http://2130706433:9/",
            "http://0x7f000001:9/",
            "http://127.1:9/",
            "http://[::1]:9/",
            "http://[::ffff:7f00:1]:9/",
            "http://0.0.0.0:9/",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.google.internal/",
        ] {
            let e = f.check(url).await.unwrap_err();
            assert!(matches!(e, FetchError::Forbidden { .. }), "{url}: {e}");
        }
        assert!(matches!(f.check("ftp://example.com/").await, Err(FetchError::Scheme)));
        assert!(matches!(f.check("http://u:p@example.com/").await, Err(FetchError::InvalidUrl(_))));
        // An allowlist is checked before any DNS lookup.
        let only = Fetcher::new(true, Duration::from_secs(1)).with_allowed_hosts(vec!["127.0.0.1".into()]);
        assert!(only.check("http://127.0.0.1:9/").await.is_ok());
        assert!(matches!(only.check("http://example.com/").await, Err(FetchError::NotAllowed(_))));
        assert!(matches!(only.check("http://8.8.8.8/").await, Err(FetchError::NotAllowed(_))));
    }
}
