//! The `client` part: `Client::new(base_url)`, a builder for credentials and
//! transport settings, one accessor per resource, one request builder per
//! operation.

mod answers;
mod paging;
mod requests;
mod resources;

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, is_form, is_json, runtime, TypeRenderer};
use crate::ir::{Api, SecurityKind, SecurityScheme};
use crate::naming::ident;
use crate::plan::Plan;

pub(crate) use requests::arg_type;
use resources::{resource, resource_accessor};

/// The part in chunks of whole items (the first holds the inner attributes),
/// one per resource after the first, each built when the formatter asks for it.
pub fn client<'a>(api: &'a Api, plan: &'a Plan) -> super::Chunks<'a> {
    let r = TypeRenderer::new(api, quote! { types:: });
    let schemes: Vec<_> = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .collect();
    let scheme_methods = scheme_methods(plan, &schemes);
    let head = head(api, plan, &schemes, &scheme_methods);
    let resources = api
        .resources
        .iter()
        .enumerate()
        .map(move |(i, res)| resource(plan, i, res, &r, &schemes, &scheme_methods));
    Box::new(std::iter::once(head).chain(resources))
}

/// The builder method of each security scheme the client presents, in
/// `schemes` order (named by the plan).
fn scheme_methods(plan: &Plan, schemes: &[&SecurityScheme]) -> Vec<String> {
    schemes
        .iter()
        .map(|s| {
            plan.scheme_setters
                .get(&s.name)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// The first chunk: inner attributes, imports, the encoding choice, the
/// credentials, the client and its builder.
fn head(
    api: &Api,
    plan: &Plan,
    schemes: &[&SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    // Imports only operations use: unused without them.
    let rt_import = (!api.resources.is_empty()).then(|| {
        let (alias, method) = (runtime::client::alias(), runtime::reqwest::use_method());
        quote! {
            use super::types;
            use super::operations as op;
            #alias
            #method
        }
    });
    let encoding_enum = encoding_enum(api);
    let credentials = credentials_struct(schemes, scheme_methods);
    let client = client_types(api, plan, schemes, scheme_methods);
    let errors = runtime::client::reexport_errors();
    quote! {
        #![doc = " Async HTTP client: `Client::new(base_url)` or `Client::builder(base_url)`,"]
        #![doc = " then one accessor per resource, one request builder per operation."]
        // Docs quote the spec's Markdown as written.
        // An operation with many path parameters takes them all as arguments.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_many_arguments)]
        // An operation without query, headers or body does not change its request.
        #![allow(unused_mut)]

        #errors
        #rt_import

        #encoding_enum

        #credentials

        #client
    }
}

/// `RequestEncoding`, when some operation takes its body as JSON or as a
/// form, as the caller chooses.
fn encoding_enum(api: &Api) -> Option<TokenStream> {
    let needs_encoding = api.resources.iter().flat_map(|r| &r.operations).any(|op| {
        op.request_body.as_ref().is_some_and(|b| {
            b.contents.iter().any(|c| is_json(&c.media_type))
                && b.contents.iter().any(|c| is_form(&c.media_type))
        })
    });
    needs_encoding.then(|| {
        quote! {
            /// How to encode a request body, for operations that accept several.
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub enum RequestEncoding {
                /// `application/json` (the default).
                #[default]
                Json,
                /// `application/x-www-form-urlencoded`.
                Form,
            }
        }
    })
}

/// `Credentials`: one optional secret per scheme, redacted by `Debug`.
fn credentials_struct(schemes: &[&SecurityScheme], scheme_methods: &[String]) -> TokenStream {
    let cred_fields = schemes.iter().zip(scheme_methods).map(|(s, m)| {
        let f = ident(m);
        match s.kind {
            SecurityKind::Basic => {
                quote! { #f: Option<(String, String)> }
            }
            _ => {
                let credential = runtime::client::credential();
                quote! { #f: Option<#credential> }
            }
        }
    });
    let cred_debug = scheme_methods.iter().map(|m| {
        let f = ident(m);
        quote! { .field(#m, &self.#f.as_ref().map(|_| "<redacted>")) }
    });
    quote! {
        #[derive(Clone, Default)]
        struct Credentials { #(#cred_fields,)* }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Credentials") #(#cred_debug)* .finish()
            }
        }
    }
}

/// `Client`, `ClientBuilder` (a setter per security scheme) and the
/// client's constructors and resource accessors.
fn client_types(
    api: &Api,
    plan: &Plan,
    schemes: &[&SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    let scheme_setters = schemes
        .iter()
        .zip(scheme_methods)
        .map(|(s, m)| scheme_setter(s, m));
    let accessors = api
        .resources
        .iter()
        .enumerate()
        .map(|(i, res)| resource_accessor(plan, i, res));
    // A spec without operations leaves the request plumbing unused.
    let unused = api
        .resources
        .is_empty()
        .then(|| quote! { #[allow(dead_code)] });
    let transport = runtime::client::transport();
    let transport_builder = runtime::client::transport_builder();
    let new_transport = runtime::client::transport_builder_new();
    let client_builder = runtime::macros::client_builder();
    quote! {
        /// The API client. Cheap to clone: clones share one connection pool.
        #[derive(Clone, Debug)]
        #unused
        pub struct Client {
            transport: #transport,
            // Unread when no operation needs credentials.
            #[allow(dead_code)]
            credentials: Credentials,
        }

        /// Settings for a [`Client`]: credentials, timeout, retries, layers,
        /// default headers, HTTP client.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            transport: #transport_builder,
            credentials: Credentials,
        }

        #client_builder!(ClientBuilder);

        impl ClientBuilder {
            #(#scheme_setters)*

            /// The client.
            pub fn build(self) -> Client {
                Client { transport: self.transport.build(), credentials: self.credentials }
            }
        }

        impl Client {
            /// A client for the API at `base_url` (e.g. `https://api.example.com`), without credentials.
            pub fn new(base_url: impl Into<String>) -> Self {
                Self::builder(base_url).build()
            }

            /// Starts a [`ClientBuilder`] for the API at `base_url`.
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder {
                    transport: #new_transport(base_url),
                    credentials: Credentials::default(),
                }
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            #(#accessors)*
        }
    }
}

/// The builder's setter of one security scheme's secret (`m`: its name).
fn scheme_setter(s: &SecurityScheme, m: &str) -> TokenStream {
    let f = ident(m);
    let doc = scheme_setter_doc(s);
    match s.kind {
        SecurityKind::Basic => quote! {
            #doc
            pub fn #f(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.credentials.#f = Some((username.into(), password.into()));
                self
            }
        },
        _ => {
            let credential = runtime::client::credential();
            quote! {
                #doc
                pub fn #f(mut self, secret: impl Into<#credential>) -> Self {
                    self.credentials.#f = Some(secret.into());
                    self
                }
            }
        }
    }
}

/// What the secret is and where it goes; what else a caller may give
/// (a provider, except for basic credentials); the spec's description.
fn scheme_setter_doc(s: &SecurityScheme) -> TokenStream {
    let what = match &s.kind {
        SecurityKind::Bearer { .. } => format!(
            "Bearer token for the `{}` scheme (`Authorization: Bearer ...`).",
            s.name
        ),
        SecurityKind::Basic => format!(
            "User name and password for the `{}` scheme (HTTP basic).",
            s.name
        ),
        SecurityKind::ApiKeyHeader { header } => format!(
            "API key for the `{}` scheme, sent as the `{header}` header.",
            s.name
        ),
        SecurityKind::ApiKeyQuery { parameter } => {
            format!(
                "API key for the `{}` scheme, sent as the `{parameter}` query parameter.",
                s.name
            )
        }
        SecurityKind::ApiKeyCookie { cookie } => {
            format!(
                "API key for the `{}` scheme, sent as the `{cookie}` cookie.",
                s.name
            )
        }
        SecurityKind::Other { .. } => String::new(),
    };
    let provider = format!(
        "A fixed secret (`&str`, `String`), or a [`Credential::provider`]({}) the client asks \
         before each request (cached; refreshed and retried once on a `401`).",
        runtime::client::CREDENTIAL_PROVIDER
    );
    let provider = if matches!(s.kind, SecurityKind::Basic) {
        ""
    } else {
        provider.as_str()
    };
    docs::attrs([
        what.as_str(),
        provider,
        s.description.as_deref().unwrap_or(""),
    ])
}
