"""The supervisors' side: the queue (``filters``, ``queue``, ``counts``), leases on cases
(``leases``), decisions (``decisions``), a case's full view (``cases``) and figures (``stats``)."""
