//! One enum per operation with a variant per documented status. Both the
//! client (decoding) and the server (encoding) use it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{body_kind, docs, BodyKind, TypeRenderer};
use crate::ir::{Api, Operation, Response, StatusCode};
use crate::naming::{ident, Namespace};

/// How a response variant is named and what it carries.
pub struct Variant<'a> {
    pub name: String,
    pub response: &'a Response,
    pub body: BodyKind<'a>,
}

/// The variants of an operation's response enum, in spec order.
pub fn variants(op: &Operation) -> Vec<Variant<'_>> {
    let mut names = Namespace::new();
    op.responses
        .iter()
        .map(|r| Variant {
            name: names.claim(status_name(r.status)),
            response: r,
            body: body_kind(&r.contents),
        })
        .collect()
}

/// Whether a variant carries the status (ranges and `default` do).
pub fn carries_status(status: StatusCode) -> bool {
    !matches!(status, StatusCode::Code(_))
}

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

pub fn response_enums(api: &Api, r: &TypeRenderer<'_>) -> TokenStream {
    let enums = api
        .resources
        .iter()
        .flat_map(|res| &res.operations)
        .map(|op| response_enum(op, r));
    quote! { #(#enums)* }
}

fn response_enum(op: &Operation, r: &TypeRenderer<'_>) -> TokenStream {
    let name = ident(&op.response_type);
    let vs = variants(op);
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
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name { #(#defs,)* }
        #status_fn
    }
}
