#!/bin/sh
# Rebuilds the PDF fonts in src/documents/fonts from the dejavu-fonts-ttf package: DejaVu Sans cut down to
# the Latin, Greek and Cyrillic scripts, punctuation and currency signs, so that the Worker bundle stays small.
# Needs fontTools' pyftsubset (Debian: apt-get install fonttools).
set -eu
cd "$(dirname "$0")/.."
source_dir=node_modules/dejavu-fonts-ttf/ttf
target_dir=src/documents/fonts
unicodes="U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-215F,U+2190-2199,U+2212,U+25A0-25CF,U+FFFD"
for face in DejaVuSans DejaVuSans-Bold; do
	pyftsubset "$source_dir/$face.ttf" --unicodes="$unicodes" --layout-features='' \
		--no-hinting --desubroutinize --output-file="$target_dir/$face.ttf"
done
cp node_modules/dejavu-fonts-ttf/LICENSE "$target_dir/LICENSE"
