//! Propagators: conditions and relations evaluated, enforced and refuted on domains.

use super::*;

/// The domains of some judgements, copied into `inline` when they fit, else into `heap`.
pub(super) fn snapshot<'b>(
    vars: &[usize],
    domains: &[u64],
    inline: &'b mut [u64; 8],
    heap: &'b mut Vec<u64>,
) -> &'b [u64] {
    if vars.len() <= inline.len() {
        for (slot, &var) in inline.iter_mut().zip(vars) {
            *slot = domains[var];
        }
        &inline[..vars.len()]
    } else {
        heap.clear();
        heap.extend(vars.iter().map(|&v| domains[v]));
        heap
    }
}

pub(super) fn mark(supported: &mut [u64], solution: &[usize]) {
    for (var, &position) in solution.iter().enumerate() {
        supported[var] |= 1 << position;
    }
}

pub(super) fn eval(cond: &Cond, domains: &[u64]) -> Tri {
    match cond {
        Cond::In { var, mask } => in_state(domains[*var], *mask),
        Cond::All(parts) => {
            let mut state = Tri::True;
            for part in parts {
                match eval(part, domains) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => state = Tri::Unknown,
                    Tri::True => {}
                }
            }
            state
        }
        Cond::Any(parts) => {
            let mut state = Tri::False;
            for part in parts {
                match eval(part, domains) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => state = Tri::Unknown,
                    Tri::False => {}
                }
            }
            state
        }
        Cond::Count { items, n } => {
            let (sure, possible) = count_states(items, domains);
            if sure >= *n {
                Tri::True
            } else if possible < *n {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
    }
}

pub(super) fn in_state(domain: u64, mask: u64) -> Tri {
    if domain & !mask == 0 {
        Tri::True
    } else if domain & mask == 0 {
        Tri::False
    } else {
        Tri::Unknown
    }
}

pub(super) fn count_states(items: &[(usize, u64)], domains: &[u64]) -> (usize, usize) {
    let sure = items.iter().filter(|(v, m)| domains[*v] & !m == 0).count();
    let possible = items.iter().filter(|(v, m)| domains[*v] & m != 0).count();
    (sure, possible)
}

/// Make the relation hold; `None` on a wipe-out, else whether anything changed.
pub(super) fn enforce(rel: &Rel, domains: &mut [u64]) -> Option<bool> {
    match rel {
        Rel::In { var, mask } => restrict(domains, *var, *mask),
        Rel::Pair { a, b, table } => {
            if a == b {
                let keep = bits(domains[*a])
                    .filter(|&p| table[p] & (1 << p) != 0)
                    .fold(0, |m, p| m | (1 << p));
                return restrict(domains, *a, keep);
            }
            let a_support = bits(domains[*b]).fold(0, |m, j| m | table[j]);
            let changed_a = restrict(domains, *a, a_support)?;
            let domain_a = domains[*a];
            let b_support = bits(domains[*b])
                .filter(|&j| table[j] & domain_a != 0)
                .fold(0, |m, j| m | (1 << j));
            let changed_b = restrict(domains, *b, b_support)?;
            Some(changed_a || changed_b)
        }
    }
}

/// Whether no combination of the current domains satisfies the relation.
pub(super) fn violated(rel: &Rel, domains: &[u64]) -> bool {
    match rel {
        Rel::In { var, mask } => domains[*var] & mask == 0,
        Rel::Pair { a, b, table } => {
            if a == b {
                return !bits(domains[*a]).any(|p| table[p] & (1 << p) != 0);
            }
            !bits(domains[*b]).any(|j| table[j] & domains[*a] != 0)
        }
    }
}

/// Make the condition false (it is known to be Unknown, not True); `None` on a wipe-out.
pub(super) fn negate(cond: &Cond, domains: &mut [u64]) -> Option<bool> {
    match cond {
        Cond::In { var, mask } => restrict(domains, *var, !mask),
        Cond::Any(parts) => {
            let mut changed = false;
            for part in parts {
                changed |= negate(part, domains)?;
            }
            Some(changed)
        }
        Cond::All(parts) => {
            let open: Vec<&Cond> = parts
                .iter()
                .filter(|p| eval(p, domains) != Tri::True)
                .collect();
            match open.as_slice() {
                [only] if eval(only, domains) == Tri::Unknown => negate(only, domains),
                // One part already false: the condition is false, nothing to do.
                [_] => Some(false),
                [] => None,
                _ => Some(false),
            }
        }
        Cond::Count { items, n } => {
            let (sure, _) = count_states(items, domains);
            if sure >= *n {
                return None;
            }
            if sure + 1 < *n {
                return Some(false);
            }
            let mut changed = false;
            for &(var, mask) in items {
                if domains[var] & !mask != 0 {
                    changed |= restrict(domains, var, !mask)?;
                }
            }
            Some(changed)
        }
    }
}

/// Propagate a requirement on one constraint; `None` on a wipe-out, else whether anything changed.
pub(super) fn require(
    constraint: &Compiled,
    requirement: Requirement,
    domains: &mut [u64],
) -> Option<bool> {
    let mut changed = match &constraint.cond {
        Some(cond) => assert_true(cond, domains)?,
        None => false,
    };
    changed |= match requirement {
        Requirement::Violated => refute(&constraint.rel, domains)?,
        Requirement::Honoured => enforce(&constraint.rel, domains)?,
        Requirement::ConditionHolds => false,
    };
    Some(changed)
}

/// Whether a complete assignment meets a requirement on a constraint.
/// `domains` are all single values.
pub(super) fn meets(constraint: &Compiled, requirement: Requirement, domains: &[u64]) -> bool {
    let condition = constraint
        .cond
        .as_ref()
        .is_none_or(|cond| eval(cond, domains) == Tri::True);
    condition
        && match requirement {
            Requirement::Violated => violated(&constraint.rel, domains),
            Requirement::Honoured => !violated(&constraint.rel, domains),
            Requirement::ConditionHolds => true,
        }
}

/// Make the condition true; `None` on a wipe-out.
pub(super) fn assert_true(cond: &Cond, domains: &mut [u64]) -> Option<bool> {
    match cond {
        Cond::In { var, mask } => restrict(domains, *var, *mask),
        Cond::All(parts) => {
            let mut changed = false;
            for part in parts {
                changed |= assert_true(part, domains)?;
            }
            Some(changed)
        }
        Cond::Any(parts) => {
            let open: Vec<&Cond> = parts
                .iter()
                .filter(|p| eval(p, domains) != Tri::False)
                .collect();
            match open.as_slice() {
                [] => None,
                [only] => assert_true(only, domains),
                _ => Some(false),
            }
        }
        Cond::Count { items, n } => {
            let (_, possible) = count_states(items, domains);
            if possible < *n {
                return None;
            }
            if possible > *n {
                return Some(false);
            }
            let mut changed = false;
            for &(var, mask) in items {
                if domains[var] & mask != 0 {
                    changed |= restrict(domains, var, mask)?;
                }
            }
            Some(changed)
        }
    }
}

/// Make the relation fail; `None` on a wipe-out.
pub(super) fn refute(rel: &Rel, domains: &mut [u64]) -> Option<bool> {
    match rel {
        Rel::In { var, mask } => restrict(domains, *var, !mask),
        Rel::Pair { a, b, table } => {
            if a == b {
                let keep = bits(domains[*a])
                    .filter(|&p| table[p] & (1 << p) == 0)
                    .fold(0, |m, p| m | (1 << p));
                return restrict(domains, *a, keep);
            }
            let domain_b = domains[*b];
            let a_keep = bits(domains[*a])
                .filter(|&i| bits(domain_b).any(|j| table[j] & (1 << i) == 0))
                .fold(0, |m, i| m | (1 << i));
            let changed_a = restrict(domains, *a, a_keep)?;
            let domain_a = domains[*a];
            let b_keep = bits(domains[*b])
                .filter(|&j| domain_a & !table[j] != 0)
                .fold(0, |m, j| m | (1 << j));
            let changed_b = restrict(domains, *b, b_keep)?;
            Some(changed_a || changed_b)
        }
    }
}

pub(super) fn restrict(domains: &mut [u64], var: usize, mask: u64) -> Option<bool> {
    let narrowed = domains[var] & mask;
    if narrowed == 0 {
        return None;
    }
    let changed = narrowed != domains[var];
    domains[var] = narrowed;
    Some(changed)
}

pub(super) fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let position = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(position)
    })
}
