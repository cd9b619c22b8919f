// tgc report: a run folder becomes one self-contained HTML page with the chart, each update's diff, the gradients
// linked to the graph's nodes, the spend per engine and phase, and the graph, every text escaped.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/compile.js";
import { toJson } from "../../src/ir/export.js";
import { readRun, reportHtml } from "../../src/report/index.js";
import { createRunFolder } from "../../src/runtime/run-folder.js";
import { stackTrace, tgc } from "../cli/run-cli.js";
import { eachRun, FIXED_NAME, handMade, revertedRun, simulatedRun, tmp, usage } from "./fixture.js";

const html = (dir: string) => {
  const r = readRun(dir);
  if (!r.ok) throw new Error(r.error);
  return reportHtml(r.run, { name: "run", generator: "tgc test", now: new Date(0) });
};

describe("tgc report on examples/prompt-optimization.tg trained with the simulator", () => {
  const folder = simulatedRun();
  const r = tgc(["report", folder]);
  const page = readFileSync(join(folder, "report.html"), "utf8");

  it("writes RUN_FOLDER/report.html and says where", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*report\.html/);
  });

  it("opens with the header and then the chart, whose points are drawn", () => {
    expect(page.indexOf('<section id="chart-section">')).toBeLessThan(page.indexOf('<section id="steps">'));
    expect(page.indexOf("<section")).toBe(page.indexOf('<section id="chart-section">'));
    const chart = /<svg id="chart"[\s\S]*?<\/svg>/.exec(page)![0];
    // 4 steps: 4 loss points; validation before training and after each step: 5 points.
    expect(chart.match(/class="point loss"/g)).toHaveLength(4);
    expect(chart.match(/class="point validation"/g)).toHaveLength(5);
    expect(chart).toContain("loss (mean over the step's examples)");
    expect(chart).toContain("validation score");
  });

  it("flags the simulated engines and sums up the run", () => {
    expect(page).toContain("<strong>SIMULATED:</strong>");
    expect(page.match(/<span class="tag sim">simulated<\/span>/g)).toHaveLength(2);
    expect(page).toContain('<span class="status status-completed">completed</span>');
    expect(page).toMatch(/<dt>steps<\/dt><dd>4 done<\/dd>/);
    expect(page).toMatch(/<dt>calls<\/dt><dd>37<\/dd>/);
  });

  it("shows the update as a word diff against the previous value", () => {
    expect(page).toContain("<ins>\nList every item with its quantity, then add up only the items the question asks about.</ins>");
    expect(page).toContain('<span class="tag ok">updated</span>');
  });

  it("links every gradient to a node of the graph drawn in the page", () => {
    const links = [...page.matchAll(/<a class="node-link" href="#node-(\d+)">/g)].map((m) => Number(m[1]));
    expect(links.length).toBeGreaterThanOrEqual(12); // 6 gradients, each from one node to another
    const anchors = new Set([...page.matchAll(/<g class="node[^"]*" id="node-(\d+)">/g)].map((m) => Number(m[1])));
    for (const id of links) expect(anchors.has(id)).toBe(true);
    expect(page).toMatch(/<a class="node-link" href="#node-6">rubric teacher<\/a> <span class="arrow">→<\/span> <a class="node-link" href="#node-3">solve: call student<\/a>/);
  });

  it("draws the graph as SVG, the trainable variable marked", () => {
    const graph = /<svg id="graph"[\s\S]*?<\/svg>/.exec(page)![0];
    expect(graph).toContain('class="node kind-variable trainable" id="node-0"');
    expect(graph).toContain('class="node kind-loss" id="node-6"');
    expect(graph.match(/<g class="edge">/g)!.length).toBeGreaterThanOrEqual(7);
  });

  it("tables calls, tokens and cost per engine and per phase", () => {
    const final = JSON.parse(readFileSync(join(folder, "final.json"), "utf8")) as { usage: { byPhase: Record<string, { calls: number }> } };
    expect(page).toContain("<th>engine</th><th>calls</th>");
    expect(page).toContain("<th>phase</th><th>calls</th>");
    for (const [phase, t] of Object.entries(final.usage.byPhase)) expect(page).toContain(`<tr><th>${phase}</th><td>${t.calls}</td>`);
    expect(page).toMatch(/<tr class="total"><th>total<\/th><td>37<\/td>/);
  });

  it("needs nothing from elsewhere: no script, no external link or source", () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).toContain("default-src 'none'");
  });

  it("-o writes the page where asked", () => {
    const out = join(tmp(), "page.html");
    expect(tgc(["report", folder, "-o", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(FIXED_NAME);
  });
});

describe("the report's content", () => {
  it("escapes every text from the run", () => {
    const page = html(handMade("evil", revertedRun));
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<b>bold</b>");
    expect(page).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(page).toContain("ex.&lt;script&gt;"); // a graph label, clipped to fit its node
  });

  it("marks a reverted validation step on the chart and at its update", () => {
    const page = html(handMade("reverted", revertedRun));
    const chart = /<svg id="chart"[\s\S]*?<\/svg>/.exec(page)![0];
    expect(chart.match(/class="point validation reverted"/g)).toHaveLength(1);
    expect(chart).toContain("step 2: validation 0.25 (worse: update reverted)");
    expect(page).toContain("proposed, then reverted: the value stays as it was");
    // Step 2's value is step 1's: the final values are what validation kept.
    expect(page).toMatch(/<section id="final">[\s\S]*second &lt;script&gt;/);
  });

  it("prices the calls per engine", () => {
    const page = html(handMade("priced", revertedRun));
    expect(page).toMatch(/<tr><th>openai:gpt-4o<\/th><td>8<\/td>/);
    expect(page).toContain("$0.0080");
    expect(page).not.toContain("SIMULATED");
  });

  it("says where early stopping ended a run, and shows a majority vote", () => {
    const events = [
      ...revertedRun.events.filter((e) => e["type"] !== "run_finished"),
      { type: "early_stopped", step: 2, patience: 1, best: 0.5, bestStep: 1 },
      { type: "vote", variable: "answer", answers: [{ step: 0, answer: "B" }, { step: 1, answer: "C" }, { step: 2, answer: "C" }], winner: "C", chosenStep: 2 },
      ...revertedRun.events.filter((e) => e["type"] === "run_finished"),
    ];
    const page = html(handMade("stopped-early", { ...revertedRun, events }));
    expect(page).toContain("early stop: validation had not improved for 1 step(s); the best was step 1");
    expect(page).toContain("<h3>Majority vote</h3><ul><li>initial value: <code>B</code></li><li>step 1: <code>C</code></li><li>step 2: <code>C</code></li></ul>");
    expect(page).toContain("the most common answer, <code>C</code>: <code>answer</code> is the value of step 2");
  });

  it("shows what the whole-graph optimizer proposed, where TGD would show gradients", () => {
    const events = [
      { type: "run_started", program: "opto.tg", engines: [{ name: "teacher", id: "openai:gpt-4o", simulated: false }] },
      { type: "variable_initialized", name: "prompt", value: "first" },
      { type: "step_started", optimization: 0, step: 1, steps: 1, epoch: undefined, examples: [] },
      { type: "loss", node: 4, label: "rubric teacher", text: "too vague", loss: 0.6 },
      { type: "call", purpose: "propose", engine: "teacher", label: "propose prompt", messages: [], reply: '<VARIABLE name="prompt">second <b></VARIABLE>', usage: { inputTokens: 1, outputTokens: 1 }, cached: false },
      { type: "update", variable: "prompt", step: 1, before: "first", after: "second <b>" },
      { type: "step_finished", step: 1, loss: 0.6 },
      { type: "run_finished", status: "completed", values: { prompt: "second <b>" } },
    ];
    const page = html(handMade("opto", { events, final: { status: "completed", values: { prompt: "second <b>" }, usage: usage(1) } }));
    expect(page).toContain("The optimizer's proposal: one call for every variable (opto)");
    expect(page).toContain("&lt;VARIABLE name=&quot;prompt&quot;&gt;second &lt;b&gt;&lt;/VARIABLE&gt;");
    expect(page).toContain("(the critiques the optimizer read)");
  });

  it("reports a run still going or killed as far as it got", () => {
    const events = revertedRun.events.slice(0, 12); // into step 2, before its update
    const page = html(handMade("killed", { ...revertedRun, events, final: undefined, checkpoint: true, tail: '{"type":"grad' }));
    expect(page).toContain("incomplete: no final.json (still running, or killed)");
    expect(page).toContain("The last line of events.jsonl was cut short");
    expect(page).toMatch(/<dt>steps<\/dt><dd>1 done \(step 2 cut short\)<\/dd>/);
    expect(page).toContain('<span class="tag warn">cut short</span>');
    expect(page).toContain("Values when the run stopped");
  });
});

describe("tgc report's errors: one line, exit 1, no stack trace", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a missing folder", () => join(tmp(), "nothing-here"), /cannot read .*nothing-here: no such folder/],
    ["a folder that is not a run's", () => tmp(), /is not a run folder: it has no config\.json/],
    ["a file", () => {
      const f = join(tmp(), "x.txt");
      writeFileSync(f, "x");
      return f;
    }, /is not a run folder: it is a file/],
    ["unreadable events", () => handMade("bad", { events: [], tail: "not json\n{}\n" }), /events\.jsonl line 1 is not valid JSON/],
    ["an event that is not tgc's", () => handMade("bad", { events: [{ type: "validation", step: 1 }] }), /events\.jsonl line 1 is not a run event: its score is not a number/],
    ["a missing events.jsonl", () => {
      const dir = handMade("bad", { events: [] });
      rmSync(join(dir, "events.jsonl"));
      return dir;
    }, /cannot read .*events\.jsonl: no such file/],
    ["a damaged final.json", () => {
      const dir = handMade("bad", { events: [] });
      writeFileSync(join(dir, "final.json"), "{");
      return dir;
    }, /final\.json is not valid JSON/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      const r = tgc(["report", make()]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^tgc report: /);
      expect(r.stderr).not.toMatch(stackTrace);
    });
  }

  it("an unwritable -o", () => {
    const r = tgc(["report", handMade("ok", { events: [] }), "-o", join(tmp(), "no/such/dir/r.html")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tgc report: cannot write .*: no such file or folder\n$/);
  });
});

describe("graph.json", () => {
  const c = compileFile("examples/prompt-optimization.tg", { lower: true });

  it("createRunFolder writes it when given the graph: nodes with id, kind and label, and edges", () => {
    const folder = createRunFolder(tmp(), c.path, c.text, {}, c.graph);
    const graph = JSON.parse(readFileSync(join(folder.path, "graph.json"), "utf8")) as ReturnType<typeof toJson>;
    expect(graph).toEqual(toJson(c.graph!));
    expect(graph.nodes.find((n) => n.id === 0)).toMatchObject({ kind: "variable", label: "trainable system", trainable: true, name: "system" });
    expect(graph.edges).toContainEqual({ from: 0, to: 3, label: "system" });
    expect(graph.roots).toEqual([6, 7]);
  });

  it("the report draws the folder's graph.json, and rebuilds the graph from the program only when there is none", () => {
    const folder = simulatedRun();
    writeFileSync(join(folder, "graph.json"), JSON.stringify(toJson(c.graph!)));
    tgc(["report", folder]);
    const withJson = readFileSync(join(folder, "report.html"), "utf8");
    expect(withJson).not.toContain("has no graph.json");
    expect(withJson).toContain('id="node-6"');
    rmSync(join(folder, "graph.json"));
    tgc(["report", folder]);
    expect(readFileSync(join(folder, "report.html"), "utf8")).toContain("This run folder has no graph.json");
  });

  it("without graph.json or a program that compiles, the report says how to draw the graph", () => {
    const page = html(handMade("nograph", { ...revertedRun, graph: undefined }));
    expect(page).toContain("has no graph.json");
    expect(page).toContain('<span class="node-link">rubric teacher</span>'); // nothing to link to
  });
});

describe("the report of retrieval and agent runs", () => {
  const runOf = (example: string) => {
    const runs = tmp();
    const r = tgc(["run", example, "--engine", "sim", "--runs-dir", runs, "--quiet", "--no-cache"]);
    if (r.code !== 0) throw new Error(`tgc run failed (${r.code}): ${r.stderr}`);
    return html(join(runs, readdirSync(runs)[0]!));
  };

  it("shows each training example's searches: the query, and the passages with their scores", () => {
    const page = runOf("examples/rag.tg");
    expect(page).toMatch(/8 searches \(the query, then the passages retrieved, best first, with their scores\)/);
    expect(page).toContain("<code>designer varn island lighthouse born</code>");
    expect(page).toMatch(/13\.24 {2}rag\/notes\/varn-lighthouse\.md\nThe Varn Island lighthouse was designed by Ilse Marrow/);
    // After the update, the second search names the designer (the step's own examples, not validation's).
    expect(page).toContain("<code>Ilse Marrow designer born</code>");
  });

  it("shows each training example's agent trajectory: its tool calls, their results, the answer", () => {
    const page = runOf("examples/agent.tg");
    expect(page).toMatch(/3 agent trajectories \(each tool call, its arguments and result, then the answer\)/);
    expect(page).toContain("(no tool call)\nAnswer: Working it out directly");
    expect(page).toMatch(/Step 1: calculate\(expression: &quot;3 x 2\.50 \+ 2 x 1\.25&quot;\) → error: expected an operator/);
    expect(page).toMatch(/Step 2: calculate\(expression: &quot;3 \* 2\.50 \+ 2 \* 1\.25&quot;\) → 10\nAnswer: The calculator gives 10\./);
  });
});

describe("the report of test-time optimization over a data set (each:)", () => {
  /** The example's own section: from its heading to the next example's. */
  const section = (page: string, n: number) => {
    const start = page.indexOf(`<div class="example" id="example-1-${n}">`);
    expect(start).toBeGreaterThan(-1);
    const next = page.indexOf(`<div class="example" id=`, start + 1);
    return page.slice(start, next === -1 ? page.indexOf("</section>", start) : next);
  };

  it("groups each example's steps, numbered from 1, under its own section with its first values, vote and score", () => {
    const page = html(handMade("each", eachRun()));
    expect(page.match(/<div class="example" id=/g)).toHaveLength(3);
    const first = section(page, 1);
    expect(first).toContain("<h3>Example 1 of 3 <span class=\"muted\">data set index 0</span></h3>");
    expect(first).toContain("2 steps · score 0 → 1 · vote chose C");
    expect(first).toContain('<span class="tag ok">improved</span>');
    expect(first).toMatch(/<code>answer<\/code> <span class="muted">first value<\/span><\/h4><pre class="value">answer 0 first<\/pre>/);
    expect(first.match(/<h3>Step \d<\/h3>/g)).toEqual(["<h3>Step 1</h3>", "<h3>Step 2</h3>"]);
    expect(first).toContain("advice 0.2");
    expect(first).not.toContain("advice 1.");
    expect(first).toContain("<h3>Majority vote</h3>");
    expect(first).toMatch(/<code>answer<\/code> <span class="muted">final value<\/span><\/h4><pre class="value">answer 0 step 2<\/pre>/);
    const second = section(page, 2);
    expect(second.match(/<h3>Step \d<\/h3>/g)).toEqual(["<h3>Step 1</h3>", "<h3>Step 2</h3>"]);
    expect(second).toContain("advice 1.1");
    expect(second).not.toContain("Majority vote");
    expect(section(page, 3)).toContain('score 1 → 0 <span class="tag reverted">worse</span>');
  });

  it("sums the examples up near the top and tables them, each row linked to its section", () => {
    const page = html(handMade("each", eachRun()));
    expect(page).toMatch(/<dt>examples<\/dt><dd>3 of 3 optimized<\/dd>/);
    expect(page).toMatch(/<dt>mean score<\/dt><dd>0\.667 → 0\.667<\/dd>/);
    expect(page).toMatch(/<dt>per example<\/dt><dd>1 improved · 1 worse · 1 unchanged<\/dd>/);
    expect(page).toContain("<strong>3 of 3 examples optimized</strong> · mean score 0.667 → 0.667 · 1 improved, 1 worse, 1 unchanged");
    expect(page.indexOf('<section id="examples-section">')).toBeLessThan(page.indexOf('<section id="chart-section">'));
    const table = /<table class="usage examples">[\s\S]*?<\/table>/.exec(page)![0];
    expect(table).toContain('<tr class="improved"><td><a href="#example-1-1">1</a></td><td>0</td><td>1</td><td>improved</td><td>2</td><td><code>C</code></td></tr>');
    expect(table).toContain('<tr class="worse"><td><a href="#example-1-3">3</a></td><td>1</td><td>0</td><td>worse</td><td>1</td><td>–</td></tr>');
    for (const [, anchor] of table.matchAll(/href="#([^"]+)"/g)) expect(page).toContain(`id="${anchor}"`);
    // The last loss is the last example's: it says nothing of the run.
    expect(page).not.toContain("<dt>final loss</dt>");
  });

  it("does not draw one loss line across examples whose steps count from 1 again", () => {
    const page = html(handMade("each", eachRun()));
    const chart = /<section id="chart-section">[\s\S]*?<\/section>/.exec(page)![0];
    expect(chart).not.toContain("<svg");
    expect(chart).toContain("The 5 steps of test-time optimization over a data set");
  });

  it("shows no example's values as the run's final values", () => {
    const page = html(handMade("each", eachRun()));
    const final = /<section id="final">[\s\S]*?<\/section>/.exec(page)![0];
    expect(final).not.toContain("answer 2 step 1");
    expect(final).toContain("end in each example's section");
    // Nor as its values before training: each example has its own.
    expect(page).not.toContain("Before training");
  });

  it("folds the steps of a data set too long to read whole, and stays self-contained", () => {
    const few = html(handMade("each", eachRun()));
    expect(few).toContain('<details class="example-steps" open>');
    const many = eachRun();
    const events = many.events.flatMap((e) => (e["type"] === "example_started" ? [{ ...e, examples: 164 }] : [e]));
    const page = html(handMade("many", { ...many, events: [...events.slice(0, -2), ...Array.from({ length: 11 }, (_, i) => [{ type: "example_started", optimization: 0, example: 3 + i, examples: 164 }, { type: "example_finished", optimization: 0, example: 3 + i, values: {}, before: 0, after: 0 }]).flat(), ...events.slice(-2)] }));
    expect(page).toContain("<h3>Example 14 of 164");
    expect(page).toContain('<details class="example-steps"><summary>2 steps</summary>');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it("reports a run stopped inside an example as far as it got", () => {
    const page = html(handMade("each-killed", { ...eachRun({ finished: false }), checkpoint: true }));
    expect(page).toMatch(/<dt>examples<\/dt><dd>2 of 3 optimized \(the run stopped before the rest\)<\/dd>/);
    expect(page).toMatch(/<dt>mean score<\/dt><dd>0\.5 → 1<\/dd>/);
    expect(section(page, 3)).toContain("not finished: the run stopped inside this example");
    expect(page).toMatch(/<dt>steps<\/dt><dd>4 done over 3 examples \(example 3's step 1 cut short\)<\/dd>/);
  });

  it("reports examples/multiple-choice.tg run with the simulator: one section per question", () => {
    const runs = tmp();
    const r = tgc(["run", "examples/multiple-choice.tg", "--engine", "sim", "--runs-dir", runs, "--quiet"]);
    expect(r.code).toBe(0);
    const page = html(join(runs, readdirSync(runs)[0]!));
    expect(page.match(/<div class="example" id=/g)).toHaveLength(6);
    expect(page).toContain("<h3>Example 6 of 6");
    expect(page).toMatch(/<strong>6 of 6 examples optimized<\/strong> · mean score 0\.167 → 0\.167/);
    expect(page.match(/<h3>Majority vote<\/h3>/g)).toHaveLength(6);
  });
});
