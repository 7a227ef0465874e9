#!/bin/sh
# Prints the size of the Worker as it would be uploaded (code plus the PDF fonts), raw and gzipped.
# The target is under 1 MiB gzip. Nothing is deployed.
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx wrangler deploy --dry-run --outdir "$out" | grep -i "total upload"
for file in "$out"/*.js "$out"/*.ttf; do
	printf '%s\t%s bytes gzip\n' "$(basename "$file")" "$(gzip -9c "$file" | wc -c)"
done
