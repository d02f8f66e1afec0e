//! The generated module as a value: a spec's lowered API with its name
//! plan and the parts to emit, and its three sinks (tokens for the macro,
//! files for the CLI, one source file for build scripts). It sits above
//! the emitters and the formatter, which know nothing of it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{module_docs, runtime_contract, source_name, PartKind};
use crate::ir::Api;
use crate::naming::ident;
use crate::output::{self, OutputFile};
use crate::plan::Plan;
use crate::settings::{Layout, Settings};
use crate::GenerateError;

/// Everything generated for one spec, emitted on demand: the lowered API,
/// its name plan and the parts to emit. One value for every front end, each
/// taking its own sink: [`GeneratedModule::to_tokens`] (the macro),
/// [`GeneratedModule::files`] (the CLI), [`GeneratedModule::source`] (build
/// scripts). All three emit the same chunks from the same plan.
#[derive(Debug, Clone)]
pub struct GeneratedModule {
    api: Api,
    plan: Plan,
    kinds: Vec<PartKind>,
    /// `Pretty` or `Lines` (never `Auto`: resolved for the API's size).
    layout: Layout,
}

impl GeneratedModule {
    /// Plans the names of `api`'s module; nothing is emitted yet.
    pub(crate) fn new(api: Api, settings: &Settings) -> Self {
        let mut plan = crate::timings::time("plan", || crate::plan::plan(&api));
        let kinds = PartKind::selected(settings);
        plan.operation_constants = kinds.contains(&PartKind::Operations);
        let operations = api.resources.iter().map(|r| r.operations.len()).sum();
        let layout = settings.layout().resolve(operations, api.types.types.len());
        GeneratedModule {
            api,
            plan,
            kinds,
            layout,
        }
    }

    /// The module's name (the spec's file stem, as a Rust identifier).
    pub fn name(&self) -> &str {
        &self.api.module
    }

    /// The spec's file name, for headers.
    pub fn source_name(&self) -> String {
        source_name(&self.api)
    }

    /// The names of the parts, in module order (`types`, `operations`,
    /// `client`, `server`).
    pub fn part_names(&self) -> Vec<&'static str> {
        self.kinds.iter().map(|k| k.name()).collect()
    }

    pub(crate) fn api(&self) -> &Api {
        &self.api
    }

    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The whole module as one item, `pub mod <name> { ... }`, for the macro.
    pub fn to_tokens(&self) -> TokenStream {
        let name = ident(self.name());
        let body = self.body_tokens();
        quote! { pub mod #name { #body } }
    }

    /// The module's contents with every part inline.
    pub fn body_tokens(&self) -> TokenStream {
        let docs = module_docs(&self.api);
        let contract = runtime_contract();
        let parts = self.kinds.iter().map(|kind| {
            let name = ident(kind.name());
            let tokens = kind.emit(&self.api, &self.plan);
            quote! { pub mod #name { #tokens } }
        });
        quote! { #docs #contract #(#parts)* }
    }

    /// The module as the CLI writes it: `<name>/mod.rs` and one formatted
    /// file per part (see [`crate::output`]).
    pub fn files(&self) -> Result<Vec<OutputFile>, GenerateError> {
        output::render(&self.api, &self.plan, &self.kinds, self.layout)
    }

    /// The module as one formatted file holding the single item
    /// `pub mod <name> { ... }`, for a build script's `include!`.
    pub fn source(&self) -> Result<String, GenerateError> {
        output::module_source(
            self.name(),
            &self.source_name(),
            self.to_tokens(),
            self.layout,
        )
    }
}
