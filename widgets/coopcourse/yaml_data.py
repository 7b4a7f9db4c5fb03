"""Reading the package's YAML data files (strings, content, country profiles).

libyaml's loader (PyYAML's C extension, in PyYAML's wheels) reads them about ten times faster than
the pure-Python one, which cost a page's kernel about 0.3 CPU-s at start; the pure-Python loader is
the fallback where PyYAML was built without libyaml. Both build the same plain data."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(source: str) -> Any:
    """The data in ``source`` (safe: plain mappings, lists, strings and numbers only)."""
    return yaml.load(source, Loader=_LOADER)
