//! The runtime's genesis config (JSON, as chain specs carry it) and its presets.

use crate::*;
use alloc::{format, string::String, vec::Vec};
use folio_primitives::dev::ACCOUNTS as DEV_ACCOUNTS;

/// System takes no configuration; the section exists so specs can name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemGenesis {}

/// The whole genesis config: `{"system": {}, "balances": {"balances": [[address, amount]]}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeGenesisConfig {
    #[serde(default)]
    pub system: SystemGenesis,
    #[serde(default)]
    pub aura: folio_pallet_aura::GenesisConfig,
    #[serde(default)]
    pub grandpa: folio_pallet_grandpa::GenesisConfig,
    #[serde(default)]
    pub balances: folio_pallet_currency::GenesisConfig,
    #[serde(default)]
    pub sudo: folio_pallet_sudo::GenesisConfig,
    #[serde(default)]
    pub governance: folio_pallet_governance::GenesisConfig,
    #[serde(default)]
    pub crowdfunding: folio_pallet_crowdfunding::GenesisConfig,
    #[serde(default)]
    pub invoices: folio_pallet_einvoice::GenesisConfig,
    #[serde(default)]
    pub bills: folio_pallet_bills::GenesisConfig,
}

/// Preset names, as `GenesisBuilder_preset_names` lists them.
pub const PRESETS: [&str; 2] = ["development", "local_testnet"];

/// The slot of `--chain local`, in milliseconds.
pub const LOCAL_SLOT_DURATION: Moment = 2_000;

/// The ed25519 finality (`gran`) keys of //Alice, //Bob, //Charlie and //Dave, derived as
/// Substrate derives them (checked against the keyring in this module's tests).
pub const LOCAL_GRANDPA_KEYS: [[u8; 32]; 4] = [
    [
        0x88, 0xdc, 0x34, 0x17, 0xd5, 0x05, 0x8e, 0xc4, 0xb4, 0x50, 0x3e, 0x0c, 0x12, 0xea, 0x1a,
        0x0a, 0x89, 0xbe, 0x20, 0x0f, 0xe9, 0x89, 0x22, 0x42, 0x3d, 0x43, 0x34, 0x01, 0x4f, 0xa6,
        0xb0, 0xee,
    ],
    [
        0xd1, 0x7c, 0x2d, 0x78, 0x23, 0xeb, 0xf2, 0x60, 0xfd, 0x13, 0x8f, 0x2d, 0x7e, 0x27, 0xd1,
        0x14, 0xc0, 0x14, 0x5d, 0x96, 0x8b, 0x5f, 0xf5, 0x00, 0x61, 0x25, 0xf2, 0x41, 0x4f, 0xad,
        0xae, 0x69,
    ],
    [
        0x43, 0x96, 0x60, 0xb3, 0x6c, 0x6c, 0x03, 0xaf, 0xaf, 0xca, 0x02, 0x7b, 0x91, 0x0b, 0x4f,
        0xec, 0xf9, 0x98, 0x01, 0x83, 0x4c, 0x62, 0xa5, 0xe6, 0x00, 0x6f, 0x27, 0xd9, 0x78, 0xde,
        0x23, 0x4f,
    ],
    [
        0x5e, 0x63, 0x9b, 0x43, 0xe0, 0x05, 0x2c, 0x47, 0x44, 0x7d, 0xac, 0x87, 0xd6, 0xfd, 0x2b,
        0x6e, 0xc5, 0x0b, 0xdd, 0x4d, 0x0f, 0x61, 0x4e, 0x42, 0x99, 0xc6, 0x65, 0x24, 0x9b, 0xbd,
        0x09, 0xd9,
    ],
];

/// What every dev account gets: a million UNIT.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The config of a preset, or the default (empty) config for `None`.
pub fn preset_config(id: Option<&[u8]>) -> Option<RuntimeGenesisConfig> {
    let endowed = |accounts: &[[u8; 32]]| RuntimeGenesisConfig {
        system: SystemGenesis {},
        balances: folio_pallet_currency::GenesisConfig {
            balances: accounts
                .iter()
                .map(|a| (AccountId::new(*a), DEV_ENDOWMENT))
                .collect(),
        },
        // Alice holds sudo on dev chains; governance can remove it.
        sudo: folio_pallet_sudo::GenesisConfig {
            key: Some(AccountId::new(folio_primitives::dev::ALICE)),
        },
        // The council: Alice, Bob and Charlie (of those endowed).
        governance: folio_pallet_governance::GenesisConfig {
            members: accounts
                .iter()
                .take(3)
                .map(|a| AccountId::new(*a))
                .collect(),
        },
        ..RuntimeGenesisConfig::default()
    };
    match id {
        None => Some(RuntimeGenesisConfig::default()),
        Some(b"development") => Some(endowed(&DEV_ACCOUNTS)),
        // The dev chain has no authorities: it seals on demand. The local testnet's validators
        // are Alice, Bob, Charlie and Dave, each endowed, taking 2 s slots in turn.
        Some(b"local_testnet") => {
            let validators = DEV_ACCOUNTS.get(..4).unwrap_or(&[]);
            let mut config = endowed(validators);
            config.aura = folio_pallet_aura::GenesisConfig {
                authorities: validators.iter().map(|a| AccountId::new(*a)).collect(),
                slot_duration: LOCAL_SLOT_DURATION,
            };
            config.grandpa = folio_pallet_grandpa::GenesisConfig {
                authorities: LOCAL_GRANDPA_KEYS
                    .iter()
                    .map(|key| (AccountId::new(*key), 1))
                    .collect(),
            };
            Some(config)
        }
        Some(_) => None,
    }
}

/// The JSON of a preset (`GenesisBuilder_get_preset`).
pub fn preset(id: Option<&[u8]>) -> Option<Vec<u8>> {
    preset_config(id).and_then(|config| serde_json::to_vec(&config).ok())
}

/// Builds the genesis state from a JSON config into the current externalities
/// (`GenesisBuilder_build_state`). Nothing is written if the config is refused.
pub fn build_state(json: &[u8]) -> Result<(), String> {
    let config: RuntimeGenesisConfig =
        serde_json::from_slice(json).map_err(|e| format!("invalid genesis config: {e}"))?;
    build(&config)
}

/// Builds the genesis state from a config; a refused config writes nothing.
pub fn build(config: &RuntimeGenesisConfig) -> Result<(), String> {
    folio_pallet_support::transactional::with_storage_layer(|| build_pallets(config))
}

fn build_pallets(config: &RuntimeGenesisConfig) -> Result<(), String> {
    folio_pallet_system::GenesisConfig.build::<Runtime>();
    crate::migrations::write_current_versions();
    config
        .aura
        .build::<Runtime>()
        .map_err(|e| format!("invalid aura genesis: {e:?}"))?;
    config
        .grandpa
        .build::<Runtime>()
        .map_err(|e| format!("invalid grandpa genesis: {e:?}"))?;
    config
        .balances
        .build::<Runtime>()
        .map_err(|e| format!("invalid balances genesis: {e:?}"))?;
    config.sudo.build::<Runtime>();
    config
        .governance
        .build::<Runtime>()
        .map_err(|e| format!("invalid governance genesis: {e:?}"))?;
    config
        .crowdfunding
        .build::<Runtime>()
        .map_err(|e| format!("invalid crowdfunding genesis: {e:?}"))?;
    config
        .invoices
        .build::<Runtime>()
        .map_err(|e| format!("invalid invoices genesis: {e:?}"))?;
    config
        .bills
        .build::<Runtime>()
        .map_err(|e| format!("invalid bills genesis: {e:?}"))?;
    // Genesis has no block: the events of building it are not kept (as in FRAME).
    folio_pallet_support::events::reset_events();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::keyring::Ed25519Pair;

    #[test]
    fn local_grandpa_keys_are_the_dev_ed25519_derivations() {
        for (name, key) in ["Alice", "Bob", "Charlie", "Dave"]
            .iter()
            .zip(LOCAL_GRANDPA_KEYS)
        {
            let pair = Ed25519Pair::from_uri(&format!("//{name}")).unwrap();
            assert_eq!(hex::encode(pair.public()), hex::encode(key), "{name}");
        }
    }
}
