//! Reading a runtime's version without running it: the `runtime_version` wasm custom section,
//! which the runtime build emits with its SCALE-encoded `RuntimeVersion` (as Substrate's
//! runtimes do). A candidate runtime (`set_code`) is untrusted code: reading its version this
//! way costs a scan of its section headers, not a call that could loop or trap.

/// The custom section that holds the SCALE-encoded `RuntimeVersion`.
pub const RUNTIME_VERSION_SECTION: &str = "runtime_version";

/// `\0asm` and version 1.
const WASM_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// An unsigned LEB128 `u32` at the start of `bytes`, and the rest.
fn leb128_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let mut value: u32 = 0;
    for (i, byte) in bytes.iter().enumerate().take(5) {
        let shift = u32::try_from(i).ok()?.checked_mul(7)?;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(i.checked_add(1)?..)?));
        }
    }
    None
}

/// The contents of the first custom section named `name` in the wasm module `code`, or `None`
/// if there is none or the module is malformed before it.
pub fn custom_section<'a>(code: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let mut rest = code.strip_prefix(&WASM_HEADER[..])?;
    while let Some((&id, after_id)) = rest.split_first() {
        let (size, after_size) = leb128_u32(after_id)?;
        let size = usize::try_from(size).ok()?;
        let payload = after_size.get(..size)?;
        rest = after_size.get(size..)?;
        if id != 0 {
            continue;
        }
        let (name_len, after_len) = leb128_u32(payload)?;
        let name_len = usize::try_from(name_len).ok()?;
        if after_len.get(..name_len)? == name.as_bytes() {
            return after_len.get(name_len..);
        }
    }
    None
}

/// The runtime version `code` declares in its `runtime_version` section.
pub fn declared_version(code: &[u8]) -> Option<&[u8]> {
    custom_section(code, RUNTIME_VERSION_SECTION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_with(sections: &[(&str, &[u8])]) -> Vec<u8> {
        let mut code = WASM_HEADER.to_vec();
        // A type section (id 1) with no types, to skip over.
        code.extend([1, 1, 0]);
        for (name, payload) in sections {
            let mut body = vec![u8::try_from(name.len()).unwrap()];
            body.extend(name.as_bytes());
            body.extend(*payload);
            code.push(0);
            code.push(u8::try_from(body.len()).unwrap());
            code.extend(body);
        }
        code
    }

    #[test]
    fn the_version_section_is_found_among_others() {
        let code = module_with(&[("name", b"xx"), (RUNTIME_VERSION_SECTION, b"version")]);
        assert_eq!(declared_version(&code), Some(&b"version"[..]));
        assert_eq!(custom_section(&code, "name"), Some(&b"xx"[..]));
        assert_eq!(custom_section(&code, "other"), None);
    }

    #[test]
    fn malformed_modules_have_no_section_and_never_panic() {
        assert_eq!(declared_version(b"not wasm"), None);
        let mut code = module_with(&[(RUNTIME_VERSION_SECTION, b"v")]);
        code.truncate(code.len() - 1);
        assert_eq!(declared_version(&code), None);
        for len in 0..code.len() {
            let _ = declared_version(&code[..len]);
        }
        let overlong = [&WASM_HEADER[..], &[0, 0xff, 0xff, 0xff, 0xff, 0xff]].concat();
        assert_eq!(declared_version(&overlong), None);
    }
}
