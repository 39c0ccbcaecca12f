//! Which addresses the node dials, and parsing of the addresses users give.
//!
//! Boot nodes are dialed as given (the user chose them). Addresses learned from peers
//! (identify) are dialed only when public or loopback: a peer must not be able to point the
//! node at hosts of a private network, unless `--allow-private-ip` says that network is
//! the chain's. Unspecified addresses (0.0.0.0, ::) are never dialed.

use crate::error::NetworkError;
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Parses a multiaddress given by a user.
pub(crate) fn parse(address: &str) -> Result<Multiaddr, NetworkError> {
    address
        .parse()
        .map_err(|e: libp2p::multiaddr::Error| NetworkError::BadAddress {
            address: address.into(),
            reason: e.to_string(),
        })
}

/// Parses a boot node (`/ip4/…/tcp/…/p2p/<PeerId>`) into its peer and address.
pub(crate) fn parse_boot_node(address: &str) -> Result<(PeerId, Multiaddr), NetworkError> {
    let mut multiaddr = parse(address)?;
    match multiaddr.pop() {
        Some(Protocol::P2p(peer)) => Ok((peer, multiaddr)),
        _ => Err(NetworkError::BootNodeWithoutPeerId {
            address: address.into(),
        }),
    }
}

/// Whether an IPv4 address is in a range reserved for private networks (RFC 1918, shared
/// address space, link-local).
fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private() || ip.is_link_local() || (a == 100 && (64..128).contains(&b))
}

/// Unique-local (fc00::/7) and link-local (fe80::/10) IPv6.
fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

/// Whether an address learned from a peer may be dialed.
pub(crate) fn is_dialable(address: &Multiaddr, allow_private: bool) -> bool {
    match address.iter().next() {
        Some(Protocol::Ip4(ip)) => {
            !ip.is_unspecified()
                && !ip.is_broadcast()
                && !ip.is_multicast()
                && (ip.is_loopback() || allow_private || !is_private_v4(ip))
        }
        Some(Protocol::Ip6(ip)) => {
            !ip.is_unspecified()
                && !ip.is_multicast()
                && (ip.is_loopback() || allow_private || !is_private_v6(ip))
        }
        // No DNS transport: names cannot be dialed.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialable(text: &str, allow_private: bool) -> bool {
        is_dialable(&text.parse().unwrap(), allow_private)
    }

    #[test]
    fn learned_addresses_are_dialed_only_when_public_or_loopback() {
        assert!(dialable("/ip4/127.0.0.1/tcp/30333", false));
        assert!(dialable("/ip4/8.8.8.8/tcp/30333", false));
        assert!(dialable("/ip6/::1/tcp/30333", false));
        for private in [
            "/ip4/10.0.0.1/tcp/30333",
            "/ip4/172.16.5.4/tcp/30333",
            "/ip4/192.168.1.1/tcp/30333",
            "/ip4/169.254.0.1/tcp/30333",
            "/ip4/100.64.0.1/tcp/30333",
            "/ip6/fd00::1/tcp/30333",
        ] {
            assert!(!dialable(private, false), "{private}");
            assert!(dialable(private, true), "{private}");
        }
        assert!(!dialable("/ip4/0.0.0.0/tcp/30333", true));
        assert!(!dialable("/dns4/example.invalid/tcp/30333", true));
    }

    #[test]
    fn boot_nodes_need_a_peer_id() {
        let peer = PeerId::random();
        let (parsed, address) =
            parse_boot_node(&format!("/ip4/127.0.0.1/tcp/30333/p2p/{peer}")).unwrap();
        assert_eq!(parsed, peer);
        assert_eq!(address.to_string(), "/ip4/127.0.0.1/tcp/30333");
        assert!(matches!(
            parse_boot_node("/ip4/127.0.0.1/tcp/30333"),
            Err(NetworkError::BootNodeWithoutPeerId { .. })
        ));
        assert!(parse_boot_node("not an address").is_err());
    }
}
