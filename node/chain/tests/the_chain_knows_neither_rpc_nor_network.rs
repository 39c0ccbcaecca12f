//! Layout (issue 16, item 8): the chain crate depends on neither the RPC layer nor the
//! network; the binary wires them to it (`node/cli/src/service/`).

#[test]
fn folio_chain_depends_on_neither_folio_rpc_nor_folio_network() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("the manifest");
    let dependencies: String = manifest
        .split("\n[")
        .filter(|section| section.starts_with("dependencies]"))
        .collect();
    for edge in ["folio-rpc", "folio-network", "libp2p", "jsonrpsee"] {
        assert!(
            !dependencies.contains(edge),
            "folio-chain must not depend on {edge}"
        );
    }
}
