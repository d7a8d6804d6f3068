#!/usr/bin/env bash
# Enforces the layering of DESIGN.md §1 with `cargo tree`: core crates stay free of GUI,
# web-framework and HTTP-client dependencies, and only depend on the Chatframe crates below them.
set -euo pipefail
forbidden='^(tauri|egui|eframe|axum|reqwest|hyper|tower|wry|tao) '
fail=0
check() { # crate, allowed chatframe deps (regex)
  local crate=$1 allowed=$2 tree
  tree=$(cargo tree -q --locked -e normal -p "$crate" --prefix none | sort -u)
  if grep -E "$forbidden" <<<"$tree" >/dev/null; then
    echo "layering: $crate depends on $(grep -E "$forbidden" <<<"$tree" | head -3 | tr '\n' ' ')"; fail=1
  fi
  local ours
  ours=$(grep -E '^chatframe-' <<<"$tree" | awk '{print $1}' | grep -v -x "$crate" | grep -v -E -x "$allowed" || true)
  if [ -n "$ours" ]; then echo "layering: $crate must not depend on: $ours"; fail=1; fi
}
check chatframe-model  ''
check chatframe-render 'chatframe-model'
check chatframe-audio  'chatframe-model'
check chatframe-export 'chatframe-(model|render|audio)'
check chatframe-voice  'chatframe-(model|audio)'
check chatframe-store  'chatframe-model'
check chatframe-studio 'chatframe-(model|render|audio|export|store)'
[ $fail = 0 ] && echo "layering: ok"
exit $fail
