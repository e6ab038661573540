"""The two halves the extraction rules are tuned and checked on: by a hash of the file name."""

import hashlib
import os


def half(file_name: str) -> str:
    """"A" or "B": rules are changed looking at half A only; both halves are reported."""
    name = os.path.basename(file_name)
    return "A" if hashlib.sha1(name.encode("utf-8")).digest()[0] % 2 == 0 else "B"
