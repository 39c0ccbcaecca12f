//! A dApp's first steps on Folio with stock subxt 0.51.1 (dynamic API, no code generation):
//! connect, read a balance, transfer, and watch the events of finalized blocks.
//!
//! ```sh
//! cargo run --release -p folio-node -- --dev              # terminal 1: a dev chain
//! cargo run -p folio-node --example subxt_transfer        # terminal 2: this program
//! ```
//!
//! `WS_URL` overrides the node address (default `ws://127.0.0.1:9944`). In your own crate the
//! dependencies are `subxt = "0.51.1"`, `subxt-signer = "0.51.1"` and
//! `tokio = { version = "1", features = ["rt-multi-thread", "macros"] }` (see docs/clients.md).

use subxt::dynamic::{self, Value};
use subxt::ext::scale_decode::{self, DecodeAsType};
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The part of `System.Account` (FRAME's `AccountInfo`) this program reads.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountInfo {
    nonce: u32,
    data: AccountData,
}

#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountData {
    free: u128,
    reserved: u128,
    frozen: u128,
}

/// `System.Account` of `who` at the latest finalized block.
async fn account(api: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> Result<AccountInfo, Error> {
    let at = api.at_current_block().await?;
    let address = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
    Ok(at.storage().fetch(address, (who,)).await?.decode()?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("WS_URL").unwrap_or_else(|_| "ws://127.0.0.1:9944".into());
    let api = OnlineClient::<PolkadotConfig>::from_url(&url).await?;
    let at = api.at_current_block().await?;
    println!("connected to {url}, finalized block #{}", at.block_number());

    // Read a balance.
    let alice = dev::alice();
    let bob = dev::bob();
    let before = account(&api, alice.public_key().0).await?;
    println!(
        "Alice: nonce {}, free {}, reserved {}, frozen {}",
        before.nonce, before.data.free, before.data.reserved, before.data.frozen
    );
    let existential_deposit = at
        .constants()
        .entry(dynamic::constant::<u128>("Balances", "ExistentialDeposit"))?;
    println!("existential deposit: {existential_deposit}");

    // Subscribe to finalized blocks before transferring, to watch their events below.
    let mut blocks = api.stream_blocks().await?;

    // Transfer 1 FOLIO (12 decimals) to Bob and follow it until it is finalized.
    let transfer = dynamic::transaction(
        "Balances",
        "transfer_keep_alive",
        (bob.public_key().to_address::<()>(), 1_000_000_000_000u128),
    );
    let in_block = at
        .transactions()
        .sign_and_submit_then_watch_default(&transfer, &alice)
        .await?
        .wait_for_finalized()
        .await?;
    let events = in_block.wait_for_success().await?;
    println!(
        "transfer {:?} finalized in block {:?}",
        events.extrinsic_hash(),
        in_block.block_hash()
    );

    // The events of each finalized block, up to the one holding the transfer.
    while let Some(block) = blocks.next().await {
        let block = block?;
        let events = block.at().await?.events().fetch().await?;
        for event in events.iter() {
            let event = event?;
            println!(
                "  #{} {}.{} {}",
                block.number(),
                event.pallet_name(),
                event.event_name(),
                event.decode_fields_unchecked_as::<Value>()?
            );
        }
        if block.hash() == in_block.block_hash() {
            break;
        }
    }

    let after = account(&api, alice.public_key().0).await?;
    println!("Alice: nonce {}, free {}", after.nonce, after.data.free);
    Ok(())
}
