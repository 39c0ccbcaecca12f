//! `grandpa_roundState`'s answer, in Substrate's JSON (`ReportedRoundStates`): the set id,
//! the best round and the background rounds, each with its total and threshold weight and,
//! for prevotes and precommits, the weight so far and the voters still missing (SS58).
//! Built from finality-grandpa's `voter_state()` report, ready for the RPC crate to serve.

use crate::{AuthorityId, SetId};
use finality_grandpa::voter::report::{RoundState, VoterState};
use serde_json::{json, Value};
use std::collections::HashSet;

/// The voters of `authorities` not in `voted`, as SS58 addresses (sorted, as Substrate's
/// `BTreeSet`).
fn missing(
    authorities: &[AuthorityId],
    voted: &HashSet<AuthorityId>,
    ss58_prefix: u16,
) -> Vec<String> {
    let mut missing: Vec<AuthorityId> = authorities
        .iter()
        .filter(|id| !voted.contains(id))
        .copied()
        .collect();
    missing.sort();
    missing
        .iter()
        .map(|id| folio_primitives::ss58::encode(&id.0, ss58_prefix))
        .collect()
}

fn round_json(
    round: u64,
    state: &RoundState<AuthorityId>,
    authorities: &[AuthorityId],
    ss58_prefix: u16,
) -> Value {
    json!({
        "round": round,
        "totalWeight": state.total_weight.get(),
        "thresholdWeight": state.threshold_weight.get(),
        "prevotes": {
            "currentWeight": state.prevote_current_weight.0,
            "missing": missing(authorities, &state.prevote_ids, ss58_prefix),
        },
        "precommits": {
            "currentWeight": state.precommit_current_weight.0,
            "missing": missing(authorities, &state.precommit_ids, ss58_prefix),
        },
    })
}

/// The `grandpa_roundState` result for the voter's report.
pub fn round_state_json(
    set_id: SetId,
    report: &VoterState<AuthorityId>,
    authorities: &[AuthorityId],
    ss58_prefix: u16,
) -> Value {
    let (best_number, best) = &report.best_round;
    let mut background: Vec<(&u64, &RoundState<AuthorityId>)> =
        report.background_rounds.iter().collect();
    background.sort_by_key(|(round, _)| **round);
    json!({
        "setId": set_id,
        "best": round_json(*best_number, best, authorities, ss58_prefix),
        "background": background
            .into_iter()
            .map(|(round, state)| round_json(*round, state, authorities, ss58_prefix))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use finality_grandpa::voter_set::VoterSet;
    use folio_primitives::keyring::Ed25519Pair;
    use std::collections::HashMap;

    #[test]
    fn the_shape_is_substrates_with_missing_voters_as_ss58() {
        let ids: Vec<AuthorityId> = ["Alice", "Bob", "Charlie", "Dave"]
            .iter()
            .map(|n| AuthorityId(Ed25519Pair::from_uri(&format!("//{n}")).unwrap().public()))
            .collect();
        let set = VoterSet::new(ids.iter().map(|id| (*id, 1))).unwrap();
        let state = RoundState {
            total_weight: set.total_weight(),
            threshold_weight: set.threshold(),
            prevote_current_weight: 3.into(),
            prevote_ids: ids[..3].iter().copied().collect(),
            precommit_current_weight: 0.into(),
            precommit_ids: HashSet::new(),
        };
        let report = VoterState {
            background_rounds: HashMap::new(),
            best_round: (7, state),
        };
        let json = round_state_json(2, &report, &ids, 42);
        assert_eq!(json["setId"], 2);
        assert_eq!(json["best"]["round"], 7);
        assert_eq!(json["best"]["totalWeight"], 4);
        assert_eq!(json["best"]["thresholdWeight"], 3);
        assert_eq!(json["best"]["prevotes"]["currentWeight"], 3);
        // Dave's grandpa key as SS58 (prefix 42), the one prevote missing.
        assert_eq!(
            json["best"]["prevotes"]["missing"],
            json!([folio_primitives::ss58::encode(&ids[3].0, 42)])
        );
        assert_eq!(
            json["best"]["precommits"]["missing"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(json["background"], json!([]));
    }
}
