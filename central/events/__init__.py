"""The event stream other systems consume: every received and decided case, exactly once, in
commit order (a transactional outbox published to AMQP and to platform webhooks)."""
