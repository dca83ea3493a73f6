#!/usr/bin/env bash
# Seeds fuzz/corpus/pipeline/ with every spec the tests use (YAML fixtures, the vendored spec)
# and the hand-written JSON seeds in fuzz/seeds/. Safe to run again: files are named by content.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/pipeline
for f in ../spec/openapi.yaml ../tests/specs/*/*.yaml seeds/*; do
    cp "$f" "corpus/pipeline/$(sha1sum "$f" | cut -c1-16)-$(basename "$f")"
done
echo "corpus/pipeline: $(ls corpus/pipeline | wc -l) files"
