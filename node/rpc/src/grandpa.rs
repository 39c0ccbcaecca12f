//! `grandpa_*`: the voter's rounds (`grandpa_roundState`, Substrate's `ReportedRoundStates`).

use crate::error::{ApiError, RpcError};
use crate::module::{method, Module, Safety};

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["grandpa_roundState"],
        Safety::Safe,
        |_, ctx| async move {
            ctx.backend
                .grandpa_round_state()
                .ok_or_else(|| ApiError::ChainOther("GRANDPA RPC endpoint not ready".into()))
        },
    )
}
