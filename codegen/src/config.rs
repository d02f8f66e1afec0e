//! The settings file, `codegen.toml`: the same keys for the CLI (which
//! reads `./codegen.toml` when it is given no spec), build scripts
//! ([`crate::build::Builder::config`]) and the macro (`config = "..."`, or
//! the keys of one spec inline as `settings = "..."`).
//!
//! ```toml
//! out = "generated/src"                 # the CLI's --out (relative to this file)
//!
//! [[spec]]
//! path = "specs/pets.yaml"              # relative to this file
//! parts = ["types", "client"]           # default: all three
//! tags = ["pets"]                       # default: every operation
//! unsupported = "skip"                  # or "error"; `strict = true` is "error"
//! overlays = ["specs/pets.overlay.yaml"]  # OpenAPI Overlay 1.0, applied in order
//! serde = "object"                      # or "derive": #[derive(Serialize, Deserialize)] with #[serde] attributes
//! layout = "auto"                       # or "pretty" (prettyplease) or "lines" (fast; auto: lines above 500 operations)
//!
//! [spec.formats]                        # string format -> Rust type
//! uuid = "uuid::Uuid"
//! "string:date-time" = "String"
//!
//! [spec.replace]                        # schema -> your type (trusted serde shape)
//! Money = "crate::money::Money"
//!
//! [spec.derive]                         # type (schema or Rust name, or "*") -> derives
//! "*" = ["Hash", "Eq"]
//!
//! [spec.attributes]
//! Pet = ["#[non_exhaustive]"]
//!
//! [spec.rename.operations]              # also .tags, .types, .properties ("Schema.property")
//! listPets = "all_pets"
//! ```
//!
//! Every problem (an unknown key, a value of the wrong type, a format
//! mapped to a type outside the documented set, a type path that is not
//! Rust) is a located diagnostic in the file. Settings that match nothing
//! in the spec (a misspelt schema) are warnings located on their key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::settings::{FormatType, Layout, Parts, Renames, SerdeForm, Settings, UnsupportedPolicy};
use crate::source::SourceFile;

/// The file the CLI reads when it is given no spec.
pub const FILE_NAME: &str = "codegen.toml";

/// A read settings file.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the CLI writes (`out`), resolved against the file's directory.
    pub out: Option<PathBuf>,
    /// The specs, in the file's order.
    pub specs: Vec<SpecConfig>,
    file: Arc<SourceFile>,
}

/// One `[[spec]]` entry.
#[derive(Debug, Clone)]
pub struct SpecConfig {
    /// The spec, resolved against the file's directory.
    pub path: PathBuf,
    /// The spec's path as the file writes it.
    pub written: String,
    /// Its settings (overlays resolved against the file's directory).
    pub settings: Settings,
    /// Where each setting's key is, by its dotted name (`rename.types.Pet`).
    keys: BTreeMap<String, Range<usize>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    out: Option<String>,
    #[serde(default)]
    spec: Vec<Spanned<SettingsToml>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsToml {
    path: Option<Spanned<String>>,
    parts: Option<Vec<PartToml>>,
    tags: Option<Vec<String>>,
    unsupported: Option<UnsupportedToml>,
    strict: Option<bool>,
    serde: Option<SerdeToml>,
    layout: Option<LayoutToml>,
    overlays: Option<Vec<String>>,
    formats: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    replace: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    derive: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    attributes: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    rename: Option<RenamesToml>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SerdeToml {
    Object,
    Derive,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LayoutToml {
    Auto,
    Pretty,
    Lines,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenamesToml {
    operations: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    tags: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    types: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    properties: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum PartToml {
    Types,
    Client,
    Server,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum UnsupportedToml {
    Error,
    Skip,
}

/// Collects located problems while the file's values are checked.
struct Check<'a> {
    file: &'a Arc<SourceFile>,
    problems: Vec<Diagnostic>,
}

impl Check<'_> {
    fn bad(&mut self, span: Range<usize>, key: &str, message: String, hint: impl Into<String>) {
        let kind = DiagnosticKind::BadSetting {
            message,
            hint: hint.into(),
        };
        self.problems.push(
            Diagnostic::error(kind, key)
                .in_file(self.file)
                .at(self.file.position_of_offset(span.start)),
        );
    }
}

impl Config {
    /// Reads the settings file at `path`.
    pub fn load(path: &Path) -> Result<Config, Diagnostics> {
        Self::load_from(Path::new(""), path)
    }

    /// Reads the settings file `base.join(file)`, naming it `file` (as
    /// written, the same on every machine) in diagnostics; the paths in it
    /// are relative to its directory. The macro and build scripts read
    /// files relative to the crate this way.
    pub fn load_from(base: &Path, file: &Path) -> Result<Config, Diagnostics> {
        let path = base.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let file = Arc::new(SourceFile::new(file, String::new()));
            Diagnostics(vec![Diagnostic::error(
                DiagnosticKind::BadSetting {
                    message: format!("cannot read the settings file: {e}"),
                    hint: format!("write a `{FILE_NAME}` (see the book, docs/src/settings.md) or name one that exists"),
                },
                "",
            )
            .in_file(&file)])
        })?;
        Self::parse_named(file, &path, &text)
    }

    /// Reads settings file text; `path` names it in diagnostics, and its
    /// directory is what relative paths in it start from.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostics> {
        Self::parse_named(path, path, text)
    }

    /// [`Config::parse`] with the name shown apart from the path read.
    fn parse_named(shown: &Path, path: &Path, text: &str) -> Result<Config, Diagnostics> {
        let file = Arc::new(SourceFile::new(shown, text.to_string()));
        let raw: FileToml = from_toml(&file, text)?;
        let base = path.parent().unwrap_or(Path::new(""));
        let mut check = Check {
            file: &file,
            problems: Vec::new(),
        };
        let mut specs = Vec::new();
        if raw.spec.is_empty() {
            check.bad(
                0..0,
                "spec",
                "the file lists no spec".into(),
                "add a `[[spec]]` table with `path = \"specs/api.yaml\"`",
            );
        }
        for (i, entry) in raw.spec.into_iter().enumerate() {
            let span = entry.span();
            let entry = entry.into_inner();
            let Some(spec_path) = entry.path.clone() else {
                check.bad(
                    span,
                    &format!("spec[{i}]"),
                    "a `[[spec]]` entry without `path`".into(),
                    "add `path = \"specs/api.yaml\"` (relative to this file)",
                );
                continue;
            };
            let (settings, keys) = settings_of(entry, base, &mut check, &format!("spec[{i}]"));
            specs.push(SpecConfig {
                written: spec_path.get_ref().clone(),
                path: normalize(&base.join(spec_path.get_ref())),
                settings,
                keys,
            });
        }
        if !check.problems.is_empty() {
            return Err(Diagnostics(check.problems));
        }
        Ok(Config {
            out: raw.out.map(|o| normalize(&base.join(o))),
            specs,
            file,
        })
    }

    /// The entry for the spec at `path` (compared after resolving `.` and
    /// `..`), if the file lists it.
    pub fn spec(&self, path: &Path) -> Option<&SpecConfig> {
        let wanted = normalize(path);
        self.specs.iter().find(|s| s.path == wanted)
    }

    /// Points a warning about a setting (one that matched nothing in the
    /// spec) at its key in this file; other diagnostics are returned as they are.
    pub fn locate(&self, spec: &SpecConfig, d: Diagnostic) -> Diagnostic {
        let DiagnosticKind::UnusedSetting { key, .. } = &d.kind else {
            return d;
        };
        match spec.keys.get(key) {
            Some(span) => {
                let at = self.file.position_of_offset(span.start);
                d.in_file(&self.file).at(at)
            }
            None => d,
        }
    }
}

/// Reads the keys of one spec's settings (a `[[spec]]` table's, without
/// `path`), as the macro's `settings = "..."` takes them; `name` names the
/// text in diagnostics, and overlays are resolved against `base`.
pub fn parse_settings(name: &Path, text: &str, base: &Path) -> Result<Settings, Diagnostics> {
    let file = Arc::new(SourceFile::new(name, text.to_string()));
    let raw: SettingsToml = from_toml(&file, text)?;
    let mut check = Check {
        file: &file,
        problems: Vec::new(),
    };
    if let Some(path) = &raw.path {
        check.bad(
            path.span(),
            "path",
            "`path` in inline settings".into(),
            "the spec is the macro's first argument; drop `path`",
        );
    }
    let (settings, _) = settings_of(raw, base, &mut check, "");
    if check.problems.is_empty() {
        Ok(settings)
    } else {
        Err(Diagnostics(check.problems))
    }
}

/// TOML syntax and shape errors (unknown keys, wrong types), located.
fn from_toml<T: serde::de::DeserializeOwned>(
    file: &Arc<SourceFile>,
    text: &str,
) -> Result<T, Diagnostics> {
    toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(
            DiagnosticKind::BadSetting {
                message: e.message().trim_end().to_string(),
                hint: "the keys are: out, and per [[spec]]: path, parts, tags, unsupported, strict, serde, layout, overlays, formats, replace, derive, attributes, rename.{operations,tags,types,properties} (the book: docs/src/settings.md)".into(),
            },
            "",
        )
        .in_file(file);
        if let Some(span) = e.span() {
            d = d.at(file.position_of_offset(span.start));
        }
        Diagnostics(vec![d])
    })
}

/// The settings that need no checking: parts, tags, the policy for
/// reduced constructs, the serde form, the layout.
fn choices(raw: &SettingsToml, mut s: Settings) -> Settings {
    if let Some(parts) = &raw.parts {
        s = s.with_parts(Parts {
            types: parts.contains(&PartToml::Types),
            client: parts.contains(&PartToml::Client),
            server: parts.contains(&PartToml::Server),
        });
    }
    if let Some(tags) = &raw.tags {
        s = s.with_tags(tags.iter().cloned());
    }
    let policy = match raw.unsupported {
        _ if raw.strict.unwrap_or(false) => UnsupportedPolicy::Error,
        Some(UnsupportedToml::Error) => UnsupportedPolicy::Error,
        Some(UnsupportedToml::Skip) | None => UnsupportedPolicy::Skip,
    };
    s.with_unsupported(policy)
        .with_serde(match raw.serde {
            Some(SerdeToml::Derive) => SerdeForm::Derive,
            Some(SerdeToml::Object) | None => SerdeForm::Object,
        })
        .with_layout(match raw.layout {
            Some(LayoutToml::Pretty) => Layout::Pretty,
            Some(LayoutToml::Lines) => Layout::Lines,
            Some(LayoutToml::Auto) | None => Layout::Auto,
        })
}

fn settings_of(
    raw: SettingsToml,
    base: &Path,
    check: &mut Check<'_>,
    prefix: &str,
) -> (Settings, BTreeMap<String, Range<usize>>) {
    let key = |rest: &str| {
        if prefix.is_empty() {
            rest.to_string()
        } else {
            format!("{prefix}.{rest}")
        }
    };
    let mut keys = BTreeMap::new();
    let mut s = Settings::new();
    s = choices(&raw, s);
    if let Some(overlays) = raw.overlays {
        s = s.with_overlays(overlays.iter().map(|o| normalize(&base.join(o))));
    }
    for (format, ty) in raw.formats.unwrap_or_default() {
        let name = match format.get_ref().split_once(':') {
            None => format.get_ref().as_str(),
            Some(("string", name)) => name,
            Some((other, _)) => {
                check.bad(
                    format.span(),
                    &key(&format!("formats.{}", format.get_ref())),
                    format!("`{}`: only string formats are mapped (`{other}` values keep their Rust types: int32 is i32, double is f64)", format.get_ref()),
                    "write the key as the format's name (`uuid`) or `string:<format>`",
                );
                continue;
            }
        };
        match FormatType::from_path(ty.get_ref()) {
            Some(t) => {
                keys.insert(format!("formats.{name}"), format.span());
                s = s.with_format(name, t);
            }
            None => check.bad(
                ty.span(),
                &key(&format!("formats.{}", format.get_ref())),
                format!(
                    "`{}` is not a type a format can be generated as",
                    ty.get_ref()
                ),
                format!(
                    "choose one of: {}",
                    FormatType::ALL
                        .iter()
                        .map(|(_, p)| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    for (schema, path) in raw.replace.unwrap_or_default() {
        if syn::parse_str::<syn::Type>(path.get_ref()).is_err() {
            check.bad(
                path.span(),
                &key(&format!("replace.{}", schema.get_ref())),
                format!("`{}` is not a Rust type", path.get_ref()),
                "write the type's path as in Rust source: `crate::money::Money`",
            );
            continue;
        }
        keys.insert(format!("replace.{}", schema.get_ref()), schema.span());
        s = s.with_replacement(schema.into_inner(), path.into_inner());
    }
    for (ty, derives) in raw.derive.unwrap_or_default() {
        let mut ok = Vec::new();
        for d in derives {
            if syn::parse_str::<syn::Path>(d.get_ref()).is_err() {
                check.bad(
                    d.span(),
                    &key(&format!("derive.{}", ty.get_ref())),
                    format!("`{}` is not a derive macro's path", d.get_ref()),
                    "name a derive: `Hash`, `Eq`, `PartialOrd`, `serde::Serialize`",
                );
            } else {
                ok.push(d.into_inner());
            }
        }
        keys.insert(format!("derive.{}", ty.get_ref()), ty.span());
        s = s.with_derives(ty.into_inner(), ok);
    }
    for (ty, attributes) in raw.attributes.unwrap_or_default() {
        let mut ok = Vec::new();
        for a in attributes {
            if crate::attributes::parse_attributes(a.get_ref()).is_none() {
                check.bad(
                    a.span(),
                    &key(&format!("attributes.{}", ty.get_ref())),
                    format!("`{}` is not an outer attribute", a.get_ref()),
                    "write it as in Rust source: `#[non_exhaustive]`",
                );
            } else {
                ok.push(a.into_inner());
            }
        }
        keys.insert(format!("attributes.{}", ty.get_ref()), ty.span());
        s = s.with_attributes(ty.into_inner(), ok);
    }
    let rename = raw.rename.unwrap_or_default();
    let mut renames = Renames::default();
    for (section, map, out) in [
        ("operations", rename.operations, &mut renames.operations),
        ("tags", rename.tags, &mut renames.tags),
        ("types", rename.types, &mut renames.types),
        ("properties", rename.properties, &mut renames.properties),
    ] {
        for (from, to) in map.unwrap_or_default() {
            let dotted = format!("rename.{section}.{}", from.get_ref());
            if !to.get_ref().chars().any(|c| c.is_alphanumeric()) {
                check.bad(
                    to.span(),
                    &key(&dotted),
                    format!(
                        "`{}` has no letter or digit to make a name of",
                        to.get_ref()
                    ),
                    "write the name you want; it is made a Rust identifier in the usual case",
                );
                continue;
            }
            keys.insert(dotted, from.span());
            out.insert(from.into_inner(), to.into_inner());
        }
    }
    if !renames.is_empty() {
        s = s.with_renames(renames);
    }
    (s, keys)
}

/// `path` with `.` dropped and `a/..` folded, without touching the file
/// system (the spec may not exist yet: the error then names it as written).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(Path::new("conf/codegen.toml"), text)
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().render()
    }

    #[test]
    fn every_key_reaches_the_settings() {
        let c = parse(
            r##"
out = "../gen/src"
[[spec]]
path = "specs/./pets.yaml"
parts = ["types", "client"]
tags = ["pets"]
strict = true
serde = "derive"
overlays = ["o.yaml"]
formats = { uuid = "uuid::Uuid", "string:date-time" = "String" }
replace = { Money = "crate::Money" }
derive = { "*" = ["Hash", "Eq"] }
attributes = { Pet = ["#[non_exhaustive]"] }
rename.operations = { listPets = "all_pets" }
rename.properties = { "Pet.id" = "key" }
"##,
        )
        .unwrap();
        assert_eq!(c.out.as_deref(), Some(Path::new("gen/src")));
        let spec = c.spec(Path::new("conf/specs/pets.yaml")).unwrap();
        let s = &spec.settings;
        assert!(!s.parts().server && s.parts().client);
        assert_eq!(s.tags(), Some(&["pets".to_string()][..]));
        assert_eq!(s.unsupported(), UnsupportedPolicy::Error);
        assert_eq!(s.serde(), SerdeForm::Derive);
        assert_eq!(s.overlays(), [PathBuf::from("conf/o.yaml")]);
        assert_eq!(s.formats()["uuid"], FormatType::Uuid);
        assert_eq!(s.formats()["date-time"], FormatType::String);
        assert_eq!(s.replacements()["Money"], "crate::Money");
        assert_eq!(s.derives()["*"], ["Hash", "Eq"]);
        assert_eq!(s.attributes()["Pet"], ["#[non_exhaustive]"]);
        assert_eq!(s.renames().operations["listPets"], "all_pets");
        assert_eq!(s.renames().properties["Pet.id"], "key");
        assert_eq!(s.runtime_features(), ["uuid"]);
    }

    #[test]
    fn an_unknown_key_is_located() {
        let e = error("[[spec]]\npath = \"a.yaml\"\nformat = {}\n");
        assert!(e.contains("unknown field `format`"), "{e}");
        assert!(e.contains("conf/codegen.toml:3:1"), "{e}");
    }

    #[test]
    fn a_format_outside_the_set_is_located_with_the_choices() {
        let e = error("[[spec]]\npath = \"a.yaml\"\n[spec.formats]\nuuid = \"my::Uuid\"\n");
        assert!(e.contains("conf/codegen.toml:4:8"), "{e}");
        assert!(e.contains("`uuid::Uuid`"), "{e}");
    }

    #[test]
    fn bad_rust_is_refused_where_it_is_written() {
        let e = error(
            "[[spec]]\npath = \"a.yaml\"\nreplace = { Money = \"not a type\" }\nderive = { \"*\" = [\"Ha sh\"] }\nattributes = { X = [\"non_exhaustive\"] }\n",
        );
        assert!(e.contains("`not a type` is not a Rust type"), "{e}");
        assert!(e.contains("`Ha sh` is not a derive"), "{e}");
        assert!(
            e.contains("`non_exhaustive` is not an outer attribute"),
            "{e}"
        );
        assert!(e.contains("codegen.toml:3:"), "{e}");
    }

    #[test]
    fn a_wrong_value_type_and_a_missing_path_are_errors() {
        assert!(error("[[spec]]\npath = \"a.yaml\"\nparts = [\"model\"]\n")
            .contains("unknown variant `model`"));
        assert!(error("[[spec]]\ntags = []\n").contains("without `path`"));
        assert!(error("out = \"x\"\n").contains("lists no spec"));
        assert!(error(
            "[[spec]]\npath = \"a.yaml\"\nformats = { \"integer:int64\" = \"String\" }\n"
        )
        .contains("only string formats"));
    }

    #[test]
    fn inline_settings_take_the_same_keys_without_path() {
        let s = parse_settings(
            Path::new("src/lib.rs"),
            "formats = { uuid = \"uuid::Uuid\" }",
            Path::new("."),
        )
        .unwrap();
        assert_eq!(s.formats()["uuid"], FormatType::Uuid);
        let e = parse_settings(Path::new("src/lib.rs"), "path = \"x\"", Path::new("."))
            .unwrap_err()
            .render();
        assert!(e.contains("drop `path`"), "{e}");
    }

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
    }
}
