// How much the syntax stage takes before it refuses or stops: past these, a text is not a program anyone wrote, and
// going on would cost time or exhaust the stack of every stage after it.

/** Deeper than this, a program is rejected before parsing: no real program nests so far, and recursion must end. */
export const MAX_NESTING = 256;

/**
 * More operands than this in one chain of `+`, `*` and `.field` are refused: each makes a level of the expression's
 * tree, which every later stage (checker, lowering, formatter) walks recursively.
 */
export const MAX_CHAIN = MAX_NESTING;

/** After this many syntax errors the rest are noise; say how many were left out instead. */
export const MAX_SYNTAX_DIAGNOSTICS = 50;

/** After this many syntax errors a parse stops: the text is not a program, and recovering from each error costs. */
export const MAX_PARSE_ERRORS = 1_000;
