//! A response enum's way to `?`: `into_result()`, success body or a
//! [`codegen_runtime::ErrorResponse`] holding the documented error, and
//! the `ResponseEnum` impl that error reads (status, body message).
//!
//! Success is a `2xx` code or the `2XX` range; when an operation documents
//! neither, its `default` answer is a success when its status is `2xx`.
//! One success answer gives its body (`()` without one; the headers and a
//! range's status stay on the enum); several give the enum itself, holding
//! one of them (a separate success enum per operation would double the
//! types of a large API for a `match` the caller writes anyway).

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime;
use super::variants::{carries_status, Variant};
use crate::ir::{Api, StatusCode, StringFormat, Ty, TypeKind};
use crate::naming::ident;

/// Body fields that carry a person-readable message, by preference.
const MESSAGE_FIELDS: [&str; 7] = [
    "message",
    "detail",
    "error_description",
    "errorMessage",
    "error_message",
    "title",
    "description",
];

/// A field holding an error object with its own message
/// (`{"error": {"message": ..}}`, as Google and Microsoft APIs answer).
const ERROR_OBJECT: &str = "error";

/// How a variant is matched.
#[derive(Clone, Copy)]
enum Shape {
    Unit,
    Tuple,
    Struct,
}

fn shape(v: &Variant<'_>, has_body: bool) -> Shape {
    if v.response.headers_type.is_some() || carries_status(v.response.status) {
        Shape::Struct
    } else if has_body {
        Shape::Tuple
    } else {
        Shape::Unit
    }
}

/// Which variants are successes; the flag marks a `default` answer that
/// is one only with a `2xx` status.
fn successes<'v, 'a>(vs: &'v [Variant<'a>]) -> Vec<(&'v Variant<'a>, bool)> {
    let two_xx: Vec<_> = vs
        .iter()
        .filter(|v| match v.response.status {
            StatusCode::Code(c) => (200..300).contains(&c),
            StatusCode::Range(x) => x == 2,
            StatusCode::Default => false,
        })
        .map(|v| (v, false))
        .collect();
    if !two_xx.is_empty() {
        return two_xx;
    }
    vs.iter()
        .filter(|v| v.response.status == StatusCode::Default)
        .map(|v| (v, true))
        .collect()
}

/// `into_result()` (a method of the enum `name`) and `impl
/// ResponseEnum`; `bodies` holds each variant's body type (`None`: no
/// body); `operation` is the constant (in `super::operations`) of the
/// operation the enum answers, when it answers only one. Nothing for an
/// enum without variants.
pub fn result_items(
    api: &Api,
    name: &proc_macro2::Ident,
    vs: &[Variant<'_>],
    bodies: &[Option<TokenStream>],
    operation: Option<&str>,
) -> (TokenStream, TokenStream) {
    if vs.is_empty() {
        return (quote! {}, quote! {});
    }
    let message = message_fn(api, vs);
    let operation = operation.map(operation_fn);
    let trait_name = runtime::response_enum();
    let response_enum = quote! {
        impl #trait_name for #name {
            fn status_code(&self) -> u16 { self.status() }
            #message
            #operation
        }
    };
    (into_result(name, vs, bodies), response_enum)
}

/// `operation()`: an error value made from the enum says which call failed.
fn operation_fn(constant: &str) -> TokenStream {
    let constant = ident(constant);
    let operation = runtime::operation();
    quote! {
        fn operation(&self) -> Option<#operation> {
            Some(super::operations::#constant)
        }
    }
}

fn into_result(
    name: &proc_macro2::Ident,
    vs: &[Variant<'_>],
    bodies: &[Option<TokenStream>],
) -> TokenStream {
    let body_of = |v: &Variant<'_>| {
        let i = vs.iter().position(|x| std::ptr::eq(x, v)).unwrap_or(0);
        bodies.get(i).cloned().flatten()
    };
    let wins = successes(vs);
    let error_response = runtime::error_response();
    let error = quote! { #error_response<#name> };
    let (ok, arms, total) = match wins.as_slice() {
        [] => (quote! { ::std::convert::Infallible }, Vec::new(), false),
        [(v, guarded)] => {
            let body = body_of(v);
            let vname = ident(&v.name);
            let ok = body.clone().unwrap_or_else(|| quote! { () });
            let value = if body.is_some() {
                quote! { body }
            } else {
                quote! { () }
            };
            let pattern = match (shape(v, body.is_some()), body.is_some()) {
                (Shape::Unit, _) => quote! { Self::#vname },
                (Shape::Tuple, _) => quote! { Self::#vname(body) },
                (Shape::Struct, true) if *guarded => quote! { Self::#vname { status, body, .. } },
                (Shape::Struct, false) if *guarded => quote! { Self::#vname { status, .. } },
                (Shape::Struct, true) => quote! { Self::#vname { body, .. } },
                (Shape::Struct, false) => quote! { Self::#vname { .. } },
            };
            let guard = guarded.then(|| quote! { if (200..300).contains(&status) });
            let arm = quote! { #pattern #guard => Ok(#value), };
            (ok, vec![arm], !*guarded && vs.len() == 1)
        }
        several => {
            let patterns = several.iter().map(|(v, _)| {
                let vname = ident(&v.name);
                match shape(v, body_of(v).is_some()) {
                    Shape::Unit => quote! { Self::#vname },
                    Shape::Tuple => quote! { Self::#vname(..) },
                    Shape::Struct => quote! { Self::#vname { .. } },
                }
            });
            let arm = quote! { success @ (#(#patterns)|*) => Ok(success), };
            (quote! { Self }, vec![arm], several.len() == vs.len())
        }
    };
    let new_error = runtime::error_response_new();
    let rest = (!total).then(|| quote! { other => Err(#new_error(other)), });
    let body = if arms.is_empty() {
        quote! { Err(#new_error(self)) }
    } else {
        quote! { match self { #(#arms)* #rest } }
    };
    let doc = super::docs::attrs(["The success answer's body (the enum itself when the operation documents several), or the documented error answer as an error value: `?` carries it into the client's `Error` or a `Box<dyn Error>`."]);
    // The body type is the spec's, however nested (`Vec<BTreeMap<..>>`).
    quote! {
        #doc
        #[allow(clippy::type_complexity)]
        pub fn into_result(self) -> Result<#ok, #error> {
            #body
        }
    }
}

/// `fn message` reading the error answers' message fields (none: the
/// trait's default).
fn message_fn(api: &Api, vs: &[Variant<'_>]) -> TokenStream {
    let wins: Vec<&str> = successes(vs)
        .iter()
        .filter(|(_, guarded)| !guarded)
        .map(|(v, _)| v.name.as_str())
        .collect();
    let arms: Vec<TokenStream> = vs
        .iter()
        .filter(|v| !wins.contains(&v.name.as_str()))
        .filter_map(|v| {
            let read = message_expr(api, v)?;
            let vname = ident(&v.name);
            Some(match shape(v, true) {
                Shape::Struct => quote! { Self::#vname { body, .. } => #read, },
                _ => quote! { Self::#vname(body) => #read, },
            })
        })
        .collect();
    if arms.is_empty() {
        return quote! {};
    }
    // Every variant may have an arm (only error answers, each with a
    // message): then a catch-all is unreachable.
    let rest = (arms.len() < vs.len()).then(|| quote! { _ => None, });
    quote! {
        fn message(&self) -> Option<&str> {
            match self { #(#arms)* #rest }
        }
    }
}

/// How to read the message of a variant's `body`: a text body is one; a
/// JSON object's message field, or its error object's.
fn message_expr(api: &Api, v: &Variant<'_>) -> Option<TokenStream> {
    if v.response.body_type.is_some() {
        return None;
    }
    match &v.body {
        super::BodyKind::Text => Some(quote! { Some(body.as_str()) }),
        super::BodyKind::Json(Some(e)) if !e.nullable => {
            let fields = struct_fields(api, &e.ty)?;
            if let Some(f) = message_field(fields) {
                return Some(read_string(quote! { body }, f));
            }
            let (outer, inner) = fields.iter().find_map(|f| {
                if f.spec_name != ERROR_OBJECT || f.schema.nullable {
                    return None;
                }
                let inner = message_field(struct_fields(api, &f.schema.ty)?)?;
                Some((f, inner))
            })?;
            let o = ident(&outer.rust_name);
            Some(if outer.required {
                read_string(quote! { body.#o }, inner)
            } else {
                let read = read_string(quote! { e }, inner);
                let (map, read) = match read_kind(inner) {
                    Read::Direct => (quote! { map }, read_field(quote! { e }, inner)),
                    Read::Optional => (quote! { and_then }, read),
                };
                quote! { body.#o.as_ref().#map(|e| #read) }
            })
        }
        _ => None,
    }
}

/// The fields of a named struct type (through aliases).
fn struct_fields<'a>(api: &'a Api, ty: &Ty) -> Option<&'a [crate::ir::Field]> {
    let mut ty = ty;
    for _ in 0..4 {
        let Ty::Named(id) = ty else {
            return None;
        };
        match &api.types.get(*id).kind {
            TypeKind::Struct(s) => return Some(&s.fields),
            TypeKind::Alias(e) if !e.nullable => ty = &e.ty,
            _ => return None,
        }
    }
    None
}

fn message_field(fields: &[crate::ir::Field]) -> Option<&crate::ir::Field> {
    MESSAGE_FIELDS.iter().find_map(|name| {
        fields.iter().find(|f| {
            f.spec_name == *name
                && !f.schema.nullable
                && matches!(
                    f.schema.ty,
                    Ty::String(StringFormat::Plain | StringFormat::Other)
                )
        })
    })
}

enum Read {
    /// A required field: a `String`.
    Direct,
    /// An optional field: an `Option<String>`.
    Optional,
}

fn read_kind(f: &crate::ir::Field) -> Read {
    if f.required {
        Read::Direct
    } else {
        Read::Optional
    }
}

/// The field as `Option<&str>`.
fn read_string(holder: TokenStream, f: &crate::ir::Field) -> TokenStream {
    let name = ident(&f.rust_name);
    match read_kind(f) {
        Read::Direct => quote! { Some(#holder.#name.as_str()) },
        Read::Optional => quote! { #holder.#name.as_deref() },
    }
}

/// A required field as `&str`.
fn read_field(holder: TokenStream, f: &crate::ir::Field) -> TokenStream {
    let name = ident(&f.rust_name);
    quote! { #holder.#name.as_str() }
}
