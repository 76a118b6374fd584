# Types of the C extension built from _text.c; text_features.features_py documents what it does.
from collections.abc import Callable

Settings = tuple[frozenset[str], Callable[[str], str], float, float, float, int, int, tuple[int, int, int]]

def features(title: str, body: str, settings: Settings, /) -> tuple[dict[str, float], dict[str, float], list[int]]: ...
