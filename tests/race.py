"""Two decisions at the same moment: each in its own thread with its own database connection, let go
together by a barrier. Each act gets its own copy of the record, read before either decides, as two people
each have the page open."""

import threading
from collections.abc import Callable

from django.db import connections


def race(*acts: Callable[[], object]) -> list[object]:
    """Run the acts at once; each one's result, or the exception it raised, in the order given."""
    barrier = threading.Barrier(len(acts))
    outcomes: list[object] = [None] * len(acts)

    def run(index: int, act: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = act()
        except Exception as error:  # the loser's refusal, or anything else, for the test to judge
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, act)) for index, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def one_won(outcomes: list[object], refusal: type[Exception]) -> int:
    """The index of the act that succeeded; fails unless exactly one succeeded and the other was refused."""
    refused = [index for index, outcome in enumerate(outcomes) if isinstance(outcome, refusal)]
    won = [index for index, outcome in enumerate(outcomes) if not isinstance(outcome, Exception)]
    assert len(won) == 1, outcomes
    assert len(refused) == len(outcomes) - 1, outcomes
    return won[0]
