#!/bin/sh
# compress.sh SRC: writes SRC/NAME-svmstyle.txt as NAME-svmstyle.txt.bz2 beside this
# script (bzip2 -9; bzip2's output depends on nothing but its input), for every
# file of the survey but iris and wine, which albench has from scikit-learn.
# Go's compress/bzip2 decompresses them; `bunzip2 -k` restores the original files,
# whose sha256 SOURCES.md lists.
set -eu
src=${1:?usage: compress.sh DIR-WITH-THE-SVMSTYLE-FILES}
here=$(dirname "$0")
for f in "$src"/*-svmstyle.txt; do
	name=$(basename "$f")
	case $name in
	iris-svmstyle.txt | wine-svmstyle.txt) continue ;;
	esac
	bzip2 -9 -c "$f" >"$here/$name.bz2"
done
