//! Pre-signs transfers for load tests: `presign <genesis-hash> <count>` prints one hex-encoded
//! `Balances.transfer_keep_alive` per line, round-robin over //Alice … //Ferdie with increasing
//! nonces (so every line is valid once the ones before it from the same sender are).

use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring;
use folio_primitives::MultiAddress;
use folio_runtime::{signing::sign_immortal, RuntimeCall};
use parity_scale_codec::Encode;
use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: presign <genesis-hash> <count>";
    let genesis: H256 = args
        .next()
        .expect(usage)
        .parse()
        .expect("a 0x-hex genesis hash");
    let count: u32 = args.next().expect(usage).parse().expect("a count");
    let senders = Keyring::ALL;
    let pairs: Vec<_> = senders.iter().map(|k| k.pair()).collect();
    let ids: Vec<_> = senders.iter().map(|k| k.account_id()).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for i in 0..count {
        let from = (i as usize) % senders.len();
        let to = (from + 1) % senders.len();
        let nonce = i / senders.len() as u32;
        let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
            dest: MultiAddress::Id(ids[to]),
            value: 1_000_000_000,
        });
        let xt = sign_immortal(
            &pairs[from],
            call,
            nonce,
            genesis,
            folio_runtime::SPEC_VERSION,
        );
        writeln!(out, "0x{}", hex::encode(xt.encode())).expect("stdout");
    }
}
