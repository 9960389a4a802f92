"""What stations do with the central service: deliver cases (``ingest``) and their parts
(``parts``), read the decisions feed (``feed``) and verify applicants' phones (``phone``)."""
