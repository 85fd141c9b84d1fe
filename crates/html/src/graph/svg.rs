//! A laid-out judgement graph drawn as inline SVG, and its text alternative.

use std::fmt::Write;

use super::*;
use crate::escape::Text;

fn num(out: &mut String, x: f64) {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        let _ = write!(out, "{}", r as i64);
    } else {
        let _ = write!(out, "{r:.1}");
    }
}

/// The text alternative of a graph: what it shows, in sentences.
pub fn describe(g: &Graph, framework: &str) -> String {
    let mut d = String::new();
    let rules = g.rule_count();
    let _ = write!(
        d,
        "Judgement graph of {framework}: {} judgements, {} rules. Arrows run from the judgement a rule reads to the judgement it constrains; dashed arrows are usually-rules, dashed boxes latent judgements.",
        g.ids.len(),
        rules
    );
    for a in &g.arrows {
        let _ = write!(
            d,
            " {} to {} ({}{}).",
            g.ids[a.from],
            g.ids[a.to],
            a.rules.join(", "),
            if a.usually { ", usually" } else { "" }
        );
    }
    for (v, r) in &g.loops {
        let _ = write!(d, " {} constrains itself ({}).", g.ids[*v], r.join(", "));
    }
    let latent: Vec<&str> = (0..g.ids.len())
        .filter(|&v| g.latent[v])
        .map(|v| g.ids[v].as_str())
        .collect();
    if !latent.is_empty() {
        let _ = write!(d, " Latent: {}.", latent.join(", "));
    }
    let mut connected = vec![false; g.ids.len()];
    for a in &g.arrows {
        connected[a.from] = true;
        connected[a.to] = true;
    }
    let alone: Vec<&str> = (0..g.ids.len())
        .filter(|&v| !connected[v])
        .map(|v| g.ids[v].as_str())
        .collect();
    if !alone.is_empty() {
        let _ = write!(d, " Not connected by any rule: {}.", alone.join(", "));
    }
    d
}

/// Appends the `<svg>` of `view`, with `key` (an anchor-safe string) making its element ids
/// unique in the page and `titles` giving judgement titles for the tooltips.
pub fn push_svg(
    out: &mut String,
    view: &GraphView,
    key: &str,
    framework: &str,
    titles: &HashMap<&str, &str>,
) {
    // An anchor-safe key is its own escape; escaped all the same, as a string from outside.
    let key = Text(key);
    let g = Graph::from_view(view);
    let lay = layout(&g);
    let (w, h) = lay.size;
    let _ = write!(
        out,
        "<svg class=\"graph\" role=\"img\" data-graph=\"{key}\" aria-labelledby=\"gt-{key} gd-{key}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    let _ = write!(
        out,
        "<title id=\"gt-{key}\">Judgement graph of {}</title><desc id=\"gd-{key}\">{}</desc>",
        Text(framework),
        Text(&describe(&g, framework))
    );
    let _ = write!(
        out,
        "<defs><marker id=\"gm-{key}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" class=\"ah\"/></marker></defs>"
    );
    for (k, pts) in lay.paths.iter().enumerate() {
        let a = &g.arrows[k];
        let _ = write!(
            out,
            "<path class=\"e{}\" marker-end=\"url(#gm-{key})\" d=\"M",
            if a.usually { " u" } else { "" }
        );
        num(out, pts[0].0);
        out.push(',');
        num(out, pts[0].1);
        for win in pts.windows(2) {
            let (p, q) = (win[0], win[1]);
            if (p.1 - q.1).abs() < 0.05 {
                out.push('L');
            } else {
                let dx = (q.0 - p.0) / 2.0;
                out.push('C');
                num(out, p.0 + dx);
                out.push(',');
                num(out, p.1);
                out.push(' ');
                num(out, q.0 - dx);
                out.push(',');
                num(out, q.1);
                out.push(' ');
            }
            num(out, q.0);
            out.push(',');
            num(out, q.1);
        }
        let tip = format!(
            "{} to {}: {}{}",
            g.ids[a.from],
            g.ids[a.to],
            a.rules.join(", "),
            if a.usually { " (usually)" } else { "" }
        );
        let _ = write!(out, "\"><title>{}</title></path>", Text(&tip));
    }
    if let Some(top) = lay.isolated_top {
        out.push_str("<text class=\"cap\" x=\"12\" y=\"");
        num(out, top + 10.0);
        out.push_str("\">Not connected by any rule:</text>");
    }
    for v in 0..g.ids.len() {
        let (x, y, bw, bh) = lay.boxes[v];
        let mut tip = g.ids[v].clone();
        if let Some(t) = titles.get(g.ids[v].as_str()) {
            tip.push_str(": ");
            tip.push_str(t);
        }
        if g.latent[v] {
            tip.push_str(" (latent)");
        }
        let _ = write!(
            out,
            "<g class=\"n{}\"><title>{}</title><rect x=\"",
            if g.latent[v] { " l" } else { "" },
            Text(&tip)
        );
        num(out, x);
        out.push_str("\" y=\"");
        num(out, y);
        out.push_str("\" width=\"");
        num(out, bw);
        out.push_str("\" height=\"");
        num(out, bh);
        out.push_str("\" rx=\"4\"/><text x=\"");
        num(out, x + bw / 2.0);
        out.push_str("\" y=\"");
        num(
            out,
            y + (bh - lay.lines[v].len() as f64 * LINE_H) / 2.0 + FONT,
        );
        out.push_str("\">");
        for (i, line) in lay.lines[v].iter().enumerate() {
            out.push_str("<tspan x=\"");
            num(out, x + bw / 2.0);
            out.push_str("\" dy=\"");
            num(out, if i == 0 { 0.0 } else { LINE_H });
            let _ = write!(out, "\">{}</tspan>", Text(line));
        }
        out.push_str("</text></g>");
    }
    out.push_str("</svg>");
}
