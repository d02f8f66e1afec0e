//! The name plan: every Rust name of a module's `client` and `server` parts,
//! decided once, before emission, with the names those parts always emit
//! (and the runtime alias, and the prelude) reserved. Emitters read it and
//! never make a name of their own.
//!
//! Lowering already names what the IR carries (types, fields, variants,
//! operations' methods, resources' accessors) through [`crate::naming`];
//! the plan adds the items that exist only in the client or the server
//! (traits, inputs, handlers, validators, statics, builders) and moves any
//! IR name that would collide with a part's fixed items.
//!
//! The prelude names generated code uses unqualified ([`PRELUDE`]) are
//! reserved; others (`Default`, `Clone`) are not: generated code names them
//! by full path or only as derive macros, which no item shadows (the
//! reserved-names fixture compiles that).
//!
//! Locals inside generated bodies cannot collide with spec names: the
//! handler binds parameters as `p_<field>` and the parts of a typed
//! multipart form as `b_<field>` (fields of one input struct, so distinct),
//! and none of its own locals starts with `p_` or `b_`; everything else a body names is a field (`self.x`,
//! `input.x`), a fully qualified path, or the client's local alias
//! `Answer` for the operation's response enum (spec types are always
//! named `types::X` there, so it shadows nothing). The `operations` part
//! holds only the operations' constants (their own namespace); the client
//! and server reach it as `op::NAME`, `op` being a reserved name.

use std::collections::BTreeMap;

use crate::ir::{Api, Operation, Resource, StatusCode, Ty, TypeExpr, TypeId, TypeKind};
use crate::naming::{compose, snake_name, type_name, Namespace};

/// Prelude names generated code uses unqualified (`Option<String>` reads
/// better and wraps less than `::std::option::Option<::std::string::String>`):
/// no generated item may take them (lowering reserves them for types too).
pub const PRELUDE: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "Send", "Sync",
];

/// Generic parameter names generated code declares (`impl<T: ..>`,
/// `fn handle<S: Service>`, `fn deserialize<D: Deserializer>`): an item of
/// the same name would be shadowed by them, so none may take them.
pub const GENERICS: &[&str] = &["D", "S", "T"];

/// Items the `server` part always emits or imports.
pub const SERVER_FIXED: &[&str] = &[
    "router",
    "router_with",
    "router_layered",
    "serve",
    "Limits",
    "DEFAULT_BODY_LIMIT",
    "AUTHENTICATE_CHALLENGE",
    "State",
    "Request",
    "Response",
    "IntoResponse",
    "Arc",
    "Future",
    "Credentials",
    "ApiKey",
    "BasicCredentials",
    "BearerToken",
    "Outcome",
    "Problem",
    "Violation",
    "rt",
    "op",
    "types",
    "client",
    "server",
    "operations",
];

/// Items the `client` part always emits or imports.
pub const CLIENT_FIXED: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "RequestEncoding",
    "Credentials",
    "Method",
    "rt",
    "op",
    "types",
    "client",
    "server",
    "operations",
];

/// Methods of the generated `Client` besides the resource accessors.
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "base_url", "clone", "fmt"];

/// The methods of every `ClientBuilder` besides its credential setters
/// (one per security scheme, also the `Credentials` fields).
pub const BUILDER_METHODS: &[&str] = &[
    "new",
    "build",
    "timeout",
    "default_header",
    "http_client",
    "base_url",
    "retry",
    "layer",
];

/// Fields and methods of every request builder besides its parameters.
pub const REQUEST_MEMBERS: &[&str] = &[
    "client",
    "body",
    "encoding",
    "content_type",
    "accept",
    "retry",
    "pages",
    "items",
    "prepare",
    "send",
    "answer",
    "clone",
    "fmt",
];

/// Methods an operation's method must not shadow: those the accessor
/// structs derive (`Clone`, `Debug`). Other std-looking names (`new`,
/// `into_x`, `default`) stay as the spec says; the impls allow the clippy
/// lints about them.
pub const OPERATION_METHODS: &[&str] = &["clone", "clone_from", "fmt"];

/// Fields of every server input besides its parameters.
pub const INPUT_MEMBERS: &[&str] = &["body", "accept", "credentials"];

/// The names of one module's client and server parts.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// Server: the trait every service implements (all resource traits).
    pub service: String,
    /// Per resource (by its index): the server trait.
    pub traits: Vec<String>,
    /// Per resource: the client's accessor method and accessor struct.
    pub accessors: Vec<(String, String)>,
    /// Per operation (by `Operation::type_name`, unique in a module).
    pub operations: BTreeMap<String, OperationNames>,
    /// Validator functions of the types whose values need checks.
    pub validators: BTreeMap<TypeId, String>,
    /// `Shape` statics of the struct types request bodies hold.
    pub shapes: BTreeMap<TypeId, String>,
    /// `Pattern` statics, by the pattern's text.
    pub patterns: BTreeMap<String, String>,
    /// `Rules` statics of the types with rules (see `TypeDef::rules`).
    pub rules: BTreeMap<TypeId, String>,
    /// The `Credentials` variant of each security scheme (by its key).
    pub scheme_variants: BTreeMap<String, String>,
    /// Client: the `ClientBuilder` setter (and `Credentials` field) of each
    /// security scheme the client presents (by its key).
    pub scheme_setters: BTreeMap<String, String>,
    /// Types: an operation (by `Operation::type_name`) whose response enum
    /// would be the same as an earlier one's (variants, docs, bodies,
    /// headers, media types) -> that earlier enum, which its own name
    /// aliases. Large APIs repeat answers (GitHub: 46 operations answer
    /// only `204 No Content`).
    pub same_responses: BTreeMap<String, String>,
    /// Types: a response headers struct the same as an earlier one ->
    /// that one (GitHub: 144 structs holding only `Link`).
    pub same_headers: BTreeMap<String, String>,
    /// Types: whether the module has an `operations` part (it has with a
    /// client or a server), so types may name its constants.
    pub operation_constants: bool,
}

/// The names an operation adds to the client and server parts.
#[derive(Debug, Default, Clone)]
pub struct OperationNames {
    /// Client and server: the operation's method (on its resource's
    /// accessor and trait).
    pub method: String,
    /// Server: the input struct.
    pub input: String,
    /// Server: the handler function.
    pub handler: String,
    /// Server: the input's field of each parameter (in `parameters` order).
    pub input_fields: Vec<String>,
    /// Types: the variant of the response enum for each response (in
    /// `responses` order), named after its status (`Ok`, `NotFound`,
    /// `Status4xx`, `Default`).
    pub variants: Vec<String>,
    /// Client: the request builder struct.
    pub request: String,
    /// Client: the request builder's field and setter of each parameter.
    pub request_fields: Vec<String>,
    /// Operations: the operation's constant, which the client's requests
    /// and the server's routes both carry.
    pub constant: String,
}

impl Plan {
    /// The names of an operation (every operation of the plan's API has them).
    pub fn operation(&self, op: &Operation) -> &OperationNames {
        static NONE: std::sync::OnceLock<OperationNames> = std::sync::OnceLock::new();
        self.operations
            .get(&op.type_name)
            .unwrap_or_else(|| NONE.get_or_init(OperationNames::default))
    }

    /// The server trait of the resource at `index`.
    pub fn trait_name(&self, index: usize) -> &str {
        self.traits.get(index).map_or("Resource", String::as_str)
    }

    /// The client accessor (method, struct) of the resource at `index`.
    pub fn accessor(&self, index: usize) -> (&str, &str) {
        self.accessors
            .get(index)
            .map_or(("resource", "ResourceClient"), |(m, t)| {
                (m.as_str(), t.as_str())
            })
    }
}

/// Decides every name of the client and server parts of `api`.
pub fn plan(api: &Api) -> Plan {
    let mut server = Namespace::new();
    server.reserve(PRELUDE.iter().chain(GENERICS).chain(SERVER_FIXED).copied());
    let mut client = Namespace::new();
    client.reserve(PRELUDE.iter().chain(GENERICS).chain(CLIENT_FIXED).copied());
    let mut client_methods = Namespace::new();
    client_methods.reserve(CLIENT_METHODS.iter().copied());

    let mut plan = Plan::default();
    for res in &api.resources {
        plan.traits.push(server.claim(res.type_name.clone()));
        let method = client_methods.claim(res.rust_name.clone());
        let ty = client.claim(compose(&res.type_name, "Client"));
        plan.accessors.push((method, ty));
    }
    let mut methods = BTreeMap::new();
    for res in &api.resources {
        let mut names = Namespace::new();
        names.reserve(OPERATION_METHODS.iter().copied());
        for op in &res.operations {
            methods.insert(op.type_name.clone(), names.claim(op.rust_name.clone()));
        }
    }
    plan.service = server.claim("Service".to_string());
    // The `operations` part holds nothing else.
    let mut constants = Namespace::new();
    for op in operations(api) {
        let method = methods.remove(&op.type_name).unwrap_or_default();
        let input = server.claim(compose(&op.type_name, "Input"));
        let handler = server.claim(format!("handle_{}", snake_name(&op.type_name)));
        let request = client.claim(compose(&op.type_name, "Request"));
        plan.operations.insert(
            op.type_name.clone(),
            OperationNames {
                variants: {
                    let mut names = Namespace::new();
                    op.responses
                        .iter()
                        .map(|r| names.claim(status_name(r.status)))
                        .collect()
                },
                method,
                input,
                handler,
                input_fields: members(op, INPUT_MEMBERS),
                request,
                request_fields: members(op, REQUEST_MEMBERS),
                constant: constants.claim(snake_name(&op.type_name).to_uppercase()),
            },
        );
    }
    let mut variants = Namespace::new();
    variants.reserve(["None"]);
    let mut setters = Namespace::new();
    setters.reserve(BUILDER_METHODS.iter().copied());
    for s in &api.security_schemes {
        plan.scheme_variants
            .insert(s.name.clone(), variants.claim(type_name(&s.name)));
        // Schemes the client cannot present (`Other`) get no setter.
        if !matches!(s.kind, crate::ir::SecurityKind::Other { .. }) {
            plan.scheme_setters
                .insert(s.name.clone(), setters.claim(s.rust_name.clone()));
        }
    }
    // Statics and validators for every type that may need them: a few
    // unused names cost nothing, and the server emitter asks for any.
    for (i, t) in api.types.types.iter().enumerate() {
        let id = TypeId(i);
        let snake = snake_name(&t.rust_name);
        plan.validators
            .insert(id, server.claim(format!("validate_{snake}")));
        if matches!(t.kind, TypeKind::Struct(_)) {
            plan.shapes
                .insert(id, server.claim(format!("SHAPE_{}", snake.to_uppercase())));
        }
        if t.rules.is_some() {
            plan.rules
                .insert(id, server.claim(format!("RULES_{}", snake.to_uppercase())));
        }
    }
    same_answers(api, &mut plan);
    let mut patterns = Vec::new();
    for t in &api.types.types {
        match &t.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    collect_patterns(&f.schema, &mut patterns);
                }
                if let Some(a) = &s.additional {
                    collect_patterns(a, &mut patterns);
                }
            }
            TypeKind::OneOf(o) => o
                .variants
                .iter()
                .for_each(|v| collect_patterns(&v.schema, &mut patterns)),
            TypeKind::Alias(e) => collect_patterns(e, &mut patterns),
            TypeKind::Enum(_) => {}
        }
    }
    for op in operations(api) {
        for p in &op.parameters {
            collect_patterns(&p.schema, &mut patterns);
        }
        // A body that is itself a string with a pattern.
        for c in op.request_body.iter().flat_map(|b| &b.contents) {
            if let Some(schema) = &c.schema {
                collect_patterns(schema, &mut patterns);
            }
        }
    }
    for pattern in patterns {
        if !plan.patterns.contains_key(&pattern) {
            let name = server.claim(format!("PATTERN_{}", plan.patterns.len()));
            plan.patterns.insert(pattern, name);
        }
    }
    plan
}

/// Finds the response enums and headers structs that repeat an earlier
/// one exactly (see [`Plan::same_responses`]).
fn same_answers(api: &Api, plan: &mut Plan) {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for r in operations(api).flat_map(|op| &op.responses) {
        let Some(name) = &r.headers_type else {
            continue;
        };
        let key = format!("{:?}", r.headers);
        match headers.get(&key) {
            Some(first) => {
                plan.same_headers.insert(name.clone(), first.clone());
            }
            None => {
                headers.insert(key, name.clone());
            }
        }
    }
    let mut enums: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(api) {
        // A body enum per answer is the operation's own.
        if op.responses.is_empty() || op.responses.iter().any(|r| r.body_type.is_some()) {
            continue;
        }
        let answers: Vec<_> = op
            .responses
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if let Some(h) = &mut r.headers_type {
                    if let Some(first) = plan.same_headers.get(h) {
                        *h = first.clone();
                    }
                }
                // Two names for one type (lowering's aliases of identical
                // types) carry the same answer.
                for c in &mut r.contents {
                    for e in c.schema.iter_mut().chain(c.item.iter_mut()) {
                        through_aliases(api, e);
                    }
                }
                r
            })
            .collect();
        let key = format!("{:?}|{answers:?}", plan.operation(op).variants);
        match enums.get(&key) {
            Some(first) => {
                plan.same_responses
                    .insert(op.type_name.clone(), first.clone());
            }
            None => {
                enums.insert(key, op.response_type.clone());
            }
        }
    }
}

/// `e` with every named type that is a bare alias of another named type
/// replaced by that type (what the alias means).
fn through_aliases(api: &Api, e: &mut TypeExpr) {
    match &mut e.ty {
        Ty::Named(id) => {
            // Bounded: an alias cycle is refused by lowering, but a bound
            // costs nothing.
            for _ in 0..64 {
                match &api.types.get(*id).kind {
                    TypeKind::Alias(inner)
                        if !inner.nullable
                            && inner.default.is_none()
                            && inner.constraints == Default::default() =>
                    {
                        let Ty::Named(next) = inner.ty else {
                            break;
                        };
                        *id = next;
                    }
                    _ => break,
                }
            }
        }
        Ty::Array(inner) | Ty::Map(inner) => through_aliases(api, inner),
        Ty::Tuple(items) => items.iter_mut().for_each(|i| through_aliases(api, i)),
        _ => {}
    }
}

/// The setter of an optional field: `with_` and the field's name, a
/// keyword's escape dropped (`type_` -> `with_type`). Field names are
/// distinct and a keyword is never one, so setters are distinct, and none
/// is `new`, the constructor the runtime's `builders!` gives a struct with
/// required properties, its only other method (a property called `new` or
/// `with_x` included).
pub fn setter_name(field: &str) -> String {
    let name = field
        .strip_suffix('_')
        .filter(|bare| crate::naming::is_keyword(bare))
        .unwrap_or(field);
    format!("with_{name}")
}

/// The variant of a response's body enum for the representation `c`
/// stands for (one per way of carrying a body, so never two alike).
pub fn representation_name(c: &crate::ir::MediaContent) -> &'static str {
    use crate::media::Media;
    match Media::of(&c.media_type) {
        Media::Json => "Json",
        Media::Form if c.schema.is_some() => "Form",
        Media::EventStream => "Events",
        Media::JsonLines | Media::JsonSeq => "Sequence",
        Media::Text => "Text",
        Media::Multipart => "Multipart",
        Media::Form | Media::Binary => "Binary",
    }
}

/// A response variant's name: the status's reason phrase.
fn status_name(status: StatusCode) -> String {
    let code = match status {
        StatusCode::Code(c) => c,
        StatusCode::Range(r) => return format!("Status{r}xx"),
        StatusCode::Default => return "Default".into(),
    };
    let name = match code {
        100 => "Continue",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        other => return format!("Status{other}"),
    };
    name.to_string()
}

fn operations(api: &Api) -> impl Iterator<Item = &Operation> {
    api.resources.iter().flat_map(|r: &Resource| &r.operations)
}

/// An operation's parameter fields, away from a struct's own members.
fn members(op: &Operation, reserved: &[&str]) -> Vec<String> {
    let mut names = Namespace::new();
    names.reserve(reserved.iter().copied());
    op.parameters
        .iter()
        .map(|p| names.claim(p.rust_name.clone()))
        .collect()
}

fn collect_patterns(e: &TypeExpr, out: &mut Vec<String>) {
    if let Some(p) = &e.constraints.pattern {
        out.push(p.clone());
    }
    match &e.ty {
        Ty::Array(inner) | Ty::Map(inner) => collect_patterns(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|i| collect_patterns(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Method, Parameter, ParameterLocation, PathTemplate, SecurityKind, SecurityScheme,
    };

    fn op(type_name: &str, params: &[&str]) -> Operation {
        Operation {
            id: type_name.into(),
            rust_name: snake_name(type_name),
            type_name: type_name.into(),
            response_type: compose(type_name, "Response"),
            method: Method::Get,
            path: PathTemplate {
                raw: "/x".into(),
                segments: Vec::new(),
                query: Vec::new(),
            },
            summary: None,
            description: None,
            deprecated: false,
            told_by: None,
            parameters: params
                .iter()
                .map(|p| Parameter {
                    name: p.to_string(),
                    rust_name: snake_name(p),
                    location: ParameterLocation::Query,
                    required: false,
                    description: None,
                    deprecated: false,
                    schema: TypeExpr::new(Ty::Boolean),
                    default: None,
                    example: None,
                    style: crate::ir::ParamStyle::Form,
                    explode: true,
                    allow_reserved: false,
                    shape: crate::ir::ParamShape::Scalar,
                })
                .collect(),
            request_body: None,
            responses: Vec::new(),
            security: Vec::new(),
            accepted_scopes: Vec::new(),
            pagination: None,
            pointer: String::new(),
        }
    }

    fn api(tags: &[&str], ops: Vec<Operation>) -> Api {
        let mut api = Api {
            module: "m".into(),
            source: "m.yaml".into(),
            title: "t".into(),
            version: "1".into(),
            description: None,
            servers: Vec::new(),
            security_schemes: Vec::new(),
            resources: Vec::new(),
            types: Default::default(),
        };
        for (i, tag) in tags.iter().enumerate() {
            api.resources.push(Resource {
                tag: tag.to_string(),
                rust_name: snake_name(tag),
                type_name: type_name(tag),
                description: None,
                operations: if i == 0 { ops.clone() } else { Vec::new() },
            });
        }
        api
    }

    #[test]
    fn traits_avoid_the_servers_fixed_items() {
        let plan = plan(&api(
            &["credentials", "problem", "option", "rt", "router"],
            vec![],
        ));
        assert_eq!(
            plan.traits,
            ["Credentials2", "Problem2", "Option2", "Rt", "Router"]
        );
    }

    #[test]
    fn accessors_avoid_the_clients_own_methods_and_items() {
        let plan = plan(&api(&["new", "builder", "error", "client"], vec![]));
        let methods: Vec<&str> = plan.accessors.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(methods, ["new_2", "builder_2", "error", "client"]);
        let types: Vec<&str> = plan.accessors.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            types,
            ["NewClient", "BuilderClient", "ErrorClient", "ClientClient"]
        );
    }

    #[test]
    fn operation_items_never_collide_with_each_other_or_fixed_items() {
        // `Credentials` + `Input` and a trait named like another op's input.
        let ops = vec![
            op("Get", &["body", "credentials", "send"]),
            op("GetInput", &[]),
        ];
        let plan = plan(&api(&["get_input"], ops));
        let get = &plan.operations["Get"];
        let get_input = &plan.operations["GetInput"];
        assert_eq!(plan.traits, ["GetInput"]);
        assert_eq!(get.input, "GetInput2");
        assert_eq!(get_input.input, "GetInputInput");
        assert_eq!(get.input_fields, ["body_2", "credentials_2", "send"]);
        assert_eq!(get.request_fields, ["body_2", "credentials", "send_2"]);
        assert_ne!(get.handler, get_input.handler);
    }

    #[test]
    fn operation_constants_are_unique_screaming_names() {
        // Two type names whose snake case is the same, and a keyword's escape.
        let ops = vec![op("HTTPGet", &[]), op("HttpGet", &[]), op("Self_", &[])];
        let plan = plan(&api(&["op"], ops));
        let constants: Vec<&str> = ["HTTPGet", "HttpGet", "Self_"]
            .iter()
            .map(|t| plan.operations[*t].constant.as_str())
            .collect();
        assert_eq!(constants, ["HTTP_GET", "HTTP_GET2", "SELF_"]);
        // The part's alias stays free for the `op` module.
        assert_eq!(plan.traits, ["Op"]);
    }

    /// The plan of an API with one basic-auth scheme per name.
    fn plan_with_schemes(names: &[&str]) -> Plan {
        let mut a = api(&[], vec![]);
        for name in names {
            a.security_schemes.push(SecurityScheme {
                name: (*name).into(),
                rust_name: snake_name(name),
                description: None,
                kind: SecurityKind::Basic,
            });
        }
        plan(&a)
    }

    #[test]
    fn scheme_setters_never_take_a_builder_method() {
        let names = ["timeout", "api-key", "api_key"];
        let plan = plan_with_schemes(&names);
        let s: Vec<&str> = names
            .iter()
            .map(|n| plan.scheme_setters[*n].as_str())
            .collect();
        assert_eq!(s, ["timeout_2", "api_key", "api_key_2"]);
    }

    #[test]
    fn scheme_variants_are_unique_and_never_none() {
        let names = ["none", "api-key", "api_key"];
        let plan = plan_with_schemes(&names);
        let v: Vec<&str> = names
            .iter()
            .map(|n| plan.scheme_variants[*n].as_str())
            .collect();
        assert_eq!(v, ["None2", "ApiKey", "ApiKey2"]);
    }

    #[test]
    fn setters_are_distinct_and_never_the_constructor() {
        let fields = ["new", "with_x", "x", "type_", "foo_", "foo", "with_type"];
        let setters: Vec<String> = fields.iter().map(|f| setter_name(f)).collect();
        assert_eq!(
            setters,
            [
                "with_new",
                "with_with_x",
                "with_x",
                "with_type",
                "with_foo_",
                "with_foo",
                "with_with_type"
            ]
        );
        let distinct: std::collections::BTreeSet<&String> = setters.iter().collect();
        assert_eq!(distinct.len(), setters.len());
        assert!(!setters.iter().any(|s| s == "new"));
    }
}
