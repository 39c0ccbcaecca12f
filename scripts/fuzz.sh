#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a bounded time, from the seeds in fuzz/corpus/.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#   scripts/fuzz.sh            # 30 s per target
#   scripts/fuzz.sh 300        # 5 min per target
#   scripts/fuzz.sh 60 rpc_params header_decode
set -euo pipefail
seconds="${1:-30}"
shift || true
cd "$(dirname "$0")/../fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    mkdir -p "$corpus"
    echo "== $target for ${seconds}s (corpus $corpus)"
    # New inputs found go to a scratch directory so the committed seeds stay small.
    scratch="$(mktemp -d)"
    cargo +nightly fuzz run "$target" "$scratch" "$corpus" -- -max_total_time="$seconds"
    rm -rf "$scratch"
done
