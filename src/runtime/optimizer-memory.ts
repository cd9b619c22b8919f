// What an optimizer remembers of each variable between steps: its past values (momentum), the feedback they got,
// and the values validation rejected with their scores. Both optimizers keep it; checkpoints save and restore it.

export interface VariableMemory {
  readonly pastValues: string[];
  readonly pastGradients: string[][];
  readonly rejected: { value: string; score: number }[];
}

export interface OptimizerState {
  readonly variables: Readonly<Record<string, VariableMemory>>;
}

export class OptimizerMemory {
  private readonly state = new Map<string, VariableMemory>();

  of(name: string): VariableMemory {
    let s = this.state.get(name);
    if (!s) this.state.set(name, (s = { pastValues: [], pastGradients: [], rejected: [] }));
    return s;
  }

  /** Remembers a value validation rejected, with its score, for the next prompts. */
  reject(name: string, value: string, score: number): void {
    const s = this.of(name);
    if (!s.rejected.some((r) => r.value === value)) s.rejected.push({ value, score });
  }

  /** A copy, for a checkpoint. */
  snapshot(): OptimizerState {
    return structuredClone({ variables: Object.fromEntries(this.state) });
  }

  /** Continues from a checkpoint's memory. */
  restore(state: OptimizerState): void {
    this.state.clear();
    for (const [name, s] of Object.entries(structuredClone(state.variables))) this.state.set(name, s);
  }
}
