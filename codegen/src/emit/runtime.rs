//! Every path into the runtime crate (`::codegen_runtime`) that generated
//! code spells, in one place (as smithy-rs's `RuntimeType`): emitters
//! interpolate these (`let json = runtime::client::decode_json();
//! quote! { #json(status, headers, body) }`) and never write a path of
//! their own, so a runtime item that moves is changed here alone. The
//! test below fails when a file of the generator spells one.
//!
//! Each function returns the tokens of one path, spelled as generated
//! code names it: by full path (`::codegen_runtime::...`), or through the
//! `rt` alias (`rt::...`) that the client and server parts declare
//! ([`client::alias`], [`server::alias`]) where a short name keeps
//! generated lines short. Paths that generated code writes inside a
//! string (an attribute's value, a doc link) are `&str` constants.
//! This file sits below every emitter and imports none of them.

use proc_macro2::TokenStream;
use quote::quote;

/// Catalogue entries: each `pub fn name() { tokens }` becomes a function
/// returning those tokens.
macro_rules! paths {
    ($($(#[$doc:meta])* pub fn $name:ident() { $($path:tt)* })*) => {
        $(
            $(#[$doc])*
            pub fn $name() -> TokenStream {
                quote! { $($path)* }
            }
        )*
    };
}

/// The runtime crate's serde, for `#[serde(crate = ...)]`: generated code
/// names no crate but the runtime.
pub const SERDE_CRATE: &str = "::codegen_runtime::serde";

paths! {
    /// `Operation`, the type of the constants of the `operations` part.
    pub fn operation() { ::codegen_runtime::Operation }
    /// The `operations` part's import of `Operation`.
    pub fn use_operation() { use ::codegen_runtime::Operation; }
    /// `ResponseEnum`, implemented by response enums (status, message, operation).
    pub fn response_enum() { ::codegen_runtime::ResponseEnum }
    /// `ErrorResponse`, the error of `into_result()`: a documented error answer.
    pub fn error_response() { ::codegen_runtime::ErrorResponse }
    /// `ErrorResponse::new`, wrapping a response enum's error answer.
    pub fn error_response_new() { ::codegen_runtime::ErrorResponse::new }
    /// `Boxed`, the box that cuts a long cycle of types (see `types::Erasure`).
    pub fn boxed() { ::codegen_runtime::Boxed }
    /// `FilePart`, a file of a `multipart/form-data` body, streamed.
    pub fn file_part() { ::codegen_runtime::FilePart }
    /// `ByteStream`, a body of bytes, streamed.
    pub fn byte_stream() { ::codegen_runtime::ByteStream }
    /// `ByteStream::from`, a stream of bytes already read.
    pub fn byte_stream_from() { ::codegen_runtime::ByteStream::from }
    /// `EventStream`, a body of server-sent events.
    pub fn event_stream() { ::codegen_runtime::EventStream }
    /// `EventStream::decode_json`, events whose data is JSON, from bytes.
    pub fn event_stream_decode_json() { ::codegen_runtime::EventStream::decode_json }
    /// `EventStream::decode_text`, events whose data is text, from bytes.
    pub fn event_stream_decode_text() { ::codegen_runtime::EventStream::decode_text }
    /// `JsonStream`, a body of JSON values in sequence (lines, records).
    pub fn json_stream() { ::codegen_runtime::JsonStream }
    /// `JsonStream::decode`, a JSON sequence from bytes, in a framing.
    pub fn json_stream_decode() { ::codegen_runtime::JsonStream::decode }
    /// The framing of `application/json-seq`: records after `RS` bytes.
    pub fn framing_record_separated() { ::codegen_runtime::stream::Framing::RecordSeparated }
    /// The framing of JSON Lines and NDJSON: one value per line.
    pub fn framing_lines() { ::codegen_runtime::stream::Framing::Lines }
}

/// The runtime's macros (the path before the `!`).
pub mod macros {
    use super::{quote, TokenStream};

    paths! {
        /// `require_version!`, the module's compile-time check of the runtime's version.
        pub fn require_version() { ::codegen_runtime::require_version }
        /// `object!`, a struct's `Serialize` and `Deserialize` (`model::Object`).
        pub fn object() { ::codegen_runtime::__private::object }
        /// `builders!`, a struct's `new` and `with_<field>` setters.
        pub fn builders() { ::codegen_runtime::__private::builders }
        /// `request_builder!`, the setters every request builder shares (`retry`).
        pub fn request_builder() { ::codegen_runtime::__private::request_builder }
        /// `client_builder!`, the settings every client builder shares.
        pub fn client_builder() { ::codegen_runtime::__private::client_builder }
    }
}

/// The runtime's `model`: what generated types need besides serde.
pub mod model {
    use super::{quote, TokenStream};

    /// `deserialize_some`, for `#[serde(deserialize_with = ...)]` on an
    /// optional nullable field (`null` is `Some(None)`).
    pub const DESERIALIZE_SOME: &str = "::codegen_runtime::__private::deserialize_some";

    paths! {
        /// `ParseEnumError`, the error of a closed enum's `FromStr`.
        pub fn parse_enum_error() { ::codegen_runtime::model::ParseEnumError }
    }
}

/// The runtime's re-export of serde.
pub mod serde {
    use super::{quote, TokenStream};

    paths! {
        /// The `types` part's import of serde, which derives name.
        pub fn use_serde() { use ::codegen_runtime::serde; }
        /// `serde::de::Error::custom`, a decoding error with a message.
        pub fn de_error_custom() { ::codegen_runtime::serde::de::Error::custom }
    }
}

/// The runtime's re-export of serde_json.
pub mod serde_json {
    use super::{quote, TokenStream};

    paths! {
        /// `Value`, any JSON value.
        pub fn value() { ::codegen_runtime::serde_json::Value }
        /// `Value::as_str`, a JSON value's text if it is a string.
        pub fn value_as_str() { ::codegen_runtime::serde_json::Value::as_str }
        /// `Map<String, Value>`, any JSON object.
        pub fn object() { ::codegen_runtime::serde_json::Map<String, ::codegen_runtime::serde_json::Value> }
        /// `from_value`, a typed value from a JSON value.
        pub fn from_value() { ::codegen_runtime::serde_json::from_value }
    }
}

/// The runtime's re-export of chrono: the types of dates.
pub mod chrono {
    use super::{quote, TokenStream};

    paths! {
        /// `DateTime<Utc>`, a `date-time`.
        pub fn date_time_utc() { ::codegen_runtime::chrono::DateTime<::codegen_runtime::chrono::Utc> }
        /// `NaiveDate`, a `date`.
        pub fn naive_date() { ::codegen_runtime::chrono::NaiveDate }
    }
}

/// The runtime's re-exports of the crates of mapped formats (settings).
pub mod formats {
    use super::{quote, TokenStream};

    paths! {
        /// `uuid::Uuid`, a `uuid`.
        pub fn uuid() { ::codegen_runtime::uuid::Uuid }
        /// `url::Url`, a `uri`.
        pub fn url() { ::codegen_runtime::url::Url }
        /// `rust_decimal::Decimal`, a `decimal`.
        pub fn decimal() { ::codegen_runtime::rust_decimal::Decimal }
    }
}

/// The runtime's re-export of reqwest, which the client sends with.
pub mod reqwest {
    use super::{quote, TokenStream};

    paths! {
        /// The client's import of `Method`, which requests name.
        pub fn use_method() { use ::codegen_runtime::reqwest::Method; }
        /// The `Accept` header's name.
        pub fn header_accept() { ::codegen_runtime::reqwest::header::ACCEPT }
        /// The `Cookie` header's name.
        pub fn header_cookie() { ::codegen_runtime::reqwest::header::COOKIE }
        /// The `Content-Type` header's name.
        pub fn header_content_type() { ::codegen_runtime::reqwest::header::CONTENT_TYPE }
    }
}

/// The runtime's re-exports of axum and tower, which the server serves with.
pub mod axum {
    use super::{quote, TokenStream};

    paths! {
        /// The handlers' import of axum's `State` extractor.
        pub fn use_state() { use ::codegen_runtime::axum::extract::State; }
        /// The handlers' import of axum's `IntoResponse` and `Response`.
        pub fn use_response() { use ::codegen_runtime::axum::response::{IntoResponse, Response}; }
        /// `Router`, what `router()` returns.
        pub fn router() { ::codegen_runtime::axum::Router }
        /// `Router::new`, the router routes are added to.
        pub fn router_new() { ::codegen_runtime::axum::Router::new }
        /// `Handler::layer`, a handler behind a layer (a route's body limit).
        pub fn handler_layer() { ::codegen_runtime::axum::handler::Handler::layer }
        /// `http::Method`, a request's method, in a route's fallback.
        pub fn method() { ::codegen_runtime::axum::http::Method }
        /// `tower`'s `Identity::new`, the layer that changes nothing.
        pub fn identity_new() { ::codegen_runtime::tower::layer::util::Identity::new }
    }
}

/// `rt::Style`, a parameter's style: either side's `rt` exports it.
pub mod style {
    use super::{quote, TokenStream};

    paths! {
        /// `simple` (path and header default).
        pub fn simple() { rt::Style::Simple }
        /// `label` (`.value`).
        pub fn label() { rt::Style::Label }
        /// `matrix` (`;name=value`).
        pub fn matrix() { rt::Style::Matrix }
        /// `form` (query and cookie default).
        pub fn form() { rt::Style::Form }
        /// `spaceDelimited`.
        pub fn space_delimited() { rt::Style::SpaceDelimited }
        /// `pipeDelimited`.
        pub fn pipe_delimited() { rt::Style::PipeDelimited }
        /// `deepObject` (`name[key]=value`).
        pub fn deep_object() { rt::Style::DeepObject }
        /// `cookie` (OpenAPI 3.2).
        pub fn cookie() { rt::Style::Cookie }
    }
}

/// The runtime's `client`: by full path, and through the client part's
/// `rt` alias.
pub mod client {
    use super::{quote, TokenStream};

    /// `Credential::provider`, as a doc link's target.
    pub const CREDENTIAL_PROVIDER: &str = "::codegen_runtime::client::Credential::provider";

    paths! {
        /// The client part's alias of the runtime's client, `rt`.
        pub fn alias() { use ::codegen_runtime::__private::client as rt; }
        /// The client part's re-export of the runtime's `Error` and `ErrorKind`.
        pub fn reexport_errors() { pub use ::codegen_runtime::client::{Error, ErrorKind}; }
        /// `Retry`, a request's retry policy.
        pub fn retry() { ::codegen_runtime::client::Retry }
        /// `Credential`, a secret: fixed, or from a provider.
        pub fn credential() { ::codegen_runtime::client::Credential }
        /// `Transport`, what every call goes through (layers, credentials, retries).
        pub fn transport() { ::codegen_runtime::client::Transport }
        /// `TransportBuilder`, the client builder's settings.
        pub fn transport_builder() { ::codegen_runtime::client::TransportBuilder }
        /// `TransportBuilder::new`, a transport for a base URL.
        pub fn transport_builder_new() { ::codegen_runtime::client::TransportBuilder::new }
        /// `Stream`, what `pages()` and `items()` return.
        pub fn stream() { ::codegen_runtime::client::Stream }

        /// `rt::Call`, a request ready for the transport.
        pub fn call() { rt::Call }
        /// `rt::decode::read`, an opened answer read whole.
        pub fn decode_read() { rt::decode::read }
        /// `rt::decode::head`, an opened answer's headers.
        pub fn decode_head() { rt::decode::head }
        /// `rt::decode::stream`, an opened answer's body, streamed.
        pub fn decode_stream() { rt::decode::stream }
        /// `rt::decode::media_type`, the answer's media type, for choosing a representation.
        pub fn decode_media_type() { rt::decode::media_type }
        /// `rt::decode::json`, a JSON (or form) body decoded into its type.
        pub fn decode_json() { rt::decode::json }
        /// `rt::decode::text`, a text body.
        pub fn decode_text() { rt::decode::text }
        /// `rt::decode::header_text`, a documented header as text.
        pub fn decode_header_text() { rt::decode::header_text }
        /// `rt::decode::header_parsed`, a documented header parsed into its type.
        pub fn decode_header_parsed() { rt::decode::header_parsed }
        /// `rt::decode::unexpected`, the error of an undocumented answer.
        pub fn decode_unexpected() { rt::decode::unexpected }
        /// `rt::encode::segment`, a path parameter percent-encoded (`simple`).
        pub fn encode_segment() { rt::encode::segment }
        /// `rt::encode::styled_path`, a path parameter in another style.
        pub fn encode_styled_path() { rt::encode::styled_path }
        /// `rt::encode::Query::new`, the query string parameters are added to.
        pub fn encode_query_new() { rt::encode::Query::new }
        /// `rt::encode::styled_header`, a header parameter's value in its style.
        pub fn encode_styled_header() { rt::encode::styled_header }
        /// `rt::encode::Cookies::new`, the `Cookie` header cookie parameters are added to.
        pub fn encode_cookies_new() { rt::encode::Cookies::new }
        /// `rt::encode::Json`, a `content` parameter written as JSON text.
        pub fn encode_json() { rt::encode::Json }
        /// `rt::encode::body`, a streamed body set on the request.
        pub fn encode_body() { rt::encode::body }
        /// `rt::encode::form`, a form body (lists as repeated names) set on the request.
        pub fn encode_form() { rt::encode::form }
        /// `rt::multipart::Multipart::new`, the writer of a typed form body.
        pub fn multipart_new() { rt::multipart::Multipart::new }
        /// `rt::Apply::Bearer`, a bearer token applied to a call.
        pub fn apply_bearer() { rt::Apply::Bearer }
        /// `rt::Apply::Basic`, basic credentials applied to a call.
        pub fn apply_basic() { rt::Apply::Basic }
        /// `rt::Apply::Header`, an API key applied as a header.
        pub fn apply_header() { rt::Apply::Header }
        /// `rt::Apply::Query`, an API key applied as a query parameter.
        pub fn apply_query() { rt::Apply::Query }
        /// `rt::Apply::Cookie`, an API key applied as a cookie.
        pub fn apply_cookie() { rt::Apply::Cookie }
        /// `rt::page::Pager`, how an operation's pages follow each other.
        pub fn pager() { rt::page::Pager }
        /// `rt::page::Pager::new`, a pager of a scheme and the items' place.
        pub fn pager_new() { rt::page::Pager::new }
        /// `rt::page::pages`, the stream of every page.
        pub fn page_pages() { rt::page::pages }
        /// `rt::page::items`, the stream of every item of every page.
        pub fn page_items() { rt::page::items }
        /// `rt::page::Scheme::Page`, pages by number.
        pub fn scheme_page() { rt::page::Scheme::Page }
        /// `rt::page::Scheme::Offset`, pages by offset.
        pub fn scheme_offset() { rt::page::Scheme::Offset }
        /// `rt::page::Scheme::Cursor`, pages by a cursor each page gives.
        pub fn scheme_cursor() { rt::page::Scheme::Cursor }
        /// `rt::page::Scheme::NextUrl`, pages by a URL each page gives.
        pub fn scheme_next_url() { rt::page::Scheme::NextUrl }
        /// `rt::page::Scheme::Link`, pages by the `Link` header's `next`.
        pub fn scheme_link() { rt::page::Scheme::Link }
    }
}

/// The runtime's `server`: by full path, and through the server part's
/// `rt` alias.
pub mod server {
    use super::{quote, TokenStream};

    paths! {
        /// The server part's alias of the runtime's server, `rt`.
        pub fn alias() { use ::codegen_runtime::__private::server as rt; }
        /// The server part's re-exports of what implementations name.
        pub fn reexports() {
            pub use ::codegen_runtime::server::{serve, ApiKey, BasicCredentials, BearerToken, Limits, Outcome, Problem, Violation, DEFAULT_BODY_LIMIT};
        }
        /// `Violation`, one input that failed a check.
        pub fn violation() { ::codegen_runtime::server::Violation }
        /// `Outcome`, what an operation's method returns.
        pub fn outcome() { ::codegen_runtime::server::Outcome }

        /// `rt::methods`, a route's method router.
        pub fn methods() { rt::methods }
        /// `rt::Tag::new`, a route tagged with its operations.
        pub fn tag_new() { rt::Tag::new }
        /// `rt::OperationLayer`, a caller's layer around every operation.
        pub fn operation_layer() { rt::OperationLayer }
        /// `rt::Raw`, a request as a handler receives it.
        pub fn raw() { rt::Raw }
        /// `rt::Answer`, what a handler returns.
        pub fn answer() { rt::Answer }
        /// `rt::Accept`, a request's `Accept`, in an input.
        pub fn accept() { rt::Accept }
        /// `rt::Inputs::new`, a handler's reader of parameters (and their violations).
        pub fn inputs_new() { rt::Inputs::new }
        /// `rt::required`, a required input, present once the checks passed.
        pub fn required() { rt::required }
        /// `rt::reply::answer`, an operation's outcome as the reply.
        pub fn reply_answer() { rt::reply::answer }
        /// `rt::reply::not_implemented`, the `501` of a method left to its default.
        pub fn reply_not_implemented() { rt::reply::not_implemented }
        /// `rt::reply::not_found`, the `404` of a path no route matches.
        pub fn reply_not_found() { rt::reply::not_found }
        /// `rt::reply::method_not_allowed`, the `405` of a route.
        pub fn reply_method_not_allowed() { rt::reply::method_not_allowed }
        /// `rt::reply::unauthorized`, the `401` of missing credentials.
        pub fn reply_unauthorized() { rt::reply::unauthorized }
        /// `rt::reply::with_challenge`, `WWW-Authenticate` on every `401`.
        pub fn reply_with_challenge() { rt::reply::with_challenge }
        /// `rt::reply::empty`, an answer without a body.
        pub fn reply_empty() { rt::reply::empty }
        /// `rt::reply::json`, a JSON answer.
        pub fn reply_json() { rt::reply::json }
        /// `rt::reply::json_as`, a JSON answer of a given media type.
        pub fn reply_json_as() { rt::reply::json_as }
        /// `rt::reply::typed`, a text or multipart answer of a given media type.
        pub fn reply_typed() { rt::reply::typed }
        /// `rt::reply::multipart`, a multipart answer, its boundary named.
        pub fn reply_multipart() { rt::reply::multipart }
        /// `rt::reply::stream`, a streamed answer.
        pub fn reply_stream() { rt::reply::stream }
        /// `rt::reply::set_header`, a documented header set on an answer.
        pub fn reply_set_header() { rt::reply::set_header }
        /// `rt::headers::accept`, the representations a request accepts (else `406`).
        pub fn headers_accept() { rt::headers::accept }
        /// `rt::query::pairs`, a request's query, split.
        pub fn query_pairs() { rt::query::pairs }
        /// `rt::query::form`, a whole query decoded as a form (3.2 `querystring`).
        pub fn query_form() { rt::query::form }
        /// `rt::style::Param::path`, where a path parameter is read.
        pub fn param_path() { rt::style::Param::path }
        /// `rt::Segment::whole`, a path parameter that is its whole URL segment.
        pub fn segment_whole() { rt::Segment::whole }
        /// `rt::Segment::part`, a path parameter between literals in its URL segment.
        pub fn segment_part() { rt::Segment::part }
        /// `rt::Presence::Required`, an input that must be sent.
        pub fn presence_required() { rt::Presence::Required }
        /// `rt::Presence::Optional`, an input that may be absent.
        pub fn presence_optional() { rt::Presence::Optional }
        /// `rt::Presence::required_if`, an input required only when a condition holds.
        pub fn presence_required_if() { rt::Presence::required_if }
        /// `rt::body::WholeRule`, how a body read whole but not decoded is taken.
        pub fn whole_rule() { rt::body::WholeRule }
        /// `rt::style::Param::query`, where a query parameter is read.
        pub fn param_query() { rt::style::Param::query }
        /// `rt::style::Param::header`, where a header parameter is read.
        pub fn param_header() { rt::style::Param::header }
        /// `rt::style::Param::cookie`, where a cookie parameter is read.
        pub fn param_cookie() { rt::style::Param::cookie }
        /// `rt::style::Keys::Only`, an object parameter's declared keys.
        pub fn keys_only() { rt::style::Keys::Only }
        /// `rt::style::Keys::Except`, a free-form object parameter's keys: all but these.
        pub fn keys_except() { rt::style::Keys::Except }
        /// `rt::parse::one`, one raw value parsed, its error a violation.
        pub fn parse_one() { rt::parse::one }
        /// `rt::parse::text`, a string parameter.
        pub fn parse_text() { rt::parse::text }
        /// `rt::parse::integer`, an integer parameter.
        pub fn parse_integer() { rt::parse::integer }
        /// `rt::parse::number`, a number parameter.
        pub fn parse_number() { rt::parse::number }
        /// `rt::parse::boolean`, a boolean parameter.
        pub fn parse_boolean() { rt::parse::boolean }
        /// `rt::parse::date_time`, a `date-time` parameter.
        pub fn parse_date_time() { rt::parse::date_time }
        /// `rt::parse::date`, a `date` parameter.
        pub fn parse_date() { rt::parse::date }
        /// `rt::parse::enumerated`, an enum parameter (its error lists the values).
        pub fn parse_enumerated() { rt::parse::enumerated }
        /// `rt::parse::from_string`, a parameter read as its type's JSON string.
        pub fn parse_from_string() { rt::parse::from_string }
        /// `rt::parse::json`, a parameter given as JSON text.
        pub fn parse_json() { rt::parse::json }
        /// `rt::body::decode`, a JSON or form body decoded and its shape checked.
        pub fn body_decode() { rt::body::decode }
        /// `rt::body::BodyRule`, what a body may be (media types, required, shape).
        pub fn body_rule() { rt::body::BodyRule }
        /// `rt::body::text`, a text body.
        pub fn body_text() { rt::body::text }
        /// `rt::body::raw`, a multipart body as received.
        pub fn body_raw() { rt::body::raw }
        /// `rt::body::stream`, a streamed body.
        pub fn body_stream() { rt::body::stream }
        /// `rt::body::Shape`, the JSON shape of a body's type.
        pub fn shape() { rt::body::Shape }
        /// `rt::body::Shape::Any`, any JSON value.
        pub fn shape_any() { rt::body::Shape::Any }
        /// `rt::body::Shape::Array`, a list of values of a shape.
        pub fn shape_array() { rt::body::Shape::Array }
        /// `rt::body::Shape::Map`, a map of values of a shape.
        pub fn shape_map() { rt::body::Shape::Map }
        /// `rt::body::Shape::Object`, an object of properties of shapes.
        pub fn shape_object() { rt::body::Shape::Object }
        /// `rt::body::Shape::Present`, an object that must hold some properties.
        pub fn shape_present() { rt::body::Shape::Present }
        /// `rt::multipart::read`, a typed form body read (files spooled).
        pub fn multipart_read() { rt::multipart::read }
        /// `rt::credentials::bearer`, a bearer token from `Authorization`.
        pub fn credentials_bearer() { rt::credentials::bearer }
        /// `rt::credentials::basic`, basic credentials from `Authorization`.
        pub fn credentials_basic() { rt::credentials::basic }
        /// `rt::credentials::api_key`, an API key from a header.
        pub fn credentials_api_key() { rt::credentials::api_key }
        /// `rt::credentials::api_key_in_query`, an API key from the query.
        pub fn credentials_api_key_in_query() { rt::credentials::api_key_in_query }
        /// `rt::credentials::api_key_in_cookie`, an API key from a cookie.
        pub fn credentials_api_key_in_cookie() { rt::credentials::api_key_in_cookie }
        /// `rt::checks::length`, a string's `minLength`/`maxLength`.
        pub fn checks_length() { rt::checks::length }
        /// `rt::checks::pattern`, a string's `pattern`.
        pub fn checks_pattern() { rt::checks::pattern }
        /// `rt::checks::listed`, an open enum's value among those listed.
        pub fn checks_listed() { rt::checks::listed }
        /// `rt::checks::range`, a number's `minimum`/`maximum`.
        pub fn checks_range() { rt::checks::range }
        /// `rt::checks::items`, a list's `minItems`/`maxItems`/`uniqueItems`.
        pub fn checks_items() { rt::checks::items }
        /// `rt::checks::multiple`, a number's `multipleOf`.
        pub fn checks_multiple() { rt::checks::multiple }
        /// `rt::checks::properties`, an object's `minProperties`/`maxProperties`.
        pub fn checks_properties() { rt::checks::properties }
        /// `rt::checks::Count::ANY`, a list's length and items before its limits.
        pub fn count_any() { rt::checks::Count::ANY }
        /// `rt::checks::item_field`, the field of a list's item (`tags[2]`).
        pub fn checks_item_field() { rt::checks::item_field }
        /// `rt::checks::member_field`, the field of a property or map member (`labels.x`).
        pub fn checks_member_field() { rt::checks::member_field }
        /// `rt::checks::required_when`, a property required in some condition.
        pub fn checks_required_when() { rt::checks::required_when }
        /// `rt::checks::is_json`, whether a value equals a JSON value (3.1 `if`).
        pub fn checks_is_json() { rt::checks::is_json }
        /// `rt::checks::Pattern`, a compiled `pattern`, held in a static.
        pub fn pattern() { rt::checks::Pattern }
        /// `rt::checks::Pattern::new`, a `pattern` compiled when first used.
        pub fn pattern_new() { rt::checks::Pattern::new }
        /// `rt::rules::Rules`, the keywords a type cannot express, held in a static.
        pub fn rules() { rt::rules::Rules }
        /// `rt::rules::Rules::new`, rules read from their JSON when first used.
        pub fn rules_new() { rt::rules::Rules::new }
    }
}

/// The runtime's `verify`: the `--verify-examples` program's checks.
pub mod verify {
    use super::{quote, TokenStream};

    paths! {
        /// `verify::check`, one example checked against a type.
        pub fn check() { ::codegen_runtime::verify::check }
        /// `verify::Outcome`, the result of one check.
        pub fn outcome() { ::codegen_runtime::verify::Outcome }
        /// `verify::run`, every example run through its check.
        pub fn run() { ::codegen_runtime::verify::run }
        /// `verify::serve::Slot`, where the stub records the operation that ran.
        pub fn slot() { ::codegen_runtime::verify::serve::Slot }
        /// `verify::serve::Slot::default`, an empty slot.
        pub fn slot_default() { ::codegen_runtime::verify::serve::Slot::default }
        /// `verify::serve::run`, the router served and every exchange sent.
        pub fn serve_run() { ::codegen_runtime::verify::serve::run }
        /// `verify::conform::run`, every call of the conformance driver made.
        pub fn conform_run() { ::codegen_runtime::verify::conform::run }
        /// `verify::conform::Options`, where the calls go.
        pub fn conform_options() { ::codegen_runtime::verify::conform::Options }
        /// `verify::conform::Caller`, one generated caller.
        pub fn conform_caller() { ::codegen_runtime::verify::conform::Caller }
        /// `verify::conform::Pending`, what a caller returns.
        pub fn conform_pending() { ::codegen_runtime::verify::conform::Pending }
        /// `verify::conform::CALL_TIMEOUT`, how long one call may take.
        pub fn conform_timeout() { ::codegen_runtime::verify::conform::CALL_TIMEOUT }
        /// `verify::conform::input`, a required input of a call.
        pub fn conform_input() { ::codegen_runtime::verify::conform::input }
        /// `verify::conform::optional`, an optional input of a call.
        pub fn conform_optional() { ::codegen_runtime::verify::conform::optional }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// Every `.rs` file under `dir`, at any depth.
    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable source folder") {
            let path = entry.expect("a readable folder entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn is_ident(c: char) -> bool {
        c.is_alphanumeric() || c == '_'
    }

    /// Where the string or char literal starting at `i` ends (past its
    /// closing quote); `None` when none starts there (a lifetime's `'`).
    fn literal_end(chars: &[char], i: usize) -> Option<usize> {
        let starts_token = |k: usize| k == 0 || !is_ident(chars[k - 1]);
        match chars[i] {
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                Some((j + 1).min(chars.len()))
            }
            'r' if starts_token(i) || (i > 0 && chars[i - 1] == 'b' && starts_token(i - 1)) => {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                let open = i + 1 + hashes;
                if chars.get(open) != Some(&'"') {
                    return None;
                }
                let close: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let end = (open + 1..chars.len())
                    .find(|&j| chars[j..].starts_with(&close))
                    .map_or(chars.len(), |j| j + close.len());
                Some(end)
            }
            '\'' => match chars.get(i + 1) {
                Some('\\') => (i + 3..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .map(|j| j + 1),
                Some(_) if chars.get(i + 2) == Some(&'\'') => Some(i + 3),
                _ => None,
            },
            _ => None,
        }
    }

    /// Where the (nested) block comment starting at `i` ends.
    fn block_comment_end(chars: &[char], i: usize) -> usize {
        let (mut depth, mut j) = (0usize, i);
        while j < chars.len() {
            if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                depth += 1;
                j += 2;
            } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return j;
                }
            } else {
                j += 1;
            }
        }
        chars.len()
    }

    /// The source without its comments (doc comments included), every
    /// line where it was; literals are kept whole.
    fn code_only(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let next = chars.get(i + 1).copied();
            if chars[i] == '/' && next == Some('/') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            } else if chars[i] == '/' && next == Some('*') {
                let end = block_comment_end(&chars, i);
                out.extend(chars[i..end].iter().filter(|c| **c == '\n'));
                i = end;
            } else if let Some(end) = literal_end(&chars, i) {
                out.extend(&chars[i..end]);
                i = end;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    }

    /// Whether a line of code spells a runtime path: `codegen_runtime::`,
    /// or `rt::` not ending a longer name (`convert::`).
    fn spells_path(line: &str) -> bool {
        line.contains("codegen_runtime::")
            || line
                .match_indices("rt::")
                .any(|(k, _)| line[..k].chars().next_back().is_none_or(|c| !is_ident(c)))
    }

    /// The lines (numbered from 1, as written) of a source file that spell
    /// a runtime path, outside comments and its closing `#[cfg(test)] mod
    /// tests`.
    fn spelled(text: &str) -> Vec<(usize, String)> {
        let code = code_only(text);
        let lines: Vec<&str> = code.lines().collect();
        let tests = (0..lines.len()).find(|&i| {
            lines[i].trim() == "#[cfg(test)]"
                && lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim_start().starts_with("mod tests"))
        });
        let written: Vec<&str> = text.lines().collect();
        lines[..tests.unwrap_or(lines.len())]
            .iter()
            .enumerate()
            .filter(|(_, l)| spells_path(l))
            .map(|(i, _)| (i + 1, written[i].trim().to_string()))
            .collect()
    }

    /// Only this catalogue spells paths into the runtime: every other file
    /// of the generator (test modules and `tests.rs` files aside) takes
    /// them from here.
    #[test]
    fn no_emitter_spells_a_runtime_path() {
        let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
        let catalogue = src.join("emit").join("runtime.rs");
        let mut files = Vec::new();
        rust_files(src, &mut files);
        files.sort();
        assert!(
            files.contains(&catalogue),
            "the walk missed {}",
            catalogue.display()
        );
        let mut found = Vec::new();
        for path in files
            .iter()
            .filter(|p| **p != catalogue && p.file_name().is_some_and(|n| n != "tests.rs"))
        {
            let text = std::fs::read_to_string(path).expect("a readable source file");
            let name = path.strip_prefix(src).unwrap_or(path).display();
            for (line, code) in spelled(&text) {
                found.push(format!("src/{name}:{line}: {code}"));
            }
        }
        assert!(
            found.is_empty(),
            "runtime paths spelled outside src/emit/runtime.rs (add each to the catalogue \
             there and interpolate its entry):\n{}",
            found.join("\n")
        );
    }

    /// The scan sees code, strings included, and skips comments, lifetimes
    /// and the closing test module.
    #[test]
    fn the_scan_reads_code_only() {
        let text = r##"quote! { rt::decode::json(status) }
// rt::decode in a comment
/// [`Boxed`](::codegen_runtime::Boxed) in a doc comment
let s = "// a string, not a comment: ::codegen_runtime::X";
let c = '"'; convert::x; Report::y; /* rt::z */ ::codegen_runtime::Y
fn f<'a>(x: &'a str) {} r#"rt::w"#
#[cfg(test)]
mod tests {
    rt::inside_tests
}
"##;
        let lines: Vec<usize> = spelled(text).into_iter().map(|(l, _)| l).collect();
        assert_eq!(lines, [1, 4, 5, 6]);
    }
}
