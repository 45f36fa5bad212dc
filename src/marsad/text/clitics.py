"""The Arabic proclitic patterns the stages share, written once.

A conjunction (و ف) may come first, then a preposition (ب ل ك), then the article (ال);
ل before ال contracts to لل. Stages match cue words and names behind these prefixes.
"""

CONJUNCTION = "[وف]"
PREPOSITION = "[بلك]"
# و ف, then ب ل ك, each optional: "وب", "فل", "ك", ""
PROCLITICS = f"{CONJUNCTION}?{PREPOSITION}?"
# the same, then the article; or the contracted لل: on noun cues ("والغارة", "للقصف")
NOUN_PROCLITICS = f"(?:{PROCLITICS}(?:ال)?|{CONJUNCTION}?لل)"
# a word's leading proclitics with the article, for stripping ("^" + this)
ARTICLE_PROCLITICS = f"{PROCLITICS}ال|{CONJUNCTION}?لل"
