// The CLI reads modules and data from disk through the Node hosts the library API also uses (src/api/host.ts).
import { stdlibNatives } from "../../stdlib/index.js";
import { fileDataHost, fileIndexStore } from "../api/host.js";

export { fileDataHost, fileIndexStore, nodeHost, packageRoot } from "../api/host.js";

/** What every command that runs a program gives the runtime from disk: the stdlib's natives, data files, corpus indexes. */
export const diskRuntime = (cacheDir: string) => ({ natives: stdlibNatives, data: fileDataHost, indexes: fileIndexStore(cacheDir) });
