//! The server part's chunks in file order, each emitted when asked for:
//! head, input structs, resource traits, router, handlers, answers'
//! `IntoResponse`, then the validators, shapes and patterns the handlers
//! asked for (in rounds: a validator may ask for more).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{runtime, Ctx};
use crate::ir::{Operation, TypeId};
use crate::naming::ident;

/// Where the iterator is in the file.
enum Phase {
    Head(TokenStream),
    Inputs,
    Traits,
    Router,
    Handlers,
    Responses,
    Validators,
    Shapes,
    Patterns,
    Done,
}

pub(super) struct Chunks<'a> {
    ctx: Ctx<'a>,
    phase: Phase,
    /// Every operation with its resource's index, in file order.
    ops: Vec<(usize, &'a Operation)>,
    next: usize,
    /// The round of validators or shapes being emitted, and those done.
    round: Vec<TypeId>,
    emitted: BTreeSet<TypeId>,
    patterns: Vec<String>,
}

impl<'a> Chunks<'a> {
    pub(super) fn new(ctx: Ctx<'a>, head: TokenStream) -> Self {
        let ops = ctx
            .api
            .resources
            .iter()
            .enumerate()
            .flat_map(|(i, res)| res.operations.iter().map(move |op| (i, op)))
            .collect();
        Chunks {
            ctx,
            phase: Phase::Head(head),
            ops,
            next: 0,
            round: Vec::new(),
            emitted: BTreeSet::new(),
            patterns: Vec::new(),
        }
    }

    /// The next operation of the current phase, if any; else moves on.
    fn next_op(&mut self, then: Phase) -> Option<(usize, &'a Operation)> {
        let found = self.ops.get(self.next).copied();
        match found {
            Some(_) => self.next += 1,
            None => {
                self.next = 0;
                self.phase = then;
            }
        }
        found
    }

    /// The next of `pending`'s rounds: what was asked for and not emitted.
    fn next_id(
        &mut self,
        pending: for<'c> fn(&'c Ctx<'a>) -> &'c BTreeSet<TypeId>,
        then: Phase,
    ) -> Option<TypeId> {
        if self.round.is_empty() {
            let emitted = &self.emitted;
            self.round = pending(&self.ctx).difference(emitted).copied().collect();
            self.round.reverse();
        }
        let id = self.round.pop();
        match id {
            Some(id) => {
                self.emitted.insert(id);
            }
            None => {
                self.emitted.clear();
                self.phase = then;
            }
        }
        id
    }

    fn pattern(&mut self) -> Option<TokenStream> {
        let pattern = self.patterns.pop()?;
        let name = ident(&self.ctx.plan.patterns[&pattern]);
        let (pattern_type, new_pattern) =
            (runtime::server::pattern(), runtime::server::pattern_new());
        Some(quote! {
            static #name: #pattern_type = #new_pattern(#pattern);
        })
    }
}

impl Iterator for Chunks<'_> {
    type Item = TokenStream;

    fn next(&mut self) -> Option<TokenStream> {
        loop {
            match std::mem::replace(&mut self.phase, Phase::Done) {
                Phase::Head(head) => {
                    self.phase = Phase::Inputs;
                    return Some(head);
                }
                Phase::Inputs => {
                    self.phase = Phase::Inputs;
                    if let Some((_, op)) = self.next_op(Phase::Traits) {
                        return Some(self.ctx.input_struct(op));
                    }
                }
                Phase::Traits => {
                    let resources = &self.ctx.api.resources;
                    if let Some(res) = resources.get(self.next) {
                        self.phase = Phase::Traits;
                        self.next += 1;
                        return Some(self.ctx.resource_trait(self.next - 1, res));
                    }
                    self.next = 0;
                    self.phase = Phase::Router;
                }
                Phase::Router => {
                    self.phase = Phase::Handlers;
                    return Some(self.ctx.router());
                }
                Phase::Handlers => {
                    self.phase = Phase::Handlers;
                    if let Some((i, op)) = self.next_op(Phase::Responses) {
                        return Some(self.ctx.handler(i, op));
                    }
                }
                Phase::Responses => {
                    self.phase = Phase::Responses;
                    if let Some((_, op)) = self.next_op(Phase::Validators) {
                        return Some(self.ctx.response_impl(op));
                    }
                }
                Phase::Validators => {
                    self.phase = Phase::Validators;
                    if let Some(id) = self.next_id(|c| &c.validators, Phase::Shapes) {
                        return Some(self.ctx.validator(id));
                    }
                }
                Phase::Shapes => {
                    self.phase = Phase::Shapes;
                    if let Some(id) = self.next_id(|c| &c.shapes, Phase::Patterns) {
                        return Some(self.ctx.shape_static(id));
                    }
                    // Patterns in order, popped from the end.
                    self.patterns = self.ctx.patterns.iter().rev().cloned().collect();
                }
                Phase::Patterns => {
                    self.phase = Phase::Patterns;
                    match self.pattern() {
                        Some(chunk) => return Some(chunk),
                        None => self.phase = Phase::Done,
                    }
                }
                Phase::Done => return None,
            }
        }
    }
}
