//! Client code generators (PAPI's `papi add`, Dedot's `dedot chaintypes`, subxt's codegen)
//! turn the metadata's names into identifiers of TypeScript or Rust. A runtime API parameter
//! named `class` stops `papi add` (a reserved word in TypeScript), and a type whose path ends
//! in `Range` is mistaken by Dedot for `core::ops::Range` and inlined. This test walks every
//! version the runtime serves and fails on any such name.

use folio_primitives::externalities::TestExternalities;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Decode, Encode};
use scale_info::{PortableRegistry, TypeDef};

/// Reserved words of JavaScript (strict mode) and TypeScript: none may name a function
/// parameter or a type.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "arguments",
    "eval",
    "any",
    "boolean",
    "never",
    "number",
    "object",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "bigint",
];

/// Last path segments of the core types generators special-case (they map them to their own
/// `Option`, `Result`, arrays, ranges …): a runtime type may not end in one of them.
const CORE_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "Range",
    "RangeInclusive",
    "Box",
    "Rc",
    "Arc",
    "Cow",
    "String",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "VecDeque",
    "Compact",
    "PhantomData",
    "Cell",
    "RefCell",
    "Duration",
];

/// Module paths whose types are the real core types.
const CORE_MODULES: &[&str] = &["core", "alloc", "std"];

/// Fields FRAME itself names with a reserved word: clients know them (polkadot-js, PAPI and
/// Dedot special-case `DispatchInfo`), and renaming them would break byte-level compatibility
/// of their JSON forms.
const FRAME_FIELDS: &[&str] = &[
    "frame_system::dispatch_info::DispatchEventInfo.class",
    "folio_primitives::weight::RuntimeDispatchInfo.class",
    "pallet_balances::pallet::Event::TotalIssuanceForced.new",
    "pallet_sudo::pallet::Call::set_key.new",
    "pallet_sudo::pallet::Event::KeyChanged.new",
];

/// TypeScript's type names: reserved for types, yet ordinary variable and field names.
const TYPE_ONLY: &[&str] = &[
    "any",
    "boolean",
    "never",
    "number",
    "object",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "bigint",
];

fn served(version: u32) -> RuntimeMetadata {
    let out = TestExternalities::default()
        .execute_with(|| {
            folio_runtime::apis::call("Metadata_metadata_at_version", &version.encode())
        })
        .expect("api call");
    let bytes = Option::<Vec<u8>>::decode(&mut &out[..])
        .expect("Option<OpaqueMetadata>")
        .unwrap_or_else(|| panic!("V{version} is served"));
    RuntimeMetadataPrefixed::decode(&mut &bytes[..])
        .expect("metadata decodes")
        .1
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Problems with the names of types: reserved words, core-type look-alikes, non-identifiers.
fn type_problems(types: &PortableRegistry) -> Vec<String> {
    let mut problems = Vec::new();
    for ty in &types.types {
        let segments = &ty.ty.path.segments;
        let Some(name) = segments.last() else {
            continue;
        };
        let path = segments.join("::");
        let is_core = segments
            .first()
            .is_some_and(|first| CORE_MODULES.contains(&first.as_str()))
            || segments.len() == 1;
        if !is_identifier(name) || RESERVED.contains(&name.as_str()) {
            problems.push(format!("type {path}: `{name}` is not a usable type name"));
        }
        if !is_core && CORE_TYPE_NAMES.contains(&name.as_str()) {
            problems.push(path.clone());
        }
        for param in &ty.ty.type_params {
            if RESERVED.contains(&param.name.as_str()) {
                problems.push(format!("type {path}: type parameter `{}`", param.name));
            }
        }
    }
    problems
}

/// Field names (call arguments, event and storage fields) become object keys or are escaped
/// by the generators, yet a reserved word there still breaks the code a user writes against
/// them (`const { class } = event`), so only FRAME's own fields may be reserved words.
fn field_problems(types: &PortableRegistry) -> Vec<String> {
    let mut problems = Vec::new();
    for ty in &types.types {
        let path = ty.ty.path.segments.join("::");
        let fields: Vec<(String, &Option<String>)> = match &ty.ty.type_def {
            TypeDef::Composite(c) => c.fields.iter().map(|f| (path.clone(), &f.name)).collect(),
            TypeDef::Variant(v) => v
                .variants
                .iter()
                .flat_map(|var| {
                    let at = format!("{path}::{}", var.name);
                    var.fields.iter().map(move |f| (at.clone(), &f.name))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (at, name) in fields {
            let Some(name) = name else { continue };
            let problem = format!("{at}.{name}");
            let reserved = RESERVED.contains(&name.as_str()) && !TYPE_ONLY.contains(&name.as_str());
            if reserved && !FRAME_FIELDS.contains(&problem.as_str()) {
                problems.push(problem);
            }
        }
    }
    problems
}

/// A runtime API method's parameters are function parameters in every generator.
fn api_problems<'a>(apis: impl Iterator<Item = (&'a str, &'a str, Vec<&'a str>)>) -> Vec<String> {
    let mut problems = Vec::new();
    for (api, method, params) in apis {
        for name in [api, method].into_iter().chain(params.iter().copied()) {
            if !is_identifier(name) {
                problems.push(format!("{api}.{method}: `{name}` is not an identifier"));
            }
        }
        for param in params {
            if RESERVED.contains(&param) {
                problems.push(format!("{api}.{method}.{param}"));
            }
        }
    }
    problems
}

fn problems(metadata: &RuntimeMetadata) -> Vec<String> {
    match metadata {
        RuntimeMetadata::V14(m) => {
            let mut all = type_problems(&m.types);
            all.extend(field_problems(&m.types));
            all
        }
        RuntimeMetadata::V15(m) => {
            let apis = m.apis.iter().flat_map(|api| {
                api.methods.iter().map(|method| {
                    let params = method.inputs.iter().map(|p| p.name.as_str()).collect();
                    (api.name.as_str(), method.name.as_str(), params)
                })
            });
            let mut all = type_problems(&m.types);
            all.extend(field_problems(&m.types));
            all.extend(api_problems(apis));
            all
        }
        RuntimeMetadata::V16(m) => {
            let apis = m.apis.iter().flat_map(|api| {
                api.methods.iter().map(|method| {
                    let params = method.inputs.iter().map(|p| p.name.as_str()).collect();
                    (api.name.as_str(), method.name.as_str(), params)
                })
            });
            let mut all = type_problems(&m.types);
            all.extend(field_problems(&m.types));
            all.extend(api_problems(apis));
            all
        }
        _ => vec!["unexpected metadata version".into()],
    }
}

#[test]
fn metadata_names_are_valid_identifiers() {
    for version in [14, 15, 16] {
        let mut found = problems(&served(version));
        found.sort();
        found.dedup();
        assert!(
            found.is_empty(),
            "V{version} has names code generators reject: {found:#?}"
        );
    }
}

#[test]
fn the_checks_catch_the_names_that_broke_generators() {
    #[allow(dead_code)]
    #[derive(scale_info::TypeInfo)]
    struct Probe {
        class: u32,
    }
    let mut registry = scale_info::Registry::new();
    registry.register_type(&scale_info::meta_type::<Probe>());
    let portable = PortableRegistry::from(registry);
    assert_eq!(field_problems(&portable).len(), 1);
    assert!(api_problems(std::iter::once(("Api", "m", vec!["class"]))).len() == 1);
    assert!(is_identifier("share_class") && !is_identifier("2x") && !is_identifier("a-b"));
}
