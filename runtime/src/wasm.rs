//! What only the wasm build needs: an allocator, a panic handler that reports before it
//! traps, the exported allocator the host places inputs with, and the entry-point glue.

use alloc::vec::Vec;
use folio_primitives::io::{self, LogLevel};

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    io::log(
        LogLevel::Error,
        "runtime",
        &alloc::format!("panicked: {info}"),
    );
    core::arch::wasm32::unreachable()
}

/// Gives the host a buffer of `len` bytes to place an entry point's input in.
#[no_mangle]
pub extern "C" fn folio_alloc(len: u32) -> u32 {
    let mut buffer: Vec<u8> = Vec::with_capacity(len as usize);
    let ptr = buffer.as_mut_ptr();
    core::mem::forget(buffer);
    ptr as u32
}

/// Runs an API function on the input the host placed at `ptr`, and returns the output as
/// `ptr | len << 32`. An error is logged and traps: the host reports the call as failed.
pub fn entry(ptr: u32, len: u32, api: fn(&[u8]) -> Result<Vec<u8>, crate::apis::ApiError>) -> u64 {
    let input = if len == 0 {
        Vec::new()
    } else {
        // SAFETY: the host filled exactly `len` bytes of a buffer `folio_alloc(len)` returned,
        // whose capacity is exactly `len` (Vec::with_capacity of u8).
        unsafe { Vec::from_raw_parts(ptr as *mut u8, len as usize, len as usize) }
    };
    match api(&input) {
        Ok(output) => {
            let out_ptr = output.as_ptr() as u64;
            let out_len = output.len() as u64;
            // The instance is discarded after the call: the host copies the output first.
            core::mem::forget(output);
            out_ptr | (out_len << 32)
        }
        Err(error) => {
            io::log(LogLevel::Error, "runtime", error.message());
            core::arch::wasm32::unreachable()
        }
    }
}
