// `tgc lsp`'s entry: the server on the process's standard input and output.
import { createConnection } from "vscode-languageserver/node";
import { startServer, type ServerOptions } from "./server.js";

export { startServer, type ServerOptions } from "./server.js";

/** Serves over stdio until the client says `exit` (or closes the stream); resolves with the exit code. */
export function serveStdio(options: ServerOptions): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  const done = new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  startServer(connection, options);
  return done;
}
