"""What every attribute generator needs to know about the synthetic population."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from presisi.regions.codes import KELURAHAN
from presisi.synth.calibration import Kalibrasi
from presisi.synth.population import DAYS_PER_YEAR, Population
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream
from presisi.synth.welfare import Welfare

Columns = dict[str, np.ndarray]  # variable code → values (NaN / NaT = not recorded)


@dataclass
class Context:
    pop: Population
    frame: RegionFrame
    kal: Kalibrasi
    seed: int
    welfare: Welfare
    agama: np.ndarray  # per person
    notes: dict[str, np.ndarray] = field(default_factory=dict)  # intermediate results shared by modules

    def rng(self, *names: str) -> np.random.Generator:
        return stream(self.seed, *names)

    @cached_property
    def desa_codes(self) -> list[str]:
        return self.frame.desa_codes

    @cached_property
    def kelurahan(self) -> np.ndarray:
        """Per desa: is it a kelurahan (urban ward)?"""
        return np.array([d.tingkat == KELURAHAN for d in self.frame.desa])

    @cached_property
    def age_days(self) -> np.ndarray:
        return (self.pop.ref - self.pop.birth).astype(np.int64)

    @cached_property
    def age_exact(self) -> np.ndarray:
        return self.age_days / DAYS_PER_YEAR

    @property
    def age(self) -> np.ndarray:
        return self.pop.age

    @cached_property
    def w(self) -> np.ndarray:
        """The household welfare score of each person."""
        return self.welfare.w[self.pop.rt]

    def desa_param(self, name: str) -> np.ndarray:
        return self.kal.param_array(name, self.desa_codes, self.kelurahan)

    def person_param(self, name: str) -> np.ndarray:
        return self.desa_param(name)[self.pop.desa]

    def desa_shares(self, name: str) -> list[dict[int, float]]:
        return [self.kal.param(name, k, kelurahan=bool(f)) for k, f in zip(self.desa_codes, self.kelurahan,
                                                                             strict=True)]
