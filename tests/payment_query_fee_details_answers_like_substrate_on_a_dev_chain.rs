//! `payment_queryFeeDetails` on `folio-node --dev` answers as Substrate's transaction-payment
//! RPC does: `{"inclusionFee": {"baseFee", "lenFee", "adjustedWeightFee"}}` with each part
//! as hex, adding up to `payment_queryInfo`'s `partialFee`; `{"inclusionFee": null}` for an
//! unsigned extrinsic; error 2 `Unable to query fee details.` for bytes that are no extrinsic.
//! Wallets and Sidecar's fee-estimate call it to show the breakdown of a fee.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use parity_scale_codec::Encode;
use serde_json::{json, Value};

/// From this helper's port range, so parallel test runs never collide.
const PORT: u16 = 27_811;

fn hex_amount(value: &Value) -> u128 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is a string"));
    let digits = text
        .strip_prefix("0x")
        .unwrap_or_else(|| panic!("{text} is 0x-prefixed hex"));
    assert!(
        digits == "0" || !digits.starts_with('0'),
        "{text}: no leading zeros"
    );
    u128::from_str_radix(digits, 16).expect("hex amount")
}

#[test]
fn payment_query_fee_details_answers_like_substrate() {
    let node = NodeProcess::start_on(PORT, &["--dev"]);
    let genesis = node.genesis_hash();
    let tx = hex_of(&sign(
        genesis,
        Alice,
        transfer(Bob, 1_000_000_000),
        0,
        folio_runtime::SPEC_VERSION,
    ));

    let details = node.rpc("payment_queryFeeDetails", json!([tx]));
    let fee = &details["inclusionFee"];
    let keys: Vec<&String> = details.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["inclusionFee"], "no tip, as Substrate: {details}");
    let parts = [
        hex_amount(&fee["baseFee"]),
        hex_amount(&fee["lenFee"]),
        hex_amount(&fee["adjustedWeightFee"]),
    ];
    assert!(
        parts.iter().all(|p| *p > 0),
        "every part is charged: {details}"
    );
    let info = node.rpc("payment_queryInfo", json!([tx]));
    let partial_fee: u128 = info["partialFee"]
        .as_str()
        .expect("partialFee is a decimal string")
        .parse()
        .expect("decimal");
    assert_eq!(
        parts.iter().sum::<u128>(),
        partial_fee,
        "{details} vs {info}"
    );
    assert_eq!(
        parts[0],
        <folio_runtime::Runtime as folio_pallet_currency::Config>::BASE_FEE
    );

    // At an explicit block, the same answer.
    let best = node.rpc("chain_getBlockHash", json!([]));
    assert_eq!(
        node.rpc("payment_queryFeeDetails", json!([tx, best])),
        details
    );

    // An unsigned extrinsic pays no fee.
    let unsigned =
        folio_runtime::UncheckedExtrinsic::new_unsigned(transfer(Bob, 1_000_000_000)).encode();
    assert_eq!(
        node.rpc("payment_queryFeeDetails", json!([hex_of(&unsigned)])),
        json!({"inclusionFee": null})
    );

    // Bytes that are no extrinsic: Substrate's decode error.
    let error = node.rpc_error("payment_queryFeeDetails", json!(["0x0102"]));
    assert_eq!(error["code"], json!(2), "{error}");
    assert_eq!(
        error["message"],
        json!("Unable to query fee details."),
        "{error}"
    );
}
