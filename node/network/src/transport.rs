//! The TCP transport, behind a dial filter.
//!
//! Addresses reach the swarm from several places: boot nodes (the user's choice), identify
//! and Kademlia (what peers say). Kademlia dials the peers its queries return on its own, so
//! the rule "learned addresses are dialed only when public or loopback" is enforced here, on
//! every dial, rather than at each place that may learn an address: a peer cannot point the
//! node at hosts of a private network unless `--allow-private-ip` says that network is the
//! chain's. Addresses the user gave (boot nodes) are always dialable.

use crate::addresses;
use libp2p::core::transport::{DialOpts, ListenerId, Transport, TransportError, TransportEvent};
use libp2p::Multiaddr;
use std::collections::HashSet;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

/// Addresses the user gave, dialed whatever their range.
#[derive(Clone, Default)]
pub struct TrustedAddresses(Arc<RwLock<HashSet<Multiaddr>>>);

impl TrustedAddresses {
    pub fn insert(&self, address: Multiaddr) {
        self.0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(address);
    }

    fn contains(&self, address: &Multiaddr) -> bool {
        // A dial carries the peer id (`/p2p/…`) when the swarm knows it; the user's address
        // is stored without it.
        let mut bare = address.clone();
        if matches!(
            bare.iter().last(),
            Some(libp2p::multiaddr::Protocol::P2p(_))
        ) {
            bare.pop();
        }
        let trusted = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        trusted.contains(address) || trusted.contains(&bare)
    }
}

/// A transport that refuses to dial addresses the node must not dial.
pub struct Filtered<T> {
    inner: T,
    allow_private: bool,
    trusted: TrustedAddresses,
}

impl<T> Filtered<T> {
    pub fn new(inner: T, allow_private: bool, trusted: TrustedAddresses) -> Self {
        Self {
            inner,
            allow_private,
            trusted,
        }
    }

    fn may_dial(&self, address: &Multiaddr) -> bool {
        self.trusted.contains(address) || addresses::is_dialable(address, self.allow_private)
    }
}

impl<T: Transport + Unpin> Transport for Filtered<T> {
    type Output = T::Output;
    type Error = T::Error;
    type ListenerUpgrade = T::ListenerUpgrade;
    type Dial = T::Dial;

    fn listen_on(
        &mut self,
        id: ListenerId,
        addr: Multiaddr,
    ) -> Result<(), TransportError<Self::Error>> {
        self.inner.listen_on(id, addr)
    }

    fn remove_listener(&mut self, id: ListenerId) -> bool {
        self.inner.remove_listener(id)
    }

    fn dial(
        &mut self,
        addr: Multiaddr,
        opts: DialOpts,
    ) -> Result<Self::Dial, TransportError<Self::Error>> {
        if !self.may_dial(&addr) {
            tracing::debug!(target: crate::worker::LOG_TARGET, address = %addr, "not dialing a private or unspecified address");
            return Err(TransportError::MultiaddrNotSupported(addr));
        }
        self.inner.dial(addr, opts)
    }

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<TransportEvent<Self::ListenerUpgrade, Self::Error>> {
        Pin::new(&mut self.inner).poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_dialed_only_when_trusted_or_allowed() {
        let trusted = TrustedAddresses::default();
        let boot: Multiaddr = "/ip4/10.1.2.3/tcp/30333".parse().unwrap();
        trusted.insert(boot.clone());
        let filter = Filtered::new((), false, trusted.clone());
        assert!(filter.may_dial(&boot));
        let peer = libp2p::PeerId::random();
        assert!(filter.may_dial(&boot.clone().with(libp2p::multiaddr::Protocol::P2p(peer))));
        assert!(!filter.may_dial(&"/ip4/10.1.2.4/tcp/30333".parse().unwrap()));
        assert!(filter.may_dial(&"/ip4/127.0.0.1/tcp/30333".parse().unwrap()));
        let open = Filtered::new((), true, trusted);
        assert!(open.may_dial(&"/ip4/10.1.2.4/tcp/30333".parse().unwrap()));
    }
}
