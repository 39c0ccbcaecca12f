//! The host's allocator: Substrate's `ext_allocator_malloc_version_1` and
//! `ext_allocator_free_version_1`, serving the runtime's linear memory from `__heap_base` up.
//!
//! A Substrate host owns everything above the runtime's `__heap_base` export: it places call
//! inputs there and the runtime asks it for memory. Blocks come in powers of two from 8 bytes
//! to 32 MiB (Substrate's largest allocation), each preceded by an 8-byte header holding its
//! size class and whether it is in use; freed blocks go on a free list of their class and are
//! reused before the heap grows. The free lists live on the host, so a runtime that scribbles
//! over memory can confuse only its own allocations, never the host. The heap grows the
//! memory by whole pages, within the executor's memory limit.

use std::ops::Range;

/// Bytes in front of every block: its size class (u32 LE) and an in-use flag (u32 LE).
const HEADER: u32 = 8;
/// The smallest block: 8 bytes, so every block (and its header) stays 8-byte aligned.
const MIN_BLOCK: u32 = 8;
/// The largest single allocation, as in Substrate's host allocator.
pub(crate) const MAX_ALLOCATION: u32 = 32 * 1024 * 1024;
/// Size classes 8 << 0 ..= 8 << 22 (32 MiB).
const CLASSES: usize = 23;
/// A wasm page.
const PAGE: u64 = 64 * 1024;

/// Why an allocation or a free failed; the host function traps with it.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AllocatorError {
    #[error("{size} bytes requested, more than the largest allocation of {MAX_ALLOCATION}")]
    TooLarge { size: u32 },
    #[error("the heap cannot grow to {needed} bytes: {reason}")]
    CannotGrow { needed: u64, reason: String },
    #[error("{ptr:#x} is not a block this allocator handed out")]
    NotABlock { ptr: u32 },
    #[error("{ptr:#x} is freed twice")]
    DoubleFree { ptr: u32 },
}

/// The linear memory the heap lives in: a wasm memory in the executor, a `Vec` in tests.
pub(crate) trait HeapMemory {
    /// The memory's bytes.
    fn bytes(&mut self) -> &mut [u8];
    /// Grows the memory by `pages` wasm pages.
    fn grow(&mut self, pages: u64) -> Result<(), String>;
}

/// The state of one call's heap (a fresh instance gets a fresh allocator).
#[derive(Debug)]
pub(crate) struct HostAllocator {
    /// `__heap_base` rounded up to 8: the lowest header.
    start: u32,
    /// The first byte never handed out.
    bump: u32,
    free: [Vec<u32>; CLASSES],
}

impl HostAllocator {
    /// A heap starting at the runtime's `__heap_base`.
    pub(crate) fn new(heap_base: u32) -> Self {
        let start = heap_base.saturating_add(MIN_BLOCK - 1) & !(MIN_BLOCK - 1);
        Self {
            start,
            bump: start,
            free: Default::default(),
        }
    }

    /// A block of at least `size` bytes; its address is 8-byte aligned and never 0.
    pub(crate) fn malloc(
        &mut self,
        memory: &mut impl HeapMemory,
        size: u32,
    ) -> Result<u32, AllocatorError> {
        let class = class_of(size)?;
        let reused = self.free.get_mut(class).and_then(Vec::pop);
        let ptr = match reused {
            Some(ptr) => ptr,
            None => self.carve(memory, block_size(class))?,
        };
        write_header(memory, ptr, class, true);
        Ok(ptr)
    }

    /// Returns the block at `ptr` to its free list.
    pub(crate) fn free(
        &mut self,
        memory: &mut impl HeapMemory,
        ptr: u32,
    ) -> Result<(), AllocatorError> {
        let header = self
            .header_range(ptr)
            .ok_or(AllocatorError::NotABlock { ptr })?;
        let (class, in_use) =
            read_header(memory, header).ok_or(AllocatorError::NotABlock { ptr })?;
        if !in_use {
            return Err(AllocatorError::DoubleFree { ptr });
        }
        write_header(memory, ptr, class, false);
        // `read_header` checked the class, so the list exists.
        if let Some(list) = self.free.get_mut(class) {
            list.push(ptr);
        }
        Ok(())
    }

    /// Bytes of the heap handed out so far (headers included).
    #[cfg(test)]
    pub(crate) fn used(&self) -> u32 {
        self.bump - self.start
    }

    /// A new block of `size` bytes past everything handed out, growing the memory if needed.
    fn carve(&mut self, memory: &mut impl HeapMemory, size: u32) -> Result<u32, AllocatorError> {
        let end = u64::from(self.bump) + u64::from(HEADER) + u64::from(size);
        let have = memory.bytes().len() as u64;
        if end > have {
            let pages = (end - have).div_ceil(PAGE);
            memory
                .grow(pages)
                .map_err(|reason| AllocatorError::CannotGrow {
                    needed: end,
                    reason,
                })?;
        }
        let end = u32::try_from(end).map_err(|_| AllocatorError::CannotGrow {
            needed: end,
            reason: "beyond 4 GiB".into(),
        })?;
        let ptr = self.bump + HEADER;
        self.bump = end;
        Ok(ptr)
    }

    /// Where the header of the block at `ptr` would be, if `ptr` can be a block at all.
    fn header_range(&self, ptr: u32) -> Option<Range<usize>> {
        let header = ptr.checked_sub(HEADER)?;
        let aligned = ptr.is_multiple_of(MIN_BLOCK);
        (aligned && header >= self.start && ptr < self.bump)
            .then(|| header as usize..(header + HEADER) as usize)
    }
}

/// The size class that fits `size` bytes.
fn class_of(size: u32) -> Result<usize, AllocatorError> {
    if size > MAX_ALLOCATION {
        return Err(AllocatorError::TooLarge { size });
    }
    let block = size.max(MIN_BLOCK).next_power_of_two();
    Ok((block.trailing_zeros() - MIN_BLOCK.trailing_zeros()) as usize)
}

fn block_size(class: usize) -> u32 {
    MIN_BLOCK << class
}

fn write_header(memory: &mut impl HeapMemory, ptr: u32, class: usize, in_use: bool) {
    let at = (ptr - HEADER) as usize;
    let mut header = [0u8; HEADER as usize];
    header[..4].copy_from_slice(&(class as u32).to_le_bytes());
    header[4..].copy_from_slice(&u32::from(in_use).to_le_bytes());
    // `ptr` came from `carve` (inside memory, which never shrinks) or passed `header_range`.
    if let Some(dest) = memory.bytes().get_mut(at..at + HEADER as usize) {
        dest.copy_from_slice(&header);
    }
}

/// The class and in-use flag stored at `range`, if they are a valid header.
fn read_header(memory: &mut impl HeapMemory, range: Range<usize>) -> Option<(usize, bool)> {
    let bytes = memory.bytes().get(range)?;
    let class = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let in_use = match u32::from_le_bytes(bytes.get(4..)?.try_into().ok()?) {
        0 => false,
        1 => true,
        _ => return None,
    };
    (class < CLASSES).then_some((class, in_use))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memory of whole pages that may grow up to `max_pages`.
    struct VecMemory {
        bytes: Vec<u8>,
        max_pages: u64,
    }

    impl VecMemory {
        fn new(pages: u64, max_pages: u64) -> Self {
            Self {
                bytes: vec![0; (pages * PAGE) as usize],
                max_pages,
            }
        }
    }

    impl HeapMemory for VecMemory {
        fn bytes(&mut self) -> &mut [u8] {
            &mut self.bytes
        }
        fn grow(&mut self, pages: u64) -> Result<(), String> {
            let total = self.bytes.len() as u64 / PAGE + pages;
            if total > self.max_pages {
                return Err(format!("{total} pages exceed {}", self.max_pages));
            }
            self.bytes.resize((total * PAGE) as usize, 0);
            Ok(())
        }
    }

    #[test]
    fn blocks_start_above_the_heap_base_aligned_and_do_not_overlap() {
        let mut memory = VecMemory::new(1, 4);
        let mut heap = HostAllocator::new(1001);
        let a = heap.malloc(&mut memory, 3).unwrap();
        let b = heap.malloc(&mut memory, 100).unwrap();
        let c = heap.malloc(&mut memory, 0).unwrap();
        assert!(a >= 1001 + HEADER, "{a}");
        for ptr in [a, b, c] {
            assert_eq!(ptr % 8, 0);
        }
        assert!(b >= a + 8 + HEADER, "a has 8 bytes: {a} {b}");
        assert!(c >= b + 128 + HEADER, "b has 128 bytes: {b} {c}");
    }

    #[test]
    fn a_freed_block_is_reused_for_the_same_size_class() {
        let mut memory = VecMemory::new(1, 4);
        let mut heap = HostAllocator::new(1024);
        let a = heap.malloc(&mut memory, 50).unwrap();
        let used = heap.used();
        heap.free(&mut memory, a).unwrap();
        assert_eq!(heap.malloc(&mut memory, 64).unwrap(), a);
        assert_eq!(heap.used(), used, "no new block was carved");
        assert_ne!(
            heap.malloc(&mut memory, 50).unwrap(),
            a,
            "a is in use again"
        );
    }

    #[test]
    fn the_heap_grows_the_memory_by_pages_within_its_limit() {
        let mut memory = VecMemory::new(1, 3);
        let mut heap = HostAllocator::new(1024);
        let ptr = heap.malloc(&mut memory, 100_000).unwrap();
        assert_eq!(memory.bytes.len() as u64, 3 * PAGE);
        assert!((ptr + 100_000) as usize <= memory.bytes.len());
        let error = heap.malloc(&mut memory, 100_000).unwrap_err();
        assert!(
            matches!(error, AllocatorError::CannotGrow { .. }),
            "{error}"
        );
    }

    #[test]
    fn bad_frees_and_oversized_requests_are_errors() {
        let mut memory = VecMemory::new(1, 1024);
        let mut heap = HostAllocator::new(1024);
        let a = heap.malloc(&mut memory, 8).unwrap();
        assert_eq!(
            heap.malloc(&mut memory, MAX_ALLOCATION + 1),
            Err(AllocatorError::TooLarge {
                size: MAX_ALLOCATION + 1
            })
        );
        assert!(heap.malloc(&mut memory, MAX_ALLOCATION).is_ok());
        assert_eq!(
            heap.free(&mut memory, a + 4),
            Err(AllocatorError::NotABlock { ptr: a + 4 })
        );
        assert_eq!(
            heap.free(&mut memory, 16),
            Err(AllocatorError::NotABlock { ptr: 16 })
        );
        heap.free(&mut memory, a).unwrap();
        assert_eq!(
            heap.free(&mut memory, a),
            Err(AllocatorError::DoubleFree { ptr: a })
        );
    }

    #[test]
    fn a_scribbled_header_is_refused_not_trusted() {
        let mut memory = VecMemory::new(1, 4);
        let mut heap = HostAllocator::new(1024);
        let a = heap.malloc(&mut memory, 8).unwrap();
        let at = (a - HEADER) as usize;
        memory.bytes[at..at + 4].copy_from_slice(&99u32.to_le_bytes());
        assert_eq!(
            heap.free(&mut memory, a),
            Err(AllocatorError::NotABlock { ptr: a })
        );
    }
}
