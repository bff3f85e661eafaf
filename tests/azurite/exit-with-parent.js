// Preloaded by AzuriteServer (`node --require exit-with-parent.js ...`).
// The test process holds the write end of our stdin pipe. If it dies without disposing
// the server (crash, kill -9, debugger stop) the pipe closes and we exit instead of
// lingering as an orphan that keeps ports and temp folders busy.
"use strict";
const stdin = process.stdin;
stdin.on("end", () => process.exit(0));
stdin.on("close", () => process.exit(0));
stdin.on("error", () => process.exit(0));
stdin.resume();
// Do not keep the event loop alive just for this watch; Azurite's servers do that.
if (typeof stdin.unref === "function") {
  stdin.unref();
}
