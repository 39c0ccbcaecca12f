//! Positional parameters, as polkadot-js and subxt send them: an array whose trailing
//! optional entries may be missing or `null`.

use crate::error::ApiError;
use jsonrpsee::types::Params;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request's parameters, consumed left to right.
#[derive(Debug)]
pub struct Args {
    values: std::vec::IntoIter<Value>,
    position: usize,
}

impl Args {
    /// Accepts an array, or no parameters at all (absent, `null` or `[]`).
    pub fn parse(params: &Params<'_>) -> Result<Self, ApiError> {
        let values = match params.as_str() {
            None => Vec::new(),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(values)) => values,
                Ok(Value::Null) => Vec::new(),
                Ok(Value::Object(_)) => {
                    return Err(ApiError::invalid_params(
                        "parameters must be a positional array, not an object",
                    ))
                }
                Ok(other) => {
                    return Err(ApiError::invalid_params(format!(
                        "parameters must be an array, got {other}"
                    )))
                }
                Err(e) => {
                    return Err(ApiError::invalid_params(format!(
                        "malformed parameters: {e}"
                    )))
                }
            },
        };
        Ok(Self {
            values: values.into_iter(),
            position: 0,
        })
    }

    fn next_value(&mut self) -> Option<Value> {
        self.position += 1;
        self.values.next()
    }

    /// The next parameter; missing or `null` is an error.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, ApiError> {
        let position = self.position;
        match self.next_value() {
            None | Some(Value::Null) => Err(ApiError::invalid_params(format!(
                "missing parameter {position} `{name}`"
            ))),
            Some(value) => decode(value, position, name),
        }
    }

    /// The next parameter; missing or `null` gives `None`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, ApiError> {
        let position = self.position;
        match self.next_value() {
            None | Some(Value::Null) => Ok(None),
            Some(value) => decode(value, position, name).map(Some),
        }
    }
}

fn decode<T: DeserializeOwned>(value: Value, position: usize, name: &str) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::invalid_params(format!("parameter {position} `{name}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::HexHash;

    fn args(text: Option<&'static str>) -> Result<Args, ApiError> {
        Args::parse(&Params::new(text))
    }

    #[test]
    fn trailing_optionals_may_be_missing_or_null() {
        let mut a = args(Some(r#"["abc", null]"#)).unwrap();
        assert_eq!(a.required::<String>("method").unwrap(), "abc");
        assert_eq!(a.optional::<HexHash>("hash").unwrap(), None);
        assert_eq!(a.optional::<HexHash>("more").unwrap(), None);
        let mut empty = args(None).unwrap();
        assert!(empty.optional::<u32>("n").unwrap().is_none());
        assert!(empty.required::<u32>("n").is_err());
    }

    #[test]
    fn objects_and_bad_values_are_invalid_params() {
        assert!(matches!(
            args(Some(r#"{"a":1}"#)),
            Err(ApiError::InvalidParams(_))
        ));
        let mut a = args(Some(r#"["0xzz"]"#)).unwrap();
        let err = a.required::<HexHash>("hash").unwrap_err();
        let ApiError::InvalidParams(message) = err else {
            panic!("wrong error")
        };
        assert!(message.contains("parameter 0 `hash`"), "{message}");
    }
}
