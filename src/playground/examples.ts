// The page's built-in texts besides the quickstart: replies for the scripted engine, and a program with an error
// to show the checker's diagnostics. The browser test types the same program.

export const SCRIPTED_RULES = `{ "rules": [
  { "purpose": "forward", "match": "ball", "reply": "It takes about two seconds." },
  { "purpose": "loss", "replies": ["No working is shown.\\nScore: 4/10", "Fine.\\nScore: 10/10"] },
  { "purpose": "backward", "reply": "Show the formula t = sqrt(2h/g)." },
  { "purpose": "update", "reply": "<IMPROVED_VARIABLE>t = sqrt(2h/g) ≈ 2.02 s</IMPROVED_VARIABLE>" }
] }
`;

export const WITH_AN_ERROR = `engine teacher = sim()

trainable answer: "an answer" = "It takes about two seconds."

loss critique = rubric teacher on answr """
  Point out every mistake.
"""

optimize answer using tgd(engine: teacher) {
  steps: 2
  minimize: critique
}
`;
