"""YAML reading that remembers where each key and value stood (the only module importing PyYAML).

Editors' files need errors such as ``overrides.yaml:14:3: unknown field 'dat'``,
so mappings and lists come back as ``YamlMap``/``YamlList``, which carry the
line and column of every key and item.  Duplicate keys are an error: PyYAML
silently keeps the last one, which would hide an editor's mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

from .errors import fail


class YamlMap(dict[Any, Any]):
    """A mapping that knows the position of itself and of each of its keys."""

    line: int = 0
    column: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.positions: dict[Any, tuple[int, int]] = {}

    def position(self, key: Any) -> tuple[int, int]:
        """(line, column) of ``key``, or of the mapping itself if the key is absent."""
        return self.positions.get(key, (self.line, self.column))


class YamlList(list[Any]):
    """A list that knows the position of itself and of each item."""

    line: int = 0
    column: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.positions: list[tuple[int, int]] = []


# LibYAML's parser, when PyYAML was built with it (its wheels are): the same nodes and positions as the pure-Python
# parser, ten times faster, which matters for the front matter of 10,000 articles. Named, as PyYAML is imported
# where it is used: a build that reads no YAML (a rebuild's process, with no settings file) never loads it.
_FAST_LOADER: str | None = "CSafeLoader"


def load_yaml(text: str, path: str) -> Any:
    """Parse one YAML document; syntax errors become InputErrors naming ``path`` and the line."""
    import yaml

    fast_loader = getattr(yaml, _FAST_LOADER, None) if _FAST_LOADER else None
    if fast_loader is not None:
        try:
            node = yaml.compose(text, Loader=fast_loader)
        except yaml.YAMLError:
            pass  # the pure-Python parser below says what is wrong, in the words the tests and users know
        else:
            return None if node is None else _convert(node, path, yaml.SafeLoader(""))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(str(part) for part in (error.context, error.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise fail(path, f"this is not valid YAML: {problem}", line, column) from None
    except yaml.YAMLError as error:
        raise fail(path, f"this is not valid YAML: {error}") from None
    if node is None:
        return None
    return _convert(node, path, yaml.SafeLoader(""))


def _convert(node: yaml.Node, path: str, loader: yaml.SafeLoader) -> Any:
    import yaml

    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        mapping = YamlMap()
        mapping.line, mapping.column = line, column
        for key_node, value_node in node.value:
            key = _convert(key_node, path, loader)
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if isinstance(key, (YamlMap, YamlList)):
                raise fail(path, "a key must be a plain value, not a mapping or list", key_line, key_column)
            if key in mapping:
                first = mapping.positions[key][0]
                raise fail(path, f"duplicate key {key!r} (first given on line {first})", key_line, key_column)
            mapping[key] = _convert(value_node, path, loader)
            mapping.positions[key] = (key_line, key_column)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line, items.column = line, column
        for item in node.value:
            items.append(_convert(item, path, loader))
            items.positions.append((item.start_mark.line + 1, item.start_mark.column + 1))
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise fail(path, f"cannot read this value: {getattr(error, 'problem', error)}", line, column) from None
    except (ValueError, OverflowError) as error:  # PyYAML lets these through for dates such as 2024-13-01
        raise fail(path, f"cannot read {node.value!r}: {error}", line, column) from None
