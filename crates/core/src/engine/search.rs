//! Propagation and search: exact supported values, solutions and minimal cores.

use super::*;

impl Model {
    /// Exact supported values under `active` constraints, or `None` when there is no solution.
    pub(super) fn supported(
        &self,
        mut domains: Domains,
        active: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Domains>, Exceeded> {
        let active = self.active(active);
        if !self.propagate_queue(&mut domains, &active, active.list.to_vec(), budget)? {
            return Ok(None);
        }
        let Some(first) = self.search(domains.clone(), &active, Vec::new(), budget)? else {
            return Ok(None);
        };
        let mut supported = vec![0u64; self.vars.len()];
        mark(&mut supported, &first);
        for var in 0..self.vars.len() {
            // A judgement no active constraint reads can take any value of its domain in a
            // solution that exists, so it needs no search.
            if !self.watchers[var].iter().any(|&c| active.on[c]) {
                supported[var] = domains[var];
                continue;
            }
            let mut open = domains[var] & !supported[var];
            while open != 0 {
                let bit = open & open.wrapping_neg();
                open &= !bit;
                if supported[var] & bit != 0 {
                    continue;
                }
                let mut trial = domains.clone();
                trial[var] = bit;
                match self.search(trial, &active, self.watching(var, &active), budget)? {
                    Some(solution) => mark(&mut supported, &solution),
                    None => domains[var] &= !bit,
                }
            }
        }
        Ok(Some(supported))
    }

    /// A solution (scale position per variable) within `domains`, if any.
    pub(super) fn solve(
        &self,
        domains: Domains,
        active: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exceeded> {
        let active = self.active(active);
        let queue = active.list.to_vec();
        self.search(domains, &active, queue, budget)
    }

    /// Depth-first search; `queue` holds the constraints to propagate first (after a branch,
    /// only those that read the branched judgement: the rest were already at a fixpoint).
    pub(super) fn search(
        &self,
        mut domains: Domains,
        active: &Active,
        queue: Vec<usize>,
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exceeded> {
        budget.spend(1)?;
        if !self.propagate_queue(&mut domains, active, queue, budget)? {
            return Ok(None);
        }
        let branch = (0..domains.len())
            .filter(|&v| domains[v].count_ones() > 1)
            .min_by_key(|&v| {
                let weight: u64 = self.watchers[v]
                    .iter()
                    .filter(|&&c| active.on[c] || active.requirement.is_some_and(|(r, _)| r == c))
                    .map(|&c| active.weight(c))
                    .sum();
                // Smallest domain per weight first; the scale is kept whole-numbered.
                (u64::from(domains[v].count_ones()) << 20) / (weight + 1)
            });
        let Some(var) = branch else {
            // Every domain is a single value: check the leaf on them directly.
            let required = active
                .requirement
                .is_none_or(|(c, requirement)| meets(&self.constraints[c], requirement, &domains));
            if !(required && self.holds_all(&domains, &active.list)) {
                return Ok(None);
            }
            return Ok(Some(
                domains
                    .iter()
                    .map(|d| d.trailing_zeros() as usize)
                    .collect(),
            ));
        };
        let mut open = domains[var];
        while open != 0 {
            let bit = open & open.wrapping_neg();
            open &= !bit;
            let mut trial = domains.clone();
            trial[var] = bit;
            if let Some(solution) =
                self.search(trial, active, self.watching(var, active), budget)?
            {
                return Ok(Some(solution));
            }
        }
        Ok(None)
    }

    /// Propagate the queued constraints, queueing again every active constraint that reads a
    /// judgement whose domain shrank, until nothing changes; `false` on a wipe-out.
    pub(super) fn propagate_queue(
        &self,
        domains: &mut [u64],
        active: &Active,
        mut queue: Vec<usize>,
        budget: &mut Budget,
    ) -> Result<bool, Exceeded> {
        if domains.contains(&0) {
            return Ok(false);
        }
        // The domains a constraint reads, before it runs: on the stack for the usual few.
        let (mut inline, mut heap) = ([0u64; 8], Vec::new());
        loop {
            while let Some(c) = queue.pop() {
                budget.spend(1)?;
                let constraint = &self.constraints[c];
                let before = snapshot(&constraint.vars, domains, &mut inline, &mut heap);
                match self.propagate_one(constraint, domains) {
                    None => {
                        active.bump(c, self.constraints.len());
                        return Ok(false);
                    }
                    Some(false) => {}
                    Some(true) => {
                        self.queue_changed(constraint, before, domains, active, &mut queue)
                    }
                }
            }
            let Some((c, requirement)) = active.requirement else {
                return Ok(true);
            };
            let constraint = &self.constraints[c];
            let before = snapshot(&constraint.vars, domains, &mut inline, &mut heap);
            match require(constraint, requirement, domains) {
                None => {
                    active.bump(c, self.constraints.len());
                    return Ok(false);
                }
                Some(false) => return Ok(true),
                Some(true) => self.queue_changed(constraint, before, domains, active, &mut queue),
            }
        }
    }

    /// Queue every active constraint that reads a judgement whose domain just shrank.
    pub(super) fn queue_changed(
        &self,
        constraint: &Compiled,
        before: &[u64],
        domains: &[u64],
        active: &Active,
        queue: &mut Vec<usize>,
    ) {
        for (&var, &old) in constraint.vars.iter().zip(before) {
            if domains[var] != old {
                queue.extend(self.watchers[var].iter().copied().filter(|&w| active.on[w]));
            }
        }
    }

    pub(super) fn active(&self, list: &[usize]) -> Active<'_> {
        let weights = RefCell::new(Vec::new());
        // The `must` constraints are the common case: borrow them, allocate nothing.
        if list == self.must.as_slice() {
            return Active {
                list: Cow::Borrowed(&self.must),
                on: Cow::Borrowed(&self.must_on),
                requirement: None,
                weights,
            };
        }
        let mut on = vec![false; self.constraints.len()];
        for &c in list {
            on[c] = true;
        }
        Active {
            list: Cow::Owned(list.to_vec()),
            on: Cow::Owned(on),
            requirement: None,
            weights,
        }
    }

    /// The active constraints that read a judgement.
    pub(super) fn watching(&self, var: usize, active: &Active) -> Vec<usize> {
        self.watchers[var]
            .iter()
            .copied()
            .filter(|&c| active.on[c])
            .collect()
    }

    /// One constraint; `None` on a wipe-out, else whether anything changed.
    pub(super) fn propagate_one(&self, constraint: &Compiled, domains: &mut [u64]) -> Option<bool> {
        let state = constraint
            .cond
            .as_ref()
            .map_or(Tri::True, |cond| eval(cond, domains));
        match state {
            Tri::False => Some(false),
            Tri::True => enforce(&constraint.rel, domains),
            Tri::Unknown => {
                if violated(&constraint.rel, domains) {
                    // INVARIANT: only reached when the condition is Unknown.
                    constraint
                        .cond
                        .as_ref()
                        .map_or(Some(false), |cond| negate(cond, domains))
                } else {
                    Some(false)
                }
            }
        }
    }

    /// Whether single-valued domains satisfy every active constraint.
    pub(super) fn holds_all(&self, domains: &[u64], active: &[usize]) -> bool {
        active.iter().all(|&c| {
            let constraint = &self.constraints[c];
            let state = constraint
                .cond
                .as_ref()
                .map_or(Tri::True, |cond| eval(cond, domains));
            state == Tri::False || !violated(&constraint.rel, domains)
        })
    }

    /// Deletion-based minimal core: rules first, with every given grade, then the given grades
    /// those rules need. A reader follows rules, so an argument with fewer rules is the clearer
    /// one even when it uses more of what was given: a single rule whenever one suffices,
    /// else QuickXplain over the rules, nearest the explained judgement first. `extra` is an
    /// assumed value whose impossibility is being explained (it always stays in the core);
    /// `prefer` are rules to try first as the lone rule.
    ///
    /// Both parts stay minimal: dropping given grades only adds solutions, so rules that were
    /// each needed with every grade are still each needed with fewer.
    pub(super) fn core(
        &self,
        pins: &[(usize, u64)],
        extra: Option<(usize, u64)>,
        prefer: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Core>, Exceeded> {
        let feasible = |pins: &[(usize, u64)],
                        active: &[usize],
                        budget: &mut Budget|
         -> Result<bool, Exceeded> {
            let mut domains = self.full_domains();
            for &(var, bit) in pins.iter().chain(extra.iter()) {
                domains[var] &= bit;
            }
            Ok(self.solve(domains, active, budget)?.is_some())
        };
        if feasible(pins, &self.must, budget)? {
            return Ok(None);
        }
        let distance = extra.map(|(var, _)| self.distances(var));
        let rule_distance = |c: &usize| {
            distance.as_ref().map_or(0, |distance| {
                self.constraints[*c]
                    .vars
                    .iter()
                    .map(|&v| distance[v])
                    .min()
                    .unwrap_or(usize::MAX)
            })
        };
        let active = match self.lone_rule(pins, extra, prefer, budget)? {
            Some(rule) => vec![rule],
            None => {
                let mut ordered = self.must.clone();
                ordered.sort_by_key(rule_distance);
                let mut kept = minimal_subset(&ordered, &mut |set: &[usize]| {
                    feasible(pins, set, budget).map(|f| !f)
                })?;
                kept.sort_by_key(rule_distance);
                kept
            }
        };
        // QuickXplain prefers earlier items, so the givens nearest the explained judgement
        // come first.
        let mut pins = pins.to_vec();
        if let Some(distance) = &distance {
            pins.sort_by_key(|&(pin, _)| distance[pin]);
        }
        let kept_pins = minimal_subset(&pins, &mut |set: &[(usize, u64)]| {
            feasible(set, &active, budget).map(|f| !f)
        })?;
        Ok(Some(Core {
            given: self.pins_to_assignment(&kept_pins),
            rules: active
                .iter()
                .map(|&c| self.constraints[c].id.clone())
                .collect(),
        }))
    }

    /// The first `must` rule that contradicts the pins (and `extra`) on its own, if any,
    /// trying the `prefer`red ones first.
    pub(super) fn lone_rule(
        &self,
        pins: &[(usize, u64)],
        extra: Option<(usize, u64)>,
        prefer: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<usize>, Exceeded> {
        let mut base = self.full_domains();
        for &(var, bit) in pins.iter().chain(extra.iter()) {
            base[var] &= bit;
        }
        // An extra value is only explained for given grades that have a solution (`reasons`),
        // so a rule that rules it out by itself reads its judgement: in that solution with the
        // judgement changed, every rule that does not read it still holds. Were the grades
        // inconsistent after all, this only misses a lone rule; the core is still minimal.
        let mut candidates: Vec<usize> = match extra {
            Some((var, _)) => self.watchers[var]
                .iter()
                .copied()
                .filter(|&c| self.must_on[c])
                .collect(),
            None => self.must.clone(),
        };
        candidates.sort_by_key(|c| !prefer.contains(c));
        for c in candidates {
            let vars = &self.constraints[c].vars;
            let mut domains = base.clone();
            // Judgements the rule does not read cannot help it: one value each, so that the
            // search does not branch on them.
            for (var, domain) in domains.iter_mut().enumerate() {
                if !vars.contains(&var) {
                    *domain &= domain.wrapping_neg();
                }
            }
            if self.solve(domains, &[c], budget)?.is_none() {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    pub(super) fn pins_to_assignment(&self, pins: &[(usize, u64)]) -> Assignment {
        pins.iter()
            .map(|&(var, bit)| {
                (
                    self.vars[var].id.clone(),
                    self.vars[var].numbers[bit.trailing_zeros() as usize],
                )
            })
            .collect()
    }

    /// Depth-first over the values of `vars`: the first partial assignment with no solution.
    pub(super) fn refute(
        &self,
        domains: Domains,
        vars: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Vec<(usize, usize)>>, Exceeded> {
        let Some((&var, rest)) = vars.split_first() else {
            return Ok(None);
        };
        let positions: Vec<usize> = (0..self.vars[var].numbers.len()).collect();
        let mut feasible = Vec::new();
        for &position in &positions {
            let mut trial = domains.clone();
            trial[var] = 1 << position;
            if self.solve(trial.clone(), &self.must, budget)?.is_none() {
                return Ok(Some(vec![(var, position)]));
            }
            feasible.push(trial);
        }
        for (position, trial) in positions.into_iter().zip(feasible) {
            if let Some(mut pins) = self.refute(trial.clone(), rest, budget)? {
                pins.insert(0, (var, position));
                return Ok(Some(pins));
            }
        }
        Ok(None)
    }
}
