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

impl Style {
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
