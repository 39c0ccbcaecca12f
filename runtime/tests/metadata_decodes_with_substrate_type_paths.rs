//! The metadata clients download: served as V14 and V15, with Substrate's type paths for the
//! core types (polkadot-js finds Address, Call, Signature and Event types by these paths), and
//! with every call, event and error at a pinned index (golden file).

use folio_primitives::externalities::TestExternalities;
use frame_metadata::{v15::RuntimeMetadataV15, RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Decode, Encode};
use scale_info::{form::PortableForm, PortableRegistry, TypeDef};

fn call(method: &str, input: &[u8]) -> Vec<u8> {
    TestExternalities::default()
        .execute_with(|| folio_runtime::apis::call(method, input))
        .expect("api call")
}

fn v15() -> RuntimeMetadataV15 {
    let out = call("Metadata_metadata_at_version", &15u32.encode());
    let bytes = Option::<Vec<u8>>::decode(&mut &out[..])
        .unwrap()
        .expect("V15 is served");
    assert_eq!(&bytes[..5], b"meta\x0f");
    match RuntimeMetadataPrefixed::decode(&mut &bytes[..])
        .expect("decodes")
        .1
    {
        RuntimeMetadata::V15(metadata) => metadata,
        _ => panic!("not V15"),
    }
}

fn path_of(registry: &PortableRegistry, id: u32) -> String {
    registry
        .resolve(id)
        .map(|t| t.path.segments.join("::"))
        .unwrap_or_default()
}

fn find(registry: &PortableRegistry, path: &str) -> Vec<u32> {
    registry
        .types
        .iter()
        .filter(|t| t.ty.path.segments.join("::") == path)
        .map(|t| t.id)
        .collect()
}

#[test]
fn versions_14_15_and_16_are_served() {
    assert_eq!(
        call("Metadata_metadata_versions", &[]),
        vec![14u32, 15, 16].encode()
    );
    // `Metadata_metadata` (so `state_getMetadata`) serves V14, as FRAME does.
    let plain = Vec::<u8>::decode(&mut &call("Metadata_metadata", &[])[..]).unwrap();
    assert_eq!(&plain[..5], b"meta\x0e");
    let out = call("Metadata_metadata_at_version", &14u32.encode());
    let v14 = Option::<Vec<u8>>::decode(&mut &out[..])
        .unwrap()
        .expect("V14 is served");
    assert_eq!(&v14[..5], b"meta\x0e");
    assert!(matches!(
        RuntimeMetadataPrefixed::decode(&mut &v14[..]).unwrap().1,
        RuntimeMetadata::V14(_)
    ));
    let out = call("Metadata_metadata_at_version", &16u32.encode());
    let v16 = Option::<Vec<u8>>::decode(&mut &out[..])
        .unwrap()
        .expect("V16 is served");
    assert!(matches!(
        RuntimeMetadataPrefixed::decode(&mut &v16[..]).unwrap().1,
        RuntimeMetadata::V16(_)
    ));
    assert_eq!(
        call("Metadata_metadata_at_version", &17u32.encode()),
        vec![0]
    );
}

#[test]
fn core_types_carry_substrate_paths() {
    let metadata = v15();
    let types = &metadata.types;
    for path in [
        "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic",
        "frame_system::EventRecord",
        "frame_system::Phase",
        "sp_runtime::multiaddress::MultiAddress",
        "sp_core::crypto::AccountId32",
        "sp_runtime::MultiSignature",
        "sp_runtime::generic::era::Era",
        "sp_weights::weight_v2::Weight",
        "folio_runtime::RuntimeCall",
        "folio_runtime::RuntimeEvent",
        "frame_system::AccountInfo",
        "pallet_balances::types::AccountData",
        "pallet_balances::pallet::Call",
        "primitive_types::H256",
    ] {
        assert_eq!(find(types, path).len(), 1, "{path} must exist exactly once");
    }
    let xt = find(
        types,
        "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic",
    )[0];
    let params: Vec<(String, String)> = types
        .resolve(xt)
        .unwrap()
        .type_params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                path_of(types, p.ty.map(|t| t.id).unwrap_or(u32::MAX)),
            )
        })
        .collect();
    assert_eq!(
        params[0],
        (
            "Address".into(),
            "sp_runtime::multiaddress::MultiAddress".into()
        )
    );
    assert_eq!(
        params[1],
        ("Call".into(), "folio_runtime::RuntimeCall".into())
    );
    assert_eq!(
        params[2],
        ("Signature".into(), "sp_runtime::MultiSignature".into())
    );
    assert_eq!(params[3].0, "Extra");
    let record = find(types, "frame_system::EventRecord")[0];
    let event_param = types.resolve(record).unwrap().type_params[0].ty.unwrap().id;
    assert_eq!(path_of(types, event_param), "folio_runtime::RuntimeEvent");
    assert_eq!(metadata.extrinsic.version, 4);
    let extensions: Vec<_> = metadata
        .extrinsic
        .signed_extensions
        .iter()
        .map(|e| e.identifier.as_str())
        .collect();
    assert_eq!(
        extensions,
        [
            "CheckNonZeroSender",
            "CheckSpecVersion",
            "CheckTxVersion",
            "CheckGenesis",
            "CheckMortality",
            "CheckNonce",
            "CheckWeight",
            "ChargeTransactionPayment",
            "CheckMetadataHash"
        ]
    );
}

#[test]
fn account_default_is_all_zero_80_bytes() {
    let metadata = v15();
    let system = metadata
        .pallets
        .iter()
        .find(|p| p.name == "System")
        .unwrap();
    let account = system
        .storage
        .as_ref()
        .unwrap()
        .entries
        .iter()
        .find(|e| e.name == "Account")
        .unwrap();
    assert_eq!(account.default, vec![0u8; 80]);
    let balances = metadata
        .pallets
        .iter()
        .find(|p| p.name == "Balances")
        .unwrap();
    let ed = balances
        .constants
        .iter()
        .find(|c| c.name == "ExistentialDeposit")
        .unwrap();
    assert_eq!(
        u128::decode(&mut &ed.value[..]).unwrap(),
        folio_runtime::UNIT / 1_000
    );
}

#[test]
fn every_pallet_item_has_docs() {
    let metadata = v15();
    for pallet in &metadata.pallets {
        assert!(!pallet.docs.is_empty(), "{} has no docs", pallet.name);
        for entry in pallet.storage.iter().flat_map(|s| &s.entries) {
            assert!(
                !entry.docs.is_empty(),
                "{}.{} has no docs",
                pallet.name,
                entry.name
            );
        }
        for variants in [
            &pallet.calls.as_ref().map(|c| c.ty.id),
            &pallet.event.as_ref().map(|e| e.ty.id),
            &pallet.error.as_ref().map(|e| e.ty.id),
        ]
        .into_iter()
        .flatten()
        .map(|id| variants_of(&metadata.types, *id))
        {
            for (name, _, docs) in variants {
                assert!(docs, "{}::{name} has no docs", pallet.name);
            }
        }
    }
}

fn variants_of(types: &PortableRegistry, id: u32) -> Vec<(String, u8, bool)> {
    match &types.resolve(id).unwrap().type_def {
        TypeDef::Variant(v) => v
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.index, !v.docs.is_empty()))
            .collect(),
        _ => Vec::new(),
    }
}

fn golden_lines(metadata: &RuntimeMetadataV15) -> Vec<String> {
    let mut lines = Vec::new();
    for pallet in &metadata.pallets {
        lines.push(format!("{} = {}", pallet.name, pallet.index));
        let kinds: [(&str, Option<u32>); 3] = [
            ("call", pallet.calls.as_ref().map(|c| c.ty.id)),
            ("event", pallet.event.as_ref().map(|e| e.ty.id)),
            ("error", pallet.error.as_ref().map(|e| e.ty.id)),
        ];
        for (kind, id) in kinds {
            for (name, index, _) in id
                .map(|id| variants_of(&metadata.types, id))
                .unwrap_or_default()
            {
                lines.push(format!("{}.{kind}.{name} = {index}", pallet.name));
            }
        }
    }
    lines
}

/// Changing an index changes the wire format: this fails until the golden file is updated on
/// purpose (`UPDATE_GOLDEN=1 cargo test -p folio-runtime --test metadata_decodes_with_substrate_type_paths`).
#[test]
fn call_event_and_error_indices_are_pinned() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/indices.txt");
    let actual = golden_lines(&v15()).join("\n") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(path).expect("golden file exists");
    assert_eq!(actual, expected);
}

#[allow(dead_code)]
fn _form(_: PortableForm) {}

/// The storage items Sidecar, polkadot-js's `derive.balances.all` and wallets read without
/// checking that they exist: present, with FRAME's types, reading as FRAME's defaults.
#[test]
fn balances_and_fee_items_tools_read_are_frames() {
    use frame_metadata::v14::{StorageEntryType, StorageHasher};
    let metadata = v15();
    let types = &metadata.types;
    let entry = |pallet: &str, name: &str| {
        metadata
            .pallets
            .iter()
            .find(|p| p.name == pallet)
            .and_then(|p| p.storage.as_ref())
            .and_then(|s| s.entries.iter().find(|e| e.name == name))
            .cloned()
            .unwrap_or_else(|| panic!("{pallet}.{name} exists"))
    };
    // `Vec<T>` (FRAME's bounded vectors encode alike): the path of `T`.
    let element_path = |id: u32| match &types.resolve(id).unwrap().type_def {
        TypeDef::Sequence(s) => path_of(types, s.type_param.id),
        other => panic!("{id} is a sequence, not {other:?}"),
    };
    for (name, element) in [
        ("Locks", "pallet_balances::types::BalanceLock"),
        ("Reserves", "pallet_balances::types::ReserveData"),
    ] {
        let item = entry("Balances", name);
        let StorageEntryType::Map {
            hashers,
            key,
            value,
        } = &item.ty
        else {
            panic!("Balances.{name} is a map")
        };
        assert_eq!(hashers, &[StorageHasher::Blake2_128Concat]);
        assert_eq!(path_of(types, key.id), "sp_core::crypto::AccountId32");
        assert_eq!(element_path(value.id), element);
        assert_eq!(item.default, vec![0], "Balances.{name} reads empty");
    }
    let inactive = entry("Balances", "InactiveIssuance");
    assert_eq!(inactive.default, 0u128.encode());
    let multiplier = entry("TransactionPayment", "NextFeeMultiplier");
    let StorageEntryType::Plain(ty) = &multiplier.ty else {
        panic!("NextFeeMultiplier is a value")
    };
    assert_eq!(
        path_of(types, ty.id),
        "sp_arithmetic::fixed_point::FixedU128"
    );
    assert_eq!(
        multiplier.default,
        1_000_000_000_000_000_000u128.encode(),
        "1.0"
    );
    assert_eq!(
        find(types, "pallet_balances::types::Reasons").len(),
        1,
        "BalanceLock's reasons"
    );
}
