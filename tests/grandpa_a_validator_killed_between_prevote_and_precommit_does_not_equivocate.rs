//! Four real `--chain local` validators (2 s slots) on loopback ports 27800-27899. Charlie is
//! SIGKILLed (3 of 4 still finalize); then Dave is SIGKILLed right after it logs its prevote
//! of a round and before its precommit: Alice and Bob (2 of 4) cannot complete that round.
//! Dave's vote store on disk holds that prevote; Dave restarted on the same database resumes
//! the round, sends the same prevote again (never a second one for a newer best block) and
//! precommits, and finality resumes; no node logs an equivocation. Dave's Prometheus
//! endpoint counts its votes under Substrate's names.

mod common;

use common::grandpa::*;
use common::*;
use folio_finality::messages::Message;
use folio_finality::store::{FileVoteStore, VoteStore};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const P2P_BASE: u16 = 27_800;
const RPC_BASE: u16 = 27_850;
const DAVE_METRICS: u16 = 27_899;
const DAVE: usize = 3;

fn start(index: usize, base: &TempDir, boot: Option<&str>) -> NodeProcess {
    let metrics = DAVE_METRICS.to_string();
    let extra: Vec<&str> = if index == DAVE {
        vec!["--prometheus-port", &metrics]
    } else {
        Vec::new()
    };
    start_local(
        Some(NAMES[index]),
        base,
        P2P_BASE + index as u16,
        RPC_BASE + index as u16,
        boot,
        &extra,
    )
}

/// A vote line of the log: `cast a vote round=… vote=… target_hash=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cast {
    round: u64,
    kind: String,
    target: String,
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
        .map(|value| value.trim_matches('"'))
}

/// The votes `log` says the node cast, in order.
fn casts(log: &str) -> Vec<Cast> {
    log.lines()
        .filter(|line| line.contains("folio::grandpa: cast a vote"))
        .filter_map(|line| {
            Some(Cast {
                round: field(line, "round")?.parse().ok()?,
                kind: field(line, "vote")?.to_string(),
                target: field(line, "target_hash")?.to_string(),
            })
        })
        .collect()
}

/// The round of the last prevote in `log` with no precommit of that round after it.
fn prevoted_not_precommitted(log: &str) -> Option<u64> {
    let casts = casts(log);
    let last = casts.iter().rev().find(|c| c.kind == "prevote")?;
    let precommitted = casts
        .iter()
        .any(|c| c.round == last.round && c.kind == "precommit");
    (!precommitted).then_some(last.round)
}

fn find_vote_store(dir: &Path) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_vote_store(&path) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == "votes")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "grandpa")
        {
            return Some(path);
        }
    }
    None
}

/// The stored votes of `round` as `Cast`s.
fn stored_votes(base: &TempDir, round: u64) -> Vec<Cast> {
    let path = find_vote_store(base.path()).expect("Dave's vote store on disk");
    let store = FileVoteStore::open(&path).expect("the vote store opens");
    store
        .state()
        .votes
        .into_iter()
        .filter(|(r, _)| *r == round)
        .map(|(round, message)| {
            let kind = match message {
                Message::Prevote(_) => "prevote",
                Message::Precommit(_) => "precommit",
                Message::PrimaryPropose(_) => "primary",
            };
            Cast {
                round,
                kind: kind.to_string(),
                target: message.target().0.to_string(),
            }
        })
        .collect()
}

fn metric(port: u16, name: &str) -> u64 {
    let text = metrics(port);
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
}

#[test]
fn grandpa_a_validator_killed_between_prevote_and_precommit_does_not_equivocate() {
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let mut nodes: Vec<Option<NodeProcess>> = vec![Some(start(0, &bases[0], None))];
    for (index, base) in bases.iter().enumerate().skip(1) {
        let boots = boot_list(nodes.iter().flatten());
        nodes.push(Some(start(index, base, Some(&boots))));
    }
    let alice_boot = address(nodes[0].as_ref().expect("Alice"));
    let alice = |nodes: &[Option<NodeProcess>]| -> u32 {
        finalized_number(nodes[0].as_ref().expect("Alice"))
    };
    nodes[0].as_ref().expect("Alice").wait_until(
        "GRANDPA finalizes",
        Duration::from_secs(30),
        |n| finalized_number(n) >= 2,
    );

    // Substrate's vote counters count Dave's votes (Dave started last: it may not have voted
    // yet), and agree with the votes its log shows it cast.
    let dave = nodes[DAVE].as_ref().expect("Dave");
    dave.wait_until("Dave precommits", Duration::from_secs(20), |_| {
        metric(DAVE_METRICS, "substrate_finality_grandpa_precommits_total") >= 2
    });
    let counted = metric(DAVE_METRICS, "substrate_finality_grandpa_prevotes_total");
    let logged = casts(&dave.log_text())
        .iter()
        .filter(|c| c.kind == "prevote")
        .count() as u64;
    assert!(
        counted >= 2 && counted.abs_diff(logged) <= 1,
        "prevotes counted {counted}, logged {logged}"
    );

    // Charlie down: Alice, Bob and Dave are exactly the supermajority.
    if let Some(charlie) = nodes[2].take() {
        charlie.kill();
    }

    // Dave SIGKILLed between its prevote and its precommit of a round (a few tries: the
    // precommit follows the prevote by about two gossip durations).
    let mut killed_in = None;
    let mut dave_log = String::new();
    for _attempt in 0..6 {
        let dave = nodes[DAVE].take().expect("Dave");
        let watch = Instant::now();
        let mut seen = casts(&dave.log_text()).len();
        while watch.elapsed() < Duration::from_secs(20) {
            let log = dave.log_text();
            let now = casts(&log).len();
            if now > seen {
                seen = now;
                if let Some(round) = prevoted_not_precommitted(&log) {
                    let log_path = dave.log.clone();
                    dave.kill();
                    dave_log = std::fs::read_to_string(log_path).unwrap_or_default();
                    if prevoted_not_precommitted(&dave_log) == Some(round) {
                        killed_in = Some(round);
                    }
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if killed_in.is_some() {
            break;
        }
        nodes[DAVE] = Some(start(DAVE, &bases[DAVE], Some(&alice_boot)));
    }
    let round = killed_in.expect("Dave killed between a prevote and its precommit");
    let sent_before: Vec<Cast> = casts(&dave_log)
        .into_iter()
        .filter(|c| c.round == round)
        .collect();
    let stored = stored_votes(&bases[DAVE], round);
    assert_eq!(
        stored, sent_before,
        "the store holds exactly the votes Dave cast in round {round}"
    );

    // Alice and Bob alone cannot complete the round.
    std::thread::sleep(Duration::from_secs(3));
    let stalled_at = alice(&nodes);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(alice(&nodes), stalled_at, "2 of 4 finalized a block");

    // Dave returns on its database: it must recast the stored prevote, not a new one.
    let returned = Instant::now();
    nodes[DAVE] = Some(start(DAVE, &bases[DAVE], Some(&alice_boot)));
    nodes[0].as_ref().expect("Alice").wait_until(
        "finality resumes",
        Duration::from_secs(40),
        |n| finalized_number(n) > stalled_at,
    );
    let resumed_after = returned.elapsed();
    let dave = nodes[DAVE].as_ref().expect("Dave");
    let after = dave.log_text();
    let recast: Vec<Cast> = casts(&after)
        .into_iter()
        .filter(|c| c.round == round)
        .collect();
    let prevote_before = &sent_before[0];
    let prevote_after = recast
        .iter()
        .find(|c| c.kind == "prevote")
        .expect("Dave recast its prevote of the stalled round");
    assert_eq!(prevote_after, prevote_before, "Dave equivocated");
    for vote in &recast {
        if let Some(earlier) = sent_before.iter().find(|c| c.kind == vote.kind) {
            assert_eq!(
                vote, earlier,
                "Dave sent a second {} in round {round}",
                vote.kind
            );
        }
    }
    let replayed = after.contains("cast a vote replayed from the store");
    for node in nodes.iter().flatten() {
        assert!(
            !node.log_text().contains("equivocation"),
            "an equivocation was seen:\n{}",
            node.log_text()
        );
    }
    assert_no_conflicting_finality(&nodes.iter().flatten().collect::<Vec<_>>());
    assert!(metric(DAVE_METRICS, "substrate_finality_grandpa_prevotes_total") >= 1);
    println!(
        "Dave killed after its prevote of round {round}; finality stalled at #{stalled_at}; \
         restarted, it recast the stored prevote (a newer best was proposed and refused: {replayed}); \
         finality resumed {} ms after the restart",
        resumed_after.as_millis()
    );
}
