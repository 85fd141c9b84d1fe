//! Given grades looked up once: a checker asks several questions of the same grades (allowed
//! values, each `usually` rule, refutations), and by name each question would look every grade
//! up again. [`Pinned`] holds them as the engine does, by judgement index and scale position.

use std::borrow::Cow;
use std::cell::RefCell;

use super::{Active, Allowed, Assignment, Budget, EngineError, Exceeded, Model};

/// Given grades in the engine's terms: each judgement's possible values, narrowed to the given
/// one where a grade is given, and which judgements were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    domains: Vec<u64>,
    /// Bit `i` set when judgement `i` (below 64) is given.
    given: u64,
    /// Whether a judgement at index 64 or above is given (the bits then say too little).
    given_beyond: bool,
}

impl Pinned {
    /// The given judgements as a bit set of their indices, when every one is below 64.
    pub fn given_bits(&self) -> Option<u64> {
        (!self.given_beyond).then_some(self.given)
    }
}

impl Model {
    /// Given grades looked up once, for the `_pinned` questions; the same errors as any
    /// question asked with `given` (an unknown judgement, a number off its scale).
    pub fn pin(&self, given: &Assignment) -> Result<Pinned, EngineError> {
        // As `domains_for`, noting which judgements are given on the way.
        let mut pinned = Pinned {
            domains: self.full_domains(),
            given: 0,
            given_beyond: false,
        };
        for (id, &number) in given {
            let (var, bit) = self.pin_one(id, number)?;
            pinned.domains[var] &= bit;
            match u32::try_from(var).ok().and_then(|v| 1u64.checked_shl(v)) {
                Some(bit) => pinned.given |= bit,
                None => pinned.given_beyond = true,
            }
        }
        Ok(pinned)
    }

    /// [`Model::allowed`] for pinned grades.
    pub fn allowed_pinned(
        &self,
        pinned: &Pinned,
        budget: &mut Budget,
    ) -> Result<Allowed, EngineError> {
        let supported = self
            .supported(pinned.domains.clone(), &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(self.to_allowed(supported))
    }

    /// Whether the given grades decide the constraints of an id on their own: `Some(true)`
    /// when every judgement they read is given and they hold, `Some(false)` when every one is
    /// given and one is broken, `None` when some judgement they read is not given (or the id is
    /// unknown). Where the `must` constraints hold with the grades, `Some(h)` is then the
    /// answer of [`Model::satisfiable_with_pinned`] for that id, without a search.
    pub fn decided_pinned(&self, pinned: &Pinned, id: &str) -> Option<bool> {
        let indices = self.by_id.get(id)?;
        let given = |var: &usize| pinned.domains[*var].count_ones() == 1;
        if indices.is_empty()
            || !indices
                .iter()
                .all(|&index| self.constraints[index].vars.iter().all(given))
        {
            return None;
        }
        Some(self.holds_all(&pinned.domains, indices))
    }

    /// [`Model::satisfiable_with`] for pinned grades.
    pub fn satisfiable_with_pinned(
        &self,
        pinned: &Pinned,
        extra: &[&str],
        budget: &mut Budget,
    ) -> Result<bool, EngineError> {
        // The `must` constraints, then the extra ones not among them, in order: the set
        // `satisfiable_with` builds, made here without a scan per constraint.
        let mut list = Vec::with_capacity(self.must.len() + extra.len());
        list.extend_from_slice(&self.must);
        let mut on = self.must_on.clone();
        for id in extra {
            for &index in self.by_id.get(*id).into_iter().flatten() {
                if !on[index] {
                    on[index] = true;
                    list.push(index);
                }
            }
        }
        let queue = list.clone();
        let active = Active {
            list: Cow::Owned(list),
            on: Cow::Owned(on),
            requirement: None,
            weights: RefCell::new(Vec::new()),
        };
        let found = self
            .search(pinned.domains.clone(), &active, queue, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.is_some())
    }
}
