"""Submissions from the 交管12123 platform: manual-review requests after failed online face
recognition and e-licence photo applications. They enter the same review queue as station
cases (same deadline, flags, sealing and evidence views), submitted by a platform client
whose credential is scoped to intake."""
