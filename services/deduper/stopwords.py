"""Function words that carry no event identity (English; other languages rely on IDF alone)."""

_LIST = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according would also one two new
mr mrs ms s t don didn doesn isn wasn weren won wouldn can't couldn shouldn ll re ve d m
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week last next
year years day days time since ago around still even though much many may might must shall
"""
STOPWORDS = frozenset(_LIST.split())
