//! Typed storage items over FRAME's key layout.
//!
//! An item is a unit struct declared with [`crate::storage!`]; the traits here give it
//! `get`/`insert`/`mutate`/… and a metadata description. Keys are
//! `twox128(pallet) ++ twox128(item) ++ hasher(SCALE(key))…`, values are SCALE, exactly as
//! FRAME stores them, so clients read Folio's state with the metadata alone.

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_primitives::io;
use folio_primitives::storage::{storage_prefix, KeyHasher};
use frame_metadata::v14::{
    StorageEntryMetadata, StorageEntryModifier, StorageEntryType, StorageHasher,
};
use parity_scale_codec::{Decode, Encode, FullCodec};
use scale_info::{meta_type, StaticTypeInfo};

/// Where an item lives and what it says about itself.
pub trait StorageItem {
    const PALLET: &'static str;
    const NAME: &'static str;
    const DOCS: &'static [&'static str];
    /// The item's description in the metadata.
    fn metadata() -> StorageEntryMetadata;
    /// `twox128(pallet) ++ twox128(item)`, computed at compile time.
    const PREFIX: [u8; 32] = storage_prefix(Self::PALLET, Self::NAME);
    /// [`StorageItem::PREFIX`].
    fn prefix() -> [u8; 32] {
        Self::PREFIX
    }
}

/// How a missing value reads: as the type's default, or as `None`.
pub trait QueryKind<V> {
    type Query;
    const MODIFIER: StorageEntryModifier;
    fn from_optional(value: Option<V>) -> Self::Query;
    fn to_optional(query: Self::Query) -> Option<V>;
    /// The metadata's `default`: what clients show for an absent key.
    fn default_bytes() -> Vec<u8>;
}

/// Absent reads as `V::default()`.
pub struct ValueQuery;
/// Absent reads as `None`.
pub struct OptionQuery;

impl<V: Default + Encode> QueryKind<V> for ValueQuery {
    type Query = V;
    const MODIFIER: StorageEntryModifier = StorageEntryModifier::Default;
    fn from_optional(value: Option<V>) -> V {
        value.unwrap_or_default()
    }
    fn to_optional(query: V) -> Option<V> {
        Some(query)
    }
    fn default_bytes() -> Vec<u8> {
        V::default().encode()
    }
}

impl<V> QueryKind<V> for OptionQuery {
    type Query = Option<V>;
    const MODIFIER: StorageEntryModifier = StorageEntryModifier::Optional;
    fn from_optional(value: Option<V>) -> Option<V> {
        value
    }
    fn to_optional(query: Option<V>) -> Option<V> {
        query
    }
    fn default_bytes() -> Vec<u8> {
        Vec::new()
    }
}

/// One entry of a map with its storage key computed once ([`StorageMap::entry`]): for code
/// that reads an entry and then writes or removes it.
pub struct MapEntry<M: StorageMap> {
    key: Vec<u8>,
    map: PhantomData<M>,
}

impl<M: StorageMap> MapEntry<M> {
    /// The value, as [`StorageMap::get`] reads it.
    pub fn get(&self) -> <M::Kind as QueryKind<M::Value>>::Query {
        M::Kind::from_optional(read(&self.key))
    }
    /// Stores `value`.
    pub fn insert(&self, value: &M::Value) {
        io::storage_set(&self.key, &value.encode())
    }
    /// Removes the entry.
    pub fn remove(&self) {
        io::storage_clear(&self.key)
    }
}

/// Writes a mutated query back under `key`: its value, or nothing (removed) for `None`.
fn write_back<V: Encode, K: QueryKind<V>>(key: &[u8], query: K::Query) {
    match K::to_optional(query) {
        Some(value) => io::storage_set(key, &value.encode()),
        None => io::storage_clear(key),
    }
}

/// Reads and decodes a raw value; a value that does not decode is reported and read as absent
/// (it can only come from a faulty migration, never from user input).
pub fn read<V: Decode>(key: &[u8]) -> Option<V> {
    let raw = io::storage_get(key)?;
    match V::decode(&mut raw.as_slice()) {
        Ok(value) => Some(value),
        Err(_) => {
            io::log(
                io::LogLevel::Error,
                "runtime::storage",
                "stored value does not decode",
            );
            None
        }
    }
}

fn hasher_metadata<H: KeyHasher>() -> StorageHasher {
    match H::METADATA_INDEX {
        2 => StorageHasher::Blake2_128Concat,
        5 => StorageHasher::Twox64Concat,
        _ => StorageHasher::Identity,
    }
}

/// A single value.
pub trait StorageValue: StorageItem {
    type Value: FullCodec;
    type Kind: QueryKind<Self::Value>;

    fn get() -> <Self::Kind as QueryKind<Self::Value>>::Query {
        Self::Kind::from_optional(Self::try_get())
    }
    fn try_get() -> Option<Self::Value> {
        read(&Self::prefix())
    }
    fn put(value: &Self::Value) {
        io::storage_set(&Self::prefix(), &value.encode())
    }
    fn kill() {
        io::storage_clear(&Self::prefix())
    }
    fn exists() -> bool {
        io::storage_exists(&Self::prefix())
    }
    fn take() -> <Self::Kind as QueryKind<Self::Value>>::Query {
        let value = Self::try_get();
        Self::kill();
        Self::Kind::from_optional(value)
    }
    /// Changes the value in place; `None` (for `OptionQuery`) removes it.
    fn mutate<R>(f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> R) -> R {
        let mut query = Self::get();
        let result = f(&mut query);
        match Self::Kind::to_optional(query) {
            Some(value) => Self::put(&value),
            None => Self::kill(),
        }
        result
    }
    /// Like [`Self::mutate`], but writes only when `f` succeeds.
    fn try_mutate<R, E>(
        f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut query = Self::get();
        let result = f(&mut query)?;
        match Self::Kind::to_optional(query) {
            Some(value) => Self::put(&value),
            None => Self::kill(),
        }
        Ok(result)
    }
    fn value_metadata() -> StorageEntryMetadata
    where
        Self::Value: StaticTypeInfo,
    {
        StorageEntryMetadata {
            name: Self::NAME,
            modifier: Self::Kind::MODIFIER,
            ty: StorageEntryType::Plain(meta_type::<Self::Value>()),
            default: Self::Kind::default_bytes(),
            docs: Self::DOCS.to_vec(),
        }
    }
}

/// A map from `Key` to `Value`.
pub trait StorageMap: StorageItem {
    type Hasher: KeyHasher;
    type Key: FullCodec;
    type Value: FullCodec;
    type Kind: QueryKind<Self::Value>;

    fn key(key: &Self::Key) -> Vec<u8> {
        key.using_encoded(|encoded| {
            // Prefix (32), a hash of at most 16 bytes and the key: one allocation.
            let mut full = Vec::with_capacity(encoded.len().saturating_add(48));
            full.extend_from_slice(&Self::PREFIX);
            Self::Hasher::hash_into(encoded, &mut full);
            full
        })
    }
    fn get(key: &Self::Key) -> <Self::Kind as QueryKind<Self::Value>>::Query {
        Self::Kind::from_optional(Self::try_get(key))
    }
    fn try_get(key: &Self::Key) -> Option<Self::Value> {
        read(&Self::key(key))
    }
    fn insert(key: &Self::Key, value: &Self::Value) {
        io::storage_set(&Self::key(key), &value.encode())
    }
    fn remove(key: &Self::Key) {
        io::storage_clear(&Self::key(key))
    }
    fn contains_key(key: &Self::Key) -> bool {
        io::storage_exists(&Self::key(key))
    }
    /// The entry under `key`, its storage key hashed once for several accesses.
    fn entry(key: &Self::Key) -> MapEntry<Self>
    where
        Self: Sized,
    {
        MapEntry {
            key: Self::key(key),
            map: PhantomData,
        }
    }
    // The read-modify-write helpers hash the key once (an account's key is hashed by every
    // access, and that hashing was a tenth of a transfer's execution).
    fn take(key: &Self::Key) -> <Self::Kind as QueryKind<Self::Value>>::Query {
        let full = Self::key(key);
        let value = read(&full);
        io::storage_clear(&full);
        Self::Kind::from_optional(value)
    }
    fn mutate<R>(
        key: &Self::Key,
        f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> R,
    ) -> R {
        let full = Self::key(key);
        let mut query = Self::Kind::from_optional(read(&full));
        let result = f(&mut query);
        write_back::<Self::Value, Self::Kind>(&full, query);
        result
    }
    fn try_mutate<R, E>(
        key: &Self::Key,
        f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let full = Self::key(key);
        let mut query = Self::Kind::from_optional(read(&full));
        let result = f(&mut query)?;
        write_back::<Self::Value, Self::Kind>(&full, query);
        Ok(result)
    }
    /// Every entry, in key order of the hashed keys. Needs a reversible hasher.
    fn iter() -> PrefixIter<(Self::Key, Self::Value), Self::Hasher> {
        PrefixIter::new(
            Self::prefix().to_vec(),
            decode_map_entry::<Self::Hasher, Self::Key, Self::Value>,
        )
    }
    /// Removes up to `limit` entries; returns how many.
    fn clear(limit: Option<u32>) -> u32 {
        io::storage_clear_prefix(&Self::prefix(), limit)
    }
    fn map_metadata() -> StorageEntryMetadata
    where
        Self::Key: StaticTypeInfo,
        Self::Value: StaticTypeInfo,
    {
        StorageEntryMetadata {
            name: Self::NAME,
            modifier: Self::Kind::MODIFIER,
            ty: StorageEntryType::Map {
                hashers: alloc::vec![hasher_metadata::<Self::Hasher>()],
                key: meta_type::<Self::Key>(),
                value: meta_type::<Self::Value>(),
            },
            default: Self::Kind::default_bytes(),
            docs: Self::DOCS.to_vec(),
        }
    }
}

/// A map from `(Key1, Key2)` to `Value`, iterable by `Key1`.
pub trait StorageDoubleMap: StorageItem {
    type Hasher1: KeyHasher;
    type Key1: FullCodec;
    type Hasher2: KeyHasher;
    type Key2: FullCodec;
    type Value: FullCodec;
    type Kind: QueryKind<Self::Value>;

    fn prefix1(k1: &Self::Key1) -> Vec<u8> {
        k1.using_encoded(|encoded| {
            let mut full = Vec::with_capacity(encoded.len().saturating_add(48));
            full.extend_from_slice(&Self::PREFIX);
            Self::Hasher1::hash_into(encoded, &mut full);
            full
        })
    }
    fn key(k1: &Self::Key1, k2: &Self::Key2) -> Vec<u8> {
        let mut full = Self::prefix1(k1);
        k2.using_encoded(|encoded| {
            full.reserve(encoded.len().saturating_add(16));
            Self::Hasher2::hash_into(encoded, &mut full);
        });
        full
    }
    fn get(k1: &Self::Key1, k2: &Self::Key2) -> <Self::Kind as QueryKind<Self::Value>>::Query {
        Self::Kind::from_optional(Self::try_get(k1, k2))
    }
    fn try_get(k1: &Self::Key1, k2: &Self::Key2) -> Option<Self::Value> {
        read(&Self::key(k1, k2))
    }
    fn insert(k1: &Self::Key1, k2: &Self::Key2, value: &Self::Value) {
        io::storage_set(&Self::key(k1, k2), &value.encode())
    }
    fn remove(k1: &Self::Key1, k2: &Self::Key2) {
        io::storage_clear(&Self::key(k1, k2))
    }
    fn contains_key(k1: &Self::Key1, k2: &Self::Key2) -> bool {
        io::storage_exists(&Self::key(k1, k2))
    }
    fn mutate<R>(
        k1: &Self::Key1,
        k2: &Self::Key2,
        f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> R,
    ) -> R {
        let full = Self::key(k1, k2);
        let mut query = Self::Kind::from_optional(read(&full));
        let result = f(&mut query);
        write_back::<Self::Value, Self::Kind>(&full, query);
        result
    }
    fn try_mutate<R, E>(
        k1: &Self::Key1,
        k2: &Self::Key2,
        f: impl FnOnce(&mut <Self::Kind as QueryKind<Self::Value>>::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let full = Self::key(k1, k2);
        let mut query = Self::Kind::from_optional(read(&full));
        let result = f(&mut query)?;
        write_back::<Self::Value, Self::Kind>(&full, query);
        Ok(result)
    }
    /// Every `(Key2, Value)` under `k1`. Needs a reversible second hasher.
    fn iter_prefix(k1: &Self::Key1) -> PrefixIter<(Self::Key2, Self::Value), Self::Hasher2> {
        PrefixIter::new(
            Self::prefix1(k1),
            decode_map_entry::<Self::Hasher2, Self::Key2, Self::Value>,
        )
    }
    /// Removes every entry under `k1`.
    fn remove_prefix(k1: &Self::Key1) -> u32 {
        io::storage_clear_prefix(&Self::prefix1(k1), None)
    }
    fn double_map_metadata() -> StorageEntryMetadata
    where
        Self::Key1: StaticTypeInfo,
        Self::Key2: StaticTypeInfo,
        Self::Value: StaticTypeInfo,
    {
        StorageEntryMetadata {
            name: Self::NAME,
            modifier: Self::Kind::MODIFIER,
            ty: StorageEntryType::Map {
                hashers: alloc::vec![
                    hasher_metadata::<Self::Hasher1>(),
                    hasher_metadata::<Self::Hasher2>()
                ],
                key: meta_type::<(Self::Key1, Self::Key2)>(),
                value: meta_type::<Self::Value>(),
            },
            default: Self::Kind::default_bytes(),
            docs: Self::DOCS.to_vec(),
        }
    }
}

/// Decodes `(key, value)` from the part of a storage key after the prefix and the raw value.
fn decode_map_entry<H: KeyHasher, K: Decode, V: Decode>(
    hashed_key: &[u8],
    raw_value: &[u8],
) -> Option<(K, V)> {
    let encoded_key = H::reverse(hashed_key)?;
    let key = K::decode(&mut &encoded_key[..]).ok()?;
    let value = V::decode(&mut &raw_value[..]).ok()?;
    Some((key, value))
}

/// Walks every key under a prefix with `storage_next_key`, decoding each entry.
pub struct PrefixIter<T, H> {
    prefix: Vec<u8>,
    cursor: Vec<u8>,
    decode: fn(&[u8], &[u8]) -> Option<T>,
    _hasher: PhantomData<H>,
}

impl<T, H> PrefixIter<T, H> {
    fn new(prefix: Vec<u8>, decode: fn(&[u8], &[u8]) -> Option<T>) -> Self {
        Self {
            cursor: prefix.clone(),
            prefix,
            decode,
            _hasher: PhantomData,
        }
    }
}

impl<T, H> Iterator for PrefixIter<T, H> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        loop {
            let key = io::storage_next_key(&self.cursor)?;
            if !key.starts_with(&self.prefix) {
                return None;
            }
            self.cursor = key;
            let raw = io::storage_get(&self.cursor)?;
            let hashed_key = self.cursor.get(self.prefix.len()..)?;
            if let Some(entry) = (self.decode)(hashed_key, &raw) {
                return Some(entry);
            }
        }
    }
}

/// Declares storage items of one pallet.
///
/// ```ignore
/// folio_pallet_support::storage! {
///     pallet "Balances";
///     /// The total amount in existence.
///     pub TotalIssuance: Value<Balance, ValueQuery>;
///     /// Holds per account.
///     pub Holds: Map<Blake2_128Concat, AccountId, Vec<Hold>, ValueQuery>;
///     /// Votes by proposal and voter.
///     pub Votes: DoubleMap<Twox64Concat, u32, Blake2_128Concat, AccountId, bool, OptionQuery>;
/// }
/// ```
#[macro_export]
macro_rules! storage {
    (pallet $pallet:literal; $($rest:tt)*) => {
        $crate::storage!(@item $pallet; $($rest)*);
    };
    (@item $pallet:literal;) => {};
    (@item $pallet:literal;
        $(#[doc = $doc:expr])* $vis:vis $name:ident : Value<$value:ty, $kind:ty>; $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;
        impl $crate::storage::StorageItem for $name {
            const PALLET: &'static str = $pallet;
            const NAME: &'static str = stringify!($name);
            const DOCS: &'static [&'static str] = &[$($doc),*];
            fn metadata() -> $crate::frame_metadata::v14::StorageEntryMetadata {
                <Self as $crate::storage::StorageValue>::value_metadata()
            }
        }
        impl $crate::storage::StorageValue for $name {
            type Value = $value;
            type Kind = $kind;
        }
        $crate::storage!(@item $pallet; $($rest)*);
    };
    (@item $pallet:literal;
        $(#[doc = $doc:expr])* $vis:vis $name:ident : Map<$hasher:ty, $key:ty, $value:ty, $kind:ty>; $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;
        impl $crate::storage::StorageItem for $name {
            const PALLET: &'static str = $pallet;
            const NAME: &'static str = stringify!($name);
            const DOCS: &'static [&'static str] = &[$($doc),*];
            fn metadata() -> $crate::frame_metadata::v14::StorageEntryMetadata {
                <Self as $crate::storage::StorageMap>::map_metadata()
            }
        }
        impl $crate::storage::StorageMap for $name {
            type Hasher = $hasher;
            type Key = $key;
            type Value = $value;
            type Kind = $kind;
        }
        $crate::storage!(@item $pallet; $($rest)*);
    };
    (@item $pallet:literal;
        $(#[doc = $doc:expr])* $vis:vis $name:ident : DoubleMap<$h1:ty, $k1:ty, $h2:ty, $k2:ty, $value:ty, $kind:ty>; $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;
        impl $crate::storage::StorageItem for $name {
            const PALLET: &'static str = $pallet;
            const NAME: &'static str = stringify!($name);
            const DOCS: &'static [&'static str] = &[$($doc),*];
            fn metadata() -> $crate::frame_metadata::v14::StorageEntryMetadata {
                <Self as $crate::storage::StorageDoubleMap>::double_map_metadata()
            }
        }
        impl $crate::storage::StorageDoubleMap for $name {
            type Hasher1 = $h1;
            type Key1 = $k1;
            type Hasher2 = $h2;
            type Key2 = $k2;
            type Value = $value;
            type Kind = $kind;
        }
        $crate::storage!(@item $pallet; $($rest)*);
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use folio_primitives::externalities::TestExternalities;
    use folio_primitives::storage::{Blake2_128Concat, Twox64Concat};

    crate::storage! {
        pallet "Test";
        /// A counter.
        pub Counter: Value<u32, ValueQuery>;
        /// Maybe a name.
        pub Name: Value<Vec<u8>, OptionQuery>;
        /// Numbers by id.
        pub Numbers: Map<Twox64Concat, u32, u64, ValueQuery>;
        /// Flags by (id, id).
        pub Flags: DoubleMap<Blake2_128Concat, u32, Twox64Concat, u16, bool, OptionQuery>;
    }

    #[test]
    fn value_query_defaults_and_option_query_is_none() {
        TestExternalities::default().execute_with(|| {
            assert_eq!(Counter::get(), 0);
            assert_eq!(Name::get(), None);
            Counter::mutate(|c| *c += 2);
            assert_eq!(Counter::get(), 2);
            Name::put(&vec![1, 2]);
            assert_eq!(Name::take(), Some(vec![1, 2]));
            assert!(!Name::exists());
        });
    }

    #[test]
    fn an_entry_reads_and_writes_what_the_map_does() {
        TestExternalities::default().execute_with(|| {
            let entry = Numbers::entry(&4);
            assert_eq!(entry.get(), 0, "absent reads as the default");
            entry.insert(&40);
            assert_eq!(Numbers::get(&4), 40);
            Numbers::insert(&4, &41);
            assert_eq!(entry.get(), 41);
            entry.remove();
            assert!(!Numbers::contains_key(&4));
            // take and mutate (which hash the key once) agree with get and insert
            Numbers::mutate(&5, |n| *n += 7);
            assert_eq!(Numbers::take(&5), 7);
            assert!(!Numbers::contains_key(&5));
        });
    }

    #[test]
    fn try_mutate_writes_only_on_success() {
        TestExternalities::default().execute_with(|| {
            let failed: Result<(), &str> = Numbers::try_mutate(&1, |n| {
                *n = 9;
                Err("no")
            });
            assert!(failed.is_err());
            assert!(!Numbers::contains_key(&1));
            let ok: Result<(), &str> = Numbers::try_mutate(&1, |n| {
                *n = 9;
                Ok(())
            });
            assert!(ok.is_ok());
            assert_eq!(Numbers::get(&1), 9);
        });
    }

    #[test]
    fn map_iteration_and_double_map_prefix() {
        TestExternalities::default().execute_with(|| {
            for i in 0..5u32 {
                Numbers::insert(&i, &u64::from(i * 10));
                Flags::insert(&7, &(i as u16), &(i % 2 == 0));
            }
            Flags::insert(&8, &0, &true);
            let mut all: Vec<_> = Numbers::iter().collect();
            all.sort();
            assert_eq!(all, vec![(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]);
            assert_eq!(Flags::iter_prefix(&7).count(), 5);
            assert_eq!(Flags::remove_prefix(&7), 5);
            assert_eq!(Flags::get(&8, &0), Some(true));
            assert_eq!(Numbers::clear(None), 5);
        });
    }

    #[test]
    fn keys_follow_frame_layout() {
        TestExternalities::default().execute_with(|| {
            let key = Numbers::key(&3);
            assert_eq!(&key[..32], &storage_prefix("Test", "Numbers"));
            assert_eq!(&key[32..40], &io::twox_64(&3u32.encode()));
            assert_eq!(&key[40..], &3u32.encode()[..]);
            let meta = Numbers::metadata();
            assert_eq!(meta.name, "Numbers");
            assert_eq!(meta.docs, vec![" Numbers by id."]);
            assert_eq!(meta.default, 0u64.encode());
        });
    }
}
