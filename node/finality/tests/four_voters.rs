//! Four GRANDPA voters in one process, over an in-memory gossip network, each with its own
//! in-memory chain: finality follows the best block, goes on with 3 of 4, stalls with 2 of 4
//! and resumes when a third returns, never finalizes two conflicting blocks, a voter crashed
//! between its prevote and its precommit does not equivocate when restarted, and a
//! justification with a forged signature is refused.

use finality_grandpa::voter_set::VoterSet;
use folio_finality::backend::FinalityBackend;
use folio_finality::memory::{MemoryChain, MemoryNetwork};
use folio_finality::messages::{GossipMessage, Message};
use folio_finality::store::{CompletedRound, MemoryVoteStore, VoteStore, VoterState};
use folio_finality::voter::{run, VoterParams};
use folio_finality::{AuthorityId, FinalityError, GrandpaJustification, Hash, RoundNumber, SetId};
use folio_primitives::keyring::Ed25519Pair;
use futures::channel::oneshot;
use parity_scale_codec::{Decode, Encode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["Alice", "Bob", "Charlie", "Dave"];
const GOSSIP: Duration = Duration::from_millis(40);

fn pair(i: usize) -> Ed25519Pair {
    Ed25519Pair::from_uri(&format!("//{}", NAMES[i])).unwrap()
}

fn authorities() -> Vec<(AuthorityId, u64)> {
    (0..4).map(|i| (AuthorityId(pair(i).public()), 1)).collect()
}

/// A store that fails once, right after it persisted the first prevote of a round at or after
/// `crash_round`: the voter stops with the vote stored and never sent (a crash at the worst
/// moment).
struct CrashingStore {
    inner: Arc<MemoryVoteStore>,
    crash_round: RoundNumber,
    crashed: AtomicBool,
}

impl VoteStore for CrashingStore {
    fn record_vote(
        &self,
        set_id: SetId,
        round: RoundNumber,
        message: Message,
    ) -> Result<Message, FinalityError> {
        let vote = self.inner.record_vote(set_id, round, message)?;
        if round >= self.crash_round
            && matches!(vote, Message::Prevote(_))
            && !self.crashed.swap(true, Ordering::SeqCst)
        {
            return Err(FinalityError::Store("crash".into()));
        }
        Ok(vote)
    }
    fn record_completed(&self, set_id: SetId, round: CompletedRound) -> Result<(), FinalityError> {
        self.inner.record_completed(set_id, round)
    }
    fn state(&self) -> VoterState {
        self.inner.state()
    }
}

struct Running {
    stop: oneshot::Sender<()>,
    thread: JoinHandle<Result<(), FinalityError>>,
}

struct Net {
    network: MemoryNetwork,
    chains: Vec<MemoryChain>,
    stores: Vec<Arc<MemoryVoteStore>>,
    running: Vec<Option<Running>>,
}

impl Net {
    fn new() -> Self {
        let first = MemoryChain::new();
        let genesis = first.header(first.genesis()).unwrap();
        let chains: Vec<MemoryChain> = std::iter::once(first)
            .chain((1..4).map(|_| {
                let chain = MemoryChain::new();
                chain.import(genesis.clone());
                chain
            }))
            .collect();
        Self {
            network: MemoryNetwork::default(),
            chains,
            stores: (0..4)
                .map(|_| Arc::new(MemoryVoteStore::default()))
                .collect(),
            running: (0..4).map(|_| None).collect(),
        }
    }

    fn start_with<S: VoteStore>(&mut self, i: usize, store: Arc<S>) {
        let params = VoterParams {
            backend: Arc::new(self.chains[i].clone()),
            network: Arc::new(self.network.node(i)),
            store,
            key: Some(pair(i)),
            set_id: 0,
            authorities: authorities(),
            gossip_duration: GOSSIP,
            report: None,
            authority_set: None,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            futures::executor::block_on(async move {
                let voter = Box::pin(run(params));
                match futures::future::select(voter, stopped).await {
                    futures::future::Either::Left((result, _)) => result,
                    futures::future::Either::Right(_) => Ok(()),
                }
            })
        });
        self.running[i] = Some(Running { stop, thread });
    }

    fn start(&mut self, i: usize) {
        let store = self.stores[i].clone();
        self.start_with(i, store);
    }

    /// Stops voter `i` as a crash would: its future is dropped wherever it is.
    fn kill(&mut self, i: usize) -> Result<(), FinalityError> {
        let running = self.running[i].take().expect("running");
        let _ = running.stop.send(());
        running.thread.join().expect("voter thread")
    }

    /// Adds a block on top of node 0's best to every chain and makes it best everywhere.
    fn grow(&self) -> Hash {
        let parent = self.chains[0].best_header().hash();
        self.grow_on(parent, 0, &[0, 1, 2, 3])
    }

    /// Adds a child of `parent` to the chains of `nodes`, best there.
    fn grow_on(&self, parent: Hash, fork: u8, nodes: &[usize]) -> Hash {
        let hash = self.chains[0].push(parent, fork);
        let header = self.chains[0].header(hash).unwrap();
        for &n in nodes {
            self.chains[n].import(header.clone());
            self.chains[n].set_best(hash);
        }
        hash
    }

    /// Every node learns every block any node has (a sync), best unchanged.
    fn share_all_blocks(&self) {
        // Node 0 makes every block (`grow_on`), so it holds them all.
        for chain in &self.chains[1..] {
            for header in self.chains[0].headers() {
                chain.import(header);
            }
        }
    }

    fn finalized(&self, i: usize) -> u32 {
        self.chains[i].finalized().1
    }

    /// Grows the chain every `every` until `done` or `timeout`; whether `done` held.
    fn grow_until(&self, every: Duration, timeout: Duration, done: impl Fn(&Self) -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if done(self) {
                return true;
            }
            self.grow();
            std::thread::sleep(every);
        }
        done(self)
    }

    /// Each node's best and finalized numbers, completed round and whether its voter stopped.
    fn report(&self) -> String {
        (0..4)
            .map(|i| {
                format!(
                    "node {i}: best {} finalized {} round {:?} stopped {:?}; ",
                    self.chains[i].best_header().number,
                    self.finalized(i),
                    self.stores[i].state().completed.map(|c| c.round),
                    self.running[i].as_ref().map(|r| r.thread.is_finished()),
                )
            })
            .collect()
    }

    fn stop_all(&mut self) {
        for i in 0..4 {
            if self.running[i].is_some() {
                let _ = self.kill(i);
            }
        }
    }

    /// No two nodes ever finalized conflicting blocks: every block any node finalized is on
    /// one chain.
    fn assert_no_conflicting_finality(&self) {
        let mut all: Vec<Hash> = Vec::new();
        for chain in &self.chains {
            all.extend(chain.finalized_log().into_iter().map(|(hash, _)| hash));
        }
        let judge = &self.chains[0];
        for chain in &self.chains[1..] {
            for (hash, _) in chain.finalized_log() {
                judge.import(chain.header(hash).unwrap());
            }
        }
        for a in &all {
            for b in &all {
                assert!(
                    judge.is_ancestor(*a, *b) || judge.is_ancestor(*b, *a),
                    "conflicting blocks finalized: {a:?} and {b:?}"
                );
            }
        }
    }
}

#[test]
fn finality_follows_best_and_measures_rounds() {
    let mut net = Net::new();
    for i in 0..4 {
        net.start(i);
    }
    let started = Instant::now();
    let reached = net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |net| {
        let best = net.chains[0].best_header().number;
        best >= 20 && (0..4).all(|i| net.finalized(i) + 3 >= best)
    });
    let elapsed = started.elapsed();
    let rounds = net.stores[0].state().completed.map_or(0, |c| c.round);
    net.stop_all();
    assert!(
        reached,
        "finality lags: best {} finalized {:?}",
        net.chains[0].best_header().number,
        (0..4).map(|i| net.finalized(i)).collect::<Vec<_>>()
    );
    eprintln!(
        "measured: {rounds} rounds in {:.2} s = {:.1} rounds/s (gossip duration {} ms, 4 voters in-process)",
        elapsed.as_secs_f64(),
        rounds as f64 / elapsed.as_secs_f64(),
        GOSSIP.as_millis()
    );
    net.assert_no_conflicting_finality();
}

#[test]
fn three_of_four_keep_finalizing_two_stall_and_a_third_back_resumes() {
    let mut net = Net::new();
    for i in 0..4 {
        net.start(i);
    }
    assert!(
        net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |n| n
            .finalized(0)
            >= 5)
    );
    net.kill(3).unwrap();
    let before = net.finalized(0);
    assert!(
        net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |n| n
            .finalized(0)
            >= before + 5),
        "3 of 4 voters must keep finalizing"
    );

    net.kill(2).unwrap();
    // Let what was in flight settle, then nothing more may be finalized.
    net.grow_until(Duration::from_millis(100), Duration::from_secs(1), |_| {
        false
    });
    let stalled = net.finalized(0);
    net.grow_until(Duration::from_millis(100), Duration::from_secs(3), |_| {
        false
    });
    assert_eq!(net.finalized(0), stalled, "2 of 4 voters must not finalize");

    let resumed_at = Instant::now();
    net.start(2);
    assert!(
        net.grow_until(Duration::from_millis(100), Duration::from_secs(30), |n| n
            .finalized(0)
            > stalled + 2),
        "finality must resume with 3 of 4 again"
    );
    eprintln!(
        "measured: finality resumed {:.2} s after the third voter returned",
        resumed_at.elapsed().as_secs_f64()
    );
    net.stop_all();
    net.assert_no_conflicting_finality();
}

#[test]
fn forks_never_finalize_two_conflicting_blocks() {
    let mut net = Net::new();
    for i in 0..4 {
        net.start(i);
    }
    let mut a = net.grow();
    let mut b = a;
    // Two halves of the network see different forks for a while.
    for step in 0..20u8 {
        a = net.grow_on(a, 1, &[0, 1]);
        b = net.grow_on(b, 2, &[2, 3]);
        if step % 5 == 4 {
            // Then everyone learns of both and the longer (a, one more block) wins.
            net.share_all_blocks();
            a = net.grow_on(a, 1, &[0, 1, 2, 3]);
            b = a;
        }
        std::thread::sleep(Duration::from_millis(60));
    }
    let reached = net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |n| {
        n.finalized(0) >= 10
    });
    let report = net.report();
    net.stop_all();
    assert!(reached, "finality stopped after the forks: {report}");
    net.assert_no_conflicting_finality();
}

/// Every vote node `node` signed, by (round, kind): there must be one each.
fn votes_of(net: &MemoryNetwork, node: usize) -> Vec<((RoundNumber, u8), Message)> {
    net.sent()
        .into_iter()
        .filter(|(sender, _, _)| *sender == node)
        .filter_map(
            |(_, _, bytes)| match GossipMessage::decode(&mut &bytes[..]) {
                Ok(GossipMessage::Vote(vote)) => {
                    let kind = match vote.message.message {
                        Message::Prevote(_) => 0,
                        Message::Precommit(_) => 1,
                        Message::PrimaryPropose(_) => 2,
                    };
                    Some(((vote.round, kind), vote.message.message))
                }
                _ => None,
            },
        )
        .collect()
}

#[test]
fn a_voter_crashed_between_prevote_and_precommit_does_not_equivocate() {
    let mut net = Net::new();
    for i in 0..3 {
        net.start(i);
    }
    let store = Arc::new(CrashingStore {
        inner: net.stores[3].clone(),
        crash_round: 3,
        crashed: AtomicBool::new(false),
    });
    net.start_with(3, store.clone());
    // The crash: its prevote stored, not sent.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !store.crashed.load(Ordering::SeqCst) && Instant::now() < deadline {
        net.grow();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        store.crashed.load(Ordering::SeqCst),
        "the voter reached round 3"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(net.kill(3).is_err(), "the voter stopped on the crash");
    let crashed_round = store
        .inner
        .state()
        .votes
        .iter()
        .filter(|(_, m)| matches!(m, Message::Prevote(_)))
        .map(|(r, _)| *r)
        .max()
        .unwrap();

    // Its chain moves to a fork the others do not have: a fresh decision would differ.
    let finalized = net.chains[3].finalized().0;
    let mut fork = finalized;
    for _ in 0..6 {
        fork = net.grow_on(fork, 9, &[3]);
    }
    net.start(3);
    assert!(
        net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |n| {
            votes_of(&n.network, 3)
                .iter()
                .any(|((round, _), _)| *round > crashed_round + 1)
        })
    );
    net.stop_all();

    let votes = votes_of(&net.network, 3);
    let stored_prevote = store
        .inner
        .state()
        .votes
        .iter()
        .find(|(r, m)| *r == crashed_round && matches!(m, Message::Prevote(_)))
        .map(|(_, m)| m.clone());
    let sent_in_crashed_round: Vec<&Message> = votes
        .iter()
        .filter(|((r, k), _)| *r == crashed_round && *k == 0)
        .map(|(_, m)| m)
        .collect();
    if let Some(stored) = &stored_prevote {
        assert!(sent_in_crashed_round.iter().all(|m| *m == stored));
    }
    for (key, message) in &votes {
        for (other_key, other) in &votes {
            if key == other_key {
                assert_eq!(
                    message, other,
                    "node 3 equivocated in round {} kind {}",
                    key.0, key.1
                );
            }
        }
    }
    net.assert_no_conflicting_finality();
}

#[test]
fn justifications_verify_and_a_forged_one_is_refused() {
    let mut net = Net::new();
    for i in 0..4 {
        net.start(i);
    }
    assert!(
        net.grow_until(Duration::from_millis(100), Duration::from_secs(20), |n| n
            .finalized(1)
            >= 3)
    );
    net.stop_all();
    let (hash, bytes) = net.chains[1].finalized_log().last().cloned().unwrap();
    let number = net.chains[1].header(hash).unwrap().number;
    let voters = VoterSet::new(authorities()).unwrap();
    let justification =
        GrandpaJustification::decode_and_verify(&bytes, (hash, number), 0, &voters).unwrap();

    // For another set id the signatures do not hold.
    assert!(GrandpaJustification::decode_and_verify(&bytes, (hash, number), 1, &voters).is_err());

    // One precommit re-signed by a key outside the set, claiming a voter's id.
    let eve = Ed25519Pair::from_uri("//Eve").unwrap();
    let mut forged = justification.clone();
    let first = &mut forged.commit.precommits[0];
    first.signature = folio_finality::crypto::sign(
        &eve,
        forged.round,
        0,
        &Message::Precommit(first.precommit.clone()),
    );
    assert!(
        GrandpaJustification::decode_and_verify(&forged.encode(), (hash, number), 0, &voters)
            .is_err()
    );

    // Signed by a key outside the set, under its own id.
    let mut outsider = justification.clone();
    for signed in &mut outsider.commit.precommits {
        signed.id = AuthorityId(eve.public());
        signed.signature = folio_finality::crypto::sign(
            &eve,
            outsider.round,
            0,
            &Message::Precommit(signed.precommit.clone()),
        );
    }
    assert!(GrandpaJustification::decode_and_verify(
        &outsider.encode(),
        (hash, number),
        0,
        &voters
    )
    .is_err());

    // Too few precommits: not a supermajority.
    let mut short = justification;
    short.commit.precommits.truncate(2);
    assert!(
        GrandpaJustification::decode_and_verify(&short.encode(), (hash, number), 0, &voters)
            .is_err()
    );
}

#[test]
fn a_voter_with_a_wiped_store_catches_up_to_the_networks_round() {
    let mut net = Net::new();
    for i in 0..3 {
        net.start(i);
    }
    let round_of = |net: &Net, i: usize| net.stores[i].state().completed.map_or(0, |c| c.round);
    assert!(net.grow_until(
        Duration::from_millis(50),
        Duration::from_secs(20),
        |n| round_of(n, 0) >= 10
    ));
    // Node 3 joins with nothing stored: it starts at round 1, far behind.
    let started = Instant::now();
    net.start(3);
    let caught_up = net.grow_until(Duration::from_millis(50), Duration::from_secs(20), |n| {
        round_of(n, 3) + 2 >= round_of(n, 0)
    });
    let report = net.report();
    net.stop_all();
    assert!(caught_up, "node 3 did not catch up: {report}");
    eprintln!(
        "measured: a wiped voter caught up in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    net.assert_no_conflicting_finality();
}
