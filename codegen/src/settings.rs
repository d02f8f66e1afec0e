//! What to generate, and how strictly. One value with builder methods; the
//! CLI's and the macro's options convert into it.

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

/// Generation settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    parts: Parts,
    tags: Option<Vec<String>>,
    unsupported: UnsupportedPolicy,
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
