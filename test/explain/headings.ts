// The numbered section headings of `tgc explain`'s text output, without their numbers.
export const headingsOf = (stdout: string): string[] =>
  stdout
    .split("\n")
    .filter((l) => /^\d+\. /.test(l))
    .map((l) => l.replace(/^\d+\. /, ""));
