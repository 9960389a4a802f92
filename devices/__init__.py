"""Qt-free device drivers, one package per device kind, each with a simulator and a CLI."""
