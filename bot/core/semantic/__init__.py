"""The semantic stage: what a message means when the keyword lexicon cannot tell.

Multilingual sentence embeddings (``embedder``) feed a small linear classifier (``classifier``)
trained from the project's labelled messages (``corpus``, ``training``); ``stage`` decides when
it is asked and how its answer combines with the lexicon router's.
"""
