//! SS58 addresses: `base58(prefix ++ public key ++ checksum[..2])`, where the checksum is
//! `blake2b-512("SS58PRE" ++ prefix ++ public key)`. Works without `std` so genesis JSON can name
//! accounts by address inside the runtime.

use crate::crypto::AccountId32;
use alloc::{string::String, vec::Vec};
use blake2::{Blake2b512, Digest};

/// Why a string is not a valid account address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ss58Error {
    /// Not base58 or not hex.
    BadEncoding,
    /// The decoded bytes have the wrong length for a 32-byte account.
    BadLength,
    /// The two checksum bytes do not match.
    BadChecksum,
    /// Prefixes 46 and 47 are reserved; others above 16383 do not exist.
    BadPrefix,
}

impl core::fmt::Display for Ss58Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let what = match self {
            Self::BadEncoding => "not a base58 SS58 address nor 0x-hex",
            Self::BadLength => "wrong length for a 32-byte account",
            Self::BadChecksum => "SS58 checksum mismatch",
            Self::BadPrefix => "invalid SS58 prefix",
        };
        f.write_str(what)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Ss58Error {}

const CHECKSUM_LEN: usize = 2;

fn checksum(body: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut hasher = Blake2b512::new();
    hasher.update(b"SS58PRE");
    hasher.update(body);
    let digest = hasher.finalize();
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(digest.get(..CHECKSUM_LEN).unwrap_or(&[0, 0]));
    out
}

/// The one- or two-byte encoding of an address prefix.
fn prefix_bytes(prefix: u16) -> Vec<u8> {
    if prefix < 64 {
        alloc::vec![prefix as u8]
    } else {
        // Two-byte form: the 14-bit prefix split across both bytes, first byte tagged 0b01.
        let first = (((prefix & 0b1111_1100) >> 2) as u8) | 0b0100_0000;
        let second = ((prefix >> 8) as u8) | (((prefix & 0b11) as u8) << 6);
        alloc::vec![first, second]
    }
}

/// Encodes a public key as an SS58 address with `prefix` (42 = generic Substrate).
pub fn encode(public: &[u8; 32], prefix: u16) -> String {
    let mut body = prefix_bytes(prefix & 0b0011_1111_1111_1111);
    body.extend_from_slice(public);
    let sum = checksum(&body);
    body.extend_from_slice(&sum);
    bs58::encode(body).into_string()
}

/// Decodes an SS58 address into its account and prefix.
pub fn decode(address: &str) -> Result<(AccountId32, u16), Ss58Error> {
    let data = bs58::decode(address)
        .into_vec()
        .map_err(|_| Ss58Error::BadEncoding)?;
    let (prefix, prefix_len) = match data.first() {
        Some(&b) if b < 64 => (u16::from(b), 1usize),
        Some(&b) if b < 128 => {
            let second = *data.get(1).ok_or(Ss58Error::BadLength)?;
            let lower = (b << 2) | (second >> 6);
            let upper = second & 0b0011_1111;
            (u16::from(lower) | (u16::from(upper) << 8), 2usize)
        }
        _ => return Err(Ss58Error::BadPrefix),
    };
    if prefix == 46 || prefix == 47 {
        return Err(Ss58Error::BadPrefix);
    }
    let body_len = prefix_len.saturating_add(32);
    let expected_len = body_len.saturating_add(CHECKSUM_LEN);
    if data.len() != expected_len {
        return Err(Ss58Error::BadLength);
    }
    let (body, sum) = data.split_at(body_len);
    if checksum(body) != sum {
        return Err(Ss58Error::BadChecksum);
    }
    let mut account = [0u8; 32];
    account.copy_from_slice(body.get(prefix_len..).ok_or(Ss58Error::BadLength)?);
    Ok((AccountId32(account), prefix))
}

/// Decodes lowercase or uppercase hex of exactly `N` bytes (no `0x`).
pub fn decode_hex<const N: usize>(hex: &str) -> Result<[u8; N], Ss58Error> {
    let digits = hex.as_bytes();
    if digits.len() != N.saturating_mul(2) {
        return Err(Ss58Error::BadLength);
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let nibble = |c: u8| (c as char).to_digit(16).ok_or(Ss58Error::BadEncoding);
        let (hi, lo) = match pair {
            [hi, lo] => (nibble(*hi)?, nibble(*lo)?),
            _ => return Err(Ss58Error::BadLength),
        };
        *byte = ((hi << 4) | lo) as u8;
    }
    Ok(out)
}

/// Parses an SS58 address (any prefix) or `0x`-prefixed hex of 32 bytes.
pub fn parse_account(text: &str) -> Result<AccountId32, Ss58Error> {
    match text.strip_prefix("0x") {
        Some(hex) => decode_hex::<32>(hex).map(AccountId32),
        None => decode(text).map(|(account, _)| account),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    #[test]
    fn alice_encodes_as_substrate_does() {
        let key = decode_hex::<32>(ALICE).unwrap();
        assert_eq!(
            encode(&key, 42),
            "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        assert_eq!(
            encode(&key, 0),
            "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
        );
    }

    #[test]
    fn decode_round_trips_with_prefix() {
        let key = decode_hex::<32>(ALICE).unwrap();
        for prefix in [0u16, 2, 42, 63, 64, 1000, 16383] {
            let address = encode(&key, prefix);
            assert_eq!(
                decode(&address),
                Ok((AccountId32(key), prefix)),
                "prefix {prefix}"
            );
        }
    }

    #[test]
    fn corrupted_address_is_rejected() {
        let mut address = String::from("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ");
        assert_eq!(decode(&address), Err(Ss58Error::BadChecksum));
        address.truncate(10);
        assert!(decode(&address).is_err());
        assert_eq!(decode("0OIl"), Err(Ss58Error::BadEncoding));
        assert_eq!(parse_account("0x1234"), Err(Ss58Error::BadLength));
    }
}
