// The `tgc` command line. The only place that prints or exits; each command lives in commands/ and is loaded
// when it runs, so `--help` loads no parser and `check` loads no runtime.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { packageRoot } from "../api/package-root.js";
import { describeFileSystemError, FileProblem } from "./files.js";

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

interface RunFlags {
  engine?: string;
  out?: string;
  runsDir: string;
  save: boolean;
  verbose?: boolean;
  quiet?: boolean;
  cache: boolean;
  replay?: boolean;
  cacheDir: string;
  maxCost?: number;
  maxCalls?: number;
  maxTokens?: number;
  prices?: string;
  concurrency: number;
  warmCache?: boolean;
  resume?: string;
  json?: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number, like 0.50");
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

/** A usage error found after parsing: printed like commander's own, then exit 2. */
const usageError = (command: Command, message: string): never => command.error(`error: ${message}`, { exitCode: 2, code: "commander.usage" });

/** The flags of every command that calls engines: concurrency, the response cache, budgets, prices. */
function withEngineFlags(command: Command): Command {
  return command
    .option("--concurrency <n>", "calls in flight per engine, unless an engine sets its own concurrency (1: one call at a time)", positiveInteger, 8)
    .option("--no-cache", "neither read nor write the response cache")
    .addOption(new Option("--replay", "serve every call from the response cache; fail on any miss (reproducible CI runs)").conflicts("cache"))
    .option("--cache-dir <dir>", "where the response cache lives; corpora's indexes are kept in its index/ folder", ".tgc-cache/responses")
    .option("--max-cost <usd>", "stop before spending more than this many US dollars", positiveNumber)
    .option("--max-calls <n>", "stop before making more than this many calls", positiveInteger)
    .option("--max-tokens <n>", "stop before using more than this many tokens", positiveInteger)
    .option("--prices <file>", 'a JSON file of prices overriding the built-in table: { "openai:gpt-4o": { "input": 2.5, "cachedInput": 1.25, "output": 10 } } (USD per million tokens)');
}

const engineFlagsOf = (o: RunFlags) => ({
  cache: o.replay ? ("replay" as const) : o.cache ? ("use" as const) : ("off" as const),
  cacheDir: o.cacheDir,
  budget: { maxCost: o.maxCost, maxCalls: o.maxCalls, maxTokens: o.maxTokens },
  prices: o.prices,
  concurrency: o.concurrency,
});

const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;

export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command("tgc")
    .description("Compile and run text-differentiable programs: LLM pipelines whose prompts and answers improve by textual gradients.")
    .version(version(), "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    // Before the commands are added, so that each inherits it: a usage error anywhere exits 2, through main.
    .exitOverride()
    .addHelpText(
      "after",
      examples([
        "tgc run examples/quickstart.tg --engine sim     optimize an answer offline, with the simulator",
        "tgc check examples/*.tg                          report every error and warning",
        "tgc fmt --check examples/*.tg                    verify formatting in CI",
        "tgc graph examples/prompt-optimization.tg        draw the computation graph (Mermaid)",
        "tgc dvh runs/<run> -o dvh.png                    plot a radiotherapy plan's dose-volume histogram",
      ]),
    );

  withEngineFlags(program
    .command("run")
    .description("run a program's optimize blocks: forward, loss, backward (textual gradients), update")
    .argument("<file>", "a .tg program")
    .option(
      "--engine <engine>",
      "serve every engine of the program with one: sim (offline simulator), scripted:FILE (replies from a rules file), openai:MODEL, anthropic:MODEL or compatible:MODEL (at OPENAI_BASE_URL)",
    )
    .option("--out <file>", "write a copy of the program whose trainable variables hold their optimized values")
    .option("--runs-dir <dir>", "where run folders go", "runs")
    .option("--no-save", "do not write a run folder")
    .addOption(new Option("--resume <run-folder>", "continue a stopped run (crash, Ctrl-C, budget) from its last checkpoint, in its folder").conflicts("save"))
    .option("--warm-cache", "send a batch's first example alone, so the provider caches the prompt the others share")
    .addOption(
      new Option("--repeat <n>", "run the optimization n times at once with seeds S, S+1, … (sharing the cache) and report the metric's mean and spread")
        .argParser(positiveInteger)
        .conflicts(["resume", "out", "json"]),
    )
    .option("--seed <s>", "with --repeat: the first run's seed for the data's shuffling (default 0)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new InvalidArgumentError("expected a whole number");
      return n;
    })
    .addOption(new Option("--verbose", "print every prompt's result in full").conflicts("quiet"))
    .option("--quiet", "print only the run's header, the final values and any problem (no step-by-step progress)")
    .addOption(new Option("--json", "print every event as one JSON object a line (as events.jsonl holds them), for other programs").conflicts(["verbose", "quiet"]))
    .option("--estimate", "print the calls, tokens and cost the run would take (from the graph, the data and the price table), and stop"))
    .addHelpText(
      "after",
      examples([
        "tgc run examples/quickstart.tg --engine sim",
        "tgc run examples/prompt-optimization.tg --engine sim --out optimized.tg",
        "tgc run lesson.tg --engine scripted:lesson.replies.json --verbose",
        "OPENAI_API_KEY=… tgc run examples/quickstart.tg                  with the engines the program names",
        "ANTHROPIC_API_KEY=… tgc run examples/quickstart.tg --engine anthropic:claude-sonnet-4-5",
        "tgc run examples/prompt-optimization.tg --max-cost 0.50 --concurrency 4",
        "tgc run examples/prompt-optimization.tg --replay                  in CI: every reply from the cache",
        "tgc run examples/prompt-optimization.tg --engine sim --repeat 5 --seed 1    mean and spread over 5 seeds",
        "tgc run examples/prompt-optimization.tg --resume runs/2026-01-01T10-00-00-prompt-optimization",
        "tgc run examples/prompt-optimization.tg --estimate                what it would cost, before spending",
        "",
        "Keys come from OPENAI_API_KEY and ANTHROPIC_API_KEY (or the variable an engine names with key_env), or from",
        "~/.config/tgc/config.json; base URLs from OPENAI_BASE_URL and ANTHROPIC_BASE_URL. Keys are never written.",
        "",
        "On a terminal, a status line shows the step, calls in flight, tokens, cost and the time left.",
        "",
        "Each run writes runs/<time>-<name>/ with program.tg, config.json, graph.json, events.jsonl (every call,",
        "gradient and update), checkpoint.json (after every step: what --resume continues from) and final.json (the",
        "final values, tokens and cost); tgc runs lists them and tgc report draws one.",
        "Replies from real providers are cached in .tgc-cache/responses, keyed by the whole request: rerunning an",
        "unchanged program costs nothing.",
        "Exit codes: 0 done, 1 failed, 2 usage error, 3 stopped at a budget, 130 interrupted.",
      ]),
    )
    .action(async (file: string, o: RunFlags & { repeat?: number; seed?: number; estimate?: boolean }, command: Command) => {
      if (o.estimate && o.repeat !== undefined) usageError(command, "--estimate estimates one run; leave out --repeat");
      if (o.seed !== undefined && o.repeat === undefined) usageError(command, "--seed goes with --repeat (a single run uses the seed its optimize block sets)");
      if (o.repeat !== undefined) {
        const { repeatCommand } = await import("./commands/repeat.js");
        return exit(await repeatCommand(file, { repeat: o.repeat, seed: o.seed ?? 0, runsDir: o.runsDir, save: o.save, engine: o.engine, ...engineFlagsOf(o) }));
      }
      const { runCommand } = await import("./commands/run.js");
      exit(
        await runCommand(file, {
          engine: o.engine,
          out: o.out,
          runsDir: o.runsDir,
          save: o.save,
          verbosity: o.verbose ? "verbose" : o.quiet ? "quiet" : "normal",
          ...engineFlagsOf(o),
          warmCache: o.warmCache ?? false,
          resume: o.resume,
          json: o.json ?? false,
          estimate: o.estimate ?? false,
        }),
      );
    });

  withEngineFlags(
    program
      .command("bench")
      .description("reproduce a paper result: run a task's protocol (bench/tasks/TASK.tg) and compare the test metric before and after with the published figure")
      .argument("[task]", "a task name (object-counting, word-sorting, gsm8k, humaneval, multiple-choice) or the path of a task program")
      .option("--compare <folders...>", "set two bench folders (runs/bench/…) side by side instead of running a task")
      .option("--engine <engine>", "serve every engine of the task: sim, scripted:FILE, openai:MODEL, anthropic:MODEL, compatible:MODEL")
      .option("--teacher <engine>", "serve the task's teacher (the engine that critiques and optimizes) with this one instead")
      .option("--data <dir>", "the folder of the public data sets (bbh/, gsm8k/, humaneval/)", "../shared/data beside the package")
      .option("--dataset <name=file>", "read the task's data set NAME from FILE instead of the data folder (repeatable): your own questions for multiple-choice", (v: string, all: Record<string, string> = {}) => {
        const at = v.indexOf("=");
        if (at <= 0 || at === v.length - 1) throw new InvalidArgumentError("expected NAME=FILE, like questions=gpqa.jsonl");
        return { ...all, [v.slice(0, at)]: v.slice(at + 1) };
      })
      .option("--limit <n>", "use at most n examples of each data set (train, validation, test): a quick run", positiveInteger)
      .option("--seeds <k>", "run the optimization k times with seeds S, S+1, … (the training data's order; in a test-time task, a new sample of every call) and report the mean and spread (default 1)", positiveInteger)
      .option("--seed <s>", "the first seed (default 0)", (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number of at least 0");
        return n;
      })
      .option("--runs-dir <dir>", "where the bench folder (summary and a run folder per seed) goes, under bench/", "runs")
      .option("--estimate", "print the expected calls, tokens and cost, and stop")
      .option("--yes", "go ahead whatever the estimate says (otherwise a run estimated above --confirm-above asks first)")
      .option("--confirm-above <usd>", "ask before a run estimated to cost more than this many US dollars (default 1; 0 always asks)", (v: string) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of US dollars, 0 or more");
        return n;
      }),
  )
    .addHelpText(
      "after",
      examples([
        "tgc bench object-counting --engine sim --limit 10                       offline: shows the protocol runs",
        "tgc bench gsm8k --engine openai:gpt-3.5-turbo-0125 --teacher openai:gpt-4o --seeds 3",
        "tgc bench word-sorting --data ~/datasets --limit 50",
        "tgc bench humaneval --engine sim --limit 10                             code optimization, each problem on its own",
        "tgc bench multiple-choice --dataset questions=gpqa.jsonl --engine openai:gpt-4o --seeds 3",
        "tgc bench --compare runs/bench/2026-01-01T10-00-00-gsm8k runs/bench/2026-01-02T09-00-00-gsm8k",
      ]),
    )
    .action(async (task: string | undefined, o: RunFlags & { teacher?: string; data: string; dataset?: Record<string, string>; limit?: number; seeds?: number; seed?: number; compare?: string[]; estimate?: boolean; yes?: boolean; confirmAbove?: number }, command: Command) => {
      const { benchCommand, compareCommand } = await import("./commands/bench.js");
      if (o.compare) {
        if (task !== undefined) usageError(command, "--compare reads two bench folders; give no task with it");
        return exit(compareCommand(o.compare));
      }
      if (task === undefined) usageError(command, "name a task (object-counting, word-sorting, gsm8k, humaneval, multiple-choice), or --compare two bench folders");
      exit(
        await benchCommand(task!, {
          teacher: o.teacher,
          data: o.data === "../shared/data beside the package" ? undefined : o.data,
          datasets: o.dataset ?? {},
          limit: o.limit,
          seeds: o.seeds ?? 1,
          seed: o.seed ?? 0,
          estimate: o.estimate ?? false,
          yes: o.yes ?? false,
          confirmAbove: o.confirmAbove ?? 1,
          runsDir: o.runsDir,
          engine: o.engine,
          ...engineFlagsOf(o),
        }),
      );
    });

  withEngineFlags(program
    .command("eval")
    .description("score the program's variables on a data set with the metrics it validates with; optimizes nothing")
    .argument("<file>", "a .tg program")
    .requiredOption("--data <name>", "the data set to score on, as the program declares it (e.g. a held-out test set)")
    .option("--from <run-folder>", "score the values a run ended with, not the program's own")
    .option("--engine <engine>", "serve every engine of the program with one (as for run)")
    .option("--json", "print the scores, each example's too, as JSON"))
    .addHelpText(
      "after",
      examples([
        "tgc eval examples/prompt-optimization.tg --data val --engine sim",
        "tgc eval pipeline.tg --data test --from runs/2026-01-01T10-00-00-pipeline      the values a run ended with",
        "tgc run pipeline.tg --out trained.tg && tgc eval trained.tg --data test",
      ]),
    )
    .action(async (file: string, o: RunFlags & { data: string; from?: string; json?: boolean }) => {
      const { evalCommand } = await import("./commands/eval.js");
      exit(
        await evalCommand(file, {
          data: o.data,
          from: o.from,
          json: o.json ?? false,
          engine: o.engine,
          ...engineFlagsOf(o),
        }),
      );
    });

  withEngineFlags(
    program
      .command("explain")
      .description("narrate the first optimization step(s) of a program, or every step of a run folder, each part tied to ordinary backpropagation: for teaching")
      .argument("<file>", "a .tg program, or a run folder tgc run wrote (narrated whole, nothing is run again)")
      .option("--engine <engine>", "serve every engine with one: sim or scripted:FILE give the same narration every time")
      .option("--steps <n>", "how many steps to narrate (an example of an each: block is told whole, to its vote and score)", positiveInteger, 1)
      .option("--html <file>", "write the narration as a self-contained lesson page instead"),
  )
    .addHelpText(
      "after",
      examples([
        "tgc explain examples/quickstart.tg --engine sim",
        "tgc explain docs/teach/01-chain.tg --engine scripted:docs/teach/01-chain.replies.json",
        "tgc explain examples/prompt-optimization.tg --engine sim --steps 2 --html lesson.html",
        "tgc explain runs/2026-01-01T10-00-00-multiple-choice",
      ]),
    )
    .action(async (file: string, o: RunFlags & { steps: number; html?: string }, command: Command) => {
      const { explainCommand } = await import("./commands/explain.js");
      // A run folder is told as it was recorded: flags that choose what to run would be ignored, so say which.
      const runFlags = command.options.filter((x) => x.attributeName() !== "html" && command.getOptionValueSource(x.attributeName()) === "cli");
      exit(await explainCommand(file, { engine: o.engine, steps: o.steps, html: o.html, ...engineFlagsOf(o), runFlags: runFlags.map((x) => x.long ?? x.flags) }));
    });

  withEngineFlags(
    program
      .command("check-loss")
      .description("how often a loss's verdict agrees with reference outputs labelled good or bad: tighten a rubric before a full run")
      .argument("<file>", "a .tg program")
      .requiredOption("--loss <name>", "the loss to check, as the program declares it")
      .requiredOption("--data <file>", "a .jsonl, .csv or .json file of reference outputs: output, label (good or bad), and the fields the loss reads (ex.…)")
      .option("--engine <engine>", "serve every engine of the program with one (as for run)")
      .option("--threshold <loss>", "a verdict is good when the loss is at most this (default 0: it found nothing to fix)", (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
        return n;
      }),
  )
    .addHelpText(
      "after",
      examples([
        "tgc check-loss examples/prompt-optimization.tg --loss judge --data reference.jsonl",
        "",
        'A reference line: {"question": "…", "answer": "3", "output": "…Answer: 3", "label": "good"}. The output stands',
        "in place of the text the loss judges; what would have produced it is not run.",
      ]),
    )
    .action(async (file: string, o: RunFlags & { loss: string; data: string; threshold?: number }) => {
      const { checkLossCommand } = await import("./commands/check-loss.js");
      exit(await checkLossCommand(file, { loss: o.loss, data: o.data, threshold: o.threshold ?? 0, engine: o.engine, ...engineFlagsOf(o) }));
    });

  program
    .command("export")
    .description("write a run's optimized variables as a deployable artefact: a JSON file or a TypeScript module")
    .argument("<run-folder>", "a folder tgc run wrote (runs/<time>-<name>)")
    .addOption(new Option("--format <format>", "json, or ts (a module of typed constants)").choices(["json", "ts"]).default("json"))
    .option("-o, --out <file>", "write it there instead of to standard output")
    .option("--all", "frozen variables too, not only the trained ones")
    .addHelpText(
      "after",
      examples([
        "tgc export runs/2026-01-01T10-00-00-prompt-optimization",
        "tgc export runs/2026-01-01T10-00-00-prompt-optimization --format ts -o src/prompts.ts",
        "",
        "The artefact names the program, its hash, the run and its best validation score.",
      ]),
    )
    .action(async (folder: string, o: { format: "json" | "ts"; out?: string; all?: boolean }) => {
      const { exportCommand } = await import("./commands/export.js");
      exit(exportCommand(folder, { format: o.format, out: o.out, all: o.all ?? false }));
    });

  program
    .command("cache")
    .description("show what the cache holds (responses, corpus indexes), or empty it")
    .addArgument(new Argument("<action>", "stats or clear").choices(["stats", "clear"]))
    .option("--cache-dir <dir>", "where the response cache (and, in its index/ folder, the corpora's indexes) lives", ".tgc-cache/responses")
    .addHelpText("after", examples(["tgc cache stats", "tgc cache clear"]))
    .action(async (action: "stats" | "clear", o: { cacheDir: string }) => {
      const { resolve } = await import("node:path");
      const { cacheCommand } = await import("./commands/cache.js");
      exit(cacheCommand(action, resolve(o.cacheDir)));
    });

  program
    .command("check")
    .description("check programs and report every error and warning with its code, position and a code frame")
    .argument("<files...>", ".tg programs")
    .addOption(new Option("--format <format>", "text for people, json for editors and CI").choices(["text", "json"]).default("text"))
    .option("--no-warnings", "report errors only")
    .addHelpText("after", examples(["tgc check examples/*.tg", "tgc check pipeline.tg --format json | jq '.diagnostics[].code'", "", "Exits 1 when any file has an error."]))
    .action(async (files: string[], o: { format: "text" | "json"; warnings: boolean }) => {
      const { checkCommand } = await import("./commands/check.js");
      exit(checkCommand(files, o));
    });

  program
    .command("fmt")
    .description("format programs (a prettier plugin; keeps comments)")
    .argument("<files...>", ".tg programs")
    .option("--check", "list files that are not formatted; exit 1 if any")
    .option("--write", "rewrite files in place")
    .addHelpText("after", examples(["tgc fmt pipeline.tg              print the formatted program", "tgc fmt --write examples/*.tg", "tgc fmt --check examples/*.tg    in CI", "npx prettier --plugin ./dist/prettier-plugin-tg.js --check 'examples/*.tg'"]))
    .action(async (files: string[], o: { check?: boolean; write?: boolean }, command: Command) => {
      if (o.check && o.write) usageError(command, "--check and --write exclude each other");
      const { fmtCommand } = await import("./commands/fmt.js");
      exit(await fmtCommand(files, { check: o.check ?? false, write: o.write ?? false }));
    });

  program
    .command("graph")
    .description("print the computation graph the program lowers to")
    .argument("<file>", "a .tg program")
    .addOption(new Option("--format <format>", "mermaid or dot (Graphviz)").choices(["mermaid", "dot"]).default("mermaid"))
    .addHelpText("after", examples(["tgc graph examples/quickstart.tg", "tgc graph examples/prompt-optimization.tg --format dot | dot -Tsvg > graph.svg"]))
    .action(async (file: string, o: { format: "mermaid" | "dot" }) => {
      const { graphCommand } = await import("./commands/graph.js");
      exit(graphCommand(file, o.format));
    });

  program
    .command("dvh")
    .description("plan a std/radiotherapy case from its planning parameters: print the DVH statistics and protocol goals, draw the DVH")
    .argument("<source>", 'a text file of planning parameters, one objective per line ("rectum: max 50 Gy, weight 100"), or a run folder')
    .option("--case <name>", "the radiotherapy case", "prostate")
    .option("--variable <name>", "in a run folder, the value holding the parameters (default: the only one that reads as parameters)")
    .option("-o, --out <file>", "draw the cumulative DVH into an .svg or .png file (by its extension)")
    .addHelpText(
      "after",
      examples([
        "tgc dvh parameters.txt",
        "tgc dvh parameters.txt -o dvh.svg",
        "tgc dvh runs/2026-01-01T10-00-00-radiotherapy -o dvh.png     the optimized parameters of a run",
        "tgc dvh runs/2026-01-01T10-00-00-radiotherapy --variable objectives",
        "",
        "Exits 1 when the parameters cannot be read, naming each bad line.",
      ]),
    )
    .action(async (source: string, o: { case: string; variable?: string; out?: string }, command: Command) => {
      if (o.out !== undefined && !/\.(svg|png)$/i.test(o.out)) usageError(command, `--out must name an .svg or .png file, not "${o.out}"`);
      const { dvhCommand } = await import("./commands/dvh.js");
      exit(await dvhCommand(source, o));
    });

  program
    .command("report")
    .description("write a run's report: one self-contained HTML page (chart, each step's diff and gradients, the graph, the spend)")
    .argument("<run-folder>", "a folder tgc run wrote (runs/<time>-<name>)")
    .option("-o, --out <file>", "where to write the page (default: RUN_FOLDER/report.html)")
    .addHelpText(
      "after",
      examples([
        "tgc report runs/2026-01-01T10-00-00-prompt-optimization",
        "tgc report runs/2026-01-01T10-00-00-quickstart -o quickstart.html",
        "",
        "The page needs no network: its styles and pictures are inside it. A run still going or killed (no",
        "final.json) is reported as far as it got. Exits 1 when the folder is not a run folder or cannot be read.",
      ]),
    )
    .action(async (folder: string, o: { out?: string }) => {
      const { reportCommand } = await import("./commands/report.js");
      exit(reportCommand(folder, { out: o.out }));
    });

  program
    .command("runs")
    .description("list the run folders, newest first: status, steps, best metric, calls, cost and resumes")
    .option("--runs-dir <dir>", "where run folders are", "runs")
    .addHelpText("after", examples(["tgc runs", "tgc runs --runs-dir experiments/runs"]))
    .action(async (o: { runsDir: string }) => {
      const { runsCommand } = await import("./commands/runs.js");
      exit(runsCommand(o.runsDir));
    });

  program
    .command("lsp")
    .description("serve the checker and the formatter to editors: a language server over stdio (diagnostics, hover, definition, completion, formatting, rename)")
    .option("--stdio", "talk over standard input and output (the default and only transport; accepted because editors pass it)")
    .addHelpText("after", examples(["tgc lsp                                  started by an editor, not by hand; see editors/vscode/"]))
    .action(async () => {
      const { lspCommand } = await import("./commands/lsp.js");
      exit(await lspCommand());
    });

  program
    .command("playground")
    .description("serve the playground on 127.0.0.1: edit a program with live diagnostics, see its graph, step it with the simulator or scripted replies")
    .option("--port <n>", "the port (0: any free one)", (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("expected a port number, 0 to 65535");
      return n;
    }, 4173)
    .addHelpText("after", examples(["tgc playground", "tgc playground --port 8080", "", "The page is static (dist/playground/): the compiler runs in the browser, with no network."]))
    .action(async (o: { port: number }) => {
      const { playgroundCommand } = await import("./commands/playground.js");
      exit(await playgroundCommand(o));
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  let command = "tgc";
  program.hook("preAction", (_, action) => {
    command = `tgc ${action.name()}`;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    const fileProblem = e instanceof FileProblem ? e.message : describeFileSystemError(e);
    if (typeof err.code === "string" && err.code.startsWith("commander.")) {
      // Help and version asked for are answers; help shown because no command was given, and anything else
      // commander rejects, are usage errors (exit 2).
      const asked = err.code === "commander.version" || ((err.code === "commander.helpDisplayed" || err.code === "commander.help") && err.exitCode === 0);
      code = asked ? 0 : 2;
    } else if (fileProblem !== undefined) {
      // A folder that is not there, a file that cannot be written: the user's to fix, not a bug.
      process.stderr.write(`${command}: ${fileProblem}\n`);
      code = 1;
    } else {
      // A bug in tgc, not a problem with the user's input: say so plainly, with the detail needed to report it.
      process.stderr.write(`tgc: internal error: ${(e as Error).message}\nPlease report this with the command you ran.\n`);
      if (process.env.TGC_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
      code = 70;
    }
  }
  process.exitCode = code;
}
