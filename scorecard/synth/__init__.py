"""Seeded generator of realistic synthetic case-level extracts (a Kent-sized authority at scale 1).

>>> from scorecard.synth import generate, write
>>> frames = generate(scale=0.1, seed=2015, last_month="2015-05")   # doctest: +SKIP
>>> write("data/synthetic", scale=1.0, seed=2015)                      # doctest: +SKIP

or from the command line: ``python -m scorecard.synth --scale 1.0 --seed 2015 --out DIR``.

Every extract of :data:`scorecard.extracts.SPECS` is produced, plus the organisation table (Kent's
22 teams of May 2015 and a county-wide "Fostering Service"). Children's lives are simulated as
whole lifecycles (referral, assessment, section 47, conference, CP plan, CIN plan, care with its
placements, reviews and checks, adoption, leaving care), vectorised with numpy, so that the
figures are consistent across extracts and land near Kent's published May 2015 scorecard. The
calibration (every rate and probability) is in :mod:`scorecard.synth.config`.

Flows are simulated from two years before the history starts (1 April four financial years before
the last month) so that stocks and look-backs are in place; the extracts hold every case open on or
after that date, children in care then with their whole period of care, and nothing dated after
the last month (except the expected birth date of a child still unborn). Stages:
:mod:`~scorecard.synth.cases` (referrals to plans), :mod:`~scorecard.synth.care` (periods of care,
episodes, reviews, checks, adoption), :mod:`~scorecard.synth.plans` (CP reviews, CP/CIN visits),
:mod:`~scorecard.synth.leavers`, :mod:`~scorecard.synth.private_fostering`,
:mod:`~scorecard.synth.workforce` (posts, occupancy, allocations), :mod:`~scorecard.synth.quality`
and :mod:`~scorecard.synth.build` (assembly into canonical frames). Each stage draws from its own
named random stream, so recalibrating one stage does not reshuffle the draws of the others.
"""

from scorecard.synth.build import generate, synthetic_manifest, write
from scorecard.synth.organisation import FOSTERING_TEAM_NAME, organisation_table

__all__ = ["FOSTERING_TEAM_NAME", "generate", "organisation_table", "synthetic_manifest", "write"]
