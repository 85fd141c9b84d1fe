//! The questions a model answers: allowed values, reasons, refutations, conflict cores.

use super::*;

impl Model {
    /// Compile the rules of a period. Judgements the constraints mention but the period lacks
    /// cannot occur: the loader rejects them.
    pub fn new(rules: &PeriodRules) -> Model {
        let vars: Vec<Var> = rules
            .judgements()
            .iter()
            .map(|j| Var {
                id: j.judgement.id.clone(),
                numbers: j.scale.numbers(),
            })
            .collect();
        let index: HashMap<String, usize> = vars
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect();
        let mut model = Model {
            label: rules.label().to_owned(),
            vars,
            index,
            constraints: Vec::new(),
            must: Vec::new(),
            must_on: Vec::new(),
            watchers: Vec::new(),
            by_id: HashMap::default(),
        };
        for constraint in rules.constraints() {
            if let Some(compiled) = model.compile(constraint) {
                if constraint.strength == Strength::Must {
                    model.must.push(model.constraints.len());
                }
                model.constraints.push(compiled);
            }
        }
        model.must_on = (0..model.constraints.len())
            .map(|c| model.must.contains(&c))
            .collect();
        model.watchers = vec![Vec::new(); model.vars.len()];
        for (index, constraint) in model.constraints.iter().enumerate() {
            model
                .by_id
                .entry(constraint.id.clone())
                .or_default()
                .push(index);
            for &var in &constraint.vars {
                model.watchers[var].push(index);
            }
        }
        model
    }

    /// The ids of the model's judgements, in the order of its variables.
    pub fn judgement_ids(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|v| v.id.as_str())
    }

    /// How many constraints the model holds.
    pub fn constraint_count(&self) -> usize {
        self.constraints.len()
    }

    /// The ids of the `must` constraints, in order.
    pub fn must_ids(&self) -> Vec<&str> {
        self.must
            .iter()
            .map(|&c| self.constraints[c].id.as_str())
            .collect()
    }

    /// The exact set of values each judgement can take, given some grades.
    pub fn allowed(&self, given: &Assignment, budget: &mut Budget) -> Result<Allowed, EngineError> {
        let domains = self.domains_for(given)?;
        let supported = self
            .supported(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(self.to_allowed(supported))
    }

    /// Whether some complete assignment extends `given` under the `must` constraints plus the
    /// listed extra constraints (by id; used for `usually` constraints).
    pub fn satisfiable_with(
        &self,
        given: &Assignment,
        extra: &[&str],
        budget: &mut Budget,
    ) -> Result<bool, EngineError> {
        let mut active = self.must.clone();
        for index in self.indices(extra) {
            if !active.contains(&index) {
                active.push(index);
            }
        }
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &active, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.is_some())
    }

    /// Whether some complete assignment extending `given` satisfies every `must` constraint: the
    /// verdict alone, without allowed values or explanations.
    pub fn consistent(&self, given: &Assignment, budget: &mut Budget) -> Result<bool, EngineError> {
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.is_some())
    }

    /// A complete assignment that extends `given`, if one exists.
    pub fn witness(
        &self,
        given: &Assignment,
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// For an inconsistent `given`: a minimal set of given grades and of constraints that
    /// contradict each other. `None` when `given` is consistent.
    pub fn conflict(
        &self,
        given: &Assignment,
        budget: &mut Budget,
    ) -> Result<Option<Core>, EngineError> {
        let pins = self.pins(given)?;
        self.core(&pins, None, &[], budget)
            .map_err(|Exceeded| self.exceeded(budget))
    }

    /// For every judgement that is not given and lost values: the arguments that rule those
    /// values out, each with the values it removes. Each removed value gets a minimal argument
    /// with the fewest rules found (a single rule whenever one suffices), then the fewest given
    /// grades those rules need; values with the same argument share one reason.
    pub fn reasons(
        &self,
        given: &Assignment,
        allowed: &Allowed,
        budget: &mut Budget,
    ) -> Result<Vec<Reason>, EngineError> {
        let all: Vec<&str> = self.vars.iter().map(|v| v.id.as_str()).collect();
        self.reasons_for(given, allowed, &all, budget)
    }

    /// [`Model::reasons`] for the listed judgements only.
    pub fn reasons_for(
        &self,
        given: &Assignment,
        allowed: &Allowed,
        judgements: &[&str],
        budget: &mut Budget,
    ) -> Result<Vec<Reason>, EngineError> {
        let mut reasons: Vec<Reason> = Vec::new();
        if !allowed.consistent {
            return Ok(reasons);
        }
        let pins = self.pins(given)?;
        for (var_index, var) in self.vars.iter().enumerate() {
            if given.contains_key(&var.id) || !judgements.contains(&var.id.as_str()) {
                continue;
            }
            let kept = allowed.values.get(&var.id).cloned().unwrap_or_default();
            // Rules that already explain other values of this judgement are tried first, so
            // that one rule that removes several values is one reason, not several.
            let mut used: Vec<usize> = Vec::new();
            for (position, &number) in var.numbers.iter().enumerate() {
                if kept.contains(&number) {
                    continue;
                }
                let extra = (var_index, 1u64 << position);
                let Some(core) = self
                    .core(&pins, Some(extra), &used, budget)
                    .map_err(|Exceeded| self.exceeded(budget))?
                else {
                    continue;
                };
                for rule in &core.rules {
                    for &index in self.by_id.get(rule).into_iter().flatten() {
                        if !used.contains(&index) {
                            used.push(index);
                        }
                    }
                }
                let same = |reason: &Reason| {
                    reason.because == core.given
                        && reason.rules().count() == core.rules.len()
                        && reason.rules().all(|r| core.rules.iter().any(|c| c == r))
                };
                match reasons.iter_mut().find(|reason| same(reason)) {
                    Some(reason) => reason
                        .removes
                        .entry(var.id.clone())
                        .or_default()
                        .push(number),
                    None => {
                        let mut rules = core.rules.into_iter();
                        let Some(rule) = rules.next() else { continue };
                        reasons.push(Reason {
                            rule,
                            with: rules.collect(),
                            because: core.given,
                            removes: BTreeMap::from([(var.id.clone(), vec![number])]),
                        });
                    }
                }
            }
        }
        Ok(reasons)
    }

    /// For an inconsistent `given`: a minimal subset of it that contradicts the `must`
    /// constraints together with the listed extra constraints (by id; a `usually` rule whose
    /// departure is being shown). `None` when `given` has a solution under them all.
    pub fn minimal_given(
        &self,
        given: &Assignment,
        extra: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let mut active = self.must.clone();
        for index in self.indices(extra) {
            if !active.contains(&index) {
                active.push(index);
            }
        }
        let pins = self.pins(given)?;
        let exceeded = self.exceeded(budget);
        let mut conflicts = |set: &[(usize, u64)]| {
            let mut domains = self.full_domains();
            for &(var, bit) in set {
                domains[var] &= bit;
            }
            self.solve(domains, &active, budget).map(|s| s.is_none())
        };
        if !conflicts(&pins).map_err(|Exceeded| exceeded.clone())? {
            return Ok(None);
        }
        // The grades of the extra constraints' own judgements first: where they depart on
        // their own, the minimal set is found among those few rather than among all.
        let scope: Vec<usize> = self
            .indices(extra)
            .into_iter()
            .flat_map(|index| self.constraints[index].vars.iter().copied())
            .collect();
        let near: Vec<(usize, u64)> = pins
            .iter()
            .filter(|(var, _)| scope.contains(var))
            .copied()
            .collect();
        let from = if !scope.is_empty()
            && near.len() < pins.len()
            && conflicts(&near).map_err(|Exceeded| exceeded.clone())?
        {
            &near
        } else {
            &pins
        };
        let kept = minimal_subset(from, &mut conflicts).map_err(|Exceeded| exceeded.clone())?;
        Ok(Some(self.pins_to_assignment(&kept)))
    }

    /// Among the `published` judgements (with their values in `given`), an alternative set of
    /// values that no complete assignment extends: proof that the published grades were tested.
    /// `None` when any values whatever of the published judgements would have passed.
    pub fn refutation(
        &self,
        published: &[String],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let mut vars: Vec<usize> = Vec::new();
        for id in published {
            let var = self.var(id)?;
            if !vars.contains(&var) {
                vars.push(var);
            }
        }
        let components = self.components();
        // The solution set factorises over connected components, so each is searched alone.
        let mut by_component: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for var in vars {
            by_component.entry(components[var]).or_default().push(var);
        }
        let start = self.full_domains();
        let satisfiable = self
            .solve(start.clone(), &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?
            .is_some();
        if !satisfiable {
            // Nothing at all satisfies the rules, so even no grades are refuted.
            return Ok(Some(Assignment::new()));
        }
        for (_, group) in by_component {
            let found = self
                .refute(start.clone(), &group, budget)
                .map_err(|Exceeded| self.exceeded(budget))?;
            if let Some(pins) = found {
                return Ok(Some(
                    pins.into_iter()
                        .map(|(var, position)| {
                            (self.vars[var].id.clone(), self.vars[var].numbers[position])
                        })
                        .collect(),
                ));
            }
        }
        Ok(None)
    }

    /// A complete assignment extending `given` that satisfies exactly the listed constraints
    /// (by id, `must` or `usually` alike), if one exists.
    pub fn find(
        &self,
        given: &Assignment,
        active: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let indices = self.indices(active);
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &indices, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// Like [`Model::find`], with one more constraint (by id) that the solution must violate,
    /// satisfy the condition of, or honour.
    pub fn find_requiring(
        &self,
        given: &Assignment,
        active: &[&str],
        constraint: &str,
        requirement: Requirement,
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let Some(&index) = self
            .by_id
            .get(constraint)
            .and_then(|indices| indices.first())
        else {
            return Ok(None);
        };
        let domains = self.domains_for(given)?;
        let mut active = self.active(&self.indices(active));
        active.requirement = Some((index, requirement));
        let queue = active.list.to_vec();
        let found = self
            .search(domains, &active, queue, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// A minimal subset of the listed constraints under which `given` has no solution, or
    /// `None` when it has one under all of them. Deletion-based: each kept constraint is needed.
    pub fn minimal_conflict(
        &self,
        given: &Assignment,
        active: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Vec<String>>, EngineError> {
        let domains = self.domains_for(given)?;
        let all = self.indices(active);
        let exceeded = self.exceeded(budget);
        let mut conflicts = |kept: &[usize]| {
            self.solve(domains.clone(), kept, budget)
                .map(|s| s.is_none())
        };
        if !conflicts(&all).map_err(|Exceeded| exceeded.clone())? {
            return Ok(None);
        }
        let kept = minimal_subset(&all, &mut conflicts).map_err(|Exceeded| exceeded.clone())?;
        Ok(Some(
            kept.iter()
                .map(|&c| self.constraints[c].id.clone())
                .collect(),
        ))
    }

    /// The scale numbers of a judgement.
    pub fn numbers(&self, id: &str) -> Option<&[i64]> {
        self.index.get(id).map(|&i| self.vars[i].numbers.as_slice())
    }
}
