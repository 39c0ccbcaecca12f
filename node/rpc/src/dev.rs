//! `dev_*`: what dev-chain tools (chopsticks names them) use to drive a local chain. Unsafe:
//! never served on a public node.

use crate::error::{ApiError, RpcError};
use crate::module::{method, Module, Safety};
use serde_json::Value;

/// Methods served but left out of `rpc_methods` (see `server::build_module`).
pub(crate) const UNLISTED: &[&str] = &["dev_timeTravel"];

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["dev_timeTravel"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let target = target_ms(&args.required::<Value>("date")?)?;
            ctx.backend
                .time_travel(target)
                .await
                .map_err(ApiError::invalid_params)
        },
    )?;
    Ok(())
}

/// The time asked for, in milliseconds since the Unix epoch: a number, or a string of digits
/// (chopsticks also takes date strings; Folio takes only milliseconds).
fn target_ms(date: &Value) -> Result<u64, ApiError> {
    let parsed = match date {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        ApiError::invalid_params("date must be milliseconds since the Unix epoch (a number)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn milliseconds_are_taken_as_a_number_or_digits() {
        assert_eq!(
            target_ms(&json!(1_800_000_000_000u64)).ok(),
            Some(1_800_000_000_000)
        );
        assert_eq!(
            target_ms(&json!("1800000000000")).ok(),
            Some(1_800_000_000_000)
        );
        assert!(target_ms(&json!("2027-01-01")).is_err());
        assert!(target_ms(&json!(-5)).is_err());
    }
}
