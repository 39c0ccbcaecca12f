//! The load every throughput benchmark uses (DESIGN.md §9, the sTPS rules): a genesis with many
//! pre-funded accounts, and `Balances.transfer_keep_alive` transactions pre-signed before any
//! clock starts, each from its own untouched sender to an existing account.

use anyhow::Context;
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Sr25519Pair;
use folio_primitives::{AccountId32, MultiAddress};
use folio_runtime::genesis::RuntimeGenesisConfig;
use folio_runtime::signing::sign_immortal;
use folio_runtime::{RuntimeCall, UNIT};
use parity_scale_codec::Encode;
use std::collections::BTreeMap;

/// What each benchmark account holds at genesis.
const ENDOWMENT: u128 = 1_000 * UNIT;
/// What each transfer moves.
const TRANSFER: u128 = UNIT;

/// A genesis with `accounts` funded accounts, the first `senders` of which can sign.
pub struct Load {
    pub config: RuntimeGenesisConfig,
    pub storage: BTreeMap<Vec<u8>, Vec<u8>>,
    pub genesis_hash: H256,
    senders: Vec<Sr25519Pair>,
    recipients: Vec<AccountId32>,
}

fn sender_key(index: u32) -> anyhow::Result<Sr25519Pair> {
    let seed = blake2_256(&(b"folio/benchmark/sender", index).encode());
    Sr25519Pair::from_seed(&seed).map_err(|e| anyhow::anyhow!("sender key {index}: {e:?}"))
}

fn plain_account(index: u32) -> AccountId32 {
    AccountId32(blake2_256(&(b"folio/benchmark/account", index).encode()))
}

/// Runs `f` over `0..count` on every core, keeping the order.
fn parallel_map<T: Send>(
    count: u32,
    f: impl Fn(u32) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let per_thread = count.div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let parts: Vec<_> = (0..threads)
            .map(|t| {
                let start = t.saturating_mul(per_thread).min(count);
                let end = start.saturating_add(per_thread).min(count);
                scope.spawn(move || (start..end).map(f).collect::<anyhow::Result<Vec<T>>>())
            })
            .collect();
        let mut all = Vec::with_capacity(count as usize);
        for part in parts {
            let part = part
                .join()
                .map_err(|_| anyhow::anyhow!("a load-generator thread panicked"))??;
            all.extend(part);
        }
        Ok(all)
    })
}

impl Load {
    /// The dev genesis plus `accounts` funded accounts (at least `senders` of them) whose
    /// first `senders` have keys.
    pub fn new(accounts: u32, senders: u32) -> anyhow::Result<Self> {
        let accounts = accounts.max(senders).max(2);
        let senders = parallel_map(senders, sender_key)?;
        let sender_ids: Vec<AccountId32> = senders.iter().map(Sr25519Pair::account_id).collect();
        let others = accounts.saturating_sub(sender_ids.len() as u32);
        let others = parallel_map(others, |i| Ok(plain_account(i)))?;
        let mut config = folio_runtime::genesis::preset_config(Some(b"development"))
            .context("the development preset exists")?;
        config
            .balances
            .balances
            .extend(sender_ids.iter().chain(&others).map(|id| (*id, ENDOWMENT)));
        let storage = build_genesis(&config)?;
        let genesis_hash = folio_chain::chain_spec::genesis_header(&storage).hash();
        // Recipients: existing accounts, senders' included (receiving leaves a nonce alone).
        let recipients = if others.is_empty() {
            sender_ids
        } else {
            others
        };
        Ok(Self {
            config,
            storage,
            genesis_hash,
            senders,
            recipients,
        })
    }

    /// Accounts with a balance at genesis.
    pub fn accounts(&self) -> usize {
        self.config.balances.balances.len()
    }

    /// One signed transfer per sender, signed on every core: sender `i` pays an existing
    /// account picked by a fixed stride.
    pub fn transfers(&self) -> anyhow::Result<Vec<OpaqueExtrinsic>> {
        let count = u32::try_from(self.senders.len()).context("too many senders")?;
        parallel_map(count, |i| self.transfer(i, 0))
    }

    /// Sender `sender`'s transfer with `nonce`, to an existing account picked by a fixed stride.
    pub fn transfer(&self, sender: u32, nonce: u32) -> anyhow::Result<OpaqueExtrinsic> {
        let from = self
            .senders
            .get(sender as usize)
            .context("a sender per transfer")?;
        let to = *self
            .recipients
            .get((sender as usize).wrapping_mul(7_919) % self.recipients.len().max(1))
            .context("at least one recipient")?;
        let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
            dest: MultiAddress::Id(to),
            value: TRANSFER,
        });
        let xt = sign_immortal(
            from,
            call,
            nonce,
            self.genesis_hash,
            folio_runtime::SPEC_VERSION,
        );
        OpaqueExtrinsic::from_bytes(&xt.encode()).context("a signed transfer decodes")
    }

    /// Sender `sender`'s transfers with nonces `nonces`, signed on every core.
    pub fn transfers_with_nonces(
        &self,
        sender: u32,
        nonces: std::ops::Range<u32>,
    ) -> anyhow::Result<Vec<OpaqueExtrinsic>> {
        let count = nonces.end.saturating_sub(nonces.start);
        parallel_map(count, |i| {
            self.transfer(sender, nonces.start.saturating_add(i))
        })
    }
}

/// Builds the genesis state of `config` natively with this node's runtime (as `--dev` does).
pub fn build_genesis(config: &RuntimeGenesisConfig) -> anyhow::Result<BTreeMap<Vec<u8>, Vec<u8>>> {
    let code = folio_runtime::WASM_BINARY
        .context("this folio-node was built with SKIP_WASM_BUILD: it has no wasm runtime")?;
    let mut ext = folio_primitives::externalities::TestExternalities::default();
    ext.execute_with(|| {
        folio_primitives::io::storage_set(folio_primitives::storage::CODE, code);
        folio_runtime::genesis::build(config)
    })
    .map_err(anyhow::Error::msg)?;
    ext.commit_all();
    Ok(ext.backend.0)
}
