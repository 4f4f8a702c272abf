//! Rate limits: a token bucket per caller (`governor`'s GCRA) — the token's
//! subject for authenticated callers, the client's address for anonymous
//! ones — refilled at the configured rate, holding twice as much. HTTP
//! requests and WebSocket operations take from the same bucket. The buckets
//! live in this process: behind a load balancer each replica keeps its own.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use service::Actor;

/// The buckets of one server.
pub struct RateLimits {
    authenticated: Option<DefaultKeyedRateLimiter<String>>,
    anonymous: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trusted: Vec<IpNet>,
}

/// `rate` requests a second with a burst of twice as many; `None` for 0 (off).
fn quota(rate: u32) -> Option<Quota> {
    let rate = NonZeroU32::new(rate)?;
    let burst = NonZeroU32::new(rate.get().saturating_mul(2)).unwrap_or(rate);
    Some(Quota::per_second(rate).allow_burst(burst))
}

impl RateLimits {
    /// Limits of `authenticated` and `anonymous` requests a second (0: off);
    /// `X-Forwarded-For` is believed from the `trusted` proxies only.
    pub fn new(authenticated: u32, anonymous: u32, trusted: Vec<IpNet>) -> RateLimits {
        RateLimits {
            authenticated: quota(authenticated).map(RateLimiter::keyed),
            anonymous: quota(anonymous).map(RateLimiter::keyed),
            trusted,
        }
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.trusted.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy;
    /// then the last address of `X-Forwarded-For` that is not a trusted
    /// proxy itself (addresses before it were written by the client and
    /// prove nothing).
    pub fn client_address(&self, peer: Option<IpAddr>, forwarded: Option<&str>) -> Option<IpAddr> {
        let peer = peer.map(canonical)?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let Some(forwarded) = forwarded else {
            return Some(peer);
        };
        let mut client = peer;
        for hop in forwarded.rsplit(',') {
            let Some(address) = parse_hop(hop) else {
                // A malformed entry ends what can be believed.
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        Some(client)
    }

    /// Takes one request from the caller's bucket: `Err` with how long until
    /// one is there again when it is empty.
    pub fn check(&self, actor: &Actor, address: Option<IpAddr>) -> Result<(), Duration> {
        // The wait is read off the limiter's own clock: a new clock per
        // refusal calibrated itself, and took 40 % of the server's time
        // while it refused a flood (BENCHMARKS.md, session 22).
        match (&actor.sub, address) {
            (Some(sub), _) => match &self.authenticated {
                Some(limiter) => limiter
                    .check_key(sub)
                    .map_err(|not_until| not_until.wait_time_from(limiter.clock().now())),
                None => Ok(()),
            },
            (None, Some(address)) => match &self.anonymous {
                Some(limiter) => limiter
                    .check_key(&address)
                    .map_err(|not_until| not_until.wait_time_from(limiter.clock().now())),
                None => Ok(()),
            },
            (None, None) => Ok(()),
        }
    }

    /// Forgets the buckets that are full again (a caller gone quiet), so that
    /// many callers do not grow memory without bound.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.authenticated {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(limiter) = &self.anonymous {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) as the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port
/// (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(canonical(address));
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| canonical(s.ip()))
}

/// Whole seconds to wait, at least one, for `Retry-After`.
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn forwarded_for_is_believed_from_trusted_proxies_only() {
        let limits = RateLimits::new(1, 1, vec!["10.0.0.0/8".parse().expect("a CIDR")]);
        // Not from a proxy: the header is the client's own word.
        assert_eq!(
            limits.client_address(Some(ip("203.0.113.9")), Some("198.51.100.1")),
            Some(ip("203.0.113.9"))
        );
        // From the proxy: the last hop before it.
        assert_eq!(
            limits.client_address(Some(ip("10.0.0.2")), Some("1.1.1.1, 198.51.100.7")),
            Some(ip("198.51.100.7"))
        );
        // Through two trusted proxies.
        assert_eq!(
            limits.client_address(Some(ip("10.0.0.2")), Some("198.51.100.7:4000, 10.0.0.3")),
            Some(ip("198.51.100.7"))
        );
        // IPv4 in IPv6.
        assert_eq!(
            limits.client_address(Some(ip("::ffff:10.0.0.2")), Some("198.51.100.7")),
            Some(ip("198.51.100.7"))
        );
        // Garbage ends the chain at the last good hop.
        assert_eq!(
            limits.client_address(Some(ip("10.0.0.2")), Some("evil")),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn a_bucket_holds_twice_the_rate_and_callers_are_apart() {
        let limits = RateLimits::new(2, 1, Vec::new());
        let alice = Actor {
            sub: Some("alice".to_owned()),
            ..Actor::default()
        };
        let bob = Actor {
            sub: Some("bob".to_owned()),
            ..Actor::default()
        };
        for _ in 0..4 {
            assert!(limits.check(&alice, None).is_ok());
        }
        let wait = limits.check(&alice, None).expect_err("the bucket is empty");
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(500));
        assert_eq!(retry_after(wait), 1);
        assert!(limits.check(&bob, None).is_ok());
        let anonymous = Actor::anonymous();
        assert!(limits.check(&anonymous, Some(ip("1.2.3.4"))).is_ok());
        assert!(limits.check(&anonymous, Some(ip("1.2.3.4"))).is_ok());
        assert!(limits.check(&anonymous, Some(ip("1.2.3.4"))).is_err());
        assert!(limits.check(&anonymous, Some(ip("1.2.3.5"))).is_ok());
        // Off.
        let off = RateLimits::new(0, 0, Vec::new());
        for _ in 0..100 {
            assert!(off.check(&alice, None).is_ok());
        }
    }
}
