//! A judgement graph laid out in layers and drawn as inline SVG, left to right.
//!
//! The layout is a small Sugiyama scheme, one function per phase in `layout.rs`: cycles are
//! broken by reversing the arrows of petgraph's greedy feedback arc set (none when the graph
//! has no cycle; a reversed arrow is still drawn in its own direction); nodes are layered by
//! longest path (then each source moved next to its nearest successor); edges that span
//! several layers pass through dummy nodes; the order within each layer comes from
//! alternating barycentre sweeps with adjacent swaps ("transpose"), keeping the order with
//! the fewest crossings; boxes are sized to their labels and set in columns; vertical
//! positions are pulled towards the mean of their neighbours while keeping order and spacing;
//! the ends of the arrows at a node are spread along its side. Judgements no rule connects
//! are drawn in rows below the graph. Several rules between the same two judgements are one
//! arrow.
//!
//! Text widths are estimated, not measured: labels use a monospace font, so a character is
//! about 0.6 em wide.

use std::collections::HashMap;

use crate::view::GraphView;

mod layout;
mod svg;

pub use layout::{layout, Layout};
pub use svg::{describe, push_svg};

const FONT: f64 = 12.0;
const CHAR_W: f64 = 7.4;
const LINE_H: f64 = 15.0;
const PAD_X: f64 = 8.0;
const PAD_Y: f64 = 6.0;
const WRAP: usize = 30;
const PORT_GAP: f64 = 9.0;
const H_GAP: f64 = 64.0;
const V_GAP: f64 = 20.0;
const MARGIN: f64 = 12.0;

/// A merged edge between two distinct judgements, in the graph's own direction.
#[derive(Debug, Clone)]
pub struct Arrow {
    /// Index of the node the rules read.
    pub from: usize,
    /// Index of the node the rules constrain.
    pub to: usize,
    /// The rule ids, in the order given.
    pub rules: Vec<String>,
    /// True when every rule of the arrow is `usually`.
    pub usually: bool,
}

/// A judgement graph with merged edges, ready to lay out.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Node ids, in the order given (nodes only named by an edge are appended).
    pub ids: Vec<String>,
    /// Node labels.
    pub labels: Vec<String>,
    /// Whether each node is latent.
    pub latent: Vec<bool>,
    /// The arrows between distinct nodes.
    pub arrows: Vec<Arrow>,
    /// Rules whose edge starts and ends at the same node: (node, rules).
    pub loops: Vec<(usize, Vec<String>)>,
}

impl Graph {
    /// Reads a view's graph: duplicate node ids are dropped, unknown edge ends become nodes.
    pub fn from_view(g: &GraphView) -> Graph {
        let mut graph = Graph {
            ids: Vec::new(),
            labels: Vec::new(),
            latent: Vec::new(),
            arrows: Vec::new(),
            loops: Vec::new(),
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        for n in &g.nodes {
            if !index.contains_key(&n.id) {
                index.insert(n.id.clone(), graph.ids.len());
                graph.ids.push(n.id.clone());
                graph.labels.push(n.label.clone());
                graph.latent.push(n.latent);
            }
        }
        let mut merged: HashMap<(usize, usize), usize> = HashMap::new();
        let mut loops: HashMap<usize, usize> = HashMap::new();
        for e in &g.edges {
            let mut node = |id: &str, graph: &mut Graph| -> usize {
                if let Some(&i) = index.get(id) {
                    return i;
                }
                index.insert(id.to_string(), graph.ids.len());
                graph.ids.push(id.to_string());
                graph.labels.push(id.to_string());
                graph.latent.push(false);
                graph.ids.len() - 1
            };
            let from = node(&e.from, &mut graph);
            let to = node(&e.to, &mut graph);
            if from == to {
                let i = *loops.entry(from).or_insert_with(|| {
                    graph.loops.push((from, Vec::new()));
                    graph.loops.len() - 1
                });
                graph.loops[i].1.push(e.rule.clone());
                continue;
            }
            match merged.get(&(from, to)) {
                Some(&i) => {
                    let a = &mut graph.arrows[i];
                    a.rules.push(e.rule.clone());
                    a.usually &= e.usually;
                }
                None => {
                    merged.insert((from, to), graph.arrows.len());
                    graph.arrows.push(Arrow {
                        from,
                        to,
                        rules: vec![e.rule.clone()],
                        usually: e.usually,
                    });
                }
            }
        }
        graph
    }
}

impl Graph {
    /// The number of distinct rules drawn.
    pub fn rule_count(&self) -> usize {
        let mut rules: Vec<&str> = self
            .arrows
            .iter()
            .flat_map(|a| a.rules.iter())
            .chain(self.loops.iter().flat_map(|l| l.1.iter()))
            .map(String::as_str)
            .collect();
        rules.sort_unstable();
        rules.dedup();
        rules.len()
    }
}

/// Splits a label into lines of at most `WRAP` characters, breaking after `.`, `_`, `-`,
/// `/` or a space where possible.
pub fn wrap(label: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in label.chars() {
        cur.push(c);
        if matches!(c, '.' | '_' | '-' | ' ' | '/') {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for tok in tokens {
        let mut tok = tok;
        while tok.chars().count() > WRAP {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = tok.chars().take(WRAP).collect();
            tok = tok.chars().skip(WRAP).collect();
            lines.push(head);
        }
        if line.chars().count() + tok.chars().count() > WRAP && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(&tok);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{EdgeView, NodeView};

    fn graph(nodes: &[&str], edges: &[(&str, &str)]) -> GraphView {
        GraphView {
            nodes: nodes
                .iter()
                .map(|n| NodeView {
                    id: n.to_string(),
                    label: n.to_string(),
                    latent: false,
                })
                .collect(),
            edges: edges
                .iter()
                .enumerate()
                .map(|(i, (f, t))| EdgeView {
                    from: f.to_string(),
                    to: t.to_string(),
                    rule: format!("r{i}"),
                    usually: false,
                })
                .collect(),
        }
    }

    #[test]
    fn wraps_long_labels() {
        assert_eq!(
            wrap("apa.overall_effectiveness"),
            vec!["apa.overall_effectiveness"]
        );
        let w = wrap("apa.making_a_positive_contribution");
        assert!(w.iter().all(|l| l.chars().count() <= WRAP), "{w:?}");
        assert_eq!(w.concat(), "apa.making_a_positive_contribution");
        let long = "x".repeat(60);
        assert_eq!(wrap(&long).concat(), long);
        assert_eq!(wrap(""), vec![""]);
    }

    #[test]
    fn layers_follow_longest_paths() {
        let g = Graph::from_view(&graph(
            &["a", "b", "c", "d"],
            &[("a", "b"), ("b", "c"), ("a", "c")],
        ));
        let l = layout(&g);
        assert_eq!(&l.layer[..4], &[Some(0), Some(1), Some(2), None]);
        // a -> c spans two layers: one dummy
        assert_eq!(l.layer.len(), 5);
        assert!(l.isolated_top.is_some());
    }

    #[test]
    fn barycentre_removes_avoidable_crossings() {
        // Two independent fans drawn in an order that crosses at first.
        let g = Graph::from_view(&graph(
            &["a", "b", "x", "y"],
            &[("a", "y"), ("b", "x"), ("a", "y")],
        ));
        assert_eq!(layout(&g).crossings, 0);
        let g = Graph::from_view(&graph(
            &["a1", "a2", "a3", "t1", "t2", "t3"],
            &[("a1", "t3"), ("a2", "t2"), ("a3", "t1"), ("a1", "t2")],
        ));
        assert_eq!(layout(&g).crossings, 0);
    }

    #[test]
    fn cycles_and_loops_do_not_break_layout() {
        let g = Graph::from_view(&graph(
            &["a", "b", "c"],
            &[("a", "b"), ("b", "c"), ("c", "a"), ("a", "a")],
        ));
        assert_eq!(g.loops.len(), 1);
        let l = layout(&g);
        assert_eq!(l.reversed.iter().filter(|r| **r).count(), 1);
        // The reversed arrow still ends at its own target: c -> a ends at a's box.
        let k = l.reversed.iter().position(|r| *r).unwrap();
        let end = *l.paths[k].last().unwrap();
        let a = l.boxes[g.arrows[k].to];
        assert!((end.0 - (a.0 + a.2)).abs() < 0.01 || (end.0 - a.0).abs() < 0.01);
    }

    #[test]
    fn acyclic_graphs_reverse_nothing_and_cycles_are_broken() {
        // Edges from lower to higher in a shuffled order: acyclic, so no arrow is reversed.
        let names = ["e", "b", "f", "a", "d", "c"];
        let mut edges = Vec::new();
        for (i, from) in names.iter().enumerate() {
            for to in &names[i + 1..] {
                if (from.as_bytes()[0] + to.as_bytes()[0]) % 3 != 0 {
                    edges.push((*from, *to));
                }
            }
        }
        let g = Graph::from_view(&graph(&names, &edges));
        assert!(layout(&g).reversed.iter().all(|r| !r));
        // Two cycles sharing an arrow: the reversed arrows leave none, and every path still
        // runs from its arrow's source box to its target box.
        let g = Graph::from_view(&graph(
            &["a", "b", "c", "d"],
            &[("a", "b"), ("b", "c"), ("c", "a"), ("b", "d"), ("d", "a")],
        ));
        let l = layout(&g);
        assert!(l.reversed.iter().any(|r| *r));
        for (k, a) in g.arrows.iter().enumerate() {
            let (from, to) = (l.layer[a.from].unwrap(), l.layer[a.to].unwrap());
            if l.reversed[k] {
                assert!(to < from, "arrow {k} reversed");
            } else {
                assert!(from < to, "arrow {k}");
            }
            let (start, end) = (l.paths[k][0], *l.paths[k].last().unwrap());
            let (s, t) = (l.boxes[a.from], l.boxes[a.to]);
            let on_side = |p: (f64, f64), b: (f64, f64, f64, f64)| {
                ((p.0 - b.0).abs() < 0.01 || (p.0 - (b.0 + b.2)).abs() < 0.01)
                    && p.1 >= b.1
                    && p.1 <= b.1 + b.3
            };
            assert!(on_side(start, s) && on_side(end, t), "arrow {k}");
        }
    }

    #[test]
    fn unknown_edge_ends_become_nodes_and_duplicates_merge() {
        let mut v = graph(&["a"], &[("a", "b"), ("a", "b")]);
        v.edges[1].usually = true;
        let g = Graph::from_view(&v);
        assert_eq!(g.ids, vec!["a", "b"]);
        assert_eq!(g.arrows.len(), 1);
        assert_eq!(g.arrows[0].rules, vec!["r0", "r1"]);
        assert!(!g.arrows[0].usually);
    }
}
