"""Training code for marsad's shipped models: not part of the installed package.

Run through `scripts/train_ner.py` and `scripts/train_ner_e5.py`; needs the `train` extra
(`pip install -e '.[train]'`, which brings torch) and, for the accurate tagger, the
`accurate` extra.
"""
