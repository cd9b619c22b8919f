// The CLI reads modules and data from disk through the Node hosts the library API also uses (src/api/host.ts).
export { fileDataHost, fileIndexStore, nodeHost, packageRoot } from "../api/host.js";
