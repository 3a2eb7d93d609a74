"""Realistic sample exports of a Chinese marketplace, with the truth of what was planted.

``generate`` (in :mod:`flows.generator.run`) writes the six entities of the data contract into a
landing folder and a ground-truth file naming every planted pattern and every injected fault.
"""

from flows.generator.run import GenerateOptions, generate

__all__ = ["GenerateOptions", "generate"]
