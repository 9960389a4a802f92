"""Pages shown in the workspace, per role."""
