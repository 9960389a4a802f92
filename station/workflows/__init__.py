"""Registration workflows: drafts saved step by step, routing rules, commit to the outbox."""
