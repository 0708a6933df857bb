#!/usr/bin/env python3
"""Writes web/assets/world.svg, the world outline of the « Couverture » screen.

Source: Natural Earth's 1:110m countries (public domain) as TopoJSON, `countries-110m.json` of
the npm package world-atlas 2.0.2 (ISC licence), whose country ids are ISO 3166-1 numeric codes.
Get it once, offline afterwards:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/gen_world_map.py package/countries-110m.json

The arcs are decoded (delta-encoded, quantised), rings crossing the antimeridian are split at
it, each country is projected with the Equal
Earth projection (Šavrič, Patterson and Jenny, 2018) and written as one path with
`data-country="<ISO 3166-1 alpha-2>"`, coordinates rounded to whole units. Numeric codes become
alpha-2 through alpha-3: numeric → alpha-3 from Debian's iso-codes (the source of the project's
ISO table), alpha-3 → alpha-2 from datasets/src/iso3166_table.inc, so every code on the map is
one the data set contract accepts. Antarctica is left out (no need is ever relayed from it);
the three Natural Earth units without an ISO code (N. Cyprus, Somaliland, Kosovo) are drawn
without data-country. Standard library only; the output is deterministic.
"""
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = 170  # SVG units per projected unit: the map is about 920 × 450
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def project_bounds() -> tuple[float, float]:
    x, _ = equal_earth(180, 0)
    _, y = equal_earth(0, 90)
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def split_at_antimeridian(points):
    """A ring that crosses the ±180° meridian (Russia, Fiji) as two rings, one each side, each
    the ring with the other side's points pushed onto the meridian; other rings as they are."""
    if not any(abs(b[0] - a[0]) > 180 for a, b in zip(points, points[1:])):
        return [points]
    def side(keep, edge):
        # Start at a point kept, so that no run of pushed points wraps around the ring's start.
        first = next((i for i, (lon, _) in enumerate(points) if keep(lon)), None)
        if first is None:
            return []
        ring = points[first:-1] + points[:first]
        # The other side's points pushed onto the meridian, each run of them reduced to its two
        # ends (where the outline crosses): a long run would draw a sliver along the map's edge.
        out, run = [], []
        for lon, lat in ring + [(None, None)]:
            if lon is not None and keep(lon):
                if run:
                    out.extend([run[0]] if len(run) == 1 else [run[0], run[-1]])
                    run = []
                out.append((lon, lat))
            elif lon is not None:
                run.append((edge, lat))
            elif run:
                out.extend([run[0]] if len(run) == 1 else [run[0], run[-1]])
        return out

    return [side(lambda lon: lon >= 0, 180.0), side(lambda lon: lon < 0, -180.0)]


def ring_path(points, max_x: float, max_y: float) -> str:
    out = []
    last = None
    for lon, lat in points:
        x, y = equal_earth(lon, lat)
        p = (round((x + max_x) * SCALE), round((max_y - y) * SCALE))
        if p == last:
            continue
        out.append(p)
        last = p
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3 or len({x for x, _ in out}) < 2 or len({y for _, y in out}) < 2:
        return ""
    # Absolute first point, then relative moves: shorter text.
    parts = ["M%d %d" % out[0], "l"]
    deltas = []
    for (x0, y0), (x1, y1) in zip(out, out[1:]):
        deltas.append("%d %d" % (x1 - x0, y1 - y0))
    parts[-1] += " ".join(deltas)
    return "".join(parts).replace(" -", "-") + "z"


def alpha2_by_numeric() -> dict[str, str]:
    iso = json.loads(Path("/usr/share/iso-codes/json/iso_3166-1.json").read_text("utf-8"))
    alpha3_by_numeric = {e["numeric"]: e["alpha_3"] for e in iso["3166-1"]}
    table = (ROOT / "datasets/src/iso3166_table.inc").read_text("utf-8")
    alpha2_by_alpha3 = {a3: a2 for a2, a3 in re.findall(r'^\{"([A-Z]{2})", "([A-Z]{3})"', table, re.M)}
    return {n: alpha2_by_alpha3[a3] for n, a3 in alpha3_by_numeric.items() if a3 in alpha2_by_alpha3}


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: gen_world_map.py path/to/countries-110m.json", file=sys.stderr)
        return 2
    topology = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    arcs = decode_arcs(topology)
    codes = alpha2_by_numeric()
    max_x, max_y = project_bounds()
    width, height = round(2 * max_x * SCALE), round(2 * max_y * SCALE)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        name = geometry.get("properties", {}).get("name", "")
        code = codes.get(numeric) if numeric else None
        if numeric and not code:
            print("no alpha-2 code for %s (%s)" % (numeric, name), file=sys.stderr)
            return 1
        if code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        d = "".join(ring_path(part, max_x, max_y)
                    for polygon in polygons for ring in polygon
                    for part in split_at_antimeridian(ring_points(ring, arcs)))
        if not d:
            continue
        attribute = ' data-country="%s"' % code if code else ' data-name="%s"' % name
        paths.append((code or "~" + name, '<path%s d="%s"/>' % (attribute, d)))
    paths.sort()
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d">' % (width, height),
        "<!-- Natural Earth 1:110m countries (public domain, naturalearthdata.com), from the npm"
        " package world-atlas 2.0.2 (ISC); Equal Earth projection. Generated by"
        " scripts/gen_world_map.py: do not edit by hand. -->",
    ] + [p for _, p in paths] + ["</svg>", ""]
    out = ROOT / "web/assets/world.svg"
    out.write_text("\n".join(lines), "utf-8")
    print("%s: %d countries, %d bytes" % (out.relative_to(ROOT), len(paths), out.stat().st_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
