//! The repair policy: mistakes real documents commonly make, whose intent is
//! clear, are generated as that intent with a located warning carrying the
//! repair's own code. The strict policy (`--strict`) turns each into an error.
//!
//! Constructs that are valid OpenAPI but loose (no `operationId`, `properties`
//! without `type`, enum values equal up to case, an `array` without `items`
//! in 3.1) are not repairs: they are read as the specification says, without
//! a warning.

use std::fmt;

/// One kind of repair. Each has a stable code (`R0001`...), a row in the book's repairs table (docs/src/formats.md) and
/// a fixture (`tests/fixtures/formats/lenient-repairs.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repair {
    /// A path parameter not marked `required: true` is required.
    PathParameterRequired,
    /// Two operations share an operationId: the later one gets a distinct
    /// Rust name; the wire is unchanged.
    DuplicateOperationId,
    /// A path template names a parameter nobody declares: it becomes a
    /// required string parameter.
    UndeclaredPathParameter,
    /// A path parameter the template does not hold is dropped.
    PathParameterNotInTemplate,
    /// A `$ref` whose target does not exist: the schema is any JSON value; a
    /// parameter, body, response or header is left out.
    DanglingRef,
    /// A `type` OpenAPI does not define (`file`, `int`...): any JSON value.
    UnknownType,
    /// An `array` without `items` (required by 2.0 and 3.0): items are any JSON value.
    ArrayWithoutItems,
    /// A `format` outside the OpenAPI Format Registry: the plain type.
    UnknownFormat,
    /// A `default` that its own schema rejects is ignored.
    DefaultMismatch,
    /// `allOf` of parts that are not all objects: any JSON value.
    AllOfNotObjects,
    /// A required security scheme that is never defined: kept, satisfied by
    /// nothing (the server answers 401 where it is the only way in).
    UndefinedSecurityScheme,
    /// A value of the wrong type (`0` where a string is due, `"true"` for a
    /// boolean, `"10"` for a length, one value where a list is due) is
    /// converted; one that cannot be is ignored.
    OffTypeValue,
    /// A boolean schema (`true`, `false`) in a Swagger 2.0 or OpenAPI 3.0
    /// document, where only 3.1 allows them: any JSON value.
    BooleanSchema,
    /// JSON Schema draft 4 forms in a Swagger 2.0 or OpenAPI 3.0 document:
    /// `type` as a list (a union, `null` making it nullable), `items` as a
    /// list (a tuple).
    Draft4Form,
    /// A `$ref` standing for a whole map (`properties: {$ref: ...}`): the
    /// map it points at is copied in.
    RefStandsForMap,
    /// A node the document model still cannot read after every other
    /// repair: a schema becomes any JSON value, anything else is left out.
    NotUnderstood,
    /// Content documented for a status that carries none (RFC 9110: 1xx,
    /// 204, 205, 304): the answer is generated without a body.
    ContentOnBodilessStatus,
}

impl Repair {
    /// Every repair, in code order (the book's table follows it).
    pub const ALL: [Repair; 17] = [
        Repair::PathParameterRequired,
        Repair::DuplicateOperationId,
        Repair::UndeclaredPathParameter,
        Repair::PathParameterNotInTemplate,
        Repair::DanglingRef,
        Repair::UnknownType,
        Repair::ArrayWithoutItems,
        Repair::UnknownFormat,
        Repair::DefaultMismatch,
        Repair::AllOfNotObjects,
        Repair::UndefinedSecurityScheme,
        Repair::OffTypeValue,
        Repair::BooleanSchema,
        Repair::Draft4Form,
        Repair::RefStandsForMap,
        Repair::NotUnderstood,
        Repair::ContentOnBodilessStatus,
    ];

    /// The stable code printed with the warning.
    pub fn code(self) -> &'static str {
        match self {
            Repair::PathParameterRequired => "R0001",
            Repair::DuplicateOperationId => "R0002",
            Repair::UndeclaredPathParameter => "R0003",
            Repair::PathParameterNotInTemplate => "R0004",
            Repair::DanglingRef => "R0005",
            Repair::UnknownType => "R0006",
            Repair::ArrayWithoutItems => "R0007",
            Repair::UnknownFormat => "R0008",
            Repair::DefaultMismatch => "R0009",
            Repair::AllOfNotObjects => "R0010",
            Repair::UndefinedSecurityScheme => "R0011",
            Repair::OffTypeValue => "R0012",
            Repair::BooleanSchema => "R0013",
            Repair::Draft4Form => "R0014",
            Repair::RefStandsForMap => "R0015",
            Repair::NotUnderstood => "R0016",
            Repair::ContentOnBodilessStatus => "R0017",
        }
    }

    /// What to change in the spec to silence the warning.
    pub fn hint(self) -> &'static str {
        match self {
            Repair::PathParameterRequired => "add `required: true`: path parameters are always required",
            Repair::DuplicateOperationId => "operationIds must be unique across the document; rename one",
            Repair::UndeclaredPathParameter => "declare the parameter (`in: path`, `required: true`) with its schema",
            Repair::PathParameterNotInTemplate => "remove the parameter, or add `{name}` to the path template",
            Repair::DanglingRef => "define the target, or fix the reference's spelling",
            Repair::UnknownType => "use one of string, number, integer, boolean, array, object (and `format: binary` for files)",
            Repair::ArrayWithoutItems => "add `items` with the items' schema",
            Repair::UnknownFormat => "formats the OpenAPI Format Registry lists are understood; others are only documented",
            Repair::DefaultMismatch => "make the default a value of the schema's type, or remove it",
            Repair::AllOfNotObjects => "compose objects with allOf, or use oneOf/anyOf for alternatives",
            Repair::UndefinedSecurityScheme => "declare the scheme under `components/securitySchemes`",
            Repair::OffTypeValue => "write the value with the type the specification gives the field (a string in quotes, a boolean, a number, a list)",
            Repair::BooleanSchema => "write `{}` for any value; boolean schemas are OpenAPI 3.1",
            Repair::Draft4Form => "use `nullable: true` or `oneOf` for several types, and one schema in `items`; lists there are JSON Schema draft 4, not OpenAPI 2.0/3.0",
            Repair::RefStandsForMap => "reference each entry (`properties: {a: {$ref: ...}}`), or the schema that holds the map (allOf)",
            Repair::NotUnderstood => "compare the node with the OpenAPI specification of the document's version",
            Repair::ContentOnBodilessStatus => "remove the `content`, or document the answer with a status that carries one (200)",
        }
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        let codes: Vec<&str> = Repair::ALL.iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn the_book_has_a_row_for_every_repair() {
        // The table sits under "Repairs" in the book's formats chapter
        // (README.md links to it).
        let chapter = include_str!("../../docs/src/formats.md");
        let (_, from_repairs) = chapter
            .split_once("\n## Repairs\n")
            .expect("docs/src/formats.md has a `## Repairs` section");
        let table = from_repairs.split("\n## ").next().unwrap_or(from_repairs);
        for r in Repair::ALL {
            assert!(
                table.contains(&format!("| `{}` |", r.code())),
                "docs/src/formats.md (\"Repairs\") has no row for {r:?} (`{}`)",
                r.code()
            );
        }
    }
}
