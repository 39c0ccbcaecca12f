//! A forkless runtime upgrade through governance, on a running chain (one client, no restart):
//! transfers flow on v1; a council motion to `authorize_upgrade(hash of v2)` passes and the
//! scheduler enacts it after the delay; anyone supplies the code; the next block runs v2 (a
//! lower base fee, spec 101), whose migration ran exactly once; a candidate with a lower
//! spec_version is refused; and re-importing every block into a fresh node reproduces the
//! state, each block executed with the code of its parent.

mod common;

use common::{dev_storage, signed};
use folio_chain::author::{self, Sealing};
use folio_chain::{Admission, AuthorHandle, Client, Pool, PoolConfig};
use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Block;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use folio_primitives::MultiAddress;
use folio_runtime::{RuntimeCall, RuntimeEvent};
use folio_storage::Database;
use parity_scale_codec::{Decode, Encode};
use std::sync::Arc;

/// The node's chain parts (the binary's RPC adapter holds the same).
#[allow(dead_code)]
struct Node {
    client: Arc<Client>,
    pool: Arc<Pool>,
    author: AuthorHandle,
    admission: Admission,
}

struct TestChain {
    node: Node,
    spec_version: u32,
}

impl TestChain {
    fn start() -> Self {
        let executor = Executor::new(ExecutorConfig::default()).unwrap();
        let storage = dev_storage(&executor);
        let client =
            Arc::new(Client::new(Database::open_temporary().unwrap(), executor, storage).unwrap());
        let pool = Arc::new(Pool::new(PoolConfig::default()));
        let (handle, _thread) =
            author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
        Self {
            node: Node {
                admission: Admission::start(Arc::clone(&client), Arc::clone(&pool), handle.clone())
                    .unwrap(),
                client,
                pool,
                author: handle,
            },
            spec_version: folio_runtime::SPEC_VERSION,
        }
    }

    fn genesis(&self) -> H256 {
        self.node.client.db().genesis_hash().unwrap().unwrap()
    }

    fn nonce(&self, who: Keyring) -> u32 {
        let best = self.node.client.best_hash().unwrap();
        let raw = self
            .node
            .client
            .call_at(
                best,
                "AccountNonceApi_account_nonce",
                &who.account_id().encode(),
            )
            .unwrap();
        u32::decode(&mut &raw[..]).unwrap()
    }

    fn free(&self, who: Keyring) -> u128 {
        let best = self.node.client.best_hash().unwrap();
        let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
        key.extend(folio_primitives::crypto::native::twox_128(b"Account"));
        key.extend(folio_primitives::crypto::native::blake2_128(
            &who.account_id().0,
        ));
        key.extend(who.account_id().0);
        let raw = self
            .node
            .client
            .db()
            .state_at(&best)
            .unwrap()
            .try_get(&key)
            .unwrap()
            .unwrap();
        u128::from_le_bytes(raw[16..32].try_into().unwrap())
    }

    /// Signs `call` by `who` (next nonce, against the runtime version now running) and pools it.
    fn submit(&self, who: Keyring, call: RuntimeCall) {
        let xt = signed(
            self.genesis(),
            self.spec_version,
            who,
            call,
            self.nonce(who),
        );
        self.node
            .admission
            .submit_blocking(xt, None)
            .expect("pool accepts it");
    }

    /// Seals one block and returns its events.
    fn seal(&self) -> Vec<RuntimeEvent> {
        let block = self.node.author.seal_now().expect("sealed");
        let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
        key.extend(folio_primitives::crypto::native::twox_128(b"Events"));
        let raw = self
            .node
            .client
            .db()
            .state_at(&block.hash)
            .unwrap()
            .try_get(&key)
            .unwrap()
            .unwrap_or_default();
        Vec::<folio_pallet_support::events::EventRecord<RuntimeEvent>>::decode(&mut &raw[..])
            .expect("events decode")
            .into_iter()
            .map(|r| r.event)
            .collect()
    }

    fn version(&self) -> u32 {
        let best = self.node.client.best_hash().unwrap();
        self.node
            .client
            .runtime_version_at(best)
            .unwrap()
            .spec_version
    }

    fn blocks(&self) -> Vec<Block<OpaqueExtrinsic>> {
        let db = self.node.client.db();
        let best = db.best().unwrap().number;
        (1..=best)
            .map(|n| {
                let hash = db.hash_by_number(n).unwrap().unwrap();
                Block {
                    header: db.header(&hash).unwrap().unwrap(),
                    extrinsics: db.body(&hash).unwrap().unwrap(),
                }
            })
            .collect()
    }
}

fn transfer(to: Keyring, value: u128) -> RuntimeCall {
    RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(to.account_id()),
        value,
    })
}

fn authorize(code: &[u8]) -> RuntimeCall {
    RuntimeCall::System(folio_pallet_system::Call::authorize_upgrade {
        code_hash: H256(folio_primitives::crypto::native::blake2_256(code)),
    })
}

fn governance(call: folio_pallet_governance::Call) -> RuntimeCall {
    RuntimeCall::Governance(call)
}

fn failed(events: &[RuntimeEvent]) -> bool {
    events.iter().any(|e| {
        matches!(
            e,
            RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed { .. })
        )
    })
}

/// Every pallet's invariants at the best block, through the runtime's `FolioInvariants_check`.
fn assert_invariants_hold(chain: &TestChain, when: &str) {
    let best = chain.node.client.best_hash().unwrap();
    let raw = chain
        .node
        .client
        .call_at(best, "FolioInvariants_check", &[])
        .unwrap();
    let checks = Vec::<(String, Option<(String, [u128; 2])>)>::decode(&mut &raw[..]).unwrap();
    assert!(checks.len() >= 6, "every pallet is checked: {checks:?}");
    for (pallet, violation) in checks {
        assert_eq!(violation, None, "{pallet} invariant broken {when}");
    }
}

fn balances_storage_version(chain: &TestChain) -> u16 {
    let best = chain.node.client.best_hash().unwrap();
    let mut key = folio_primitives::crypto::native::twox_128(b"Balances").to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(
        b":__STORAGE_VERSION__:",
    ));
    let raw = chain
        .node
        .client
        .db()
        .state_at(&best)
        .unwrap()
        .try_get(&key)
        .unwrap()
        .unwrap_or_default();
    u16::decode(&mut &raw[..]).unwrap_or(0)
}

#[test]
fn runtime_upgrade_through_governance_without_restart() {
    let v1 = folio_runtime::WASM_BINARY.expect("v1 built").to_vec();
    let v2 = folio_runtime::WASM_BINARY_UPGRADE_TEST
        .expect("v2 built")
        .to_vec();
    let mut chain = TestChain::start();
    assert_eq!(chain.version(), 100);

    // Transfers flow on v1; remember what one costs.
    let before = chain.free(Alice);
    chain.submit(Alice, transfer(Bob, 1_000));
    assert!(!failed(&chain.seal()));
    let fee_v1 = before - chain.free(Alice) - 1_000;

    // A council motion authorizes the upgrade; the scheduler enacts it after the delay.
    chain.submit(
        Alice,
        governance(folio_pallet_governance::Call::propose_motion {
            threshold: 2,
            call: authorize(&v2).encode(),
        }),
    );
    assert!(!failed(&chain.seal()));
    chain.submit(
        Alice,
        governance(folio_pallet_governance::Call::vote_motion {
            motion: 0,
            approve: true,
        }),
    );
    chain.submit(
        Bob,
        governance(folio_pallet_governance::Call::vote_motion {
            motion: 0,
            approve: true,
        }),
    );
    assert!(!failed(&chain.seal()));
    chain.submit(
        Dave,
        governance(folio_pallet_governance::Call::close_motion { motion: 0 }),
    );
    let events = chain.seal();
    assert!(
        events.iter().any(|e| matches!(
            e,
            RuntimeEvent::Governance(folio_pallet_governance::Event::MotionApproved { .. })
        )),
        "{events:?}"
    );
    let mut authorized = false;
    for _ in 0..6 {
        chain.submit(Charlie, transfer(Bob, 1));
        let events = chain.seal();
        if events.iter().any(|e| {
            matches!(
                e,
                RuntimeEvent::System(folio_pallet_system::Event::UpgradeAuthorized { .. })
            )
        }) {
            authorized = true;
            break;
        }
    }
    assert!(authorized, "the scheduler enacted the approved motion");
    assert_invariants_hold(&chain, "before the upgrade");
    assert_eq!(chain.version(), 100, "authorizing does not change the code");

    // Anyone supplies the code; from the next block the chain runs v2 without a restart.
    chain.submit(
        Eve,
        RuntimeCall::System(folio_pallet_system::Call::apply_authorized_upgrade {
            code: v2.clone(),
        }),
    );
    let events = chain.seal();
    assert!(
        events.contains(&RuntimeEvent::System(
            folio_pallet_system::Event::CodeUpdated
        )),
        "{events:?}"
    );
    assert_eq!(chain.version(), 101);
    assert_eq!(
        balances_storage_version(&chain),
        0,
        "migrations run in the first block under new code"
    );
    chain.spec_version = 101;

    let before = chain.free(Alice);
    chain.submit(Alice, transfer(Bob, 1_000));
    assert!(!failed(&chain.seal()));
    let fee_v2 = before - chain.free(Alice) - 1_000;
    assert!(fee_v2 < fee_v1, "v2's lower base fee: {fee_v2} vs {fee_v1}");
    assert_eq!(balances_storage_version(&chain), 1, "the migration ran");
    chain.submit(Alice, transfer(Bob, 1_000));
    chain.seal();
    assert_eq!(balances_storage_version(&chain), 1, "and ran once");
    assert_invariants_hold(&chain, "after the upgrade");

    // A candidate with a lower spec_version is refused even when authorized.
    chain.submit(
        Alice,
        RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
            call: Box::new(authorize(&v1)),
        }),
    );
    chain.seal();
    chain.submit(
        Eve,
        RuntimeCall::System(folio_pallet_system::Call::apply_authorized_upgrade {
            code: v1.clone(),
        }),
    );
    assert!(failed(&chain.seal()), "downgrade refused");
    assert_eq!(chain.version(), 101);

    // Every block re-imports into a fresh node, each executed with its parent's code.
    let blocks = chain.blocks();
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let storage = dev_storage(&executor);
    let fresh = Client::new(Database::open_temporary().unwrap(), executor, storage).unwrap();
    for block in blocks {
        let number = block.header.number;
        fresh
            .import_block(block)
            .unwrap_or_else(|e| panic!("block {number} re-imports: {e}"));
    }
    assert_eq!(
        fresh.best_header().unwrap(),
        chain.node.client.best_header().unwrap()
    );
}
