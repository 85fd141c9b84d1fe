//! The generated shape: the scales every directory declares, and the picks (judgements,
//! conditions, constraints) that `render` turns into a valid rule directory, with their
//! proptest strategies.

use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Scales.

/// The scales every generated directory declares: (id, numbers low to high, labels, descending).
pub fn scale_defs() -> Vec<(&'static str, Vec<i64>, Vec<String>, bool)> {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        ("yesno", vec![0, 1], words(&["no", "yes"]), false),
        (
            "three",
            vec![1, 2, 3],
            words(&["low", "mid", "high"]),
            false,
        ),
        (
            "four",
            vec![1, 2, 3, 4],
            words(&["inadequate", "adequate", "good", "outstanding"]),
            false,
        ),
        // Printed numbers fall as quality rises: rank and number run opposite ways.
        (
            "desc",
            vec![4, 3, 2, 1],
            words(&["poor", "fair", "fine", "best"]),
            true,
        ),
        // Numbers that are not ranks.
        (
            "gapped",
            vec![0, 5, 10],
            words(&["none", "some", "lots"]),
            false,
        ),
        // The 64-value edge of the domains.
        (
            "big",
            (1..=64).collect(),
            (1..=64).map(|n| format!("v{n}")).collect(),
            false,
        ),
    ]
}

const YESNO: usize = 0;
const BIG: usize = 5;
/// An alias the generator writes now and then instead of `adequate`.
pub(super) const ALIAS: (&str, &str) = ("adequate", "satisfactory");

pub(super) fn scale_len(scale: usize) -> usize {
    scale_defs()[scale].1.len()
}

// ---------------------------------------------------------------------------------------------
// The generated shape: picks that `render` turns into a valid rule directory.

/// Which rule set declares a judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    A,
    B,
    C,
}

#[derive(Debug, Clone)]
pub struct GenJudgement {
    pub scale: usize,
    pub latent: bool,
    pub owner: Owner,
}

#[derive(Debug, Clone)]
pub enum GenCond {
    Atom {
        judgement: usize,
        test: usize,
        value: usize,
        label: bool,
    },
    All(Vec<GenCond>),
    Any(Vec<GenCond>),
    Count {
        of: Vec<usize>,
        value: usize,
        n: usize,
        label: bool,
    },
}

#[derive(Debug, Clone)]
pub struct GenConstraint {
    /// 0: `a`; 1: `b`, new; 2: `b`, replacing one of `a`'s; 3: `c`.
    pub owner: usize,
    pub kind: usize,
    pub target: usize,
    pub other: usize,
    pub value: usize,
    pub offset: i64,
    pub when: Option<GenCond>,
    pub must: bool,
    pub label: bool,
    /// For a replacement: which of `a`'s constraints.
    pub replaces: usize,
    /// Cite a second document (with a url) too.
    pub two_citations: bool,
}

#[derive(Debug, Clone)]
pub struct GenBook {
    pub judgements: Vec<GenJudgement>,
    pub constraints: Vec<GenConstraint>,
    /// Whether `b` (extending `a`) exists, and whether it is still in force.
    pub has_b: bool,
    pub b_open: bool,
    /// `a`'s constraints (picks) that `b` removes.
    pub removes: Vec<usize>,
    /// `a`'s judgements (picks) that `b` declares again, with this `latent`.
    pub redeclared: Vec<(usize, bool)>,
    /// `c`'s span: picks of a first and a last day, if `c` exists.
    pub c_span: Option<(usize, usize)>,
    /// How the directory is split into files, and whether the files come in reverse order.
    pub layout: usize,
    pub reversed: bool,
    /// Write `a`'s years as days.
    pub a_dated: bool,
}

/// At most this many complete assignments in any period, so that enumeration stays quick.
const MAX_ASSIGNMENTS: usize = 6_000;

pub fn book_strategy() -> impl Strategy<Value = GenBook> {
    (
        proptest::collection::vec(judgement_strategy(), 2..=7),
        proptest::collection::vec(constraint_strategy(), 1..=8),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(0..8usize, 0..=2),
        proptest::collection::vec((0..8usize, any::<bool>()), 0..=1),
        proptest::option::weighted(0.6, (0..4usize, 0..4usize)),
        0..3usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                mut judgements,
                constraints,
                has_b,
                b_open,
                removes,
                redeclared,
                c_span,
                layout,
                reversed,
                a_dated,
            )| {
                judgements[0].owner = Owner::A;
                fit_sizes(&mut judgements);
                GenBook {
                    judgements,
                    constraints,
                    has_b,
                    b_open,
                    removes,
                    redeclared,
                    c_span,
                    layout,
                    reversed,
                    a_dated,
                }
            },
        )
}

/// Constraints alone, to vary the rules over the same judgements.
pub fn constraints_strategy() -> impl Strategy<Value = Vec<GenConstraint>> {
    proptest::collection::vec(constraint_strategy(), 1..=8)
}

fn judgement_strategy() -> impl Strategy<Value = GenJudgement> {
    (
        prop_oneof![6 => Just(0usize), 4 => Just(1), 5 => Just(2), 3 => Just(3), 2 => Just(4), 2 => Just(BIG)],
        proptest::bool::weighted(0.2),
        prop_oneof![4 => Just(Owner::A), 1 => Just(Owner::B), 2 => Just(Owner::C)],
    )
        .prop_map(|(scale, latent, owner)| GenJudgement {
            scale,
            latent,
            owner,
        })
}

/// One 64-value scale at most, and few enough assignments to enumerate.
fn fit_sizes(judgements: &mut [GenJudgement]) {
    let mut seen_big = false;
    for judgement in judgements.iter_mut() {
        if judgement.scale == BIG {
            if seen_big {
                judgement.scale = YESNO;
            }
            seen_big = true;
        }
    }
    loop {
        let product: usize = judgements.iter().map(|j| scale_len(j.scale)).product();
        if product <= MAX_ASSIGNMENTS {
            break;
        }
        // Shrink the largest scale other than the 64-value one, then that one.
        let largest = judgements
            .iter()
            .enumerate()
            .filter(|(_, j)| j.scale != YESNO)
            .max_by_key(|(_, j)| (j.scale != BIG, scale_len(j.scale)))
            .map(|(i, _)| i);
        match largest {
            Some(index) => judgements[index].scale = YESNO,
            None => break,
        }
    }
}

fn cond_strategy() -> BoxedStrategy<GenCond> {
    let atom = (0..8usize, 0..3usize, 0..64usize, any::<bool>()).prop_map(
        |(judgement, test, value, label)| GenCond::Atom {
            judgement,
            test,
            value,
            label,
        },
    );
    let count = (
        proptest::collection::vec(0..8usize, 1..=4),
        prop_oneof![2 => Just(0usize), 3 => 0..64usize],
        0..4usize,
        any::<bool>(),
    )
        .prop_map(|(of, value, n, label)| GenCond::Count {
            of,
            value,
            n,
            label,
        });
    let leaf = prop_oneof![3 => atom, 2 => count];
    // Depth 3: conditions inside conditions inside conditions.
    leaf.prop_recursive(3, 10, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..=3).prop_map(GenCond::All),
            proptest::collection::vec(inner, 1..=3).prop_map(GenCond::Any),
        ]
    })
    .boxed()
}

fn constraint_strategy() -> impl Strategy<Value = GenConstraint> {
    (
        (
            prop_oneof![4 => Just(0usize), 1 => Just(1), 1 => Just(2), 2 => Just(3)],
            0..4usize,
            0..8usize,
            0..8usize,
            0..64usize,
            prop_oneof![12 => -2..=2i64, 1 => Just(63i64), 1 => Just(-63i64)],
        ),
        (
            proptest::option::weighted(0.7, cond_strategy()),
            proptest::bool::weighted(0.8),
            any::<bool>(),
            0..8usize,
            proptest::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |((owner, kind, target, other, value, offset), (when, must, label, replaces, two))| {
                GenConstraint {
                    owner,
                    kind,
                    target,
                    other,
                    value,
                    offset,
                    when,
                    must,
                    label,
                    replaces,
                    two_citations: two,
                }
            },
        )
}
