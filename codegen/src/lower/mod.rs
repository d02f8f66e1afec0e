//! `openapiv3` document -> IR. The only module that reads `openapiv3` types.

mod choices;
mod dedupe;
mod nullable;
mod pagination;
mod schema;

use crate::ir::Tell;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
};

use crate::diagnostic::{join, Diagnostic, DiagnosticKind, Diagnostics, Repair, Severity};
use crate::ir::{
    Api, MediaContent, Method, Operation, ParamShape, ParamStyle, Parameter, ParameterLocation,
    PathTemplate, RequestBody, Resource, Response, ResponseHeader, SecurityKind,
    SecurityRequirement, SecurityScheme, Segment, Server, StatusCode, StringFormat, Ty, TypeDef,
    TypeExpr, TypeId, TypeKind, TypeSpace,
};
use crate::loader::{Document, Origins};
use crate::naming::{self, Namespace};
use crate::settings::{Settings, UnsupportedPolicy};
use schema::At;

/// Lowering's result: the IR and any warnings (errors fail the call).
#[derive(Debug)]
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

/// Header parameters OpenAPI says to ignore (3.0-3.2, "Parameter Object"),
/// as the generated code sets them from the media types the operation
/// documents: a parameter would contradict them (the server refused the
/// client's own `Accept`). `Authorization`, the third the text names, is
/// ignored only where a security scheme of the operation sets it: specs
/// that declare it otherwise mean it sent (the Mindbody seed's staff
/// token), and nothing else would send it.
const RESERVED_HEADERS: [&str; 2] = ["Accept", "Content-Type"];

/// Response headers HTTP itself owns: the message's framing and the
/// connection (RFC 9110 7.6.1, 8.6; RFC 9112 6.1), and the content coding a
/// compression layer applies. Documented as an answer's headers (API
/// descriptions exported from recorded traffic list them: rapidapi's
/// `Transfer-Encoding`), a handler that set them would break the answer.
const HTTP_OWNED_HEADERS: [&str; 9] = [
    "Connection",
    "Content-Encoding",
    "Content-Length",
    "Keep-Alive",
    "Proxy-Connection",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
];

/// Lowers a loaded document. `module` is the Rust module name for the spec.
pub fn lower(doc: &Document, module: &str, settings: &Settings) -> Result<Lowered, Diagnostics> {
    let mut l = Lowerer {
        doc: &doc.openapi,
        origins: &doc.origins,
        settings,
        diagnostics: doc
            .warnings
            .iter()
            .cloned()
            .map(|mut d| {
                // Loading's reductions follow the policy too.
                if settings.unsupported() == UnsupportedPolicy::Error {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect(),
        types: Vec::new(),
        type_names: Namespace::new(),
        components: HashMap::new(),
        operation_names: Namespace::new(),
        warned_formats: BTreeSet::new(),
        in_progress: HashMap::new(),
        used: choices::Used::default(),
        nullable_components: BTreeSet::new(),
    };
    // Generated code names these prelude items unqualified.
    l.type_names.reserve(
        crate::plan::PRELUDE
            .iter()
            .chain(crate::plan::GENERICS)
            .copied(),
    );
    l.lower_components();
    let security_schemes = l.security_schemes();
    let mut resources = l.resources(&security_schemes);
    nullable::nullable_uses(&mut l.types, &mut resources, &l.nullable_components);
    l.mark_response_types(&resources);
    l.attach_user_attributes();
    schema::most_specific_first(&mut l.types);
    dedupe::alias_duplicates(&mut l.types);
    l.unused_settings(&resources);
    l.shadowed_routes(&resources);
    let Lowerer {
        diagnostics,
        types,
        doc: oa,
        ..
    } = l;
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Diagnostics(diagnostics));
    }
    let api = Api {
        module: module.to_string(),
        source: doc.source.name().to_string(),
        title: oa.info.title.clone(),
        version: oa.info.version.clone(),
        description: oa.info.description.clone(),
        servers: oa
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        security_schemes,
        resources,
        types: TypeSpace {
            types,
            serde: settings.serde(),
        },
    };
    Ok(Lowered {
        api,
        warnings: diagnostics,
    })
}

pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    origins: &'a Origins,
    settings: &'a Settings,
    diagnostics: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    type_names: Namespace,
    components: HashMap<String, TypeId>,
    operation_names: Namespace,
    /// Formats outside the registry already reported (once each: R0008).
    warned_formats: BTreeSet<String>,
    /// Inline objects being lowered, by pointer: met again inside
    /// themselves (through an allOf merge), they are referred to.
    in_progress: HashMap<String, TypeId>,
    /// Settings keys that matched something (for the unused-settings warning).
    used: choices::Used,
    /// Component types (struct, enum, one-of) whose schema is nullable:
    /// their uses are made nullable (`nullable.rs`).
    nullable_components: BTreeSet<TypeId>,
}

const METHODS: [Method; 8] = [
    Method::Get,
    Method::Put,
    Method::Post,
    Method::Delete,
    Method::Options,
    Method::Head,
    Method::Patch,
    Method::Trace,
];

/// A path item's operations: its method fields, then the loader's
/// `x-codegen-operations` (3.2 `query` and `additionalOperations`), each
/// with its method and JSON pointer; and the extension entries that are not
/// operations, as (pointer, message).
#[allow(clippy::type_complexity)]
fn path_operations<'i>(
    item: &'i PathItem,
    path_pointer: &str,
) -> (
    Vec<(Method, Cow<'i, openapiv3::Operation>, String)>,
    Vec<(String, String)>,
) {
    let mut ops = Vec::new();
    let mut invalid = Vec::new();
    for method in METHODS {
        if let Some(op) = method_operation(item, &method) {
            let pointer = join(path_pointer, method.as_str().to_ascii_lowercase());
            ops.push((method, Cow::Borrowed(op), pointer));
        }
    }
    let extra = item
        .extensions
        .get("x-codegen-operations")
        .and_then(serde_json::Value::as_object);
    for (name, value) in extra.into_iter().flatten() {
        let pointer = join(&join(path_pointer, "x-codegen-operations"), name);
        if !Method::is_token(name) {
            invalid.push((pointer, format!("`{name}` is not an HTTP method token")));
            continue;
        }
        match serde_json::from_value::<openapiv3::Operation>(value.clone()) {
            Ok(op) => ops.push((Method::Other(name.clone()), Cow::Owned(op), pointer)),
            Err(e) => invalid.push((pointer, e.to_string())),
        }
    }
    (ops, invalid)
}

fn method_operation<'i>(item: &'i PathItem, method: &Method) -> Option<&'i openapiv3::Operation> {
    match method {
        Method::Other(_) => None,
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Trace => item.trace.as_ref(),
    }
}

impl<'a> Lowerer<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(self.origins.place(d));
    }

    pub(crate) fn error(&mut self, kind: DiagnosticKind, pointer: &str) {
        self.push(Diagnostic::error(kind, pointer));
    }

    /// An unsupported construct: an error or, with `--unsupported=skip`, a warning.
    pub(crate) fn unsupported(&mut self, what: &str, pointer: &str) {
        let kind = DiagnosticKind::Unsupported {
            what: what.to_string(),
        };
        self.by_policy(kind, pointer);
    }

    /// A warning, or an error under the strict policy.
    fn by_policy(&mut self, kind: DiagnosticKind, pointer: &str) {
        match self.settings.unsupported() {
            UnsupportedPolicy::Error => self.push(Diagnostic::error(kind, pointer)),
            UnsupportedPolicy::Skip => self.push(Diagnostic::warning(kind, pointer)),
        }
    }

    /// A construct generated with a reduced meaning: a warning, or an
    /// error under the strict policy.
    pub(crate) fn approximated(&mut self, what: &str, pointer: &str) {
        let kind = DiagnosticKind::Approximated {
            what: what.to_string(),
        };
        self.by_policy(kind, pointer);
    }

    /// A repair of the repair policy: a warning, or an error under the
    /// strict policy.
    pub(crate) fn repaired(&mut self, repair: Repair, what: String, pointer: &str) {
        self.by_policy(DiagnosticKind::Repaired { repair, what }, pointer);
    }

    /// Follows `$ref`s into `components/<section>` (chains included).
    fn resolve<'d, T>(
        &mut self,
        item: &'d ReferenceOr<T>,
        section: &str,
        map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
        pointer: &str,
    ) -> Option<&'d T> {
        let mut current = item;
        let mut seen = Vec::new();
        loop {
            match current {
                ReferenceOr::Item(t) => return Some(t),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{section}/");
                    let ref_pointer = join(pointer, "$ref");
                    let Some(name) = reference.strip_prefix(&prefix) else {
                        if reference.starts_with('#') {
                            self.repaired(
                                Repair::DanglingRef,
                                format!("$ref `{reference}` points at nothing; what it stands for is left out"),
                                &ref_pointer,
                            );
                        } else {
                            self.error(
                                DiagnosticKind::UnsupportedRef {
                                    reference: reference.clone(),
                                },
                                &ref_pointer,
                            );
                        }
                        return None;
                    };
                    if seen.contains(&name) {
                        seen.push(name);
                        self.error(
                            DiagnosticKind::RefCycle {
                                cycle: seen.join(" -> "),
                            },
                            &ref_pointer,
                        );
                        return None;
                    }
                    seen.push(name);
                    let name = name.replace("~1", "/").replace("~0", "~");
                    match map.and_then(|m| m.get(&name)) {
                        Some(next) => current = next,
                        None => {
                            self.repaired(
                                Repair::DanglingRef,
                                format!("$ref `{reference}` points at nothing; what it stands for is left out"),
                                &ref_pointer,
                            );
                            return None;
                        }
                    }
                }
            }
        }
    }

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut names = Namespace::new();
        let mut out = self.defined_schemes(&mut names);
        // A requirement naming a scheme the spec never defines is kept, as a
        // scheme nothing satisfies: where it is the only way in, the server
        // answers 401 (fail closed) instead of dropping the authentication.
        for (name, pointer) in self.undefined_schemes(&out) {
            self.repaired(
                Repair::UndefinedSecurityScheme,
                format!("security scheme `{name}` is required but never defined: nothing can satisfy it, so where it is the only way in the server answers 401 (fail closed) and the client sends nothing for it"),
                &pointer,
            );
            out.push(SecurityScheme {
                rust_name: names.claim(naming::snake_name(&name)),
                name,
                description: None,
                kind: SecurityKind::Other {
                    description: "undefined in the spec".into(),
                },
            });
        }
        out
    }

    /// Scheme names used by requirements but not defined, each with the
    /// pointer of its first use.
    fn undefined_schemes(&self, defined: &[SecurityScheme]) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = Vec::new();
        let mut note = |req: &openapiv3::SecurityRequirement, base: String| {
            for name in req.keys() {
                if !defined.iter().any(|s| &s.name == name) && !found.iter().any(|(n, _)| n == name)
                {
                    found.push((name.clone(), join(&base, name)));
                }
            }
        };
        for (i, req) in self.doc.security.iter().flatten().enumerate() {
            note(req, join("/security", i));
        }
        for (path, item) in &self.doc.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (_, op, pointer) in path_operations(item, &join("/paths", path)).0 {
                let base = join(&pointer, "security");
                for (i, req) in op.security.iter().flatten().enumerate() {
                    note(req, join(&base, i));
                }
            }
        }
        found
    }

    fn defined_schemes(&mut self, names: &mut Namespace) -> Vec<SecurityScheme> {
        let Some(components) = &self.doc.components else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let pointer = join("/components/securitySchemes", name);
            let Some(scheme) = self.resolve(
                scheme,
                "securitySchemes",
                Some(&components.security_schemes),
                &pointer,
            ) else {
                continue;
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, description) = match scheme {
                S::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (
                    SecurityKind::Bearer {
                        format: bearer_format.clone(),
                    },
                    description,
                ),
                S::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (SecurityKind::Basic, description),
                S::HTTP {
                    scheme,
                    description,
                    ..
                } => (
                    SecurityKind::Other {
                        description: format!("HTTP `{scheme}` authentication"),
                    },
                    description,
                ),
                S::APIKey {
                    location: APIKeyLocation::Header,
                    name,
                    description,
                    ..
                } => (
                    SecurityKind::ApiKeyHeader {
                        header: name.clone(),
                    },
                    description,
                ),
                S::APIKey {
                    location: APIKeyLocation::Query,
                    name,
                    description,
                    ..
                } => (
                    SecurityKind::ApiKeyQuery {
                        parameter: name.clone(),
                    },
                    description,
                ),
                S::APIKey {
                    location: APIKeyLocation::Cookie,
                    name,
                    description,
                    ..
                } => (
                    SecurityKind::ApiKeyCookie {
                        cookie: name.clone(),
                    },
                    description,
                ),
                // An OAuth 2 or OpenID Connect access token travels as a
                // bearer token (RFC 6750): how to get one is the flows'
                // business, presenting and reading it is the same.
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (SecurityKind::Bearer { format: None }, description)
                }
            };
            out.push(SecurityScheme {
                name: name.clone(),
                rust_name: names.claim(naming::snake_name(name)),
                description: description.clone(),
                kind,
            });
        }
        out
    }

    fn resources(&mut self, schemes: &[SecurityScheme]) -> Vec<Resource> {
        let doc = self.doc;
        let mut order: Vec<String> = doc.tags.iter().map(|t| t.name.clone()).collect();
        let mut by_tag: HashMap<String, Vec<Operation>> = HashMap::new();
        let mut operation_ids: HashMap<String, String> = HashMap::new();
        let mut derived_ids = Namespace::new();
        // Every operation's tag, filtered or not: a filter naming none of them is a typo.
        let mut seen_tags: Vec<String> = Vec::new();
        for (path, item) in &doc.paths.paths {
            let path_pointer = join("/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.unsupported("path items given by `$ref`", &join(&path_pointer, "$ref"));
                continue;
            };
            let Some(template) = self.path_template(path, &path_pointer) else {
                continue;
            };
            let (operations, invalid) = path_operations(item, &path_pointer);
            for (pointer, message) in invalid {
                self.error(DiagnosticKind::InvalidDocument { message }, &pointer);
            }
            for (method, op, pointer) in operations {
                let op = op.as_ref();
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "default".to_string());
                if !seen_tags.contains(&tag) {
                    seen_tags.push(tag.clone());
                }
                if let Some(filter) = self.settings.tags() {
                    if !filter.contains(&tag) {
                        continue;
                    }
                }
                let id = match &op.operation_id {
                    Some(id) => {
                        if let Some(first) = operation_ids.get(id) {
                            let first = first.clone();
                            self.repaired(
                                Repair::DuplicateOperationId,
                                format!("duplicate operationId `{id}` (first used at {first}): this operation's Rust names get a distinct suffix; the wire is unchanged"),
                                &join(&pointer, "operationId"),
                            );
                        } else {
                            operation_ids.insert(id.clone(), pointer.clone());
                        }
                        id.clone()
                    }
                    None => derived_ids
                        .claim(naming::snake_name(&format!("{} {path}", method.as_str()))),
                };
                if !order.contains(&tag) {
                    order.push(tag.clone());
                }
                if let Some(operation) = self.operation(
                    &id,
                    &tag,
                    method.clone(),
                    &template,
                    item,
                    op,
                    &pointer,
                    schemes,
                ) {
                    by_tag.entry(tag).or_default().push(operation);
                }
            }
        }
        for wanted in self.settings.tags().unwrap_or_default() {
            if !seen_tags.contains(wanted) {
                self.error(
                    DiagnosticKind::UnknownTag {
                        tag: wanted.clone(),
                        known: seen_tags.clone(),
                    },
                    "/paths",
                );
            }
        }
        let mut names = Namespace::new();
        let mut resources = Vec::new();
        for tag in order {
            let Some(mut operations) = by_tag.remove(&tag) else {
                continue;
            };
            let mut method_names = Namespace::new();
            for op in &mut operations {
                op.rust_name = method_names.claim(std::mem::take(&mut op.rust_name));
            }
            let description = doc
                .tags
                .iter()
                .find(|t| t.name == tag)
                .and_then(|t| t.description.clone());
            let rust_name = match self.renamed_tag(&tag) {
                Some(name) => names.claim(naming::snake_name(&name)),
                None => names.claim(naming::snake_name(&tag)),
            };
            resources.push(Resource {
                type_name: naming::type_name(&rust_name),
                rust_name,
                tag,
                description,
                operations,
            });
        }
        resources
    }

    fn path_template(&mut self, path: &str, pointer: &str) -> Option<PathTemplate> {
        let mut segments = Vec::new();
        // A query part (`/alerts?lat={lat}&v=2`, before any fragment) is
        // the query: its pairs, not path segments.
        let (rest, query) = match path.split_once('?') {
            Some((path, query)) => (path, query_pairs(query)),
            None => (path, Vec::new()),
        };
        // A fragment (`/#Action=AttachInstances`) is never sent: what
        // followed it (the query) would be lost with it.
        let mut rest = rest.split('#').next().unwrap_or(rest);
        while !rest.is_empty() {
            match rest.find('{') {
                Some(start) => {
                    if start > 0 {
                        segments.push(Segment::Literal(rest[..start].to_string()));
                    }
                    let Some(len) = rest[start..].find('}') else {
                        self.error(
                            DiagnosticKind::InvalidDocument {
                                message: format!("unclosed `{{` in path `{path}`"),
                            },
                            pointer,
                        );
                        return None;
                    };
                    let name = &rest[start + 1..start + len];
                    if name.is_empty() || name.contains('{') {
                        self.error(
                            DiagnosticKind::InvalidDocument {
                                message: format!("malformed parameter in path `{path}`"),
                            },
                            pointer,
                        );
                        return None;
                    }
                    segments.push(Segment::Parameter(name.to_string()));
                    rest = &rest[start + len + 1..];
                }
                None => {
                    segments.push(Segment::Literal(rest.to_string()));
                    rest = "";
                }
            }
        }
        Some(PathTemplate {
            raw: path.to_string(),
            segments,
            query,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        id: &str,
        tag: &str,
        method: Method,
        template: &PathTemplate,
        item: &PathItem,
        op: &openapiv3::Operation,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let renamed = self.renamed_operation(id);
        let type_name = self
            .operation_names
            .claim(naming::type_name(renamed.as_deref().unwrap_or(id)));

        let mut names = Namespace::new();
        let mut params =
            self.declared_parameters(template, item, op, pointer, &type_name, &mut names);
        self.match_path_template(template, &mut params, pointer, &mut names);

        let request_body = op
            .request_body
            .as_ref()
            .and_then(|b| self.request_body(b, &type_name, &join(pointer, "requestBody")));
        let responses = self.responses(op, &type_name, &join(pointer, "responses"));
        let security = self.security(op, schemes, pointer);
        let accepted_scopes = self.accepted_scopes(op, pointer);
        let parameters: Vec<Parameter> = params.into_iter().map(|(p, _)| p).collect();
        let target = pagination::Target {
            params: &parameters,
            body: request_body.as_ref(),
            responses: &responses,
        };
        let pagination = self.pagination(&op.extensions, &target, pointer);
        let response_type = self
            .type_names
            .claim(naming::compose(&type_name, "Response"));
        let told_by = self.told_by(&parameters, template);
        Some(Operation {
            id: id.to_string(),
            rust_name: match &renamed {
                Some(name) => naming::snake_name(name),
                None => method_name(id, tag),
            },
            type_name,
            response_type,
            method,
            path: template.clone(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            parameters,
            request_body,
            responses,
            security,
            accepted_scopes,
            pagination,
            told_by,
            pointer: pointer.to_string(),
        })
    }

    /// The first required header parameter holding one value only (a
    /// one-value enum), else the template's first constant query pair:
    /// see [`Operation::told_by`].
    fn told_by(&self, parameters: &[Parameter], template: &PathTemplate) -> Option<Tell> {
        // A required parameter of one value in `location`: (name, value).
        let one_value = |location: ParameterLocation| {
            parameters.iter().find_map(|p| {
                if p.location != location || !p.required {
                    return None;
                }
                let value = match &p.schema.ty {
                    Ty::Named(id) => match &self.types[id.0].kind {
                        TypeKind::Enum(e) if e.variants.len() == 1 => e.variants[0].value.clone(),
                        _ => return None,
                    },
                    _ => match p.schema.constraints.allowed.as_slice() {
                        [serde_json::Value::String(value)] => value.clone(),
                        _ => return None,
                    },
                };
                Some((p.name.clone(), value))
            })
        };
        let header = one_value(ParameterLocation::Header).map(|(name, value)| Tell::Header {
            name: name.to_ascii_lowercase(),
            value,
        });
        // AWS's query protocols name the operation in `Action=...`.
        let query =
            || one_value(ParameterLocation::Query).map(|(name, value)| Tell::Query { name, value });
        let constant = || {
            let (name, value) = template.query.first()?;
            Some(Tell::Query {
                name: name.clone(),
                value: value.clone(),
            })
        };
        let keys = || {
            let mut keys: Vec<String> = placeholders(&template.raw)
                .into_iter()
                .map(|(key, _)| key)
                .collect();
            keys.sort();
            (!keys.is_empty()).then_some(Tell::QueryKeys(keys))
        };
        header.or_else(constant).or_else(query).or_else(keys)
    }

    /// The operation's parameters with their pointers: path-level ones
    /// first, overridden by operation-level ones of the same name and
    /// location.
    fn declared_parameters(
        &mut self,
        template: &PathTemplate,
        item: &PathItem,
        op: &openapiv3::Operation,
        pointer: &str,
        type_name: &str,
        names: &mut Namespace,
    ) -> Vec<(Parameter, String)> {
        let mut params: Vec<(Parameter, String)> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    join(&join(&join("/paths", &template.raw), "parameters"), i),
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, join(&join(pointer, "parameters"), i))),
            );
        for (p, p_pointer) in sources.collect::<Vec<_>>() {
            let components = self.doc.components.as_ref().map(|c| &c.parameters);
            let Some(p) = self.resolve(p, "parameters", components, &p_pointer) else {
                continue;
            };
            if let OaParameter::Header { parameter_data, .. } = p {
                let name = &parameter_data.name;
                let set_by = if RESERVED_HEADERS
                    .iter()
                    .any(|h| name.eq_ignore_ascii_case(h))
                {
                    Some("the media types the operation documents set it".to_string())
                } else if name.eq_ignore_ascii_case("authorization") {
                    // Kept where no scheme sets it: then the parameter is
                    // the only way a spec without one sends credentials.
                    self.authorization_scheme(op)
                        .map(|scheme| format!("the operation's security scheme `{scheme}` sets it"))
                } else {
                    None
                };
                if let Some(set_by) = set_by {
                    let name = name.clone();
                    self.push(Diagnostic::warning(
                        DiagnosticKind::ReservedHeader { name, set_by },
                        &p_pointer,
                    ));
                    continue;
                }
            }
            let Some(param) = self.parameter(p, type_name, &p_pointer, names) else {
                continue;
            };
            params.retain(|(q, _)| !(q.name == param.name && q.location == param.location));
            params.push((param, p_pointer));
        }
        params
    }

    /// The first security scheme the operation may use (its own
    /// requirements, else the document's) that sends the `Authorization`
    /// header: HTTP, OAuth 2, OpenID Connect, or an API key named so.
    fn authorization_scheme(&self, op: &openapiv3::Operation) -> Option<String> {
        use openapiv3::{APIKeyLocation, SecurityScheme as S};
        let requirements = op.security.as_ref().or(self.doc.security.as_ref())?;
        let schemes = &self.doc.components.as_ref()?.security_schemes;
        requirements
            .iter()
            .flat_map(|r| r.keys())
            .find(|name| match schemes.get(name.as_str()) {
                Some(ReferenceOr::Item(scheme)) => match scheme {
                    S::HTTP { .. } | S::OAuth2 { .. } | S::OpenIDConnect { .. } => true,
                    S::APIKey {
                        location: APIKeyLocation::Header,
                        name,
                        ..
                    } => name.eq_ignore_ascii_case("authorization"),
                    _ => false,
                },
                _ => false,
            })
            .cloned()
    }

    /// Makes the path template and the path parameters agree: a template
    /// parameter nobody declares becomes a required string, a declared one
    /// the template lacks is left out (both repaired, with a warning).
    /// The placeholders of a template's query part (`?lat={lat}`): the
    /// parameter they name (declared in the path, as such specs do, or in
    /// the query) is the query parameter of the pair's key; one nothing
    /// declares is a required string.
    fn query_placeholders(
        &mut self,
        template: &PathTemplate,
        params: &mut Vec<(Parameter, String)>,
        pointer: &str,
        names: &mut Namespace,
    ) {
        for (key, name) in placeholders(&template.raw) {
            let declared = params.iter_mut().find(|(p, _)| {
                p.name == name
                    && matches!(
                        p.location,
                        ParameterLocation::Path | ParameterLocation::Query
                    )
            });
            match declared {
                Some((p, _)) => {
                    p.location = ParameterLocation::Query;
                    p.name = key;
                    p.style = ParamStyle::Form;
                }
                None => {
                    self.repaired(
                        Repair::UndeclaredPathParameter,
                        format!("parameter `{name}` appears in the template `{}` but no parameter declares it: it is generated as a required string", template.raw),
                        pointer,
                    );
                    let (mut p, at) =
                        (undeclared_path_parameter(&name, names), pointer.to_string());
                    p.location = ParameterLocation::Query;
                    p.name = key;
                    p.style = ParamStyle::Form;
                    params.push((p, at));
                }
            }
        }
    }

    fn match_path_template(
        &mut self,
        template: &PathTemplate,
        params: &mut Vec<(Parameter, String)>,
        pointer: &str,
        names: &mut Namespace,
    ) {
        self.query_placeholders(template, params, pointer, names);
        let in_template: Vec<&str> = template
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Parameter(n) => Some(n.as_str()),
                Segment::Literal(_) => None,
            })
            .collect();
        for name in &in_template {
            if !params
                .iter()
                .any(|(p, _)| p.location == ParameterLocation::Path && p.name == *name)
            {
                self.repaired(
                    Repair::UndeclaredPathParameter,
                    format!("path parameter `{name}` appears in the template `{}` but no parameter declares it: it is generated as a required string", template.raw),
                    pointer,
                );
                params.push((undeclared_path_parameter(name, names), pointer.to_string()));
            }
        }
        let mut stray = Vec::new();
        for (p, p_pointer) in params.iter() {
            if p.location == ParameterLocation::Path && !in_template.contains(&p.name.as_str()) {
                stray.push((p.name.clone(), p_pointer.clone()));
            }
        }
        for (name, p_pointer) in stray {
            self.repaired(
                Repair::PathParameterNotInTemplate,
                format!("path parameter `{name}` is declared but the template `{}` has no `{{{name}}}`: it is left out", template.raw),
                &p_pointer,
            );
            params.retain(|(p, _)| !(p.location == ParameterLocation::Path && p.name == name));
        }
        // The loader already made every path parameter required (R0001).
        for (p, p_pointer) in params.iter() {
            if p.location == ParameterLocation::Path && !p.required {
                self.error(
                    DiagnosticKind::OptionalPathParameter {
                        name: p.name.clone(),
                    },
                    &join(p_pointer, "required"),
                );
            }
        }
    }

    /// `x-accepted-scopes`: a list of strings, else an error and none.
    fn accepted_scopes(&mut self, op: &openapiv3::Operation, pointer: &str) -> Vec<String> {
        let Some(v) = op.extensions.get("x-accepted-scopes") else {
            return Vec::new();
        };
        let scopes = v.as_array().and_then(|a| {
            a.iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        scopes.unwrap_or_else(|| {
            self.error(
                DiagnosticKind::InvalidDocument {
                    message: "`x-accepted-scopes` must be a list of strings".into(),
                },
                &join(pointer, "x-accepted-scopes"),
            );
            Vec::new()
        })
    }

    fn parameter(
        &mut self,
        p: &OaParameter,
        op_type: &str,
        pointer: &str,
        names: &mut Namespace,
    ) -> Option<Parameter> {
        use openapiv3::{PathStyle, QueryStyle};
        let (data, location, style, allow_reserved) = match p {
            OaParameter::Query { parameter_data, .. }
                if parameter_data
                    .extensions
                    .contains_key(crate::loader::QUERYSTRING_MARKER) =>
            {
                return self.querystring(parameter_data, op_type, pointer, names);
            }
            OaParameter::Query {
                parameter_data,
                style,
                allow_reserved,
                ..
            } => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (
                    parameter_data,
                    ParameterLocation::Query,
                    style,
                    *allow_reserved,
                )
            }
            OaParameter::Header { parameter_data, .. } => (
                parameter_data,
                ParameterLocation::Header,
                ParamStyle::Simple,
                false,
            ),
            OaParameter::Path {
                parameter_data,
                style,
            } => {
                let style = match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                };
                (parameter_data, ParameterLocation::Path, style, false)
            }
            OaParameter::Cookie { parameter_data, .. } => {
                // 3.2 `style: cookie` travels as a marker (the 3.0 model
                // knows `form` only).
                let style = if parameter_data
                    .extensions
                    .contains_key(crate::loader::COOKIE_STYLE_MARKER)
                {
                    ParamStyle::Cookie
                } else {
                    ParamStyle::Form
                };
                (parameter_data, ParameterLocation::Cookie, style, false)
            }
        };
        let hint = format!("{op_type}{}", naming::type_name(&data.name));
        let (mut schema, json) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => (
                self.lower_schema(
                    s,
                    At {
                        pointer: &join(pointer, "schema"),
                        hint: &hint,
                        parent: None,
                        target: None,
                    },
                ),
                false,
            ),
            ParameterSchemaOrContent::Content(content) => {
                let json = content.iter().find(|(media, m)| {
                    let essence = media
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase();
                    (essence == "application/json" || essence.ends_with("+json"))
                        && m.schema.is_some()
                });
                match json.filter(|_| content.len() == 1) {
                    Some((media, m)) => {
                        let at = join(&join(&join(pointer, "content"), media), "schema");
                        let s = m.schema.as_ref()?;
                        let schema = self.lower_schema(
                            s,
                            At {
                                pointer: &at,
                                hint: &hint,
                                parent: None,
                                target: None,
                            },
                        );
                        (schema, true)
                    }
                    None => {
                        self.approximated(
                            &format!("parameter `{}` is described by `content` other than one JSON media type: it is generated as text the caller encodes and the server receives as written", data.name),
                            &join(pointer, "content"),
                        );
                        (
                            TypeExpr::new(Ty::String(crate::ir::StringFormat::Plain)),
                            false,
                        )
                    }
                }
            }
        };
        // A parameter is text in a path, query or header: absent or a value,
        // never JSON `null`. `nullable` (on it or its list's items) adds
        // nothing the `Option` of an optional parameter does not already say.
        not_nullable(&mut schema);
        let explode = data
            .explode
            .unwrap_or(matches!(style, ParamStyle::Form | ParamStyle::Cookie));
        let shape = if json {
            ParamShape::Json
        } else {
            self.param_shape(&schema, &data.name, style, explode, pointer)
        };
        Some(Parameter {
            name: data.name.clone(),
            rust_name: names.claim(naming::snake_name(&data.name)),
            location,
            required: data.required,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            default: schema.default.clone(),
            example: data.example.clone(),
            style,
            explode,
            allow_reserved,
            shape,
            schema,
        })
    }

    /// A 3.2 `in: querystring` parameter: the whole query string as one
    /// form-encoded object. Other media types, and objects with nested
    /// values (which a form cannot carry), are left out with a warning.
    fn querystring(
        &mut self,
        data: &openapiv3::ParameterData,
        op_type: &str,
        pointer: &str,
        names: &mut Namespace,
    ) -> Option<Parameter> {
        let ParameterSchemaOrContent::Content(content) = &data.format else {
            self.approximated(
                &format!(
                    "`in: querystring` parameter `{}` has no `content`: it is left out",
                    data.name
                ),
                pointer,
            );
            return None;
        };
        let form = content.iter().find(|(media, m)| {
            let essence = media.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") && m.schema.is_some()
        });
        let Some((media, m)) = form.filter(|_| content.len() == 1) else {
            self.approximated(
                &format!("`in: querystring` parameter `{}` is generated only as one `application/x-www-form-urlencoded` object: it is left out (send and read the query string yourself)", data.name),
                &join(pointer, "content"),
            );
            return None;
        };
        let schema_pointer = join(&join(&join(pointer, "content"), media), "schema");
        let hint = format!("{op_type}{}", naming::type_name(&data.name));
        let schema = m.schema.as_ref().map(|s| {
            self.lower_schema(
                s,
                At {
                    pointer: &schema_pointer,
                    hint: &hint,
                    parent: None,
                    target: None,
                },
            )
        })?;
        if !self.is_flat_object(&schema) {
            self.approximated(
                &format!("`in: querystring` parameter `{}` is not an object of scalar properties, which is all a form-encoded query string carries: it is left out", data.name),
                &schema_pointer,
            );
            return None;
        }
        Some(Parameter {
            name: data.name.clone(),
            rust_name: names.claim(naming::snake_name(&data.name)),
            location: ParameterLocation::QueryString,
            required: data.required,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            default: None,
            example: data.example.clone(),
            style: ParamStyle::Form,
            explode: true,
            allow_reserved: false,
            shape: ParamShape::Object { keys: None },
            schema,
        })
    }

    /// Whether a parameter value of this type is one scalar as text.
    fn is_scalar(&self, e: &TypeExpr) -> bool {
        match &e.ty {
            Ty::String(_) | Ty::Integer(_) | Ty::Number(_) | Ty::Boolean | Ty::Any => true,
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Enum(_) | TypeKind::OneOf(_) => true,
                TypeKind::Alias(inner) => self.is_scalar(inner),
                TypeKind::Struct(_) => false,
            },
            _ => false,
        }
    }

    /// What a parameter's style writes: a scalar, a list or an object. What
    /// no style defines (nested lists and objects) is written as JSON text,
    /// with a warning, so client and server still agree.
    fn param_shape(
        &mut self,
        e: &TypeExpr,
        name: &str,
        style: ParamStyle,
        explode: bool,
        pointer: &str,
    ) -> ParamShape {
        let shape = match &e.ty {
            _ if self.is_scalar(e) => Some(ParamShape::Scalar),
            Ty::Array(item) if self.is_scalar(item) => Some(ParamShape::List),
            Ty::Array(_) => {
                self.approximated(
                    &format!("parameter `{name}` is a list of lists or objects, which no style defines: each item is written as JSON text"),
                    &join(pointer, "schema"),
                );
                Some(ParamShape::List)
            }
            Ty::Map(v) if self.is_scalar(v) => Some(ParamShape::Object { keys: None }),
            Ty::Object => Some(ParamShape::Object { keys: None }),
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(st)
                    if st.fields.iter().all(|f| self.is_scalar(&f.schema))
                        && st.additional.as_deref().is_none_or(|a| self.is_scalar(a)) =>
                {
                    let keys = st.fields.iter().map(|f| f.spec_name.clone()).collect();
                    Some(ParamShape::Object {
                        keys: st.additional.is_none().then_some(keys),
                    })
                }
                _ => None,
            },
            _ => None,
        };
        let Some(shape) = shape else {
            self.approximated(
                &format!("parameter `{name}` is an object with nested lists or objects, which no style defines: it is written as JSON text"),
                &join(pointer, "schema"),
            );
            return ParamShape::Json;
        };
        let undefined = match (&shape, style, explode) {
            (ParamShape::Object { .. }, ParamStyle::DeepObject, _) => false,
            (_, ParamStyle::DeepObject, _) => true,
            (
                ParamShape::List | ParamShape::Object { .. },
                ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited,
                true,
            ) => true,
            _ => false,
        };
        if undefined {
            self.approximated(
                &format!("parameter `{name}`: the specification does not define style `{}` with explode `{explode}` for this value: it is written as `form` would write it", style.spec_name()),
                pointer,
            );
        }
        shape
    }

    /// An object whose every property is a scalar (or a map of scalars).
    fn is_flat_object(&self, e: &TypeExpr) -> bool {
        let scalar = |e: &TypeExpr| match &e.ty {
            Ty::String(_) | Ty::Integer(_) | Ty::Number(_) | Ty::Boolean => true,
            Ty::Named(id) => matches!(self.types[id.0].kind, TypeKind::Enum(_)),
            _ => false,
        };
        match &e.ty {
            Ty::Object => true,
            Ty::Map(v) => scalar(v),
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(st) => {
                    st.additional.is_none() && st.fields.iter().all(|f| scalar(&f.schema))
                }
                TypeKind::Alias(inner) => self.is_flat_object(inner),
                _ => false,
            },
            _ => false,
        }
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        op_type: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let components = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let body = self.resolve(body, "requestBodies", components, pointer)?;
        let hint = format!("{op_type}Body");
        let contents = self.contents(&body.content, &hint, &join(pointer, "content"));
        // A form's struct is named here; the emitters decide whether the
        // schema makes one (an object with properties).
        let form_type = crate::media::representations(&contents)
            .first()
            .filter(|c| {
                c.schema.is_some() && crate::media::essence(&c.media_type) == "multipart/form-data"
            })
            .map(|_| self.type_names.claim(naming::compose(op_type, "Form")));
        Some(RequestBody {
            required: body.required,
            description: body.description.clone(),
            contents,
            form_type,
        })
    }

    /// Media types of a body; all share one inline type name (the first one defines it).
    fn contents(
        &mut self,
        content: &IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        pointer: &str,
    ) -> Vec<MediaContent> {
        let mut out: Vec<MediaContent> = Vec::new();
        for (media_type, m) in content {
            let schema = m.schema.as_ref().map(|s| {
                // Identical inline schemas under several media types share one Rust type.
                let same = out.iter().find_map(|prev| {
                    let prev_schema = content
                        .get(&prev.media_type)
                        .and_then(|pm| pm.schema.as_ref());
                    (prev_schema == Some(s))
                        .then(|| prev.schema.clone())
                        .flatten()
                });
                same.unwrap_or_else(|| {
                    let p = join(&join(pointer, media_type), "schema");
                    self.lower_schema(
                        s,
                        At {
                            pointer: &p,
                            hint,
                            parent: None,
                            target: None,
                        },
                    )
                })
            });
            let item = m.extensions.get(crate::loader::ITEM_SCHEMA).and_then(|v| {
                let p = join(&join(pointer, media_type), crate::loader::ITEM_SCHEMA);
                let (v, p) = event_data(media_type, v, p)?;
                let s =
                    serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(v.clone())
                        .ok()?;
                Some(self.lower_schema(
                    &s,
                    At {
                        pointer: &p,
                        hint: &format!("{hint}Item"),
                        parent: None,
                        target: None,
                    },
                ))
            });
            out.push(MediaContent {
                media_type: media_type.clone(),
                schema,
                item,
                example: self.first_example(m),
            });
        }
        out
    }

    /// A media type's `example`, else its first `examples` entry's `value`
    /// (`$ref`s into `components/examples` followed).
    fn first_example(&self, m: &openapiv3::MediaType) -> Option<serde_json::Value> {
        if m.example.is_some() {
            return m.example.clone();
        }
        let components = self.doc.components.as_ref().map(|c| &c.examples);
        m.examples.values().find_map(|e| {
            let mut current = e;
            for _ in 0..8 {
                match current {
                    ReferenceOr::Item(x) => return x.value.clone(),
                    ReferenceOr::Reference { reference } => {
                        let name = reference.strip_prefix("#/components/examples/")?;
                        current = components?.get(&name.replace("~1", "/").replace("~0", "~"))?;
                    }
                }
            }
            None
        })
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        op_type: &str,
        pointer: &str,
    ) -> Vec<Response> {
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        let mut entries: Vec<(StatusCode, String, &ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                openapiv3::StatusCode::Code(c) => (StatusCode::Code(*c), c.to_string(), r),
                openapiv3::StatusCode::Range(c) => (StatusCode::Range(*c), format!("{c}XX"), r),
            })
            .collect();
        if let Some(d) = &op.responses.default {
            entries.push((StatusCode::Default, "default".into(), d));
        }
        let mut out = Vec::new();
        for (status, key, r) in entries {
            let r_pointer = join(pointer, &key);
            let Some(r) = self.resolve(r, "responses", components, &r_pointer) else {
                continue;
            };
            let hint = format!("{op_type}Response{key}");
            let bodiless = matches!(status, StatusCode::Code(c) if c < 200 || matches!(c, 204 | 205 | 304))
                || status == StatusCode::Range(1);
            let contents = if bodiless && !r.content.is_empty() {
                self.repaired(
                    Repair::ContentOnBodilessStatus,
                    format!("a {key} answer carries no content (RFC 9110): the documented body is left out"),
                    &join(&r_pointer, "content"),
                );
                Vec::new()
            } else {
                self.contents(&r.content, &hint, &join(&r_pointer, "content"))
            };
            let mut headers = Vec::new();
            let mut names = Namespace::new();
            for (name, h) in &r.headers {
                // OpenAPI: a `Content-Type` response header is ignored.
                if name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let h_pointer = join(&join(&r_pointer, "headers"), name);
                if HTTP_OWNED_HEADERS
                    .iter()
                    .any(|h| name.eq_ignore_ascii_case(h))
                {
                    self.approximated(
                        &format!("response header `{name}` belongs to HTTP's framing of the answer (the server's HTTP layer sets it, a client's may consume it): it is not generated"),
                        &h_pointer,
                    );
                    continue;
                }
                let header_components = self.doc.components.as_ref().map(|c| &c.headers);
                let Some(h) = self.resolve(h, "headers", header_components, &h_pointer) else {
                    continue;
                };
                let ParameterSchemaOrContent::Schema(s) = &h.format else {
                    self.approximated(
                        &format!("response header `{name}` is described by `content`: it is not generated"),
                        &h_pointer,
                    );
                    continue;
                };
                let hint = format!("{op_type}Header{}", naming::type_name(name));
                let schema = self.lower_schema(
                    s,
                    At {
                        pointer: &join(&h_pointer, "schema"),
                        hint: &hint,
                        parent: None,
                        target: None,
                    },
                );
                headers.push(ResponseHeader {
                    name: name.clone(),
                    rust_name: names.claim(naming::snake_name(name)),
                    required: h.required,
                    description: h.description.clone(),
                    schema,
                });
            }
            let headers_type = (!headers.is_empty()).then(|| {
                self.type_names
                    .claim(naming::compose(op_type, &format!("{key}Headers")))
            });
            let body_type = (crate::media::representations(&contents).len() > 1).then(|| {
                self.type_names
                    .claim(naming::compose(op_type, &format!("{key}Body")))
            });
            out.push(Response {
                status,
                description: r.description.clone(),
                contents,
                headers,
                headers_type,
                body_type,
            });
        }
        if op.responses.responses.is_empty() && op.responses.default.is_none() {
            // OpenAPI 3.1 lets an operation document no answer: any answer
            // is then its answer (a `default` without content), so the
            // client can take it and the server can give one.
            out.push(Response {
                status: StatusCode::Default,
                description: "No answer is documented: any status, its body not read.".into(),
                contents: Vec::new(),
                headers: Vec::new(),
                headers_type: None,
                body_type: None,
            });
        }
        out
    }

    fn security(
        &mut self,
        op: &openapiv3::Operation,
        schemes: &[SecurityScheme],
        pointer: &str,
    ) -> Vec<SecurityRequirement> {
        let (requirements, base) = match &op.security {
            Some(s) => (s, join(pointer, "security")),
            None => match &self.doc.security {
                Some(s) => (s, "/security".to_string()),
                None => return Vec::new(),
            },
        };
        let mut out = Vec::new();
        for (i, req) in requirements.iter().enumerate() {
            let mut alternative = Vec::new();
            for (name, scopes) in req {
                if !schemes.iter().any(|s| &s.name == name) {
                    self.error(
                        DiagnosticKind::UnknownSecurityScheme { name: name.clone() },
                        &join(&join(&base, i), name),
                    );
                    continue;
                }
                alternative.push((name.clone(), scopes.clone()));
            }
            out.push(SecurityRequirement {
                schemes: alternative,
            });
        }
        out
    }

    /// Warns about each operation the server cannot route (the rule is
    /// [`Api::shadowed_operations`], which the router follows).
    fn shadowed_routes(&mut self, resources: &[Resource]) {
        let ops: Vec<&Operation> = resources.iter().flat_map(|r| &r.operations).collect();
        let shadowed = crate::ir::shadowed_operations(ops.iter().copied());
        // In document order.
        for op in &ops {
            let Some(winner) = shadowed.get(&op.type_name) else {
                continue;
            };
            let Some(first) = ops.iter().find(|o| &o.id == winner) else {
                continue;
            };
            let d = Diagnostic::warning(
                DiagnosticKind::RouteShadowed {
                    method: op.method.as_str().to_string(),
                    path: op.path.raw.clone(),
                    other: first.id.clone(),
                    other_path: first.path.raw.clone(),
                },
                &op.pointer,
            );
            self.push(d);
        }
    }

    /// Marks every type reachable from a response, so its enums stay open.
    fn mark_response_types(&mut self, resources: &[Resource]) {
        let mut stack: Vec<TypeId> = Vec::new();
        for op in resources.iter().flat_map(|r| &r.operations) {
            for resp in &op.responses {
                for c in &resp.contents {
                    if let Some(s) = &c.schema {
                        collect_named(s, &mut stack);
                    }
                }
                for h in &resp.headers {
                    collect_named(&h.schema, &mut stack);
                }
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            self.types[id.0].in_response = true;
            match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        collect_named(&f.schema, &mut stack);
                    }
                    if let Some(a) = &s.additional {
                        collect_named(a, &mut stack);
                    }
                }
                TypeKind::OneOf(o) => {
                    for v in &o.variants {
                        collect_named(&v.schema, &mut stack);
                    }
                }
                TypeKind::Alias(e) => collect_named(e, &mut stack),
                TypeKind::Enum(_) => {}
            }
        }
        // An enum alternative of a oneOf stays closed: an open one would
        // accept every string and shadow the alternatives after it.
        let alternatives: Vec<TypeId> = self
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::OneOf(o) => Some(o.variants.iter().filter_map(|v| match v.schema.ty {
                    Ty::Named(id) => Some(id),
                    _ => None,
                })),
                _ => None,
            })
            .flatten()
            .collect();
        for id in alternatives {
            if matches!(self.types[id.0].kind, TypeKind::Enum(_)) {
                self.types[id.0].in_response = false;
            }
        }
    }
}

fn collect_named(e: &TypeExpr, out: &mut Vec<TypeId>) {
    match &e.ty {
        Ty::Named(id) => out.push(*id),
        Ty::Array(inner) | Ty::Map(inner) => collect_named(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|i| collect_named(i, out)),
        _ => {}
    }
}

/// The method name within a resource: the operationId without its tag prefix
/// (`userApiToken.delete` in tag `userApiToken` is `delete`).
fn method_name(id: &str, tag: &str) -> String {
    let stripped = id
        .get(..tag.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(tag))
        .and_then(|_| id[tag.len()..].strip_prefix(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|rest| rest.chars().any(|c| c.is_ascii_alphanumeric()));
    naming::snake_name(stripped.unwrap_or(id))
}

/// Clears `nullable` on a parameter's type and on its list's items.
fn not_nullable(e: &mut TypeExpr) {
    e.nullable = false;
    if let Ty::Array(item) = &mut e.ty {
        not_nullable(item);
    }
}

/// The schema of an event's data in a `text/event-stream` `itemSchema`
/// that describes the whole event (`properties/data`): its
/// `contentSchema` (data as JSON), or nothing (data as text). Any other
/// `itemSchema` is the schema of the data itself.
fn event_data<'v>(
    media_type: &str,
    item: &'v serde_json::Value,
    pointer: String,
) -> Option<(&'v serde_json::Value, String)> {
    if crate::media::Media::of(media_type) != crate::media::Media::EventStream {
        return Some((item, pointer));
    }
    let Some(data) = item.pointer("/properties/data") else {
        return Some((item, pointer));
    };
    let schema = data.get("contentSchema")?;
    Some((
        schema,
        join(
            &join(&join(&pointer, "properties"), "data"),
            "contentSchema",
        ),
    ))
}

/// A path parameter the template names and nobody declares: a required
/// string.
fn undeclared_path_parameter(name: &str, names: &mut Namespace) -> Parameter {
    Parameter {
        name: name.to_string(),
        rust_name: names.claim(naming::snake_name(name)),
        location: ParameterLocation::Path,
        required: true,
        description: None,
        deprecated: false,
        default: None,
        example: None,
        style: ParamStyle::Simple,
        explode: false,
        allow_reserved: false,
        shape: ParamShape::Scalar,
        schema: TypeExpr::new(Ty::String(StringFormat::Plain)),
    }
}

/// The constant pairs of a template's query part (`method=x&v=2`, up to
/// any fragment); placeholders (`lat={lat}`) are left to
/// [`placeholders`].
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .filter(|(key, value)| !key.is_empty() && !key.contains('{') && !value.contains('{'))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// The placeholders of a template's query part: (key, parameter name) of
/// each `key={name}` pair.
fn placeholders(path: &str) -> Vec<(String, String)> {
    let Some((_, query)) = path.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let name = value.strip_prefix('{')?.strip_suffix('}')?;
            (!key.is_empty() && !name.is_empty()).then(|| (key.to_string(), name.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::method_name;
    use crate::ir::{Api, Ty, TypeDef, TypeKind};

    /// A document of `schemas` (component schemas, indented four spaces), lowered.
    fn lowered(schemas: &str) -> Api {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), yaml).unwrap();
        super::lower(&doc, "t", &crate::Settings::default())
            .unwrap()
            .api
    }

    fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .types
            .iter()
            .find(|t| t.spec_name == name)
            .unwrap()
    }

    #[test]
    fn a_required_beside_all_of_applies_to_its_parts_properties() {
        let yaml = r#"
    User:
      type: object
      properties:
        username: {type: string}
        email: {type: string}
        note: {type: string}
    NewUser:
      allOf: [{$ref: '#/components/schemas/User'}]
      required: [username, email]
"#;
        let api = lowered(yaml);
        let new_user = named(&api, "NewUser");
        let TypeKind::Struct(s) = &new_user.kind else {
            panic!("NewUser is {:?}", new_user.kind);
        };
        let required: Vec<&str> = s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.spec_name.as_str())
            .collect();
        assert_eq!(required, ["username", "email"]);
    }

    /// The fields of each alternative of the union `name`, in order.
    fn alternatives_fields(api: &Api, name: &str) -> Vec<Vec<String>> {
        let TypeKind::OneOf(u) = &named(api, name).kind else {
            panic!("{name} is {:?}", named(api, name).kind);
        };
        u.variants
            .iter()
            .map(|v| {
                let Ty::Named(id) = v.schema.ty else {
                    panic!("{} is {:?}", v.rust_name, v.schema.ty);
                };
                let TypeKind::Struct(s) = &api.types.types[id.0].kind else {
                    panic!("{} is not a struct", v.rust_name);
                };
                s.fields
                    .iter()
                    .map(|f| format!("{}{}", f.spec_name, if f.required { "!" } else { "" }))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_choice_among_all_of_parts_distributes_over_the_others() {
        let yaml = r#"
    Base:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Url: {type: object, required: [url], properties: {url: {type: string}}}
    Form:
      allOf:
        - oneOf:
            - {$ref: '#/components/schemas/Url'}
            - {type: object, title: ids, properties: {ids: {type: string}}}
        - {$ref: '#/components/schemas/Base'}
        - {type: object, properties: {delay: {type: integer}}}
    SortBy:
      allOf:
        - {type: object, properties: {created: {type: string}, modified: {type: string}}}
        - oneOf: [{required: [created]}, {required: [modified]}]
    Beside:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Base'}]
      oneOf:
        - {$ref: '#/components/schemas/Url'}
        - {type: object, properties: {ids: {type: string}}}
      required: [delay]
      properties:
        delay: {type: integer}
"#;
        let api = lowered(yaml);
        assert_eq!(
            alternatives_fields(&api, "Form"),
            [
                vec!["url!", "name!", "delay"],
                vec!["ids", "name!", "delay"]
            ]
        );
        // Alternatives that only require stay as before (any JSON value).
        assert!(!matches!(named(&api, "SortBy").kind, TypeKind::OneOf(_)));
        // A `oneOf` beside `allOf` (shipengine's) was dropped before.
        assert_eq!(
            alternatives_fields(&api, "Beside"),
            [
                vec!["name!", "delay!", "url!"],
                vec!["name!", "delay!", "ids"]
            ]
        );
    }

    #[test]
    fn untagged_object_alternatives_requiring_more_are_tried_first() {
        let yaml = r#"
    Source:
      oneOf:
        - {$ref: '#/components/schemas/Push'}
        - {type: string}
        - {$ref: '#/components/schemas/FromUrl'}
    Push: {type: object, required: [name], properties: {name: {type: string}}}
    FromUrl:
      type: object
      required: [name, url]
      properties: {name: {type: string}, url: {type: string}}
"#;
        let api = lowered(yaml);
        let TypeKind::OneOf(u) = &named(&api, "Source").kind else {
            panic!("Source is not a union");
        };
        let order: Vec<&str> = u.variants.iter().map(|v| v.rust_name.as_str()).collect();
        // The string keeps its place; the two objects swap.
        assert_eq!(order, ["FromUrl", "String", "Push"]);
    }

    #[test]
    fn a_distributed_choice_keeps_the_discriminator() {
        let yaml = r#"
    Cat: {type: object, properties: {kind: {type: string}, purrs: {type: boolean}}}
    Dog: {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
    Pet:
      allOf:
        - {type: object, properties: {name: {type: string}}}
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: Dog}}
"#;
        let api = lowered(yaml);
        let TypeKind::OneOf(u) = &named(&api, "Pet").kind else {
            panic!("Pet is not a union");
        };
        assert_eq!(u.discriminator.as_deref(), Some("kind"));
        let values: Vec<&[String]> = u
            .variants
            .iter()
            .map(|v| v.discriminator_values.as_slice())
            .collect();
        assert_eq!(values, [["cat"], ["dog"]]);
    }

    /// The header parameters of `GET /a` and the codes of the warnings.
    fn headers_and_codes(security: &str) -> (Vec<String>, Vec<&'static str>) {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{security}paths:\n  /a:\n    get:\n      parameters:\n        - {{in: header, name: Authorization, required: true, schema: {{type: string}}}}\n        - {{in: header, name: Accept, schema: {{type: string}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    tpp: {{type: oauth2, flows: {{clientCredentials: {{tokenUrl: 'https://x/t', scopes: {{}}}}}}}}\n    key: {{type: apiKey, in: header, name: X-Key}}\n"
        );
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), yaml).unwrap();
        let lowered = super::lower(&doc, "t", &crate::Settings::default()).unwrap();
        let op = &lowered.api.resources[0].operations[0];
        let headers = op.parameters.iter().map(|p| p.name.clone()).collect();
        let codes = lowered.warnings.iter().map(|d| d.kind.code()).collect();
        (headers, codes)
    }

    #[test]
    fn an_authorization_header_parameter_is_ignored_where_a_scheme_sets_it() {
        let (headers, codes) = headers_and_codes("security: [{tpp: []}]\n");
        assert!(headers.is_empty(), "{headers:?}");
        assert_eq!(codes, ["E0053", "E0053"]);
        // An API key in its own header does not set `Authorization`, and
        // without a scheme the parameter is how credentials travel.
        for security in ["security: [{key: []}]\n", ""] {
            let (headers, codes) = headers_and_codes(security);
            assert_eq!(headers, ["Authorization"]);
            assert_eq!(codes, ["E0053"]);
        }
    }

    #[test]
    fn response_headers_http_owns_are_not_generated() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          headers:\n            Transfer-Encoding: {schema: {type: string}}\n            connection: {schema: {type: string}}\n            X-Rate: {schema: {type: integer}}\n";
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), yaml.into()).unwrap();
        let lowered = super::lower(&doc, "t", &crate::Settings::default()).unwrap();
        let answer = &lowered.api.resources[0].operations[0].responses[0];
        let names: Vec<&str> = answer.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["X-Rate"]);
        assert_eq!(lowered.warnings.len(), 2, "{:?}", lowered.warnings);
    }

    #[test]
    fn a_null_type_property_has_null_as_its_one_value() {
        let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Open:\n      type: object\n      required: [challenger]\n      properties:\n        challenger: {type: 'null'}\n";
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), yaml.into()).unwrap();
        let api = super::lower(&doc, "t", &crate::Settings::default())
            .unwrap()
            .api;
        let TypeKind::Struct(s) = &named(&api, "Open").kind else {
            panic!("Open is not a struct");
        };
        let challenger = &s.fields[0].schema;
        assert_eq!(challenger.ty, Ty::Any);
        assert_eq!(challenger.constraints.allowed, [serde_json::Value::Null]);
    }

    #[test]
    fn an_enum_of_null_alone_is_null_not_an_enum_of_no_names() {
        let api = lowered(
            "    Hold:\n      type: object\n      properties:\n        held: {enum: [null]}\n",
        );
        let TypeKind::Struct(s) = &named(&api, "Hold").kind else {
            panic!("Hold is not a struct");
        };
        let held = &s.fields[0].schema;
        assert_eq!(held.ty, Ty::Any);
        assert_eq!(held.constraints.allowed, [serde_json::Value::Null]);
    }

    #[test]
    fn an_unmapped_discriminator_reads_the_value_an_alternative_fixes() {
        let yaml = r#"
    Playing:
      oneOf:
        - $ref: '#/components/schemas/TrackObject'
        - $ref: '#/components/schemas/EpisodeObject'
      discriminator: {propertyName: type}
    TrackObject:
      type: object
      properties:
        type: {type: string, enum: [track]}
    EpisodeObject:
      type: object
      allOf:
        - $ref: '#/components/schemas/EpisodeBase'
    EpisodeBase:
      type: object
      properties:
        type: {type: string, enum: [episode]}
"#;
        let api = lowered(yaml);
        let playing = named(&api, "Playing");
        let TypeKind::OneOf(o) = &playing.kind else {
            panic!("Playing is {:?}", playing.kind);
        };
        assert_eq!(o.variants[0].discriminator_values, ["track", "TrackObject"]);
        assert_eq!(
            o.variants[1].discriminator_values,
            ["episode", "EpisodeObject"]
        );
    }

    #[test]
    fn an_all_of_part_restating_a_typed_property_without_a_type_keeps_its_type() {
        let yaml = r#"
    Acl:
      allOf:
        - type: object
          properties:
            ipv4: {type: array, items: {type: string}}
            inbound: {type: array, items: {type: object}}
        - properties:
            ipv4: {description: Restated.}
            inbound: {required: [action]}
"#;
        let api = lowered(yaml);
        let acl = named(&api, "Acl");
        let TypeKind::Struct(s) = &acl.kind else {
            panic!("Acl is {:?}", acl.kind);
        };
        for f in &s.fields {
            assert!(
                matches!(f.schema.ty, crate::ir::Ty::Array(_)),
                "{}: {:?}",
                f.spec_name,
                f.schema.ty
            );
        }
    }

    #[test]
    fn method_names_drop_the_tag_prefix() {
        assert_eq!(method_name("userApiToken.delete", "userApiToken"), "delete");
        assert_eq!(method_name("userApiTokens.get", "userApiTokens"), "get");
        assert_eq!(
            method_name("userApiTokens.get", "userApiToken"),
            "user_api_tokens_get"
        );
        assert_eq!(method_name("listPets", "pets"), "list_pets");
        assert_eq!(method_name("pets_list", "pets"), "list");
        assert_eq!(method_name("pets.", "pets"), "pets");
    }
}
