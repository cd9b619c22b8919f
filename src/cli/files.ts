// Files and folders the user names. When the file system refuses one (a missing folder, no permission, a file where a
// folder should be), the problem is the user's to fix, so it is told in words and exits 1, never as an internal error.
import { statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { displayPath } from "./output.js";

/** The file system refused something the user asked for; `message` says what and why, for `tgc <command>: …`. */
export class FileProblem extends Error {}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EEXIST: "it already exists",
  ENAMETOOLONG: "the name is too long",
};

/** Words for a file-system error, or undefined when `e` is not one (then it is a bug, not the user's problem). */
export function fileSystemReason(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? REASONS[code] : undefined;
}

const VERBS: Record<string, string> = {
  open: "open",
  read: "read",
  write: "write",
  mkdir: "create the folder",
  scandir: "read the folder",
  opendir: "read the folder",
  rename: "replace",
  unlink: "remove",
  rm: "remove",
  rmdir: "remove",
  stat: "find",
};

/** `cannot write out/x.tg: no such file or folder`, for an error thrown by a `node:fs` call; undefined for others. */
export function describeFileSystemError(e: unknown): string | undefined {
  const reason = fileSystemReason(e);
  if (reason === undefined) return undefined;
  const { syscall, path } = e as NodeJS.ErrnoException;
  const verb = (syscall && VERBS[syscall]) ?? "use";
  return path ? `cannot ${verb} ${displayPath(resolve(path))}: ${reason}` : `${verb}: ${reason}`;
}

/** Writes a file the user named, or throws a FileProblem that says why it cannot. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    const reason = fileSystemReason(e);
    if (reason === undefined) throw e;
    throw new FileProblem(`cannot write ${displayPath(resolve(path))}: ${reason}`);
  }
}

/**
 * Why `path` cannot be written, checked before long work starts so that it does not fail at the end: its folder
 * must exist and be a folder, and the path must not be a folder. Undefined when it looks writable.
 */
export function outputProblem(path: string): string | undefined {
  const full = resolve(path);
  const folder = dirname(full);
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? "folder" : "file";
    } catch {
      return undefined;
    }
  };
  const parent = kind(folder);
  if (parent === undefined) return `cannot write ${displayPath(full)}: there is no folder ${displayPath(folder)}`;
  if (parent === "file") return `cannot write ${displayPath(full)}: ${displayPath(folder)} is a file, not a folder`;
  if (kind(full) === "folder") return `cannot write ${displayPath(full)}: it is a folder`;
  return undefined;
}
