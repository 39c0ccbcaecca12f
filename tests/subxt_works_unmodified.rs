//! Stock subxt 0.51.1 (dynamic API, no codegen, `PolkadotConfig`) works against
//! `folio-node --dev` unmodified: it connects, reads `System.Account` of //Alice, signs and
//! submits `Balances.transfer_keep_alive` to //Bob, waits for it to be finalized with success,
//! finds the `Balances.Transfer` event, and sees both balances move by exactly the amount (and
//! Alice's by the fee).

mod common;

use common::NodeProcess;
use subxt::dynamic;
use subxt::ext::scale_decode::{self, DecodeAsType};
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountInfo {
    nonce: u32,
    providers: u32,
    data: AccountData,
}

#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountData {
    free: u128,
}

/// `Balances.Transfer` fields.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct Transfer {
    from: [u8; 32],
    to: [u8; 32],
    amount: u128,
}

/// `TransactionPayment.TransactionFeePaid` fields.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct TransactionFeePaid {
    who: [u8; 32],
    actual_fee: u128,
    tip: u128,
}

async fn account(api: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> AccountInfo {
    let at = api.at_current_block().await.expect("finalized block");
    at.storage()
        .fetch(
            dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account"),
            (who,),
        )
        .await
        .expect("System.Account is readable")
        .decode()
        .expect("System.Account decodes as FRAME's AccountInfo")
}

async fn transfer_and_check(url: String) {
    let api = OnlineClient::<PolkadotConfig>::from_url(&url)
        .await
        .expect("subxt connects");
    let alice = dev::alice();
    let bob = dev::bob();
    let alice_id = alice.public_key().0;
    let bob_id = bob.public_key().0;

    let alice_before = account(&api, alice_id).await;
    let bob_before = account(&api, bob_id).await;
    assert!(alice_before.data.free > 0, "Alice is endowed on --dev");
    assert!(alice_before.providers >= 1);

    let at = api.at_current_block().await.expect("finalized block");
    let existential_deposit = at
        .constants()
        .entry(dynamic::constant::<u128>("Balances", "ExistentialDeposit"))
        .expect("Balances.ExistentialDeposit");
    assert_eq!(
        existential_deposit,
        <folio_runtime::Runtime as folio_pallet_currency::Config>::EXISTENTIAL_DEPOSIT
    );

    let amount = 12_345_678_900u128;
    let tx = dynamic::transaction(
        "Balances",
        "transfer_keep_alive",
        (bob.public_key().to_address::<()>(), amount),
    );
    let events = at
        .transactions()
        .sign_and_submit_then_watch_default(&tx, &alice)
        .await
        .expect("the transfer is signed and accepted")
        .wait_for_finalized_success()
        .await
        .expect("the transfer is finalized with ExtrinsicSuccess");

    let names: Vec<String> = events
        .iter()
        .map(|event| {
            let event = event.expect("event decodes");
            format!("{}.{}", event.pallet_name(), event.event_name())
        })
        .collect();
    println!("events: {names:?}");
    let transfer = events
        .iter()
        .map(|event| event.expect("event decodes"))
        .find(|event| event.pallet_name() == "Balances" && event.event_name() == "Transfer")
        .expect("a Balances.Transfer event")
        .decode_fields_unchecked_as::<Transfer>()
        .expect("Balances.Transfer fields decode");
    assert_eq!(
        (transfer.from, transfer.to, transfer.amount),
        (alice_id, bob_id, amount)
    );
    let fee = events
        .iter()
        .map(|event| event.expect("event decodes"))
        .find(|event| {
            event.pallet_name() == "TransactionPayment"
                && event.event_name() == "TransactionFeePaid"
        })
        .expect("a TransactionPayment.TransactionFeePaid event")
        .decode_fields_unchecked_as::<TransactionFeePaid>()
        .expect("TransactionFeePaid fields decode");
    assert_eq!((fee.who, fee.tip), (alice_id, 0));
    assert!(fee.actual_fee > 0);

    let alice_after = account(&api, alice_id).await;
    let bob_after = account(&api, bob_id).await;
    assert_eq!(alice_after.nonce, alice_before.nonce + 1);
    assert_eq!(bob_after.data.free, bob_before.data.free + amount);
    assert_eq!(
        alice_after.data.free,
        alice_before.data.free - amount - fee.actual_fee
    );
}

#[test]
fn subxt_works_unmodified() {
    let node = NodeProcess::dev(&[]);
    let url = node.url();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let outcome = runtime.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(120), transfer_and_check(url)).await
    });
    assert!(
        outcome.is_ok(),
        "subxt did not finish within 120 s; node log:\n{}",
        node.log_text()
    );
}
