// Entry point of the bundled CLI (dist/tgc.js).
import { main } from "./main.js";

// Output piped into a command that stops reading (`tgc run … | head`) is not a failure of the run: it goes on, and
// its folder still records everything.
const ignoreClosedPipe = (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
};
process.stdout.on("error", ignoreClosedPipe);
process.stderr.on("error", ignoreClosedPipe);

await main(process.argv.slice(2));
