//! Request encoding.

use reqwest::header::HeaderValue;
use serde::Serialize;

use super::flat::{self, Flat};
use super::{Error, ErrorKind};
use crate::style::{unreserved, Style, Styled};

/// Percent-encodes one path parameter (everything but RFC 3986 unreserved bytes).
///
/// ```
/// assert_eq!(codegen_runtime::client::encode::path("a/b c"), "a%2Fb%20c");
/// ```
pub fn path(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape(&mut out, value, false);
    out
}

/// Appends `text` percent-encoded: everything but unreserved bytes, and
/// with `reserved` (`allowReserved`) also the RFC 3986 reserved characters
/// that cannot change how the query string splits (not `&`, `=`, `+`, `#`)
/// and percent-encoded triples as they are.
fn escape(out: &mut String, text: &str, reserved: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        let keep = unreserved(byte)
            || (reserved
                && (b":/?[]@!$'()*,;".contains(&byte)
                    || (byte == b'%'
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))));
        if keep {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
}

/// `items` percent-encoded and joined by `separator` (itself written as is).
fn joined<'a>(
    out: &mut String,
    items: impl IntoIterator<Item = &'a str>,
    separator: &str,
    reserved: bool,
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        escape(out, item, reserved);
    }
}

fn pair_items(pairs: &[(String, String)]) -> impl Iterator<Item = &str> {
    pairs.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()])
}

/// A path parameter as `how` writes it (`simple`, `label` or `matrix`),
/// percent-encoded.
///
/// ```
/// use codegen_runtime::{client::encode::styled_path, Style};
/// assert_eq!(styled_path(Style::Label.exploded(), "id", &[3, 4]), ".3.4");
/// assert_eq!(styled_path(Style::Matrix, "id", &5), ";id=5");
/// ```
pub fn styled_path<T: Serialize + ?Sized>(how: impl Into<Styled>, name: &str, value: &T) -> String {
    let how = how.into();
    path_param(how.style, how.explode, name, value)
}

/// [`styled_path`] with `style` and `explode` apart: the spec's style
/// table, with `name` used by `matrix`.
fn path_param<T: Serialize + ?Sized>(style: Style, explode: bool, name: &str, value: &T) -> String {
    let mut out = String::new();
    let (prefix, separator) = match (style, explode) {
        (Style::Label, false) => (".", ","),
        (Style::Label, true) => (".", "."),
        (Style::Matrix, _) => (";", ","),
        _ => ("", ","),
    };
    out.push_str(prefix);
    let matrix = style == Style::Matrix;
    // `;color` for an empty value, `;color=blue` otherwise.
    let named = |out: &mut String, empty: bool| {
        escape(out, name, false);
        if !empty {
            out.push('=');
        }
    };
    match flat::flatten(value) {
        Flat::Absent => {
            if matrix {
                named(&mut out, true);
            }
        }
        Flat::Scalar(s) => {
            if matrix {
                named(&mut out, s.is_empty());
            }
            escape(&mut out, &s, false);
        }
        Flat::Items(items) if matrix && explode => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                named(&mut out, item.is_empty());
                escape(&mut out, item, false);
            }
        }
        Flat::Items(items) => {
            if matrix {
                named(&mut out, items.is_empty());
            }
            joined(&mut out, items.iter().map(String::as_str), separator, false);
        }
        Flat::Pairs(pairs) if explode => {
            let separator = if matrix { ";" } else { separator };
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                escape(&mut out, k, false);
                out.push('=');
                escape(&mut out, v, false);
            }
        }
        Flat::Pairs(pairs) => {
            if matrix {
                named(&mut out, pairs.is_empty());
            }
            joined(&mut out, pair_items(&pairs), ",", false);
        }
    }
    out
}

/// A `simple` path parameter without `explode` (the default): [`path_param`].
pub fn segment<T: Serialize + ?Sized>(value: &T) -> String {
    path_param(Style::Simple, false, "", value)
}

/// A request's query string, built parameter by parameter in the order the
/// operation declares them and percent-encoded as the spec's style table
/// shows (`,` between items as is, `%20` and `%7C` for the delimited
/// styles, `%5B`/`%5D` around `deepObject` keys).
#[derive(Debug, Default)]
pub struct Query(String);

impl Query {
    /// No parameters yet.
    pub fn new() -> Self {
        Query(String::new())
    }

    fn key(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        escape(&mut self.0, name, false);
        self.0.push('=');
    }

    /// The parameter `name` as `how` writes it; nothing when `value` is
    /// `None`.
    ///
    /// ```
    /// use codegen_runtime::{client::encode::Query, Style};
    /// let mut q = Query::new();
    /// q.add("color", Style::Form.unexploded(), &["blue", "black"]);
    /// q.add("tag", Style::Form, &["a b", "c"]);
    /// q.add("page", Style::Form, &None::<u32>);
    /// assert_eq!(q.after("/pets"), "/pets?color=blue,black&tag=a%20b&tag=c");
    /// ```
    pub fn add<T: Serialize + ?Sized>(&mut self, name: &str, how: impl Into<Styled>, value: &T) {
        let how = how.into();
        self.param(name, how.style, how.explode, how.allow_reserved, value);
    }

    /// [`Query::add`] with the style's parts apart.
    fn param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        allow_reserved: bool,
        value: &T,
    ) {
        let r = allow_reserved;
        let separator = match style.delimiter() {
            ' ' => "%20",
            '|' => "%7C",
            _ => ",",
        };
        match flat::flatten(value) {
            Flat::Absent => {}
            Flat::Scalar(s) => {
                self.key(name);
                escape(&mut self.0, &s, r);
            }
            // Exploded lists repeat the name, whatever the style (the spec
            // defines only `form` for them).
            Flat::Items(items) if explode => {
                for item in &items {
                    self.key(name);
                    escape(&mut self.0, item, r);
                }
            }
            Flat::Items(items) => {
                self.key(name);
                joined(&mut self.0, items.iter().map(String::as_str), separator, r);
            }
            Flat::Pairs(pairs) if style == Style::DeepObject => {
                for (k, v) in &pairs {
                    self.key(&format!("{name}[{k}]"));
                    escape(&mut self.0, v, r);
                }
            }
            Flat::Pairs(pairs) if explode => {
                for (k, v) in &pairs {
                    self.key(k);
                    escape(&mut self.0, v, r);
                }
            }
            Flat::Pairs(pairs) => {
                self.key(name);
                joined(&mut self.0, pair_items(&pairs), separator, r);
            }
        }
    }

    /// `path` with this query string (`path` alone when there is none).
    pub fn after(self, path: &str) -> String {
        if self.0.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", self.0)
        }
    }
}

/// A value written as its JSON text: a parameter described by
/// `content: application/json` instead of a schema.
///
/// ```
/// use codegen_runtime::{client::encode::{Json, Query}, Style};
/// let mut q = Query::new();
/// q.add("at", Style::Form, &Json(&[1, 2]));
/// assert_eq!(q.after(""), "?at=%5B1%2C2%5D");
/// ```
#[derive(Debug)]
pub struct Json<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Json<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// A form body (`application/x-www-form-urlencoded`) as OpenAPI's
/// default encoding writes one: each property `name=value`, a list's items
/// as the name repeated (style `form`, exploded), an object (or an item
/// that is one) as its JSON text; absent and `null` properties left out.
/// reqwest's own `form` refuses lists.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Order { count: u32, note: Option<String>, tag: Vec<&'static str> }
/// let order = Order { count: 2, note: None, tag: vec!["a b", "c"] };
/// let text = codegen_runtime::client::encode::form_text(&order).unwrap();
/// assert_eq!(text, "count=2&tag=a+b&tag=c");
/// ```
pub fn form_text<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    use serde_json::Value;
    let invalid = |why: String| Error::from(ErrorKind::InvalidRequest(why));
    let value = serde_json::to_value(value).map_err(|e| invalid(format!("the form body: {e}")))?;
    let Value::Object(properties) = value else {
        return Err(invalid("a form body must be an object".into()));
    };
    let mut form = Query::new();
    let mut add = |name: &str, value: &Value| match value {
        Value::Object(_) | Value::Array(_) => form.add(name, Style::Form, &Json(value)),
        _ => form.add(name, Style::Form, value),
    };
    for (name, value) in &properties {
        match value {
            Value::Array(items) => items.iter().for_each(|item| add(name, item)),
            _ => add(name, value),
        }
    }
    // A form writes a space as `+` (a `+` itself went out as `%2B`).
    Ok(form.0.replace("%20", "+"))
}

/// `request` with `value` as its form body ([`form_text`]).
pub fn form<T: Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    value: &T,
) -> Result<reqwest::RequestBuilder, Error> {
    let text = form_text(value)?;
    Ok(request
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(text))
}

/// A header parameter's value (style `simple`, as `how` explodes it);
/// `None` when `value` is `None` or empty.
///
/// ```
/// use codegen_runtime::{client::encode::styled_header, Style};
/// let v = styled_header("X-Ids", Style::Simple, &[1, 2]).unwrap().unwrap();
/// assert_eq!(v, "1,2");
/// ```
pub fn styled_header<T: Serialize + ?Sized>(
    name: &str,
    how: impl Into<Styled>,
    value: &T,
) -> Result<Option<HeaderValue>, Error> {
    header_param(name, how.into().explode, value)
}

/// [`styled_header`] with `explode` alone.
fn header_param<T: Serialize + ?Sized>(
    name: &str,
    explode: bool,
    value: &T,
) -> Result<Option<HeaderValue>, Error> {
    let text = match flat::flatten(value) {
        Flat::Absent => return Ok(None),
        Flat::Scalar(s) => s,
        Flat::Items(items) => items.join(","),
        Flat::Pairs(pairs) if explode => pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        Flat::Pairs(pairs) => pair_items(&pairs).collect::<Vec<_>>().join(","),
    };
    header(name, &text).map(Some)
}

/// A request's cookie parameters, sent as one `Cookie` header. Values are
/// percent-encoded (`form` style); an exploded list or object is one
/// cookie per item or property (the `; `-separated form 3.2 names
/// `style: cookie`, since `&` means nothing in a `Cookie` header).
#[derive(Debug, Default)]
pub struct Cookies(String);

impl Cookies {
    /// No cookies yet.
    pub fn new() -> Self {
        Cookies(String::new())
    }

    fn cookie(&mut self, name: &str, style: Style, value: impl FnOnce(&mut String)) {
        if !self.0.is_empty() {
            self.0.push_str("; ");
        }
        if style == Style::Cookie {
            self.0.push_str(name);
        } else {
            escape(&mut self.0, name, false);
        }
        self.0.push('=');
        value(&mut self.0);
    }

    /// The cookie parameter `name` as `how` writes it (`Form`:
    /// percent-encoded; `Cookie`: as it is); nothing when `value` is
    /// `None`.
    ///
    /// ```
    /// use codegen_runtime::client::encode::Cookies;
    /// use codegen_runtime::Style;
    /// let mut c = Cookies::new();
    /// c.add("session", Style::Form.unexploded(), "a b");
    /// c.add("raw", Style::Cookie.unexploded(), "a%20b");
    /// assert_eq!(c.value().unwrap(), "session=a%20b; raw=a%20b");
    /// ```
    pub fn add<T: Serialize + ?Sized>(&mut self, name: &str, how: impl Into<Styled>, value: &T) {
        let how = how.into();
        self.param(name, how.style, how.explode, value);
    }

    /// [`Cookies::add`] with the style's parts apart.
    fn param<T: Serialize + ?Sized>(&mut self, name: &str, style: Style, explode: bool, value: &T) {
        let write = |out: &mut String, text: &str| {
            if style == Style::Cookie {
                out.push_str(text);
            } else {
                escape(out, text, false);
            }
        };
        match flat::flatten(value) {
            Flat::Absent => {}
            Flat::Scalar(s) => self.cookie(name, style, |out| write(out, &s)),
            Flat::Items(items) if explode => {
                for item in &items {
                    self.cookie(name, style, |out| write(out, item));
                }
            }
            Flat::Items(items) => self.cookie(name, style, |out| {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(out, item);
                }
            }),
            Flat::Pairs(pairs) if explode => {
                for (k, v) in &pairs {
                    self.cookie(k, style, |out| write(out, v));
                }
            }
            Flat::Pairs(pairs) => self.cookie(name, style, |out| {
                for (i, item) in pair_items(&pairs).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(out, item);
                }
            }),
        }
    }

    /// The `Cookie` header's value, when there is any cookie.
    pub fn value(self) -> Option<HeaderValue> {
        (!self.0.is_empty())
            .then(|| HeaderValue::from_str(&self.0).ok())
            .flatten()
    }
}

/// A header value, or an [`ErrorKind::InvalidRequest`] naming the header.
pub fn header(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        ErrorKind::InvalidRequest(format!(
            "header `{name}` holds characters a header cannot carry"
        ))
        .into()
    })
}

/// A streamed body of this media type. A body built from bytes can be sent
/// again when the call is retried; one built from a stream is sent once.
pub fn body(
    request: reqwest::RequestBuilder,
    media_type: &str,
    body: crate::ByteStream,
) -> reqwest::RequestBuilder {
    let request = request.header(reqwest::header::CONTENT_TYPE, media_type);
    match body.into_bytes() {
        Ok(bytes) => request.body(bytes),
        Err(stream) => request.body(reqwest::Body::wrap_stream(stream)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The OpenAPI specification's "Style Examples" (3.2), per style:
    /// string, array, object (`R`, `G`, `B` in property order).
    #[test]
    fn the_style_table() {
        #[derive(serde::Serialize)]
        struct Color {
            #[serde(rename = "R")]
            r: u8,
            #[serde(rename = "G")]
            g: u8,
            #[serde(rename = "B")]
            b: u8,
        }
        let color = Color {
            r: 100,
            g: 200,
            b: 150,
        };
        let list = ["blue", "black", "brown"];
        let path = |style, explode| {
            [
                path_param(style, explode, "color", ""),
                path_param(style, explode, "color", "blue"),
                path_param(style, explode, "color", &list),
                path_param(style, explode, "color", &color),
            ]
        };
        assert_eq!(
            path(Style::Matrix, false),
            [
                ";color",
                ";color=blue",
                ";color=blue,black,brown",
                ";color=R,100,G,200,B,150"
            ]
        );
        assert_eq!(
            path(Style::Matrix, true),
            [
                ";color",
                ";color=blue",
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150"
            ]
        );
        assert_eq!(
            path(Style::Label, false),
            [".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"]
        );
        assert_eq!(
            path(Style::Label, true),
            [".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"]
        );
        assert_eq!(
            path(Style::Simple, false),
            ["", "blue", "blue,black,brown", "R,100,G,200,B,150"]
        );
        assert_eq!(
            path(Style::Simple, true),
            ["", "blue", "blue,black,brown", "R=100,G=200,B=150"]
        );
        // One query string per value: `Query::param` is generic, so each
        // column gets its own call.
        fn one<T: Serialize + ?Sized>(style: Style, explode: bool, value: &T) -> String {
            let mut q = Query::new();
            q.param("color", style, explode, false, value);
            q.after("")
        }
        let q = |style, explode| {
            [
                one(style, explode, ""),
                one(style, explode, "blue"),
                one(style, explode, &list),
                one(style, explode, &color),
            ]
        };
        assert_eq!(
            q(Style::Form, false),
            [
                "?color=",
                "?color=blue",
                "?color=blue,black,brown",
                "?color=R,100,G,200,B,150"
            ]
        );
        assert_eq!(
            q(Style::Form, true),
            [
                "?color=",
                "?color=blue",
                "?color=blue&color=black&color=brown",
                "?R=100&G=200&B=150"
            ]
        );
        assert_eq!(
            q(Style::SpaceDelimited, false)[2..],
            [
                "?color=blue%20black%20brown",
                "?color=R%20100%20G%20200%20B%20150"
            ]
        );
        assert_eq!(
            q(Style::PipeDelimited, false)[2..],
            [
                "?color=blue%7Cblack%7Cbrown",
                "?color=R%7C100%7CG%7C200%7CB%7C150"
            ]
        );
        assert_eq!(
            q(Style::DeepObject, true)[3],
            "?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
        );
    }

    #[test]
    fn reserved_characters_pass_only_when_allowed() {
        let mut q = Query::new();
        q.param("u", Style::Form, true, true, "a/b?c=d&e%20f#");
        q.param("v", Style::Form, true, false, "a/b");
        assert_eq!(q.after("/"), "/?u=a/b?c%3Dd%26e%20f%23&v=a%2Fb");
        assert!(header("x", "a\nb").is_err());
        assert_eq!(header_param("x", true, &None::<u8>).unwrap(), None);
    }

    proptest! {
        #[test]
        fn path_encoding_round_trips(value in ".*") {
            let encoded = path(&value);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            let decoded = crate_decode(&encoded);
            prop_assert_eq!(decoded, value);
        }
    }

    fn crate_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
