//! Parameter styles read back: the text a style wrote, split into the
//! scalar, items or properties it holds. Delimiters are recognized after
//! percent-decoding (clients differ in whether they encode `,`), so an
//! item cannot itself hold its style's delimiter.

use std::borrow::Cow;

use super::path::Segment;
use crate::Style;

/// Where a parameter is and how it is written.
#[derive(Clone, Copy, Debug)]
pub struct Param<'a> {
    pub(crate) name: &'a str,
    pub(crate) at: At<'a>,
    pub(crate) style: Style,
    pub(crate) explode: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum At<'a> {
    /// Where in the URL (see [`super::path::split_segment`]).
    Path(Segment<'a>),
    Query,
    Header,
    Cookie,
}

impl<'a> Param<'a> {
    /// A path parameter, at `at` in the URL, not exploded.
    pub const fn path(name: &'a str, at: Segment<'a>, style: Style) -> Self {
        Param {
            name,
            at: At::Path(at),
            style,
            explode: false,
        }
    }

    /// A query parameter, not exploded.
    pub const fn query(name: &'a str, style: Style) -> Self {
        Param {
            name,
            at: At::Query,
            style,
            explode: false,
        }
    }

    /// A header parameter (`simple` style), not exploded.
    pub const fn header(name: &'a str) -> Self {
        Param {
            name,
            at: At::Header,
            style: Style::Simple,
            explode: false,
        }
    }

    /// A cookie parameter (`form` or `cookie` style), not exploded.
    pub const fn cookie(name: &'a str, style: Style) -> Self {
        Param {
            name,
            at: At::Cookie,
            style,
            explode: false,
        }
    }

    /// The same parameter, exploded (`explode: true`: a list's items, or
    /// an object's properties, each written as a value of its own).
    pub const fn exploded(mut self) -> Self {
        self.explode = true;
        self
    }

    /// How violations name it: `query.color`.
    pub fn field(&self) -> String {
        let place = match self.at {
            At::Path(_) => "path",
            At::Query => "query",
            At::Header => "header",
            At::Cookie => "cookie",
        };
        format!("{place}.{}", self.name)
    }
}

/// Which `name=value` pairs of a query string (or cookies) belong to an
/// exploded `form` object, whose properties stand as parameters of their own.
#[derive(Clone, Copy, Debug)]
pub enum Keys<'a> {
    /// The object's properties.
    Only(&'a [&'a str]),
    /// Any name but the operation's other parameters (an object with
    /// additional properties).
    Except(&'a [&'a str]),
}

impl Keys<'_> {
    fn admits(&self, key: &str) -> bool {
        match self {
            Keys::Only(keys) => keys.contains(&key),
            Keys::Except(keys) => !keys.contains(&key),
        }
    }
}

/// What a parameter is expected to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Scalar,
    Items,
    Pairs,
}

/// What a style's text held.
#[derive(Debug, PartialEq)]
pub(crate) enum Found<'r> {
    Scalar(Cow<'r, str>),
    Items(Vec<Cow<'r, str>>),
    Pairs(Vec<(Cow<'r, str>, Cow<'r, str>)>),
}

fn split<'r>(text: Cow<'r, str>, delimiter: char) -> Vec<Cow<'r, str>> {
    if text.is_empty() {
        return Vec::new();
    }
    match text {
        Cow::Borrowed(t) => t.split(delimiter).map(Cow::Borrowed).collect(),
        Cow::Owned(t) => t
            .split(delimiter)
            .map(|s| Cow::Owned(s.to_string()))
            .collect(),
    }
}

/// `k,v,k,v` as pairs; `None` when the count is odd.
fn chunks(items: Vec<Cow<'_, str>>) -> Option<Vec<(Cow<'_, str>, Cow<'_, str>)>> {
    if items.len() % 2 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(items.len() / 2);
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        out.push((k, v));
    }
    Some(out)
}

/// `k=v` items as pairs; `None` when one has no `=`.
fn assignments(items: Vec<Cow<'_, str>>) -> Option<Vec<(Cow<'_, str>, Cow<'_, str>)>> {
    items
        .into_iter()
        .map(|item| {
            let (k, v) = item.split_once('=')?;
            Some((Cow::Owned(k.to_string()), Cow::Owned(v.to_string())))
        })
        .collect()
}

/// A path segment's (or a header's) decoded text in `style` (`simple`,
/// `label` or `matrix`), read as `shape`; `None`: not written in that style.
pub(crate) fn unpath<'r>(
    text: &'r str,
    style: Style,
    explode: bool,
    name: &str,
    shape: Shape,
) -> Option<Found<'r>> {
    let text: &'r str = match style {
        Style::Label => text.strip_prefix('.')?,
        Style::Matrix => text.strip_prefix(';')?,
        _ => text,
    };
    // `;color=a,b` (and `;color` for empty); exploded lists `;color=a;color=b`;
    // exploded objects `;R=100;G=200`.
    let matrix_value = |t: &'r str| -> Option<&'r str> {
        let rest = t.strip_prefix(name)?;
        if rest.is_empty() {
            Some("")
        } else {
            rest.strip_prefix('=')
        }
    };
    let separator = match (style, explode) {
        (Style::Label, true) => '.',
        (Style::Matrix, true) => ';',
        _ => ',',
    };
    Some(match (shape, style, explode) {
        (Shape::Scalar, Style::Matrix, _) => Found::Scalar(Cow::Borrowed(matrix_value(text)?)),
        (Shape::Scalar, ..) => Found::Scalar(Cow::Borrowed(text)),
        (Shape::Items, Style::Matrix, true) if text.is_empty() => Found::Items(Vec::new()),
        (Shape::Items, Style::Matrix, true) => Found::Items(
            text.split(';')
                .map(|item| matrix_value(item).map(Cow::Borrowed))
                .collect::<Option<_>>()?,
        ),
        (Shape::Items, Style::Matrix, false) => {
            Found::Items(split(Cow::Borrowed(matrix_value(text)?), ','))
        }
        (Shape::Items, ..) => Found::Items(split(Cow::Borrowed(text), separator)),
        (Shape::Pairs, Style::Matrix, false) => {
            Found::Pairs(chunks(split(Cow::Borrowed(matrix_value(text)?), ','))?)
        }
        (Shape::Pairs, _, true) => {
            Found::Pairs(assignments(split(Cow::Borrowed(text), separator))?)
        }
        (Shape::Pairs, _, false) => Found::Pairs(chunks(split(Cow::Borrowed(text), ','))?),
    })
}

/// A query parameter (or cookie) among decoded `pairs`, in `style`, read
/// as `shape`; `None` when absent; `Some(None)` when not in that style.
pub(crate) fn unquery<'r>(
    pairs: &[(Cow<'r, str>, Cow<'r, str>)],
    name: &str,
    style: Style,
    explode: bool,
    shape: Shape,
    keys: Keys<'_>,
) -> Option<Option<Found<'r>>> {
    let values = || {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    match (shape, style, explode) {
        (Shape::Scalar, ..) => values().next().map(|v| Some(Found::Scalar(v))),
        (Shape::Items, _, true) => {
            let items: Vec<_> = values().collect();
            (!items.is_empty()).then_some(Some(Found::Items(items)))
        }
        (Shape::Items, _, false) => {
            let mut found = values().peekable();
            found.peek()?;
            let items = found.flat_map(|v| split(v, style.delimiter())).collect();
            Some(Some(Found::Items(items)))
        }
        (Shape::Pairs, Style::DeepObject, _) => {
            let found: Vec<_> = pairs
                .iter()
                .filter_map(|(k, v)| {
                    let key = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
                    Some((Cow::Owned(key.to_string()), v.clone()))
                })
                .collect();
            (!found.is_empty()).then_some(Some(Found::Pairs(found)))
        }
        (Shape::Pairs, _, true) => {
            let found: Vec<_> = pairs
                .iter()
                .filter(|(k, _)| keys.admits(k))
                .cloned()
                .collect();
            (!found.is_empty()).then_some(Some(Found::Pairs(found)))
        }
        (Shape::Pairs, _, false) => {
            let value = values().next()?;
            Some(chunks(split(value, style.delimiter())).map(Found::Pairs))
        }
    }
}

/// The cookies of `Cookie` headers as `name=value` pairs: percent-decoded
/// (`form` style), or as they are (`cookie` style).
pub(crate) fn cookies(
    headers: &http::HeaderMap,
    style: Style,
) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            Some(if style == Style::Cookie {
                (Cow::Borrowed(k), Cow::Borrowed(v))
            } else {
                (super::query::form_decode(k), super::query::form_decode(v))
            })
        })
        .collect()
}

/// An object parameter's properties as `T`, each value parsed from its
/// text as a form field is (`100` for an integer property).
pub(crate) fn object<T: serde::de::DeserializeOwned>(
    pairs: &[(Cow<'_, str>, Cow<'_, str>)],
) -> Result<T, String> {
    let form = serde_urlencoded::to_string(pairs).map_err(|e| e.to_string())?;
    serde_urlencoded::from_str(&form).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn items(found: Option<Found<'_>>) -> Vec<String> {
        match found {
            Some(Found::Items(i)) => i.into_iter().map(Cow::into_owned).collect(),
            other => panic!("not items: {other:?}"),
        }
    }

    fn pairs(found: Option<Found<'_>>) -> Vec<(String, String)> {
        match found {
            Some(Found::Pairs(p)) => p
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            other => panic!("not pairs: {other:?}"),
        }
    }

    #[test]
    fn path_styles_read_the_spec_table() {
        let color =
            [("R", "100"), ("G", "200"), ("B", "150")].map(|(k, v)| (k.to_string(), v.to_string()));
        let list = ["blue", "black", "brown"];
        for (style, explode, scalar, array, object) in [
            (
                Style::Matrix,
                false,
                ";color=blue",
                ";color=blue,black,brown",
                ";color=R,100,G,200,B,150",
            ),
            (
                Style::Matrix,
                true,
                ";color=blue",
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150",
            ),
            (
                Style::Label,
                false,
                ".blue",
                ".blue,black,brown",
                ".R,100,G,200,B,150",
            ),
            (
                Style::Label,
                true,
                ".blue",
                ".blue.black.brown",
                ".R=100.G=200.B=150",
            ),
            (
                Style::Simple,
                false,
                "blue",
                "blue,black,brown",
                "R,100,G,200,B,150",
            ),
            (
                Style::Simple,
                true,
                "blue",
                "blue,black,brown",
                "R=100,G=200,B=150",
            ),
        ] {
            assert_eq!(
                unpath(scalar, style, explode, "color", Shape::Scalar),
                Some(Found::Scalar("blue".into()))
            );
            assert_eq!(
                items(unpath(array, style, explode, "color", Shape::Items)),
                list
            );
            assert_eq!(
                pairs(unpath(object, style, explode, "color", Shape::Pairs)),
                color
            );
        }
        assert_eq!(
            unpath(";color", Style::Matrix, false, "color", Shape::Scalar),
            Some(Found::Scalar("".into()))
        );
        assert_eq!(
            unpath("blue", Style::Label, false, "color", Shape::Scalar),
            None
        );
        assert_eq!(
            unpath("R,100,G", Style::Simple, false, "color", Shape::Pairs),
            None
        );
    }

    #[test]
    fn query_styles_read_decoded_pairs() {
        let q = super::super::query::pairs(Some(
            "color=blue%20black&tag=a&tag=b&ids=1%7C2&c%5BR%5D=100&c[G]=200&R=1&x=a,b,c&o=R,1,G,2",
        ));
        let keys = Keys::Only(&["R", "G"]);
        let get =
            |name, style, explode, shape| unquery(&q, name, style, explode, shape, keys).flatten();
        assert_eq!(
            items(get("color", Style::SpaceDelimited, false, Shape::Items)),
            ["blue", "black"]
        );
        assert_eq!(
            items(get("tag", Style::Form, true, Shape::Items)),
            ["a", "b"]
        );
        assert_eq!(
            items(get("ids", Style::PipeDelimited, false, Shape::Items)),
            ["1", "2"]
        );
        assert_eq!(
            pairs(get("c", Style::DeepObject, true, Shape::Pairs)).len(),
            2
        );
        assert_eq!(
            pairs(get("any", Style::Form, true, Shape::Pairs)),
            [("R".to_string(), "1".to_string())]
        );
        assert_eq!(pairs(get("o", Style::Form, false, Shape::Pairs)).len(), 2);
        assert_eq!(
            unquery(&q, "none", Style::Form, true, Shape::Items, keys),
            None
        );
        assert_eq!(
            unquery(&q, "x", Style::Form, false, Shape::Pairs, keys),
            Some(None)
        );
    }

    #[test]
    fn objects_parse_their_properties() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Color {
            #[serde(rename = "R")]
            r: u8,
            #[serde(rename = "G")]
            g: Option<u8>,
        }
        let p = [(Cow::Borrowed("R"), Cow::Borrowed("100"))];
        assert_eq!(object::<Color>(&p), Ok(Color { r: 100, g: None }));
        let bad = [(Cow::Borrowed("R"), Cow::Borrowed("x"))];
        assert!(object::<Color>(&bad).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(text in ".*", explode: bool, s in 0usize..3, st in 0usize..3) {
            let style = [Style::Simple, Style::Label, Style::Matrix][st];
            let shape = [Shape::Scalar, Shape::Items, Shape::Pairs][s];
            let _ = unpath(&text, style, explode, "color", shape);
            let q = super::super::query::pairs(Some(&text));
            let _ = unquery(&q, "color", Style::DeepObject, explode, shape, Keys::Except(&[]));
        }

        #[test]
        fn label_lists_round_trip(items in proptest::collection::vec("[a-z0-9]{1,5}", 0..5)) {
            let text = format!(".{}", items.join("."));
            let found = unpath(&text, Style::Label, true, "x", Shape::Items);
            prop_assert_eq!(found, Some(Found::Items(items.iter().map(|i| Cow::Borrowed(i.as_str())).collect())));
        }
    }
}
