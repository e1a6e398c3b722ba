"""The process layer: `zhibu` started as a real process (python -m bot …), as an operator starts it. Slower than
the in-process layers by the interpreter's start-up, so only what needs a process boundary lives here: start-up
imports, `zhibu run` serving and stopping on a signal, a command's exit code and stderr, and the record books
rendered by LibreOffice."""
