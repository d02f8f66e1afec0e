//! One enum per operation with a variant per documented status. Both the
//! client (decoding) and the server (encoding) use it.

use proc_macro2::TokenStream;
use quote::quote;

use super::variants::{carries_status, variants, Rep, Variant};
use super::{docs, BodyKind, TypeRenderer};
use crate::ir::{Api, Operation, ResponseHeader, StatusCode, StringFormat, Ty, TypeKind};
use crate::naming::ident;
use crate::plan::Plan;

pub fn response_enums(api: &Api, plan: &Plan, r: &TypeRenderer<'_>) -> TokenStream {
    // Enums other operations alias answer for several: none names one.
    let shared: std::collections::HashSet<&str> =
        plan.same_responses.values().map(String::as_str).collect();
    let enums = api
        .resources
        .iter()
        .flat_map(|res| &res.operations)
        .map(|op| response_enum(plan, op, r, !shared.contains(op.response_type.as_str())));
    quote! { #(#enums)* }
}

fn response_enum(plan: &Plan, op: &Operation, r: &TypeRenderer<'_>, own: bool) -> TokenStream {
    let name = ident(&op.response_type);
    let vs = variants(plan, op);
    let title = format!(
        "Responses of `{}` (`{} {}`): one variant per documented status.",
        op.id,
        op.method.as_str(),
        op.path.raw
    );
    let doc = docs::attrs([title.as_str()]);
    let header_structs = vs.iter().filter_map(|v| header_struct(plan, op, v, r));
    if let Some(first) = plan.same_responses.get(&op.type_name) {
        // The same enum as an earlier operation's: its name, and the
        // headers structs the client fills, alias the earlier ones.
        let first = ident(first);
        return quote! {
            #doc
            pub type #name = #first;
            #(#header_structs)*
        };
    }
    let bodies: Vec<Option<TokenStream>> = vs.iter().map(|v| variant_body(v, r)).collect();
    let constant = own && plan.operation_constants;
    let operation = constant.then(|| plan.operation(op).constant.as_str());
    let (into_result, response_enum) =
        super::results::result_items(r.api(), &name, &vs, &bodies, operation);
    let defs = vs.iter().zip(&bodies).map(|(v, body)| {
        let vname = ident(&v.name);
        let label = match v.response.status {
            StatusCode::Code(c) => c.to_string(),
            StatusCode::Range(x) => format!("{x}XX"),
            StatusCode::Default => "Any other status".into(),
        };
        let text = format!("{label}: {}", v.response.description);
        // The answer's first JSON example, as the spec shows it.
        let example = v
            .response
            .contents
            .iter()
            .filter(|c| crate::media::Media::of(&c.media_type) == crate::media::Media::Json)
            .find_map(|c| c.example.as_ref())
            .and_then(|e| docs::example("Example (from the spec):", e));
        let vdoc = docs::attrs([text.as_str()].into_iter().chain(example.as_deref()));
        let body = body.clone();
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
                #into_result
            }
        }
    };
    let body_enums = vs.iter().filter_map(|v| body_enum(op, v, r));
    // A streamed body is read once and cannot be compared.
    let derives = if vs.iter().any(Variant::streams) {
        quote! { #[derive(Debug)] }
    } else {
        quote! { #[derive(Clone, Debug, PartialEq)] }
    };
    quote! {
        #doc
        #derives
        pub enum #name { #(#defs,)* }
        #status_fn
        #response_enum
        #(#header_structs)*
        #(#body_enums)*
    }
}

/// The type of a variant's body (`None`: no body): its representations'
/// enum, or the one representation's type.
fn variant_body(v: &Variant<'_>, r: &TypeRenderer<'_>) -> Option<TokenStream> {
    match &v.response.body_type {
        Some(name) => {
            let name = ident(name);
            Some(quote! { #name })
        }
        None => r.body_type(&v.body),
    }
}

/// The struct of a response's documented headers (an alias when another
/// answer has the same ones).
fn header_struct(
    plan: &Plan,
    op: &Operation,
    v: &Variant<'_>,
    r: &TypeRenderer<'_>,
) -> Option<TokenStream> {
    let name = ident(v.response.headers_type.as_ref()?);
    let doc = format!(
        " Headers of `{}`'s {} answer.",
        op.id,
        label(v.response.status)
    );
    if let Some(first) = v
        .response
        .headers_type
        .as_ref()
        .and_then(|h| plan.same_headers.get(h))
    {
        let first = ident(first);
        return Some(quote! {
            #[doc = #doc]
            pub type #name = #first;
        });
    }
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
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name { #(#fields,)* }
    })
}

/// The enum of a body with several representations.
fn body_enum(op: &Operation, v: &Variant<'_>, r: &TypeRenderer<'_>) -> Option<TokenStream> {
    let name = ident(v.response.body_type.as_ref()?);
    let doc = format!(
        " Representations of `{}`'s {} answer: the server chooses one by the request's `Accept`.",
        op.id,
        label(v.response.status)
    );
    let variants = v.reps.iter().map(|rep| {
        let vname = ident(rep.name);
        let ty = r.body_type(&rep.kind);
        let text = rep
            .media
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let vdoc = docs::attrs([text.as_str()]);
        quote! { #vdoc #vname(#ty) }
    });
    let sent = v.reps.iter().map(Rep::sent_as);
    let derives = if v.streams() {
        quote! { #[derive(Debug)] }
    } else {
        quote! { #[derive(Clone, Debug, PartialEq)] }
    };
    Some(quote! {
        #[doc = #doc]
        #derives
        pub enum #name { #(#variants,)* }

        impl #name {
            /// The media type of each representation, as sent, in the
            /// spec's order of preference: what a server offers
            /// `Accept::choose`.
            pub const MEDIA_TYPES: &'static [&'static str] = &[#(#sent),*];
        }
    })
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
        Ty::String(StringFormat::Date | StringFormat::Mapped(_))
        | Ty::Integer(_)
        | Ty::Number(_)
        | Ty::Boolean => HeaderRepr::Parsed,
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
