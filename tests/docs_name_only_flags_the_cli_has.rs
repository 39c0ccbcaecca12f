//! The docs name only flags the node has, and every limit the node has is in
//! docs/security.md. Every `--flag` in docs/**/*.md (outside lines that run other tools:
//! cargo, npm, perf, subxt) must appear in the `--help` of `folio-node` or one of its
//! subcommands; every flag of `folio-node` with a numeric default (a limit; ports aside) must
//! appear in docs/security.md. docs/rpc.md once named flags the CLI did not have.

mod common;

use common::node_binary;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Lines that run another tool: their flags are that tool's.
const OTHER_TOOLS: [&str; 4] = ["cargo ", "npm ", "perf ", "subxt "];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `--name` tokens in `text` (a `--` not glued to a word before it, then lower-case letters,
/// digits and dashes).
fn flags_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut after_last = 0;
    for (start, _) in text.match_indices("--") {
        // `---` and `----` are rules or a flag's dashes already read.
        if start < after_last {
            continue;
        }
        let glued =
            start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'-');
        let name: String = text[start + 2..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        after_last = start + 2 + name.len();
        let name = name.trim_end_matches('-');
        if !glued && name.starts_with(|c: char| c.is_ascii_lowercase()) {
            found.push(format!("--{name}"));
        }
    }
    found
}

fn help(args: &[&str]) -> String {
    let output = Command::new(node_binary())
        .args(args)
        .arg("--help")
        .output()
        .expect("folio-node runs");
    assert!(output.status.success(), "folio-node {args:?} --help");
    String::from_utf8(output.stdout).expect("utf-8 help")
}

/// The subcommands a help text lists (its `Commands:` section), `help` aside.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every option of `folio-node` and its subcommands, recursively.
fn cli_flags() -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    while let Some(path) = todo.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        for line in text.lines().filter(|l| l.trim_start().starts_with('-')) {
            flags.extend(flags_in(line));
        }
        for sub in subcommands(&text) {
            let mut next = path.clone();
            next.push(sub);
            todo.push(next);
        }
    }
    flags
}

fn markdown_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("docs/ reads") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            markdown_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "md") {
            into.push(path);
        }
    }
}

#[test]
fn every_flag_named_in_the_docs_exists_in_the_cli() {
    let cli = cli_flags();
    assert!(
        cli.contains("--dev") && cli.contains("--accounts"),
        "{cli:?}"
    );
    let mut files = Vec::new();
    markdown_files(&workspace().join("docs"), &mut files);
    let mut unknown = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("doc reads");
        for (n, line) in text.lines().enumerate() {
            if OTHER_TOOLS.iter().any(|tool| line.contains(tool)) {
                continue;
            }
            for flag in flags_in(line) {
                if !cli.contains(&flag) {
                    unknown.push(format!("{}:{}: {flag}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "docs name flags the CLI does not have:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_limit_of_the_cli_is_in_the_security_doc() {
    let text = help(&[]);
    let security = std::fs::read_to_string(workspace().join("docs/security.md")).unwrap();
    let documented: BTreeSet<String> = flags_in(&security).into_iter().collect();
    // Options are blocks: a line starting with `-`, then its description lines.
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('-') {
            if let Some(flag) = flags_in(trimmed).into_iter().last() {
                blocks.push((flag, String::new()));
                continue;
            }
        }
        if let Some((_, body)) = blocks.last_mut() {
            body.push_str(line);
        }
    }
    let limits: Vec<&String> = blocks
        .iter()
        .filter(|(flag, body)| {
            !flag.ends_with("-port")
                && body
                    .split("[default: ")
                    .nth(1)
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(|(flag, _)| flag)
        .collect();
    assert!(limits.len() >= 10, "limits found in --help: {limits:?}");
    let missing: Vec<&&String> = limits
        .iter()
        .filter(|f| !documented.contains(**f))
        .collect();
    assert!(
        missing.is_empty(),
        "limits missing from docs/security.md: {missing:?}"
    );
}
