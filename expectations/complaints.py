"""Suite for complaint states: channel/status codes, satisfaction 1–5, phone never in clear."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    from expectations.gx import load_gx

    gx = load_gx()

    expect = gx.expectations
    return suite(
        "complaints",
        [
            # The keyed hash is hex SHA-256; the masked form keeps 3 + 4 digits only.
            expect.ExpectColumnValuesToMatchRegex(
                column="buyer_phone_hash", regex=r"^[0-9a-f]{64}$"
            ),
            expect.ExpectColumnValuesToMatchRegex(
                column="buyer_phone_masked", regex=r"^(?:[0-9]{3}\*{4}[0-9]{4}|\*{4})$"
            ),
            expect.ExpectColumnValuesToNotMatchRegex(column="description", regex=r"1[3-9][0-9]{9}"),
        ],
    )
