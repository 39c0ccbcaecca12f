//! Who dispatches a call.

use folio_primitives::dispatch::DispatchError;
use folio_primitives::AccountId;

/// The origin of a call: a signed account, Root (only through governance or sudo), or no one
/// (inherents). Encodable so a benchmark can hand a prepared call to a later runtime call.
#[derive(Clone, Debug, PartialEq, Eq, parity_scale_codec::Encode, parity_scale_codec::Decode)]
pub enum Origin {
    Root,
    Signed(AccountId),
    None,
}

/// The signer, or `BadOrigin`.
pub fn ensure_signed(origin: &Origin) -> Result<AccountId, DispatchError> {
    match origin {
        Origin::Signed(who) => Ok(*who),
        _ => Err(DispatchError::BadOrigin),
    }
}

/// `Ok` for Root, `BadOrigin` otherwise.
pub fn ensure_root(origin: &Origin) -> Result<(), DispatchError> {
    match origin {
        Origin::Root => Ok(()),
        _ => Err(DispatchError::BadOrigin),
    }
}

/// `Ok` for an unsigned (inherent) origin, `BadOrigin` otherwise.
pub fn ensure_none(origin: &Origin) -> Result<(), DispatchError> {
    match origin {
        Origin::None => Ok(()),
        _ => Err(DispatchError::BadOrigin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_accepts_only_its_origin() {
        let alice = AccountId::new([1; 32]);
        let all = [Origin::Root, Origin::Signed(alice), Origin::None];
        let oks = |f: fn(&Origin) -> bool| all.iter().filter(|o| f(o)).count();
        assert_eq!(oks(|o| ensure_signed(o).is_ok()), 1);
        assert_eq!(oks(|o| ensure_root(o).is_ok()), 1);
        assert_eq!(oks(|o| ensure_none(o).is_ok()), 1);
        assert_eq!(ensure_signed(&Origin::Signed(alice)), Ok(alice));
        assert_eq!(ensure_root(&Origin::None), Err(DispatchError::BadOrigin));
    }
}
