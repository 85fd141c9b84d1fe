//! Enumeration: every complete assignment of one period's judgements, and what each satisfies.

use ratings_core::Assignment;

use super::*;

/// Every complete assignment of one period's judgements, with the constraints each satisfies.
#[derive(Debug, Clone)]
pub struct Brute {
    pub ids: Vec<String>,
    pub numbers: Vec<Vec<i64>>,
    pub latent: Vec<bool>,
    pub constraints: Vec<OConstraint>,
    /// Every assignment, as ranks.
    pub all: Vec<Vec<usize>>,
    /// For each assignment, a bit per constraint that holds.
    pub holds: Vec<u64>,
    /// For each assignment, a bit per constraint whose condition holds (always, without one).
    pub applies: Vec<u64>,
}

impl Brute {
    pub(super) fn new(
        judgements: Vec<(String, Vec<i64>, bool)>,
        constraints: Vec<OConstraint>,
    ) -> Brute {
        assert!(constraints.len() <= 64, "a bit per constraint");
        let mut all: Vec<Vec<usize>> = vec![Vec::new()];
        for (_, numbers, _) in &judgements {
            all = all
                .iter()
                .flat_map(|partial| {
                    (0..numbers.len()).map(move |rank| {
                        let mut next = partial.clone();
                        next.push(rank);
                        next
                    })
                })
                .collect();
        }
        let bits = |test: &dyn Fn(&OConstraint, &[usize]) -> bool, ranks: &[usize]| {
            constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| test(c, ranks))
                .fold(0u64, |mask, (i, _)| mask | (1 << i))
        };
        let holds = all.iter().map(|a| bits(&|c, r| c.holds(r), a)).collect();
        let applies = all
            .iter()
            .map(|a| bits(&|c, r| c.condition(r), a))
            .collect();
        Brute {
            ids: judgements.iter().map(|j| j.0.clone()).collect(),
            numbers: judgements.iter().map(|j| j.1.clone()).collect(),
            latent: judgements.iter().map(|j| j.2).collect(),
            constraints,
            all,
            holds,
            applies,
        }
    }

    pub fn index(&self, judgement: &str) -> usize {
        self.ids
            .iter()
            .position(|id| id == judgement)
            .unwrap_or_else(|| panic!("`{judgement}` is not in force"))
    }

    /// The bits of the constraints with these ids.
    pub fn mask<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> u64 {
        let mut mask = 0;
        for id in ids {
            let position = self
                .constraints
                .iter()
                .position(|c| c.id == id)
                .unwrap_or_else(|| panic!("no constraint `{id}`"));
            mask |= 1 << position;
        }
        mask
    }

    pub fn must(&self) -> u64 {
        self.constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| c.must)
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// Given grades as (judgement, rank).
    pub fn pins(&self, given: &Assignment) -> Vec<(usize, usize)> {
        given
            .iter()
            .map(|(id, number)| {
                let j = self.index(id);
                let rank = self.numbers[j]
                    .iter()
                    .position(|n| n == number)
                    .unwrap_or_else(|| panic!("{number} is not on the scale of `{id}`"));
                (j, rank)
            })
            .collect()
    }

    /// The indices of the assignments that satisfy the constraints in `rules` and the pins.
    pub fn matching<'s>(
        &'s self,
        rules: u64,
        pins: &'s [(usize, usize)],
    ) -> impl Iterator<Item = usize> + 's {
        (0..self.all.len()).filter(move |&a| {
            self.holds[a] & rules == rules && pins.iter().all(|&(j, r)| self.all[a][j] == r)
        })
    }

    /// Whether some assignment satisfies the constraints in `rules` and the pins.
    pub fn exists(&self, rules: u64, pins: &[(usize, usize)]) -> bool {
        self.matching(rules, pins).next().is_some()
    }

    /// An assignment as judgement id to printed number.
    pub fn assignment(&self, a: usize) -> Assignment {
        self.all[a]
            .iter()
            .enumerate()
            .map(|(j, &rank)| (self.ids[j].clone(), self.numbers[j][rank]))
            .collect()
    }

    /// The ranks of a complete assignment given as id to number.
    pub fn ranks(&self, assignment: &Assignment) -> Vec<usize> {
        let mut ranks = vec![0; self.ids.len()];
        for (j, rank) in self.pins(assignment) {
            ranks[j] = rank;
        }
        assert_eq!(assignment.len(), self.ids.len(), "a complete assignment");
        ranks
    }

    /// Whether a complete assignment satisfies the constraints in `rules`.
    pub fn satisfies(&self, assignment: &Assignment, rules: u64) -> bool {
        let ranks = self.ranks(assignment);
        self.constraints
            .iter()
            .enumerate()
            .filter(|(i, _)| rules & (1 << i) != 0)
            .all(|(_, c)| c.holds(&ranks))
    }
}
