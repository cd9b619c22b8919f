// Starts `tgc lsp` for .tg files and connects VS Code to it (vscode-languageclient, over stdio).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

function activate(context) {
  const configured = vscode.workspace.getConfiguration("tg").get("server.command", "tgc");
  // A path to a .js file (bin/tgc.js of a checkout) runs with VS Code's node; anything else is a command on PATH.
  const server = configured.endsWith(".js")
    ? { module: configured, transport: TransportKind.stdio, args: ["lsp"] }
    : { command: configured, transport: TransportKind.stdio, args: ["lsp"] };
  client = new LanguageClient(
    "tg",
    "tg language server",
    { run: server, debug: server },
    { documentSelector: [{ language: "tg" }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
