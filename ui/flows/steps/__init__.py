"""The steps the flows are made of."""
