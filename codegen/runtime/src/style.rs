//! The serialization styles of the OpenAPI Parameter Object, shared by the
//! client's encoders and the server's decoders.

/// How a parameter's value is written (the Parameter Object's `style`).
///
/// Which styles a location allows, and their default, is the spec's:
/// path `simple` (or `label`, `matrix`), query `form` (or
/// `spaceDelimited`, `pipeDelimited`, `deepObject`), header `simple`,
/// cookie `form` (or `cookie`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `blue`, `blue,black`, `R,100,G,200` (`R=100,G=200` exploded).
    Simple,
    /// `.blue`, `.blue,black` (`.blue.black` exploded).
    Label,
    /// `;color=blue`, `;color=blue,black` (`;color=blue;color=black` exploded).
    Matrix,
    /// `color=blue`, `color=blue,black` (`color=blue&color=black` exploded).
    Form,
    /// `color=blue%20black`.
    SpaceDelimited,
    /// `color=blue%7Cblack`.
    PipeDelimited,
    /// `color%5BR%5D=100&color%5BG%5D=200`.
    DeepObject,
    /// `color=blue` as a cookie, with nothing percent-encoded (OpenAPI
    /// 3.2 `cookie`; values that need escaping come escaped).
    Cookie,
}

/// A parameter's whole serialization rule: its [`Style`] with `explode`
/// and `allowReserved`. A bare `Style` converts with OpenAPI's defaults
/// (`explode` for `form` and `cookie` only; reserved characters
/// percent-encoded), so generated calls spell only what differs:
///
/// ```
/// use codegen_runtime::{Style, Styled};
/// let plain: Styled = Style::Form.into();
/// assert!(plain.explode && !plain.allow_reserved);
/// let csv = Style::Form.unexploded();
/// assert!(!csv.explode);
/// let raw = Style::Form.allowing_reserved();
/// assert!(raw.explode && raw.allow_reserved);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Styled {
    /// The style.
    pub style: Style,
    /// Lists and objects as one name=value per item (`explode: true`).
    pub explode: bool,
    /// Reserved characters sent as they are (`allowReserved: true`).
    pub allow_reserved: bool,
}

impl From<Style> for Styled {
    fn from(style: Style) -> Self {
        Styled {
            style,
            explode: matches!(style, Style::Form | Style::Cookie),
            allow_reserved: false,
        }
    }
}

impl Styled {
    /// With `explode: true`.
    pub fn exploded(self) -> Styled {
        Styled {
            explode: true,
            ..self
        }
    }

    /// With `explode: false`.
    pub fn unexploded(self) -> Styled {
        Styled {
            explode: false,
            ..self
        }
    }

    /// With `allowReserved: true`.
    pub fn allowing_reserved(self) -> Styled {
        Styled {
            allow_reserved: true,
            ..self
        }
    }
}

impl Style {
    /// This style with `explode: true`.
    pub fn exploded(self) -> Styled {
        Styled::from(self).exploded()
    }

    /// This style with `explode: false`.
    pub fn unexploded(self) -> Styled {
        Styled::from(self).unexploded()
    }

    /// This style with `allowReserved: true`.
    pub fn allowing_reserved(self) -> Styled {
        Styled::from(self).allowing_reserved()
    }

    /// The delimiter between items of a list that is not exploded.
    #[cfg(any(feature = "client", feature = "server"))]
    pub(crate) fn delimiter(self) -> char {
        match self {
            Style::SpaceDelimited => ' ',
            Style::PipeDelimited => '|',
            _ => ',',
        }
    }
}

#[cfg(feature = "client")]
/// Whether `byte` is an RFC 3986 unreserved character, which no style
/// percent-encodes.
pub(crate) fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}
