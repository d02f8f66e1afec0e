//! Schemas -> the type arena.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::diagnostic::{join, DiagnosticKind, Repair};
use crate::ir::{
    ConditionalRequired, Constraints, EnumType, EnumVariant, Field, IntegerFormat, NumberFormat,
    OneOfType, OneOfVariant, StringFormat, StructType, Ty, TypeDef, TypeExpr, TypeId, TypeKind,
};
use crate::naming::{self, Namespace};

mod distribute;

/// Where a schema sits, for naming and for diagnostics.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub pointer: &'a str,
    /// `UpperCamelCase` name an inline type here would get.
    pub hint: &'a str,
    /// The type holding this schema, if any.
    pub parent: Option<TypeId>,
    /// The arena slot to define (component schemas); `None` for uses.
    pub target: Option<TypeId>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

impl Lowerer<'_> {
    /// Allocates a named type for every component schema, then defines them.
    pub(super) fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for name in components.schemas.keys() {
            let base = self.renamed_type(name);
            let rust_name = self
                .type_names
                .claim(naming::type_name(base.as_deref().unwrap_or(name)));
            let id = self.push_type(
                name.clone(),
                rust_name,
                join("/components/schemas", name),
                None,
            );
            self.components.insert(name.clone(), id);
        }
        let mut reported_cycles: Vec<String> = Vec::new();
        for (name, schema) in &components.schemas {
            let id = self.components[name];
            let pointer = join("/components/schemas", name);
            if let Some(path) = self.replacement(name) {
                // The user's type stands for the schema, trusted as is.
                self.types[id.0].description = Some(format!(
                    "The spec's `{name}` schema, replaced by `{path}` (settings: `replace`): its serde form is trusted to be the schema's."
                ));
                self.types[id.0].kind = TypeKind::Alias(TypeExpr::new(Ty::External(path)));
                continue;
            }
            let hint = self.types[id.0].rust_name.clone();
            let at = At {
                pointer: &pointer,
                hint: &hint,
                parent: None,
                target: Some(id),
            };
            if let ReferenceOr::Reference { reference } = schema {
                if let Some(cycle) = self.pure_ref_cycle(name) {
                    // Report a cycle once, at its first member.
                    if !reported_cycles
                        .iter()
                        .any(|c: &String| c.split(" -> ").any(|m| m == name))
                    {
                        self.error(
                            DiagnosticKind::RefCycle {
                                cycle: cycle.clone(),
                            },
                            &pointer,
                        );
                        reported_cycles.push(cycle);
                    }
                    continue;
                }
                let expr = self.schema_ref(reference, &pointer);
                self.types[id.0].kind = TypeKind::Alias(expr);
                continue;
            }
            if let ReferenceOr::Item(s) = schema {
                // Aliases get no slot of their own: their example is kept here.
                self.types[id.0].example = s.schema_data.example.clone();
            }
            let expr = self.lower_schema(schema, at);
            // A nullable object, enum or one-of: its type cannot hold the
            // `null`, so its uses will (an alias holds it itself).
            if expr.nullable
                && expr.ty == Ty::Named(id)
                && !matches!(self.types[id.0].kind, TypeKind::Alias(_))
            {
                self.nullable_components.insert(id);
            }
            // Objects, enums and one-ofs filled the slot themselves.
            if matches!(
                self.types[id.0].kind,
                TypeKind::Alias(TypeExpr { ty: Ty::Any, .. })
            ) && expr.ty != Ty::Named(id)
            {
                self.types[id.0].kind = TypeKind::Alias(expr);
            }
        }
    }

    /// A chain of component schemas that are only `$ref`s and come back to `start`.
    fn pure_ref_cycle(&self, start: &str) -> Option<String> {
        let schemas = &self.doc.components.as_ref()?.schemas;
        let mut chain = vec![start.to_string()];
        let mut current = start;
        loop {
            let ReferenceOr::Reference { reference } = schemas.get(current)? else {
                return None;
            };
            let next = reference.strip_prefix(SCHEMA_PREFIX)?;
            let next = unescape(next);
            let seen = chain.contains(&next);
            chain.push(next);
            if seen {
                return Some(chain.join(" -> "));
            }
            current = schemas.get_key_value(chain.last()?.as_str())?.0;
        }
    }

    pub(super) fn push_type(
        &mut self,
        spec_name: String,
        rust_name: String,
        pointer: String,
        parent: Option<TypeId>,
    ) -> TypeId {
        // Inside a 3.2 `query` or additional operation, an inline type is
        // documented by where it is written, not by the loader's extension.
        // (Elsewhere the pointer of the normalised document is kept: a 2.0
        // form body, say, is assembled from parameters and written nowhere.)
        let pointer = if pointer.contains("/x-codegen-operations/") {
            let (file, written) = self
                .origins
                .locate_before(&pointer, self.origins.steps.len());
            if Arc::ptr_eq(&file, self.origins.root()) {
                written
            } else {
                pointer
            }
        } else {
            pointer
        };
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            spec_name,
            rust_name,
            title: None,
            description: None,
            pointer,
            kind: TypeKind::Alias(TypeExpr::new(Ty::Any)),
            parent,
            in_response: false,
            rules: None,
            example: None,
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        id
    }

    /// The slot to fill: the component's own, or a new inline type named after `at.hint`.
    fn slot(&mut self, at: At<'_>, data: &SchemaData) -> TypeId {
        let id = match at.target {
            Some(id) => id,
            None => {
                let rust_name = self.type_names.claim(naming::type_name(at.hint));
                self.push_type(
                    at.hint.to_string(),
                    rust_name,
                    at.pointer.to_string(),
                    at.parent,
                )
            }
        };
        let def = &mut self.types[id.0];
        def.title = data.title.clone();
        def.description = data.description.clone();
        def.example = data.example.clone();
        id
    }

    /// A reference to a component schema.
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeExpr {
        let ref_pointer = join(pointer, "$ref");
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            // The loader moved every local target it found into components:
            // what is left points at nothing.
            if reference.starts_with('#') {
                self.repaired(
                    Repair::DanglingRef,
                    format!("$ref `{reference}` points at nothing: generated as any JSON value (`serde_json::Value`)"),
                    &ref_pointer,
                );
            } else {
                self.error(
                    DiagnosticKind::UnsupportedRef {
                        reference: reference.to_string(),
                    },
                    &ref_pointer,
                );
            }
            return TypeExpr::new(Ty::Any);
        };
        match self.components.get(&unescape(name)) {
            Some(id) => TypeExpr::new(Ty::Named(*id)),
            None => {
                self.repaired(
                    Repair::DanglingRef,
                    format!("$ref `{reference}` points at nothing: generated as any JSON value (`serde_json::Value`)"),
                    &ref_pointer,
                );
                TypeExpr::new(Ty::Any)
            }
        }
    }

    pub(super) fn lower_schema(&mut self, schema: &ReferenceOr<Schema>, at: At<'_>) -> TypeExpr {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at.pointer),
            ReferenceOr::Item(s) => self.lower_item(s, at),
        }
    }

    pub(super) fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: At<'_>,
    ) -> TypeExpr {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at.pointer),
            ReferenceOr::Item(s) => self.lower_item(s, at),
        }
    }

    fn lower_item(&mut self, s: &Schema, at: At<'_>) -> TypeExpr {
        if let (None, Some(id)) = (at.target, self.in_progress.get(at.pointer)) {
            return TypeExpr::new(Ty::Named(*id));
        }
        let data = &s.schema_data;
        let mut expr = match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                if let VariantOrUnknownOrEmpty::Unknown(f) = &t.format {
                    self.check_format(f, at.pointer);
                }
                if !t.enumeration.is_empty() {
                    let values: Vec<&Option<String>> = t.enumeration.iter().collect();
                    let mut e =
                        self.string_enum(at, data, values.iter().filter_map(|v| v.as_deref()));
                    e.nullable |= values.iter().any(|v| v.is_none());
                    e
                } else {
                    let mut e = TypeExpr::new(Ty::String(StringFormat::Plain));
                    e.constraints = Constraints {
                        pattern: t.pattern.clone(),
                        format: format_name(&t.format).map(str::to_string),
                        min_length: t.min_length,
                        max_length: t.max_length,
                        ..Constraints::default()
                    };
                    let format = self.string_format(
                        format_name(&t.format),
                        string_format(&t.format),
                        &mut e,
                        at.pointer,
                    );
                    e.ty = Ty::String(format);
                    e
                }
            }
            SchemaKind::Type(Type::Integer(t)) => {
                if let VariantOrUnknownOrEmpty::Unknown(f) = &t.format {
                    self.check_format(f, at.pointer);
                }
                let format = match &t.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        IntegerFormat::Int32
                    }
                    _ => IntegerFormat::Int64,
                };
                let mut e = TypeExpr::new(Ty::Integer(format));
                e.constraints = Constraints {
                    minimum: t.minimum.map(|v| v as f64),
                    maximum: t.maximum.map(|v| v as f64),
                    exclusive_minimum: t.exclusive_minimum,
                    exclusive_maximum: t.exclusive_maximum,
                    multiple_of: t.multiple_of.map(|v| v as f64),
                    allowed: t
                        .enumeration
                        .iter()
                        .flatten()
                        .map(|v| (*v).into())
                        .collect(),
                    ..Constraints::default()
                };
                e.nullable = t.enumeration.iter().any(Option::is_none);
                e
            }
            SchemaKind::Type(Type::Number(t)) => {
                if let VariantOrUnknownOrEmpty::Unknown(f) = &t.format {
                    self.check_format(f, at.pointer);
                }
                let format = match &t.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        NumberFormat::Float
                    }
                    _ => NumberFormat::Double,
                };
                let mut e = TypeExpr::new(Ty::Number(format));
                e.constraints = Constraints {
                    minimum: t.minimum,
                    maximum: t.maximum,
                    exclusive_minimum: t.exclusive_minimum,
                    exclusive_maximum: t.exclusive_maximum,
                    multiple_of: t.multiple_of,
                    allowed: t
                        .enumeration
                        .iter()
                        .flatten()
                        .filter_map(|v| serde_json::Number::from_f64(*v))
                        .map(Into::into)
                        .collect(),
                    ..Constraints::default()
                };
                e
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                let mut e = TypeExpr::new(Ty::Boolean);
                e.constraints.allowed = t
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| (*v).into())
                    .collect();
                e
            }
            SchemaKind::Type(Type::Object(o)) => self.object(
                at,
                data,
                Members {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                    sources: None,
                },
                (o.min_properties, o.max_properties),
            ),
            SchemaKind::Type(Type::Array(_)) if data.extensions.contains_key("x-codegen-tuple") => {
                self.tuple(at, &data.extensions["x-codegen-tuple"])
            }
            SchemaKind::Type(Type::Array(a)) => self.array(
                at,
                a.items.as_ref(),
                a.min_items,
                a.max_items,
                a.unique_items,
            ),
            SchemaKind::OneOf { one_of } => self.one_of(at, data, "oneOf", one_of),
            SchemaKind::AnyOf { any_of } => self.one_of(at, data, "anyOf", any_of),
            SchemaKind::AllOf { all_of } => self.all_of(at, data, all_of),
            SchemaKind::Not { .. } => {
                self.approximated(
                    "a `not` schema is generated as any JSON value (`serde_json::Value`); what it excludes is not checked",
                    at.pointer,
                );
                TypeExpr::new(Ty::Any)
            }
            SchemaKind::Any(any) => self.any(at, data, any),
        };
        expr.nullable |= data.nullable;
        // `type: "null"` (OpenAPI 3.1): any JSON value in Rust, whose one
        // value is `null` (made-up answers send it).
        if matches!(expr.ty, Ty::Any)
            && data.extensions.get(crate::loader::NULL_MARK) == Some(&serde_json::Value::Bool(true))
        {
            expr.constraints.allowed = vec![serde_json::Value::Null];
        }
        if expr.default.is_none() {
            expr.default = data.default.clone();
        }
        self.check_default(&mut expr, at.pointer);
        self.attach_rules(&expr, data, &at);
        expr
    }

    /// The loader's copy of the keywords a type cannot express goes to the
    /// schema's own type, where the server's validator checks it; a schema
    /// without a type of its own (an inline string, say) leaves them
    /// unchecked with a warning.
    fn attach_rules(&mut self, expr: &TypeExpr, data: &SchemaData, at: &At<'_>) {
        let Some(rules) = data.extensions.get(crate::loader::RULES) else {
            return;
        };
        let own = match (&expr.ty, at.target) {
            (_, Some(id)) => Some(id),
            (Ty::Named(id), None) if self.types[id.0].pointer == at.pointer => Some(*id),
            _ => None,
        };
        match own {
            Some(id) => self.types[id.0].rules = Some(rules.clone()),
            None => {
                let keywords: Vec<String> = rules
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.keys().map(|k| format!("`{k}`")))
                    .collect();
                self.approximated(
                    &format!(
                        "{} not checked here: an inline schema that is not an object has no validator of its own",
                        keywords.join(", ")
                    ),
                    &join(at.pointer, crate::loader::RULES),
                );
            }
        }
    }

    /// A `default` the schema itself rejects is dropped (R0009): it is
    /// documented, and a wrong one misleads.
    fn check_default(&mut self, expr: &mut TypeExpr, pointer: &str) {
        let Some(default) = &expr.default else {
            return;
        };
        if default_fits(expr, default, &self.types) {
            return;
        }
        let mut shown = default.to_string();
        if let Some((cut, _)) = shown.char_indices().nth(60) {
            shown.truncate(cut);
            shown.push('…');
        }
        self.repaired(
            Repair::DefaultMismatch,
            format!("default `{shown}` is not a value of its own schema: it is ignored"),
            &join(pointer, "default"),
        );
        expr.default = None;
    }

    /// A format outside the OpenAPI Format Registry is reported once per
    /// name (R0008); the value is generated as its plain type.
    fn check_format(&mut self, format: &str, pointer: &str) {
        if known_format(format) || !self.warned_formats.insert(format.to_string()) {
            return;
        }
        self.repaired(
            Repair::UnknownFormat,
            format!("format `{format}` is not in the OpenAPI Format Registry: values are generated as their plain type (reported once for the whole document)"),
            &join(pointer, "format"),
        );
    }

    fn array(
        &mut self,
        at: At<'_>,
        items: Option<&ReferenceOr<Box<Schema>>>,
        min_items: Option<usize>,
        max_items: Option<usize>,
        unique_items: bool,
    ) -> TypeExpr {
        let item = match items {
            Some(items) => {
                let pointer = join(at.pointer, "items");
                let hint = format!("{}Item", at.hint);
                self.lower_boxed(
                    items,
                    At {
                        pointer: &pointer,
                        hint: &hint,
                        parent: at.parent,
                        target: None,
                    },
                )
            }
            None => {
                self.repaired(
                    Repair::ArrayWithoutItems,
                    "array without `items`: its items are generated as any JSON value (`serde_json::Value`)".into(),
                    at.pointer,
                );
                TypeExpr::new(Ty::Any)
            }
        };
        let mut e = TypeExpr::new(Ty::Array(Box::new(item)));
        e.constraints = Constraints {
            min_items,
            max_items,
            unique_items,
            ..Constraints::default()
        };
        e
    }

    /// A closed 3.1 `prefixItems` list (the loader's `x-codegen-tuple`).
    fn tuple(&mut self, at: At<'_>, members: &serde_json::Value) -> TypeExpr {
        let list = join(at.pointer, "x-codegen-tuple");
        let parsed: Option<Vec<ReferenceOr<Schema>>> = members.as_array().and_then(|m| {
            m.iter()
                .map(|v| serde_json::from_value(v.clone()).ok())
                .collect()
        });
        let Some(parsed) = parsed else {
            self.error(
                DiagnosticKind::InvalidDocument {
                    message: "`prefixItems` must be a list of schemas".into(),
                },
                &list,
            );
            return TypeExpr::new(Ty::Any);
        };
        let mut items = Vec::with_capacity(parsed.len());
        for (i, member) in parsed.iter().enumerate() {
            let pointer = join(&list, i);
            let hint = format!("{}{}", at.hint, i);
            items.push(self.lower_schema(
                member,
                At {
                    pointer: &pointer,
                    hint: &hint,
                    parent: at.parent,
                    target: None,
                },
            ));
        }
        let e = TypeExpr::new(Ty::Tuple(items));
        if let Some(id) = at.target {
            self.types[id.0].kind = TypeKind::Alias(e);
            return TypeExpr::new(Ty::Named(id));
        }
        e
    }

    fn object(
        &mut self,
        at: At<'_>,
        data: &SchemaData,
        members: Members<'_>,
        (min_properties, max_properties): (Option<usize>, Option<usize>),
    ) -> TypeExpr {
        let Members {
            properties,
            required,
            additional,
            sources,
        } = members;
        let additional_pointer = join(at.pointer, "additionalProperties");
        if properties.is_empty() {
            match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let hint = format!("{}Value", at.hint);
                    let value = self.lower_schema(
                        s,
                        At {
                            pointer: &additional_pointer,
                            hint: &hint,
                            parent: at.parent,
                            target: None,
                        },
                    );
                    let mut e = TypeExpr::new(Ty::Map(Box::new(value)));
                    e.constraints.min_properties = min_properties;
                    e.constraints.max_properties = max_properties;
                    return e;
                }
                Some(AdditionalProperties::Any(false)) => {}
                _ => {
                    let mut e = TypeExpr::new(Ty::Object);
                    e.constraints.min_properties = min_properties;
                    e.constraints.max_properties = max_properties;
                    return e;
                }
            }
        }
        let id = self.slot(at, data);
        // A property met again while its object is lowered (an allOf that
        // merges the object it sits in) refers back to it.
        let fresh = at.target.is_none()
            && self
                .in_progress
                .insert(at.pointer.to_string(), id)
                .is_none();
        let struct_name = self.types[id.0].rust_name.clone();
        let mut names = Namespace::new();
        let mut fields = Vec::with_capacity(properties.len());
        let properties_pointer = join(at.pointer, "properties");
        for (name, prop) in properties {
            // Merged properties are lowered where they are written.
            let pointer = sources
                .and_then(|s| s.get(name).cloned())
                .unwrap_or_else(|| join(&properties_pointer, name));
            let hint = format!("{struct_name}{}", naming::type_name(name));
            let schema = self.lower_boxed(
                prop,
                At {
                    pointer: &pointer,
                    hint: &hint,
                    parent: Some(id),
                    target: None,
                },
            );
            let (description, secret, deprecated, read_only, write_only) =
                self.property_flags(prop);
            fields.push(Field {
                spec_name: name.clone(),
                rust_name: {
                    let renamed = self.renamed_property(at.pointer, name);
                    names.claim(naming::snake_name(renamed.as_deref().unwrap_or(name)))
                },
                description,
                // `readOnly` is required in responses only, `writeOnly` in
                // requests only. One type serves both directions, so such a
                // property is required in neither: a create request leaves
                // the server's `id` out, a response may omit a password.
                required: required.iter().any(|r| r == name) && !read_only && !write_only,
                request_required: write_only && required.iter().any(|r| r == name),
                response_required: read_only && required.iter().any(|r| r == name),
                schema,
                secret,
                deprecated,
                read_only,
                write_only,
            });
        }
        let deny_unknown = matches!(additional, Some(AdditionalProperties::Any(false)));
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let hint = format!("{struct_name}Value");
                let at = At {
                    pointer: &additional_pointer,
                    hint: &hint,
                    parent: Some(id),
                    target: None,
                };
                Some(Box::new(self.lower_schema(s, at)))
            }
            _ => None,
        };
        if fresh {
            self.in_progress.remove(at.pointer);
        }
        let dependent_required = self.dependent_required(data, &fields, at.pointer);
        let conditional_required = self.conditional_required(data, &fields, at.pointer);
        let additional_field = additional_field_name(&fields);
        self.types[id.0].kind = TypeKind::Struct(StructType {
            fields,
            deny_unknown,
            additional,
            additional_field,
            dependent_required,
            conditional_required,
        });
        let mut e = TypeExpr::new(Ty::Named(id));
        e.constraints.min_properties = min_properties;
        e.constraints.max_properties = max_properties;
        e
    }
}

impl Lowerer<'_> {
    /// The loader's copy of 3.1 `dependentRequired`, for the server to check.
    /// A name that is not a property of the object cannot be checked (the
    /// struct does not keep unknown properties): that dependency is left
    /// out with a warning.
    fn dependent_required(
        &mut self,
        data: &SchemaData,
        fields: &[Field],
        pointer: &str,
    ) -> Vec<(String, Vec<String>)> {
        let Some(map) = data
            .extensions
            .get(crate::loader::DEPENDENT_REQUIRED)
            .and_then(|v| v.as_object())
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (trigger, names) in map {
            let names = strings(names);
            if let Some(missing) = undeclared(fields, std::iter::once(trigger).chain(&names)) {
                self.approximated(
                    &format!("`dependentRequired` of `{trigger}` is not checked: `{missing}` is not a property of this object"),
                    &join(&join(pointer, crate::loader::DEPENDENT_REQUIRED), trigger),
                );
                continue;
            }
            out.push((trigger.clone(), names));
        }
        out
    }
}

impl Lowerer<'_> {
    /// The loader's copy of the common form of 3.1 `if`/`then`/`else`; as
    /// for `dependentRequired`, names that are not properties leave it
    /// unchecked with a warning.
    fn conditional_required(
        &mut self,
        data: &SchemaData,
        fields: &[Field],
        pointer: &str,
    ) -> Option<ConditionalRequired> {
        let carried = data.extensions.get(crate::loader::CONDITIONAL_REQUIRED)?;
        let condition = ConditionalRequired {
            property: carried["property"].as_str()?.to_string(),
            value: carried["value"].clone(),
            property_required: carried["required"].as_bool().unwrap_or(false),
            then: strings(&carried["then"]),
            otherwise: strings(&carried["else"]),
        };
        let named = std::iter::once(&condition.property)
            .chain(&condition.then)
            .chain(&condition.otherwise);
        if let Some(missing) = undeclared(fields, named) {
            self.approximated(
                &format!("`if`/`then`/`else` is not checked: `{missing}` is not a property of this object"),
                &join(pointer, crate::loader::CONDITIONAL_REQUIRED),
            );
            return None;
        }
        Some(condition)
    }
}

/// The strings of a JSON list (anything else: none).
fn strings(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

/// The first name that is not a property of the struct being lowered:
/// conditions on it cannot be checked (the struct drops unknown properties).
fn undeclared<'n>(
    fields: &[Field],
    mut names: impl Iterator<Item = &'n String>,
) -> Option<&'n String> {
    names.find(|n| !fields.iter().any(|f| &f.spec_name == *n))
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The format's name as written (what settings map).
fn format_name(format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> Option<&str> {
    use openapiv3::StringFormat as F;
    match format {
        VariantOrUnknownOrEmpty::Item(F::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(F::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(F::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(F::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(F::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> StringFormat {
    use openapiv3::StringFormat as F;
    match format {
        VariantOrUnknownOrEmpty::Item(F::DateTime) => StringFormat::DateTime,
        VariantOrUnknownOrEmpty::Item(F::Date) => StringFormat::Date,
        VariantOrUnknownOrEmpty::Item(F::Password) => StringFormat::Password,
        VariantOrUnknownOrEmpty::Item(F::Byte) => StringFormat::Byte,
        VariantOrUnknownOrEmpty::Item(F::Binary) => StringFormat::Binary,
        VariantOrUnknownOrEmpty::Unknown(_) => StringFormat::Other,
        VariantOrUnknownOrEmpty::Empty => StringFormat::Plain,
    }
}

impl Lowerer<'_> {
    fn string_enum<'v>(
        &mut self,
        at: At<'_>,
        data: &SchemaData,
        values: impl Iterator<Item = &'v str>,
    ) -> TypeExpr {
        let id = self.slot(at, data);
        let mut names = Namespace::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for value in values {
            if variants.iter().any(|v| v.value == value) {
                continue;
            }
            variants.push(EnumVariant {
                value: value.to_string(),
                rust_name: names.claim(naming::variant_name(value)),
            });
        }
        self.types[id.0].kind = TypeKind::Enum(EnumType { variants });
        TypeExpr::new(Ty::Named(id))
    }

    fn one_of(
        &mut self,
        at: At<'_>,
        data: &SchemaData,
        keyword: &str,
        alternatives: &[ReferenceOr<Schema>],
    ) -> TypeExpr {
        if alternatives.is_empty() {
            self.error(
                DiagnosticKind::InvalidDocument {
                    message: "`oneOf`/`anyOf` needs at least one schema".into(),
                },
                at.pointer,
            );
            return TypeExpr::new(Ty::Any);
        }
        let id = self.slot(at, data);
        let union_name = self.types[id.0].rust_name.clone();
        let list_pointer = join(at.pointer, keyword);
        // Alternatives that only admit listed values are tried first, so that
        // `"sandbox"` decodes as the enum rather than as a free string.
        let mut order: Vec<usize> = (0..alternatives.len()).collect();
        order.sort_by_key(|&i| !is_closed_enum(&alternatives[i]));
        let mut names = Namespace::new();
        let mut variants = Vec::with_capacity(alternatives.len());
        for i in order {
            let alt = &alternatives[i];
            let candidate = self.alternative_name(alt);
            let rust_name = names.claim(candidate);
            let pointer = join(&list_pointer, i);
            let hint = format!("{union_name}{rust_name}");
            let schema = self.lower_schema(
                alt,
                At {
                    pointer: &pointer,
                    hint: &hint,
                    parent: Some(id),
                    target: None,
                },
            );
            let discriminator_values = self.discriminator_values(data.discriminator.as_ref(), alt);
            variants.push(OneOfVariant {
                rust_name,
                schema,
                discriminator_values,
            });
        }
        let discriminator = data.discriminator.as_ref().map(|d| d.property_name.clone());
        self.types[id.0].kind = TypeKind::OneOf(OneOfType {
            variants,
            discriminator,
        });
        TypeExpr::new(Ty::Named(id))
    }

    /// The values of `discriminator` that pick `alt`: the mapping's, or
    /// (without one) the value the alternative fixes and its schema's name.
    fn discriminator_values(
        &self,
        discriminator: Option<&openapiv3::Discriminator>,
        alt: &ReferenceOr<Schema>,
    ) -> Vec<String> {
        let (Some(d), ReferenceOr::Reference { reference }) = (discriminator, alt) else {
            return Vec::new();
        };
        // A mapping's value is a reference or a schema's name (OpenAPI:
        // "MAY be ... a schema name").
        let name = reference.strip_prefix(SCHEMA_PREFIX).map(unescape);
        let mapped: Vec<String> = d
            .mapping
            .iter()
            .filter(|(_, target)| *target == reference || name.as_deref() == Some(target.as_str()))
            .map(|(value, _)| value.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        // Without a mapping the value is the schema's name; where the
        // alternative fixes its property to one value (spotify's
        // `type: {enum: [track]}` under `TrackObject`), that value is what
        // is sent: it comes first, the name is still read.
        let named = reference.rsplit('/').next().map(unescape);
        let own = self.fixed_value(reference, &d.property_name);
        let mut values: Vec<String> = own.into_iter().collect();
        values.extend(named.filter(|n| !values.contains(n)));
        values
    }

    fn alternative_name(&self, alt: &ReferenceOr<Schema>) -> String {
        match alt {
            ReferenceOr::Reference { reference } => match reference.strip_prefix(SCHEMA_PREFIX) {
                Some(name) => match self.components.get(&unescape(name)) {
                    Some(id) => self.types[id.0].rust_name.clone(),
                    None => naming::variant_name(name),
                },
                None => "Ref".into(),
            },
            ReferenceOr::Item(s) => {
                if let Some(title) = &s.schema_data.title {
                    return naming::variant_name(title);
                }
                match &s.schema_kind {
                    SchemaKind::Type(Type::String(t)) if t.enumeration.len() == 1 => {
                        naming::variant_name(t.enumeration[0].as_deref().unwrap_or("null"))
                    }
                    // A family of values reads best by its first one (`all.User` -> `AllUser`).
                    SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => t
                        .enumeration
                        .iter()
                        .flatten()
                        .next()
                        .map(|v| naming::variant_name(v))
                        .unwrap_or_else(|| "Enum".into()),
                    SchemaKind::Type(Type::String(_)) => "String".into(),
                    SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
                    SchemaKind::Type(Type::Number(_)) => "Number".into(),
                    SchemaKind::Type(Type::Boolean(_)) => "Boolean".into(),
                    SchemaKind::Type(Type::Array(_)) => "Array".into(),
                    SchemaKind::Type(Type::Object(_)) => "Object".into(),
                    SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => "OneOf".into(),
                    SchemaKind::AllOf { .. } => "AllOf".into(),
                    SchemaKind::Not { .. } | SchemaKind::Any(_) => "Value".into(),
                }
            }
        }
    }

    /// The one value the schema `reference` names allows for its
    /// `property` (an `enum` of one string), looking into its `allOf` parts
    /// one level down; `None` when it allows more or is not found.
    fn fixed_value(&self, reference: &str, property: &str) -> Option<String> {
        let schemas = &self.doc.components.as_ref()?.schemas;
        let target = |r: &str| {
            r.strip_prefix(SCHEMA_PREFIX)
                .map(unescape)
                .and_then(|name| schemas.get(&name))
                .and_then(|s| match s {
                    ReferenceOr::Item(s) => Some(s.clone()),
                    ReferenceOr::Reference { .. } => None,
                })
        };
        let schema = target(reference)?;
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            // `type: object` beside `allOf` (spotify's `EpisodeObject`).
            SchemaKind::Any(a) => a.all_of.as_slice(),
            _ => &[],
        };
        one_value(&schema, property).or_else(|| {
            parts.iter().find_map(|part| match part {
                ReferenceOr::Item(s) => one_value(s, property),
                ReferenceOr::Reference { reference } => one_value(&target(reference)?, property),
            })
        })
    }

    /// `allOf`: parts that only annotate (a description, `nullable`) are
    /// skipped; one part left is that part; several object parts merge into
    /// one struct; anything else is any JSON value, with a warning.
    fn all_of(&mut self, at: At<'_>, data: &SchemaData, parts: &[ReferenceOr<Schema>]) -> TypeExpr {
        let shaping: Vec<usize> = (0..parts.len())
            .filter(|&i| !annotation_only(&parts[i]))
            .collect();
        let annotated_nullable = parts.iter().any(
            |p| matches!(p, ReferenceOr::Item(s) if annotation_only(p) && s.schema_data.nullable),
        );
        let single = match shaping.as_slice() {
            [i] => Some(*i),
            [] if !parts.is_empty() => Some(0),
            _ => None,
        };
        if let Some(i) = single {
            let pointer = join(&join(at.pointer, "allOf"), i);
            let mut e = self.lower_schema(
                &parts[i],
                At {
                    pointer: &pointer,
                    ..at
                },
            );
            e.nullable |= annotated_nullable;
            if let (Some(id), Ty::Named(inner)) = (at.target, &e.ty) {
                if *inner != id {
                    self.types[id.0].kind = TypeKind::Alias(e.clone());
                    e = TypeExpr::new(Ty::Named(id));
                }
            }
            return e;
        }
        if let Some(mut e) = self.all_of_scalars(at, &shaping, parts) {
            e.nullable |= annotated_nullable;
            return e;
        }
        if let Some(mut e) = self.all_of_choice(at, data, &shaping, parts) {
            e.nullable |= annotated_nullable;
            return e;
        }
        let mut merged = Merged::default();
        for &i in &shaping {
            let pointer = join(&join(at.pointer, "allOf"), i);
            if !self.collect_object(&parts[i], &pointer, &pointer, &mut merged, 0) {
                self.repaired(
                    Repair::AllOfNotObjects,
                    "`allOf` of parts that are not all objects is generated as any JSON value (`serde_json::Value`)".into(),
                    &pointer,
                );
                let mut e = TypeExpr::new(Ty::Any);
                e.nullable |= annotated_nullable;
                return e;
            }
        }
        let mut e = self.object(
            at,
            data,
            Members {
                properties: &merged.properties,
                required: &merged.required,
                additional: merged.additional.as_ref(),
                sources: Some(&merged.sources),
            },
            (None, None),
        );
        e.nullable |= annotated_nullable;
        e
    }

    /// `allOf` of parts that are all one scalar type and no enum (a
    /// `$ref` to a patterned string and `type: string` with a description,
    /// as lob writes its ids): that type, every part's constraints applied
    /// (the tightest bounds; the first pattern). `None`: not such parts.
    fn all_of_scalars(
        &mut self,
        at: At<'_>,
        shaping: &[usize],
        parts: &[ReferenceOr<Schema>],
    ) -> Option<TypeExpr> {
        let kinds: Vec<u8> = shaping
            .iter()
            .map(|&i| self.scalar_kind(&parts[i], 0))
            .collect::<Option<_>>()?;
        if kinds.windows(2).any(|w| w[0] != w[1]) {
            return None;
        }
        let mut merged: Option<TypeExpr> = None;
        for &i in shaping {
            let pointer = join(&join(at.pointer, "allOf"), i);
            let mut e = self.lower_schema(
                &parts[i],
                At {
                    pointer: &pointer,
                    ..at
                },
            );
            for _ in 0..16 {
                let Ty::Named(id) = &e.ty else { break };
                let TypeKind::Alias(inner) = &self.types[id.0].kind else {
                    return None;
                };
                e = inner.clone();
            }
            merged = Some(match merged {
                None => e,
                Some(mut m) => {
                    tighten(&mut m.constraints, &e.constraints);
                    m.nullable &= e.nullable;
                    m.default = m.default.or(e.default);
                    m
                }
            });
        }
        let e = merged?;
        if let Some(id) = at.target {
            self.types[id.0].kind = TypeKind::Alias(e);
            return Some(TypeExpr::new(Ty::Named(id)));
        }
        Some(e)
    }

    /// A property's description, `secret` (password format or
    /// `x-secret`), `deprecated`, `readOnly` and `writeOnly`.
    fn property_flags(
        &self,
        prop: &ReferenceOr<Box<Schema>>,
    ) -> (Option<String>, bool, bool, bool, bool) {
        match prop {
            ReferenceOr::Item(s) => {
                let d = &s.schema_data;
                let password = matches!(
                    &s.schema_kind,
                    SchemaKind::Type(Type::String(t)) if matches!(t.format, VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password))
                );
                let flagged = d
                    .extensions
                    .get("x-secret")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                (
                    d.description.clone().or_else(|| d.title.clone()),
                    password || flagged,
                    d.deprecated,
                    d.read_only,
                    d.write_only,
                )
            }
            // `readOnly`/`writeOnly` on the schema a property references
            // mark the property (apideck's `Id`): one level of `$ref`s,
            // as far as components go.
            ReferenceOr::Reference { reference } => {
                let target = self.referenced_data(reference);
                (
                    None,
                    false,
                    false,
                    target.is_some_and(|d| d.read_only),
                    target.is_some_and(|d| d.write_only),
                )
            }
        }
    }

    /// The data (`readOnly`, `writeOnly`...) of the component schema a
    /// `$ref` names, following `$ref`s up to 8 deep.
    fn referenced_data(&self, reference: &str) -> Option<&SchemaData> {
        let mut reference = reference;
        for _ in 0..8 {
            let name = unescape(reference.strip_prefix(SCHEMA_PREFIX)?);
            match self.doc.components.as_ref()?.schemas.get(&name)? {
                ReferenceOr::Item(s) => return Some(&s.schema_data),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// Which scalar type a part is (following `$ref`s): 1 string, 2
    /// integer, 3 number, 4 boolean; `None` for anything else, an enum
    /// among them.
    fn scalar_kind(&self, part: &ReferenceOr<Schema>, depth: usize) -> Option<u8> {
        if depth > 8 {
            return None;
        }
        let schema = match part {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let name = unescape(reference.strip_prefix(SCHEMA_PREFIX)?);
                let target = self.doc.components.as_ref()?.schemas.get(&name)?;
                return self.scalar_kind(target, depth + 1);
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) if t.enumeration.is_empty() => Some(1),
            SchemaKind::Type(Type::Integer(t)) if t.enumeration.is_empty() => Some(2),
            SchemaKind::Type(Type::Number(t)) if t.enumeration.is_empty() => Some(3),
            SchemaKind::Type(Type::Boolean(t)) if t.enumeration.is_empty() => Some(4),
            _ => None,
        }
    }

    /// Adds an object-like schema's properties to a merged set; `false` if it is not object-like.
    fn collect_object(
        &mut self,
        part: &ReferenceOr<Schema>,
        pointer: &str,
        source: &str,
        merged: &mut Merged,
        depth: usize,
    ) -> bool {
        if depth > 32 {
            self.error(
                DiagnosticKind::RefCycle {
                    cycle: "allOf".into(),
                },
                pointer,
            );
            return true;
        }
        let schema: Schema = match part {
            ReferenceOr::Item(s) => s.clone(),
            ReferenceOr::Reference { reference } => {
                let target = reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .map(unescape)
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()
                            .and_then(|c| c.schemas.get(&name))
                            .cloned()
                    });
                match target {
                    Some(t) => {
                        let source = reference.trim_start_matches('#').to_string();
                        return self.collect_object(&t, pointer, &source, merged, depth + 1);
                    }
                    None => {
                        self.schema_ref(reference, pointer);
                        return true;
                    }
                }
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                merged.add(&o.properties, source);
                merged.required.extend(o.required.iter().cloned());
                if o.additional_properties.is_some() {
                    merged.additional = o.additional_properties.clone();
                }
                true
            }
            SchemaKind::AllOf { all_of } => all_of.iter().enumerate().all(|(i, p)| {
                let source = join(&join(source, "allOf"), i);
                self.collect_object(p, pointer, &source, merged, depth + 1)
            }),
            SchemaKind::Any(a)
                if a.typ.as_deref().is_none_or(|t| t == "object")
                    && a.one_of.is_empty()
                    && a.any_of.is_empty() =>
            {
                merged.add(&a.properties, source);
                merged.required.extend(a.required.iter().cloned());
                for (i, p) in a.all_of.iter().enumerate() {
                    let source = join(&join(source, "allOf"), i);
                    if !self.collect_object(p, pointer, &source, merged, depth + 1) {
                        return false;
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// Schemas without a single clear `type`.
    fn any(&mut self, at: At<'_>, data: &SchemaData, a: &AnySchema) -> TypeExpr {
        const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];
        if let Some(t) = &a.typ {
            if !TYPES.contains(&t.as_str()) {
                self.repaired(
                    Repair::UnknownType,
                    format!("unknown schema type `{t}`: generated as any JSON value (`serde_json::Value`)"),
                    &join(at.pointer, "type"),
                );
                return TypeExpr::new(Ty::Any);
            }
        }
        if !a.all_of.is_empty() {
            // allOf beside other keywords: merge the siblings in as one more
            // part (a `required` beside `allOf` alone applies to the parts'
            // properties, as linode writes its create bodies).
            // A `oneOf`/`anyOf` beside it is a part too (distributed over
            // the others: `lower/schema/distribute.rs`).
            let mut parts = a.all_of.clone();
            if !a.properties.is_empty()
                || !a.required.is_empty()
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
            {
                let mut rest = a.clone();
                rest.all_of.clear();
                parts.push(ReferenceOr::Item(Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Any(rest),
                }));
            }
            return self.all_of(at, data, &parts);
        }
        if !a.one_of.is_empty() {
            return self.one_of(at, data, "oneOf", &a.one_of);
        }
        if !a.any_of.is_empty() {
            return self.one_of(at, data, "anyOf", &a.any_of);
        }
        let typ = a.typ.as_deref();
        // A `type` decides: keywords of another type beside it apply to
        // nothing (JSON Schema), as validators read them (Xero's
        // `type: string` with `items` is a string, as its example is).
        let untyped = typ.is_none();
        if typ == Some("object")
            || untyped && (!a.properties.is_empty() || a.additional_properties.is_some())
        {
            return self.object(
                at,
                data,
                Members {
                    properties: &a.properties,
                    required: &a.required,
                    additional: a.additional_properties.as_ref(),
                    sources: None,
                },
                (a.min_properties, a.max_properties),
            );
        }
        if typ == Some("array") || untyped && a.items.is_some() {
            return self.array(
                at,
                a.items.as_ref(),
                a.min_items,
                a.max_items,
                a.unique_items.unwrap_or(false),
            );
        }
        if !a.enumeration.is_empty() && a.enumeration.iter().all(|v| v.is_null()) {
            // `enum: [null]`: as `type: "null"`, any JSON value whose one
            // value is `null` (not an enum of no names).
            let mut e = TypeExpr::new(Ty::Any);
            e.nullable = true;
            e.constraints.allowed = vec![serde_json::Value::Null];
            return e;
        }
        if !a.enumeration.is_empty()
            && a.enumeration.iter().all(|v| v.is_string() || v.is_null())
            && typ.is_none_or(|t| t == "string")
        {
            let mut e = self.string_enum(at, data, a.enumeration.iter().filter_map(|v| v.as_str()));
            e.nullable |= a.enumeration.iter().any(|v| v.is_null());
            return e;
        }
        if let Some(f) = &a.format {
            self.check_format(f, at.pointer);
        }
        let ty = match typ {
            Some("string") => Ty::String(match a.format.as_deref() {
                Some("date-time") => StringFormat::DateTime,
                Some("date") => StringFormat::Date,
                Some("password") => StringFormat::Password,
                Some("byte") => StringFormat::Byte,
                Some("binary") => StringFormat::Binary,
                Some(_) => StringFormat::Other,
                None => StringFormat::Plain,
            }),
            Some("integer") => Ty::Integer(if a.format.as_deref() == Some("int32") {
                IntegerFormat::Int32
            } else {
                IntegerFormat::Int64
            }),
            Some("number") => Ty::Number(if a.format.as_deref() == Some("float") {
                NumberFormat::Float
            } else {
                NumberFormat::Double
            }),
            Some("boolean") => Ty::Boolean,
            _ => Ty::Any,
        };
        let mut e = TypeExpr::new(ty);
        e.constraints = Constraints {
            pattern: a.pattern.clone(),
            format: a.format.clone().filter(|_| typ == Some("string")),
            min_length: a.min_length,
            max_length: a.max_length,
            minimum: a.minimum,
            maximum: a.maximum,
            exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
            multiple_of: a.multiple_of,
            allowed: a
                .enumeration
                .iter()
                .filter(|v| !v.is_null())
                .cloned()
                .collect(),
            ..Constraints::default()
        };
        e.nullable = a.enumeration.iter().any(|v| v.is_null());
        if let Ty::String(builtin) = e.ty {
            let format = self.string_format(a.format.as_deref(), builtin, &mut e, at.pointer);
            e.ty = Ty::String(format);
        }
        if let (Some(id), false) = (at.target, matches!(e.ty, Ty::Any)) {
            self.types[id.0].kind = TypeKind::Alias(e);
            return TypeExpr::new(Ty::Named(id));
        }
        e
    }
}

/// `into` narrowed by `other`: the larger lower bounds, the smaller upper
/// bounds, the first pattern and `multipleOf`.
fn tighten(into: &mut Constraints, other: &Constraints) {
    fn larger<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if b > a { b } else { a }),
            (a, b) => a.or(b),
        }
    }
    fn smaller<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if b < a { b } else { a }),
            (a, b) => a.or(b),
        }
    }
    into.min_length = larger(into.min_length, other.min_length);
    into.max_length = smaller(into.max_length, other.max_length);
    into.minimum = larger(into.minimum, other.minimum);
    into.maximum = smaller(into.maximum, other.maximum);
    into.exclusive_minimum |= other.exclusive_minimum;
    into.exclusive_maximum |= other.exclusive_maximum;
    if into.pattern.is_none() {
        into.pattern.clone_from(&other.pattern);
    }
    if into.multiple_of.is_none() {
        into.multiple_of = other.multiple_of;
    }
}

/// A part with no keyword that shapes values (only a description, a
/// title, `nullable`, an example...).
fn annotation_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(a), .. }) if *a == AnySchema::default())
}

fn is_closed_enum(alt: &ReferenceOr<Schema>) -> bool {
    matches!(alt, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(t)), .. }) if !t.enumeration.is_empty())
}

/// Whether `default` is a value of `expr` (shallow: the JSON kind, and an
/// enum's values).
fn default_fits(expr: &TypeExpr, default: &serde_json::Value, types: &[TypeDef]) -> bool {
    use serde_json::Value as J;
    if default.is_null() {
        return expr.nullable;
    }
    match &expr.ty {
        Ty::String(_) => default.is_string(),
        Ty::Integer(_) => {
            default.is_i64()
                || default.is_u64()
                || default.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        Ty::Number(_) => default.is_number(),
        Ty::Boolean => default.is_boolean(),
        Ty::Array(_) | Ty::Tuple(_) => default.is_array(),
        Ty::Map(_) | Ty::Object => default.is_object(),
        // The user's type reads what it reads.
        Ty::Any | Ty::External(_) => true,
        Ty::Named(id) => match types.get(id.0).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => match default {
                J::String(s) => e.variants.iter().any(|v| &v.value == s),
                _ => false,
            },
            Some(TypeKind::Struct(_)) => default.is_object(),
            Some(TypeKind::Alias(inner)) => default_fits(inner, default, types),
            // Unions and types still being lowered (a recursive reference).
            _ => true,
        },
    }
}

/// The OpenAPI Format Registry (spec.openapis.org/registry/format), JSON
/// Schema's formats included. Others are only documented.
fn known_format(format: &str) -> bool {
    const REGISTRY: &[&str] = &[
        "base64url",
        "binary",
        "byte",
        "char",
        "commonmark",
        "date",
        "date-time",
        "date-time-local",
        "decimal",
        "decimal128",
        "double",
        "double-int",
        "duration",
        "email",
        "float",
        "hostname",
        "html",
        "http-date",
        "idn-email",
        "idn-hostname",
        "int16",
        "int32",
        "int64",
        "int8",
        "ipv4",
        "ipv6",
        "iri",
        "iri-reference",
        "json-pointer",
        "media-range",
        "password",
        "regex",
        "relative-json-pointer",
        "sf-binary",
        "sf-boolean",
        "sf-decimal",
        "sf-integer",
        "sf-string",
        "sf-token",
        "time",
        "time-local",
        "uint16",
        "uint32",
        "uint64",
        "uint8",
        "unixtime",
        "uri",
        "uri-reference",
        "uri-template",
        "uuid",
    ];
    REGISTRY.contains(&format)
}

/// What an `allOf` merge collects: the properties, each with the pointer
/// where it is written (to lower it there, once).
#[derive(Default)]
struct Merged {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    sources: HashMap<String, String>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
}

impl Merged {
    fn add(&mut self, properties: &IndexMap<String, ReferenceOr<Box<Schema>>>, source: &str) {
        let holder = join(source, "properties");
        for (name, schema) in properties {
            // A later part restating a typed property without a type of
            // its own (`ipv4: {}`) leaves the earlier definition.
            if self
                .properties
                .get(name)
                .is_some_and(|earlier| untyped(schema) && !untyped(earlier))
            {
                continue;
            }
            self.properties.insert(name.clone(), schema.clone());
            self.sources.insert(name.clone(), join(&holder, name));
        }
    }
}

/// The one string `schema`'s own `property` may hold (an inline `enum`
/// of one value), if it declares it so.
fn one_value(schema: &Schema, property: &str) -> Option<String> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties,
        SchemaKind::Any(a) => &a.properties,
        _ => return None,
    };
    let ReferenceOr::Item(p) = properties.get(property)? else {
        return None;
    };
    match &p.schema_kind {
        SchemaKind::Type(Type::String(t)) => match t.enumeration.as_slice() {
            [Some(one)] => Some(one.clone()),
            _ => None,
        },
        SchemaKind::Any(a) => match a.enumeration.as_slice() {
            [serde_json::Value::String(one)] => Some(one.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A property schema that gives no type of its own (`{}`, or keywords
/// without `type`, `$ref` or composition): restating a property an
/// earlier part types, it cannot change that type (linode's `allOf` parts
/// restate `addresses: {properties: {ipv4: {}}}` and `inbound: {required:
/// [...]}` of an array), so the typed definition stands.
fn untyped(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a)
        if a.typ.is_none() && a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty()
            && a.not.is_none()))
}

/// An object's members as `object` reads them.
struct Members<'p> {
    properties: &'p IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'p [String],
    additional: Option<&'p AdditionalProperties>,
    /// Where each merged (`allOf`) property is written; others are under
    /// the object's own `properties`.
    sources: Option<&'p HashMap<String, String>>,
}

/// The Rust name of the field holding a struct's undeclared properties:
/// `additional_properties`, or where a property already has that name
/// `additional_properties_` (then numbered), never a property's.
fn additional_field_name(fields: &[crate::ir::Field]) -> String {
    let mut names = crate::naming::Namespace::new();
    names.reserve(fields.iter().map(|f| f.rust_name.as_str()));
    if !fields
        .iter()
        .any(|f| f.rust_name == "additional_properties")
    {
        return "additional_properties".into();
    }
    names.claim("additional_properties_".into())
}

/// Without a discriminator a union's alternatives are tried in order, and
/// an object alternative takes any object with its required properties
/// (unknown ones skipped): those requiring more are tried first, so
/// `{name, syncUrl}` is the alternative that requires both, not the one
/// that requires `name`. Only the struct alternatives move, among their own
/// places (stable: equal ones keep the spec's order); run once every type
/// is lowered, so a `$ref`'d alternative counts too.
pub(super) fn most_specific_first(types: &mut [TypeDef]) {
    let required = |types: &[TypeDef], v: &OneOfVariant| match &v.schema.ty {
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => Some(s.fields.iter().filter(|f| f.required).count()),
            _ => None,
        },
        _ => None,
    };
    for i in 0..types.len() {
        let TypeKind::OneOf(u) = &types[i].kind else {
            continue;
        };
        if u.discriminator.is_some() {
            continue;
        }
        // (place, required count) of each struct alternative.
        let structs: Vec<(usize, usize)> = u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(at, v)| required(types, v).map(|n| (at, n)))
            .collect();
        if structs.windows(2).all(|w| w[0].1 >= w[1].1) {
            continue;
        }
        let mut order = structs.clone();
        order.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let TypeKind::OneOf(u) = &mut types[i].kind else {
            continue;
        };
        let moved: Vec<OneOfVariant> = order
            .iter()
            .map(|&(from, _)| u.variants[from].clone())
            .collect();
        for ((place, _), variant) in structs.into_iter().zip(moved) {
            u.variants[place] = variant;
        }
    }
}
