"""Khabar's JSON schemas and label inventories (``labels.json``): package data of the ``khabar`` wheel,
read through :mod:`khabar.corpus.format`. A package only so that an installed wheel carries them."""
