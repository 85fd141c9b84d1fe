#!/usr/bin/env python3
"""The script an analyst would write instead of `ratings check`: read the long CSV of grades,
pivot it to one row per authority and year, and flag the assessments that break the shipped
`must` rules with boolean masks. Full records only (every non-latent judgement published):
the 2009 profile rules are applied as they bind then (a limiting weakness means at most
performs well). Prints the wall time, including reading the CSV, and the counts.

Usage: python3 bench/pandas_check.py RECORDS.csv|RECORDS_DIR [VERDICTS_OUT.csv]
(a directory: every `.csv` in it, read one after the other and concatenated, as the 1M
workload is ten files).
Needs pandas (bench/run.sh installs pandas==3.1.1).
"""

import os
import sys
import time

start = time.perf_counter()
import pandas as pd  # noqa: E402  (imported inside the timing, as a script would)


def main():
    path = sys.argv[1]
    columns = ["authority", "year", "judgement", "grade"]
    if os.path.isdir(path):
        files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".csv"))
        long = pd.concat([pd.read_csv(f, usecols=columns) for f in files], ignore_index=True)
    else:
        long = pd.read_csv(path, usecols=columns)
    long["grade"] = pd.to_numeric(long["grade"])
    wide = long.pivot_table(index=["authority", "year"], columns="judgement", values="grade", aggfunc="first")

    def col(name):
        return wide[name] if name in wide.columns else pd.Series(float("nan"), index=wide.index)

    year = wide.index.get_level_values("year").to_series(index=wide.index)
    overall = col("apa.overall_effectiveness")
    rating = col("rating.overall")
    broken = (
        (year.between(2007, 2008) & (col("apa.enjoying_and_achieving") == 1) & (overall > 2))
        | (year.between(2007, 2008) & (col("apa.staying_safe") == 1) & (overall > 2))
        | (year.between(2005, 2008) & col("cpa.children_and_young_people").notna() & overall.notna()
           & (col("cpa.children_and_young_people") != overall))
        | (year.between(2005, 2008) & (col("cpa.children_and_young_people") == 1) & (col("cpa.star_category") > 1))
        | ((year == 2009) & (col("unannounced.limiting_weakness") == 1) & (rating > 3))
        | (year.between(2009, 2011) & (col("slac.safeguarding") == 1) & (rating > 1))
        | (year.between(2010, 2011) & (col("unannounced.priority_action") == 1) & (rating > 1))
    )
    verdicts = pd.DataFrame({"inconsistent": broken}, index=wide.index)
    if len(sys.argv) > 2:
        verdicts.to_csv(sys.argv[2])
    seconds = time.perf_counter() - start
    print(f"pandas: {len(wide)} assessments, {int(broken.sum())} inconsistent, {seconds:.3f} s (including import and CSV read)")


if __name__ == "__main__":
    main()
