// Renders docs/prompts.md from the prompt builders themselves, so the documentation shows exactly what is sent.
// `npm run docs:prompts` writes it; a test checks the committed copy is current.
import { BACKWARD_TASK, backwardMessages } from "../src/runtime/prompts/backward.js";
import { OPTIMIZER_SYSTEM } from "../src/runtime/prompts/optimizer-system.js";
import { CONDENSE_REASK, CONDENSE_SYSTEM, condenseMessages } from "../src/runtime/prompts/condense.js";
import { LOSS_SYSTEM, lossMessages } from "../src/runtime/prompts/loss.js";
import { UPDATE_REASK, UPDATE_TASK, updateMessages } from "../src/runtime/prompts/update.js";
import { OPTO_REASK, OPTO_SYSTEM, optoMessages } from "../src/runtime/prompts/opto.js";

const block = (text: string) => "```text\n" + text + "\n```";

const role = "system prompt that steers the model's reasoning";
const prompt = "You will answer a reasoning question. Think step by step.";
const question = "I have a flute, a piano, two lamps, and a drum. How many musical instruments do I have?";

export function renderPromptsDoc(): string {
  const loss = lossMessages("Compare the response with the correct answer and say briefly where the reasoning went wrong.", [{ label: "solve(…)", text: "There are 4 things in the list." }], [{ label: "ex.answer", text: "3" }]);
  const backwardEvaluated = backwardMessages({
    purpose: "backward",
    variable: "There are 4 things in the list.",
    variableRole: "the reply of student in solve",
    relation: "evaluated",
    output: "There are 4 things in the list.",
    outputRole: "solve(…)",
    feedback: ['Its final answer "4" does not match the reference "3". The lamps are not instruments.'],
    prompt: undefined,
  });
  const backwardPrompt = backwardMessages({
    purpose: "backward",
    variable: prompt,
    variableRole: role,
    relation: "prompt",
    output: "There are 4 things in the list.",
    outputRole: "the reply of student in solve",
    feedback: ["The response counts the lamps as instruments; it should list each item and keep only those the question asks about."],
    prompt: { system: prompt, user: question },
  });
  const backwardRetrieval = backwardMessages({
    purpose: "backward",
    variable: "Varn Island lighthouse designer born town",
    variableRole: "the reply of student in answer",
    relation: "argument",
    output: "[1] lighthouses.md#2\nThe Varn Island lighthouse was designed by Ilse Marrow in 1891.",
    outputRole: "passages retrieved from notes",
    feedback: ['Its final answer "Ilse Marrow" does not name the reference "Kessby".'],
    prompt: undefined,
    process: { kind: "retrieval", corpus: "notes", passages: [{ source: "lighthouses.md#2", score: 4.21, text: "The Varn Island lighthouse was designed by Ilse Marrow in 1891." }] },
  });
  const backwardAgent = backwardMessages({
    purpose: "backward",
    variable: "Answer the question.",
    variableRole: "the instruction that steers the agent",
    relation: "prompt",
    output: 'Step 1: lookup(item: "notebooks") → error: no item matches "notebooks"\nFinal answer: 5',
    outputRole: "the trajectory of an agent run by student",
    feedback: ['At step 1 the call lookup(item: "notebooks") failed: no item matches "notebooks".'],
    prompt: { system: "Answer the question.", user: "What do 2 notebooks cost?" },
    process: { kind: "agent", steps: [{ call: { id: "call_1", name: "lookup", arguments: { item: "notebooks" } }, result: 'no item matches "notebooks"', failed: true }], answer: "5" },
  });
  const update = updateMessages({
    purpose: "update",
    variable: prompt,
    variableRole: role,
    gradients: ["The prompt never asks the model to list the items it counts, so it counts lamps as instruments."],
    pastValues: ["You will answer a reasoning question."],
    pastGradients: [["The prompt does not ask for step-by-step reasoning."]],
    rejected: [{ value: "Count quickly.", score: 0.33 }],
    constraints: ["Keep it under 200 words."],
    examples: [],
    maxChange: 0.3,
  });
  const opto = optoMessages({
    purpose: "propose",
    variables: [{ name: "system", role, value: prompt, relation: "prompt", pastValues: ["You will answer a reasoning question."], rejected: [] }],
    traces: [
      [
        "[1] system (system prompt that steers the model's reasoning): trainable variable system",
        prompt,
        "",
        "[2] ex.question: example field question",
        question,
        "",
        "[3] call student (the reply of student in solve): call to student: system [1], user [2]",
        "There are 4 things in the list.",
        "",
        "[4] ex.answer: example field answer",
        "3",
        "",
        "[5] rubric teacher: loss: rubric by teacher on [3] given [4]",
        'Its final answer "4" does not match the reference "3".',
        "(loss 0.70)",
      ].join("\n"),
    ],
    feedback: ['Its final answer "4" does not match the reference "3".'],
    constraints: ["Keep it under 200 words."],
    examples: [],
  });
  const condense = condenseMessages(role, ["Ask the model to list each item.", "List the items before counting them.", "Say which items the question asks about."]);
  return `# The prompts tgc sends

<!-- Generated from src/runtime/prompts/ by \`npm run docs:prompts\`. Do not edit by hand. -->

These prompts decide what a textual gradient says and how a variable changes, so they are part of the product.
They are built by concatenation, never by a template engine: a value with braces, tags or code is sent exactly as
it is, and the whole current value of a variable is always shown (never an excerpt). Every request also carries
its purpose and the structured pieces it was built from; real providers ignore those, the run's events record
them, and the simulator answers from them.

Each prompt puts first what many calls of a step share (the instructions, the rubric, the variable being improved,
the prompt it took part in) and last what differs per example (the output, its feedback), and marks where the
shared part ends. OpenAI's automatic prefix caching then serves the shared part of a batch's calls at the cached
rate, and Anthropic requests carry a cache breakpoint (\`cache_control\`) there when the part is long enough to be
cached (about 1,024 tokens). Cached input tokens are read from the providers' usage fields and priced apart.

The examples below are rendered from the code for a small counting task.

## Forward: an LLM call

A \`call engine { system: …, user: … }\` sends the program's own messages, untouched, with the engine's sampling
options overridden by the call's.

## Loss: a rubric

\`rubric teacher on <evaluated> given <context> "criteria"\`. The system prompt:

${block(LOSS_SYSTEM)}

The user message:

${block(loss.messages[1]!.content)}

The reply is the loss: a critique. Its last \`Score: N/10\` line, where present, gives the number printed as the
step's loss (\`1 - N/10\`); a critique without one is still a loss. A rule loss (\`"feedback" unless metric(…)\`)
makes no call: its feedback is the critique when the metric is below 1.

## Backward: one message per edge

In reverse topological order, each node that received feedback asks, for each input that can change (a trainable
variable, or a value computed from one), how that input should change. Gradients from several successors are
listed together; a loss sends its critique exactly once per example, with its weight when it is part of a
weighted sum.

Backward and update calls share one system prompt, and their user messages open the same way (what the variable
is for, then its whole value), so that a provider's prompt cache serves that opening to every call about the same
variable:

${block(OPTIMIZER_SYSTEM)}

A backward message then says what this step asks:

${block(BACKWARD_TASK)}

From a loss to the text it evaluated:

${block(backwardEvaluated.messages[1]!.content)}

From an LLM call to a variable in its prompt (prompts built from templates are seen through: the variable is
shown where it stands in the whole prompt):

${block(backwardPrompt.messages[1]!.content)}

From a retrieval step to what wrote its query (the passages stand where the output would; the question is what
they lack and which words would find it):

${block(backwardRetrieval.messages[1]!.content)}

From an agent to its instruction (the trajectory stands where the reply would, each step numbered, so the
gradient can name the step that went wrong):

${block(backwardAgent.messages[1]!.content)}

An agent's final answer (\`.answer\`) passes the feedback it receives to the agent unchanged, without a call: it is
the last line of the trajectory.

## Update: Textual Gradient Descent

For each trainable variable with gradients, once per step (a batch's gradients together). Momentum shows the
last \`momentum\` values, \`gradient_memory\` the feedback they received; values that validation rejected are shown
so they are not proposed again; constraints and in-context examples follow. After the shared opening, an update
message says:

${block(UPDATE_TASK)}

The user message:

${block(update.messages[1]!.content)}

The new value is read from the last \`<IMPROVED_VARIABLE>\` section. A reply without one is answered, up to
\`retries\` times (default 2), with the reply kept in the conversation and this reminder:

${block(UPDATE_REASK)}

If every attempt lacks the tags, the update is skipped (an \`update_skipped\` event) and the run goes on.

## Condensing gradients

When a variable's gradients together exceed \`condense_after\` characters (default 12,000), they are merged first.
The system prompt:

${block(CONDENSE_SYSTEM)}

The user message:

${block(condense.messages[1]!.content)}

The merged list is read from \`<FEEDBACK>\` tags (re-asked with "${CONDENSE_REASK}"); if no reply has them, the
newest gradients that fit are kept, so an update prompt never grows past the limit.

## The whole-graph optimizer: \`opto\`

With \`using opto(…)\` there is no backward pass and no per-variable update: once per step, one call sees every
trainable variable (shared first, with its past values and rejected ones), each example's execution as text (each
node of the objective's subgraph with its inputs, role and value; long values are cut at 2,000 characters) and the
losses' critiques. The system prompt:

${block(OPTO_SYSTEM)}

The user message:

${block(opto.messages[1]!.content)}

The new values are read from \`<VARIABLE name="…">\` blocks; a variable the reply leaves out keeps its value, and
\`<NO_CHANGE/>\` says none should change. A reply with neither is asked again (up to \`retries\` times) with:

${block(OPTO_REASK)}
`;
}
