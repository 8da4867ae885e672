"""The answer sentence's choice looks at a sentence as a heading only when the choice depends on
it (`qa.answer.best_and_neighbour`): the same choice as looking at every sentence."""
from __future__ import annotations

import math
import random

from qa.answer import best_and_neighbour


def every_sentence_looked_at(values: list[float], flags: list[bool]) -> tuple[int, int, float, float]:
    """The rule as it was written before: every sentence's heading flag, then the first best."""
    if not all(flags):
        values = [float("-inf") if h else v for v, h in zip(values, flags)]
    best = values.index(max(values))
    if best == 0 or (best + 1 < len(values) and values[best + 1] > values[best - 1]):
        neighbour = best + 1
    else:
        neighbour = best - 1
    return best, neighbour, values[best], values[neighbour]


def same(a: float, b: float) -> bool:
    return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def test_the_choice_is_the_one_every_sentence_looked_at_gives():
    rng = random.Random(16)
    looked, sentences = 0, 0
    for _ in range(20000):
        n = rng.randint(2, 9)
        ties = [rng.choice([0.1, 0.3, 0.0, -0.0]) for _ in range(2)]  # equal scores, signed zeros
        values = [rng.choice(ties) if rng.random() < 0.5 else rng.random() for _ in range(n)]
        if rng.random() < 0.02:
            values[rng.randrange(n)] = float("nan")
        share = rng.choice([0.0, 0.2, 0.8, 1.0])  # none, some, most or all sentences headings
        flags = [rng.random() < share for _ in range(n)]
        asked: list[int] = []
        best, neighbour, score = best_and_neighbour(values, lambda i: asked.append(i) or flags[i])
        want = every_sentence_looked_at(values, flags)
        assert (best, neighbour) == want[:2], (values, flags)
        assert same(score(best), want[2]) and same(score(neighbour), want[3]), (values, flags)
        assert len(asked) == len(set(asked))  # each sentence looked at once at most
        looked, sentences = looked + len(asked), sentences + n
    assert looked < 0.8 * sentences  # and not every one


def test_a_heading_is_never_the_answer_unless_every_sentence_is_one():
    values = [0.9, 0.2, 0.5, 0.1]
    best, neighbour, score = best_and_neighbour(values, lambda i: i == 0)
    assert (best, neighbour) == (2, 1) and score(0) == float("-inf")
    best, neighbour, score = best_and_neighbour(values, lambda i: True)
    assert (best, neighbour) == (0, 1) and score(0) == 0.9
