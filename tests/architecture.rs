//! The shape of the code (issue 10): the library's modules import each other one way
//! only, so the data flows one way; the command line is the binary's, not the
//! library's; stages share only `model`.
//!
//! The graph is read from the source: a module depends on another when one of its
//! files' code names `crate::other`. Tests (`#[cfg(test)]` modules and `tests.rs` files) are
//! left out: they may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level library module → the top-level modules it names.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap();
            let module = first
                .as_os_str()
                .to_str()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            if matches!(module.as_str(), "main" | "cli" | "exit_codes" | "lib")
                || path.file_name().unwrap() == "tests.rs"
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Code only: not tests, not comments (which may link to any module).
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let names = graph.entry(module.clone()).or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                // `crate::Error` and other re-exports at the root are not modules.
                if name != module && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                    names.insert(name.to_string());
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    for next in graph.get(path.last().unwrap()).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if !path.contains(next) {
            path.push(next.clone());
            if let Some(cycle) = cycle_from(graph, start, path) {
                return Some(cycle);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn library_modules_import_each_other_one_way() {
    let graph = import_graph();
    assert!(graph.contains_key("pipeline") && graph.contains_key("model"));
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, start, &mut vec![start.clone()]) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn stages_share_only_the_model_and_never_the_plan_being_built() {
    let graph = import_graph();
    // The stages of the pipeline return their parts; none may reach for the pipeline,
    // the request checker or another stage's output.
    for stage in ["checks", "formulation", "ketamine"] {
        let names = &graph[stage];
        for forbidden in ["pipeline", "request", "checks", "formulation", "ketamine"] {
            assert!(
                forbidden == stage || !names.contains(forbidden),
                "{stage} imports {forbidden}: {names:?}"
            );
        }
    }
    // The leaf every stage imports imports no stage.
    for forbidden in [
        "plan",
        "ideal",
        "checks",
        "formulation",
        "ketamine",
        "pipeline",
    ] {
        assert!(
            !graph["model"].contains(forbidden),
            "model imports {forbidden}"
        );
    }
}

#[test]
fn the_command_line_is_not_part_of_the_library() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert!(
        !lib.contains("mod cli"),
        "src/lib.rs declares the cli module"
    );
    let cargo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    // Domain types do not derive clap's ValueEnum: clap is the binary's business.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != "cli" {
                    stack.push(path);
                }
            } else if path.file_name().unwrap() != "main.rs" {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("clap::"),
                    "{} uses clap outside the binary",
                    path.display()
                );
            }
        }
    }
    assert!(cargo.contains("clap"));
}
