//! The judgement graph of one period: judgements as nodes, constraints as labelled edges from
//! the judgements a constraint reads (its condition and its `other`) to its target.
//!
//! petgraph's indices stay inside this module; callers see judgement ids.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Constraint, Strength};
use crate::rules::PeriodRules;

/// A cycle in the judgement graph: the judgements on it, and the constraints whose edges form it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The judgements on the cycle, sorted.
    pub judgements: Vec<String>,
    /// The constraints whose edges make it, sorted.
    pub constraints: Vec<String>,
}

/// Every cycle of the graph that these constraints make, one per strongly connected component
/// (a self-loop counts), with judgements in a stable order.
pub fn find_cycles(constraints: &[&Constraint]) -> Vec<Cycle> {
    let (graph, _) = build(constraints.iter().copied(), &[]);
    let mut cycles = Vec::new();
    for component in tarjan_scc(&graph) {
        let is_cycle = component.len() > 1
            || graph
                .edges_connecting(component[0], component[0])
                .next()
                .is_some();
        if !is_cycle {
            continue;
        }
        let mut judgements: Vec<String> = component.iter().map(|&n| graph[n].clone()).collect();
        judgements.sort();
        let mut on_cycle: Vec<String> = graph
            .edge_indices()
            .filter_map(|edge| {
                let (from, to) = graph.edge_endpoints(edge)?;
                (component.contains(&from) && component.contains(&to))
                    .then(|| graph[edge].0.clone())
            })
            .collect();
        on_cycle.sort();
        on_cycle.dedup();
        cycles.push(Cycle {
            judgements,
            constraints: on_cycle,
        });
    }
    cycles.sort_by(|a, b| a.judgements.cmp(&b.judgements));
    cycles
}

/// One edge of a judgement graph: a constraint reads `from` and restricts `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The judgement read (the target itself, for a constraint that reads its own target).
    pub from: String,
    /// The judgement restricted.
    pub to: String,
    /// The constraint's id.
    pub constraint: String,
    /// The constraint's strength.
    pub strength: Strength,
}

/// The edges these constraints make, as `to_dot` and `to_mermaid` draw them: per constraint
/// in order, one edge from each judgement it reads to its target.
pub fn edges<'a>(constraints: impl IntoIterator<Item = &'a Constraint>) -> Vec<Edge> {
    let (graph, _) = build(constraints.into_iter(), &[]);
    graph
        .edge_indices()
        .filter_map(|edge| {
            let (from, to) = graph.edge_endpoints(edge)?;
            let (constraint, strength) = &graph[edge];
            Some(Edge {
                from: graph[from].clone(),
                to: graph[to].clone(),
                constraint: constraint.clone(),
                strength: *strength,
            })
        })
        .collect()
}

/// The graph of a period as Graphviz dot.
pub fn to_dot(rules: &PeriodRules) -> String {
    let (graph, _) = build(rules.constraints().iter(), &rules.judgement_ids());
    let mut out = String::new();
    let name: String = rules
        .label()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let _ = writeln!(out, "digraph judgements_{name} {{");
    let _ = writeln!(out, "  rankdir=LR;");
    for node in graph.node_indices() {
        let id = &graph[node];
        let latent = rules.judgement(id).is_some_and(|j| j.judgement.latent);
        let style = if latent { ", style=dashed" } else { "" };
        let _ = writeln!(out, "  \"{id}\" [shape=box{style}];");
    }
    for edge in graph.edge_indices() {
        if let Some((from, to)) = graph.edge_endpoints(edge) {
            let (constraint, strength) = &graph[edge];
            let style = if *strength == Strength::Usually {
                ", style=dashed"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{constraint}\"{style}];",
                graph[from], graph[to]
            );
        }
    }
    out.push_str("}\n");
    out
}

/// The graph of a period as a mermaid flowchart.
pub fn to_mermaid(rules: &PeriodRules) -> String {
    let (graph, _) = build(rules.constraints().iter(), &rules.judgement_ids());
    let mut out = String::from("flowchart LR\n");
    let node_name = |index: NodeIndex| format!("n{}", index.index());
    for node in graph.node_indices() {
        let id = &graph[node];
        let latent = rules.judgement(id).is_some_and(|j| j.judgement.latent);
        if latent {
            let _ = writeln!(out, "  {}([\"{id} (latent)\"])", node_name(node));
        } else {
            let _ = writeln!(out, "  {}[\"{id}\"]", node_name(node));
        }
    }
    for edge in graph.edge_indices() {
        if let Some((from, to)) = graph.edge_endpoints(edge) {
            let (constraint, strength) = &graph[edge];
            let arrow = if *strength == Strength::Usually {
                "-.->"
            } else {
                "-->"
            };
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{constraint}\"| {}",
                node_name(from),
                node_name(to)
            );
        }
    }
    out
}

type Graph = DiGraph<String, (String, Strength)>;

/// Build the graph: first the given judgements as nodes (in order), then any others the
/// constraints mention, then one edge per (read judgement, target) of each constraint.
fn build<'a>(
    constraints: impl Iterator<Item = &'a Constraint>,
    judgements: &[&str],
) -> (Graph, BTreeMap<String, NodeIndex>) {
    let mut graph = Graph::new();
    let mut nodes: BTreeMap<String, NodeIndex> = BTreeMap::new();
    let mut node = |graph: &mut Graph, id: &str| -> NodeIndex {
        *nodes
            .entry(id.to_owned())
            .or_insert_with(|| graph.add_node(id.to_owned()))
    };
    for id in judgements {
        node(&mut graph, id);
    }
    for constraint in constraints {
        let target = node(&mut graph, &constraint.target);
        for read in constraint.judgements().into_iter().skip(1) {
            let from = node(&mut graph, read);
            graph.add_edge(from, target, (constraint.id.clone(), constraint.strength));
        }
        // A constraint that reads its own target is a self-loop.
        let reads_target = constraint.other() == Some(constraint.target.as_str())
            || constraint
                .when
                .as_ref()
                .is_some_and(|when| when.judgements().contains(&constraint.target.as_str()));
        if reads_target {
            graph.add_edge(target, target, (constraint.id.clone(), constraint.strength));
        }
    }
    (graph, nodes)
}
