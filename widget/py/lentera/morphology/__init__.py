"""Inflection generators for `{root}` patterns, one small module per language family.

A generator takes a root (already normalised) and returns the root and its inflected forms. Languages without
one (Thai, Chinese, Korean, Vietnamese) match roots as written: their scripts or lexicons need no affixes.
"""

from collections.abc import Callable, Iterable

Generator = Callable[[str], Iterable[str]]

REGISTRY: dict[str, Generator] = {}


def register(*langs: str) -> Callable[[Generator], Generator]:
    def wrap(fn: Generator) -> Generator:
        for lang in langs:
            REGISTRY[lang] = fn
        return fn

    return wrap


def inflect(lang: str, root: str) -> list[str]:
    """The root and its forms in `lang`, root first, without duplicates."""
    forms = [root]
    generator = REGISTRY.get(lang) or REGISTRY.get(lang.split("-")[0])
    if generator:
        forms.extend(generator(root))
    return list(dict.fromkeys(forms))


# Import the language modules for their @register side effect.
from lentera.morphology import english, filipino, malay, tamil  # noqa: E402, F401
