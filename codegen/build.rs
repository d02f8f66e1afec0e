//! Carries the runtime crate's sources inside the generator, so that what
//! the generator builds itself (`--verify-examples`) compiles against the
//! runtime it was built with, wherever it runs: no path into this checkout,
//! no published release needed.
//!
//! Writes `$OUT_DIR/runtime_files.rs`: `RUNTIME_FILES`, each file's path
//! inside the crate and its bytes, with `Cargo.toml` made standalone (the
//! workspace's inherited keys written out, dev-dependencies dropped). Where
//! the runtime's sources are not beside this crate (a packaged `codegen`),
//! the list is empty and the published runtime is used instead.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let runtime = manifest_dir.join("runtime");
    let workspace = manifest_dir.join("..").join("Cargo.toml");
    println!("cargo:rerun-if-changed=runtime/src");
    println!("cargo:rerun-if-changed=runtime/Cargo.toml");
    println!("cargo:rerun-if-changed=runtime/README.md");
    println!("cargo:rerun-if-changed=../Cargo.toml");
    let listing = match standalone_manifest(&runtime, &workspace) {
        Some(manifest) => {
            let path = out.join("runtime-Cargo.toml");
            fs::write(&path, manifest).expect("OUT_DIR is writable");
            let mut files = vec![("Cargo.toml".to_string(), path)];
            files.push(("README.md".to_string(), runtime.join("README.md")));
            sources(&runtime.join("src"), "src", &mut files);
            files.sort();
            files
        }
        None => Vec::new(),
    };
    let mut code = String::from("/// The runtime crate's files: path inside the crate, bytes.\npub(crate) static RUNTIME_FILES: &[(&str, &[u8])] = &[\n");
    for (inside, path) in &listing {
        let _ = writeln!(
            code,
            "    ({inside:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    fs::write(out.join("runtime_files.rs"), code).expect("OUT_DIR is writable");
}

/// Every `.rs` file under `dir`, as (`prefix/...`, path).
fn sources(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let inside = format!("{prefix}/{name}");
        if path.is_dir() {
            sources(&path, &inside, files);
        } else if name.ends_with(".rs") {
            files.push((inside, path));
        }
    }
}

/// The runtime's manifest with every `workspace = true` key written out.
fn standalone_manifest(runtime: &Path, workspace: &Path) -> Option<String> {
    let mut manifest: toml::Table = fs::read_to_string(runtime.join("Cargo.toml"))
        .ok()?
        .parse()
        .ok()?;
    let root: toml::Table = fs::read_to_string(workspace).ok()?.parse().ok()?;
    let shared = root.get("workspace")?.as_table()?;
    let package_keys = shared.get("package").and_then(toml::Value::as_table);
    let dependencies = shared.get("dependencies").and_then(toml::Value::as_table);
    manifest.remove("dev-dependencies");
    if let Some(package) = manifest
        .get_mut("package")
        .and_then(toml::Value::as_table_mut)
    {
        for (key, value) in package.iter_mut() {
            if inherits(value) {
                *value = package_keys?.get(key)?.clone();
            }
        }
    }
    if let Some(deps) = manifest
        .get_mut("dependencies")
        .and_then(toml::Value::as_table_mut)
    {
        for (name, value) in deps.iter_mut() {
            if inherits(value) {
                *value = merged(dependencies?.get(name)?, value.as_table()?);
            }
        }
    }
    Some(format!(
        "# codegen-runtime's manifest, made standalone by codegen's build script.\n{}",
        toml::to_string(&manifest).ok()?
    ))
}

fn inherits(value: &toml::Value) -> bool {
    value
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(toml::Value::as_bool)
        == Some(true)
}

/// The workspace's entry for a dependency with the member's own keys
/// (`optional`, added `features`) on top.
fn merged(shared: &toml::Value, own: &toml::Table) -> toml::Value {
    let mut out = match shared {
        toml::Value::String(version) => {
            let mut t = toml::Table::new();
            t.insert("version".into(), toml::Value::String(version.clone()));
            t
        }
        toml::Value::Table(t) => t.clone(),
        other => return other.clone(),
    };
    for (key, value) in own {
        match (key.as_str(), value) {
            ("workspace", _) => {}
            ("features", toml::Value::Array(extra)) => {
                let features = out
                    .entry("features")
                    .or_insert_with(|| toml::Value::Array(Vec::new()));
                if let toml::Value::Array(list) = features {
                    for f in extra {
                        if !list.contains(f) {
                            list.push(f.clone());
                        }
                    }
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    toml::Value::Table(out)
}
