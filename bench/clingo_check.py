#!/usr/bin/env python3
"""Cross-check `ratings analyze` against the answer set solver clingo, and time both.

The rule directory is read here independently of the Rust loader (tomllib), encoded as an
answer set program, and asked the same questions as `ratings analyze`: is the year
unsatisfiable, which values are unreachable, which `must` constraints are redundant, which
conditions are dead, and which `usually` rules contradict the `must` rules. The two sets of
findings are printed side by side; the script exits 1 if they differ.

Usage: python3 bench/clingo_check.py [--binary target/release/ratings] [--runs 20] RULE_DIR...
Needs `pip install clingo==5.8.3`.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import tomllib

import clingo


def load(directory):
    """Scales and rule sets (with extends and remove resolved) of a rule directory."""
    scales, raw = {}, {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".toml"):
            continue
        with open(os.path.join(directory, name), "rb") as handle:
            data = tomllib.load(handle)
        for scale in data.get("scale", []):
            scales[scale["id"]] = scale["values"]
        if "id" in data:
            raw[data["id"]] = data
    resolved = {}

    def resolve(rule_set_id):
        if rule_set_id in resolved:
            return resolved[rule_set_id]
        data = raw[rule_set_id]
        judgements, constraints = {}, {}
        if "extends" in data:
            parent = resolve(data["extends"])
            judgements.update(parent["judgements"])
            constraints.update(parent["constraints"])
            for removed in data.get("remove", []):
                constraints.pop(removed, None)
        for judgement in data.get("judgement", []):
            judgements[judgement["id"]] = judgement
        for constraint in data.get("constraint", []):
            constraints[constraint["id"]] = constraint
        resolved[rule_set_id] = {
            "years": span(data["years"]),
            "judgements": judgements,
            "constraints": constraints,
        }
        return resolved[rule_set_id]

    for rule_set_id in raw:
        resolve(rule_set_id)
    return scales, resolved


def span(years):
    """A rule set's `years` as first and last day: a year or a date each end, `to` left out
    when the rule set is still in force."""
    low, high = years["from"], years.get("to")
    low = datetime.date(low, 1, 1) if isinstance(low, int) else low
    if high is None:
        high = datetime.date.max
    elif isinstance(high, int):
        high = datetime.date(high, 12, 31)
    return low, high


def period_starts(rule_sets):
    """Every day on which the rules in force change: each rule set's first day and the day
    after its last. Between two of them the rules are the same."""
    days = set()
    for low, high in (r["years"] for r in rule_sets.values()):
        days.add(low)
        if high < datetime.date.max:
            days.add(high + datetime.timedelta(days=1))
    return sorted(d for d in days if any(l <= d <= h for l, h in (r["years"] for r in rule_sets.values())))


def rules_on(scales, rule_sets, day):
    judgements, constraints = {}, {}
    for rule_set in rule_sets.values():
        low, high = rule_set["years"]
        if low <= day <= high:
            judgements.update(rule_set["judgements"])
            constraints.update(rule_set["constraints"])
    return judgements, constraints


def number(scales, judgements, judgement_id, value):
    values = scales[judgements[judgement_id]["scale"]]
    if isinstance(value, int):
        return value
    for entry in values:
        names = [entry["label"]] + entry.get("aliases", [])
        if any(value.lower() == n.lower() for n in names):
            return entry["number"]
    raise ValueError(f"{value} not on the scale of {judgement_id}")


class Encoder:
    """Turns one year's judgements and constraints into ASP facts and rules."""

    def __init__(self, scales, judgements, constraints):
        self.scales, self.judgements, self.constraints = scales, judgements, constraints
        self.names = {j: f"j{i}" for i, j in enumerate(sorted(judgements))}
        self.cnames = {c: f"c{i}" for i, c in enumerate(sorted(constraints))}
        self.aux = 0
        self.lines = []

    def fresh(self):
        self.aux += 1
        return f"aux{self.aux}"

    def condition(self, cond):
        """An atom that holds exactly when the condition does."""
        atom = self.fresh()
        if "judgement" in cond:
            j = cond["judgement"]
            var = self.names[j]
            if "at_most" in cond:
                op, value = "<=", number(self.scales, self.judgements, j, cond["at_most"])
            elif "at_least" in cond:
                op, value = ">=", number(self.scales, self.judgements, j, cond["at_least"])
            else:
                op, value = "=", number(self.scales, self.judgements, j, cond["is"])
            self.lines.append(f"{atom} :- v({var},X), X {op} {value}.")
        elif "all" in cond:
            parts = [self.condition(c) for c in cond["all"]]
            self.lines.append(f"{atom} :- {', '.join(parts)}.")
        elif "any" in cond:
            for part in (self.condition(c) for c in cond["any"]):
                self.lines.append(f"{atom} :- {part}.")
        else:
            count = cond["count"]
            members = []
            for j in count["of"]:
                member = self.fresh()
                value = number(self.scales, self.judgements, j, count["at_most"])
                self.lines.append(f"{member} :- v({self.names[j]},X), X <= {value}.")
                members.append(member)
            self.lines.append(f"{atom} :- {count['n']} {{ {'; '.join(members)} }}.")
        return atom

    def program(self):
        for j, name in self.names.items():
            numbers = [entry["number"] for entry in self.scales[self.judgements[j]["scale"]]]
            self.lines.append(f"1 {{ v({name},V) : V = ({';'.join(map(str, numbers))}) }} 1.")
        for c, cname in self.cnames.items():
            constraint = self.constraints[c]
            cond = self.condition(constraint["when"]) if "when" in constraint else None
            cond_body = f"{cond}" if cond else "#true"
            self.lines.append(f"constraint({cname}).")
            self.lines.append(f"cond({cname}) :- {cond_body}.")
            target = self.names[constraint["target"]]
            kind = constraint["kind"]
            if kind == "cap":
                value = number(self.scales, self.judgements, constraint["target"], constraint["at_most"])
                broken = f"v({target},X), X > {value}"
            elif kind == "floor":
                value = number(self.scales, self.judgements, constraint["target"], constraint["at_least"])
                broken = f"v({target},X), X < {value}"
            else:
                other = self.names[constraint["other"]]
                offset = constraint.get("offset", 0)
                relation = ">" if kind == "limit" else "!="
                broken = f"v({target},X), v({other},Y), X {relation} Y + {offset}"
            self.lines.append(f"bad({cname}) :- cond({cname}), {broken}.")
            self.lines.append(f"#external active({cname}).")
            self.lines.append(f":- bad({cname}), active({cname}).")
        # Query switches, set per question with externals.
        # Query switches: choice atoms, forced true by assumptions, free (so harmless) otherwise.
        self.lines.append("{ want_bad(C) : constraint(C) }.")
        self.lines.append(":- want_bad(C), not bad(C).")
        self.lines.append("{ want_cond(C) : constraint(C) }.")
        self.lines.append(":- want_cond(C), not cond(C).")
        self.lines.append("{ want_honoured(C) : constraint(C) }.")
        self.lines.append(":- want_honoured(C), not cond(C).")
        self.lines.append(":- want_honoured(C), bad(C).")
        for j, name in self.names.items():
            for entry in self.scales[self.judgements[j]["scale"]]:
                self.lines.append(f"{{ pin({name},{entry['number']}) }}.")
        self.lines.append(":- pin(J,V), not v(J,V).")
        return "\n".join(self.lines)


def analyse_year(scales, judgements, constraints, year):
    """The findings clingo gives for one year, as (code, subject, value) triples."""
    encoder = Encoder(scales, judgements, constraints)
    control = clingo.Control(["--warn=none"])
    control.add("base", [], encoder.program())
    control.ground([("base", [])])
    must = [c for c, d in constraints.items() if d["strength"] == "must"]
    usually = [c for c, d in constraints.items() if d["strength"] == "usually"]
    fn = clingo.Function

    def satisfiable(active, assumptions=()):
        for c, cname in encoder.cnames.items():
            control.assign_external(fn("active", [fn(cname)]), c in active)
        result = control.solve(assumptions=[(a, True) for a in assumptions])
        return result.satisfiable

    findings = set()
    if not satisfiable(must):
        findings.add(("unsatisfiable", "", 0))
        return findings
    for j, name in encoder.names.items():
        if judgements[j].get("latent", False):
            continue
        for entry in scales[judgements[j]["scale"]]:
            pin = fn("pin", [fn(name), clingo.Number(entry["number"])])
            if not satisfiable(must, [pin]):
                findings.add(("unreachable-value", j, entry["number"]))
    for c in must:
        others = [o for o in must if o != c]
        if not satisfiable(others, [fn("want_bad", [fn(encoder.cnames[c])])]):
            findings.add(("redundant-constraint", c, 0))
    for c, data in constraints.items():
        if "when" in data and not satisfiable(must, [fn("want_cond", [fn(encoder.cnames[c])])]):
            findings.add(("dead-constraint", c, 0))
    for c in usually:
        cname = fn(encoder.cnames[c])
        applies = satisfiable(must, [fn("want_cond", [cname])])
        if applies and not satisfiable(must, [fn("want_honoured", [cname])]):
            findings.add(("usual-contradicts-must", c, 0))
    return findings


def clingo_findings(directory):
    scales, rule_sets = load(directory)
    findings = set()
    for day in period_starts(rule_sets):
        judgements, constraints = rules_on(scales, rule_sets, day)
        for code, subject, value in analyse_year(scales, judgements, constraints, day):
            findings.add((code, subject, value))
    return findings


def ratings_findings(binary, directory):
    run = subprocess.run([binary, "analyze", "--rules", directory, "--format", "json", "--budget", BUDGET], capture_output=True, text=True)
    data = json.loads(run.stdout)
    findings = set()
    for f in data["findings"]:
        if f["code"] == "year-gap":
            continue
        subject = f.get("constraint") or f.get("judgement") or ""
        # Compared without the period: ratings names spans of years and dates, the script
        # periods by their first day.
        findings.add((f["code"], subject, f.get("value", 0) or 0))
    return findings


# The budget bounds a whole analysis (default 2,000,000 steps); the 80-judgement sets need more.
BUDGET = "1000000000"


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/ratings")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    differ = False
    print(f"{'rule directory':<32} {'findings':>8} {'same':>5} {'ratings ms':>11} {'clingo ms':>10} {'ratio':>7}")
    for directory in args.dirs:
        ours = ratings_findings(args.binary, directory)
        theirs = clingo_findings(directory)
        same = ours == theirs
        differ |= not same
        ours_s = timed(lambda: subprocess.run([args.binary, "analyze", "--rules", directory, "--format", "json", "--budget", BUDGET], capture_output=True), args.runs)
        theirs_s = timed(lambda: clingo_findings(directory), max(3, args.runs // 4))
        print(f"{directory:<32} {len(ours):>8} {str(same):>5} {ours_s * 1000:>11.1f} {theirs_s * 1000:>10.1f} {theirs_s / ours_s:>6.1f}x")
        if not same:
            for finding in sorted(ours - theirs):
                print(f"  only ratings: {finding}")
            for finding in sorted(theirs - ours):
                print(f"  only clingo:  {finding}")
    print("ratings ms: whole `ratings analyze` process, median of runs; clingo ms: load, ground and solve the same questions in-process, median")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
