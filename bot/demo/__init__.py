"""`zhibu demo`: the emulator, the real bot and a web page with phones side by side, in one process."""
