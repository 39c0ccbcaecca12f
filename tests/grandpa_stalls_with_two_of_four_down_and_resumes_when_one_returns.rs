//! Four real `--chain local` validators (2 s slots) on loopback ports 27400-27499: with two
//! of them SIGKILLed the other two (half the weight, no supermajority) go on authoring but
//! finalize nothing more; when one of the killed returns (same database, same vote store)
//! finality resumes; and no two nodes ever finalized different blocks at one height.
//! Prints the stall and the time to resume.

mod common;

use common::grandpa::*;
use common::*;
use std::time::{Duration, Instant};

const P2P_BASE: u16 = 27_400;
const RPC_BASE: u16 = 27_450;

fn start(index: usize, base: &TempDir, boot: Option<&str>) -> NodeProcess {
    start_local(
        Some(NAMES[index]),
        base,
        P2P_BASE + index as u16,
        RPC_BASE + index as u16,
        boot,
        &[],
    )
}

/// The indices of the nodes running.
fn alive(nodes: &[Option<NodeProcess>]) -> Vec<usize> {
    (0..nodes.len()).filter(|i| nodes[*i].is_some()).collect()
}

fn node(nodes: &[Option<NodeProcess>], i: usize) -> &NodeProcess {
    nodes[i].as_ref().expect("a running node")
}

#[test]
fn grandpa_stalls_with_two_of_four_down_and_resumes_when_one_returns() {
    let started = Instant::now();
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let mut nodes: Vec<Option<NodeProcess>> = vec![Some(start(0, &bases[0], None))];
    for (index, base) in bases.iter().enumerate().skip(1) {
        let boots = boot_list(nodes.iter().flatten());
        nodes.push(Some(start(index, base, Some(&boots))));
    }
    node(&nodes, 0).wait_until("GRANDPA finalizes", Duration::from_secs(25), |n| {
        finalized_number(n) >= 2
    });

    // Charlie and Dave are SIGKILLed: Alice and Bob hold 2 of 4 weight, below the 3 needed.
    for index in [3, 2] {
        if let Some(killed) = nodes[index].take() {
            killed.kill();
        }
    }
    // A round already under way may still complete with the votes in flight.
    std::thread::sleep(Duration::from_secs(3));
    let stalled_at = finalized_number(node(&nodes, 0));
    let best_at = node(&nodes, 0).best_number();
    let watch = Instant::now();
    while watch.elapsed() < Duration::from_secs(10) {
        for i in alive(&nodes) {
            let finalized = finalized_number(node(&nodes, i));
            assert!(
                finalized <= stalled_at,
                "node {i} finalized #{finalized} past #{stalled_at} with 2 of 4 voters"
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let best_stalled = node(&nodes, 0).best_number();
    assert!(
        best_stalled >= best_at + 2,
        "blocks go on with two validators: best #{best_at} -> #{best_stalled}"
    );
    assert_no_conflicting_finality(&[node(&nodes, 0), node(&nodes, 1)]);

    // Charlie comes back on its own database and vote store: 3 of 4 again.
    let boots = boot_list(alive(&nodes).into_iter().map(|i| node(&nodes, i)));
    let returned = Instant::now();
    nodes[2] = Some(start(2, &bases[2], Some(&boots)));
    node(&nodes, 0).wait_until(
        "finality resumes with 3 of 4",
        Duration::from_secs(25),
        |n| finalized_number(n) > stalled_at,
    );
    let resumed_after = returned.elapsed();
    let resumed_at = finalized_number(node(&nodes, 0));
    for i in alive(&nodes) {
        node(&nodes, i).wait_until("every running node follows", Duration::from_secs(10), |n| {
            finalized_number(n) >= resumed_at
        });
    }
    let running: Vec<&NodeProcess> = alive(&nodes).into_iter().map(|i| node(&nodes, i)).collect();
    assert_no_conflicting_finality(&running);
    println!(
        "2 of 4 down: finalized stayed at #{stalled_at} while best went #{best_at} -> #{best_stalled}; \
         finality resumed (#{resumed_at}) {} ms after the third validator started; whole test {} s",
        resumed_after.as_millis(),
        started.elapsed().as_secs()
    );
}
