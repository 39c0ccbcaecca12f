//! //Alice (sudo on a dev chain) submits `sudo(system.set_code(NEWER))`, NEWER a wasm that
//! declares a newer version of this runtime in its `runtime_version` section but uses a
//! post-MVP instruction (sign extension), which Substrate hosts and Folio's executor refuse.
//! The candidate's version used to be read from the section alone: the upgrade was enacted and
//! the next block could not be executed, so the chain stopped. Now a declared version counts
//! only for code the executor accepts: the upgrade fails as any failed call does, and the chain
//! goes on with its old runtime.

mod common;

use common::{assert_every_block_reexecutes, dev_client, events_at, nonce, signed};
use folio_chain::author::{self, Sealing};
use folio_chain::{Admission, FastPath, Pool, PoolConfig};
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie};
use folio_primitives::MultiAddress;
use folio_runtime::{RuntimeCall, RuntimeEvent};
use parity_scale_codec::Encode;
use std::sync::Arc;

/// A wasm that would pass for the next version of the runtime, but uses `i32.extend8_s`.
fn post_mvp_candidate(version: &[u8]) -> Vec<u8> {
    let mut code = wat::parse_str(
        r#"(module
          (memory (export "memory") 2)
          (func (export "folio_alloc") (param i32) (result i32)
            (i32.extend8_s (i32.const 1024)))
          (func (export "Core_version") (param i32 i32) (result i64) (i64.const 0)))"#,
    )
    .expect("valid wat");
    let name = b"runtime_version";
    let mut payload = vec![u8::try_from(name.len()).unwrap()];
    payload.extend(name);
    payload.extend(version);
    code.push(0); // custom section
    let mut len = u32::try_from(payload.len()).unwrap();
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            code.push(byte);
            break;
        }
        code.push(byte | 0x80);
    }
    code.extend(payload);
    code
}

#[test]
fn an_upgrade_to_post_mvp_code_is_refused_and_the_chain_goes_on() {
    let client = dev_client(FastPath::default());
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    let (author, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), author.clone()).unwrap();
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let code_before = client.code_at(genesis).unwrap().hash();

    let mut newer = client.runtime_version_at(genesis).unwrap();
    newer.spec_version += 1;
    let candidate = post_mvp_candidate(&newer.encode());
    let executor = folio_executor::Executor::new(Default::default()).unwrap();
    match executor.runtime_version(&candidate) {
        Err(folio_executor::ExecutorError::Compile(message)) => assert!(
            message.contains("sign extension"),
            "the error names the feature: {message}"
        ),
        other => panic!("the candidate's declared version was trusted: {other:?}"),
    }

    let upgrade = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::System(folio_pallet_system::Call::set_code {
            code: candidate,
        })),
    });
    let xt = signed(genesis, folio_runtime::SPEC_VERSION, Alice, upgrade, 0);
    admission.submit_blocking(xt, None).expect("admitted");
    let block = author.seal_now().expect("sealed");
    assert_eq!(block.extrinsics, 2, "timestamp and Alice's failed upgrade");
    assert!(!block.code_changed, "the post-MVP code was enacted");
    assert_eq!(client.code_at(block.hash).unwrap().hash(), code_before);
    let events = events_at(&client, block.hash);
    assert!(
        events.iter().any(|e| matches!(
            e,
            RuntimeEvent::Sudo(folio_pallet_sudo::Event::Sudid {
                sudo_result: Err(_)
            })
        )),
        "the upgrade failed: {events:?}"
    );

    // The chain goes on with its old runtime.
    let transfer = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Charlie.account_id()),
        value: 1,
    });
    let xt = signed(genesis, folio_runtime::SPEC_VERSION, Bob, transfer, 0);
    admission.submit_blocking(xt, None).expect("admitted");
    let block = author.seal_now().expect("sealed");
    assert_eq!(block.extrinsics, 2);
    assert_eq!(nonce(&client, Bob), 1);

    assert_every_block_reexecutes(&client);
    author.stop();
    thread.join().unwrap();
}
