//! One enum per operation with a variant per documented status. Both the
//! client (decoding) and the server (encoding) use it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{body_kind, docs, BodyKind, TypeRenderer};
use crate::ir::{Api, Operation, Response, ResponseHeader, StatusCode, StringFormat, Ty, TypeKind};
use crate::naming::ident;
use crate::plan::Plan;

/// How a response variant is named and what it carries.
pub struct Variant<'a> {
    pub name: String,
    pub response: &'a Response,
    pub body: BodyKind<'a>,
}

/// The variants of an operation's response enum, in spec order, named by
/// the plan.
pub fn variants<'a>(plan: &'a Plan, op: &'a Operation) -> Vec<Variant<'a>> {
    op.responses
        .iter()
        .zip(&plan.operation(op).variants)
        .map(|(r, name)| Variant {
            name: name.clone(),
            response: r,
            body: body_kind(&r.contents),
        })
        .collect()
}

/// Whether a variant carries the status (ranges and `default` do).
pub fn carries_status(status: StatusCode) -> bool {
    !matches!(status, StatusCode::Code(_))
}

pub fn response_enums(api: &Api, plan: &Plan, r: &TypeRenderer<'_>) -> TokenStream {
    let enums = api
        .resources
        .iter()
        .flat_map(|res| &res.operations)
        .map(|op| response_enum(plan, op, r));
    quote! { #(#enums)* }
}

fn response_enum(plan: &Plan, op: &Operation, r: &TypeRenderer<'_>) -> TokenStream {
    let name = ident(&op.response_type);
    let vs = variants(plan, op);
    let title = format!(
        "Responses of `{}` (`{} {}`): one variant per documented status.",
        op.id,
        op.method.as_str(),
        op.path.raw
    );
    let doc = docs::attrs([title.as_str()]);
    let defs = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let label = match v.response.status {
            StatusCode::Code(c) => c.to_string(),
            StatusCode::Range(x) => format!("{x}XX"),
            StatusCode::Default => "Any other status".into(),
        };
        let text = format!("{label}: {}", v.response.description);
        let vdoc = docs::attrs([text.as_str()]);
        let body = r.body_type(&v.body);
        if let Some(h) = &v.response.headers_type {
            // Documented headers: a struct variant, whatever else it carries.
            let h = ident(h);
            let status = carries_status(v.response.status).then(|| quote! { status: u16, });
            let body = body.map(|b| quote! { body: #b, });
            return quote! { #vdoc #vname { #status #body headers: #h } };
        }
        match (carries_status(v.response.status), body) {
            (false, None) => quote! { #vdoc #vname },
            (false, Some(b)) => quote! { #vdoc #vname(#b) },
            (true, None) => quote! { #vdoc #vname { status: u16 } },
            (true, Some(b)) => quote! { #vdoc #vname { status: u16, body: #b } },
        }
    });
    let header_structs = vs.iter().filter_map(|v| {
        let name = ident(v.response.headers_type.as_ref()?);
        let fields = v.response.headers.iter().map(|h| {
            let f = ident(&h.rust_name);
            let ty = header_type(r, h);
            let mut text = format!("`{}`", h.name);
            if h.required {
                text.push_str(" (required by the spec)");
            }
            let doc = docs::attrs([text.as_str(), h.description.as_deref().unwrap_or("")]);
            quote! { #doc pub #f: Option<#ty> }
        });
        let doc = format!(
            " Headers of `{}`'s {} answer.",
            op.id,
            label(v.response.status)
        );
        Some(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #name { #(#fields,)* }
        })
    });
    let status_arms = vs.iter().map(|v| {
        let vname = ident(&v.name);
        match (v.response.status, &v.body) {
            (StatusCode::Code(c), _) if v.response.headers_type.is_some() => {
                quote! { Self::#vname { .. } => #c }
            }
            (StatusCode::Code(c), BodyKind::None) => quote! { Self::#vname => #c },
            (StatusCode::Code(c), _) => quote! { Self::#vname(_) => #c },
            (_, _) => quote! { Self::#vname { status, .. } => *status },
        }
    });
    let status_fn = if vs.is_empty() {
        quote! {}
    } else {
        quote! {
            impl #name {
                /// The HTTP status of this response.
                pub fn status(&self) -> u16 {
                    match self { #(#status_arms,)* }
                }
            }
        }
    };
    // A streamed body is read once and cannot be compared.
    let derives = if vs.iter().any(|v| v.body.streams()) {
        quote! { #[derive(Debug)] }
    } else {
        quote! { #[derive(Clone, Debug, PartialEq)] }
    };
    quote! {
        #doc
        #derives
        pub enum #name { #(#defs,)* }
        #status_fn
        #(#header_structs)*
    }
}

fn label(status: StatusCode) -> String {
    match status {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(x) => format!("{x}XX"),
        StatusCode::Default => "default".into(),
    }
}

/// How a response header's value is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRepr {
    /// The header's text as it is.
    Text,
    /// `FromStr` to read, `Display` to write (numbers, booleans, enums, dates).
    Parsed,
    /// `DateTime<Utc>`: parsed, written as RFC 3339.
    DateTime,
}

pub fn header_repr(api: &Api, h: &ResponseHeader) -> HeaderRepr {
    match &h.schema.ty {
        Ty::String(StringFormat::DateTime) => HeaderRepr::DateTime,
        Ty::String(StringFormat::Date) | Ty::Integer(_) | Ty::Number(_) | Ty::Boolean => {
            HeaderRepr::Parsed
        }
        Ty::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Enum(_)) => HeaderRepr::Parsed,
        // Strings of any other format, arrays, objects: the raw text.
        _ => HeaderRepr::Text,
    }
}

/// The Rust type of a response header's value.
pub fn header_type(r: &TypeRenderer<'_>, h: &ResponseHeader) -> TokenStream {
    match header_repr(r.api(), h) {
        HeaderRepr::Text => quote! { String },
        _ => r.ty(&crate::ir::TypeExpr {
            nullable: false,
            ..h.schema.clone()
        }),
    }
}
