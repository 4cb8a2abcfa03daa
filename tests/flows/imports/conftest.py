"""The import's result file as the bot sent it: written into a temporary file that is deleted after sending,
so its bytes are kept when the fake Bot API receives it (the exports' fixture)."""

from tests.flows.exports.conftest import sent_files

__all__ = ["sent_files"]
