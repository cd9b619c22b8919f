// The report's stylesheet, inlined into the page.
export const css = `
:root { --ink: #1f2933; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --ok: #1e7d4f; --warn: #b45309; --bad: #c0392b; --accent: #2f6fb3; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 4px; }
h4 { font-size: 14px; margin: 10px 0 4px; font-weight: 600; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0 8px; padding: 8px 10px; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
a { color: var(--accent); }
header { margin-bottom: 12px; }
.folder { margin: 0 0 8px; color: var(--muted); }
.status { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 13px; background: #e5e7eb; }
.status-completed { background: #d1fae5; color: var(--ok); }
.status-budget, .status-interrupted { background: #fef3c7; color: var(--warn); }
.status-failed { background: #fde2e1; color: var(--bad); }
.reason { color: var(--muted); margin-left: 6px; }
.banner { margin: 12px 0; padding: 10px 14px; border-radius: 8px; background: #fff7d6; border: 2px solid #e0a800; color: #5c4400; }
.banner.warn { background: #fdecea; border-color: var(--bad); color: #7f1d1d; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 16px; margin: 12px 0 0; }
.summary div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.summary dt { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.summary dd { margin: 2px 0 0; font-weight: 600; }
nav { position: sticky; top: 0; z-index: 1; display: flex; gap: 18px; padding: 10px 0; margin-bottom: 8px; background: var(--bg); border-bottom: 1px solid var(--line); }
nav a { text-decoration: none; font-weight: 600; }
section { margin: 22px 0 30px; }
.chart, .graph { background: #fff; border: 1px solid var(--line); border-radius: 8px; max-width: 100%; height: auto; }
.chart text { font-size: 12px; fill: var(--ink); }
.chart .tick { fill: var(--muted); }
.chart .axis-label { font-weight: 600; }
.chart .grid { stroke: #eef0f3; }
.chart .axis { stroke: #9ca3af; }
.chart .block { stroke: #9ca3af; stroke-dasharray: 2 3; }
.chart .note { font-size: 11px; font-weight: 600; }
.tag { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; vertical-align: middle; }
.tag.sim { background: #fff3bf; color: #7a5b00; border: 1px solid #e0a800; }
.tag.ok { background: #d1fae5; color: var(--ok); }
.tag.reverted, .tag.warn { background: #fde2e1; color: var(--bad); }
.muted { color: var(--muted); font-weight: normal; }
.empty { color: var(--muted); font-style: italic; }
.step { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 12px 0; }
.step pre { background: var(--bg); }
.facts { margin: 0 0 6px; color: var(--muted); }
.diff ins { background: #c9f2d6; color: #0f5132; text-decoration: none; border-radius: 2px; }
.diff del { background: #fbd5d5; color: #842029; border-radius: 2px; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; font-size: 14px; }
details.unchanged { margin: 0 0 6px; }
details.unchanged summary { font-weight: normal; color: var(--muted); font-size: 13px; }
ol { padding-left: 22px; margin: 6px 0; }
.edge-line { font-size: 14px; }
.node-link { font-weight: 600; }
.arrow { color: var(--muted); }
.graph-box { overflow-x: auto; }
.graph .shape { fill: #fff; stroke: #4b5563; stroke-width: 1.4; }
.graph .shape-line { stroke: #4b5563; stroke-width: 1; }
.graph .trainable .shape { fill: #ffe9a8; stroke: #a07c00; }
.graph .kind-loss .shape { fill: #f6c6c6; stroke: #a33; }
.graph .kind-input .shape { fill: #eef4fb; }
.graph .kind-metric .shape { fill: #e6f4ea; }
.graph .label { font-size: 12px; fill: var(--ink); }
.graph .badge { font-size: 11px; fill: var(--accent); font-weight: 600; }
.graph .edge path { fill: none; stroke: #6b7280; stroke-width: 1.3; }
.graph .edge-label { font-size: 11px; fill: var(--muted); paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.graph g.node:target .shape { stroke: #e67e22; stroke-width: 4; }
.legend-line .key { display: inline-block; width: 14px; height: 12px; border: 1px solid #4b5563; vertical-align: middle; margin: 0 2px 0 8px; }
.legend-line .key.trainable { background: #ffe9a8; }
.legend-line .key.loss { background: #f6c6c6; }
table.usage { border-collapse: collapse; width: 100%; background: #fff; margin: 8px 0 14px; font-size: 14px; }
table.usage th, table.usage td { border: 1px solid var(--line); padding: 6px 10px; text-align: right; }
table.usage th:first-child { text-align: left; }
table.usage thead th { background: #f1f5f9; font-size: 12px; }
table.usage tr.total th, table.usage tr.total td { font-weight: 700; background: #f8fafc; }
.example { border-left: 4px solid var(--accent); padding: 4px 0 4px 14px; margin: 22px 0; }
.example > h3 { font-size: 17px; }
.example:target { background: #eef4fb; }
.example-steps > summary { margin: 6px 0; }
.tag.same { background: #e5e7eb; color: var(--muted); }
.each-summary { font-size: 16px; margin: 4px 0 10px; }
.examples-box { max-height: 460px; overflow-y: auto; border: 1px solid var(--line); border-radius: 8px; }
table.examples { margin: 0; }
table.examples thead th { position: sticky; top: 0; }
table.examples tr.improved td { background: #ecfdf3; }
table.examples tr.worse td { background: #fdf0ef; }
.chart-note { margin-top: 6px; }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
`;
