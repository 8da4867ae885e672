"""The measurements behind mutants22's equivalent mutants (docs/reliability.md, "Session 22: checks
that cannot fail, round 6"): what would have to exist for the mutant to behave otherwise, counted.

    PYTHONPATH=$PWD python benchmarks/mutants22_equivalent.py

glued-cue-word-cut (`qa.followup._unglued` without `word not in _CUE_WORDS`): the guard keeps a cue
word that is itself a cue word followed by one of `_GLUED_AFTER` whole; no such cue word exists in
the lists (the one cue word ending with such a character, 还有, starts with no cue word).
"""
from __future__ import annotations

from qa import followup


def main() -> None:
    ending = sorted(w for w in followup._CUE_WORDS if len(w) > 1 and w[-1] in followup._GLUED_AFTER)
    both = [w for w in ending if w[:-1] in followup._CUE_WORDS]
    print(f"glued-cue-word-cut: {len(followup._CUE_WORDS)} cue words; ending with a glued word: {ending}; "
          f"of those, a cue word and a glued word: {both} -> {'equivalent' if not both else 'NOT equivalent'}")


if __name__ == "__main__":
    main()
