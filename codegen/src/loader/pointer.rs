//! JSON pointers as written in `$ref`s: splitting a reference, decoding
//! its fragment, finding and creating nodes.

use serde_json::{Map, Value};

/// `other.yaml#/a/b` -> (`other.yaml`, `/a/b`), percent-decoded.
/// `None` for fragments that are not JSON pointers (`#anchor`).
pub(crate) fn split_ref(reference: &str) -> Option<(String, String)> {
    let (file, fragment) = match reference.split_once('#') {
        Some((f, frag)) => (f, frag),
        None => (reference, ""),
    };
    let fragment = percent_decode(fragment);
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    Some((percent_decode(file), fragment))
}

/// Decodes `%XX` escapes; malformed escapes are kept as written.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The segments of a pointer, unescaped.
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer[1..]
        .split('/')
        .map(|s| unescape(s).into_owned())
        .collect()
}

/// One pointer segment unescaped (`~1` is `/`, `~0` is `~`), without an
/// allocation when it holds no `~` (most do not).
pub(crate) fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// The node at `pointer`, following local `$ref`s met on the way (a
/// pointer into `#/components/schemas/A/properties/b/items` where `b` is a
/// reference still lands).
pub(crate) fn find<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    find_within(root, pointer, 0)
}

fn find_within<'v>(root: &'v Value, pointer: &str, depth: usize) -> Option<&'v Value> {
    let mut node = root;
    let mut hops = depth;
    for seg in segments(pointer) {
        let next = child(node, &seg);
        node = match next {
            Some(n) => n,
            None => {
                let target = node.get("$ref").and_then(Value::as_str)?;
                hops += 1;
                if hops > 64 || !target.starts_with('#') {
                    return None;
                }
                child(find_within(root, &target[1..], hops)?, &seg)?
            }
        };
    }
    Some(node)
}

fn child<'v>(node: &'v Value, seg: &str) -> Option<&'v Value> {
    match node {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => a.get(seg.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The object at `pointer`, created (with every missing ancestor) if absent.
/// `None` when a node on the way is not an object.
pub(crate) fn ensure_object<'v>(
    root: &'v mut Value,
    pointer: &str,
) -> Option<&'v mut Map<String, Value>> {
    let mut node = root;
    for seg in segments(pointer) {
        node = node
            .as_object_mut()?
            .entry(seg)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    node.as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_and_decodes() {
        assert_eq!(
            split_ref("a%20b.yaml#/paths/~1x%7Bid%7D"),
            Some(("a b.yaml".into(), "/paths/~1x{id}".into()))
        );
        assert_eq!(split_ref("#/a"), Some((String::new(), "/a".into())));
        assert_eq!(split_ref("x.json"), Some(("x.json".into(), String::new())));
        assert_eq!(split_ref("x.json#anchor"), None);
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn find_follows_refs_on_the_way() {
        let doc = json!({"c": {"A": {"properties": {"b": {"$ref": "#/c/B"}}}, "B": {"items": {"type": "string"}}}});
        assert_eq!(
            find(&doc, "/c/A/properties/b/items"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(find(&doc, "/c/A/properties/z"), None);
        let looped = json!({"a": {"$ref": "#/a"}});
        assert_eq!(find(&looped, "/a/x"), None);
        let deeper = json!({"a": {"$ref": "#/a/b"}});
        assert_eq!(find(&deeper, "/a/b"), None);
    }
}
