"""The test configuration's first plugin (tests/pytest_early.py): nbval's debug log of kernel messages is formatted
only when a record is written, and then reads as before."""

from __future__ import annotations

import logging
from pprint import pformat

import nbval.kernel

from tests import pytest_early

MESSAGE = {"header": {"msg_type": "display_data"}, "content": {"data": {"text/plain": ["x" * 90, "y"]}}}


def test_nbval_formats_a_kernel_message_only_when_it_is_logged(caplog):
    assert nbval.kernel.pformat is pytest_early._Formatted
    with caplog.at_level(logging.DEBUG, logger=nbval.kernel.logger.name):
        nbval.kernel.logger.debug("Kernel message (%s):\n%s", "iopub", nbval.kernel.pformat(MESSAGE))
    assert caplog.records[-1].getMessage() == f"Kernel message (iopub):\n{pformat(MESSAGE)}"
