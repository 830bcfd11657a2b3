"""resolve: place names, date expressions and actor strings -> canonical records.

- :mod:`sitrep.resolve.places` — geocoding against the embedded gazetteer
  (:mod:`sitrep.resolve.gazetteer`, name keys in :mod:`sitrep.resolve.names`);
- :mod:`sitrep.resolve.dates` — date expressions -> DateRef;
- :mod:`sitrep.resolve.actors` — actor strings -> Actor.

Submodules are imported explicitly (``from sitrep.resolve.places import resolve_place``)
so that loading one resolver never pays for the others' data.
"""
