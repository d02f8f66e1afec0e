//! What to generate, and how strictly. One value with builder methods; the
//! CLI's flags, the macro's options and the settings file (`codegen.toml`,
//! [`crate::config`]) all convert into it, so the three front ends cannot
//! disagree about what a key means.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Which parts of the module to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The `types` module: one type per schema, the response enums.
    pub types: bool,
    /// The `client` module (needs `types`).
    pub client: bool,
    /// The `server` module (needs `types`).
    pub server: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            types: true,
            client: true,
            server: true,
        }
    }
}

/// What to do with a construct the generator can only express in a reduced
/// form (a fallback type such as `serde_json::Value`, a keyword not
/// checked) or must leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnsupportedPolicy {
    /// Refuse: every such construct is a located error (strict; for specs
    /// you own and want generated exactly).
    Error,
    /// Generate the fallback, or leave the construct out, with a located
    /// warning (the default: any valid spec generates compiling code).
    #[default]
    Skip,
}

/// The Rust type a string `format` is generated as: a documented set, each
/// one a type whose serde form is the format's text (what the wire holds)
/// and whose `FromStr` parses it (what parameters and headers need).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormatType {
    /// `String`: the text as sent, unchecked (e.g. to keep `date-time`
    /// values a server sends in another format than RFC 3339).
    String,
    /// `chrono::DateTime<chrono::Utc>` (the default for `date-time`).
    ChronoDateTime,
    /// `chrono::NaiveDate` (the default for `date`).
    ChronoDate,
    /// `uuid::Uuid` (runtime feature `uuid`).
    Uuid,
    /// `url::Url` (runtime feature `url`).
    Url,
    /// `rust_decimal::Decimal`, written as a string (runtime feature `decimal`).
    Decimal,
    /// `std::net::IpAddr`.
    IpAddr,
    /// `std::net::Ipv4Addr`.
    Ipv4Addr,
    /// `std::net::Ipv6Addr`.
    Ipv6Addr,
}

impl FormatType {
    /// Every choice, with the Rust path a settings file names it by.
    pub const ALL: [(FormatType, &'static str); 9] = [
        (FormatType::String, "String"),
        (FormatType::ChronoDateTime, "chrono::DateTime<chrono::Utc>"),
        (FormatType::ChronoDate, "chrono::NaiveDate"),
        (FormatType::Uuid, "uuid::Uuid"),
        (FormatType::Url, "url::Url"),
        (FormatType::Decimal, "rust_decimal::Decimal"),
        (FormatType::IpAddr, "std::net::IpAddr"),
        (FormatType::Ipv4Addr, "std::net::Ipv4Addr"),
        (FormatType::Ipv6Addr, "std::net::Ipv6Addr"),
    ];

    /// The choice a Rust path names (spaces ignored), if it is one.
    pub fn from_path(path: &str) -> Option<FormatType> {
        let wanted: String = path.chars().filter(|c| !c.is_whitespace()).collect();
        let wanted = wanted.trim_start_matches("::");
        Self::ALL
            .iter()
            .find(|(_, p)| *p == wanted)
            .map(|(t, _)| *t)
    }

    /// The Rust path a settings file names this choice by.
    pub fn path(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("String", |(_, p)| p)
    }

    /// The runtime feature the type needs, if any.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            FormatType::Uuid => Some("uuid"),
            FormatType::Url => Some("url"),
            FormatType::Decimal => Some("decimal"),
            _ => None,
        }
    }
}

/// Names the spec's own names are replaced by, before the name plan makes
/// them Rust identifiers and resolves collisions (a rename can never make
/// two items share a name: the later one gets a suffix, as spec names do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// operationId -> the operation's name (its method; its types and
    /// constant follow).
    pub operations: BTreeMap<String, String>,
    /// Tag -> the resource's name (client accessor, server trait).
    pub tags: BTreeMap<String, String>,
    /// Component schema name (or the Rust name it would have) -> the type's name.
    pub types: BTreeMap<String, String>,
    /// `Schema.property` -> the field's name (the wire name is unchanged).
    pub properties: BTreeMap<String, String>,
}

impl Renames {
    /// No rename at all.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
            && self.tags.is_empty()
            && self.types.is_empty()
            && self.properties.is_empty()
    }
}

/// Which generated types a derive or attribute applies to.
pub const ALL_TYPES: &str = "*";

/// Generation settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    parts: Parts,
    tags: Option<Vec<String>>,
    unsupported: UnsupportedPolicy,
    formats: BTreeMap<String, FormatType>,
    replacements: BTreeMap<String, String>,
    derives: BTreeMap<String, Vec<String>>,
    attributes: BTreeMap<String, Vec<String>>,
    renames: Renames,
    overlays: Vec<PathBuf>,
    serde: SerdeForm,
    layout: Layout,
}

/// How the generated files are laid out; the same tokens either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// [`Layout::Pretty`], or [`Layout::Lines`] for a large API (more than
    /// [`Layout::LARGE_OPERATIONS`] operations or [`Layout::LARGE_TYPES`]
    /// types), whose files are tens of megabytes: there the pretty printer
    /// is two thirds of the generation time.
    #[default]
    Auto,
    /// syn + prettyplease: rustfmt's style, wrapped at 100 columns.
    Pretty,
    /// One pass over the tokens, no syntax tree: one statement, item,
    /// field, variant or match arm per line, indented, doc comments as
    /// `///`; lines are not wrapped. Several times faster.
    Lines,
}

impl Layout {
    /// Above this many operations, [`Layout::Auto`] is [`Layout::Lines`].
    pub const LARGE_OPERATIONS: usize = 500;
    /// Above this many types, [`Layout::Auto`] is [`Layout::Lines`].
    pub const LARGE_TYPES: usize = 2_000;

    /// `Pretty` or `Lines`, for an API of this size.
    pub fn resolve(self, operations: usize, types: usize) -> Layout {
        match self {
            Layout::Auto if operations > Self::LARGE_OPERATIONS || types > Self::LARGE_TYPES => {
                Layout::Lines
            }
            Layout::Auto => Layout::Pretty,
            chosen => chosen,
        }
    }
}

/// How generated structs implement `Serialize` and `Deserialize`; the same
/// on the wire either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SerdeForm {
    /// The runtime's `object!` macro, one loop over the properties: about
    /// half the check time of the derive on a large API. Derives of the
    /// user's that read `#[serde]` attributes see no wire names.
    #[default]
    Object,
    /// `#[derive(Serialize, Deserialize)]` with `#[serde]` attributes
    /// (`rename`, `default`, `skip_serializing_if`, `flatten`...), for
    /// derives that read them (schemars' `JsonSchema`, utoipa's `ToSchema`).
    Derive,
}

impl Settings {
    /// Every part, every operation, reduced constructs are warnings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Emit only these parts.
    pub fn with_parts(mut self, parts: Parts) -> Self {
        self.parts = parts;
        self
    }

    /// Keep only operations of these tags (resources). Types are kept whole.
    pub fn with_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// What to do with unsupported constructs.
    pub fn with_unsupported(mut self, policy: UnsupportedPolicy) -> Self {
        self.unsupported = policy;
        self
    }

    /// Generates strings of `format` (a format name such as `uuid`, or
    /// `string:uuid`) as `ty`. Other types' formats keep their Rust types
    /// (`int32` is `i32`).
    pub fn with_format(mut self, format: impl Into<String>, ty: FormatType) -> Self {
        let format = format.into();
        let name = format
            .strip_prefix("string:")
            .unwrap_or(&format)
            .to_string();
        self.formats.insert(name, ty);
        self
    }

    /// Uses the Rust type at `path` (e.g. `crate::money::Money`) wherever
    /// the component schema `schema` is used, instead of generating one.
    /// The generator trusts the type's serde form to match the schema's
    /// and does not check its values; as a parameter it needs `FromStr`
    /// and `Display`. `path` must parse as a Rust type.
    pub fn with_replacement(mut self, schema: impl Into<String>, path: impl Into<String>) -> Self {
        self.replacements.insert(schema.into(), path.into());
        self
    }

    /// Adds derives (`Hash`, `Eq`, `serde::...`) to the generated type
    /// named `ty` (its schema name or Rust name), or to every struct, enum
    /// and one-of with [`ALL_TYPES`]. Derives the type already has are
    /// not repeated.
    pub fn with_derives<I, S>(mut self, ty: impl Into<String>, derives: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.derives
            .entry(ty.into())
            .or_default()
            .extend(derives.into_iter().map(Into::into));
        self
    }

    /// Adds outer attributes (`#[non_exhaustive]`, `#[cfg_attr(...)]`) to
    /// the generated type named `ty`, or to every one with [`ALL_TYPES`].
    pub fn with_attributes<I, S>(mut self, ty: impl Into<String>, attributes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes
            .entry(ty.into())
            .or_default()
            .extend(attributes.into_iter().map(Into::into));
        self
    }

    /// Renames operations, tags, types and properties.
    pub fn with_renames(mut self, renames: Renames) -> Self {
        self.renames = renames;
        self
    }

    /// Applies these OpenAPI Overlay documents, in order, to the spec
    /// before reading it.
    pub fn with_overlays<I, P>(mut self, overlays: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        self.overlays.extend(overlays.into_iter().map(Into::into));
        self
    }

    /// The Rust type of each mapped string format.
    pub fn formats(&self) -> &BTreeMap<String, FormatType> {
        &self.formats
    }

    /// Component schema -> the user's type path replacing it.
    pub fn replacements(&self) -> &BTreeMap<String, String> {
        &self.replacements
    }

    /// Type (or [`ALL_TYPES`]) -> extra derives.
    pub fn derives(&self) -> &BTreeMap<String, Vec<String>> {
        &self.derives
    }

    /// Type (or [`ALL_TYPES`]) -> extra attributes.
    pub fn attributes(&self) -> &BTreeMap<String, Vec<String>> {
        &self.attributes
    }

    /// The renames.
    pub fn renames(&self) -> &Renames {
        &self.renames
    }

    /// How structs implement serde.
    pub fn with_serde(mut self, form: SerdeForm) -> Self {
        self.serde = form;
        self
    }

    /// How structs implement serde.
    pub fn serde(&self) -> SerdeForm {
        self.serde
    }

    /// The layout of the generated files.
    pub fn with_layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// The layout of the generated files ([`Layout::Auto`] by default).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The overlays, in the order they apply.
    pub fn overlays(&self) -> &[PathBuf] {
        &self.overlays
    }

    /// The runtime features the generated code needs beyond its parts'
    /// (`uuid`, `url`, `decimal` for mapped formats).
    pub fn runtime_features(&self) -> Vec<&'static str> {
        let mut features: Vec<&'static str> =
            self.formats.values().filter_map(|t| t.feature()).collect();
        features.sort_unstable();
        features.dedup();
        features
    }

    /// The parts to emit.
    pub fn parts(&self) -> Parts {
        self.parts
    }

    /// The tags whose operations to keep (`None`: all).
    pub fn tags(&self) -> Option<&[String]> {
        self.tags.as_deref()
    }

    /// The unsupported-construct policy.
    pub fn unsupported(&self) -> UnsupportedPolicy {
        self.unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_key_may_name_its_type() {
        let s = Settings::new().with_format("string:uuid", FormatType::Uuid);
        assert_eq!(s.formats().get("uuid"), Some(&FormatType::Uuid));
        assert_eq!(s.runtime_features(), ["uuid"]);
    }

    #[test]
    fn every_choice_is_found_by_its_path() {
        for (t, path) in FormatType::ALL {
            assert_eq!(FormatType::from_path(path), Some(t));
            assert_eq!(t.path(), path);
        }
        assert_eq!(
            FormatType::from_path(" chrono::DateTime< chrono::Utc >"),
            Some(FormatType::ChronoDateTime)
        );
        assert_eq!(FormatType::from_path("time::OffsetDateTime"), None);
    }
}
