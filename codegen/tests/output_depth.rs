//! No generated expression nests deeper as a document grows: every parser
//! that reads the output (syn, prettyplease, rustc) recurses once per
//! level, and a document of a thousand operations on one route (AWS's
//! query APIs put them all on `/`, told apart by `Action`) overflowed
//! their stacks when the router nested one `if`/`else` per operation.

use proc_macro2::{TokenStream, TokenTree};

/// A spec of `n` operations on `/`, told apart by a one-value `Action`
/// query parameter, and `n` more by a one-value `X-Amz-Target` header.
fn told_apart(n: usize) -> String {
    let mut paths = String::new();
    for i in 0..n {
        paths.push_str(&format!(
            "  /#Action=Do{i}:\n    get:\n      operationId: Do{i}\n      parameters:\n        - {{name: Action, in: query, required: true, schema: {{type: string, enum: [Do{i}]}}}}\n      responses:\n        '204': {{description: Done.}}\n"
        ));
        paths.push_str(&format!(
            "  /#X-Amz-Target=Svc.Call{i}:\n    post:\n      operationId: Call{i}\n      parameters:\n        - {{name: X-Amz-Target, in: header, required: true, schema: {{type: string, enum: [Svc.Call{i}]}}}}\n      responses:\n        '204': {{description: Done.}}\n"
        ));
    }
    format!("openapi: 3.0.3\ninfo: {{title: Told, version: '1'}}\npaths:\n{paths}")
}

fn depth(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => 1 + depth(g.stream()),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

fn generated_depth(n: usize) -> usize {
    let path = std::path::Path::new("told.yaml");
    let settings = codegen::Settings::new();
    let loaded = codegen::stages::load(path, told_apart(n)).expect("loads");
    let lowered = codegen::stages::lower(&loaded, "told", &settings).expect("lowers");
    depth(codegen::stages::emit(&lowered, &settings))
}

#[test]
fn operations_told_apart_on_one_route_do_not_nest_the_router() {
    let (few, many) = (generated_depth(3), generated_depth(60));
    assert_eq!(
        few, many,
        "nesting grew from {few} to {many} levels with the operations"
    );
}
