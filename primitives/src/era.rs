//! The transaction era (`CheckMortality`): immortal, or valid for `period` blocks from a birth
//! block. Encoding and arithmetic follow Substrate's `sp_runtime::generic::era`.

use parity_scale_codec::{Decode, Encode, Error as CodecError, Input, Output};
use scale_info::{build::Fields, build::Variants, Path, Type, TypeInfo};

/// When a transaction is valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// Valid forever (its "birth block" is genesis).
    Immortal,
    /// Valid in `[birth, birth + period)`, where the birth is derived from `phase`.
    Mortal { period: u64, phase: u64 },
}

impl Era {
    /// Builds a mortal era valid about `period_hint` blocks from `current` (Substrate's
    /// `Era::mortal`): the period is rounded up to a power of two within `[4, 65536]`.
    pub fn mortal(period_hint: u64, current: u64) -> Self {
        let period = period_hint
            .checked_next_power_of_two()
            .unwrap_or(1 << 16)
            .clamp(4, 1 << 16);
        // period ≥ 4 and quantize_factor ≥ 1, so these divisions cannot fail.
        let phase = current.checked_rem(period).unwrap_or(0);
        let quantize_factor = (period >> 12).max(1);
        let quantized_phase = phase
            .checked_div(quantize_factor)
            .unwrap_or(0)
            .saturating_mul(quantize_factor);
        Self::Mortal {
            period,
            phase: quantized_phase,
        }
    }

    /// The first block in which the transaction is valid, seen from block `current`.
    pub fn birth(self, current: u64) -> u64 {
        match self {
            Self::Immortal => 0,
            Self::Mortal { period, phase } => {
                // period ≥ 4 and phase < period hold for every decoded era.
                let start = current.max(phase).saturating_sub(phase);
                start
                    .checked_div(period)
                    .unwrap_or(0)
                    .saturating_mul(period)
                    .saturating_add(phase)
            }
        }
    }

    /// The first block in which the transaction is no longer valid.
    pub fn death(self, current: u64) -> u64 {
        match self {
            Self::Immortal => u64::MAX,
            Self::Mortal { period, .. } => self.birth(current).saturating_add(period),
        }
    }
}

impl Encode for Era {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        match self {
            Self::Immortal => dest.push_byte(0),
            Self::Mortal { period, phase } => {
                let quantize_factor = (*period >> 12).max(1);
                let period_bits = u64::from(period.trailing_zeros())
                    .saturating_sub(1)
                    .clamp(1, 15);
                let encoded = period_bits | (phase.checked_div(quantize_factor).unwrap_or(0) << 4);
                dest.write(&(encoded as u16).to_le_bytes());
            }
        }
    }
}

impl Decode for Era {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        let first = input.read_byte()?;
        if first == 0 {
            return Ok(Self::Immortal);
        }
        let encoded = u64::from(first) | (u64::from(input.read_byte()?) << 8);
        let period = 2u64 << (encoded % (1 << 4));
        let quantize_factor = (period >> 12).max(1);
        let phase = (encoded >> 4).saturating_mul(quantize_factor);
        if period >= 4 && phase < period {
            Ok(Self::Mortal { period, phase })
        } else {
            Err("invalid period and phase".into())
        }
    }
}

/// Variant names of Substrate's `Era` type description: the first encoded byte picks the
/// variant, the second is its `u8` field.
const MORTAL_VARIANTS: [&str; 255] = [
    "Mortal1",
    "Mortal2",
    "Mortal3",
    "Mortal4",
    "Mortal5",
    "Mortal6",
    "Mortal7",
    "Mortal8",
    "Mortal9",
    "Mortal10",
    "Mortal11",
    "Mortal12",
    "Mortal13",
    "Mortal14",
    "Mortal15",
    "Mortal16",
    "Mortal17",
    "Mortal18",
    "Mortal19",
    "Mortal20",
    "Mortal21",
    "Mortal22",
    "Mortal23",
    "Mortal24",
    "Mortal25",
    "Mortal26",
    "Mortal27",
    "Mortal28",
    "Mortal29",
    "Mortal30",
    "Mortal31",
    "Mortal32",
    "Mortal33",
    "Mortal34",
    "Mortal35",
    "Mortal36",
    "Mortal37",
    "Mortal38",
    "Mortal39",
    "Mortal40",
    "Mortal41",
    "Mortal42",
    "Mortal43",
    "Mortal44",
    "Mortal45",
    "Mortal46",
    "Mortal47",
    "Mortal48",
    "Mortal49",
    "Mortal50",
    "Mortal51",
    "Mortal52",
    "Mortal53",
    "Mortal54",
    "Mortal55",
    "Mortal56",
    "Mortal57",
    "Mortal58",
    "Mortal59",
    "Mortal60",
    "Mortal61",
    "Mortal62",
    "Mortal63",
    "Mortal64",
    "Mortal65",
    "Mortal66",
    "Mortal67",
    "Mortal68",
    "Mortal69",
    "Mortal70",
    "Mortal71",
    "Mortal72",
    "Mortal73",
    "Mortal74",
    "Mortal75",
    "Mortal76",
    "Mortal77",
    "Mortal78",
    "Mortal79",
    "Mortal80",
    "Mortal81",
    "Mortal82",
    "Mortal83",
    "Mortal84",
    "Mortal85",
    "Mortal86",
    "Mortal87",
    "Mortal88",
    "Mortal89",
    "Mortal90",
    "Mortal91",
    "Mortal92",
    "Mortal93",
    "Mortal94",
    "Mortal95",
    "Mortal96",
    "Mortal97",
    "Mortal98",
    "Mortal99",
    "Mortal100",
    "Mortal101",
    "Mortal102",
    "Mortal103",
    "Mortal104",
    "Mortal105",
    "Mortal106",
    "Mortal107",
    "Mortal108",
    "Mortal109",
    "Mortal110",
    "Mortal111",
    "Mortal112",
    "Mortal113",
    "Mortal114",
    "Mortal115",
    "Mortal116",
    "Mortal117",
    "Mortal118",
    "Mortal119",
    "Mortal120",
    "Mortal121",
    "Mortal122",
    "Mortal123",
    "Mortal124",
    "Mortal125",
    "Mortal126",
    "Mortal127",
    "Mortal128",
    "Mortal129",
    "Mortal130",
    "Mortal131",
    "Mortal132",
    "Mortal133",
    "Mortal134",
    "Mortal135",
    "Mortal136",
    "Mortal137",
    "Mortal138",
    "Mortal139",
    "Mortal140",
    "Mortal141",
    "Mortal142",
    "Mortal143",
    "Mortal144",
    "Mortal145",
    "Mortal146",
    "Mortal147",
    "Mortal148",
    "Mortal149",
    "Mortal150",
    "Mortal151",
    "Mortal152",
    "Mortal153",
    "Mortal154",
    "Mortal155",
    "Mortal156",
    "Mortal157",
    "Mortal158",
    "Mortal159",
    "Mortal160",
    "Mortal161",
    "Mortal162",
    "Mortal163",
    "Mortal164",
    "Mortal165",
    "Mortal166",
    "Mortal167",
    "Mortal168",
    "Mortal169",
    "Mortal170",
    "Mortal171",
    "Mortal172",
    "Mortal173",
    "Mortal174",
    "Mortal175",
    "Mortal176",
    "Mortal177",
    "Mortal178",
    "Mortal179",
    "Mortal180",
    "Mortal181",
    "Mortal182",
    "Mortal183",
    "Mortal184",
    "Mortal185",
    "Mortal186",
    "Mortal187",
    "Mortal188",
    "Mortal189",
    "Mortal190",
    "Mortal191",
    "Mortal192",
    "Mortal193",
    "Mortal194",
    "Mortal195",
    "Mortal196",
    "Mortal197",
    "Mortal198",
    "Mortal199",
    "Mortal200",
    "Mortal201",
    "Mortal202",
    "Mortal203",
    "Mortal204",
    "Mortal205",
    "Mortal206",
    "Mortal207",
    "Mortal208",
    "Mortal209",
    "Mortal210",
    "Mortal211",
    "Mortal212",
    "Mortal213",
    "Mortal214",
    "Mortal215",
    "Mortal216",
    "Mortal217",
    "Mortal218",
    "Mortal219",
    "Mortal220",
    "Mortal221",
    "Mortal222",
    "Mortal223",
    "Mortal224",
    "Mortal225",
    "Mortal226",
    "Mortal227",
    "Mortal228",
    "Mortal229",
    "Mortal230",
    "Mortal231",
    "Mortal232",
    "Mortal233",
    "Mortal234",
    "Mortal235",
    "Mortal236",
    "Mortal237",
    "Mortal238",
    "Mortal239",
    "Mortal240",
    "Mortal241",
    "Mortal242",
    "Mortal243",
    "Mortal244",
    "Mortal245",
    "Mortal246",
    "Mortal247",
    "Mortal248",
    "Mortal249",
    "Mortal250",
    "Mortal251",
    "Mortal252",
    "Mortal253",
    "Mortal254",
    "Mortal255",
];

impl TypeInfo for Era {
    type Identity = Self;
    fn type_info() -> Type {
        let mut variants = Variants::new().variant("Immortal", |v| v.index(0));
        for (index, name) in (1u8..=255).zip(MORTAL_VARIANTS) {
            variants = variants.variant(name, |v| {
                v.index(index)
                    .fields(Fields::unnamed().field(|f| f.ty::<u8>()))
            });
        }
        Type::builder()
            .path(Path::new("Era", "sp_runtime::generic::era"))
            .variant(variants)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polkadot_js_vector_period_64_current_100() {
        let era = Era::mortal(64, 100);
        assert_eq!(
            era,
            Era::Mortal {
                period: 64,
                phase: 36
            }
        );
        assert_eq!(era.encode(), [0x45, 0x02]);
        assert_eq!(Era::decode(&mut &[0x45u8, 0x02][..]), Ok(era));
    }

    #[test]
    fn birth_and_death() {
        let era = Era::mortal(64, 100);
        assert_eq!(era.birth(100), 100);
        assert_eq!(era.birth(130), 100);
        assert_eq!(era.death(100), 164);
        assert_eq!(Era::Immortal.birth(1000), 0);
    }

    #[test]
    fn immortal_is_one_zero_byte() {
        assert_eq!(Era::Immortal.encode(), [0]);
    }

    #[test]
    fn invalid_phase_is_rejected() {
        // period 4 (low nibble 1), phase 15 (high bits) ≥ period.
        assert!(Era::decode(&mut &[0xf1u8, 0x00][..]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn mortal_round_trips(period in 4u64..=65536, current in 0u64..10_000_000) {
            let era = Era::mortal(period, current);
            let bytes = era.encode();
            proptest::prop_assert_eq!(Era::decode(&mut &bytes[..]), Ok(era));
            let birth = era.birth(current);
            proptest::prop_assert!(birth <= current && current < era.death(current));
        }
    }
}
