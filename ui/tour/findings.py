"""python -m ui.tour.findings DIR...: what the tours in DIR... found, as Markdown (the screens
that do not fit, their clipped widgets and untranslated strings, per size and language)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def findings(folders: list[Path]) -> str:
    lines: list[str] = []
    for folder in folders:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        width, height = report["size"]
        screens = report["screens"]
        bad = [s for s in screens if not s["fits"] or s["untranslated"]]
        lines.append(f"## {width}x{height} {report['language']}: {len(screens) - len(bad)} of "
                     f"{len(screens)} screens fit and are translated ({folder})")
        if report.get("traceback"):
            lines.append(f"- the tour stopped: {report['traceback'].strip().splitlines()[-1]}")
        for screen in bad:
            need_w, need_h = screen["size_needed"]
            size = "" if need_w <= width and need_h <= height else f", needs {need_w}x{need_h}"
            lines.append(f"- **{screen['name']}** ({screen['file']}{size})")
            if screen["clipped"]:
                lines.append(f"  - clipped / out of reach: {', '.join(screen['clipped'])}")
            for text in screen["untranslated"]:
                lines.append(f"  - untranslated: `{text}`")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(findings([Path(arg) for arg in sys.argv[1:]]))
