"""The one place where the stages are composed (DESIGN.md pipeline).

    ingest ──► nlp ──► extract (+resolve) ──► claims      per article, pure
                                   └──► fuse ──► control   over the corpus, blocked

Per-article work (:func:`analyse`) is a pure function of the article, so the Spark
runner calls the very same code in ``mapPartitions``. Corpus-level work (fusion and
control) only touches the events whose block (place, date window) received new
mentions, so adding N articles costs O(N), not O(corpus).

Stage interfaces (each stage module documents its own):

- ``sitrep.ingest.ingest(sources, options) -> IngestResult(articles, failures)``
- ``sitrep.nlp.parse(texts) -> Iterator[Doc]``
- ``sitrep.extract.extract_mentions(article, doc) -> list[Mention]``
- ``sitrep.claims.extract_claims(article, doc) -> list[Claim]``
- ``sitrep.fuse.fuse(mentions, articles, existing) -> FuseResult(events, removed)``
- ``sitrep.control.derive_control(events) -> list[ControlState]``
"""
