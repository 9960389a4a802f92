from devices.emrtd.cli import run

run()
