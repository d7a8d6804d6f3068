#!/usr/bin/env bash
# Enforces the "must not depend on" column of docs/ARCHITECTURE.md's crate table (and DESIGN.md
# §1) with `cargo tree`: each crate uses only the Chatframe crates below it, and none of the
# outside libraries its row forbids. Default builds are headless: sound (rodio, ALSA) is
# chatframe-studio's `playback` feature, the web servers are chatframe's `serve` and `api`.
set -euo pipefail
gui='tauri|egui|eframe|wry|tao|gtk'
web='axum|hyper|tower|tower-http|reqwest|tokio-tungstenite'
db='rusqlite|libsqlite3-sys'
media='symphonia|image|tiny-skia|cosmic-text|rodio|cpal'
sound='rodio|cpal|alsa|alsa-sys'
fail=0
check() { # crate, Chatframe crates it may use (regex, '' for none), outside crates it must not use
  local crate=$1 allowed=$2 forbidden=$3 tree bad ours
  tree=$(cargo tree -q --locked -e normal -p "$crate" --prefix none | awk '{print $1}' | sort -u)
  bad=$(grep -E -x "$forbidden" <<<"$tree" | tr '\n' ' ' || true)
  if [ -n "$bad" ]; then echo "layering: $crate must not depend on: $bad"; fail=1; fi
  ours=$(grep -E '^chatframe' <<<"$tree" | grep -v -x "$crate" | grep -v -E -x "${allowed:-^$}" | tr '\n' ' ' || true)
  if [ -n "$ours" ]; then echo "layering: $crate must not depend on: $ours"; fail=1; fi
}
#     crate              Chatframe crates below it               forbidden outside crates
check chatframe-model    ''                                      "$gui|$web|$db|$media"
check chatframe-render   'chatframe-model'                       "$gui|$web|$db|$sound"
check chatframe-audio    'chatframe-model'                       "$gui|$web|$db|$sound"
check chatframe-export   'chatframe-(model|render|audio)'        "$gui|$web|$db|$sound"
check chatframe-voice    'chatframe-(model|audio)'               "$gui|$web|$db|$sound"
check chatframe-store    'chatframe-model'                       "$gui|$web|tiny-skia|cosmic-text|$sound"
check chatframe-studio   'chatframe-(model|render|audio|export|store|voice)' "$gui|$web|$sound"
check chatframe-server   'chatframe-(model|render|audio|export)' "$gui|$sound"
check chatframe          'chatframe-(model|render|audio|export|voice)' "$gui|$web|$db|$sound"
[ $fail = 0 ] && echo "layering: ok"
exit $fail
