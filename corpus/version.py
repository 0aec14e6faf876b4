"""The two versions Khabar publishes: the software (scorer) and the data (corpus + schema).

They move independently: a scorer fix does not change the data, and a gold correction does not change
how numbers are computed. Both appear in `khabar --version` and in every score signature.
"""

__version__ = "0.2.0"
DATA_VERSION = "0.10.0"
