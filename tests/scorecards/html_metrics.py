"""Reading a rendered scorecard back: every ``data-metric`` element with its value and text."""

from __future__ import annotations

from html.parser import HTMLParser


class MetricParser(HTMLParser):
    """Collects (metric, data-value, visible text) and the attributes of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics: list[tuple[str, str, str]] = []
        self.attributes: list[dict[str, str | None]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.attributes.append(attributes)
        if "data-metric" in attributes:
            self._open.append([attributes["data-metric"], attributes.get("data-value"), ""])
        elif self._open:
            self._open.append(None)  # nested tag inside a metric

    def handle_endtag(self, tag):
        if self._open:
            entry = self._open.pop()
            if entry is not None:
                self.metrics.append((entry[0], entry[1], entry[2].strip()))

    def handle_data(self, data):
        for entry in self._open:
            if entry is not None:
                entry[2] += data


def parse_metrics(html: str) -> MetricParser:
    parser = MetricParser()
    parser.feed(html)
    return parser


def first(parser: MetricParser, name: str) -> tuple[str, str]:
    """(data-value, text) of the first element carrying metric ``name``."""
    for metric, value, text in parser.metrics:
        if metric == name:
            return value, text
    raise AssertionError(f"no element with data-metric={name!r}")
