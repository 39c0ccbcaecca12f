//! `a × b ÷ c` without overflow: the product is formed in 256 bits, so a dividend of any
//! amount over any number of shares is computed exactly (issue 18: `amount × shares`
//! overflowed u128 for large distributions).

const LOW: u128 = u64::MAX as u128;

/// The 256-bit product of `a` and `b` as (high, low) halves.
fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a.wrapping_shr(64), a & LOW);
    let (b1, b0) = (b.wrapping_shr(64), b & LOW);
    // Each partial product of two 64-bit halves fits in 128 bits.
    let ll = a0.wrapping_mul(b0);
    let lh = a0.wrapping_mul(b1);
    let hl = a1.wrapping_mul(b0);
    let hh = a1.wrapping_mul(b1);
    // At most 3 × (2^64 − 1): no overflow.
    let mid = ll
        .wrapping_shr(64)
        .wrapping_add(lh & LOW)
        .wrapping_add(hl & LOW);
    let low = (ll & LOW) | mid.wrapping_shl(64);
    let high = hh
        .wrapping_add(lh.wrapping_shr(64))
        .wrapping_add(hl.wrapping_shr(64))
        .wrapping_add(mid.wrapping_shr(64));
    (high, low)
}

/// `⌊a × b ÷ c⌋`, or `None` if `c` is zero or the quotient does not fit in u128.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 {
        return None;
    }
    let (high, low) = widening_mul(a, b);
    if high == 0 {
        return low.checked_div(c);
    }
    if high >= c {
        return None;
    }
    // Long division of (high, low) by c, one bit of `low` at a time; the remainder stays
    // below c, and `carry` is the bit shifted out of it.
    let mut remainder = high;
    let mut quotient: u128 = 0;
    for bit in (0..128u32).rev() {
        let carry = remainder.wrapping_shr(127) == 1;
        remainder = remainder.wrapping_shl(1) | (low.wrapping_shr(bit) & 1);
        quotient = quotient.wrapping_shl(1);
        if carry || remainder >= c {
            remainder = remainder.wrapping_sub(c);
            quotient |= 1;
        }
    }
    Some(quotient)
}

#[cfg(test)]
mod tests {
    use super::mul_div_floor;
    use proptest::prelude::*;

    #[test]
    fn products_beyond_u128_divide_exactly() {
        assert_eq!(
            mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
            Some(u128::MAX)
        );
        assert_eq!(mul_div_floor(u128::MAX, 3, 4), Some(u128::MAX / 4 * 3 + 2));
        assert_eq!(mul_div_floor(1 << 100, 1 << 100, 1 << 101), Some(1 << 99));
        assert_eq!(mul_div_floor(u128::MAX, 2, 1), None);
        assert_eq!(mul_div_floor(1, 1, 0), None);
    }

    proptest! {
        /// Agrees with plain u128 arithmetic wherever that does not overflow.
        #[test]
        fn agrees_with_u128(a in any::<u64>(), b in any::<u64>(), c in 1..u128::MAX) {
            let (a, b) = (u128::from(a), u128::from(b));
            prop_assert_eq!(mul_div_floor(a, b, c), Some(a * b / c));
        }
    }
}
