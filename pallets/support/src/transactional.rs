//! Nested storage transactions: a call's writes are kept only if it succeeds.

use folio_primitives::dispatch::{DispatchError, TransactionalError};
use folio_primitives::io;

/// Runs `f` in a new storage transaction: its writes are committed if it returns `Ok` and
/// discarded if it returns `Err`. Transactions nest (the host keeps one layer per level).
pub fn with_transaction<R, E: From<DispatchError>>(
    f: impl FnOnce() -> Result<R, E>,
) -> Result<R, E> {
    let (result, closed) = in_layer(f);
    // Only an unbalanced start/commit inside `f` could close our layer early.
    if !closed {
        return Err(E::from(DispatchError::Transactional(
            TransactionalError::NoLayer,
        )));
    }
    result
}

/// Like [`with_transaction`] for results whose error cannot say "no layer" (a validity error,
/// a genesis message): `f` keeps its layer balanced, so closing it cannot fail.
pub fn with_storage_layer<R, E>(f: impl FnOnce() -> Result<R, E>) -> Result<R, E> {
    in_layer(f).0
}

/// Runs `f` in a new layer, committed on `Ok` and rolled back on `Err`; also says whether the
/// layer was still open to close.
fn in_layer<R, E>(f: impl FnOnce() -> Result<R, E>) -> (Result<R, E>, bool) {
    io::start_transaction();
    let result = f();
    let closed = match result {
        Ok(_) => io::commit_transaction(),
        Err(_) => io::rollback_transaction(),
    };
    (result, closed.is_ok())
}
#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::externalities::TestExternalities;

    #[test]
    fn error_discards_writes_and_ok_keeps_them() {
        TestExternalities::default().execute_with(|| {
            let failed: Result<(), DispatchError> = with_transaction(|| {
                io::storage_set(b"a", b"1");
                Err(DispatchError::Other)
            });
            assert_eq!(failed, Err(DispatchError::Other));
            assert_eq!(io::storage_get(b"a"), None);
            let kept: Result<u8, DispatchError> = with_transaction(|| {
                io::storage_set(b"a", b"2");
                let inner: Result<(), DispatchError> = with_transaction(|| {
                    io::storage_set(b"b", b"3");
                    Err(DispatchError::BadOrigin)
                });
                assert!(inner.is_err());
                Ok(7)
            });
            assert_eq!(kept, Ok(7));
            assert_eq!(io::storage_get(b"a"), Some(b"2".to_vec()));
            assert_eq!(io::storage_get(b"b"), None);
        });
    }
}
