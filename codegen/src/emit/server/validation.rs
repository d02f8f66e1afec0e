//! The spec's constraints as checks, written once whatever the field
//! path: [`Ctx::checks`] serves parameters, bodies and validators.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::ir::{
    ConditionalRequired, Field, IntegerFormat, NumberFormat, OneOfType, StructType, TypeDef,
};

impl Ctx<'_> {
    /// Checks of the spec's constraints on `value` (an expression of a
    /// reference to the value), naming `field` (a `&str` expression) in the
    /// violations pushed to `out` (a `&mut Vec<Violation>` expression).
    /// Items of lists and maps get their own field (`tags[2]`, `labels.x`);
    /// named types call their validator. Empty when nothing needs checking.
    pub(super) fn checks(
        &mut self,
        e: &TypeExpr,
        value: TokenStream,
        field: &TokenStream,
        out: &TokenStream,
    ) -> TokenStream {
        let c = &e.constraints;
        // `value` is a plain binding: used as it is, unless `null` may stand there.
        let nullable = e.nullable && !matches!(e.ty, Ty::Any);
        let v = if nullable {
            quote! { v }
        } else {
            value.clone()
        };
        let inner = match &e.ty {
            Ty::Named(id) => {
                let count = property_count(c, &v, field, out);
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    if count.is_empty() {
                        return quote! {};
                    }
                    count
                } else {
                    self.validators.insert(*id);
                    let f = self.validator_name(*id);
                    quote! { #count #f(#v, #field, #out); }
                }
            }
            Ty::Object => {
                let count = property_count(c, &v, field, out);
                if count.is_empty() {
                    return quote! {};
                }
                count
            }
            // Dates decode into chrono types: their text is checked by decoding.
            Ty::String(StringFormat::DateTime | StringFormat::Date) => return quote! {},
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    let length = runtime::server::checks_length();
                    quote! { #length(#v, #field, #min, #max, #out); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    let pattern = runtime::server::checks_pattern();
                    quote! { #pattern(#v, #field, &#stat, #out); }
                });
                if length.is_none() && pattern.is_none() {
                    return quote! {};
                }
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => {
                let multiple_of = c.multiple_of.filter(|m| *m > 0.0);
                if c.minimum.is_none() && c.maximum.is_none() && multiple_of.is_none() {
                    return quote! {};
                }
                let number = match &e.ty {
                    Ty::Number(NumberFormat::Double) => quote! { *#v },
                    Ty::Number(NumberFormat::Float) | Ty::Integer(IntegerFormat::Int32) => {
                        quote! { f64::from(*#v) }
                    }
                    _ => quote! { *#v as f64 },
                };
                let range = (c.minimum.is_some() || c.maximum.is_some()).then(|| {
                    let (min, max) = (
                        bound(c.minimum, c.exclusive_minimum),
                        bound(c.maximum, c.exclusive_maximum),
                    );
                    let range = runtime::server::checks_range();
                    quote! { #range(#number, #field, #min, #max, #out); }
                });
                let multiple = multiple_of.map(|m| {
                    let multiple = runtime::server::checks_multiple();
                    quote! { #multiple(#number, #field, #m, #out); }
                });
                quote! { #range #multiple }
            }
            Ty::Array(item) => {
                let unique = c.unique_items;
                let count = count(c.min_items, c.max_items, unique);
                let item_checks = self.checks(item, quote! { element }, &quote! { &field }, out);
                let has_limits = c.min_items.is_some() || c.max_items.is_some() || unique;
                if item_checks.is_empty() && !has_limits {
                    return quote! {};
                }
                let limits = has_limits.then(|| {
                    let items = runtime::server::checks_items();
                    quote! { #items(#v, #field, #count, #out); }
                });
                let each = (!item_checks.is_empty()).then(|| {
                    let item_field = runtime::server::checks_item_field();
                    quote! {
                        for (i, element) in #v.iter().enumerate() {
                            let field = #item_field(#field, i);
                            #item_checks
                        }
                    }
                });
                quote! { #limits #each }
            }
            Ty::Map(item) => {
                let count = property_count(c, &v, field, out);
                let item_checks = self.checks(item, quote! { element }, &quote! { &field }, out);
                if item_checks.is_empty() && count.is_empty() {
                    return quote! {};
                }
                let member_field = runtime::server::checks_member_field();
                let each = (!item_checks.is_empty()).then(|| {
                    quote! {
                        for (key, element) in #v.iter() {
                            let field = #member_field(#field, key);
                            #item_checks
                        }
                    }
                });
                quote! { #count #each }
            }
            _ => return quote! {},
        };
        if nullable {
            quote! { if let Some(v) = #value.as_ref() { #inner } }
        } else {
            inner
        }
    }

    /// A named type's validator: its own checks (by kind), then the
    /// keywords the type cannot express, as rules on its JSON.
    pub(super) fn validator(&mut self, id: TypeId) -> TokenStream {
        let name = self.validator_name(id);
        let def = self.api.types.get(id);
        let out = quote! { violations };
        let body = match &def.kind {
            TypeKind::Struct(s) => self.struct_checks(s, &out),
            TypeKind::OneOf(o) => self.one_of_checks(id, o, &out),
            TypeKind::Alias(e) => self.checks(e, quote! { value }, &quote! { at }, &out),
            TypeKind::Enum(e) if def.in_response && !self.chosen_enums.contains(&id) => {
                let values = e.variants.iter().map(|v| &v.value);
                let listed = runtime::server::checks_listed();
                quote! { #listed(value.as_str(), &[#(#values),*], at, #out); }
            }
            TypeKind::Enum(_) => quote! {},
        };
        let ty = self.r.base_ty(&Ty::Named(id));
        let mut extra = Vec::new();
        if endless(id, def) {
            extra.push(quote! { unconditional_recursion, });
        }
        let rules = self.rules_check(id, def, &out);
        if body.is_empty() {
            extra.push(quote! { clippy::ptr_arg, });
        }
        quote! {
            #[allow(#(#extra)* unused_variables, clippy::needless_borrow, clippy::single_match)]
            fn #name(value: &#ty, at: &str, violations: &mut Vec<Violation>) {
                #rules
                #body
            }
        }
    }

    /// The keywords the type cannot express, checked on the value as JSON.
    fn rules_check(&self, id: TypeId, def: &TypeDef, out: &TokenStream) -> Option<TokenStream> {
        let rules = def.rules.as_ref()?;
        let name = ident(self.plan.rules.get(&id)?);
        let json = rules.to_string();
        let (rules_type, new_rules) = (runtime::server::rules(), runtime::server::rules_new());
        Some(quote! {
            static #name: #rules_type = #new_rules(#json);
            #name.check(value, at, #out);
        })
    }

    /// A struct's checks: each field's constraints, then which fields must
    /// be present (write-only required ones, `dependentRequired`,
    /// conditional `required`).
    fn struct_checks(&mut self, s: &StructType, out: &TokenStream) -> TokenStream {
        let mut stmts = Vec::new();
        for f in &s.fields {
            stmts.extend(self.field_checks(f, out));
        }
        // A required write-only property: required in requests,
        // which is where validators run.
        for f in s.fields.iter().filter(|f| f.request_required) {
            let (fname, spec) = (ident(&f.rust_name), &f.spec_name);
            let required_when = runtime::server::checks_required_when();
            stmts.push(quote! {
                #required_when(value.#fname.is_some(), at, #spec, "writing (the property is write-only)", #out);
            });
        }
        for (trigger, names) in &s.dependent_required {
            let Some(when) = present(s, trigger) else {
                continue;
            };
            let checks = required_when(s, names, &format!("`{trigger}` is present"), out);
            stmts.push(quote! { if #when { #(#checks)* } });
        }
        if let Some(c) = &s.conditional_required {
            stmts.extend(conditional_required(s, c, out));
        }
        quote! { #(#stmts)* }
    }

    /// A field's constraints, checked when it is present (`None`: it has none).
    fn field_checks(&mut self, f: &Field, out: &TokenStream) -> Option<TokenStream> {
        let fname = ident(&f.rust_name);
        let spec = &f.spec_name;
        let checks = self.checks(&f.schema, quote! { item }, &quote! { &field }, out);
        if checks.is_empty() {
            return None;
        }
        let member_field = runtime::server::checks_member_field();
        let field = quote! { let field = #member_field(at, #spec); };
        Some(if f.required {
            quote! { { #field let item = &value.#fname; #checks } }
        } else {
            quote! {
                if let Some(item) = &value.#fname { #field #checks }
            }
        })
    }

    /// A `oneOf`'s checks: the alternative the value decoded as is checked
    /// (nothing to match on when no alternative has checks).
    fn one_of_checks(&mut self, id: TypeId, o: &OneOfType, out: &TokenStream) -> TokenStream {
        let ty = self.r.base_ty(&Ty::Named(id));
        let shapes: Vec<String> = o
            .variants
            .iter()
            .map(|v| self.r.ty(&resolved(self.api, &v.schema)).to_string())
            .collect();
        let checks: Vec<TokenStream> = (0..o.variants.len())
            .map(|i| self.alternative_checks(o, i, &shapes, out))
            .collect();
        if checks.iter().all(TokenStream::is_empty) {
            return quote! {};
        }
        let arms = o.variants.iter().zip(&checks).map(|(v, checks)| {
            let vname = ident(&v.rust_name);
            quote! { #ty::#vname(item) => { #checks } }
        });
        quote! {
            #[allow(unreachable_patterns)]
            match value { #(#arms)* }
        }
    }

    /// The checks of alternative `i` of a `oneOf` (`shapes`: each
    /// alternative's Rust type). Alternatives of the same Rust type
    /// (strings told apart by `pattern`...) decode as the first: the value
    /// is valid if any of them holds.
    fn alternative_checks(
        &mut self,
        o: &OneOfType,
        i: usize,
        shapes: &[String],
        out: &TokenStream,
    ) -> TokenStream {
        let at = quote! { at };
        let v = &o.variants[i];
        let own = self.checks(&v.schema, quote! { item }, &at, out);
        let others: Vec<TokenStream> = o
            .variants
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i && shapes[*j] == shapes[i])
            .map(|(_, w)| self.checks(&w.schema, quote! { item }, &at, &quote! { &mut alt }))
            .collect();
        if own.is_empty() || others.is_empty() {
            return own;
        }
        let mine = self.checks(&v.schema, quote! { item }, &at, &quote! { &mut first });
        let violation = runtime::server::violation();
        quote! {
            let mut first: Vec<#violation> = Vec::new();
            #mine
            if !first.is_empty() {
                let any = [#({
                    let mut alt: Vec<#violation> = Vec::new();
                    #others
                    alt.is_empty()
                }),*];
                if !any.contains(&true) {
                    ::std::iter::Extend::extend(#out, first);
                }
            }
        }
    }
}

/// A type that requires itself (`next: {$ref: Self}`, required, not
/// nullable) has no finite value, and its validator recurses
/// unconditionally: rustc would warn about a call that never happens.
fn endless(id: TypeId, def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| f.required && !f.schema.nullable && f.schema.ty == Ty::Named(id)),
        _ => false,
    }
}

/// Whether the property `name` is present (even `null`), as an expression;
/// a required field always is. `None`: not a field of the struct.
fn present(s: &StructType, name: &str) -> Option<TokenStream> {
    let f = s.fields.iter().find(|f| f.spec_name == name)?;
    let fname = ident(&f.rust_name);
    Some(if f.required {
        quote! { true }
    } else {
        quote! { value.#fname.is_some() }
    })
}

/// Checks that the properties `names` are present, each violation saying
/// when they must be (`condition`).
fn required_when(
    s: &StructType,
    names: &[String],
    condition: &str,
    out: &TokenStream,
) -> Vec<TokenStream> {
    names
        .iter()
        .filter_map(|name| {
            let is = present(s, name)?;
            let required_when = runtime::server::checks_required_when();
            Some(quote! {
                #required_when(#is, at, #name, #condition, #out);
            })
        })
        .collect()
}

/// The common form of 3.1 `if`/`then`/`else`: the properties `then` or
/// `otherwise` requires, as the property `c` names has the value or not.
fn conditional_required(
    s: &StructType,
    c: &ConditionalRequired,
    out: &TokenStream,
) -> Option<TokenStream> {
    let f = s.fields.iter().find(|f| f.spec_name == c.property)?;
    let fname = ident(&f.rust_name);
    let expected = c.value.to_string();
    // JSON Schema: an absent property passes `properties`, so it meets
    // the condition unless `if` requires it.
    let is_json = runtime::server::checks_is_json();
    let holds = if f.required {
        quote! { #is_json(&value.#fname, #expected) }
    } else {
        let absent = !c.property_required;
        quote! {
            value.#fname.as_ref().map_or(#absent, |v| #is_json(v, #expected))
        }
    };
    let then = required_when(
        s,
        &c.then,
        &format!("`{}` is `{expected}`", c.property),
        out,
    );
    let otherwise = required_when(
        s,
        &c.otherwise,
        &format!("`{}` is not `{expected}`", c.property),
        out,
    );
    Some(if otherwise.is_empty() {
        quote! { if #holds { #(#then)* } }
    } else if then.is_empty() {
        quote! { if !(#holds) { #(#otherwise)* } }
    } else {
        quote! { if #holds { #(#then)* } else { #(#otherwise)* } }
    })
}

/// `rt::checks::Count::ANY.at_least(1).at_most(25).unique()`: a list's
/// `minItems`, `maxItems` and `uniqueItems`, as the runtime's
/// `checks::items` takes them.
pub(super) fn count(min: Option<usize>, max: Option<usize>, unique: bool) -> TokenStream {
    let any = runtime::server::count_any();
    let min = min.map(|n| {
        let n = proc_macro2::Literal::usize_unsuffixed(n);
        quote! { .at_least(#n) }
    });
    let max = max.map(|n| {
        let n = proc_macro2::Literal::usize_unsuffixed(n);
        quote! { .at_most(#n) }
    });
    let unique = unique.then(|| quote! { .unique() });
    quote! { #any #min #max #unique }
}

pub(super) fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

/// `minProperties`/`maxProperties` of the object `v`; empty without them.
fn property_count(
    c: &crate::ir::Constraints,
    v: &TokenStream,
    field: &TokenStream,
    out: &TokenStream,
) -> TokenStream {
    if c.min_properties.is_none() && c.max_properties.is_none() {
        return TokenStream::new();
    }
    let (min, max) = (opt_usize(c.min_properties), opt_usize(c.max_properties));
    let properties = runtime::server::checks_properties();
    quote! { #properties(#v, #field, #min, #max, #out); }
}

pub(super) fn bound(v: Option<f64>, exclusive: bool) -> TokenStream {
    match v {
        Some(n) => quote! { Some((#n, #exclusive)) },
        None => quote! { None },
    }
}

/// Open enums that tell an untagged `oneOf`'s alternatives apart: the
/// alternatives hold a field of one name with different enum types
/// (adyen's payment methods, each with its own `type`). serde takes the
/// first alternative that decodes, and an open enum's catch-all lets an
/// earlier one decode a value listed by a later one, so refusing the value
/// as unlisted would refuse a valid request. An enum every alternative
/// shares (lob's `mail_type`) tells nothing apart and stays checked.
/// Linear in the types and their fields.
pub(super) fn chosen_enums(api: &Api) -> BTreeSet<TypeId> {
    let an_enum = |e: &TypeExpr| match &e.ty {
        Ty::Named(id) => matches!(api.types.get(*id).kind, TypeKind::Enum(_)).then_some(*id),
        _ => None,
    };
    let mut out = BTreeSet::new();
    for t in &api.types.types {
        let TypeKind::OneOf(o) = &t.kind else {
            continue;
        };
        if o.discriminator.is_some() {
            continue;
        }
        let mut by_field: BTreeMap<&str, BTreeSet<TypeId>> = BTreeMap::new();
        for v in &o.variants {
            let Ty::Named(alt) = &v.schema.ty else {
                continue;
            };
            let TypeKind::Struct(s) = &api.types.get(*alt).kind else {
                continue;
            };
            for f in &s.fields {
                if let Some(id) = an_enum(&f.schema) {
                    by_field.entry(f.spec_name.as_str()).or_default().insert(id);
                }
            }
        }
        let telling = by_field.into_values().filter(|ids| ids.len() > 1);
        // Only an open enum has the catch-all that takes another's value.
        out.extend(
            telling
                .flatten()
                .filter(|id| api.types.get(*id).in_response),
        );
    }
    out
}

/// Whether a named type (or anything it holds) carries a constraint the
/// server must check beyond what serde enforces.
pub(super) fn needs_validation(api: &Api, id: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
    if !seen.insert(id) {
        return false;
    }
    let expr_needs =
        |e: &TypeExpr, seen: &mut BTreeSet<TypeId>| -> bool { expr_needs_validation(api, e, seen) };
    if api.types.get(id).rules.is_some() {
        return true;
    }
    match &api.types.get(id).kind {
        TypeKind::Struct(s) => {
            !s.dependent_required.is_empty()
                || s.conditional_required.is_some()
                || s.fields.iter().any(|f| f.request_required)
                || s.fields.iter().any(|f| expr_needs(&f.schema, seen))
                || s.additional.as_ref().is_some_and(|a| expr_needs(a, seen))
        }
        TypeKind::OneOf(o) => o.variants.iter().any(|v| expr_needs(&v.schema, seen)),
        TypeKind::Alias(e) => expr_needs(e, seen),
        // An open enum keeps unlisted values: a request's must be listed
        // (unless it tells `oneOf` alternatives apart: `chosen_enums`).
        TypeKind::Enum(_) => api.types.get(id).in_response,
    }
}

/// `e` with aliases followed to the type they name (the Rust type a
/// value of it has).
fn resolved(api: &Api, e: &TypeExpr) -> TypeExpr {
    let mut e = e.clone();
    for _ in 0..16 {
        match &e.ty {
            Ty::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(inner) => {
                    e = TypeExpr {
                        nullable: e.nullable || inner.nullable,
                        ..inner.clone()
                    }
                }
                _ => break,
            },
            _ => break,
        }
    }
    e
}

pub(super) fn expr_needs_validation(api: &Api, e: &TypeExpr, seen: &mut BTreeSet<TypeId>) -> bool {
    let c = &e.constraints;
    let own = c.pattern.is_some()
        || c.min_length.is_some()
        || c.max_length.is_some()
        || c.minimum.is_some()
        || c.maximum.is_some()
        || c.multiple_of.is_some_and(|m| m > 0.0)
        || c.min_properties.is_some()
        || c.max_properties.is_some()
        || c.min_items.is_some()
        || c.max_items.is_some()
        || c.unique_items;
    own || match &e.ty {
        Ty::Named(id) => needs_validation(api, *id, seen),
        Ty::Array(i) | Ty::Map(i) => expr_needs_validation(api, i, seen),
        // Tuple members decode by their types; their constraints are not checked.
        _ => false,
    }
}
