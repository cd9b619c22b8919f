// The one registry of diagnostic codes. Bands: TG1xxx syntax, TG2xxx names and imports,
// TG3xxx types and rules, TG4xxx runtime. Codes are never reused; retire a code by leaving it here unused.

export const codes = {
  // syntax
  TG1001: { severity: "error", title: "unexpected token" },
  TG1002: { severity: "error", title: "unterminated string" },
  TG1003: { severity: "error", title: "unknown character" },
  TG1004: { severity: "error", title: "unterminated comment" },
  TG1005: { severity: "error", title: "invalid escape in string" },
  TG1007: { severity: "error", title: "nesting or chaining too deep" },
  TG1008: { severity: "error", title: "not a text file" },
  // names and imports
  TG2001: { severity: "error", title: "duplicate declaration" },
  TG2002: { severity: "error", title: "unknown name" },
  TG2003: { severity: "error", title: "module not found" },
  TG2004: { severity: "error", title: "name not exported by module" },
  TG2005: { severity: "error", title: "import cycle" },
  TG2006: { severity: "error", title: "dependency cycle" },
  TG2007: { severity: "error", title: "unknown data field" },
  TG2008: { severity: "error", title: "duplicate parameter" },
  TG2009: { severity: "warning", title: "unused declaration" },
  TG2010: { severity: "error", title: "unknown provider" },
  TG2011: { severity: "error", title: "unknown option" },
  TG2012: { severity: "error", title: "unknown data format" },
  TG2013: { severity: "error", title: "unknown optimizer" },
  TG2014: { severity: "error", title: "unknown type" },
  TG2015: { severity: "error", title: "extern function outside the standard library" },
  TG2016: { severity: "warning", title: "data or corpus file not found" },
  // types and rules
  TG3001: { severity: "error", title: "type mismatch" },
  TG3002: { severity: "error", title: "metric used as a loss" },
  TG3003: { severity: "error", title: "invalid option value" },
  TG3004: { severity: "error", title: "wrong number of arguments" },
  TG3005: { severity: "error", title: "missing required entry" },
  TG3006: { severity: "error", title: "not callable" },
  TG3007: { severity: "error", title: "optimized name is not trainable" },
  TG3008: { severity: "warning", title: "trainable variable gets no gradient" },
  TG3009: { severity: "error", title: "example used outside a data loop" },
  TG3010: { severity: "error", title: "conflicting entries" },
  TG3011: { severity: "error", title: "invalid variable initializer" },
  TG3012: { severity: "warning", title: "trainable variable is never optimized" },
  TG3013: { severity: "warning", title: "each: target without a value per example" },
  // runtime
  TG4001: { severity: "error", title: "engine failed" },
  TG4002: { severity: "error", title: "data file not readable" },
  TG4003: { severity: "error", title: "malformed data" },
  TG4004: { severity: "error", title: "missing data field" },
  TG4007: { severity: "error", title: "native function failed" },
  TG4008: { severity: "error", title: "run cannot be resumed" },
  TG4009: { severity: "error", title: "corpus not readable" },
} as const satisfies Record<string, { severity: "error" | "warning"; title: string }>;

export type Code = keyof typeof codes;
