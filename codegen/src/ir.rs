//! The generator's own model of an API. Plain data: only `lower` builds it
//! from `openapiv3`; every emitter reads only this.

/// A whole API, as one spec describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// Module name for the spec (from its file stem).
    pub module: String,
    /// Path of the spec, as given, for headers and docs.
    pub source: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// One per tag, in the spec's tag order (undeclared tags follow in order of use).
    pub resources: Vec<Resource>,
    pub types: TypeSpace,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub kind: SecurityKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>`: HTTP `bearer`, and the access
    /// tokens of OAuth 2 and OpenID Connect.
    Bearer { format: Option<String> },
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header (the header's name).
    ApiKeyHeader { header: String },
    /// An API key in the query string (the parameter's name).
    ApiKeyQuery { parameter: String },
    /// An API key in a cookie (the cookie's name).
    ApiKeyCookie { cookie: String },
    /// Anything else (HTTP schemes other than bearer and basic, schemes the
    /// spec never defines): recorded, not generated for.
    Other { description: String },
}

/// One tag's operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The tag as written in the spec.
    pub tag: String,
    /// `snake_case` accessor/module name (`user_api_token`).
    pub rust_name: String,
    /// `UpperCamelCase` name (`UserApiToken`).
    pub type_name: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// Any other method token, as written (3.2 `query` is `QUERY`; 3.2
    /// `additionalOperations` keys are sent as they are spelled).
    Other(String),
}

impl Method {
    /// Whether `name` is an HTTP method token (RFC 9110 `token`).
    pub fn is_token(name: &str) -> bool {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Method::Other(name) => name,
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId, or one derived from method and path.
    pub id: String,
    /// `snake_case` method name within its resource (`delete`, `get`, `issue`).
    pub rust_name: String,
    /// `UpperCamelCase` prefix for the operation's own types (`UserApiTokenDelete`),
    /// unique among operations.
    pub type_name: String,
    /// Name of the operation's response enum in the types module (`UserApiTokenDeleteResponse`).
    pub response_type: String,
    pub method: Method,
    pub path: PathTemplate,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives: any one requirement satisfies the operation. Empty: no auth.
    pub security: Vec<SecurityRequirement>,
    /// Scopes of which a caller must hold at least one (`x-accepted-scopes`).
    pub accepted_scopes: Vec<String>,
    /// How the client walks every page (`x-pagination` and the shapes of
    /// other tools), when declared and usable.
    pub pagination: Option<Pagination>,
    /// What tells the operation apart from others of its path: a required
    /// header that holds one value only (a one-value enum: AWS's JSON
    /// protocols name the operation in `X-Amz-Target`), a constant pair
    /// of the template's query part (flickr's `?method=...`), or the keys
    /// of its placeholders there (weatherbit's `?lat={lat}&lon={lon}`).
    pub told_by: Option<Tell>,
    /// JSON pointer of the operation, for diagnostics.
    pub pointer: String,
}

/// A paginated operation: how the next page is asked for, where a page's
/// items are, and their types. Paths are property names (and array
/// indexes, `-1` the last) into the success body.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub scheme: PageScheme,
    pub items: Vec<String>,
    /// The total number of items.
    pub total: Option<Vec<String>>,
    /// The number of pages (page-number scheme).
    pub pages: Option<Vec<String>>,
    /// A boolean: more pages follow.
    pub has_more: Option<Vec<String>>,
    /// The success body (one page).
    pub page: TypeExpr,
    /// One item.
    pub item: TypeExpr,
    /// The extension it was declared with, for docs.
    pub declared_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageScheme {
    /// Query parameter names; `start` is the first page's number.
    Page {
        param: String,
        size: Option<String>,
        start: i64,
    },
    Offset {
        param: String,
        limit: Option<String>,
    },
    /// The cursor goes back in a query parameter or a top-level JSON body
    /// property.
    Cursor {
        param: String,
        in_body: bool,
        next: Vec<String>,
    },
    NextUrl {
        next: Vec<String>,
    },
    Link,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    pub raw: String,
    /// The path part (before any `?`).
    pub segments: Vec<Segment>,
    /// Constant pairs of a query part the template writes itself
    /// (`/rest?method=flickr.photos.search`): every request sends them.
    /// Placeholders there (`?lat={lat}`) became query parameters.
    pub query: Vec<(String, String)>,
}

#[cfg(test)]
impl TypeDef {
    /// A type named `name` at `pointer`, with nothing else set (for
    /// lowering's unit tests).
    pub fn named(name: &str, pointer: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            spec_name: name.into(),
            rust_name: name.into(),
            title: None,
            description: None,
            pointer: pointer.into(),
            kind,
            parent: None,
            in_response: false,
            rules: None,
            example: None,
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }
}

/// What tells an operation apart from others of its path:
/// [`Operation::told_by`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tell {
    /// A required header of one value (its name lower case).
    Header { name: String, value: String },
    /// A constant pair of the template's query part.
    Query { name: String, value: String },
    /// The keys of the template's query placeholders, sorted
    /// (`/airquality?lat={lat}&lon={lon}`): all present in the query.
    QueryKeys(Vec<String>),
}

impl PathTemplate {
    /// The server's route for this path: every segment holding a
    /// parameter becomes `{sN}` (`N` its index), so templates that differ
    /// only in parameter names, or in literals around a parameter within a
    /// segment, share a route (the router tells the latter apart by their
    /// literals: see [`shadowed_operations`]).
    pub fn route(&self) -> String {
        without_fragment(&self.raw)
            .split('/')
            .enumerate()
            .map(|(i, seg)| {
                if seg.contains('{') {
                    format!("{{s{i}}}")
                } else {
                    seg.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A path without its fragment (`/cookies#formExploded` is `/cookies`: a
/// fragment is never sent, so such templates name one path) or its query
/// part (`/alerts?lat={lat}`: sent as the query).
fn without_fragment(path: &str) -> &str {
    path.split(['#', '?']).next().unwrap_or(path)
}

impl PathTemplate {
    /// The template with its parameters' names left out (`/pulls/{}.{}`):
    /// two templates of one shape cannot be told apart by any request.
    pub fn shape(&self) -> String {
        let shape: String = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(text) => text.as_str(),
                Segment::Parameter(_) => "{}",
            })
            .collect();
        without_fragment(&shape).to_string()
    }
}

impl Api {
    /// Operations the server cannot route: see [`shadowed_operations`].
    pub fn shadowed_operations(&self) -> std::collections::BTreeMap<String, String> {
        shadowed_operations(self.resources.iter().flat_map(|r| &r.operations))
    }
}

/// Operations the server cannot route: another operation before them has
/// the same method, the same template but for its parameters' names
/// ([`PathTemplate::shape`]) and the same header telling it apart
/// ([`Operation::told_by`]: none, or one value of one header). Templates of one axum route but different
/// literals around their parameters (`/pulls/{index}` and
/// `/pulls/{index}.{diffType}`) are told apart by the router. By their
/// `type_name` (unique), the id of the operation that gets their requests.
pub fn shadowed_operations<'a>(
    ops: impl IntoIterator<Item = &'a Operation>,
) -> std::collections::BTreeMap<String, String> {
    type Key = (String, String, Option<Tell>);
    let mut first: std::collections::BTreeMap<Key, &str> = Default::default();
    let mut out = std::collections::BTreeMap::new();
    for op in ops {
        let key = (
            op.method.as_str().to_string(),
            op.path.shape(),
            op.told_by.clone(),
        );
        match first.get(&key) {
            Some(winner) => {
                out.insert(op.type_name.clone(), winner.to_string());
            }
            None => {
                first.insert(key, &op.id);
            }
        }
    }
    out
}

/// A piece of a path template; a parameter may sit inside a segment
/// (`/public/v{version}/...`).
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Literal(String),
    Parameter(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    /// 3.2 `in: querystring`: the whole query string, one form-encoded
    /// object (flat: every property a scalar).
    QueryString,
    Header,
    Cookie,
}

/// A parameter's `style` (the spec's names; the default is the location's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// OpenAPI 3.2 `cookie`: `form` without percent-encoding.
    Cookie,
}

impl ParamStyle {
    /// The spec's name (`deepObject`).
    pub fn spec_name(self) -> &'static str {
        match self {
            ParamStyle::Simple => "simple",
            ParamStyle::Label => "label",
            ParamStyle::Matrix => "matrix",
            ParamStyle::Form => "form",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
            ParamStyle::Cookie => "cookie",
        }
    }
}

/// What a parameter's value is, as its style writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamShape {
    /// One string, number, boolean or enum value.
    Scalar,
    /// A list of scalars.
    List,
    /// An object of scalar properties. `keys`: its property names (wire
    /// names), which an exploded `form` object is read back by; `None`
    /// when it has additional properties (then any name but the
    /// operation's other parameters').
    Object { keys: Option<Vec<String>> },
    /// Described by `content: application/json`: the value's JSON text,
    /// written as a scalar.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub rust_name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub schema: TypeExpr,
    /// The spec's default: documented, never silently sent.
    pub default: Option<serde_json::Value>,
    pub example: Option<serde_json::Value>,
    pub style: ParamStyle,
    /// `explode` (spec default: true for `form`, false otherwise).
    pub explode: bool,
    /// `allowReserved` (query only): reserved characters sent as they are.
    pub allow_reserved: bool,
    pub shape: ParamShape,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// By media type, in spec order.
    pub contents: Vec<MediaContent>,
    /// The Rust struct of a `multipart/form-data` body's parts.
    pub form_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaContent {
    pub media_type: String,
    pub schema: Option<TypeExpr>,
    /// OpenAPI 3.2 `itemSchema`: each item of a sequential media type
    /// (server-sent events, JSON sequences).
    pub item: Option<TypeExpr>,
    /// The first example given for this media type (`example`, else the
    /// first of `examples` with a `value`), for docs.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusCode {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusCode,
    pub description: String,
    pub contents: Vec<MediaContent>,
    pub headers: Vec<ResponseHeader>,
    /// The Rust struct carrying `headers`, when there are any.
    pub headers_type: Option<String>,
    /// The Rust enum of the body's representations, when the server may
    /// choose among several (JSON or CSV...) by `Accept`.
    pub body_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
    pub schema: TypeExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// Every scheme here must be satisfied (with the listed OAuth scopes).
    pub schemes: Vec<(String, Vec<String>)>,
}

/// Index into [`TypeSpace::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Every named type of an API: component schemas first, in spec order, then
/// inline types in the order lowering meets them. `TypeDef::parent` lets
/// emitters print each inline type right after the type that holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeSpace {
    pub types: Vec<TypeDef>,
    /// How the structs implement serde (the settings' `serde`).
    pub serde: crate::settings::SerdeForm,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The spec's name: the component key, or a path-derived name for inline types.
    pub spec_name: String,
    pub rust_name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// JSON pointer of the schema.
    pub pointer: String,
    pub kind: TypeKind,
    /// The type this inline type sits in (`None` for component schemas and
    /// for types of parameters and bodies).
    pub parent: Option<TypeId>,
    /// Reachable from a response: enums then keep unknown values.
    pub in_response: bool,
    /// JSON Schema keywords the type cannot express (`if`/`then`/`else`,
    /// `dependentSchemas`, `contains`, `propertyNames`), as written: the
    /// server checks them on the value as JSON.
    pub rules: Option<serde_json::Value>,
    /// The schema's `example` (3.1: its first `examples` item), for docs.
    pub example: Option<serde_json::Value>,
    /// The user's extra derives (settings), each a Rust path.
    pub derives: Vec<String>,
    /// The user's extra outer attributes (settings), each `#[...]`.
    pub attributes: Vec<String>,
}

// One value per arena entry, so variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructType),
    /// A string enum.
    Enum(EnumType),
    /// `oneOf`/`anyOf`: exactly one alternative (tried in order).
    OneOf(OneOfType),
    /// A name for another type expression (a component that is not an object or enum).
    Alias(TypeExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructType {
    pub fields: Vec<Field>,
    /// `additionalProperties: false`.
    pub deny_unknown: bool,
    /// `additionalProperties: <schema>` next to properties.
    pub additional: Option<Box<TypeExpr>>,
    /// The Rust field holding those properties: no property's name.
    pub additional_field: String,
    /// 3.1 `dependentRequired`: when the first field is present, each of the
    /// others must be too (spec names, all of them fields of this struct).
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// The common form of 3.1 `if`/`then`/`else`.
    pub conditional_required: Option<ConditionalRequired>,
}

/// `if: {properties: {<property>: {const: <value>}}}, then: {required:
/// [...]}, else: {required: [...]}` (spec names, all fields of the struct).
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalRequired {
    pub property: String,
    pub value: serde_json::Value,
    /// `if` also requires the property: absent, the condition fails (else
    /// an absent property passes it, as JSON Schema's `properties` does).
    pub property_required: bool,
    pub then: Vec<String>,
    pub otherwise: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub spec_name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub required: bool,
    pub schema: TypeExpr,
    /// `format: password` or `x-secret: true`: never printed by `Debug`.
    pub secret: bool,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// `writeOnly` and listed in `required`: `required` is `false` (one
    /// type serves both directions) but the server requires it in requests.
    pub request_required: bool,
    /// `readOnly` and listed in `required`: `required` is `false` but
    /// every answer carries it (a made-up answer must too).
    pub response_required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOfType {
    pub variants: Vec<OneOfVariant>,
    /// Property naming the alternative, if the spec gives a discriminator.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    pub rust_name: String,
    pub schema: TypeExpr,
    /// Values of the discriminator property that select this alternative
    /// (from `mapping`, or the component's name).
    pub discriminator_values: Vec<String>,
}

/// A use of a type, with the constraints that apply at that use.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub ty: Ty,
    pub nullable: bool,
    pub constraints: Constraints,
    pub default: Option<serde_json::Value>,
}

impl TypeExpr {
    pub fn new(ty: Ty) -> Self {
        TypeExpr {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            default: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Named(TypeId),
    String(StringFormat),
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    Array(Box<TypeExpr>),
    /// A fixed-length array whose items have their own types (3.1 `prefixItems`).
    Tuple(Vec<TypeExpr>),
    /// An object used as a map from string keys.
    Map(Box<TypeExpr>),
    /// `type: object` without properties: any JSON object.
    Object,
    /// No type at all: any JSON value.
    Any,
    /// A user's type replacing a schema (settings: `replace`), by its Rust
    /// path: trusted to read and write the schema's JSON, never checked.
    External(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Plain,
    DateTime,
    Date,
    Password,
    Byte,
    Binary,
    /// Any other format name: treated as a plain string.
    Other,
    /// A format the settings map to a Rust type with its own text form
    /// (`uuid::Uuid`...): its parsing is its check.
    Mapped(crate::settings::FormatType),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerFormat {
    Int32,
    Int64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    Float,
    Double,
}

/// Validation keywords, kept for the server's input checks and for docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub pattern: Option<String>,
    /// A string's `format` as the spec names it (`uuid`, `email`), whatever
    /// it is generated as: for docs and for values made up to match it.
    pub format: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    /// Allowed values of a non-string enum (strings become [`EnumType`]s).
    pub allowed: Vec<serde_json::Value>,
}
