#!/usr/bin/env python3
"""Builds web/assets/vendor/dsfr/ from the State design system's npm package.

    scripts/vendor-dsfr.sh            # installs the pinned package and runs this script
    scripts/vendor-dsfr.py DIST OUT   # DIST: the package's dist/ folder, OUT: the vendor folder

The page uses a subset of DSFR: the components listed below, concatenated into two stylesheets
and one script (fewer requests), the icons and fonts that subset references, and the three
pictures of the display settings. The stylesheets: dsfr.min.css, render-blocking, holds the core
and the components of the page's frame and of the inbox (the first screen); dsfr.deferred.min.css
holds the components only later screens and dialogs use, and is added by web/assets/early.js once
the first screen is drawn, right after dsfr.min.css (so the cascade keeps DSFR's order before the
page's own stylesheets). DSFR's script is loaded at the same moment. Everything else of the
88 MB package is left out. Paths in the stylesheets are rewritten to the flat layout of OUT;
every url() of the result names a file of OUT (checked here, and by the browser tests, which
fail on any request answered 404).
"""
import json
import pathlib
import re
import shutil
import sys

# Stylesheets, in the order DSFR's documentation loads them (core first, scheme last); those of
# CSS_DEFERRED go to the deferred stylesheet, in the same order.
CSS_COMPONENTS = [
    "core/core", "component/skiplink/skiplink", "component/link/link",
    "component/button/button", "component/logo/logo", "component/header/header",
    "component/navigation/navigation", "component/footer/footer", "component/form/form",
    "component/input/input", "component/select/select", "component/checkbox/checkbox",
    "component/radio/radio", "component/range/range",
    "component/search/search", "component/upload/upload",
    "component/table/table", "component/tag/tag", "component/badge/badge",
    "component/alert/alert", "component/notice/notice", "component/callout/callout",
    "component/pagination/pagination",
    "component/modal/modal", "component/display/display", "scheme/scheme",
]
# Not drawn by the frame (header, navigation, footer, the hidden dialogs) nor by the inbox: the
# checkboxes, radios and sliders of the need, batch and application screens, the reports'
# search bar, the upload fields, the authority's callouts, the display settings' content. No
# rule of a component left in dsfr.min.css after them targets their markup with the same
# specificity (table.css's rules for checkboxes in cells are more specific), so moving them
# after scheme.css and the icons changes no computed style.
CSS_DEFERRED = {
    "component/checkbox/checkbox", "component/radio/radio", "component/range/range",
    "component/search/search", "component/upload/upload", "component/callout/callout",
    "component/display/display",
}
# Scripts: the core (component engine, colour scheme) then the components that need behaviour.
JS_COMPONENTS = [
    "core/core", "scheme/scheme", "component/navigation/navigation", "component/header/header",
    "component/modal/modal",
    "component/range/range", "component/table/table", "component/tag/tag",
    "component/display/display",
]
# Icon classes (fr-icon-*) the page uses, taken from the icon utility (214 kB for all of them):
# a screen that needs another adds it here and reruns scripts/vendor-dsfr.sh.
ICONS = [
    "add-line", "arrow-left-line", "arrow-right-line", "award-line", "check-line",
    "checkbox-circle-line", "close-circle-line", "close-line", "delete-line", "download-line",
    "filter-line", "logout-box-r-line", "refresh-line", "search-line", "send-plane-line",
    "theme-fill", "time-line", "upload-2-line",
]
FONTS_KEPT = {"Marianne-Light", "Marianne-Regular", "Marianne-Regular_Italic", "Marianne-Medium",
              "Marianne-Bold"}
ARTWORK = ["light.svg", "dark.svg", "system.svg"]


def stylesheet(dist: pathlib.Path, name: str) -> str:
    main = dist / f"{name}.main.min.css"
    return (main if main.exists() else dist / f"{name}.min.css").read_text()


def icon_rules(dist: pathlib.Path) -> str:
    text = (dist / "utility/icons/icons.main.min.css").read_text()
    rules = []
    for icon in ICONS:
        found = re.search(r"\.fr-icon-%s:after,\.fr-icon-%s:before\{[^}]*\}" %
                          (re.escape(icon), re.escape(icon)), text)
        if not found:
            sys.exit(f"vendor-dsfr: no icon fr-icon-{icon} in DSFR")
        rules.append(found.group(0))
    # (The rule that sizes and paints every icon's pseudo-elements is in the core.)
    return "".join(rules)


def rewrite_urls(css: str) -> str:
    css = re.sub(r"url\((?:\.\./)+icons/", "url(icons/", css)
    css = re.sub(r"url\((?:\.\./)+fonts/", "url(fonts/", css)
    css = re.sub(r"url\((?:\.\./)+artwork/", "url(artwork/", css)
    # Every browser that runs the page reads woff2: the woff fallbacks are never fetched.
    css = re.sub(r',url\(fonts/[^)]*\.woff\) format\("woff"\)', "", css)
    # Faces left out (Spectral, the rarer Marianne weights): the browser synthesises them.
    def keep_face(match: re.Match) -> str:
        font = re.search(r"url\(fonts/([^)]*)\.woff2\)", match.group(0))
        return match.group(0) if font and font.group(1) in FONTS_KEPT else ""
    return re.sub(r"@font-face\{[^}]*\}", keep_face, css)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: vendor-dsfr.py DIST OUT")
    dist, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    version = json.loads((dist.parent / "package.json").read_text())["version"]
    if out.exists():
        shutil.rmtree(out)
    (out / "fonts").mkdir(parents=True)
    (out / "artwork").mkdir()

    critical = rewrite_urls("\n".join(stylesheet(dist, name) for name in CSS_COMPONENTS
                                      if name not in CSS_DEFERRED) + "\n" + icon_rules(dist))
    deferred = rewrite_urls("\n".join(stylesheet(dist, name) for name in CSS_COMPONENTS
                                      if name in CSS_DEFERRED))
    (out / "dsfr.min.css").write_text(critical + "\n")
    (out / "dsfr.deferred.min.css").write_text(deferred + "\n")
    css = critical + deferred

    # Each file declares its own top-level constants (`const t=window.dsfr,e=...`): a block
    # around each keeps them apart in the one module script.
    js = "\n".join("{\n" + (dist / f"{name}.module.min.js").read_text().strip() + "\n}"
                   for name in JS_COMPONENTS)
    (out / "dsfr.module.min.js").write_text(js + "\n")

    for relative in sorted(set(re.findall(r"url\(((?:icons|fonts|artwork)/[^)]*)\)", css))):
        source = dist / relative
        if not source.exists():
            sys.exit(f"vendor-dsfr: {relative} is referenced but not in DSFR")
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / relative)
    for picture in ARTWORK:
        shutil.copyfile(dist / "artwork" / picture, out / "artwork" / picture)
    shutil.copyfile(dist.parent / "LICENSE.md", out / "LICENSE.md")
    (out / "VERSION").write_text(f"@gouvfr/dsfr {version}\n")
    print(f"vendor-dsfr: DSFR {version}: {len(critical)} + {len(deferred)} bytes of CSS "
          f"(render-blocking + deferred), {len(js)} bytes of JS")


if __name__ == "__main__":
    main()
