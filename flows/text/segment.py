"""Splitting a complaint description into the terms the marts count.

jieba (pinned; its dictionary ships in the package, nothing is downloaded) segments Chinese, with
the domain dictionary of ``lexicon/domain_dict.txt`` added so product, defect and logistics words
(掉色, 起球, 漏电, 异味, 破损, 压坏, 假货 …) stay whole. English runs come out of jieba as whole
words. A token is a term when it has at least two characters, no digit or mask character (masked
phones, order numbers and amounts say nothing about the problem) and is not a stop word
(``lexicon/stopwords.txt``). HMM discovery of unknown words is off: terms then depend on the
dictionaries only, which keeps them stable across runs and fast.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import jieba

LEXICON = Path(__file__).resolve().parent / "lexicon"
DOMAIN_DICT = LEXICON / "domain_dict.txt"
PRODUCT_WORDS = LEXICON / "product_words.txt"
STOPWORDS = LEXICON / "stopwords.txt"
# Bump when the token rules below change: stored terms of an older version are re-segmented.
RULES_VERSION = "1"
DEFAULT_FREQUENCY = 2000

# Letters only (CJK ideographs, Latin letters, an inner apostrophe or hyphen): no digits, no '*'.
_TERM = re.compile(r"[a-z\u4e00-\u9fff](?:[a-z'\-\u4e00-\u9fff]*[a-z\u4e00-\u9fff])?")


def _lexicon_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def read_domain_dictionary(path: Path = DOMAIN_DICT) -> dict[str, int]:
    """Word -> jieba frequency; a word without a frequency gets the default."""
    words = {}
    for line in _lexicon_lines(path):
        parts = line.split()
        words[parts[0]] = int(parts[1]) if len(parts) > 1 else DEFAULT_FREQUENCY
    return words


def read_stopwords(path: Path = STOPWORDS) -> frozenset[str]:
    return frozenset(word.lower() for word in _lexicon_lines(path))


class Segmenter:
    """Terms of a description, deterministic for a given version of jieba and the lexicon."""

    def __init__(
        self,
        dictionary: Path = DOMAIN_DICT,
        stopwords: Path = STOPWORDS,
        product_words: Path = PRODUCT_WORDS,
    ) -> None:
        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._domain = read_domain_dictionary(dictionary)
        products = read_domain_dictionary(product_words)
        self.product_words = frozenset(word.lower() for word in products)
        for word, frequency in {**self._domain, **products}.items():
            # text is lower-cased before cutting, so words like T恤 are added lower-cased too
            self._tokenizer.add_word(word.lower(), frequency)
        self._stopwords = read_stopwords(stopwords)
        self.version = segmenter_version(dictionary, stopwords, product_words)

    def is_term(self, token: str) -> bool:
        return len(token) >= 2 and token not in self._stopwords and bool(_TERM.fullmatch(token))

    def terms(self, text: str | None) -> list[str]:
        """Distinct terms in order of first appearance (a complaint mentions a term or not)."""
        if not text:
            return []
        seen: dict[str, None] = {}
        for token in self._tokenizer.cut(text.lower(), HMM=False):
            token = token.strip()
            if token not in seen and self.is_term(token):
                seen[token] = None
        return list(seen)

    def segment_many(self, texts: Iterable[str | None]) -> list[list[str]]:
        """The terms of each text, each distinct text segmented once: complaints repeat short
        descriptions, and the grouping reads every unclassified one each build."""
        known: dict[str | None, list[str]] = {}
        out = []
        for text in texts:
            if text not in known:
                known[text] = self.terms(text)
            out.append(list(known[text]))
        return out


def segmenter_version(
    dictionary: Path = DOMAIN_DICT, stopwords: Path = STOPWORDS, product_words: Path = PRODUCT_WORDS
) -> str:
    """The version stored terms are tagged with: jieba's, the rules' and the lexicon files'
    (known without loading jieba's dictionary)."""
    digest = hashlib.sha256()
    for part in (jieba.__version__, RULES_VERSION):
        digest.update(part.encode())
    for path in (dictionary, stopwords, product_words):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def default_segmenter() -> Segmenter:
    """One segmenter per process: loading jieba's dictionary takes about a second."""
    return Segmenter()
