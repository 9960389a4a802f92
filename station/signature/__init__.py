"""Signatures: the stroke model every input path feeds, quality rules, the signed record
(time series + rendered PNG, bound to the case and agreement text) and agreement texts."""
