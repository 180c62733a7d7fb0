import atexit
import os
import sys

from pipeline.cli import main

code = main()
# Leave without the interpreter's teardown: delta-rs/pyarrow can abort there after a successful
# commit ("terminate called without an active exception", delta-rs issue 2184), and a committed
# run must exit 0. Exit handlers (e.g. Prefect's temporary server shutdown) still run.
sys.stdout.flush()
sys.stderr.flush()
atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
