#!/usr/bin/env python3
"""The manifest rules cargo itself does not enforce (sorting and formatting are cargo-sort's):

- every direct dependency is declared once, in the root `[workspace.dependencies]`, and members
  name it with `workspace = true`;
- every entry of that table is used by some member, and every member's dependency is named in
  its code (`src/`, `tests/`, `benches/`, `examples/`, `build.rs`), unless the member lists it
  under `[package.metadata.cargo-machete] ignored` with a comment saying why;
- every member inherits `rust-version`.

A grep rather than cargo-machete, which takes over two minutes to build on CI (this is the same
test: the crate's name in its code)."""
import pathlib
import re
import sys
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
workspace = tomllib.loads((root / "Cargo.toml").read_text())
declared = set(workspace["workspace"]["dependencies"])
members = [p for pattern in workspace["workspace"]["members"] for p in sorted(root.glob(pattern))]
problems, used = [], set()

for member in members:
    manifest = tomllib.loads((member / "Cargo.toml").read_text())
    package = manifest["package"]
    where = member.relative_to(root)
    if package.get("rust-version") != {"workspace": True}:
        problems.append(f"{where}: add rust-version.workspace = true")
    ignored = set(package.get("metadata", {}).get("cargo-machete", {}).get("ignored", []))
    code = "\n".join(
        f.read_text(errors="replace")
        for d in ("src", "tests", "benches", "examples")
        for f in (member / d).rglob("*.rs")
    )
    if (member / "build.rs").exists():
        code += (member / "build.rs").read_text()
    for table in ("dependencies", "dev-dependencies", "build-dependencies"):
        for name, spec in manifest.get(table, {}).items():
            used.add(name)
            if not (isinstance(spec, dict) and spec.get("workspace")):
                problems.append(f"{where}: [{table}] {name} is not `workspace = true` (declare it in the root table)")
            crate = name.replace("-", "_")
            if name not in ignored and not re.search(rf"\b{crate}\b", code):
                problems.append(f"{where}: [{table}] {name} is not used (or list it as ignored, with a reason)")

for name in sorted(declared - used):
    problems.append(f"Cargo.toml: [workspace.dependencies] {name} is used by no member")

for p in problems:
    print(f"manifest: {p}")
print("manifest: ok" if not problems else f"manifest: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
