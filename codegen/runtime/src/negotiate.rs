//! Content negotiation: the `Accept` header (RFC 9110 §12.5.1), read and
//! matched against the media types an operation documents.

/// A request's `Accept` header: media ranges with their weights. No
/// header accepts anything.
///
/// ```
/// # use codegen_runtime::Accept;
/// let accept = Accept::parse(Some("text/csv;q=0.5, application/*"));
/// assert_eq!(accept.choose(&["text/csv", "application/json"]), Some("application/json"));
/// assert_eq!(accept.choose(&["image/png"]), None);
/// assert_eq!(Accept::parse(None).choose(&["image/png"]), Some("image/png"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accept {
    /// (type, subtype, weight in thousandths); empty: anything.
    ranges: Vec<(String, String, u16)>,
}

impl Accept {
    /// The ranges of a header's value; a range that does not parse is
    /// skipped, and a header of nothing but such ranges accepts anything.
    pub fn parse(header: Option<&str>) -> Self {
        let ranges = header
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut params = part.split(';');
                let range = params.next()?.trim().to_ascii_lowercase();
                let (ty, sub) = range.split_once('/')?;
                if ty.is_empty() || sub.is_empty() || (ty == "*" && sub != "*") {
                    return None;
                }
                let weight = params
                    .filter_map(|p| p.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                    .map_or(Some(1000), |(_, v)| weight(v.trim()))?;
                Some((ty.trim().to_string(), sub.trim().to_string(), weight))
            })
            .collect();
        Accept { ranges }
    }

    /// The weight (0 to 1000) this header gives `media_type`: that of the
    /// most specific range matching it, 0 when none does.
    pub fn weight(&self, media_type: &str) -> u16 {
        if self.ranges.is_empty() {
            return 1000;
        }
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let (ty, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        self.ranges
            .iter()
            .filter_map(|(rt, rs, w)| {
                let specificity = match (rt.as_str(), rs.as_str()) {
                    ("*", "*") => 0,
                    (t, "*") if t == ty => 1,
                    (t, s) if t == ty && s == sub => 2,
                    _ => return None,
                };
                Some((specificity, *w))
            })
            .max_by_key(|(specificity, _)| *specificity)
            .map_or(0, |(_, w)| w)
    }

    /// Whether `media_type` is acceptable at all.
    pub fn allows(&self, media_type: &str) -> bool {
        self.weight(media_type) > 0
    }

    /// Of `offered` (the server's preference first), the media type this
    /// header weighs most; ties go to the earlier one. `None`: nothing
    /// offered is acceptable (a `406`).
    pub fn choose<'m>(&self, offered: &[&'m str]) -> Option<&'m str> {
        let mut best: Option<(&'m str, u16)> = None;
        for m in offered {
            let w = self.weight(m);
            if w > 0 && best.is_none_or(|(_, b)| w > b) {
                best = Some((m, w));
            }
        }
        best.map(|(m, _)| m)
    }
}

/// A `q` value as thousandths: `0` to `1` with at most three decimals.
fn weight(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(frac),
        "1" if frac == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_most_specific_range_gives_the_weight() {
        let a = Accept::parse(Some(
            "text/*;q=0.3, text/html;q=0.7, text/html;level=1, */*;q=0.5",
        ));
        assert_eq!(a.weight("text/html"), 1000);
        assert_eq!(a.weight("text/plain"), 300);
        assert_eq!(a.weight("image/jpeg"), 500);
        assert_eq!(a.weight("TEXT/PLAIN; charset=utf-8"), 300);
    }

    #[test]
    fn q_zero_refuses_and_ties_go_to_the_server() {
        let a = Accept::parse(Some("application/json;q=0, */*"));
        assert!(!a.allows("application/json"));
        assert_eq!(
            a.choose(&["application/json", "text/csv"]),
            Some("text/csv")
        );
        let a = Accept::parse(Some("text/csv, application/json"));
        assert_eq!(
            a.choose(&["application/json", "text/csv"]),
            Some("application/json")
        );
        assert_eq!(
            Accept::parse(Some("image/png")).choose(&["application/json"]),
            None
        );
    }

    #[test]
    fn bad_ranges_are_skipped() {
        let a = Accept::parse(Some("garbage, */json, text/csv;q=2, text/plain;q=0.25"));
        assert_eq!(a.weight("text/plain"), 250);
        assert_eq!(a.weight("text/csv"), 0);
        assert_eq!(Accept::parse(Some("garbage")), Accept::default());
        assert!(Accept::parse(Some("")).allows("anything/at-all"));
    }

    proptest! {
        #[test]
        fn any_header_parses_without_panicking(header in ".{0,80}", media in "[a-z*]{1,8}/[a-z*+.-]{1,12}") {
            let a = Accept::parse(Some(&header));
            let w = a.weight(&media);
            prop_assert!(w <= 1000);
        }
    }
}
