"""Progress reporting and cancellation shared by every report and export writer.

A long export runs on the GUI's worker thread; the progress dialog passes a
``progress(done, total)`` callback and a ``cancelled()`` predicate. Writers
call :meth:`Monitor.step` as they go; when the user cancels, the writer
raises :class:`ReportCancelled`, and the atomic file writer removes its
temporary file, so a cancelled export leaves nothing behind.

``total`` is 0 when the writer cannot know it (a stream of rows of unknown
length): the dialog then shows a busy indicator instead of a percentage.
"""

from __future__ import annotations

from collections.abc import Callable

from ijmcase.domain.errors import IjmcaseError

__all__ = ["CancelCheck", "Monitor", "ProgressCallback", "ReportCancelled"]

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class ReportCancelled(IjmcaseError):
    """The person cancelled the report or export; nothing was written.

    Not in ``domain/errors.py``: only report and export writers raise it, and
    the tree there is about domain rules and storage.
    """

    code = "report_cancelled"

    def __init__(self, message: str = "The report was cancelled; no file was written.") -> None:
        super().__init__(message)


class Monitor:
    """Counts work done, reports it at a modest rate, and honours cancellation.

    Progress callbacks cross threads (a Qt signal per call), so they are
    throttled to every ``every`` steps rather than once per row.
    """

    def __init__(
        self,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
        *,
        total: int = 0,
        every: int = 500,
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.total = max(0, total)
        self.done = 0
        self._every = max(1, every)
        self._next_report = self._every

    def check(self) -> None:
        """Raise :class:`ReportCancelled` if the person asked to stop."""
        if self._cancelled is not None and self._cancelled():
            raise ReportCancelled()

    def step(self, count: int = 1) -> None:
        """Record ``count`` more units done; report and check now and then."""
        self.done += count
        if self.done >= self._next_report:
            self._next_report = self.done + self._every
            self.check()
            self._report()

    def finish(self) -> None:
        """Final report: done equals total (a writer that knew no total reports its count)."""
        if self.total == 0 or self.done > self.total:
            self.total = self.done
        self.done = self.total
        self._report()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total)
