//! The layered layout of a judgement graph, one function per phase of the Sugiyama scheme
//! the module doc names: [`layout`] runs them in order.

use petgraph::algo::greedy_feedback_arc_set;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::*;

/// A box: x, y of its top left corner, width, height.
type Rect = (f64, f64, f64, f64);

/// A laid-out graph. Nodes `0..graph.ids.len()` are the judgements; later ones are dummies.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Layer of each laid-out node (`None` for an isolated judgement).
    pub layer: Vec<Option<usize>>,
    /// Nodes of each layer, top to bottom.
    pub layers: Vec<Vec<usize>>,
    /// Edge crossings of the chosen order.
    pub crossings: usize,
    /// Box of each node (x, y of the top left corner, width, height); dummies have width 0.
    pub boxes: Vec<(f64, f64, f64, f64)>,
    /// Wrapped label lines of each judgement.
    pub lines: Vec<Vec<String>>,
    /// For each arrow: the path's points from its source to its target.
    pub paths: Vec<Vec<(f64, f64)>>,
    /// Indices of arrows reversed to break a cycle (still drawn in their own direction).
    pub reversed: Vec<bool>,
    /// Width and height of the whole drawing.
    pub size: (f64, f64),
    /// Top of the row of unconnected judgements, if any.
    pub isolated_top: Option<f64>,
}

/// Lays out `g`: breaks cycles, layers the judgements, adds dummy nodes on long arrows,
/// orders each layer, sizes the boxes and places them in columns and rows, routes the arrows
/// through their ports, and puts the unconnected judgements in rows below.
pub fn layout(g: &Graph) -> Layout {
    let lines: Vec<Vec<String>> = g.labels.iter().map(|l| wrap(l)).collect();
    let reversed = break_cycles(g);
    let dag: Vec<(usize, usize)> = g
        .arrows
        .iter()
        .zip(&reversed)
        .map(|(a, &r)| if r { (a.to, a.from) } else { (a.from, a.to) })
        .collect();
    let layering = layer_judgements(g.ids.len(), &dag);
    let proper = add_dummies(&layering, &dag);
    let (layers, crossings) = order_layers(&proper);
    let (w, h) = box_sizes(&lines, &proper);
    let columns = columns(&layers, &w);
    let cy = rows(&proper, &layers, &h);
    let (mut boxes, graph_size) = place_boxes(&proper, &columns, &cy, &w, &h);
    let paths = route(&proper, &columns, &boxes, &cy, &h, &reversed);
    let unconnected = place_unconnected(
        &layering.connected,
        &w,
        &h,
        !layers.is_empty(),
        graph_size,
        &mut boxes,
    );

    Layout {
        layer: proper.layer,
        layers,
        crossings,
        boxes,
        lines,
        paths,
        reversed,
        size: (unconnected.width.ceil(), unconnected.height.ceil()),
        isolated_top: unconnected.top,
    }
}

/// Which arrows to reverse so that the graph has no cycle: petgraph's greedy feedback arc
/// set (Eades, Lin and Smyth), which is empty when the graph has no cycle.
fn break_cycles(g: &Graph) -> Vec<bool> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(g.ids.len(), g.arrows.len());
    let nodes: Vec<NodeIndex> = g.ids.iter().map(|_| graph.add_node(())).collect();
    // INVARIANT: the arrows are added in order, so edge index k is arrow k.
    for a in &g.arrows {
        graph.add_edge(nodes[a.from], nodes[a.to], ());
    }
    let mut reversed = vec![false; g.arrows.len()];
    for edge in greedy_feedback_arc_set(&graph) {
        reversed[edge.id().index()] = true;
    }
    reversed
}

/// The layer of each judgement an arrow touches.
struct Layering {
    /// Whether each judgement has an arrow; the others are drawn in rows below.
    connected: Vec<bool>,
    /// The layer of each judgement (0 for an unconnected one).
    layer: Vec<usize>,
}

/// Longest-path layering of the acyclic `dag` over `n` judgements, then each source moved
/// next to its nearest successor (shorter edges, fewer dummies).
fn layer_judgements(n: usize, dag: &[(usize, usize)]) -> Layering {
    let mut connected = vec![false; n];
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(u, v) in dag {
        connected[u] = true;
        connected[v] = true;
        indeg[v] += 1;
        succ[u].push(v);
    }
    let mut layer = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| connected[v] && indeg[v] == 0).collect();
    let sources = queue.clone();
    let mut qi = 0;
    while qi < queue.len() {
        let u = queue[qi];
        qi += 1;
        for &v in &succ[u] {
            layer[v] = layer[v].max(layer[u] + 1);
            indeg[v] -= 1;
            if indeg[v] == 0 {
                queue.push(v);
            }
        }
    }
    for &s in &sources {
        if let Some(m) = succ[s].iter().map(|&v| layer[v]).min() {
            layer[s] = m.saturating_sub(1).max(layer[s]);
        }
    }
    Layering { connected, layer }
}

/// The layered graph with a dummy node wherever an arrow crosses a layer, so that every
/// edge joins adjacent layers.
struct Proper {
    /// Layer of each node: the judgements (`None` when unconnected), then the dummies.
    layer: Vec<Option<usize>>,
    /// The nodes of each layer, in node order.
    layers: Vec<Vec<usize>>,
    /// Each node's neighbours in the next and the previous layer.
    succs: Vec<Vec<usize>>,
    preds: Vec<Vec<usize>>,
    /// For each arrow, its nodes in layer order: a judgement, the dummies, a judgement.
    chains: Vec<Vec<usize>>,
}

/// Adds the dummy nodes of each arrow of `dag` that spans more than one layer.
fn add_dummies(layering: &Layering, dag: &[(usize, usize)]) -> Proper {
    let Layering {
        connected,
        layer: layer0,
    } = layering;
    let n0 = connected.len();
    let mut layer: Vec<Option<usize>> =
        (0..n0).map(|v| connected[v].then_some(layer0[v])).collect();
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n0];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n0];
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for &(u, v) in dag {
        let mut chain = vec![u];
        let mut prev = u;
        for l in layer0[u] + 1..layer0[v] {
            let d = layer.len();
            layer.push(Some(l));
            succs.push(Vec::new());
            preds.push(Vec::new());
            succs[prev].push(d);
            preds[d].push(prev);
            chain.push(d);
            prev = d;
        }
        succs[prev].push(v);
        preds[v].push(prev);
        chain.push(v);
        chains.push(chain);
    }
    let layer_count = layer.iter().flatten().map(|&l| l + 1).max().unwrap_or(0);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (v, l) in layer.iter().enumerate() {
        if let Some(l) = l {
            layers[*l].push(v);
        }
    }
    Proper {
        layer,
        layers,
        succs,
        preds,
        chains,
    }
}

/// The order within each layer with the fewest crossings found by alternating barycentre
/// sweeps, each followed by adjacent swaps; and its number of crossings.
fn order_layers(proper: &Proper) -> (Vec<Vec<usize>>, usize) {
    let n = proper.layer.len();
    let order = Order {
        succs: &proper.succs,
        preds: &proper.preds,
    };
    let mut layers = proper.layers.clone();
    let mut best = layers.clone();
    let mut best_c = order.crossings(&layers, n);
    for iter in 0..24 {
        if best_c == 0 {
            break;
        }
        order.sweep(&mut layers, n, iter % 2 == 0);
        order.transpose(&mut layers, n);
        let c = order.crossings(&layers, n);
        if c < best_c {
            best_c = c;
            best = layers.clone();
        }
    }
    (best, best_c)
}

/// Width and height of each node's box: a judgement's fits its wrapped label and leaves room
/// for the ends of its arrows, spread along its side; a dummy's is empty.
fn box_sizes(lines: &[Vec<String>], proper: &Proper) -> (Vec<f64>, Vec<f64>) {
    let n = proper.layer.len();
    let mut w = vec![0.0; n];
    let mut h = vec![0.0; n];
    let mut ins = vec![0usize; n];
    let mut outs = vec![0usize; n];
    for chain in &proper.chains {
        outs[chain[0]] += 1;
        ins[chain[chain.len() - 1]] += 1;
    }
    for (v, label) in lines.iter().enumerate() {
        let longest = label.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        w[v] = longest as f64 * CHAR_W + 2.0 * PAD_X;
        h[v] = label.len() as f64 * LINE_H + 2.0 * PAD_Y;
        let ports = ins[v].max(outs[v]) as f64;
        h[v] = h[v].max(ports * PORT_GAP + 6.0);
    }
    (w, h)
}

/// The left and right edge of each layer's column.
struct Columns {
    left: Vec<f64>,
    right: Vec<f64>,
}

/// Columns as wide as their widest box, `H_GAP` apart.
fn columns(layers: &[Vec<usize>], w: &[f64]) -> Columns {
    let mut left = vec![0.0; layers.len()];
    let mut right = vec![0.0; layers.len()];
    let mut x = MARGIN;
    for (l, nodes) in layers.iter().enumerate() {
        let width = nodes.iter().map(|&v| w[v]).fold(0.0, f64::max);
        left[l] = x;
        right[l] = x + width;
        x += width + H_GAP;
    }
    Columns { left, right }
}

/// The vertical centre of each node: each layer stacked and centred, then, in alternating
/// sweeps, each node pulled towards the mean of its neighbours as far as the order and
/// spacing allow ([`place`]); then all moved down so that the top box is at the margin.
fn rows(proper: &Proper, layers: &[Vec<usize>], h: &[f64]) -> Vec<f64> {
    let n = proper.layer.len();
    let layer_count = layers.len();
    let mut cy = vec![0.0; n];
    for nodes in layers {
        let mut y = 0.0;
        for &v in nodes {
            cy[v] = y + h[v] / 2.0;
            y += h[v] + V_GAP;
        }
        for &v in nodes {
            cy[v] -= (y - V_GAP) / 2.0;
        }
    }
    for iter in 0..12 {
        let ls: Vec<usize> = if iter % 2 == 0 {
            (0..layer_count).collect()
        } else {
            (0..layer_count).rev().collect()
        };
        for l in ls {
            let nodes = &layers[l];
            let desired: Vec<f64> = nodes
                .iter()
                .map(|&v| {
                    let nb: Vec<f64> = proper.preds[v]
                        .iter()
                        .chain(&proper.succs[v])
                        .map(|&u| cy[u])
                        .collect();
                    if nb.is_empty() {
                        cy[v]
                    } else {
                        nb.iter().sum::<f64>() / nb.len() as f64
                    }
                })
                .collect();
            let hs: Vec<f64> = nodes.iter().map(|&v| h[v]).collect();
            for (&v, c) in nodes.iter().zip(place(&desired, &hs)) {
                cy[v] = c;
            }
        }
    }
    let top = (0..n)
        .filter(|&v| proper.layer[v].is_some())
        .map(|v| cy[v] - h[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = if top.is_finite() { MARGIN - top } else { 0.0 };
    for c in cy.iter_mut() {
        *c += shift;
    }
    cy
}

/// Each laid-out node's box, centred in its column at its row; and the size of the drawing
/// so far (the laid-out nodes and the margins).
fn place_boxes(
    proper: &Proper,
    columns: &Columns,
    cy: &[f64],
    w: &[f64],
    h: &[f64],
) -> (Vec<Rect>, (f64, f64)) {
    let n = proper.layer.len();
    let mut boxes = vec![(0.0, 0.0, 0.0, 0.0); n];
    for v in 0..n {
        if let Some(l) = proper.layer[v] {
            let bx = columns.left[l] + (columns.right[l] - columns.left[l] - w[v]) / 2.0;
            boxes[v] = (bx, cy[v] - h[v] / 2.0, w[v], h[v]);
        }
    }
    let width = columns.right.last().copied().unwrap_or(0.0) + MARGIN;
    let height = (0..n)
        .filter(|&v| proper.layer[v].is_some())
        .map(|v| cy[v] + h[v] / 2.0)
        .fold(0.0, f64::max)
        + MARGIN;
    (boxes, (width, height))
}

/// The path of each arrow, from its source's right side to its target's left side through
/// its dummies. The ends of the arrows at one node (its ports) are spread along its side, in
/// the order of their other ends; a reversed arrow's path is turned round, so that every path
/// runs from the arrow's own source to its own target.
fn route(
    proper: &Proper,
    columns: &Columns,
    boxes: &[Rect],
    cy: &[f64],
    h: &[f64],
    reversed: &[bool],
) -> Vec<Vec<(f64, f64)>> {
    let n = proper.layer.len();
    let chains = &proper.chains;
    let mut out_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut in_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (k, chain) in chains.iter().enumerate() {
        let first = chain[0];
        let last = chain[chain.len() - 1];
        out_ports[first].push((cy[chain[1]], k));
        in_ports[last].push((cy[chain[chain.len() - 2]], k));
    }
    let spread = |ports: &mut Vec<(f64, usize)>, v: usize| -> Vec<(usize, f64)> {
        ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let m = ports.len();
        let span = if m > 1 {
            (h[v] - 8.0).min((m - 1) as f64 * PORT_GAP)
        } else {
            0.0
        };
        ports
            .iter()
            .enumerate()
            .map(|(i, &(_, k))| {
                let t = if m > 1 {
                    i as f64 / (m - 1) as f64
                } else {
                    0.5
                };
                (k, cy[v] - span / 2.0 + span * t)
            })
            .collect()
    };
    let mut start_y = vec![0.0; chains.len()];
    let mut end_y = vec![0.0; chains.len()];
    // Only judgements have ports (a dummy's lists are empty): a dummy is passed through.
    for v in 0..n {
        for (k, y) in spread(&mut out_ports[v], v) {
            start_y[k] = y;
        }
        for (k, y) in spread(&mut in_ports[v], v) {
            end_y[k] = y;
        }
    }
    let mut paths = Vec::with_capacity(chains.len());
    for (k, chain) in chains.iter().enumerate() {
        let u = chain[0];
        let v = chain[chain.len() - 1];
        let mut pts = vec![(boxes[u].0 + boxes[u].2, start_y[k])];
        for &d in &chain[1..chain.len() - 1] {
            let l = proper.layer[d].unwrap_or(0);
            pts.push((columns.left[l], cy[d]));
            pts.push((columns.right[l], cy[d]));
        }
        pts.push((boxes[v].0, end_y[k]));
        if reversed[k] {
            pts.reverse();
        }
        paths.push(pts);
    }
    paths
}

/// The drawing's size once the unconnected judgements are placed, and the top of their rows.
struct Unconnected {
    width: f64,
    height: f64,
    top: Option<f64>,
}

/// Places the judgements no arrow touches in rows below the graph (or at the top when there
/// is no graph), wrapping at the graph's width or 640, whichever is wider.
fn place_unconnected(
    connected: &[bool],
    w: &[f64],
    h: &[f64],
    has_graph: bool,
    graph_size: (f64, f64),
    boxes: &mut [Rect],
) -> Unconnected {
    let (mut width, mut height) = graph_size;
    let isolated: Vec<usize> = (0..connected.len()).filter(|&v| !connected[v]).collect();
    if isolated.is_empty() {
        return Unconnected {
            width,
            height,
            top: None,
        };
    }
    let row_width = width.max(640.0) - MARGIN;
    let top = if has_graph {
        height + 22.0
    } else {
        MARGIN + 22.0
    };
    let (mut x, mut y, mut row_h) = (MARGIN, top, 0.0f64);
    for &v in &isolated {
        if x > MARGIN && x + w[v] > row_width {
            x = MARGIN;
            y += row_h + 10.0;
            row_h = 0.0;
        }
        boxes[v] = (x, y, w[v], h[v]);
        x += w[v] + 12.0;
        row_h = row_h.max(h[v]);
        width = width.max(x - 12.0 + MARGIN);
    }
    height = y + row_h + MARGIN;
    Unconnected {
        width,
        height,
        top: Some(top - 22.0 + MARGIN / 2.0),
    }
}

/// The order of the nodes within layers, given each node's neighbours in the next and the
/// previous layer.
struct Order<'a> {
    succs: &'a [Vec<usize>],
    preds: &'a [Vec<usize>],
}

impl Order<'_> {
    /// Each node's position within its layer.
    fn positions(&self, layers: &[Vec<usize>], n: usize) -> Vec<usize> {
        let mut pos = vec![0; n];
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    /// Edge crossings between every pair of adjacent layers.
    fn crossings(&self, layers: &[Vec<usize>], n: usize) -> usize {
        let pos = self.positions(layers, n);
        let mut total = 0;
        for layer in layers {
            let segs: Vec<(usize, usize)> = layer
                .iter()
                .flat_map(|&u| self.succs[u].iter().map(move |&v| (u, v)))
                .map(|(u, v)| (pos[u], pos[v]))
                .collect();
            total += count_between(&segs);
        }
        total
    }

    /// Crossings among the edges of `u` and `v` (with `u` above `v`) to both adjacent layers.
    fn pair_crossings(&self, u: usize, v: usize, pos: &[usize]) -> usize {
        let mut c = 0;
        for adj in [self.preds, self.succs] {
            for &a in &adj[u] {
                for &b in &adj[v] {
                    if pos[a] > pos[b] {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    /// One barycentre sweep, down (each layer by its predecessors) or up (by successors); a
    /// node with no neighbour there keeps its position as its key, and ties keep the order.
    fn sweep(&self, layers: &mut [Vec<usize>], n: usize, down: bool) {
        let count = layers.len();
        let idx: Vec<usize> = if down {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for l in idx {
            let pos = self.positions(layers, n);
            let refs = if down { self.preds } else { self.succs };
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let r = &refs[v];
                    let b = if r.is_empty() {
                        i as f64
                    } else {
                        r.iter().map(|&x| pos[x] as f64).sum::<f64>() / r.len() as f64
                    };
                    (b, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|k| k.2).collect();
        }
    }

    /// Swaps adjacent nodes while that removes crossings ("transpose"), at most 8 rounds.
    fn transpose(&self, layers: &mut [Vec<usize>], n: usize) {
        for _ in 0..8 {
            let mut improved = false;
            for l in 0..layers.len() {
                for i in 0..layers[l].len().saturating_sub(1) {
                    let pos = self.positions(layers, n);
                    let (u, v) = (layers[l][i], layers[l][i + 1]);
                    if self.pair_crossings(v, u, &pos) < self.pair_crossings(u, v, &pos) {
                        layers[l].swap(i, i + 1);
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
}

/// Crossings among edges between two layers, each given as (upper position, lower position).
fn count_between(segs: &[(usize, usize)]) -> usize {
    let mut c = 0;
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            let (a, b) = segs[i];
            let (x, y) = segs[j];
            if (a < x && b > y) || (a > x && b < y) {
                c += 1;
            }
        }
    }
    c
}

/// Places centres in order with at least `V_GAP` between boxes of heights `h`, as near
/// `desired` as the order allows.
fn place(desired: &[f64], h: &[f64]) -> Vec<f64> {
    let n = desired.len();
    if n == 0 {
        return Vec::new();
    }
    let sep = |i: usize| (h[i] + h[i + 1]) / 2.0 + V_GAP;
    let mut a = desired.to_vec();
    for i in 1..n {
        a[i] = a[i].max(a[i - 1] + sep(i - 1));
    }
    let mut b = desired.to_vec();
    for i in (0..n - 1).rev() {
        b[i] = b[i].min(b[i + 1] - sep(i));
    }
    let mut c: Vec<f64> = a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0).collect();
    for i in 1..n {
        c[i] = c[i].max(c[i - 1] + sep(i - 1));
    }
    c
}
