//! The spec's constraints as checks, written once whatever the field
//! path: [`Ctx::checks`] serves parameters, bodies and validators.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::ir::{IntegerFormat, NumberFormat};

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
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    return quote! {};
                }
                self.validators.insert(*id);
                let f = self.validator_name(*id);
                quote! { #f(#v, #field, #out); }
            }
            // Dates decode into chrono types: their text is checked by decoding.
            Ty::String(StringFormat::DateTime | StringFormat::Date) => return quote! {},
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    quote! { rt::checks::length(#v, #field, #min, #max, #out); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    quote! { rt::checks::pattern(#v, #field, &#stat, #out); }
                });
                if length.is_none() && pattern.is_none() {
                    return quote! {};
                }
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => {
                if c.minimum.is_none() && c.maximum.is_none() {
                    return quote! {};
                }
                let (min, max) = (
                    bound(c.minimum, c.exclusive_minimum),
                    bound(c.maximum, c.exclusive_maximum),
                );
                let number = match &e.ty {
                    Ty::Number(NumberFormat::Double) => quote! { *#v },
                    Ty::Number(NumberFormat::Float) | Ty::Integer(IntegerFormat::Int32) => {
                        quote! { f64::from(*#v) }
                    }
                    _ => quote! { *#v as f64 },
                };
                quote! { rt::checks::range(#number, #field, #min, #max, #out); }
            }
            Ty::Array(item) => {
                let (min, max, unique) = (
                    opt_usize(c.min_items),
                    opt_usize(c.max_items),
                    c.unique_items,
                );
                let item_checks = self.checks(item, quote! { element }, &quote! { &field }, out);
                let has_limits = c.min_items.is_some() || c.max_items.is_some() || unique;
                if item_checks.is_empty() && !has_limits {
                    return quote! {};
                }
                let limits = has_limits
                    .then(|| quote! { rt::checks::items(#v, #field, #min, #max, #unique, #out); });
                let each = (!item_checks.is_empty()).then(|| {
                    quote! {
                        for (i, element) in #v.iter().enumerate() {
                            let field = rt::checks::item_field(#field, i);
                            #item_checks
                        }
                    }
                });
                quote! { #limits #each }
            }
            Ty::Map(item) => {
                let item_checks = self.checks(item, quote! { element }, &quote! { &field }, out);
                if item_checks.is_empty() {
                    return quote! {};
                }
                quote! {
                    for (key, element) in #v.iter() {
                        let field = rt::checks::member_field(#field, key);
                        #item_checks
                    }
                }
            }
            _ => return quote! {},
        };
        if nullable {
            quote! { if let Some(v) = #value.as_ref() { #inner } }
        } else {
            inner
        }
    }

    pub(super) fn validator(&mut self, id: TypeId) -> TokenStream {
        let name = self.validator_name(id);
        let def = self.api.types.get(id);
        let ty = self.r.base_ty(&Ty::Named(id));
        let out = quote! { violations };
        let at = quote! { at };
        let body = match &def.kind {
            TypeKind::Struct(s) => {
                let mut stmts = Vec::new();
                for f in &s.fields {
                    let fname = ident(&f.rust_name);
                    let spec = &f.spec_name;
                    let checks = self.checks(&f.schema, quote! { item }, &quote! { &field }, &out);
                    if checks.is_empty() {
                        continue;
                    }
                    let field = quote! { let field = rt::checks::member_field(at, #spec); };
                    if f.required {
                        stmts.push(quote! { { #field let item = &value.#fname; #checks } });
                    } else {
                        stmts.push(quote! {
                            if let Some(item) = &value.#fname { #field #checks }
                        });
                    }
                }
                // A required write-only property: required in requests,
                // which is where validators run.
                for f in s.fields.iter().filter(|f| f.request_required) {
                    let (fname, spec) = (ident(&f.rust_name), &f.spec_name);
                    stmts.push(quote! {
                        rt::checks::required_when(value.#fname.is_some(), at, #spec, "writing (the property is write-only)", #out);
                    });
                }
                // 3.1 `dependentRequired` and conditional `required`: a
                // present (even `null`) property. A required field always is.
                let present = |name: &str| {
                    let f = s.fields.iter().find(|f| f.spec_name == name)?;
                    let fname = ident(&f.rust_name);
                    Some(if f.required {
                        quote! { true }
                    } else {
                        quote! { value.#fname.is_some() }
                    })
                };
                let required_when = |names: &[String], condition: &str| -> Vec<TokenStream> {
                    names
                        .iter()
                        .filter_map(|name| {
                            let is = present(name)?;
                            Some(quote! {
                                rt::checks::required_when(#is, at, #name, #condition, #out);
                            })
                        })
                        .collect()
                };
                for (trigger, names) in &s.dependent_required {
                    let Some(when) = present(trigger) else {
                        continue;
                    };
                    let checks = required_when(names, &format!("`{trigger}` is present"));
                    stmts.push(quote! { if #when { #(#checks)* } });
                }
                // The common form of 3.1 `if`/`then`/`else`.
                if let Some(c) = &s.conditional_required {
                    if let Some(f) = s.fields.iter().find(|f| f.spec_name == c.property) {
                        let fname = ident(&f.rust_name);
                        let expected = c.value.to_string();
                        // JSON Schema: an absent property passes `properties`,
                        // so it meets the condition unless `if` requires it.
                        let holds = if f.required {
                            quote! { rt::checks::is_json(&value.#fname, #expected) }
                        } else {
                            let absent = !c.property_required;
                            quote! {
                                value.#fname.as_ref().map_or(#absent, |v| rt::checks::is_json(v, #expected))
                            }
                        };
                        let then =
                            required_when(&c.then, &format!("`{}` is `{expected}`", c.property));
                        let otherwise = required_when(
                            &c.otherwise,
                            &format!("`{}` is not `{expected}`", c.property),
                        );
                        stmts.push(if otherwise.is_empty() {
                            quote! { if #holds { #(#then)* } }
                        } else if then.is_empty() {
                            quote! { if !(#holds) { #(#otherwise)* } }
                        } else {
                            quote! { if #holds { #(#then)* } else { #(#otherwise)* } }
                        });
                    }
                }
                quote! { #(#stmts)* }
            }
            TypeKind::OneOf(o) => {
                let shapes: Vec<String> = o
                    .variants
                    .iter()
                    .map(|v| self.r.ty(&resolved(self.api, &v.schema)).to_string())
                    .collect();
                let checks: Vec<TokenStream> = o
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let own = self.checks(&v.schema, quote! { item }, &at, &out);
                        // Alternatives of the same Rust type (strings told
                        // apart by `pattern`...) decode as the first: the
                        // value is valid if any of them holds.
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
                        quote! {
                            let mut first: Vec<::codegen_runtime::server::Violation> = Vec::new();
                            #mine
                            if !first.is_empty() {
                                let any = [#({
                                    let mut alt: Vec<::codegen_runtime::server::Violation> = Vec::new();
                                    #others
                                    alt.is_empty()
                                }),*];
                                if !any.contains(&true) {
                                    ::std::iter::Extend::extend(#out, first);
                                }
                            }
                        }
                    })
                    .collect();
                let arms = o.variants.iter().zip(&checks).map(|(v, checks)| {
                    let vname = ident(&v.rust_name);
                    quote! { #ty::#vname(item) => { #checks } }
                });
                // No alternative has checks: nothing to match on.
                if checks.iter().all(TokenStream::is_empty) {
                    quote! {}
                } else {
                    quote! {
                        #[allow(unreachable_patterns)]
                        match value { #(#arms)* }
                    }
                }
            }
            TypeKind::Alias(e) => self.checks(e, quote! { value }, &at, &out),
            TypeKind::Enum(_) => quote! {},
        };
        // A type that requires itself (`next: {$ref: Self}`, required, not
        // nullable) has no finite value, and its validator recurses
        // unconditionally: rustc would warn about a call that never happens.
        let endless = match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.required && !f.schema.nullable && f.schema.ty == Ty::Named(id)),
            _ => false,
        };
        let mut extra = Vec::new();
        if endless {
            extra.push(quote! { unconditional_recursion, });
        }
        // The keywords the type cannot express, on the value as JSON.
        let rules = def.rules.as_ref().and_then(|rules| {
            let name = ident(self.plan.rules.get(&id)?);
            let json = rules.to_string();
            Some(quote! {
                static #name: rt::rules::Rules = rt::rules::Rules::new(#json);
                #name.check(value, at, #out);
            })
        });
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
}

pub(super) fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

pub(super) fn bound(v: Option<f64>, exclusive: bool) -> TokenStream {
    match v {
        Some(n) => quote! { Some((#n, #exclusive)) },
        None => quote! { None },
    }
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
        TypeKind::Enum(_) => false,
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
