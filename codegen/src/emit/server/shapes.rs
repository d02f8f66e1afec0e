//! `Shape` statics: the JSON shape checks serde's derives do not make.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

impl Ctx<'_> {
    /// `nullable, &shape` for a JSON value of this type.
    pub(super) fn slot(&mut self, e: &TypeExpr) -> TokenStream {
        let nullable = allows_null(self.api, e, &mut BTreeSet::new());
        let shape = self.shape_ref(e, &mut BTreeSet::new());
        quote! { #nullable, #shape }
    }

    /// A `&'static Shape` expression for a JSON value of this type.
    pub(super) fn shape_ref(
        &mut self,
        e: &TypeExpr,
        aliases: &mut BTreeSet<TypeId>,
    ) -> TokenStream {
        match &e.ty {
            Ty::Named(id) => match &self.api.types.get(*id).kind {
                TypeKind::Struct(_) => {
                    self.shapes.insert(*id);
                    let name = self.shape_name(*id);
                    quote! { &#name }
                }
                TypeKind::Alias(inner) if aliases.insert(*id) => self.shape_ref(inner, aliases),
                _ => {
                    let any = runtime::server::shape_any();
                    quote! { &#any }
                }
            },
            Ty::Array(item) => {
                let (array, slot) = (runtime::server::shape_array(), self.slot(item));
                quote! { &#array(#slot) }
            }
            Ty::Map(item) => {
                let (map, slot) = (runtime::server::shape_map(), self.slot(item));
                quote! { &#map(#slot) }
            }
            _ => {
                let any = runtime::server::shape_any();
                quote! { &#any }
            }
        }
    }

    /// `shape_ref` for use inside a function: a list or map shape holding
    /// another is built in a `const` block, since a reference to a
    /// temporary that names a static is not promoted to `'static`.
    pub(super) fn shape_in_fn(&mut self, e: &TypeExpr) -> TokenStream {
        let shape = self.shape_ref(e, &mut BTreeSet::new());
        if is_composite(self.api, e, &mut BTreeSet::new()) {
            quote! { const { #shape } }
        } else {
            shape
        }
    }

    pub(super) fn shape_static(&mut self, id: TypeId) -> TokenStream {
        let name = self.shape_name(id);
        let properties: Vec<TokenStream> = match &self.api.types.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| {
                    let spec = &f.spec_name;
                    let slot = self.slot(&f.schema);
                    quote! { (#spec, #slot) }
                })
                .collect(),
            _ => Vec::new(),
        };
        // Required properties that may be `null`: serde reads an absent
        // one as `null`, so their presence is checked here.
        let present: Vec<&str> = match &self.api.types.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.required && !f.read_only)
                .filter(|f| allows_null(self.api, &f.schema, &mut BTreeSet::new()))
                .map(|f| f.spec_name.as_str())
                .collect(),
            _ => Vec::new(),
        };
        let (shape, object) = (runtime::server::shape(), runtime::server::shape_object());
        if present.is_empty() {
            return quote! {
                static #name: #shape = #object(&[#(#properties),*]);
            };
        }
        let wrapped = runtime::server::shape_present();
        quote! {
            static #name: #shape = #wrapped(&[#(#present),*], &#object(&[#(#properties),*]));
        }
    }
}

/// Whether JSON `null` is a valid value of this type.
pub(super) fn allows_null(api: &Api, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> bool {
    e.nullable
        || match &e.ty {
            Ty::Any => true,
            Ty::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(inner) if aliases.insert(*id) => allows_null(api, inner, aliases),
                _ => false,
            },
            _ => false,
        }
}

/// Whether a value's shape is a list or map (aliases followed).
fn is_composite(api: &Api, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> bool {
    match &e.ty {
        Ty::Array(_) | Ty::Map(_) => true,
        Ty::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Alias(inner) if aliases.insert(*id) => is_composite(api, inner, aliases),
            _ => false,
        },
        _ => false,
    }
}
