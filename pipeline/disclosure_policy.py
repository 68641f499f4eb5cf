"""The disclosure policy a release is published under: a setting, so it lives with the settings;
publish/disclosure.py applies it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisclosurePolicy:
    """Counts from 1 to `threshold` are suppressed; with `rounding_base`, every published count is
    also rounded to the nearest multiple of it. Recorded in every release."""

    threshold: int = 4
    rounding_base: int | None = None

    def publish_count(self, value: int) -> int:
        return round_to_base(value, self.rounding_base) if self.rounding_base else value

    def describe(self) -> str:
        text = (
            f"Counts from 1 to {self.threshold} are suppressed as [c], and further cells are suppressed where "
            "they would let a suppressed count be worked out from totals (secondary suppression)."
        )
        if self.rounding_base:
            text += (
                f" Every published count is rounded to the nearest {self.rounding_base}, so totals may not "
                "equal the sum of their parts; rates and shares are computed from the unrounded counts."
            )
        return text

    def as_record(self) -> dict:
        return {"threshold": self.threshold, "rounding_base": self.rounding_base, "symbol": "[c]"}


def round_to_base(value: int, base: int) -> int:
    """Round half away from zero to the nearest multiple of `base` (7 -> 5, 8 -> 10, -8 -> -10)."""
    magnitude = (abs(value) + base // 2) // base * base
    return magnitude if value >= 0 else -magnitude
