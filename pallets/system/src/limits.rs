//! Block limits: how much weight and how many bytes a block may hold, per dispatch class.
//! The types are FRAME's, so apps decode the `BlockWeights`/`BlockLength` constants.

use folio_pallet_support::prelude::*;

/// One value per dispatch class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_support"))]
#[scale_info(replace_segment("limits", "dispatch"))]
pub struct PerDispatchClass<T> {
    pub normal: T,
    pub operational: T,
    pub mandatory: T,
}

impl<T> PerDispatchClass<T> {
    pub fn get(&self, class: DispatchClass) -> &T {
        match class {
            DispatchClass::Normal => &self.normal,
            DispatchClass::Operational => &self.operational,
            DispatchClass::Mandatory => &self.mandatory,
        }
    }
    pub fn get_mut(&mut self, class: DispatchClass) -> &mut T {
        match class {
            DispatchClass::Normal => &mut self.normal,
            DispatchClass::Operational => &mut self.operational,
            DispatchClass::Mandatory => &mut self.mandatory,
        }
    }
}

impl PerDispatchClass<Weight> {
    /// The weight of all classes together.
    pub fn total(&self) -> Weight {
        self.normal
            .saturating_add(self.operational)
            .saturating_add(self.mandatory)
    }
}

/// Maximum block length in bytes, per class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct BlockLength {
    pub max: PerDispatchClass<u32>,
}

/// Weight limits of one class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct WeightsPerClass {
    /// Charged for every extrinsic of the class on top of its call's weight.
    pub base_extrinsic: Weight,
    /// The most one extrinsic may weigh.
    pub max_extrinsic: Option<Weight>,
    /// The most all extrinsics of the class may weigh together.
    pub max_total: Option<Weight>,
    /// Space only this class may use.
    pub reserved: Option<Weight>,
}

/// Block weight limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct BlockWeights {
    /// The cost of an empty block.
    pub base_block: Weight,
    pub max_block: Weight,
    pub per_class: PerDispatchClass<WeightsPerClass>,
}

impl BlockWeights {
    /// Limits where normal transactions may fill `normal_percent` of `max_block`, operational
    /// ones all of it, and mandatory inherents are never refused.
    pub const fn with_normal_ratio(
        base_block: Weight,
        max_block: Weight,
        base_extrinsic: Weight,
        normal_percent: u64,
    ) -> Self {
        let normal_max = Weight::from_parts(
            (max_block.ref_time / 100).saturating_mul(normal_percent),
            (max_block.proof_size / 100).saturating_mul(normal_percent),
        );
        Self {
            base_block,
            max_block,
            per_class: PerDispatchClass {
                normal: WeightsPerClass::limited(base_extrinsic, normal_max),
                operational: WeightsPerClass::limited(base_extrinsic, max_block),
                mandatory: WeightsPerClass {
                    base_extrinsic,
                    max_extrinsic: None,
                    max_total: None,
                    reserved: None,
                },
            },
        }
    }
}

impl WeightsPerClass {
    /// A class that may use `max_total` in all, and one extrinsic all of it but the base.
    const fn limited(base_extrinsic: Weight, max_total: Weight) -> Self {
        Self {
            base_extrinsic,
            max_extrinsic: Some(max_total.saturating_sub(base_extrinsic)),
            max_total: Some(max_total),
            reserved: None,
        }
    }
}

impl BlockLength {
    /// `max` bytes for operational and mandatory, `normal_percent` of it for normal.
    pub const fn with_normal_ratio(max: u32, normal_percent: u32) -> Self {
        Self {
            max: PerDispatchClass {
                normal: (max / 100).saturating_mul(normal_percent),
                operational: max,
                mandatory: max,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_ratio_splits_the_block() {
        let limits = BlockWeights::with_normal_ratio(
            Weight::from_parts(5, 0),
            Weight::from_parts(1000, 100),
            Weight::from_parts(10, 0),
            75,
        );
        assert_eq!(
            limits.per_class.normal.max_total,
            Some(Weight::from_parts(750, 75))
        );
        assert_eq!(
            limits.per_class.normal.max_extrinsic,
            Some(Weight::from_parts(740, 75))
        );
        assert_eq!(limits.per_class.mandatory.max_total, None);
        assert_eq!(BlockLength::with_normal_ratio(1000, 75).max.normal, 750);
    }
}
