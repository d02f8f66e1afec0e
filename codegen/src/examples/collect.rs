//! Finds every example of a loaded spec and the generated type it must
//! decode as: response and request bodies (`example`, `examples`, through
//! `components/examples`), parameters, and schemas (a type's own
//! `example`, and each property's). Only JSON media types are decoded;
//! the others are counted as skipped.
//!
//! It reads the loaded document as JSON beside the IR lowering made of it:
//! the IR says which Rust type sits where (an operation's pointer, a
//! type's pointer), the document holds the example values.

use serde_json::Value;

use crate::diagnostic::{escape_segment, join};
use crate::ir::{Api, MediaContent, Operation, ParameterLocation, Ty, TypeExpr, TypeId, TypeKind};

/// One example and what it is checked as.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it is used (JSON pointer into the loaded document: the
    /// `example` member, or the `examples` entry, which may be a `$ref`).
    pub pointer: String,
    /// Its key under `examples`, if it has one.
    pub name: Option<String>,
    /// What it is an example of, for people (`response 200 of getPet`).
    pub of: String,
    pub value: Value,
    /// The type it must decode as.
    pub ty: TypeExpr,
    /// The schema it must match: a pointer into the loaded document with
    /// every `$ref` on the way followed.
    pub schema: String,
    /// Whose body it is, for the server-side check.
    pub place: Place,
}

/// Whose body an example is.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// The request body of the operation at this index (resources in
    /// order, their operations in order), in this media type.
    Request { op: usize, media: String },
    /// The body of the operation's response at index `response`.
    Response {
        op: usize,
        response: usize,
        media: String,
    },
    /// A parameter's or a schema's.
    Other,
}

/// An example that is not checked, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub pointer: String,
    pub why: String,
}

/// Every example of `doc` (the loaded document as JSON) that `api` types.
pub fn collect(doc: &Value, api: &Api) -> (Vec<Example>, Vec<Skipped>) {
    let mut c = Collector {
        doc,
        examples: Vec::new(),
        skipped: Vec::new(),
    };
    for (i, op) in api.resources.iter().flat_map(|r| &r.operations).enumerate() {
        c.operation(i, op);
    }
    for (i, t) in api.types.types.iter().enumerate() {
        let Some(schema) = doc.pointer(&t.pointer) else {
            continue;
        };
        let of = format!("schema `{}`", t.rust_name);
        c.schema_examples(
            schema,
            &t.pointer,
            &of,
            &TypeExpr::new(Ty::Named(TypeId(i))),
        );
        if let TypeKind::Struct(s) = &t.kind {
            for f in &s.fields {
                let at = join(&join(&t.pointer, "properties"), &f.spec_name);
                // A `$ref`'d property's example belongs to its target.
                let Some(prop) = doc.pointer(&at).filter(|p| p.get("$ref").is_none()) else {
                    continue;
                };
                let of = format!("property `{}` of `{}`", f.spec_name, t.rust_name);
                c.schema_examples(prop, &at, &of, &f.schema);
            }
        }
    }
    (c.examples, c.skipped)
}

struct Collector<'d> {
    doc: &'d Value,
    examples: Vec<Example>,
    skipped: Vec<Skipped>,
}

impl<'d> Collector<'d> {
    /// Follows `$ref`s (local ones; bounded) from `pointer`: the node and
    /// the pointer it really sits at.
    fn resolve(&self, mut pointer: String) -> Option<(&'d Value, String)> {
        for _ in 0..16 {
            let node = self.doc.pointer(&pointer)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => pointer = r.strip_prefix('#')?.to_string(),
                None => return Some((node, pointer)),
            }
        }
        None
    }

    fn operation(&mut self, index: usize, op: &Operation) {
        let Some((node, op_pointer)) = self.resolve(op.pointer.clone()) else {
            return;
        };
        // Path-level parameters sit beside the operation.
        let item = op_pointer
            .rsplit_once('/')
            .map(|(item, _)| item.to_string());
        let lists = [
            item.map(|i| join(&i, "parameters")),
            Some(join(&op_pointer, "parameters")),
        ];
        for list in lists.into_iter().flatten() {
            let count = self
                .doc
                .pointer(&list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                self.parameter(op, &join(&list, i));
            }
        }
        if node.get("requestBody").is_some() {
            if let (Some(body), Some((_, real))) = (
                &op.request_body,
                self.resolve(join(&op_pointer, "requestBody")),
            ) {
                let of = format!("request body of `{}`", op.id);
                let place = |media: &str| Place::Request {
                    op: index,
                    media: media.to_string(),
                };
                self.contents(&body.contents, &join(&real, "content"), &of, &place);
            }
        }
        for (response, r) in op.responses.iter().enumerate() {
            let key = match r.status {
                crate::ir::StatusCode::Code(c) => c.to_string(),
                crate::ir::StatusCode::Range(x) => format!("{x}XX"),
                crate::ir::StatusCode::Default => "default".into(),
            };
            let written = join(&join(&op_pointer, "responses"), &key);
            if let Some((_, real)) = self.resolve(written) {
                let of = format!("response {key} of `{}`", op.id);
                let place = |media: &str| Place::Response {
                    op: index,
                    response,
                    media: media.to_string(),
                };
                self.contents(&r.contents, &join(&real, "content"), &of, &place);
            }
        }
    }

    fn parameter(&mut self, op: &Operation, written: &str) {
        let Some((node, real)) = self.resolve(written.to_string()) else {
            return;
        };
        let (Some(name), Some(location)) = (
            node.get("name").and_then(Value::as_str),
            node.get("in").and_then(Value::as_str),
        ) else {
            return;
        };
        let location = match location {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            _ => return,
        };
        // The operation's own parameter of the same name wins over the
        // path's: the IR holds the one in use.
        let Some(p) = op.parameters.iter().find(|p| {
            p.name == name
                && (p.location == location
                    || p.location == ParameterLocation::QueryString
                        && location == ParameterLocation::Query)
        }) else {
            return;
        };
        let schema = join(&real, "schema");
        if self.doc.pointer(&schema).is_none() {
            return;
        }
        let of = format!("parameter `{name}` of `{}`", op.id);
        self.examples_at(node, &real, &of, &p.schema, &schema, Place::Other);
    }

    fn contents(
        &mut self,
        contents: &[MediaContent],
        pointer: &str,
        of: &str,
        place: &dyn Fn(&str) -> Place,
    ) {
        for c in contents {
            let at = join(pointer, &c.media_type);
            let Some(media) = self.doc.pointer(&at) else {
                continue;
            };
            let essence = crate::media::essence(&c.media_type).to_ascii_lowercase();
            let json = essence == "application/json" || essence.ends_with("+json");
            let Some(ty) = c.schema.as_ref().filter(|_| json) else {
                for (pointer, _, _) in self.values(media, &at) {
                    self.skipped.push(Skipped {
                        pointer,
                        why: format!("`{}` is not decoded as JSON", c.media_type),
                    });
                }
                continue;
            };
            let schema = match self.resolve(join(&at, "schema")) {
                Some((_, real)) => real,
                None => continue,
            };
            self.examples_at(media, &at, of, ty, &schema, place(&c.media_type));
        }
    }

    /// A schema's own `example`; a 3.1 schema's `examples` arrive as the
    /// first in `example` and the others in `x-codegen-examples`, each
    /// located at its place in the 3.1 `examples` array.
    fn schema_examples(&mut self, schema: &Value, pointer: &str, of: &str, ty: &TypeExpr) {
        let more = schema
            .get(crate::loader::MORE_EXAMPLES)
            .and_then(Value::as_array);
        let Some(first) = schema.get("example") else {
            return;
        };
        let first_at = if more.is_some() {
            join(&join(pointer, "examples"), 0)
        } else {
            join(pointer, "example")
        };
        let rest = more
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| (join(&join(pointer, "examples"), i + 1), v));
        for (at, value) in std::iter::once((first_at, first)).chain(rest) {
            self.examples.push(Example {
                pointer: at,
                name: None,
                of: of.to_string(),
                value: value.clone(),
                ty: ty.clone(),
                schema: pointer.to_string(),
                place: Place::Other,
            });
        }
    }

    /// The `example` and `examples` of a media type or parameter.
    fn examples_at(
        &mut self,
        node: &Value,
        pointer: &str,
        of: &str,
        ty: &TypeExpr,
        schema: &str,
        place: Place,
    ) {
        for (at, name, value) in self.values(node, pointer) {
            match value {
                Ok(value) => self.examples.push(Example {
                    pointer: at,
                    name,
                    of: of.to_string(),
                    value,
                    ty: ty.clone(),
                    schema: schema.to_string(),
                    place: place.clone(),
                }),
                Err(why) => self.skipped.push(Skipped { pointer: at, why }),
            }
        }
    }

    /// `example`, then each of `examples` (Example objects, `$ref`s
    /// followed): (pointer, name, value or why there is none).
    #[allow(clippy::type_complexity)]
    fn values(
        &self,
        node: &Value,
        pointer: &str,
    ) -> Vec<(String, Option<String>, Result<Value, String>)> {
        let mut out = Vec::new();
        if let Some(v) = node.get("example") {
            out.push((join(pointer, "example"), None, Ok(v.clone())));
        }
        if let Some(map) = node.get("examples").and_then(Value::as_object) {
            for name in map.keys() {
                let at = format!("{pointer}/examples/{}", escape_segment(name));
                let value = match self.resolve(at.clone()) {
                    Some((ex, _)) => match (ex.get("value"), ex.get("externalValue")) {
                        (Some(v), _) => Ok(v.clone()),
                        (None, Some(_)) => Err("`externalValue` is not fetched".to_string()),
                        (None, None) => Err("an Example object without `value`".to_string()),
                    },
                    None => Err("its `$ref` does not resolve".to_string()),
                };
                out.push((at, Some(name.clone()), value));
            }
        }
        out
    }
}
