//! Domains and assignments: judgements by index, grades as scale positions.

use super::*;

impl Model {
    pub(super) fn var(&self, id: &str) -> Result<usize, EngineError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| EngineError::UnknownJudgement {
                period: self.label.clone(),
                judgement: id.to_owned(),
            })
    }

    pub(super) fn full_domains(&self) -> Domains {
        self.vars
            .iter()
            .map(|v| {
                if v.numbers.len() >= 64 {
                    u64::MAX
                } else {
                    (1u64 << v.numbers.len()) - 1
                }
            })
            .collect()
    }

    /// Given grades as (variable, single-bit mask).
    pub(super) fn pins(&self, given: &Assignment) -> Result<Vec<(usize, u64)>, EngineError> {
        given
            .iter()
            .map(|(id, &number)| self.pin_one(id, number))
            .collect()
    }

    /// A given grade as the engine holds it: its judgement's index and the bit of its value;
    /// an unknown judgement or a number off its scale is an error.
    pub(super) fn pin_one(&self, id: &str, number: i64) -> Result<(usize, u64), EngineError> {
        let var = self.var(id)?;
        let position = self.vars[var]
            .numbers
            .iter()
            .position(|&n| n == number)
            .ok_or_else(|| EngineError::OffScale {
                judgement: id.to_owned(),
                value: number,
            })?;
        Ok((var, 1u64 << position))
    }

    pub(super) fn domains_for(&self, given: &Assignment) -> Result<Domains, EngineError> {
        let mut domains = self.full_domains();
        for (id, &number) in given {
            let (var, bit) = self.pin_one(id, number)?;
            domains[var] &= bit;
        }
        Ok(domains)
    }

    pub(super) fn to_assignment(&self, solution: &[usize]) -> Assignment {
        solution
            .iter()
            .enumerate()
            .map(|(var, &position)| (self.vars[var].id.clone(), self.vars[var].numbers[position]))
            .collect()
    }

    pub(super) fn to_allowed(&self, supported: Option<Domains>) -> Allowed {
        let consistent = supported.is_some();
        let supported = supported.unwrap_or_else(|| vec![0; self.vars.len()]);
        let values = self
            .vars
            .iter()
            .zip(&supported)
            .map(|(var, &mask)| {
                let numbers = var
                    .numbers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, &n)| n)
                    .collect();
                (var.id.clone(), numbers)
            })
            .collect();
        Allowed { consistent, values }
    }

    pub(super) fn exceeded(&self, budget: &Budget) -> EngineError {
        EngineError::BudgetExceeded {
            period: self.label.clone(),
            judgements: self.vars.len(),
            constraints: self.constraints.len(),
            limit: budget.limit,
        }
    }

    /// Steps from one judgement to every other through the `must` constraints (breadth first);
    /// unreachable judgements are `usize::MAX` away.
    pub(super) fn distances(&self, from: usize) -> Vec<usize> {
        let mut distance = vec![usize::MAX; self.vars.len()];
        distance[from] = 0;
        let mut frontier = vec![from];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for var in frontier {
                for &c in &self.watchers[var] {
                    for &other in &self.constraints[c].vars {
                        if distance[other] == usize::MAX {
                            distance[other] = distance[var] + 1;
                            next.push(other);
                        }
                    }
                }
            }
            frontier = next;
        }
        distance
    }

    /// Connected components of the variables under the `must` constraints.
    pub(super) fn components(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.vars.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &c in &self.must {
            let vars = &self.constraints[c].vars;
            for pair in vars.windows(2) {
                let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
                parent[a] = b;
            }
        }
        (0..self.vars.len()).map(|x| find(&mut parent, x)).collect()
    }
}
