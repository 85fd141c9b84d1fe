//! Compiling a period's constraints into relations over domains.

use super::*;

impl Model {
    pub(super) fn indices(&self, ids: &[&str]) -> Vec<usize> {
        let mut on = vec![false; self.constraints.len()];
        let mut indices = Vec::with_capacity(ids.len());
        for id in ids {
            for &index in self.by_id.get(*id).into_iter().flatten() {
                if !on[index] {
                    on[index] = true;
                    indices.push(index);
                }
            }
        }
        indices
    }

    pub(super) fn compile(&self, constraint: &Constraint) -> Option<Compiled> {
        let target = *self.index.get(&constraint.target)?;
        let rel = match constraint.other() {
            None => Rel::In {
                var: target,
                mask: self.mask(target, |rank| constraint.relates(rank, 0)),
            },
            Some(other) => {
                let b = *self.index.get(other)?;
                self.pair(target, b, |a, b| constraint.relates(a, b))
            }
        };
        let cond = match &constraint.when {
            Some(when) => Some(self.compile_cond(when)?),
            None => None,
        };
        let vars = constraint
            .judgements()
            .iter()
            .filter_map(|j| self.index.get(*j).copied())
            .collect();
        Some(Compiled {
            id: constraint.id.clone(),
            cond,
            rel,
            vars,
        })
    }

    pub(super) fn compile_cond(&self, condition: &Condition) -> Option<Cond> {
        Some(match condition {
            Condition::Judgement {
                judgement,
                test,
                value,
            } => {
                let var = *self.index.get(judgement)?;
                let test = *test;
                Cond::In {
                    var,
                    mask: self.mask(var, |rank| test.passes(rank, value.rank)),
                }
            }
            Condition::All(parts) => Cond::All(
                parts
                    .iter()
                    .map(|p| self.compile_cond(p))
                    .collect::<Option<_>>()?,
            ),
            Condition::Any(parts) => Cond::Any(
                parts
                    .iter()
                    .map(|p| self.compile_cond(p))
                    .collect::<Option<_>>()?,
            ),
            Condition::Count { of, at_most, n } => Cond::Count {
                items: of
                    .iter()
                    .zip(at_most)
                    .map(|(j, level)| {
                        let var = *self.index.get(j)?;
                        Some((var, self.mask(var, |rank| rank <= level.rank)))
                    })
                    .collect::<Option<_>>()?,
                n: *n,
            },
        })
    }

    /// The positions (ranks) of a judgement's values that pass a test.
    pub(super) fn mask(&self, var: usize, keep: impl Fn(usize) -> bool) -> u64 {
        (0..self.vars[var].numbers.len())
            .filter(|&rank| keep(rank))
            .fold(0, |mask, rank| mask | (1 << rank))
    }

    /// For each rank of `b`, the ranks of `a` related to it.
    pub(super) fn pair(&self, a: usize, b: usize, related: impl Fn(usize, usize) -> bool) -> Rel {
        let table = (0..self.vars[b].numbers.len())
            .map(|rank_b| self.mask(a, |rank_a| related(rank_a, rank_b)))
            .collect();
        Rel::Pair { a, b, table }
    }
}
