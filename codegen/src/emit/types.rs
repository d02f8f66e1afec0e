//! The `types` part: one Rust type per named schema.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime::{self, SERDE_CRATE};
use super::{docs, TypeRenderer};
use crate::ir::{
    Api, Constraints, EnumType, Field, OneOfType, StructType, Ty, TypeDef, TypeExpr, TypeId,
    TypeKind,
};
use crate::naming::ident;
use crate::plan::Plan;
use crate::settings::SerdeForm;

/// The part in chunks of whole items (the first holds the inner attributes),
/// each built when the formatter asks for it.
pub fn types<'a>(api: &'a Api, plan: &'a Plan) -> super::Chunks<'a> {
    let space = &api.types;
    let mut children: BTreeMap<Option<TypeId>, Vec<TypeId>> = BTreeMap::new();
    for (i, t) in space.types.iter().enumerate() {
        children.entry(t.parent).or_default().push(TypeId(i));
    }
    // Each type, then the inline types it holds, depth first.
    let mut order = Vec::with_capacity(space.types.len());
    let mut stack: Vec<TypeId> = children
        .get(&None)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .rev()
        .collect();
    while let Some(id) = stack.pop() {
        order.push(id);
        if let Some(kids) = children.get(&Some(id)) {
            stack.extend(kids.iter().rev());
        }
    }
    let erasure = Erasure::new(api);
    let ctx = Rc::new(Ctx {
        boxed: recursive_edges(api, &erasure),
        erasure,
        render: TypeRenderer::new(api, quote! {}),
    });
    // Derives name the runtime's serde through this import (short paths
    // keep a type's attributes on one line); only where a type uses it.
    let derived = space.serde == SerdeForm::Derive;
    let uses_serde = space.types.iter().any(|t| match t.kind {
        TypeKind::Enum(_) | TypeKind::OneOf(_) => true,
        TypeKind::Struct(_) => derived,
        TypeKind::Alias(_) => false,
    });
    let serde_import = uses_serde.then(runtime::serde::use_serde);
    let head = quote! {
        #![doc = " Data types: one per schema of the spec."]
        // oneOf alternatives differ in size by nature; boxing them would change the API.
        #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        #serde_import
    };
    let tail_ctx = Rc::clone(&ctx);
    let items = order
        .into_iter()
        .map(move |id| ctx.type_def(id, space.get(id)));
    Box::new(
        std::iter::once(head)
            .chain(items)
            .chain(std::iter::once_with(move || {
                shared_items(api, plan, &tail_ctx)
            })),
    )
}

/// The response enums and multipart forms, after every type.
fn shared_items(api: &Api, plan: &Plan, ctx: &Ctx<'_>) -> TokenStream {
    let enums = super::responses::response_enums(api, plan, &ctx.render);
    let forms = api
        .resources
        .iter()
        .flat_map(|res| &res.operations)
        .filter_map(|op| op.request_body.as_ref())
        .filter_map(|b| super::form::form_struct(api, b, &ctx.render));
    quote! { #enums #(#forms)* }
}

struct Ctx<'a> {
    /// (holder, field index) pairs whose type must be boxed to break a cycle.
    boxed: BTreeSet<(TypeId, usize)>,
    /// The references held in `Boxed`.
    erasure: Erasure,
    render: TypeRenderer<'a>,
}

impl Ctx<'_> {
    fn type_def(&self, id: TypeId, t: &TypeDef) -> TokenStream {
        let fallback = if t.pointer.starts_with("/components/schemas/") && t.parent.is_none() {
            format!("The `{}` schema.", t.spec_name)
        } else {
            format!("The inline schema at `{}`.", t.pointer)
        };
        let mut paragraphs: Vec<&str> = Vec::new();
        if let Some(title) = &t.title {
            paragraphs.push(title);
        }
        if let Some(d) = &t.description {
            paragraphs.push(d);
        }
        if paragraphs.is_empty() {
            paragraphs.push(&fallback);
        }
        let example = t
            .example
            .as_ref()
            .and_then(|e| docs::example("Example (from the spec):", e));
        if let Some(e) = &example {
            paragraphs.push(e);
        }
        let extras = user_extras(t);
        let doc = docs::attrs(paragraphs);
        let doc = quote! { #doc #(#extras)* };
        let name = ident(&t.rust_name);
        match &t.kind {
            TypeKind::Struct(s) => self.struct_def(id, t, s, doc),
            TypeKind::Enum(e) => enum_def(t, e, doc),
            TypeKind::OneOf(o) => self.one_of_def(id, o, &name, doc),
            TypeKind::Alias(e) => {
                // An alias is no type of its own to the compiler: the
                // references of the types that name it are erased instead
                // (each cycle passes through a struct or a `oneOf`), and it
                // stays what it says.
                let ty = self.render.ty(e);
                quote! { #doc pub type #name = #ty; }
            }
        }
    }

    /// The Rust type of `e` where type `holder` names it: references to
    /// the types of its component held in `Boxed` if it is erased.
    fn ty(&self, holder: TypeId, e: &TypeExpr) -> TokenStream {
        self.render
            .ty_with(e, &|target| self.erasure.erased(holder, target))
    }

    fn struct_def(&self, id: TypeId, t: &TypeDef, s: &StructType, doc: TokenStream) -> TokenStream {
        let name = ident(&t.rust_name);
        let derived = self.render.api().types.serde == SerdeForm::Derive;
        let mut fields = Vec::new();
        let mut types = Vec::with_capacity(s.fields.len());
        for (i, f) in s.fields.iter().enumerate() {
            let mut ty = self.ty(id, &f.schema);
            if self.boxed.contains(&(id, i)) {
                ty = quote! { Box<#ty> };
            }
            let serde = derived.then(|| serde_field_attrs(f));
            fields.push(field(f, ty.clone(), serde));
            types.push(ty);
        }
        let builders = super::builders::builders(t, s, &types);
        if let Some(additional) = &s.additional {
            let value = self.ty(id, additional);
            let field_name = additional_field(s);
            let flatten = derived.then(|| quote! { #[serde(flatten)] });
            fields.push(quote! {
                /// Properties beyond the declared ones.
                #flatten
                pub #field_name: ::std::collections::BTreeMap<String, #value>
            });
        }
        let has_secret = s.fields.iter().any(|f| f.secret);
        let all_optional = s.fields.iter().all(|f| !f.required);
        let mut derives = vec![quote!(Clone)];
        if !has_secret {
            derives.push(quote!(Debug));
        }
        if all_optional {
            derives.push(quote!(Default));
        }
        derives.push(quote!(PartialEq));
        let debug = has_secret.then(|| redacted_debug(t, s));
        let (serde, container) = if derived {
            derives.push(quote!(serde::Serialize));
            derives.push(quote!(serde::Deserialize));
            let deny = (s.deny_unknown && s.additional.is_none())
                .then(|| quote! { , deny_unknown_fields });
            (quote! {}, quote! { #[serde(crate = #SERDE_CRATE #deny)] })
        } else {
            (serde_object(t, s), quote! {})
        };
        quote! {
            #doc
            #[derive(#(#derives),*)]
            #container
            pub struct #name { #(#fields),* }
            #builders
            #debug
            #serde
        }
    }

    fn one_of_def(
        &self,
        id: TypeId,
        o: &OneOfType,
        name: &proc_macro2::Ident,
        doc: TokenStream,
    ) -> TokenStream {
        let variants = o.variants.iter().map(|v| {
            let vname = ident(&v.rust_name);
            let ty = self.ty(id, &v.schema);
            quote! { #vname(#ty) }
        });
        let note = o
            .discriminator
            .as_ref()
            .map(|p| format!(" The `{p}` property tells the alternatives apart."))
            .unwrap_or_else(|| {
                " Exactly one alternative applies; decoding tries them in order.".to_string()
            });
        let dispatch = o.discriminator.as_ref().filter(|_| {
            o.variants
                .iter()
                .all(|v| !v.discriminator_values.is_empty())
        });
        let Some(property) = dispatch else {
            return quote! {
                #doc
                #[doc = ""]
                #[doc = #note]
                #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE, untagged)]
                pub enum #name { #(#variants),* }
            };
        };
        // Decoding dispatches on the discriminator and leaves the property in
        // place, since the alternatives' structs declare it too.
        let from_value = runtime::serde_json::from_value();
        let custom = runtime::serde::de_error_custom();
        let arms = o.variants.iter().map(|v| {
            let vname = ident(&v.rust_name);
            let values = &v.discriminator_values;
            quote! {
                #(Some(#values))|* => #from_value(value).map(Self::#vname).map_err(#custom),
            }
        });
        let expected = o
            .variants
            .iter()
            .flat_map(|v| v.discriminator_values.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let json_value = runtime::serde_json::value();
        let as_str = runtime::serde_json::value_as_str();
        quote! {
            #doc
            #[doc = ""]
            #[doc = #note]
            #[derive(Clone, Debug, PartialEq, serde::Serialize)]
            #[serde(crate = #SERDE_CRATE, untagged)]
            pub enum #name { #(#variants),* }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <#json_value as serde::Deserialize>::deserialize(deserializer)?;
                    match value.get(#property).and_then(#as_str) {
                        #(#arms)*
                        other => Err(#custom(format!(
                            "`{}` is {:?}; expected one of: {}", #property, other, #expected
                        ))),
                    }
                }
            }
        }
    }
}

/// Derives every generated type of this kind has already (`Debug` even
/// where it is written by hand, serde's where `object!` implements them).
fn own_derives(t: &TypeDef) -> &'static [&'static str] {
    match &t.kind {
        TypeKind::Struct(s) if s.fields.iter().all(|f| !f.required) => &[
            "Clone",
            "Debug",
            "Default",
            "PartialEq",
            "Serialize",
            "Deserialize",
        ],
        TypeKind::Struct(_) | TypeKind::OneOf(_) => {
            &["Clone", "Debug", "PartialEq", "Serialize", "Deserialize"]
        }
        TypeKind::Enum(_) => &[
            "Clone",
            "Copy",
            "Debug",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
            "Serialize",
            "Deserialize",
        ],
        TypeKind::Alias(_) => &[],
    }
}

/// The user's derives (those the type lacks) and attributes (settings),
/// which lowering checked to parse.
fn user_extras(t: &TypeDef) -> Vec<TokenStream> {
    let own = own_derives(t);
    let derives: Vec<syn::Path> = t
        .derives
        .iter()
        .filter_map(|d| syn::parse_str::<syn::Path>(d).ok())
        .filter(|p| {
            p.segments
                .last()
                .is_none_or(|s| !own.contains(&s.ident.to_string().as_str()))
        })
        .collect();
    let mut out: Vec<TokenStream> = Vec::new();
    if !derives.is_empty() {
        out.push(quote! { #[derive(#(#derives),*)] });
    }
    for a in &t.attributes {
        for attr in crate::attributes::parse_attributes(a).unwrap_or_default() {
            out.push(quote! { #attr });
        }
    }
    out
}

/// A field's `#[serde]` attributes, in the derive form: what `object!`
/// does for it (the runtime's tests hold the two forms equal).
fn serde_field_attrs(f: &Field) -> TokenStream {
    let spec = &f.spec_name;
    let rename = (f.rust_name != *spec).then(|| quote! { rename = #spec, });
    let absent = match (f.required, f.schema.nullable) {
        (true, _) => quote! {},
        (false, true) => {
            let some = runtime::model::DESERIALIZE_SOME;
            quote! {
                default, skip_serializing_if = "Option::is_none",
                deserialize_with = #some,
            }
        }
        (false, false) => quote! { default, skip_serializing_if = "Option::is_none", },
    };
    if rename.is_none() && f.required {
        return quote! {};
    }
    quote! { #[serde(#rename #absent)] }
}

fn field(f: &Field, ty: TokenStream, serde: Option<TokenStream>) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(d) = &f.description {
        paragraphs.push(d.clone());
    }
    if let Some(c) = constraint_doc(&f.schema.constraints) {
        paragraphs.push(c);
    }
    if let Some(default) = &f.schema.default {
        paragraphs.push(format!("Default (applied by the server): `{default}`."));
    }
    if f.read_only {
        paragraphs.push("Read-only: the server sends it; leave it `None` in requests.".into());
    }
    if f.write_only {
        paragraphs.push("Write-only: sent in requests; responses leave it out.".into());
    }
    let doc = docs::attrs(paragraphs.iter().map(String::as_str));
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    // The wire name and what an absent value does are `serde_object`'s.
    let ty = if f.required {
        ty
    } else {
        quote! { Option<#ty> }
    };
    quote! { #doc #deprecated #serde pub #name: #ty }
}

/// The struct's `Serialize` and `Deserialize`: the runtime's `object!`,
/// one loop over the properties instead of serde's derive (whose field
/// enum, visitors and sequence form made over half of a large crate's
/// check time). It reads and writes as the derive did with the attributes
/// these structs carried: `rename`; on optional fields `default` (absent
/// and `null` are `None`) and `skip_serializing_if = "Option::is_none"`;
/// `deserialize_some` on optional nullable ones (`null` is `Some(None)`);
/// `deny_unknown_fields`; a `flatten`ed map of undeclared properties.
fn serde_object(t: &TypeDef, s: &StructType) -> TokenStream {
    let name = ident(&t.rust_name);
    let unknown = match (&s.additional, s.deny_unknown) {
        (Some(_), _) => {
            let field = additional_field(s);
            quote! { collect(#field) }
        }
        (None, true) => quote! { deny },
        (None, false) => quote! { skip },
    };
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let spec = &f.spec_name;
        let kind = match (f.required, f.schema.nullable) {
            (true, _) => quote! { required },
            (false, true) => quote! { nullable },
            (false, false) => quote! { optional },
        };
        quote! { #kind #field = #spec }
    });
    let object = runtime::macros::object();
    quote! {
        #object! { #name, unknown = #unknown, #(#fields),* }
    }
}

/// The field holding a struct's undeclared properties (named by lowering).
fn additional_field(s: &StructType) -> proc_macro2::Ident {
    ident(&s.additional_field)
}

/// A one-line summary of validation keywords, for docs.
fn constraint_doc(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(p) = &c.pattern {
        parts.push(format!("pattern `{p}`"));
    }
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => parts.push(format!("length {a} to {b}")),
        (Some(a), None) => parts.push(format!("at least {a} {}", plural(a, "character"))),
        (None, Some(b)) => parts.push(format!("at most {b} {}", plural(b, "character"))),
        (None, None) => {}
    }
    if let Some(m) = c.minimum {
        parts.push(format!(
            "minimum {m}{}",
            if c.exclusive_minimum {
                " (exclusive)"
            } else {
                ""
            }
        ));
    }
    if let Some(m) = c.maximum {
        parts.push(format!(
            "maximum {m}{}",
            if c.exclusive_maximum {
                " (exclusive)"
            } else {
                ""
            }
        ));
    }
    if let Some(m) = c.min_items {
        parts.push(format!("at least {m} {}", plural(m, "item")));
    }
    if let Some(m) = c.max_items {
        parts.push(format!("at most {m} {}", plural(m, "item")));
    }
    if c.unique_items {
        parts.push("unique items".into());
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| format!("`{v}`")).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

fn redacted_debug(t: &TypeDef, s: &StructType) -> TokenStream {
    // Deprecated fields are printed too.
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated)] });
    let name = ident(&t.rust_name);
    let type_name = &t.rust_name;
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let label = &f.rust_name;
        if !f.secret {
            quote! { .field(#label, &self.#fname) }
        } else if f.required && !f.schema.nullable {
            quote! { .field(#label, &"<redacted>") }
        } else {
            quote! { .field(#label, &self.#fname.as_ref().map(|_| "<redacted>")) }
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let fname = s.additional_field.as_str();
        let id = ident(fname);
        quote! { .field(#fname, &self.#id) }
    });
    quote! {
        /// Secret fields print as `<redacted>`.
        #allow_deprecated
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* #additional .finish()
            }
        }
    }
}

fn enum_def(t: &TypeDef, e: &EnumType, doc: TokenStream) -> TokenStream {
    let name = ident(&t.rust_name);
    let open = t.in_response;
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let value = &v.value;
        quote! { #[serde(rename = #value)] #vname }
    });
    let as_str_arms = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let value = &v.value;
        quote! { Self::#vname => #value }
    });
    let from_str_arms = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let value = &v.value;
        quote! { #value => Ok(Self::#vname) }
    });
    let type_name = &t.rust_name;
    // The catch-all variant must not collide with a listed value's variant.
    let mut catch_all = "Unknown".to_string();
    while e.variants.iter().any(|v| v.rust_name == catch_all) {
        catch_all.push_str("Value");
    }
    let catch_all = ident(&catch_all);
    // Without listed values the catch-all is the whole answer (a one-arm
    // `match` is a lint).
    let from_str_arms: Vec<TokenStream> = from_str_arms.collect();
    let open_from_str = if from_str_arms.is_empty() {
        quote! { Ok(Self::#catch_all(value.to_string())) }
    } else {
        quote! { match value { #(#from_str_arms,)* other => Ok(Self::#catch_all(other.to_string())), } }
    };
    let error = runtime::model::parse_enum_error();
    let closed_from_str = if from_str_arms.is_empty() {
        quote! { Err(#error { type_name: #type_name, value: value.to_string() }) }
    } else {
        quote! { match value { #(#from_str_arms,)* other => Err(#error { type_name: #type_name, value: other.to_string() }), } }
    };
    if open {
        quote! {
            #doc
            #[doc = ""]
            #[doc = " Open: a value this spec does not list decodes as the catch-all variant instead of failing."]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            #[serde(crate = #SERDE_CRATE)]
            pub enum #name {
                #(#variants,)*
                /// A value the spec does not list, kept as received.
                #[serde(untagged)]
                #catch_all(String),
            }
            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str_arms,)*
                        Self::#catch_all(value) => value.as_str(),
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> Result<Self, <Self as ::std::str::FromStr>::Err> {
                    #open_from_str
                }
            }
        }
    } else {
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            #[serde(crate = #SERDE_CRATE)]
            pub enum #name { #(#variants,)* }
            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self { #(#as_str_arms,)* }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = #error;
                fn from_str(value: &str) -> Result<Self, <Self as ::std::str::FromStr>::Err> {
                    #closed_from_str
                }
            }
        }
    }
}

/// How deep a walk of rustc's through the types may go before the cycles
/// on its way are erased (see [`Erasure`]). A walk's depth counts one per
/// type it passes, plus two for each `Vec` or `BTreeMap` and one for each
/// `Option` or `Box` around the reference it follows (a `Vec<Node>` field
/// counts three).
///
/// Measured on rings of types that each hold the next (and on
/// `tests/fixtures/edge/deep-cycles.yaml`), rustc overflowed its default
/// recursion limit from a depth of 96 to 110 whatever the shape: 32 types
/// holding `Option<Box<Next>>`, 26 holding `Option<Vec<Next>>`, 16 holding
/// `Option<Vec<Vec<Next>>>`, 5 holding twelve levels of nested lists.
/// Half of that leaves a margin for the depth at which a check starts (a
/// user's future holding a value). Below it, types are as written: a
/// tree's `Vec<Node>` and `Option<Box<Node>>`, a few types that hold each
/// other (the largest cycle of the specs we test against, 7 types of the
/// Xero accounting API, is 26 deep).
const ERASE_MIN: usize = 48;

/// Which references between types are held in `::codegen_runtime::Boxed`:
/// every reference from a type to another of its strongly connected
/// component (a cycle of types), in the components a walk could go
/// [`ERASE_MIN`] deep through, counting what it reaches after them.
///
/// rustc's drop check (`Box<T>`, `Vec<T>` and `BTreeMap<_, T>` lead it to
/// `T`) and its auto traits (`T: Send` asks each field) walk the type graph
/// depth first; around a large cycle the walk's path grows with the types
/// in it and passes the default `recursion_limit` (128): the user's crate
/// failed with E0320 or E0275. `Boxed` is a box whose drop glue and auto
/// traits do not mention what it holds, so both walks stop there: a walk
/// enters an erased component and leaves it, but goes no further in it.
struct Erasure {
    /// The component of each type.
    component: Vec<usize>,
    /// Whether a component is erased, by component.
    erased: Vec<bool>,
}

impl Erasure {
    fn new(api: &Api) -> Self {
        let references: Vec<Vec<(TypeId, usize)>> =
            api.types.types.iter().map(references).collect();
        let edges: Vec<Vec<TypeId>> = references
            .iter()
            .map(|r| r.iter().map(|&(target, _)| target).collect())
            .collect();
        let component = strong_components(&edges);
        let count = component.iter().max().map_or(0, |m| m + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &c) in component.iter().enumerate() {
            members[c].push(i);
        }
        // How deep a walk entering a component can go: through its own
        // types unless it is erased (each type by its deepest reference
        // within the component), then out by its deepest way out. Tarjan
        // numbers a component after those it reaches, so theirs are known.
        let mut reach = vec![0usize; count];
        let mut erased = vec![false; count];
        for c in 0..count {
            let (mut inner, mut out) = (0, 0);
            for &t in &members[c] {
                let mut deepest = 0;
                for &(target, wrappers) in &references[t] {
                    let d = component[target.0];
                    if d == c {
                        deepest = deepest.max(1 + wrappers);
                    } else {
                        debug_assert!(d < c, "components in reverse topological order");
                        out = out.max(1 + wrappers + reach[d]);
                    }
                }
                inner += deepest;
            }
            // A cycle (`inner` counts its references) is erased when a walk
            // through it and on could reach `ERASE_MIN`: then no walk
            // through cycles as written goes that deep, however many it
            // passes in a row.
            erased[c] = inner > 0 && inner + out >= ERASE_MIN;
            reach[c] = if erased[c] { out } else { inner + out };
        }
        Erasure { component, erased }
    }

    /// Whether type `holder` holds `target` in `Boxed`.
    fn erased(&self, holder: TypeId, target: TypeId) -> bool {
        let c = self.component[holder.0];
        self.erased[c] && self.component[target.0] == c
    }
}

/// Every named type a type's definition mentions, wherever, each with the
/// depth of the wrappers around it: two for a `Vec` or `BTreeMap`, one for
/// an `Option` (optional or nullable), a tuple, or the `Box` of a struct
/// field held by value.
fn references(t: &TypeDef) -> Vec<(TypeId, usize)> {
    fn walk(e: &TypeExpr, depth: usize, out: &mut Vec<(TypeId, usize)>) {
        let depth = depth + usize::from(e.nullable && !matches!(e.ty, Ty::Any));
        match &e.ty {
            Ty::Named(id) => out.push((*id, depth)),
            Ty::Array(inner) | Ty::Map(inner) => walk(inner, depth + 2, out),
            Ty::Tuple(items) => items.iter().for_each(|i| walk(i, depth + 1, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &t.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                let boxed = matches!(f.schema.ty, Ty::Named(_));
                walk(
                    &f.schema,
                    usize::from(!f.required) + usize::from(boxed),
                    &mut out,
                );
            }
            if let Some(additional) = &s.additional {
                walk(additional, 2, &mut out);
            }
        }
        TypeKind::OneOf(o) => {
            for v in &o.variants {
                walk(&v.schema, 0, &mut out);
            }
        }
        TypeKind::Alias(e) => walk(e, 0, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Struct fields that hold, by value, a type that holds the struct back:
/// those need a `Box` to have a finite size (unless `Boxed` holds them).
fn recursive_edges(api: &Api, erasure: &Erasure) -> BTreeSet<(TypeId, usize)> {
    let space = &api.types;
    // Types directly contained by value (not through Vec or map).
    fn by_value(e: &TypeExpr) -> Option<TypeId> {
        match e.ty {
            Ty::Named(id) => Some(id),
            _ => None,
        }
    }
    let edges: Vec<Vec<TypeId>> = space
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| by_value(&f.schema))
                .collect(),
            TypeKind::OneOf(o) => o
                .variants
                .iter()
                .filter_map(|v| by_value(&v.schema))
                .collect(),
            TypeKind::Alias(e) => by_value(e).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    // A field's edge is recursive when its target reaches the struct back:
    // both are in one strongly connected component (or it is the struct).
    let component = strong_components(&edges);
    let mut out = BTreeSet::new();
    for (i, t) in space.types.iter().enumerate() {
        if let TypeKind::Struct(s) = &t.kind {
            for (fi, f) in s.fields.iter().enumerate() {
                if let Some(target) = by_value(&f.schema) {
                    if erasure.erased(TypeId(i), target) {
                        continue;
                    }
                    if target.0 == i || component[target.0] == component[i] {
                        out.insert((TypeId(i), fi));
                    }
                }
            }
        }
    }
    out
}

/// The strongly connected component of each node (Tarjan's algorithm with
/// an explicit stack: linear, and no recursion a document could deepen).
/// A node alone in its component without a self-edge is its own component.
fn strong_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next edge to follow)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            if *next == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = edges[v].get(*next).map(|w| w.0) {
                *next += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// `character` or `characters`, after a count.
fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        format!("{one}s")
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    /// The `types` part of `spec`'s module, formatted.
    fn types_of(spec: &str) -> String {
        let generated = crate::generate_str(
            std::path::Path::new("cycles.yaml"),
            spec,
            &crate::Settings::default(),
        )
        .expect("generates");
        let module = &generated.module;
        let tokens = super::super::PartKind::Types.emit(module.api(), module.plan());
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    /// A spec whose `schemas` are `extra` and, for each ring `(prefix,
    /// length)`, that many schemas each expanding the next (a string id or
    /// the object, as Stripe's expandable fields), the first of each ring
    /// also holding the next ring's first.
    fn rings(rings: &[(&str, usize)], extra: &str) -> String {
        let mut spec = String::from(
            "openapi: 3.0.3\ninfo: {title: Cycles, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
        );
        spec.push_str(extra);
        for (r, &(prefix, n)) in rings.iter().enumerate() {
            for i in 0..n {
                let next = format!("{prefix}{}", (i + 1) % n);
                let _ = write!(
                    spec,
                    "    {prefix}{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n        next:\n          anyOf:\n            - {{type: string}}\n            - {{$ref: '#/components/schemas/{next}'}}\n"
                );
                if i == 0 {
                    if let Some((down, _)) = rings.get(r + 1) {
                        let _ = writeln!(
                            spec,
                            "        down: {{$ref: '#/components/schemas/{down}0'}}"
                        );
                    }
                }
            }
        }
        spec
    }

    #[test]
    fn references_within_a_large_cycle_are_boxed_and_a_tree_is_as_written() {
        let tree = "    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        next: {$ref: '#/components/schemas/Node'}\n";
        // 20 schemas and their 20 `anyOf`s: 80 deep.
        let out = types_of(&rings(&[("Step", 20)], tree));
        assert!(
            out.contains("pub next: Option<::codegen_runtime::Boxed<Step0Next>>,"),
            "{out}"
        );
        assert!(
            out.contains("Step1(::codegen_runtime::Boxed<Step1>),"),
            "{out}"
        );
        // In declarations: the setters take the same types.
        let declared: usize = out
            .lines()
            .filter(|l| !l.contains("impl Into<"))
            .map(|l| l.matches("::codegen_runtime::Boxed<").count())
            .sum();
        assert_eq!(declared, 40, "{out}");
        assert!(!out.contains("Box<Step"), "{out}");
        assert!(out.contains("pub children: Option<Vec<Node>>,"), "{out}");
        assert!(out.contains("pub next: Option<Box<Node>>,"), "{out}");
        // A small cycle is as written.
        let small = types_of(&rings(&[("Step", 3)], ""));
        assert!(!small.contains("Boxed"), "{small}");
        assert!(
            small.contains("pub next: Option<Box<Step0Next>>,"),
            "{small}"
        );
    }

    #[test]
    fn a_cycle_leading_to_a_deep_one_is_erased_and_the_last_is_not() {
        // Two cycles 40 deep each (10 schemas and their `anyOf`s): a walk
        // from the first through the second goes 80 deep.
        let out = types_of(&rings(&[("Up", 10), ("Down", 10)], ""));
        assert!(
            out.contains("pub next: Option<::codegen_runtime::Boxed<Up0Next>>,"),
            "{out}"
        );
        // Out of its cycle: as written.
        assert!(out.contains("pub down: Option<Down0>,"), "{out}");
        assert!(out.contains("pub next: Option<Box<Down0Next>>,"), "{out}");
        assert!(!out.contains("Boxed<Down"), "{out}");
    }

    #[test]
    fn a_required_field_within_an_erased_cycle_is_boxed_once() {
        let spec = rings(&[("Step", 20)], "").replace(
            "    Step3:\n      type: object\n      required: [id]\n",
            "    Step3:\n      type: object\n      required: [id, next]\n",
        );
        let out = types_of(&spec);
        assert!(
            out.contains("pub next: ::codegen_runtime::Boxed<Step3Next>,"),
            "{out}"
        );
    }
}
