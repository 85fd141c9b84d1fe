#!/usr/bin/env python3
"""Write a deterministic dense rule directory: N judgements on the grade scale, about 2N
constraints of every kind (caps, floors, limits, equals, conditions with all/any/count), for
timing `ratings analyze` and clingo on the same questions.

Usage: python3 bench/gen_rules.py N OUT_DIR [SEED]
"""

import os
import random
import sys

SCALES = """[[scale]]
id = "grade"
title = "Grade"
values = [
  { number = 1, label = "inadequate" },
  { number = 2, label = "adequate" },
  { number = 3, label = "good" },
  { number = 4, label = "outstanding" },
]
"""


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else n)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "scales.toml"), "w") as handle:
        handle.write(SCALES)
    with open(os.path.join(out, "documents.toml"), "w") as handle:
        handle.write('[[document]]\nid = "generated"\ntitle = "Generated rules"\npublisher = "bench/gen_rules.py"\n')
    lines = [f'id = "g{n}"', f'title = "Generated, {n} judgements"', "years = { from = 2000, to = 2000 }", ""]
    for j in range(n):
        lines += ["[[judgement]]", f'id = "g.j{j}"', f'title = "J{j}"', 'scale = "grade"', f"latent = {'true' if j % 7 == 6 else 'false'}", ""]

    def condition(below):
        kind = rng.random()
        pick = lambda: f"g.j{rng.randrange(below)}"
        if kind < 0.55:
            test = rng.choice(["at_most", "at_least", "is"])
            return f'{{ judgement = "{pick()}", {test} = {rng.randint(1, 4)} }}'
        if kind < 0.7:
            return f"{{ all = [{condition(below)}, {condition(below)}] }}"
        if kind < 0.85:
            return f"{{ any = [{condition(below)}, {condition(below)}] }}"
        members = sorted({rng.randrange(below) for _ in range(min(below, 4))})
        listed = ", ".join(f'"g.j{m}"' for m in members)
        return f"{{ count = {{ of = [{listed}], at_most = {rng.randint(1, 3)}, n = {rng.randint(1, len(members))} }} }}"

    for c in range(2 * n):
        target = rng.randrange(1, n)
        kind = rng.choice(["cap", "floor", "limit", "limit", "equal"])
        strength = "usually" if rng.random() < 0.15 else "must"
        lines += ["[[constraint]]", f'id = "g.c{c}"', 'text = "generated"', f'strength = "{strength}"', 'basis = "inferred"',
                  'cite = { document = "generated", locator = "bench/gen_rules.py" }', f'kind = "{kind}"', f'target = "g.j{target}"']
        if kind == "cap":
            lines.append(f"at_most = {rng.randint(2, 4)}")
        elif kind == "floor":
            lines.append(f"at_least = {rng.randint(1, 3)}")
        else:
            lines.append(f'other = "g.j{rng.randrange(target)}"')
            lines.append(f"offset = {rng.choice([-1, 0, 0, 1]) if kind == 'limit' else rng.choice([0, 0, 0, -1, 1])}")
        if kind in ("cap", "floor") or rng.random() < 0.6:
            lines.append(f"when = {condition(target)}")
        lines.append("")
    with open(os.path.join(out, f"g{n}.toml"), "w") as handle:
        handle.write("\n".join(lines))


if __name__ == "__main__":
    main()
