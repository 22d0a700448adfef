"""Which units a demo item goes to: mostly those the campaign's tasks name for the item's area."""

from __future__ import annotations

import random
from collections import Counter

from issues_api.campaigns.definition import CampaignDefinition

# Lead units of an area's tasks get most of its problems; co-units of those tasks some; others a few.
LEAD_WEIGHT, CO_WEIGHT, OTHER_WEIGHT = 6, 2, 1


class UnitPicker:
    def __init__(self, defn: CampaignDefinition, rng: random.Random) -> None:
        self.rng = rng
        parents = {u.parent for u in defn.units if u.parent}
        # Units that do the work: not cities (regions of items) and not umbrella units with children.
        self.workers = [u.code for u in defn.units if u.kind != "city" and u.code not in parents]
        if not self.workers:
            self.workers = [u.code for u in defn.units]
        if not self.workers:
            raise ValueError("the campaign definition names no units to assign demo items to")
        self.cities = [u.code for u in defn.units if u.kind == "city"]
        self.names = {u.code: u.name for u in defn.units}
        self.weights: dict[str, tuple[list[str], list[int]]] = {}
        for category in defn.categories:
            counts: Counter[str] = Counter(dict.fromkeys(self.workers, OTHER_WEIGHT))
            for task in defn.tasks:
                if task.category == category.code:
                    counts[task.lead_unit] += LEAD_WEIGHT
                    for co in task.co_units:
                        counts[co] += CO_WEIGHT
            codes = [code for code in self.workers if code in counts]
            self.weights[category.code] = (codes, [counts[c] for c in codes])

    def lead(self, category: str, *, other_than: str | None = None) -> str:
        codes, weights = self.weights.get(category, (self.workers, [1] * len(self.workers)))
        choices = [(c, w) for c, w in zip(codes, weights, strict=True) if c != other_than] or [(codes[0], 1)]
        return self.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]

    def co_units(self, lead: str, count: int) -> list[str]:
        pool = [code for code in self.workers if code != lead]
        return self.rng.sample(pool, min(count, len(pool)))

    def city(self) -> str | None:
        return self.rng.choice(self.cities) if self.cities else None

    def city_name(self, code: str) -> str:
        return self.names.get(code, code)
