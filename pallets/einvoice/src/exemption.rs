//! VAT exemption reasons (EN 16931 BT-120/BT-121): a breakdown entry that charges no VAT
//! because of an exemption says why, with a code of the VATEX list.
//!
//! The rules are EN 16931's business rules BR-E-10, BR-AE-10, BR-IC-10, BR-G-10 and BR-O-10
//! (an exempt, reverse-charge, intra-community, export or out-of-scope breakdown has a reason)
//! and BR-S-10, BR-Z-10 (standard and zero-rated breakdowns have none). The reverse-charge,
//! intra-community, export and out-of-scope categories each have their one VATEX code; the
//! exempt category takes any other VATEX code (EU articles or national ones).

use crate::types::{ExemptionCode, TaxCategory, TaxSubtotal};
use crate::Error;

/// Every VATEX code starts so.
const PREFIX: &[u8] = b"VATEX-";

/// Whether entries of `category` must carry an exemption reason.
pub fn requires_reason(category: TaxCategory) -> bool {
    !matches!(category, TaxCategory::Standard | TaxCategory::ZeroRated)
}

/// The one VATEX code a category other than exempt must use, if it has one.
fn fixed_code(category: TaxCategory) -> Option<&'static [u8]> {
    match category {
        TaxCategory::ReverseCharge => Some(b"VATEX-EU-AE"),
        TaxCategory::IntraCommunity => Some(b"VATEX-EU-IC"),
        TaxCategory::Export => Some(b"VATEX-EU-G"),
        TaxCategory::OutsideScope => Some(b"VATEX-EU-O"),
        _ => None,
    }
}

/// The code without its zero padding, if it is well formed: `VATEX-` then upper-case
/// letters, digits and hyphens, then only zeros.
fn trimmed(code: &ExemptionCode) -> Option<&[u8]> {
    let len = code.iter().position(|b| *b == 0).unwrap_or(code.len());
    let (text, padding) = code.split_at(len);
    let well_formed = text.starts_with(PREFIX)
        && text.len() > PREFIX.len()
        && text
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'-')
        && padding.iter().all(|b| *b == 0);
    well_formed.then_some(text)
}

/// Whether `code` is a VATEX code `category` may use.
pub fn valid_code(category: TaxCategory, code: &ExemptionCode) -> bool {
    let Some(text) = trimmed(code) else {
        return false;
    };
    let fixed = [
        TaxCategory::ReverseCharge,
        TaxCategory::IntraCommunity,
        TaxCategory::Export,
        TaxCategory::OutsideScope,
    ];
    match fixed_code(category) {
        Some(own) => text == own,
        // Exempt: any VATEX code but the four that name another category.
        None => !fixed
            .iter()
            .filter_map(|other| fixed_code(*other))
            .any(|other| text == other),
    }
}

/// Checks every breakdown entry's exemption reason against its category.
pub fn check(breakdown: &[TaxSubtotal]) -> Result<(), Error> {
    for entry in breakdown {
        match (&entry.exemption, requires_reason(entry.category)) {
            (None, true) => return Err(Error::MissingExemptionReason),
            (Some(_), false) => return Err(Error::InvalidExemptionReason),
            (Some(reason), true) if !valid_code(entry.category, &reason.code) => {
                return Err(Error::InvalidExemptionReason)
            }
            _ => {}
        }
    }
    Ok(())
}

/// A code from its text, zero-padded (for clients and tests); `None` if it does not fit.
pub fn code(text: &str) -> Option<ExemptionCode> {
    let mut code = [0u8; 24];
    let bytes = text.as_bytes();
    code.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ExemptionReason;

    fn entry(category: TaxCategory, code: Option<&str>) -> TaxSubtotal {
        TaxSubtotal {
            category,
            rate: if category == TaxCategory::Standard {
                1_900
            } else {
                0
            },
            taxable: 100,
            tax: if category == TaxCategory::Standard {
                19
            } else {
                0
            },
            exemption: code.map(|text| ExemptionReason {
                code: super::code(text).unwrap(),
                text_hash: None,
            }),
        }
    }

    #[test]
    fn exempt_categories_need_a_reason_and_taxed_ones_refuse_it() {
        for category in [
            TaxCategory::Exempt,
            TaxCategory::ReverseCharge,
            TaxCategory::IntraCommunity,
            TaxCategory::Export,
            TaxCategory::OutsideScope,
        ] {
            assert_eq!(
                check(&[entry(category, None)]),
                Err(Error::MissingExemptionReason)
            );
        }
        for category in [TaxCategory::Standard, TaxCategory::ZeroRated] {
            assert_eq!(check(&[entry(category, None)]), Ok(()));
            assert_eq!(
                check(&[entry(category, Some("VATEX-EU-132-1A"))]),
                Err(Error::InvalidExemptionReason)
            );
        }
    }

    #[test]
    fn each_category_takes_its_own_vatex_codes() {
        let ok = |category, code| check(&[entry(category, Some(code))]) == Ok(());
        assert!(ok(TaxCategory::Exempt, "VATEX-EU-132-1A"));
        assert!(ok(TaxCategory::Exempt, "VATEX-FR-FRANCHISE"));
        assert!(
            !ok(TaxCategory::Exempt, "VATEX-EU-AE"),
            "names reverse charge"
        );
        assert!(ok(TaxCategory::ReverseCharge, "VATEX-EU-AE"));
        assert!(!ok(TaxCategory::ReverseCharge, "VATEX-EU-132-1A"));
        assert!(ok(TaxCategory::IntraCommunity, "VATEX-EU-IC"));
        assert!(ok(TaxCategory::Export, "VATEX-EU-G"));
        assert!(ok(TaxCategory::OutsideScope, "VATEX-EU-O"));
        assert!(!ok(TaxCategory::Export, "VATEX-EU-O"));
        // Not VATEX, lower case, empty after the prefix.
        assert!(!ok(TaxCategory::Exempt, "EXEMPT-132"));
        assert!(!ok(TaxCategory::Exempt, "vatex-eu-132-1a"));
        assert!(!ok(TaxCategory::Exempt, "VATEX-"));
    }

    #[test]
    fn bytes_after_the_padding_make_a_code_invalid() {
        let mut code = super::code("VATEX-EU-132-1A").unwrap();
        code[23] = b'X';
        assert!(!valid_code(TaxCategory::Exempt, &code));
        assert_eq!(super::code("VATEX-EU-A-CODE-FAR-TOO-LONG"), None);
    }
}
