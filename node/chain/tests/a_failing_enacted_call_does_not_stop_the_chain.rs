//! Governance enacts approved calls in `on_initialize`, where a failure would fail every block
//! (the task stays queued, so the next block fails the same way, even after a restart). Here
//! the council approves three calls that fail when enacted: `set_code(LOOP)` (a candidate whose
//! `Core_version` never returns), `set_code` of garbage, and a call declaring `u64::MAX` weight
//! (`sudo_unchecked_weight`, which Root may not call). Each block that enacts one is still
//! built, in bounded time, and records the failure in `Governance.Enacted`; a transfer is
//! included in the next block; and every sealed block re-executes on its parent.

mod common;

use common::{
    assert_every_block_reexecutes, dev_client, events_at, looping_runtime, nonce, signed,
};
use folio_chain::author::{self, AuthorHandle, Sealing};
use folio_chain::{Admission, Client, FastPath, Pool, PoolConfig};
use folio_pallet_governance::Event as GovernanceEvent;
use folio_pallet_support::prelude::DispatchResult;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave};
use folio_primitives::MultiAddress;
use folio_runtime::{RuntimeCall, RuntimeEvent};
use parity_scale_codec::Encode;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Chain {
    client: Arc<Client>,
    admission: Admission,
    author: AuthorHandle,
    genesis: H256,
    /// Every `Governance.Enacted` seen so far: (task, result).
    enacted: RefCell<Vec<(u32, DispatchResult)>>,
}

impl Chain {
    fn submit(&self, who: Keyring, call: RuntimeCall) {
        let xt = signed(
            self.genesis,
            folio_runtime::SPEC_VERSION,
            who,
            call,
            nonce(&self.client, who),
        );
        self.admission.submit_blocking(xt, None).expect("admitted");
    }

    /// Seals a block (asserting it took less than `bound`) and returns its events.
    fn seal(&self, bound: Duration) -> (usize, Vec<RuntimeEvent>) {
        let started = Instant::now();
        let block = self.author.seal_now().expect("sealed");
        let took = started.elapsed();
        assert!(took < bound, "sealing took {took:?}");
        let events = events_at(&self.client, block.hash);
        self.enacted
            .borrow_mut()
            .extend(events.iter().filter_map(|e| match e {
                RuntimeEvent::Governance(GovernanceEvent::Enacted { task, result }) => {
                    Some((*task, *result))
                }
                _ => None,
            }));
        (block.extrinsics, events)
    }

    /// A council motion for `call` proposed, voted by Alice and Bob and closed (three blocks).
    fn approve(&self, motion: u32, call: RuntimeCall) {
        let governance = RuntimeCall::Governance;
        use folio_pallet_governance::Call as G;
        self.submit(
            Alice,
            governance(G::propose_motion {
                threshold: 2,
                call: call.encode(),
            }),
        );
        self.seal(Duration::from_secs(5));
        for who in [Alice, Bob] {
            self.submit(
                who,
                governance(G::vote_motion {
                    motion,
                    approve: true,
                }),
            );
        }
        self.seal(Duration::from_secs(5));
        self.submit(Dave, governance(G::close_motion { motion }));
        let (_, events) = self.seal(Duration::from_secs(5));
        assert!(
            events.iter().any(|e| matches!(
                e,
                RuntimeEvent::Governance(GovernanceEvent::MotionApproved { .. })
            )),
            "motion {motion} approved: {events:?}"
        );
    }
}

fn transfer(value: u128) -> RuntimeCall {
    RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Dave.account_id()),
        value,
    })
}

fn set_code(code: Vec<u8>) -> RuntimeCall {
    RuntimeCall::System(folio_pallet_system::Call::set_code { code })
}

#[test]
fn failing_enacted_calls_are_recorded_and_every_later_block_builds() {
    let client = dev_client(FastPath::default());
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    let (author, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), author.clone()).unwrap();
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let chain = Chain {
        client: Arc::clone(&client),
        admission,
        author,
        genesis,
        enacted: RefCell::new(Vec::new()),
    };
    let code_before = client.code_at(genesis).unwrap().hash();

    let failing = [
        set_code(looping_runtime()),
        set_code(vec![1, 2, 3]),
        RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo_unchecked_weight {
            call: Box::new(RuntimeCall::System(folio_pallet_system::Call::remark {
                remark: vec![],
            })),
            weight: folio_primitives::weight::Weight::from_parts(u64::MAX, u64::MAX),
        }),
    ];
    for (motion, call) in failing.iter().enumerate() {
        chain.approve(u32::try_from(motion).unwrap(), call.clone());
    }

    // Seal until every task was enacted; Charlie keeps one transfer pending, which is
    // included unless the enacted call took the block's weight (then in a later block).
    let mut included = 0;
    let mut pending = false;
    for _ in 0..12 {
        if !pending {
            chain.submit(Charlie, transfer(1));
        }
        let (extrinsics, _) = chain.seal(Duration::from_secs(5));
        included += extrinsics - 1;
        pending = extrinsics == 1;
        if chain.enacted.borrow().len() == failing.len() && !pending {
            break;
        }
    }
    let results = chain.enacted.borrow().clone();
    assert_eq!(
        results.iter().map(|(task, _)| *task).collect::<Vec<_>>(),
        vec![0, 1, 2],
        "each task enacted once: {results:?}"
    );
    assert!(
        results[..2].iter().all(|(_, result)| result.is_err()),
        "both upgrades failed and say so: {results:?}"
    );
    assert_eq!(
        client.code_at(client.best_hash().unwrap()).unwrap().hash(),
        code_before
    );

    // The chain goes on: a later block includes a transfer, and all blocks re-execute.
    let before = nonce(&client, Charlie);
    chain.submit(Charlie, transfer(100));
    let (extrinsics, _) = chain.seal(Duration::from_secs(5));
    assert_eq!(extrinsics, 2, "timestamp and the transfer");
    assert_eq!(nonce(&client, Charlie), before + 1);
    assert!(included >= 1, "transfers were included meanwhile");

    assert_every_block_reexecutes(&client);
    chain.author.stop();
    thread.join().unwrap();
}
