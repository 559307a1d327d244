from ctpat.deadlines import Deadline, DeadlineKind, OwedBy, register

from .choices import OverallState
from .selectors import documentation


def _documentation(partner, *, enrollments=None, **_):
    if not any(e.program == "trade_compliance" for e in enrollments or []):
        return
    state = documentation(partner, enrollments)
    if state.applies and state.due_on and state.overall != OverallState.COMPLETE:
        yield Deadline("forced_labor", "Forced-labor documentation", state.due_on, OwedBy.PARTNER)


register(DeadlineKind("forced_labor", "Forced-labor documentation", OwedBy.PARTNER, _documentation))
